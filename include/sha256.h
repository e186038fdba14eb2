/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * SHA-256 (FIPS 180-4). One implementation, built twice: hosted into the
 * kexec tool and freestanding into the purgatory. Only fixed-width types and
 * size_t are used so the header works in both worlds.
 */
#ifndef UKEXEC_SHA256_H
#define UKEXEC_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_SIZE 32
#define SHA256_BLOCK_SIZE 64

struct sha256_state {
	uint32_t state[8];
	uint64_t count;			/* bytes hashed so far */
	uint8_t buf[SHA256_BLOCK_SIZE];
};

/* Compress nblocks 64-byte blocks into state. */
typedef void (*sha256_block_fn)(uint32_t state[8], const uint8_t *data, size_t nblocks);

void sha256_init(struct sha256_state *sctx);
void sha256_update(struct sha256_state *sctx, const uint8_t *data, size_t len);
/* Hash len zero bytes without materialising them. */
void sha256_update_zeros(struct sha256_state *sctx, uint64_t len);
void sha256_final(struct sha256_state *sctx, uint8_t out[SHA256_DIGEST_SIZE]);
void sha256(const uint8_t *data, size_t len, uint8_t out[SHA256_DIGEST_SIZE]);

/* The portable block function; always available. */
void sha256_blocks_generic(uint32_t state[8], const uint8_t *data, size_t nblocks);
/* The round constants, shared by every implementation. */
extern const uint32_t sha256_K[64];

/*
 * Hosted tool only (lib/arch/): lib/sha256.c is built for the tool with
 * SHA256_BLOCKS=sha256_blocks, which picks the block function once, on first
 * use: the CPU's accelerated one if any (SHA-NI on x86_64), else the generic
 * one. UKEXEC_SHA256=generic in the environment (read once) forces the
 * generic one. The purgatories never see this dispatch: the arm64 and x86_64
 * ones define their own sha256_blocks() (purgatory/arch/<arch>/), checking
 * the CPU themselves; the others use sha256_blocks_generic.
 */
void sha256_blocks(uint32_t state[8], const uint8_t *data, size_t nblocks);
/* "generic", or the accelerated implementation's name (e.g. "sha-ni"). */
const char *sha256_impl_name(void);
/*
 * on != 0: use the generic block function from now on; on == 0: the best one
 * this CPU has (the environment is then ignored). Returns the previous choice
 * (1 if generic was in use).
 */
int sha256_force_generic(int on);
/*
 * Per architecture (lib/arch/<arch>/): the accelerated block function this
 * CPU supports, with its name in *name, or NULL if there is none.
 */
sha256_block_fn sha256_arch_blocks(const char **name);

#endif
