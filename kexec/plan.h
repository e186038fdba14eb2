/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The plan: the segments, entry point and flags that kexec_file_load would
 * compute (the kernel's struct kimage, file mode). Loaders append buffers with
 * kexec_add_buffer(); the backends consume the finished plan.
 */
#ifndef UKEXEC_PLAN_H
#define UKEXEC_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "kexec-abi.h"

struct arch;
struct sysview;
struct profile;
struct kernel_facts;
struct purgatory_info;

#define KEXEC_BUF_MEM_UNKNOWN UINT64_MAX

/* x rounded up to a multiple of a (a power of two) */
#define ALIGN_UP(x, a) (((x) + ((a) - 1)) & ~((uint64_t)(a) - 1))

struct plan_segment {
	const void *buf;	/* bufsz bytes; the rest up to memsz is zero */
	size_t bufsz;
	uint64_t mem;
	uint64_t memsz;
	const char *what;	/* "kernel", "initrd", "purgatory", ... for messages */
};

#define PLAN_VARIANT_MAX 4

struct plan {
	const struct arch *arch;
	const struct sysview *sv;
	const struct profile *profile;
	const struct kernel_facts *facts; /* the running kernel's config; NULL: the defaults */
	bool crash;			/* KEXEC_TYPE_CRASH */
	unsigned int crash_hotplug_phdrs; /* with rule crash-hotplug: the room reserved */
	uint64_t page_size;		/* the machine's PAGE_SIZE (arch->page_size by default) */
	struct plan_segment segment[KEXEC_SEGMENT_MAX];
	unsigned int nr_segments;
	uint64_t entry;			/* image->start */
	unsigned long flags;		/* kexec_load flags without the arch bits */
	int elfcorehdr_index;		/* -1 if none */
	uint64_t elf_load_addr;		/* crash loads: where the ELF core header went */
	uint64_t elf_headers_sz;	/* its size, for elfcorehdr= on the command line */
	struct purgatory_info *pi;	/* NULL until a purgatory is loaded */
	/*
	 * kexec-tools' --mem-min/--mem-max: every hole is searched inside
	 * [mem_min, mem_max] (0 and UINT64_MAX: the kernel's placement).
	 */
	uint64_t mem_min, mem_max;
	/* Why the plan is not the one kexec_file_load computes (none: it is). */
	const char *variant[PLAN_VARIANT_MAX];
	unsigned int nr_variant;
	void *arch_data;		/* the arch loader's kimage_arch while it loads (ppc64), or NULL */
	bool unreadable_input;		/* failed on a file kexec-tools' slurp_file() dies on */
	/* Memory the plan owns (built buffers), released by plan_release(). */
	void **owned;
	size_t nr_owned;
};

/* The kernel's struct kexec_buf. */
struct kexec_buf {
	struct plan *plan;
	const void *buffer;
	size_t bufsz;
	uint64_t mem;			/* KEXEC_BUF_MEM_UNKNOWN: find a hole */
	uint64_t memsz;
	uint64_t buf_align;
	uint64_t buf_min;
	uint64_t buf_max;
	bool top_down;
	const char *what;
	/* Set by the generic search: the free range the hole was found in, for -d. */
	uint64_t hole_range_start, hole_range_end;
};

void plan_init(struct plan *plan, const struct arch *arch, const struct sysview *sv,
	       const struct profile *profile, bool crash);
void plan_release(struct plan *plan);
/*
 * Record that an option made the plan differ from the in-kernel one (why);
 * plan_print() and -d say so.
 */
void plan_note_variant(struct plan *plan, const char *why);
/* Allocate zeroed memory owned by the plan; NULL (after a message) on failure. */
void *plan_alloc(struct plan *plan, size_t size, const char *what);
/* Hand an existing malloc'ed block to the plan. */
int plan_own(struct plan *plan, void *mem);
/* plan_own(), and free the block if the plan cannot take it. */
int plan_adopt(struct plan *plan, void *mem);

/* kexec_add_buffer(): page-align memsz, find a hole unless mem is set, append. */
int kexec_add_buffer(struct kexec_buf *kbuf);
/*
 * kexec_locate_mem_hole(): the generic search over the arch's walk_mem; sets
 * kbuf->mem; -EADDRNOTAVAIL when nothing fits.
 */
int kexec_locate_mem_hole(struct kexec_buf *kbuf);
/* kimage_is_destination_range() */
bool plan_is_destination_range(const struct plan *plan, uint64_t start, uint64_t end);
/*
 * kexec-tools' add_backup_segments() for KEXEC_PRESERVE_CONTEXT: each piece
 * of System RAM in [mem_min, mem_max] no segment covers becomes an empty
 * segment, which the kernel swaps out on exec and back on the jump back.
 */
int add_backup_segments(struct plan *plan);
/* sanity_check_segment_list(): the checks kexec_load does, plus the memory map. */
int plan_sanity_check(const struct plan *plan);

/* The kernel's debug format: "segment[i]: buf=0x... bufsz=0x... mem=0x... memsz=0x..." */
void plan_print(const struct plan *plan, void *stream);
/* Write each segment to DIR/segment-N.bin and DIR/manifest. */
int plan_dump(const struct plan *plan, const char *dir);

#endif
