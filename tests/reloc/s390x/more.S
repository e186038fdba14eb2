/* s390x: the rarer types (PC16, PLT32, PC12DBL, PC24DBL, 12). */
	.machine "zEC12"
	.text
	.globl	g
g:	bprp	5, 1f, h			/* PC12DBL + PC24DBL */
1:	br	%r14
	.section .rodata, "a", @progbits
	.long	h@PLT - .			/* PLT32 */
	.section .text.h, "ax", @progbits
	.globl	h
h:	br	%r14
