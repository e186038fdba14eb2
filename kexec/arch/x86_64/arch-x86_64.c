// SPDX-License-Identifier: GPL-2.0-or-later
#include <elf.h>
#include <stddef.h>
#include "arch.h"
#include "kexec-abi.h"
#include "reloc.h"
#include "resource.h"
#include "x86_64.h"

/*
 * kexec-tools' probe order (its kexec-x86_64.c file_type[]), but for
 * bzImage64, the kernel's own loader, first: it matches no file the ones
 * kexec-tools tries before it match. An image with both multiboot headers
 * (Xen) loads as multiboot2, as with kexec-tools.
 */
static const struct kexec_file_ops *const x86_64_file_ops[] = {
	&x86_64_bzImage64_ops,
	&x86_64_multiboot2_ops,
	&x86_64_elf_ops,
	&x86_64_multiboot_ops,
	&x86_64_elf_x86_ops,
	&x86_64_bzImage_ops,
	&x86_64_beoboot_ops,
	&x86_64_nbi_ops,
	NULL,
};

const struct arch arch_x86_64 = {
	.name = "x86_64",
	.e_machine = EM_X86_64,
	.ei_class = ELFCLASS64,
	.ei_data = ELFDATA2LSB,
	.page_size = 4096,
	.kexec_arch = KEXEC_ARCH_X86_64,
	.file_ops = x86_64_file_ops,
	.reloc = &reloc_x86_64,
	RESOURCE_MEMORY_HOOKS,
	.load_needs_purgatory = true,
	.file_has_purgatory = true,
	.purgatory_from = purgatory_from_kernel,
	.options = x86_64_options,
	.loader_options = x86_64_loader_options,
};
