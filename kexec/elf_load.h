/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Loading an ELF kernel's PT_LOAD segments into a plan, as the kernel's
 * kexec_elf_load() (kernel/kexec_elf.c) does for the ELF loaders of ppc64
 * and others; the headers come from lib/kexec_elf.c.
 */
#ifndef UKEXEC_ELF_LOAD_H
#define UKEXEC_ELF_LOAD_H

#include <stdint.h>
#include "kexec-elf.h"

struct kexec_buf;

/*
 * Add each PT_LOAD of elf_info (its buffer: the kernel file) through
 * kexec_add_buffer, at or above its p_paddr, aligned to its p_align; kbuf
 * carries the plan and buf_max/top_down. *lowest_load_addr (may be NULL)
 * gets the lowest address chosen, as the kernel computes it (at most
 * 0xffffffff; that value without PT_LOAD). One message on failure (from
 * kexec_add_buffer).
 */
int kexec_elf_load(const struct kexec_elf_info *elf_info, struct kexec_buf *kbuf,
		   uint64_t *lowest_load_addr);

#endif
