// SPDX-License-Identifier: GPL-2.0-or-later
/* The /proc/iomem parser and the kernel's System RAM walk. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "log.h"
#include "sysview.h"
#include "tap.h"

/* Shape of a QEMU pc guest's /proc/iomem with crashkernel=256M. */
static const char iomem[] =
	"00000000-00000fff : Reserved\n"
	"00001000-0009fbff : System RAM\n"
	"0009fc00-0009ffff : Reserved\n"
	"000a0000-000bffff : PCI Bus 0000:00\n"
	"000f0000-000fffff : Reserved\n"
	"  000f0000-000fffff : System ROM\n"
	"00100000-3ffdffff : System RAM\n"
	"  1f000000-2effffff : Crash kernel\n"
	"  34a00000-35601fff : Kernel code\n"
	"3ffe0000-3fffffff : Reserved\n"
	"fffc0000-ffffffff : Reserved\n";

struct walk_log {
	uint64_t start[8], end[8];
	int n, stop_at;
};

static int record(const struct iomem_res *res, void *arg)
{
	struct walk_log *log = arg;

	log->start[log->n] = res->start;
	log->end[log->n] = res->end;
	log->n++;
	return log->n == log->stop_at;
}

static void sink(enum kx_level level, const char *msg, void *arg)
{
	(void)level;
	snprintf(arg, 256, "%s", msg);
}

int main(void)
{
	struct sysview sv;
	struct walk_log log;
	struct iomem_res *res;
	char msg[256] = "", dir[] = "/tmp/ukexec-sysview-XXXXXX", path[512];
	size_t nr;
	FILE *f;

	ok(sysview_parse_iomem(iomem, &res, &nr) == 0, "parse a QEMU-shaped /proc/iomem");
	is_int(nr, 11, "11 resources");
	is_int(res[7].depth, 1, "Crash kernel nested under System RAM");
	ok(!strcmp(res[7].name, "Crash kernel") && res[7].start == 0x1f000000 &&
	   res[7].end == 0x2effffff, "Crash kernel bounds and name");
	free(res);
	ok(sysview_parse_iomem("00001000-zz : System RAM\n", &res, &nr) != 0,
	   "a malformed range is refused");
	ok(sysview_parse_iomem("nonsense\n", &res, &nr) != 0, "a line without a range is refused");

	memset(&sv, 0, sizeof(sv));
	sysview_parse_iomem(iomem, &sv.iomem, &sv.nr_iomem);
	memset(&log, 0, sizeof(log));
	sysview_walk_system_ram(&sv, 0, UINT64_MAX, record, &log);
	ok(log.n == 2 && log.start[0] == 0x1000 && log.start[1] == 0x100000 &&
	   log.end[1] == 0x3ffdffff, "walk: the two top-level System RAM ranges, upwards");
	memset(&log, 0, sizeof(log));
	sysview_walk_system_ram_rev(&sv, 0, UINT64_MAX, record, &log);
	ok(log.n == 2 && log.start[0] == 0x100000 && log.start[1] == 0x1000,
	   "reverse walk: highest range first");
	memset(&log, 0, sizeof(log));
	log.stop_at = 1;
	is_int(sysview_walk_system_ram(&sv, 0, UINT64_MAX, record, &log), 1,
	       "a callback's nonzero return stops the walk and is returned");
	is_int(log.n, 1, "only one range visited");
	memset(&log, 0, sizeof(log));
	sysview_walk_system_ram(&sv, 0x2000, 0x1ffffff, record, &log);
	ok(log.n == 2 && log.start[0] == 0x2000 && log.end[1] == 0x1ffffff,
	   "ranges are clipped to the walk's bounds");
	ok(sysview_find_res(&sv, "Crash kernel") == &sv.iomem[7], "find the crash region");
	sysview_close(&sv);

	is_int(sysview_parse_kver("6.1.0-28-amd64"), KVER(6, 1, 0), "kver of Debian 6.1");
	is_int(sysview_parse_kver("6.12.12+bpo-amd64"), KVER(6, 12, 12), "kver of a backports 6.12");
	is_int(sysview_parse_kver("garbage"), 0, "kver of garbage is 0");

	/* A recorded tree under a root prefix. */
	if (!mkdtemp(dir))
		return 1;
	snprintf(path, sizeof(path), "mkdir -p %s/proc/sys/kernel", dir);
	if (system(path))
		return 1;
	snprintf(path, sizeof(path), "%s/proc/iomem", dir);
	f = fopen(path, "w");
	fputs(iomem, f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/proc/sys/kernel/osrelease", dir);
	f = fopen(path, "w");
	fputs("6.12.9+bpo-amd64\n", f);
	fclose(f);
	ok(sysview_open(&sv, dir) == 0, "open a recorded sysroot");
	ok(sv.nr_iomem == 11 && sv.kver == KVER(6, 12, 9), "it reads iomem and osrelease under the root");
	sysview_close(&sv);

	kx_set_log_sink(sink, msg);
	ok(sysview_open(&sv, "/nonexistent-sysroot") != 0, "a missing sysroot is an error");
	ok(strstr(msg, "/nonexistent-sysroot") != NULL, "the message names it: %s", msg);
	snprintf(path, sizeof(path), "%s/proc/iomem", dir);
	f = fopen(path, "w");
	fputs("00000000-00000000 : System RAM\n00000000-00000000 : Reserved\n", f);
	fclose(f);
	msg[0] = '\0';
	ok(sysview_open(&sv, dir) != 0, "zeroed iomem (read without root) is refused");
	ok(strstr(msg, "root") != NULL, "the message says why: %s", msg);
	snprintf(path, sizeof(path), "rm -rf %s", dir);
	if (system(path))
		return 1;
	kx_set_log_sink(NULL, NULL);
	return done_testing();
}
