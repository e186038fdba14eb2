// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The purgatory loader: kernel/kexec_file.c's kexec_load_purgatory() after
 * the 2018 clean-up, in userspace. The object is never written to; its
 * section headers are read once into native-endian copies (ro_sechdrs), and
 * a second set of copies (sechdrs) is rewritten so that sh_offset is the
 * offset in purgatory_buf and sh_addr the load address.
 *
 * Everything the kernel trusts in its own built-in object is checked here
 * first (purgatory_open), because --purgatory=FILE and --purgatory-from=
 * take arbitrary input: the later steps index without further checks.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <stdlib.h>
#include <stddef.h>
#include <string.h>
#include "arch.h"
#include "log.h"
#include "plan.h"
#include "purgatory.h"
#include "reloc.h"

/* Refuse layouts larger than this: no purgatory comes near it. */
#define PURGATORY_MAX_MEMSZ	(64ULL << 20)
#define PURGATORY_MAX_ALIGN	(1ULL << 21)

uint64_t pelf_get(const struct purgatory_info *pi, const void *p, unsigned int size)
{
	const uint8_t *b = p;
	uint64_t v = 0;
	unsigned int i;

	for (i = 0; i < size; i++) {
		unsigned int k = pi->arch->ei_data == ELFDATA2MSB ? size - 1 - i : i;

		v |= (uint64_t)b[k] << (8 * i);
	}
	return v;
}

void pelf_put(const struct purgatory_info *pi, void *p, unsigned int size, uint64_t v)
{
	uint8_t *b = p;
	unsigned int i;

	for (i = 0; i < size; i++) {
		unsigned int k = pi->arch->ei_data == ELFDATA2MSB ? size - 1 - i : i;

		b[k] = (uint8_t)(v >> (8 * i));
	}
}

/* The kernel's ALIGN(); align is a checked power of two. */
static uint64_t kalign(uint64_t x, uint64_t align)
{
	if (align <= 1)
		return x;
	return (x + align - 1) & ~(align - 1);
}

const char *purgatory_string(const struct purgatory_info *pi, unsigned int strndx, uint64_t off)
{
	const struct pelf_shdr *s;
	const char *str;

	if (strndx >= pi->e_shnum)
		return NULL;
	s = &pi->ro_sechdrs[strndx];
	if (s->sh_type != SHT_STRTAB || off >= s->sh_size)
		return NULL;
	str = (const char *)pi->ehdr + s->sh_offset + off;
	if (!memchr(str, '\0', s->sh_size - off))
		return NULL;
	return str;
}

const char *purgatory_section_name(const struct purgatory_info *pi, unsigned int idx)
{
	const char *name = NULL;

	if (idx < pi->e_shnum)
		name = purgatory_string(pi, pi->e_shstrndx, pi->ro_sechdrs[idx].sh_name);
	return name ? name : "?";
}

int purgatory_read_sym(const struct purgatory_info *pi, unsigned int symtab, uint64_t idx,
		       struct pelf_sym *sym)
{
	const struct pelf_shdr *s = &pi->ro_sechdrs[symtab];
	const uint8_t *p;

	if (idx >= s->sh_size / sizeof(Elf64_Sym))
		return -ENOENT;
	p = pi->ehdr + s->sh_offset + idx * sizeof(Elf64_Sym);
	sym->st_name = (uint32_t)pelf_get(pi, p + offsetof(Elf64_Sym, st_name), 4);
	sym->st_info = p[offsetof(Elf64_Sym, st_info)];
	sym->st_other = p[offsetof(Elf64_Sym, st_other)];
	sym->st_shndx = (uint16_t)pelf_get(pi, p + offsetof(Elf64_Sym, st_shndx), 2);
	sym->st_value = pelf_get(pi, p + offsetof(Elf64_Sym, st_value), 8);
	sym->st_size = pelf_get(pi, p + offsetof(Elf64_Sym, st_size), 8);
	return 0;
}

/* As the kernel names a symbol in messages: its name, else its section's. */
const char *purgatory_sym_name(const struct purgatory_info *pi, unsigned int symtab,
			       const struct pelf_sym *sym)
{
	const char *name;

	if (sym->st_name) {
		name = purgatory_string(pi, pi->ro_sechdrs[symtab].sh_link, sym->st_name);
		return name ? name : "?";
	}
	if (sym->st_shndx < pi->e_shnum)
		return purgatory_section_name(pi, sym->st_shndx);
	return "?";
}

