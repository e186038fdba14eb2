// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Profiles by kernel version: the version a machine's rules are keyed by
 * (osrelease, with Debian's /proc/version and Ubuntu's version_signature
 * sublevels) and which rules hold for the kernels users run.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "plan.h"
#include "profile.h"
#include "sysview.h"
#include "tap.h"

static char root[4096];

static void put(const char *path, const char *text)
{
	char full[4096 + 64];
	FILE *f;

	snprintf(full, sizeof(full), "%s%s", root, path);
	f = fopen(full, "w");
	if (!f || fputs(text, f) < 0 || fclose(f)) {
		perror(full);
		exit(1);
	}
}

static void del(const char *path)
{
	char full[4096 + 64];

	snprintf(full, sizeof(full), "%s%s", root, path);
	unlink(full);
}

/* The KVER() profile_kver() finds for a machine with these files (NULL: absent). */
static unsigned int machine_kver(const char *osrelease, const char *version, const char *signature)
{
	struct sysview sv;

	memset(&sv, 0, sizeof(sv));
	snprintf(sv.root, sizeof(sv.root), "%s", root);
	snprintf(sv.osrelease, sizeof(sv.osrelease), "%s", osrelease);
	sv.kver = sysview_parse_kver(osrelease);
	del("/proc/version");
	del("/proc/version_signature");
	if (version)
		put("/proc/version", version);
	if (signature)
		put("/proc/version_signature", signature);
	return profile_kver(&sv);
}

struct want {
	const char *what;
	const char *osrelease, *version, *signature;
	unsigned int kver;
	const char *line;
	const enum profile_rule *yes;
	const enum profile_rule *no;
};

#define RULES(...) ((const enum profile_rule[]){ __VA_ARGS__, NR_PROFILE_RULES })

