/* R_390_PC32DBL beyond +-4 GiB through the addend: refused everywhere. */
	.text
	.globl	f
f:	larl	%r1, f + 0x200000000
	br	%r14
