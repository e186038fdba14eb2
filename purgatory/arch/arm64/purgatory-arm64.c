// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The arm64 purgatory's C side: the SHA-256 block function of this CPU, and
 * the digest check that entry-arm64.S calls, with the D-cache on for it
 * where mmu-arm64.c can turn it on.
 */
#include <stdint.h>
#include "sha256.h"
#include "mmu-arm64.h"

#define ID_AA64ISAR0_EL1_SHA2_SHIFT	12

void sha256_blocks_ce(uint32_t state[8], const uint8_t *data, size_t nblocks);
void sha256_blocks(uint32_t state[8], const uint8_t *data, size_t nblocks);
void purgatory(void);
void arm64_purgatory(void);

static int cpu_has_sha2(void)
{
	uint64_t isar0;

	__asm__("mrs %0, id_aa64isar0_el1" : "=r"(isar0));
	return ((isar0 >> ID_AA64ISAR0_EL1_SHA2_SHIFT) & 0xf) != 0;
}

/* lib/sha256.c, built with SHA256_BLOCKS=sha256_blocks, calls this. */
void sha256_blocks(uint32_t state[8], const uint8_t *data, size_t nblocks)
{
	if (cpu_has_sha2())
		sha256_blocks_ce(state, data, nblocks);
	else
		sha256_blocks_generic(state, data, nblocks);
}

extern uint8_t purgatory_skip_checks;

void arm64_purgatory(void)
{
	uint64_t sctlr;
	bool cached = !purgatory_skip_checks && arm64_dcache_on(&sctlr);

	purgatory();
	if (cached)
		arm64_dcache_off(sctlr);
}
