// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The purgatory runs between the old and the new kernel: it checks that every
 * loaded segment still hashes to the digest the loader computed, then returns
 * to the architecture's entry code, which jumps to the new kernel.
 */
#include <stdint.h>
#include "sha256.h"
#include "purgatory-string.h"
#include "kexec-abi.h"

struct kexec_sha_region {
	unsigned long start;
	unsigned long len;
};

/*
 * Filled in by the loader. They must live in a file-backed section: the
 * loader cannot write into .bss, which has no bytes in the segment.
 */
uint8_t purgatory_sha256_digest[SHA256_DIGEST_SIZE] __attribute__((section(".kexec-purgatory")));
struct kexec_sha_region purgatory_sha_regions[KEXEC_SEGMENT_MAX] __attribute__((section(".kexec-purgatory")));
/* ukexec extension: set by `kexec -i` to skip the digest check. */
uint8_t purgatory_skip_checks __attribute__((section(".kexec-purgatory")));

void purgatory(void);
int purgatory_verify(void);

static int verify_sha256_digest(void)
{
	const struct kexec_sha_region *r;
	struct sha256_state sctx;
	uint8_t digest[SHA256_DIGEST_SIZE];

	sha256_init(&sctx);
	for (r = purgatory_sha_regions; r < purgatory_sha_regions + KEXEC_SEGMENT_MAX; r++)
		sha256_update(&sctx, (const uint8_t *)r->start, r->len);
	sha256_final(&sctx, digest);
	return memcmp(digest, purgatory_sha256_digest, sizeof(digest)) != 0;
}

/*
 * 0 when every region still hashes to the stored digest (or the check is
 * switched off), nonzero otherwise: for entry code that must report instead
 * of stopping (s390: the old kernel asks before it starts a crash kernel).
 */
int purgatory_verify(void)
{
	if (purgatory_skip_checks)
		return 0;
	return verify_sha256_digest();
}

void purgatory(void)
{
	/* A corrupted kernel must not run: stop here for good. */
	if (purgatory_verify())
		for (;;)
			;
}
