/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * x86_64 purgatory entry. The old kernel jumps here in 64-bit mode with an
 * identity map; nothing about segments or the stack can be assumed.
 */
#define GDT_CODE64	0x10
#define GDT_DATA	0x18

	.text
	.code64
	.globl	purgatory_start
	.type	purgatory_start, @function
purgatory_start:
	/*
	 * On a KEXEC_PRESERVE_CONTEXT kexec the old kernel's relocate_kernel
	 * calls us: the word on its stack is where the new kernel jumps back to
	 * (elsewhere it is whatever lies there, unused: see cmdline_end).
	 */
	movq	0(%rsp), %rax
	movq	%rax, jump_back_entry(%rip)
	lgdt	gdt_ptr(%rip)
	movl	$GDT_DATA, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	%eax, %fs
	movl	%eax, %gs
	leaq	purgatory_stack_top(%rip), %rsp
	/* reload %cs from our GDT with a far return */
	pushq	$GDT_CODE64
	leaq	1f(%rip), %rax
	pushq	%rax
	lretq
1:	call	x86_64_purgatory
	jmp	entry64
	.size	purgatory_start, . - purgatory_start

	.section .rodata
	.balign	16
	/* null descriptor slots 0x00 and 0x08 hold the GDT pointer itself */
gdt:
gdt_ptr:
	.word	gdt_end - gdt - 1
	.quad	gdt
	.word	0, 0, 0
	/* 0x10: flat 64-bit code: limit 0xfffff, present, DPL0, exec/read, L=1, G=1 */
	.quad	0x00af9a000000ffff
	/* 0x18: flat data: limit 0xfffff, present, DPL0, read/write, D/B=1, G=1 */
	.quad	0x00cf92000000ffff
gdt_end:

	.bss
	.balign	4096
purgatory_stack:
	.skip	4096
purgatory_stack_top:
	.section .note.GNU-stack, "", @progbits
