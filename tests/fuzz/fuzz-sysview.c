// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness: the machine view as a whole. The input is a sysroot
 * tree, records of
 *	u8 path length, path (relative, [A-Za-z0-9_./:,#@+-], no ".."),
 *	u16 little-endian data length, data
 * written under a fresh directory; then sysview_open() (/proc/iomem,
 * /sys/firmware/memmap, osrelease) and the x86_64 loads -l and -p of a fixed
 * kernel on it (boot_params, the EFI runtime map and tables, cpu lists,
 * crash_notes, vmcoreinfo, /proc/kcore's headers, the crash region), each
 * with the command line --reuse-cmdline makes of /proc/cmdline (the tool's
 * own build_cmdline, kexec/kexec.c included here with its main renamed).
 * UKEXEC_FUZZ_KERNEL names the kernel (the head of a bzImage, as
 * tests/fuzz/run.sh makes for fuzz-bzimage). A tree with the files only
 * another architecture's kernel writes is loaded by that loader too, with a
 * small stand-in kernel: /sys/firmware/fdt or debugfs' memblock lists, the
 * arm64 -l and -p (the DTB, the memblock parser, the crash inputs);
 * /sys/firmware/ipl, the s390x -l and -p (the IPL type, secure flag and
 * parameter block; the purgatory named by UKEXEC_FUZZ_S390X_PURGATORY, else
 * the load stops at the purgatory); /sys/firmware/devicetree/base (with
 * /proc/device-tree linked to it, as the kernel shows it), the ppc64 -l and
 * -p (the live tree's memory, drconf LMBs, RTAS/OPAL, TCE, HPT,
 * reserved-ranges, /proc/cpuinfo, the crash region; the kernel's purgatory
 * named by UKEXEC_FUZZ_PPC64_PURGATORY, else the load stops there). Seeds:
 * tests/fuzz/sysroot-seed.py on the recorded machines.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "arch.h"
#include "byteorder.h"
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
/* arm64: an Image header, 4K pages; s390x: an image up to its command line area */
static uint8_t arm64_image[0x2000], s390x_image[0x10800];
static uint8_t *s390x_purgatory;
static size_t s390x_purgatory_len;
/* ppc64: a vmlinux of one PT_LOAD at physical 0, 4 KiB of it, and the kernel's purgatory */
static uint8_t ppc64_vmlinux[FUZZ_PPC64_VMLINUX_SIZE];
static uint8_t *ppc64_purgatory;
static size_t ppc64_purgatory_len;

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

/* the whole file at path, or abort */
static uint8_t *slurp(const char *path, size_t *len)
{
	uint8_t *buf;
	FILE *f;
	long n;

	if (!path || !(f = fopen(path, "rb")) || fseek(f, 0, SEEK_END) || (n = ftell(f)) <= 0)
		return NULL;
	rewind(f);
	buf = malloc((size_t)n);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n)
		abort();
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static void setup(void)
{
	const char *k = getenv("UKEXEC_FUZZ_KERNEL");

	snprintf(base, sizeof(base), "/dev/shm/ukexec-fuzz-sv.XXXXXX");
	if (access("/dev/shm", W_OK))
		snprintf(base, sizeof(base), "/tmp/ukexec-fuzz-sv.XXXXXX");
	if (!mkdtemp(base))
		abort();
	atexit(cleanup);
	snprintf(root, sizeof(root), "%s/root", base);
	kernel = slurp(k, &kernel_len);
	if (!kernel) {
		fprintf(stderr, "fuzz-sysview: set UKEXEC_FUZZ_KERNEL to a bzImage (head)\n");
		abort();
	}
	put_le64(arm64_image + 16, sizeof(arm64_image));	/* image_size */
	put_le64(arm64_image + 24, 2);				/* 4K pages */
	memcpy(arm64_image + 56, "ARM\x64", 4);
	s390x_purgatory = slurp(getenv("UKEXEC_FUZZ_S390X_PURGATORY"), &s390x_purgatory_len);
	ppc64_purgatory = slurp(getenv("UKEXEC_FUZZ_PPC64_PURGATORY"), &ppc64_purgatory_len);
	fuzz_ppc64_vmlinux(ppc64_vmlinux);
}

static bool path_ok(const char *p)
{
	if (!*p || *p == '/' || strstr(p, "..") || strstr(p, "//"))
		return false;
	for (; *p; p++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./:,#@+-", *p))
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

/* /proc/device-tree is the kernel's link to /sys/firmware/devicetree/base */
static void link_device_tree(void)
{
	char dt[160], proc[160], link[160];
	struct stat st;

	snprintf(dt, sizeof(dt), "%s/sys/firmware/devicetree/base", root);
	snprintf(link, sizeof(link), "%s/proc/device-tree", root);
	if (stat(dt, &st) || !S_ISDIR(st.st_mode) || !lstat(link, &st))
		return;
	snprintf(proc, sizeof(proc), "%s/proc", root);
	mkdir(proc, 0755);
	if (symlink("../sys/firmware/devicetree/base", link))
		abort();
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
	link_device_tree();
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

static void load_arm64(const struct sysview *sv, bool crash)
{
	fuzz_plan(&arch_arm64, sv, "6.1", crash, NULL, "console=ttyAMA0", arm64_image,
		  sizeof(arm64_image), NULL, 0);
}

static void load_s390x(const struct sysview *sv, bool crash)
{
	struct purgatory_info pi;

	memset(&pi, 0, sizeof(pi));
	if (s390x_purgatory &&
	    purgatory_open(&pi, &arch_s390x, s390x_purgatory, s390x_purgatory_len, "fuzz purgatory"))
		abort();	/* the seed purgatory must open */
	fuzz_plan(&arch_s390x, sv, "6.1", crash, &pi, "console=ttysclp0", s390x_image,
		  sizeof(s390x_image), NULL, 0);
	if (s390x_purgatory)
		purgatory_release(&pi);
}

static void load_ppc64(const struct sysview *sv, bool crash)
{
	struct purgatory_info pi;

	memset(&pi, 0, sizeof(pi));
	if (ppc64_purgatory &&
	    purgatory_open(&pi, &arch_ppc64, ppc64_purgatory, ppc64_purgatory_len, "fuzz purgatory"))
		abort();	/* the recorded kernel's purgatory must open */
	fuzz_plan(&arch_ppc64, sv, "6.1", crash, ppc64_purgatory ? &pi : NULL, "console=hvc0",
		  ppc64_vmlinux, sizeof(ppc64_vmlinux), NULL, 0);
	if (ppc64_purgatory)
		purgatory_release(&pi);
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
	if (sysview_exists(&sv, "/sys/firmware/fdt") || sysview_exists(&sv, "/sys/kernel/debug/memblock")) {
		load_arm64(&sv, false);
		load_arm64(&sv, true);
	}
	if (sysview_exists(&sv, "/sys/firmware/ipl")) {
		load_s390x(&sv, false);
		load_s390x(&sv, true);
	}
	if (sysview_exists(&sv, "/sys/firmware/devicetree/base")) {
		load_ppc64(&sv, false);
		load_ppc64(&sv, true);
	}
	sysview_close(&sv);
	return 0;
}
