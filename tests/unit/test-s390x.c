// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The s390 kexec_file loaders on synthetic inputs, on any host: the probe
 * (ELF vs image, bad magic, truncation) and the plan, checked against the
 * rules of arch/s390/kernel/{machine_kexec_file,kexec_image,kexec_elf}.c and
 * ipl.c (Linux 6.1). Every expected value below is derived from those rules,
 * written out next to it, not taken from ukexec's output.
 */
#include <elf.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "config.h"
#include "arch.h"
#include "byteorder.h"
#include "digest.h"
#include "kexec_file.h"
#include "log.h"
#include "plan.h"
#include "profile.h"
#include "purgatory.h"
#include "request.h"
#include "sha256.h"
#include "sysview.h"
#include "tap.h"
#include "helpers.h"
#ifdef HAVE_ZLIB
#include <zlib.h>
#endif

#define PAGE 0x1000ULL
#define ALIGNP(x) (((x) + PAGE - 1) & ~(PAGE - 1))

/* The start of a 64-bit big-endian s390 ELF header: e_ident, e_type, e_machine, e_version. */
static void put_ehdr_ident(uint8_t *e, uint16_t type)
{
	memcpy(e, ELFMAG, SELFMAG);
	e[EI_CLASS] = ELFCLASS64;
	e[EI_DATA] = ELFDATA2MSB;
	e[EI_VERSION] = EV_CURRENT;
	put_be16(e + 16, type);
	put_be16(e + 18, EM_S390);
	put_be32(e + 20, EV_CURRENT);
}

/*
 * A minimal s390 purgatory object (ET_REL, big-endian): .text with
 * purgatory_start, .data with the symbols the s390 loader and the digest
 * fill in, a .bss. No relocations: relocation is the relocator's test.
 */
enum { SYM_START = 1, SYM_DIGEST, SYM_REGIONS, SYM_KENTRY, SYM_KTYPE, SYM_CSTART, SYM_CSIZE, NSYMS };
static const char *const sym_names[NSYMS] = {
	"", "purgatory_start", "purgatory_sha256_digest", "purgatory_sha_regions",
	"kernel_entry", "kernel_type", "crash_start", "crash_size",
};
#define TEXT_SIZE 0x20
#define DATA_SIZE (32 + 256 + 4 * 8)
#define BSS_SIZE 0x2100

static uint8_t *build_purgatory(size_t *len)
{
	static const char shstr[] = "\0.text\0.data\0.bss\0.symtab\0.strtab\0.shstrtab";
	/* offsets of the names in shstr */
	enum { N_TEXT = 1, N_DATA = 7, N_BSS = 13, N_SYMTAB = 18, N_STRTAB = 26, N_SHSTRTAB = 34 };
	char strtab[256];
	uint32_t name_off[NSYMS];
	size_t strsz = 1, off, text_off, data_off, sym_off, str_off, shstr_off, sh_off;
	uint8_t *e;
	int i;

	strtab[0] = 0;
	for (i = 1; i < NSYMS; i++) {
		name_off[i] = (uint32_t)strsz;
		strcpy(strtab + strsz, sym_names[i]);
		strsz += strlen(sym_names[i]) + 1;
	}
	text_off = 64;
	data_off = text_off + TEXT_SIZE;
	sym_off = data_off + DATA_SIZE;
	str_off = sym_off + NSYMS * 24;
	shstr_off = str_off + strsz;
	off = shstr_off + sizeof(shstr);
	sh_off = (off + 7) & ~(size_t)7;
	*len = sh_off + 7 * 64;
	e = calloc(1, *len);

	put_ehdr_ident(e, ET_REL);
	put_be64(e + 40, sh_off);
	put_be16(e + 52, 64);
	put_be16(e + 58, 64);
	put_be16(e + 60, 7);
	put_be16(e + 62, 6);

	memset(e + text_off, 0x07, TEXT_SIZE);	/* nopr */
	for (i = 1; i < NSYMS; i++) {
		uint8_t *s = e + sym_off + 24 * i;
		static const uint64_t value[NSYMS] = { 0, 0, 0, 32, 288, 296, 304, 312 };
		static const uint64_t size[NSYMS] = { 0, TEXT_SIZE, 32, 256, 8, 8, 8, 8 };

		put_be32(s, name_off[i]);
		s[4] = i == SYM_START ? ELF64_ST_INFO(STB_GLOBAL, STT_FUNC) :
					ELF64_ST_INFO(STB_GLOBAL, STT_OBJECT);
		put_be16(s + 6, i == SYM_START ? 1 : 2);
		put_be64(s + 8, value[i]);
		put_be64(s + 16, size[i]);
	}
	memcpy(e + str_off, strtab, strsz);
	memcpy(e + shstr_off, shstr, sizeof(shstr));

#define SHDR(idx, name, type, flags, offset, size, link, info, align, entsize) do { \
		uint8_t *h = e + sh_off + 64 * (idx); \
		put_be32(h, name); put_be32(h + 4, type); put_be64(h + 8, flags); put_be64(h + 24, offset); \
		put_be64(h + 32, size); put_be32(h + 40, link); put_be32(h + 44, info); put_be64(h + 48, align); \
		put_be64(h + 56, entsize); \
	} while (0)
	SHDR(1, N_TEXT, SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, text_off, TEXT_SIZE, 0, 0, 8, 0);
	SHDR(2, N_DATA, SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, data_off, DATA_SIZE, 0, 0, 8, 0);
	SHDR(3, N_BSS, SHT_NOBITS, SHF_ALLOC | SHF_WRITE, off, BSS_SIZE, 0, 0, 0x1000, 0);
	SHDR(4, N_SYMTAB, SHT_SYMTAB, 0, sym_off, NSYMS * 24, 5, 1, 8, 24);
	SHDR(5, N_STRTAB, SHT_STRTAB, 0, str_off, strsz, 0, 0, 1, 0);
	SHDR(6, N_SHSTRTAB, SHT_STRTAB, 0, shstr_off, sizeof(shstr), 0, 0, 1, 0);
