/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * /init of the i386 kernel that c-i386-exec boots (as --32, ld -m elf_i386,
 * static, no libc): one UKEXEC-I386-INIT line on the console, then exit,
 * which panics the kernel (panic=-1 reboots, QEMU's -no-reboot exits).
 */
	.equ	SYS_exit, 1
	.equ	SYS_write, 4

	.text
	.globl	_start
_start:
	movl	$SYS_write, %eax
	movl	$1, %ebx
	movl	$msg, %ecx
	movl	$msg_end - msg, %edx
	int	$0x80
	movl	$SYS_exit, %eax
	xorl	%ebx, %ebx
	int	$0x80

	.section .rodata
msg:	.ascii	"UKEXEC-I386-INIT userspace of the i386 kernel runs\n"
msg_end:
	.section .note.GNU-stack, "", @progbits
