// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ppc64's memory view for kexec_file, from the running machine's device
 * tree (ppc64 has no System RAM in /proc/iomem): memblock.memory as the
 * early boot code builds it from the /memory nodes, and the exclude-ranges
 * list of arch/powerpc/kexec/ranges.c and file_load_64.c (6.1) with
 * arch_kexec_locate_mem_hole()'s search around it.
 *
 * memblock.memory: the /memory nodes of the boot blob and the LMBs of
 * ibm,dynamic-reconfiguration-memory assigned to the partition (live tree:
 * hotplug keeps both it and memblock current), cut at mem= (the
 * linux,memory-limit the kernel exports). The exclude ranges: the kernel's
 * text, RTAS, OPAL, the TCE tables of PCI nodes, the hash MMU's HPT
 * (linux,htab-base, exported only where the kernel owns it), a retained
 * initrd and the firmware's /reserved-ranges. 6.1 does not exclude the FDT's
 * /memreserve/ entries or /reserved-memory: the walk is over memblock.memory,
 * not its free ranges.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libfdt.h>
#include "arch.h"
#include "byteorder.h"
#include "log.h"
#include "plan.h"
#include "ppc64.h"
#include "sysview.h"

#define DT_PATH "/sys/firmware/fdt"
#define DRCONF_MEM_ASSIGNED	0x00000008
#define DRCONF_MEM_RESERVED	0x00000080
#define DRCONF_MEM_HOTREMOVABLE	0x00000100
#define IOMMU_OFF_LIMIT		0x80000000ULL	/* memory above 2 GiB goes with iommu=off */

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

/*
 * of_property_read_u32()/of_property_read_u64(): the first 4 or 8 bytes of a
 * property of at least that size. -EINVAL when it is absent, -EOVERFLOW when
 * shorter, as the kernel's.
 */
static int of_property_read_min(const struct sysview *sv, const char *path, size_t size,
				uint64_t *val)
{
	uint8_t *buf;
	size_t n, i;
	int ret;

	ret = sysview_read_file(sv, path, &buf, &n);
	if (ret == -ENOENT)
		return -EINVAL;
	if (ret)
		return ret;
	if (n < size) {
		free(buf);
		return -EOVERFLOW;
	}
	*val = 0;
	for (i = 0; i < size; i++)
		*val = *val << 8 | buf[i];
	free(buf);
	return 0;
}

int of_property_read_u32(const struct sysview *sv, const char *path, uint64_t *val)
{
	return of_property_read_min(sv, path, 4, val);
}

int of_property_read_u64(const struct sysview *sv, const char *path, uint64_t *val)
{
	return of_property_read_min(sv, path, 8, val);
}

