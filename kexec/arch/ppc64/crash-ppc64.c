// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ppc64 crash loads (-p) of kexec_file, as arch/powerpc/kexec/file_load_64.c
 * and file_load.c (Linux 6.1) make them: the crash region from the device
 * tree (/chosen/linux,crashkernel-base and -size: /proc/iomem has no
 * "Crash kernel" line on ppc64), the backup segment for the first 64 KiB,
 * the ELF core headers of memblock.memory minus the crash region,
 * "elfcorehdr=" before the command line, and the kdump kernel's device tree
 * restricted to the usable memory (linux,usable-memory of every memory node,
 * linux,drconf-usable-memory of the dynamic-reconfiguration LMBs).
 */
#include <elf.h>
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libfdt.h>
#include "byteorder.h"
#include "crashdump.h"
#include "log.h"
#include "plan.h"
#include "ppc64.h"
#include "sysview.h"

#define BACKUP_SRC_START	0
#define BACKUP_SRC_END		0xffff
#define BACKUP_SRC_SIZE		(BACKUP_SRC_END - BACKUP_SRC_START + 1)
#define PPC64_PAGE_OFFSET	0xc000000000000000ULL	/* __va(0) */
#define COMMAND_LINE_SIZE	2048

/* crashk_res, as prom.c exports it: -ENOENT (no message) without one. */
int ppc64_crash_region(const struct plan *plan, struct kexec_mem_range *crashk)
{
	uint64_t base, size;

	if (of_property_read_be(plan->sv, LIVE_DT "/chosen/linux,crashkernel-base", 8, &base) ||
	    of_property_read_be(plan->sv, LIVE_DT "/chosen/linux,crashkernel-size", 8, &size) ||
	    !size || base + size < base)
		return -ENOENT;
	crashk->start = base;
	crashk->end = base + size - 1;
	return 0;
}

/* The crash_mem of the generic code from a ppc64 range list, with room for one split. */
static struct crash_mem *to_crash_mem(const struct ppc64_mem_ranges *r)
{
	struct crash_mem *cmem = crash_mem_alloc(r->nr_ranges + 1);
	unsigned int i;

	for (i = 0; cmem && i < r->nr_ranges; i++)
		crash_mem_add(cmem, r->ranges[i].start, r->ranges[i].end);
	return cmem;
}

/*
 * get_crash_memory_ranges(): memblock.memory (the first 64 KiB on its own),
 * minus the crash region, plus RTAS/OPAL, unmerged.
 */
static int get_crash_memory_ranges(const struct plan *plan, const struct ppc64_state *st,
				   struct ppc64_mem_ranges *r)
{
	struct crash_mem *cmem;
	unsigned int i;
	int ret = 0;

	r->nr_ranges = 0;
	for (i = 0; i < st->memblock.nr_ranges && !ret; i++) {
		uint64_t base = st->memblock.ranges[i].start;
		uint64_t size = st->memblock.ranges[i].end - base + 1;

		/* the backup region gets a program header of its own */
		if (base == BACKUP_SRC_START) {
			if (size <= BACKUP_SRC_SIZE)
				continue;
			base = BACKUP_SRC_END + 1;
			size -= BACKUP_SRC_SIZE;
		}
		ret = add_mem_range(r, base, size);
	}
	if (ret)
		return ret;

