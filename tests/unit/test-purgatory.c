// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The purgatory loader: layout (alignment, NOBITS after the file-backed
 * part, entry translation), symbols (get/set, size, undefined, local, bss),
 * corrupt objects (one message, no crash), and finding the purgatory in a
 * bzImage (synthetic gzip payload; Debian kernels when present).
 */
#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "config.h"
#include "arch.h"
#include "byteorder.h"
#include "decompress.h"
#include "kexec-elf.h"
#include "log.h"
#include "plan.h"
#include "purgatory.h"
#include "tap.h"
#include "helpers.h"
#ifdef HAVE_ZLIB
#include <zlib.h>
#endif

/*
 * Whether file-backed section idx was copied into purgatory_buf unchanged,
 * apart from the bytes its SHT_RELA sections patch (r_offset, 8 bytes at
 * most per site). Adds the bytes compared to *compared.
 */
static bool section_copied(const struct purgatory_info *pi, const uint8_t *obj,
			   unsigned int idx, size_t *compared)
{
	const Elf64_Shdr *ro = &pi->elf.sechdrs[idx];
	const uint8_t *want = obj + ro->sh_offset;
	const uint8_t *got = pi->purgatory_buf + pi->sechdrs[idx].sh_offset;
	uint8_t *patched = calloc(ro->sh_size + 8, 1);
	bool same = patched != NULL;
	unsigned int i;
	uint64_t k;

	for (i = 0; same && i < pi->elf.ehdr.e_shnum; i++) {
		const Elf64_Shdr *rel = &pi->elf.sechdrs[i];
		Elf64_Rela rela;

		if (rel->sh_type != SHT_RELA || rel->sh_info != idx)
			continue;
		for (k = 0; k < elf_nr_entries(&pi->elf, i); k++)
			if (!elf_read_rela(&pi->elf, i, k, &rela) && rela.r_offset < ro->sh_size)
				memset(patched + rela.r_offset, 1, 8);
	}
	for (k = 0; same && k < ro->sh_size; k++) {
		if (patched[k])
			continue;
		same = got[k] == want[k];
		(*compared)++;
	}
	free(patched);
	return same;
}

/* Open and load at mem; 0 or -errno. */
static int load(struct plan *plan, struct purgatory_info *pi, const uint8_t *obj, size_t len,
		uint64_t mem)
{
	struct kexec_buf kbuf;
	int ret;

	plan_init(plan, &arch_x86_64, NULL, NULL, false);
	ret = purgatory_open(pi, &arch_x86_64, obj, len, "test.ro");
	if (ret)
		return ret;
	memset(&kbuf, 0, sizeof(kbuf));
	kbuf.mem = mem;
	kbuf.buf_max = UINT64_MAX;
	return kexec_load_purgatory(plan, pi, &kbuf);
}