static const struct want machines[] = {
	{ "Debian 11", "5.10.0-32-amd64",
	  "Linux version 5.10.0-32-amd64 (debian-kernel@lists.debian.org) (gcc-10 (Debian 10.2.1-6) 10.2.1 20210110) #1 SMP Debian 5.10.223-1 (2024-08-10)",
	  NULL, KVER(5, 10, 223), "5.10",
	  RULES(PR_PURGATORY_ENTRY_FIRST, PR_TOP_DOWN_SHORT_BY_ONE, PR_SETUP_DATA_RESERVED),
	  RULES(PR_RNG_SEED, PR_IMA_SETUP_DATA, PR_EFI_RSDP, PR_PURGATORY_START_SYM, PR_CRASH_HOTPLUG,
		PR_TOP_DOWN_WALK_REV, PR_KERNEL_BUF_MIN_PREF) },
	{ "Debian 12", "6.1.0-50-amd64",
	  "Linux version 6.1.0-50-amd64 (debian-kernel@lists.debian.org) #1 SMP PREEMPT_DYNAMIC Debian 6.1.176-1 (2026-07-02)",
	  NULL, KVER(6, 1, 176), "6.1",
	  RULES(PR_RNG_SEED, PR_IMA_SETUP_DATA, PR_EFI_RSDP, PR_PURGATORY_START_SYM,
		PR_TOP_DOWN_SHORT_BY_ONE, PR_SETUP_DATA_RESERVED),
	  RULES(PR_CRASH_HOTPLUG, PR_TOP_DOWN_WALK_REV, PR_KERNEL_BUF_MIN_PREF, PR_DIGEST_SKIP_BUG) },
	{ "Debian 12 backports", "6.12.95+deb12-amd64",
	  "Linux version 6.12.95+deb12-amd64 (debian-kernel@lists.debian.org) #1 SMP PREEMPT_DYNAMIC Debian 6.12.95-1~bpo12+1 (2026-07-10)",
	  NULL, KVER(6, 12, 95), "6.12",
	  RULES(PR_RNG_SEED, PR_EFI_RSDP, PR_CRASH_HOTPLUG, PR_TOP_DOWN_WALK_REV, PR_KERNEL_BUF_MIN_PREF),
	  RULES(PR_TOP_DOWN_SHORT_BY_ONE, PR_DIGEST_SKIP_BUG, PR_SETUP_DATA_RESERVED, PR_KHO_SETUP_DATA,
		PR_CMA_PLACEMENT) },
	{ "Ubuntu 22.04 (5.15)", "5.15.0-91-generic",
	  "Linux version 5.15.0-91-generic (buildd@lcy02-amd64-045) #101-Ubuntu SMP Tue Nov 14 13:30:08 UTC 2023",
	  "Ubuntu 5.15.0-91.101-generic 5.15.131", KVER(5, 15, 131), "5.10",
	  RULES(PR_PURGATORY_ENTRY_FIRST, PR_TOP_DOWN_SHORT_BY_ONE),
	  RULES(PR_RNG_SEED, PR_CRASH_HOTPLUG, PR_TOP_DOWN_WALK_REV) },
	{ "Ubuntu 22.04 HWE (6.8)", "6.8.0-49-generic", NULL,
	  "Ubuntu 6.8.0-49.49~22.04.1-generic 6.8.12", KVER(6, 8, 12), "6.1",
	  RULES(PR_RNG_SEED, PR_CRASH_HOTPLUG, PR_DIGEST_SKIP_BUG, PR_TOP_DOWN_WALK_REV,
		PR_SETUP_DATA_RESERVED),
	  RULES(PR_TOP_DOWN_SHORT_BY_ONE, PR_KERNEL_BUF_MIN_PREF) },
	{ "RHEL 9", "5.14.0-427.13.1.el9_4.x86_64",
	  "Linux version 5.14.0-427.13.1.el9_4.x86_64 (mockbuild@x86-64-01.build.eng.rdu2.redhat.com) #1 SMP PREEMPT_DYNAMIC",
	  NULL, KVER(5, 14, 0), "5.10",
	  RULES(PR_TOP_DOWN_SHORT_BY_ONE), RULES(PR_RNG_SEED, PR_CRASH_HOTPLUG) },
	{ "6.6 LTS before the digest fix", "6.6.50", NULL, NULL, KVER(6, 6, 50), "6.1",
	  RULES(PR_RNG_SEED, PR_PURGATORY_ENTRY_FIRST, PR_CRASH_HOTPLUG, PR_DIGEST_SKIP_BUG,
		PR_TOP_DOWN_SHORT_BY_ONE),
	  RULES(PR_TOP_DOWN_WALK_REV, PR_EFI_RSDP) },
	{ "6.6 LTS with it (6.6.51)", "6.6.63", NULL, NULL, KVER(6, 6, 63), "6.1",
	  RULES(PR_CRASH_HOTPLUG, PR_TOP_DOWN_SHORT_BY_ONE), RULES(PR_DIGEST_SKIP_BUG) },
	{ "6.10.9 (digest-skip bug)", "6.10.9", NULL, NULL, KVER(6, 10, 9), "6.1",
	  RULES(PR_DIGEST_SKIP_BUG, PR_KERNEL_BUF_MIN_PREF), RULES(PR_SETUP_DATA_RESERVED) },
	{ "6.10.14 (fixed)", "6.10.14", NULL, NULL, KVER(6, 10, 14), "6.1",
	  RULES(PR_CRASH_HOTPLUG, PR_TOP_DOWN_WALK_REV), RULES(PR_DIGEST_SKIP_BUG) },
	{ "6.11", "6.11.0", NULL, NULL, KVER(6, 11, 0), "6.1",
	  RULES(PR_CRASH_HOTPLUG), RULES(PR_DIGEST_SKIP_BUG) },
	{ "6.16.3", "6.16.3+deb13-amd64", NULL, NULL, KVER(6, 16, 3), "6.12",
	  RULES(PR_KHO_SETUP_DATA, PR_KHO_SCRATCH, PR_DM_CRYPT_KEYS),
	  RULES(PR_CMA_PLACEMENT, PR_RANDOM_PLACEMENT_BUG) },
	{ "6.16.12", "6.16.12+deb13-amd64", NULL, NULL, KVER(6, 16, 12), "6.12",
	  RULES(PR_KHO_SETUP_DATA), RULES(PR_RANDOM_PLACEMENT_BUG, PR_SETUP_DTB) },
	{ "6.18", "6.18.15+deb13-amd64", NULL, NULL, KVER(6, 18, 15), "6.12",
	  RULES(PR_CMA_PLACEMENT, PR_SETUP_DTB), RULES(PR_EFI_RSDP, PR_PURGATORY_START_SYM) },
	{ "7.3", "7.3.4+deb13-amd64", NULL, NULL, KVER(7, 3, 4), "6.12",
	  RULES(PR_EFI_RSDP, PR_PURGATORY_START_SYM, PR_CMA_PLACEMENT), RULES(PR_TOP_DOWN_SHORT_BY_ONE) },
};

