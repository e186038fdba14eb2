/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kexec --compare: load with the in-kernel kexec_file_load and its debug
 * output, read the kernel's segment table back from the kernel log, unload,
 * and set it beside ukexec's plan for the same inputs.
 */
#ifndef UKEXEC_COMPARE_H
#define UKEXEC_COMPARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "kexec-abi.h"

struct plan;
struct request;

struct kernel_plan {
	unsigned int nr_segments;
	struct {
		uint64_t bufsz, mem, memsz;
	} segment[KEXEC_SEGMENT_MAX];
	bool have_entry;		/* 6.8+ logs image->start */
	uint64_t entry;
};

/*
 * Add one kernel log message (without the /dev/kmsg prefix) to kp: the
 * segment lines of KEXEC_FILE_DEBUG ("segment[N]: buf=...") and of
 * dynamic debug ("Loading segment N: buf=..."), the entry of
 * "kexec_file_load: type:T, start:0x..". Other lines are ignored.
 */
void kernel_plan_parse_line(struct kernel_plan *kp, const char *msg);
/* Print kp and plan side by side with the verdict; true when they are the same. */
bool compare_print(FILE *out, const struct kernel_plan *kp, const struct plan *plan,
		   const char *what);
/*
 * The whole comparison for a plan computed from req: refuses (one line,
 * -EBUSY) when a kernel of that kind is already loaded; loads kernel_fd and
 * initrd_fd with kexec_file_load and its debug output (KEXEC_FILE_DEBUG, else
 * dynamic debug through debugfs), unloads, restores what it enabled, prints.
 * 0 when the plans are the same, 1 when they differ, -errno on failure.
 */
int compare_with_kernel(const struct request *req, const struct plan *plan, int kernel_fd,
			int initrd_fd);

#endif