#undef SHDR
	return e;
}

/* ---- a synthetic s390 image: PARMAREA with max_command_line_size ---- */
#define KLEN 0x23456		/* not page aligned on purpose */
#define KMAXCMD 0x1000
#define IRDLEN 0x1801

static uint8_t *build_image(size_t len, uint64_t max_cmd)
{
	uint8_t *k = malloc(len);
	size_t i;

	for (i = 0; i < len; i++)
		k[i] = (uint8_t)(i * 7 + 3);
	if (len >= 0x10438) {
		memset(k + 0x10400, 0, 0x80);
		put_be64(k + 0x10430, max_cmd);	/* parmarea.max_command_line_size */
		memcpy(k + 0x10480, "default cmdline from the image", 31);
	}
	if (len >= 0x10010)
		memcpy(k + 0x10008, "S390EP", 6);
	return k;
}

/* A 64-bit s390 ELF vmlinux: one PT_LOAD at paddr 0 whose contents are img. */
static uint8_t *build_elf(const uint8_t *img, size_t imglen, size_t *len)
{
	const size_t off = 0x1000;
	uint8_t *e, *ph;

	/* s390_elf_load wants the file to hold every p_filesz rounded up to p_align */
	*len = off + ALIGNP(imglen);
	e = calloc(1, *len);
	put_ehdr_ident(e, ET_EXEC);
	put_be64(e + 24, 0x10000);		/* e_entry */
	put_be64(e + 32, 64);		/* e_phoff */
	put_be16(e + 52, 64);
	put_be16(e + 54, 56);
	put_be16(e + 56, 1);
	ph = e + 64;
	put_be32(ph, PT_LOAD);
	put_be32(ph + 4, PF_R | PF_W | PF_X);
	put_be64(ph + 8, off);
	put_be64(ph + 16, 0);
	put_be64(ph + 24, 0);		/* p_paddr */
	put_be64(ph + 32, imglen);
	put_be64(ph + 40, imglen + 0x3000);	/* p_memsz: some bss */
	put_be64(ph + 48, 0x1000);
	memcpy(e + off, img, imglen);
	return e;
}

/* ---- running a load ---- */
struct run {
	struct sysview sv;
	struct iomem_res iomem[3];
	struct request req;
	struct kexec_inputs in;
	struct purgatory_info pi;
	struct plan pl;
	uint8_t *purg;
	int ret;
};

static const char *tmpdir;
static bool no_crash_region;
/*
 * The machine's /proc/iomem: the crash region inside System RAM (x86's
 * shape), beside it (what s390 prints: the region is taken out of memory),
 * or System RAM that starts above the kernel's address 0.
 */
static enum { CRASH_INSIDE_RAM, CRASH_BESIDE_RAM, RAM_ABOVE_ZERO } iomem_shape;

static int run_load(struct run *r, const struct kexec_file_ops *ops, const uint8_t *k, size_t klen,
		    const uint8_t *ird, size_t irdlen, const char *cmdline, bool crash)
{
	size_t plen;

	memset(r, 0, sizeof(*r));
	snprintf(r->sv.root, sizeof(r->sv.root), "%s", tmpdir);
	r->iomem[0] = (struct iomem_res){ .start = 0, .end = 0x3fffffff, .depth = 0, .name = "System RAM" };
	r->iomem[1] = (struct iomem_res){ .start = 0x10000000, .end = 0x1fffffff, .depth = 1,
					  .name = "Crash kernel" };
	r->sv.nr_iomem = crash && !no_crash_region ? 2 : 1;
	if (iomem_shape == CRASH_BESIDE_RAM) {
		r->iomem[0].end = 0x0fffffff;
		r->iomem[1].depth = 0;
		r->iomem[2] = (struct iomem_res){ .start = 0x20000000, .end = 0x3fffffff, .depth = 0,
						  .name = "System RAM" };
		r->sv.nr_iomem = 3;
	} else if (iomem_shape == RAM_ABOVE_ZERO) {
		r->iomem[0].start = 0x100000;
	}
	r->sv.iomem = r->iomem;
	r->purg = build_purgatory(&plen);
	nr_errors = 0;
	r->ret = purgatory_open(&r->pi, &arch_s390x, r->purg, plen, "test purgatory");
	if (r->ret)
		return r->ret;
	r->in.req = &r->req;
	r->in.kernel_name = "test-image";
	r->in.kernel = k;
	r->in.kernel_len = klen;
	r->in.initrd_name = ird ? "test-initrd" : NULL;
	r->in.initrd = ird;
	r->in.initrd_len = irdlen;
	r->in.cmdline = cmdline ? cmdline : "";
	r->in.cmdline_len = cmdline ? strlen(cmdline) + 1 : 0;
	r->in.pi = &r->pi;
	r->req.type = ops->name;
	plan_init(&r->pl, &arch_s390x, &r->sv, profile_find("s390x", "6.1"), crash);
	r->ret = kexec_file_plan(&r->pl, &r->in);
	return r->ret;
}

static void run_release(struct run *r)
{
	plan_release(&r->pl);
	purgatory_release(&r->pi);
	free(r->purg);
}

static uint64_t sym_get(struct run *r, const char *name)
{
	uint8_t v[8] = { 0 };

	kexec_purgatory_get_set_symbol(&r->pi, name, v, 8, true);
	return get_be64(v);
}

