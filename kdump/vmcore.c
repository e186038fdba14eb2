// SPDX-License-Identifier: GPL-2.0-or-later
/* ELF crash dump access: headers, the VMCOREINFO note, virtual reads. */
#include "config.h"
#include <elf.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "byteorder.h"
#include "vmcore.h"

/* Notes larger than this are not a kernel's (the VMCOREINFO page is 4 KiB). */
#define NOTE_SEGMENT_MAX (64u << 20)

int vmcore_fail(struct vmcore *vm, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(vm->err, sizeof(vm->err), fmt, ap);
	va_end(ap);
	return -1;
}

uint16_t vmcore_u16(const struct vmcore *vm, const void *p)
{
	return elf_get16(vm->elf.ehdr.e_ident[EI_DATA], p);
}

uint32_t vmcore_u32(const struct vmcore *vm, const void *p)
{
	return elf_get32(vm->elf.ehdr.e_ident[EI_DATA], p);
}

uint64_t vmcore_u64(const struct vmcore *vm, const void *p)
{
	return elf_get64(vm->elf.ehdr.e_ident[EI_DATA], p);
}

uint64_t vmcore_ulong(const struct vmcore *vm, const void *p)
{
	return vm->ptr_bytes == 8 ? vmcore_u64(vm, p) : vmcore_u32(vm, p);
}

