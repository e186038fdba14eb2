/* R_X86_64_32 of a data address: overflows once loaded at or above 4 GiB. */
	.data
d:	.long	d
