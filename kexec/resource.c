// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The iomem resource view of memory (kernel/resource.c as kexec_file uses it):
 * the hole walk and the plan checks of x86_64 and s390x go through here.
 */
#include <errno.h>
#include <stdint.h>
#include "plan.h"
#include "profile.h"
#include "resource.h"
#include "sysview.h"

struct range_walk {
	kexec_range_cb func;
	void *arg;
};

static int range_of_res(const struct iomem_res *res, void *arg)
{
	const struct range_walk *walk = arg;
	struct kexec_mem_range range = { .start = res->start, .end = res->end };

	return walk->func(&range, walk->arg);
}

int resource_walk_system_ram(const struct plan *plan, bool rev, kexec_range_cb func, void *arg)
{
	struct range_walk walk = { .func = func, .arg = arg };

	if (rev)
		return sysview_walk_system_ram_rev(plan->sv, 0, UINT64_MAX, range_of_res, &walk);
	return sysview_walk_system_ram(plan->sv, 0, UINT64_MAX, range_of_res, &walk);
}

int resource_crash_region(const struct plan *plan, struct kexec_mem_range *crashk)
{
	const struct iomem_res *res = sysview_crashk_res(plan->sv);

	if (!res)
		return -ENOENT;
	crashk->start = res->start;
	crashk->end = res->end;
	return 0;
}

int kexec_walk_resources(struct kexec_buf *kbuf, kexec_range_cb func)
{
	const struct plan *plan = kbuf->plan;
	struct kexec_mem_range crashk;

	if (plan->crash) {
		if (resource_crash_region(plan, &crashk))
			return 0;
		return func(&crashk, kbuf);
	}
	return resource_walk_system_ram(plan, kbuf->top_down && plan_rule(plan, PR_TOP_DOWN_WALK_REV),
					func, kbuf);
}
