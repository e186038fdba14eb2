// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "config.h"
#include "decompress.h"
#include "file.h"
#include "log.h"
#include "plan.h"
#include "profile.h"
#include "sysview.h"

#ifdef HAVE_ZLIB
#define HAVE_ZLIB_BUILD 1
#else
#define HAVE_ZLIB_BUILD 0
#endif

#define KVER_MAX KVER(255, 255, 255)

/*
 * The kernel lines checked in QEMU against the in-kernel loader, by the
 * version of the kernel that was run (a profile names the nearest older one;
 * a line name given to --kexec-file-profile stands for that version).
 */
static const struct {
	const char *arch;
	const char *name;
	unsigned int kver;
} lines[] = {
	{ "x86_64", "5.10", KVER(5, 10, 223) },	/* Debian 11 */
	{ "x86_64", "6.1", KVER(6, 1, 176) },	/* Debian 12 */
	{ "x86_64", "6.12", KVER(6, 12, 95) },	/* Debian 12 backports */
	{ "arm64", "6.1", KVER(6, 1, 0) },
	/*
	 * arm64 6.12 (Debian's linux-source-6.12, tests/golden/arm64-virt-6.12):
	 * of the rules above only the top-down ones change (the off-by-one is
	 * gone; the reverse walk is kexec_walk_resources()'s, and arm64 walks
	 * memblock with kexec_walk_memblock(), unchanged); arm64 has no
	 * ARCH_SUPPORTS_CRASH_HOTPLUG; image_load(), load_other_segments() and
	 * of_kexec_alloc_and_setup_fdt() place and build as in 6.1.
	 */
	{ "arm64", "6.12", KVER(6, 12, 0) },
	{ "s390x", "6.1", KVER(6, 1, 0) },
	{ "ppc64", "6.1", KVER(6, 1, 0) },
};

#define NR_LINES (sizeof(lines) / sizeof(lines[0]))

/*
 * What a rule is and which config option gates it (a fact that must be
 * nonzero). unknowable: the kernel does something here that userspace cannot
 * know; plan_print_unknowable() says so in one line when the kernel's state
 * says it happens to this load.
 */
static const struct {
	const char *name;
	int fact;		/* enum kernel_fact, -1: none */
	const char *unknowable;
} rule_info[NR_PROFILE_RULES] = {
	[PR_RNG_SEED] = { "rng-seed", -1, NULL },
	[PR_IMA_SETUP_DATA] = { "ima-setup-data", KF_IMA_KEXEC,
		"the kernel would add the IMA measurement list as a segment where userspace cannot know (CONFIG_IMA_KEXEC)" },
	[PR_KHO_SETUP_DATA] = { "kho-setup-data", KF_KEXEC_HANDOVER, NULL },
	[PR_EFI_RSDP] = { "efi-rsdp", -1, NULL },
	[PR_KERNEL_BUF_MIN_PREF] = { "kernel-buf-min-pref-address", -1, NULL },
	[PR_PURGATORY_START_SYM] = { "purgatory-start-symbol", -1, NULL },
	[PR_PURGATORY_ENTRY_FIRST] = { "purgatory-entry-first", -1, NULL },
	[PR_CRASH_HOTPLUG] = { "crash-hotplug", KF_CRASH_HOTPLUG, NULL },
	[PR_DIGEST_SKIP_BUG] = { "digest-skip-bug", KF_CRASH_HOTPLUG, NULL },
	[PR_TOP_DOWN_WALK_REV] = { "top-down-walk-rev", -1, NULL },
	[PR_TOP_DOWN_SHORT_BY_ONE] = { "top-down-short-by-one", -1, NULL },
	[PR_SETUP_DATA_RESERVED] = { "setup-data-reserved", -1, NULL },
	[PR_KHO_SCRATCH] = { "kho-scratch", KF_KEXEC_HANDOVER,
		"the kernel would add KHO's scratch table as a segment and place the segments inside the KHO scratch areas where userspace cannot know (CONFIG_KEXEC_HANDOVER, KHO enabled)" },
	[PR_CMA_PLACEMENT] = { "cma-placement", KF_DMA_CMA,
		"the kernel may place the segments in the CMA area where userspace cannot know (6.17+, CONFIG_DMA_CMA, a default CMA area, no KEXEC_FILE_NO_CMA)" },
	[PR_RANDOM_PLACEMENT_BUG] = { "random-placement-bug", -1,
		"the kernel would place the segments where an uninitialised kexec_buf field says, which userspace cannot know (6.16.0-6.16.7)" },
	[PR_SETUP_DTB] = { "setup-dtb", -1, NULL },
	[PR_DM_CRYPT_KEYS] = { "dm-crypt-keys", KF_CRASH_DM_CRYPT,
		"the kernel would add the dm-crypt keys as a segment at a random place in the crash region where userspace cannot know (CONFIG_CRASH_DM_CRYPT, keys in /sys/kernel/config/crash_dm_crypt_keys)" },
};

