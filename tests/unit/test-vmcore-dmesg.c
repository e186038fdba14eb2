// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vmcore-dmesg on synthetic crash dumps: a Debian 12 (Linux 6.1) x86_64
 * ring buffer whose descriptor and data rings have both wrapped, a
 * big-endian ELF64 and an ELF32 dump, the 3.5..5.9 record format; then
 * truncated, foreign and corrupt files, each refused with one reason; and
 * the command line of the built binary.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "printk.h"
#include "vmcore-synth.h"
#include "tap.h"

static char tmpdir[] = "/tmp/test-vmcore-dmesg.XXXXXX";

struct result {
	int ret;
	char *out;
	size_t outlen;
	char err[512];
};

static void write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (!f || (len && fwrite(data, 1, len, f) != len) || fclose(f)) {
		perror(path);
		exit(99);
	}
}

/* Run the library on bytes written to a file. */
static void run_bytes(struct result *r, const void *data, size_t len)
{
	char path[64];
	FILE *out;
	int fd;

	snprintf(path, sizeof(path), "%s/core", tmpdir);
	write_file(path, data, len);
	fd = open(path, O_RDONLY);
	out = open_memstream(&r->out, &r->outlen);
	if (fd < 0 || !out)
		exit(99);
	r->err[0] = 0;
	r->ret = vmcore_dmesg_fd(fd, out, r->err, sizeof(r->err));
	fclose(out);
	close(fd);
}

static void run_core(struct result *r, const struct synth_core *c)
{
	struct synth_file f;

	synth_build(c, &f);
	run_bytes(r, f.data, f.size);
	free(f.data);
}

static void free_core(struct synth_core *c)
{
	for (int i = 0; i < c->nreg; i++)
		free(c->reg[i].mem);
}

static int is_text(const char *got, const char *want, const char *what)
{
	int same = got && !strcmp(got, want);

	ok(same, "%s", what);
	if (!same) {
		diag("got:\n%s", got ? got : "(null)");
		diag("want:\n%s", want);
	}
	return same;
}

/* The refusal: nonzero, the exact reason, nothing printed. */
static void refused(const struct result *r, const char *reason, const char *what)
{
	ok(r->ret != 0, "%s: refused", what);
	is_text(r->err, reason, what);
	ok(r->outlen == 0, "%s: no output", what);
}

/* The log read: zero, the exact text. */
static void reads(const struct synth_core *c, const char *want, const char *what)
{
	struct result r;
	char desc[128];

	run_core(&r, c);
	ok(r.ret == 0, "%s: reads the log (%s)", what, r.err);
	snprintf(desc, sizeof(desc), "%s: exact text", what);
	is_text(r.out, want, desc);
	free(r.out);
}

/* ---- the x86_64 6.1 dump ---- */

#define KTEXT 0xffffffff82600000ull	/* kernel image (data) mapping */
#define KPHYS 0x0000000003600000ull
#define DMAP 0xffff888012340000ull	/* direct map: PAGE_OFFSET + phys */
#define DPHYS 0x0000000012340000ull

static const char rec4[] = "tab\there, bell\a, esc\x1b[0m, utf8 \xc3\xa9, nul \0.";

static const char want_x86_64[] =
	"[    0.004000] x86/fpu: Supporting XSAVE feature 0x001: 'x87 floating point registers'\n"
	"[    0.012345] BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable\n"
	"[    1.234567] tab\there, bell\\x07, esc\\x1b[0m, utf8 \\xc3\\xa9, nul \\x00.\n"
	"[    1.500000] \n"
	"[    2.000000] multi\nline\n"
	"[    3.000000] sysrq: Trigger a crash\n"
	"[    3.000500] Kernel panic - not syncing: sysrq triggered crash (continued by pr_cont)\n";

struct x86 {
	struct synth_core c;
	struct synth_prb p;
	uint64_t id[10];
};

