/* R_X86_64_32S of a code address: overflows at or above 2 GiB. */
	.text
	movq	$t, %rax
t:	ret
