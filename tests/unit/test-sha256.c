// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * lib/sha256.c against the FIPS 180-4 examples and NIST's additional SHA-256
 * examples (every expected digest below is typed from those documents, never
 * computed by this code), for both block functions the tool may use: the
 * generic one and, when this CPU has it, the accelerated one of lib/arch/.
 * Then incremental updates at every split point, sha256_update_zeros against
 * explicit zeros, generic against accelerated on random inputs, the
 * dispatcher's choice, and sha256sum(1) as an outside oracle.
 *
 * The vectors of 512 MiB and more run with the dispatched (fastest) block
 * function only, unless UKEXEC_TEST_SHA256_LONG=all asks for every one;
 * UKEXEC_TEST_SHA256_LONG=0 leaves them out.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "sha256.h"
#include "tap.h"

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rnd(void)
{
	uint64_t x = rng_state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return rng_state = x;
}

static void fill_random(uint8_t *p, size_t n)
{
	while (n--)
		*p++ = (uint8_t)rnd();
}

static void from_hex(const char *hex, uint8_t *out)
{
	size_t i;

	for (i = 0; i < SHA256_DIGEST_SIZE; i++) {
		unsigned int v;

		sscanf(hex + 2 * i, "%2x", &v);
		out[i] = (uint8_t)v;
	}
}

static void to_hex(const uint8_t *d, char *hex)
{
	size_t i;

	for (i = 0; i < SHA256_DIGEST_SIZE; i++)
		sprintf(hex + 2 * i, "%02x", d[i]);
}

static int digest_is(const uint8_t *got, const char *want_hex)
{
	uint8_t want[SHA256_DIGEST_SIZE];
	char hex[2 * SHA256_DIGEST_SIZE + 1];

	from_hex(want_hex, want);
	if (!memcmp(got, want, sizeof(want)))
		return 1;
	to_hex(got, hex);
	diag("  got  %s", hex);
	diag("  want %s", want_hex);
	return 0;
}

/* A message: pattern (plen bytes) repeated count times. */
struct vector {
	const char *what;
	const char *pattern;
	size_t plen;
	uint64_t count;
	const char *digest;
};

#define STR(s) s, sizeof(s) - 1

static const char abc896[] = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
			     "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";