static void build_x86_64(struct x86 *x)
{
	struct synth_prb *p = &x->p;
	static const char *const text[] = {
		"Linux version 6.1.0-18-amd64 (debian-kernel@lists.debian.org) (gcc-12 (Debian 12.2.0-14) "
		"12.2.0, GNU ld (GNU Binutils for Debian) 2.40) #1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1",
		"Command line: BOOT_IMAGE=/boot/vmlinuz-6.1.0-18-amd64 root=/dev/vda1 ro crashkernel=256M",
		"x86/fpu: Supporting XSAVE feature 0x001: 'x87 floating point registers'",
		"BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable",
	};

	synth_core_init(&x->c, 1, 0, EM_X86_64, 8);
	/* 8 descriptors, a 512-byte text ring: 10 records wrap both. */
	synth_prb_init(p, &x->c, &prb_layout_x86_64, 3, 9, KTEXT, KPHYS, DMAP, DPHYS);
	x->id[0] = synth_prb_add(p, 0, text[0], strlen(text[0]), SYNTH_FINALIZED);
	x->id[1] = synth_prb_add(p, 0, text[1], strlen(text[1]), SYNTH_FINALIZED);
	x->id[2] = synth_prb_add(p, 4000000, text[2], strlen(text[2]), SYNTH_FINALIZED);
	x->id[3] = synth_prb_add(p, 12345678, text[3], strlen(text[3]), SYNTH_FINALIZED);
	x->id[4] = synth_prb_add(p, 1234567890, rec4, sizeof(rec4) - 1, SYNTH_FINALIZED);
	x->id[5] = synth_prb_add_dataless(p, 1500000000);
	x->id[6] = synth_prb_add(p, 2000000001, "multi\nline", 10, SYNTH_FINALIZED);
	/* Another CPU was still writing this one: not part of the log. */
	x->id[7] = synth_prb_add(p, 2500000000u, "half-written", 12, SYNTH_RESERVED);
	x->id[8] = synth_prb_add(p, 3000000000u, "sysrq: Trigger a crash", 22, SYNTH_FINALIZED);
	/* The last record, extended by pr_cont() and still open (committed). */
	x->id[9] = synth_prb_add(p, 3000500000u,
				 "Kernel panic - not syncing: sysrq triggered crash (continued by pr_cont)", 72,
				 SYNTH_COMMITTED);
	synth_prb_finish(p);
}

static void test_x86_64(void)
{
	struct x86 x;
	struct result r;
	struct synth_file f;
	int wraps = 0;

	build_x86_64(&x);
	ok(synth_prb_tail(&x.p) == x.id[2], "x86_64: the oldest intact record is the tail");
	for (int i = 2; i < 10; i++)
		wraps += synth_prb_wraps(&x.p, x.id[i]);
	ok(wraps == 1 && synth_prb_wraps(&x.p, x.id[6]), "x86_64: record 6's data block wraps the ring");
	ok(x.id[9] < x.id[0], "x86_64: descriptor ids overflowed the id mask");

	reads(&x.c, want_x86_64, "x86_64 6.1");

	/* The comparison is live: one changed byte of text changes the output. */
	synth_build(&x.c, &f);
	{
		uint8_t *hit = memmem(f.data, f.size, "sysrq: Trigger", 14);

		ok(hit != NULL, "mutation: the record text is in the file");
		if (hit)
			hit[0] = 'S';
		run_bytes(&r, f.data, f.size);
		ok(r.ret == 0 && r.out && strcmp(r.out, want_x86_64) != 0 &&
		   strstr(r.out, "] Sysrq: Trigger a crash\n"), "mutation: a changed byte shows in the output");
		free(r.out);
	}

	/* Truncated inside the direct-map segment (descriptors and text). */
	run_bytes(&r, f.data, f.load_off[1] + 0x40);
	{
		char want[400];

		snprintf(want, sizeof(want), "truncated file: printk descriptor at 0x%llx is in PT_LOAD segment 2 "
			 "(file offset 0x%zx, 0x%zx bytes), which ends beyond the end of the file (%zu bytes) "
			 "(and 7 more unreadable records)",
			 (unsigned long long)synth_prb_desc_addr(&x.p, x.id[2]), f.load_off[1],
			 x.c.reg[1].size, f.load_off[1] + 0x40);
		refused(&r, want, "PT_LOAD beyond the end of the file");
	}
	free(r.out);

	/* Empty, short, foreign. */
	run_bytes(&r, "", 0);
	refused(&r, "empty file", "empty file");
	free(r.out);
	run_bytes(&r, f.data, 40);
	refused(&r, "truncated ELF header (40 of 64 bytes)", "truncated ELF header");
	free(r.out);
	run_bytes(&r, f.data, 3);
	refused(&r, "truncated ELF header (3 of 16 bytes)", "3 bytes of ELF magic");
	free(r.out);
	run_bytes(&r, "#!/bin/sh\necho not a core\n", 26);
	refused(&r, "not an ELF file", "not ELF");
	free(r.out);
	{
		Elf64_Ehdr *e = (void *)f.data;

		e->e_type = ET_EXEC;
		run_bytes(&r, f.data, f.size);
		refused(&r, "not a core dump (ELF type 2)", "an ELF executable");
		free(r.out);
		e->e_type = ET_CORE;
		e->e_ident[EI_CLASS] = 7;
		run_bytes(&r, f.data, f.size);
		refused(&r, "unknown ELF class 7", "bad ELF class");
		free(r.out);
		e->e_ident[EI_CLASS] = ELFCLASS64;
		e->e_phnum = 900;
		run_bytes(&r, f.data, f.size);
		{
			char want[200];

			snprintf(want, sizeof(want), "truncated file: the program header table at offset 0x40 "
				 "(50400 bytes) ends beyond the end of the file (%zu bytes)", f.size);
			refused(&r, want, "program headers beyond the end");
		}
		free(r.out);
	}
	free(f.data);

	/* SYMBOL(prb) in no segment: the kernel image segment moved away. */
	x.c.reg[0].vaddr += 0x1000000;
	run_core(&r, &x.c);
	{
		char want[200];

		snprintf(want, sizeof(want), "the prb pointer (SYMBOL(prb)) at 0x%llx is in no PT_LOAD segment",
			 (unsigned long long)x.p.prb_sym);
		refused(&r, want, "prb address in no PT_LOAD");
	}
	free(r.out);
	x.c.reg[0].vaddr -= 0x1000000;

	/* No VMCOREINFO note. */
	x.c.no_note = 1;
	run_core(&r, &x.c);
	refused(&r, "no VMCOREINFO note: not a kernel crash dump", "no VMCOREINFO");
	free(r.out);
	x.c.no_note = 0;
	free_core(&x.c);
}

