// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ppc64 (ELFv2, little-endian) relocation types, as data. The TOC pointer
 * is the kernel's (arch/powerpc/kexec/file_load_64.c, get_toc_ptr()): the
 * ".toc" section's load address + 0x8000; the undefined ".TOC." symbol
 * resolves to it, as GNU ld resolves it when .toc is the first TOC section.
 * Ranges follow GNU ld's elf64-ppc (ADDR16_HI/HA and TOC16_HI/HA are signed
 * checked; the HIGH/HIGHER/HIGHEST forms are not). REL16_HA/LO are applied
 * PC-relative as ld does; the kernel instead rewrites "addis r2,r12" into
 * "lis r2" (same r2 at run time, different bytes).
 */
#include <elf.h>
#include "reloc.h"

static const struct reloc_howto ppc64_howto[] = {
	RELOC_HOWTO(R_PPC64_NONE,           RC_NONE,    RK_NONE,     RF_BITS, 0, 0, 0, 0, 0, 0),
	RELOC_HOWTO(R_PPC64_ADDR64,         RC_ABS,     RK_NONE,     RF_BITS, 8, 0, 64, 0, 0, 0),
	RELOC_HOWTO(R_PPC64_ADDR32,         RC_ABS,     RK_BITFIELD, RF_BITS, 4, 0, 32, 0, 0, 0),
	RELOC_HOWTO(R_PPC64_REL64,          RC_PCREL,   RK_NONE,     RF_BITS, 8, 0, 64, 0, 0, 0),
	RELOC_HOWTO(R_PPC64_REL32,          RC_PCREL,   RK_SIGNED,   RF_BITS, 4, 0, 32, 0, 0, 0),
	RELOC_HOWTO(R_PPC64_REL24,          RC_PCREL,   RK_SIGNED,   RF_BITS, 4, 2, 24, 2, 4, RH_LOCAL_ENTRY),
	RELOC_HOWTO(R_PPC64_ADDR16_LO,      RC_ABS,     RK_NONE,     RF_BITS, 2, 0, 16, 0, 0, 0),
	RELOC_HOWTO(R_PPC64_ADDR16_HI,      RC_ABS,     RK_SIGNED,   RF_BITS, 2, 16, 16, 0, 0, 0),
	RELOC_HOWTO(R_PPC64_ADDR16_HA,      RC_ABS,     RK_SIGNED,   RF_BITS, 2, 16, 16, 0, 0, RH_HA),
	RELOC_HOWTO(R_PPC64_ADDR16_HIGH,    RC_ABS,     RK_NONE,     RF_BITS, 2, 16, 16, 0, 0, 0),
	RELOC_HOWTO(R_PPC64_ADDR16_HIGHA,   RC_ABS,     RK_NONE,     RF_BITS, 2, 16, 16, 0, 0, RH_HA),
	RELOC_HOWTO(R_PPC64_ADDR16_HIGHER,  RC_ABS,     RK_NONE,     RF_BITS, 2, 32, 16, 0, 0, 0),
	RELOC_HOWTO(R_PPC64_ADDR16_HIGHERA, RC_ABS,     RK_NONE,     RF_BITS, 2, 32, 16, 0, 0, RH_HA),
	RELOC_HOWTO(R_PPC64_ADDR16_HIGHEST, RC_ABS,     RK_NONE,     RF_BITS, 2, 48, 16, 0, 0, 0),
	RELOC_HOWTO(R_PPC64_ADDR16_HIGHESTA, RC_ABS,    RK_NONE,     RF_BITS, 2, 48, 16, 0, 0, RH_HA),
	RELOC_HOWTO(R_PPC64_ADDR16_DS,      RC_ABS,     RK_SIGNED,   RF_BITS, 2, 2, 14, 2, 4, 0),
	RELOC_HOWTO(R_PPC64_ADDR16_LO_DS,   RC_ABS,     RK_NONE,     RF_BITS, 2, 2, 14, 2, 4, 0),
	RELOC_HOWTO(R_PPC64_TOC,            RC_TOCBASE, RK_NONE,     RF_BITS, 8, 0, 64, 0, 0, 0),
	RELOC_HOWTO(R_PPC64_TOC16,          RC_TOCREL,  RK_SIGNED,   RF_BITS, 2, 0, 16, 0, 0, 0),
	RELOC_HOWTO(R_PPC64_TOC16_LO,       RC_TOCREL,  RK_NONE,     RF_BITS, 2, 0, 16, 0, 0, 0),
	RELOC_HOWTO(R_PPC64_TOC16_HI,       RC_TOCREL,  RK_SIGNED,   RF_BITS, 2, 16, 16, 0, 0, 0),
	RELOC_HOWTO(R_PPC64_TOC16_HA,       RC_TOCREL,  RK_SIGNED,   RF_BITS, 2, 16, 16, 0, 0, RH_HA),
	RELOC_HOWTO(R_PPC64_TOC16_DS,       RC_TOCREL,  RK_SIGNED,   RF_BITS, 2, 2, 14, 2, 4, 0),
	RELOC_HOWTO(R_PPC64_TOC16_LO_DS,    RC_TOCREL,  RK_NONE,     RF_BITS, 2, 2, 14, 2, 4, 0),
	RELOC_HOWTO(R_PPC64_REL16,          RC_PCREL,   RK_SIGNED,   RF_BITS, 2, 0, 16, 0, 0, 0),
	RELOC_HOWTO(R_PPC64_REL16_LO,       RC_PCREL,   RK_NONE,     RF_BITS, 2, 0, 16, 0, 0, 0),
	RELOC_HOWTO(R_PPC64_REL16_HI,       RC_PCREL,   RK_SIGNED,   RF_BITS, 2, 16, 16, 0, 0, 0),
	RELOC_HOWTO(R_PPC64_REL16_HA,       RC_PCREL,   RK_SIGNED,   RF_BITS, 2, 16, 16, 0, 0, RH_HA),
};

const struct reloc_arch reloc_ppc64 = {
	RELOC_ARCH("ppc64", ppc64_howto),
	.toc_section = ".toc",
	.toc_bias = 0x8000,
	.toc_symbol = ".TOC.",
};
