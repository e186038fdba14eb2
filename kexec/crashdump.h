/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The crash kernel's ELF core headers, built as the kernel's
 * crash_prepare_elf64_headers() builds them, from what the running kernel
 * shows userspace: per-CPU crash notes, the VMCOREINFO note, the kernel
 * text mapping and the direct-map offset (/proc/kcore), System RAM.
 */
#ifndef UKEXEC_CRASHDUMP_H
#define UKEXEC_CRASHDUMP_H

#include <stddef.h>
#include <stdint.h>

struct arch;
struct sysview;

struct crash_range {
	uint64_t start, end;		/* inclusive */
};

/* The kernel's struct crash_mem: a bounded list of ranges. */
struct crash_mem {
	unsigned int max_nr_ranges;
	unsigned int nr_ranges;
	struct crash_range *ranges;
};

/* NULL (after a message) on failure; free with crash_mem_free(). */
struct crash_mem *crash_mem_alloc(unsigned int max_nr_ranges);
void crash_mem_free(struct crash_mem *cmem);
int crash_mem_add(struct crash_mem *cmem, uint64_t start, uint64_t end);
/* crash_exclude_mem_range(): cut [mstart, mend] out; -ENOMEM when a split needs room. */
int crash_exclude_mem_range(struct crash_mem *cmem, uint64_t mstart, uint64_t mend);

/* What the ELF core headers describe besides memory. */
struct crash_sysinfo {
	unsigned int nr_cpus;		/* possible CPUs */
	uint64_t *cpu_notes;		/* physical address of each one's crash notes */
	uint64_t cpu_notes_size;	/* sizeof(note_buf_t) */
	uint64_t vmcoreinfo_addr, vmcoreinfo_size;
	uint64_t text_vaddr, text_paddr, text_size;	/* _text .. _end */
	uint64_t page_offset;		/* the direct map: __va(0) */
};

/*
 * Read the crash inputs under the sysview. kernel_map_min is the lowest
 * virtual address of the kernel image mapping (x86_64: __START_KERNEL_map),
 * used to tell it from the direct map among /proc/kcore's PT_LOADs; 0: the
 * highest-addressed one is the text (arm64, whose VA size varies by config).
 */
int crash_read_sysinfo(const struct sysview *sv, uint64_t kernel_map_min, struct crash_sysinfo *ci);
/*
 * Only the notes (CPUs, VMCOREINFO): for an arch whose headers need no
 * kernel text entry and whose direct map is a constant (ppc64); it sets
 * page_offset itself.
 */
int crash_read_notes(const struct sysview *sv, struct crash_sysinfo *ci);
void crash_sysinfo_release(struct crash_sysinfo *ci);

/* crash_prepare_elf64_headers(): *buf (malloc'ed) and *sz, ELF_CORE_HEADER_ALIGN'ed. */
int crash_prepare_elf64_headers(const struct arch *arch, const struct crash_sysinfo *ci,
				const struct crash_mem *mem, int need_kernel_map,
				uint8_t **buf, size_t *sz);

/* Parse a cpu list ("0-3,5") as in /sys/devices/system/cpu/possible: the CPU numbers. */
int crash_parse_cpulist(const char *text, unsigned int **cpus, unsigned int *nr);

#endif
