// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The crash ELF core header builder: crash_exclude_mem_range()'s cases,
 * CPU lists, and the headers for a small recorded-style machine (a sysroot
 * written by the test), field by field against crash_prepare_elf64_headers.
 */
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "arch.h"
#include "byteorder.h"
#include "crashdump.h"
#include "log.h"
#include "sysview.h"
#include "tap.h"

static int ranges_are(const struct crash_mem *m, unsigned int n, const uint64_t *se)
{
	unsigned int i;

	if (m->nr_ranges != n)
		return 0;
	for (i = 0; i < n; i++)
		if (m->ranges[i].start != se[2 * i] || m->ranges[i].end != se[2 * i + 1])
			return 0;
	return 1;
}

static void test_exclude(void)
{
	struct crash_mem *m = crash_mem_alloc(4);

	crash_mem_add(m, 0x1000, 0x9fbff);
	crash_mem_add(m, 0x100000, 0x3ffdffff);
	/* x86's order: the low 1M, then the crash region */
	ok(crash_exclude_mem_range(m, 0, 0xfffff) == 0, "exclude the low 1M");
	ok(ranges_are(m, 1, (const uint64_t[]){ 0x100000, 0x3ffdffff }),
	   "a range inside the excluded one is removed");
	ok(crash_exclude_mem_range(m, 0x2f000000, 0x3effffff) == 0, "exclude the crash region");
	ok(ranges_are(m, 2, (const uint64_t[]){ 0x100000, 0x2effffff, 0x3f000000, 0x3ffdffff }),
	   "a range around the excluded one is split in two, in ascending order");
	ok(crash_exclude_mem_range(m, 0x0, 0x1fffff) == 0 &&
	   ranges_are(m, 2, (const uint64_t[]){ 0x200000, 0x2effffff, 0x3f000000, 0x3ffdffff }),
	   "an overlap at the start moves the start");
	ok(crash_exclude_mem_range(m, 0x3ff00000, 0x4fffffff) == 0 &&
	   ranges_are(m, 2, (const uint64_t[]){ 0x200000, 0x2effffff, 0x3f000000, 0x3fefffff }),
	   "an overlap at the end moves the end");
	ok(crash_exclude_mem_range(m, 0x50000000, 0x5fffffff) == 0 && m->nr_ranges == 2,
	   "a range beyond every one changes nothing");
	crash_mem_free(m);

	m = crash_mem_alloc(1);
	crash_mem_add(m, 0x1000, 0x8fff);
	ok(crash_exclude_mem_range(m, 0x2000, 0x2fff) == -ENOMEM && m->nr_ranges == 1,
	   "a split without room is -ENOMEM, the ranges untouched");
	crash_mem_free(m);
}

static void test_cpulist(void)
{
	unsigned int *cpus = NULL, n = 0;

	ok(crash_parse_cpulist("0\n", &cpus, &n) == 0 && n == 1 && cpus[0] == 0, "cpulist '0'");
	free(cpus);
	ok(crash_parse_cpulist("0-3,8,10-11", &cpus, &n) == 0 && n == 7 && cpus[3] == 3 &&
	   cpus[4] == 8 && cpus[6] == 11, "cpulist '0-3,8,10-11'");
	free(cpus);
	ok(crash_parse_cpulist("3-1", &cpus, &n) == -EINVAL, "cpulist '3-1' is refused");
	ok(crash_parse_cpulist("", &cpus, &n) == -EINVAL, "an empty cpulist is refused");
	ok(crash_parse_cpulist("0,x", &cpus, &n) == -EINVAL, "cpulist '0,x' is refused");
}

static void write_file(const char *dir, const char *path, const void *buf, size_t len)
{
	char full[4096], *p;
	FILE *f;

	snprintf(full, sizeof(full), "%s%s", dir, path);
	for (p = full + strlen(dir) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		mkdir(full, 0755);
		*p = '/';
	}
	f = fopen(full, "wb");
	if (!f || fwrite(buf, 1, len, f) != len) {
		printf("Bail out! cannot write %s\n", full);
		exit(1);
	}
	fclose(f);
}

static void write_text(const char *dir, const char *path, const char *text)
{
	write_file(dir, path, text, strlen(text));
}

