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
};

int add_mem_range(struct ppc64_mem_ranges *r, uint64_t base, uint64_t size);
void sort_memory_ranges(struct ppc64_mem_ranges *r, bool merge);
/* The running machine's /sys/firmware/fdt (initial_boot_params), malloc'ed. */
int ppc64_read_fdt(const struct sysview *sv, uint8_t **fdt, size_t *len);
int ppc64_memblock_init(const struct sysview *sv, struct ppc64_mem_ranges *mem);
int get_exclude_memory_ranges(const struct sysview *sv, struct ppc64_mem_ranges *r);
int get_reserved_memory_ranges(const struct sysview *sv, struct ppc64_mem_ranges *r);
int arch_kexec_locate_mem_hole_ppc64(struct kexec_buf *kbuf);
int ppc64_walk_system_ram(const struct plan *plan, bool rev, kexec_range_cb func, void *arg);

extern const struct kexec_file_ops kexec_elf64_ops;

#endif
