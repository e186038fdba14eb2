/* s390x: branches (PC32DBL/PLT32DBL/PC16DBL), data pointers, .bss, 20-bit
 * displacements and the small absolute types. */
	.section .text.early, "ax", @progbits
	.globl	back
back:
	br	%r14

	.text
	.globl	purgatory_start
purgatory_start:
	brasl	%r14, fwd		/* PC32DBL */
	brasl	%r14, back@PLT		/* PLT32DBL */
	larl	%r1, data_var		/* PC32DBL */
	larl	%r2, bss_big		/* PC32DBL into .bss */
	lgrl	%r3, data_var		/* PC32DBL */
	brc	15, 1f			/* resolved by the assembler */
	j	fwd			/* PC16DBL? (jg below is PC32DBL) */
	jg	fwd			/* PC32DBL */
1:	lg	%r4, small20(%r1)	/* 20 */
	brcl	15, back		/* PC32DBL */
	br	%r14

	.section .text.late, "ax", @progbits
	.p2align 3
	.globl	fwd
fwd:
	larl	%r1, purgatory_start
	br	%r14

	.section .rodata, "a", @progbits
	.p2align 5
rodata_tab:
	.quad	purgatory_start, fwd, back	/* 64 */
	.long	data_var - .			/* PC32 */
	.quad	bss_var - .			/* PC64 */
	.quad	purgatory_start - .		/* PC64, backward */
	.quad	back@PLT - .			/* PLT64? */
	.long	data_var			/* 32 */
	.short	small16				/* 16 */
	.byte	small8				/* 8 */

	.data
	.p2align 3
	.globl	data_var
data_var:
	.quad	rodata_tab + 16, bss_big	/* 64 */
	.long	bss_var				/* 32 */
	.long	fwd - .				/* PC32 */

	.bss
	.p2align 4
bss_var:
	.zero	24
	.section .bss.big, "aw", @nobits
	.p2align 12
bss_big:
	.zero	0x2000

	.globl	small20, small16, small8
	.set	small20, 0x7ffff
	.set	small16, 0xffff
	.set	small8, 0xff
