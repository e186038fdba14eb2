/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the common code needs to know about a target architecture. Every
 * architecture is compiled into every build (a dry run may plan for another
 * one); only the embedded purgatory is tied to the architecture built for.
 */
#ifndef UKEXEC_ARCH_H
#define UKEXEC_ARCH_H

#include <stddef.h>
#include <stdint.h>

struct plan;
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
	struct purgatory_info *pi;	/* opened, not yet placed */
};

/* An image format the architecture can load (the kernel's kexec_file_ops). */
struct kexec_file_ops {
	const char *name;		/* matched by -t/--type */
	/* 0 when buf is this format, -ENOEXEC otherwise; no messages. */
	int (*probe)(const uint8_t *buf, size_t len);
	/* Optional: why probe refused buf, for the one error line. */
	const char *(*refusal)(const uint8_t *buf, size_t len);
	/* Append the segments and set the entry; one message on failure. */
	int (*load)(struct plan *plan, const struct kexec_inputs *in);
};

struct arch {
	const char *name;		/* "x86_64", "s390x", "ppc64", "arm64" */
	uint16_t e_machine;		/* EM_* */
	uint8_t ei_class;		/* ELFCLASS64 */
	uint8_t ei_data;		/* ELFDATA2LSB or ELFDATA2MSB */
	uint64_t page_size;
	uint32_t kexec_arch;		/* KEXEC_ARCH_* for kexec_load flags */
	const struct kexec_file_ops *const *file_ops;	/* NULL-terminated */
	const struct reloc_arch *reloc;	/* relocation table, see reloc.h */
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
