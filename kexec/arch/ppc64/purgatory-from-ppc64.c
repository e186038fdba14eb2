// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * --purgatory-from=VMLINUX on ppc64 (the arch's purgatory_from hook): a
 * ppc64 vmlinux carries its purgatory as the kexec_purgatory[] blob in
 * .rodata (arch/powerpc/purgatory/kexec-purgatory.S), followed by the
 * 64-bit kexec_purgatory_size. Both are found through the symbol table, so
 * a stripped vmlinux cannot serve.
 */
#include <elf.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "byteorder.h"
#include "kexec-elf.h"
#include "log.h"
#include "ppc64.h"

/* The file offset of symbol name's first byte with len bytes after it. */
static int vmlinux_symbol_offset(const struct kexec_elf_info *info, const char *name,
				 uint64_t len, uint64_t *off)
{
	unsigned int s;
	uint64_t i;

	for (s = 0; s < info->ehdr.e_shnum; s++) {
		if (info->sechdrs[s].sh_type != SHT_SYMTAB)
			continue;
		for (i = 0; i < elf_nr_entries(info, s); i++) {
			const Elf64_Shdr *sec;
			Elf64_Sym sym;
			const char *sname;

			if (elf_read_sym(info, s, i, &sym) || !sym.st_name)
				continue;
			sname = elf_string(info, info->sechdrs[s].sh_link, sym.st_name);
			if (!sname || strcmp(sname, name))
				continue;
			if (sym.st_shndx == SHN_UNDEF || sym.st_shndx >= info->ehdr.e_shnum)
				return -ENOEXEC;
			sec = &info->sechdrs[sym.st_shndx];
			if (sec->sh_type == SHT_NOBITS || sym.st_value < sec->sh_addr ||
			    sym.st_value - sec->sh_addr > sec->sh_size ||
			    len > sec->sh_size - (sym.st_value - sec->sh_addr))
				return -ENOEXEC;
			*off = sec->sh_offset + (sym.st_value - sec->sh_addr);
			return 0;
		}
	}
	return -ENOENT;
}

static bool is_ppc64_rel_object(const uint8_t *p, size_t len)
{
	return len >= sizeof(Elf64_Ehdr) && !memcmp(p, ELFMAG, SELFMAG) &&
	       p[EI_CLASS] == ELFCLASS64 && p[EI_DATA] == ELFDATA2LSB &&
	       get_le16(p + offsetof(Elf64_Ehdr, e_type)) == ET_REL &&
	       get_le16(p + offsetof(Elf64_Ehdr, e_machine)) == EM_PPC64;
}

int purgatory_from_vmlinux(const uint8_t *image, size_t len, const char *name,
			   uint8_t **obj, size_t *objlen)
{
	struct kexec_elf_info info;
	uint64_t size_off, blob_off, size;
	int ret;

	ret = kexec_build_elf_info(image, len, &info);
	if (!ret)
		ret = elf_read_shdrs(&info);
	if (ret) {
		kx_error("%s: not an ELF vmlinux: %s", name, info.err);
		goto out_free_info;
	}
	ret = vmlinux_symbol_offset(&info, "kexec_purgatory_size", 8, &size_off);
	if (ret) {
		kx_error("%s: %s kexec_purgatory_size (a stripped vmlinux, or one without KEXEC_FILE?)",
			 name, ret == -ENOENT ? "no symbol" : "a bad symbol");
		ret = -ENOEXEC;
		goto out_free_info;
	}
	size = get_le64(image + size_off);
	ret = vmlinux_symbol_offset(&info, "kexec_purgatory", size, &blob_off);
	if (ret || !is_ppc64_rel_object(image + blob_off, size)) {
		kx_error("%s: kexec_purgatory (0x%llx bytes) is %s", name, (unsigned long long)size,
			 ret == -ENOENT ? "not a symbol" :
			 ret ? "not within its section" : "not a little-endian ppc64 ET_REL object");
		ret = -ENOEXEC;
		goto out_free_info;
	}
	*obj = malloc(size);
	if (!*obj) {
		kx_error("%s: out of memory", name);
		ret = -ENOMEM;
		goto out_free_info;
	}
	memcpy(*obj, image + blob_off, size);
	*objlen = size;
	kx_debug("%s: kexec_purgatory at file offset 0x%llx, 0x%llx bytes", name,
		 (unsigned long long)blob_off, (unsigned long long)size);
out_free_info:
	kexec_free_elf_info(&info);
	return ret;
}