/* A property the kernel would fail the load on: one line naming it. */
static int of_property_refused(const struct sysview *sv, const char *path, int ret)
{
	kx_error("%s%s: %s", sv->root, path,
		 ret == -EOVERFLOW ? "shorter than the kernel reads it: the kernel fails the load" :
		 sysview_strerror(ret));
	return ret;
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

uint64_t of_read_cells(const uint8_t **p, int cells)
{
	uint64_t v = 0;

	while (cells-- > 0) {
		v = v << 32 | get_be32(*p);
		*p += 4;
	}
	return v;
}

uint64_t drmem_lmb_size(const struct sysview *sv, int size_cells)
{
	uint64_t size;

	if (of_property_read_be(sv, DRCONF_DT "/ibm,lmb-size", 4 * size_cells, &size))
		return 0;
	return size;
}

/*
 * A v2 set is a count: a hostile tree could ask for 2^32 LMBs per set. 2^22
 * LMBs are 64 TiB at the smallest (16 MiB, one memory section) LMB, the
 * largest POWER server's memory; v1 lists each LMB and is bounded by its size.
 */
#define DRMEM_MAX_LMBS (1u << 22)

int walk_drmem_lmbs(const struct sysview *sv, int acells, uint64_t lmb_size, drmem_lmb_cb func,
		    void *arg)
{
	const uint8_t *p, *end;
	struct drmem_lmb lmb;
	uint32_t n, i, j;
	uint64_t total = 0;
	uint8_t *prop;
	bool v2 = false;
	size_t len;
	int ret = 0;

	if (sysview_read_file(sv, DRCONF_DT "/ibm,dynamic-memory", &prop, &len)) {
		if (sysview_read_file(sv, DRCONF_DT "/ibm,dynamic-memory-v2", &prop, &len))
			return -ENODEV;
		v2 = true;
	}
	end = prop + len;
	p = prop;
	if (len < 4)
		goto bad;
	n = get_be32(p);
	p += 4;
	for (i = 0; i < n; i++) {
		/* v1: base, drc index, reserved, aa index, flags; v2: count, base, drc, aa, flags */
		size_t cell = 4 * (acells + 4);
		uint32_t seq = 1;

		if ((size_t)(end - p) < cell)
			goto bad;
		if (v2) {
			seq = get_be32(p);
			p += 4;
		}
		lmb.base_addr = of_read_cells(&p, acells);
		lmb.drc_index = get_be32(p);
		p += v2 ? 4 : 8;	/* v1 has a reserved cell after it */
		lmb.aa_index = get_be32(p);
		lmb.flags = get_be32(p + 4);
		p += 8;
		total += seq;
		if (total > DRMEM_MAX_LMBS) {
			kx_error("%s" DRCONF_DT "/ibm,dynamic-memory-v2: more than %u LMBs: no machine's tree holds so many",
				 sv->root, DRMEM_MAX_LMBS);
			free(prop);
			return -EINVAL;
		}
		for (j = 0; j < seq; j++, lmb.base_addr += lmb_size, lmb.drc_index++) {
			ret = func(&lmb, arg);
			/* the kernel's v2 walk leaves only the set on an error */
			if (ret)
				break;
		}
		if (ret && !v2)
			break;
	}
	free(prop);
	return ret;
bad:
	kx_error("%s" DRCONF_DT "/ibm,dynamic-memory%s: truncated", sv->root, v2 ? "-v2" : "");
	free(prop);
	return -EINVAL;
}

/* early_init_drmem_lmb()'s state: a kdump kernel's linux,drconf-usable-memory (usm). */
struct drmem_early {
	const struct sysview *sv;
	struct ppc64_mem_ranges *mem;
	uint64_t lmb_size;
	int acells, scells;
	bool iommu_off, movable_node;
	uint8_t *usm;
	const uint8_t *usm_p, *usm_end;
};

/* memblock_add() of early_init_dt_add_memory_arch()/early_init_drmem_lmb(): iommu=off keeps < 2 GiB. */
static int memblock_add(struct ppc64_mem_ranges *mem, bool iommu_off, uint64_t base, uint64_t size)
{
	if (iommu_off) {
		if (base >= IOMMU_OFF_LIMIT)
			return 0;
		if (base + size > IOMMU_OFF_LIMIT)
			size = IOMMU_OFF_LIMIT - base;
	}
	return size ? __add_mem_range(mem, base, size) : 0;
}

/* A parameter of the running kernel's command line, as a whole word. */
static bool cmdline_has_param(const struct sysview *sv, const char *param)
{
	size_t len = strlen(param);
	bool found = false;
	char *cmdline, *p;

	if (sysview_read_text(sv, "/proc/cmdline", &cmdline))
		return false;
	for (p = cmdline; (p = strstr(p, param)); p += len) {
		if ((p == cmdline || p[-1] == ' ') && (!p[len] || p[len] == ' ' || p[len] == '=')) {
			found = true;
			break;
		}
	}
	free(cmdline);
	return found;
}

static int usm_next_cell(struct drmem_early *e, int cells, uint64_t *val)
{
	if ((size_t)(e->usm_end - e->usm_p) < 4 * (size_t)cells) {
		kx_error("%s" DRCONF_DT "/linux,drconf-usable-memory: truncated", e->sv->root);
		return -EINVAL;
	}
	*val = of_read_cells(&e->usm_p, cells);
	return 0;
}

/*
 * early_init_drmem_lmb(): an LMB assigned to the partition and not reserved
 * is memory; in a kdump kernel only its usable ranges are. The kernel reads
 * the next usable-memory entry only for such an LMB.
 */
static int early_init_drmem_lmb(const struct drmem_lmb *lmb, void *arg)
{
	struct drmem_early *e = arg;
	uint64_t base = lmb->base_addr, size = e->lmb_size, rngs = 1;
	int ret;

	if ((lmb->flags & DRCONF_MEM_RESERVED) || !(lmb->flags & DRCONF_MEM_ASSIGNED))
		return 0;
	/*
	 * memblock_mark_hotplug(): with movable_node, for_each_mem_range()
	 * (placement, core headers) skips it; left out here for the same effect
	 */
	if (e->movable_node && (lmb->flags & DRCONF_MEM_HOTREMOVABLE)) {
		kx_debug("ppc64: movable_node: the hot-removable LMB at 0x%" PRIx64 " is skipped",
			 lmb->base_addr);
		return 0;
	}
	if (e->usm) {
		ret = usm_next_cell(e, e->scells, &rngs);
		if (ret || !rngs)
			return ret;
	}
	do {
		if (e->usm) {
			ret = usm_next_cell(e, e->acells, &base);
			if (!ret)
				ret = usm_next_cell(e, e->scells, &size);
			if (ret)
				return ret;
		}
		ret = memblock_add(e->mem, e->iommu_off, base, size);
		if (ret)
			return ret;
	} while (--rngs);
	return 0;
}

/* early_init_dt_scan_memory_ppc()'s first part: the dynamic-reconfiguration LMBs. */
static int early_init_dt_scan_drmem(const struct sysview *sv, int acells, int scells,
				    bool iommu_off, struct ppc64_mem_ranges *mem)
{
	struct drmem_early e = { .sv = sv, .mem = mem, .acells = acells, .scells = scells,
				 .iommu_off = iommu_off };
	size_t len;
	int ret;

	if (!sysview_exists(sv, DRCONF_DT))
		return 0;
	e.movable_node = cmdline_has_param(sv, "movable_node");
	e.lmb_size = drmem_lmb_size(sv, scells);
	if (!e.lmb_size) {
		kx_error("%s" DRCONF_DT "/ibm,lmb-size: missing or not %d cells", sv->root, scells);
		return -EINVAL;
	}
	ret = sysview_read_file(sv, DRCONF_DT "/linux,drconf-usable-memory", &e.usm, &len);
	if (ret && ret != -ENOENT)
		return of_property_refused(sv, DRCONF_DT "/linux,drconf-usable-memory", ret);
	if (!ret) {
		e.usm_p = e.usm;
		e.usm_end = e.usm + len;
	}
	ret = walk_drmem_lmbs(sv, acells, e.lmb_size, early_init_drmem_lmb, &e);
	free(e.usm);
	/* a node without either LMB list: nothing to add, as the kernel's walk */
	return ret == -ENODEV ? 0 : ret;
}

/* early_init_dt_scan_memory(): the reg (or linux,usable-memory) ranges of the /memory nodes. */
static int early_init_dt_scan_memory(const uint8_t *fdt, int acells, int scells, bool iommu_off,
				     struct ppc64_mem_ranges *mem, uint64_t *first_memblock_size)
{
	uint64_t memstart_addr = UINT64_MAX;
	int node, len, ret;
	const fdt32_t *reg;

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
			if (iommu_off && base >= IOMMU_OFF_LIMIT)
				continue;
			if (iommu_off && base + size > IOMMU_OFF_LIMIT)
				size = IOMMU_OFF_LIMIT - base;
			/* early_init_dt_add_memory_arch(): the lowest block is the RMA */
			if (base < memstart_addr) {
				memstart_addr = base;
				*first_memblock_size = size;
			}
			ret = memblock_add(mem, false, base, size);
			if (ret)
				return ret;
		}
	}
	return 0;
}