/* Read exactly len bytes at off, or say why not. */
static int file_read(struct vmcore *vm, uint64_t off, void *buf, size_t len, const char *what)
{
	uint8_t *p = buf;

	if (off > vm->file_size || len > vm->file_size - off)
		return vmcore_fail(vm, "truncated file: %s at offset 0x%" PRIx64 " (%zu bytes) ends beyond "
				   "the end of the file (%" PRIu64 " bytes)", what, off, len, vm->file_size);
	while (len) {
		ssize_t n = pread(vm->fd, p, len, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return vmcore_fail(vm, "reading %s at offset 0x%" PRIx64 ": %s", what, off, strerror(errno));
		if (n == 0)
			return vmcore_fail(vm, "truncated file: end of file while reading %s at offset 0x%" PRIx64,
					   what, off);
		p += n;
		off += (uint64_t)n;
		len -= (size_t)n;
	}
	return 0;
}

/* The dumped kernel's word size: the ELF class, except for 32-bit machines
 * whose dumps are ELF64 because physical addresses exceed 4 GiB. */
static unsigned int pointer_bytes(const struct vmcore *vm)
{
	switch (vm->elf.ehdr.e_machine) {
	case EM_386:
	case EM_ARM:
	case EM_PPC:
	case EM_SPARC:
		return 4;
	}
	return vm->elf.ehdr.e_ident[EI_CLASS] == ELFCLASS64 ? 8 : 4;
}

static int scan_notes(struct vmcore *vm, const uint8_t *buf, size_t size)
{
	size_t pos = 0;

	while (size - pos >= 12) {
		uint32_t namesz = vmcore_u32(vm, buf + pos);
		uint32_t descsz = vmcore_u32(vm, buf + pos + 4);
		uint32_t type = vmcore_u32(vm, buf + pos + 8);
		size_t name = pos + 12, desc, next;
		uint64_t name_pad = ((uint64_t)namesz + 3) & ~(uint64_t)3;
		uint64_t desc_pad = ((uint64_t)descsz + 3) & ~(uint64_t)3;

		if (name_pad > size - name)
			break;
		desc = name + (size_t)name_pad;
		if (desc_pad > size - desc)
			break;
		next = desc + (size_t)desc_pad;
		/* The kernel's name is "VMCOREINFO" with its NUL (namesz 11). */
		if (type == 0 && (namesz == 10 || namesz == 11) &&
		    !memcmp(buf + name, "VMCOREINFO", 10) && (namesz == 10 || buf[name + 10] == 0)) {
			char *text = malloc((size_t)descsz + 1);

			if (!text)
				return vmcore_fail(vm, "out of memory for the VMCOREINFO note");
			memcpy(text, buf + desc, descsz);
			text[descsz] = 0;
			free(vm->info);
			vm->info = text;
			vm->info_len = descsz;
			return 1;
		}
		if (next == pos)
			break;
		pos = next;
	}
	return 0;
}

static int read_headers(struct vmcore *vm)
{
	struct kexec_elf_info *info = &vm->elf;
	uint8_t eh[sizeof(Elf64_Ehdr)];
	size_t phentsize, have;
	uint32_t phnum;
	uint8_t *ph = NULL;
	uint8_t *notes = NULL;
	int found = 0, nloads = 0;

	if (vm->file_size == 0)
		return vmcore_fail(vm, "empty file");
	have = vm->file_size < sizeof(eh) ? (size_t)vm->file_size : sizeof(eh);
	if (file_read(vm, 0, eh, have, "the ELF header"))
		return -1;
	info->len = vm->file_size;
	if (elf_read_ehdr(info, eh, have))
		return vmcore_fail(vm, "%s", info->err);
	if (info->ehdr.e_type != ET_CORE)
		return vmcore_fail(vm, "not a core dump (ELF type %u)", info->ehdr.e_type);
	vm->ptr_bytes = pointer_bytes(vm);
	phentsize = elf_phdr_size(info);
	phnum = info->ehdr.e_phnum;
	if (phnum == PN_XNUM) {
		/* More than 65534 headers: the real count is section 0's sh_info. */
		uint8_t sh[sizeof(Elf64_Shdr)];
		Elf64_Shdr sh0;

		if (file_read(vm, info->ehdr.e_shoff, sh, elf_shdr_size(info),
			      "section header 0 (extended program header count)"))
			return -1;
		elf_parse_shdr(info, sh, &sh0);
		phnum = sh0.sh_info;
	}
	if (phnum == 0)
		return vmcore_fail(vm, "no program headers");
	/* the table must be in the file before anything is allocated for it */
	if (info->ehdr.e_phoff > vm->file_size ||
	    (uint64_t)phnum * phentsize > vm->file_size - info->ehdr.e_phoff)
		return vmcore_fail(vm, "truncated file: the program header table at offset 0x%" PRIx64
				   " (%" PRIu64 " bytes) ends beyond the end of the file (%" PRIu64 " bytes)",
				   (uint64_t)info->ehdr.e_phoff, (uint64_t)phnum * phentsize, vm->file_size);
	ph = malloc((size_t)phnum * phentsize);
	vm->segs = calloc(phnum, sizeof(*vm->segs));
	if (!ph || !vm->segs) {
		free(ph);
		return vmcore_fail(vm, "out of memory for %" PRIu32 " program headers", phnum);
	}
	if (file_read(vm, info->ehdr.e_phoff, ph, (size_t)phnum * phentsize, "the program header table")) {
		free(ph);
		return -1;
	}

	for (uint32_t i = 0; i < phnum; i++) {
		uint64_t type, off, vaddr, paddr, filesz, memsz;
		Elf64_Phdr h;

		elf_parse_phdr(info, ph + (size_t)i * phentsize, &h);
		type = h.p_type;
		off = h.p_offset;
		vaddr = h.p_vaddr;
		paddr = h.p_paddr;
		filesz = h.p_filesz;
		memsz = h.p_memsz;
		if (off + filesz < off) {
			free(ph);
			return vmcore_fail(vm, "program header %" PRIu32 ": file offset 0x%" PRIx64
					   " + size 0x%" PRIx64 " overflows", i, off, filesz);
		}
		if (type == PT_LOAD) {
			struct vmcore_seg *s = &vm->segs[vm->nsegs++];

			s->vaddr = vaddr;
			s->paddr = paddr;
			s->offset = off;
			s->filesz = filesz < memsz ? filesz : memsz;
			s->memsz = memsz;
			s->index = i;
			nloads++;
		} else if (type == PT_NOTE && !found && filesz) {
			char what[64];
			int r;

			if (filesz > NOTE_SEGMENT_MAX) {
				free(ph);
				return vmcore_fail(vm, "program header %" PRIu32 ": note segment of %" PRIu64
						   " bytes is implausibly large", i, filesz);
			}
			if (off > vm->file_size || filesz > vm->file_size - off) {
				free(ph);
				return vmcore_fail(vm, "truncated file: the note segment (program header %" PRIu32
						   ") at offset 0x%" PRIx64 " (%" PRIu64 " bytes) ends beyond the end "
						   "of the file (%" PRIu64 " bytes)", i, off, filesz, vm->file_size);
			}
			notes = malloc((size_t)filesz);
			if (!notes) {
				free(ph);
				return vmcore_fail(vm, "out of memory for a %" PRIu64 "-byte note segment", filesz);
			}
			snprintf(what, sizeof(what), "the note segment (program header %" PRIu32 ")", i);
			r = file_read(vm, off, notes, (size_t)filesz, what);
			if (!r)
				r = scan_notes(vm, notes, (size_t)filesz);
			free(notes);
			if (r < 0) {
				free(ph);
				return -1;
			}
			found = r;
		}
	}
	free(ph);
	if (!found)
		return vmcore_fail(vm, "no VMCOREINFO note: not a kernel crash dump");
	if (!nloads)
		return vmcore_fail(vm, "no PT_LOAD segments: the dump holds no memory");
	return 0;
}

int vmcore_open(struct vmcore *vm, int fd)
{
	struct stat st;

	memset(vm, 0, sizeof(*vm));
	vm->fd = fd;
	if (fstat(fd, &st))
		return vmcore_fail(vm, "%s", strerror(errno));
	if (S_ISDIR(st.st_mode))
		return vmcore_fail(vm, "%s", strerror(EISDIR));
	if (!S_ISREG(st.st_mode))
		return vmcore_fail(vm, "not a regular file");
	vm->file_size = (uint64_t)st.st_size;
	return read_headers(vm);
}

void vmcore_close(struct vmcore *vm)
{
	free(vm->segs);
	free(vm->info);
	vm->segs = NULL;
	vm->info = NULL;
	vm->nsegs = 0;
}

int vmcore_info_find(struct vmcore *vm, const char *key, uint64_t *val)
{
	size_t klen = strlen(key);
	/* SYMBOL() values are hexadecimal without 0x; everything else is decimal. */
	int base = !strncmp(key, "SYMBOL(", 7) ? 16 : 10;

	for (const char *line = vm->info; line && *line;) {
		const char *eol = strchr(line, '\n');
		const char *end = eol ? eol : line + strlen(line);

		if ((size_t)(end - line) > klen && !strncmp(line, key, klen) && line[klen] == '=') {
			const char *v = line + klen + 1;
			char buf[32], *stop;
			size_t n = (size_t)(end - v);
			unsigned long long x;

			if (n == 0 || n >= sizeof(buf))
				return vmcore_fail(vm, "VMCOREINFO: bad value for %s", key);
			memcpy(buf, v, n);
			buf[n] = 0;
			errno = 0;
			x = strtoull(buf, &stop, base);
			if (errno || *stop || buf[0] == '-' || buf[0] == ' ')
				return vmcore_fail(vm, "VMCOREINFO: bad value for %s: \"%s\"", key, buf);
			*val = x;
			return 1;
		}
		line = eol ? eol + 1 : end;
	}
	return 0;
}

int vmcore_info_need(struct vmcore *vm, const char *key, uint64_t *val)
{
	int r = vmcore_info_find(vm, key, val);

	if (r == 0)
		return vmcore_fail(vm, "VMCOREINFO lacks %s", key);
	return r < 0 ? -1 : 0;
}

static const struct vmcore_seg *find_seg(const struct vmcore *vm, uint64_t vaddr)
{
	for (size_t i = 0; i < vm->nsegs; i++) {
		const struct vmcore_seg *s = &vm->segs[i];

		if (vaddr >= s->vaddr && vaddr - s->vaddr < s->memsz)
			return s;
	}
	return NULL;
}

int vmcore_read(struct vmcore *vm, uint64_t vaddr, void *buf, size_t len, const char *what)
{
	uint8_t *p = buf;
	uint64_t at = vaddr;

	while (len) {
		const struct vmcore_seg *s = find_seg(vm, at);
		uint64_t delta, avail;
		size_t n, from_file;

		if (!s) {
			if (at == vaddr)
				return vmcore_fail(vm, "%s at 0x%" PRIx64 " is in no PT_LOAD segment", what, vaddr);
			return vmcore_fail(vm, "%s at 0x%" PRIx64 " (%zu bytes) runs past the PT_LOAD segments "
					   "at 0x%" PRIx64, what, vaddr, (size_t)(at - vaddr) + len, at);
		}
		delta = at - s->vaddr;
		avail = s->memsz - delta;
		n = avail < len ? (size_t)avail : len;
		from_file = delta < s->filesz ? (size_t)(s->filesz - delta < n ? s->filesz - delta : n) : 0;
		if (from_file) {
			uint64_t off = s->offset + delta;

			if (off > vm->file_size || from_file > vm->file_size - off)
				return vmcore_fail(vm, "truncated file: %s at 0x%" PRIx64 " is in PT_LOAD segment %u "
						   "(file offset 0x%" PRIx64 ", 0x%" PRIx64 " bytes), which ends "
						   "beyond the end of the file (%" PRIu64 " bytes)", what, vaddr,
						   s->index, s->offset, s->filesz, vm->file_size);
			if (file_read(vm, off, p, from_file, what))
				return -1;
			if (vm->on_read)
				vm->on_read(vm->on_read_arg, s, delta, from_file);
		}
		/* Memory the segment does not carry in the file reads as zeros. */
		memset(p + from_file, 0, n - from_file);
		p += n;
		at += n;
		len -= n;
		if (len && at == 0)
			return vmcore_fail(vm, "%s at 0x%" PRIx64 " wraps the address space", what, vaddr);
	}
	return 0;
}

int vmcore_read_ulong(struct vmcore *vm, uint64_t vaddr, uint64_t *val, const char *what)
{
	uint8_t b[8];

	if (vmcore_read(vm, vaddr, b, vm->ptr_bytes, what))
		return -1;
	*val = vmcore_ulong(vm, b);
	return 0;
}

int vmcore_read_u32(struct vmcore *vm, uint64_t vaddr, uint32_t *val, const char *what)
{
	uint8_t b[4];

	if (vmcore_read(vm, vaddr, b, 4, what))
		return -1;
	*val = vmcore_u32(vm, b);
	return 0;
}