static void check_machine(const struct want *w)
{
	const struct profile *p;
	unsigned int kver;
	size_t i;

	kver = machine_kver(w->osrelease, w->version, w->signature);
	is_int(kver, w->kver, "%s (%s): the rules of %u.%u.%u", w->what, w->osrelease,
	       w->kver >> 16, (w->kver >> 8) & 0xff, w->kver & 0xff);
	p = profile_select("x86_64", kver);
	ok(p && !strcmp(p->name, w->line) && p->kver == kver, "%s: named after the line %s (got %s)",
	   w->what, w->line, p ? p->name : "none");
	for (i = 0; w->yes[i] != NR_PROFILE_RULES; i++)
		ok(profile_has(p, w->yes[i]), "%s: %s holds", w->what, profile_rule_name(w->yes[i]));
	for (i = 0; w->no[i] != NR_PROFILE_RULES; i++)
		ok(!profile_has(p, w->no[i]), "%s: no %s", w->what, profile_rule_name(w->no[i]));
}

/* Rules gated on a config fact hold only with it. */
static void test_facts(void)
{
	struct kernel_facts facts, debian;
	struct plan plan;

	kernel_facts_debian(&facts, "x86_64", KVER(6, 12, 95));
	memset(&plan, 0, sizeof(plan));
	plan.profile = profile_find("x86_64", "6.12");
	ok(plan_rule(&plan, PR_CRASH_HOTPLUG), "6.12, Debian's config assumed: crash-hotplug");
	plan.facts = &facts;
	facts.value[KF_CRASH_HOTPLUG] = 0;
	ok(!plan_rule(&plan, PR_CRASH_HOTPLUG), "6.12 without CONFIG_CRASH_HOTPLUG: no crash-hotplug");
	ok(plan_rule(&plan, PR_RNG_SEED), "6.12 without CONFIG_CRASH_HOTPLUG: rng-seed (no gate)");
	ok(!plan_rule(&plan, PR_IMA_SETUP_DATA), "6.12, IMA_KEXEC not set (Debian's): no IMA room");
	facts.value[KF_IMA_KEXEC] = 1;
	ok(plan_rule(&plan, PR_IMA_SETUP_DATA), "6.12 with CONFIG_IMA_KEXEC: the IMA room");
	plan.profile = profile_find("x86_64", "5.10");
	ok(!plan_rule(&plan, PR_IMA_SETUP_DATA), "5.10 with CONFIG_IMA_KEXEC: no IMA room (6.0+)");
	kernel_facts_debian(&debian, "x86_64", KVER(6, 12, 95));
	is_int(kernel_facts_crash_hotplug_phdrs(&debian), 2 + 8192 + 8192,
	       "Debian's hotplug room: 2 + 8192 + 8192 program headers");
}

/* Debian's defaults follow the version: CMA from 7.2, its size 0 on amd64 only. */
static void test_debian_defaults(void)
{
	struct kernel_facts f;

	kernel_facts_debian(&f, "x86_64", KVER(6, 18, 15));
	ok(!f.value[KF_DMA_CMA], "Debian 6.18.15 amd64: no CONFIG_DMA_CMA");
	kernel_facts_debian(&f, "x86_64", KVER(7, 3, 4));
	ok(f.value[KF_DMA_CMA] && !f.value[KF_CMA_SIZE_MBYTES],
	   "Debian 7.3.4 amd64: CONFIG_DMA_CMA, CMA_SIZE_MBYTES=0");
	kernel_facts_debian(&f, "arm64", KVER(7, 3, 4));
	is_int(f.value[KF_CMA_SIZE_MBYTES], 128, "Debian 7.3.4 arm64: CMA_SIZE_MBYTES=128");
	kernel_facts_debian(&f, "x86_64", KVER(6, 1, 176));
	ok(!f.value[KF_CRASH_HOTPLUG], "Debian 6.1.176: no CONFIG_CRASH_HOTPLUG (6.6+)");
}

