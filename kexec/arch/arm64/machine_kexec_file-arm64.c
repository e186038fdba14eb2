// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The segments after the kernel, as arch/arm64/kernel/machine_kexec_file.c
 * (Linux 6.1) adds them, none below the kernel:
 *
 *   elfcorehdr  crash loads: the memory ranges minus the crash regions,
 *               64 KiB-aligned, top-down (in the crash region)
 *   initrd      bottom-up, below the end of the 32 GiB window that starts at
 *               the kernel's 1 GiB boundary
 *   dtb         of_kexec_alloc_and_setup_fdt() + fdt_pack(), 2 MiB-aligned
 *               (never across a 2 MiB boundary), top-down
 *
 * then, for kexec_load only, our purgatory (the kernel has none on arm64).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "arm64.h"
#include "byteorder.h"
#include "config.h"
#include "crashdump.h"
#include "log.h"
#include "plan.h"
#include "purgatory.h"
#include "request.h"
#include "resource.h"
#include "sysview.h"
#ifdef HAVE_LIBFDT
#include <libfdt.h>
#include "kexec-fdt.h"
#endif

/*
 * The kernel image mapping lies above the linear map whatever VA_BITS is
 * (39 on tinyconfig, 48 on Debian): the highest of /proc/kcore's entries.
 */
#define ARM64_KIMAGE_MIN	0

struct count_ctx {
	struct crash_mem *cmem;
	unsigned int nr;
};

static int count_mem_range(const struct kexec_mem_range *r, void *arg)
{
	(void)r;
	((struct count_ctx *)arg)->nr++;
	return 0;
}

static int add_mem_range(const struct kexec_mem_range *r, void *arg)
{
	return crash_mem_add(((struct count_ctx *)arg)->cmem, r->start, r->end) ? -ENOMEM : 0;
}

/* for_each_mem_range() minus crashk_res and crashk_low_res. */
static int prepare_elf_headers(struct plan *plan, uint8_t **addr, size_t *sz)
{
	const struct iomem_res *low = sysview_crashk_low_res(plan->sv);
	struct count_ctx ctx = { 0 };
	struct kexec_mem_range crashk;
	struct crash_sysinfo ci;
	int ret;

	if (resource_crash_region(plan, &crashk)) {
		kx_error("crash load: no \"Crash kernel\" region in %s/proc/iomem (boot with crashkernel=)",
			 plan->sv->root);
		return -EADDRNOTAVAIL;
	}
	arm64_walk_system_ram(plan, false, count_mem_range, &ctx);
	/* for the exclusion of the crash kernel regions */
	ctx.cmem = crash_mem_alloc(ctx.nr + 2);
	if (!ctx.cmem)
		return -ENOMEM;
	ret = arm64_walk_system_ram(plan, false, add_mem_range, &ctx);
	if (ret)
		goto out_free_cmem;
	ret = crash_exclude_mem_range(ctx.cmem, crashk.start, crashk.end);
	if (!ret && low && low->end)
		ret = crash_exclude_mem_range(ctx.cmem, low->start, low->end);
	if (ret) {
		kx_error("crash load: too many memory ranges after excluding the crash regions");
		goto out_free_cmem;
	}
	ret = crash_read_sysinfo(plan->sv, ARM64_KIMAGE_MIN, &ci);
	if (ret)
		goto out_free_cmem;
	ret = crash_prepare_elf64_headers(plan->arch, &ci, ctx.cmem, 1, addr, sz);
	crash_sysinfo_release(&ci);
out_free_cmem:
	crash_mem_free(ctx.cmem);
	return ret;
}

/*
 * The elfcorehdr and the dtb: memsz is the size, top-down from the end of
 * memory down to buf_min (the kernel's end); label names it in the debug line.
 */
static int add_buffer_top_down(struct kexec_buf *kbuf, const void *buffer, size_t size,
			       uint64_t align, const char *what, const char *label)
{
	int ret;

	kbuf->buffer = buffer;
	kbuf->bufsz = size;
	kbuf->mem = KEXEC_BUF_MEM_UNKNOWN;
	kbuf->memsz = size;
	kbuf->buf_align = align;
	kbuf->buf_max = UINT64_MAX;
	kbuf->top_down = true;
	kbuf->what = what;
	ret = arm64_add_buffer_quiet(kbuf);
	if (ret)
		return ret;
	kx_debug("Loaded %s at 0x%" PRIx64 " bufsz=0x%zx memsz=0x%" PRIx64, label, kbuf->mem,
		 kbuf->bufsz, kbuf->memsz);
	return 0;
}