	cmem = to_crash_mem(r);
	if (!cmem)
		return -ENOMEM;
	ret = crash_exclude_mem_range(cmem, st->crashk.start, st->crashk.end);
	if (ret) {
		kx_error("crash load: no room to exclude the crash region from %u memory ranges",
			 r->nr_ranges);
		goto out_free_cmem;
	}
	if (cmem->nr_ranges > PPC64_MAX_RANGES) {
		kx_error("ppc64: more than %d memory ranges", PPC64_MAX_RANGES);
		ret = -ENOMEM;
		goto out_free_cmem;
	}
	/* the kernel goes on with the crash_mem as it is, unmerged */
	r->nr_ranges = cmem->nr_ranges;
	for (i = 0; i < cmem->nr_ranges; i++) {
		r->ranges[i].start = cmem->ranges[i].start;
		r->ranges[i].end = cmem->ranges[i].end;
	}
	/* as kexec-tools: RTAS and OPAL are exported, not backed up */
	if (!ret)
		ret = add_rtas_mem_range(plan->sv, r);
	if (!ret)
		ret = add_opal_mem_range(plan->sv, r);
	if (!ret)
		ret = add_mem_range(r, BACKUP_SRC_START, BACKUP_SRC_SIZE);
	if (!ret)
		sort_memory_ranges(r, false);
out_free_cmem:
	crash_mem_free(cmem);
	return ret;
}

/* The backup and elfcorehdr segments: bottom-up, with the alignment the kernel's left. */
static int add_crash_buffer(struct kexec_buf *kbuf, const void *buffer, size_t size,
			    const char *what)
{
	kbuf->buffer = buffer;
	kbuf->mem = KEXEC_BUF_MEM_UNKNOWN;
	kbuf->bufsz = kbuf->memsz = size;
	kbuf->top_down = false;
	kbuf->what = what;
	return kexec_add_buffer(kbuf);
}

/* load_backup_segment(): the purgatory copies the first 64 KiB there after a crash. */
static int load_backup_segment(struct plan *plan, struct ppc64_state *st, struct kexec_buf *kbuf)
{
	void *buf = plan_alloc(plan, BACKUP_SRC_SIZE, "backup region");
	int ret;

	if (!buf)
		return -ENOMEM;
	memset(buf, 0, BACKUP_SRC_SIZE);
	ret = add_crash_buffer(kbuf, buf, BACKUP_SRC_SIZE, "backup region");
	if (ret)
		return ret;
	st->backup_start = kbuf->mem;
	return 0;
}

/* update_backup_region_phdr(): the backup region's p_offset is where it was copied to. */
static void update_backup_region_phdr(const struct ppc64_state *st, uint8_t *ehdr)
{
	uint16_t phnum = get_le16(ehdr + offsetof(Elf64_Ehdr, e_phnum));
	uint8_t *phdr = ehdr + sizeof(Elf64_Ehdr);
	unsigned int i;

	for (i = 0; i < phnum; i++, phdr += sizeof(Elf64_Phdr)) {
		if (get_le64(phdr + offsetof(Elf64_Phdr, p_paddr)) == BACKUP_SRC_START) {
			put_le64(phdr + offsetof(Elf64_Phdr, p_offset), st->backup_start);
			kx_debug("Backup region offset updated to 0x%" PRIx64, st->backup_start);
			return;
		}
	}
}

static int load_elfcorehdr_segment(struct plan *plan, struct ppc64_state *st,
				   struct kexec_buf *kbuf)
{
	struct ppc64_mem_ranges *r;
	struct crash_mem *cmem = NULL;
	struct crash_sysinfo ci;
	uint8_t *headers;
	size_t headers_sz;
	int ret;

	r = plan_alloc(plan, sizeof(*r), "crash memory ranges");
	if (!r)
		return -ENOMEM;
	ret = get_crash_memory_ranges(plan, st, r);
	if (ret)
		return ret;
	cmem = to_crash_mem(r);
	if (!cmem)
		return -ENOMEM;
	ret = crash_read_notes(plan->sv, &ci);
	if (ret)
		goto out_free_cmem;
	ci.page_offset = PPC64_PAGE_OFFSET;
	ret = crash_prepare_elf64_headers(plan->arch, &ci, cmem, 0, &headers, &headers_sz);
	crash_sysinfo_release(&ci);
	if (ret)
		goto out_free_cmem;
	update_backup_region_phdr(st, headers);
	ret = plan_adopt(plan, headers);
	if (ret)
		goto out_free_cmem;
	ret = add_crash_buffer(kbuf, headers, headers_sz, "elfcorehdr");
	if (ret)
		goto out_free_cmem;
	plan->elf_load_addr = kbuf->mem;
	plan->elf_headers_sz = headers_sz;
out_free_cmem:
	crash_mem_free(cmem);
	return ret;
}