static const struct vector vectors[] = {
	/* FIPS 180-4 examples (csrc.nist.gov, "SHA256.pdf", "SHA2_Additional.pdf") */
	{ "empty message", STR(""), 1,
	  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
	{ "\"abc\" (one block)", STR("abc"), 1,
	  "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
	{ "448-bit message (two blocks)", STR("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"), 1,
	  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
	{ "896-bit message", abc896, sizeof(abc896) - 1, 1,
	  "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1" },
	{ "one million 'a'", STR("a"), 1000000,
	  "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0" },
	/* NIST's additional SHA-256 examples */
	{ "1 byte 0xbd", STR("\xbd"), 1,
	  "68325720aabd7c82f30f554b313d0570c95accbb7dc4b5aae11204c08ffe732b" },
	{ "4 bytes 0xc98c8e55", STR("\xc9\x8c\x8e\x55"), 1,
	  "7abc22c0ae5af26ce93dbb94433a0e0b2e119d014f8e7f65bd56c61ccccd9504" },
	{ "55 zero bytes", STR("\0"), 55,
	  "02779466cdec163811d078815c633f21901413081449002f24aa3e80f0b88ef7" },
	{ "56 zero bytes", STR("\0"), 56,
	  "d4817aa5497628e7c77e6b606107042bbba3130888c5f47a375e6179be789fbb" },
	{ "57 zero bytes", STR("\0"), 57,
	  "65a16cb7861335d5ace3c60718b5052e44660726da4cd13bb745381b235a1785" },
	{ "64 zero bytes", STR("\0"), 64,
	  "f5a5fd42d16a20302798ef6ed309979b43003d2320d9f0e8ea9831a92759fb4b" },
	{ "1000 zero bytes", STR("\0"), 1000,
	  "541b3e9daa09b20bf85fa273e5cbd3e80185aa4ec298e765db87742b70138a53" },
	{ "1000 bytes 'A'", STR("A"), 1000,
	  "c2e686823489ced2017f6059b8b239318b6364f6dcd835d0a519105a1eadd6e4" },
	{ "1005 bytes 'U'", STR("U"), 1005,
	  "f4d62ddec0f3dd90ea1380fa16a5ff8dc4c54b21740650f24afc4120903552b0" },
	{ "1000000 zero bytes", STR("\0"), 1000000,
	  "d29751f2649b32ff572b5e0a9f541ea660a50f94ff0beedfb0b692b924cc8025" },
};

/* The long messages: 512 MiB to 1.5 GiB (more than 2^32 bits). */
static const struct vector long_vectors[] = {
	{ "0x20000000 bytes 'Z'", STR("Z"), 0x20000000,
	  "15a1868c12cc53951e182344277447cd0979536badcc512ad24c67e9b2d4f3dd" },
	{ "0x41000000 zero bytes", STR("\0"), 0x41000000,
	  "461c19a93bd4344f9215f5ec64357090342bc66b15a148317d276e31cbc20b53" },
	{ "0x6000003e bytes 'B'", STR("B"), 0x6000003e,
	  "c23ce8a7895f4b21ec0daf37920ac0a262a220045a03eb2dfed48ef9b05aabea" },
	/* the "one gigabyte" extra-long message */
	{ "2^24 x 64-byte \"abcdefgh...\"", STR("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"),
	  16777216, "50e72a0e26442fe2552dc3938ac58658228c0cbfb1d2ca872ae435266fcd055e" },
};

/* Hash a vector's message through a buffer of whole patterns, ~1 MiB at a time. */
static void hash_vector(const struct vector *v, uint8_t *out)
{
	static uint8_t chunk[1 << 20];
	size_t per = v->plen ? sizeof(chunk) / v->plen : 0, i;
	struct sha256_state s;
	uint64_t left = v->count;

	for (i = 0; i < per; i++)
		memcpy(chunk + i * v->plen, v->pattern, v->plen);
	sha256_init(&s);
	while (left && per) {
		uint64_t n = left < per ? left : per;

		sha256_update(&s, chunk, (size_t)n * v->plen);
		left -= n;
	}
	sha256_final(&s, out);
}

/* Hash msg fed in the pieces that the cut points (ascending) make. */
static void hash_pieces(const uint8_t *msg, size_t len, const size_t *cut, int ncut, uint8_t *out)
{
	struct sha256_state s;
	size_t at = 0;
	int i;

	sha256_init(&s);
	for (i = 0; i < ncut; i++) {
		sha256_update(&s, msg + at, cut[i] - at);
		at = cut[i];
	}
	sha256_update(&s, msg + at, len - at);
	sha256_final(&s, out);
}

/* Every split of msg into two and three pieces gives the one digest. */
static void test_splits(const char *what, const uint8_t *msg, size_t len, const char *want_hex)
{
	uint8_t want[SHA256_DIGEST_SIZE], got[SHA256_DIGEST_SIZE];
	unsigned long bad2 = 0, bad3 = 0, n3 = 0;
	size_t cut[2];

	from_hex(want_hex, want);
	for (cut[0] = 0; cut[0] <= len; cut[0]++) {
		hash_pieces(msg, len, cut, 1, got);
		bad2 += !!memcmp(got, want, sizeof(got));
		for (cut[1] = cut[0]; cut[1] <= len; cut[1]++, n3++) {
			hash_pieces(msg, len, cut, 2, got);
			bad3 += !!memcmp(got, want, sizeof(got));
		}
	}
	ok(!bad2, "%s: all %zu two-piece splits (%lu wrong)", what, len + 1, bad2);
	ok(!bad3, "%s: all %lu three-piece splits (%lu wrong)", what, n3, bad3);
}

static void test_bytewise(const char *what, const uint8_t *msg, size_t len, const char *want_hex)
{
	struct sha256_state s;
	uint8_t got[SHA256_DIGEST_SIZE];
	size_t i;

	sha256_init(&s);
	for (i = 0; i < len; i++)
		sha256_update(&s, msg + i, 1);
	sha256_final(&s, got);
	ok(digest_is(got, want_hex), "%s: one byte at a time", what);
}

static void test_zeros(const char *impl)
{
	static const uint64_t lens[] = { 0, 1, 55, 56, 57, 63, 64, 65, 127, 128, 1000, 1023, 1024,
					 1025, 4096 + 7, 65536, 1000000 };
	static uint8_t zeros[1000000];
	uint8_t *pre = malloc(200);
	unsigned long bad = 0, n = 0;
	size_t i;
	int p;

	/* the NIST vectors that are all zeros, through sha256_update_zeros */
	for (i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
		const struct vector *v = &vectors[i];
		struct sha256_state s;
		uint8_t got[SHA256_DIGEST_SIZE];

		if (v->plen != 1 || v->pattern[0] != 0)
			continue;
		sha256_init(&s);
		sha256_update_zeros(&s, v->count);
		sha256_final(&s, got);
		ok(digest_is(got, v->digest), "[%s] %s via sha256_update_zeros", impl, v->what);
	}

	/* after 0..199 bytes of data (every offset into a block), equal to explicit zeros */
	fill_random(pre, 200);
	for (p = 0; p < 200; p += (p < 130 ? 1 : 23)) {
		for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++, n++) {
			struct sha256_state a, b;
			uint8_t da[SHA256_DIGEST_SIZE], db[SHA256_DIGEST_SIZE];

			sha256_init(&a);
			sha256_init(&b);
			sha256_update(&a, pre, p);
			sha256_update(&b, pre, p);
			sha256_update_zeros(&a, lens[i]);
			sha256_update(&b, zeros, lens[i]);
			sha256_update(&a, pre, 200 - p);	/* data after the zeros too */
			sha256_update(&b, pre, 200 - p);
			sha256_final(&a, da);
			sha256_final(&b, db);
			bad += !!memcmp(da, db, sizeof(da));
		}
	}
	ok(!bad, "[%s] sha256_update_zeros equals explicit zero buffers (%lu cases, %lu wrong)", impl, n, bad);
	free(pre);
}

static void test_fixed(const char *impl)
{
	uint8_t got[SHA256_DIGEST_SIZE];
	char what[96];
	uint8_t *msg;
	size_t i;

	for (i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
		const struct vector *v = &vectors[i];

		hash_vector(v, got);
		ok(digest_is(got, v->digest), "[%s] %s", impl, v->what);
		if (v->count == 1) {
			sha256((const uint8_t *)v->pattern, v->plen, got);
			ok(digest_is(got, v->digest), "[%s] %s, sha256() one-shot", impl, v->what);
		}
	}

	/* FIPS 180-4's 896-bit message: 112 bytes, two blocks once padded */
	snprintf(what, sizeof(what), "[%s] 896-bit message", impl);
	test_splits(what, (const uint8_t *)abc896, sizeof(abc896) - 1,
		    "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
	/*
	 * Exactly three blocks: bytes 0, 1, ..., 191. Expected digest from
	 * sha256sum(1) (`printf` of the 192 bytes | sha256sum), not from us.
	 */
	msg = malloc(192);
	for (i = 0; i < 192; i++)
		msg[i] = (uint8_t)i;
	snprintf(what, sizeof(what), "[%s] bytes 0..191 (three blocks)", impl);
	test_splits(what, msg, 192,
		    "8b4a544837a1a0280fa8a7c82865c27a1064b3cc6281fda0753566b9bb104a87");
	test_bytewise(what, msg, 192,
		      "8b4a544837a1a0280fa8a7c82865c27a1064b3cc6281fda0753566b9bb104a87");
	free(msg);
	msg = malloc(1005);
	memset(msg, 'U', 1005);
	snprintf(what, sizeof(what), "[%s] 1005 bytes 'U'", impl);
	test_bytewise(what, msg, 1005,
		      "f4d62ddec0f3dd90ea1380fa16a5ff8dc4c54b21740650f24afc4120903552b0");
	free(msg);
}

static void test_long(const char *impl)
{
	uint8_t got[SHA256_DIGEST_SIZE];
	size_t i;

	for (i = 0; i < sizeof(long_vectors) / sizeof(long_vectors[0]); i++) {
		const struct vector *v = &long_vectors[i];

		hash_vector(v, got);
		ok(digest_is(got, v->digest), "[%s] long message: %s", impl, v->what);
		if (v->plen == 1 && v->pattern[0] == 0) {
			struct sha256_state s;

			sha256_init(&s);
			sha256_update_zeros(&s, v->count);
			sha256_final(&s, got);
			ok(digest_is(got, v->digest), "[%s] long message: %s via sha256_update_zeros",
			   impl, v->what);
		}
	}
}

/* The accelerated block function against the generic one, block by block. */
static void test_blocks_equal(sha256_block_fn fast, const char *name)
{
	static uint8_t data[16 * SHA256_BLOCK_SIZE + 15];
	unsigned long bad = 0;
	int i;

	for (i = 0; i < 20000; i++) {
		uint32_t a[8], b[8];
		size_t nblocks = rnd() % 17, off = rnd() % 16;

		fill_random((uint8_t *)a, sizeof(a));
		memcpy(b, a, sizeof(a));
		fill_random(data + off, nblocks * SHA256_BLOCK_SIZE);
		sha256_blocks_generic(a, data + off, nblocks);
		fast(b, data + off, nblocks);
		bad += !!memcmp(a, b, sizeof(a));
	}
	ok(!bad, "%s block function equals the generic one on 20000 random states and inputs "
	   "(0..16 blocks, unaligned; %lu wrong)", name, bad);
}

static void hash_random_split(const uint8_t *msg, size_t len, uint64_t seed, uint8_t *out)
{
	uint64_t saved = rng_state;
	size_t cut[8];
	int n = 0, i;

	rng_state = seed;
	n = (int)(rnd() % 9);
	for (i = 0; i < n; i++)
		cut[i] = len ? rnd() % (len + 1) : 0;
	/* ascending */
	for (i = 1; i < n; i++) {
		size_t c = cut[i];
		int j = i;

		for (; j > 0 && cut[j - 1] > c; j--)
			cut[j] = cut[j - 1];
		cut[j] = c;
	}
	hash_pieces(msg, len, cut, n, out);
	rng_state = saved;
}

/* Whole messages through the dispatcher, generic against accelerated. */
static void test_impls_equal(const char *name)
{
	static uint8_t msg[4096];
	unsigned long bad_len = 0, bad_split = 0;
	size_t len;
	int i;

	fill_random(msg, sizeof(msg));
	for (len = 0; len <= sizeof(msg); len++) {
		uint8_t g[SHA256_DIGEST_SIZE], f[SHA256_DIGEST_SIZE];

		sha256_force_generic(1);
		sha256(msg, len, g);
		sha256_force_generic(0);
		sha256(msg, len, f);
		bad_len += !!memcmp(g, f, sizeof(g));
	}
	ok(!bad_len, "generic and %s agree on every length 0..4096 (%lu wrong)", name, bad_len);

	for (i = 0; i < 5000; i++) {
		uint8_t g[SHA256_DIGEST_SIZE], f[SHA256_DIGEST_SIZE];
		uint64_t seed = rnd() | 1;
		size_t off = rnd() % 64;

		len = rnd() % (sizeof(msg) - off + 1);
		sha256_force_generic(1);
		hash_random_split(msg + off, len, seed, g);
		sha256_force_generic(0);
		hash_random_split(msg + off, len, seed, f);
		bad_split += !!memcmp(g, f, sizeof(g));
		/* and generic in one piece: the splits change nothing */
		sha256_force_generic(1);
		sha256(msg + off, len, f);
		bad_split += !!memcmp(g, f, sizeof(g));
	}
	ok(!bad_split, "generic and %s agree on 5000 random lengths and splits (%lu wrong)", name, bad_split);
}

/* What a fresh process of this program picks, with UKEXEC_SHA256=env. */
static void child_impl(const char *self, const char *env, char *line, size_t size)
{
	char cmd[4200];
	FILE *p;

	snprintf(cmd, sizeof(cmd), "UKEXEC_SHA256='%s' '%s' --impl", env, self);
	line[0] = 0;
	p = popen(cmd, "r");
	if (p) {
		if (!fgets(line, (int)size, p))
			line[0] = 0;
		pclose(p);
	}
	line[strcspn(line, "\n")] = 0;
}

static void test_dispatch(const char *arch_name, const char *self)
{
	const char *env = getenv("UKEXEC_SHA256");
	const char *best = arch_name ? arch_name : "generic";
	const char *want = env && !strcmp(env, "generic") ? "generic" : best;
	char line[64];

	ok(!strcmp(sha256_impl_name(), want), "dispatcher picked %s on first use (want %s)",
	   sha256_impl_name(), want);
	sha256_force_generic(1);
	ok(!strcmp(sha256_impl_name(), "generic"), "sha256_force_generic(1) selects generic");
	sha256_force_generic(0);
	ok(!strcmp(sha256_impl_name(), best), "sha256_force_generic(0) selects %s", best);

	child_impl(self, "generic", line, sizeof(line));
	ok(!strcmp(line, "generic"), "UKEXEC_SHA256=generic in the environment selects generic (got '%s')",
	   line);
	child_impl(self, "", line, sizeof(line));
	ok(!strcmp(line, best), "UKEXEC_SHA256 empty: %s is selected (got '%s')", best, line);
}

/* sha256sum(1), an implementation that is not ours, on random messages. */
static void test_sha256sum(void)
{
	static const size_t lens[] = { 0, 1, 63, 64, 65, 119, 120, 4095, 65536 + 13, (3 << 20) + 77 };
	char path[] = "/tmp/ukexec-test-sha256-XXXXXX";
	unsigned long bad = 0, n = 0;
	size_t i;
	int fd;

	if (system("sha256sum --version >/dev/null 2>&1")) {
		skip(1, "no sha256sum(1)");
		return;
	}
	fd = mkstemp(path);
	if (fd < 0) {
		skip(1, "no temporary file");
		return;
	}
	close(fd);
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++, n++) {
		uint8_t *msg = malloc(lens[i] + 1), d[SHA256_DIGEST_SIZE];
		char hex[2 * SHA256_DIGEST_SIZE + 1], cmd[128], line[128] = "";
		FILE *f = fopen(path, "wb"), *p;

		fill_random(msg, lens[i]);
		if (!f || fwrite(msg, 1, lens[i], f) != lens[i] || fclose(f)) {
			bad++;
			free(msg);
			continue;
		}
		sha256(msg, lens[i], d);
		to_hex(d, hex);
		snprintf(cmd, sizeof(cmd), "sha256sum '%s'", path);
		p = popen(cmd, "r");
		if (!p || !fgets(line, sizeof(line), p) || strncmp(line, hex, 64)) {
			diag("  length %zu: sha256sum says %.64s, we say %s", lens[i], line, hex);
			bad++;
		}
		if (p)
			pclose(p);
		free(msg);
	}
	unlink(path);
	ok(!bad, "[%s] sha256sum(1) agrees on %lu random messages (%lu wrong)", sha256_impl_name(), n, bad);
}

int main(int argc, char **argv)
{
	const char *long_env = getenv("UKEXEC_TEST_SHA256_LONG");
	const char *arch_name = NULL;
	sha256_block_fn fast;
	char self[4096];
	ssize_t len;
	int n_generic;

	if (argc > 1 && !strcmp(argv[1], "--impl")) {
		puts(sha256_impl_name());
		return 0;
	}
	fast = sha256_arch_blocks(&arch_name);
	diag("accelerated block function: %s", fast ? arch_name : "none on this CPU/architecture");

	len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	self[len > 0 ? len : 0] = 0;
	test_dispatch(fast ? arch_name : NULL, len > 0 ? self : argv[0]);

	sha256_force_generic(1);
	n_generic = tap_count;
	test_fixed("generic");
	test_zeros("generic");
	n_generic = tap_count - n_generic;
	if (fast) {
		sha256_force_generic(0);
		test_fixed(arch_name);
		test_zeros(arch_name);
		test_blocks_equal(fast, arch_name);
		test_impls_equal(arch_name);
	} else {
		skip(n_generic + 3, "no accelerated SHA-256 block function on this CPU");
	}

	sha256_force_generic(0);
	test_sha256sum();

	if (long_env && !strcmp(long_env, "0")) {
		skip(5, "UKEXEC_TEST_SHA256_LONG=0");
	} else {
		sha256_force_generic(0);
		test_long(sha256_impl_name());
		if (long_env && !strcmp(long_env, "all") && fast) {
			sha256_force_generic(1);
			test_long("generic");
		}
	}
	return done_testing();
}
