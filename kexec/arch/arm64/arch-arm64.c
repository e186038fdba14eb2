// SPDX-License-Identifier: GPL-2.0-or-later
#include <elf.h>
#include <stddef.h>
#include "arch.h"
#include "kexec-abi.h"
#include "reloc.h"

static const struct kexec_file_ops *const arm64_file_ops[] = {
	NULL,
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
	/* kexec_walk_memblock() and the crash region from memblock: not yet */
	/* the in-kernel kexec_file plan has none; kexec_load needs a small one */
	.load_needs_purgatory = true,
	.file_has_purgatory = false,
};
