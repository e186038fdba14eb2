// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kexec-tools' nbi (Etherboot network boot image) type, detected as
 * kexec-tools' nbi_probe() detects it and refused in one line: kexec-tools'
 * own nbi loader places no purgatory, so it cannot start one either.
 */
#include <errno.h>
#include <string.h>
#include "log.h"
#include "x86_64.h"

#define NBI_HDR_SIZE		16

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
