// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The x86_64 purgatory's C side: the SHA-256 block function of this CPU
 * (SHA-NI when CPUID has it, the generic one otherwise), and the digest
 * check that setup-x86_64.S calls, with SSE enabled for it.
 */
#include <stdint.h>
#include "sha256.h"

#define X86_CR0_EM	(1UL << 2)
#define X86_CR4_OSFXSR	(1UL << 9)

void sha256_blocks_ni(uint32_t state[8], const uint8_t *data, size_t nblocks);
int sha256_ni_usable(void);
void sha256_blocks(uint32_t state[8], const uint8_t *data, size_t nblocks);
void purgatory(void);
void x86_64_purgatory(void);

/*
 * Set by x86_64_purgatory() before the check; a host test of this file sets
 * it itself to run the check both ways.
 */
uint8_t purgatory_sha_ni;

/* lib/sha256.c, built with SHA256_BLOCKS=sha256_blocks, calls this. */
void sha256_blocks(uint32_t state[8], const uint8_t *data, size_t nblocks)
{
	if (purgatory_sha_ni)
		sha256_blocks_ni(state, data, nblocks);
	else
		sha256_blocks_generic(state, data, nblocks);
}

static unsigned long read_cr0(void)
{
	unsigned long v;

	__asm__ volatile("mov %%cr0, %0" : "=r"(v));
	return v;
}

static unsigned long read_cr4(void)
{
	unsigned long v;

	__asm__ volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

static void write_cr4(unsigned long v)
{
	__asm__ volatile("mov %0, %%cr4" : : "r"(v) : "memory");
}

/*
 * The old kernel's relocate_kernel leaves CR4 with PAE (and LA57) only, so
 * SSE instructions would raise #UD: set OSFXSR for the check and put CR4
 * back before the new kernel starts. CR0.EM set (never by Linux) keeps the
 * generic code.
 */
void x86_64_purgatory(void)
{
	unsigned long cr4 = read_cr4();

	purgatory_sha_ni = !(read_cr0() & X86_CR0_EM) && sha256_ni_usable();
	if (purgatory_sha_ni && !(cr4 & X86_CR4_OSFXSR))
		write_cr4(cr4 | X86_CR4_OSFXSR);
	purgatory();
	if (purgatory_sha_ni && !(cr4 & X86_CR4_OSFXSR))
		write_cr4(cr4);
}
