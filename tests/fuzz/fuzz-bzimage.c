// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness: the x86_64 image path on arbitrary bytes — the
 * bzImage64 probe and loader (-l, and -p with the crash region) against a
 * recorded machine, with the embedded purgatory, then the digest and the
 * plan checks; and the extraction of a kernel's own purgatory (setup header,
 * payload, decompressors, the ET_REL scan).
 * UKEXEC_FUZZ_SYSROOT names the recorded machine (a sysroot with a crash
 * region and /proc/kcore, e.g. tests/golden/x86_64-debian-6.12/crash/sysroot).
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
static bool sv_open;

static void load_once(const uint8_t *data, size_t size, bool crash, const char *profile)
{
	const uint8_t *obj;
	size_t objlen;
	struct purgatory_info pi;

	if (arch_embedded_purgatory(&arch_x86_64, &obj, &objlen) ||
	    purgatory_open(&pi, &arch_x86_64, obj, objlen, "embedded purgatory"))
		abort();	/* the build's own purgatory must open */
	fuzz_plan(&arch_x86_64, &sv, profile, crash, &pi, "console=ttyS0", data, size, NULL, 0);
	purgatory_release(&pi);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *obj = NULL;
	size_t objlen;

	kx_set_log_sink(fuzz_quiet, NULL);
	if (!sv_open) {
		const char *root = getenv("UKEXEC_FUZZ_SYSROOT");

		if (!root || sysview_open(&sv, root)) {
			fprintf(stderr, "fuzz-bzimage: set UKEXEC_FUZZ_SYSROOT to a recorded machine\n");
			abort();
		}
		sv_open = true;
	}
	load_once(data, size, false, "6.1");
	load_once(data, size, true, "6.12");
	if (!arch_x86_64.purgatory_from(data, size, "fuzz", &obj, &objlen))
		free(obj);
	return 0;
}