int load_crashdump_segments_ppc64(struct plan *plan, struct kexec_buf *kbuf)
{
	struct ppc64_state *st = plan->arch_data;
	int ret;

	ret = load_backup_segment(plan, st, kbuf);
	if (ret)
		return ret;
	kx_debug("Loaded the backup region at 0x%" PRIx64, kbuf->mem);
	ret = load_elfcorehdr_segment(plan, st, kbuf);
	if (ret)
		return ret;
	kx_debug("Loaded elf core header at 0x%" PRIx64 ", bufsz=0x%zx memsz=0x%" PRIx64,
		 plan->elf_load_addr, kbuf->bufsz, kbuf->memsz);
	return 0;
}

/* setup_kdump_cmdline(): "elfcorehdr=<addr> " before the command line. */
char *setup_kdump_cmdline(struct plan *plan, const char *cmdline, size_t cmdline_len)
{
	char *line = plan_alloc(plan, COMMAND_LINE_SIZE, "kdump command line");
	int n;

	if (!line)
		return NULL;
	memset(line, 0, COMMAND_LINE_SIZE);
	n = snprintf(line, COMMAND_LINE_SIZE, "elfcorehdr=0x%" PRIx64 " ", plan->elf_load_addr);
	if (n + cmdline_len > COMMAND_LINE_SIZE) {
		kx_error("crash load: elfcorehdr= and the command line exceed %d bytes",
			 COMMAND_LINE_SIZE);
		return NULL;
	}
	memcpy(line + n, cmdline, cmdline_len);
	line[COMMAND_LINE_SIZE - 1] = '\0';
	return line;
}

/*
 * kexec_extra_fdt_size_ppc64(): room for the usable-memory properties. 6.1
 * divides by the LMB size: crash loads fail without dynamic-reconfiguration
 * memory, as there.
 */
int kexec_extra_fdt_size_ppc64(const struct plan *plan, const void *src, size_t *extra)
{
	const struct ppc64_state *st = plan->arch_data;
	uint64_t lmb = drmem_lmb_size(plan->sv, fdt_size_cells(src, 0));
	uint64_t end = st->memblock.ranges[st->memblock.nr_ranges - 1].end + 1;

	*extra = 0;
	if (!plan->crash)
		return 0;
	if (!lmb) {
		kx_error("%s" DRCONF_DT "/ibm,lmb-size: missing: 6.1's ppc64 crash loads need dynamic-reconfiguration memory",
			 plan->sv->root);
		return -EINVAL;
	}
	*extra = (end / lmb + 2 * ((st->crashk.end - st->crashk.start + 1) / lmb)) * sizeof(uint64_t);
	return 0;
}

/* get_usable_memory_ranges(): what the kdump kernel may use. */
static int get_usable_memory_ranges(const struct plan *plan, const struct ppc64_state *st,
				    struct ppc64_mem_ranges *r)
{
	int ret;

	r->nr_ranges = 0;
	/* [0, crashk_res.end]: guests fail early without the first memory block */
	ret = add_mem_range(r, 0, st->crashk.end + 1);
	if (!ret)
		ret = add_rtas_mem_range(plan->sv, r);
	if (!ret)
		ret = add_opal_mem_range(plan->sv, r);
	if (!ret)
		ret = add_tce_mem_ranges(plan->sv, r);
	return ret;
}

/* struct umem_info: the property being built, big-endian u64s. */
struct umem_info {
	uint64_t *buf;
	size_t idx, max_entries;
	const struct ppc64_mem_ranges *usable;
	uint64_t lmb_size;
};