/*
 * Which kernels do what: each rule holds on [from, to) (to 0: open), per
 * range and arch (NULL: every arch), with where it comes from. "read" means
 * the source of that version (Debian's linux-source, or the commit as posted
 * and merged: its tip-bot/akpm/stable mail) was read; "QEMU" that an oracle
 * in tests/e2e-x86_64 checks it. Stable backports are keyed where a Debian
 * source or a stable review mail showed them; other stable lines keep the
 * mainline range.
 */
static const struct {
	enum profile_rule rule;
	const char *arch;
	unsigned int from, to;
	const char *source;
} rule_ranges[] = {
	{ PR_RNG_SEED, "x86_64", KVER(6, 0, 0), 0,
	  "arch/x86/kernel/kexec-bzimage64.c setup_rng_seed(), bzImage64_load() bufsz, v6.0; not in 5.10.223 (read, QEMU: boot_params 0x30 bytes shorter), in 6.1.176 (QEMU)" },
	{ PR_IMA_SETUP_DATA, "x86_64", KVER(6, 0, 0), 0,
	  "arch/x86/kernel/kexec-bzimage64.c setup_ima_state(), bzImage64_load() bufsz, v6.0 (with CONFIG_IMA_KEXEC); not in 5.10.223 (read)" },
	{ PR_KHO_SETUP_DATA, "x86_64", KVER(6, 16, 0), 0,
	  "arch/x86/kernel/kexec-bzimage64.c setup_kho(), bzImage64_load() bufsz, v6.16 (with CONFIG_KEXEC_HANDOVER); read: the patch's hunks (after IMA's room, before the seed) and uapi setup_data.h struct kho_data (4 x u64); the same in 7.3.4's setup_boot_parameters() (read)" },
	{ PR_EFI_RSDP, "x86_64", KVER(7, 0, 0), 0,
	  "arch/x86/kernel/kexec-bzimage64.c setup_efi_state(): acpi_rsdp_addr from efi.acpi20/efi.acpi, v7.0" },
	{ PR_EFI_RSDP, "x86_64", KVER(6, 1, 0), KVER(6, 2, 0),
	  "setup_efi_state() as in v7.0, stable backport: in 6.1.176 (read), the first 6.1.y with it not known" },
	{ PR_EFI_RSDP, "x86_64", KVER(6, 12, 0), KVER(6, 13, 0),
	  "setup_efi_state() as in v7.0, stable backport: in 6.12.95 (QEMU, OVMF), the first 6.12.y with it not known" },
	{ PR_KERNEL_BUF_MIN_PREF, "x86_64", KVER(6, 9, 0), 0,
	  "arch/x86/kernel/kexec-bzimage64.c bzImage64_load(): buf_min = max(MIN_KERNEL_LOAD_ADDR, pref_address), 43b1d3e68ee7 'kexec: Allocate kernel above bzImage's pref_address' (read: its tip x86/boot commit mail, committed 2024-02-22, v6.9); in 7.3.4 (read); 5.10.223 and 6.1.176 (read) use MIN_KERNEL_LOAD_ADDR" },
	{ PR_PURGATORY_START_SYM, NULL, KVER(7, 0, 0), 0,
	  "kernel/kexec_file.c kexec_purgatory_setup_sechdrs(): the section and offset of purgatory_start (480e1d5c64bb, 2026)" },
	{ PR_PURGATORY_START_SYM, NULL, KVER(6, 1, 0), KVER(6, 2, 0),
	  "kexec_purgatory_setup_sechdrs(): purgatory_start, stable backport: in 6.1.176 (read), the first 6.1.y with it not known; not in 5.10.223 (read)" },
	{ PR_PURGATORY_START_SYM, NULL, KVER(6, 12, 0), KVER(6, 13, 0),
	  "kexec_purgatory_setup_sechdrs(): purgatory_start, stable backport: 'kexec: derive purgatory entry from symbol' in Debian's 6.12.y changelog (read), the first 6.12.y with it not known; 6.12.95 (QEMU)" },
	{ PR_PURGATORY_ENTRY_FIRST, NULL, KVER(6, 4, 0), 0,
	  "kernel/kexec_file.c kexec_purgatory_setup_sechdrs(): e_entry moved by the first executable section only, v6.4 (8652d44f466a)" },
	{ PR_PURGATORY_ENTRY_FIRST, NULL, KVER(5, 10, 185), KVER(5, 11, 0),
	  "kexec_purgatory_setup_sechdrs() as in v6.4, stable backport: 'kexec: support purgatories with .text.hot sections' in 5.10.185 (read: its stable review of 2023-06-19); in 5.10.223 (read)" },
	{ PR_PURGATORY_ENTRY_FIRST, NULL, KVER(5, 15, 0), KVER(5, 16, 0),
	  "kexec_purgatory_setup_sechdrs() as in v6.4, stable backport assumed in 5.15.y as in 5.10.185 of the same stable cycle and 6.1.y (not read: no 5.15 source at hand)" },
	{ PR_PURGATORY_ENTRY_FIRST, NULL, KVER(6, 1, 0), KVER(6, 2, 0),
	  "kexec_purgatory_setup_sechdrs() as in v6.4, stable backport (6.1.176 read)" },
	{ PR_CRASH_HOTPLUG, "x86_64", KVER(6, 6, 0), 0,
	  "arch/x86/kernel/crash.c arch_crash_get_elfcorehdr_size(), kernel/kexec_file.c kexec_calculate_store_digests(), v6.6 (with CONFIG_CRASH_HOTPLUG); 6.12.95 (QEMU)" },
	{ PR_DIGEST_SKIP_BUG, "x86_64", KVER(6, 6, 0), KVER(6, 6, 51),
	  "kernel/kexec_file.c kexec_calculate_store_digests(): elfcorehdr_index compared with the region count, v6.6; fixed by 'kexec_file: fix elfcorehdr digest exclusion when CONFIG_CRASH_HOTPLUG=y' (v6.11), in 6.6.51 (read: its release shortlog)" },
	{ PR_DIGEST_SKIP_BUG, "x86_64", KVER(6, 7, 0), KVER(6, 10, 10),
	  "kexec_calculate_store_digests() as in v6.6 until the v6.11 fix; 6.10.y assumed fixed in 6.10.10, released with 6.6.51 (not read)" },
	{ PR_TOP_DOWN_WALK_REV, NULL, KVER(6, 8, 0), 0,
	  "kernel/kexec_file.c kexec_walk_resources(): walk_system_ram_res_rev() for top-down ('kexec_file: Load kernel at top of system RAM if required', posted 2023-11-14, v6.8; in place under the v6.9 CONFIG_CRASH_DUMP split; in 7.3.4, read); 6.12.95 (QEMU)" },
	{ PR_TOP_DOWN_SHORT_BY_ONE, NULL, 0, KVER(6, 8, 0),
	  "kernel/kexec_file.c locate_mem_hole_top_down(): temp_start = end - memsz until 18d565ea95fe 'kexec_file: fix incorrect temp_start value in locate_mem_hole_top_down()' (read: posted 2023-12-15, a 6.8 regression report bisected to it, '6.7 works fine'); 5.10.223 and 6.1.176 (read, QEMU)" },
	{ PR_SETUP_DATA_RESERVED, "x86_64", 0, KVER(6, 9, 0),
	  "arch/x86/kernel/e820.c e820__reserve_setup_data(): RESERVED_KERN in e820_table_kexec until fc7f27cda843 'x86/kexec: Do not update E820 kexec table for setup_data' (read: x86/urgent pull of March 2024, v6.9; stable backports not keyed); 6.12.95 hands over the firmware map (QEMU, OVMF)" },
	{ PR_KHO_SCRATCH, NULL, KVER(6, 16, 0), 0,
	  "kernel/kexec_file.c kexec_locate_mem_hole() -> kho_locate_mem_hole(), kernel/liveupdate/kexec_handover.c kho_fill_kimage(): with KHO enabled (kho=, else CONFIG_KEXEC_HANDOVER_ENABLE_DEFAULT) a scratch-table segment and every hole in the scratch areas, not for crash loads; v6.16 (with CONFIG_KEXEC_HANDOVER); read in 7.3.4, whose kexec_calculate_store_digests() then also leaves the purgatory's digest empty (its version not read)" },
	{ PR_CMA_PLACEMENT, NULL, KVER(6, 17, 0), 0,
	  "kernel/kexec_file.c kexec_alloc_contig(): dma_alloc_from_contiguous() from the default CMA area (cma=, else CONFIG_CMA_SIZE_MBYTES; nothing without CONFIG_DMA_CMA) before the RAM walk, not for crash loads, not with KEXEC_FILE_NO_CMA (7.3.4: an empty digest when every segment is in CMA); 07d24902977e 'kexec: enable CMA based contiguous allocation' (read: in akpm's mm-nonmm lists; a fix posted 2025-08-05 for its missing legal flag names it, so v6.17); read in 7.3.4" },
	{ PR_RANDOM_PLACEMENT_BUG, "arm64", KVER(6, 16, 0), KVER(6, 16, 8),
	  "arch/arm64/kernel/machine_kexec_file.c load_other_segments(), kexec_image.c image_load(): a kexec_buf on the stack with its new 'random' field (v6.16, 'kexec_file: allow to place kexec_buf randomly') uninitialised; fixed in 6.16.8 (read: CVE-2025-39904, affected >= 6.16.0 < 6.16.8)" },
	{ PR_RANDOM_PLACEMENT_BUG, "s390x", KVER(6, 16, 0), KVER(6, 16, 8),
	  "arch/s390/kernel/kexec_image.c, kexec_elf.c, machine_kexec_file.c: the same uninitialised kexec_buf; fixed in 6.16.8 (read: '[PATCH 6.16 067/189] s390: kexec: initialize kexec_buf struct', stable review 2025-09-17); x86_64 initialises every kexec_buf (read in 7.3.4; 6.16.3 QEMU: same plan)" },
	{ PR_SETUP_DTB, "x86_64", KVER(6, 18, 0), 0,
	  "arch/x86/kernel/kexec-bzimage64.c setup_dtb(): SETUP_DTB from the running kernel's DTB with KEXEC_FILE_FORCE_DTB (and CONFIG_OF_FLATTREE), f367474b5884 'x86/kexec: carry forward the boot DTB on kexec' (read: v2 posted 2025-08-05, in the 6.17 merge window, so v6.18; in 7.3.4's setup_boot_parameters(), read); ukexec never asks for it" },
	{ PR_DM_CRYPT_KEYS, "x86_64", KVER(6, 16, 0), 0,
	  "kernel/crash_dump_dm_crypt.c crash_load_dm_crypt_keys() from arch/x86/kernel/kexec-bzimage64.c bzImage64_load(): crash loads, with keys in configfs (count > 0), a random place (kexec_buf.random) and dmcryptkeys= on the command line; 'x86/crash: pass dm crypt keys to kdump kernel' (read: akpm's mm-nonmm-unstable on 2025-05-20, the 6.16 merge window; CONFIG_CRASH_DM_CRYPT in Debian's 6.16.3 config, not in 6.12.95's); read in 7.3.4" },
};

