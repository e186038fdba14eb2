/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A stand-in "kernel" for purgatory.sh: prints what it was entered with on
 * the QEMU virt PL011 (0x09000000) and stops:
 *   STANDIN x0=... x1=... x2=... x3=... el=N isar0=... ttbr0=... sctlr=...
 * isar0 is ID_AA64ISAR0_EL1 (SHA2 in bits 15:12: which SHA-256 the purgatory
 * used); ttbr0 the current EL's TTBR0 (the purgatory's identity map if it
 * hashed with the D-cache on); sctlr the current EL's SCTLR: the M (bit 0)
 * and C (bit 2) bits must be clear when a kernel is entered. Position-independent; runs with the
 * MMU off.
 */
#define UART	0x09000000

	.text
	.globl	_start
_start:
	mov	x19, x0
	mov	x20, x1
	mov	x21, x2
	mov	x22, x3
	mov	x23, #UART
	adr	x24, msg_x0
	bl	puts
	mov	x0, x19
	bl	puthex
	adr	x24, msg_x1
	bl	puts
	mov	x0, x20
	bl	puthex
	adr	x24, msg_x2
	bl	puts
	mov	x0, x21
	bl	puthex
	adr	x24, msg_x3
	bl	puts
	mov	x0, x22
	bl	puthex
	adr	x24, msg_el
	bl	puts
	mrs	x25, CurrentEL
	lsr	x25, x25, #2
	add	w0, w25, #'0'
	strb	w0, [x23]
	adr	x24, msg_isar0
	bl	puts
	mrs	x0, id_aa64isar0_el1
	bl	puthex
	adr	x24, msg_ttbr0
	bl	puts
	cmp	x25, #2
	b.eq	1f
	mrs	x0, ttbr0_el1
	bl	puthex
	adr	x24, msg_sctlr
	bl	puts
	mrs	x0, sctlr_el1
	b	2f
1:	mrs	x0, ttbr0_el2
	bl	puthex
	adr	x24, msg_sctlr
	bl	puts
	mrs	x0, sctlr_el2
2:	bl	puthex
	mov	w0, #'\n'
	strb	w0, [x23]
3:	wfi
	b	3b

	/* puts: the NUL-terminated string at x24; clobbers w0, x24 */
puts:
	ldrb	w0, [x24], #1
	cbz	w0, 1f
	strb	w0, [x23]
	b	puts
1:	ret

	/* puthex: x0 as 16 hex digits; clobbers x0-x2 */
puthex:
	mov	x1, #60
1:	lsr	x2, x0, x1
	and	x2, x2, #0xf
	cmp	x2, #10
	add	x2, x2, #'0'
	b.lo	2f
	add	x2, x2, #('a' - '0' - 10)
2:	strb	w2, [x23]
	subs	x1, x1, #4
	b.ge	1b
	ret

msg_x0:	.asciz	"STANDIN x0="
msg_x1:	.asciz	" x1="
msg_x2:	.asciz	" x2="
msg_x3:	.asciz	" x3="
msg_el:	.asciz	" el="
msg_isar0: .asciz " isar0="
msg_ttbr0: .asciz " ttbr0="
msg_sctlr: .asciz " sctlr="
	.section .note.GNU-stack, "", @progbits
