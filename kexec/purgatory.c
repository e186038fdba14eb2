// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The purgatory loader: kernel/kexec_file.c's kexec_load_purgatory() after
 * the 2018 clean-up, in userspace. The object is never written to; its
 * section headers are read once into native-endian copies (elf.sechdrs), and
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
#include "kexec-elf.h"
#include "log.h"
#include "plan.h"
#include "profile.h"
#include "purgatory.h"
#include "reloc.h"

/* Refuse layouts larger than this: no purgatory comes near it. */
#define PURGATORY_MAX_MEMSZ	(64ULL << 20)
#define PURGATORY_MAX_ALIGN	(1ULL << 21)

/* The kernel's ALIGN(); align is a checked power of two. */
static uint64_t kalign(uint64_t x, uint64_t align)
{
	if (align <= 1)
		return x;
	return (x + align - 1) & ~(align - 1);
}

/* What a purgatory must be beyond a readable ELF file: this arch's ET_REL. */
static int purgatory_check_ehdr(const struct purgatory_info *pi, const struct arch *arch)
{
	const Elf64_Ehdr *e = &pi->elf.ehdr;

	if (e->e_ident[EI_CLASS] != ELFCLASS64) {
		kx_error("%s: not a 64-bit ELF object (EI_CLASS %u)", pi->name, e->e_ident[EI_CLASS]);
		return -ENOEXEC;
	}
	if (e->e_ident[EI_DATA] != arch->ei_data) {
		kx_error("%s: byte order %s, %s needs %s", pi->name,
			 e->e_ident[EI_DATA] == ELFDATA2MSB ? "big-endian" : "little-endian", arch->name,
			 arch->ei_data == ELFDATA2MSB ? "big-endian" : "little-endian");
		return -ENOEXEC;
	}
	if (e->e_type != ET_REL) {
		kx_error("%s: ELF type %u, a purgatory is a relocatable object (ET_REL)", pi->name, e->e_type);
		return -ENOEXEC;
	}
	if (e->e_machine != arch->e_machine) {
		kx_error("%s: e_machine %u, %s needs %u", pi->name, e->e_machine, arch->name, arch->e_machine);
		return -ENOEXEC;
	}
	return 0;
}

