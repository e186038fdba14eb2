/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The memory view of the architectures whose kernels place kexec segments by
 * the iomem resource tree (x86_64, s390x): System RAM, and the crash region
 * as the "Crash kernel" resource. Architectures keeping memblock (arm64,
 * ppc64) read neither name.
 */
#ifndef UKEXEC_RESOURCE_H
#define UKEXEC_RESOURCE_H

#include <stdbool.h>
#include "arch.h"

#define RESOURCE_CRASH_SOURCE "\"Crash kernel\" region in /proc/iomem"

/* What an iomem architecture puts in its struct arch: this memory view. */
#define RESOURCE_MEMORY_HOOKS \
	.walk_mem = kexec_walk_resources, \
	.walk_system_ram = resource_walk_system_ram, \
	.crash_region = resource_crash_region, \
	.crash_region_source = RESOURCE_CRASH_SOURCE

/* kexec_walk_resources(): the crash region, or System RAM in the profile's order. */
int kexec_walk_resources(struct kexec_buf *kbuf, kexec_range_cb func);
/* walk_system_ram_res() (walk_system_ram_res_rev() with rev). */
int resource_walk_system_ram(const struct plan *plan, bool rev, kexec_range_cb func, void *arg);
/* crashk_res: the "Crash kernel" resource; -ENOENT without one. */
int resource_crash_region(const struct plan *plan, struct kexec_mem_range *crashk);

#endif
