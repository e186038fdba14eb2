/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Relocation types described as data, one table per architecture, applied
 * by one generic loop (reloc.c), in the manner of musl's and OpenBSD's
 * ld.so. A type is: how the value is computed (S + A, S + A - P, page
 * difference, TOC-relative), how it is checked (signed, unsigned or
 * bit-field range after the right shift, alignment), and where its bits go
 * in the container (a plain bit-field, or one of the few split encodings).
 */
#ifndef UKEXEC_RELOC_H
#define UKEXEC_RELOC_H

#include <stdint.h>
#include "kexec-elf.h"

/* Per-type counters kept for reports: howto tables are at most this long. */
#define RELOC_MAX_HOWTO 64

enum reloc_calc {
	RC_NONE,		/* nothing to do (R_*_NONE) */
	RC_ABS,			/* S + A */
	RC_PCREL,		/* S + A - P */
	RC_PAGE_PCREL,		/* Page(S + A) - Page(P), 4 KiB pages (aarch64 ADRP) */
	RC_TOCREL,		/* S + A - TOC (ppc64) */
	RC_TOCBASE,		/* TOC + A (ppc64 R_PPC64_TOC) */
};

enum reloc_check {
	RK_NONE,		/* truncate silently (the _NC / _LO types) */
	RK_SIGNED,		/* value >> shift fits in a signed field of 'bits' */
	RK_UNSIGNED,		/* value >> shift fits in an unsigned field of 'bits' */
	RK_BITFIELD,		/* either: bits above the field all 0 or all 1 (bfd's bitfield) */
};

enum reloc_field {
	RF_BITS,		/* ((value >> shift) & mask(bits)) << lshift replaces those bits */
	RF_S390_20,		/* 20-bit displacement split DL (12 bits at 16) / DH (8 bits at 8) */
	RF_ARM64_ADR,		/* 21 bits: immlo (2 bits at 29), immhi (19 bits at 5) */
};

/* Flags of a type. */
#define RH_HA		0x01	/* add 1 << (shift - 1) before shifting (@ha) */
#define RH_LOCAL_ENTRY	0x02	/* ppc64 ELFv2: branch to the symbol's local entry point */

struct reloc_howto {
	uint32_t type;
	const char *name;
	uint8_t calc;		/* enum reloc_calc */
	uint8_t check;		/* enum reloc_check */
	uint8_t field;		/* enum reloc_field */
	uint8_t size;		/* container: 1, 2, 4 or 8 bytes, target byte order */
	uint8_t shift;		/* right shift of the value */
	uint8_t bits;		/* width of the field (and of the range check) */
	uint8_t lshift;		/* position of the field in the container */
	uint8_t align;		/* the value must be a multiple of this (0 or 1: any) */
	uint8_t flags;		/* RH_* */
	int8_t at;		/* the container starts at r_offset + at (s390 PC24DBL: -1) */
};

struct reloc_arch {
	const char *name;			/* for messages */
	const struct reloc_howto *howto;	/* sorted by nothing; looked up by type */
	unsigned int nr_howto;
	/*
	 * Name of the section whose address + toc_bias is the TOC pointer, or
	 * NULL: the ppc64 kernel uses ".toc" + 0x8000 (get_toc_ptr()).
	 */
	const char *toc_section;
	uint64_t toc_bias;
	/* Undefined symbol resolved to the TOC pointer (ppc64 ".TOC."), or NULL. */
	const char *toc_symbol;
};

/* One table entry: type, calc, check, field, size, shift, bits, lshift, align, flags. */
#define RELOC_HOWTO(t, c, k, f, sz, sh, b, ls, al, fl) \
	{ .type = (t), .name = #t, .calc = (c), .check = (k), .field = (f), .size = (sz), \
	  .shift = (sh), .bits = (b), .lshift = (ls), .align = (al), .flags = (fl) }
#define RELOC_HOWTO_AT(t, c, k, f, sz, sh, b, ls, al, fl, a) \
	{ .type = (t), .name = #t, .calc = (c), .check = (k), .field = (f), .size = (sz), \
	  .shift = (sh), .bits = (b), .lshift = (ls), .align = (al), .flags = (fl), .at = (a) }
#define RELOC_ARCH(n, table) \
	.name = (n), .howto = (table), .nr_howto = sizeof(table) / sizeof((table)[0])

extern const struct reloc_arch reloc_x86_64;
extern const struct reloc_arch reloc_s390x;
extern const struct reloc_arch reloc_ppc64;
extern const struct reloc_arch reloc_arm64;

const struct reloc_howto *reloc_howto_find(const struct reloc_arch *ra, uint32_t type);

/* What the relocator reads and writes: an object and its loaded image. */
struct reloc_image {
	const char *name;			/* for messages */
	const struct reloc_arch *ra;
	const struct kexec_elf_info *elf;	/* the read-only object, its sections read */
	const Elf64_Shdr *sechdrs;		/* sh_addr: load address; sh_offset: in buf */
	uint8_t *buf;				/* the loaded sections' bytes */
	unsigned int *reloc_count;		/* RELOC_MAX_HOWTO counters, by howto entry */
	unsigned int *nr_relocs;		/* relocations applied */
};

/*
 * Apply the SHT_RELA section relidx of the object to its (allocated) target,
 * as arch_kexec_apply_relocations_add() does: symbols and relocations are
 * read from the read-only object, the result is written into img->buf.
 * Counts each applied type. One message on error.
 */
int kexec_apply_relocations_add(struct reloc_image *img, unsigned int relidx);

#endif
