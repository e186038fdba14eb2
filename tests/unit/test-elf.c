// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The ELF module (lib/kexec_elf.c) on objects and executables made by the
 * installed GNU binutils for both classes and both byte orders (x86_64,
 * i386, s390x, s390 31-bit, ppc64le, aarch64): header fields, section names
 * and contents, symbols, RELA entries, program headers and the entry point,
 * each compared with what the source says; kexec_elf_load of the x86_64
 * executable into a plan. Then hostile input: every
 * truncation, targeted corruptions (each refused with its reason) and
 * random byte flips (no over-read: run it under ASan).
 */
#include <elf.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "arch.h"
#include "byteorder.h"
#include "elf_load.h"
#include "file.h"
#include "kexec-elf.h"
#include "plan.h"
#include "profile.h"
#include "sysview.h"
#include "tap.h"

#define TEXT_ADDR	0x10000
#define EXT_SYM		0x1234

/* .text holds 01 02 03 04 at _start; .data holds value (0x11223344) and ext_sym. */
static const char source[] =
	"\t.text\n\t.globl _start\n_start:\n\t.byte 1,2,3,4\n"
	"\t.data\n\t.globl value\nvalue:\n\t.long 0x11223344\n\t.long ext_sym\n";

struct target {
	const char *name;
	const char *prefix;		/* binutils-PREFIX */
	const char *asflags, *ldflags;
	uint8_t ei_class, ei_data;
	uint16_t e_machine;
	uint32_t r_abs32;		/* the type of ".long ext_sym" */
	bool rela;			/* SHT_RELA (else SHT_REL) */
};

static const struct target targets[] = {
	{ "x86_64", "x86_64-linux-gnu-", "--64", "-m elf_x86_64", ELFCLASS64, ELFDATA2LSB,
	  EM_X86_64, R_X86_64_32, true },
	{ "i386", "x86_64-linux-gnu-", "--32", "-m elf_i386", ELFCLASS32, ELFDATA2LSB,
	  EM_386, R_386_32, false },
	{ "s390x", "s390x-linux-gnu-", "-m64", "-m elf64_s390", ELFCLASS64, ELFDATA2MSB,
	  EM_S390, R_390_32, true },
	{ "s390 (31-bit)", "s390x-linux-gnu-", "-m31", "-m elf_s390", ELFCLASS32, ELFDATA2MSB,
	  EM_S390, R_390_32, true },
	{ "ppc64le", "powerpc64le-linux-gnu-", "-a64 -mlittle", "", ELFCLASS64, ELFDATA2LSB,
	  EM_PPC64, R_PPC64_ADDR32, true },
	{ "aarch64", "aarch64-linux-gnu-", "", "", ELFCLASS64, ELFDATA2LSB,
	  EM_AARCH64, R_AARCH64_ABS32, true },
};
#define NR_TARGETS (sizeof(targets) / sizeof(targets[0]))
#define TESTS_PER_TARGET 11	/* object 6, executable 4, truncations 1 */

static char tmpdir[] = "/tmp/test-elf-XXXXXX";

static int run(const char *cmd)
{
	int ret = system(cmd);

	return ret == -1 ? -1 : ret;
}

/* The file in exactly len malloc'ed bytes, so that ASan sees any over-read. */
static uint8_t *read_file(const char *path, size_t *len)
{
	struct kx_file f;
	uint8_t *buf;

	if (kx_file_open(&f, path))
		return NULL;
	buf = malloc(f.size);
	if (buf)
		memcpy(buf, f.data, f.size);
	*len = f.size;
	kx_file_close(&f);
	return buf;
}

static int find_section(const struct kexec_elf_info *info, const char *name)
{
	unsigned int i;

	for (i = 0; i < info->ehdr.e_shnum; i++)
		if (!strcmp(elf_section_name(info, i), name))
			return (int)i;
	return -1;
}

static bool find_symbol(const struct kexec_elf_info *info, const char *name, Elf64_Sym *out)
{
	unsigned int i;
	uint64_t k;

	for (i = 0; i < info->ehdr.e_shnum; i++) {
		if (info->sechdrs[i].sh_type != SHT_SYMTAB)
			continue;
		for (k = 0; !elf_read_sym(info, i, k, out); k++)
			if (!strcmp(elf_sym_name(info, i, out), name))
				return true;
	}
	return false;
}

