/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The s390 side of kexec_file, in userspace: the layout the kernel's
 * arch/s390/kernel/{machine_kexec_file,kexec_image,kexec_elf}.c produce.
 * All addresses are fixed (no hole search): the kernel at 0 (or at the start
 * of the crash region), then initrd, purgatory and IPL report, each at the
 * next page boundary after the previous one.
 */
#ifndef UKEXEC_S390X_H
#define UKEXEC_S390X_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "kexec-abi.h"

struct plan;
struct kexec_buf;
struct kexec_inputs;
struct sysview;

/* asm/setup.h (Linux 6.1): the parameter area in the image, and the entries */
#define S390_PARMAREA			0x10400
#define S390_PARM_IPL_DEVICE		0x00	/* unsigned long */
#define S390_PARM_INITRD_START		0x08	/* unsigned long */
#define S390_PARM_INITRD_SIZE		0x10	/* unsigned long */
#define S390_PARM_OLDMEM_BASE		0x18	/* unsigned long */
#define S390_PARM_OLDMEM_SIZE		0x20	/* unsigned long */
#define S390_PARM_KERNEL_VERSION	0x28	/* unsigned long */
#define S390_PARM_MAX_COMMAND_LINE_SIZE	0x30	/* unsigned long; 0 in old images */
#define S390_PARM_COMMAND_LINE		0x80	/* char[] */
#define S390_LEGACY_COMMAND_LINE_SIZE	896
#define S390_STARTUP_NORMAL_OFFSET	0x10000
#define S390_STARTUP_KDUMP_OFFSET	0x10010
/* "S390EP" at EP_OFFSET marks an image with the entry block (debug only) */
#define S390_EP_OFFSET			0x10008
#define S390_EP_STRING			"S390EP"

/* asm/lowcore.h: the 31-bit pointer to the IPL parameter block */
#define S390_LC_IPL_PARMBLOCK_PTR	0x14
/* The short (ESA) PSW a load-normal reset starts from, at absolute 0:
 * 31-bit addressing; the address is added to it. */
#define S390_RESTART_PSW		0x0008000080000000ULL

/* include/linux/kexec.h */
#define S390_KEXEC_TYPE_DEFAULT		0
#define S390_KEXEC_TYPE_CRASH		1

/* uapi/asm/ipl.h */
#define IPL_PL_FLAG_IPLPS		0x80
#define IPL_PL_FLAG_SIPL		0x40
#define IPL_PL_FLAG_IPLSR		0x20
#define IPL_RBT_CERTIFICATES		1
#define IPL_RBT_COMPONENTS		2
#define IPL_RB_COMPONENT_FLAG_SIGNED	0x80
#define IPL_RB_COMPONENT_FLAG_VERIFIED	0x40
#define IPL_RB_CERT_UNKNOWN		0xffff
#define IPL_PL_HDR_SIZE			8	/* struct ipl_pl_hdr */
#define IPL_RL_HDR_SIZE			16	/* struct ipl_rl_hdr */
#define IPL_RB_HDR_SIZE			16	/* struct ipl_rb_components / _certificates */
#define IPL_RB_COMPONENT_ENTRY_SIZE	32	/* struct ipl_rb_component_entry */
#define IPL_RB_CERTIFICATE_ENTRY_SIZE	16	/* struct ipl_rb_certificate_entry */
#define IPL_BLOCK_MAX			4096	/* struct ipl_parameter_block is a page */

struct ipl_report_component {
	uint64_t addr, len;
	uint8_t flags;
	uint16_t certificate_index;
};

/* The kernel's struct ipl_report (without certificates, see ipl_report_init). */
struct ipl_report {
	uint8_t ipib[IPL_BLOCK_MAX];	/* the running system's IPL parameter block */
	uint32_t ipib_len;		/* its hdr.len; 0 when the IPL type is unknown */
	bool secure;			/* ipl_secure_flag */
	struct ipl_report_component comp[KEXEC_SEGMENT_MAX];
	unsigned int nr_comp;
	size_t size;
};

/* The kernel's struct s390_load_data. */
struct s390_load_data {
	uint8_t *kernel_buf;		/* writable: parmarea and lowcore are patched */
	uint64_t kernel_mem;
	uint8_t *parm;			/* kernel_buf + PARMAREA */
	size_t parm_room;		/* bytes available from parm on (our own bound) */
	uint64_t memsz;			/* bytes laid out so far, from the kernel's address */
	struct ipl_report *report;
};

/* Linux 6.1 machine_kexec_file.c */
typedef int (*s390_add_kernel_fn)(struct plan *plan, const struct kexec_inputs *in,
				  struct s390_load_data *data);
int kexec_file_add_components(struct plan *plan, const struct kexec_inputs *in,
			      s390_add_kernel_fn add_kernel);
/* A writable copy of the image the plan owns (the kernel's image->kernel_buf). */
uint8_t *s390_copy_kernel(struct plan *plan, const struct kexec_inputs *in);
/* crashk_res.start and its size, or -EADDRNOTAVAIL after a message. */
int s390_crash_region(const struct plan *plan, uint64_t *start, uint64_t *size);

/* Linux 6.1 ipl.c (the kexec_file part) */
int ipl_report_init(struct ipl_report *report, const struct sysview *sv);
int ipl_report_add_component(struct ipl_report *report, const struct kexec_buf *kbuf,
			     uint8_t flags, uint16_t cert);
uint8_t *ipl_report_finish(struct plan *plan, struct ipl_report *report);

#endif