/* A /proc/kcore with a kernel text entry and one direct-map entry, in byte order ei_data. */
static void write_kcore(const char *dir, uint8_t ei_data)
{
	static const struct { uint32_t type; uint64_t vaddr, paddr, size; } ph[3] = {
		{ PT_NOTE, 0, 0, 0 },
		{ PT_LOAD, 0xffffffff81000000ull, 0x1000000, 0x2c00000 },	/* KCORE_TEXT */
		{ PT_LOAD, 0xff11000000100000ull, 0x100000, 0x3fee0000 },	/* KCORE_RAM */
	};
	uint8_t buf[sizeof(Elf64_Ehdr) + 3 * sizeof(Elf64_Phdr)];
	unsigned int i;

	memset(buf, 0, sizeof(buf));
	memcpy(buf, ELFMAG, SELFMAG);
	buf[EI_CLASS] = ELFCLASS64;
	buf[EI_DATA] = ei_data;
	buf[EI_VERSION] = EV_CURRENT;
	elf_put16(ei_data, buf + offsetof(Elf64_Ehdr, e_type), ET_CORE);
	elf_put32(ei_data, buf + offsetof(Elf64_Ehdr, e_version), EV_CURRENT);
	elf_put64(ei_data, buf + offsetof(Elf64_Ehdr, e_phoff), sizeof(Elf64_Ehdr));
	elf_put16(ei_data, buf + offsetof(Elf64_Ehdr, e_ehsize), sizeof(Elf64_Ehdr));
	elf_put16(ei_data, buf + offsetof(Elf64_Ehdr, e_phentsize), sizeof(Elf64_Phdr));
	elf_put16(ei_data, buf + offsetof(Elf64_Ehdr, e_phnum), 3);
	for (i = 0; i < 3; i++) {
		uint8_t *p = buf + sizeof(Elf64_Ehdr) + i * sizeof(Elf64_Phdr);

		elf_put32(ei_data, p + offsetof(Elf64_Phdr, p_type), ph[i].type);
		elf_put64(ei_data, p + offsetof(Elf64_Phdr, p_vaddr), ph[i].vaddr);
		elf_put64(ei_data, p + offsetof(Elf64_Phdr, p_paddr), ph[i].paddr);
		elf_put64(ei_data, p + offsetof(Elf64_Phdr, p_filesz), ph[i].size);
		elf_put64(ei_data, p + offsetof(Elf64_Phdr, p_memsz), ph[i].size);
	}
	write_file(dir, "/proc/kcore", buf, sizeof(buf));
}

static uint64_t phdr_u64(const uint8_t *buf, unsigned int i, size_t off)
{
	return get_le64(buf + sizeof(Elf64_Ehdr) + i * sizeof(Elf64_Phdr) + off);
}

static uint32_t phdr_u32(const uint8_t *buf, unsigned int i, size_t off)
{
	return get_le32(buf + sizeof(Elf64_Ehdr) + i * sizeof(Elf64_Phdr) + off);
}

