/* Relocations exactly at their limits when loaded at the lowest test address
 * (0x1000): these fit there and overflow higher up. */
	.text
t:	lea	t + 0x7fffefff(%rip), %rax	/* PC32: S+A-P = 0x7fffefff-3-4+... */
	movq	$t - 0x1000 + 0x7fffffff, %rax	/* 32S: exactly 0x7fffffff at 0x1000 */
	movl	$t - 0x1000 + 0xffffffff, %eax	/* 32: exactly 0xffffffff at 0x1000 */
	ret
