/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The "old kernel" of tests/e2e-s390x/crash-swap.sh: a bare-metal s390x
 * program that QEMU starts with -kernel. It does what Linux's
 * __do_machine_kdump does with a kexec_file crash plan (DAT off, 64-bit
 * addressing, purgatory called as a function), after filling the memory the
 * crash kernel will take with a pattern the host can recognize:
 *
 *   1. every doubleword of [0, crash_size) = OLD_PATTERN + its address
 *   2. purgatory(0) on the intact plan: must return 0 in %r2, %r6-%r15 kept
 *   3. one byte of the plan flipped, purgatory(0): must not return 0
 *   4. the byte restored, purgatory(1): swaps and starts the crash kernel,
 *      must not return
 *
 * The host writes the parameters (entry, crash_size, address of the byte to
 * flip) to PARAMS before the CPU starts (outside this image, which QEMU
 * copies in after the other loaders). A failed step stops in a disabled
 * wait at its own label, which QEMU reports as a guest panic with that
 * address.
 */
#define OLD_PATTERN_HI	0x5a5a		/* OLD_PATTERN = 0x5a5a000000000000 */
#define PARAMS		0x1fff0000	/* below the image, linked at 0x20000000 */

	/* for the host: where to write the parameters */
	.globl	params
	.set	params, PARAMS

	.text
	.globl	_start
_start:
	sam64
	larl	%r15,stack_end
	aghi	%r15,-160
	llilf	%r9,PARAMS
	lg	%r6,0(%r9)		/* purgatory entry */
	lg	%r7,8(%r9)		/* crash_size */
	lg	%r8,16(%r9)		/* a byte inside a digest region */

	llihh	%r2,OLD_PATTERN_HI
	lghi	%r1,0
0:	lgr	%r3,%r2
	agr	%r3,%r1
	stg	%r3,0(%r1)
	aghi	%r1,8
	clgr	%r1,%r7
	jl	0b

	/* callee-saved registers to compare after each return */
	llihh	%r10,0x1010
	llihh	%r11,0x1111
	lgr	%r12,%r15
	llihh	%r13,0x1313

	lghi	%r2,0
	basr	%r14,%r6
	ltgr	%r2,%r2
	jnz	fail_intact_rejected
	clgr	%r15,%r12
	jne	fail_registers_lost
	llihh	%r1,0x1313
	clgr	%r13,%r1
	jne	fail_registers_lost
	llilf	%r9,PARAMS		/* %r9 too */
	clg	%r6,0(%r9)
	jne	fail_registers_lost

	xi	0(%r8),0xff
	lghi	%r2,0
	basr	%r14,%r6
	ltgr	%r2,%r2
	jz	fail_corrupt_accepted
	xi	0(%r8),0xff

	lghi	%r2,1
	basr	%r14,%r6
	j	fail_returned

fail_intact_rejected:
	larl	%r1,psw_intact_rejected
	lpswe	0(%r1)
fail_registers_lost:
	larl	%r1,psw_registers_lost
	lpswe	0(%r1)
fail_corrupt_accepted:
	larl	%r1,psw_corrupt_accepted
	lpswe	0(%r1)
fail_returned:
	larl	%r1,psw_returned
	lpswe	0(%r1)

	.balign	8
psw_intact_rejected:
	.quad	0x0002000180000000, fail_intact_rejected
psw_registers_lost:
	.quad	0x0002000180000000, fail_registers_lost
psw_corrupt_accepted:
	.quad	0x0002000180000000, fail_corrupt_accepted
psw_returned:
	.quad	0x0002000180000000, fail_returned

	.balign	4096
stack:
	.skip	16384
stack_end:
	.section .note.GNU-stack, "", @progbits