/* The relocatable object: header, .data's bytes, symbols, the RELA entry. */
static void check_object(const struct target *t, const uint8_t *obj, size_t len)
{
	struct kexec_elf_info info;
	int data, rel;
	Elf64_Sym sym;
	Elf64_Rela rela;
	bool good;

	good = !kexec_build_elf_info(obj, len, &info) && !elf_read_shdrs(&info);
	ok(good, "%s: object read%s%s", t->name, good ? "" : ": ", good ? "" : info.err);
	ok(info.ehdr.e_ident[EI_CLASS] == t->ei_class && info.ehdr.e_ident[EI_DATA] == t->ei_data &&
	   info.ehdr.e_type == ET_REL && info.ehdr.e_machine == t->e_machine,
	   "%s: class %u, data %u, ET_REL, e_machine %u", t->name, info.ehdr.e_ident[EI_CLASS],
	   info.ehdr.e_ident[EI_DATA], info.ehdr.e_machine);
	if (!good) {
		skip(4, "%s: unreadable object", t->name);
		kexec_free_elf_info(&info);
		return;
	}
	data = find_section(&info, ".data");
	ok(data > 0 && info.sechdrs[data].sh_size == 8 &&
	   elf_get32(t->ei_data, obj + info.sechdrs[data].sh_offset) == 0x11223344,
	   "%s: .data is 8 bytes and starts with 0x11223344 in the object's byte order", t->name);
	ok(find_symbol(&info, "value", &sym) && (int)sym.st_shndx == data && sym.st_value == 0 &&
	   ELF64_ST_BIND(sym.st_info) == STB_GLOBAL,
	   "%s: symbol value: global, .data+0", t->name);
	ok(find_symbol(&info, "_start", &sym) && (int)sym.st_shndx == find_section(&info, ".text") &&
	   sym.st_shndx != SHN_UNDEF, "%s: symbol _start in .text", t->name);

	rel = find_section(&info, t->rela ? ".rela.data" : ".rel.data");
	if (t->rela) {
		Elf64_Sym target_sym;

		ok(rel > 0 && elf_nr_entries(&info, rel) == 1 && !elf_read_rela(&info, rel, 0, &rela) &&
		   rela.r_offset == 4 && ELF64_R_TYPE(rela.r_info) == t->r_abs32 &&
		   !elf_read_sym(&info, info.sechdrs[rel].sh_link, ELF64_R_SYM(rela.r_info), &target_sym) &&
		   !strcmp(elf_sym_name(&info, info.sechdrs[rel].sh_link, &target_sym), "ext_sym") &&
		   target_sym.st_shndx == SHN_UNDEF,
		   "%s: one RELA entry: .data+4, type %u against ext_sym", t->name, t->r_abs32);
	} else {
		ok(rel > 0 && info.sechdrs[rel].sh_type == SHT_REL &&
		   elf_read_rela(&info, rel, 0, &rela) == -ENOENT,
		   "%s: .rel.data is SHT_REL, not read as RELA", t->name);
	}
	kexec_free_elf_info(&info);
}

/* The linked executable: a PT_LOAD holds the entry, whose bytes are _start's. */
static void check_executable(const struct target *t, const uint8_t *exe, size_t len)
{
	struct kexec_elf_info info;
	unsigned int i, loads = 0;
	bool good, entry_ok = false;
	Elf64_Sym sym;
	int data;

	good = !kexec_build_elf_info(exe, len, &info) && !elf_read_shdrs(&info);
	ok(good && info.ehdr.e_type == ET_EXEC && info.ehdr.e_entry == TEXT_ADDR &&
	   info.ehdr.e_phnum > 0, "%s: executable read, e_entry 0x%llx%s%s", t->name,
	   (unsigned long long)info.ehdr.e_entry, good ? "" : ": ", good ? "" : info.err);
	if (!good) {
		skip(3, "%s: unreadable executable", t->name);
		kexec_free_elf_info(&info);
		return;
	}
	for (i = 0; i < info.ehdr.e_phnum; i++) {
		const Elf64_Phdr *ph = &info.proghdrs[i];

		if (ph->p_type != PT_LOAD)
			continue;
		loads++;
		if (info.ehdr.e_entry >= ph->p_vaddr && info.ehdr.e_entry - ph->p_vaddr < ph->p_filesz)
			entry_ok = !memcmp(exe + ph->p_offset + (info.ehdr.e_entry - ph->p_vaddr),
					   "\1\2\3\4", 4);
	}
	ok(loads > 0 && entry_ok, "%s: %u PT_LOAD, the entry's bytes are 01 02 03 04", t->name, loads);
	data = find_section(&info, ".data");
	ok(data > 0 && elf_get32(t->ei_data, exe + info.sechdrs[data].sh_offset + 4) == EXT_SYM,
	   "%s: ld resolved ext_sym to 0x%x in .data", t->name, EXT_SYM);
	ok(find_symbol(&info, "value", &sym) && sym.st_value == info.sechdrs[data].sh_addr,
	   "%s: symbol value at .data's address 0x%llx", t->name,
	   (unsigned long long)(data > 0 ? info.sechdrs[data].sh_addr : 0));
	kexec_free_elf_info(&info);
}

