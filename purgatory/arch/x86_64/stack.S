/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The stack handed to the new kernel in entry64_regs.rsp (stack_end). */
	.bss
	.balign	4096
	.globl	stack, stack_end
stack:
	.skip	4096
stack_end:
	.section .note.GNU-stack, "", @progbits
