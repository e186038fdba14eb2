/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Read-only access to an ELF kernel crash dump (/proc/vmcore, a copy of it,
 * /proc/kcore): the ELF and program headers in the file's byte order, the
 * VMCOREINFO note, and kernel virtual memory through the PT_LOAD segments'
 * p_vaddr. Every function that fails writes one reason into vm->err (no
 * file name, no newline) and returns -1; nothing is printed here.
 */
#ifndef UKEXEC_VMCORE_H
#define UKEXEC_VMCORE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "kexec-elf.h"

struct vmcore_seg {
	uint64_t vaddr, paddr, offset, filesz, memsz;
	unsigned int index;		/* program header number, for messages */
};

struct vmcore {
	int fd;
	uint64_t file_size;
	/* the ELF header, native endian (elf.buffer is NULL: the file is read with pread) */
	struct kexec_elf_info elf;
	unsigned int ptr_bytes;		/* sizeof(unsigned long) in the dumped kernel */
	struct vmcore_seg *segs;	/* PT_LOAD segments */
	size_t nsegs;
	char *info;			/* VMCOREINFO text, NUL-terminated */
	size_t info_len;
	/* called for each piece of a PT_LOAD segment read from the file (set after vmcore_open) */
	void (*on_read)(void *arg, const struct vmcore_seg *s, uint64_t delta, size_t len);
	void *on_read_arg;
	char err[320];
};

/* Parse the headers and find VMCOREINFO; fd stays owned by the caller. */
int vmcore_open(struct vmcore *vm, int fd);
void vmcore_close(struct vmcore *vm);

/* Set vm->err (printf-style) and return -1. */
int vmcore_fail(struct vmcore *vm, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Values in the dump's byte order. */
uint16_t vmcore_u16(const struct vmcore *vm, const void *p);
uint32_t vmcore_u32(const struct vmcore *vm, const void *p);
uint64_t vmcore_u64(const struct vmcore *vm, const void *p);
/* An unsigned long of the dumped kernel (4 or 8 bytes). */
uint64_t vmcore_ulong(const struct vmcore *vm, const void *p);

/*
 * VMCOREINFO lookups. key is the part before '=', e.g. "SYMBOL(prb)" or
 * "OFFSET(prb_desc.state_var)". vmcore_info_find returns 1 and the value,
 * 0 if the key is absent, -1 (with vm->err) if the value does not parse.
 * vmcore_info_need makes an absent key an error.
 */
int vmcore_info_find(struct vmcore *vm, const char *key, uint64_t *val);
int vmcore_info_need(struct vmcore *vm, const char *key, uint64_t *val);

/* Read len bytes of kernel virtual memory; what names them in messages. */
int vmcore_read(struct vmcore *vm, uint64_t vaddr, void *buf, size_t len, const char *what);
int vmcore_read_ulong(struct vmcore *vm, uint64_t vaddr, uint64_t *val, const char *what);
int vmcore_read_u32(struct vmcore *vm, uint64_t vaddr, uint32_t *val, const char *what);

#endif
