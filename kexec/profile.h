/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Kernel-behaviour profiles: what kexec_file_load does differs between
 * kernel versions, architectures and kernel configs; the replica follows the
 * kernel it runs on. A profile is the set of rules (profile.c's table, each
 * keyed by version ranges with its source in the kernel) that hold for one
 * architecture and kernel version; the facts are the running kernel's config
 * values that some rules depend on.
 */
#ifndef UKEXEC_PROFILE_H
#define UKEXEC_PROFILE_H

#include <stdbool.h>

struct sysview;
struct plan;

enum profile_rule {
	PR_RNG_SEED,		/* x86: a SETUP_RNG_SEED setup_data in boot_params */
	PR_IMA_SETUP_DATA,	/* x86: room for a SETUP_IMA setup_data (CONFIG_IMA_KEXEC) */
	PR_KHO_SETUP_DATA,	/* x86: room for a SETUP_KEXEC_KHO setup_data (CONFIG_KEXEC_HANDOVER) */
	PR_EFI_RSDP,		/* x86: acpi_rsdp_addr from the EFI tables when boot_params has none */
	PR_KERNEL_BUF_MIN_PREF,	/* x86: the kernel's buf_min is max(1 MiB, pref_address) */
	PR_PURGATORY_START_SYM,	/* the entry is the purgatory_start symbol, else e_entry */
	PR_PURGATORY_ENTRY_FIRST, /* e_entry moves with the first executable section holding it */
	PR_CRASH_HOTPLUG,	/* crash: hotplug room in the ELF core header, left out of the digest */
	PR_DIGEST_SKIP_BUG,	/* crash: the digest skips every segment from the ELF core header on */
	PR_TOP_DOWN_WALK_REV,	/* top-down holes: System RAM walked from the top */
	PR_TOP_DOWN_SHORT_BY_ONE, /* top-down holes end one byte below the range's end */
	PR_SETUP_DATA_RESERVED,	/* x86: the boot loader's setup_data split off in the kexec E820 */
	PR_KHO_SCRATCH,		/* KHO scratch areas limit where segments go */
	PR_CMA_PLACEMENT,	/* segments may go to CMA areas (no KEXEC_FILE_NO_CMA) */
	PR_RANDOM_PLACEMENT_BUG, /* 6.16.0-6.16.7: an uninitialised kexec_buf field */
	PR_SETUP_DTB,		/* x86: SETUP_DTB with KEXEC_FILE_FORCE_DTB */
	PR_DM_CRYPT_KEYS,	/* crash: the dm-crypt keys as a segment at a random place */
	NR_PROFILE_RULES
};

/* Config values of the running kernel that rules depend on. */
enum kernel_fact {
	KF_CRASH_HOTPLUG,
	KF_NR_CPUS_DEFAULT,
	KF_CRASH_MAX_MEMORY_RANGES,
	KF_IMA_KEXEC,
	KF_KEXEC_HANDOVER,
	KF_KEXEC_HANDOVER_ENABLE_DEFAULT,
	KF_DMA_CMA,
	KF_CMA_SIZE_MBYTES,
	KF_CRASH_DM_CRYPT,
	NR_KERNEL_FACTS
};

struct kernel_facts {
	long value[NR_KERNEL_FACTS];
	bool from_config[NR_KERNEL_FACTS];	/* else the stated default */
	char source[4096 + 256];			/* the config read, "" if none */
	/* PAGE_SHIFT of the config (CONFIG_PAGE_SHIFT, _PPC_, _ARM64_), 0 if none */
	unsigned int page_shift;
	const char *page_shift_option;		/* the option it came from */
	unsigned int kver;			/* the version whose defaults were assumed */
	/* the running kernel's state that rules depend on (read, never changed) */
	int kho;				/* kho= on its command line: 0 or 1; -1 absent */
	long long cma;				/* cma= on its command line: bytes; -1 absent */
	long dm_crypt_keys;			/* crash_dm_crypt_keys/count; -1 absent */
};

struct profile {
	const char *arch;		/* struct arch's name: "x86_64", "s390x" */
	const char *name;		/* the nearest line checked in QEMU: "6.1" */
	unsigned int kver;		/* KVER() the rules were picked for */
	unsigned int rules;		/* 1 << enum profile_rule */
	/* program headers of the hotplug room without a config (x86_64:
	 * 2 + Debian's CONFIG_NR_CPUS_DEFAULT + CONFIG_CRASH_MAX_MEMORY_RANGES) */
	unsigned int crash_hotplug_phdrs;
};

/*
 * The profile of arch for kver (KVER()); notes the choice with -d. NULL when
 * arch has no profile. Profiles live as long as the process.
 */
const struct profile *profile_select(const char *arch, unsigned int kver);
/* arch's profile by line ("6.1", "6.12") or release ("6.1.0-28-amd64",
 * "5.15.0-91-generic"); NULL if unparsable. */
const struct profile *profile_find(const char *arch, const char *name);
/* The version a kernel's rules are keyed by: osrelease, with the sublevel
 * of /proc/version's "Debian X.Y.Z" or Ubuntu's /proc/version_signature
 * when the release itself says X.Y.0 (Debian's "6.1.0-28-amd64"). */
unsigned int profile_kver(const struct sysview *sv);
/* The rule's short name ("rng-seed") and its source in the kernel. */
const char *profile_rule_name(enum profile_rule rule);
/* Whether rule holds for profile alone (no config gate) */
bool profile_has(const struct profile *profile, enum profile_rule rule);
/* Whether rule holds for the plan: the profile's rule and its config fact. */
bool plan_rule(const struct plan *plan, enum profile_rule rule);

/*
 * Debian's config of arch for kver (amd64's, arm64's CMA size): the facts
 * assumed without a kernel config; no kernel state.
 */
void kernel_facts_debian(struct kernel_facts *facts, const char *arch, unsigned int kver);
/*
 * Read the facts from config_file (--kernel-config, read as is), else the
 * running kernel's /proc/config.gz, else /boot/config-RELEASE (under the
 * sysroot); Debian's for the profile's version without one; and the kernel
 * state (its command line, /sys/kernel/config). 0, or -errno after one
 * message when config_file cannot be read.
 */
int kernel_facts_read(struct kernel_facts *facts, const struct sysview *sv,
		      const char *config_file, const struct profile *profile);
/* -d: the facts the profile's rules use and where each came from. */
void profile_report(const struct profile *profile, const struct kernel_facts *facts,
		    bool crash);
/*
 * With the plan (--print-plan, -d): one line per effect of the kernel's
 * loader on this load that userspace cannot reproduce ("the kernel would
 * place ... where userspace cannot know"); nothing when there is none.
 */
void plan_print_unknowable(const struct plan *plan, void *stream);
/* The program headers a crash load reserves for hotplug. */
unsigned int kernel_facts_crash_hotplug_phdrs(const struct kernel_facts *facts);

#endif
