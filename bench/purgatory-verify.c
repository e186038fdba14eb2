// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bench/purgatory-verify PLAN_DIR HEX: the x86_64 purgatory's digest check
 * (its own sources, compiled for the host) over a plan written by kexec
 * --dump-plan, in one run:
 *   generic   the block function the kernel's purgatory uses (portable C)
 *   sha-ni    the one our purgatory picks when CPUID has SHA-NI
 * HEX is the digest the check must find (bench/purgatory gets it from
 * sha256sum(1)). Each is the best of UKEXEC_BENCH_RUNS (default 5) runs.
 * Prints seconds, MiB/s and the ratio; exits nonzero if a check fails.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "purgatory-plan.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Best time of runs checks, or < 0 if one of them failed. */
static double time_verify(int sha_ni, int runs)
{
	double best = -1;
	int i;

	purgatory_sha_ni = sha_ni;
	for (i = 0; i < runs; i++) {
		double t = now();

		if (purgatory_verify())
			return -1;
		t = now() - t;
		if (best < 0 || t < best)
			best = t;
	}
	return best;
}

int main(int argc, char **argv)
{
	const char *runs_env = getenv("UKEXEC_BENCH_RUNS");
	int runs = runs_env ? atoi(runs_env) : 5;
	double generic, ni = -1;
	uint64_t bytes;

	if (argc != 3 || runs < 1) {
		fprintf(stderr, "usage: %s PLAN_DIR HEX  (UKEXEC_BENCH_RUNS=N, N >= 1)\n", argv[0]);
		return 2;
	}
	bytes = plan_regions_load(argv[1]);
	if (!bytes)
		return 1;
	if (digest_from_hex(argv[2], purgatory_sha256_digest)) {
		fprintf(stderr, "%s: not a SHA-256 digest in hex\n", argv[2]);
		return 2;
	}
	generic = time_verify(0, runs);
	if (sha256_ni_usable())
		ni = time_verify(1, runs);
	printf("purgatory digest check over %.1f MiB (%" PRIu64 " B), best of %d run(s)\n",
	       bytes / 1048576.0, bytes, runs);
	printf("%-10s %9s %10s %10s\n", "impl", "seconds", "MiB/s", "x generic");
	if (generic < 0) {
		printf("generic: DIGEST MISMATCH\n");
		return 1;
	}
	printf("%-10s %9.4f %10.1f %10.2f\n", "generic", generic, bytes / 1048576.0 / generic, 1.0);
	if (!sha256_ni_usable()) {
		printf("%-10s (this CPU has no SHA-NI)\n", "sha-ni");
		return 0;
	}
	if (ni < 0) {
		printf("sha-ni: DIGEST MISMATCH\n");
		return 1;
	}
	printf("%-10s %9.4f %10.1f %10.2f\n", "sha-ni", ni, bytes / 1048576.0 / ni, generic / ni);
	return 0;
}
