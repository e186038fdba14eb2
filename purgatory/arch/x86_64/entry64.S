/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Load the register block the loader filled in (entry64_regs, the kernel's
 * struct kexec_entry64_regs layout) and jump to its rip.
 */
	.text
	.code64
	.globl	entry64
	.type	entry64, @function
entry64:
	leaq	entry64_regs(%rip), %r15
	movq	0x00(%r15), %rax
	movq	0x08(%r15), %rcx
	movq	0x10(%r15), %rdx
	movq	0x18(%r15), %rbx
	movq	0x20(%r15), %rsp
	movq	0x28(%r15), %rbp
	movq	0x30(%r15), %rsi
	movq	0x38(%r15), %rdi
	movq	0x40(%r15), %r8
	movq	0x48(%r15), %r9
	movq	0x50(%r15), %r10
	movq	0x58(%r15), %r11
	movq	0x60(%r15), %r12
	movq	0x68(%r15), %r13
	movq	0x70(%r15), %r14
	pushq	0x80(%r15)		/* rip */
	movq	0x78(%r15), %r15
	ret
	.size	entry64, . - entry64

	.section .kexec-purgatory, "aw", @progbits
	.balign	8
	.globl	entry64_regs
	.type	entry64_regs, @object
entry64_regs:
	.fill	17, 8, 0		/* rax rcx rdx rbx rsp rbp rsi rdi r8-r15 rip */
	.size	entry64_regs, . - entry64_regs
	.section .note.GNU-stack, "", @progbits
