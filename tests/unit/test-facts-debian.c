// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Debian's defaults, per version, against Debian's own configs: each cached
 * amd64 kernel (scripts/fetch-kernels [--all]: tests/e2e-x86_64/cache/VER/
 * boot/config-*, its version in VER/package) read as kernel_facts_read()
 * reads a kernel config must give every fact kernel_facts_debian() assumes
 * for that version. Skips the kernels without a config (6.19-7.1: the archive
 * has no linux-base for them), skips all without a cache.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "profile.h"
#include "sysview.h"
#include "tap.h"

static const char *const fact_names[NR_KERNEL_FACTS] = {
	[KF_CRASH_HOTPLUG] = "CONFIG_CRASH_HOTPLUG",
	[KF_NR_CPUS_DEFAULT] = "CONFIG_NR_CPUS_DEFAULT",
	[KF_CRASH_MAX_MEMORY_RANGES] = "CONFIG_CRASH_MAX_MEMORY_RANGES",
	[KF_IMA_KEXEC] = "CONFIG_IMA_KEXEC",
	[KF_KEXEC_HANDOVER] = "CONFIG_KEXEC_HANDOVER",
	[KF_KEXEC_HANDOVER_ENABLE_DEFAULT] = "CONFIG_KEXEC_HANDOVER_ENABLE_DEFAULT",
	[KF_DMA_CMA] = "CONFIG_DMA_CMA",
	[KF_CMA_SIZE_MBYTES] = "CONFIG_CMA_SIZE_MBYTES",
	[KF_CRASH_DM_CRYPT] = "CONFIG_CRASH_DM_CRYPT",
};

/* KVER() of VER/package's "linux-image-... 6.16.12-1~bpo13+1", 0 if none */
static unsigned int package_kver(const char *dir)
{
	char path[8192], name[256], version[128];
	unsigned int kver = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/package", dir);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (fscanf(f, "%255s %127s", name, version) == 2)
		kver = sysview_parse_kver(version);
	fclose(f);
	return kver;
}

/* VER/boot/config-* into path; 0 if there is one */
static int find_config(const char *dir, char *path, size_t len)
{
	char boot[8192];
	struct dirent *e;
	int ret = -1;
	DIR *d;

	snprintf(boot, sizeof(boot), "%s/boot", dir);
	d = opendir(boot);
	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (!strncmp(e->d_name, "config-", 7)) {
			snprintf(path, len, "%s/%s", boot, e->d_name);
			ret = 0;
			break;
		}
	closedir(d);
	return ret;
}

static int check_kernel(const char *dir, struct sysview *sv)
{
	char config[8704];
	struct kernel_facts read, debian;
	unsigned int kver = package_kver(dir);
	const struct profile *profile;
	int i;

	if (!kver || find_config(dir, config, sizeof(config)))
		return 0;
	profile = profile_select("x86_64", kver);
	if (kernel_facts_read(&read, sv, config, profile)) {
		ok(0, "%s: read", config);
		return 1;
	}
	kernel_facts_debian(&debian, "x86_64", kver);
	for (i = 0; i < NR_KERNEL_FACTS; i++)
		ok(read.value[i] == debian.value[i], "Debian %u.%u.%u: %s=%ld, the default %ld",
		   kver >> 16, (kver >> 8) & 0xff, kver & 0xff, fact_names[i], read.value[i],
		   debian.value[i]);
	return 1;
}

int main(void)
{
	const char *env = getenv("UKEXEC_KERNEL_CACHE");
	char cache[4096], dir[4096 + 256 + 2], empty[] = "/tmp/ukexec-facts-XXXXXX";
	struct sysview sv;
	struct dirent *e;
	int kernels = 0;
	DIR *d;

	if (env)
		snprintf(cache, sizeof(cache), "%s", env);
	else
		snprintf(cache, sizeof(cache), "%s/tests/e2e-x86_64/cache",
			 getenv("top_srcdir") ? getenv("top_srcdir") : ".");
	d = opendir(cache);
	if (!d) {
		printf("1..0 # SKIP no kernel cache %s (scripts/fetch-kernels)\n", cache);
		return 0;
	}
	/* no kernel state: an empty root */
	if (!mkdtemp(empty))
		return 1;
	memset(&sv, 0, sizeof(sv));
	snprintf(sv.root, sizeof(sv.root), "%s", empty);
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(dir, sizeof(dir), "%s/%s", cache, e->d_name);
		kernels += check_kernel(dir, &sv);
	}
	closedir(d);
	rmdir(empty);
	if (!kernels) {
		printf("1..0 # SKIP no cached kernel with a config in %s\n", cache);
		return 0;
	}
	return done_testing();
}
