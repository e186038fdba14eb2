// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The D-cache on for the digest check. With the MMU off every data access
 * of an arm64 CPU is Device-nGnRnE: uncached, one bus transaction a load,
 * which is why purgatories that hash so (kexec-tools') take 20 s to
 * minutes for a distribution kernel and initrd. Here the digest regions and
 * the purgatory itself get an identity map of 2 MiB blocks of normal
 * write-back memory for the duration of the check, at EL1 or at EL2
 * without VHE (HCR_EL2.E2H clear); anything else hashes uncached as before.
 *
 * Coherency: the old kernel left the segments cleaned to PoC (relocation
 * invalidates or cleans what it copies), so cached reads of them are
 * right. What the purgatory itself writes with the MMU off (tables, stack)
 * is invalidated before the MMU goes on; the stack, written through the
 * cache, is cleaned and invalidated before it goes off. The kernel is then
 * entered with the MMU and D-cache off and no dirty line of ours.
 */
#include <stdbool.h>
#include <stdint.h>
#include "kexec-abi.h"
#include "purgatory-string.h"
#include "mmu-arm64.h"

#define BLOCK_SHIFT		21		/* level-2 blocks of the 4 KiB granule */
#define BLOCK_SIZE		(1ULL << BLOCK_SHIFT)
#define PTRS_PER_TABLE		512
#define VA_BITS			48
#define NR_TABLES		8		/* level 0, then level 1 and 2 as needed */
/* the purgatory's sections lie this close to the symbols idmap_purgatory() takes */
#define PURGATORY_SLACK		(64 * 1024)

#define PTE_TABLE		3ULL
#define PTE_BLOCK		1ULL
#define PTE_AF			(1ULL << 10)
#define PTE_SH_INNER		(3ULL << 8)
#define PTE_AP1			(1ULL << 6)	/* RES1 in the EL2 regime; EL0 access at EL1 */
#define PTE_ADDR_MASK		0x0000fffffffff000ULL

#define MAIR_ATTR0_NORMAL_WB	0xffULL
/* TCR: T0SZ; walks non-cacheable (the tables are written uncached); 4 KiB */
#define TCR_T0SZ		(64 - VA_BITS)
#define TCR_EL1_EPD1		(1ULL << 23)
#define TCR_EL1_IPS_SHIFT	32
#define TCR_EL2_RES1		((1ULL << 31) | (1ULL << 23))
#define TCR_EL2_PS_SHIFT	16
#define PARANGE_48		5

#define HCR_EL2_E2H		(1ULL << 34)
#define ID_AA64MMFR0_TGRAN4_SHIFT	28
#define TGRAN4_NONE		0xf

struct kexec_sha_region {
	unsigned long start;
	unsigned long len;
};
extern struct kexec_sha_region purgatory_sha_regions[KEXEC_SEGMENT_MAX];
extern char stack[], stack_end[];
extern char purgatory_start[], purgatory_sha256_digest[], sha256_K[];
extern char arm64_kernel_entry[];
void purgatory(void);
void sha256_blocks(uint32_t state[8], const uint8_t *data, size_t nblocks);
void sha256_blocks_generic(uint32_t state[8], const uint8_t *data, size_t nblocks);
void sha256_blocks_ce(uint32_t state[8], const uint8_t *data, size_t nblocks);

static uint64_t idmap_tables[NR_TABLES][PTRS_PER_TABLE] __attribute__((aligned(4096)));

struct idmap {
	unsigned int nr_tables;
	uint64_t block_attrs;
	bool full;
};

#define read_sysreg(r) ({ uint64_t v_; __asm__ volatile("mrs %0, " #r : "=r"(v_)); v_; })

static unsigned int current_el(void)
{
	return (read_sysreg(CurrentEL) >> 2) & 3;
}

static uint64_t *idmap_alloc_table(struct idmap *map)
{
	uint64_t *t;

	if (map->nr_tables == NR_TABLES) {
		map->full = true;
		return NULL;
	}
	t = idmap_tables[map->nr_tables++];
	memset(t, 0, sizeof(idmap_tables[0]));
	return t;
}

static uint64_t *idmap_next_table(struct idmap *map, uint64_t *entry)
{
	uint64_t *t;

	if (*entry & PTE_TABLE)
		return (uint64_t *)(uintptr_t)(*entry & PTE_ADDR_MASK);
	t = idmap_alloc_table(map);
	if (t)
		*entry = (uintptr_t)t | PTE_TABLE;
	return t;
}

/* Map the 2 MiB blocks over [start, end); false when out of tables or VA. */
static bool idmap_range(struct idmap *map, uint64_t start, uint64_t end)
{
	uint64_t b;

	for (b = start & ~(BLOCK_SIZE - 1); b < end; b += BLOCK_SIZE) {
		uint64_t *l1, *l2;

		if (b >> VA_BITS)
			return false;
		l1 = idmap_next_table(map, &idmap_tables[0][(b >> 39) % PTRS_PER_TABLE]);
		l2 = l1 ? idmap_next_table(map, &l1[(b >> 30) % PTRS_PER_TABLE]) : NULL;
		if (!l2)
			return false;
		l2[(b >> BLOCK_SHIFT) % PTRS_PER_TABLE] = b | map->block_attrs;
	}
	return true;
}

/* The code, data and stack the check runs on. */
static bool idmap_purgatory(struct idmap *map)
{
	const uintptr_t syms[] = {
		(uintptr_t)purgatory_start, (uintptr_t)purgatory, (uintptr_t)sha256_blocks,
		(uintptr_t)sha256_blocks_generic, (uintptr_t)sha256_blocks_ce,
		(uintptr_t)memcpy, (uintptr_t)sha256_K, (uintptr_t)purgatory_sha256_digest,
		(uintptr_t)arm64_kernel_entry, (uintptr_t)stack, (uintptr_t)stack_end,
		(uintptr_t)idmap_tables, (uintptr_t)(idmap_tables + NR_TABLES),
	};
	uintptr_t lo = syms[0], hi = syms[0];
	unsigned int i;

	for (i = 1; i < sizeof(syms) / sizeof(syms[0]); i++) {
		if (syms[i] < lo)
			lo = syms[i];
		if (syms[i] > hi)
			hi = syms[i];
	}
	lo = lo > PURGATORY_SLACK ? lo - PURGATORY_SLACK : 0;
	return idmap_range(map, lo, hi + PURGATORY_SLACK);
}

static uint64_t pa_range(void)
{
	uint64_t parange = read_sysreg(id_aa64mmfr0_el1) & 0xf;

	return parange > PARANGE_48 ? PARANGE_48 : parange;
}

/*
 * Build the identity map and turn the MMU and D-cache on; *sctlr gets the
 * value to restore. False (nothing changed) where that cannot be done.
 */
bool arm64_dcache_on(uint64_t *sctlr)
{
	unsigned int el = current_el();
	struct idmap map = { 0 };
	const struct kexec_sha_region *r;
	uint64_t tcr;

	if (((read_sysreg(id_aa64mmfr0_el1) >> ID_AA64MMFR0_TGRAN4_SHIFT) & 0xf) == TGRAN4_NONE)
		return false;
	if (el == 2 && (read_sysreg(hcr_el2) & HCR_EL2_E2H))
		return false;
	if (el != 1 && el != 2)
		return false;

	map.block_attrs = PTE_BLOCK | PTE_AF | PTE_SH_INNER | (el == 2 ? PTE_AP1 : 0);
	if (!idmap_alloc_table(&map) || !idmap_purgatory(&map))
		return false;
	for (r = purgatory_sha_regions; r < purgatory_sha_regions + KEXEC_SEGMENT_MAX; r++)
		if (r->len && !idmap_range(&map, r->start, r->start + r->len))
			return false;

	if (el == 1) {
		tcr = TCR_T0SZ | TCR_EL1_EPD1 | (pa_range() << TCR_EL1_IPS_SHIFT);
		*sctlr = read_sysreg(sctlr_el1);
	} else {
		tcr = TCR_T0SZ | TCR_EL2_RES1 | (pa_range() << TCR_EL2_PS_SHIFT);
		*sctlr = read_sysreg(sctlr_el2);
	}
	arm64_dcache_inval_poc((uintptr_t)idmap_tables, (uintptr_t)(idmap_tables + NR_TABLES));
	arm64_dcache_inval_poc((uintptr_t)stack, (uintptr_t)stack_end);
	arm64_mmu_enable((uintptr_t)idmap_tables, tcr, MAIR_ATTR0_NORMAL_WB);
	return true;
}

void arm64_dcache_off(uint64_t sctlr)
{
	arm64_mmu_disable(sctlr, (uintptr_t)stack, (uintptr_t)stack_end);
}
