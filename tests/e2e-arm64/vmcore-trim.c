// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vmcore-trim VMCORE OUT: the part of an ELF64 crash dump that vmcore-dmesg
 * reads, as a small ELF core of its own: the ELF header, the first note
 * segment as it is (VMCOREINFO), and one PT_LOAD per run of pages the log
 * walk read, with their vaddr, paddr and bytes unchanged. vmcore-dmesg reads
 * the same log from OUT as from VMCORE. The recorder of
 * tests/e2e-arm64/kdump.sh runs it in the crash kernel on /proc/vmcore, so
 * that a real arm64 dump fits in tests/golden. vmcore-dmesg refuses a
 * descriptor ring larger than the file (a bound against hostile dumps; a
 * real dump always holds its ring), so zeros after the last segment make the
 * file as large as the ring: they compress to nothing.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "byteorder.h"
#include "printk.h"
#include "vmcore.h"

#define TRIM_PAGE 4096u

struct range {
	uint64_t vaddr, paddr, offset, len;
};

struct ranges {
	struct range *r;
	size_t n, cap;
	int oom;
};

/* vmcore's on_read hook: remember the pages of each piece read */
static void note_read(void *arg, const struct vmcore_seg *s, uint64_t delta, size_t len)
{
	struct ranges *rs = arg;
	uint64_t start = delta & ~(uint64_t)(TRIM_PAGE - 1);
	uint64_t end = (delta + len + TRIM_PAGE - 1) & ~(uint64_t)(TRIM_PAGE - 1);

	if (end > s->filesz)
		end = s->filesz;
	if (rs->n == rs->cap) {
		size_t cap = rs->cap ? 2 * rs->cap : 64;
		struct range *r = realloc(rs->r, cap * sizeof(*r));

		if (!r) {
			rs->oom = 1;
			return;
		}
		rs->r = r;
		rs->cap = cap;
	}
	rs->r[rs->n++] = (struct range){ s->vaddr + start, s->paddr + start, s->offset + start, end - start };
}

static int by_offset(const void *a, const void *b)
{
	const struct range *x = a, *y = b;

	return x->offset < y->offset ? -1 : x->offset > y->offset;
}

/* sort, then merge overlapping or touching ranges of the same segment */
static void merge_ranges(struct ranges *rs)
{
	size_t out = 0;

	qsort(rs->r, rs->n, sizeof(*rs->r), by_offset);
	for (size_t i = 0; i < rs->n; i++) {
		struct range *last = out ? &rs->r[out - 1] : NULL;
		const struct range *c = &rs->r[i];

		if (last && c->offset <= last->offset + last->len &&
		    c->vaddr - last->vaddr == c->offset - last->offset) {
			if (c->offset + c->len > last->offset + last->len)
				last->len = c->offset + c->len - last->offset;
			continue;
		}
		rs->r[out++] = *c;
	}
	rs->n = out;
}

static int copy_bytes(int in, uint64_t off, uint64_t len, FILE *out, const char *name)
{
	uint8_t buf[65536];

	while (len) {
		size_t n = len < sizeof(buf) ? (size_t)len : sizeof(buf);
		ssize_t got = pread(in, buf, n, (off_t)off);

		if (got <= 0) {
			fprintf(stderr, "vmcore-trim: %s: reading 0x%llx bytes at 0x%llx: %s\n", name,
				(unsigned long long)n, (unsigned long long)off, got ? strerror(errno) : "end of file");
			return -1;
		}
		if (fwrite(buf, 1, (size_t)got, out) != (size_t)got)
			return -1;
		off += (uint64_t)got;
		len -= (uint64_t)got;
	}
	return 0;
}

/* The first PT_NOTE of the dump (the kernel's merged notes). */
static int find_notes(struct vmcore *vm, Elf64_Phdr *note)
{
	size_t phsz = elf_phdr_size(&vm->elf);
	uint8_t ph[sizeof(Elf64_Phdr)];

	for (unsigned int i = 0; i < vm->elf.ehdr.e_phnum; i++) {
		if (pread(vm->fd, ph, phsz, (off_t)(vm->elf.ehdr.e_phoff + (uint64_t)i * phsz)) != (ssize_t)phsz)
			return -1;
		elf_parse_phdr(&vm->elf, ph, note);
		if (note->p_type == PT_NOTE)
			return 0;
	}
	return -1;
}

static void put_phdr(uint8_t d, uint8_t *p, uint32_t type, uint64_t off, uint64_t vaddr,
		     uint64_t paddr, uint64_t size)
{
	memset(p, 0, sizeof(Elf64_Phdr));
	elf_put32(d, p + offsetof(Elf64_Phdr, p_type), type);
	elf_put32(d, p + offsetof(Elf64_Phdr, p_flags), type == PT_LOAD ? PF_R | PF_W | PF_X : 0);
	elf_put64(d, p + offsetof(Elf64_Phdr, p_offset), off);
	elf_put64(d, p + offsetof(Elf64_Phdr, p_vaddr), vaddr);
	elf_put64(d, p + offsetof(Elf64_Phdr, p_paddr), paddr);
	elf_put64(d, p + offsetof(Elf64_Phdr, p_filesz), size);
	elf_put64(d, p + offsetof(Elf64_Phdr, p_memsz), size);
}

