/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Kernel-behaviour profiles: what kexec_file_load does differs between
 * kernel versions; the replica follows the kernel it runs on.
 */
#ifndef UKEXEC_PROFILE_H
#define UKEXEC_PROFILE_H

#include <stdbool.h>

struct profile {
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
	/* the program headers that room is for: 2 + CONFIG_NR_CPUS_DEFAULT +
	 * CONFIG_CRASH_MAX_MEMORY_RANGES of Debian's config (x86_64) */
	unsigned int crash_hotplug_phdrs;
};

/* The profile for kver: the newest not newer than it; notes the choice with -d. */
const struct profile *profile_select(unsigned int kver);
/* By name ("6.1", "6.12") or version string ("6.1.0-28-amd64"); NULL if unknown. */
const struct profile *profile_find(const char *name);

#endif