/*
 * kexec_elf_load: each PT_LOAD a segment at or above its p_paddr, aligned to
 * p_align, holding the file's bytes; the lowest address reported.
 */
static void check_elf_load(const uint8_t *exe, size_t len)
{
	struct kexec_elf_info info;
	struct kexec_buf kbuf = { .buf_max = UINT64_MAX, .what = "kernel" };
	struct sysview sv;
	struct plan plan;
	char root[600], path[700];
	unsigned int i, n = 0, good = 0;
	uint64_t lowest = 0, min_mem = UINT64_MAX;
	FILE *f;

	snprintf(root, sizeof(root), "%s/root", tmpdir);
	snprintf(path, sizeof(path), "mkdir -p %s/proc", root);
	run(path);
	snprintf(path, sizeof(path), "%s/proc/iomem", root);
	f = fopen(path, "w");
	if (f) {
		fputs("00001000-3fffffff : System RAM\n", f);
		fclose(f);
	}
	if (sysview_open(&sv, root) || kexec_build_elf_info(exe, len, &info)) {
		skip(2, "no system view or unreadable executable");
		return;
	}
	plan_init(&plan, &arch_x86_64, &sv, profile_find("x86_64", "6.1"), false);
	kbuf.plan = &plan;
	ok(kexec_elf_load(&info, &kbuf, &lowest) == 0, "kexec_elf_load: the x86_64 executable loads");
	for (i = 0; i < info.ehdr.e_phnum; i++) {
		const Elf64_Phdr *ph = &info.proghdrs[i];
		const struct plan_segment *seg = &plan.segment[n];

		if (ph->p_type != PT_LOAD || n >= plan.nr_segments)
			continue;
		n++;
		if (seg->mem >= ph->p_paddr && !(seg->mem & (ph->p_align - 1)) &&
		    seg->bufsz == ph->p_filesz && seg->buf == exe + ph->p_offset)
			good++;
		if (seg->mem < min_mem)
			min_mem = seg->mem;
	}
	ok(n && good == n && n == plan.nr_segments && lowest == min_mem,
	   "kexec_elf_load: %u of %u segments at or above p_paddr, p_align-aligned, the file's bytes; "
	   "lowest 0x%llx", good, n, (unsigned long long)lowest);
	plan_release(&plan);
	kexec_free_elf_info(&info);
	sysview_close(&sv);
}

static bool build(const struct target *t, unsigned int n, char *obj, char *exe, size_t sz)
{
	char cmd[4096];

	snprintf(obj, sz, "%s/t%u.o", tmpdir, n);
	snprintf(exe, sz, "%s/t%u.x", tmpdir, n);
	snprintf(cmd, sizeof(cmd), "%sas %s -o %s %s/t.S && %sld %s -e _start --defsym ext_sym=0x%x "
		 "-Ttext=0x%x -o %s %s", t->prefix, t->asflags, obj, tmpdir, t->prefix, t->ldflags,
		 EXT_SYM, TEXT_ADDR, exe, obj);
	return run(cmd) == 0;
}

/* Read everything there is to read, as the purgatory loader would. */
static int read_all(const uint8_t *buf, size_t len, struct kexec_elf_info *info)
{
	unsigned int i;
	uint64_t k;
	int ret;

	ret = kexec_build_elf_info(buf, len, info);
	if (!ret)
		ret = elf_read_shdrs(info);
	if (ret)
		return ret;
	for (i = 0; i < info->ehdr.e_shnum; i++) {
		Elf64_Sym sym;
		Elf64_Rela rela;

		(void)elf_section_name(info, i);
		for (k = 0; !elf_read_sym(info, i, k, &sym); k++)
			(void)elf_sym_name(info, i, &sym);
		for (k = 0; !elf_read_rela(info, i, k, &rela); k++)
			;
	}
	return 0;
}

