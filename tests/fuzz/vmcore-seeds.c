// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Seeds for fuzz-vmcore-dmesg: synthetic crash dumps of each shape the
 * reader takes (tests/unit/vmcore-synth.c): a wrapped 5.10+ ring of an
 * x86_64 ELF64, of a big-endian s390x ELF64, of an i386 ELF32, and a
 * 3.5..5.9 printk_log buffer. Usage: vmcore-seeds DIR
 */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vmcore-synth.h"

static void save(const char *dir, const char *name, struct synth_core *c)
{
	struct synth_file f;
	char path[4096];
	FILE *out;

	synth_build(c, &f);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	out = fopen(path, "wb");
	if (!out || fwrite(f.data, 1, f.size, out) != f.size || fclose(out)) {
		perror(path);
		exit(1);
	}
	free(f.data);
	for (int i = 0; i < c->nreg; i++)
		free(c->reg[i].mem);
}

static void ring(const char *dir, const char *name, int elf64, int be, uint16_t machine,
		 unsigned int w, const struct prb_layout *l, unsigned int cbits, unsigned int sbits,
		 uint64_t kv, uint64_t kp, uint64_t dv, uint64_t dp)
{
	static const char *const text[] = {
		"Linux version 6.1.0 (fuzz seed)", "Command line: root=/dev/vda1 crashkernel=256M",
		"a record that wraps the text ring",
		"BIOS-e820: [mem 0-0x9fbff] usable",
		"sysrq: Trigger a crash", "Kernel panic - not syncing",
	};
	struct synth_core c;
	struct synth_prb p;

	synth_core_init(&c, elf64, be, machine, w);
	synth_prb_init(&p, &c, l, cbits, sbits, kv, kp, dv, dp);
	for (unsigned int i = 0; i < 10; i++)
		synth_prb_add(&p, 1000000ull * i, text[i % 6], strlen(text[i % 6]),
			      i == 7 ? SYNTH_RESERVED : SYNTH_FINALIZED);
	synth_prb_add_dataless(&p, 99);
	synth_prb_finish(&p);
	save(dir, name, &c);
}

static void printk_log(const char *dir)
{
	const uint64_t k = 0xffffffff81e00000ull, buf = 0xffffffff82000000ull;
	struct synth_core c;

	synth_core_init(&c, 1, 0, EM_X86_64, 8);
	synth_region(&c, k, 0x1e00000, 0x1000);
	synth_region(&c, buf, 0x2000000, 256);
	synth_info(&c, "OSRELEASE=4.19.0\nPAGESIZE=4096\nSYMBOL(log_buf)=%llx\nSYMBOL(log_buf_len)=%llx\n"
		   "SYMBOL(log_first_idx)=%llx\nSYMBOL(log_next_idx)=%llx\nSIZE(printk_log)=16\n"
		   "OFFSET(printk_log.ts_nsec)=0\nOFFSET(printk_log.len)=8\nOFFSET(printk_log.text_len)=10\n",
		   (unsigned long long)k, (unsigned long long)k + 8, (unsigned long long)k + 16,
		   (unsigned long long)k + 24);
	synth_put(&c, k, buf, 8);
	synth_put(&c, k + 8, 256, 4);
	synth_put(&c, k + 16, 160, 4);		/* first */
	synth_put(&c, k + 24, 32, 4);		/* next, after the wrap */
	synth_put(&c, buf + 160, 5000000000ull, 8);
	synth_put(&c, buf + 168, 48, 2);
	synth_put(&c, buf + 170, 20, 2);
	memcpy(c.reg[1].mem + 176, "an older log record.", 20);
	synth_put(&c, buf + 208, 0, 8);		/* len 0: wrap to 0 */
	synth_put(&c, buf, 6000000000ull, 8);
	synth_put(&c, buf + 8, 32, 2);
	synth_put(&c, buf + 10, 12, 2);
	memcpy(c.reg[1].mem + 16, "after a wrap", 12);
	save(dir, "printk-log-4.19.core", &c);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: vmcore-seeds DIR\n");
		return 2;
	}
	ring(argv[1], "x86_64-6.1.core", 1, 0, EM_X86_64, 8, &prb_layout_x86_64, 3, 9,
	     0xffffffff82600000ull, 0x3600000, 0xffff888012340000ull, 0x12340000);
	ring(argv[1], "s390x-be.core", 1, 1, EM_S390, 8, &prb_layout_x86_64, 2, 8,
	     0x1000000, 0x1000000, 0x20000000, 0x20000000);
	ring(argv[1], "i386.core", 0, 0, EM_386, 4, &prb_layout_i386, 2, 7,
	     0xc1800000, 0x01800000, 0xc2000000, 0x02000000);
	printk_log(argv[1]);
	return 0;
}
