/* R_390_32 of a data address: overflows above 4 GiB. */
	.data
d:	.long	d + 0x7fff0000