/* Every prefix of the file: refused with a reason until the tables fit. */
static void check_truncated(const struct target *t, const uint8_t *obj, size_t len)
{
	struct kexec_elf_info full;
	size_t cut, need, bad = 0, silent = 0;

	if (kexec_build_elf_info(obj, len, &full)) {
		skip(1, "%s: unreadable", t->name);
		return;
	}
	need = full.ehdr.e_shoff + (size_t)full.ehdr.e_shnum * full.ehdr.e_shentsize;
	kexec_free_elf_info(&full);
	for (cut = 0; cut < len; cut++) {
		uint8_t *copy = malloc(cut ? cut : 1);
		struct kexec_elf_info info;
		int ret;

		memcpy(copy, obj, cut);
		ret = read_all(copy, cut, &info);
		if (cut < need && ret != -ENOEXEC)
			bad++;
		if (ret && !info.err[0])
			silent++;
		kexec_free_elf_info(&info);
		free(copy);
	}
	ok(!bad && !silent, "%s: all %zu truncations before the end of the section headers (0x%zx) refused, "
	   "each with a reason (%zu accepted, %zu silent)", t->name, need, need, bad, silent);
}

/* Up to three big-endian stores into a copy of the s390x object, and the reason expected. */
struct corruption {
	const char *what;
	struct { size_t off; unsigned int size; uint64_t value; } store[3];
	const char *why;
};

static void check_corrupt(const uint8_t *obj, size_t len, const struct corruption *c)
{
	struct kexec_elf_info info;
	uint8_t *copy = malloc(len);
	unsigned int i;
	int ret;

	memcpy(copy, obj, len);
	for (i = 0; i < 3 && c->store[i].size; i++)
		elf_put(ELFDATA2MSB, copy + c->store[i].off, c->store[i].size, c->store[i].value);
	ret = read_all(copy, len, &info);
	ok(ret == -ENOEXEC && strstr(info.err, c->why), "%s refused: %s", c->what, info.err);
	kexec_free_elf_info(&info);
	free(copy);
}

#define EH(field) offsetof(Elf64_Ehdr, field), sizeof(((Elf64_Ehdr *)0)->field)

static void check_corruptions(const uint8_t *obj, size_t len)
{
	struct kexec_elf_info o;
	size_t sh1;

	kexec_build_elf_info(obj, len, &o);
	sh1 = o.ehdr.e_shoff + sizeof(Elf64_Shdr);
	{
		const struct corruption c[] = {
			{ "EI_CLASS 3", { { EI_CLASS, 1, 3 } }, "unknown ELF class 3" },
			{ "EI_DATA 0", { { EI_DATA, 1, 0 } }, "unknown ELF byte order 0" },
			{ "bad magic", { { 1, 1, 'e' } }, "not an ELF file" },
			{ "e_version 2", { { EH(e_version), 2 } }, "unknown ELF version" },
			{ "ELF32 e_shentsize in an ELF64 file", { { EH(e_shentsize), sizeof(Elf32_Shdr) } },
			  "e_shentsize 40, expected 64" },
			{ "section headers at the last 64 bytes", { { EH(e_shoff), len - sizeof(Elf64_Shdr) } },
			  "the section header table at offset 0x320 (512 bytes)" },
			{ "e_shnum 65535", { { EH(e_shnum), 0xffff } },
			  "(4194240 bytes) ends beyond the end of the file (864 bytes)" },
			{ "e_phoff + table wrapping around",
			  { { EH(e_phentsize), sizeof(Elf64_Phdr) }, { EH(e_phnum), 3 }, { EH(e_phoff), UINT64_MAX - 8 } },
			  "the program header table at offset 0xfffffffffffffff7" },
			{ "e_shstrndx = e_shnum", { { EH(e_shstrndx), o.ehdr.e_shnum } }, "is not a string table" },
			{ "a section's contents past the end",
			  { { sh1 + offsetof(Elf64_Shdr, sh_type), 4, SHT_PROGBITS },
			    { sh1 + offsetof(Elf64_Shdr, sh_offset), 8, len },
			    { sh1 + offsetof(Elf64_Shdr, sh_size), 8, 1 } },
			  "section 1 (0x1 bytes at offset 0x360)" },
			{ "an SHT_NULL section's contents past the end (found by fuzz-purgatory)",
			  { { sh1 + offsetof(Elf64_Shdr, sh_type), 4, SHT_NULL },
			    { sh1 + offsetof(Elf64_Shdr, sh_offset), 8, len },
			    { sh1 + offsetof(Elf64_Shdr, sh_size), 8, 1 } },
			  "section 1 (0x1 bytes at offset 0x360)" },
		};
		size_t i;

		for (i = 0; i < sizeof(c) / sizeof(c[0]); i++)
			check_corrupt(obj, len, &c[i]);
	}
	kexec_free_elf_info(&o);
}

