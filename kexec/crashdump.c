// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ELF core headers for the crash kernel (kernel/crash_core.c:
 * crash_exclude_mem_range, crash_prepare_elf64_headers), from the running
 * kernel's sysfs and /proc/kcore.
 */
#include <elf.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "byteorder.h"
#include "arch.h"
#include "crashdump.h"
#include "kexec-elf.h"
#include "log.h"
#include "plan.h"
#include "sysview.h"

#define ELF_CORE_HEADER_ALIGN	4096
#define KCORE_HEADER_MAX	(1 << 20)	/* enough for any number of PT_LOADs */

struct crash_mem *crash_mem_alloc(unsigned int max_nr_ranges)
{
	struct crash_mem *cmem = calloc(1, sizeof(*cmem));

	if (cmem)
		cmem->ranges = calloc(max_nr_ranges ? max_nr_ranges : 1, sizeof(*cmem->ranges));
	if (!cmem || !cmem->ranges) {
		free(cmem);
		kx_error("out of memory");
		return NULL;
	}
	cmem->max_nr_ranges = max_nr_ranges;
	return cmem;
}

void crash_mem_free(struct crash_mem *cmem)
{
	if (cmem)
		free(cmem->ranges);
	free(cmem);
}

int crash_mem_add(struct crash_mem *cmem, uint64_t start, uint64_t end)
{
	if (cmem->nr_ranges >= cmem->max_nr_ranges)
		return -ENOMEM;
	cmem->ranges[cmem->nr_ranges].start = start;
	cmem->ranges[cmem->nr_ranges].end = end;
	cmem->nr_ranges++;
	return 0;
}

int crash_exclude_mem_range(struct crash_mem *mem, uint64_t mstart, uint64_t mend)
{
	unsigned int i;

	for (i = 0; i < mem->nr_ranges; i++) {
		uint64_t start = mem->ranges[i].start, end = mem->ranges[i].end;
		uint64_t p_start = mstart, p_end = mend;

		if (p_start > end)
			continue;
		/* the ranges ascend: nothing further can overlap */
		if (p_end < start)
			break;
		if (p_start < start)
			p_start = start;
		if (p_end > end)
			p_end = end;
		if (p_start == start && p_end == end) {
			memmove(&mem->ranges[i], &mem->ranges[i + 1],
				(mem->nr_ranges - (i + 1)) * sizeof(mem->ranges[0]));
			mem->nr_ranges--;
			i--;
		} else if (p_start > start && p_end < end) {
			if (mem->nr_ranges >= mem->max_nr_ranges)
				return -ENOMEM;
			memmove(&mem->ranges[i + 2], &mem->ranges[i + 1],
				(mem->nr_ranges - (i + 1)) * sizeof(mem->ranges[0]));
			mem->ranges[i].end = p_start - 1;
			mem->ranges[i + 1].start = p_end + 1;
			mem->ranges[i + 1].end = end;
			mem->nr_ranges++;
			i++;
		} else if (p_start != start) {
			mem->ranges[i].end = p_start - 1;
		} else {
			mem->ranges[i].start = p_end + 1;
		}
	}
	return 0;
}

/*
 * A kernel cpu list ("0-3,8,10-11"): ascending, disjoint ranges of decimal
 * ids below 65536, as bitmap_print_to_pagebuf() writes them.
 */
int crash_parse_cpulist(const char *text, unsigned int **cpus, unsigned int *nr)
{
	unsigned int *out = NULL, n = 0, cap = 0;
	unsigned long next = 0;
	const char *p = text;

	while (*p && *p != '\n') {
		char *endp;
		unsigned long a, b;

		if (!isdigit((unsigned char)*p))
			goto bad;
		a = strtoul(p, &endp, 10);
		b = a;
		p = endp;
		if (*p == '-') {
			if (!isdigit((unsigned char)p[1]))
				goto bad;
			b = strtoul(p + 1, &endp, 10);
			if (b < a)
				goto bad;
			p = endp;
		}
		if (a < next || b >= 65536)
			goto bad;
		next = b + 1;
		if (n + (b - a) + 1 > cap) {
			unsigned int want = cap ? cap : 64, *grown;

			while (want < n + (b - a) + 1)
				want *= 2;
			grown = realloc(out, want * sizeof(*out));
			if (!grown) {
				free(out);
				return -ENOMEM;
			}
			out = grown;
			cap = want;
		}
		for (; a <= b; a++)
			out[n++] = (unsigned int)a;
		if (*p == ',' && p[1] && p[1] != '\n')
			p++;
		else if (*p && *p != '\n')
			goto bad;
	}
	if (!n)
		goto bad;
	*cpus = out;
	*nr = n;
	return 0;
bad:
	free(out);
	return -EINVAL;
}

