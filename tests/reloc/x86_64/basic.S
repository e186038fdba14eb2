/* Every x86_64 type ukexec supports: branches forward and backward across
 * sections, data pointers between sections, .bss references, absolute
 * symbols at the edges of the 32-bit ranges. */
	.globl	abs_u32_max, abs_s32_max, abs_s32_min
	.set	abs_u32_max, 0xffffffff
	.set	abs_s32_max, 0x7fffffff
	.set	abs_s32_min, -0x80000000

	.section .text.early, "ax", @progbits
	.globl	back
back:
	ret

	.text
	.globl	purgatory_start
purgatory_start:
	call	fwd			/* PLT32, forward into another section */
	call	back			/* PLT32, backward */
	jmp	fwd			/* PC32/PLT32 */
	lea	data_var(%rip), %rax	/* PC32 */
	mov	bss_var(%rip), %rax	/* PC32 into .bss */
	mov	bss_big+0x1000(%rip), %rcx	/* PC32 with addend */
	movabs	$data_var, %rax		/* 64 */
	movabs	$bss_big+8, %rdx	/* 64 into .bss */
	movl	$data_var, %eax		/* 32 */
	movq	$rodata_tab, %rax	/* 32S */
	mov	bss_var, %eax		/* 32S (absolute addressing) */
	movl	$abs_u32_max, %ebx	/* 32 at the unsigned limit */
	movq	$abs_s32_max, %rbx	/* 32S at the signed limits */
	movq	$abs_s32_min, %rbx
	ret

	.section .text.late, "ax", @progbits
	.p2align 4
	.globl	fwd
fwd:
	lea	purgatory_start(%rip), %rax
	ret

	.section .rodata, "a", @progbits
	.p2align 5
rodata_tab:
	.quad	purgatory_start, fwd, back	/* 64 */
	.long	data_var - .			/* PC32 in data */
	.quad	bss_var - .			/* PC64 */
	.quad	purgatory_start - .		/* PC64, backward */

	.data
	.p2align 3
	.globl	data_var
data_var:
	.quad	rodata_tab + 16, bss_big	/* 64 */
	.long	bss_var				/* 32 */
	.long	fwd - .				/* PC32 */
	.quad	abs_s32_max			/* 64 against an absolute symbol */

	.bss
	.p2align 4
bss_var:
	.zero	24
	.section .bss.big, "aw", @nobits
	.p2align 12
bss_big:
	.zero	0x2000
