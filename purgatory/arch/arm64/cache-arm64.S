/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Turning the MMU and D-cache on and off around the digest check, at EL1 or
 * at EL2 without HCR_EL2.E2H (mmu-arm64.c decides; these only do it). The
 * tables map VA = PA.
 */
#define SCTLR_M		(1 << 0)
#define SCTLR_C		(1 << 2)
#define SCTLR_I		(1 << 12)
#define SCTLR_WXN	(1 << 19)

/* x0 <- the D-cache line size; clobbers x1 */
.macro dcache_line_size
	mrs	x1, ctr_el0
	ubfx	x1, x1, #16, #4		/* DminLine: log2 of the words */
	mov	x0, #4
	lsl	x0, x0, x1
.endm

/* DC op over [x2, x3); clobbers x0, x1, x2 */
.macro dcache_by_line op
	dcache_line_size
	sub	x1, x0, #1
	bic	x2, x2, x1
1:	dc	\op, x2
	add	x2, x2, x0
	cmp	x2, x3
	b.lo	1b
	dsb	sy
.endm

	.text
/*
 * void arm64_dcache_inval_poc(uintptr_t start, uintptr_t end)
 * For what the purgatory wrote with the MMU off (its tables and stack):
 * the D-cache may hold stale lines of it.
 */
	.globl	arm64_dcache_inval_poc
	.type	arm64_dcache_inval_poc, @function
arm64_dcache_inval_poc:
	mov	x2, x0
	mov	x3, x1
	dcache_by_line ivac
	ret
	.size	arm64_dcache_inval_poc, . - arm64_dcache_inval_poc

/* void arm64_mmu_enable(uint64_t ttbr0, uint64_t tcr, uint64_t mair) */
	.globl	arm64_mmu_enable
	.type	arm64_mmu_enable, @function
arm64_mmu_enable:
	mov	x5, x0
	mov	x6, x1
	mov	x7, x2
	mrs	x0, CurrentEL
	cmp	x0, #(2 << 2)
	b.eq	2f
	msr	mair_el1, x7
	msr	tcr_el1, x6
	msr	ttbr0_el1, x5
	isb
	tlbi	vmalle1
	dsb	nsh
	isb
	mrs	x0, sctlr_el1
	orr	x0, x0, #SCTLR_M
	orr	x0, x0, #SCTLR_C
	orr	x0, x0, #SCTLR_I
	bic	x0, x0, #SCTLR_WXN
	msr	sctlr_el1, x0
	isb
	ret
2:	msr	mair_el2, x7
	msr	tcr_el2, x6
	msr	ttbr0_el2, x5
	isb
	tlbi	alle2
	dsb	nsh
	isb
	mrs	x0, sctlr_el2
	orr	x0, x0, #SCTLR_M
	orr	x0, x0, #SCTLR_C
	orr	x0, x0, #SCTLR_I
	bic	x0, x0, #SCTLR_WXN
	msr	sctlr_el2, x0
	isb
	ret
	.size	arm64_mmu_enable, . - arm64_mmu_enable

/*
 * void arm64_mmu_disable(uint64_t sctlr, uintptr_t clean_start, uintptr_t clean_end)
 * Back to sctlr (the value found at entry). The stack was written through
 * the cache: clean and invalidate it to PoC first, and touch no memory
 * between that and the MMU going off.
 */
	.globl	arm64_mmu_disable
	.type	arm64_mmu_disable, @function
arm64_mmu_disable:
	mov	x5, x0
	mov	x3, x2
	mov	x2, x1
	dcache_by_line civac
	mrs	x0, CurrentEL
	cmp	x0, #(2 << 2)
	b.eq	2f
	msr	sctlr_el1, x5
	isb
	tlbi	vmalle1
	b	3f
2:	msr	sctlr_el2, x5
	isb
	tlbi	alle2
3:	dsb	nsh
	isb
	ret
	.size	arm64_mmu_disable, . - arm64_mmu_disable
	.section .note.GNU-stack, "", @progbits
