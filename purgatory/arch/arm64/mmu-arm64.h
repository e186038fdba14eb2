/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef UKEXEC_PURGATORY_MMU_ARM64_H
#define UKEXEC_PURGATORY_MMU_ARM64_H

#include <stdbool.h>
#include <stdint.h>

/* mmu-arm64.c */
bool arm64_dcache_on(uint64_t *sctlr);
void arm64_dcache_off(uint64_t sctlr);
/* cache-arm64.S */
void arm64_dcache_inval_poc(uintptr_t start, uintptr_t end);
void arm64_mmu_enable(uint64_t ttbr0, uint64_t tcr, uint64_t mair);
void arm64_mmu_disable(uint64_t sctlr, uintptr_t clean_start, uintptr_t clean_end);

#endif
