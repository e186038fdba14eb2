// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * x86_64 relocation types, as data. The kernel's
 * arch_kexec_apply_relocations_add() (arch/x86/kernel/machine_kexec_64.c)
 * knows NONE, 64, 32 and 32S (both range-checked), PC32 and PLT32 (not
 * checked: truncated). Here PC32/PLT32 are range-checked like GNU ld does,
 * so an object the kernel would silently break is refused; PC64 is accepted
 * although the kernel refuses it.
 */
#include <elf.h>
#include "reloc.h"

static const struct reloc_howto x86_64_howto[] = {
	RELOC_HOWTO(R_X86_64_NONE,  RC_NONE,  RK_NONE,     RF_BITS, 0, 0, 0, 0, 0, 0),
	RELOC_HOWTO(R_X86_64_64,    RC_ABS,   RK_NONE,     RF_BITS, 8, 0, 64, 0, 0, 0),
	RELOC_HOWTO(R_X86_64_PC32,  RC_PCREL, RK_SIGNED,   RF_BITS, 4, 0, 32, 0, 0, 0),
	RELOC_HOWTO(R_X86_64_PLT32, RC_PCREL, RK_SIGNED,   RF_BITS, 4, 0, 32, 0, 0, 0),
	RELOC_HOWTO(R_X86_64_32,    RC_ABS,   RK_UNSIGNED, RF_BITS, 4, 0, 32, 0, 0, 0),
	RELOC_HOWTO(R_X86_64_32S,   RC_ABS,   RK_SIGNED,   RF_BITS, 4, 0, 32, 0, 0, 0),
	RELOC_HOWTO(R_X86_64_PC64,  RC_PCREL, RK_NONE,     RF_BITS, 8, 0, 64, 0, 0, 0),
};

const struct reloc_arch reloc_x86_64 = {
	RELOC_ARCH("x86_64", x86_64_howto),
};