static void purgatory_read_shdr(const struct purgatory_info *pi, const uint8_t *p,
				struct pelf_shdr *s)
{
	s->sh_name = (uint32_t)pelf_get(pi, p + offsetof(Elf64_Shdr, sh_name), 4);
	s->sh_type = (uint32_t)pelf_get(pi, p + offsetof(Elf64_Shdr, sh_type), 4);
	s->sh_flags = pelf_get(pi, p + offsetof(Elf64_Shdr, sh_flags), 8);
	s->sh_addr = pelf_get(pi, p + offsetof(Elf64_Shdr, sh_addr), 8);
	s->sh_offset = pelf_get(pi, p + offsetof(Elf64_Shdr, sh_offset), 8);
	s->sh_size = pelf_get(pi, p + offsetof(Elf64_Shdr, sh_size), 8);
	s->sh_link = (uint32_t)pelf_get(pi, p + offsetof(Elf64_Shdr, sh_link), 4);
	s->sh_info = (uint32_t)pelf_get(pi, p + offsetof(Elf64_Shdr, sh_info), 4);
	s->sh_addralign = pelf_get(pi, p + offsetof(Elf64_Shdr, sh_addralign), 8);
	s->sh_entsize = pelf_get(pi, p + offsetof(Elf64_Shdr, sh_entsize), 8);
}

static int purgatory_check_ehdr(const struct purgatory_info *pi, const struct arch *arch)
{
	const uint8_t *e = pi->ehdr;
	uint16_t type, machine, shentsize;
	uint64_t shoff;

	if (pi->size < sizeof(Elf64_Ehdr) || memcmp(e, ELFMAG, SELFMAG)) {
		kx_error("%s: not an ELF object", pi->name);
		return -ENOEXEC;
	}
	if (e[EI_CLASS] != ELFCLASS64) {
		kx_error("%s: not a 64-bit ELF object (EI_CLASS %u)", pi->name, e[EI_CLASS]);
		return -ENOEXEC;
	}
	if (e[EI_DATA] != arch->ei_data) {
		kx_error("%s: byte order %s, %s needs %s", pi->name,
			 e[EI_DATA] == ELFDATA2MSB ? "big-endian" :
			 e[EI_DATA] == ELFDATA2LSB ? "little-endian" : "invalid", arch->name,
			 arch->ei_data == ELFDATA2MSB ? "big-endian" : "little-endian");
		return -ENOEXEC;
	}
	type = (uint16_t)pelf_get(pi, e + offsetof(Elf64_Ehdr, e_type), 2);
	machine = (uint16_t)pelf_get(pi, e + offsetof(Elf64_Ehdr, e_machine), 2);
	shentsize = (uint16_t)pelf_get(pi, e + offsetof(Elf64_Ehdr, e_shentsize), 2);
	shoff = pelf_get(pi, e + offsetof(Elf64_Ehdr, e_shoff), 8);
	if (type != ET_REL) {
		kx_error("%s: ELF type %u, a purgatory is a relocatable object (ET_REL)", pi->name, type);
		return -ENOEXEC;
	}
	if (machine != arch->e_machine) {
		kx_error("%s: e_machine %u, %s needs %u", pi->name, machine, arch->name, arch->e_machine);
		return -ENOEXEC;
	}
	if (shentsize != sizeof(Elf64_Shdr)) {
		kx_error("%s: e_shentsize %u, expected %zu", pi->name, shentsize, sizeof(Elf64_Shdr));
		return -ENOEXEC;
	}
	if (pi->e_shnum == 0) {
		kx_error("%s: no section headers", pi->name);
		return -ENOEXEC;
	}
	if (shoff > pi->size || (pi->size - shoff) / sizeof(Elf64_Shdr) < pi->e_shnum) {
		kx_error("%s: section headers (e_shoff 0x%llx, %u entries) extend past the end of the file (0x%zx bytes)",
			 pi->name, (unsigned long long)shoff, pi->e_shnum, pi->size);
		return -ENOEXEC;
	}
	if (pi->e_shstrndx >= pi->e_shnum) {
		kx_error("%s: e_shstrndx %u out of range (%u sections)", pi->name, pi->e_shstrndx, pi->e_shnum);
		return -ENOEXEC;
	}
	return 0;
}