#define NR_RULE_RANGES (sizeof(rule_ranges) / sizeof(rule_ranges[0]))

/* The config options the facts come from; 0 is a value for an int fact with zero_ok. */
static const struct {
	const char *option;
	bool is_bool;
	bool zero_ok;
} fact_info[NR_KERNEL_FACTS] = {
	[KF_CRASH_HOTPLUG] = { "CONFIG_CRASH_HOTPLUG", true, false },
	[KF_NR_CPUS_DEFAULT] = { "CONFIG_NR_CPUS_DEFAULT", false, false },
	[KF_CRASH_MAX_MEMORY_RANGES] = { "CONFIG_CRASH_MAX_MEMORY_RANGES", false, false },
	[KF_IMA_KEXEC] = { "CONFIG_IMA_KEXEC", true, false },
	[KF_KEXEC_HANDOVER] = { "CONFIG_KEXEC_HANDOVER", true, false },
	[KF_KEXEC_HANDOVER_ENABLE_DEFAULT] = { "CONFIG_KEXEC_HANDOVER_ENABLE_DEFAULT", true, false },
	[KF_DMA_CMA] = { "CONFIG_DMA_CMA", true, false },
	[KF_CMA_SIZE_MBYTES] = { "CONFIG_CMA_SIZE_MBYTES", false, true },
	[KF_CRASH_DM_CRYPT] = { "CONFIG_CRASH_DM_CRYPT", true, false },
};