/* The bytes of the 5.10+ descriptor ring's descriptors and infos; 0 without one. */
static uint64_t ring_bytes(struct vmcore *vm)
{
	uint64_t prb, ring, cbits_off, desc, info, addr;
	uint32_t cbits;

	if (vmcore_info_find(vm, "SYMBOL(prb)", &prb) != 1 ||
	    vmcore_info_need(vm, "OFFSET(printk_ringbuffer.desc_ring)", &ring) ||
	    vmcore_info_need(vm, "OFFSET(prb_desc_ring.count_bits)", &cbits_off) ||
	    vmcore_info_need(vm, "SIZE(prb_desc)", &desc) || vmcore_info_need(vm, "SIZE(printk_info)", &info) ||
	    vmcore_read_ulong(vm, prb, &addr, "prb") ||
	    vmcore_read_u32(vm, addr + ring + cbits_off, &cbits, "count_bits") || cbits > 31)
		return 0;
	return ((uint64_t)1 << cbits) * (desc + info);
}

static int write_trimmed(struct vmcore *vm, const Elf64_Phdr *note, const struct ranges *rs, FILE *out,
			 const char *name)
{
	uint8_t d = vm->elf.ehdr.e_ident[EI_DATA], eh[sizeof(Elf64_Ehdr)], ph[sizeof(Elf64_Phdr)];
	uint64_t off = sizeof(Elf64_Ehdr) + (1 + rs->n) * sizeof(Elf64_Phdr);

	if (pread(vm->fd, eh, sizeof(eh), 0) != (ssize_t)sizeof(eh))
		return -1;
	elf_put64(d, eh + offsetof(Elf64_Ehdr, e_phoff), sizeof(Elf64_Ehdr));
	elf_put64(d, eh + offsetof(Elf64_Ehdr, e_shoff), 0);
	elf_put16(d, eh + offsetof(Elf64_Ehdr, e_phnum), (uint16_t)(1 + rs->n));
	elf_put16(d, eh + offsetof(Elf64_Ehdr, e_shnum), 0);
	elf_put16(d, eh + offsetof(Elf64_Ehdr, e_shstrndx), 0);
	if (fwrite(eh, 1, sizeof(eh), out) != sizeof(eh))
		return -1;
	put_phdr(d, ph, PT_NOTE, off, 0, 0, note->p_filesz);
	if (fwrite(ph, 1, sizeof(ph), out) != sizeof(ph))
		return -1;
	off += note->p_filesz;
	for (size_t i = 0; i < rs->n; i++) {
		put_phdr(d, ph, PT_LOAD, off, rs->r[i].vaddr, rs->r[i].paddr, rs->r[i].len);
		if (fwrite(ph, 1, sizeof(ph), out) != sizeof(ph))
			return -1;
		off += rs->r[i].len;
	}
	if (copy_bytes(vm->fd, note->p_offset, note->p_filesz, out, name))
		return -1;
	for (size_t i = 0; i < rs->n; i++)
		if (copy_bytes(vm->fd, rs->r[i].offset, rs->r[i].len, out, name))
			return -1;
	for (uint64_t pad = ring_bytes(vm); off < pad; off++)
		if (putc(0, out) == EOF)
			return -1;
	return 0;
}

int main(int argc, char **argv)
{
	struct ranges rs = { 0 };
	struct vmcore vm;
	Elf64_Phdr note;
	FILE *null, *out;
	int fd, ret = 1;

	if (argc != 3) {
		fprintf(stderr, "usage: vmcore-trim VMCORE OUT\n");
		return 1;
	}
	fd = open(argv[1], O_RDONLY);
	if (fd < 0) {
		fprintf(stderr, "vmcore-trim: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	null = fopen("/dev/null", "w");
	if (!null) {
		fprintf(stderr, "vmcore-trim: /dev/null: %s\n", strerror(errno));
		goto out_fd;
	}
	if (vmcore_open(&vm, fd)) {
		fprintf(stderr, "vmcore-trim: %s: %s\n", argv[1], vm.err);
		goto out_close;
	}
	if (vm.elf.ehdr.e_ident[EI_CLASS] != ELFCLASS64 || find_notes(&vm, &note)) {
		fprintf(stderr, "vmcore-trim: %s: not an ELF64 dump with a note segment\n", argv[1]);
		goto out_close;
	}
	vm.on_read = note_read;
	vm.on_read_arg = &rs;
	if (vmcore_dmesg(&vm, null)) {
		fprintf(stderr, "vmcore-trim: %s: %s\n", argv[1], vm.err);
		goto out_close;
	}
	if (rs.oom) {
		fprintf(stderr, "vmcore-trim: out of memory\n");
		goto out_close;
	}
	merge_ranges(&rs);
	out = fopen(argv[2], "wb");
	if (!out) {
		fprintf(stderr, "vmcore-trim: %s: %s\n", argv[2], strerror(errno));
		goto out_close;
	}
	ret = write_trimmed(&vm, &note, &rs, out, argv[1]);
	if (fclose(out) || ret) {
		fprintf(stderr, "vmcore-trim: %s: write failed\n", argv[2]);
		ret = 1;
	}
out_close:
	vmcore_close(&vm);
	free(rs.r);
	if (null)
		fclose(null);
out_fd:
	close(fd);
	return ret;
}