static void test_layout(const uint8_t *obj, size_t len)
{
	struct purgatory_info pi;
	struct plan plan;
	uint64_t mem = 0x9a000, start, bss_end = 0;
	unsigned int i, nr_alloc = 0, nr_nobits = 0;
	unsigned int misaligned = 0, nobits_low = 0, overlap = 0, changed = 0;
	size_t compared = 0;
	int ret = load(&plan, &pi, obj, len, mem);

	if (!ok(ret == 0, "the purgatory loads at 0x9a000 (%s)", last_error)) {
		purgatory_release(&pi);
		plan_release(&plan);
		return;
	}
	for (i = 0; i < pi.elf.ehdr.e_shnum; i++) {
		const Elf64_Shdr *s = &pi.sechdrs[i];

		if (!(s->sh_flags & SHF_ALLOC))
			continue;
		nr_alloc++;
		if (s->sh_addralign > 1 && s->sh_addr % s->sh_addralign)
			misaligned++;
		if (s->sh_type == SHT_NOBITS) {
			nr_nobits++;
			if (s->sh_addr < mem + pi.bufsz)
				nobits_low++;
			if (s->sh_addr + s->sh_size > bss_end)
				bss_end = s->sh_addr + s->sh_size;
		} else if (s->sh_offset + s->sh_size > pi.bufsz) {
			overlap++;
		} else if (!section_copied(&pi, obj, i, &compared)) {
			changed++;
		}
	}
	ok(nr_alloc > 0 && misaligned == 0, "every allocated section (%u) is at its alignment", nr_alloc);
	ok(nr_nobits > 0 && nobits_low == 0, "NOBITS sections (%u) follow the file-backed part (bufsz 0x%zx)",
	   nr_nobits, pi.bufsz);
	ok(bss_end <= mem + pi.memsz, "NOBITS sections end within memsz (0x%llx)",
	   (unsigned long long)pi.memsz);
	ok(overlap == 0, "file-backed sections lie within bufsz");
	ok(changed == 0 && compared > 0,
	   "file-backed sections copied unchanged outside relocation sites (%zu bytes compared)",
	   compared);
	is_int(plan.nr_segments, 1, "one segment added");
	ok(plan.segment[0].mem == mem && plan.segment[0].bufsz == pi.bufsz &&
	   plan.segment[0].memsz % 4096 == 0, "the segment: preset mem kept, memsz page-aligned");
	ok(!kexec_purgatory_get_symbol_addr(&pi, "purgatory_start", &start) && start == plan.entry,
	   "the entry is purgatory_start's load address (0x%llx)", (unsigned long long)plan.entry);
	ok(plan.pi == &pi, "the plan points at the purgatory");
	purgatory_release(&pi);
	plan_release(&plan);
}

/* An object with known symbols, assembled by the native as. */
static const char sym_src[] =
	"\t.text\n\t.globl purgatory_start\npurgatory_start:\n\tret\n"
	"\t.section .text.hot,\"ax\",@progbits\n\t.globl hot\nhot:\n\tnop\n\tnop\n\tret\n"
	"\t.data\n\t.p2align 3\n\t.globl g8\n\t.type g8,@object\n\t.size g8,8\ng8:\n\t.quad 0x1122334455667788\n"
	"\t.type l8,@object\n\t.size l8,8\nl8:\n\t.quad 1\n"
	"\t.globl w8\n\t.weak w8\n\t.size w8,8\nw8:\n\t.quad 2\n"
	"\t.bss\n\t.p2align 12\n\t.globl b8\n\t.type b8,@object\n\t.size b8,8\nb8:\n\t.zero 8\n";

static uint8_t *assemble(const char *src, const char *extra, size_t *len)
{
	char dir[] = "/tmp/ukexec-pt-XXXXXX", cmd[512], path[256];
	uint8_t *obj = NULL;
	FILE *f;

	if (!mkdtemp(dir))
		return NULL;
	snprintf(path, sizeof(path), "%s/t.S", dir);
	f = fopen(path, "w");
	if (f) {
		fputs(src, f);
		fclose(f);
		snprintf(cmd, sizeof(cmd), "as --64 -o %s/t.o %s 2>/dev/null && ld -r %s -o %s/t.ro %s/t.o 2>/dev/null",
			 dir, path, extra, dir, dir);
		if (system(cmd) == 0) {
			snprintf(path, sizeof(path), "%s/t.ro", dir);
			obj = slurp(path, len);
		}
	}
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd))
		diag("cannot remove %s", dir);
	return obj;
}

