/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The syscalls, as thin wrappers that return -errno, and their explanations. */
#ifndef UKEXEC_BACKEND_H
#define UKEXEC_BACKEND_H

#include <stdint.h>
struct plan;

int sys_kexec_load(const struct plan *plan, unsigned long flags);
int sys_kexec_unload(unsigned long flags);
int sys_kexec_file_load(int kernel_fd, int initrd_fd, const char *cmdline, unsigned long flags);
int sys_reboot_kexec(void);

/* One line explaining err for the syscall named (e.g. "kexec_load"). */
const char *backend_explain(const char *syscall, int err);

#endif
