// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kexec_elf_load(): the generic PT_LOAD loop of the kernel's
 * kernel/kexec_elf.c, on top of the ELF module (lib/kexec_elf.c) and the
 * plan's kexec_add_buffer.
 */
#include "elf_load.h"
#include "plan.h"

int kexec_elf_load(const struct kexec_elf_info *elf_info, struct kexec_buf *kbuf,
		   uint64_t *lowest_load_addr)
{
	/* the kernel starts from UINT_MAX: segments above 4 GiB report that */
	uint64_t lowest_addr = UINT32_MAX;
	unsigned int i;
	int ret;

	for (i = 0; i < elf_info->ehdr.e_phnum; i++) {
		const Elf64_Phdr *phdr = &elf_info->proghdrs[i];
		uint64_t size;

		if (phdr->p_type != PT_LOAD)
			continue;
		/* a segment's file part never exceeds its memory image */
		size = phdr->p_filesz < phdr->p_memsz ? phdr->p_filesz : phdr->p_memsz;
		kbuf->buffer = elf_info->buffer + phdr->p_offset;
		kbuf->bufsz = size;
		kbuf->memsz = phdr->p_memsz;
		kbuf->buf_align = phdr->p_align;
		kbuf->buf_min = phdr->p_paddr;
		kbuf->mem = KEXEC_BUF_MEM_UNKNOWN;
		ret = kexec_add_buffer(kbuf);
		if (ret)
			return ret;
		if (kbuf->mem < lowest_addr)
			lowest_addr = kbuf->mem;
	}
	if (lowest_load_addr)
		*lowest_load_addr = lowest_addr;
	return 0;
}
