/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Loading and relocating a purgatory (an ELF ET_REL object) the way the
 * kernel's kexec_file does after the 2018 clean-up: the object stays
 * read-only; section headers are copied, and in the copies sh_offset becomes
 * the offset in purgatory_buf and sh_addr the load address.
 */
#ifndef UKEXEC_PURGATORY_H
#define UKEXEC_PURGATORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "kexec-elf.h"
#include "reloc.h"

struct arch;
struct plan;
struct kexec_buf;

/*
 * How kexec_purgatory_setup_sechdrs() translates the entry point; the rule
 * changed twice (see purgatory.c). For sane objects all three agree.
 */
enum purgatory_entry_rule {
	/* 2026 (480e1d5c64bb, in the stable trees): the section and offset of
	 * the global symbol purgatory_start, else the e_entry rule below. */
	PURGATORY_ENTRY_SYMBOL,
	/* v6.4 (8652d44f466a, backported to the stable trees): e_entry in the
	 * first executable section that contains it. */
	PURGATORY_ENTRY_FIRST,
	/* before: every executable section that contains e_entry moves it
	 * again (the entry is wrong with more than one such section). */
	PURGATORY_ENTRY_EACH,
};

#define PURGATORY_MAX_HOWTO RELOC_MAX_HOWTO

struct purgatory_info {
	const struct arch *arch;
	const char *name;		/* for messages: file name or "embedded purgatory" */
	/*
	 * The read-only object (elf.buffer, NULL until opened): its headers
	 * in elf.ehdr and elf.sechdrs, native endian, never changed.
	 */
	struct kexec_elf_info elf;
	Elf64_Shdr *sechdrs;		/* copies, rewritten by setup_sechdrs */
	uint8_t *purgatory_buf;		/* the segment's bytes */
	size_t bufsz;
	uint64_t memsz;
	uint64_t load_addr;		/* kbuf->mem once placed */
	uint64_t start;			/* the translated entry (also plan->entry) */
	unsigned int nr_relocs;		/* relocations applied (for reports) */
	/* per entry of arch->reloc->howto: relocations applied of that type */
	unsigned int reloc_count[PURGATORY_MAX_HOWTO];
	enum purgatory_entry_rule entry_rule;	/* purgatory_open: PURGATORY_ENTRY_SYMBOL */
};

/* Parse and check the object's headers (no placement yet). One message on error. */
int purgatory_open(struct purgatory_info *pi, const struct arch *arch,
		   const uint8_t *elf, size_t len, const char *name);
void purgatory_release(struct purgatory_info *pi);

/*
 * kexec_load_purgatory(): setup_kbuf (adds the segment through
 * kexec_add_buffer, so a preset kbuf->mem fixes the address), setup_sechdrs,
 * apply_relocations; sets plan->entry and plan->pi. kbuf carries the arch's
 * buf_min, buf_max, top_down and mem.
 */
int kexec_load_purgatory(struct plan *plan, struct purgatory_info *pi, struct kexec_buf *kbuf);

/* Whether a global defined symbol exists; silent (for optional symbols). */
bool kexec_purgatory_has_symbol(const struct purgatory_info *pi, const char *name);
/* Load address of a defined symbol (sh_addr of its section + st_value). */
int kexec_purgatory_get_symbol_addr(const struct purgatory_info *pi, const char *name, uint64_t *addr);
/*
 * Copy size bytes between buf and the symbol's bytes in purgatory_buf; the
 * symbol must be global, defined, of exactly that size, in a file-backed
 * section. The caller provides target byte order.
 */
int kexec_purgatory_get_set_symbol(struct purgatory_info *pi, const char *name,
				   void *buf, size_t size, bool get_value);

#endif
