// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ppc64's memory view for kexec_file, from the running machine's device
 * tree (ppc64 has no System RAM in /proc/iomem): memblock.memory as the
 * early boot code builds it from the /memory nodes, and the exclude-ranges
 * list of arch/powerpc/kexec/ranges.c and file_load_64.c (6.1) with
 * arch_kexec_locate_mem_hole()'s search around it.
 *
 * Not yet: the memory of ibm,dynamic-reconfiguration-memory LMBs assigned at
 * boot (drconf), mem=, the TCE tables of PCI nodes (powernv), the hash page
 * table (hash MMU only), retain_initrd.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libfdt.h>
#include "arch.h"
#include "log.h"
#include "plan.h"
#include "ppc64.h"
#include "sysview.h"

#define DT_PATH "/sys/firmware/fdt"

static int range_cmp(const void *a, const void *b)
{
	const struct kexec_mem_range *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

static int __add_mem_range(struct ppc64_mem_ranges *r, uint64_t base, uint64_t size)
{
	if (r->nr_ranges == PPC64_MAX_RANGES) {
		kx_error("ppc64: more than %d memory ranges", PPC64_MAX_RANGES);
		return -ENOMEM;
	}
	r->ranges[r->nr_ranges].start = base;
	r->ranges[r->nr_ranges].end = base + size - 1;
	kx_debug("ppc64: added memory range [0x%016" PRIx64 " - 0x%016" PRIx64 "] at index %u",
		 base, base + size - 1, r->nr_ranges);
	r->nr_ranges++;
	return 0;
}

/* ranges.c's add_mem_range(): grows an overlapping range, else appends. */
int add_mem_range(struct ppc64_mem_ranges *r, uint64_t base, uint64_t size)
{
	uint64_t end = base + size - 1;
	unsigned int i;

	if (!size)
		return 0;
	for (i = 0; i < r->nr_ranges; i++) {
		struct kexec_mem_range *m = &r->ranges[i];

		if (base < m->end && end > m->start) {
			if (base < m->start)
				m->start = base;
			if (end > m->end)
				m->end = end;
			return 0;
		}
	}
	return __add_mem_range(r, base, size);
}

static void __merge_memory_ranges(struct ppc64_mem_ranges *r)
{
	unsigned int i, idx = 0;

	if (r->nr_ranges <= 1)
		return;
	for (i = 1; i < r->nr_ranges; i++) {
		if (r->ranges[i].start <= r->ranges[idx].end + 1) {
			if (r->ranges[i].end > r->ranges[idx].end)
				r->ranges[idx].end = r->ranges[i].end;
		} else {
			r->ranges[++idx] = r->ranges[i];
		}
	}
	r->nr_ranges = idx + 1;
}

void sort_memory_ranges(struct ppc64_mem_ranges *r, bool merge)
{
	unsigned int i;

	qsort(r->ranges, r->nr_ranges, sizeof(r->ranges[0]), range_cmp);
	if (merge)
		__merge_memory_ranges(r);
	kx_debug("ppc64: memory ranges:");
	for (i = 0; i < r->nr_ranges; i++)
		kx_debug("\t[%03u][0x%016" PRIx64 " - 0x%016" PRIx64 "]", i, r->ranges[i].start,
			 r->ranges[i].end);
}

int of_property_read_be(const struct sysview *sv, const char *path, size_t len, uint64_t *val)
{
	uint8_t *buf;
	size_t n, i;
	int ret;

	ret = sysview_read_file(sv, path, &buf, &n);
	if (ret)
		return ret;
	if (n != len) {
		free(buf);
		return -EINVAL;
	}
	*val = 0;
	for (i = 0; i < n; i++)
		*val = *val << 8 | buf[i];
	free(buf);
	return 0;
}

int ppc64_read_fdt(const struct sysview *sv, uint8_t **fdt, size_t *len)
{
	int ret = sysview_read_file(sv, DT_PATH, fdt, len);

	if (ret) {
		kx_error("%s%s: cannot read the running machine's device tree: %s", sv->root, DT_PATH,
			 sysview_strerror(ret));
		return ret;
	}
	if (*len < sizeof(struct fdt_header) || fdt_check_header(*fdt) ||
	    fdt_totalsize(*fdt) > *len) {
		kx_error("%s%s: not a whole flattened device tree", sv->root, DT_PATH);
		free(*fdt);
		*fdt = NULL;
		return -EINVAL;
	}
	return 0;
}

/* memblock.memory: the reg ranges of the /memory nodes, sorted and merged. */
int ppc64_memblock_init(const struct sysview *sv, struct ppc64_mem_ranges *mem)
{
	int node, acells, scells, len, ret;
	const fdt32_t *reg;
	uint8_t *fdt;
	size_t fdt_len;

	ret = ppc64_read_fdt(sv, &fdt, &fdt_len);
	if (ret)
		return ret;
	acells = fdt_address_cells(fdt, 0);
	scells = fdt_size_cells(fdt, 0);
	if (acells < 1 || acells > 2 || scells < 0 || scells > 2) {
		kx_error("%s%s: #address-cells %d / #size-cells %d of / are not usable", sv->root,
			 DT_PATH, acells, scells);
		ret = -EINVAL;
		goto out_free_fdt;
	}
	mem->nr_ranges = 0;
	fdt_for_each_subnode(node, fdt, 0) {
		const char *type = fdt_getprop(fdt, node, "device_type", NULL);
		int i, cells = acells + scells;

		if (!type || strcmp(type, "memory"))
			continue;
		reg = fdt_getprop(fdt, node, "linux,usable-memory", &len);
		if (!reg || !len)
			reg = fdt_getprop(fdt, node, "reg", &len);
		if (!reg)
			continue;
		for (i = 0; i + cells <= len / 4; i += cells) {
			uint64_t base = 0, size = 0;
			int c;

			for (c = 0; c < acells; c++)
				base = base << 32 | fdt32_to_cpu(reg[i + c]);
			for (c = 0; c < scells; c++)
				size = size << 32 | fdt32_to_cpu(reg[i + acells + c]);
			if (size) {
				ret = __add_mem_range(mem, base, size);
				if (ret)
					goto out_free_fdt;
			}
		}
	}
	sort_memory_ranges(mem, true);
	if (!mem->nr_ranges) {
		kx_error("%s%s: no memory node", sv->root, DT_PATH);
		ret = -ENOENT;
	}
out_free_fdt:
	free(fdt);
	return ret;
}

static int add_kernel_mem_range(const struct sysview *sv, struct ppc64_mem_ranges *r)
{
	uint64_t end;
	int ret;

	ret = of_property_read_be(sv, LIVE_DT "/chosen/linux,kernel-end", 8, &end);
	if (ret) {
		kx_error("%s" LIVE_DT "/chosen/linux,kernel-end: cannot read the running kernel's end",
			 sv->root);
		return ret;
	}
	return add_mem_range(r, 0, end);
}

/*
 * The firmware region a live device-tree node describes by a base and a size
 * property of the same width; nothing when the node or either property is absent.
 */
static int add_node_mem_range(const struct sysview *sv, struct ppc64_mem_ranges *r,
			      const char *node, const char *base_prop, const char *size_prop,
			      size_t width)
{
	char path[256];
	uint64_t base, size;

	if (!sysview_exists(sv, node))
		return 0;
	snprintf(path, sizeof(path), "%s/%s", node, base_prop);
	if (of_property_read_be(sv, path, width, &base))
		return 0;
	snprintf(path, sizeof(path), "%s/%s", node, size_prop);
	if (of_property_read_be(sv, path, width, &size))
		return 0;
	return add_mem_range(r, base, size);
}

int add_rtas_mem_range(const struct sysview *sv, struct ppc64_mem_ranges *r)
{
	return add_node_mem_range(sv, r, LIVE_DT "/rtas", "linux,rtas-base", "rtas-size", 4);
}

int add_opal_mem_range(const struct sysview *sv, struct ppc64_mem_ranges *r)
{
	return add_node_mem_range(sv, r, LIVE_DT "/ibm,opal", "opal-base-address",
				  "opal-runtime-size", 8);
}

/* get_exclude_memory_ranges() (6.1), of the parts a pseries guest has. */
int get_exclude_memory_ranges(const struct sysview *sv, struct ppc64_mem_ranges *r)
{
	int ret;

	r->nr_ranges = 0;
	ret = add_kernel_mem_range(sv, r);
	if (!ret)
		ret = add_rtas_mem_range(sv, r);
	if (!ret)
		ret = add_opal_mem_range(sv, r);
	if (ret)
		return ret;
	sort_memory_ranges(r, true);
	return 0;
}

/* get_reserved_memory_ranges(): what setup_new_fdt_ppc64 adds to /memreserve/. */
int get_reserved_memory_ranges(const struct sysview *sv, struct ppc64_mem_ranges *r)
{
	r->nr_ranges = 0;
	return add_rtas_mem_range(sv, r);
}

static int __locate_mem_hole_top_down(const struct ppc64_mem_ranges *mem, struct kexec_buf *kbuf,
				      uint64_t buf_min, uint64_t buf_max)
{
	int i;

	for (i = (int)mem->nr_ranges - 1; i >= 0; i--) {
		uint64_t start = mem->ranges[i].start, end = mem->ranges[i].end;

		if (start > buf_max)
			continue;
		if (end < buf_min)
			break;
		if (start < buf_min)
			start = buf_min;
		if (end > buf_max)
			end = buf_max;
		start = ALIGN_UP(start, kbuf->buf_align);
		if (start < end && end - start + 1 >= kbuf->memsz) {
			kbuf->mem = (end - kbuf->memsz + 1) & ~(kbuf->buf_align - 1);
			return 0;
		}
	}
	return -EADDRNOTAVAIL;
}

static int __locate_mem_hole_bottom_up(const struct ppc64_mem_ranges *mem, struct kexec_buf *kbuf,
				       uint64_t buf_min, uint64_t buf_max)
{
	unsigned int i;

	for (i = 0; i < mem->nr_ranges; i++) {
		uint64_t start = mem->ranges[i].start, end = mem->ranges[i].end;

		if (end < buf_min)
			continue;
		if (start > buf_max)
			break;
		if (start < buf_min)
			start = buf_min;
		if (end > buf_max)
			end = buf_max;
		start = ALIGN_UP(start, kbuf->buf_align);
		if (start < end && end - start + 1 >= kbuf->memsz) {
			kbuf->mem = start;
			return 0;
		}
	}
	return -EADDRNOTAVAIL;
}

static int locate_mem_hole_top_down_ppc64(const struct ppc64_state *st, struct kexec_buf *kbuf,
					  uint64_t buf_min, uint64_t buf_max)
{
	const struct ppc64_mem_ranges *emem = &st->exclude;
	uint64_t tmin, tmax = buf_max;
	int i, ret = 0;

	for (i = (int)emem->nr_ranges - 1; i >= 0; i--) {
		uint64_t start = emem->ranges[i].start, end = emem->ranges[i].end;

		if (start > tmax)
			continue;
		if (end < tmax) {
			tmin = end < buf_min ? buf_min : end + 1;
			ret = __locate_mem_hole_top_down(&st->memblock, kbuf, tmin, tmax);
			if (!ret)
				return 0;
		}
		tmax = start - 1;
		if (tmax < buf_min) {
			ret = -EADDRNOTAVAIL;
			break;
		}
		ret = 0;
	}
	if (!ret)
		ret = __locate_mem_hole_top_down(&st->memblock, kbuf, buf_min, tmax);
	return ret;
}

static int locate_mem_hole_bottom_up_ppc64(const struct ppc64_state *st, struct kexec_buf *kbuf,
					   uint64_t buf_min, uint64_t buf_max)
{
	const struct ppc64_mem_ranges *emem = &st->exclude;
	uint64_t tmin = buf_min, tmax;
	unsigned int i;
	int ret = 0;

	for (i = 0; i < emem->nr_ranges; i++) {
		uint64_t start = emem->ranges[i].start, end = emem->ranges[i].end;

		if (end < tmin)
			continue;
		if (start > tmin) {
			tmax = start > buf_max ? buf_max : start - 1;
			ret = __locate_mem_hole_bottom_up(&st->memblock, kbuf, tmin, tmax);
			if (!ret)
				return 0;
		}
		tmin = end + 1;
		if (tmin > buf_max) {
			ret = -EADDRNOTAVAIL;
			break;
		}
		ret = 0;
	}
	if (!ret)
		ret = __locate_mem_hole_bottom_up(&st->memblock, kbuf, tmin, buf_max);
	return ret;
}

/* arch_kexec_locate_mem_hole() (file_load_64.c, 6.1). */
int arch_kexec_locate_mem_hole_ppc64(struct kexec_buf *kbuf)
{
	struct ppc64_state *st = kbuf->plan->arch_data;
	uint64_t buf_min = kbuf->buf_min, buf_max = kbuf->buf_max;
	int ret;

	/* no ppc64 loader presets mem; the relocation oracle's placements do */
	if (kbuf->mem != KEXEC_BUF_MEM_UNKNOWN)
		return 0;
	if (!st || !st->exclude.nr_ranges) {
		kx_error("ppc64: no exclude-ranges list (the loader did not set it up)");
		return -EINVAL;
	}
	if (kbuf->plan->crash) {
		if (buf_min < st->crashk.start)
			buf_min = st->crashk.start;
		if (buf_max > st->crashk.end)
			buf_max = st->crashk.end;
	}
	if (buf_min > buf_max) {
		kx_error("ppc64: invalid buffer min and/or max values");
		return -EINVAL;
	}
	if (kbuf->top_down)
		ret = locate_mem_hole_top_down_ppc64(st, kbuf, buf_min, buf_max);
	else
		ret = locate_mem_hole_bottom_up_ppc64(st, kbuf, buf_min, buf_max);
	if (ret)
		return ret;
	ret = add_mem_range(&st->exclude, kbuf->mem, kbuf->memsz);
	sort_memory_ranges(&st->exclude, true);
	return ret;
}

/* The memory view of the plan checks: memblock.memory. */
int ppc64_walk_system_ram(const struct plan *plan, bool rev, kexec_range_cb func, void *arg)
{
	struct ppc64_mem_ranges mem;
	unsigned int i;
	int ret;

	ret = ppc64_memblock_init(plan->sv, &mem);
	if (ret)
		return ret;
	for (i = 0; i < mem.nr_ranges; i++) {
		ret = func(&mem.ranges[rev ? mem.nr_ranges - 1 - i : i], arg);
		if (ret)
			return ret;
	}
	return 0;
}
