// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The hosted tool's SHA-256 block function: chosen once, on first use,
 * between the generic one (lib/sha256.c) and the one this architecture's
 * sha256_arch_blocks() offers for this CPU. Never built into the purgatory.
 */
#include <stdlib.h>
#include <string.h>
#include "sha256.h"

struct sha256_impl {
	sha256_block_fn blocks;
	const char *name;
};

static const struct sha256_impl generic_impl = { sha256_blocks_generic, "generic" };
static struct sha256_impl arch_impl;
/*
 * NULL until the first use; then &generic_impl or &arch_impl. The tool is
 * single-threaded; concurrent first uses would only store the same values.
 */
static const struct sha256_impl *current;

static const struct sha256_impl *best_impl(void)
{
	const char *name = NULL;
	sha256_block_fn fn = sha256_arch_blocks(&name);

	if (!fn)
		return &generic_impl;
	arch_impl.blocks = fn;
	arch_impl.name = name ? name : "arch";
	return &arch_impl;
}

static const struct sha256_impl *pick(void)
{
	const struct sha256_impl *impl = __atomic_load_n(&current, __ATOMIC_ACQUIRE);

	if (!impl) {
		const char *env = getenv("UKEXEC_SHA256");

		impl = env && !strcmp(env, "generic") ? &generic_impl : best_impl();
		__atomic_store_n(&current, impl, __ATOMIC_RELEASE);
	}
	return impl;
}

void sha256_blocks(uint32_t state[8], const uint8_t *data, size_t nblocks)
{
	pick()->blocks(state, data, nblocks);
}

const char *sha256_impl_name(void)
{
	return pick()->name;
}

int sha256_force_generic(int on)
{
	int was = pick() == &generic_impl;

	__atomic_store_n(&current, on ? &generic_impl : best_impl(), __ATOMIC_RELEASE);
	return was;
}