static const struct kexec_file_ops *find_ops(const char *name)
{
	const struct kexec_file_ops *const *o;

	for (o = arch_s390x.file_ops; *o; o++)
		if (!strcmp((*o)->name, name))
			return *o;
	return NULL;
}

static const struct kexec_file_ops *probe(const uint8_t *buf, size_t len)
{
	const struct kexec_file_ops *const *o;

	for (o = arch_s390x.file_ops; *o; o++)
		if (!(*o)->probe(buf, len))
			return *o;
	return NULL;
}

static void write_file(const char *rel, const void *buf, size_t len)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, rel);
	f = fopen(path, "w");
	fwrite(buf, 1, len, f);
	fclose(f);
}

static void write_text(const char *rel, const char *text)
{
	write_file(rel, text, strlen(text));
}

/* Check an IPL report segment against ipl_report_finish's layout. */
static void check_report(const uint8_t *rep, size_t bufsz, const uint8_t *ipib, uint32_t ipib_len, bool secure,
			 const uint64_t comp[][2], const uint8_t *flags, const uint16_t *cert,
			 unsigned int ncomp, const char *what)
{
	size_t rl = (ipib_len + 7) & ~7u;	/* PTR_ALIGN(ptr + hdr.len, 8) */
	size_t want = rl + 16 + 16 + 32 * ncomp + 16;
	const uint8_t *c;
	unsigned int i;
	int good = 1;

	is_int(bufsz, want, "%s: report size = ALIGN(hdr.len, 8) + rl_hdr + components hdr + %u entries + certificates hdr",
	       what, ncomp);
	if (bufsz != want)
		return;
	if (ipib_len)
		ok(!memcmp(rep + 5, ipib + 5, ipib_len - 5) && !memcmp(rep, ipib, 4),
		   "%s: the IPL parameter block is copied", what);
	/* hdr.flags |= IPL_PL_FLAG_IPLSR at byte 4 of the block, or of rl_hdr when len is 0 */
	is_int(rep[4], (ipib_len ? ipib[4] : 0) | 0x20 | (secure ? 0x40 : 0),
	       "%s: IPLSR (and SIPL if secure) set in byte 4", what);
	is_int(get_be32(rep + rl), 16 + 16 + 32 * ncomp + 16, "%s: rl_hdr.len covers header, components and certificates",
	       what);
	c = rep + rl + 16;
	is_int(get_be32(c), 16 + 32 * ncomp, "%s: components len", what);
	is_int(c[4], 2, "%s: components rbt = IPL_RBT_COMPONENTS", what);
	for (i = 0; i < ncomp; i++) {
		const uint8_t *e = c + 16 + 32 * i;

		good &= get_be64(e) == comp[i][0] && get_be64(e + 8) == comp[i][1] && e[16] == flags[i] &&
			get_be16(e + 22) == cert[i];
		if (!good)
			diag("component %u: addr 0x%llx len 0x%llx flags 0x%x cert 0x%x", i,
			     (unsigned long long)get_be64(e), (unsigned long long)get_be64(e + 8), e[16], get_be16(e + 22));
	}
	ok(good, "%s: component entries (addr, len, flags, certificate index)", what);
	c += 16 + 32 * ncomp;
	ok(get_be32(c) == 16 && c[4] == 1, "%s: empty certificates block (rbt = IPL_RBT_CERTIFICATES)", what);
}

static void test_probe(void)
{
	uint8_t elf[64] = { 0x7f, 'E', 'L', 'F', ELFCLASS64, ELFDATA2MSB };
	uint8_t junk[64] = "MZ not a kernel";

	ok(probe(elf, sizeof(elf)) == find_ops("elf"), "ELF magic: the ELF loader (first, as in kexec_file_loaders)");
	ok(find_ops("elf")->probe(elf, 63) == -ENOEXEC, "ELF shorter than its header: ELF probe says -ENOEXEC");
	ok(probe(elf, 63) == find_ops("image"), "ELF shorter than its header: falls to the image loader");
	ok(find_ops("elf")->probe(junk, sizeof(junk)) == -ENOEXEC, "bad magic: ELF probe says -ENOEXEC");
	ok(probe(junk, sizeof(junk)) == find_ops("image"),
	   "bad magic: the image loader takes it (s390_image_probe accepts anything)");
	ok(find_ops("image")->probe(junk, 0) == 0, "image probe accepts even an empty file");
}

