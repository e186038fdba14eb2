/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kexec-tools' 16-bit entry (--real-mode): entry32 jumps here (its
 * entry32_regs' eip) in flat 32-bit protected mode with paging off. The
 * loader keeps the purgatory below 640 KiB, so this code is real-mode
 * addressable. Real mode is entered the way the SDM says (9.9.2): a 16-bit
 * code segment and 64 KiB data segments, the BIOS's interrupt vector table
 * at 0, PE cleared, a far jump; then the registers of entry16_regs are
 * loaded and cs:ip is entered, the kernel's real-mode setup code, which
 * calls the BIOS.
 *
 * Everything entry16 uses lies in .text, addressed from where it runs:
 * no absolute relocation, so the purgatory still links anywhere for the
 * 64-bit entry (above 4 GiB too).
 *
 * Linux leaves the 8259s masked with their vectors at its own bases
 * (0x30); they are put back at the BIOS's (0x08 and 0x70), still masked,
 * so a line a BIOS service unmasks reaches the BIOS's handler, not a
 * vector of the real-mode IVT that is no interrupt handler. A precaution:
 * SeaBIOS in QEMU (c-bz16-exec) boots the kernel without it too;
 * kexec-tools' purgatory has x86_setup_legacy_pic() but never runs it.
 */
#define GDT16_CODE	0x08
#define GDT16_DATA	0x10
#define X86_CR0_PE	0x00000001
#define PIC1_CMD	0x20
#define PIC1_DATA	0x21
#define PIC2_CMD	0xa0
#define PIC2_DATA	0xa1

	.text
	.code32
	.balign	16
	.globl	entry16
	.type	entry16, @function
entry16:
	cli
	call	1f
1:	popl	%ebx
	subl	$(1b - entry16), %ebx
	/* kept across the switch: real mode reads the registers from there */
	leal	(entry16_regs - entry16)(%ebx), %esi

	call	reset_legacy_pic

	/* the 16-bit code segment's base is entry16: limit 0xffff, exec/read */
	movl	%ebx, %eax
	shll	$16, %eax
	orl	$0xffff, %eax
	movl	%eax, (gdt16 - entry16 + GDT16_CODE)(%ebx)
	movl	%ebx, %eax
	shrl	$16, %eax
	andl	$0xff, %eax
	orl	$0x9b00, %eax
	movl	%eax, (gdt16 - entry16 + GDT16_CODE + 4)(%ebx)
	leal	(gdt16 - entry16)(%ebx), %eax
	movl	%eax, (gdt16_ptr - entry16 + 2)(%ebx)
	/* the real-mode far pointer: the segment of entry16 */
	movl	%ebx, %eax
	shrl	$4, %eax
	movw	%ax, (real_ptr - entry16 + 2)(%ebx)

	lgdt	(gdt16_ptr - entry16)(%ebx)
	lidt	(ivt_ptr - entry16)(%ebx)
	movl	$GDT16_DATA, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %fs
	movl	%eax, %gs
	movl	%eax, %ss
	ljmp	$GDT16_CODE, $(2f - entry16)

	.code16
2:	movl	%cr0, %eax
	andl	$~X86_CR0_PE, %eax
	movl	%eax, %cr0
	ljmpw	*%cs:(real_ptr - entry16)

	/* real mode: ds:si at entry16_regs (%esi is below 1 MiB) */
3:	movl	%esi, %eax
	shrl	$4, %eax
	movw	%ax, %ds
	andw	$0xf, %si
	movw	0x24(%si), %ss
	movl	0x18(%si), %esp
	pushw	0x2c(%si)		/* cs */
	pushw	0x2a(%si)		/* ip */
	pushw	0x20(%si)		/* ds, loaded last */
	movw	0x22(%si), %es
	movw	0x26(%si), %fs
	movw	0x28(%si), %gs
	movl	0x00(%si), %eax
	movl	0x04(%si), %ebx
	movl	0x08(%si), %ecx
	movl	0x0c(%si), %edx
	movl	0x14(%si), %edi
	movl	0x1c(%si), %ebp
	movl	0x10(%si), %esi
	popw	%ds
	lretw
	.size	entry16, . - entry16

	.code32
	.type	reset_legacy_pic, @function
reset_legacy_pic:
	movb	$0xff, %al
	outb	%al, $PIC1_DATA
	outb	%al, $PIC2_DATA
	movb	$0x11, %al		/* ICW1: edge, cascade, ICW4 follows */
	outb	%al, $PIC1_CMD
	outb	%al, $PIC2_CMD
	movb	$0x08, %al		/* ICW2: the BIOS's vector bases */
	outb	%al, $PIC1_DATA
	movb	$0x70, %al
	outb	%al, $PIC2_DATA
	movb	$0x04, %al		/* ICW3: the slave on IRQ2 */
	outb	%al, $PIC1_DATA
	movb	$0x02, %al
	outb	%al, $PIC2_DATA
	movb	$0x01, %al		/* ICW4: 8086 mode */
	outb	%al, $PIC1_DATA
	outb	%al, $PIC2_DATA
	/* initialisation cleared the masks: every line masked again */
	movb	$0xff, %al
	outb	%al, $PIC1_DATA
	outb	%al, $PIC2_DATA
	ret
	.size	reset_legacy_pic, . - reset_legacy_pic

	.balign	4
real_ptr:
	.word	3b - entry16
	.word	0			/* entry16 >> 4, set before the switch */
	.balign	16
	/* 0x08: 16-bit code, base entry16 (set at run time); 0x10: 16-bit data, base 0 */
gdt16:
	.quad	0
	.quad	0
	.quad	0x000093000000ffff
gdt16_end:
	.balign	4
	.word	0
gdt16_ptr:
	.word	gdt16_end - gdt16 - 1
	.long	0			/* gdt16, set before the lgdt */
	.word	0
ivt_ptr:
	.word	0x400 - 1		/* the BIOS's 256 vectors at 0 */
	.long	0

	.balign	4
	.globl	entry16_regs
	.type	entry16_regs, @object
	/* kexec-tools' struct entry16_regs; in .text, beside the code that reads it */
entry16_regs:
	.fill	8, 4, 0			/* eax ebx ecx edx esi edi esp ebp */
	.fill	8, 2, 0			/* ds es ss fs gs ip cs pad */
	.size	entry16_regs, . - entry16_regs
	.section .note.GNU-stack, "", @progbits
