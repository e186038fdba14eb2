// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ELF headers of either class and byte order into native Elf64_* copies,
 * after the kernel's kernel/kexec_elf.c (function names kept), plus the
 * section, string, symbol and RELA access a relocatable object needs.
 * Every table is checked against the file size before it is indexed.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "byteorder.h"
#include "kexec-elf.h"

static int elf_fail(struct kexec_elf_info *info, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int elf_fail(struct kexec_elf_info *info, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(info->err, sizeof(info->err), fmt, ap);
	va_end(ap);
	return -ENOEXEC;
}

static bool elf_is_elf64(const struct kexec_elf_info *info)
{
	return info->ehdr.e_ident[EI_CLASS] == ELFCLASS64;
}

/*
 * A field of an on-disk structure: where it lies in the ELF32 and in the
 * ELF64 layout. The native copy is the Elf64_ structure, so the ELF64
 * place is also where the value goes.
 */
struct elf_field {
	uint8_t off32, size32, off64, size64;
};

#define ELF_FIELD(kind, field) { \
	offsetof(Elf32_##kind, field), sizeof(((Elf32_##kind *)0)->field), \
	offsetof(Elf64_##kind, field), sizeof(((Elf64_##kind *)0)->field) }

static const struct elf_field ehdr_fields[] = {
	ELF_FIELD(Ehdr, e_type), ELF_FIELD(Ehdr, e_machine), ELF_FIELD(Ehdr, e_version),
	ELF_FIELD(Ehdr, e_entry), ELF_FIELD(Ehdr, e_phoff), ELF_FIELD(Ehdr, e_shoff),
	ELF_FIELD(Ehdr, e_flags), ELF_FIELD(Ehdr, e_ehsize), ELF_FIELD(Ehdr, e_phentsize),
	ELF_FIELD(Ehdr, e_phnum), ELF_FIELD(Ehdr, e_shentsize), ELF_FIELD(Ehdr, e_shnum),
	ELF_FIELD(Ehdr, e_shstrndx),
};

static const struct elf_field phdr_fields[] = {
	ELF_FIELD(Phdr, p_type), ELF_FIELD(Phdr, p_flags), ELF_FIELD(Phdr, p_offset),
	ELF_FIELD(Phdr, p_vaddr), ELF_FIELD(Phdr, p_paddr), ELF_FIELD(Phdr, p_filesz),
	ELF_FIELD(Phdr, p_memsz), ELF_FIELD(Phdr, p_align),
};

static const struct elf_field shdr_fields[] = {
	ELF_FIELD(Shdr, sh_name), ELF_FIELD(Shdr, sh_type), ELF_FIELD(Shdr, sh_flags),
	ELF_FIELD(Shdr, sh_addr), ELF_FIELD(Shdr, sh_offset), ELF_FIELD(Shdr, sh_size),
	ELF_FIELD(Shdr, sh_link), ELF_FIELD(Shdr, sh_info), ELF_FIELD(Shdr, sh_addralign),
	ELF_FIELD(Shdr, sh_entsize),
};

static const struct elf_field sym_fields[] = {
	ELF_FIELD(Sym, st_name), ELF_FIELD(Sym, st_info), ELF_FIELD(Sym, st_other),
	ELF_FIELD(Sym, st_shndx), ELF_FIELD(Sym, st_value), ELF_FIELD(Sym, st_size),
};

static const struct elf_field rela_fields[] = {
	ELF_FIELD(Rela, r_offset), ELF_FIELD(Rela, r_info), ELF_FIELD(Rela, r_addend),
};

#define ELF_DECODE(info, p, fields, native) \
	elf_decode(info, p, fields, sizeof(fields) / sizeof((fields)[0]), native)

/* Copy each field of the on-disk structure at p into its native Elf64_ place. */
static void elf_decode(const struct kexec_elf_info *info, const uint8_t *p,
		       const struct elf_field *fields, size_t nr, void *native)
{
	uint8_t ei_data = info->ehdr.e_ident[EI_DATA], *out = native;
	bool elf64 = elf_is_elf64(info);
	size_t i;

	for (i = 0; i < nr; i++) {
		const struct elf_field *f = &fields[i];
		uint64_t v = elf_get(ei_data, p + (elf64 ? f->off64 : f->off32),
				     elf64 ? f->size64 : f->size32);
		uint8_t v8 = (uint8_t)v;
		uint16_t v16 = (uint16_t)v;
		uint32_t v32 = (uint32_t)v;

		switch (f->size64) {
		case 1:
			memcpy(out + f->off64, &v8, 1);
			break;
		case 2:
			memcpy(out + f->off64, &v16, 2);
			break;
		case 4:
			memcpy(out + f->off64, &v32, 4);
			break;
		default:
			memcpy(out + f->off64, &v, 8);
			break;
		}
	}
}

size_t elf_phdr_size(const struct kexec_elf_info *info)
{
	return elf_is_elf64(info) ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr);
}

size_t elf_shdr_size(const struct kexec_elf_info *info)
{
	return elf_is_elf64(info) ? sizeof(Elf64_Shdr) : sizeof(Elf32_Shdr);
}

size_t elf_sym_size(const struct kexec_elf_info *info)
{
	return elf_is_elf64(info) ? sizeof(Elf64_Sym) : sizeof(Elf32_Sym);
}

size_t elf_rela_size(const struct kexec_elf_info *info)
{
	return elf_is_elf64(info) ? sizeof(Elf64_Rela) : sizeof(Elf32_Rela);
}

/* A table of num entries of entsize bytes at off lies within the file. */
static bool elf_table_fits(const struct kexec_elf_info *info, uint64_t off, uint64_t num,
			   uint64_t entsize)
{
	return off <= info->len && (info->len - off) / entsize >= num;
}

bool elf_is_ehdr_sane(struct kexec_elf_info *info)
{
	const Elf64_Ehdr *ehdr = &info->ehdr;

	if (ehdr->e_phnum > 0 && ehdr->e_phentsize != elf_phdr_size(info)) {
		elf_fail(info, "e_phentsize %u, expected %zu", ehdr->e_phentsize, elf_phdr_size(info));
		return false;
	}
	if (ehdr->e_shnum > 0 && ehdr->e_shentsize != elf_shdr_size(info)) {
		elf_fail(info, "e_shentsize %u, expected %zu", ehdr->e_shentsize, elf_shdr_size(info));
		return false;
	}
	if (ehdr->e_ident[EI_VERSION] != EV_CURRENT || ehdr->e_version != EV_CURRENT) {
		elf_fail(info, "unknown ELF version %u/%u", ehdr->e_ident[EI_VERSION], ehdr->e_version);
		return false;
	}
	/* PN_XNUM: the count is in section 0, the caller checks that table */
	if (ehdr->e_phnum > 0 && ehdr->e_phnum != PN_XNUM &&
	    !elf_table_fits(info, ehdr->e_phoff, ehdr->e_phnum, ehdr->e_phentsize)) {
		elf_fail(info, "truncated file: the program header table at offset 0x%llx (%llu bytes) ends beyond the end of the file (%zu bytes)",
			 (unsigned long long)ehdr->e_phoff,
			 (unsigned long long)ehdr->e_phnum * ehdr->e_phentsize, info->len);
		return false;
	}
	if (ehdr->e_shnum > 0 &&
	    !elf_table_fits(info, ehdr->e_shoff, ehdr->e_shnum, ehdr->e_shentsize)) {
		elf_fail(info, "truncated file: the section header table at offset 0x%llx (%llu bytes) ends beyond the end of the file (%zu bytes)",
			 (unsigned long long)ehdr->e_shoff,
			 (unsigned long long)ehdr->e_shnum * ehdr->e_shentsize, info->len);
		return false;
	}
	return true;
}

int elf_read_ehdr(struct kexec_elf_info *info, const uint8_t *buf, size_t buf_len)
{
	Elf64_Ehdr *ehdr = &info->ehdr;
	size_t need;

	memset(ehdr, 0, sizeof(*ehdr));
	if (!buf_len || memcmp(buf, ELFMAG, buf_len < SELFMAG ? buf_len : SELFMAG))
		return elf_fail(info, "not an ELF file");
	if (buf_len < EI_NIDENT)
		return elf_fail(info, "truncated ELF header (%zu of %d bytes)", buf_len, EI_NIDENT);
	if (buf[EI_CLASS] != ELFCLASS32 && buf[EI_CLASS] != ELFCLASS64)
		return elf_fail(info, "unknown ELF class %u", buf[EI_CLASS]);
	if (buf[EI_DATA] != ELFDATA2LSB && buf[EI_DATA] != ELFDATA2MSB)
		return elf_fail(info, "unknown ELF byte order %u", buf[EI_DATA]);
	memcpy(ehdr->e_ident, buf, EI_NIDENT);
	need = elf_is_elf64(info) ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr);
	if (buf_len < need)
		return elf_fail(info, "truncated ELF header (%zu of %zu bytes)", buf_len, need);

	ELF_DECODE(info, buf, ehdr_fields, ehdr);

	return elf_is_ehdr_sane(info) ? 0 : -ENOEXEC;
}

void elf_parse_phdr(const struct kexec_elf_info *info, const uint8_t *p, Elf64_Phdr *phdr)
{
	ELF_DECODE(info, p, phdr_fields, phdr);
}

bool elf_is_phdr_sane(struct kexec_elf_info *info, const Elf64_Phdr *phdr, unsigned int idx)
{
	if (phdr->p_offset + phdr->p_filesz < phdr->p_offset) {
		elf_fail(info, "program header %u: p_offset + p_filesz overflows", idx);
		return false;
	}
	if (phdr->p_paddr + phdr->p_memsz < phdr->p_paddr) {
		elf_fail(info, "program header %u: p_paddr + p_memsz overflows", idx);
		return false;
	}
	if (phdr->p_offset + phdr->p_filesz > info->len) {
		elf_fail(info, "truncated file: program header %u (0x%llx bytes at offset 0x%llx) ends beyond the end of the file (%zu bytes)",
			 idx, (unsigned long long)phdr->p_filesz, (unsigned long long)phdr->p_offset,
			 info->len);
		return false;
	}
	return true;
}

int elf_read_phdrs(struct kexec_elf_info *info)
{
	const Elf64_Ehdr *ehdr = &info->ehdr;
	unsigned int i;

	if (!ehdr->e_phnum)
		return 0;
	if (ehdr->e_phnum == PN_XNUM)
		return elf_fail(info, "more than 65534 program headers (PN_XNUM)");
	info->proghdrs = calloc(ehdr->e_phnum, sizeof(*info->proghdrs));
	if (!info->proghdrs) {
		snprintf(info->err, sizeof(info->err), "out of memory");
		return -ENOMEM;
	}
	/* elf_is_ehdr_sane() has checked that the table lies within the file */
	for (i = 0; i < ehdr->e_phnum; i++) {
		elf_parse_phdr(info, info->buffer + ehdr->e_phoff + (uint64_t)i * ehdr->e_phentsize,
			       &info->proghdrs[i]);
		if (!elf_is_phdr_sane(info, &info->proghdrs[i], i))
			goto out_free_proghdrs;
	}
	return 0;

out_free_proghdrs:
	free(info->proghdrs);
	info->proghdrs = NULL;
	return -ENOEXEC;
}

int kexec_build_elf_info(const uint8_t *buf, size_t len, struct kexec_elf_info *info)
{
	int ret;

	memset(info, 0, sizeof(*info));
	info->buffer = buf;
	info->len = len;
	ret = elf_read_ehdr(info, buf, len);
	if (ret)
		return ret;
	return elf_read_phdrs(info);
}

void kexec_free_elf_info(struct kexec_elf_info *info)
{
	free(info->proghdrs);
	info->proghdrs = NULL;
	free(info->sechdrs);
	info->sechdrs = NULL;
}

void elf_parse_shdr(const struct kexec_elf_info *info, const uint8_t *p, Elf64_Shdr *shdr)
{
	ELF_DECODE(info, p, shdr_fields, shdr);
}

int elf_read_shdrs(struct kexec_elf_info *info)
{
	const Elf64_Ehdr *ehdr = &info->ehdr;
	unsigned int i;

	if (!ehdr->e_shnum || !ehdr->e_shoff)
		return elf_fail(info, "no section headers");
	info->sechdrs = calloc(ehdr->e_shnum, sizeof(*info->sechdrs));
	if (!info->sechdrs) {
		snprintf(info->err, sizeof(info->err), "out of memory");
		return -ENOMEM;
	}
	for (i = 0; i < ehdr->e_shnum; i++) {
		Elf64_Shdr *s = &info->sechdrs[i];

		elf_parse_shdr(info, info->buffer + ehdr->e_shoff + (uint64_t)i * ehdr->e_shentsize, s);
		if (s->sh_type != SHT_NOBITS &&
		    (s->sh_offset > info->len || s->sh_size > info->len - s->sh_offset)) {
			elf_fail(info, "truncated file: section %u (0x%llx bytes at offset 0x%llx) ends beyond the end of the file (%zu bytes)",
				 i, (unsigned long long)s->sh_size, (unsigned long long)s->sh_offset, info->len);
			goto out_free_sechdrs;
		}
	}
	if (ehdr->e_shstrndx >= ehdr->e_shnum ||
	    info->sechdrs[ehdr->e_shstrndx].sh_type != SHT_STRTAB) {
		elf_fail(info, "e_shstrndx %u is not a string table", ehdr->e_shstrndx);
		goto out_free_sechdrs;
	}
	return 0;

out_free_sechdrs:
	free(info->sechdrs);
	info->sechdrs = NULL;
	return -ENOEXEC;
}

const char *elf_string(const struct kexec_elf_info *info, unsigned int strndx, uint64_t off)
{
	const Elf64_Shdr *s;
	const char *str;

	if (!info->sechdrs || strndx >= info->ehdr.e_shnum)
		return NULL;
	s = &info->sechdrs[strndx];
	if (s->sh_type != SHT_STRTAB || off >= s->sh_size)
		return NULL;
	str = (const char *)info->buffer + s->sh_offset + off;
	if (!memchr(str, '\0', s->sh_size - off))
		return NULL;
	return str;
}

const char *elf_section_name(const struct kexec_elf_info *info, unsigned int idx)
{
	const char *name = NULL;

	if (info->sechdrs && idx < info->ehdr.e_shnum)
		name = elf_string(info, info->ehdr.e_shstrndx, info->sechdrs[idx].sh_name);
	return name ? name : "?";
}

uint64_t elf_nr_entries(const struct kexec_elf_info *info, unsigned int idx)
{
	const Elf64_Shdr *s;

	if (!info->sechdrs || idx >= info->ehdr.e_shnum)
		return 0;
	s = &info->sechdrs[idx];
	if (s->sh_type == SHT_SYMTAB || s->sh_type == SHT_DYNSYM)
		return s->sh_size / elf_sym_size(info);
	if (s->sh_type == SHT_RELA)
		return s->sh_size / elf_rela_size(info);
	return 0;
}

int elf_read_sym(const struct kexec_elf_info *info, unsigned int symtab, uint64_t idx, Elf64_Sym *sym)
{
	const uint8_t *p;

	if (idx >= elf_nr_entries(info, symtab) || info->sechdrs[symtab].sh_type == SHT_RELA)
		return -ENOENT;
	p = info->buffer + info->sechdrs[symtab].sh_offset + idx * elf_sym_size(info);
	ELF_DECODE(info, p, sym_fields, sym);
	return 0;
}

/* As the kernel names a symbol in messages: its name, else its section's. */
const char *elf_sym_name(const struct kexec_elf_info *info, unsigned int symtab, const Elf64_Sym *sym)
{
	const char *name;

	if (sym->st_name) {
		name = elf_string(info, info->sechdrs[symtab].sh_link, sym->st_name);
		return name ? name : "?";
	}
	if (sym->st_shndx < info->ehdr.e_shnum)
		return elf_section_name(info, sym->st_shndx);
	return "?";
}

int elf_read_rela(const struct kexec_elf_info *info, unsigned int relsec, uint64_t idx, Elf64_Rela *rela)
{
	const uint8_t *p;

	if (idx >= elf_nr_entries(info, relsec) || info->sechdrs[relsec].sh_type != SHT_RELA)
		return -ENOENT;
	p = info->buffer + info->sechdrs[relsec].sh_offset + idx * elf_rela_size(info);
	ELF_DECODE(info, p, rela_fields, rela);
	if (!elf_is_elf64(info)) {
		rela->r_info = ELF64_R_INFO(ELF32_R_SYM(rela->r_info), ELF32_R_TYPE(rela->r_info));
		rela->r_addend = (int32_t)rela->r_addend;
	}
	return 0;
}