static int load_elf_headers(struct plan *plan, struct kexec_buf *kbuf)
{
	uint8_t *headers;
	size_t headers_sz;
	int ret;

	ret = prepare_elf_headers(plan, &headers, &headers_sz);
	if (ret)
		return ret;
	ret = plan_adopt(plan, headers);
	if (ret)
		return ret;
	/* the largest page size */
	ret = add_buffer_top_down(kbuf, headers, headers_sz, SZ_64K, "elfcorehdr",
				  "elf core header");
	if (ret)
		return ret;
	plan->elf_load_addr = kbuf->mem;
	plan->elf_headers_sz = headers_sz;
	return 0;
}

#ifdef HAVE_LIBFDT
/* The running machine's DTB: --dtb, else /sys/firmware/fdt. */
static int read_running_dtb(const struct plan *plan, const struct kexec_inputs *in,
			    const void **dtb, size_t *len, uint8_t **owned, char *name, size_t namesz)
{
	int ret;

	*owned = NULL;
	if (in->dtb) {
		*dtb = in->dtb;
		*len = in->dtb_len;
		snprintf(name, namesz, "%s", in->req && in->req->dtb ? in->req->dtb : "--dtb");
		return 0;
	}
	sysview_path(plan->sv, "/sys/firmware/fdt", name, namesz);
	ret = sysview_read_file(plan->sv, "/sys/firmware/fdt", owned, len);
	if (ret) {
		kx_error("%s: %s (the running machine's device tree; or give --dtb=FILE)", name,
			 sysview_strerror(ret));
		return ret;
	}
	*dtb = *owned;
	return 0;
}

static int load_dtb(struct plan *plan, const struct kexec_inputs *in, struct kexec_buf *kbuf,
		    uint64_t initrd_load_addr, uint64_t *dtb_mem)
{
	struct kexec_fdt_params p = { 0 };
	struct kexec_fdt_crash crash = { 0 };
	const struct iomem_res *low;
	struct kexec_mem_range crashk;
	uint8_t *running;
	char name[4200];
	void *dtb;
	size_t dtb_size;
	int ret;

	ret = read_running_dtb(plan, in, &p.initial_boot_params, &p.initial_boot_params_len,
			       &running, name, sizeof(name));
	if (ret)
		return ret;
	p.name = name;
	/* where the running DTB lies is not shown to userspace: its /memreserve/ stays */
	p.initial_boot_params_pa = 0;
	p.page_size = plan->page_size;
	p.initrd_load_addr = initrd_load_addr;
	p.initrd_len = in->initrd_name ? in->initrd_len : 0;
	p.cmdline = in->cmdline_len ? in->cmdline : NULL;
	p.extra_fdt_size = 0;
	p.rng = kexec_fdt_getrandom;
	if (plan->crash) {
		if (resource_crash_region(plan, &crashk)) {
			ret = -EADDRNOTAVAIL;
			goto out_free_running;
		}
		crash.elf_load_addr = plan->elf_load_addr;
		crash.elf_headers_sz = plan->elf_headers_sz;
		crash.crashk_res.start = crashk.start;
		crash.crashk_res.end = crashk.end;
		low = sysview_crashk_low_res(plan->sv);
		if (low) {
			crash.crashk_low_res.start = low->start;
			crash.crashk_low_res.end = low->end;
		}
		p.crash = &crash;
	}
	ret = of_kexec_alloc_and_setup_fdt(&p, &dtb, &dtb_size);
	if (ret)
		goto out_free_running;
	ret = plan_adopt(plan, dtb);
	if (ret)
		goto out_free_running;
	/* trim it */
	fdt_pack(dtb);
	/* not across a 2 MiB boundary */
	ret = add_buffer_top_down(kbuf, dtb, fdt_totalsize(dtb), SZ_2M, "dtb", "dtb");
	if (ret)
		goto out_free_running;
	*dtb_mem = kbuf->mem;
out_free_running:
	free(running);
	return ret;
}
#else
static int load_dtb(struct plan *plan, const struct kexec_inputs *in, struct kexec_buf *kbuf,
		    uint64_t initrd_load_addr, uint64_t *dtb_mem)
{
	(void)plan;
	(void)kbuf;
	(void)initrd_load_addr;
	(void)dtb_mem;
	kx_error("%s: this ukexec is built without libfdt and cannot build an arm64 device tree",
		 in->kernel_name);
	return -EOPNOTSUPP;
}
#endif

