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
void x86_setup_jump_back_entry(char *end, uint64_t entry);

/*
 * Set by x86_64_purgatory() before the check; a host test of this file sets
 * it itself to run the check both ways.
 */
uint8_t purgatory_sha_ni;

/*
 * --load-preserve-context (kexec jump), as kexec-tools' purgatory does it:
 * the loader sets cmdline_end to the address of the new kernel's command
 * line NUL, with room behind it; setup-x86_64.S saves the old kernel's
 * return address in jump_back_entry. After the digest check (the command
 * line is in a hashed segment) " kexec_jump_back_entry=0x<hex>" is appended,
 * so the new kernel can load the jump-back helper with that entry.
 */
uint64_t cmdline_end __attribute__((section(".kexec-purgatory")));
uint64_t jump_back_entry;

void x86_setup_jump_back_entry(char *end, uint64_t entry)
{
	static const char key[] = " kexec_jump_back_entry=0x";
	unsigned int i, digits = 1;

	for (i = 0; key[i]; i++)
		*end++ = key[i];
	while (digits < 16 && entry >> (4 * digits))
		digits++;
	for (i = digits; i-- > 0;)
		*end++ = "0123456789abcdef"[(entry >> (4 * i)) & 0xf];
	*end = '\0';
}

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
	if (cmdline_end && jump_back_entry)
		x86_setup_jump_back_entry((char *)(uintptr_t)cmdline_end, jump_back_entry);
}
