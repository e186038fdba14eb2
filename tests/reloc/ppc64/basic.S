/* ppc64le (ELFv2): branches, TOC-relative accesses, @ha/@l pairs, data. */
	.abiversion 2
	.section .text.early, "ax", @progbits
	.globl	back
back:
	blr

	.text
	.globl	purgatory_start
purgatory_start:
	bl	fwd				/* REL24 */
	bl	back				/* REL24, backward */
	b	fwd				/* REL24 */
	addis	3, 2, data_var@toc@ha		/* TOC16_HA */
	addi	3, 3, data_var@toc@l		/* TOC16_LO */
	ld	4, data_var@toc@l(3)		/* TOC16_LO_DS */
	addis	5, 2, bss_big@toc@ha
	ld	5, bss_big@toc@l(5)
	lis	6, data_var@highest		/* ADDR16_HIGHEST */
	ori	6, 6, data_var@higher		/* ADDR16_HIGHER */
	lis	7, data_var@ha			/* ADDR16_HA */
	addi	7, 7, data_var@l		/* ADDR16_LO */
	lis	8, data_var@h			/* ADDR16_HI */
	lis	9, data_var@high		/* ADDR16_HIGH */
	lis	9, data_var@higha		/* ADDR16_HIGHA */
	lis	9, data_var@highera		/* ADDR16_HIGHERA */
	lis	9, data_var@highesta		/* ADDR16_HIGHESTA */
	ld	10, toc_ent@toc(2)		/* TOC16_DS */
	blr

	.section .text.late, "ax", @progbits
	.p2align 4
	.globl	fwd
fwd:
	blr

	/* GNU ld aligns the TOC base down to 256 bytes, the kernel does not:
	 * a 256-byte aligned .toc makes both .toc + 0x8000 */
	.section .toc, "aw", @progbits
	.p2align 8
toc_ent:
	.quad	data_var			/* ADDR64 */
	.quad	.TOC.@tocbase			/* TOC */

	.section .rodata, "a", @progbits
	.p2align 5
rodata_tab:
	.quad	purgatory_start, fwd, back	/* ADDR64 */
	.long	data_var - .			/* REL32 */
	.quad	bss_var - .			/* REL64 */

	.data
	.p2align 3
	.globl	data_var
data_var:
	.quad	rodata_tab + 16, bss_big	/* ADDR64 */
	.long	bss_var				/* ADDR32 */

	.bss
	.p2align 4
bss_var:
	.zero	24
	.section .bss.big, "aw", @nobits
	.p2align 12
bss_big:
	.zero	0x2000