/* VMCOREINFO edits: key (as found) and its same-length replacement, the message, the case. */
static const struct {
	const char *key, *edit, *reason, *what;
} bad_info[] = {
	{ "SIZE(prb_desc)=", "XIZE(prb_desc)=", "VMCOREINFO lacks SIZE(prb_desc)", "missing SIZE(prb_desc)" },
	{ "OFFSET(prb_desc.state_var)=0", "OFFSET(prb_desc.state_var)=z",
	  "VMCOREINFO: bad value for OFFSET(prb_desc.state_var): \"z\"", "bad number" },
	{ "OFFSET(prb_desc.text_blk_lpos)=8", "OFFSET(prb_desc.text_blk_lpos)=9",
	  "VMCOREINFO: OFFSET(prb_desc.text_blk_lpos)=9 does not fit in SIZE(prb_desc)=24",
	  "offset outside its struct" },
	{ "SYMBOL(prb)=", "SYMBOL(xyz)=",
	  "unsupported printk format: VMCOREINFO has neither SYMBOL(prb) nor SYMBOL(log_buf)", "no printk symbols" },
};

/* Damage to the ring itself. */
static void test_corrupt(void)
{
	struct x86 x;
	struct result r;
	uint64_t d, begin;
	const struct prb_layout *l = &prb_layout_x86_64;

	/* text_blk_lpos spanning more than the ring: that record is reported,
	 * the others are still printed. */
	build_x86_64(&x);
	d = synth_prb_desc_addr(&x.p, x.id[3]) + l->desc_text_blk_lpos;
	begin = synth_get_ulong(&x.c, d + l->lpos_begin);
	synth_put_ulong(&x.c, d + l->lpos_next, begin + 0x10000);
	run_core(&r, &x.c);
	{
		char want[300];
		const char *skip = "[    0.012345] BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable\n";
		char *rest = strdup(want_x86_64), *at = strstr(rest, skip);

		memmove(at, at + strlen(skip), strlen(at + strlen(skip)) + 1);
		ok(r.ret != 0, "corrupt descriptor: fails");
		snprintf(want, sizeof(want), "corrupt descriptor 3 (id 0x%llx): text_blk_lpos 0x%llx..0x%llx "
			 "is no data block of the 512-byte text ring", (unsigned long long)x.id[3],
			 (unsigned long long)begin, (unsigned long long)(begin + 0x10000));
		is_text(r.err, want, "corrupt descriptor: the reason");
		is_text(r.out, rest, "corrupt descriptor: the other records are printed");
		free(rest);
	}
	free(r.out);

	/* A misaligned block start, in a second record: both are counted. */
	d = synth_prb_desc_addr(&x.p, x.id[8]) + l->desc_text_blk_lpos;
	synth_put_ulong(&x.c, d + l->lpos_begin, synth_get_ulong(&x.c, d + l->lpos_begin) + 1);
	run_core(&r, &x.c);
	ok(r.ret != 0 && strstr(r.err, "is no data block of the 512-byte text ring (and 1 more unreadable records)"),
	   "two corrupt descriptors: refused (%s)", r.err);
	free(r.out);
	free_core(&x.c);

	/* head_id and tail_id further apart than the ring holds. */
	build_x86_64(&x);
	synth_put_ulong(&x.c, x.p.rb + l->prb_desc_ring + l->dr_tail_id, x.id[0] - 5);
	run_core(&r, &x.c);
	ok(r.ret != 0 && strstr(r.err, "records apart in a ring of 8"), "head/tail apart: refused (%s)", r.err);
	ok(r.outlen == 0, "head/tail apart: no output");
	free(r.out);

	/* An implausible descriptor count. */
	synth_put_ulong(&x.c, x.p.rb + l->prb_desc_ring + l->dr_tail_id, synth_prb_tail(&x.p));
	synth_put(&x.c, x.p.rb + l->prb_desc_ring + l->dr_count_bits, 62, 4);
	run_core(&r, &x.c);
	refused(&r, "corrupt ring buffer: desc_ring.count_bits is 62", "count_bits 62");
	free(r.out);
	free_core(&x.c);

	/* VMCOREINFO without a needed key, with a bad value, with a bad offset. */
	build_x86_64(&x);
	for (size_t i = 0; i < sizeof(bad_info) / sizeof(bad_info[0]); i++) {
		char *k = strstr(x.c.info, bad_info[i].key);
		size_t n = strlen(bad_info[i].key);
		char saved[64];

		memcpy(saved, k, n);
		memcpy(k, bad_info[i].edit, n);
		run_core(&r, &x.c);
		refused(&r, bad_info[i].reason, bad_info[i].what);
		free(r.out);
		memcpy(k, saved, n);
	}
	free_core(&x.c);

	/* Descriptors read from the wrong place (a PT_LOAD's vaddr a page off,
	 * seen on arm64): every state_var is foreign, so no record is printed. */
	build_x86_64(&x);
	for (int i = 2; i < 10; i++)
		synth_put_ulong(&x.c, synth_prb_desc_addr(&x.p, x.id[i]) + l->desc_state_var, 0);
	run_core(&r, &x.c);
	{
		char want[300];

		snprintf(want, sizeof(want), "no record of the 8 between tail_id 0x%llx and head_id 0x%llx is "
			 "committed or finalized: the descriptor ring at 0x%llx is empty or not where the "
			 "PT_LOAD segments map it", (unsigned long long)x.id[2], (unsigned long long)x.id[9],
			 (unsigned long long)x.p.descs);
		refused(&r, want, "no readable record");
	}
	free(r.out);
	free_core(&x.c);
}

