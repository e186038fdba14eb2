// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * --purgatory-from=KERNEL on x86_64 (the arch's purgatory_from hook): the
 * purgatory object an x86_64 kernel image carries.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "decompress.h"
#include "kexec-elf.h"
#include "log.h"
#include "x86_64.h"

/*
 * The purgatory a kernel carries (kexec_purgatory[], the x86 build's
 * purgatory.ro embedded in .rodata): find the compressed payload of the
 * bzImage through its setup header, decompress it, and look for an x86_64
 * relocatable object inside the resulting vmlinux.
 */
#define BZ_SETUP_SECTS		0x1f1
#define BZ_HEADER_MAGIC		0x202
#define BZ_VERSION		0x206
#define BZ_PAYLOAD_OFFSET	0x248
#define BZ_PAYLOAD_LENGTH	0x24c

/*
 * The size of the x86_64 ET_REL object at p (its headers read by the ELF
 * module, the file taken to end at p + avail), or 0 when it is not one.
 */
static size_t embedded_object_size(const uint8_t *p, size_t avail)
{
	struct kexec_elf_info info;
	uint64_t end = 0;
	unsigned int i;

	memset(&info, 0, sizeof(info));
	info.buffer = p;
	info.len = avail;
	if (elf_read_ehdr(&info, p, avail) || info.ehdr.e_ident[EI_CLASS] != ELFCLASS64 ||
	    info.ehdr.e_ident[EI_DATA] != ELFDATA2LSB || info.ehdr.e_type != ET_REL ||
	    info.ehdr.e_machine != EM_X86_64 || !info.ehdr.e_shnum || elf_read_shdrs(&info))
		goto out_free;
	end = info.ehdr.e_shoff + (uint64_t)info.ehdr.e_shnum * info.ehdr.e_shentsize;
	for (i = 0; i < info.ehdr.e_shnum; i++) {
		const Elf64_Shdr *s = &info.sechdrs[i];

		if (s->sh_type != SHT_NOBITS && s->sh_type != SHT_NULL &&
		    s->sh_offset + s->sh_size > end)
			end = s->sh_offset + s->sh_size;
	}
out_free:
	kexec_free_elf_info(&info);
	return end;
}

static int purgatory_find_embedded(const uint8_t *vmlinux, size_t len, const char *name,
				   uint8_t **obj, size_t *objlen)
{
	const uint8_t *p = vmlinux, *end = vmlinux + len;

	while ((p = memmem(p, end - p, ELFMAG, SELFMAG))) {
		size_t size = embedded_object_size(p, end - p);

		if (size) {
			*obj = malloc(size);
			if (!*obj) {
				kx_error("%s: out of memory", name);
				return -ENOMEM;
			}
			memcpy(*obj, p, size);
			*objlen = size;
			kx_debug("%s: purgatory object at offset 0x%zx of the decompressed kernel, 0x%zx bytes",
				 name, (size_t)(p - vmlinux), size);
			return 0;
		}
		p++;
	}
	kx_error("%s: no x86_64 relocatable (ET_REL) object in the decompressed kernel", name);
	return -ENOENT;
}

int purgatory_from_kernel(const uint8_t *image, size_t len, const char *name,
			  uint8_t **obj, size_t *objlen)
{
	uint8_t *vmlinux = NULL;
	size_t vmlinux_len = 0;
	uint32_t setup_sects, payload_offset, payload_length;
	uint64_t start;
	int ret;

	if (len < BZ_PAYLOAD_LENGTH + 4 || memcmp(image + BZ_HEADER_MAGIC, "HdrS", 4)) {
		kx_error("%s: not a bzImage (no \"HdrS\" setup header)", name);
		return -ENOEXEC;
	}
	if ((image[BZ_VERSION] | image[BZ_VERSION + 1] << 8) < 0x208) {
		kx_error("%s: boot protocol %u.%02u has no payload fields (needs 2.08)", name,
			 image[BZ_VERSION + 1], image[BZ_VERSION]);
		return -ENOEXEC;
	}
	setup_sects = image[BZ_SETUP_SECTS] ? image[BZ_SETUP_SECTS] : 4;
	payload_offset = get_le32(image + BZ_PAYLOAD_OFFSET);
	payload_length = get_le32(image + BZ_PAYLOAD_LENGTH);
	start = (uint64_t)(setup_sects + 1) * 512 + payload_offset;
	if (start > len || payload_length > len - start || !payload_length) {
		kx_error("%s: payload (offset 0x%llx, 0x%x bytes) lies outside the file (0x%zx bytes)",
			 name, (unsigned long long)start, payload_length, len);
		return -ENOEXEC;
	}
	if (kx_comp_detect(image + start, payload_length) == KX_COMP_NONE)
		return purgatory_find_embedded(image + start, payload_length, name, obj, objlen);

	ret = kx_decompress(image + start, payload_length, name, 0, &vmlinux, &vmlinux_len);
	if (ret)
		return ret;
	ret = purgatory_find_embedded(vmlinux, vmlinux_len, name, obj, objlen);
	free(vmlinux);
	return ret;
}
