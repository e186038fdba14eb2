// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vmcore-dmesg on hostile dumps (issue 16): a ring whose descriptor count
 * and head/tail distance claim more records than the file can hold (it
 * walked 2^31 descriptors), an extended program header count of 2^32-1
 * (it allocated 240 GB before looking at the file size), and a FIFO given
 * as the dump (it blocked in open). Each case runs in a child under an
 * alarm, so a hang is a failure, not a stuck test run.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "printk.h"
#include "vmcore-synth.h"
#include "tap.h"

#define KTEXT 0xffffffff82600000ull
#define KPHYS 0x0000000003600000ull
#define DMAP 0xffff888012340000ull
#define DPHYS 0x0000000012340000ull

static char tmpdir[] = "/tmp/test-hostile-vmcore.XXXXXX";

/*
 * Run vmcore-dmesg on path in a child with a 10 s alarm; the child writes
 * its error message to a pipe. Returns the child's exit status, or 128+sig.
 */
static int run_path(const char *path, char *err, size_t errlen)
{
	int pipefd[2], status;
	ssize_t n;
	pid_t pid;

	if (pipe(pipefd))
		exit(99);
	pid = fork();
	if (pid < 0)
		exit(99);
	if (!pid) {
		char e[512] = "";
		FILE *out = fopen("/dev/null", "w");
		int fd, r;

		close(pipefd[0]);
		alarm(10);
		/* as kdump/vmcore-dmesg.c opens it */
		fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
		if (fd < 0)
			_exit(98);
		r = vmcore_dmesg_fd(fd, out, e, sizeof(e));
		if (write(pipefd[1], e, strlen(e)) < 0)
			_exit(97);
		_exit(r ? 1 : 0);
	}
	close(pipefd[1]);
	n = read(pipefd[0], err, errlen - 1);
	err[n > 0 ? n : 0] = 0;
	close(pipefd[0]);
	if (waitpid(pid, &status, 0) != pid)
		exit(99);
	return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

static int run_bytes(const void *data, size_t len, char *err, size_t errlen)
{
	char path[64];
	FILE *f;

	snprintf(path, sizeof(path), "%s/core", tmpdir);
	f = fopen(path, "wb");
	if (!f || fwrite(data, 1, len, f) != len || fclose(f))
		exit(99);
	return run_path(path, err, errlen);
}

static void build(struct synth_core *c, struct synth_prb *p)
{
	synth_core_init(c, 1, 0, EM_X86_64, 8);
	synth_prb_init(p, c, &prb_layout_x86_64, 3, 9, KTEXT, KPHYS, DMAP, DPHYS);
	synth_prb_add(p, 0, "one", 3, SYNTH_FINALIZED);
	synth_prb_add(p, 1000, "two", 3, SYNTH_FINALIZED);
	synth_prb_finish(p);
}

static void free_core(struct synth_core *c)
{
	for (int i = 0; i < c->nreg; i++)
		free(c->reg[i].mem);
}

int main(void)
{
	const struct prb_layout *l = &prb_layout_x86_64;
	struct synth_core c;
	struct synth_prb p;
	struct synth_file f;
	char err[512], path[64];
	uint64_t head;
	int st;

	if (!mkdtemp(tmpdir))
		return 99;
	plan(7);

	/* the intact dump prints: the damage below is what is refused */
	build(&c, &p);
	synth_build(&c, &f);
	st = run_bytes(f.data, f.size, err, sizeof(err));
	ok(st == 0, "the intact dump: exit %d %s", st, err);
	free(f.data);

	/* 2^31 descriptors, tail 2^31-2 records behind head, in a dump of a few KiB */
	head = synth_get_ulong(&c, p.rb + l->prb_desc_ring + l->dr_head_id);
	synth_put(&c, p.rb + l->prb_desc_ring + l->dr_count_bits, 31, 4);
	synth_put_ulong(&c, p.rb + l->prb_desc_ring + l->dr_tail_id,
			(head - ((1ull << 31) - 2)) & p.id_mask);
	synth_build(&c, &f);
	st = run_bytes(f.data, f.size, err, sizeof(err));
	ok(st == 1 && strstr(err, "more than the") && strstr(err, "-byte dump holds"),
	   "count_bits 31 in a %zu-byte dump: refused at once: exit %d: %s", f.size, st, err);
	free(f.data);
	free_core(&c);

	/* e_phnum = PN_XNUM, section 0's sh_info = 2^32-1: 240 GB of headers */
	build(&c, &p);
	synth_build(&c, &f);
	{
		Elf64_Ehdr *e;
		Elf64_Shdr sh;
		uint8_t *d = realloc(f.data, f.size + sizeof(sh));

		if (!d)
			return 99;
		memset(&sh, 0, sizeof(sh));
		sh.sh_info = 0xffffffff;
		memcpy(d + f.size, &sh, sizeof(sh));
		e = (Elf64_Ehdr *)d;
		e->e_shoff = f.size;
		e->e_shentsize = sizeof(sh);
		e->e_shnum = 0;
		e->e_phnum = PN_XNUM;
		st = run_bytes(d, f.size + sizeof(sh), err, sizeof(err));
		ok(st == 1 && strstr(err, "truncated file: the program header table at offset 0x40 "
					  "(240518168520 bytes) ends beyond the end of the file"),
		   "PN_XNUM with sh_info 0xffffffff: refused before allocating: exit %d: %s", st, err);
		/* and a count that fits the file is still read */
		sh.sh_info = 3;
		memcpy(d + f.size, &sh, sizeof(sh));
		st = run_bytes(d, f.size + sizeof(sh), err, sizeof(err));
		ok(st == 0, "PN_XNUM with the real count in sh_info: exit %d %s", st, err);
		free(d);
	}
	free_core(&c);

	/* a FIFO as the dump: refused, not waited on */
	snprintf(path, sizeof(path), "%s/fifo", tmpdir);
	if (mkfifo(path, 0600))
		return 99;
	st = run_path(path, err, sizeof(err));
	ok(st == 1 && !strcmp(err, "not a regular file"), "a FIFO: exit %d: %s", st, err);
	unlink(path);
	/* a directory */
	st = run_path(tmpdir, err, sizeof(err));
	ok(st != 0 && st < 128, "a directory: exit %d: %s", st, err);
	/* an empty file */
	st = run_bytes("", 0, err, sizeof(err));
	ok(st == 1 && strstr(err, "empty file"), "an empty file: exit %d: %s", st, err);

	snprintf(path, sizeof(path), "%s/core", tmpdir);
	unlink(path);
	rmdir(tmpdir);
	return tap_failed ? 1 : 0;
}
