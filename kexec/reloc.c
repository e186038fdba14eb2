// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The one relocation loop. Each architecture describes its types as data
 * (kexec/arch/<arch>/reloc-<arch>.c); this file computes the value, checks
 * its range and alignment, and inserts its bits, for all of them.
 *
 * As in the kernel's arch_kexec_apply_relocations_add(): the relocation
 * entries and symbols are read from the read-only object, S is the symbol's
 * section load address (img->sechdrs, already rewritten) plus st_value, P the
 * target section's load address plus r_offset, and the bytes are rewritten
 * in img->buf (which holds the object's section contents).
 */
#include <elf.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "byteorder.h"
#include "log.h"
#include "reloc.h"

const struct reloc_howto *reloc_howto_find(const struct reloc_arch *ra, uint32_t type)
{
	unsigned int i;

	for (i = 0; i < ra->nr_howto; i++)
		if (ra->howto[i].type == type)
			return &ra->howto[i];
	return NULL;
}

/* What a relocation error names: object, section, offset, type, symbol. */
struct reloc_site {
	const struct reloc_image *img;
	const char *section;
	uint64_t offset;
	const char *type;
	const char *sym;
};

#define reloc_error(site, fmt, ...) \
	kx_error("%s: section %s: offset 0x%" PRIx64 ": %s against '%s': " fmt, \
		 (site)->img->name, (site)->section, (site)->offset, (site)->type, \
		 (site)->sym, ##__VA_ARGS__)

static uint64_t field_mask(unsigned int bits)
{
	return bits >= 64 ? ~0ULL : (1ULL << bits) - 1;
}

/* The range check, after the right shift, as bfd's complain_overflow_*. */
static bool reloc_overflows(const struct reloc_howto *h, uint64_t v)
{
	int64_t s = (int64_t)v >> h->shift;
	uint64_t u = v >> h->shift;

	if (h->bits >= 64)
		return false;
	switch (h->check) {
	case RK_SIGNED:
		return s < -(int64_t)(1ULL << (h->bits - 1)) || s > (int64_t)((1ULL << (h->bits - 1)) - 1);
	case RK_UNSIGNED:
		return u > field_mask(h->bits);
	case RK_BITFIELD:
		/* the bits above the field are all clear or all set */
		s >>= h->bits;
		return s != 0 && s != -1;
	}
	return false;
}

/* Insert the (already shifted) field value into the container. */
static uint64_t reloc_insert(const struct reloc_howto *h, uint64_t insn, uint64_t field)
{
	uint64_t m;

	switch (h->field) {
	case RF_S390_20:
		/* DL: 12 bits at 16, DH: 8 bits at 8 (a 32-bit container) */
		insn &= ~0x0fffff00ULL;
		insn |= (field & 0xfff) << 16;
		insn |= ((field >> 12) & 0xff) << 8;
		return insn;
	case RF_ARM64_ADR:
		/* immlo: 2 bits at 29, immhi: 19 bits at 5 */
		insn &= ~((3ULL << 29) | (0x7ffffULL << 5));
		insn |= (field & 3) << 29;
		insn |= ((field >> 2) & 0x7ffff) << 5;
		return insn;
	default:
		m = field_mask(h->bits) << h->lshift;
		return (insn & ~m) | ((field << h->lshift) & m);
	}
}

/* ppc64 ELFv2: a call through REL24 enters past the global entry code. */
static uint64_t ppc64_local_entry_offset(uint8_t st_other)
{
	return ((1ULL << ((st_other >> 5) & 7)) >> 2) << 2;
}

/* The TOC pointer, as the ppc64 kernel's get_toc_ptr(): .toc + 0x8000. */
static int reloc_toc_base(const struct reloc_image *img, const struct reloc_site *site,
			  uint64_t *toc)
{
	const struct reloc_arch *ra = img->ra;
	unsigned int i;

	for (i = 0; ra->toc_section && i < img->elf->ehdr.e_shnum; i++) {
		if (img->sechdrs[i].sh_size && (img->sechdrs[i].sh_flags & SHF_ALLOC) &&
		    !strcmp(elf_section_name(img->elf, i), ra->toc_section)) {
			*toc = img->sechdrs[i].sh_addr + ra->toc_bias;
			return 0;
		}
	}
	reloc_error(site, "needs the TOC, but the object has no %s section",
		    ra->toc_section ? ra->toc_section : "TOC");
	return -ENOEXEC;
}

/* S: the symbol's load address; the kernel's checks, and a few more. */
static int reloc_symbol_value(const struct reloc_image *img, const struct reloc_site *site,
			      const Elf64_Sym *sym, uint64_t *value)
{
	const struct reloc_arch *ra = img->ra;

	if (sym->st_shndx == SHN_UNDEF) {
		if (ra->toc_symbol && !strcmp(site->sym, ra->toc_symbol))
			return reloc_toc_base(img, site, value);
		reloc_error(site, "undefined symbol");
		return -ENOEXEC;
	}
	if (sym->st_shndx == SHN_COMMON) {
		reloc_error(site, "symbol in a common section");
		return -ENOEXEC;
	}
	if (sym->st_shndx == SHN_ABS) {
		*value = sym->st_value;
		return 0;
	}
	if (sym->st_shndx >= img->elf->ehdr.e_shnum) {
		reloc_error(site, "invalid section index %u", sym->st_shndx);
		return -ENOEXEC;
	}
	if (!(img->sechdrs[sym->st_shndx].sh_flags & SHF_ALLOC)) {
		reloc_error(site, "symbol in section %s, which is not loaded",
			    elf_section_name(img->elf, sym->st_shndx));
		return -ENOEXEC;
	}
	*value = img->sechdrs[sym->st_shndx].sh_addr + sym->st_value;
	return 0;
}

static int reloc_apply_one(struct reloc_image *img, const struct reloc_site *site,
			   const struct reloc_howto *h, const Elf64_Sym *sym,
			   uint64_t r_offset, int64_t r_addend, const Elf64_Shdr *section)
{
	uint8_t ei_data = img->elf->ehdr.e_ident[EI_DATA];
	uint64_t s, p, v, toc, insn, where = r_offset + (int64_t)h->at;
	uint8_t *loc;
	int ret;

	if (h->calc == RC_NONE)
		return 0;
	if (where > section->sh_size || h->size > section->sh_size - where ||
	    (h->at < 0 && r_offset < (uint64_t)-h->at)) {
		reloc_error(site, "%u bytes at the offset lie outside the section (0x%" PRIx64 " bytes)",
			    h->size, section->sh_size);
		return -ENOEXEC;
	}
	loc = img->buf + section->sh_offset + where;
	p = section->sh_addr + r_offset;

	if (h->calc == RC_TOCBASE) {
		s = 0;
	} else {
		ret = reloc_symbol_value(img, site, sym, &s);
		if (ret)
			return ret;
	}
	if (h->flags & RH_LOCAL_ENTRY)
		s += ppc64_local_entry_offset(sym->st_other);

	v = s + (uint64_t)r_addend;
	switch (h->calc) {
	case RC_PCREL:
		v -= p;
		break;
	case RC_PAGE_PCREL:
		v = (v & ~0xfffULL) - (p & ~0xfffULL);
		break;
	case RC_TOCREL:
	case RC_TOCBASE:
		ret = reloc_toc_base(img, site, &toc);
		if (ret)
			return ret;
		v = h->calc == RC_TOCREL ? v - toc : toc + (uint64_t)r_addend;
		break;
	}
	if (h->flags & RH_HA)
		v += 0x8000;

	if (reloc_overflows(h, v)) {
		reloc_error(site, "value 0x%" PRIx64 " overflows", v);
		return -ERANGE;
	}
	if (h->align > 1 && (v & (h->align - 1))) {
		reloc_error(site, "value 0x%" PRIx64 " is not a multiple of %u", v, h->align);
		return -ENOEXEC;
	}
	insn = elf_get(ei_data, loc, h->size);
	insn = reloc_insert(h, insn, v >> h->shift);
	elf_put(ei_data, loc, h->size, insn);
	return 0;
}

int kexec_apply_relocations_add(struct reloc_image *img, unsigned int relidx)
{
	const struct reloc_arch *ra = img->ra;
	const Elf64_Shdr *relsec = &img->elf->sechdrs[relidx];
	const Elf64_Shdr *section = &img->sechdrs[relsec->sh_info];
	struct reloc_site site = { .img = img };
	uint64_t i, n = elf_nr_entries(img->elf, relidx);
	char typebuf[32];

	site.section = elf_section_name(img->elf, relidx);
	if (section->sh_type == SHT_NOBITS) {
		kx_error("%s: section %s: relocations against %s, which has no contents",
			 img->name, site.section, elf_section_name(img->elf, relsec->sh_info));
		return -ENOEXEC;
	}
	for (i = 0; i < n; i++) {
		Elf64_Rela rela;
		uint32_t type;
		const struct reloc_howto *h;
		Elf64_Sym sym;
		int ret;

		elf_read_rela(img->elf, relidx, i, &rela);
		type = (uint32_t)ELF64_R_TYPE(rela.r_info);
		h = reloc_howto_find(ra, type);
		site.offset = rela.r_offset;
		site.sym = "?";
		if (h) {
			site.type = h->name;
		} else {
			snprintf(typebuf, sizeof(typebuf), "type %u", type);
			site.type = typebuf;
		}
		if (elf_read_sym(img->elf, relsec->sh_link, ELF64_R_SYM(rela.r_info), &sym)) {
			reloc_error(&site, "symbol index %" PRIu64 " out of range",
				    (uint64_t)ELF64_R_SYM(rela.r_info));
			return -ENOEXEC;
		}
		site.sym = elf_sym_name(img->elf, relsec->sh_link, &sym);
		if (!h) {
			reloc_error(&site, "unknown relocation type for %s", ra->name);
			return -ENOEXEC;
		}
		ret = reloc_apply_one(img, &site, h, &sym, rela.r_offset, rela.r_addend, section);
		if (ret)
			return ret;
		if ((unsigned int)(h - ra->howto) < RELOC_MAX_HOWTO)
			img->reloc_count[h - ra->howto]++;
		(*img->nr_relocs)++;
	}
	return 0;
}