/* The kernel grows its buffer by a fixed chunk; doubling builds the same bytes in linear time. */
static int check_realloc_usable_mem(struct umem_info *um, size_t cnt)
{
	size_t max = um->max_entries ? 2 * um->max_entries : 256;
	uint64_t *n;

	if (um->idx + cnt <= um->max_entries)
		return 0;
	n = realloc(um->buf, max * sizeof(*n));
	if (!n) {
		kx_error("out of memory for the usable-memory properties");
		return -ENOMEM;
	}
	um->buf = n;
	um->max_entries = max;
	return 0;
}

/* add_usable_mem(): the usable ranges within [base, end], as (base, size) pairs. */
static int add_usable_mem(struct umem_info *um, uint64_t base, uint64_t end)
{
	unsigned int i;

	for (i = 0; i < um->usable->nr_ranges; i++) {
		uint64_t loc_base = um->usable->ranges[i].start, loc_end = um->usable->ranges[i].end;

		if (!(loc_base >= base && loc_end <= end) && !(base <= loc_end && end >= loc_base))
			continue;
		if (loc_base < base)
			loc_base = base;
		if (loc_end > end)
			loc_end = end;
		if (check_realloc_usable_mem(um, 2))
			return -ENOMEM;
		put_be64(&um->buf[um->idx++], loc_base);
		put_be64(&um->buf[um->idx++], loc_end - loc_base + 1);
	}
	return 0;
}

/* kdump_setup_usable_lmb(): a count, then the LMB's usable ranges. */
static int kdump_setup_usable_lmb(struct umem_info *um, uint64_t base, uint64_t lmb_size)
{
	size_t tmp_idx = um->idx;
	int ret;

	if (check_realloc_usable_mem(um, 1))
		return -ENOMEM;
	um->idx++;
	ret = add_usable_mem(um, base, base + lmb_size - 1);
	if (!ret)
		put_be64(&um->buf[tmp_idx], (um->idx - tmp_idx - 1) / 2);
	return ret;
}

static int kdump_setup_usable_drmem_lmb(const struct drmem_lmb *lmb, void *arg)
{
	struct umem_info *um = arg;

	return kdump_setup_usable_lmb(um, lmb->base_addr, um->lmb_size);
}

/* walk_drmem_lmbs() with kdump_setup_usable_lmb, from the live tree. */
static int kdump_walk_drmem_lmbs(const struct sysview *sv, int acells, uint64_t lmb_size,
				 struct umem_info *um)
{
	if (sysview_exists(sv, DRCONF_DT "/linux,drconf-usable-memory")) {
		kx_error("%s" DRCONF_DT "/linux,drconf-usable-memory: the running kernel is a kdump kernel: no crash load from it",
			 sv->root);
		return -EINVAL;
	}
	um->lmb_size = lmb_size;
	return walk_drmem_lmbs(sv, acells, lmb_size, kdump_setup_usable_drmem_lmb, um);
}

/* add_usable_mem_property(): linux,usable-memory of one memory node. */
static int add_usable_mem_property(void *fdt, const void *src, int snode, struct umem_info *um)
{
	char path[256];
	int node, parent, acells, scells, len, i, ranges;
	const uint8_t *reg;
	int ret;

	ret = fdt_get_path(src, snode, path, sizeof(path));
	if (ret < 0) {
		kx_error("/sys/firmware/fdt: a memory node's path: %s", fdt_strerror(ret));
		return -EOVERFLOW;
	}
	kx_debug("Memory node path: %s", path);
	node = fdt_path_offset(fdt, path);
	if (node < 0) {
		kx_error("next kernel's device tree: no %s", path);
		return -EINVAL;
	}
	parent = fdt_parent_offset(src, snode);
	acells = fdt_address_cells(src, parent);
	scells = fdt_size_cells(src, parent);
	kx_debug("address cells: %d, size cells: %d", acells, scells);
	um->idx = 0;
	if (check_realloc_usable_mem(um, 2))
		return -ENOMEM;
	reg = fdt_getprop(src, snode, "reg", &len);
	if (!reg || len <= 0)
		return 0;
	if (acells < 1 || acells > 2 || scells < 1 || scells > 2) {
		kx_error("/sys/firmware/fdt: %s: #address-cells %d / #size-cells %d", path, acells,
			 scells);
		return -EINVAL;
	}
	ranges = (len / 4) / (acells + scells);
	for (i = 0; i < ranges; i++) {
		uint64_t base = of_read_cells(&reg, acells);
		uint64_t end = base + of_read_cells(&reg, scells) - 1;

		ret = add_usable_mem(um, base, end);
		if (ret)
			return ret;
	}
	/* no usable memory here: a (0, 0) pair makes the kdump kernel skip it */
	if (!um->idx) {
		um->buf[0] = um->buf[1] = 0;
		um->idx = 2;
	}
	ret = fdt_setprop(fdt, node, "linux,usable-memory", um->buf, um->idx * sizeof(uint64_t));
	return ret < 0 ? -EINVAL : 0;
}

