/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * s390x purgatory entry (the counterpart of the kernel's
 * arch/s390/purgatory/head.S, written for ukexec).
 *
 * How it is reached:
 * - normal kexec: the old kernel's relocate_kernel copies the segments and
 *   issues diag 308 (reset); the CPU then loads the short PSW at absolute 0,
 *   which the loader made point here. So: ESA/390 mode, 31-bit addressing,
 *   DAT off, prefix 0, no usable registers.
 * - crash kernel: the old kernel calls purgatory_start as a C function, first
 *   with %r2 = 0 (check the digest only and return the result in %r2, 0 =
 *   intact), then with %r2 = 1 to start the crash kernel.
 *
 * The loader fills in kernel_entry (STARTUP_NORMAL_OFFSET or
 * STARTUP_KDUMP_OFFSET), kernel_type (0 normal, 1 crash), crash_start and
 * crash_size, and the digest of the shared purgatory.c.
 */
#define SIGP_SET_ARCHITECTURE	0x12
#define KEXEC_TYPE_CRASH	1
#define DIAG308_CLEAR_RESET	0
#define DIAG308_LOAD_NORMAL_RESET 1
#define STACK_FRAME_OVERHEAD	160

	.text
	.globl	purgatory_start
	.type	purgatory_start, @function
purgatory_start:
	/* z/Architecture mode and 64-bit addressing, whoever called */
	lhi	%r1,1
	sigp	%r1,%r0,SIGP_SET_ARCHITECTURE
	sam64

	/* the old kernel's registers, for the return of a check-only call */
	larl	%r5,saved_gprs
	stmg	%r6,%r15,0(%r5)

	larl	%r15,purgatory_stack_end
	aghi	%r15,-STACK_FRAME_OVERHEAD
	xc	0(8,%r15),0(%r15)		/* no back chain */

	/* %r10 = 1: check only (crash kernel, %r2 == 0); %r11 = kernel_type */
	lghi	%r10,0
	larl	%r1,kernel_type
	lg	%r11,0(%r1)
	cghi	%r11,KEXEC_TYPE_CRASH
	jne	.Lcheck
	cghi	%r2,0
	jne	.Lcheck
	lghi	%r10,1
.Lcheck:
	brasl	%r14,purgatory_verify
	cghi	%r10,1
	je	.Lreturn_old_kernel
	cghi	%r2,0
	jne	.Ldisabled_wait
	cghi	%r11,KEXEC_TYPE_CRASH
	je	.Lstart_crash_kernel

	lghi	%r3,DIAG308_CLEAR_RESET
	j	.Lstart_next_kernel

.Lstart_crash_kernel:
	/*
	 * NOT IMPLEMENTED: the kernel's purgatory first swaps the crash region
	 * with [0, crash_size) (copying itself out of the way), so that the
	 * crash kernel runs at 0 and the old kernel's memory is kept in the
	 * crash region. Debian 12's s390x kernel has no CONFIG_CRASH_DUMP, so
	 * nothing can load a crash kernel there; until the swap is written
	 * (kdump issue), stop in a disabled wait whose address says why.
	 */
	larl	%r1,crash_wait_psw
	lpswe	0(%r1)

.Lstart_next_kernel:
	/* short PSW at absolute 0: 31-bit addressing, kernel_entry */
	larl	%r1,kernel_entry
	lg	%r4,0(%r1)
	llihh	%r5,0x0008
	oilh	%r5,0x8000
	ogr	%r4,%r5
	stg	%r4,0
	/* reset; the CPU then loads the PSW at 0 */
	xgr	%r0,%r0
	lgr	%r1,%r3
	diag	%r0,%r1,0x308
	/* diag 308 does not return */

.Ldisabled_wait:
	larl	%r1,disabled_wait_psw
	lpswe	0(%r1)

.Lreturn_old_kernel:
	larl	%r1,saved_gprs
	lmg	%r6,%r15,0(%r1)
	br	%r14
	.size	purgatory_start, . - purgatory_start

	.section .rodata
	.balign	8
	/* wait, 64-bit addressing; the address tells a dump reader why */
disabled_wait_psw:
	.quad	0x0002000180000000
	.quad	.Ldisabled_wait
crash_wait_psw:
	.quad	0x0002000180000000
	.quad	.Lstart_crash_kernel

	/* file-backed, so that the loader can write them */
	.section .kexec-purgatory, "aw", @progbits
	.balign	8
	.globl	kernel_entry
	.type	kernel_entry, @object
	.size	kernel_entry, 8
kernel_entry:
	.quad	0
	.globl	kernel_type
	.type	kernel_type, @object
	.size	kernel_type, 8
kernel_type:
	.quad	0
	.globl	crash_start
	.type	crash_start, @object
	.size	crash_start, 8
crash_start:
	.quad	0
	.globl	crash_size
	.type	crash_size, @object
	.size	crash_size, 8
crash_size:
	.quad	0
saved_gprs:
	.fill	10, 8, 0

	.bss
	.balign	4096
purgatory_stack:
	.skip	8192
purgatory_stack_end:
	.section .note.GNU-stack, "", @progbits
