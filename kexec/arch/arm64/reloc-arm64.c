// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * aarch64 relocation types, as data (little-endian instructions). The
 * kernel has no arm64 purgatory; the table follows the AArch64 ELF ABI and
 * GNU ld's checks. ld inserts veneers for out-of-range CALL26/JUMP26; a
 * purgatory has no room for them, so those are refused here.
 */
#include <elf.h>
#include "reloc.h"

static const struct reloc_howto arm64_howto[] = {
	RELOC_HOWTO(R_AARCH64_NONE,                RC_NONE,       RK_NONE,     RF_BITS,      0, 0, 0, 0, 0, 0),
	RELOC_HOWTO(R_AARCH64_ABS64,               RC_ABS,        RK_NONE,     RF_BITS,      8, 0, 64, 0, 0, 0),
	RELOC_HOWTO(R_AARCH64_ABS32,               RC_ABS,        RK_BITFIELD, RF_BITS,      4, 0, 32, 0, 0, 0),
	RELOC_HOWTO(R_AARCH64_ABS16,               RC_ABS,        RK_BITFIELD, RF_BITS,      2, 0, 16, 0, 0, 0),
	RELOC_HOWTO(R_AARCH64_PREL64,              RC_PCREL,      RK_NONE,     RF_BITS,      8, 0, 64, 0, 0, 0),
	RELOC_HOWTO(R_AARCH64_PREL32,              RC_PCREL,      RK_SIGNED,   RF_BITS,      4, 0, 32, 0, 0, 0),
	RELOC_HOWTO(R_AARCH64_PREL16,              RC_PCREL,      RK_SIGNED,   RF_BITS,      2, 0, 16, 0, 0, 0),
	RELOC_HOWTO(R_AARCH64_MOVW_UABS_G0,        RC_ABS,        RK_UNSIGNED, RF_BITS,      4, 0, 16, 5, 0, 0),
	RELOC_HOWTO(R_AARCH64_MOVW_UABS_G0_NC,     RC_ABS,        RK_NONE,     RF_BITS,      4, 0, 16, 5, 0, 0),
	RELOC_HOWTO(R_AARCH64_MOVW_UABS_G1,        RC_ABS,        RK_UNSIGNED, RF_BITS,      4, 16, 16, 5, 0, 0),
	RELOC_HOWTO(R_AARCH64_MOVW_UABS_G1_NC,     RC_ABS,        RK_NONE,     RF_BITS,      4, 16, 16, 5, 0, 0),
	RELOC_HOWTO(R_AARCH64_MOVW_UABS_G2,        RC_ABS,        RK_UNSIGNED, RF_BITS,      4, 32, 16, 5, 0, 0),
	RELOC_HOWTO(R_AARCH64_MOVW_UABS_G2_NC,     RC_ABS,        RK_NONE,     RF_BITS,      4, 32, 16, 5, 0, 0),
	RELOC_HOWTO(R_AARCH64_MOVW_UABS_G3,        RC_ABS,        RK_UNSIGNED, RF_BITS,      4, 48, 16, 5, 0, 0),
	RELOC_HOWTO(R_AARCH64_ADR_PREL_LO21,       RC_PCREL,      RK_SIGNED,   RF_ARM64_ADR, 4, 0, 21, 0, 0, 0),
	RELOC_HOWTO(R_AARCH64_ADR_PREL_PG_HI21,    RC_PAGE_PCREL, RK_SIGNED,   RF_ARM64_ADR, 4, 12, 21, 0, 0, 0),
	RELOC_HOWTO(R_AARCH64_ADR_PREL_PG_HI21_NC, RC_PAGE_PCREL, RK_NONE,     RF_ARM64_ADR, 4, 12, 21, 0, 0, 0),
	RELOC_HOWTO(R_AARCH64_ADD_ABS_LO12_NC,     RC_ABS,        RK_NONE,     RF_BITS,      4, 0, 12, 10, 0, 0),
	RELOC_HOWTO(R_AARCH64_LDST8_ABS_LO12_NC,   RC_ABS,        RK_NONE,     RF_BITS,      4, 0, 12, 10, 0, 0),
	RELOC_HOWTO(R_AARCH64_LDST16_ABS_LO12_NC,  RC_ABS,        RK_NONE,     RF_BITS,      4, 1, 11, 10, 0, 0),
	RELOC_HOWTO(R_AARCH64_LDST32_ABS_LO12_NC,  RC_ABS,        RK_NONE,     RF_BITS,      4, 2, 10, 10, 0, 0),
	RELOC_HOWTO(R_AARCH64_LDST64_ABS_LO12_NC,  RC_ABS,        RK_NONE,     RF_BITS,      4, 3, 9, 10, 0, 0),
	RELOC_HOWTO(R_AARCH64_LDST128_ABS_LO12_NC, RC_ABS,        RK_NONE,     RF_BITS,      4, 4, 8, 10, 0, 0),
	RELOC_HOWTO(R_AARCH64_TSTBR14,             RC_PCREL,      RK_SIGNED,   RF_BITS,      4, 2, 14, 5, 0, 0),
	RELOC_HOWTO(R_AARCH64_CONDBR19,            RC_PCREL,      RK_SIGNED,   RF_BITS,      4, 2, 19, 5, 0, 0),
	RELOC_HOWTO(R_AARCH64_JUMP26,              RC_PCREL,      RK_SIGNED,   RF_BITS,      4, 2, 26, 0, 0, 0),
	RELOC_HOWTO(R_AARCH64_CALL26,              RC_PCREL,      RK_SIGNED,   RF_BITS,      4, 2, 26, 0, 0, 0),
};

const struct reloc_arch reloc_arm64 = {
	RELOC_ARCH("arm64", arm64_howto),
};
