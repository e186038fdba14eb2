/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef UKEXEC_PPC64_H
#define UKEXEC_PPC64_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "arch.h"

struct plan;
struct sysview;

/*
 * The purgatory hook (arch->purgatory_from): the kexec_purgatory object a
 * ppc64 vmlinux carries, malloc'ed into *obj; one message on failure.
 */
int purgatory_from_vmlinux(const uint8_t *image, size_t len, const char *name,
			   uint8_t **obj, size_t *objlen);

/* The running kernel's live device tree (of_root). */
#define LIVE_DT "/proc/device-tree"
#define DRCONF_DT LIVE_DT "/ibm,dynamic-reconfiguration-memory"

/* The kernel's struct crash_mem, bounded (the kernel reallocates). */
#define PPC64_MAX_RANGES 256
struct ppc64_mem_ranges {
	unsigned int nr_ranges;
	struct kexec_mem_range ranges[PPC64_MAX_RANGES];
};

/* A load's kimage_arch: plan->arch_data while the ELF loader runs. */
struct ppc64_state {
	struct ppc64_mem_ranges memblock;	/* memblock.memory */
	struct ppc64_mem_ranges exclude;	/* image->arch.exclude_ranges */
	struct kexec_mem_range crashk;		/* crashk_res (crash loads) */
	uint64_t backup_start;			/* image->arch.backup_start */
	uint64_t rma_size;			/* ppc64_rma_size */
};

/* struct drmem_lmb: one LMB of the dynamic-reconfiguration memory. */
struct drmem_lmb {
	uint64_t base_addr;
	uint32_t drc_index, aa_index, flags;
};
typedef int (*drmem_lmb_cb)(const struct drmem_lmb *lmb, void *arg);
/* drmem_lmb_size(): ibm,lmb-size of the live tree's drconf node; 0 without. */
uint64_t drmem_lmb_size(const struct sysview *sv, int size_cells);
/*
 * walk_drmem_lmbs(): func for every LMB of the live tree's ibm,dynamic-memory
 * (v1) or ibm,dynamic-memory-v2 (sets of sequential LMBs); -ENODEV without
 * either, -EINVAL after a message when truncated. As the kernel's: v1 stops
 * at func's first error, v2 leaves only the set.
 */
int walk_drmem_lmbs(const struct sysview *sv, int acells, uint64_t lmb_size, drmem_lmb_cb func,
		    void *arg);
/* dt_mem_next_cell(): a number of cells big-endian cells, *p advanced. */
uint64_t of_read_cells(const uint8_t **p, int cells);

int add_mem_range(struct ppc64_mem_ranges *r, uint64_t base, uint64_t size);
int add_rtas_mem_range(const struct sysview *sv, struct ppc64_mem_ranges *r);
int add_opal_mem_range(const struct sysview *sv, struct ppc64_mem_ranges *r);
int add_tce_mem_ranges(const struct sysview *sv, struct ppc64_mem_ranges *r);
/* A property of the live tree (a LIVE_DT path) as a big-endian number of len bytes. */
int of_property_read_be(const struct sysview *sv, const char *path, size_t len, uint64_t *val);
/* The kernel's: the first 4/8 bytes of a longer property too; -EINVAL absent, -EOVERFLOW short. */
int of_property_read_u32(const struct sysview *sv, const char *path, uint64_t *val);
int of_property_read_u64(const struct sysview *sv, const char *path, uint64_t *val);
void sort_memory_ranges(struct ppc64_mem_ranges *r, bool merge);
/* The running machine's /sys/firmware/fdt (initial_boot_params), malloc'ed. */
int ppc64_read_fdt(const struct sysview *sv, uint8_t **fdt, size_t *len);
/* memblock.memory; *first_memblock_size (may be NULL): the RMA's block, cut at mem=. */
int ppc64_memblock_init(const struct sysview *sv, struct ppc64_mem_ranges *mem,
			uint64_t *first_memblock_size);
/* ppc64_rma_size: the kernel's limit for the -l segments (UINT64_MAX: none). */
int ppc64_rma_size(const struct sysview *sv, uint64_t first_memblock_size, uint64_t *rma);
int get_exclude_memory_ranges(const struct sysview *sv, struct ppc64_mem_ranges *r);
int get_reserved_memory_ranges(const struct sysview *sv, struct ppc64_mem_ranges *r);
int arch_kexec_locate_mem_hole_ppc64(struct kexec_buf *kbuf);
int ppc64_walk_system_ram(const struct plan *plan, bool rev, kexec_range_cb func, void *arg);

/* Crash loads (crash-ppc64.c). */
int ppc64_crash_region(const struct plan *plan, struct kexec_mem_range *crashk);
int load_crashdump_segments_ppc64(struct plan *plan, struct kexec_buf *kbuf);
/* "elfcorehdr=... " + cmdline, plan-owned; NULL after a message. */
char *setup_kdump_cmdline(struct plan *plan, const char *cmdline, size_t cmdline_len);
int kexec_extra_fdt_size_ppc64(const struct plan *plan, const void *src, size_t *extra);
int setup_crash_fdt_ppc64(const struct plan *plan, void *fdt, const void *src);

extern const struct kexec_file_ops kexec_elf64_ops;

#endif