/* Resolved profiles, one per (arch, kver): they live as long as the process. */
struct interned {
	struct profile profile;
	struct interned *next;
};
static struct interned *interned;

static bool range_holds(size_t i, const char *arch, unsigned int kver)
{
	if (rule_ranges[i].arch && strcmp(rule_ranges[i].arch, arch))
		return false;
	return kver >= rule_ranges[i].from && (!rule_ranges[i].to || kver < rule_ranges[i].to);
}

static unsigned int profile_rules(const char *arch, unsigned int kver)
{
	unsigned int rules = 0;
	size_t i;

	for (i = 0; i < NR_RULE_RANGES; i++)
		if (range_holds(i, arch, kver))
			rules |= 1u << rule_ranges[i].rule;
	return rules;
}

static const struct profile *profile_intern(const char *arch, const char *name, unsigned int kver)
{
	struct kernel_facts debian;
	struct interned *p;

	for (p = interned; p; p = p->next)
		if (!strcmp(p->profile.arch, arch) && p->profile.kver == kver)
			return &p->profile;
	p = calloc(1, sizeof(*p));
	if (!p) {
		kx_error("out of memory for a kexec_file profile");
		return NULL;
	}
	p->profile.arch = arch;
	p->profile.name = name;
	p->profile.kver = kver;
	p->profile.rules = profile_rules(arch, kver);
	kernel_facts_debian(&debian, arch, kver);
	p->profile.crash_hotplug_phdrs = kernel_facts_crash_hotplug_phdrs(&debian);
	p->next = interned;
	interned = p;
	return &p->profile;
}

