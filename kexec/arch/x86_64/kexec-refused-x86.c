// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kexec-tools' x86 image types ukexec detects (in kexec-tools' probe order)
 * but does not load, each refused in one line saying why: multiboot2 (its
 * boot information is a tag list ukexec does not build; an image that also
 * carries a multiboot header is probed as multiboot-x86 first)
 * and nbi (kexec-tools' own nbi loader places no purgatory and so cannot
 * start one either).
 */
#include <elf.h>
#include <errno.h>
#include <string.h>
#include "log.h"
#include "x86_64.h"

#define MULTIBOOT2_SEARCH	32768
#define MULTIBOOT2_ALIGN	8
#define MULTIBOOT2_MAGIC	0xe85250d6
#define NBI_HDR_SIZE		16

/* kexec-tools' multiboot2_x86_probe(): an x86 ELF with a multiboot2 header in its first 32 KiB */
static int multiboot2_x86_probe(const uint8_t *buf, size_t len)
{
	size_t off, end = len < MULTIBOOT2_SEARCH ? len : MULTIBOOT2_SEARCH;
	uint16_t machine;

	if (len < sizeof(Elf32_Ehdr) || memcmp(buf, ELFMAG, SELFMAG) || buf[EI_DATA] != ELFDATA2LSB)
		return -ENOEXEC;
	machine = get_le16(buf + offsetof(Elf32_Ehdr, e_machine));
	if (machine != EM_386 && machine != EM_X86_64)
		return -ENOEXEC;
	for (off = 0; off + 16 <= end; off += MULTIBOOT2_ALIGN) {
		uint32_t magic = get_le32(buf + off);

		if (magic == MULTIBOOT2_MAGIC &&
		    !(uint32_t)(magic + get_le32(buf + off + 4) + get_le32(buf + off + 8) +
				get_le32(buf + off + 12)))
			return 0;
	}
	return -ENOEXEC;
}

static int multiboot2_x86_load(struct plan *plan, const struct kexec_inputs *in)
{
	(void)plan;
	kx_error("%s: a multiboot2 image: ukexec does not build multiboot2's boot information (a tag list); an image with a multiboot header too loads as multiboot-x86",
		 in->kernel_name);
	return -ENOEXEC;
}

const struct kexec_file_ops x86_64_multiboot2_ops = {
	.name = "multiboot2-x86",
	.probe = multiboot2_x86_probe,
	.load = multiboot2_x86_load,
	.userspace_only = true,
};

/* kexec-tools' nbi_probe(), its header checks: magic, header size, no reserved or return bits */
static int nbi_probe(const uint8_t *buf, size_t len)
{
	uint32_t length;

	if (len < 512 || memcmp(buf, "\x36\x13\x03\x1b", 4))
		return -ENOEXEC;
	length = get_le32(buf + 4);
	if ((length & 0xf) * 4 != NBI_HDR_SIZE || ((length & 0xf0) >> 4) * 4 > 512 - NBI_HDR_SIZE)
		return -ENOEXEC;
	if (length & 0x7ffffe00 || length & (1 << 8))
		return -ENOEXEC;
	return 0;
}

static int nbi_load(struct plan *plan, const struct kexec_inputs *in)
{
	(void)plan;
	kx_error("%s: a network boot image (nbi): kexec-tools' nbi loader places no purgatory, so it cannot start one either; ukexec does not load nbi images",
		 in->kernel_name);
	return -ENOEXEC;
}

const struct kexec_file_ops x86_64_nbi_ops = {
	.name = "nbi-x86",
	.probe = nbi_probe,
	.load = nbi_load,
	.userspace_only = true,
};
