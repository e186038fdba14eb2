/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A tiny multiboot and multiboot2 test kernel (as --32, ld -m elf_i386 -T
 * mbtest.ld): it prints on the first serial port what the boot loader
 * handed it, one UKEXEC-MB line each (eax, the MBI's flags and memory
 * fields or multiboot2's meminfo and memory map tags, the command line, the
 * boot loader's name, every module with its command line and first bytes,
 * multiboot2's framebuffer tag), then triple-faults, which ends a QEMU run with -no-reboot.
 * tests/e2e-x86_64 cases c-mb-exec and c-mb2-exec boot it with kexec -t
 * multiboot-x86 and -t multiboot2-x86; tests/unit/test-x86_64-imgtypes.sh
 * loads it on a recorded machine.
 * Assembled with --defsym PLAIN_ELF=1 it has no multiboot header (a plain
 * i386 ELF for -t elf-x86, case c-elf32-exec): entered without either
 * magic, it prints its registers at entry (UKEXEC-ELF32) and, when %esi
 * points at boot_params ("HdrS" at 0x202), their protocol version, initrd
 * and command line (UKEXEC-ELF32-BP, UKEXEC-ELF32-CMDLINE); else, when the
 * first stack argument points at ELF boot notes (0x0E1FB007), the return
 * address, the notes' size and records (UKEXEC-ELF32-NOTES), then each
 * record: boot loader name, version, command line (UKEXEC-ELF32-NOTE-*).
 */
	.equ	COM1, 0x3f8
	.equ	MB_MAGIC, 0x1badb002
	.equ	MB_FLAGS, 0x00000003	/* page-aligned modules, memory information */
	.equ	MB_BOOT_MAGIC, 0x2badb002
	.equ	MB2_MAGIC, 0xe85250d6
	.equ	MB2_BOOT_MAGIC, 0x36d76289

.ifndef PLAIN_ELF
	.section .multiboot, "a"
	.balign	4
	.long	MB_MAGIC
	.long	MB_FLAGS
	.long	-(MB_MAGIC + MB_FLAGS)
	.balign	8
mb2_header:				/* i386, an optional framebuffer tag */
	.long	MB2_MAGIC
	.long	0
	.long	mb2_header_end - mb2_header
	.long	-(MB2_MAGIC + (mb2_header_end - mb2_header))
	.word	5, 1			/* framebuffer, optional: any mode */
	.long	20
	.long	0, 0, 0
	.balign	8
	.word	0, 0
	.long	8
mb2_header_end:
.endif

	.text
	.code32
	.globl	_start
_start:
	movl	%eax, regs_at_entry + 0
	movl	%ebx, regs_at_entry + 4
	movl	%ecx, regs_at_entry + 8
	movl	%edx, regs_at_entry + 12
	movl	%esi, regs_at_entry + 16
	movl	%edi, regs_at_entry + 20
	movl	%esp, regs_at_entry + 24
	movl	%ebp, regs_at_entry + 28
	movl	$stack_top, %esp
	movl	%eax, %edi		/* the magic */
	movl	%ebx, %ebp		/* the MBI */
	cmpl	$MB2_BOOT_MAGIC, %eax
	je	multiboot2
	cmpl	$MB_BOOT_MAGIC, %eax
	je	1f
	jmp	plain_entry
1:

	movl	$s_magic, %esi
	call	puts
	movl	%edi, %eax
	call	puthex
	movl	$s_flags, %esi
	call	puts
	movl	0(%ebp), %eax
	call	puthex
	movl	$s_lower, %esi
	call	puts
	movl	4(%ebp), %eax
	call	puthex
	movl	$s_upper, %esi
	call	puts
	movl	8(%ebp), %eax
	call	puthex
	movl	$s_mmap, %esi
	call	puts
	movl	44(%ebp), %eax
	call	puthex
	movl	$s_mods, %esi
	call	puts
	movl	20(%ebp), %eax
	call	puthex
	call	newline

	movl	$s_cmdline, %esi
	call	puts
	movl	16(%ebp), %esi
	call	puts
	call	newline
	movl	$s_loader, %esi
	call	puts
	movl	64(%ebp), %esi
	call	puts
	call	newline

	/* each module: its command line, then its first 16 bytes as text */
	movl	20(%ebp), %ecx
	movl	24(%ebp), %ebx
1:	testl	%ecx, %ecx
	jz	2f
	pushl	%ecx
	movl	$s_mod, %esi
	call	puts
	movl	8(%ebx), %esi
	call	puts
	movl	$s_bytes, %esi
	call	puts
	movl	0(%ebx), %esi
	call	putbytes
	popl	%ecx
	addl	$16, %ebx
	decl	%ecx
	jmp	1b
2:	jmp	done

/* multiboot2: the total size, then each tag of the list */
multiboot2:
	movl	$s_magic2, %esi
	call	puts
	movl	%edi, %eax
	call	puthex
	movl	$s_total, %esi
	call	puts
	movl	0(%ebp), %eax
	call	puthex
	call	newline
	leal	8(%ebp), %ebx
10:	movl	0(%ebx), %eax
	testl	%eax, %eax
	jz	done
	cmpl	$1, %eax
	jne	11f
	movl	$s_cmdline, %esi
	call	puts
	leal	8(%ebx), %esi
	call	puts
	call	newline
	jmp	19f
11:	cmpl	$2, %eax
	jne	12f
	movl	$s_loader, %esi
	call	puts
	leal	8(%ebx), %esi
	call	puts
	call	newline
	jmp	19f
12:	cmpl	$3, %eax
	jne	13f
	movl	$s_mod, %esi
	call	puts
	leal	16(%ebx), %esi
	call	puts
	movl	$s_bytes, %esi
	call	puts
	movl	8(%ebx), %esi
	call	putbytes
	jmp	19f
13:	cmpl	$4, %eax
	jne	14f
	movl	$s_meminfo, %esi
	call	puts
	movl	8(%ebx), %eax
	call	puthex
	movl	$s_upper, %esi
	call	puts
	movl	12(%ebx), %eax
	call	puthex
	call	newline
	jmp	19f
14:	cmpl	$6, %eax
	jne	15f
	movl	$s_mmap2, %esi
	call	puts
	movl	4(%ebx), %eax
	call	puthex
	call	newline
	jmp	19f
15:	cmpl	$8, %eax
	jne	19f
	/* framebuffer: addr (low half), pitch, width, height, bpp | type << 8, color_info */
	movl	$s_fb, %esi
	call	puts
	movl	4(%ebx), %eax
	call	puthex
	movl	$s_fbaddr, %esi
	call	puts
	movl	8(%ebx), %eax
	call	puthex
	movl	$s_fbpitch, %esi
	call	puts
	movl	16(%ebx), %eax
	call	puthex
	movl	$s_fbwidth, %esi
	call	puts
	movl	20(%ebx), %eax
	call	puthex
	movl	$s_fbheight, %esi
	call	puts
	movl	24(%ebx), %eax
	call	puthex
	movl	$s_fbbpp, %esi
	call	puts
	movzwl	28(%ebx), %eax
	call	puthex
	movl	$s_fbrgb, %esi
	call	puts
	movl	32(%ebx), %eax
	call	puthex
	call	newline
19:	movl	4(%ebx), %eax		/* the next tag, 8-aligned */
	addl	$7, %eax
	andl	$~7, %eax
	addl	%eax, %ebx
	jmp	10b

/* neither magic (a plain ELF): the registers, then boot_params if %esi holds them */
plain_entry:
	movl	$s_regs, %ebx
	movl	$regs_at_entry, %ebp
	movl	$8, %ecx
20:	movl	%ebx, %esi
	call	puts
	movl	%esi, %ebx		/* the next name */
	movl	(%ebp), %eax
	call	puthex
	addl	$4, %ebp
	loop	20b
	call	newline
	movl	regs_at_entry + 16, %ebp
	testl	%ebp, %ebp
	jz	elf_notes
	cmpl	$0x53726448, 0x202(%ebp)	/* "HdrS" */
	jne	elf_notes
	movl	$s_bp, %esi
	call	puts
	movzwl	0x206(%ebp), %eax
	call	puthex
	movl	$s_initrd, %esi
	call	puts
	movl	0x218(%ebp), %eax
	call	puthex
	movl	$s_initrd_size, %esi
	call	puts
	movl	0x21c(%ebp), %eax
	call	puthex
	movl	$s_e820, %esi
	call	puts
	movzbl	0x1e8(%ebp), %eax
	call	puthex
	call	newline
	movl	$s_cmdline32, %esi
	call	puts
	movl	0x228(%ebp), %esi
	call	puts
	call	newline
	jmp	done

/* ELF boot notes at the first stack argument: the header, then each record */
elf_notes:
	movl	regs_at_entry + 24, %ebx	/* %esp at entry */
	movl	4(%ebx), %ebp
	cmpl	$0x0e1fb007, (%ebp)
	jne	done
	movl	$s_notes, %esi
	call	puts
	movl	(%ebx), %eax
	call	puthex
	movl	$s_nsize, %esi
	call	puts
	movl	4(%ebp), %eax
	call	puthex
	movl	$s_nrecords, %esi
	call	puts
	movzwl	10(%ebp), %eax
	call	puthex
	call	newline
	movzwl	10(%ebp), %ecx
	leal	12(%ebp), %ebx
30:	testl	%ecx, %ecx
	jz	done
	movl	8(%ebx), %eax			/* n_type */
	movl	$s_nloader, %esi
	cmpl	$2, %eax
	je	31f
	movl	$s_nversion, %esi
	cmpl	$3, %eax
	je	31f
	movl	$s_ncmdline, %esi
	cmpl	$4, %eax
	jne	32f
31:	call	puts
	movl	(%ebx), %eax			/* the desc after the aligned name */
	addl	$3, %eax
	andl	$~3, %eax
	leal	12(%ebx,%eax), %esi
	call	puts
	call	newline
32:	movl	(%ebx), %eax
	addl	$3, %eax
	andl	$~3, %eax
	movl	4(%ebx), %edx
	addl	$3, %edx
	andl	$~3, %edx
	leal	12(%ebx,%eax), %ebx
	addl	%edx, %ebx
	decl	%ecx
	jmp	30b

done:
	movl	$s_done, %esi
	call	puts
	call	newline
	/* no IDT: the breakpoint becomes a triple fault, QEMU's -no-reboot exits */
	lidt	null_idt
	int3
	hlt

/* putbytes: up to 16 bytes at %esi as text, to the first control byte; a newline */
putbytes:
	pushl	%ecx
	movl	$16, %ecx
3:	lodsb
	cmpb	$0x20, %al
	jb	4f
	call	putc
	loop	3b
4:	popl	%ecx
	jmp	newline

/* putc: %al to COM1 */
putc:
	pushl	%edx
	movw	$COM1, %dx
	outb	%al, %dx
	popl	%edx
	ret

/* puts: the NUL-terminated string at %esi */
puts:
	pushl	%eax
5:	lodsb
	testb	%al, %al
	jz	6f
	call	putc
	jmp	5b
6:	popl	%eax
	ret

newline:
	movb	$'\n', %al
	jmp	putc

/* puthex: %eax as 0x and 8 hex digits */
puthex:
	pushl	%ecx
	pushl	%edx
	movl	%eax, %edx
	movb	$'0', %al
	call	putc
	movb	$'x', %al
	call	putc
	movl	$8, %ecx
7:	roll	$4, %edx
	movb	%dl, %al
	andb	$0xf, %al
	addb	$'0', %al
	cmpb	$'9', %al
	jbe	8f
	addb	$('a' - '9' - 1), %al
8:	call	putc
	loop	7b
	popl	%edx
	popl	%ecx
	ret

	.section .rodata
s_magic:	.asciz	"UKEXEC-MB eax="
s_flags:	.asciz	" flags="
s_lower:	.asciz	" mem_lower="
s_upper:	.asciz	" mem_upper="
s_mmap:		.asciz	" mmap_length="
s_mods:		.asciz	" mods_count="
s_cmdline:	.asciz	"UKEXEC-MB-CMDLINE "
s_loader:	.asciz	"UKEXEC-MB-LOADER "
s_mod:		.asciz	"UKEXEC-MB-MOD "
s_bytes:	.asciz	" bytes="
s_done:		.asciz	"UKEXEC-MB-DONE"
s_magic2:	.asciz	"UKEXEC-MB2 eax="
s_regs:		.asciz	"UKEXEC-ELF32 eax="	/* then the names, in regs_at_entry's order */
		.asciz	" ebx="
		.asciz	" ecx="
		.asciz	" edx="
		.asciz	" esi="
		.asciz	" edi="
		.asciz	" esp="
		.asciz	" ebp="
s_bp:		.asciz	"UKEXEC-ELF32-BP version="
s_initrd:	.asciz	" initrd="
s_initrd_size:	.asciz	" initrd_size="
s_e820:		.asciz	" e820_entries="
s_cmdline32:	.asciz	"UKEXEC-ELF32-CMDLINE "
s_notes:	.asciz	"UKEXEC-ELF32-NOTES ret="
s_nsize:	.asciz	" size="
s_nrecords:	.asciz	" records="
s_nloader:	.asciz	"UKEXEC-ELF32-NOTE-LOADER "
s_nversion:	.asciz	"UKEXEC-ELF32-NOTE-VERSION "
s_ncmdline:	.asciz	"UKEXEC-ELF32-NOTE-CMDLINE "
s_total:	.asciz	" total_size="
s_fb:		.asciz	"UKEXEC-MB2-FB size="
s_fbaddr:	.asciz	" addr="
s_fbpitch:	.asciz	" pitch="
s_fbwidth:	.asciz	" width="
s_fbheight:	.asciz	" height="
s_fbbpp:	.asciz	" bpp_type="
s_fbrgb:	.asciz	" rgb="
s_meminfo:	.asciz	"UKEXEC-MB2-MEMINFO mem_lower="
s_mmap2:	.asciz	"UKEXEC-MB2-MMAP size="
	.balign	8
null_idt:
	.word	0
	.long	0

	.bss
	.balign	4
regs_at_entry:				/* eax ebx ecx edx esi edi esp ebp */
	.skip	32
	.balign	16
	.skip	4096
stack_top:
	.section .note.GNU-stack, "", @progbits