const struct profile *profile_select(const char *arch, unsigned int kver)
{
	size_t i, best = NR_LINES, oldest = NR_LINES;

	for (i = 0; i < NR_LINES; i++) {
		if (strcmp(lines[i].arch, arch))
			continue;
		if (oldest == NR_LINES || lines[i].kver < lines[oldest].kver)
			oldest = i;
		if (lines[i].kver <= kver && (best == NR_LINES || lines[i].kver > lines[best].kver))
			best = i;
	}
	if (oldest == NR_LINES)
		return NULL;
	if (!kver) {
		kx_debug("kernel version unknown: the %s kexec_file profile of %s", arch,
			 lines[oldest].name);
		return profile_intern(arch, lines[oldest].name, lines[oldest].kver);
	}
	if (best == NR_LINES)
		best = oldest;
	if (kver != lines[best].kver)
		kx_debug("kernel %u.%u.%u: the %s kexec_file rules of that version (nearest line checked in QEMU: %s, %s)",
			 kver >> 16, (kver >> 8) & 0xff, kver & 0xff, arch, lines[best].name,
			 kver > lines[best].kver ? "older" : "newer");
	return profile_intern(arch, lines[best].name, kver);
}

const struct profile *profile_find(const char *arch, const char *name)
{
	unsigned int kver;
	size_t i;

	for (i = 0; i < NR_LINES; i++)
		if (!strcmp(lines[i].arch, arch) && !strcmp(lines[i].name, name))
			return profile_intern(arch, lines[i].name, lines[i].kver);
	kver = sysview_parse_kver(name);
	return kver ? profile_select(arch, kver) : NULL;
}

/* "... Debian 6.1.176-1 (...)": 6.1.176 when it is the release's line */
static unsigned int debian_sublevel(const char *version, unsigned int kver)
{
	const char *p = version;
	unsigned int v;

	while ((p = strstr(p, "Debian "))) {
		p += strlen("Debian ");
		v = sysview_parse_kver(p);
		if (v && (v & ~0xffu) == (kver & ~0xffu))
			return v;
	}
	return kver;
}

unsigned int profile_kver(const struct sysview *sv)
{
	unsigned int kver = sv->kver, v;
	char *text, *last;

	if (!kver || (kver & 0xff))
		return kver;
	if (!sysview_read_text(sv, "/proc/version_signature", &text)) {
		/* Ubuntu: "Ubuntu 5.15.0-91.101-generic 5.15.131" */
		last = strrchr(text, ' ');
		v = last ? sysview_parse_kver(last + 1) : 0;
		free(text);
		if (v && (v & ~0xffu) == (kver & ~0xffu))
			return v;
	}
	if (!sysview_read_text(sv, "/proc/version", &text)) {
		v = debian_sublevel(text, kver);
		free(text);
		return v;
	}
	return kver;
}

const char *profile_rule_name(enum profile_rule rule)
{
	return rule < NR_PROFILE_RULES ? rule_info[rule].name : "?";
}

bool profile_has(const struct profile *profile, enum profile_rule rule)
{
	return profile && (profile->rules & (1u << rule));
}

bool plan_rule(const struct plan *plan, enum profile_rule rule)
{
	struct kernel_facts debian;
	const struct kernel_facts *facts = plan->facts;
	int fact = rule_info[rule].fact;

	if (!profile_has(plan->profile, rule))
		return false;
	if (!facts) {
		kernel_facts_debian(&debian, plan->profile->arch, plan->profile->kver);
		facts = &debian;
	}
	return fact < 0 || facts->value[fact] != 0;
}

/*
 * Debian's values, by the versions whose /boot/config-* were read (the cached
 * linux-image packages, tests/unit/test-facts-debian checks them): 5.10.223,
 * 6.1.176, 6.12.95, 6.16.3, 6.16.12, 6.17.13, 6.18.15, 7.2.12, 7.3.4. CMA
 * from 7.2 (Debian's changelog, 7.2.2-1~exp1: "Enable CMA, CMA_SYSFS,
 * DMA_CMA, DMA_NUMA_CMA. [!amd64] Set CMA_SIZE_MBYTES=128"; 6.19-7.1 have
 * no config in the archive). An option a version does not have reads as
 * unset (bool) or keeps the value (int), as kernel_facts_read() reads it.
 */