/* update_usable_mem_fdt(): restrict the kdump kernel to the usable memory. */
static int update_usable_mem_fdt(const struct plan *plan, void *fdt, const void *src,
				 const struct ppc64_mem_ranges *usable)
{
	struct umem_info um = { .usable = usable };
	int node, snode, ret = 0;

	node = fdt_path_offset(fdt, "/ibm,dynamic-reconfiguration-memory");
	if (node == -FDT_ERR_NOTFOUND) {
		kx_debug("No dynamic reconfiguration memory found");
	} else if (node < 0) {
		kx_error("next kernel's device tree: /ibm,dynamic-reconfiguration-memory: %s",
			 fdt_strerror(node));
		return -EINVAL;
	}
	if (sysview_exists(plan->sv, DRCONF_DT)) {
		ret = kdump_walk_drmem_lmbs(plan->sv, fdt_address_cells(src, 0),
				      drmem_lmb_size(plan->sv, fdt_size_cells(src, 0)), &um);
		if (ret) {
			kx_error("%s" DRCONF_DT ": cannot set up linux,drconf-usable-memory",
				 plan->sv->root);
			goto out_free_buf;
		}
		ret = fdt_setprop(fdt, node, "linux,drconf-usable-memory", um.buf,
				  um.idx * sizeof(uint64_t));
		if (ret) {
			kx_error("next kernel's device tree: linux,drconf-usable-memory: %s",
				 fdt_strerror(ret));
			ret = -EINVAL;
			goto out_free_buf;
		}
	}
	for (snode = fdt_node_offset_by_prop_value(src, -1, "device_type", "memory", 7); snode >= 0;
	     snode = fdt_node_offset_by_prop_value(src, snode, "device_type", "memory", 7)) {
		ret = add_usable_mem_property(fdt, src, snode, &um);
		if (ret) {
			kx_error("next kernel's device tree: cannot set linux,usable-memory of %s",
				 fdt_get_name(src, snode, NULL));
			break;
		}
	}
out_free_buf:
	free(um.buf);
	return ret;
}

/* setup_new_fdt_ppc64()'s crash part: usable memory, the crashed kernel's memory reserved. */
int setup_crash_fdt_ppc64(const struct plan *plan, void *fdt, const void *src)
{
	const struct ppc64_state *st = plan->arch_data;
	struct ppc64_mem_ranges umem;
	int ret;

	ret = get_usable_memory_ranges(plan, st, &umem);
	if (!ret)
		ret = update_usable_mem_fdt(plan, fdt, src, &umem);
	if (ret)
		return ret;
	/* all but the first 64 KiB, which is backed up */
	ret = fdt_add_mem_rsv(fdt, BACKUP_SRC_END + 1, st->crashk.start - BACKUP_SRC_SIZE);
	if (!ret)
		ret = fdt_add_mem_rsv(fdt, st->backup_start, BACKUP_SRC_SIZE);
	if (ret) {
		kx_error("next kernel's device tree: reserving the crashed kernel's memory: %s",
			 fdt_strerror(ret));
		return -EINVAL;
	}
	return 0;
}
