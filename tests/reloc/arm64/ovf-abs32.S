/* R_AARCH64_ABS32 of an address above 4 GiB. */
	.data
d:	.word	d