/* s390x-style big-endian ELF64: same LP64 layout, other byte order. */
static void test_big_endian(void)
{
	struct synth_core c;
	struct synth_prb p;

	synth_core_init(&c, 1, 1, EM_S390, 8);
	synth_prb_init(&p, &c, &prb_layout_x86_64, 2, 8, 0x1000000, 0x1000000, 0x20000000, 0x20000000);
	synth_prb_add(&p, 0, "Linux version 6.1.0-18-s390x", 28, SYNTH_FINALIZED);
	synth_prb_add(&p, 123456789012345ull, "big-endian \x7f\x80 record", 20, SYNTH_FINALIZED);
	synth_prb_add(&p, 99999999999999999ull, "last", 4, SYNTH_FINALIZED);
	synth_prb_finish(&p);
	reads(&c, "[    0.000000] Linux version 6.1.0-18-s390x\n"
		  "[123456.789012] big-endian \\x7f\\x80 record\n"
		  "[99999999.999999] last\n", "big-endian ELF64");
	free_core(&c);
}

/* i386: ELF32, 4-byte unsigned long, 30-bit descriptor ids. */
static void test_elf32(void)
{
	struct synth_core c;
	struct synth_prb p;
	char line[64];

	synth_core_init(&c, 0, 0, EM_386, 4);
	synth_prb_init(&p, &c, &prb_layout_i386, 2, 7, 0xc1800000, 0x01800000, 0xc2000000, 0x02000000);
	for (int i = 0; i < 7; i++) {
		int n = snprintf(line, sizeof(line), "i386 record %d%s", i, i == 3 ? " of a 32-bit dump" : "");

		synth_prb_add(&p, (uint64_t)i * 1000000, line, (size_t)n, SYNTH_FINALIZED);
	}
	synth_prb_finish(&p);
	reads(&c, "[    0.003000] i386 record 3 of a 32-bit dump\n"
		  "[    0.004000] i386 record 4\n"
		  "[    0.005000] i386 record 5\n"
		  "[    0.006000] i386 record 6\n", "ELF32 i386");
	free_core(&c);
}

