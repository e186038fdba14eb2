/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kexec-tools' 32-bit entry (the bzImage 32-bit boot protocol, multiboot):
 * entry64 jumps here when the loader points entry64_regs' rip at entry32.
 * Long mode is left the way the SDM says: a 32-bit code segment
 * (compatibility mode), paging off, EFER.LME off; then the registers of
 * entry32_regs are loaded and eip is entered in flat 32-bit protected mode
 * with __BOOT_CS (0x10) and __BOOT_DS (0x18), as boot.rst and the multiboot
 * specification ask. The purgatory must lie below 4 GiB (the loaders place
 * it below 2 GiB): its addresses are used as physical ones once paging is
 * off.
 */
#define GDT32_CODE	0x10
#define GDT32_DATA	0x18
#define X86_CR0_PG	0x80000000
#define MSR_EFER	0xc0000080
#define EFER_LME	0x100

	.text
	.code64
	.globl	entry32
	.type	entry32, @function
entry32:
	/* the registers' address, kept in %ebp across the switch */
	leaq	entry32_regs(%rip), %rbp
	leaq	gdt32(%rip), %rax
	movq	%rax, gdt32_ptr + 2(%rip)
	lgdt	gdt32_ptr(%rip)
	leaq	1f(%rip), %rax
	movl	%eax, lm_exit(%rip)
	ljmpl	*lm_exit(%rip)
	.code32
1:	movl	$GDT32_DATA, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	%eax, %fs
	movl	%eax, %gs
	movl	%cr0, %eax
	andl	$~X86_CR0_PG, %eax
	movl	%eax, %cr0
	movl	$MSR_EFER, %ecx
	rdmsr
	andl	$~EFER_LME, %eax
	wrmsr
	/* PAE, PGE, LA57 and the rest as after a reset: the new kernel sets its own */
	xorl	%eax, %eax
	movl	%eax, %cr4
	/* eip goes on the new stack: %ebp, the base, is loaded last */
	movl	0x18(%ebp), %esp
	pushl	0x20(%ebp)
	movl	0x00(%ebp), %eax
	movl	0x04(%ebp), %ebx
	movl	0x08(%ebp), %ecx
	movl	0x0c(%ebp), %edx
	movl	0x10(%ebp), %esi
	movl	0x14(%ebp), %edi
	movl	0x1c(%ebp), %ebp
	ret
	.size	entry32, . - entry32

	.data
	.balign	16
	/* 0x10: flat 32-bit code, exec/read, D=1, G=1; 0x18: flat data, read/write */
gdt32:
	.quad	0
	.quad	0
	.quad	0x00cf9a000000ffff
	.quad	0x00cf92000000ffff
gdt32_end:
	.balign	8
	.word	0
gdt32_ptr:
	.word	gdt32_end - gdt32 - 1
	.quad	0			/* gdt32, set before the lgdt */
	.balign	4
lm_exit:
	.long	0			/* 1b, set before the far jump */
	.word	GDT32_CODE

	.section .kexec-purgatory, "aw", @progbits
	.balign	4
	.globl	entry32_regs
	.type	entry32_regs, @object
entry32_regs:
	.fill	9, 4, 0			/* eax ebx ecx edx esi edi esp ebp eip */
	.size	entry32_regs, . - entry32_regs
	.section .note.GNU-stack, "", @progbits
