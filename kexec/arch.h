/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the common code needs to know about a target architecture. Every
 * architecture is compiled into every build (a dry run may plan for another
 * one); the embedded purgatory is the native architecture's, or one an
 * architecture carries itself (embedded_purgatory).
 */
#ifndef UKEXEC_ARCH_H
#define UKEXEC_ARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct plan;
struct kexec_buf;
struct request;
struct reloc_arch;
struct purgatory_info;

/* What a loader gets: the inputs of kexec_file_load, already read. */
struct kexec_inputs {
	const struct request *req;
	const char *kernel_name;
	const uint8_t *kernel;		/* the image file (mapped, read-only) */
	size_t kernel_len;
	const char *initrd_name;	/* NULL without an initrd */
	const uint8_t *initrd;
	size_t initrd_len;
	const char *cmdline;		/* NUL-terminated; "" when none */
	size_t cmdline_len;		/* strlen + 1, or 0 without a command line, as
					 * kexec_file_load receives it */
	const uint8_t *dtb;		/* --dtb, or NULL */
	size_t dtb_len;
	struct purgatory_info *pi;	/* opened, not yet placed; NULL when the arch needs none */
	/* Plans larger than this are not hashed (0: no bound); for the fuzzers. */
	uint64_t digest_max_memsz;
};

/* An image format the architecture can load (the kernel's kexec_file_ops). */
struct kexec_file_ops {
	const char *name;		/* matched by -t/--type */
	/* 0 when buf is this format, -ENOEXEC otherwise; no messages. */
	int (*probe)(const uint8_t *buf, size_t len);
	/*
	 * Optional: why probe refused buf, for the one error line; NULL when buf
	 * is plainly another format's (then another format's reason is given).
	 */
	const char *(*refusal)(const uint8_t *buf, size_t len);
	/* Append the segments and set the entry; one message on failure. */
	int (*load)(struct plan *plan, const struct kexec_inputs *in);
	/*
	 * kexec-tools' loader, not the kernel's: -t NAME goes straight to the
	 * userspace plan and kexec_load (kexec_file_load would take the
	 * image its own way, or not at all).
	 */
	bool userspace_only;
};

/* A range of memory (inclusive bounds, like the kernel's resources). */
struct kexec_mem_range {
	uint64_t start, end;
};

/* Called for each range of a walk; nonzero stops the walk and is returned. */
typedef int (*kexec_range_cb)(const struct kexec_mem_range *range, void *arg);

/*
 * What one of kexec-tools' options for an architecture (its
 * arch/<arch>/include/arch/options.h and loaders) does in ukexec, where the
 * common table does not say it already.
 */
enum arch_option_kind {
	ARCH_OPTION_NO_EFFECT,	/* accepted; -d says why */
	ARCH_OPTION_REFUSED,	/* one line giving why, exit 1 */
	ARCH_OPTION_VARIANT,	/* read by a loader: kexec-tools' variant, through kexec_load */
	/*
	 * kexec-tools' meaning, which kexec_file_load has no argument for: the
	 * loader builds kexec-tools' variant through kexec_load; refused with
	 * -s (one line giving why, exit 1, as kexec-tools dies there).
	 */
	ARCH_OPTION_LOAD_VARIANT,
};

struct arch_option {
	const char *name;		/* the long option without "--"; NULL ends a table */
	enum arch_option_kind kind;
	const char *why;
	/* Optional: the value checked as kexec-tools does; an exit code after one message. */
	int (*check)(const char *val);
};

/*
 * The kernel's per-architecture hooks of kexec_file_load. doc/arch-hooks.md
 * lists them with the kernel's names and which architecture implements which.
 */
struct arch {
	const char *name;		/* "x86_64", "s390x", "ppc64", "arm64" */
	uint16_t e_machine;		/* EM_* */
	uint8_t ei_class;		/* ELFCLASS64 */
	uint8_t ei_data;		/* ELFDATA2LSB or ELFDATA2MSB */
	uint64_t page_size;		/* the default; the plan uses the machine's */
	uint32_t kexec_arch;		/* KEXEC_ARCH_* for kexec_load flags */
	const struct kexec_file_ops *const *file_ops;	/* NULL-terminated */
	const struct reloc_arch *reloc;	/* relocation table, see reloc.h */

	/*
	 * arch_kexec_locate_mem_hole(): sets kbuf->mem, -EADDRNOTAVAIL when
	 * nothing fits. NULL: the generic search over walk_mem.
	 */
	int (*locate_mem_hole)(struct kexec_buf *kbuf);
	/*
	 * The ranges the generic search visits: kexec_walk_resources() (the
	 * iomem arches) or kexec_walk_memblock() (ARCH_KEEP_MEMBLOCK arches).
	 */
	int (*walk_mem)(struct kexec_buf *kbuf, kexec_range_cb func);
	/* arch_check_excluded_range(): nonzero when [start, end] may not be used. */
	int (*check_excluded_range)(const struct plan *plan, uint64_t start, uint64_t end);
	/*
	 * The memory view the plan checks use: System RAM in ascending order
	 * (descending with rev), from the same source as walk_mem.
	 */
	int (*walk_system_ram)(const struct plan *plan, bool rev, kexec_range_cb func, void *arg);
	/* crashk_res: where crash loads go; -ENOENT (no message) without one. */
	int (*crash_region)(const struct plan *plan, struct kexec_mem_range *crashk);
	/* Where crash_region is read from, for the message when it is missing. */
	const char *crash_region_source;

	/* A kexec_load of the userspace plan needs a purgatory. */
	bool load_needs_purgatory;
	/* The in-kernel kexec_file_load plan has one (the replica places it). */
	bool file_has_purgatory;
	/*
	 * --purgatory-from=KERNEL: the relocatable purgatory object the kernel
	 * image carries, malloc'ed into *obj. NULL: not known for this arch.
	 */
	int (*purgatory_from)(const uint8_t *image, size_t len, const char *name,
			      uint8_t **obj, size_t *objlen);
	/*
	 * A purgatory of ours built into every build with a compiler for the
	 * arch (ppc64), not only the native one; NULL: none.
	 */
	const unsigned char *embedded_purgatory;
	const size_t *embedded_purgatory_size;
	/*
	 * kexec-tools' options of this architecture: an arch-only option not
	 * listed is not one of kexec-tools' here (refused, exit 1, as its
	 * getopt does); a common option listed (--dtb) means what it says.
	 */
	const struct arch_option *options;
	/*
	 * kexec-tools' loader options of this architecture (those numbered
	 * from its OPT_ARCH_MAX), NULL-terminated: its main() refuses them,
	 * exit 1, with an action that loads nothing (-u, -e, -S,
	 * --load-jump-back-helper). NULL: none.
	 */
	const char *const *loader_options;
};

const struct arch *arch_find(const char *name);
const struct arch *arch_native(void);
/* The purgatory embedded into this build for arch, or NULL. */
int arch_embedded_purgatory(const struct arch *arch, const uint8_t **buf, size_t *len);

extern const struct arch arch_x86_64;
extern const struct arch arch_s390x;
extern const struct arch arch_ppc64;
extern const struct arch arch_arm64;

#endif
