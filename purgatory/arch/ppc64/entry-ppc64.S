/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ppc64le (ELFv2) purgatory entry, written for ukexec after the behaviour of
 * the kernel's arch/powerpc/purgatory/trampoline_64.S, plus the digest check
 * the kernel's purgatory does not have.
 *
 * The old kernel's kexec_sequence() copies the first 0x100 bytes of this
 * purgatory to address 0 (the secondary CPUs spin in its copy at 0x60) and
 * branches to purgatory_start in real mode, MSR_LE set, with r3 = its
 * physical CPU id, r4 = the purgatory's address. The loader replaced bytes
 * 4..0xff with the next kernel's own slave code (setup_purgatory()) and set
 * kernel, dt_offset, backup_start, run_at_load and the digest of
 * purgatory.c.
 *
 * The master: the digest check (purgatory() never returns on a mismatch),
 * the kdump backup copy (the first 64 KiB -> backup_start), its CPU id into
 * the device tree's boot_cpuid_phys, run_at_load into the kernel's word at
 * 0x5c, then the kernel in big-endian real mode with r3 = the device tree,
 * r4 = the kernel, r5 = 0, as the kernel's purgatory enters it.
 */
#define BACKUP_SRC_START	0
#define BACKUP_SRC_SIZE		0x10000
#define FDT_VERSION		20	/* offsetof(struct fdt_header, version) */
#define FDT_BOOT_CPUID_PHYS	28
#define MSR_LE			1
#define STACK_FRAME_MIN		32	/* ELFv2: back chain, CR, LR, TOC save */
#define STACK_SIZE		0x400	/* -fstack-usage at -O1: 0x2e0 deep (entry, purgatory, verify, update, blocks) */

	.abiversion 2
	.text
	.balign	256
	.globl	purgatory_start
	.type	purgatory_start, @function
purgatory_start:
	b	master

	/* the word the kernel's own head keeps at 0x5c */
	.org	purgatory_start + 0x5c
	.globl	run_at_load
	.type	run_at_load, @object
run_at_load:
	.long	0
	.size	run_at_load, 4

	/* the secondaries run the copy at 0x60; the loader puts the kernel's here */
	.org	purgatory_start + 0x60
slave:
	b	.
	.org	purgatory_start + 0x100
	.size	purgatory_start, 0x100

master:
	or	1, 1, 1			/* low priority: let the other threads catch up */
	isync
	mr	17, 3			/* our CPU id */
	mr	15, 4			/* our physical address */
	bcl	20, 31, 0f
0:	mflr	18

	/* the TOC (lib/ and purgatory.c are compiled C) and a stack */
	ld	2, (toc_base - 0b)(18)
	ld	1, stack_top@toc(2)
	li	0, 0
	stdu	0, -STACK_FRAME_MIN(1)
	bl	purgatory
	nop

	/* after the check: the backup segment was hashed as the loader left it */
	ld	3, (backup_start - 0b)(18)
	cmpdi	3, 0
	beq	.Lskip_copy
	lis	4, BACKUP_SRC_START@h
	ori	4, 4, BACKUP_SRC_START@l
	lis	5, BACKUP_SRC_SIZE@h
	ori	5, 5, BACKUP_SRC_SIZE@l
	li	6, 0
.Lcopy_loop:
	ldx	0, 6, 4
	stdx	0, 6, 3
	addi	6, 6, 8
	cmpld	6, 5
	blt	.Lcopy_loop
.Lskip_copy:
	or	3, 3, 3			/* back to normal priority */
	lis	6, 1
	mtctr	6			/* give the slaves time before 0-0x100 is overwritten */
	bdnz	.

	/* boot_cpuid_phys (big-endian) in a version 2+ device tree */
	ld	3, (dt_offset - 0b)(18)
	li	4, FDT_VERSION
	lwbrx	6, 3, 4
	cmpwi	6, 2
	blt	1f
	li	4, FDT_BOOT_CPUID_PHYS
	stwbrx	17, 3, 4
1:
	ld	8, (opal_base - 0b)(18)
	ld	9, (opal_entry - 0b)(18)
	ld	4, (kernel - 0b)(18)
	lwz	6, (run_at_load - 0b)(18)
	stw	6, 0x5c(4)
	li	5, 0

	mfmsr	11
	andi.	10, 11, MSR_LE
	bne	.Lle
	mtctr	4
	bctr
.Lle:
	/* the kernel starts big-endian (its head switches): rfid clears MSR_LE */
	mtsrr0	4
	clrrdi	11, 11, 1
	mtsrr1	11
	rfid

	/* the loader writes these (kexec_purgatory_get_set_symbol) */
	.balign	8
	.globl	kernel, dt_offset, backup_start, opal_base, opal_entry
	.type	kernel, @object
	.size	kernel, 8
kernel:
	.quad	0
	.type	dt_offset, @object
	.size	dt_offset, 8
dt_offset:
	.quad	0
	.type	backup_start, @object
	.size	backup_start, 8
backup_start:
	.quad	0
	.type	opal_base, @object
	.size	opal_base, 8
opal_base:
	.quad	0
	.type	opal_entry, @object
	.size	opal_entry, 8
opal_entry:
	.quad	0
toc_base:
	.quad	.TOC.@tocbase
	.balign	256			/* .toc follows (purgatory.lds) */

	/* the loader's TOC pointer is .toc + 0x8000 (get_toc_ptr()) */
	.section .toc, "aw", @progbits
	.balign	256
stack_top:
	.quad	stack + STACK_SIZE

	.bss
	.balign	16
stack:
	.skip	STACK_SIZE
	.section .note.GNU-stack, "", @progbits
