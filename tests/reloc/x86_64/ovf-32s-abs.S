/* R_X86_64_32S past the signed limit through the addend: refused everywhere. */
	.text
t:	movq	$t + 0x7fffffff, %rax
