// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * memblock as arm64's kexec_file sees it (kernel/kexec_file.c
 * kexec_walk_memblock(), mm/memblock.c for_each_free_mem_range()): the free
 * ranges are memblock.memory without NOMAP regions, minus memblock.reserved.
 *
 * From userspace: debugfs memblock/memory and memblock/reserved
 * (ARCH_KEEP_MEMBLOCK + DEBUG_FS), each memory region clipped to the "System
 * RAM" resources of /proc/iomem (NOMAP regions are "reserved" there). Without
 * debugfs: System RAM from /proc/iomem, reserved = everything nested in it
 * ("reserved", "Kernel code", "Crash kernel", ...) plus the DTB's
 * /memreserve/ entries and /reserved-memory regions.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "arm64.h"
#include "config.h"
#include "log.h"
#include "plan.h"
#include "resource.h"
#include "sysview.h"
#ifdef HAVE_LIBFDT
#include <libfdt.h>
#endif

#define MEMBLOCK_DEBUGFS "/sys/kernel/debug/memblock"

struct range_list {
	struct kexec_mem_range *r;
	size_t nr, cap;
};

static int range_list_add(struct range_list *l, uint64_t start, uint64_t end)
{
	if (l->nr == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 16;
		struct kexec_mem_range *r = realloc(l->r, cap * sizeof(*r));

		if (!r) {
			kx_error("memblock: out of memory");
			return -ENOMEM;
		}
		l->r = r;
		l->cap = cap;
	}
	l->r[l->nr].start = start;
	l->r[l->nr].end = end;
	l->nr++;
	return 0;
}

