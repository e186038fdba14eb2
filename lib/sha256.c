// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * SHA-256 as specified by FIPS 180-4. This file is compiled twice: hosted for
 * the kexec tool and freestanding for the purgatory, so it uses no libc beyond
 * memcpy/memset (which the purgatory provides in lib/string.c).
 */
#include "byteorder.h"
#include "sha256.h"

#ifdef UKEXEC_FREESTANDING
#include "purgatory-string.h"
#else
#include <string.h>
#endif

#ifndef SHA256_BLOCKS
/* The tool may route blocks to an accelerated implementation. */
#define SHA256_BLOCKS sha256_blocks_generic
#else
void SHA256_BLOCKS(uint32_t state[8], const uint8_t *data, size_t nblocks);
#endif

/* FIPS 180-4 4.2.2; 16-byte aligned for the SHA-NI rounds, which load it by fours */
const uint32_t sha256_K[64] __attribute__((aligned(16))) = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static inline uint32_t ror32(uint32_t x, unsigned int n)
{
	return (x >> n) | (x << (32 - n));
}

void sha256_blocks_generic(uint32_t state[8], const uint8_t *data, size_t nblocks)
{
	uint32_t W[64];

	for (; nblocks; nblocks--, data += SHA256_BLOCK_SIZE) {
		uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
		uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
		int i;

		for (i = 0; i < 16; i++)
			W[i] = get_be32(data + 4 * i);
		for (; i < 64; i++) {
			uint32_t s0 = ror32(W[i - 15], 7) ^ ror32(W[i - 15], 18) ^ (W[i - 15] >> 3);
			uint32_t s1 = ror32(W[i - 2], 17) ^ ror32(W[i - 2], 19) ^ (W[i - 2] >> 10);

			W[i] = W[i - 16] + s0 + W[i - 7] + s1;
		}
		for (i = 0; i < 64; i++) {
			uint32_t S1 = ror32(e, 6) ^ ror32(e, 11) ^ ror32(e, 25);
			uint32_t ch = g ^ (e & (f ^ g));
			uint32_t t1 = h + S1 + ch + sha256_K[i] + W[i];
			uint32_t S0 = ror32(a, 2) ^ ror32(a, 13) ^ ror32(a, 22);
			uint32_t maj = (a & b) | (c & (a | b));
			uint32_t t2 = S0 + maj;

			h = g;
			g = f;
			f = e;
			e = d + t1;
			d = c;
			c = b;
			b = a;
			a = t1 + t2;
		}
		state[0] += a;
		state[1] += b;
		state[2] += c;
		state[3] += d;
		state[4] += e;
		state[5] += f;
		state[6] += g;
		state[7] += h;
	}
}

void sha256_init(struct sha256_state *sctx)
{
	static const uint32_t H0[8] = {
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
		0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
	};

	memcpy(sctx->state, H0, sizeof(H0));
	sctx->count = 0;
}

void sha256_update(struct sha256_state *sctx, const uint8_t *data, size_t len)
{
	size_t partial = sctx->count % SHA256_BLOCK_SIZE;

	/* an empty region may come with no buffer (memcpy's source must not be NULL) */
	if (!len)
		return;
	sctx->count += len;
	if (partial) {
		size_t fill = SHA256_BLOCK_SIZE - partial;

		if (len < fill) {
			memcpy(sctx->buf + partial, data, len);
			return;
		}
		memcpy(sctx->buf + partial, data, fill);
		SHA256_BLOCKS(sctx->state, sctx->buf, 1);
		data += fill;
		len -= fill;
	}
	if (len >= SHA256_BLOCK_SIZE) {
		size_t nblocks = len / SHA256_BLOCK_SIZE;

		SHA256_BLOCKS(sctx->state, data, nblocks);
		data += nblocks * SHA256_BLOCK_SIZE;
		len -= nblocks * SHA256_BLOCK_SIZE;
	}
	if (len)
		memcpy(sctx->buf, data, len);
}

void sha256_update_zeros(struct sha256_state *sctx, uint64_t len)
{
	static const uint8_t zeros[16 * SHA256_BLOCK_SIZE];

	while (len) {
		size_t n = len > sizeof(zeros) ? sizeof(zeros) : (size_t)len;

		sha256_update(sctx, zeros, n);
		len -= n;
	}
}

void sha256_final(struct sha256_state *sctx, uint8_t out[SHA256_DIGEST_SIZE])
{
	uint64_t bits = sctx->count * 8;
	size_t partial = sctx->count % SHA256_BLOCK_SIZE;
	int i;

	sctx->buf[partial++] = 0x80;
	if (partial > SHA256_BLOCK_SIZE - 8) {
		memset(sctx->buf + partial, 0, SHA256_BLOCK_SIZE - partial);
		SHA256_BLOCKS(sctx->state, sctx->buf, 1);
		partial = 0;
	}
	memset(sctx->buf + partial, 0, SHA256_BLOCK_SIZE - 8 - partial);
	for (i = 0; i < 8; i++)
		sctx->buf[SHA256_BLOCK_SIZE - 1 - i] = (uint8_t)(bits >> (8 * i));
	SHA256_BLOCKS(sctx->state, sctx->buf, 1);
	for (i = 0; i < 8; i++)
		put_be32(out + 4 * i, sctx->state[i]);
	memset(sctx, 0, sizeof(*sctx));
}

void sha256(const uint8_t *data, size_t len, uint8_t out[SHA256_DIGEST_SIZE])
{
	struct sha256_state sctx;

	sha256_init(&sctx);
	sha256_update(&sctx, data, len);
	sha256_final(&sctx, out);
}
