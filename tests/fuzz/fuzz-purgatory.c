// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness: purgatory_open + kexec_load_purgatory on arbitrary
 * bytes, for every architecture's checks and relocation table; the first
 * byte picks the architecture (the rest is the object).
 */
#include <elf.h>
#include <stdint.h>
#include <string.h>
#include "arch.h"
#include "reloc.h"
#include "log.h"
#include "plan.h"
#include "purgatory.h"
#include "fuzz-common.h"

/* The architectures as the loader sees them, without their image loaders. */
static const struct arch fz_x86_64 = { .name = "x86_64", .e_machine = EM_X86_64, .ei_class = ELFCLASS64,
	.ei_data = ELFDATA2LSB, .page_size = 4096, .reloc = &reloc_x86_64 };
static const struct arch fz_s390x = { .name = "s390x", .e_machine = EM_S390, .ei_class = ELFCLASS64,
	.ei_data = ELFDATA2MSB, .page_size = 4096, .reloc = &reloc_s390x };
static const struct arch fz_ppc64 = { .name = "ppc64", .e_machine = EM_PPC64, .ei_class = ELFCLASS64,
	.ei_data = ELFDATA2LSB, .page_size = 65536, .reloc = &reloc_ppc64 };
static const struct arch fz_arm64 = { .name = "arm64", .e_machine = EM_AARCH64, .ei_class = ELFCLASS64,
	.ei_data = ELFDATA2LSB, .page_size = 4096, .reloc = &reloc_arm64 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct arch *const arches[] = { &fz_x86_64, &fz_s390x, &fz_ppc64, &fz_arm64 };
	const struct arch *arch;
	struct purgatory_info pi;
	struct kexec_buf kbuf;
	struct plan plan;
	uint64_t v[8];

	kx_set_log_sink(fuzz_quiet, NULL);
	if (size < 1)
		return 0;
	/* an ELF object as is goes to the architecture it names */
	arch = arches[data[0] & 3];
	if (size > 20 && !memcmp(data, "\177ELF", 4)) {
		unsigned int m = data[5] == 2 ? data[19] : data[18];

		arch = m == 22 ? &fz_s390x : m == 21 ? &fz_ppc64 : m == 183 ? &fz_arm64 : &fz_x86_64;
	} else {
		data++;
		size--;
	}
	plan_init(&plan, arch, NULL, NULL, false);
	if (purgatory_open(&pi, arch, data, size, "fuzz") == 0) {
		memset(&kbuf, 0, sizeof(kbuf));
		kbuf.mem = 0x100000;
		kbuf.buf_max = UINT64_MAX;
		if (kexec_load_purgatory(&plan, &pi, &kbuf) == 0) {
			kexec_purgatory_get_set_symbol(&pi, "purgatory_sha256_digest", v, 32, true);
			kexec_purgatory_get_set_symbol(&pi, "purgatory_start", v, 8, false);
		}
		purgatory_release(&pi);
	}
	plan_release(&plan);
	return 0;
}