static int cmp_range(const void *a, const void *b)
{
	const struct kexec_mem_range *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/* Sort and merge overlapping or touching ranges (memblock_merge_regions()). */
static void range_list_normalize(struct range_list *l)
{
	size_t i, n = 0;

	if (!l->nr)
		return;
	qsort(l->r, l->nr, sizeof(*l->r), cmp_range);
	for (i = 1; i < l->nr; i++) {
		if (l->r[i].start <= l->r[n].end + 1 && l->r[n].end != UINT64_MAX) {
			if (l->r[i].end > l->r[n].end)
				l->r[n].end = l->r[i].end;
		} else {
			l->r[++n] = l->r[i];
		}
	}
	l->nr = n + 1;
}

int memblock_parse_debugfs(const char *text, struct kexec_mem_range **out, size_t *nr)
{
	struct range_list l = { 0 };
	const char *p = text;

	while (*p) {
		unsigned long long start, end;
		int idx, n = 0;

		if (sscanf(p, " %d: %llx..%llx%n", &idx, &start, &end, &n) != 3 || !n || end < start)
			goto bad_line;
		p += n;
		/*
		 * 6.12's memblock_debug_show() goes on with the region's node
		 * ("x" for none) and flag name ("NONE", "NOMAP", ...); NOMAP
		 * memory is left out by the clip to System RAM, as before.
		 */
		if (*p == ' ') {
			char node[12], flag[24];
			int m = 0;

			if (sscanf(p, " %11[0-9x] %23[A-Z_]%n", node, flag, &m) != 2 || !m)
				goto bad_line;
			p += m;
		}
		if (*p && *p != '\n')
			goto bad_line;
		if (range_list_add(&l, start, end)) {
			free(l.r);
			return -ENOMEM;
		}
		while (*p == '\n' || *p == ' ')
			p++;
	}
	*out = l.r;
	*nr = l.nr;
	return 0;

bad_line:
	free(l.r);
	return -EINVAL;
}

static int read_debugfs(const struct sysview *sv, const char *file, struct range_list *l)
{
	char path[128], full[4200], *text;
	int ret;

	snprintf(path, sizeof(path), MEMBLOCK_DEBUGFS "/%s", file);
	ret = sysview_read_text(sv, path, &text);
	if (ret == -ENOENT || ret == -EACCES || ret == -EPERM)
		return -ENOENT;	/* no debugfs here: the caller falls back to iomem + DTB */
	if (ret) {
		sysview_path(sv, path, full, sizeof(full));
		kx_error("%s: %s", full, sysview_strerror(ret));
		return ret;
	}
	ret = memblock_parse_debugfs(text, &l->r, &l->nr);
	free(text);
	if (ret) {
		sysview_path(sv, path, full, sizeof(full));
		kx_error("%s: not a memblock region list", full);
	}
	l->cap = l->nr;
	return ret;
}

struct clip_ctx {
	const struct kexec_mem_range *region;
	struct range_list *out;
};

static int clip_to_ram(const struct iomem_res *res, void *arg)
{
	struct clip_ctx *c = arg;
	uint64_t s = res->start > c->region->start ? res->start : c->region->start;
	uint64_t e = res->end < c->region->end ? res->end : c->region->end;

	return s <= e ? range_list_add(c->out, s, e) : 0;
}

/* memblock.memory without what /proc/iomem does not call System RAM (NOMAP). */
static int clip_memory(const struct sysview *sv, struct range_list *mem)
{
	struct range_list out = { 0 };
	size_t i;
	int ret;

	if (!sysview_find_res(sv, "System RAM"))
		return 0;
	for (i = 0; i < mem->nr; i++) {
		struct clip_ctx c = { .region = &mem->r[i], .out = &out };

		ret = sysview_walk_system_ram(sv, mem->r[i].start, mem->r[i].end, clip_to_ram, &c);
		if (ret) {
			free(out.r);
			return ret;
		}
	}
	free(mem->r);
	*mem = out;
	return 0;
}

#ifdef HAVE_LIBFDT
/* The DTB's /memreserve/ entries and the regions under /reserved-memory. */
static int add_dtb_reservations(const struct sysview *sv, struct range_list *res)
{
	int i, n, node, parent, ac, sc, len, ret = 0;
	uint8_t *fdt;
	size_t fdt_len;

	if (sysview_read_file(sv, "/sys/firmware/fdt", &fdt, &fdt_len))
		return 0;
	if (fdt_len < sizeof(struct fdt_header) || fdt_check_header(fdt) ||
	    fdt_totalsize(fdt) > fdt_len)
		goto out;
	n = fdt_num_mem_rsv(fdt);
	for (i = 0; i < n && !ret; i++) {
		uint64_t addr, size;

		if (!fdt_get_mem_rsv(fdt, i, &addr, &size) && size)
			ret = range_list_add(res, addr, addr + size - 1);
	}
	parent = fdt_path_offset(fdt, "/reserved-memory");
	if (parent < 0)
		goto out;
	ac = fdt_address_cells(fdt, parent);
	sc = fdt_size_cells(fdt, parent);
	if (ac < 1 || ac > 2 || sc < 1 || sc > 2)
		goto out;
	fdt_for_each_subnode(node, fdt, parent) {
		const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);
		int cells = len / 4, c;

		for (c = 0; reg && c + ac + sc <= cells && !ret; c += ac + sc) {
			uint64_t addr = fdt32_to_cpu(reg[c]), size = fdt32_to_cpu(reg[c + ac]);

			if (ac == 2)
				addr = addr << 32 | fdt32_to_cpu(reg[c + 1]);
			if (sc == 2)
				size = size << 32 | fdt32_to_cpu(reg[c + ac + 1]);
			if (size)
				ret = range_list_add(res, addr, addr + size - 1);
		}
	}
out:
	free(fdt);
	return ret;
}
#else
static int add_dtb_reservations(const struct sysview *sv, struct range_list *res)
{
	(void)sv;
	(void)res;
	return 0;
}
#endif

/* Without debugfs: System RAM, and what is nested in it or the DTB reserves. */
static int read_iomem(const struct sysview *sv, struct range_list *mem, struct range_list *res)
{
	size_t i;
	int ret;

	for (i = 0; i < sv->nr_iomem; i++) {
		const struct iomem_res *r = &sv->iomem[i];

		if (r->depth == 0 && !strcmp(r->name, "System RAM"))
			ret = range_list_add(mem, r->start, r->end);
		else if (r->depth > 0)
			ret = range_list_add(res, r->start, r->end);
		else
			ret = 0;
		if (ret)
			return ret;
	}
	return add_dtb_reservations(sv, res);
}

