// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * SHA-256 block function with the x86 SHA extensions (SHA-NI). Built twice:
 * into the hosted tool, where sha256_arch_blocks() offers it, and into the
 * x86_64 purgatory (purgatory/arch/x86_64/purgatory-x86_64.c), which also
 * enables SSE in CR4 before the first call. Built without special compiler
 * flags (the purgatory's -mgeneral-regs-only included): the function carries
 * its own target attribute and is only called after sha256_ni_usable().
 */
#include <cpuid.h>
#include <immintrin.h>
#include "sha256.h"

#ifndef bit_SHA
#define bit_SHA (1 << 29)
#endif

#define SHA_NI_TARGET __attribute__((target("sha,ssse3,sse4.1")))

/*
 * Four rounds: W[4i..4i+3] + K[4i..4i+3] in the low and then the high half
 * of msg feed two SHA256RNDS2 each. abef/cdgh are the state in the layout
 * the instruction wants (A in the top lane of abef, ..., H in the bottom
 * lane of cdgh).
 */
#define ROUNDS4(i, w) do {							\
	__m128i m_ = _mm_add_epi32((w), _mm_load_si128((const __m128i *)&sha256_K[4 * (i)])); \
	cdgh = _mm_sha256rnds2_epu32(cdgh, abef, m_);				\
	abef = _mm_sha256rnds2_epu32(abef, cdgh, _mm_shuffle_epi32(m_, 0x0e));	\
} while (0)

/*
 * Message schedule. MSG1(a, b): a = W[t-16..t-13] + sigma0(W[t-15..t-12]),
 * b holding W[t-12..t-9]. MSG2(n, p, c): n (prepared by MSG1) plus
 * W[t-7..t-4] (the middle of p:c) and sigma1 of c = W[t-4..t-1] gives
 * W[t..t+3].
 */
#define MSG1(a, b) ((a) = _mm_sha256msg1_epu32((a), (b)))
#define MSG2(n, p, c) ((n) = _mm_sha256msg2_epu32(_mm_add_epi32((n), _mm_alignr_epi8((c), (p), 4)), (c)))

void sha256_blocks_ni(uint32_t state[8], const uint8_t *data, size_t nblocks);
int sha256_ni_usable(void);

SHA_NI_TARGET
void sha256_blocks_ni(uint32_t state[8], const uint8_t *data, size_t nblocks)
{
	/* byte-swap each 32-bit word: the message is big-endian */
	const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
	__m128i abef, cdgh, t, w0, w1, w2, w3;

	t = _mm_loadu_si128((const __m128i *)&state[0]);	/* lanes A B C D */
	cdgh = _mm_loadu_si128((const __m128i *)&state[4]);	/* lanes E F G H */
	t = _mm_shuffle_epi32(t, 0xb1);				/* B A D C */
	cdgh = _mm_shuffle_epi32(cdgh, 0x1b);			/* H G F E */
	abef = _mm_alignr_epi8(t, cdgh, 8);			/* F E B A */
	cdgh = _mm_blend_epi16(cdgh, t, 0xf0);			/* H G D C */

	for (; nblocks; nblocks--, data += SHA256_BLOCK_SIZE) {
		const __m128i abef_in = abef, cdgh_in = cdgh;

		w0 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data + 0)), bswap);
		ROUNDS4(0, w0);
		w1 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data + 16)), bswap);
		ROUNDS4(1, w1);
		MSG1(w0, w1);
		w2 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data + 32)), bswap);
		ROUNDS4(2, w2);
		MSG1(w1, w2);
		w3 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data + 48)), bswap);
		ROUNDS4(3, w3);
		MSG2(w0, w2, w3);
		MSG1(w2, w3);

		ROUNDS4(4, w0);  MSG2(w1, w3, w0); MSG1(w3, w0);
		ROUNDS4(5, w1);  MSG2(w2, w0, w1); MSG1(w0, w1);
		ROUNDS4(6, w2);  MSG2(w3, w1, w2); MSG1(w1, w2);
		ROUNDS4(7, w3);  MSG2(w0, w2, w3); MSG1(w2, w3);
		ROUNDS4(8, w0);  MSG2(w1, w3, w0); MSG1(w3, w0);
		ROUNDS4(9, w1);  MSG2(w2, w0, w1); MSG1(w0, w1);
		ROUNDS4(10, w2); MSG2(w3, w1, w2); MSG1(w1, w2);
		ROUNDS4(11, w3); MSG2(w0, w2, w3); MSG1(w2, w3);
		ROUNDS4(12, w0); MSG2(w1, w3, w0); MSG1(w3, w0);
		ROUNDS4(13, w1); MSG2(w2, w0, w1);
		ROUNDS4(14, w2); MSG2(w3, w1, w2);
		ROUNDS4(15, w3);

		abef = _mm_add_epi32(abef, abef_in);
		cdgh = _mm_add_epi32(cdgh, cdgh_in);
	}

	t = _mm_shuffle_epi32(abef, 0x1b);			/* A B E F */
	cdgh = _mm_shuffle_epi32(cdgh, 0xb1);			/* G H C D */
	abef = _mm_blend_epi16(t, cdgh, 0xf0);			/* A B C D */
	cdgh = _mm_alignr_epi8(cdgh, t, 8);			/* E F G H */
	_mm_storeu_si128((__m128i *)&state[0], abef);
	_mm_storeu_si128((__m128i *)&state[4], cdgh);
}

/* CPUID: SHA (leaf 7 EBX bit 29) and the SSSE3/SSE4.1 the rounds use. */
int sha256_ni_usable(void)
{
	unsigned int eax, ebx, ecx, edx;

	if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx))
		return 0;
	if (!(ecx & bit_SSSE3) || !(ecx & bit_SSE4_1))
		return 0;
	if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx))
		return 0;
	return !!(ebx & bit_SHA);
}

#ifndef UKEXEC_FREESTANDING
sha256_block_fn sha256_arch_blocks(const char **name)
{
	if (!sha256_ni_usable())
		return NULL;
	if (name)
		*name = "sha-ni";
	return sha256_blocks_ni;
}
#endif
