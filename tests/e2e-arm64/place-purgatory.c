// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * place-purgatory: an arm64 purgatory relocated by the tool's own loader for
 * the bare-metal test (purgatory.sh), which has no image loader to plan it.
 *
 *   place-purgatory PURGATORY.ro ADDR KERNEL_ENTRY DTB_ADDR OUT FILE@MEM...
 *
 * Each FILE becomes a segment at MEM, then the purgatory is loaded at ADDR
 * (kexec_load_purgatory), told the kernel entry and the DTB, and given the
 * digest of the segments (kexec_calculate_store_digests). OUT gets the
 * purgatory segment's bytes; stdout says "entry=0x... memsz=0x...".
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "arch.h"
#include "byteorder.h"
#include "digest.h"
#include "plan.h"
#include "purgatory.h"

static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long n;

	if (!f) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return NULL;
	}
	if (fseek(f, 0, SEEK_END) || (n = ftell(f)) <= 0 || fseek(f, 0, SEEK_SET)) {
		fprintf(stderr, "%s: empty or unreadable\n", path);
		goto close_file;
	}
	buf = malloc(n);
	if (!buf || fread(buf, 1, n, f) != (size_t)n) {
		fprintf(stderr, "%s: cannot read %ld bytes\n", path, n);
		free(buf);
		buf = NULL;
		goto close_file;
	}
	*len = n;
close_file:
	fclose(f);
	return buf;
}

static int parse_u64(const char *s, uint64_t *v)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 0);
	if (errno || end == s || *end) {
		fprintf(stderr, "place-purgatory: not a number: %s\n", s);
		return -1;
	}
	return 0;
}

static int add_file_segment(struct plan *plan, char *arg)
{
	char *at = strrchr(arg, '@');
	struct kexec_buf kbuf;
	uint8_t *buf;
	size_t len;

	if (!at) {
		fprintf(stderr, "place-purgatory: %s: want FILE@MEM\n", arg);
		return -1;
	}
	*at = 0;
	memset(&kbuf, 0, sizeof(kbuf));
	if (parse_u64(at + 1, &kbuf.mem))
		return -1;
	buf = slurp(arg, &len);
	if (!buf)
		return -1;
	if (plan_own(plan, buf)) {
		free(buf);
		return -1;
	}
	kbuf.plan = plan;
	kbuf.buffer = buf;
	kbuf.bufsz = len;
	kbuf.memsz = len;
	kbuf.buf_max = UINT64_MAX;
	kbuf.what = arg;
	return kexec_add_buffer(&kbuf);
}

static int set_u64(struct purgatory_info *pi, const char *name, uint64_t value)
{
	uint8_t le[8];

	put_le64(le, value);
	return kexec_purgatory_get_set_symbol(pi, name, le, sizeof(le), false);
}

static int write_file(const char *path, const void *buf, size_t len)
{
	FILE *f = fopen(path, "wb");
	int ok;

	if (!f) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	ok = fwrite(buf, 1, len, f) == len;
	ok = !fclose(f) && ok;
	if (!ok)
		fprintf(stderr, "%s: write failed\n", path);
	return ok ? 0 : -1;
}

int main(int argc, char **argv)
{
	struct purgatory_info pi;
	struct kexec_buf kbuf;
	struct plan plan;
	uint64_t entry, dtb;
	uint8_t *obj = NULL;
	size_t len;
	int i, ret = 1;

	if (argc < 7) {
		fprintf(stderr, "usage: %s PURGATORY.ro ADDR KERNEL_ENTRY DTB_ADDR OUT FILE@MEM...\n",
			argv[0]);
		return 2;
	}
	memset(&pi, 0, sizeof(pi));
	memset(&kbuf, 0, sizeof(kbuf));
	plan_init(&plan, &arch_arm64, NULL, NULL, false);
	if (parse_u64(argv[2], &kbuf.mem) || parse_u64(argv[3], &entry) || parse_u64(argv[4], &dtb))
		goto release_plan;
	for (i = 6; i < argc; i++)
		if (add_file_segment(&plan, argv[i]))
			goto release_plan;
	obj = slurp(argv[1], &len);
	if (!obj)
		goto release_plan;
	if (purgatory_open(&pi, &arch_arm64, obj, len, argv[1]))
		goto free_obj;
	kbuf.buf_max = UINT64_MAX;
	if (kexec_load_purgatory(&plan, &pi, &kbuf) ||
	    set_u64(&pi, "arm64_kernel_entry", entry) || set_u64(&pi, "arm64_dtb_addr", dtb) ||
	    kexec_calculate_store_digests(&plan, false) ||
	    write_file(argv[5], pi.purgatory_buf, pi.bufsz))
		goto release_purgatory;
	printf("entry=0x%" PRIx64 " memsz=0x%" PRIx64 "\n", plan.entry, pi.memsz);
	ret = 0;
release_purgatory:
	purgatory_release(&pi);
free_obj:
	free(obj);
release_plan:
	plan_release(&plan);
	return ret;
}