static void test_image_plan(void)
{
	uint8_t *k = build_image(KLEN, KMAXCMD), *ird = malloc(IRDLEN);
	const char *cmd = "console=ttysclp0 ukexec";
	uint64_t kmem, imem, pmem, rmem, entry;
	const uint8_t *seg0, *parm, *rep;
	struct run r;

	memset(ird, 0xa5, IRDLEN);
	run_load(&r, find_ops("image"), k, KLEN, ird, IRDLEN, cmd, false);
	if (!is_int(r.ret, 0, "image load: %s", nr_errors ? last_error : "no error") ||
	    !is_int(r.pl.nr_segments, 4, "four segments: kernel, initrd, purgatory, IPL report")) {
		run_release(&r);
		return;
	}
	kmem = 0;				/* kexec_file_add_kernel_image: buf.mem = 0 */
	imem = ALIGNP(KLEN);			/* data->memsz = ALIGN(kernel_len) */
	pmem = ALIGNP(imem + IRDLEN);		/* ALIGN(memsz + initrd_len) */
	is_int(r.pl.segment[0].mem, kmem, "kernel at 0");
	is_int(r.pl.segment[0].bufsz, KLEN, "kernel bufsz = the whole file");
	is_int(r.pl.segment[0].memsz, ALIGNP(KLEN), "kernel memsz = file size page-aligned (kexec_add_buffer)");
	is_int(r.pl.segment[1].mem, imem, "initrd at ALIGN(kernel_len, PAGE_SIZE)");
	is_int(r.pl.segment[1].bufsz, IRDLEN, "initrd bufsz");
	is_int(r.pl.segment[1].memsz, ALIGNP(IRDLEN), "initrd memsz page-aligned");
	is_int(r.pl.segment[2].mem, pmem, "purgatory at ALIGN(initrd end, PAGE_SIZE), not a hole search");
	/* purgatory memsz: .text (0x20) + .data at 8 -> 0x160 file-backed, aligned to the
	 * .bss alignment (0x1000), + .bss 0x2100 = 0x3100 -> page-aligned 0x4000 */
	is_int(r.pl.segment[2].bufsz, 0x1000, "purgatory bufsz: sections aligned to the .bss alignment");
	is_int(r.pl.segment[2].memsz, 0x4000, "purgatory memsz: + .bss, page-aligned");
	rmem = ALIGNP(pmem + 0x4000);
	is_int(r.pl.segment[3].mem, rmem, "IPL report at ALIGN(purgatory end, PAGE_SIZE)");
	is_int(r.pl.entry, 0, "entry 0: the image starts through the PSW at 0 (kernel_mem == 0)");

	entry = pmem;	/* purgatory_start: .text offset 0 at the purgatory's address */
	seg0 = r.pl.segment[0].buf;
	is_int(get_be64(seg0), 0x0008000080000000ULL + entry, "kernel[0..8] = restart PSW 0x0008000080000000 + purgatory entry");
	is_int(get_be32(seg0 + 0x14), rmem, "lowcore ipl_parmblock_ptr (0x14) = IPL report address");
	ok(!memcmp(seg0 + 8, k + 8, 0x14 - 8) && !memcmp(seg0 + 0x18, k + 0x18, 0x10400 - 0x18),
	   "rest of the lowcore and the head untouched");
	parm = seg0 + 0x10400;
	is_int(get_be64(parm + 0x08), imem, "parmarea initrd_start = initrd offset from the kernel");
	is_int(get_be64(parm + 0x10), IRDLEN, "parmarea initrd_size = the exact initrd size");
	is_int(get_be64(parm + 0x18), 0, "oldmem_base untouched (0) for a normal load");
	is_int(get_be64(parm + 0x30), KMAXCMD, "max_command_line_size untouched");
	ok(!strcmp((const char *)parm + 0x80, cmd), "command line at PARMAREA + 0x80");
	ok(!strcmp((const char *)parm + 0x80 + strlen(cmd) + 1, " image"),
	   "only cmdline_len bytes copied: the tail of the image's default line stays");
	ok(!memcmp(seg0 + 0x10480 + 31, k + 0x10480 + 31, KLEN - 0x10480 - 31),
	   "the image after the command line is untouched");
	ok(r.pl.segment[1].buf == ird, "initrd segment is the initrd's bytes");

	is_int(sym_get(&r, "kernel_entry"), 0x10000, "kernel_entry = STARTUP_NORMAL_OFFSET");
	is_int(sym_get(&r, "kernel_type"), 0, "kernel_type = KEXEC_TYPE_DEFAULT");
	is_int(sym_get(&r, "crash_start"), 0, "crash_start not set for a normal load");

	{
		/* the digest regions: every segment but the purgatory, big-endian {start, len} */
		uint8_t regions[256], digest[32], want[32];
		struct sha256_state s;
		unsigned int i;
		int good = 1;

		kexec_purgatory_get_set_symbol(&r.pi, "purgatory_sha_regions", regions, 256, true);
		kexec_purgatory_get_set_symbol(&r.pi, "purgatory_sha256_digest", digest, 32, true);
		good &= get_be64(regions) == 0 && get_be64(regions + 8) == ALIGNP(KLEN);
		good &= get_be64(regions + 16) == imem && get_be64(regions + 24) == ALIGNP(IRDLEN);
		good &= get_be64(regions + 32) == rmem && get_be64(regions + 40) == PAGE;
		for (i = 48; i < 256; i++)
			good &= regions[i] == 0;
		ok(good, "purgatory_sha_regions: kernel, initrd, IPL report (big-endian)");
		sha256_init(&s);
		for (i = 0; i < 4; i++) {
			if (i == 2)
				continue;
			sha256_update(&s, r.pl.segment[i].buf, r.pl.segment[i].bufsz);
			sha256_update_zeros(&s, r.pl.segment[i].memsz - r.pl.segment[i].bufsz);
		}
		sha256_final(&s, want);
		ok(!memcmp(digest, want, 32), "purgatory_sha256_digest over the patched kernel, initrd and report");
	}

	rep = r.pl.segment[3].buf;
	{
		/* kernel: added before kexec_add_buffer, so the exact file length;
		 * initrd: after, so page-aligned */
		const uint64_t comp[2][2] = { { 0, KLEN }, { imem, ALIGNP(IRDLEN) } };
		const uint8_t flags[2] = { 0xc0, 0 };
		const uint16_t cert[2] = { 0xffff, 0 };

		check_report(rep, r.pl.segment[3].bufsz, NULL, 0, false, comp, flags, cert, 2,
			     "no IPL block");
	}
	run_release(&r);

	/* no initrd, no command line: purgatory right after the kernel; image cmdline kept */
	run_load(&r, find_ops("image"), k, KLEN, NULL, 0, NULL, false);
	if (is_int(r.ret, 0, "image load without initrd") && is_int(r.pl.nr_segments, 3, "three segments")) {
		is_int(r.pl.segment[1].mem, ALIGNP(KLEN), "purgatory at ALIGN(kernel_len)");
		is_int(get_be64((const uint8_t *)r.pl.segment[0].buf + 0x10408), 0, "initrd_start stays 0");
		ok(!memcmp((const uint8_t *)r.pl.segment[0].buf + 0x10480, k + 0x10480, 31),
		   "cmdline_len 0: the image's own command line is kept");
	}
	run_release(&r);
	free(k);
	free(ird);
}

