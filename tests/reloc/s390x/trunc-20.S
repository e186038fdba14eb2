/* R_390_20 past the signed 20-bit range: GNU ld (complain_overflow_dont) and
 * the kernel both truncate silently; ukexec does the same, byte for byte. */
	.text
t:	lg	%r4, t + 0x7ffff(%r1)