static void test_symbols(void)
{
	struct purgatory_info pi;
	struct plan plan;
	uint64_t v = 0, addr;
	uint8_t small[4];
	int ret;
	size_t len;
	uint8_t *obj = assemble(sym_src, "-e purgatory_start", &len);

	if (!obj) {
		skip(11, "no native as/ld to build the symbol test object");
		return;
	}
	reset_errors();
	if (!ok(load(&plan, &pi, obj, len, 0x100000) == 0, "the symbol test object loads (%s)", last_error)) {
		skip(10, "not loaded");
		goto out;
	}
	ok(!kexec_purgatory_get_set_symbol(&pi, "g8", &v, 8, true) && v == 0x1122334455667788ULL,
	   "get g8");
	v = 0xdeadbeef;
	ok(!kexec_purgatory_get_set_symbol(&pi, "g8", &v, 8, false), "set g8");
	v = 0;
	ok(!kexec_purgatory_get_set_symbol(&pi, "g8", &v, 8, true) && v == 0xdeadbeef, "get g8 again");
	reset_errors();
	ok(kexec_purgatory_get_set_symbol(&pi, "g8", small, 4, true) == -EINVAL && nr_errors == 1 &&
	   strstr(last_error, "size mismatch"), "size mismatch refused: %s", last_error);
	reset_errors();
	ok(kexec_purgatory_get_set_symbol(&pi, "nosuch", &v, 8, true) == -EINVAL && nr_errors == 1,
	   "undefined symbol refused: %s", last_error);
	reset_errors();
	ok(kexec_purgatory_get_set_symbol(&pi, "l8", &v, 8, true) == -EINVAL && nr_errors == 1,
	   "local symbol not found (the kernel only looks at STB_GLOBAL): %s", last_error);
	reset_errors();
	ok(kexec_purgatory_get_set_symbol(&pi, "w8", &v, 8, true) == -EINVAL && nr_errors == 1,
	   "weak symbol not found either: %s", last_error);
	reset_errors();
	ok(kexec_purgatory_get_set_symbol(&pi, "b8", &v, 8, false) == -EINVAL && nr_errors == 1 &&
	   strstr(last_error, "bss"), "symbol in bss refused: %s", last_error);
	addr = 0;
	ret = kexec_purgatory_get_symbol_addr(&pi, "b8", &addr);
	ok(!ret && addr % 4096 == 0 &&
	   addr >= 0x100000 + pi.bufsz, "bss symbol address 0x%llx is page-aligned after the file part",
	   (unsigned long long)addr);
	ok(!kexec_purgatory_get_symbol_addr(&pi, "purgatory_start", &addr) && addr == plan.entry,
	   "entry = purgatory_start with a second executable section (.text.hot)");
out:
	purgatory_release(&pi);
	plan_release(&plan);
	free(obj);
}

/* Entry translation under the three kernel rules, with e_entry in two sections. */
static void test_entry_rules(void)
{
	static const char src[] =
		"\t.text\n\tnop\n\tnop\n\t.globl purgatory_start\npurgatory_start:\n\tret\n"
		"\t.section .text.hot,\"ax\",@progbits\n\tnop\n\tnop\n\tnop\n\tnop\n\tret\n";
	struct purgatory_info pi;
	struct plan plan;
	struct kexec_buf kbuf;
	uint64_t want[3];
	size_t len;
	uint8_t *obj = assemble(src, "-e purgatory_start", &len);
	unsigned int r;

	if (!obj) {
		skip(3, "no native as/ld");
		return;
	}
	for (r = 0; r < 3; r++) {
		plan_init(&plan, &arch_x86_64, NULL, NULL, false);
		purgatory_open(&pi, &arch_x86_64, obj, len, "entry.ro");
		pi.entry_rule = r;
		memset(&kbuf, 0, sizeof(kbuf));
		kbuf.mem = 0x200000;
		kbuf.buf_max = UINT64_MAX;
		kexec_load_purgatory(&plan, &pi, &kbuf);
		want[r] = plan.entry;
		purgatory_release(&pi);
		plan_release(&plan);
	}
	/* .text at 0x200000 (3 bytes), .text.hot at 0x200003: e_entry = 2 */
	is_int(want[PURGATORY_ENTRY_SYMBOL], 0x200002, "entry by the purgatory_start symbol");
	is_int(want[PURGATORY_ENTRY_FIRST], 0x200002, "entry by e_entry, first section (v6.4+)");
	is_int(want[PURGATORY_ENTRY_EACH], 0x200002 + 0x200003, "entry moved twice by the pre-6.4 rule");
	free(obj);
}

/* Offsets of fields to corrupt. */

static int load_quiet(const uint8_t *obj, size_t len)
{
	struct purgatory_info pi;
	struct plan plan;
	int ret;

	reset_errors();
	ret = load(&plan, &pi, obj, len, 0x100000);
	purgatory_release(&pi);
	plan_release(&plan);
	return ret;
}