static void test_crash_plan(void)
{
	uint8_t *k = build_image(KLEN, KMAXCMD), *ird = malloc(IRDLEN);
	const uint64_t cs = 0x10000000, csz = 0x10000000;
	uint64_t imem, pmem, rmem;
	const uint8_t *seg0;
	struct run r;

	memset(ird, 0x5a, IRDLEN);
	run_load(&r, find_ops("image"), k, KLEN, ird, IRDLEN, "crash", true);
	if (!is_int(r.ret, 0, "crash load: %s", nr_errors ? last_error : "no error") ||
	    !is_int(r.pl.nr_segments, 4, "crash: four segments")) {
		run_release(&r);
		return;
	}
	imem = ALIGNP(KLEN);
	pmem = ALIGNP(imem + IRDLEN);
	rmem = ALIGNP(pmem + 0x4000);
	is_int(r.pl.segment[0].mem, cs, "crash: kernel at crashk_res.start");
	is_int(r.pl.segment[1].mem, cs + imem, "crash: initrd at crashk_res.start + offset");
	is_int(r.pl.segment[2].mem, cs + pmem, "crash: purgatory at crashk_res.start + offset");
	is_int(r.pl.segment[3].mem, cs + rmem, "crash: IPL report at crashk_res.start + offset");
	is_int(r.pl.entry, cs + pmem, "crash: entry = purgatory_start (kernel_mem != 0)");
	seg0 = r.pl.segment[0].buf;
	ok(!memcmp(seg0, k, 0x14), "crash: no restart PSW written");
	is_int(get_be32(seg0 + 0x14), rmem, "crash: ipl_parmblock_ptr = report offset, without the crash start");
	is_int(get_be64(seg0 + 0x10408), imem, "crash: initrd_start = offset (the purgatory swaps it to 0)");
	is_int(get_be64(seg0 + 0x10418), cs, "crash: oldmem_base = crashk_res.start");
	is_int(get_be64(seg0 + 0x10420), csz, "crash: oldmem_size = resource_size(&crashk_res)");
	is_int(sym_get(&r, "kernel_entry"), 0x10010, "crash: kernel_entry = STARTUP_KDUMP_OFFSET");
	is_int(sym_get(&r, "kernel_type"), 1, "crash: kernel_type = KEXEC_TYPE_CRASH");
	is_int(sym_get(&r, "crash_start"), cs, "crash: crash_start");
	is_int(sym_get(&r, "crash_size"), csz, "crash: crash_size");
	{
		const uint64_t comp[2][2] = { { cs, KLEN }, { cs + imem, ALIGNP(IRDLEN) } };
		const uint8_t flags[2] = { 0xc0, 0 };
		const uint16_t cert[2] = { 0xffff, 0 };

		check_report(r.pl.segment[3].buf, r.pl.segment[3].bufsz, NULL, 0, false, comp, flags, cert, 2,
			     "crash");
	}
	run_release(&r);
	free(k);
	free(ird);
}

/* plan_sanity_check: crash segments are checked against the crash region only */
static void test_iomem_shapes(void)
{
	uint8_t *k = build_image(KLEN, KMAXCMD), *ird = malloc(IRDLEN);
	struct run r;

	memset(ird, 0x5a, IRDLEN);
	iomem_shape = CRASH_BESIDE_RAM;
	run_load(&r, find_ops("image"), k, KLEN, ird, IRDLEN, "crash", true);
	is_int(r.ret, 0, "crash load, \"Crash kernel\" beside System RAM as s390 lists it: %s",
	       nr_errors ? last_error : "accepted");
	run_release(&r);
	run_load(&r, find_ops("image"), k, KLEN, ird, IRDLEN, "normal", false);
	is_int(r.ret, 0, "normal load on that machine: %s", nr_errors ? last_error : "accepted");
	run_release(&r);
	iomem_shape = RAM_ABOVE_ZERO;
	run_load(&r, find_ops("image"), k, KLEN, ird, IRDLEN, "normal", false);
	ok(r.ret != 0 && strstr(last_error, "not in System RAM"),
	   "normal load with no System RAM at 0: refused (%s)", nr_errors ? last_error : "accepted");
	run_release(&r);
	iomem_shape = CRASH_INSIDE_RAM;
	free(k);
	free(ird);
}

