/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel log out of a crash dump (printk.c), on top of the dump access
 * of vmcore.h; vmcore.c knows nothing of printk.
 */
#ifndef UKEXEC_PRINTK_H
#define UKEXEC_PRINTK_H

#include <stddef.h>
#include <stdio.h>
#include "vmcore.h"

/*
 * Print the kernel log like kexec-tools' vmcore-dmesg: one
 * "[seconds.micros] text" line per record, non-printable bytes as \xNN.
 * Returns 0, or -1 with vm->err; records that could be read before (or
 * around) a corrupt one are still printed.
 */
int vmcore_dmesg(struct vmcore *vm, FILE *out);

/* The whole tool on one open file: 0 or -1 with the reason in err. */
int vmcore_dmesg_fd(int fd, FILE *out, char *err, size_t errlen);

#endif
