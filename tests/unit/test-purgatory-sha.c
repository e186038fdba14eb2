// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The x86_64 purgatory's digest check, its own sources compiled for the host:
 * the same verdicts with the generic block function and with SHA-NI (when
 * this CPU has it). FIPS 180-4's "abc" split over two regions; regions of
 * every awkward length at unaligned addresses; and, with PLAN_DIR HEX (from
 * test-purgatory-sha.sh), a real plan with the digest sha256sum(1) gave for
 * it. Each also with one byte changed, which must be caught.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tap.h"
#include "purgatory-plan.h"

static const char *way_name[] = { "generic", "sha-ni" };

static void set_regions(uint8_t *const *starts, const size_t *lens, unsigned int n)
{
	unsigned int i;

	memset(purgatory_sha_regions, 0, sizeof(purgatory_sha_regions));
	for (i = 0; i < n; i++) {
		purgatory_sha_regions[i].start = (unsigned long)starts[i];
		purgatory_sha_regions[i].len = lens[i];
	}
}

/* The check passes, then fails with *flip changed, both ways. */
static void check_both_ways(const char *what, uint8_t *flip, int ways)
{
	int way;

	for (way = 0; way < 2; way++) {
		if (way >= ways) {
			skip(2, "%s: this CPU has no SHA-NI (grep sha_ni /proc/cpuinfo)", what);
			continue;
		}
		purgatory_sha_ni = way;
		ok(purgatory_verify() == 0, "%s, %s: digest matches", what, way_name[way]);
		*flip ^= 0x01;
		ok(purgatory_verify() != 0, "%s, %s: one changed byte is caught", what, way_name[way]);
		*flip ^= 0x01;
	}
}

static void test_abc(int ways)
{
	static uint8_t a[] = "a", bc[] = "bc";
	uint8_t *starts[] = { a, bc };
	size_t lens[] = { 1, 2 };

	set_regions(starts, lens, 2);
	digest_from_hex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
			purgatory_sha256_digest);
	check_both_ways("\"abc\" in two regions", &bc[1], ways);
}

/* Lengths around the 56- and 64-byte edges of padding and blocks, odd addresses. */
static void test_awkward(int ways)
{
	static const size_t lens[] = { 0, 1, 55, 56, 57, 63, 64, 65, 127, 4095, 1000003, 3 };
	enum { N = sizeof(lens) / sizeof(lens[0]) };
	size_t total = 0, off = 1, i;
	uint8_t *starts[N], *buf;
	uint64_t x = 0x9e3779b97f4a7c15ULL;
	struct sha256_state sctx;

	for (i = 0; i < N; i++)
		total += lens[i] + 3;
	buf = malloc(total + 1);
	if (!buf)
		exit(99);
	for (i = 0; i < total + 1; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		buf[i] = x >> 32;
	}
	for (i = 0; i < N; i++) {
		starts[i] = buf + off;
		off += lens[i] + 3;
	}
	set_regions(starts, lens, N);
	/* the reference digest: one pass over the regions with the generic blocks */
	purgatory_sha_ni = 0;
	sha256_init(&sctx);
	for (i = 0; i < N; i++)
		sha256_update(&sctx, starts[i], lens[i]);
	sha256_final(&sctx, purgatory_sha256_digest);
	check_both_ways("12 regions of 0..1000003 bytes at odd addresses", starts[10] + 777777, ways);
	free(buf);
}

static void test_plan(const char *dir, const char *hex, int ways)
{
	uint64_t bytes;
	unsigned int i, big = 0;

	memset(purgatory_sha_regions, 0, sizeof(purgatory_sha_regions));
	bytes = plan_regions_load(dir);
	if (!bytes || digest_from_hex(hex, purgatory_sha256_digest)) {
		ok(0, "plan %s loaded with digest %s", dir, hex);
		return;
	}
	for (i = 1; i < KEXEC_SEGMENT_MAX; i++)
		if (purgatory_sha_regions[i].len > purgatory_sha_regions[big].len)
			big = i;
	diag("plan: %" PRIu64 " bytes in the regions", bytes);
	check_both_ways("the plan (sha256sum's digest)",
			(uint8_t *)purgatory_sha_regions[big].start + purgatory_sha_regions[big].len / 2 + 5, ways);
}

/*
 * --load-preserve-context: the purgatory appends " kexec_jump_back_entry=0x%lx"
 * (kexec-tools' format) at the command line's NUL; snprintf is the oracle.
 */
static void test_jump_back_entry(void)
{
	static const uint64_t entries[] = { 0x5, 0x3ff1a0c1, 0x10000000, UINT64_MAX };
	unsigned int i;

	for (i = 0; i < sizeof(entries) / sizeof(entries[0]); i++) {
		char got[128] = "console=ttyS0 mem=384M", want[128];
		size_t len = strlen(got);

		memset(got + len + 1, 'x', sizeof(got) - len - 1);
		x86_setup_jump_back_entry(got + len, entries[i]);
		snprintf(want, sizeof(want), "console=ttyS0 mem=384M kexec_jump_back_entry=0x%" PRIx64,
			 entries[i]);
		ok(!strcmp(got, want) && got[strlen(want) + 1] == 'x',
		   "jump-back entry 0x%" PRIx64 ": \"%s\", nothing written past its NUL", entries[i], got);
	}
}

int main(int argc, char **argv)
{
	int ways = sha256_ni_usable() ? 2 : 1;

	plan(argc > 2 ? 16 : 12);
	diag("this CPU: %s", ways == 2 ? "SHA-NI usable, both ways run" : "no SHA-NI, generic only");
	purgatory_skip_checks = 0;
	test_abc(ways);
	test_awkward(ways);
	test_jump_back_entry();
	if (argc > 2)
		test_plan(argv[1], argv[2], ways);
	return done_testing();
}