int arm64_add_buffer_quiet(struct kexec_buf *kbuf)
{
	struct plan *plan = kbuf->plan;

	/* what kexec_add_buffer() does before its search */
	kbuf->memsz = ALIGN_UP(kbuf->memsz, plan->page_size);
	if (kbuf->buf_align < plan->page_size)
		kbuf->buf_align = plan->page_size;
	if (plan->nr_segments < KEXEC_SEGMENT_MAX && kexec_locate_mem_hole(kbuf))
		return -EADDRNOTAVAIL;
	return kexec_add_buffer(kbuf);
}

int load_other_segments(struct plan *plan, const struct kexec_inputs *in,
			uint64_t kernel_load_addr, uint64_t kernel_size, uint64_t *dtb_mem,
			const char **failed)
{
	struct kexec_buf kbuf = { .plan = plan };
	unsigned int orig_segments = plan->nr_segments;
	uint64_t initrd_load_addr = 0;
	int ret;

	/* nothing below the kernel */
	kbuf.buf_min = kernel_load_addr + kernel_size;

	if (plan->crash) {
		ret = load_elf_headers(plan, &kbuf);
		if (ret)
			goto out_err;
	}

	if (in->initrd_name) {
		kbuf.buffer = in->initrd;
		kbuf.bufsz = in->initrd_len;
		kbuf.mem = KEXEC_BUF_MEM_UNKNOWN;
		kbuf.memsz = in->initrd_len;
		kbuf.buf_align = 0;
		/* within the 1 GiB-aligned window of up to 32 GiB */
		kbuf.buf_max = (kernel_load_addr & ~(SZ_1G - 1)) + SZ_1G * 32;
		kbuf.top_down = false;
		kbuf.what = "initrd";
		ret = arm64_add_buffer_quiet(&kbuf);
		if (ret)
			goto out_err;
		initrd_load_addr = kbuf.mem;
		kx_debug("Loaded initrd at 0x%" PRIx64 " bufsz=0x%zx memsz=0x%" PRIx64,
			 initrd_load_addr, kbuf.bufsz, kbuf.memsz);
	}

	ret = load_dtb(plan, in, &kbuf, initrd_load_addr, dtb_mem);
	if (ret)
		goto out_err;
	return 0;

out_err:
	if (ret == -EADDRNOTAVAIL)
		*failed = kbuf.what;
	plan->nr_segments = orig_segments;
	return ret;
}

int arm64_load_purgatory(struct plan *plan, const struct kexec_inputs *in,
			 uint64_t kernel_entry, uint64_t kernel_end, uint64_t dtb_mem)
{
	struct kexec_buf kbuf = { .plan = plan, .what = "purgatory" };
	uint8_t val[8];
	int ret;

	if (!in->pi) {
		kx_debug("no arm64 purgatory: the plan is the kernel's alone (entry: the kernel)");
		return 0;
	}
	/* after every segment of the kernel's plan, so those keep the kernel's addresses */
	kbuf.mem = KEXEC_BUF_MEM_UNKNOWN;
	kbuf.buf_min = kernel_end;
	kbuf.buf_max = UINT64_MAX;
	kbuf.top_down = false;
	ret = kexec_load_purgatory(plan, in->pi, &kbuf);
	if (ret)
		return ret;
	elf_put64(plan->arch->ei_data, val, kernel_entry);
	ret = kexec_purgatory_get_set_symbol(in->pi, "arm64_kernel_entry", val, sizeof(val), false);
	if (ret)
		return ret;
	elf_put64(plan->arch->ei_data, val, dtb_mem);
	return kexec_purgatory_get_set_symbol(in->pi, "arm64_dtb_addr", val, sizeof(val), false);
}