/* Random byte flips in the headers: whatever is accepted is read without an over-read. */
static void check_flips(const uint8_t *obj, size_t len)
{
	unsigned int n, refused = 0, rounds = 3000;
	uint8_t *copy = malloc(len);

	srand(11);
	for (n = 0; n < rounds; n++) {
		struct kexec_elf_info info;
		unsigned int k;

		memcpy(copy, obj, len);
		for (k = 0; k < 4; k++) {
			/* the ELF header half the time, else anywhere */
			size_t at = (size_t)rand() % (rand() & 1 ? sizeof(Elf64_Ehdr) : len);

			copy[at] ^= (uint8_t)(1u << (rand() % 8));
		}
		if (read_all(copy, len, &info)) {
			refused++;
			if (!info.err[0])
				break;
		}
		kexec_free_elf_info(&info);
	}
	ok(n == rounds && refused > 0, "%u random corruptions: %u refused, each with a reason, "
	   "the rest read without fault", rounds, refused);
	free(copy);
}

int main(void)
{
	char path[512], obj_path[512], exe_path[512];
	uint8_t *s390x_obj = NULL;
	size_t s390x_len = 0;
	unsigned int i;
	FILE *f;

	plan((int)(NR_TARGETS * TESTS_PER_TARGET) + 2 + 13 + 2);
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(path, sizeof(path), "%s/t.S", tmpdir);
	f = fopen(path, "w");
	if (!f || fputs(source, f) == EOF || fclose(f)) {
		perror(path);
		return 1;
	}

	for (i = 0; i < NR_TARGETS; i++) {
		const struct target *t = &targets[i];
		uint8_t *obj, *exe;
		size_t olen = 0, elen = 0;

		if (!build(t, i, obj_path, exe_path, sizeof(obj_path))) {
			skip(TESTS_PER_TARGET + (t->e_machine == EM_X86_64 ? 2 : 0),
			     "%s: %sas/%sld cannot build the test object", t->name, t->prefix, t->prefix);
			continue;
		}
		obj = read_file(obj_path, &olen);
		exe = read_file(exe_path, &elen);
		check_object(t, obj, olen);
		check_executable(t, exe, elen);
		if (t->e_machine == EM_X86_64)
			check_elf_load(exe, elen);
		check_truncated(t, obj, olen);
		if (t->e_machine == EM_S390 && t->ei_class == ELFCLASS64) {
			s390x_obj = obj;
			s390x_len = olen;
		} else {
			free(obj);
		}
		free(exe);
	}

	/* the check of the check: a header changed behind the reader's back is seen */
	if (s390x_obj) {
		struct kexec_elf_info info;
		uint8_t *copy = malloc(s390x_len);

		memcpy(copy, s390x_obj, s390x_len);
		copy[EI_DATA] = ELFDATA2LSB;
		kexec_build_elf_info(copy, s390x_len, &info);
		ok(info.ehdr.e_machine == 0x1600 && info.ehdr.e_ident[EI_DATA] == ELFDATA2LSB,
		   "s390x object relabelled little-endian: e_machine reads 0x%x (22 byte-swapped)",
		   info.ehdr.e_machine);
		kexec_free_elf_info(&info);
		free(copy);

		check_corruptions(s390x_obj, s390x_len);
		check_flips(s390x_obj, s390x_len);
	} else {
		skip(13, "no s390x object (binutils-s390x-linux-gnu)");
	}

	/* no ELF at all, and an empty file */
	{
		struct kexec_elf_info info;

		ok(kexec_build_elf_info((const uint8_t *)"", 0, &info) == -ENOEXEC &&
		   !strcmp(info.err, "not an ELF file"), "an empty file: %s", info.err);
		ok(kexec_build_elf_info((const uint8_t *)"\177ELF\2\2\1", 7, &info) == -ENOEXEC &&
		   strstr(info.err, "truncated ELF header"), "7 bytes of an ELF header: %s", info.err);
	}

	free(s390x_obj);
	snprintf(path, sizeof(path), "rm -rf %s", tmpdir);
	run(path);
	return tap_failed ? 1 : 0;
}
