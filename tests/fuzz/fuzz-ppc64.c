// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness: the ppc64 ELF vmlinux loader (-l and -p, with the
 * kernel's purgatory) and the machine's flattened device tree it reads, on
 * the recorded pseries machine. UKEXEC_FUZZ_SYSROOT: a writable copy of
 * tests/golden/ppc64-pseries-6.1/sysroot; UKEXEC_FUZZ_PPC64_PURGATORY: its
 * kexec_purgatory. The first byte chooses what the rest is: even, the vmlinux
 * (also given to --purgatory-from's extraction); odd, the running machine's
 * /sys/firmware/fdt (written into the sysroot, restored after) under a fixed
 * small vmlinux.
 */
#include <elf.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "arch.h"
#include "byteorder.h"
#include "fuzz-common.h"
#include "purgatory.h"
#include "sysview.h"

static struct sysview sv;
static char fdt_path[4096];
static uint8_t *boot_fdt, *purgatory;
static size_t boot_fdt_len, purgatory_len;
static uint8_t vmlinux[FUZZ_PPC64_VMLINUX_SIZE];

static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (buf = malloc(n)) && fread(buf, 1, n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*len = buf ? (size_t)n : 0;
	return buf;
}

static void write_fdt(const uint8_t *data, size_t len)
{
	FILE *f = fopen(fdt_path, "wb");

	if (!f || fwrite(data, 1, len, f) != len || fclose(f))
		abort();
}

static void load_once(const uint8_t *kernel, size_t len, bool crash)
{
	struct purgatory_info pi;

	if (purgatory_open(&pi, &arch_ppc64, purgatory, purgatory_len, "kexec_purgatory"))
		abort();	/* the recorded kernel purgatory must open */
	fuzz_plan(&arch_ppc64, &sv, "6.1", crash, &pi, "console=hvc0", kernel, len, NULL, 0);
	purgatory_release(&pi);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	uint8_t *obj;
	size_t objlen;

	kx_set_log_sink(fuzz_quiet, NULL);
	if (!ready) {
		const char *root = getenv("UKEXEC_FUZZ_SYSROOT");
		const char *pur = getenv("UKEXEC_FUZZ_PPC64_PURGATORY");

		if (!root || !pur || sysview_open(&sv, root)) {
			fprintf(stderr, "fuzz-ppc64: set UKEXEC_FUZZ_SYSROOT to a writable copy of a recorded pseries sysroot and UKEXEC_FUZZ_PPC64_PURGATORY to its kexec_purgatory\n");
			abort();
		}
		snprintf(fdt_path, sizeof(fdt_path), "%s/sys/firmware/fdt", root);
		boot_fdt = slurp(fdt_path, &boot_fdt_len);
		purgatory = slurp(pur, &purgatory_len);
		if (!boot_fdt || !purgatory)
			abort();
		fuzz_ppc64_vmlinux(vmlinux);
		ready = true;
	}
	if (!size)
		return 0;
	if (data[0] & 1) {
		write_fdt(data + 1, size - 1);
		load_once(vmlinux, sizeof(vmlinux), false);
		load_once(vmlinux, sizeof(vmlinux), true);
		write_fdt(boot_fdt, boot_fdt_len);
		return 0;
	}
	load_once(data + 1, size - 1, false);
	load_once(data + 1, size - 1, true);
	if (!arch_ppc64.purgatory_from(data + 1, size - 1, "fuzz", &obj, &objlen))
		free(obj);
	return 0;
}
