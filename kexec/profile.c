// SPDX-License-Identifier: GPL-2.0-or-later
#include <string.h>
#include "log.h"
#include "profile.h"
#include "sysview.h"

/* Oldest first. Each entry is checked against that kernel in QEMU. */
static const struct profile profiles[] = {
	{ .name = "6.1", .kver = KVER(6, 1, 0), .top_down_walk_rev = false, .top_down_short_by_one = true,
	  .crash_hotplug = false },
	{ .name = "6.12", .kver = KVER(6, 12, 0), .top_down_walk_rev = true, .top_down_short_by_one = false,
	  .crash_hotplug = true, .crash_hotplug_phdrs = 2 + 8192 + 8192 },
};

#define NR_PROFILES (sizeof(profiles) / sizeof(profiles[0]))

const struct profile *profile_select(unsigned int kver)
{
	const struct profile *best = &profiles[0];
	size_t i;

	for (i = 0; i < NR_PROFILES; i++)
		if (profiles[i].kver <= kver)
			best = &profiles[i];
	if (kver != best->kver)
		kx_debug("kernel %u.%u.%u: using the kexec_file profile of %s (nearest older)",
			 kver >> 16, (kver >> 8) & 0xff, kver & 0xff, best->name);
	return best;
}

const struct profile *profile_find(const char *name)
{
	unsigned int kver;
	size_t i;

	for (i = 0; i < NR_PROFILES; i++)
		if (!strcmp(profiles[i].name, name))
			return &profiles[i];
	kver = sysview_parse_kver(name);
	return kver ? profile_select(kver) : NULL;
}