static int read_cpu_notes(const struct sysview *sv, struct crash_sysinfo *ci)
{
	unsigned int *cpus = NULL, i;
	char *possible, path[128], full[4096 + 128];
	int ret;

	sysview_path(sv, "/sys/devices/system/cpu/possible", full, sizeof(full));
	ret = sysview_read_text(sv, "/sys/devices/system/cpu/possible", &possible);
	if (ret) {
		kx_error("%s: %s", full, sysview_strerror(ret));
		return ret;
	}
	ret = crash_parse_cpulist(possible, &cpus, &ci->nr_cpus);
	free(possible);
	if (ret) {
		kx_error("%s: not a CPU list", full);
		return ret;
	}
	ci->cpu_notes = calloc(ci->nr_cpus, sizeof(*ci->cpu_notes));
	if (!ci->cpu_notes) {
		free(cpus);
		return -ENOMEM;
	}
	for (i = 0; i < ci->nr_cpus; i++) {
		snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%u/crash_notes", cpus[i]);
		ret = sysview_read_u64(sv, path, 16, &ci->cpu_notes[i]);
		if (ret) {
			sysview_path(sv, path, full, sizeof(full));
			kx_error("%s: %s (the crash notes of every possible CPU are needed)", full,
				 ret == -EINVAL ? "not a hexadecimal address" : sysview_strerror(ret));
			break;
		}
		if (i == 0) {
			snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%u/crash_notes_size",
				 cpus[i]);
			ret = sysview_read_u64(sv, path, 10, &ci->cpu_notes_size);
			if (ret) {
				sysview_path(sv, path, full, sizeof(full));
				kx_error("%s: %s", full,
					 ret == -EINVAL ? "not a decimal size" : sysview_strerror(ret));
				break;
			}
		}
	}
	free(cpus);
	return ret;
}

static int read_vmcoreinfo(const struct sysview *sv, struct crash_sysinfo *ci)
{
	char *text, *size, full[4096 + 64];
	const char *why = NULL;
	int ret;

	sysview_path(sv, "/sys/kernel/vmcoreinfo", full, sizeof(full));
	/* "%pa %x": the note's physical address ("0x", 16 digits) and its size, in hex */
	ret = sysview_read_text(sv, "/sys/kernel/vmcoreinfo", &text);
	if (ret) {
		kx_error("%s: %s", full, sysview_strerror(ret));
		return ret;
	}
	size = strchr(text, ' ');
	if (size)
		*size++ = '\0';
	if (!size || sysview_parse_0x(text, &ci->vmcoreinfo_addr))
		why = "not \"0x<address> <size>\"";
	else if (!*size || strspn(size, "0123456789abcdef") != strlen(size) || strlen(size) > 8)
		why = "the note size is not a 32-bit hexadecimal number";
	else if (!(ci->vmcoreinfo_size = strtoull(size, NULL, 16)))
		why = "a note of size 0";
	free(text);
	if (why) {
		kx_error("%s: %s", full, why);
		return -EINVAL;
	}
	return 0;
}

/* The highest p_vaddr of the PT_LOADs that have a physical address. */
static uint64_t kcore_highest_vaddr(const struct kexec_elf_info *info, const uint8_t *buf)
{
	uint64_t max = UINT64_MAX;
	size_t i;

	for (i = 0; i < info->ehdr.e_phnum; i++) {
		Elf64_Phdr ph;

		elf_parse_phdr(info, buf + info->ehdr.e_phoff + i * sizeof(ph), &ph);
		if (ph.p_type != PT_LOAD || ph.p_paddr == UINT64_MAX)
			continue;
		if (max == UINT64_MAX || ph.p_vaddr > max)
			max = ph.p_vaddr;
	}
	return max;
}

