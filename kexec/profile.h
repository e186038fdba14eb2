/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Kernel-behaviour profiles: what kexec_file_load does differs between
 * kernel versions and architectures; the replica follows the kernel it runs
 * on. A profile names its architecture and the first version it describes.
 */
#ifndef UKEXEC_PROFILE_H
#define UKEXEC_PROFILE_H

#include <stdbool.h>

struct sysview;

struct profile {
	const char *arch;		/* struct arch's name: "x86_64", "s390x" */
	const char *name;		/* "6.1" */
	unsigned int kver;		/* first kernel version it describes */
	/* top-down holes are searched from the highest System RAM range down
	 * (walk_system_ram_res_rev); before, every walk went up. */
	bool top_down_walk_rev;
	/* a top-down hole ends one byte below the range's end (temp_start =
	 * end - memsz): the old off-by-one, fixed by 6.12 */
	bool top_down_short_by_one;
	/* crash loads reserve room for CPU/memory hotplug in the ELF core
	 * header segment and leave that segment out of the digest. */
	bool crash_hotplug;
	/* the program headers that room is for when the running kernel's
	 * config cannot be read: 2 + CONFIG_NR_CPUS_DEFAULT +
	 * CONFIG_CRASH_MAX_MEMORY_RANGES of Debian's config (x86_64) */
	unsigned int crash_hotplug_phdrs;
};

/*
 * The profile of arch for kver: the newest of arch's not newer than it (its
 * oldest when kver predates them all); notes the choice with -d. NULL when
 * arch has no profile.
 */
const struct profile *profile_select(const char *arch, unsigned int kver);
/* arch's profile by name ("6.1", "6.12") or version string ("6.1.0-28-amd64"); NULL if unknown. */
const struct profile *profile_find(const char *arch, const char *name);
/*
 * The program headers a crash load reserves for hotplug: 2 +
 * CONFIG_NR_CPUS_DEFAULT + CONFIG_CRASH_MAX_MEMORY_RANGES from the running
 * kernel's config (/proc/config.gz, else /boot/config-RELEASE, under the
 * sysroot), else the profile's default; -d says which.
 */
unsigned int profile_crash_hotplug_phdrs(const struct profile *profile, const struct sysview *sv);

#endif
