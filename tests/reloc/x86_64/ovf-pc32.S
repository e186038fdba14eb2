/* R_X86_64_PC32 with a displacement past 2 GiB: refused everywhere. */
	.text
	.globl	f
f:	lea	f + 0x80000010(%rip), %rax
	ret
