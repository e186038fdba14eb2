// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kexec --compare on the host: the kernel's segment table read back from
 * recorded kernel logs (6.12's KEXEC_FILE_DEBUG lines, 5.10's dynamic debug
 * lines) and the side-by-side verdict against a plan. The loads themselves
 * run in QEMU (tests/e2e-x86_64/compare.sh).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "compare.h"
#include "plan.h"
#include "profile.h"
#include "sysview.h"
#include "tap.h"

/* Parse a recorded dmesg (lines "[  t] message") into kp; -1 if unreadable. */
static int parse_log(const char *rel, struct kernel_plan *kp)
{
	char path[4096], line[1024], *msg;
	const char *top = getenv("top_srcdir") ? getenv("top_srcdir") : ".";
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", top, rel);
	f = fopen(path, "r");
	if (!f)
		return -1;
	memset(kp, 0, sizeof(*kp));
	while (fgets(line, sizeof(line), f)) {
		msg = strchr(line, ']');
		kernel_plan_parse_line(kp, msg ? msg + 1 : line);
	}
	fclose(f);
	return 0;
}

static void plan_from(struct plan *plan, const struct kernel_plan *kp)
{
	unsigned int i;

	memset(plan, 0, sizeof(*plan));
	plan->nr_segments = kp->nr_segments;
	for (i = 0; i < kp->nr_segments; i++) {
		plan->segment[i].bufsz = kp->segment[i].bufsz;
		plan->segment[i].mem = kp->segment[i].mem;
		plan->segment[i].memsz = kp->segment[i].memsz;
		plan->segment[i].what = "segment";
	}
	plan->entry = kp->entry;
}

/* compare_print's verdict and whether its text holds needle */
static bool verdict(const struct kernel_plan *kp, const struct plan *plan, const char *needle)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	bool same, found;

	same = compare_print(out, kp, plan, "kexec -l");
	fclose(out);
	found = strstr(text, needle) != NULL;
	if (!found)
		diag("%s", text);
	free(text);
	return same && found;
}

int main(void)
{
	struct kernel_facts facts;
	struct kernel_plan kp;
	struct plan plan;

	if (parse_log("tests/golden/x86_64-debian-6.12/kernel-plan-l.log", &kp))
		skip_all("no tests/golden/x86_64-debian-6.12 (top_srcdir?)");
	is_int(kp.nr_segments, 4, "6.12 (KEXEC_FILE_DEBUG): 4 segments");
	ok(kp.segment[2].bufsz == 0xb757c0 && kp.segment[2].mem == 0x3c600000 &&
	   kp.segment[2].memsz == 0x37ee000, "6.12: segment[2] bufsz=0xb757c0 mem=0x3c600000 memsz=0x37ee000");
	ok(kp.have_entry && kp.entry == 0x3ffdb160, "6.12: entry start:0x3ffdb160");

	plan_from(&plan, &kp);
	ok(verdict(&kp, &plan, "=> kexec -l: the same plan\n"), "the same plan: verdict same");
	/* the kernel's own choices that userspace cannot know, under the verdict */
	plan.profile = profile_find("x86_64", "7.3.4");
	kernel_facts_debian(&facts, "x86_64", KVER(7, 3, 4));
	facts.cma = 64 << 20;
	plan.facts = &facts;
	ok(verdict(&kp, &plan, "the same plan\nthe kernel may place the segments in the CMA area where userspace cannot know"),
	   "7.3.4 with cma=64M: the CMA line under the verdict");
	plan.profile = NULL;
	plan.facts = NULL;
	plan.segment[1].bufsz += 0x30;
	ok(!verdict(&kp, &plan, "<-- differs"), "a boot_params 0x30 bytes longer: differs, marked");
	plan.segment[1].bufsz -= 0x30;
	plan.entry += 0x10;
	ok(!verdict(&kp, &plan, "the first: the entry"), "another entry: differs");
	plan.entry -= 0x10;
	plan.nr_segments = 3;
	ok(!verdict(&kp, &plan, "3 -"), "a segment missing on one side: differs");

	if (parse_log("tests/golden/x86_64-debian-5.10/kernel-plan-l.log", &kp))
		return done_testing();
	is_int(kp.nr_segments, 4, "5.10 (dynamic debug): 4 segments");
	ok(kp.segment[1].bufsz == 0x10c0 && kp.segment[1].mem == 0x97000,
	   "5.10: Loading segment 1: bufsz=0x10c0 mem=0x97000");
	ok(!kp.have_entry, "5.10 logs no entry");
	plan_from(&plan, &kp);
	plan.entry = 0x99100;
	ok(verdict(&kp, &plan, "this kernel does not log its entry"),
	   "5.10: the same segment table, the entry said not logged");
	memset(&kp, 0, sizeof(kp));
	ok(!verdict(&kp, &plan, "logged no segment table"), "an empty log: never the same");
	return done_testing();
}