/* The checks that make every later index safe. */
static int purgatory_check_sechdrs(const struct purgatory_info *pi)
{
	const struct pelf_shdr *shstr = &pi->ro_sechdrs[pi->e_shstrndx];
	unsigned int i;

	if (shstr->sh_type != SHT_STRTAB) {
		kx_error("%s: section header string table (section %u) is not SHT_STRTAB",
			 pi->name, pi->e_shstrndx);
		return -ENOEXEC;
	}
	for (i = 0; i < pi->e_shnum; i++) {
		const struct pelf_shdr *s = &pi->ro_sechdrs[i];

		if (s->sh_type != SHT_NOBITS &&
		    (s->sh_offset > pi->size || s->sh_size > pi->size - s->sh_offset)) {
			kx_error("%s: section %u: offset 0x%llx size 0x%llx extends past the end of the file (0x%zx bytes)",
				 pi->name, i, (unsigned long long)s->sh_offset,
				 (unsigned long long)s->sh_size, pi->size);
			return -ENOEXEC;
		}
	}
	/* From here on, section names can be read. */
	for (i = 0; i < pi->e_shnum; i++) {
		const struct pelf_shdr *s = &pi->ro_sechdrs[i];
		const char *name = purgatory_section_name(pi, i);

		if (s->sh_type == SHT_STRTAB && s->sh_size &&
		    ((const char *)pi->ehdr)[s->sh_offset + s->sh_size - 1] != '\0') {
			kx_error("%s: section %s: string table not terminated", pi->name, name);
			return -ENOEXEC;
		}
		if (s->sh_flags & SHF_ALLOC) {
			if (s->sh_addralign & (s->sh_addralign - 1) || s->sh_addralign > PURGATORY_MAX_ALIGN) {
				kx_error("%s: section %s: sh_addralign 0x%llx is not a power of two up to 0x%llx",
					 pi->name, name, (unsigned long long)s->sh_addralign,
					 (unsigned long long)PURGATORY_MAX_ALIGN);
				return -ENOEXEC;
			}
			if (s->sh_size > PURGATORY_MAX_MEMSZ) {
				kx_error("%s: section %s: size 0x%llx is too large for a purgatory",
					 pi->name, name, (unsigned long long)s->sh_size);
				return -ENOEXEC;
			}
		}
		switch (s->sh_type) {
		case SHT_SYMTAB:
			if (s->sh_link >= pi->e_shnum || pi->ro_sechdrs[s->sh_link].sh_type != SHT_STRTAB) {
				kx_error("%s: section %s: sh_link %u is not a string table",
					 pi->name, name, s->sh_link);
				return -ENOEXEC;
			}
			break;
		case SHT_RELA:
		case SHT_REL:
			if (s->sh_link >= pi->e_shnum || pi->ro_sechdrs[s->sh_link].sh_type != SHT_SYMTAB) {
				kx_error("%s: section %s: sh_link %u is not a symbol table",
					 pi->name, name, s->sh_link);
				return -ENOEXEC;
			}
			if (s->sh_info >= pi->e_shnum) {
				kx_error("%s: section %s: sh_info %u out of range (%u sections)",
					 pi->name, name, s->sh_info, pi->e_shnum);
				return -ENOEXEC;
			}
			break;
		}
	}
	return 0;
}

