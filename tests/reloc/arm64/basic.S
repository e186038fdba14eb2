/* aarch64: branches, ADRP/ADD/LDST pairs, MOVW groups, data pointers. */
	.section .text.early, "ax", %progbits
	.globl	back
back:
	ret

	.text
	.globl	purgatory_start
purgatory_start:
	bl	fwd				/* CALL26 */
	bl	back				/* CALL26, backward */
	b	fwd				/* JUMP26 */
	cbz	x0, fwd				/* CONDBR19 */
	tbz	x0, #3, fwd			/* TSTBR14 */
	adr	x1, data_var			/* ADR_PREL_LO21 */
	adrp	x2, data_var			/* ADR_PREL_PG_HI21 */
	add	x2, x2, :lo12:data_var		/* ADD_ABS_LO12_NC */
	adrp	x3, bss_big
	ldrb	w4, [x3, :lo12:bss_big+1]	/* LDST8 */
	ldrh	w4, [x3, :lo12:bss_big+2]	/* LDST16 */
	ldr	w4, [x3, :lo12:bss_big+4]	/* LDST32 */
	ldr	x4, [x3, :lo12:bss_big+8]	/* LDST64 */
	ldr	q4, [x3, :lo12:bss_big+16]	/* LDST128 */
	adrp	x5, :pg_hi21_nc:data_var	/* ADR_PREL_PG_HI21_NC */
	movz	x6, #:abs_g3:data_var		/* MOVW_UABS_G3 */
	movk	x6, #:abs_g2_nc:data_var	/* G2_NC */
	movk	x6, #:abs_g1_nc:data_var	/* G1_NC */
	movk	x6, #:abs_g0_nc:data_var	/* G0_NC */
	movz	x7, #:abs_g2:data_var		/* G2 */
	movz	x7, #:abs_g1:data_var		/* G1 */
	movz	x7, #:abs_g0:small		/* G0 */
	ret

	.section .text.late, "ax", %progbits
	.p2align 4
	.globl	fwd
fwd:
	adr	x0, purgatory_start
	ret

	.section .rodata, "a", %progbits
	.p2align 5
rodata_tab:
	.xword	purgatory_start, fwd, back	/* ABS64 */
	.word	data_var - .			/* PREL32 */
	.xword	bss_var - .			/* PREL64 */
	.xword	purgatory_start - .		/* PREL64, backward */
	.hword	small				/* ABS16 */
	.hword	fwd - .				/* PREL16 */

	.data
	.p2align 3
	.globl	data_var
data_var:
	.xword	rodata_tab + 16, bss_big	/* ABS64 */
	.word	bss_var				/* ABS32 */
	.word	fwd - .				/* PREL32 */

	.bss
	.p2align 4
bss_var:
	.zero	24
	.section .bss.big, "aw", %nobits
	.p2align 12
bss_big:
	.zero	0x2000

	.globl	small
	.set	small, 0xfff0