/*
 * /proc/kcore's program headers: the kernel text entry (vaddr _text, size
 * _end - _text, paddr __pa_symbol(_text)) and a direct-map RAM entry
 * (vaddr - paddr = PAGE_OFFSET). Only the headers are read.
 */
static int read_kcore(const struct sysview *sv, uint64_t kernel_map_min, struct crash_sysinfo *ci)
{
	struct kexec_elf_info info = { .buffer = NULL };
	uint8_t *buf = NULL;
	size_t len = 0, i;
	int ret, have_text = 0, have_ram = 0;

	ret = sysview_read_head(sv, "/proc/kcore", KCORE_HEADER_MAX, &buf, &len);
	if (ret) {
		char path[4096 + 32];

		sysview_path(sv, "/proc/kcore", path, sizeof(path));
		kx_error("%s: %s (the kernel text mapping is needed for the core headers)", path,
			 sysview_strerror(ret));
		return ret;
	}
	info.len = len;
	ret = -EINVAL;
	if (elf_read_ehdr(&info, buf, len)) {
		kx_error("/proc/kcore: %s", info.err);
		goto out;
	}
	if (info.ehdr.e_ident[EI_CLASS] != ELFCLASS64 || info.ehdr.e_type != ET_CORE) {
		kx_error("/proc/kcore: not a 64-bit ELF core");
		goto out;
	}
	/* elf_read_ehdr checked that the table lies within what was read */
	if (!kernel_map_min)
		kernel_map_min = kcore_highest_vaddr(&info, buf);
	for (i = 0; i < info.ehdr.e_phnum; i++) {
		Elf64_Phdr ph;

		elf_parse_phdr(&info, buf + info.ehdr.e_phoff + i * sizeof(ph), &ph);
		if (ph.p_type != PT_LOAD || ph.p_paddr == UINT64_MAX)
			continue;
		if (ph.p_vaddr >= kernel_map_min) {
			if (!have_text) {
				ci->text_vaddr = ph.p_vaddr;
				ci->text_paddr = ph.p_paddr;
				ci->text_size = ph.p_memsz;
				have_text = 1;
			}
		} else if (!have_ram && ph.p_vaddr >= ph.p_paddr) {
			ci->page_offset = ph.p_vaddr - ph.p_paddr;
			have_ram = 1;
		}
	}
	if (!have_text || !have_ram) {
		kx_error("/proc/kcore: no %s entry", have_text ? "direct-map RAM" : "kernel text");
		goto out;
	}
	ret = 0;
out:
	free(buf);
	return ret;
}

int crash_read_notes(const struct sysview *sv, struct crash_sysinfo *ci)
{
	int ret;

	memset(ci, 0, sizeof(*ci));
	ret = read_cpu_notes(sv, ci);
	if (!ret)
		ret = read_vmcoreinfo(sv, ci);
	if (ret)
		crash_sysinfo_release(ci);
	return ret;
}

int crash_read_sysinfo(const struct sysview *sv, uint64_t kernel_map_min, struct crash_sysinfo *ci)
{
	int ret;

	ret = crash_read_notes(sv, ci);
	if (ret)
		return ret;
	ret = read_kcore(sv, kernel_map_min, ci);
	if (ret)
		crash_sysinfo_release(ci);
	return ret;
}

void crash_sysinfo_release(struct crash_sysinfo *ci)
{
	free(ci->cpu_notes);
	ci->cpu_notes = NULL;
}

