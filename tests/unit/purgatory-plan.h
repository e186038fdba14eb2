/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The purgatory's verification code run on the host (tests/unit and bench/):
 * purgatory/purgatory.c, lib/sha256.c and the x86_64 purgatory's block
 * dispatch compiled hosted, with the regions pointing at a plan written by
 * kexec --dump-plan: every segment but the purgatory, its bytes and zeros up
 * to memsz, in plan order (what the loader gives the real purgatory).
 */
#ifndef UKEXEC_PURGATORY_PLAN_H
#define UKEXEC_PURGATORY_PLAN_H

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kexec-abi.h"
#include "sha256.h"

/* purgatory/purgatory.c and purgatory/arch/x86_64/purgatory-x86_64.c */
struct kexec_sha_region {
	unsigned long start;
	unsigned long len;
};
extern uint8_t purgatory_sha256_digest[SHA256_DIGEST_SIZE];
extern struct kexec_sha_region purgatory_sha_regions[KEXEC_SEGMENT_MAX];
extern uint8_t purgatory_skip_checks;
extern uint8_t purgatory_sha_ni;
int purgatory_verify(void);
void x86_setup_jump_back_entry(char *end, uint64_t entry);
int sha256_ni_usable(void);

/* Bytes of the regions filled from DIR/manifest, or 0 with one message on stderr. */
static inline uint64_t plan_regions_load(const char *dir)
{
	char path[4096], line[512], file[64], what[64], sum[80];
	unsigned int i, n = 0;
	uint64_t mem, memsz, bufsz, total = 0;
	FILE *m, *f;

	snprintf(path, sizeof(path), "%s/manifest", dir);
	m = fopen(path, "r");
	if (!m) {
		perror(path);
		return 0;
	}
	while (fgets(line, sizeof(line), m)) {
		uint8_t *buf;

		if (sscanf(line, "segment %u %63s %" SCNx64 " %" SCNx64 " %" SCNx64 " %79s %63s",
			   &i, file, &mem, &memsz, &bufsz, sum, what) != 7 || !strcmp(what, "purgatory"))
			continue;
		if (n == KEXEC_SEGMENT_MAX || bufsz > memsz) {
			fprintf(stderr, "%s: segment %u: too many segments or bufsz > memsz\n", path, i);
			goto out_close;
		}
		buf = calloc(1, memsz ? memsz : 1);
		snprintf(path, sizeof(path), "%s/%s", dir, file);
		f = fopen(path, "rb");
		if (!buf || !f || fread(buf, 1, bufsz, f) != bufsz) {
			fprintf(stderr, "%s: cannot read %" PRIu64 " bytes\n", path, bufsz);
			if (f)
				fclose(f);
			free(buf);
			goto out_close;
		}
		fclose(f);
		purgatory_sha_regions[n].start = (unsigned long)buf;
		purgatory_sha_regions[n++].len = memsz;
		total += memsz;
	}
	fclose(m);
	if (!total)
		fprintf(stderr, "%s/manifest: no segment to hash\n", dir);
	return total;
out_close:
	fclose(m);
	return 0;
}

/* 0 with the 32 bytes of HEX in out, -1 if HEX is not 64 hex digits. */
static inline int digest_from_hex(const char *hex, uint8_t out[SHA256_DIGEST_SIZE])
{
	unsigned int i, b;

	if (strlen(hex) < 2 * SHA256_DIGEST_SIZE)
		return -1;
	for (i = 0; i < SHA256_DIGEST_SIZE; i++) {
		if (sscanf(hex + 2 * i, "%2x", &b) != 1)
			return -1;
		out[i] = b;
	}
	return 0;
}

#endif