static void test_corrupt(const uint8_t *obj, size_t len)
{
	uint8_t *bad = malloc(len);
	struct kexec_elf_info info;
	uint64_t shoff;
	unsigned int shnum, i, symtab = 0, rela = 0;
	size_t cut, bad_cuts = 0;

	if (kexec_build_elf_info(obj, len, &info) || elf_read_shdrs(&info)) {
		printf("Bail out! the test object does not read: %s\n", info.err);
		exit(1);
	}
	shoff = info.ehdr.e_shoff;
	shnum = info.ehdr.e_shnum;
	for (i = 0; i < shnum; i++) {
		if (info.sechdrs[i].sh_type == SHT_SYMTAB)
			symtab = i;
		if (info.sechdrs[i].sh_type == SHT_RELA && !rela)
			rela = i;
	}
#define CORRUPT(what, stmt) do { \
		memcpy(bad, obj, len); stmt; \
		ok(load_quiet(bad, len) < 0 && nr_errors == 1, "%s: %s", what, last_error); \
	} while (0)
	CORRUPT("bad e_shoff", put_le64(bad + 0x28, len - 10));
	CORRUPT("e_shoff overflow", put_le64(bad + 0x28, UINT64_MAX - 63));
	CORRUPT("e_shnum past the end", put_le16(bad + 0x3c, 0xffff));
	CORRUPT("e_shstrndx out of range", put_le16(bad + 0x3e, shnum));
	CORRUPT("ET_EXEC", put_le16(bad + 0x10, ET_EXEC));
	CORRUPT("wrong machine", put_le16(bad + 0x12, EM_AARCH64));
	CORRUPT("big-endian", bad[EI_DATA] = ELFDATA2MSB);
	CORRUPT("section outside the file", put_le64(bad + shoff + 1 * 64 + 0x18, len));
	CORRUPT("section size overflow", put_le64(bad + shoff + 1 * 64 + 0x20, UINT64_MAX));
	CORRUPT("string table out of range", put_le32(bad + shoff + symtab * 64 + 0x28, shnum + 5));
	CORRUPT("symtab sh_link loop", put_le32(bad + shoff + symtab * 64 + 0x28, symtab));
	CORRUPT("rela sh_link loop", put_le32(bad + shoff + rela * 64 + 0x28, rela));
	CORRUPT("rela sh_info out of range", put_le32(bad + shoff + rela * 64 + 0x2c, 999));
	CORRUPT("relocation offset outside its section", put_le64(bad + info.sechdrs[rela].sh_offset, 0x7fffffff));
	CORRUPT("alignment not a power of two", put_le64(bad + shoff + 1 * 64 + 0x30, 3));
	for (cut = 0; cut < len; cut++) {
		int ret = load_quiet(obj, cut);

		if (ret == 0 || nr_errors != 1) {
			if (bad_cuts++ < 3)
				diag("truncated at %zu: ret %d, %u messages", cut, ret, nr_errors);
		}
	}
	ok(bad_cuts == 0, "truncated at each of %zu lengths: one message each, no crash", len);
	kexec_free_elf_info(&info);
	free(bad);
}

