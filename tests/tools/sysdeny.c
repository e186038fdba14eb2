// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sysdeny: run a command with some system calls failing with an errno, using
 * a seccomp filter, so the call never reaches the kernel.
 *   sysdeny kexec_load=EPERM kexec_file_load=ENOSYS reboot=EPERM -- CMD ARGS...
 * The benchmarks run kexec-tools with kexec_load denied; the QEMU tests make
 * kexec_file_load look absent to exercise the -a fallback.
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__x86_64__)
#define AUDIT_ARCH_NATIVE AUDIT_ARCH_X86_64
#elif defined(__s390x__)
#define AUDIT_ARCH_NATIVE AUDIT_ARCH_S390X
#elif defined(__aarch64__)
#define AUDIT_ARCH_NATIVE AUDIT_ARCH_AARCH64
#elif defined(__powerpc64__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define AUDIT_ARCH_NATIVE AUDIT_ARCH_PPC64LE
#else
#error "sysdeny: unknown architecture"
#endif

#ifndef SYS_kexec_file_load
#define SYS_kexec_file_load -1
#endif

static const struct { const char *name; long nr; } calls[] = {
	{ "kexec_load", SYS_kexec_load },
	{ "kexec_file_load", SYS_kexec_file_load },
	{ "reboot", SYS_reboot },
};

static const struct { const char *name; int err; } errnos[] = {
	{ "EPERM", EPERM }, { "ENOSYS", ENOSYS }, { "EINVAL", EINVAL },
	{ "ENOEXEC", ENOEXEC }, { "EBUSY", EBUSY }, { "EKEYREJECTED", EKEYREJECTED },
};

static int usage(void)
{
	fprintf(stderr, "usage: sysdeny SYSCALL=ERRNO... -- COMMAND [ARGS...]\n");
	return 2;
}

int main(int argc, char **argv)
{
	struct sock_filter filter[64];
	struct sock_fprog prog;
	int n = 0, i;

	filter[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
	filter[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_NATIVE, 1, 0);
	filter[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
	filter[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
	for (i = 1; i < argc && strcmp(argv[i], "--"); i++) {
		char *eq = strchr(argv[i], '=');
		long nr = -1;
		int err = -1;
		size_t k;

		if (!eq || n > 56)
			return usage();
		*eq = '\0';
		for (k = 0; k < sizeof(calls) / sizeof(calls[0]); k++)
			if (!strcmp(calls[k].name, argv[i]))
				nr = calls[k].nr;
		for (k = 0; k < sizeof(errnos) / sizeof(errnos[0]); k++)
			if (!strcmp(errnos[k].name, eq + 1))
				err = errnos[k].err;
		if (nr < 0 || err < 0) {
			fprintf(stderr, "sysdeny: unknown system call or errno in '%s=%s'\n", argv[i], eq + 1);
			return 2;
		}
		filter[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, nr, 0, 1);
		filter[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | err);
	}
	if (i >= argc - 1)
		return usage();
	filter[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	prog.len = n;
	prog.filter = filter;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog)) {
		perror("sysdeny: seccomp");
		return 1;
	}
	execvp(argv[i + 1], argv + i + 1);
	fprintf(stderr, "sysdeny: %s: %s\n", argv[i + 1], strerror(errno));
	return 127;
}
