/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The "crash kernel" image of tests/e2e-s390x/crash-swap.sh: shaped like an
 * s390 kernel image where the loader looks (entry points at 0x10000 and
 * 0x10010, the parmarea at 0x10400), and doing nothing but stop. The
 * purgatory enters it at STARTUP_KDUMP_OFFSET through a load-normal reset;
 * it stops in a disabled wait whose address is that entry, so the guest
 * panic QEMU reports says which entry ran. Linked at 0, as it runs after the
 * swap.
 */
	.text
	.org	0x10000
startup_normal:
	j	0f
	.org	0x10008
	.ascii	"S390EP"
	.org	0x10010
startup_kdump:
	j	1f
0:	larl	%r1,psw_normal
	lpswe	0(%r1)
1:	larl	%r1,psw_kdump
	lpswe	0(%r1)

	.balign	8
psw_normal:
	.quad	0x0002000180000000, startup_normal
psw_kdump:
	.quad	0x0002000180000000, startup_kdump

	/* the parmarea: all zero, so the legacy 896-byte command line */
	.org	0x10400
	.fill	0x1000, 1, 0
	.section .note.GNU-stack, "", @progbits