void kernel_facts_debian(struct kernel_facts *facts, const char *arch, unsigned int kver)
{
	memset(facts, 0, sizeof(*facts));
	facts->kver = kver;
	facts->kho = -1;
	facts->cma = -1;
	facts->dm_crypt_keys = -1;
	/* CONFIG_CRASH_HOTPLUG came with 6.6; Debian sets it (6.12.95 on) */
	facts->value[KF_CRASH_HOTPLUG] = kver >= KVER(6, 6, 0);
	facts->value[KF_NR_CPUS_DEFAULT] = 8192;
	facts->value[KF_CRASH_MAX_MEMORY_RANGES] = 8192;
	facts->value[KF_DMA_CMA] = kver >= KVER(7, 2, 0);
	facts->value[KF_CMA_SIZE_MBYTES] = kver >= KVER(7, 2, 0) && strcmp(arch, "x86_64") ? 128 : 0;
	/* IMA_KEXEC, KEXEC_HANDOVER(_ENABLE_DEFAULT), CRASH_DM_CRYPT: not set */
}

/* config (NUL-terminated) from buf, gunzipped when it is gzip; NULL after a message */
static char *config_text(uint8_t *buf, size_t len, const char *name)
{
	uint8_t *text = buf;
	size_t textlen = len;
	char *config;

	if (kx_comp_detect(buf, len) != KX_COMP_NONE &&
	    kx_decompress(buf, len, name, 64 << 20, &text, &textlen))
		return NULL;
	config = malloc(textlen + 1);
	if (!config) {
		kx_error("%s: out of memory", name);
	} else {
		memcpy(config, text, textlen);
		config[textlen] = '\0';
	}
	if (text != buf)
		free(text);
	return config;
}

/* The running kernel's .config as text, or NULL; path says which was read. */
/*
 * The running kernel's config: 0 and *config (NULL when there is none to
 * read), or -errno after a message when a file is there but is no regular
 * file or cannot be read.
 */
static int read_kernel_config(const struct sysview *sv, char *path, size_t pathsz, char **config)
{
	uint8_t *buf;
	size_t len;
	int ret;

	*config = NULL;
	/* without zlib, /proc/config.gz is no error: /boot or the defaults */
	if (HAVE_ZLIB_BUILD) {
		snprintf(path, pathsz, "%s/proc/config.gz", sv->root);
		ret = sysview_read_file(sv, "/proc/config.gz", &buf, &len);
		if (!ret) {
			/* a config.gz that does not decompress is reported and not used */
			*config = config_text(buf, len, path);
			free(buf);
			return 0;
		}
		if (ret != -ENOENT)
			goto out_error;
	}
	if (!*sv->osrelease)
		return 0;
	snprintf(path, pathsz, "%s/boot/config-%s", sv->root, sv->osrelease);
	ret = sysview_read_text(sv, path + strlen(sv->root), config);
	if (ret == -ENOENT)
		return 0;
	if (ret)
		goto out_error;
	return 0;
out_error:
	kx_error("%s: %s", path, sysview_strerror(ret));
	return ret;
}

