// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The relocation oracle: GNU ld. Every object under tests/reloc/<arch>/
 * (assembled here with that architecture's binutils), the build's own
 * purgatory.ro and an arch's purgatory/<arch>/purgatory.ro are loaded by ukexec at several addresses; the same object is
 * linked by ld with a generated linker script that puts each allocated
 * section where ukexec put it. Then:
 *  - both accept and every allocated byte is equal, or
 *  - both refuse (an overflow): ukexec with one message, ld with an error.
 * Objects named ovf-*.S must be refused at one address at least.
 * The layout itself is recomputed here independently (the kernel's rules)
 * and compared with ukexec's section headers.
 * Architectures whose binutils are missing are skipped.
 */
#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "config.h"
#include "arch.h"
#include "byteorder.h"
#include "log.h"
#include "plan.h"
#include "purgatory.h"
#include "reloc.h"
#include "../unit/tap.h"
#include "../unit/helpers.h"

struct oracle_arch {
	const char *arch;		/* ukexec's name */
	const char *dir;		/* tests/reloc/<dir> */
	const char *prefix;		/* binutils prefix ("" for native) */
	const char *asflags;
	const char *ldflags;		/* keep ld from editing code (ppc64 TOC optimisations) */
	uint64_t addr[6];
};

static const struct oracle_arch oracle_arches[] = {
	{ "x86_64", "x86_64", "x86_64-linux-gnu-", "--64", "",
	  { 0x1000, 0x9a000, 0x3ffe0000, 0x7fffe000, 0x100000000ULL, 0 } },
	{ "s390x", "s390x", "s390x-linux-gnu-", "-m64", "",
	  { 0x2000, 0x10000, 0x7ffe0000, 0x17fff0000ULL, 0x400000000ULL, 0 } },
	{ "arm64", "arm64", "aarch64-linux-gnu-", "", "",
	  { 0x40000000, 0x80001000, 0xffff0000, 0x1000000000ULL, 0x7ffff0000000ULL, 0 } },
	{ "ppc64", "ppc64", "powerpc64le-linux-gnu-", "-a64 -mlittle",
	  "--no-toc-optimize --no-toc-sort --no-multi-toc --no-plt-align",
	  { 0x10000, 0x7ff00000, 0x80010000, 0x100000000ULL, 0x7fff00000000ULL, 0 } },
};

static char tmpdir[] = "/tmp/ukexec-reloc-XXXXXX";

static int run(const char *cmd)
{
	int st = system(cmd);

	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static bool have_tool(const char *tool)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", tool);
	return run(cmd) == 0;
}

/* The kernel's layout, recomputed independently: addresses of allocated sections. */
static void layout(const struct purgatory_info *pi, uint64_t mem, uint64_t *addr)
{
	uint64_t off = 0, bss = 0, bss_align = 1, bufsz;
	unsigned int i;

#define AL(x, a) ((a) > 1 ? (((x) + (a) - 1) & ~((a) - 1)) : (x))
	for (i = 0; i < pi->elf.ehdr.e_shnum; i++) {
		const Elf64_Shdr *s = &pi->elf.sechdrs[i];

		if (!(s->sh_flags & SHF_ALLOC))
			continue;
		if (s->sh_type == SHT_NOBITS) {
			if (s->sh_addralign > bss_align)
				bss_align = s->sh_addralign;
		} else {
			off = AL(off, s->sh_addralign);
			addr[i] = mem + off;
			off += s->sh_size;
		}
	}
	bufsz = AL(off, bss_align);
	bss = mem + bufsz;
	for (i = 0; i < pi->elf.ehdr.e_shnum; i++) {
		const Elf64_Shdr *s = &pi->elf.sechdrs[i];

		if ((s->sh_flags & SHF_ALLOC) && s->sh_type == SHT_NOBITS) {
			bss = AL(bss, s->sh_addralign);
			addr[i] = bss;
			bss += s->sh_size;
		}
	}
#undef AL
}

static int write_script(const struct purgatory_info *pi, const uint64_t *addr, const char *path)
{
	FILE *f = fopen(path, "w");
	unsigned int i;

	if (!f)
		return -1;
	fprintf(f, "SECTIONS {\n");
	for (i = 0; i < pi->elf.ehdr.e_shnum; i++) {
		const Elf64_Shdr *s = &pi->elf.sechdrs[i];
		const char *name = elf_section_name(&pi->elf, i);

		if (!(s->sh_flags & SHF_ALLOC))
			continue;
		fprintf(f, "  %s 0x%" PRIx64 " %s: { KEEP(*(%s)) }\n", name, addr[i],
			s->sh_type == SHT_NOBITS ? "(NOLOAD) " : "", name);
	}
	fprintf(f, "  /DISCARD/ : { *(.note.GNU-stack) *(.comment) }\n}\n");
	fclose(f);
	return 0;
}

static int32_t sext16(uint32_t insn)
{
	return (int16_t)(insn & 0xffff);
}

/*
 * ppc64: GNU ld rewrites a global entry's "addis r2,r12,.TOC.-.@ha; addi
 * r2,r2,.TOC.-.@l" into "lis r2,.TOC.@ha; addi r2,r2,.TOC.@l" where the TOC
 * is 32-bit addressable; ukexec, as the kernel's relocator, keeps the addis
 * (r12 is the entry's address). The same r2 either way: true when the 8
 * bytes at p (ld's l, ukexec's u) are these two forms of one TOC pointer.
 */
static bool ppc64_same_toc_setup(const uint8_t *l, const uint8_t *u, uint64_t p)
{
	uint32_t l0 = get_le32(l), l1 = get_le32(l + 4), u0 = get_le32(u), u1 = get_le32(u + 4);

	if ((l0 & 0xffff0000) != 0x3c400000 || (u0 & 0xffff0000) != 0x3c4c0000 ||
	    (l1 & 0xffff0000) != 0x38420000 || (u1 & 0xffff0000) != 0x38420000)
		return false;
	return (uint64_t)((int64_t)sext16(l0) * 65536 + sext16(l1)) ==
	       p + (uint64_t)((int64_t)sext16(u0) * 65536 + sext16(u1));
}

/* Compare the linked ELF's sections with ukexec's buffer; returns differing bytes. */
static long compare_linked(const struct purgatory_info *pi, const char *linked, const uint64_t *addr,
			   unsigned int *toc_edits)
{
	struct kexec_elf_info li = { .buffer = NULL };
	size_t len = 0;
	uint8_t *elf = slurp(linked, &len);
	unsigned int i, j;
	long diffs = 0;

	if (!elf || kexec_build_elf_info(elf, len, &li) || elf_read_shdrs(&li)) {
		diag("cannot read %s%s%s", linked, elf ? ": " : "", elf ? li.err : "");
		kexec_free_elf_info(&li);
		free(elf);
		return -1;
	}
	for (i = 0; i < pi->elf.ehdr.e_shnum; i++) {
		const Elf64_Shdr *s = &pi->sechdrs[i];
		const char *name = elf_section_name(&pi->elf, i);
		bool found = false;

		if (!(s->sh_flags & SHF_ALLOC))
			continue;
		if (s->sh_addr != addr[i]) {
			diag("%s: ukexec put %s at 0x%" PRIx64 ", the kernel's rules say 0x%" PRIx64,
			     pi->name, name, s->sh_addr, addr[i]);
			diffs++;
		}
		if (s->sh_type == SHT_NOBITS || !s->sh_size)
			continue;
		for (j = 0; j < li.ehdr.e_shnum; j++) {
			const Elf64_Shdr *h = &li.sechdrs[j];
			uint64_t k;
			long d = 0;

			if (strcmp(elf_section_name(&li, j), name))
				continue;
			found = true;
			if (h->sh_addr != s->sh_addr || h->sh_size != s->sh_size) {
				diag("%s: %s: ld 0x%" PRIx64 "+0x%" PRIx64 ", ukexec 0x%" PRIx64 "+0x%" PRIx64,
				     pi->name, name, (uint64_t)h->sh_addr, (uint64_t)h->sh_size, s->sh_addr, s->sh_size);
				diffs += (long)s->sh_size;
				break;
			}
			for (k = 0; k < h->sh_size; k++) {
				const uint8_t *lb = elf + h->sh_offset + k, *ub = pi->purgatory_buf + s->sh_offset + k;

				if (pi->elf.ehdr.e_machine == EM_PPC64 && !(k & 3) && k + 8 <= h->sh_size &&
				    memcmp(lb, ub, 8) && ppc64_same_toc_setup(lb, ub, s->sh_addr + k)) {
					(*toc_edits)++;
					k += 7;
					continue;
				}
				if (elf[h->sh_offset + k] != pi->purgatory_buf[s->sh_offset + k]) {
					if (d++ < 4)
						diag("%s: %s+0x%" PRIx64 ": ld 0x%02x, ukexec 0x%02x", pi->name,
						     name, k, elf[h->sh_offset + k], pi->purgatory_buf[s->sh_offset + k]);
				}
			}
			diffs += d;
			break;
		}
		if (!found) {
			diag("%s: ld output has no section %s", pi->name, name);
			diffs += (long)s->sh_size;
		}
	}
	kexec_free_elf_info(&li);
	free(elf);
	return diffs;
}

struct counts {
	unsigned long n[PURGATORY_MAX_HOWTO];
};

/* One object at one address; returns 1 when both refused, 0 when both accepted, -1 on disagreement. */
static int check_one(const struct oracle_arch *oa, const struct arch *arch, const char *ld,
		     const char *obj, const char *label, uint64_t mem, struct counts *counts,
		     unsigned long *reloc_total)
{
	char script[512], linked[512], cmd[2048], err[512];
	struct purgatory_info pi;
	struct kexec_buf kbuf;
	struct plan plan;
	uint64_t *addr;
	size_t len;
	uint8_t *data = slurp(obj, &len);
	int ret_u, ret_l, result = -1;
	unsigned int i;

	if (!data) {
		ok(0, "%s: read %s", oa->arch, obj);
		return -1;
	}
	reset_errors();
	if (purgatory_open(&pi, arch, data, len, label)) {
		ok(0, "%s: %s opens (%s)", oa->arch, label, last_error);
		free(data);
		return -1;
	}
	addr = calloc(pi.elf.ehdr.e_shnum, sizeof(*addr));
	layout(&pi, mem, addr);
	snprintf(script, sizeof(script), "%s/layout.ld", tmpdir);
	snprintf(linked, sizeof(linked), "%s/linked.elf", tmpdir);
	snprintf(err, sizeof(err), "%s/ld.err", tmpdir);
	write_script(&pi, addr, script);
	snprintf(cmd, sizeof(cmd), "%s --no-relax %s -e 0 -T %s -o %s %s >%s 2>&1", ld, oa->ldflags,
		 script, linked, obj, err);
	ret_l = run(cmd);

	plan_init(&plan, arch, NULL, NULL, false);
	memset(&kbuf, 0, sizeof(kbuf));
	kbuf.mem = mem;
	kbuf.buf_max = UINT64_MAX;
	ret_u = kexec_load_purgatory(&plan, &pi, &kbuf);

	if (ret_u && ret_l) {
		size_t elen = 0;
		uint8_t *etext = slurp(err, &elen);
		char first[200] = "";

		if (etext) {
			char *line = strtok((char *)etext, "\n");

			while (line && strstr(line, "warning"))
				line = strtok(NULL, "\n");
			snprintf(first, sizeof(first), "%s", line ? line : "");
			free(etext);
		}
		result = ok(nr_errors == 1, "%s: %s at 0x%" PRIx64 ": both refuse; ukexec: %s | ld: %s",
			    oa->arch, label, mem, last_error, first) ? 1 : -1;
	} else if (ret_u || ret_l) {
		ok(0, "%s: %s at 0x%" PRIx64 ": ukexec %s, ld %s", oa->arch, label, mem,
		   ret_u ? "refuses" : "accepts", ret_l ? "refuses" : "accepts");
		if (ret_u)
			diag("ukexec: %s", last_error);
		else {
			snprintf(cmd, sizeof(cmd), "sed 's/^/# ld: /' %s | head -5", err);
			fflush(stdout);
			run(cmd);
		}
	} else {
		unsigned int toc_edits = 0;
		long diffs = compare_linked(&pi, linked, addr, &toc_edits);

		if (ok(diffs == 0, "%s: %s at 0x%" PRIx64 ": %u relocations, %ld differing bytes%s",
		       oa->arch, label, mem, pi.nr_relocs, diffs,
		       toc_edits ? " (and ld's lis r2 for addis r2,r12: the same r2)" : "")) {
			result = 0;
			for (i = 0; i < PURGATORY_MAX_HOWTO; i++)
				counts->n[i] += pi.reloc_count[i];
			*reloc_total += pi.nr_relocs;
		}
	}
	purgatory_release(&pi);
	plan_release(&plan);
	free(addr);
	free(data);
	return result;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void check_arch(const struct oracle_arch *oa, const char *srcdir, const char *builddir)
{
	const struct arch *arch = arch_find(oa->arch);
	const struct reloc_arch *ra = arch->reloc;
	char as[128], ld[128], dir[512], obj[1024], cmd[4096];
	struct counts counts = { { 0 } };
	unsigned long total = 0;
	char *names[256];
	unsigned int nr = 0, i, j;
	struct dirent *de;
	DIR *d;
	int native = !strcmp(oa->arch, "x86_64") && !strcmp(UKEXEC_NATIVE_ARCH, "x86_64");

	snprintf(as, sizeof(as), "%sas", native ? "" : oa->prefix);
	snprintf(ld, sizeof(ld), "%sld", native ? "" : oa->prefix);
	if (native && getenv("LD") && *getenv("LD"))
		snprintf(ld, sizeof(ld), "%s", getenv("LD"));
	if (!have_tool(as) || !have_tool(ld)) {
		skip(1, "%s: %s or %s not installed (binutils-%slinux-gnu)", oa->arch, as, ld,
		     oa->prefix[0] ? "" : "");
		return;
	}
	snprintf(dir, sizeof(dir), "%s/tests/reloc/%s", srcdir, oa->dir);
	d = opendir(dir);
	if (!d) {
		ok(0, "%s: open %s", oa->arch, dir);
		return;
	}
	while ((de = readdir(d)) && nr < 256) {
		size_t n = strlen(de->d_name);

		if (n > 2 && !strcmp(de->d_name + n - 2, ".S"))
			names[nr++] = strdup(de->d_name);
	}
	closedir(d);
	qsort(names, nr, sizeof(names[0]), cmp_str);

	for (i = 0; i < nr; i++) {
		bool ovf = !strncmp(names[i], "ovf-", 4);
		unsigned int refused = 0, disagree = 0;

		snprintf(obj, sizeof(obj), "%s/%s-%s.o", tmpdir, oa->dir, names[i]);
		snprintf(cmd, sizeof(cmd), "%s %s -o %s %s/%s", as, oa->asflags, obj, dir, names[i]);
		if (!ok(run(cmd) == 0, "%s: assemble %s", oa->arch, names[i]))
			continue;
		for (j = 0; j < 6 && oa->addr[j]; j++) {
			int r = check_one(oa, arch, ld, obj, names[i], oa->addr[j], &counts, &total);

			if (r > 0)
				refused++;
			if (r < 0)
				disagree++;
		}
		if (ovf)
			ok(refused > 0, "%s: %s is refused (by both) at %u address(es)", oa->arch,
			   names[i], refused);
		free(names[i]);
	}
	if (!strcmp(oa->arch, UKEXEC_NATIVE_ARCH)) {
		snprintf(obj, sizeof(obj), "%s/purgatory/purgatory.ro", builddir);
		if (access(obj, R_OK) == 0) {
			for (j = 0; j < 6 && oa->addr[j]; j++)
				check_one(oa, arch, ld, obj, "purgatory.ro", oa->addr[j], &counts, &total);
		} else {
			skip(1, "no purgatory.ro built");
		}
	}
	/* the purgatory an arch has built on any host (ppc64: purgatory/ppc64/) */
	snprintf(obj, sizeof(obj), "%s/purgatory/%s/purgatory.ro", builddir, oa->dir);
	if (access(obj, R_OK) == 0)
		for (j = 0; j < 6 && oa->addr[j]; j++)
			check_one(oa, arch, ld, obj, "its purgatory.ro", oa->addr[j], &counts, &total);
	for (i = 0; i < ra->nr_howto && i < PURGATORY_MAX_HOWTO; i++)
		if (ra->howto[i].calc != RC_NONE)
			diag("%s %s: %lu", oa->arch, ra->howto[i].name, counts.n[i]);
	diag("%s: %lu relocations compared with ld", oa->arch, total);
}

int main(void)
{
	const char *srcdir = getenv("top_srcdir") ? getenv("top_srcdir") : ".";
	const char *builddir = getenv("top_builddir") ? getenv("top_builddir") : ".";
	const char *only = getenv("RELOC_ARCH");
	char cmd[600];
	unsigned int i;

	if (!mkdtemp(tmpdir)) {
		printf("1..0 # SKIP cannot create a temporary directory\n");
		return 0;
	}
	kx_set_log_sink(capture, NULL);
	for (i = 0; i < sizeof(oracle_arches) / sizeof(oracle_arches[0]); i++)
		if (!only || !strcmp(only, oracle_arches[i].arch))
			check_arch(&oracle_arches[i], srcdir, builddir);
	if (!getenv("RELOC_KEEP")) {
		snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
		run(cmd);
	} else {
		diag("kept %s", tmpdir);
	}
	return done_testing();
}
