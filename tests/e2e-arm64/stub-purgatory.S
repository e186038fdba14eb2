/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A stand-in arm64 purgatory for host dry runs (tests/e2e-arm64/golden.sh):
 * the symbols of the purgatory interface that the plan writes, a
 * relocation, and nothing to run. The real one is purgatory/arch/arm64/.
 */
	.text
	.globl	purgatory_start
purgatory_start:
	adrp	x0, arm64_dtb_addr
	ldr	x0, [x0, :lo12:arm64_dtb_addr]
	ret

	.section .kexec-purgatory, "aw"
	.balign	8
	.macro	SYM name, size
	.globl	\name
	.type	\name, @object
	.size	\name, \size
\name:	.fill	\size, 1, 0
	.endm
	SYM	arm64_kernel_entry, 8
	SYM	arm64_dtb_addr, 8
	SYM	purgatory_sha256_digest, 32
	SYM	purgatory_sha_regions, 256
	SYM	purgatory_skip_checks, 1