static void test_headers(void)
{
	char dir[] = "/tmp/test-crashdump-XXXXXX";
	struct crash_sysinfo ci;
	struct crash_mem *m;
	struct sysview sv;
	uint8_t *buf = NULL;
	size_t sz = 0;
	Elf64_Ehdr eh;
	char cmd[128];

	if (!mkdtemp(dir)) {
		printf("Bail out! mkdtemp\n");
		exit(1);
	}
	write_text(dir, "/proc/iomem", "00001000-0009fbff : System RAM\n00100000-3ffdffff : System RAM\n");
	write_text(dir, "/proc/sys/kernel/osrelease", "6.1.0-50-amd64\n");
	write_text(dir, "/sys/devices/system/cpu/possible", "0-1\n");
	write_text(dir, "/sys/devices/system/cpu/cpu0/crash_notes", "2dc3d800\n");
	write_text(dir, "/sys/devices/system/cpu/cpu0/crash_notes_size", "368\n");
	write_text(dir, "/sys/devices/system/cpu/cpu1/crash_notes", "2dc7d800\n");
	write_text(dir, "/sys/devices/system/cpu/cpu1/crash_notes_size", "368\n");
	write_text(dir, "/sys/kernel/vmcoreinfo", "0x0000000004988000 1024\n");
	write_kcore(dir, ELFDATA2LSB);

	ok(sysview_open(&sv, dir) == 0, "the test machine's system view");
	ok(crash_read_sysinfo(&sv, 0xffffffff80000000ull, &ci) == 0, "crash inputs read");
	ok(ci.nr_cpus == 2 && ci.cpu_notes[0] == 0x2dc3d800 && ci.cpu_notes[1] == 0x2dc7d800 &&
	   ci.cpu_notes_size == 368, "crash notes: hex addresses, decimal size");
	ok(ci.vmcoreinfo_addr == 0x4988000 && ci.vmcoreinfo_size == 0x1024,
	   "vmcoreinfo: address and size, both hex");
	ok(ci.text_vaddr == 0xffffffff81000000ull && ci.text_paddr == 0x1000000 &&
	   ci.text_size == 0x2c00000, "kernel text from /proc/kcore");
	ok(ci.page_offset == 0xff11000000000000ull, "PAGE_OFFSET from a direct-map entry");

	m = crash_mem_alloc(4);
	crash_mem_add(m, 0x100000, 0x2effffff);
	crash_mem_add(m, 0x3f000000, 0x3ffdffff);
	ok(crash_prepare_elf64_headers(&arch_x86_64, &ci, m, 1, &buf, &sz) == 0, "headers built");
	ok(sz == 4096, "size: ALIGN(64 + 6 * 56, 4096)");
	memcpy(&eh, buf, sizeof(eh));
	ok(!memcmp(eh.e_ident, ELFMAG "\x02\x01\x01\x00", 8) && eh.e_type == ET_CORE &&
	   eh.e_machine == EM_X86_64 && eh.e_version == EV_CURRENT && eh.e_phoff == 64 &&
	   eh.e_ehsize == 64 && eh.e_phentsize == 56 && eh.e_phnum == 6 && !eh.e_entry &&
	   !eh.e_shoff && !eh.e_flags, "ELF header: ET_CORE, EM_X86_64, 6 program headers");
	ok(phdr_u32(buf, 0, 0) == PT_NOTE && phdr_u64(buf, 0, 8) == 0x2dc3d800 &&
	   phdr_u64(buf, 0, 24) == 0x2dc3d800 && phdr_u64(buf, 0, 32) == 368 &&
	   phdr_u64(buf, 1, 8) == 0x2dc7d800, "one PT_NOTE per possible CPU, offset = paddr");
	ok(phdr_u32(buf, 2, 0) == PT_NOTE && phdr_u64(buf, 2, 8) == 0x4988000 &&
	   phdr_u64(buf, 2, 40) == 0x1024, "then the VMCOREINFO note");
	ok(phdr_u32(buf, 3, 0) == PT_LOAD && phdr_u32(buf, 3, 4) == (PF_R | PF_W | PF_X) &&
	   phdr_u64(buf, 3, 16) == 0xffffffff81000000ull && phdr_u64(buf, 3, 24) == 0x1000000 &&
	   phdr_u64(buf, 3, 8) == 0x1000000 && phdr_u64(buf, 3, 32) == 0x2c00000,
	   "then the kernel text PT_LOAD");
	ok(phdr_u64(buf, 4, 16) == 0xff11000000100000ull && phdr_u64(buf, 4, 24) == 0x100000 &&
	   phdr_u64(buf, 4, 32) == 0x2ef00000 && phdr_u64(buf, 5, 24) == 0x3f000000 &&
	   phdr_u64(buf, 5, 40) == 0xfe0000 && !phdr_u64(buf, 5, 48),
	   "then one PT_LOAD per range, vaddr = PAGE_OFFSET + paddr, p_align 0");
	free(buf);
	crash_mem_free(m);
	crash_sysinfo_release(&ci);

	/* a big-endian machine's /proc/kcore (s390x) reads the same */
	write_kcore(dir, ELFDATA2MSB);
	memset(&ci, 0, sizeof(ci));
	ok(crash_read_sysinfo(&sv, 0xffffffff80000000ull, &ci) == 0 &&
	   ci.text_vaddr == 0xffffffff81000000ull && ci.text_paddr == 0x1000000 &&
	   ci.text_size == 0x2c00000 && ci.page_offset == 0xff11000000000000ull,
	   "a big-endian /proc/kcore: the same kernel text and PAGE_OFFSET");
	crash_sysinfo_release(&ci);

	unlink(strcat(strcpy(cmd, dir), "/proc/kcore"));
	ok(crash_read_sysinfo(&sv, 0xffffffff80000000ull, &ci) == -ENOENT,
	   "without /proc/kcore: -ENOENT, one message");
	write_text(dir, "/proc/kcore", "not an ELF file");
	ok(crash_read_sysinfo(&sv, 0xffffffff80000000ull, &ci) == -EINVAL,
	   "a /proc/kcore that is not ELF: -EINVAL");
	sysview_close(&sv);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd))
		diag("could not remove %s", dir);
}

static void no_log(enum kx_level level, const char *msg, void *arg)
{
	(void)level;
	(void)msg;
	(void)arg;
}

int main(void)
{
	kx_set_log_sink(no_log, NULL);
	test_exclude();
	test_cpulist();
	test_headers();
	return done_testing();
}