int purgatory_open(struct purgatory_info *pi, const struct arch *arch,
		   const uint8_t *elf, size_t len, const char *name)
{
	unsigned int i;
	int ret;

	memset(pi, 0, sizeof(*pi));
	pi->arch = arch;
	pi->name = name ? name : "purgatory";
	pi->ehdr = elf;
	pi->size = len;
	pi->entry_rule = PURGATORY_ENTRY_SYMBOL;
	if (len >= sizeof(Elf64_Ehdr)) {
		pi->e_shnum = (uint16_t)pelf_get(pi, elf + offsetof(Elf64_Ehdr, e_shnum), 2);
		pi->e_shstrndx = (uint16_t)pelf_get(pi, elf + offsetof(Elf64_Ehdr, e_shstrndx), 2);
		pi->e_entry = pelf_get(pi, elf + offsetof(Elf64_Ehdr, e_entry), 8);
	}
	ret = purgatory_check_ehdr(pi, arch);
	if (ret)
		goto out;

	pi->ro_sechdrs = calloc(pi->e_shnum, sizeof(*pi->ro_sechdrs));
	if (!pi->ro_sechdrs) {
		kx_error("%s: out of memory", pi->name);
		ret = -ENOMEM;
		goto out;
	}
	for (i = 0; i < pi->e_shnum; i++)
		purgatory_read_shdr(pi, elf + pelf_get(pi, elf + offsetof(Elf64_Ehdr, e_shoff), 8) +
				    (uint64_t)i * sizeof(Elf64_Shdr), &pi->ro_sechdrs[i]);

	ret = purgatory_check_sechdrs(pi);
	if (ret)
		goto out_free_ro_sechdrs;
	return 0;

out_free_ro_sechdrs:
	free(pi->ro_sechdrs);
	pi->ro_sechdrs = NULL;
out:
	pi->ehdr = NULL;
	return ret;
}

void purgatory_release(struct purgatory_info *pi)
{
	free(pi->sechdrs);
	pi->sechdrs = NULL;
	free(pi->ro_sechdrs);
	pi->ro_sechdrs = NULL;
	/* purgatory_buf belongs to the plan once added */
}

/*
 * kexec_purgatory_find_symbol(): the first STB_GLOBAL symbol of that name in
 * any symbol table; one with an undefined or special section index is "not
 * found", as in the kernel (which only says so with pr_debug).
 */
static int kexec_purgatory_find_symbol(const struct purgatory_info *pi, const char *name,
				       struct pelf_sym *out)
{
	unsigned int i;
	uint64_t k;

	if (!pi->ehdr)
		return -ENOENT;
	for (i = 0; i < pi->e_shnum; i++) {
		const struct pelf_shdr *s = &pi->ro_sechdrs[i];

		if (s->sh_type != SHT_SYMTAB)
			continue;
		for (k = 0; k < s->sh_size / sizeof(Elf64_Sym); k++) {
			struct pelf_sym sym;
			const char *sname;

			purgatory_read_sym(pi, i, k, &sym);
			if (ELF64_ST_BIND(sym.st_info) != STB_GLOBAL)
				continue;
			sname = purgatory_string(pi, s->sh_link, sym.st_name);
			if (!sname || strcmp(sname, name))
				continue;
			if (sym.st_shndx == SHN_UNDEF || sym.st_shndx >= pi->e_shnum) {
				kx_debug("%s: symbol %s has bad section index %u",
					 pi->name, name, sym.st_shndx);
				return -ENOENT;
			}
			*out = sym;
			return 0;
		}
	}
	return -ENOENT;
}

/*
 * kexec_purgatory_setup_kbuf(): size the buffer. File-backed SHF_ALLOC
 * sections in header order, each at its alignment; NOBITS sections counted
 * apart and placed after the file-backed part, which is first aligned to the
 * largest NOBITS alignment.
 */
static int kexec_purgatory_setup_kbuf(struct purgatory_info *pi, struct kexec_buf *kbuf)
{
	const struct pelf_shdr *sechdrs = pi->ro_sechdrs;
	uint64_t bss_align = 1, bss_sz = 0, bufsz = 0;
	unsigned int i;
	int ret;

	kbuf->buf_align = 1;
	for (i = 0; i < pi->e_shnum; i++) {
		uint64_t align = sechdrs[i].sh_addralign;

		if (!(sechdrs[i].sh_flags & SHF_ALLOC))
			continue;
		if (sechdrs[i].sh_type != SHT_NOBITS) {
			if (kbuf->buf_align < align)
				kbuf->buf_align = align;
			bufsz = kalign(bufsz, align) + sechdrs[i].sh_size;
		} else {
			if (bss_align < align)
				bss_align = align;
			bss_sz = kalign(bss_sz, align) + sechdrs[i].sh_size;
		}
		if (bufsz > PURGATORY_MAX_MEMSZ || bss_sz > PURGATORY_MAX_MEMSZ) {
			kx_error("%s: allocated sections exceed 0x%llx bytes", pi->name,
				 (unsigned long long)PURGATORY_MAX_MEMSZ);
			return -EFBIG;
		}
	}
	bufsz = kalign(bufsz, bss_align);
	kbuf->bufsz = bufsz;
	kbuf->memsz = bufsz + bss_sz;
	if (kbuf->buf_align < bss_align)
		kbuf->buf_align = bss_align;

	/* the plan owns the buffer (at least one byte, even when empty) */
	pi->purgatory_buf = plan_alloc(kbuf->plan, bufsz, pi->name);
	if (!pi->purgatory_buf)
		return -ENOMEM;
	kbuf->buffer = pi->purgatory_buf;
	pi->bufsz = bufsz;
	pi->memsz = kbuf->memsz;

	ret = kexec_add_buffer(kbuf);
	if (ret) {
		pi->purgatory_buf = NULL;
		return ret;
	}
	pi->load_addr = kbuf->mem;
	return 0;
}