static uint8_t *put_phdr(const struct arch *arch, uint8_t *p, uint32_t type, uint32_t flags,
			 uint64_t offset, uint64_t vaddr, uint64_t paddr, uint64_t size)
{
	elf_put32(arch->ei_data, p + offsetof(Elf64_Phdr, p_type), type);
	elf_put32(arch->ei_data, p + offsetof(Elf64_Phdr, p_flags), flags);
	elf_put64(arch->ei_data, p + offsetof(Elf64_Phdr, p_offset), offset);
	elf_put64(arch->ei_data, p + offsetof(Elf64_Phdr, p_vaddr), vaddr);
	elf_put64(arch->ei_data, p + offsetof(Elf64_Phdr, p_paddr), paddr);
	elf_put64(arch->ei_data, p + offsetof(Elf64_Phdr, p_filesz), size);
	elf_put64(arch->ei_data, p + offsetof(Elf64_Phdr, p_memsz), size);
	return p + sizeof(Elf64_Phdr);
}

int crash_prepare_elf64_headers(const struct arch *arch, const struct crash_sysinfo *ci,
				const struct crash_mem *mem, int need_kernel_map,
				uint8_t **out, size_t *out_sz)
{
	unsigned int nr_phdr, i;
	uint16_t phnum = 0;
	uint8_t *buf, *p;
	size_t elf_sz;

	nr_phdr = ci->nr_cpus + 1 + mem->nr_ranges + (need_kernel_map ? 1 : 0);
	elf_sz = ALIGN_UP(sizeof(Elf64_Ehdr) + (size_t)nr_phdr * sizeof(Elf64_Phdr),
			  ELF_CORE_HEADER_ALIGN);
	buf = calloc(1, elf_sz);
	if (!buf) {
		kx_error("out of memory for the ELF core headers");
		return -ENOMEM;
	}
	memcpy(buf, ELFMAG, SELFMAG);
	buf[EI_CLASS] = ELFCLASS64;
	buf[EI_DATA] = arch->ei_data;
	buf[EI_VERSION] = EV_CURRENT;
	buf[EI_OSABI] = ELFOSABI_NONE;
	elf_put16(arch->ei_data, buf + offsetof(Elf64_Ehdr, e_type), ET_CORE);
	elf_put16(arch->ei_data, buf + offsetof(Elf64_Ehdr, e_machine), arch->e_machine);
	elf_put32(arch->ei_data, buf + offsetof(Elf64_Ehdr, e_version), EV_CURRENT);
	elf_put64(arch->ei_data, buf + offsetof(Elf64_Ehdr, e_phoff), sizeof(Elf64_Ehdr));
	elf_put16(arch->ei_data, buf + offsetof(Elf64_Ehdr, e_ehsize), sizeof(Elf64_Ehdr));
	elf_put16(arch->ei_data, buf + offsetof(Elf64_Ehdr, e_phentsize), sizeof(Elf64_Phdr));

	p = buf + sizeof(Elf64_Ehdr);
	for (i = 0; i < ci->nr_cpus; i++, phnum++)
		p = put_phdr(arch, p, PT_NOTE, 0, ci->cpu_notes[i], 0, ci->cpu_notes[i],
			     ci->cpu_notes_size);
	p = put_phdr(arch, p, PT_NOTE, 0, ci->vmcoreinfo_addr, 0, ci->vmcoreinfo_addr,
		     ci->vmcoreinfo_size);
	phnum++;
	if (need_kernel_map) {
		p = put_phdr(arch, p, PT_LOAD, PF_R | PF_W | PF_X, ci->text_paddr, ci->text_vaddr,
			     ci->text_paddr, ci->text_size);
		phnum++;
	}
	for (i = 0; i < mem->nr_ranges; i++) {
		uint64_t mstart = mem->ranges[i].start, mend = mem->ranges[i].end;

		p = put_phdr(arch, p, PT_LOAD, PF_R | PF_W | PF_X, mstart, mstart + ci->page_offset,
			     mstart, mend - mstart + 1);
		phnum++;
		kx_debug("crash PT_LOAD: vaddr=0x%" PRIx64 " paddr=0x%" PRIx64 " sz=0x%" PRIx64
			 " e_phnum=%u", mstart + ci->page_offset, mstart, mend - mstart + 1, phnum);
	}
	elf_put16(arch->ei_data, buf + offsetof(Elf64_Ehdr, e_phnum), phnum);
	*out = buf;
	*out_sz = elf_sz;
	return 0;
}