/* The checks that make every later index safe. */
static int purgatory_check_sechdrs(const struct purgatory_info *pi)
{
	const Elf64_Shdr *sechdrs = pi->elf.sechdrs;
	unsigned int i, shnum = pi->elf.ehdr.e_shnum;

	for (i = 0; i < shnum; i++) {
		const Elf64_Shdr *s = &sechdrs[i];
		const char *name = elf_section_name(&pi->elf, i);

		if (s->sh_type == SHT_STRTAB && s->sh_size &&
		    pi->elf.buffer[s->sh_offset + s->sh_size - 1] != '\0') {
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
			if (s->sh_link >= shnum || sechdrs[s->sh_link].sh_type != SHT_STRTAB) {
				kx_error("%s: section %s: sh_link %u is not a string table",
					 pi->name, name, s->sh_link);
				return -ENOEXEC;
			}
			break;
		case SHT_RELA:
		case SHT_REL:
			if (s->sh_link >= shnum || sechdrs[s->sh_link].sh_type != SHT_SYMTAB) {
				kx_error("%s: section %s: sh_link %u is not a symbol table",
					 pi->name, name, s->sh_link);
				return -ENOEXEC;
			}
			if (s->sh_info >= shnum) {
				kx_error("%s: section %s: sh_info %u out of range (%u sections)",
					 pi->name, name, s->sh_info, shnum);
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
	int ret;

	memset(pi, 0, sizeof(*pi));
	pi->arch = arch;
	pi->name = name ? name : "purgatory";
	pi->entry_rule = PURGATORY_ENTRY_SYMBOL;
	pi->elf.buffer = elf;
	pi->elf.len = len;

	ret = elf_read_ehdr(&pi->elf, elf, len);
	if (ret) {
		kx_error("%s: %s", pi->name, pi->elf.err);
		goto out;
	}
	ret = purgatory_check_ehdr(pi, arch);
	if (ret)
		goto out;
	ret = elf_read_shdrs(&pi->elf);
	if (ret) {
		kx_error("%s: %s", pi->name, pi->elf.err);
		goto out;
	}
	ret = purgatory_check_sechdrs(pi);
	if (ret)
		goto out_free_elf_info;
	return 0;

out_free_elf_info:
	kexec_free_elf_info(&pi->elf);
out:
	pi->elf.buffer = NULL;
	return ret;
}

void purgatory_release(struct purgatory_info *pi)
{
	free(pi->sechdrs);
	pi->sechdrs = NULL;
	kexec_free_elf_info(&pi->elf);
	/* purgatory_buf belongs to the plan once added */
}

/*
 * kexec_purgatory_find_symbol(): the first STB_GLOBAL symbol of that name in
 * any symbol table; one with an undefined or special section index is "not
 * found", as in the kernel (which only says so with pr_debug).
 */
static int kexec_purgatory_find_symbol(const struct purgatory_info *pi, const char *name,
				       Elf64_Sym *out)
{
	unsigned int i;
	uint64_t k;

	if (!pi->elf.buffer)
		return -ENOENT;
	for (i = 0; i < pi->elf.ehdr.e_shnum; i++) {
		const Elf64_Shdr *s = &pi->elf.sechdrs[i];

		if (s->sh_type != SHT_SYMTAB)
			continue;
		for (k = 0; k < elf_nr_entries(&pi->elf, i); k++) {
			Elf64_Sym sym;
			const char *sname;

			elf_read_sym(&pi->elf, i, k, &sym);
			if (ELF64_ST_BIND(sym.st_info) != STB_GLOBAL)
				continue;
			sname = elf_string(&pi->elf, s->sh_link, sym.st_name);
			if (!sname || strcmp(sname, name))
				continue;
			if (sym.st_shndx == SHN_UNDEF || sym.st_shndx >= pi->elf.ehdr.e_shnum) {
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
	const Elf64_Shdr *sechdrs = pi->elf.sechdrs;
	uint64_t bss_align = 1, bss_sz = 0, bufsz = 0;
	unsigned int i;
	int ret;

	kbuf->buf_align = 1;
	for (i = 0; i < pi->elf.ehdr.e_shnum; i++) {
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
	Elf64_Shdr *sechdrs;
	Elf64_Sym entry_sym;
	bool have_entry_sym = false, start_fixed = false;
	uint64_t offset = 0, bss_addr, start;
	unsigned int i;

	sechdrs = calloc(pi->elf.ehdr.e_shnum, sizeof(*sechdrs));
	if (!sechdrs) {
		kx_error("%s: out of memory", pi->name);
		return -ENOMEM;
	}
	memcpy(sechdrs, pi->elf.sechdrs, pi->elf.ehdr.e_shnum * sizeof(*sechdrs));
	pi->sechdrs = sechdrs;

	bss_addr = kbuf->mem + kbuf->bufsz;
	start = pi->elf.ehdr.e_entry;
	if (pi->entry_rule == PURGATORY_ENTRY_SYMBOL)
		have_entry_sym = !kexec_purgatory_find_symbol(pi, "purgatory_start", &entry_sym);

	for (i = 0; i < pi->elf.ehdr.e_shnum; i++) {
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
		if (!start_fixed && exec && pi->elf.ehdr.e_entry >= sechdrs[i].sh_addr &&
		    pi->elf.ehdr.e_entry - sechdrs[i].sh_addr < sechdrs[i].sh_size &&
		    (pi->entry_rule == PURGATORY_ENTRY_EACH || start == pi->elf.ehdr.e_entry)) {
			start = start - sechdrs[i].sh_addr + kbuf->mem + offset;
			if (pi->entry_rule != PURGATORY_ENTRY_EACH)
				start_fixed = true;
		}

		memcpy(pi->purgatory_buf + offset, pi->elf.buffer + sechdrs[i].sh_offset, sechdrs[i].sh_size);
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
	struct reloc_image rel = {
		.name = pi->name,
		.ra = pi->arch->reloc,
		.elf = &pi->elf,
		.sechdrs = pi->sechdrs,
		.buf = pi->purgatory_buf,
		.reloc_count = pi->reloc_count,
		.nr_relocs = &pi->nr_relocs,
	};
	unsigned int i;
	int ret;

	for (i = 0; i < pi->elf.ehdr.e_shnum; i++) {
		const Elf64_Shdr *relsec = &pi->elf.sechdrs[i];

		if (relsec->sh_type != SHT_RELA && relsec->sh_type != SHT_REL)
			continue;
		if (!(pi->sechdrs[relsec->sh_info].sh_flags & SHF_ALLOC))
			continue;
		if (relsec->sh_type == SHT_REL) {
			kx_error("%s: section %s: SHT_REL relocations are not supported (the kernel refuses them too)",
				 pi->name, elf_section_name(&pi->elf, i));
			return -ENOEXEC;
		}
		ret = kexec_apply_relocations_add(&rel, i);
		if (ret)
			return ret;
	}
	return 0;
}

int kexec_load_purgatory(struct plan *plan, struct purgatory_info *pi, struct kexec_buf *kbuf)
{
	int ret;

	if (!pi->elf.buffer || !plan) {
		kx_error("purgatory: not opened");
		return -EINVAL;
	}
	kbuf->plan = plan;
	if (!kbuf->what)
		kbuf->what = "purgatory";
	if (plan->profile)
		pi->entry_rule = plan_rule(plan, PR_PURGATORY_START_SYM) ? PURGATORY_ENTRY_SYMBOL :
				 plan_rule(plan, PR_PURGATORY_ENTRY_FIRST) ? PURGATORY_ENTRY_FIRST :
				 PURGATORY_ENTRY_EACH;

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
	Elf64_Sym sym;

	return pi->elf.buffer && !kexec_purgatory_find_symbol(pi, name, &sym);
}

int kexec_purgatory_get_symbol_addr(const struct purgatory_info *pi, const char *name, uint64_t *addr)
{
	Elf64_Sym sym;

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
	const Elf64_Shdr *sec;
	Elf64_Sym sym;
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
			 (unsigned long long)sym.st_value, elf_section_name(&pi->elf, sym.st_shndx));
		return -EINVAL;
	}
	sym_buf = pi->purgatory_buf + sec->sh_offset + sym.st_value;
	if (get_value)
		memcpy(buf, sym_buf, size);
	else
		memcpy(sym_buf, buf, size);
	return 0;
}