/*
 * kexec_purgatory_setup_sechdrs(): copy the file-backed sections into
 * purgatory_buf, give each allocated section its load address and, for the
 * file-backed ones, its offset in purgatory_buf; translate the entry point.
 */
static int kexec_purgatory_setup_sechdrs(struct purgatory_info *pi, struct kexec_buf *kbuf)
{
	struct pelf_shdr *sechdrs;
	struct pelf_sym entry_sym;
	bool have_entry_sym = false, start_fixed = false;
	uint64_t offset = 0, bss_addr, start;
	unsigned int i;

	sechdrs = calloc(pi->e_shnum, sizeof(*sechdrs));
	if (!sechdrs) {
		kx_error("%s: out of memory", pi->name);
		return -ENOMEM;
	}
	memcpy(sechdrs, pi->ro_sechdrs, pi->e_shnum * sizeof(*sechdrs));
	pi->sechdrs = sechdrs;

	bss_addr = kbuf->mem + kbuf->bufsz;
	start = pi->e_entry;
	if (pi->entry_rule == PURGATORY_ENTRY_SYMBOL)
		have_entry_sym = !kexec_purgatory_find_symbol(pi, "purgatory_start", &entry_sym);

	for (i = 0; i < pi->e_shnum; i++) {
		uint64_t align = sechdrs[i].sh_addralign;
		bool exec = sechdrs[i].sh_flags & SHF_EXECINSTR;

		if (!(sechdrs[i].sh_flags & SHF_ALLOC))
			continue;
		if (sechdrs[i].sh_type == SHT_NOBITS) {
			bss_addr = kalign(bss_addr, align);
			sechdrs[i].sh_addr = bss_addr;
			bss_addr += sechdrs[i].sh_size;
			continue;
		}
		offset = kalign(offset, align);

		if (!start_fixed && have_entry_sym && i == entry_sym.st_shndx && exec &&
		    entry_sym.st_value < sechdrs[i].sh_size) {
			start = kbuf->mem + offset + entry_sym.st_value;
			start_fixed = true;
		}
		/*
		 * e_entry is an offset into the section that holds it (sh_addr is
		 * 0 in an ET_REL object): the first executable section that
		 * contains it, so that a later .text.hot or .text.unlikely does
		 * not move it again - except under the old rule.
		 */
		if (!start_fixed && exec && pi->e_entry >= sechdrs[i].sh_addr &&
		    pi->e_entry - sechdrs[i].sh_addr < sechdrs[i].sh_size &&
		    (pi->entry_rule == PURGATORY_ENTRY_EACH || start == pi->e_entry)) {
			start = start - sechdrs[i].sh_addr + kbuf->mem + offset;
			if (pi->entry_rule != PURGATORY_ENTRY_EACH)
				start_fixed = true;
		}

		memcpy(pi->purgatory_buf + offset, pi->ehdr + sechdrs[i].sh_offset, sechdrs[i].sh_size);
		sechdrs[i].sh_addr = kbuf->mem + offset;
		sechdrs[i].sh_offset = offset;
		offset += sechdrs[i].sh_size;
	}
	kbuf->plan->entry = start;
	pi->start = start;
	return 0;
}

/*
 * kexec_apply_relocations(): every SHT_RELA/SHT_REL section whose target is
 * allocated, through the architecture's table. The kernel's generic
 * arch_kexec_apply_relocations() refuses SHT_REL, and no architecture here
 * overrides it.
 */