/*
 * memblock_enforce_memory_limit(): the memory beyond the first limit bytes
 * goes. The limit is the kernel's memory_limit (mem=, page aligned by the
 * kernel), exported as /chosen/linux,memory-limit; 0 means none.
 */
static int memblock_enforce_memory_limit(const struct sysview *sv, struct ppc64_mem_ranges *mem,
					 uint64_t *first_memblock_size)
{
	uint64_t limit, size;
	unsigned int i;
	int ret;

	ret = of_property_read_be(sv, LIVE_DT "/chosen/linux,memory-limit", 8, &limit);
	if (ret == -ENOENT || (!ret && !limit))
		return 0;
	if (ret)
		return of_property_refused(sv, LIVE_DT "/chosen/linux,memory-limit", ret);
	if (*first_memblock_size > limit)
		*first_memblock_size = limit;
	for (i = 0; i < mem->nr_ranges; i++) {
		size = mem->ranges[i].end - mem->ranges[i].start + 1;
		if (limit <= size) {
			mem->ranges[i].end = mem->ranges[i].start + limit - 1;
			kx_debug("ppc64: mem=%#" PRIx64 ": memory above %#" PRIx64 " removed", limit,
				 mem->ranges[i].end);
			mem->nr_ranges = i + 1;
			break;
		}
		limit -= size;
	}
	return 0;
}