int memblock_read(const struct sysview *sv, struct memblock_view *mb)
{
	struct range_list mem = { 0 }, res = { 0 };
	int ret;

	memset(mb, 0, sizeof(*mb));
	ret = read_debugfs(sv, "memory", &mem);
	if (!ret)
		ret = read_debugfs(sv, "reserved", &res);
	if (ret && ret != -ENOENT)
		goto out_free;
	if (!ret) {
		mb->source = "debugfs memblock/memory and memblock/reserved";
		ret = clip_memory(sv, &mem);
	} else {
		free(mem.r);
		free(res.r);
		memset(&mem, 0, sizeof(mem));
		memset(&res, 0, sizeof(res));
		mb->source = "/proc/iomem and the DTB's reservations (no debugfs memblock files)";
		ret = read_iomem(sv, &mem, &res);
	}
	if (ret)
		goto out_free;
	range_list_normalize(&res);
	mb->memory = mem.r;
	mb->nr_memory = mem.nr;
	mb->reserved = res.r;
	mb->nr_reserved = res.nr;
	return 0;
out_free:
	free(mem.r);
	free(res.r);
	return ret;
}

void memblock_release(struct memblock_view *mb)
{
	free(mb->memory);
	free(mb->reserved);
	memset(mb, 0, sizeof(*mb));
}

/* The free ranges of one memory region, in the walk's order. */
static int walk_region_free(const struct memblock_view *mb, const struct kexec_mem_range *m,
			    bool rev, kexec_range_cb func, void *arg)
{
	size_t n = mb->nr_reserved, k;
	int ret;

	/* gap k lies between reserved[k-1] and reserved[k] (k = 0..n) */
	for (k = 0; k <= n; k++) {
		size_t g = rev ? n - k : k;
		uint64_t gs = g ? mb->reserved[g - 1].end + 1 : 0;
		uint64_t ge = g < n ? mb->reserved[g].start - 1 : UINT64_MAX;
		struct kexec_mem_range r;

		if (g && mb->reserved[g - 1].end == UINT64_MAX)
			continue;
		if (g < n && mb->reserved[g].start == 0)
			continue;
		r.start = gs > m->start ? gs : m->start;
		r.end = ge < m->end ? ge : m->end;
		if (r.start > r.end)
			continue;
		ret = func(&r, arg);
		if (ret)
			return ret;
	}
	return 0;
}

int memblock_walk_free(const struct memblock_view *mb, bool rev, kexec_range_cb func, void *arg)
{
	size_t i;
	int ret;

	for (i = 0; i < mb->nr_memory; i++) {
		const struct kexec_mem_range *m = &mb->memory[rev ? mb->nr_memory - 1 - i : i];

		ret = walk_region_free(mb, m, rev, func, arg);
		if (ret)
			return ret;
	}
	return 0;
}

static int debug_free_range(const struct kexec_mem_range *r, void *arg)
{
	(void)arg;
	kx_debug("  free %016" PRIx64 "-%016" PRIx64, r->start, r->end);
	return 0;
}

int memblock_prepare(const struct plan *plan)
{
	struct kexec_mem_range crashk;
	struct memblock_view mb;
	int ret;

	/* a crash load's ELF core headers list memblock.memory */
	ret = memblock_read(plan->sv, &mb);
	if (ret)
		return ret;
	kx_debug("memblock: %zu memory, %zu reserved regions, from %s", mb.nr_memory,
		 mb.nr_reserved, mb.source);
	if (plan->crash) {
		if (!resource_crash_region(plan, &crashk))
			kx_debug("crash load: the holes are searched in crashk_res %016" PRIx64
				 "-%016" PRIx64, crashk.start, crashk.end);
	} else if (kx_debug_enabled()) {
		kx_debug("memblock's free ranges:");
		memblock_walk_free(&mb, false, debug_free_range, NULL);
	}
	memblock_release(&mb);
	return 0;
}

int kexec_walk_memblock(struct kexec_buf *kbuf, kexec_range_cb func)
{
	const struct plan *plan = kbuf->plan;
	struct kexec_mem_range crashk;
	struct memblock_view mb;
	int ret;

	if (plan->crash) {
		if (resource_crash_region(plan, &crashk))
			return 0;
		return func(&crashk, kbuf);
	}
	if (memblock_read(plan->sv, &mb))
		return 0;
	ret = memblock_walk_free(&mb, kbuf->top_down, func, kbuf);
	memblock_release(&mb);
	return ret;
}

int arm64_walk_system_ram(const struct plan *plan, bool rev, kexec_range_cb func, void *arg)
{
	struct memblock_view mb;
	size_t i;
	int ret = 0;

	if (memblock_read(plan->sv, &mb))
		return 0;
	for (i = 0; i < mb.nr_memory && !ret; i++)
		ret = func(&mb.memory[rev ? mb.nr_memory - 1 - i : i], arg);
	memblock_release(&mb);
	return ret;
}
