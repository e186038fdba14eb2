/* R_X86_64_32 past the unsigned limit through the addend: refused everywhere. */
	.data
d:	.long	d + 0xffffffff