static int kexec_apply_relocations(struct purgatory_info *pi)
{
	unsigned int i;
	int ret;

	for (i = 0; i < pi->e_shnum; i++) {
		const struct pelf_shdr *relsec = &pi->ro_sechdrs[i];

		if (relsec->sh_type != SHT_RELA && relsec->sh_type != SHT_REL)
			continue;
		if (!(pi->sechdrs[relsec->sh_info].sh_flags & SHF_ALLOC))
			continue;
		if (relsec->sh_type == SHT_REL) {
			kx_error("%s: section %s: SHT_REL relocations are not supported (the kernel refuses them too)",
				 pi->name, purgatory_section_name(pi, i));
			return -ENOEXEC;
		}
		ret = kexec_apply_relocations_add(pi, i);
		if (ret)
			return ret;
	}
	return 0;
}

int kexec_load_purgatory(struct plan *plan, struct purgatory_info *pi, struct kexec_buf *kbuf)
{
	int ret;

	if (!pi->ehdr || !plan) {
		kx_error("purgatory: not opened");
		return -EINVAL;
	}
	kbuf->plan = plan;
	if (!kbuf->what)
		kbuf->what = "purgatory";

	ret = kexec_purgatory_setup_kbuf(pi, kbuf);
	if (ret)
		return ret;

	ret = kexec_purgatory_setup_sechdrs(pi, kbuf);
	if (ret)
		goto out_free_kbuf;

	ret = kexec_apply_relocations(pi);
	if (ret)
		goto out_free_sechdrs;

	plan->pi = pi;
	return 0;

out_free_sechdrs:
	free(pi->sechdrs);
	pi->sechdrs = NULL;
out_free_kbuf:
	/* the plan owns the buffer and is dropped by the caller on error */
	pi->purgatory_buf = NULL;
	return ret;
}

bool kexec_purgatory_has_symbol(const struct purgatory_info *pi, const char *name)
{
	struct pelf_sym sym;

	return pi->ehdr && !kexec_purgatory_find_symbol(pi, name, &sym);
}

int kexec_purgatory_get_symbol_addr(const struct purgatory_info *pi, const char *name, uint64_t *addr)
{
	struct pelf_sym sym;

	if (!pi->sechdrs) {
		kx_error("%s: symbol %s: purgatory not loaded yet", pi->name, name);
		return -EINVAL;
	}
	if (kexec_purgatory_find_symbol(pi, name, &sym)) {
		kx_error("%s: no global defined symbol %s", pi->name, name);
		return -EINVAL;
	}
	*addr = pi->sechdrs[sym.st_shndx].sh_addr + sym.st_value;
	return 0;
}

int kexec_purgatory_get_set_symbol(struct purgatory_info *pi, const char *name,
				   void *buf, size_t size, bool get_value)
{
	const struct pelf_shdr *sec;
	struct pelf_sym sym;
	uint8_t *sym_buf;

	if (!pi->sechdrs || !pi->purgatory_buf) {
		kx_error("%s: symbol %s: purgatory not loaded yet", pi->name, name);
		return -EINVAL;
	}
	if (kexec_purgatory_find_symbol(pi, name, &sym)) {
		kx_error("%s: no global defined symbol %s", pi->name, name);
		return -EINVAL;
	}
	if (sym.st_size != size) {
		kx_error("%s: symbol %s size mismatch: expected %llu actual %zu", pi->name, name,
			 (unsigned long long)sym.st_size, size);
		return -EINVAL;
	}
	sec = &pi->sechdrs[sym.st_shndx];
	if (sec->sh_type == SHT_NOBITS) {
		kx_error("%s: symbol %s is in a bss section, cannot %s it", pi->name, name,
			 get_value ? "get" : "set");
		return -EINVAL;
	}
	if (!(sec->sh_flags & SHF_ALLOC) || sym.st_value > sec->sh_size ||
	    size > sec->sh_size - sym.st_value) {
		kx_error("%s: symbol %s (0x%llx bytes at 0x%llx) lies outside the loaded section %s",
			 pi->name, name, (unsigned long long)sym.st_size,
			 (unsigned long long)sym.st_value, purgatory_section_name(pi, sym.st_shndx));
		return -EINVAL;
	}
	sym_buf = pi->purgatory_buf + sec->sh_offset + sym.st_value;
	if (get_value)
		memcpy(buf, sym_buf, size);
	else
		memcpy(sym_buf, buf, size);
	return 0;
}
