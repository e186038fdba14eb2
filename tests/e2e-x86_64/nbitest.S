/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A tiny network boot image program (as --32, objcopy -O binary), wrapped
 * in an nbi header by tests/e2e-x86_64/mknbi.py: loaded at 0x20000, its
 * message in a second, appended segment at 0x21000. Entered at 0x2000:0000
 * in real mode or at 0x20100 in 32-bit protected mode, it prints the
 * message and the mode on the first serial port, then resets through the
 * keyboard controller, which ends a QEMU run with -no-reboot.
 */
	.equ	COM1, 0x3f8
	.equ	LOAD, 0x20000
	.equ	MSG, 0x21000

	.text
	.code16
start16:
	cli
	movw	$(MSG >> 4), %ax
	movw	%ax, %ds
	xorw	%si, %si
	call	print16
	movw	%cs, %ax
	movw	%ax, %ds
	movw	$(mode16 - start16), %si
	call	print16
	jmp	reset16
print16:
	movw	$COM1, %dx
1:	lodsb
	testb	%al, %al
	jz	2f
	outb	%al, %dx
	jmp	1b
2:	ret
reset16:
	movb	$0xfe, %al
	outb	%al, $0x64
3:	hlt
	jmp	3b
mode16:
	.asciz	"real mode\n"

	.org	0x100
	.code32
start32:
	cli
	movl	$MSG, %esi
	call	print32
	movl	$(LOAD + mode32 - start16), %esi
	call	print32
	movb	$0xfe, %al
	outb	%al, $0x64
4:	hlt
	jmp	4b
print32:
	movw	$COM1, %dx
5:	lodsb
	testb	%al, %al
	jz	6f
	outb	%al, %dx
	jmp	5b
6:	ret
mode32:
	.asciz	"protected mode\n"
	.section .note.GNU-stack, "", @progbits