/* "NAME=value" at the start of a line: 1 and *value; 0 if absent or "not set" */
static int config_value(const char *config, const char *name, bool is_bool, long *value)
{
	size_t len = strlen(name);
	const char *p = config;

	while (p && *p) {
		if (!strncmp(p, name, len) && p[len] == '=') {
			p += len + 1;
			if (is_bool)
				*value = *p == 'y' || *p == 'm';
			else
				*value = strtol(p, NULL, 0);
			return 1;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return 0;
}

/*
 * PAGE_SHIFT as the config states it: CONFIG_PAGE_SHIFT (6.7+), else the
 * arch's own (powerpc's CONFIG_PPC_PAGE_SHIFT, arm64's CONFIG_ARM64_PAGE_SHIFT);
 * x86 and s390 configs have none (4 KiB only).
 */
static void read_page_shift(struct kernel_facts *facts, const char *config)
{
	static const char *const options[] = {
		"CONFIG_PAGE_SHIFT", "CONFIG_PPC_PAGE_SHIFT", "CONFIG_ARM64_PAGE_SHIFT",
	};
	size_t i;
	long v;

	for (i = 0; i < sizeof(options) / sizeof(options[0]); i++) {
		if (config_value(config, options[i], false, &v) && v >= 12 && v <= 20) {
			facts->page_shift = (unsigned int)v;
			facts->page_shift_option = options[i];
			return;
		}
	}
}

/* kstrtobool(): 1 or 0, -1 for what it refuses */
static int kstrtobool_value(const char *s)
{
	switch (s[0]) {
	case 'y': case 'Y': case 't': case 'T': case 'e': case 'E': case '1':
		return 1;
	case 'n': case 'N': case 'f': case 'F': case 'd': case 'D': case '0':
		return 0;
	case 'o': case 'O':
		if (s[1] == 'n' || s[1] == 'N')
			return 1;
		if (s[1] == 'f' || s[1] == 'F')
			return 0;
		break;
	}
	return -1;
}

/* memparse(): a number (C base prefixes) with a K, M, G, T, P or E suffix */
static long long memparse_value(const char *s)
{
	unsigned long long v = strtoull(s, (char **)&s, 0);
	const char *suffix = "KMGTPE";
	const char *k = *s ? strchr(suffix, *s) : NULL;

	if (k)
		v <<= 10 * (k - suffix + 1);
	return v > (unsigned long long)LLONG_MAX ? LLONG_MAX : (long long)v;
}

/* kho= and cma= of a kernel command line: the last of each, as early_param() leaves them */
static void cmdline_state(struct kernel_facts *facts, const char *cmdline)
{
	const char *p = cmdline;
	int b;

	while (*p) {
		if (!strncmp(p, "kho=", 4)) {
			b = kstrtobool_value(p + 4);
			if (b >= 0)
				facts->kho = b;
		} else if (!strncmp(p, "cma=", 4)) {
			facts->cma = memparse_value(p + 4);
		}
		p += strcspn(p, " \t\n");
		p += strspn(p, " \t\n");
	}
}

/*
 * The running kernel's state the unknowable rules depend on: its command
 * line, the dm-crypt keys configured for kdump. 0, or -errno after one
 * message for a count that is no number.
 */
static int kernel_state_read(struct kernel_facts *facts, const struct sysview *sv)
{
	const char *count = "/sys/kernel/config/crash_dm_crypt_keys/count";
	char path[4096 + 64];
	uint64_t keys;
	char *cmdline;
	int ret;

	if (!sysview_read_text(sv, "/proc/cmdline", &cmdline)) {
		cmdline_state(facts, cmdline);
		free(cmdline);
	}
	ret = sysview_read_u64(sv, count, 10, &keys);
	if (ret == -ENOENT)
		return 0;
	if (ret) {
		sysview_path(sv, count, path, sizeof(path));
		kx_error("%s: %s", path, ret == -EINVAL ? "not a decimal key count" : sysview_strerror(ret));
		return ret;
	}
	facts->dm_crypt_keys = keys > LONG_MAX ? LONG_MAX : (long)keys;
	return 0;
}

/* The facts of config (a kernel config's text) over the defaults in facts. */
static void config_facts(struct kernel_facts *facts, const char *config)
{
	size_t i;
	long v;

	for (i = 0; i < NR_KERNEL_FACTS; i++) {
		if (config_value(config, fact_info[i].option, fact_info[i].is_bool, &v)) {
			if (!fact_info[i].is_bool &&
			    (v < (fact_info[i].zero_ok ? 0 : 1) || v > 1 << 20))
				continue;	/* out of range: the default, said by -d */
			facts->value[i] = v;
		} else if (fact_info[i].is_bool) {
			facts->value[i] = 0;	/* absent from a kernel config: not set */
		} else {
			continue;
		}
		facts->from_config[i] = true;
	}
}

int kernel_facts_read(struct kernel_facts *facts, const struct sysview *sv,
		      const char *config_file, const struct profile *profile)
{
	struct kx_file f;
	char *config;
	int ret;

	kernel_facts_debian(facts, profile ? profile->arch : "x86_64", profile ? profile->kver : 0);
	if (config_file) {
		if (kx_file_open(&f, config_file))
			return -ENOENT;
		config = config_text((uint8_t *)f.data, f.size, config_file);
		kx_file_close(&f);
		if (!config)
			return -EINVAL;
		snprintf(facts->source, sizeof(facts->source), "%s", config_file);
	} else {
		ret = read_kernel_config(sv, facts->source, sizeof(facts->source), &config);
		if (ret)
			return ret;
		if (!config)
			facts->source[0] = '\0';
	}
	if (config) {
		read_page_shift(facts, config);
		config_facts(facts, config);
		free(config);
	}
	return kernel_state_read(facts, sv);
}

unsigned int kernel_facts_crash_hotplug_phdrs(const struct kernel_facts *facts)
{
	return (unsigned int)(2 + facts->value[KF_NR_CPUS_DEFAULT] +
			      facts->value[KF_CRASH_MAX_MEMORY_RANGES]);
}

static void report_fact(const struct kernel_facts *facts, int fact)
{
	if (facts->from_config[fact])
		kx_debug("kernel fact: %s=%ld (from %s)", fact_info[fact].option,
			 facts->value[fact], facts->source);
	else
		kx_debug("kernel fact: %s=%ld assumed (Debian's for %u.%u.%u; %s)",
			 fact_info[fact].option, facts->value[fact], facts->kver >> 16,
			 (facts->kver >> 8) & 0xff, facts->kver & 0xff,
			 *facts->source ? "not in the kernel config" : "no kernel config found");
}

/* The facts a rule's unknowable effect depends on beyond its gate. */
static void rule_extra_facts(int rule, bool *used)
{
	if (rule == PR_KHO_SCRATCH)
		used[KF_KEXEC_HANDOVER_ENABLE_DEFAULT] = true;
	else if (rule == PR_CMA_PLACEMENT)
		used[KF_CMA_SIZE_MBYTES] = true;
}

void profile_report(const struct profile *profile, const struct kernel_facts *facts,
		    bool crash)
{
	bool used[NR_KERNEL_FACTS] = { false };
	size_t i;
	int r, fact;

	if (!profile || !kx_debug_enabled())
		return;
	for (i = 0; i < NR_RULE_RANGES; i++) {
		if (!range_holds(i, profile->arch, profile->kver))
			continue;
		r = rule_ranges[i].rule;
		fact = rule_info[r].fact;
		kx_debug("profile rule %s%s%s%s: %s", rule_info[r].name,
			 fact >= 0 && !facts->value[fact] ? " (off: no " : "",
			 fact >= 0 && !facts->value[fact] ? fact_info[fact].option : "",
			 fact >= 0 && !facts->value[fact] ? ")" : "", rule_ranges[i].source);
		if (fact >= 0)
			used[fact] = true;
		if (fact < 0 || facts->value[fact])
			rule_extra_facts(r, used);
		if (r == PR_CRASH_HOTPLUG && crash)
			used[KF_NR_CPUS_DEFAULT] = used[KF_CRASH_MAX_MEMORY_RANGES] = true;
	}
	for (i = 0; i < NR_KERNEL_FACTS; i++)
		if (used[i])
			report_fact(facts, (int)i);
	if (used[KF_KEXEC_HANDOVER_ENABLE_DEFAULT] || used[KF_CMA_SIZE_MBYTES])
		kx_debug("kernel state: kho=%s, cma=%lld on its command line (-1: absent)",
			 facts->kho < 0 ? "absent" : facts->kho ? "on" : "off", facts->cma);
	if (profile_has(profile, PR_DM_CRYPT_KEYS) && facts->value[KF_CRASH_DM_CRYPT])
		kx_debug("kernel state: %ld dm-crypt keys for kdump (/sys/kernel/config/crash_dm_crypt_keys/count%s)",
			 facts->dm_crypt_keys < 0 ? 0 : facts->dm_crypt_keys,
			 facts->dm_crypt_keys < 0 ? " absent" : "");
}

/* Whether rule's unknowable effect happens to the plan's load, as the kernel decides it. */
static bool unknowable_holds(const struct plan *plan, const struct kernel_facts *facts, int rule)
{
	if (!rule_info[rule].unknowable || !plan_rule(plan, rule))
		return false;
	switch (rule) {
	case PR_IMA_SETUP_DATA:
		/* ima_add_kexec_buffer(): not for crash loads */
		return !plan->crash;
	case PR_KHO_SCRATCH:
		/* kho_enable: kho=, else CONFIG_KEXEC_HANDOVER_ENABLE_DEFAULT; not for crash */
		return !plan->crash && (facts->kho >= 0 ? facts->kho :
					facts->value[KF_KEXEC_HANDOVER_ENABLE_DEFAULT] != 0);
	case PR_CMA_PLACEMENT:
		/* dma_contiguous_reserve(): cma= over CONFIG_CMA_SIZE_MBYTES; not for crash */
		return !plan->crash && (facts->cma >= 0 ? facts->cma > 0 :
					facts->value[KF_CMA_SIZE_MBYTES] > 0);
	case PR_DM_CRYPT_KEYS:
		/* crash_load_dm_crypt_keys(): crash loads, key_count > 0 */
		return plan->crash && facts->dm_crypt_keys > 0;
	default:
		return true;
	}
}

void plan_print_unknowable(const struct plan *plan, void *stream)
{
	struct kernel_facts debian;
	const struct kernel_facts *facts = plan->facts;
	int r;

	if (!plan->profile)
		return;
	if (!facts) {
		kernel_facts_debian(&debian, plan->profile->arch, plan->profile->kver);
		facts = &debian;
	}
	for (r = 0; r < NR_PROFILE_RULES; r++)
		if (unknowable_holds(plan, facts, r))
			fprintf(stream, "%s\n", rule_info[r].unknowable);
}
