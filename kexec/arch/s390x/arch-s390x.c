// SPDX-License-Identifier: GPL-2.0-or-later
#include <elf.h>
#include <stddef.h>
#include "arch.h"
#include "kexec-abi.h"
#include "reloc.h"
#include "resource.h"

extern const struct kexec_file_ops s390_kexec_elf_ops;
extern const struct kexec_file_ops s390_kexec_image_ops;

/* The kernel's kexec_file_loaders order: ELF first, the image takes the rest. */
static const struct kexec_file_ops *const s390x_file_ops[] = {
	&s390_kexec_elf_ops,
	&s390_kexec_image_ops,
	NULL,
};

/* kexec-tools' s390 loaders take --command-line, --append, --initrd, --reuse-cmdline only. */
static const struct arch_option s390x_options[] = {
	{ "dtb", ARCH_OPTION_REFUSED,
	  "s390x boots without a device tree (kexec-tools has no --dtb there either)", NULL },
	{ NULL, ARCH_OPTION_NO_EFFECT, NULL, NULL },
};

/* kexec-tools' s390 OPT_ARCH_MAX is OPT_MAX: every one of its options is a loader's */
static const char *const s390x_loader_options[] = {
	"command-line", "append", "initrd", "reuse-cmdline", NULL,
};

const struct arch arch_s390x = {
	.name = "s390x",
	.e_machine = EM_S390,
	.ei_class = ELFCLASS64,
	.ei_data = ELFDATA2MSB,
	.page_size = 4096,
	.kexec_arch = KEXEC_ARCH_S390,
	.file_ops = s390x_file_ops,
	.reloc = &reloc_s390x,
	RESOURCE_MEMORY_HOOKS,
	.load_needs_purgatory = true,
	.file_has_purgatory = true,
	.options = s390x_options,
	.loader_options = s390x_loader_options,
};