static void test_ipl_block(void)
{
	uint8_t *k = build_image(KLEN, 0), ipib[0x2c];
	char dir[4096];
	struct run r;
	unsigned int i;

	snprintf(dir, sizeof(dir), "%s/sys", tmpdir);
	mkdir(dir, 0755);
	snprintf(dir, sizeof(dir), "%s/sys/firmware", tmpdir);
	mkdir(dir, 0755);
	snprintf(dir, sizeof(dir), "%s/sys/firmware/ipl", tmpdir);
	mkdir(dir, 0755);
	for (i = 0; i < sizeof(ipib); i++)
		ipib[i] = (uint8_t)(0x40 + i);
	put_be32(ipib, sizeof(ipib));
	ipib[4] = 0x80;		/* IPL_PL_FLAG_IPLPS, kept */
	write_file("sys/firmware/ipl/ipl_type", "fcp\n", 4);
	write_file("sys/firmware/ipl/secure", "1\n", 2);
	write_file("sys/firmware/ipl/binary_parameter", ipib, sizeof(ipib));

	run_load(&r, find_ops("image"), k, KLEN, NULL, 0, "x", false);
	if (is_int(r.ret, 0, "FCP IPL: load")) {
		const uint64_t comp[1][2] = { { 0, KLEN } };
		const uint8_t flags[1] = { 0xc0 };
		const uint16_t cert[1] = { 0xffff };
		const uint8_t *rep = r.pl.segment[2].buf;

		check_report(rep, r.pl.segment[2].bufsz, ipib, sizeof(ipib), true, comp, flags, cert, 1, "FCP IPL");
		is_int(rep[4], 0x80 | 0x40 | 0x20, "secure: hdr.flags |= SIPL | IPLSR");
		is_int(get_be64(k + 0x10430), 0, "old image (max_command_line_size 0)");
	}
	run_release(&r);

	/* legacy 896-byte command line limit when max_command_line_size is 0 */
	{
		char line[897];

		memset(line, 'a', 896);
		line[895] = 0;
		run_load(&r, find_ops("image"), k, KLEN, NULL, 0, line, false);
		ok(r.ret == -EINVAL && nr_errors == 1,
		   "895 characters + NUL = LEGACY_COMMAND_LINE_SIZE: -EINVAL, one message (%s)", last_error);
		run_release(&r);
		line[894] = 0;
		run_load(&r, find_ops("image"), k, KLEN, NULL, 0, line, false);
		is_int(r.ret, 0, "894 characters + NUL fit the legacy area");
		run_release(&r);
	}
	write_file("sys/firmware/ipl/binary_parameter", ipib, 10);
	run_load(&r, find_ops("image"), k, KLEN, NULL, 0, "x", false);
	ok(r.ret == -EINVAL && nr_errors == 1, "binary_parameter shorter than its hdr.len: refused (%s)",
	   last_error);
	run_release(&r);
	write_file("sys/firmware/ipl/ipl_type", "unknown\n", 8);
	write_file("sys/firmware/ipl/secure", "0\n", 2);
	free(k);
}

static void test_errors(void)
{
	uint8_t *k = build_image(KLEN, KMAXCMD);
	char *line = malloc(KMAXCMD + 1);
	struct run r;

	memset(line, 'b', KMAXCMD);
	line[KMAXCMD - 1] = 0;	/* cmdline_len == max_command_line_size */
	run_load(&r, find_ops("image"), k, KLEN, NULL, 0, line, false);
	ok(r.ret == -EINVAL && nr_errors == 1, "cmdline_len == max_command_line_size: -EINVAL, one message (%s)",
	   last_error);
	run_release(&r);
	line[KMAXCMD - 2] = 0;
	run_load(&r, find_ops("image"), k, KLEN, NULL, 0, line, false);
	is_int(r.ret, 0, "cmdline_len == max_command_line_size - 1 fits");
	run_release(&r);

	/* truncated images: shorter than PARMAREA + command_line, or than its command line area */
	run_load(&r, find_ops("image"), k, 0x10400 + 0x7f, NULL, 0, "x", false);
	ok(r.ret == -EINVAL && nr_errors == 1, "image ending inside the parmarea: -EINVAL, one message (%s)",
	   last_error);
	run_release(&r);
	run_load(&r, find_ops("image"), k, 0x10480 + KMAXCMD - 1, NULL, 0, "x", false);
	ok(r.ret == -EINVAL && nr_errors == 1, "image shorter than its command line area: -EINVAL (%s)",
	   last_error);
	run_release(&r);
	run_load(&r, find_ops("image"), k, 0x10480 + KMAXCMD, NULL, 0, "x", false);
	is_int(r.ret, 0, "image exactly PARMAREA + 0x80 + max_command_line_size long loads");
	run_release(&r);
	run_load(&r, find_ops("image"), k, 100, NULL, 0, "x", false);
	ok(r.ret == -EINVAL && nr_errors == 1, "100-byte file: -EINVAL (%s)", last_error);
	run_release(&r);

	/* crash load on a system booted without crashkernel= */
	no_crash_region = true;
	run_load(&r, find_ops("image"), k, KLEN, NULL, 0, "x", true);
	no_crash_region = false;
	ok(r.ret == -EADDRNOTAVAIL && nr_errors == 1, "crash load without a crash region: refused (%s)",
	   last_error);
	run_release(&r);
	free(line);
	free(k);
}

