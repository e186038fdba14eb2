// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness: the arm64 loader on arbitrary bytes, as kexec.c uses it
 * (a file that is one compressed stream is unwrapped first; then the Image
 * or EFI zboot format), -l and -p against a recorded machine
 * (UKEXEC_FUZZ_SYSROOT: its memblock files, /proc/iomem, the crash inputs,
 * /sys/firmware/fdt), without a purgatory (as a dry run plans). The first
 * byte chooses what the rest is: even, the kernel file; odd, the running
 * machine's DTB (--dtb) under a fixed small Image.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "arch.h"
#include "byteorder.h"
#include "fuzz-common.h"
#include "kexec_file.h"
#include "log.h"
#include "plan.h"
#include "profile.h"
#include "request.h"
#include "sysview.h"

static struct sysview sv;
static uint8_t image[0x2000];

static void load_once(const uint8_t *kernel, size_t kernel_len, const uint8_t *dtb,
		      size_t dtb_len, bool crash)
{
	fuzz_plan(&arch_arm64, &sv, "6.1", crash, NULL, "console=ttyAMA0", kernel, kernel_len,
		  dtb, dtb_len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	uint8_t *unwrapped;
	size_t len;

	kx_set_log_sink(fuzz_quiet, NULL);
	if (!ready) {
		const char *root = getenv("UKEXEC_FUZZ_SYSROOT");

		if (!root || sysview_open(&sv, root)) {
			fprintf(stderr, "fuzz-arm64: set UKEXEC_FUZZ_SYSROOT to a recorded arm64 machine\n");
			abort();
		}
		put_le64(image + 16, sizeof(image));	/* image_size */
		put_le64(image + 24, 2);		/* 4K pages */
		memcpy(image + 56, "ARM\x64", 4);
		ready = true;
	}
	if (!size)
		return 0;
	if (data[0] & 1) {
		load_once(image, sizeof(image), data + 1, size - 1, false);
		load_once(image, sizeof(image), data + 1, size - 1, true);
		return 0;
	}
	if (slurp_decompress_file(data + 1, size - 1, "fuzz", &unwrapped, &len))
		return 0;
	if (unwrapped) {
		load_once(unwrapped, len, NULL, 0, false);
		free(unwrapped);
		return 0;
	}
	load_once(data + 1, size - 1, NULL, 0, false);
	load_once(data + 1, size - 1, NULL, 0, true);
	return 0;
}
