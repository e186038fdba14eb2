// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness: the s390x loaders on arbitrary bytes, as kexec.c uses
 * them — the first format whose probe takes the file (ELF, else the image),
 * -l and -p against a recorded machine with a crash region, then the
 * kernel's plan checks and the digest. The purgatory is an s390x object
 * named by UKEXEC_FUZZ_S390X_PURGATORY (tests/fuzz/s390x-purgatory.S:
 * only the symbols the loader writes); the machine by UKEXEC_FUZZ_SYSROOT.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "arch.h"
#include "digest.h"
#include "fuzz-common.h"
#include "kexec_file.h"
#include "log.h"
#include "plan.h"
#include "profile.h"
#include "purgatory.h"
#include "request.h"
#include "sysview.h"

static struct sysview sv;
static uint8_t *purg;
static size_t purg_len;

static void read_purgatory(const char *path)
{
	FILE *f = path ? fopen(path, "rb") : NULL;
	long n;

	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) <= 0 || fseek(f, 0, SEEK_SET) ||
	    !(purg = malloc((size_t)n)) || fread(purg, 1, (size_t)n, f) != (size_t)n) {
		fprintf(stderr, "fuzz-s390x: set UKEXEC_FUZZ_S390X_PURGATORY to an s390x purgatory object\n");
		abort();
	}
	purg_len = (size_t)n;
	fclose(f);
}

static void load_once(const uint8_t *data, size_t size, bool crash)
{
	struct purgatory_info pi;

	if (purgatory_open(&pi, &arch_s390x, purg, purg_len, "fuzz purgatory"))
		abort();	/* the seed purgatory must open */
	fuzz_plan(&arch_s390x, &sv, "6.1", crash, &pi, "console=ttysclp0", data, size, NULL, 0);
	purgatory_release(&pi);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;

	kx_set_log_sink(fuzz_quiet, NULL);
	if (!ready) {
		const char *root = getenv("UKEXEC_FUZZ_SYSROOT");

		if (!root || sysview_open(&sv, root)) {
			fprintf(stderr, "fuzz-s390x: set UKEXEC_FUZZ_SYSROOT to a recorded s390x machine\n");
			abort();
		}
		read_purgatory(getenv("UKEXEC_FUZZ_S390X_PURGATORY"));
		ready = true;
	}
	load_once(data, size, false);
	load_once(data, size, true);
	return 0;
}
