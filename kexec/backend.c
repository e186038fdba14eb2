// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The only place ukexec talks to the kernel. Each wrapper returns 0 or
 * -errno and prints nothing; the caller explains the error.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "arch.h"
#include "backend.h"
#include "kexec-abi.h"
#include "plan.h"
#include "sysview.h"

#ifndef SYS_kexec_file_load
#define SYS_kexec_file_load -1	/* not wired on this architecture */
#endif

struct kexec_segment_abi {
	const void *buf;
	size_t bufsz;
	const void *mem;
	size_t memsz;
};

int sys_kexec_load(const struct plan *plan, unsigned long flags)
{
	struct kexec_segment_abi seg[KEXEC_SEGMENT_MAX];
	unsigned int i;

	for (i = 0; i < plan->nr_segments; i++) {
		seg[i].buf = plan->segment[i].buf;
		seg[i].bufsz = plan->segment[i].bufsz;
		seg[i].mem = (const void *)(uintptr_t)plan->segment[i].mem;
		seg[i].memsz = plan->segment[i].memsz;
	}
	flags |= plan->flags | plan->arch->kexec_arch;
	if (plan->crash)
		flags |= KEXEC_ON_CRASH;
	if (syscall(SYS_kexec_load, (unsigned long)plan->entry, (unsigned long)plan->nr_segments,
		    seg, flags))
		return -errno;
	return 0;
}

int sys_kexec_unload(unsigned long flags)
{
	if (syscall(SYS_kexec_load, 0UL, 0UL, NULL, flags))
		return -errno;
	return 0;
}

int sys_kexec_file_load(int kernel_fd, int initrd_fd, const char *cmdline, unsigned long flags)
{
	unsigned long len = cmdline ? strlen(cmdline) + 1 : 0;

	if (SYS_kexec_file_load < 0)
		return -ENOSYS;
	if (syscall(SYS_kexec_file_load, kernel_fd, initrd_fd, len, cmdline, flags))
		return -errno;
	return 0;
}

int sys_reboot_kexec(void)
{
	if (syscall(SYS_reboot, UKEXEC_REBOOT_MAGIC1, UKEXEC_REBOOT_MAGIC2,
		    UKEXEC_REBOOT_CMD_KEXEC, NULL))
		return -errno;
	return 0;
}

/* the running kernel's files, through the system view's checked reader */
static const struct sysview live;

static int lockdown_active(void)
{
	char *text;
	int active;

	if (sysview_read_text(&live, "/sys/kernel/security/lockdown", &text))
		return 0;
	active = !strstr(text, "[none]") && strchr(text, '[');
	free(text);
	return active;
}

static int kexec_load_disabled(void)
{
	char *text;
	int disabled;

	if (sysview_read_text(&live, "/proc/sys/kernel/kexec_load_disabled", &text))
		return 0;
	disabled = text[0] == '1';
	free(text);
	return disabled;
}

const char *backend_explain(const char *syscall_name, int err)
{
	int file = !strcmp(syscall_name, "kexec_file_load");

	switch (-err) {
	case EPERM:
		if (!file && lockdown_active())
			return "kexec_load is disabled by kernel lockdown; use -s (kexec_file_load with a signed kernel)";
		if (kexec_load_disabled())
			return "kexec is disabled on this system (kernel.kexec_load_disabled = 1)";
		if (geteuid() != 0)
			return "permission denied: loading a kernel needs root (CAP_SYS_BOOT)";
		return "operation not permitted (lockdown, a security module, or a signature policy)";
	case ENOSYS:
		return file ? "kernel built without CONFIG_KEXEC_FILE (use -c)"
			    : "kernel built without CONFIG_KEXEC";
	case EBUSY:
		return "another kexec load is in progress, or the crash kernel is in use";
	case EINVAL:
		return file ? "the kernel rejected the image or the command line"
			    : "the kernel rejected the segment list (overlap, alignment or flags)";
	case EADDRNOTAVAIL:
		return "a segment lies outside the memory the kernel accepts";
	case ENOMEM:
		return "the kernel could not allocate memory for the segments";
	case ENOEXEC:
		return "the kernel does not recognise this image format";
	case EKEYREJECTED:
	case ENOKEY:
	case EBADMSG:
	case ELIBBAD:
		return "signature verification failed: the kernel requires a signed image";
	case EMSGSIZE:
		return "the command line is too long for this kernel";
	default:
		return strerror(-err);
	}
}
