// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bench/sha256 [MIB]: SHA-256 throughput over the same MIB (default 256) MiB
 * of pseudo-random bytes, in one run:
 *   generic   lib/sha256.c's portable block function
 *   <arch>    the accelerated block function the tool dispatches to (SHA-NI)
 *   sha256sum, openssl dgst -sha256   over a file holding the same bytes
 *             (in /dev/shm when there is one; includes process start-up and
 *             reading the file from the page cache)
 * Each is the best of UKEXEC_BENCH_RUNS (default 3) runs; every digest must
 * agree. Prints MiB/s and ratios; asserts nothing about speed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "sha256.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void to_hex(const uint8_t *d, char *hex)
{
	int i;

	for (i = 0; i < SHA256_DIGEST_SIZE; i++)
		sprintf(hex + 2 * i, "%02x", d[i]);
}

struct result {
	const char *name;
	double secs;		/* best run; < 0: not available */
	char hex[2 * SHA256_DIGEST_SIZE + 1];
};

static void run_ours(struct result *r, int generic, const uint8_t *buf, size_t len, int runs)
{
	uint8_t d[SHA256_DIGEST_SIZE];
	int i;

	sha256_force_generic(generic);
	r->name = sha256_impl_name();
	r->secs = -1;
	for (i = 0; i < runs; i++) {
		double t = now();

		sha256(buf, len, d);
		t = now() - t;
		if (r->secs < 0 || t < r->secs)
			r->secs = t;
	}
	to_hex(d, r->hex);
}

/* cmd prints the digest as the first 64 characters of its output. */
static void run_tool(struct result *r, const char *name, const char *cmd, int runs)
{
	char line[256];
	int i;

	r->name = name;
	r->secs = -1;
	r->hex[0] = 0;
	for (i = 0; i < runs; i++) {
		double t = now();
		FILE *p = popen(cmd, "r");
		int good;

		if (!p)
			return;
		good = fgets(line, sizeof(line), p) && strlen(line) >= 64;
		if (pclose(p) != 0 || !good) {
			r->secs = -1;
			return;
		}
		t = now() - t;
		if (r->secs < 0 || t < r->secs)
			r->secs = t;
		memcpy(r->hex, line, 64);
		r->hex[64] = 0;
	}
}

int main(int argc, char **argv)
{
	size_t mib = argc > 1 ? strtoul(argv[1], NULL, 0) : 256, len = mib << 20, i;
	const char *runs_env = getenv("UKEXEC_BENCH_RUNS");
	int runs = runs_env ? atoi(runs_env) : 3, n = 0, fd, k, rc = 0;
	const char *dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	const char *arch_name = NULL;
	struct result res[4];
	char path[512], cmd[640];
	uint64_t x = 0x243f6a8885a308d3ULL;
	uint8_t *buf;
	FILE *f;

	if (!mib || runs < 1) {
		fprintf(stderr, "usage: %s [MIB]  (UKEXEC_BENCH_RUNS=N, N >= 1)\n", argv[0]);
		return 2;
	}
	buf = malloc(len);
	if (!buf) {
		perror("malloc");
		return 1;
	}
	for (i = 0; i + 8 <= len; i += 8) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		memcpy(buf + i, &x, 8);
	}

	snprintf(path, sizeof(path), "%s/ukexec-bench-sha256-XXXXXX", dir);
	fd = mkstemp(path);
	f = fd >= 0 ? fdopen(fd, "wb") : NULL;
	if (!f || fwrite(buf, 1, len, f) != len || fclose(f)) {
		perror(path);
		return 1;
	}

	printf("SHA-256 over %zu MiB, best of %d run(s); file for the tools: %s\n", mib, runs, path);
	run_ours(&res[n++], 1, buf, len, runs);
	if (sha256_arch_blocks(&arch_name))
		run_ours(&res[n++], 0, buf, len, runs);
	else
		printf("(no accelerated block function on this CPU)\n");
	snprintf(cmd, sizeof(cmd), "sha256sum '%s' 2>/dev/null", path);
	run_tool(&res[n++], "sha256sum", cmd, runs);
	snprintf(cmd, sizeof(cmd), "openssl dgst -sha256 -r '%s' 2>/dev/null", path);
	run_tool(&res[n++], "openssl", cmd, runs);
	unlink(path);

	printf("%-10s %9s %10s %12s  %s\n", "impl", "seconds", "MiB/s", "x generic", "digest");
	for (k = 0; k < n; k++) {
		if (res[k].secs < 0) {
			printf("%-10s %9s %10s %12s  (not available)\n", res[k].name, "-", "-", "-");
			continue;
		}
		printf("%-10s %9.3f %10.1f %12.2f  %s\n", res[k].name, res[k].secs, mib / res[k].secs,
		       res[0].secs / res[k].secs, res[k].hex);
		if (strcmp(res[k].hex, res[0].hex)) {
			printf("DIGEST MISMATCH: %s\n", res[k].name);
			rc = 1;
		}
	}
	/* the tool's choice against the external ones */
	for (k = 2 - !arch_name; k < n; k++)
		if (res[k].secs > 0)
			printf("%s runs at %.2fx the speed of %s\n", res[1 - !arch_name].name,
			       res[k].secs / res[1 - !arch_name].secs, res[k].name);
	free(buf);
	return rc;
}
