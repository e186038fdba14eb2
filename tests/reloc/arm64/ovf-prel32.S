/* R_AARCH64_PREL32 beyond 2 GiB through the addend: refused everywhere. */
	.text
e:	ret
	.data
d:	.word	e + 0x80001000 - .