#ifdef HAVE_ZLIB
static void test_from_kernel_gzip(const uint8_t *obj, size_t len)
{
	size_t plain_len = len + 8192, glen, imglen;
	uint8_t *plain = calloc(1, plain_len), *img, *out = NULL;
	size_t outlen = 0;
	z_stream zs;

	/* a fake vmlinux: an ELF executable header, noise, the object, noise */
	memcpy(plain, ELFMAG, SELFMAG);
	plain[EI_CLASS] = ELFCLASS64;
	plain[16] = ET_EXEC;
	memcpy(plain + 4096 + 7, obj, len);
	memset(&zs, 0, sizeof(zs));
	deflateInit2(&zs, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
	glen = deflateBound(&zs, plain_len);
	imglen = 0x200 * 2 + 0x100 + glen + 4;
	img = calloc(1, imglen);
	zs.next_in = plain;
	zs.avail_in = plain_len;
	zs.next_out = img + 0x500;
	zs.avail_out = glen;
	deflate(&zs, Z_FINISH);
	glen = zs.total_out;
	deflateEnd(&zs);
	img[0x1f1] = 1;			/* setup sectors: payload area at 0x400 */
	memcpy(img + 0x202, "HdrS", 4);
	put_le16(img + 0x206, 0x020f);
	put_le32(img + 0x248, 0x100);	/* payload at 0x400 + 0x100 */
	put_le32(img + 0x24c, glen + 4);
	reset_errors();
	ok(arch_x86_64.purgatory_from(img, 0x500 + glen + 4, "synthetic-bzImage", &out, &outlen) == 0 &&
	   outlen == len && !memcmp(out, obj, len), "synthetic bzImage (gzip): the object is found intact (%s)",
	   last_error);
	free(out);
	reset_errors();
	ok(arch_x86_64.purgatory_from(img, 0x500 + glen / 2, "truncated-bzImage", &out, &outlen) < 0 &&
	   nr_errors == 1, "a truncated payload: %s", last_error);
	put_le32(img + 0x248, 0x7fffffff);
	reset_errors();
	ok(arch_x86_64.purgatory_from(img, imglen, "bad-bzImage", &out, &outlen) < 0 && nr_errors == 1,
	   "payload outside the file: %s", last_error);
	free(img);
	free(plain);
}
#endif

/* Debian kernels from tests/e2e-x86_64/cache or UKEXEC_TEST_KERNELS, when present. */
static void test_from_real_kernels(void)
{
	const char *dirs[] = { getenv("UKEXEC_TEST_KERNELS"), "tests/e2e-x86_64/cache", NULL };
	char path[1024];
	unsigned int found = 0, d;

	for (d = 0; d < 2; d++) {
		char cmd[1100];
		FILE *p;

		if (!dirs[d])
			continue;
		if (d == 1 && getenv("top_srcdir")) {
			snprintf(path, sizeof(path), "%s/tests/e2e-x86_64/cache", getenv("top_srcdir"));
			dirs[d] = path;
		}
		snprintf(cmd, sizeof(cmd), "find '%s' -name 'vmlinuz-*' 2>/dev/null | sort", dirs[d]);
		p = popen(cmd, "r");
		if (!p)
			continue;
		while (fgets(cmd, sizeof(cmd), p)) {
			struct purgatory_info pi;
			struct plan plan;
			uint8_t *img, *obj = NULL;
			size_t len, objlen = 0;
			uint64_t start;
			int ret;

			cmd[strcspn(cmd, "\n")] = 0;
			img = slurp(cmd, &len);
			if (!img)
				continue;
			found++;
			reset_errors();
			ret = arch_x86_64.purgatory_from(img, len, cmd, &obj, &objlen);
			if (ok(ret == 0, "%s: purgatory extracted (%zu bytes) %s", cmd, objlen, last_error)) {
				ret = load(&plan, &pi, obj, objlen, 0x9a000);
				ok(ret == 0 && !kexec_purgatory_get_symbol_addr(&pi, "purgatory_start", &start) &&
				   start == plan.entry, "%s: its purgatory loads, %u relocations, entry 0x%llx %s",
				   cmd, pi.nr_relocs, (unsigned long long)plan.entry, last_error);
				purgatory_release(&pi);
				plan_release(&plan);
			}
			free(obj);
			free(img);
		}
		pclose(p);
	}
	if (!found)
		skip(1, "no Debian vmlinuz in tests/e2e-x86_64/cache or $UKEXEC_TEST_KERNELS");
}

int main(void)
{
	const uint8_t *emb;
	size_t len;

	kx_set_log_sink(capture, NULL);
	test_symbols();
	test_entry_rules();
	if (arch_embedded_purgatory(&arch_x86_64, &emb, &len)) {
		skip(1, "no embedded x86_64 purgatory in this build");
	} else {
		test_layout(emb, len);
		test_corrupt(emb, len);
#ifdef HAVE_ZLIB
		test_from_kernel_gzip(emb, len);
#else
		skip(3, "built without zlib");
#endif
	}
	test_from_real_kernels();
	return done_testing();
}
