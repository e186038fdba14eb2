/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The purgatory of tests/fuzz/fuzz-s390x.c: an s390x object with what the
 * s390 loader and the digest write (their symbols), a relocation, and
 * nothing to run. Assembled by tests/fuzz/run.sh with s390x-linux-gnu-as.
 */
	.text
	.globl	purgatory_start
purgatory_start:
	larl	%r1,kernel_entry
	br	%r14

	.data
	.balign	8
	.macro	SYM name, size
	.globl	\name
	.type	\name, @object
	.size	\name, \size
\name:	.fill	\size, 1, 0
	.endm
	SYM	kernel_entry, 8
	SYM	kernel_type, 8
	SYM	crash_start, 8
	SYM	crash_size, 8
	SYM	purgatory_sha256_digest, 32
	SYM	purgatory_sha_regions, 256
	.quad	purgatory_start
