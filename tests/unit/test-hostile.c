// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The system view's parsers on hostile text (issue 16): /proc/iomem lines
 * the kernel never prints are refused with their line number and reason;
 * cpu lists are parsed strictly and grown geometrically (realloc is counted
 * through the linker's --wrap).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "config.h"
#include "crashdump.h"
#include "decompress.h"
#include "log.h"
#include "sysview.h"
#include "tap.h"

static char last_error[512];

static void keep_error(enum kx_level level, const char *msg, void *arg)
{
	(void)level;
	(void)arg;
	snprintf(last_error, sizeof(last_error), "%s", msg);
}

static unsigned long realloc_calls;
void *__real_realloc(void *p, size_t n);
void *__wrap_realloc(void *p, size_t n);

void *__wrap_realloc(void *p, size_t n)
{
	realloc_calls++;
	return __real_realloc(p, n);
}

/* text refused at line with a reason containing why */
static void iomem_refused(const char *text, unsigned int line, const char *why, const char *desc)
{
	struct iomem_res *res = NULL;
	struct iomem_err err = { 0, "" };
	size_t nr = 0;
	int ret;

	ret = sysview_parse_iomem_err(text, &res, &nr, &err);
	ok(ret == -22 && err.line == line && strstr(err.why, why),
	   "iomem: %s: refused at line %u (%u: %s)", desc, line, err.line, err.why);
	if (!ret)
		free(res);
}

static void iomem_accepted(const char *text, size_t want, const char *desc)
{
	struct iomem_res *res = NULL;
	struct iomem_err err = { 0, "" };
	size_t nr = 0;
	int ret;

	ret = sysview_parse_iomem_err(text, &res, &nr, &err);
	ok(ret == 0 && nr == want, "iomem: %s: accepted, %zu resources (%d %u: %s)", desc, nr, ret,
	   err.line, err.why);
	free(res);
}

static void cpulist_refused(const char *text)
{
	unsigned int *cpus = NULL, nr = 0;

	ok(crash_parse_cpulist(text, &cpus, &nr) != 0, "cpulist \"%s\" refused", text);
	free(cpus);
}

int main(void)
{
	unsigned int *cpus = NULL, nr = 0;
	int ret;

	/* issue 16 item 1: a range cut by a newline read on into the next line */
	iomem_refused("00100000-3ffdffff : System RAM\n00000000-\n1 :", 2, "no \"start-end\"",
		      "a range cut by a newline");
	iomem_refused("00000000-00000fff : Reserved\n00001000-0009fbff : System RAM\n"
		      "00100000-3ffdffff : System RAM\n000f0000-000fffff : System ROM\n", 4, "unsorted",
		      "unsorted resources");
	iomem_refused("00001000-0009fbff : System RAM\n00090000-3ffdffff : System RAM\n", 2, "overlaps",
		      "overlapping System RAM");
	iomem_refused("00100000-3ffdffff : System RAM\n   01000000-01ffffff : Kernel code\n", 2,
		      "odd indentation", "odd indentation");
	iomem_refused("00100000-3ffdffff : System RAM\n    01000000-01ffffff : Kernel code\n", 2,
		      "deeper", "a child two levels down");
	iomem_refused("  00100000-3ffdffff : System RAM\n", 1, "deeper", "an indented first line");
	iomem_refused("00100000-3ffdffff : System RAM\n  3f000000-4fffffff : Crash kernel\n", 2,
		      "outside its parent", "a child past its parent's end");
	iomem_refused("00100000-3ffdffff : System RAM\n  2f000000-2f0fffff : Crash kernel\n"
		      "  2f080000-2f1fffff : Crash kernel\n", 3, "overlaps", "overlapping crash regions");
	iomem_refused("00100000-3ffdffff : System RAM\n  2f000800-2f0fffff : Crash kernel\n", 2,
		      "not page-aligned", "an unaligned crash region");
	iomem_refused("3ffdffff-00100000 : System RAM\n", 1, "ends below", "end below start");
	iomem_refused("00100000-3ffdffff : System RAM\n10000000000000-10000fffffffff : System RAM\n", 2,
		      "beyond 2^52", "System RAM at 2^52");
	iomem_refused("00100000-3ffdffff System RAM\n", 1, "\" : \"", "no colon");
	iomem_refused("00100000-13ffdffffffffffff : System RAM\n", 1, "no \"start-end\"",
		      "more than 16 hex digits");
	iomem_refused("00100000-+3ffdffff : System RAM\n", 1, "no \"start-end\"", "a sign");
	iomem_accepted("00000000-00000fff : Reserved\n00001000-0009fbff : System RAM\n"
		       "000a0000-000bffff : PCI Bus 0000:00\n00100000-3ffdffff : System RAM\n"
		       "  01000000-01ffffff : Kernel code\n  2f000000-3effffff : Crash kernel\n"
		       "fed00000-fed003ff : HPET 0\n  fed00000-fed003ff : PNP0103:00\n", 8,
		       "a QEMU-shaped view");
	/* what an unprivileged reader sees: parsed, refused later by sysview_open */
	iomem_accepted("00000000-00000000 : Reserved\n00000000-00000000 : System RAM\n"
		       "  00000000-00000000 : Kernel code\n", 3, "all zero");

	ret = crash_parse_cpulist("0-3,8,10-11\n", &cpus, &nr);
	ok(ret == 0 && nr == 7 && cpus[4] == 8 && cpus[6] == 11, "cpulist 0-3,8,10-11: %u cpus", nr);
	free(cpus);
	/* issue 16 item 9: one realloc per cpu (53 s under ASan for 0-65535) */
	realloc_calls = 0;
	ret = crash_parse_cpulist("0-65535", &cpus, &nr);
	ok(ret == 0 && nr == 65536 && cpus[65535] == 65535 && realloc_calls <= 20,
	   "cpulist 0-65535: %u cpus in %lu reallocs", nr, realloc_calls);
	free(cpus);
	realloc_calls = 0;
	{
		char list[65536 / 2 * 7];
		size_t len = 0;

		for (unsigned int i = 0; i < 65536; i += 2)
			len += sprintf(list + len, "%s%u", i ? "," : "", i);
		ret = crash_parse_cpulist(list, &cpus, &nr);
		ok(ret == 0 && nr == 32768 && realloc_calls <= 20, "cpulist of 32768 single cpus: %u in %lu reallocs",
		   nr, realloc_calls);
		free(cpus);
	}
	cpulist_refused("0-65536");
	cpulist_refused("-1");
	cpulist_refused("+1");
	cpulist_refused(" 1");
	cpulist_refused("3,1");
	cpulist_refused("0-3,2");
	cpulist_refused("0,");
	cpulist_refused("0-");
	cpulist_refused("");

#ifdef HAVE_ZSTD
	{
		/* fuzz-arm64's OOM: 10 bytes of zstd frame declaring a 2 GiB window */
		static const uint8_t frame[] = { 0x28, 0xb5, 0x2f, 0xfd, 0x00, 0xa8, 0x83, 0x7a, 0x00, 0x4d };
		uint8_t *out = NULL;
		size_t outlen = 0;

		kx_set_log_sink(keep_error, NULL);
		ret = kx_decompress(frame, sizeof(frame), "tiny.zst", 0, &out, &outlen);
		kx_set_log_sink(NULL, NULL);
		ok(ret != 0 && strstr(last_error, "tiny.zst: zstd frame asks a window over 2^27 bytes"),
		   "zstd: a 2 GiB window in a 10-byte file refused before allocating it: %s", last_error);
		free(out);
	}
#else
	skip(1, "built without zstd");
#endif
#ifdef HAVE_LZMA
	{
		/* 1000 zeros, xz with a 1 MiB dictionary, the block header's dictionary
		 * byte set to 40 (4 GiB - 1) and its CRC32 recomputed */
		static const uint8_t xz[] = {
			0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0x00, 0x01, 0x69, 0x22, 0xde, 0x36,
			0x02, 0x00, 0x21, 0x01, 0x28, 0x00, 0x00, 0x00, 0xe6, 0xa0, 0x11, 0xb3,
			0xe0, 0x03, 0xe7, 0x00, 0x0b, 0x5d, 0x00, 0x00, 0x6f, 0xfd, 0xff, 0xff,
			0xa3, 0xb7, 0x5a, 0x0d, 0x5e, 0x00, 0x00, 0x00, 0x80, 0x17, 0x0b, 0x06,
			0x00, 0x01, 0x23, 0xe8, 0x07, 0x00, 0x00, 0x00, 0xe2, 0x17, 0x1e, 0xc7,
			0x3e, 0x30, 0x0d, 0x8b, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x59, 0x5a,
		};
		uint8_t *out = NULL;
		size_t outlen = 0;

		last_error[0] = '\0';
		kx_set_log_sink(keep_error, NULL);
		ret = kx_decompress(xz, sizeof(xz), "tiny.xz", 0, &out, &outlen);
		kx_set_log_sink(NULL, NULL);
		ok(ret != 0 && strstr(last_error, "tiny.xz: xz stream asks for 4096 MiB to decode, more than its 72 bytes"),
		   "xz: a 4 GiB dictionary in a 72-byte file refused before allocating it: %s", last_error);
		free(out);
	}
#else
	skip(1, "built without xz");
#endif
	return done_testing();
}
