/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * arm64 purgatory entry, written for ukexec (the kernel has no arm64
 * purgatory; kexec_file enters the image directly).
 *
 * The old kernel's relocate_new_kernel() branches here (the kexec_load
 * entry) with the MMU and D-cache off, at EL1 or EL2, x0 = 0. The loader
 * filled in arm64_kernel_entry and arm64_dtb_addr, and the digest of
 * purgatory.c. Check the digest (purgatory() never returns on a mismatch),
 * then enter the kernel as booting.rst asks: x0 = the DTB, x1-x3 = 0.
 */
#define CPACR_EL1_FPEN		(3 << 20)
#define CPTR_EL2_TFP		(1 << 10)
#define CPTR_EL2_FPEN		(3 << 20)	/* with HCR_EL2.E2H */
#define HCR_EL2_E2H_BIT		34

	.text
	.globl	purgatory_start
	.type	purgatory_start, @function
purgatory_start:
	adrp	x9, stack_end
	add	x9, x9, :lo12:stack_end
	mov	sp, x9

	/*
	 * FP/SIMD on: the ARMv8 SHA-256 instructions are SIMD instructions,
	 * and nothing says the old kernel left them untrapped.
	 */
	mrs	x9, CurrentEL
	cmp	x9, #(2 << 2)
	b.eq	1f
	mrs	x9, cpacr_el1
	orr	x9, x9, #CPACR_EL1_FPEN
	msr	cpacr_el1, x9
	b	2f
1:	mrs	x9, cptr_el2
	mrs	x10, hcr_el2
	tbnz	x10, #HCR_EL2_E2H_BIT, 3f
	bic	x9, x9, #CPTR_EL2_TFP
	b	4f
3:	orr	x9, x9, #CPTR_EL2_FPEN
4:	msr	cptr_el2, x9
2:	isb

	bl	arm64_purgatory

	adrp	x9, arm64_kernel_entry
	ldr	x4, [x9, :lo12:arm64_kernel_entry]
	adrp	x9, arm64_dtb_addr
	ldr	x0, [x9, :lo12:arm64_dtb_addr]
	mov	x1, xzr
	mov	x2, xzr
	mov	x3, xzr
	br	x4
	.size	purgatory_start, . - purgatory_start

	/* the loader writes these */
	.section .kexec-purgatory, "aw", @progbits
	.balign	8
	.globl	arm64_kernel_entry
	.type	arm64_kernel_entry, @object
	.size	arm64_kernel_entry, 8
arm64_kernel_entry:
	.quad	0
	.globl	arm64_dtb_addr
	.type	arm64_dtb_addr, @object
	.size	arm64_dtb_addr, 8
arm64_dtb_addr:
	.quad	0

	/* the stack; mmu-arm64.c cleans it out of the D-cache */
	.bss
	.balign	16
	.globl	stack, stack_end
stack:
	.skip	16384
stack_end:
	.section .note.GNU-stack, "", @progbits