static void test_elf_plan(void)
{
	uint8_t *img = build_image(KLEN, KMAXCMD), *elf, *bad;
	const uint8_t *seg0;
	size_t elflen;
	uint64_t pmem, rmem;
	struct run r;

	elf = build_elf(img, KLEN, &elflen);
	ok(probe(elf, elflen) == find_ops("elf"), "vmlinux: ELF loader");
	run_load(&r, find_ops("elf"), elf, elflen, NULL, 0, "elf cmdline", false);
	if (is_int(r.ret, 0, "ELF load: %s", nr_errors ? last_error : "no error") &&
	    is_int(r.pl.nr_segments, 3, "ELF: PT_LOAD, purgatory, IPL report")) {
		/* buf.mem = ALIGN(p_paddr, p_align); memsz = p_memsz;
		 * data->memsz = ALIGN(0, p_align) + p_memsz */
		is_int(r.pl.segment[0].mem, 0, "ELF: PT_LOAD at ALIGN(p_paddr, p_align) = 0");
		is_int(r.pl.segment[0].bufsz, KLEN, "ELF: bufsz = p_filesz");
		is_int(r.pl.segment[0].memsz, ALIGNP(KLEN + 0x3000), "ELF: memsz = p_memsz page-aligned");
		pmem = ALIGNP(KLEN + 0x3000);
		is_int(r.pl.segment[1].mem, pmem, "ELF: purgatory after p_memsz");
		rmem = ALIGNP(pmem + 0x4000);
		is_int(r.pl.segment[2].mem, rmem, "ELF: IPL report after the purgatory");
		seg0 = r.pl.segment[0].buf;
		is_int(get_be64(seg0), 0x0008000080000000ULL + pmem, "ELF: restart PSW in the PT_LOAD holding the entry");
		ok(!strcmp((const char *)seg0 + 0x10480, "elf cmdline"), "ELF: command line in that segment's parmarea");
		{
			/* component length: p_memsz, before kexec_add_buffer rounds it */
			const uint64_t comp[1][2] = { { 0, KLEN + 0x3000 } };
			const uint8_t flags[1] = { 0xc0 };
			const uint16_t cert[1] = { 0xffff };

			check_report(r.pl.segment[2].buf, r.pl.segment[2].bufsz, NULL, 0, false, comp, flags, cert, 1,
				     "ELF");
		}
	}
	run_release(&r);

	/* corrupt ELF: refused by the loader with one message, never by the probe */
	bad = malloc(elflen);
	memcpy(bad, elf, elflen);
	put_be16(bad + 18, EM_X86_64);
	run_load(&r, find_ops("elf"), bad, elflen, NULL, 0, "x", false);
	ok(r.ret == -EINVAL && nr_errors == 1, "ELF for another machine: -EINVAL (%s)", last_error);
	run_release(&r);
	memcpy(bad, elf, elflen);
	put_be64(bad + 32, elflen);	/* e_phoff at the end of the file */
	run_load(&r, find_ops("elf"), bad, elflen, NULL, 0, "x", false);
	ok(r.ret == -EINVAL && nr_errors == 1, "program headers past the end: -EINVAL (%s)", last_error);
	run_release(&r);
	run_load(&r, find_ops("elf"), elf, 0x1000 + 0x100, NULL, 0, "x", false);
	ok(r.ret == -EINVAL && nr_errors == 1, "truncated ELF: -EINVAL (%s)", last_error);
	run_release(&r);
	memcpy(bad, elf, elflen);
	put_be64(bad + 24, 0x9000000);	/* e_entry outside the PT_LOAD */
	run_load(&r, find_ops("elf"), bad, elflen, NULL, 0, "x", false);
	ok(r.ret == -EINVAL && nr_errors == 1, "entry in no PT_LOAD: -EINVAL (%s)", last_error);
	run_release(&r);
	free(bad);
	free(elf);
	free(img);
}

/*
 * A kernel file that is one gzip stream (an Image.gz) is decompressed before
 * the probe and plans exactly as the file it wraps: same segments, same bytes.
 */