/*
 * memblock.memory as early_init_devtree() builds it: the assigned
 * dynamic-reconfiguration LMBs and the /memory nodes, sorted and merged,
 * cut at mem=. Not kept: the kernel's split of adjacent regions of
 * different NUMA nodes (a one-node guest has none).
 */
int ppc64_memblock_init(const struct sysview *sv, struct ppc64_mem_ranges *mem,
			uint64_t *first_memblock_size)
{
	uint64_t first = 0;
	int acells, scells, ret;
	bool iommu_off;
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
	/* iommu_is_off: prom_init's /chosen/linux,iommu-off in the boot blob */
	iommu_off = fdt_getprop(fdt, fdt_path_offset(fdt, "/chosen"), "linux,iommu-off", NULL);
	if (iommu_off)
		kx_debug("ppc64: linux,iommu-off: the memory above 2 GiB is not memblock");
	mem->nr_ranges = 0;
	ret = early_init_dt_scan_drmem(sv, acells, scells, iommu_off, mem);
	if (!ret)
		ret = early_init_dt_scan_memory(fdt, acells, scells, iommu_off, mem, &first);
	if (ret)
		goto out_free_fdt;
	sort_memory_ranges(mem, true);
	if (!mem->nr_ranges) {
		kx_error("%s%s: no memory node", sv->root, DT_PATH);
		ret = -ENOENT;
		goto out_free_fdt;
	}
	ret = memblock_enforce_memory_limit(sv, mem, &first);
	if (first_memblock_size)
		*first_memblock_size = first;
out_free_fdt:
	free(fdt);
	return ret;
}

