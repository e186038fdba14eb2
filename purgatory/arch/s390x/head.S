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
 *
 * A crash kernel is loaded into the crash region but runs at 0, and the old
 * kernel's memory [0, crash_size) must survive for the dump: before starting
 * it, the purgatory swaps the two ranges, so that afterwards the segments are
 * at their offsets from 0 and the old memory is at the same offsets from
 * crash_start (the parmarea's oldmem base and size tell the crash kernel).
 * The purgatory itself lives in the crash region, which the swap rewrites;
 * so it first moves itself to the top of [0, crash_size) (the last bytes the
 * swap would reach, and the ones the crash kernel needs least) and swaps
 * everything below from there. What moves is everything from purgatory_start
 * to swap_buffer: this code, the loader's symbols and a copy of the digest
 * regions, SWAP_CODE_SIZE bytes; swap_buffer, as large, comes behind it and
 * serves as the stack of the digest check and then as the swap's bounce
 * buffer. Segments need not be swapped byte for byte outside the digest
 * regions: there the crash region only gets the old memory.
 */
#define SIGP_SET_ARCHITECTURE	0x12
#define KEXEC_TYPE_CRASH	1
#define DIAG308_CLEAR_RESET	0
#define DIAG308_LOAD_NORMAL	1
#define STACK_FRAME_OVERHEAD	160
#define KEXEC_SEGMENT_MAX	16
#define SHA_REGION_SIZE		16	/* struct kexec_sha_region: start, len */
#define SWAP_CODE_SIZE		4096
#define SWAP_SIZE		(2 * SWAP_CODE_SIZE)

/* COPY dst, src, len: move len bytes; keeps its operands, clobbers %r0-%r3 */
.macro COPY dst, src, len
	lgr	%r0,\dst
	lgr	%r1,\len
	lgr	%r2,\src
	lgr	%r3,\len
0:	mvcle	%r0,%r2,0
	jo	0b			/* cc 3: interrupted, go on */
.endm

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

	larl	%r15,swap_buffer_end
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

.Lreturn_old_kernel:
	larl	%r1,saved_gprs
	lmg	%r6,%r15,0(%r1)
	br	%r14

.Ldisabled_wait:
	larl	%r1,disabled_wait_psw
	lpswe	0(%r1)

.Lbad_crash_layout:
	larl	%r1,bad_layout_psw
	lpswe	0(%r1)

.Lstart_crash_kernel:
	/*
	 * Registers from here on:
	 *   %r6  the top SWAP_SIZE bytes of [0, crash_size) start here
	 *   %r7  current digest region, %r8 regions left
	 *   %r9  next byte of the crash region, %r10 next byte of old memory
	 *   %r11 crash_start + %r6: the end of what the swap loop does
	 *   %r12 the bounce buffer, %r13 crash_start
	 */
	larl	%r1,crash_start
	lg	%r13,0(%r1)
	larl	%r1,crash_size
	lg	%r6,0(%r1)
	aghi	%r6,-SWAP_SIZE
	lgr	%r11,%r13
	agr	%r11,%r6

	/* the swap overwrites purgatory_sha_regions: keep them in what moves */
	larl	%r7,swap_regions
	larl	%r8,purgatory_sha_regions
	lghi	%r5,KEXEC_SEGMENT_MAX * SHA_REGION_SIZE
	COPY	%r7,%r8,%r5

	/*
	 * Still nothing written that the old kernel needs: check that the
	 * regions come in order below %r11, and that this purgatory is not
	 * where its copy of old memory will go; else wait, memory intact.
	 */
	lgr	%r9,%r13
	lghi	%r8,KEXEC_SEGMENT_MAX
.Lcheck_region:
	lg	%r4,0(%r7)
	ltgr	%r4,%r4
	jz	.Lcheck_next			/* unused slot */
	clgr	%r4,%r9
	jl	.Lbad_crash_layout		/* out of order or below crash_start */
	clgr	%r4,%r11
	jh	.Lbad_crash_layout
	lgr	%r9,%r11
	sgr	%r9,%r4				/* room up to %r11 */
	clg	%r9,8(%r7)
	jl	.Lbad_crash_layout
	lgr	%r9,%r4
	ag	%r9,8(%r7)			/* where the next one may start */
.Lcheck_next:
	aghi	%r7,SHA_REGION_SIZE
	brctg	%r8,.Lcheck_region
	larl	%r8,purgatory_start
	lgr	%r1,%r8
	aghi	%r1,SWAP_SIZE
	clgr	%r1,%r11
	jh	.Lbad_crash_layout

	/* save the old memory the code will cover, then move the code there */
	lghi	%r5,SWAP_CODE_SIZE
	larl	%r12,swap_buffer
	COPY	%r12,%r6,%r5
	COPY	%r6,%r8,%r5
	lgr	%r1,%r6
	aghi	%r1,.Lmoved - purgatory_start
	br	%r1

.Lmoved:
	/* both halves of the old memory under the moved purgatory to the crash region */
	COPY	%r11,%r12,%r5
	larl	%r12,swap_buffer
	lgr	%r9,%r11
	agr	%r9,%r5
	COPY	%r9,%r12,%r5

	/* below it: old memory into the crash region, digest regions swapped */
	lgr	%r9,%r13
	lghi	%r10,0
	larl	%r7,swap_regions
	lghi	%r8,KEXEC_SEGMENT_MAX
.Lswap_region:
	lg	%r4,0(%r7)
	ltgr	%r4,%r4
	jz	.Lswap_next
	sgr	%r4,%r9				/* the gap before the region */
	COPY	%r9,%r10,%r4
	agr	%r9,%r4
	agr	%r10,%r4
	lg	%r5,8(%r7)
.Lswap_chunk:
	ltgr	%r5,%r5
	jz	.Lswap_next
	lghi	%r4,SWAP_CODE_SIZE
	clgr	%r5,%r4
	jnl	1f
	lgr	%r4,%r5
1:	COPY	%r12,%r9,%r4			/* crash kernel -> buffer */
	COPY	%r9,%r10,%r4			/* old memory -> crash region */
	COPY	%r10,%r12,%r4			/* buffer -> its place from 0 */
	agr	%r9,%r4
	agr	%r10,%r4
	sgr	%r5,%r4
	j	.Lswap_chunk
.Lswap_next:
	aghi	%r7,SHA_REGION_SIZE
	brctg	%r8,.Lswap_region
	lgr	%r4,%r11
	sgr	%r4,%r9
	COPY	%r9,%r10,%r4

	lghi	%r3,DIAG308_LOAD_NORMAL

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
	.size	purgatory_start, . - purgatory_start

	/* wait, 64-bit addressing; the address tells a dump reader why */
	.balign	8
disabled_wait_psw:
	.quad	0x0002000180000000
	.quad	.Ldisabled_wait
bad_layout_psw:
	.quad	0x0002000180000000
	.quad	.Lbad_crash_layout

	/* the loader writes these */
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
swap_regions:
	.fill	KEXEC_SEGMENT_MAX * SHA_REGION_SIZE, 1, 0

	/* a build error if the code outgrows what moves */
	.org	SWAP_CODE_SIZE
swap_buffer:
	.fill	SWAP_CODE_SIZE, 1, 0
swap_buffer_end:
	.section .note.GNU-stack, "", @progbits
