// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "config.h"
#include "decompress.h"
#include "log.h"
#include "profile.h"
#include "sysview.h"

#ifdef HAVE_ZLIB
#define HAVE_ZLIB_BUILD 1
#else
#define HAVE_ZLIB_BUILD 0
#endif

/* Oldest first within an arch. Each entry is checked against that kernel in QEMU. */
static const struct profile profiles[] = {
	{ .arch = "x86_64", .name = "6.1", .kver = KVER(6, 1, 0), .top_down_walk_rev = false,
	  .top_down_short_by_one = true, .crash_hotplug = false },
	{ .arch = "x86_64", .name = "6.12", .kver = KVER(6, 12, 0), .top_down_walk_rev = true,
	  .top_down_short_by_one = false, .crash_hotplug = true,
	  .crash_hotplug_phdrs = 2 + 8192 + 8192 },
	{ .arch = "arm64", .name = "6.1", .kver = KVER(6, 1, 0), .top_down_walk_rev = false,
	  .top_down_short_by_one = true, .crash_hotplug = false },
	/*
	 * 6.12 (Debian's linux-source-6.12, tests/golden/arm64-virt-6.12):
	 * locate_mem_hole_top_down() lost the off-by-one (kernel/kexec_file.c);
	 * kexec_walk_resources() walks top-down holes in reverse, but arm64
	 * keeps memblock (ARCH_KEEP_MEMBLOCK) and walks it with
	 * kexec_walk_memblock(), unchanged; arm64 has no
	 * ARCH_SUPPORTS_CRASH_HOTPLUG (arch/arm64/Kconfig). image_load(),
	 * load_other_segments() and of_kexec_alloc_and_setup_fdt() place and
	 * build as in 6.1.
	 */
	{ .arch = "arm64", .name = "6.12", .kver = KVER(6, 12, 0), .top_down_walk_rev = true,
	  .top_down_short_by_one = false, .crash_hotplug = false },
	{ .arch = "s390x", .name = "6.1", .kver = KVER(6, 1, 0), .top_down_walk_rev = false,
	  .top_down_short_by_one = true, .crash_hotplug = false },
};

#define NR_PROFILES (sizeof(profiles) / sizeof(profiles[0]))

const struct profile *profile_select(const char *arch, unsigned int kver)
{
	const struct profile *best = NULL;
	size_t i;

	for (i = 0; i < NR_PROFILES; i++) {
		if (strcmp(profiles[i].arch, arch))
			continue;
		if (!best || profiles[i].kver <= kver)
			best = &profiles[i];
	}
	if (best && kver != best->kver)
		kx_debug("kernel %u.%u.%u: using the %s kexec_file profile of %s (%s)",
			 kver >> 16, (kver >> 8) & 0xff, kver & 0xff, arch, best->name,
			 kver > best->kver ? "nearest older" : "the oldest known");
	return best;
}

const struct profile *profile_find(const char *arch, const char *name)
{
	unsigned int kver;
	size_t i;

	for (i = 0; i < NR_PROFILES; i++)
		if (!strcmp(profiles[i].arch, arch) && !strcmp(profiles[i].name, name))
			return &profiles[i];
	kver = sysview_parse_kver(name);
	return kver ? profile_select(arch, kver) : NULL;
}

/* The running kernel's .config as text (NUL-terminated), or NULL. */
static char *read_kernel_config(const struct sysview *sv, char *path, size_t pathsz)
{
	uint8_t *buf, *text = NULL;
	size_t len, textlen;
	char *config;

	snprintf(path, pathsz, "/proc/config.gz");
	/* without zlib, /proc/config.gz is no error: the default is used */
	if (HAVE_ZLIB_BUILD && !sysview_read_file(sv, path, &buf, &len)) {
		/* a config.gz that does not decompress is reported and not used */
		if (kx_decompress(buf, len, path, 64 << 20, &text, &textlen)) {
			free(buf);
			return NULL;
		}
		free(buf);
		config = realloc(text, textlen + 1);
		if (!config) {
			free(text);
			return NULL;
		}
		config[textlen] = '\0';
		return config;
	}
	if (!*sv->osrelease)
		return NULL;
	snprintf(path, pathsz, "/boot/config-%s", sv->osrelease);
	if (sysview_read_text(sv, path, &config))
		return NULL;
	return config;
}

/* The value of "NAME=value" at the start of a line, or -1. */
static long config_value(const char *config, const char *name)
{
	size_t len = strlen(name);
	const char *p = config;

	while (p && *p) {
		if (!strncmp(p, name, len) && p[len] == '=')
			return strtol(p + len + 1, NULL, 0);
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return -1;
}

unsigned int profile_crash_hotplug_phdrs(const struct profile *profile, const struct sysview *sv)
{
	char path[192];
	char *config;
	long cpus, ranges;

	config = read_kernel_config(sv, path, sizeof(path));
	if (!config) {
		kx_debug("crash hotplug: room for %u program headers (the profile's default, Debian's config; no kernel config under %s/)",
			 profile->crash_hotplug_phdrs, sv->root);
		return profile->crash_hotplug_phdrs;
	}
	cpus = config_value(config, "CONFIG_NR_CPUS_DEFAULT");
	ranges = config_value(config, "CONFIG_CRASH_MAX_MEMORY_RANGES");
	free(config);
	if (cpus <= 0 || ranges <= 0 || cpus > 1 << 20 || ranges > 1 << 20) {
		kx_debug("crash hotplug: room for %u program headers (the profile's default: %s%s lacks CONFIG_NR_CPUS_DEFAULT or CONFIG_CRASH_MAX_MEMORY_RANGES)",
			 profile->crash_hotplug_phdrs, sv->root, path);
		return profile->crash_hotplug_phdrs;
	}
	kx_debug("crash hotplug: room for 2 + %ld + %ld program headers (%s%s)", cpus, ranges,
		 sv->root, path);
	return (unsigned int)(2 + cpus + ranges);
}
