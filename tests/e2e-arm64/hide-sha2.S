/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * For purgatory.sh: a CPU without the SHA-256 instructions, which QEMU has
 * no model of. Started at EL2, this traps EL1's reads of the ID registers
 * (HCR_EL2.TID3), answers ID_AA64ISAR0_EL1 with its SHA2 field cleared and
 * ID_AA64MMFR0_EL1 as it is, and enters `purgatory` (ld --defsym) at EL1 with the MMU off. Any other
 * trap prints "TRAP" and stops.
 */
#define UART		0x09000000
#define HCR_RW		(1 << 31)
#define HCR_TID3	(1 << 18)
#define CPTR_EL2_RES1	0x33ff		/* TFP (bit 10) clear: FP/SIMD untrapped */
#define SCTLR_EL1_RES1	0x30d00800	/* MMU, caches off */
#define SPSR_EL1H_DAIF	0x3c5
#define EC_SYS64	0x18
#define ISS_SYSREG_MASK	0x3ffc1e	/* Op0 Op2 Op1 CRn CRm, not Rt or direction */
#define ISS_ISAR0	((3 << 20) | (6 << 1))
#define ISS_MMFR0	((3 << 20) | (7 << 1))

	.text
	.globl	_start
_start:
	adr	x0, stack_end
	mov	sp, x0
	adr	x0, vectors
	msr	vbar_el2, x0
	mov	x0, #CPTR_EL2_RES1
	msr	cptr_el2, x0
	ldr	x0, =SCTLR_EL1_RES1
	msr	sctlr_el1, x0
	ldr	x0, =(HCR_RW | HCR_TID3)
	msr	hcr_el2, x0
	mov	x0, #SPSR_EL1H_DAIF
	msr	spsr_el2, x0
	ldr	x0, =purgatory
	msr	elr_el2, x0
	isb
	eret

	.balign	2048
vectors:
	.skip	0x400
	/* synchronous exception from a lower EL, AArch64 */
	sub	sp, sp, #256
	stp	x0, x1, [sp, #0]
	stp	x2, x3, [sp, #16]
	mrs	x0, esr_el2
	lsr	x1, x0, #26
	cmp	x1, #EC_SYS64
	b.ne	unexpected
	ldr	x1, =ISS_SYSREG_MASK
	and	x1, x0, x1
	ldr	x2, =ISS_MMFR0
	cmp	x1, x2
	b.ne	4f
	mrs	x2, id_aa64mmfr0_el1
	b	5f
4:	ldr	x2, =ISS_ISAR0
	cmp	x1, x2
	b.ne	unexpected
	mrs	x2, id_aa64isar0_el1
	bic	x2, x2, #(0xf << 12)
5:	ubfx	x1, x0, #5, #5		/* Rt */
	cmp	x1, #31
	b.eq	1f
	cmp	x1, #4
	b.lo	2f
	/* x4-x30: not saved, write it through a jump table of movs */
	adr	x3, set_reg
	add	x3, x3, x1, lsl #3
	br	x3
2:	str	x2, [sp, x1, lsl #3]
1:	mrs	x0, elr_el2
	add	x0, x0, #4
	msr	elr_el2, x0
	ldp	x2, x3, [sp, #16]
	ldp	x0, x1, [sp, #0]
	add	sp, sp, #256
	eret

set_reg:
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30
	mov	x\n, x2
	b	1b
	.endr

unexpected:
	mov	x0, #UART
	mov	w1, #'T'
	strb	w1, [x0]
	mov	w1, #'R'
	strb	w1, [x0]
	mov	w1, #'A'
	strb	w1, [x0]
	mov	w1, #'P'
	strb	w1, [x0]
3:	wfi
	b	3b

	.ltorg
	.balign	16
stack:
	.skip	4096
stack_end:
	.section .note.GNU-stack, "", @progbits
