/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Relocation types described as data, one table per architecture. */
#ifndef UKEXEC_RELOC_H
#define UKEXEC_RELOC_H

struct reloc_arch;

extern const struct reloc_arch reloc_x86_64;
extern const struct reloc_arch reloc_s390x;
extern const struct reloc_arch reloc_ppc64;
extern const struct reloc_arch reloc_arm64;

#endif