/* The value of a "key<tabs>: value" line of /proc/cpuinfo, or NULL. */
static const char *cpuinfo_value(const char *cpuinfo, const char *key, char *buf, size_t bufsz)
{
	size_t klen = strlen(key);
	const char *p = cpuinfo;

	while (p && *p) {
		if (!strncmp(p, key, klen) && (p[klen] == '\t' || p[klen] == ' ' || p[klen] == ':')) {
			const char *v = strchr(p, ':'), *eol = strchr(p, '\n');
			size_t n;

			if (!v || (eol && v > eol))
				return NULL;
			v += 1 + (v[1] == ' ');
			n = eol ? (size_t)(eol - v) : strlen(v);
			if (n >= bufsz)
				n = bufsz - 1;
			memcpy(buf, v, n);
			buf[n] = '\0';
			return buf;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return NULL;
}

/*
 * ppc64_rma_size (init_64.c, hash_utils.c hash__setup_initial_memory_limit()):
 * no limit under the radix MMU or in hypervisor mode (PowerNV); a hash MMU
 * LPAR's real-mode area is its first memory block, at most 1 GiB before
 * ISA 3.0 (POWER9), 1 TiB from it. The MMU, platform and CPU are those of
 * /proc/cpuinfo; without it the MMU is unknown and radix is assumed, said by -d.
 */
int ppc64_rma_size(const struct sysview *sv, uint64_t first_memblock_size, uint64_t *rma)
{
	char mmu[32], platform[32], cpu[64];
	unsigned int gen = 0;
	char *cpuinfo;
	int ret;

	*rma = UINT64_MAX;
	ret = sysview_read_text(sv, "/proc/cpuinfo", &cpuinfo);
	if (ret == -ENOENT) {
		kx_debug("ppc64_rma_size: no %s/proc/cpuinfo to tell the MMU: radix assumed, no RMA limit (a hash MMU LPAR would keep -l segments below its first memory block, 0x%" PRIx64 ")",
			 sv->root, first_memblock_size);
		return 0;
	}
	if (ret) {
		kx_error("%s/proc/cpuinfo: %s", sv->root, sysview_strerror(ret));
		return ret;
	}
	if (!cpuinfo_value(cpuinfo, "MMU", mmu, sizeof(mmu))) {
		kx_debug("ppc64_rma_size: %s/proc/cpuinfo has no MMU line: radix assumed, no RMA limit",
			 sv->root);
	} else if (!strcmp(mmu, "Hash")) {
		if (cpuinfo_value(cpuinfo, "platform", platform, sizeof(platform)) &&
		    !strcmp(platform, "PowerNV")) {
			kx_debug("ppc64_rma_size: hash MMU in hypervisor mode (PowerNV): no RMA limit");
		} else {
			if (cpuinfo_value(cpuinfo, "cpu", cpu, sizeof(cpu)) &&
			    sscanf(cpu, "POWER%u", &gen) != 1)
				gen = 0;
			*rma = first_memblock_size;
			if (*rma > (gen >= 9 ? UINT64_C(1) << 40 : UINT64_C(0x40000000)))
				*rma = gen >= 9 ? UINT64_C(1) << 40 : UINT64_C(0x40000000);
			kx_debug("ppc64_rma_size: hash MMU LPAR (%s): 0x%" PRIx64
				 ", the first memory block, at most %s", gen ? cpu : "CPU unknown", *rma,
				 gen >= 9 ? "1 TiB (ISA 3.0)" : "1 GiB (before ISA 3.0)");
		}
	} else {
		kx_debug("ppc64_rma_size: %s MMU: no RMA limit", mmu);
	}
	free(cpuinfo);
	return 0;
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

/*
 * for_each_node_by_type(): func for each node whose device_type is type, in
 * the order of the kernel's of_allnodes (the boot blob's: the live tree is
 * it unflattened; a node hot-added since boot is not seen), with the node's
 * live-tree path.
 */
static int for_each_node_by_type(const struct sysview *sv, const char *type,
				 int (*func)(const struct sysview *sv, const char *node, void *arg),
				 void *arg)
{
	char path[256], node[sizeof(LIVE_DT) + 256];
	int off, ret = 0;
	uint8_t *fdt;
	size_t len;

	ret = ppc64_read_fdt(sv, &fdt, &len);
	if (ret)
		return ret;
	for (off = fdt_next_node(fdt, -1, NULL); off >= 0 && !ret;
	     off = fdt_next_node(fdt, off, NULL)) {
		const char *t = fdt_getprop(fdt, off, "device_type", NULL);

		if (!t || strcmp(t, type) || fdt_get_path(fdt, off, path, sizeof(path)))
			continue;
		snprintf(node, sizeof(node), LIVE_DT "%s", path);
		ret = func(sv, node, arg);
	}
	free(fdt);
	return ret;
}

/* add_tce_mem_ranges()' per node part: linux,tce-base (u64) and linux,tce-size (u32). */
static int add_tce_mem_range(const struct sysview *sv, const char *node, void *arg)
{
	char bpath[sizeof(LIVE_DT) + 300], spath[sizeof(LIVE_DT) + 300];
	uint64_t base = 0, size = 0;
	int rb, rs;

	snprintf(bpath, sizeof(bpath), "%s/linux,tce-base", node);
	snprintf(spath, sizeof(spath), "%s/linux,tce-size", node);
	rb = of_property_read_u64(sv, bpath, &base);
	rs = of_property_read_u32(sv, spath, &size);
	/* the kernel ORs the two errors: -EINVAL (absent) alone means no TCE table */
	if ((rb | rs) == -EINVAL)
		return 0;
	if (rb)
		return of_property_refused(sv, bpath, rb);
	if (rs)
		return of_property_refused(sv, spath, rs);
	kx_debug("ppc64: TCE table of %s: 0x%" PRIx64 "+0x%" PRIx64, node + strlen(LIVE_DT), base,
		 size);
	return add_mem_range(arg, base, size);
}

int add_tce_mem_ranges(const struct sysview *sv, struct ppc64_mem_ranges *r)
{
	return for_each_node_by_type(sv, "pci", add_tce_mem_range, r);
}

/*
 * add_initrd_mem_range(): the running kernel's initrd, when retain_initrd
 * (anywhere in the command line, as the kernel's strstr()) kept it; without
 * both /chosen properties the kernel fails the load.
 */
static int add_initrd_mem_range(const struct sysview *sv, struct ppc64_mem_ranges *r)
{
	static const char *const props[] = {
		LIVE_DT "/chosen/linux,initrd-start", LIVE_DT "/chosen/linux,initrd-end",
	};
	uint64_t val[2];
	char *cmdline;
	int i, ret;

	ret = sysview_read_text(sv, "/proc/cmdline", &cmdline);
	if (ret == -ENOENT) {
		kx_debug("ppc64: no %s/proc/cmdline: retain_initrd is assumed off", sv->root);
		return 0;
	}
	if (ret) {
		kx_error("%s/proc/cmdline: %s", sv->root, sysview_strerror(ret));
		return ret;
	}
	ret = !strstr(cmdline, "retain_initrd");
	free(cmdline);
	if (ret)
		return 0;
	for (i = 0; i < 2; i++) {
		ret = of_property_read_u64(sv, props[i], &val[i]);
		/* 6.1 ORs the two reads' errors and fails the image's probe with them */
		if (ret) {
			kx_error("%s%s: %s, with retain_initrd in the command line: the kernel fails the load",
				 sv->root, props[i], ret == -EINVAL ? "missing" : "shorter than 8 bytes");
			return ret;
		}
	}
	kx_debug("ppc64: retain_initrd: the initrd 0x%" PRIx64 "-0x%" PRIx64 " is kept", val[0],
		 val[1]);
	/* the kernel's size: end - base + 1, of an exclusive end */
	return add_mem_range(r, val[0], val[1] - val[0] + 1);
}

/*
 * add_htab_mem_range(): the hash page table the kernel allocated itself
 * (bare-metal hash MMU), which it exports as /chosen/linux,htab-base and
 * -size; radix and LPARs (the hypervisor owns the HPT) have none.
 */
static int add_htab_mem_range(const struct sysview *sv, struct ppc64_mem_ranges *r)
{
	uint64_t base, size;

	if (of_property_read_be(sv, LIVE_DT "/chosen/linux,htab-base", 8, &base) ||
	    of_property_read_be(sv, LIVE_DT "/chosen/linux,htab-size", 8, &size))
		return 0;
	kx_debug("ppc64: hash page table 0x%" PRIx64 "+0x%" PRIx64, base, size);
	return add_mem_range(r, base, size);
}

/* add_reserved_mem_ranges(): the firmware's /reserved-ranges (root cells). */
static int add_reserved_mem_ranges(const struct sysview *sv, struct ppc64_mem_ranges *r)
{
	uint64_t acells, scells;
	const uint8_t *p;
	uint8_t *prop;
	size_t len, i, n;
	int ret;

	ret = sysview_read_file(sv, LIVE_DT "/reserved-ranges", &prop, &len);
	if (ret == -ENOENT)
		return 0;
	if (ret)
		return of_property_refused(sv, LIVE_DT "/reserved-ranges", ret);
	/* of_n_addr_cells(of_root): the root's own, else 1 */
	if (of_property_read_be(sv, LIVE_DT "/#address-cells", 4, &acells))
		acells = 1;
	if (of_property_read_be(sv, LIVE_DT "/#size-cells", 4, &scells))
		scells = 1;
	if (!acells || acells > 2 || scells > 2) {
		kx_error("%s" LIVE_DT ": #address-cells %" PRIu64 " / #size-cells %" PRIu64
			 " do not describe /reserved-ranges", sv->root, acells, scells);
		ret = -EINVAL;
		goto out_free_prop;
	}
	n = len / (4 * (acells + scells));
	for (i = 0, p = prop; i < n && !ret; i++) {
		uint64_t base = of_read_cells(&p, (int)acells);
		uint64_t size = of_read_cells(&p, (int)scells);

		kx_debug("ppc64: reserved-ranges 0x%" PRIx64 "+0x%" PRIx64, base, size);
		ret = add_mem_range(r, base, size);
	}
out_free_prop:
	free(prop);
	return ret;
}

/* get_exclude_memory_ranges() (6.1). */
int get_exclude_memory_ranges(const struct sysview *sv, struct ppc64_mem_ranges *r)
{
	int ret;

	r->nr_ranges = 0;
	ret = add_tce_mem_ranges(sv, r);
	if (!ret)
		ret = add_initrd_mem_range(sv, r);
	if (!ret)
		ret = add_htab_mem_range(sv, r);
	if (!ret)
		ret = add_kernel_mem_range(sv, r);
	if (!ret)
		ret = add_rtas_mem_range(sv, r);
	if (!ret)
		ret = add_opal_mem_range(sv, r);
	if (!ret)
		ret = add_reserved_mem_ranges(sv, r);
	if (ret)
		return ret;
	sort_memory_ranges(r, true);
	return 0;
}

/* get_reserved_memory_ranges(): what setup_new_fdt_ppc64 adds to /memreserve/, unsorted. */
int get_reserved_memory_ranges(const struct sysview *sv, struct ppc64_mem_ranges *r)
{
	int ret;

	r->nr_ranges = 0;
	ret = add_rtas_mem_range(sv, r);
	if (!ret)
		ret = add_tce_mem_ranges(sv, r);
	if (!ret)
		ret = add_reserved_mem_ranges(sv, r);
	return ret;
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
		/* for -d: the memory between the exclude ranges it was found in */
		kbuf->hole_range_start = start;
		kbuf->hole_range_end = end;
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
		kbuf->hole_range_start = start;
		kbuf->hole_range_end = end;
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

	ret = ppc64_memblock_init(plan->sv, &mem, NULL);
	if (ret)
		return ret;
	for (i = 0; i < mem.nr_ranges; i++) {
		ret = func(&mem.ranges[rev ? mem.nr_ranges - 1 - i : i], arg);
		if (ret)
			return ret;
	}
	return 0;
}
