// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness: the machine view as a whole. The input is a sysroot
 * tree, records of
 *	u8 path length, path (relative, [A-Za-z0-9_./:-], no ".."),
 *	u16 little-endian data length, data
 * written under a fresh directory; then sysview_open() (/proc/iomem,
 * /sys/firmware/memmap, osrelease) and the x86_64 loads -l and -p of a fixed
 * kernel on it (boot_params, the EFI runtime map and tables, cpu lists,
 * crash_notes, vmcoreinfo, /proc/kcore's headers, the crash region), each
 * with the command line --reuse-cmdline makes of /proc/cmdline (the tool's
 * own build_cmdline, kexec/kexec.c included here with its main renamed).
 * UKEXEC_FUZZ_KERNEL names the kernel (the head of a bzImage, as
 * tests/fuzz/run.sh makes for fuzz-bzimage). Seeds: tests/fuzz/sysroot-seed.py
 * on the recorded machines.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "arch.h"
#include "fuzz-common.h"
#include "log.h"
#include "purgatory.h"
#include "sysview.h"

#define main ukexec_main
#include "kexec.c"
#undef main

static char base[64], root[96];
static uint8_t *kernel;
static size_t kernel_len;

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

static void cleanup(void)
{
	nftw(base, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void setup(void)
{
	const char *k = getenv("UKEXEC_FUZZ_KERNEL");
	FILE *f;
	long n;

	snprintf(base, sizeof(base), "/dev/shm/ukexec-fuzz-sv.XXXXXX");
	if (access("/dev/shm", W_OK))
		snprintf(base, sizeof(base), "/tmp/ukexec-fuzz-sv.XXXXXX");
	if (!mkdtemp(base))
		abort();
	atexit(cleanup);
	snprintf(root, sizeof(root), "%s/root", base);
	if (!k || !(f = fopen(k, "rb")) || fseek(f, 0, SEEK_END) || (n = ftell(f)) <= 0) {
		fprintf(stderr, "fuzz-sysview: set UKEXEC_FUZZ_KERNEL to a bzImage (head)\n");
		abort();
	}
	kernel_len = (size_t)n;
	kernel = malloc(kernel_len);
	rewind(f);
	if (!kernel || fread(kernel, 1, kernel_len, f) != kernel_len)
		abort();
	fclose(f);
}

static bool path_ok(const char *p)
{
	if (!*p || *p == '/' || strstr(p, "..") || strstr(p, "//"))
		return false;
	for (; *p; p++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./:-", *p))
			return false;
	return true;
}

/* mkdir -p of path's parents under root, then the file */
static void put_file(const char *rel, const uint8_t *data, size_t len)
{
	char path[512];
	size_t i;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	for (i = strlen(root) + 1; path[i]; i++) {
		if (path[i] != '/')
			continue;
		path[i] = '\0';
		mkdir(path, 0755);
		path[i] = '/';
	}
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	if (len && write(fd, data, len) < 0)
		abort();
	close(fd);
}

static void build_tree(const uint8_t *data, size_t size)
{
	size_t at = 0;

	nftw(root, remove_one, 16, FTW_DEPTH | FTW_PHYS);
	if (mkdir(root, 0755))
		abort();
	while (at < size) {
		char rel[256];
		size_t plen = data[at++], dlen;

		if (plen > size - at)
			break;
		memcpy(rel, data + at, plen);
		rel[plen] = '\0';
		at += plen;
		if (size - at < 2)
			break;
		dlen = data[at] | (size_t)data[at + 1] << 8;
		at += 2;
		if (dlen > size - at)
			dlen = size - at;
		if (plen == strlen(rel) && path_ok(rel))
			put_file(rel, data + at, dlen);
		at += dlen;
	}
}

static void load_once(const struct sysview *sv, bool crash, const char *profile)
{
	const uint8_t *obj;
	size_t objlen;
	struct purgatory_info pi;
	struct request req;

	memset(&req, 0, sizeof(req));
	req.reuse_cmdline = true;
	req.crash = crash;
	req.append = "console=ttyS0";
	if (build_cmdline(&req, sv))
		return;
	if (arch_embedded_purgatory(&arch_x86_64, &obj, &objlen) ||
	    purgatory_open(&pi, &arch_x86_64, obj, objlen, "embedded purgatory"))
		abort();
	fuzz_plan(&arch_x86_64, sv, profile, crash, &pi, req.cmdline, kernel, kernel_len, NULL, 0);
	purgatory_release(&pi);
	request_release(&req);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sysview sv;

	kx_set_log_sink(fuzz_quiet, NULL);
	if (!kernel)
		setup();
	build_tree(data, size);
	if (sysview_open(&sv, root))
		return 0;
	load_once(&sv, false, "6.12");
	load_once(&sv, true, "6.12");
	sysview_close(&sv);
	return 0;
}
