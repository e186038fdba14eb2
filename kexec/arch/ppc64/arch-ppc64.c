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

/* kexec-tools' ppc64 options (arch/ppc64/include/arch/options.h, the ELF loader's). */
#define PPC64_DTB_FILE "kexec_file_load takes no device tree on ppc64 (kexec-tools refuses it with -s too); load without -s"
static const struct arch_option ppc64_options[] = {
	{ "elf64-core-headers", ARCH_OPTION_NO_EFFECT, "the core headers are ELF64, as the kernel's", NULL },
	{ "dt-no-old-root", ARCH_OPTION_NO_EFFECT,
	  "the device tree's bootargs are the command line given; the old root= is never copied", NULL },
	{ "args-linux", ARCH_OPTION_NO_EFFECT, "kexec-tools' ppc64 ELF loader ignores it too", NULL },
	{ "dtb", ARCH_OPTION_LOAD_VARIANT, PPC64_DTB_FILE, NULL },
	{ "devicetreeblob", ARCH_OPTION_LOAD_VARIANT, PPC64_DTB_FILE, NULL },
	{ "reuseinitrd", ARCH_OPTION_LOAD_VARIANT,
	  "kexec_file_load takes no retained initrd (kexec-tools refuses --reuseinitrd with -s too); load without -s",
	  NULL },
	{ NULL, ARCH_OPTION_NO_EFFECT, NULL, NULL },
};

/* arch/ppc64/include/arch/options.h: OPT_APPEND ... OPT_ARGS_IGNORE */
static const char *const ppc64_loader_options[] = {
	"command-line", "append", "ramdisk", "initrd", "devicetreeblob", "dtb", "args-linux", NULL,
};

#ifdef HAVE_PPC64_PURGATORY
/* purgatory/arch/ppc64/, built by kexec/arch/ppc64/Makefrag.am */
extern const unsigned char kexec_purgatory_ppc64[];
extern const size_t kexec_purgatory_ppc64_size;
#endif

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
#ifdef HAVE_PPC64_PURGATORY
	.embedded_purgatory = kexec_purgatory_ppc64,
	.embedded_purgatory_size = &kexec_purgatory_ppc64_size,
#endif
	.options = ppc64_options,
	.loader_options = ppc64_loader_options,
};
