/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A tiny multiboot test kernel (as --32, ld -m elf_i386 -T mbtest.ld): it
 * prints on the first serial port what the boot loader handed it, one
 * UKEXEC-MB line each (eax, the MBI's flags and memory fields, the command
 * line, the boot loader's name, every module with its command line and
 * first bytes), then triple-faults, which ends a QEMU run with -no-reboot.
 * tests/e2e-x86_64 case c-mb-exec boots it with kexec -t multiboot-x86;
 * tests/unit/test-x86_64-imgtypes.sh loads it on a recorded machine.
 */
	.equ	COM1, 0x3f8
	.equ	MB_MAGIC, 0x1badb002
	.equ	MB_FLAGS, 0x00000003	/* page-aligned modules, memory information */

	.section .multiboot, "a"
	.balign	4
	.long	MB_MAGIC
	.long	MB_FLAGS
	.long	-(MB_MAGIC + MB_FLAGS)

	.text
	.code32
	.globl	_start
_start:
	movl	$stack_top, %esp
	movl	%eax, %edi		/* the magic */
	movl	%ebx, %ebp		/* the MBI */

	movl	$s_magic, %esi
	call	puts
	movl	%edi, %eax
	call	puthex
	movl	$s_flags, %esi
	call	puts
	movl	0(%ebp), %eax
	call	puthex
	movl	$s_lower, %esi
	call	puts
	movl	4(%ebp), %eax
	call	puthex
	movl	$s_upper, %esi
	call	puts
	movl	8(%ebp), %eax
	call	puthex
	movl	$s_mmap, %esi
	call	puts
	movl	44(%ebp), %eax
	call	puthex
	movl	$s_mods, %esi
	call	puts
	movl	20(%ebp), %eax
	call	puthex
	call	newline

	movl	$s_cmdline, %esi
	call	puts
	movl	16(%ebp), %esi
	call	puts
	call	newline
	movl	$s_loader, %esi
	call	puts
	movl	64(%ebp), %esi
	call	puts
	call	newline

	/* each module: its command line, then its first 16 bytes as text */
	movl	20(%ebp), %ecx
	movl	24(%ebp), %ebx
1:	testl	%ecx, %ecx
	jz	2f
	pushl	%ecx
	movl	$s_mod, %esi
	call	puts
	movl	8(%ebx), %esi
	call	puts
	movl	$s_bytes, %esi
	call	puts
	movl	0(%ebx), %esi
	movl	$16, %ecx
3:	lodsb
	cmpb	$0x20, %al
	jb	4f
	call	putc
	loop	3b
4:	call	newline
	popl	%ecx
	addl	$16, %ebx
	decl	%ecx
	jmp	1b
2:	movl	$s_done, %esi
	call	puts
	call	newline
	/* no IDT: the breakpoint becomes a triple fault, QEMU's -no-reboot exits */
	lidt	null_idt
	int3
	hlt

/* putc: %al to COM1 */
putc:
	pushl	%edx
	movw	$COM1, %dx
	outb	%al, %dx
	popl	%edx
	ret

/* puts: the NUL-terminated string at %esi */
puts:
	pushl	%eax
5:	lodsb
	testb	%al, %al
	jz	6f
	call	putc
	jmp	5b
6:	popl	%eax
	ret

newline:
	movb	$'\n', %al
	jmp	putc

/* puthex: %eax as 0x and 8 hex digits */
puthex:
	pushl	%ecx
	pushl	%edx
	movl	%eax, %edx
	movb	$'0', %al
	call	putc
	movb	$'x', %al
	call	putc
	movl	$8, %ecx
7:	roll	$4, %edx
	movb	%dl, %al
	andb	$0xf, %al
	addb	$'0', %al
	cmpb	$'9', %al
	jbe	8f
	addb	$('a' - '9' - 1), %al
8:	call	putc
	loop	7b
	popl	%edx
	popl	%ecx
	ret

	.section .rodata
s_magic:	.asciz	"UKEXEC-MB eax="
s_flags:	.asciz	" flags="
s_lower:	.asciz	" mem_lower="
s_upper:	.asciz	" mem_upper="
s_mmap:		.asciz	" mmap_length="
s_mods:		.asciz	" mods_count="
s_cmdline:	.asciz	"UKEXEC-MB-CMDLINE "
s_loader:	.asciz	"UKEXEC-MB-LOADER "
s_mod:		.asciz	"UKEXEC-MB-MOD "
s_bytes:	.asciz	" bytes="
s_done:		.asciz	"UKEXEC-MB-DONE"
	.balign	8
null_idt:
	.word	0
	.long	0

	.bss
	.balign	16
	.skip	4096
stack_top:
	.section .note.GNU-stack, "", @progbits
