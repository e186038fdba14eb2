/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Constants of the Linux kexec user ABI, shared by the tool and the tests. */
#ifndef UKEXEC_KEXEC_ABI_H
#define UKEXEC_KEXEC_ABI_H

#include <stdint.h>

/* kexec_load flags */
#define KEXEC_ON_CRASH		0x00000001
#define KEXEC_PRESERVE_CONTEXT	0x00000002
#define KEXEC_UPDATE_ELFCOREHDR	0x00000004
#define KEXEC_ARCH_MASK		0xffff0000

/* kexec_file_load flags */
#define KEXEC_FILE_UNLOAD	0x00000001
#define KEXEC_FILE_ON_CRASH	0x00000002
#define KEXEC_FILE_NO_INITRAMFS	0x00000004
#define KEXEC_FILE_DEBUG	0x00000008

/* The ELF machine number of the image, shifted: kexec_load's arch field. */
#define KEXEC_ARCH_DEFAULT	(0 << 16)
#define KEXEC_ARCH_X86_64	(62 << 16)
#define KEXEC_ARCH_S390		(22 << 16)
#define KEXEC_ARCH_PPC64	(21 << 16)
#define KEXEC_ARCH_ARM64	(183 << 16)

#define KEXEC_SEGMENT_MAX	16

/* reboot(2) */
#define UKEXEC_REBOOT_MAGIC1	0xfee1dead
#define UKEXEC_REBOOT_MAGIC2	672274793
#define UKEXEC_REBOOT_CMD_KEXEC	0x45584543

/*
 * The purgatory's table of hashed regions, in the target's word size and
 * byte order: struct { unsigned long start, len; } [KEXEC_SEGMENT_MAX].
 */
#define KEXEC_SHA_REGION_WORDS	2

#endif
