// SPDX-License-Identifier: GPL-2.0-or-later
#include <elf.h>
#include <stddef.h>
#include "arch.h"
#include "arm64.h"
#include "kexec-abi.h"
#include "reloc.h"
#include "resource.h"

extern const struct kexec_file_ops arm64_kexec_image_ops;
extern const struct kexec_file_ops arm64_kexec_zimage_ops;

/* The kernel's kexec_file_loaders: the Image; then, ours, the EFI zboot wrapper. */
static const struct kexec_file_ops *const arm64_file_ops[] = {
	&arm64_kexec_image_ops,
	&arm64_kexec_zimage_ops,
	NULL,
};

/* kexec-tools' arm64 options beyond the common ones (--dtb is the common one). */
static const struct arch_option arm64_options[] = {
	{ "serial", ARCH_OPTION_NO_EFFECT,
	  "the console kexec-tools' purgatory prints to; the kernel's arm64 plan has no purgatory", NULL },
	{ NULL, ARCH_OPTION_NO_EFFECT, NULL, NULL },
};

const struct arch arch_arm64 = {
	.name = "arm64",
	.e_machine = EM_AARCH64,
	.ei_class = ELFCLASS64,
	.ei_data = ELFDATA2LSB,
	.page_size = 4096,
	.kexec_arch = KEXEC_ARCH_ARM64,
	.file_ops = arm64_file_ops,
	.reloc = &reloc_arm64,
	.walk_mem = kexec_walk_memblock,
	.walk_system_ram = arm64_walk_system_ram,
	.crash_region = resource_crash_region,
	.crash_region_source = RESOURCE_CRASH_SOURCE,
	/* the in-kernel kexec_file plan has none; kexec_load needs a small one */
	.load_needs_purgatory = true,
	.file_has_purgatory = false,
	.options = arm64_options,
};
