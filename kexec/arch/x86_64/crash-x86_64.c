// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kdump on x86_64 (arch/x86/kernel/crash.c): the ELF core header segment
 * and the crash kernel's E820 map, both from /proc/iomem's view of memory.
 */
#include <elf.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include "crashdump.h"
#include "log.h"
#include "plan.h"
#include "profile.h"
#include "sysview.h"
#include "x86_64.h"

#define START_KERNEL_MAP	0xffffffff80000000ull	/* __START_KERNEL_map */
#define ELF_CORE_HEADER_ALIGN	4096
#define SZ_1M			0x100000ull

static int count_ram_ranges(const struct iomem_res *res, void *arg)
{
	(void)res;
	(*(unsigned int *)arg)++;
	return 0;
}

static int add_ram_range(const struct iomem_res *res, void *arg)
{
	return crash_mem_add(arg, res->start, res->end) ? -ENOMEM : 0;
}

static const struct iomem_res *crashk_res(const struct plan *plan)
{
	const struct iomem_res *res = sysview_crashk_res(plan->sv);

	if (!res)
		kx_error("kdump: no \"Crash kernel\" region in /proc/iomem (boot with crashkernel=)");
	return res;
}

/* The low 1M and the crash regions: never dumped. */
static int elf_header_exclude_ranges(struct crash_mem *cmem, const struct iomem_res *crashk,
				     const struct iomem_res *crashk_low)
{
	int ret;

	ret = crash_exclude_mem_range(cmem, 0, SZ_1M - 1);
	if (!ret)
		ret = crash_exclude_mem_range(cmem, crashk->start, crashk->end);
	if (!ret && crashk_low)
		ret = crash_exclude_mem_range(cmem, crashk_low->start, crashk_low->end);
	return ret;
}

static int prepare_elf_headers(struct plan *plan, const struct iomem_res *crashk,
			       uint8_t **addr, size_t *sz)
{
	struct crash_sysinfo ci;
	struct crash_mem *cmem;
	unsigned int nr_ranges = 0;
	int ret;

	sysview_walk_system_ram(plan->sv, 0, UINT64_MAX, count_ram_ranges, &nr_ranges);
	/* room for the splits the exclusions make */
	cmem = crash_mem_alloc(nr_ranges + 2);
	if (!cmem)
		return -ENOMEM;
	ret = sysview_walk_system_ram(plan->sv, 0, UINT64_MAX, add_ram_range, cmem);
	if (ret)
		goto out_free_cmem;
	ret = elf_header_exclude_ranges(cmem, crashk, sysview_crashk_low_res(plan->sv));
	if (ret)
		goto out_free_cmem;
	ret = crash_read_sysinfo(plan->sv, START_KERNEL_MAP, &ci);
	if (ret)
		goto out_free_cmem;
	ret = crash_prepare_elf64_headers(plan->arch, &ci, cmem, 1, addr, sz);
	crash_sysinfo_release(&ci);
out_free_cmem:
	crash_mem_free(cmem);
	return ret;
}

int crash_load_segments(struct plan *plan)
{
	struct kexec_buf kbuf = { .plan = plan, .buf_min = 0, .buf_max = UINT64_MAX,
				  .top_down = false, .what = "elfcorehdr" };
	const struct iomem_res *crashk = crashk_res(plan);
	uint8_t *headers;
	size_t sz;
	int ret;

	if (!crashk)
		return -EADDRNOTAVAIL;
	ret = prepare_elf_headers(plan, crashk, &headers, &sz);
	if (ret)
		return ret;
	ret = plan_adopt(plan, headers);
	if (ret)
		return ret;
	kbuf.buffer = headers;
	kbuf.bufsz = sz;
	plan->elf_headers_sz = sz;
	kbuf.memsz = sz;
	if (plan_rule(plan, PR_CRASH_HOTPLUG) && plan->crash_hotplug_phdrs < PN_XNUM) {
		/* room for the headers of hot-plugged CPUs and memory */
		kbuf.memsz = plan->crash_hotplug_phdrs * sizeof(Elf64_Phdr) +
			     sizeof(Elf64_Ehdr);
		plan->elfcorehdr_index = (int)plan->nr_segments;
		plan->elf_headers_sz = kbuf.memsz;
	}
	kbuf.buf_align = ELF_CORE_HEADER_ALIGN;
	kbuf.mem = KEXEC_BUF_MEM_UNKNOWN;
	ret = kexec_add_buffer(&kbuf);
	if (ret)
		return ret;
	plan->elf_load_addr = kbuf.mem;
	kx_debug("loaded ELF headers at 0x%" PRIx64 " bufsz=0x%zx memsz=0x%" PRIx64,
		 kbuf.mem, kbuf.bufsz, kbuf.memsz);
	return 0;
}

struct memmap_cmd {
	uint8_t *params;
	uint32_t type;
};

static int memmap_entry_callback(const struct iomem_res *res, void *arg)
{
	struct memmap_cmd *cmd = arg;

	add_e820_entry(cmd->params, res->start, res->end - res->start + 1, cmd->type);
	return 0;
}

/* The crash region minus the ELF core headers. */
static int memmap_exclude_ranges(struct plan *plan, struct crash_mem *cmem, uint64_t mstart,
				 uint64_t mend)
{
	cmem->nr_ranges = 0;
	crash_mem_add(cmem, mstart, mend);
	return crash_exclude_mem_range(cmem, plan->elf_load_addr,
				       plan->elf_load_addr + plan->elf_headers_sz - 1);
}

int crash_setup_memmap_entries(struct plan *plan, uint8_t *params)
{
	const struct iomem_res *crashk = crashk_res(plan), *crashk_low;
	struct memmap_cmd cmd = { .params = params };
	struct crash_mem *cmem;
	unsigned int i;
	int ret;

	if (!crashk)
		return -EADDRNOTAVAIL;
	cmem = crash_mem_alloc(2);
	if (!cmem)
		return -ENOMEM;
	params[BP_E820_ENTRIES] = 0;

	cmd.type = E820_TYPE_RAM;
	sysview_walk_res(plan->sv, "System RAM", 0, SZ_1M - 1, memmap_entry_callback, &cmd);
	cmd.type = E820_TYPE_ACPI;
	sysview_walk_res(plan->sv, "ACPI Tables", 0, UINT64_MAX, memmap_entry_callback, &cmd);
	cmd.type = E820_TYPE_NVS;
	sysview_walk_res(plan->sv, "ACPI Non-volatile Storage", 0, UINT64_MAX,
			 memmap_entry_callback, &cmd);
	cmd.type = E820_TYPE_RESERVED;
	sysview_walk_res(plan->sv, "Reserved", 0, UINT64_MAX, memmap_entry_callback, &cmd);

	crashk_low = sysview_crashk_low_res(plan->sv);
	if (crashk_low)
		add_e820_entry(params, crashk_low->start, crashk_low->end - crashk_low->start + 1,
			       E820_TYPE_RAM);

	ret = memmap_exclude_ranges(plan, cmem, crashk->start, crashk->end);
	if (ret)
		goto out;
	for (i = 0; i < cmem->nr_ranges; i++) {
		uint64_t size = cmem->ranges[i].end - cmem->ranges[i].start + 1;

		/* less than a page is not worth an entry */
		if (size < plan->page_size)
			continue;
		add_e820_entry(params, cmem->ranges[i].start, size, E820_TYPE_RAM);
	}
out:
	crash_mem_free(cmem);
	return ret;
}