/* 3.5..5.9: struct printk_log records in log_buf, with a wrap marker. */
static void test_printk_log(void)
{
	struct synth_core c;
	struct result r;
	const uint64_t k = 0xffffffff81e00000ull, buf = 0xffffffff82000000ull;
	const unsigned int len = 256;
	uint64_t at;

	synth_core_init(&c, 1, 0, EM_X86_64, 8);
	synth_region(&c, k, 0x1e00000, 0x1000);
	synth_region(&c, buf, 0x2000000, len);
	synth_info(&c, "OSRELEASE=4.19.0-26-amd64\nPAGESIZE=4096\n"
		   "SYMBOL(log_buf)=%llx\nSYMBOL(log_buf_len)=%llx\nSYMBOL(log_first_idx)=%llx\n"
		   "SYMBOL(clear_idx)=%llx\nSYMBOL(log_next_idx)=%llx\nSIZE(printk_log)=16\n"
		   "OFFSET(printk_log.ts_nsec)=0\nOFFSET(printk_log.len)=8\nOFFSET(printk_log.text_len)=10\n"
		   "OFFSET(printk_log.dict_len)=12\n", (unsigned long long)k, (unsigned long long)k + 8,
		   (unsigned long long)k + 16, (unsigned long long)k + 20, (unsigned long long)k + 24);
	synth_put(&c, k, buf, 8);
	synth_put(&c, k + 8, len, 4);
	/* Records at 160 (older) and 208, a wrap marker at 240, then 0. */
	synth_put(&c, k + 16, 160, 4);
	synth_put(&c, k + 24, 48, 4);
	at = buf + 160;
	synth_put(&c, at, 5000000000ull, 8);
	synth_put(&c, at + 8, 48, 2);
	synth_put(&c, at + 10, 23, 2);
	memcpy(c.reg[1].mem + 160 + 16, "older record \x01 in 4.19\x00", 23);
	at = buf + 208;
	synth_put(&c, at, 6000000000ull, 8);
	synth_put(&c, at + 8, 32, 2);
	synth_put(&c, at + 10, 10, 2);
	memcpy(c.reg[1].mem + 208 + 16, "next one!!", 10);
	synth_put(&c, buf + 240, 0, 8);		/* len 0: wrap */
	synth_put(&c, buf, 7000000123ull, 8);
	synth_put(&c, buf + 8, 48, 2);
	synth_put(&c, buf + 10, 20, 2);
	memcpy(c.reg[1].mem + 16, "wrapped to the start", 20);
	reads(&c, "[    5.000000] older record \\x01 in 4.19\\x00\n"
		  "[    6.000000] next one!!\n"
		  "[    7.000000] wrapped to the start\n", "printk_log records");

	/* A record claiming more than the buffer. */
	synth_put(&c, buf + 208 + 8, 200, 2);
	run_core(&r, &c);
	ok(r.ret != 0 && !strcmp(r.err, "corrupt log buffer: record at index 0xd0 claims 200 bytes (text 10)"),
	   "printk_log records: an oversized record is refused (%s)", r.err);
	free(r.out);
	free_core(&c);
}