/* The lines plan_print_unknowable() prints for a load, joined. */
static char *unknowable(const char *arch, const char *version, const struct kernel_facts *facts,
			bool crash)
{
	struct plan plan;
	size_t len;
	char *text = NULL;
	FILE *f = open_memstream(&text, &len);

	memset(&plan, 0, sizeof(plan));
	plan.profile = profile_find(arch, version);
	plan.facts = facts;
	plan.crash = crash;
	plan_print_unknowable(&plan, f);
	fclose(f);
	return text;
}

static int lines(const char *text)
{
	int n = 0;

	for (; *text; text++)
		n += *text == '\n';
	return n;
}

/* said (one line) only where the kernel would do it to this load */
static void check_unknowable(const char *what, const char *arch, const char *version,
			     const struct kernel_facts *facts, bool crash, const char *want)
{
	char *text = unknowable(arch, version, facts, crash);

	if (want)
		ok(lines(text) == 1 && strstr(text, want), "%s: one line, '%s'", what, want);
	else
		ok(!*text, "%s: no line (%s)", what, *text ? text : "none");
	free(text);
}

static void test_unknowable(void)
{
	struct kernel_facts f;

	kernel_facts_debian(&f, "x86_64", KVER(7, 3, 4));
	check_unknowable("7.3.4, Debian's config, no cma=", "x86_64", "7.3.4", &f, false, NULL);
	f.cma = 64 << 20;
	check_unknowable("7.3.4, cma=64M, -l", "x86_64", "7.3.4", &f, false, "CMA area");
	check_unknowable("7.3.4, cma=64M, -p (never CMA)", "x86_64", "7.3.4", &f, true, NULL);
	f.cma = 0;
	f.value[KF_CMA_SIZE_MBYTES] = 16;
	check_unknowable("7.3.4, CMA_SIZE_MBYTES=16 but cma=0", "x86_64", "7.3.4", &f, false, NULL);
	f.cma = -1;
	check_unknowable("7.3.4, CMA_SIZE_MBYTES=16", "x86_64", "7.3.4", &f, false, "CMA area");
	kernel_facts_debian(&f, "x86_64", KVER(6, 18, 15));
	f.cma = 64 << 20;
	check_unknowable("6.18.15, cma=64M, no CONFIG_DMA_CMA", "x86_64", "6.18.15", &f, false, NULL);
	check_unknowable("6.16.12, cma=64M (CMA is 6.17+)", "x86_64", "6.16.12", &f, false, NULL);

	kernel_facts_debian(&f, "x86_64", KVER(6, 16, 12));
	f.value[KF_KEXEC_HANDOVER] = 1;
	check_unknowable("6.16.12, KEXEC_HANDOVER, KHO not enabled", "x86_64", "6.16.12", &f, false, NULL);
	f.kho = 1;
	check_unknowable("6.16.12, kho=on, -l", "x86_64", "6.16.12", &f, false, "KHO scratch areas");
	check_unknowable("6.16.12, kho=on, -p", "x86_64", "6.16.12", &f, true, NULL);
	f.kho = 0;
	f.value[KF_KEXEC_HANDOVER_ENABLE_DEFAULT] = 1;
	check_unknowable("6.16.12, ENABLE_DEFAULT but kho=off", "x86_64", "6.16.12", &f, false, NULL);
	f.kho = -1;
	check_unknowable("6.16.12, ENABLE_DEFAULT", "x86_64", "6.16.12", &f, false, "KHO scratch areas");

	kernel_facts_debian(&f, "x86_64", KVER(6, 16, 12));
	f.dm_crypt_keys = 2;
	check_unknowable("6.16.12, 2 keys, no CONFIG_CRASH_DM_CRYPT", "x86_64", "6.16.12", &f, true, NULL);
	f.value[KF_CRASH_DM_CRYPT] = 1;
	check_unknowable("6.16.12, CRASH_DM_CRYPT, 2 keys, -p", "x86_64", "6.16.12", &f, true, "dm-crypt keys");
	check_unknowable("6.16.12, CRASH_DM_CRYPT, 2 keys, -l", "x86_64", "6.16.12", &f, false, NULL);
	check_unknowable("6.12.95, CRASH_DM_CRYPT, 2 keys, -p (6.16+)", "x86_64", "6.12.95", &f, true, NULL);
	f.dm_crypt_keys = 0;
	check_unknowable("6.16.12, CRASH_DM_CRYPT, no keys, -p", "x86_64", "6.16.12", &f, true, NULL);

	kernel_facts_debian(&f, "x86_64", KVER(6, 12, 95));
	f.value[KF_IMA_KEXEC] = 1;
	check_unknowable("6.12.95, IMA_KEXEC, -l", "x86_64", "6.12.95", &f, false, "IMA measurement list");
	check_unknowable("6.12.95, IMA_KEXEC, -p", "x86_64", "6.12.95", &f, true, NULL);

	kernel_facts_debian(&f, "arm64", KVER(6, 16, 3));
	check_unknowable("arm64 6.16.3", "arm64", "6.16.3", &f, false, "uninitialised kexec_buf");
	check_unknowable("arm64 6.16.8 (fixed)", "arm64", "6.16.8", &f, false, NULL);
	check_unknowable("s390x 6.16.7", "s390x", "6.16.7", &f, true, "uninitialised kexec_buf");
	check_unknowable("x86_64 6.16.3 (every kexec_buf initialised)", "x86_64", "6.16.3", &f, false, NULL);
}

