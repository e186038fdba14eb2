// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * SHA-256 block function with the ARMv8 crypto extension (SHA256H, SHA256H2,
 * SHA256SU0, SHA256SU1). Built twice: into the hosted tool, where
 * sha256_arch_blocks() offers it when the kernel reports HWCAP_SHA2, and
 * into the arm64 purgatory, which checks ID_AA64ISAR0_EL1 itself. The
 * function carries its own target attribute: callers must first know that
 * the CPU has the instructions.
 */
#include <arm_neon.h>
#include "sha256.h"

#define SHA2_TARGET __attribute__((target("+crypto")))

void sha256_blocks_ce(uint32_t state[8], const uint8_t *data, size_t nblocks);

/*
 * Four rounds on W[4i..4i+3] (in w) and, while i < 12, the schedule's next
 * four words in place of w: W[t..t+3] from W[t-16..], W[t-12..], W[t-8..]
 * and W[t-4..] (w, x, y, z).
 */
#define ROUNDS4(i, w, x, y, z) do {						\
	uint32x4_t wk_ = vaddq_u32((w), vld1q_u32(&sha256_K[4 * (i)]));		\
	uint32x4_t abcd_ = abcd;						\
	if ((i) < 12)								\
		(w) = vsha256su1q_u32(vsha256su0q_u32((w), (x)), (y), (z));	\
	abcd = vsha256hq_u32(abcd, efgh, wk_);					\
	efgh = vsha256h2q_u32(efgh, abcd_, wk_);				\
} while (0)

SHA2_TARGET
void sha256_blocks_ce(uint32_t state[8], const uint8_t *data, size_t nblocks)
{
	uint32x4_t abcd = vld1q_u32(&state[0]);
	uint32x4_t efgh = vld1q_u32(&state[4]);

	for (; nblocks; nblocks--, data += SHA256_BLOCK_SIZE) {
		const uint32x4_t abcd_in = abcd, efgh_in = efgh;
		/* the message is big-endian words */
		uint32x4_t w0 = vreinterpretq_u32_u8(vrev32q_u8(vld1q_u8(data + 0)));
		uint32x4_t w1 = vreinterpretq_u32_u8(vrev32q_u8(vld1q_u8(data + 16)));
		uint32x4_t w2 = vreinterpretq_u32_u8(vrev32q_u8(vld1q_u8(data + 32)));
		uint32x4_t w3 = vreinterpretq_u32_u8(vrev32q_u8(vld1q_u8(data + 48)));

		ROUNDS4(0, w0, w1, w2, w3);
		ROUNDS4(1, w1, w2, w3, w0);
		ROUNDS4(2, w2, w3, w0, w1);
		ROUNDS4(3, w3, w0, w1, w2);
		ROUNDS4(4, w0, w1, w2, w3);
		ROUNDS4(5, w1, w2, w3, w0);
		ROUNDS4(6, w2, w3, w0, w1);
		ROUNDS4(7, w3, w0, w1, w2);
		ROUNDS4(8, w0, w1, w2, w3);
		ROUNDS4(9, w1, w2, w3, w0);
		ROUNDS4(10, w2, w3, w0, w1);
		ROUNDS4(11, w3, w0, w1, w2);
		ROUNDS4(12, w0, w1, w2, w3);
		ROUNDS4(13, w1, w2, w3, w0);
		ROUNDS4(14, w2, w3, w0, w1);
		ROUNDS4(15, w3, w0, w1, w2);

		abcd = vaddq_u32(abcd, abcd_in);
		efgh = vaddq_u32(efgh, efgh_in);
	}
	vst1q_u32(&state[0], abcd);
	vst1q_u32(&state[4], efgh);
}

#ifndef UKEXEC_FREESTANDING
#include <sys/auxv.h>

#ifndef HWCAP_SHA2
#define HWCAP_SHA2 (1 << 6)
#endif

sha256_block_fn sha256_arch_blocks(const char **name)
{
	if (!(getauxval(AT_HWCAP) & HWCAP_SHA2))
		return NULL;
	if (name)
		*name = "armv8-ce";
	return sha256_blocks_ce;
}
#endif
