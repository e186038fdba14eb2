// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * s390x relocation types, as data (big-endian containers). The kernel's
 * arch_kexec_do_relocs() (arch/s390/kernel/machine_kexec_reloc.c) writes
 * without range checks and maps PLT32DBL to PC32DBL (there is no PLT in a
 * purgatory); here every PLT type is its PC-relative twin and the ranges
 * are checked like GNU ld's elf64-s390 (bit-field: -2^n .. 2^n-1 after the
 * shift; R_390_12 and R_390_20 are truncated, as ld and the kernel do).
 */
#include <elf.h>
#include "reloc.h"

#ifndef R_390_PC12DBL
#define R_390_PC12DBL	62
#define R_390_PLT12DBL	63
#define R_390_PC24DBL	64
#define R_390_PLT24DBL	65
#endif

static const struct reloc_howto s390x_howto[] = {
	RELOC_HOWTO(R_390_NONE,     RC_NONE,  RK_NONE,     RF_BITS,    0, 0, 0, 0, 0, 0),
	RELOC_HOWTO(R_390_8,        RC_ABS,   RK_BITFIELD, RF_BITS,    1, 0, 8, 0, 0, 0),
	RELOC_HOWTO(R_390_12,       RC_ABS,   RK_NONE,     RF_BITS,    2, 0, 12, 0, 0, 0),
	RELOC_HOWTO(R_390_16,       RC_ABS,   RK_BITFIELD, RF_BITS,    2, 0, 16, 0, 0, 0),
	RELOC_HOWTO(R_390_20,       RC_ABS,   RK_NONE,     RF_S390_20, 4, 0, 20, 0, 0, 0),
	RELOC_HOWTO(R_390_32,       RC_ABS,   RK_BITFIELD, RF_BITS,    4, 0, 32, 0, 0, 0),
	RELOC_HOWTO(R_390_64,       RC_ABS,   RK_NONE,     RF_BITS,    8, 0, 64, 0, 0, 0),
	RELOC_HOWTO(R_390_PC16,     RC_PCREL, RK_BITFIELD, RF_BITS,    2, 0, 16, 0, 0, 0),
	RELOC_HOWTO(R_390_PC32,     RC_PCREL, RK_BITFIELD, RF_BITS,    4, 0, 32, 0, 0, 0),
	RELOC_HOWTO(R_390_PLT32,    RC_PCREL, RK_BITFIELD, RF_BITS,    4, 0, 32, 0, 0, 0),
	RELOC_HOWTO(R_390_PC64,     RC_PCREL, RK_NONE,     RF_BITS,    8, 0, 64, 0, 0, 0),
	RELOC_HOWTO(R_390_PLT64,    RC_PCREL, RK_NONE,     RF_BITS,    8, 0, 64, 0, 0, 0),
	RELOC_HOWTO(R_390_PC12DBL,  RC_PCREL, RK_BITFIELD, RF_BITS,    2, 1, 12, 0, 0, 0),
	RELOC_HOWTO(R_390_PLT12DBL, RC_PCREL, RK_BITFIELD, RF_BITS,    2, 1, 12, 0, 0, 0),
	RELOC_HOWTO(R_390_PC16DBL,  RC_PCREL, RK_BITFIELD, RF_BITS,    2, 1, 16, 0, 0, 0),
	RELOC_HOWTO(R_390_PLT16DBL, RC_PCREL, RK_BITFIELD, RF_BITS,    2, 1, 16, 0, 0, 0),
	/* a 3-byte field: the 4-byte container starts one byte before r_offset */
	RELOC_HOWTO_AT(R_390_PC24DBL,  RC_PCREL, RK_BITFIELD, RF_BITS, 4, 1, 24, 0, 0, 0, -1),
	RELOC_HOWTO_AT(R_390_PLT24DBL, RC_PCREL, RK_BITFIELD, RF_BITS, 4, 1, 24, 0, 0, 0, -1),
	RELOC_HOWTO(R_390_PC32DBL,  RC_PCREL, RK_BITFIELD, RF_BITS,    4, 1, 32, 0, 0, 0),
	RELOC_HOWTO(R_390_PLT32DBL, RC_PCREL, RK_BITFIELD, RF_BITS,    4, 1, 32, 0, 0, 0),
};

const struct reloc_arch reloc_s390x = {
	RELOC_ARCH("s390x", s390x_howto),
};
