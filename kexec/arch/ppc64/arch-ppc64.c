// SPDX-License-Identifier: GPL-2.0-or-later
#include <elf.h>
#include <stddef.h>
#include "arch.h"
#include "kexec-abi.h"
#include "reloc.h"

static const struct kexec_file_ops *const ppc64_file_ops[] = {
	NULL,
};

const struct arch arch_ppc64 = {
	.name = "ppc64",
	.e_machine = EM_PPC64,
	.ei_class = ELFCLASS64,
	.ei_data = ELFDATA2LSB,
	.page_size = 65536,
	.kexec_arch = KEXEC_ARCH_PPC64,
	.file_ops = ppc64_file_ops,
	.reloc = &reloc_ppc64,
	/*
	 * Not yet: kexec_walk_memblock(), arch_check_excluded_range() (the
	 * exclude ranges), the crash region from the device tree.
	 */
	.load_needs_purgatory = true,
	.file_has_purgatory = true,
};