/* The built binary: stdout, one stderr line, exit status. */
static int run_tool(const char *arg, char *out, size_t outsz, char *err, size_t errsz)
{
	const char *top = getenv("top_builddir");
	char tool[512], cmd[2048];
	char po[128], pe[128];
	FILE *f;
	size_t n;
	int st;

	snprintf(tool, sizeof(tool), "%s/kdump/vmcore-dmesg", top ? top : ".");
	snprintf(po, sizeof(po), "%s/stdout", tmpdir);
	snprintf(pe, sizeof(pe), "%s/stderr", tmpdir);
	snprintf(cmd, sizeof(cmd), "'%s' %s >'%s' 2>'%s'", tool, arg, po, pe);
	st = system(cmd);
	f = fopen(po, "r");
	n = f ? fread(out, 1, outsz - 1, f) : 0;
	out[n] = 0;
	if (f)
		fclose(f);
	f = fopen(pe, "r");
	n = f ? fread(err, 1, errsz - 1, f) : 0;
	err[n] = 0;
	if (f)
		fclose(f);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void test_cli(void)
{
	char out[4096], err[1024], want[1024], path[128], arg[160];
	const char *top = getenv("top_builddir");
	struct synth_file f;
	struct x86 x;
	int st;

	snprintf(path, sizeof(path), "%s/kdump/vmcore-dmesg", top ? top : ".");
	if (access(path, X_OK)) {
		skip(8, "%s not built", path);
		return;
	}
	build_x86_64(&x);
	synth_build(&x.c, &f);
	snprintf(path, sizeof(path), "%s/vmcore", tmpdir);
	write_file(path, f.data, f.size);
	snprintf(arg, sizeof(arg), "'%s'", path);
	st = run_tool(arg, out, sizeof(out), err, sizeof(err));
	ok(st == 0 && !strcmp(out, want_x86_64) && !err[0], "vmcore-dmesg FILE: the log on stdout, exit 0");

	write_file(path, f.data, 100);
	st = run_tool(arg, out, sizeof(out), err, sizeof(err));
	snprintf(want, sizeof(want), "vmcore-dmesg: %s: truncated file: the program header table at offset "
		 "0x40 (168 bytes) ends beyond the end of the file (100 bytes)\n", path);
	ok(st == 1, "truncated dump: exit 1 (got %d)", st);
	is_text(err, want, "truncated dump: one line on stderr");
	ok(!out[0], "truncated dump: nothing on stdout");

	snprintf(arg, sizeof(arg), "'%s/missing'", tmpdir);
	st = run_tool(arg, out, sizeof(out), err, sizeof(err));
	snprintf(want, sizeof(want), "vmcore-dmesg: %s/missing: No such file or directory\n", tmpdir);
	ok(st == 1 && !strcmp(err, want), "missing file: exit 1, one line (%s)", err);

	st = run_tool("", out, sizeof(out), err, sizeof(err));
	ok(st == 1 && !strncmp(err, "usage: vmcore-dmesg", 19), "no argument: usage, exit 1");
	st = run_tool("--help", out, sizeof(out), err, sizeof(err));
	ok(st == 0 && !strncmp(out, "usage: vmcore-dmesg", 19), "--help: usage on stdout, exit 0");
	st = run_tool("-x", out, sizeof(out), err, sizeof(err));
	ok(st == 1 && !strncmp(err, "usage: vmcore-dmesg", 19), "unknown option: usage, exit 1");
	free(f.data);
	free_core(&x.c);
}

int main(void)
{
	char path[64];

	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 99;
	}
	test_x86_64();
	test_corrupt();
	test_big_endian();
	test_elf32();
	test_printk_log();
	test_cli();

	snprintf(path, sizeof(path), "%s/core", tmpdir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/vmcore", tmpdir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/stdout", tmpdir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/stderr", tmpdir);
	unlink(path);
	rmdir(tmpdir);
	return done_testing();
}