static void test_names(void)
{
	const struct profile *a, *b;

	a = profile_find("x86_64", "5.10");
	ok(a && a->kver == KVER(5, 10, 223), "line 5.10 stands for the 5.10.223 checked in QEMU");
	b = profile_find("x86_64", "5.10.0-32-amd64");
	ok(b && b->kver == KVER(5, 10, 0) && !strcmp(b->name, "5.10"),
	   "release 5.10.0-32-amd64 alone: 5.10.0, line 5.10");
	ok(profile_find("x86_64", "6.12") == profile_find("x86_64", "6.12"), "one profile per version");
	ok(!profile_find("x86_64", "banana"), "an unparsable version: none");
	a = profile_select("x86_64", 0);
	ok(a && !strcmp(a->name, "5.10"), "unknown version: the oldest line");
	a = profile_select("arm64", KVER(6, 12, 0));
	ok(a && !strcmp(a->arch, "arm64") && !profile_has(a, PR_RNG_SEED) &&
	   profile_has(a, PR_TOP_DOWN_WALK_REV), "arm64 6.12: no x86 rules, the generic ones");
	ok(!profile_select("mips", KVER(6, 1, 0)), "no profile for an arch without lines");
	ok(profile_has(profile_find("arm64", "6.16.3"), PR_RANDOM_PLACEMENT_BUG) &&
	   !profile_has(profile_find("arm64", "6.16.8"), PR_RANDOM_PLACEMENT_BUG) &&
	   profile_has(profile_find("s390x", "6.16.7"), PR_RANDOM_PLACEMENT_BUG),
	   "the 6.16.0-6.16.7 kexec_buf bug: arm64 and s390x, fixed in 6.16.8");
	ok(!profile_has(profile_find("x86_64", "5.10.184"), PR_PURGATORY_ENTRY_FIRST) &&
	   profile_has(profile_find("x86_64", "5.10.185"), PR_PURGATORY_ENTRY_FIRST),
	   "purgatory-entry-first: backported in 5.10.185");
}

int main(void)
{
	char tmpl[] = "/tmp/ukexec-profile-XXXXXX";
	char dir[4096 + 32];
	size_t i;

	if (!mkdtemp(tmpl))
		return 1;
	snprintf(root, sizeof(root), "%s", tmpl);
	snprintf(dir, sizeof(dir), "%s/proc", root);
	mkdir(dir, 0755);
	for (i = 0; i < sizeof(machines) / sizeof(machines[0]); i++)
		check_machine(&machines[i]);
	test_facts();
	test_debian_defaults();
	test_unknowable();
	test_names();
	del("/proc/version");
	del("/proc/version_signature");
	rmdir(dir);
	rmdir(root);
	return done_testing();
}
