// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kexec-tools' beoboot loader (its kexec/arch/i386/kexec-beoboot-x86.c): a
 * Beowulf boot image, a 16-byte header ("BeoB", arch 1 = i386, flags,
 * cmdline_size; kernel_size, initrd_size) followed by the command line, a
 * bzImage and, with flag 1, an initrd. Those three are loaded as
 * kexec-tools loads them, through its bzImage loader with the 32-bit entry
 * (do_bzImage_load); --append and --initrd are not read, as in kexec-tools.
 */
#include <errno.h>
#include <string.h>
#include "log.h"
#include "request.h"
#include "x86_64.h"

#define BEOBOOT_HDR_SIZE	16
#define BEOBOOT_ARCH_I386	1
#define BEOBOOT_INITRD_PRESENT	1

struct beoboot_parts {
	const uint8_t *cmdline, *kernel, *initrd;
	size_t cmdline_size, kernel_size, initrd_size;
};

/* The parts of buf, each checked to lie within it: 0, or -ENOEXEC with *why. */
static int beoboot_split(const uint8_t *buf, size_t len, struct beoboot_parts *p, const char **why)
{
	uint64_t end;

	*why = "not a beoboot image";
	if (len < BEOBOOT_HDR_SIZE || memcmp(buf, "BeoB", 4) || buf[4] != BEOBOOT_ARCH_I386)
		return -ENOEXEC;
	p->cmdline_size = get_le16(buf + 6);
	p->kernel_size = get_le32(buf + 8);
	p->initrd_size = buf[5] & BEOBOOT_INITRD_PRESENT ? get_le32(buf + 12) : 0;
	end = (uint64_t)BEOBOOT_HDR_SIZE + p->cmdline_size + p->kernel_size + p->initrd_size;
	if (end > len) {
		*why = "a beoboot image cut short (its header announces more than the file holds)";
		return -ENOEXEC;
	}
	p->cmdline = buf + BEOBOOT_HDR_SIZE;
	p->kernel = p->cmdline + p->cmdline_size;
	p->initrd = p->initrd_size ? p->kernel + p->kernel_size : NULL;
	if (p->cmdline_size && p->cmdline[p->cmdline_size - 1]) {
		*why = "a beoboot image whose command line does not end in a NUL";
		return -ENOEXEC;
	}
	if (x86_64_bzImage_ops.probe(p->kernel, p->kernel_size)) {
		*why = "a beoboot image without a bzImage inside";
		return -ENOEXEC;
	}
	return 0;
}

static int beoboot_probe(const uint8_t *buf, size_t len)
{
	struct beoboot_parts p;
	const char *why;

	return beoboot_split(buf, len, &p, &why);
}

static const char *beoboot_refusal(const uint8_t *buf, size_t len)
{
	struct beoboot_parts p;
	const char *why;

	if (len < 4 || memcmp(buf, "BeoB", 4))
		return NULL;
	if (len >= 5 && buf[4] != BEOBOOT_ARCH_I386)
		return "a beoboot image for another architecture than i386";
	beoboot_split(buf, len, &p, &why);
	return why;
}

static int beoboot_load(struct plan *plan, const struct kexec_inputs *in)
{
	struct kexec_inputs inner = *in;
	struct beoboot_parts p;
	const char *why;

	if (beoboot_split(in->kernel, in->kernel_len, &p, &why)) {
		kx_error("%s: %s", in->kernel_name, why);
		return -ENOEXEC;
	}
	if (in->initrd || in->req->append)
		kx_debug("%s: a beoboot image brings its own command line and initrd: --append and --initrd are not read (as kexec-tools)",
			 in->kernel_name);
	inner.kernel = p.kernel;
	inner.kernel_len = p.kernel_size;
	inner.cmdline = p.cmdline_size ? (const char *)p.cmdline : "";
	inner.cmdline_len = p.cmdline_size;
	inner.initrd = p.initrd;
	inner.initrd_len = p.initrd_size;
	inner.initrd_name = p.initrd ? in->kernel_name : NULL;
	return do_bzImage_load(plan, &inner);
}

const struct kexec_file_ops x86_64_beoboot_ops = {
	.name = "beoboot-x86",
	.probe = beoboot_probe,
	.refusal = beoboot_refusal,
	.load = beoboot_load,
	.userspace_only = true,
};