static void test_gzip_kernel(void)
{
#ifdef HAVE_ZLIB
	uint8_t *k = build_image(KLEN, KMAXCMD), *gz, *out = NULL;
	size_t glen, outlen = 0;
	struct run plain, wrapped;
	unsigned int i;
	bool same = true;
	z_stream zs;
	int ret;

	memset(&zs, 0, sizeof(zs));
	deflateInit2(&zs, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
	glen = deflateBound(&zs, KLEN);
	gz = malloc(glen);
	zs.next_in = k;
	zs.avail_in = KLEN;
	zs.next_out = gz;
	zs.avail_out = glen;
	deflate(&zs, Z_FINISH);
	glen = zs.total_out;
	deflateEnd(&zs);

	ok(slurp_decompress_file(k, KLEN, "test-image", &out, &outlen) == 0 && !out,
	   "an uncompressed image is left as it is");
	nr_errors = 0;
	ret = slurp_decompress_file(gz, glen, "test-image.gz", &out, &outlen);
	ok(ret == 0 && out && outlen == KLEN && !memcmp(out, k, KLEN),
	   "a gzip-wrapped image decompresses to the image (0x%zx -> 0x%zx bytes)", glen, outlen);
	if (!out) {
		free(gz);
		free(k);
		return;
	}
	run_load(&plain, find_ops("image"), k, KLEN, NULL, 0, "gz", false);
	run_load(&wrapped, find_ops("image"), out, outlen, NULL, 0, "gz", false);
	same = plain.ret == 0 && wrapped.ret == 0 && plain.pl.nr_segments == wrapped.pl.nr_segments &&
	       plain.pl.entry == wrapped.pl.entry;
	for (i = 0; same && i < plain.pl.nr_segments; i++) {
		const struct plan_segment *a = &plain.pl.segment[i], *b = &wrapped.pl.segment[i];

		same = a->mem == b->mem && a->memsz == b->memsz && a->bufsz == b->bufsz &&
		       !memcmp(a->buf, b->buf, a->bufsz);
	}
	ok(same, "the gzip-wrapped image plans as the plain one: %u segments, same places and bytes",
	   plain.pl.nr_segments);
	run_release(&wrapped);
	run_release(&plain);
	free(out);

	gz[glen - 5] ^= 0xff;		/* the CRC in the gzip trailer */
	nr_errors = 0;
	ret = slurp_decompress_file(gz, glen, "bad.gz", &out, &outlen);
	ok(ret < 0 && !out && nr_errors == 1 && strstr(last_error, "bad.gz"),
	   "a corrupt gzip kernel: refused with one message naming it (%s)", last_error);
	free(gz);
	free(k);
#else
	skip(4, "built without zlib");
#endif
}

/* The page size of a plan: a recorded AT_PAGESZ in the target's byte order, else the default. */
static void test_page_size(void)
{
	static const uint8_t auxv[] = {
		0, 0, 0, 0, 0, 0, 0, 33, 0, 0, 0, 0, 0, 0, 0x10, 0,	/* AT_SYSINFO_EHDR */
		0, 0, 0, 0, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0x20, 0,	/* AT_PAGESZ 0x2000 */
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,		/* AT_NULL */
	};
	struct sysview sv;
	char dir[4200];

	memset(&sv, 0, sizeof(sv));
	snprintf(sv.root, sizeof(sv.root), "%s/pagesize", tmpdir);
	mkdir(sv.root, 0755);
	snprintf(dir, sizeof(dir), "%s/proc", sv.root);
	mkdir(dir, 0755);
	snprintf(dir, sizeof(dir), "%s/proc/self", sv.root);
	mkdir(dir, 0755);
	struct kernel_facts facts;
	char config[4400];

	is_int(kexec_page_size(&arch_s390x, &sv, NULL), 4096, "no recorded auxv: the arch's default");
	/* a recorded sysroot's kernel config states PAGE_SHIFT (powerpc's option in 6.1) */
	write_text("pagesize/config", "CONFIG_PPC_64K_PAGES=y\nCONFIG_PPC_PAGE_SHIFT=16\n");
	snprintf(config, sizeof(config), "%s/config", sv.root);
	ok(!kernel_facts_read(&facts, &sv, config, NULL) && facts.page_shift == 16,
	   "kernel config: CONFIG_PPC_PAGE_SHIFT=16 read as the page shift");
	is_int(kexec_page_size(&arch_s390x, &sv, &facts), 0x10000,
	       "no recorded auxv, a config with PAGE_SHIFT 16: 64 KiB");
	write_text("pagesize/config", "CONFIG_PAGE_SHIFT=14\nCONFIG_ARM64_PAGE_SHIFT=12\n");
	ok(!kernel_facts_read(&facts, &sv, config, NULL) && facts.page_shift == 14,
	   "kernel config: CONFIG_PAGE_SHIFT (6.7+) before the arch's own option");
	write_text("pagesize/config", "CONFIG_PPC_PAGE_SHIFT=99\n");
	ok(!kernel_facts_read(&facts, &sv, config, NULL) && !facts.page_shift &&
	   kexec_page_size(&arch_s390x, &sv, &facts) == 4096,
	   "an absurd PAGE_SHIFT is not a page size: the default");
	write_file("pagesize/proc/self/auxv", auxv, sizeof(auxv));
	is_int(kexec_page_size(&arch_s390x, &sv, NULL), 0x2000, "recorded big-endian AT_PAGESZ");
	facts.page_shift = 16;
	facts.page_shift_option = "CONFIG_PPC_PAGE_SHIFT";
	is_int(kexec_page_size(&arch_s390x, &sv, &facts), 0x2000,
	       "a recorded AT_PAGESZ (the running kernel's) before the config's");
	is_int(kexec_page_size(&arch_x86_64, &sv, NULL), 4096,
	       "the same auxv read little-endian has no AT_PAGESZ: the default");
	sv.root[0] = '\0';
	is_int(kexec_page_size(arch_native(), &sv, NULL), (uint64_t)sysconf(_SC_PAGESIZE),
	       "live, native arch: sysconf(_SC_PAGESIZE)");
}

/* Profiles are keyed by architecture and kernel version. */
static void test_profiles(void)
{
	const struct profile *p;

	p = profile_select("s390x", KVER(6, 12, 0));
	ok(p && !strcmp(p->arch, "s390x") && !strcmp(p->name, "6.1"),
	   "s390x on 6.12: the s390x profile of 6.1 (the only one checked in QEMU), not x86_64's 6.12");
	p = profile_find("x86_64", "6.12.95+deb12-amd64");
	ok(p && !strcmp(p->arch, "x86_64") && !strcmp(p->name, "6.12"), "x86_64 6.12.95: x86_64's 6.12");
	p = profile_find("s390x", "6.1");
	ok(p && !strcmp(p->arch, "s390x") && !profile_has(p, PR_CRASH_HOTPLUG),
	   "s390x 6.1 by name: no crash hotplug");
	p = profile_select("arm64", KVER(6, 1, 0));
	ok(p && !strcmp(p->arch, "arm64") && !strcmp(p->name, "6.1") &&
	   profile_has(p, PR_TOP_DOWN_SHORT_BY_ONE),
	   "arm64 6.1: its own profile, with 6.1's top-down off-by-one");
	p = profile_select("x86_64", KVER(5, 4, 0));
	ok(p && !strcmp(p->name, "5.10"), "x86_64 5.4: named after the oldest x86_64 line");
	p = profile_find("arm64", "6.12.95+bpo-arm64");
	ok(p && !strcmp(p->arch, "arm64") && !strcmp(p->name, "6.12") &&
	   !profile_has(p, PR_TOP_DOWN_SHORT_BY_ONE) && !profile_has(p, PR_CRASH_HOTPLUG),
	   "arm64 6.12.95: arm64's 6.12, no off-by-one, no crash hotplug");
}

int main(void)
{
	char tmpl[] = "/tmp/ukexec-s390x-XXXXXX";

	kx_set_log_sink(capture, NULL);
	tmpdir = mkdtemp(tmpl);
	if (!tmpdir)
		skip_all("no temporary directory");
	test_probe();
	test_image_plan();
	test_crash_plan();
	test_iomem_shapes();
	test_ipl_block();
	test_errors();
	test_elf_plan();
	test_gzip_kernel();
	test_page_size();
	test_profiles();
	{
		char cmd[4200];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
		if (system(cmd))
			diag("could not remove %s", tmpdir);
	}
	return done_testing();
}
