// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"
#include <elf.h>
#include <stddef.h>
#include "arch.h"
#include "kexec-abi.h"
#include "ppc64.h"
#include "reloc.h"

/* The ELF loader builds a device tree: it needs the libfdt module. */
static const struct kexec_file_ops *const ppc64_file_ops[] = {
#ifdef HAVE_LIBFDT
	&kexec_elf64_ops,
#endif
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
#ifdef HAVE_LIBFDT
	.locate_mem_hole = arch_kexec_locate_mem_hole_ppc64,
	.walk_system_ram = ppc64_walk_system_ram,
	.crash_region = ppc64_crash_region,
	.crash_region_source = "crash region (/proc/device-tree/chosen/linux,crashkernel-{base,size})",
#endif
	.load_needs_purgatory = true,
	.file_has_purgatory = true,
	.purgatory_from = purgatory_from_vmlinux,
};
