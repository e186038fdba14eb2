/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reading an ELF file of either class and either byte order, shaped like the
 * kernel's kernel/kexec_elf.c: the headers are copied into native-endian
 * Elf64_* structures (ELF32 fields widened) and checked against the size of
 * the file before anything indexes with them. Beyond the kernel's module:
 * section headers, strings, symbols and RELA entries, for the purgatory (an
 * ET_REL object).
 *
 * No function prints: a failure returns -ENOEXEC (or -ENOMEM) and leaves
 * one reason in info->err, without the file name, for the caller's one
 * message ("NAME: REASON").
 */
#ifndef UKEXEC_KEXEC_ELF_H
#define UKEXEC_KEXEC_ELF_H

#include <elf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct kexec_elf_info {
	/*
	 * The whole file, or NULL when the caller reads only the headers
	 * (a crash dump): then elf_read_phdrs/elf_read_shdrs are not used.
	 */
	const uint8_t *buffer;
	size_t len;			/* the file's size: every offset is checked against it */
	Elf64_Ehdr ehdr;		/* native byte order */
	Elf64_Phdr *proghdrs;		/* e_phnum entries (elf_read_phdrs), or NULL */
	Elf64_Shdr *sechdrs;		/* e_shnum entries (elf_read_shdrs), or NULL */
	char err[192];			/* why the last call failed */
};

/*
 * Parse the ELF header from buf (buf_len bytes of it are there) into
 * info->ehdr, and check that the program and section header tables lie
 * within info->len (set by the caller to the file size).
 */
int elf_read_ehdr(struct kexec_elf_info *info, const uint8_t *buf, size_t buf_len);
/* The kernel's elf_is_ehdr_sane(): table entry sizes, version, table bounds. */
bool elf_is_ehdr_sane(struct kexec_elf_info *info);

/* Size of one program / section header, symbol, RELA entry of this class. */
size_t elf_phdr_size(const struct kexec_elf_info *info);
size_t elf_shdr_size(const struct kexec_elf_info *info);
size_t elf_sym_size(const struct kexec_elf_info *info);
size_t elf_rela_size(const struct kexec_elf_info *info);

/* One program header at p (elf_phdr_size bytes), without checks. */
void elf_parse_phdr(const struct kexec_elf_info *info, const uint8_t *p, Elf64_Phdr *phdr);
/* The kernel's elf_is_phdr_sane(): no overflow, contents within the file. */
bool elf_is_phdr_sane(struct kexec_elf_info *info, const Elf64_Phdr *phdr, unsigned int idx);
/* Every program header of info->buffer into info->proghdrs, each checked. */
int elf_read_phdrs(struct kexec_elf_info *info);

/* ehdr and phdrs of the file buf (the kernel's kexec_build_elf_info()). */
int kexec_build_elf_info(const uint8_t *buf, size_t len, struct kexec_elf_info *info);
void kexec_free_elf_info(struct kexec_elf_info *info);

/* One section header at p, without checks. */
void elf_parse_shdr(const struct kexec_elf_info *info, const uint8_t *p, Elf64_Shdr *shdr);
/*
 * Every section header of info->buffer into info->sechdrs; the contents of
 * each section that has some (not SHT_NOBITS) lie within the file, and
 * e_shstrndx names a string table.
 */
int elf_read_shdrs(struct kexec_elf_info *info);

/* The NUL-terminated string at off of string table strndx, or NULL. */
const char *elf_string(const struct kexec_elf_info *info, unsigned int strndx, uint64_t off);
/* The name of section idx; never NULL ("?" when unreadable). */
const char *elf_section_name(const struct kexec_elf_info *info, unsigned int idx);

/* Entries in symbol table / RELA section idx (sh_size / entry size). */
uint64_t elf_nr_entries(const struct kexec_elf_info *info, unsigned int idx);
/* Symbol idx of symbol table symtab; -ENOENT past its end. */
int elf_read_sym(const struct kexec_elf_info *info, unsigned int symtab, uint64_t idx, Elf64_Sym *sym);
/* The name of a symbol of symtab, else its section's name; never NULL. */
const char *elf_sym_name(const struct kexec_elf_info *info, unsigned int symtab, const Elf64_Sym *sym);
/* RELA entry idx of section relsec; r_info in the ELF64 encoding. -ENOENT past its end. */
int elf_read_rela(const struct kexec_elf_info *info, unsigned int relsec, uint64_t idx, Elf64_Rela *rela);

#endif
