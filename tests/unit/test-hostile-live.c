// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The running kernel's files read when a load fails (backend_explain:
 * /sys/kernel/security/lockdown, /proc/sys/kernel/kexec_load_disabled) go
 * through the system view's checked reader: a FIFO planted there is refused
 * without blocking, a regular file is still read. The files are planted on
 * tmpfs mounts in a private mount namespace, so the host is not touched;
 * skipped where the namespace cannot be made (not root, no CLONE_NEWNS).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>
#include "backend.h"
#include "tap.h"

#define LOCKDOWN	"/sys/kernel/security/lockdown"
#define DISABLED	"/proc/sys/kernel/kexec_load_disabled"

static void on_alarm(int sig)
{
	(void)sig;
	printf("not ok - backend_explain blocked on a FIFO (10 s)\n1..%d\n", tap_count + 1);
	fflush(stdout);
	_exit(1);
}

static void put(const char *path, const char *text)
{
	int fd;

	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text)) {
		printf("Bail out! %s: %s\n", path, strerror(errno));
		exit(1);
	}
	close(fd);
}

static void fifo(const char *path)
{
	unlink(path);
	if (mkfifo(path, 0644)) {
		printf("Bail out! mkfifo %s: %s\n", path, strerror(errno));
		exit(1);
	}
}

int main(void)
{
	const char *msg;

	if (geteuid() != 0)
		skip_all("needs root for a private mount namespace");
	if (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    mount("none", "/sys/kernel/security", "tmpfs", 0, NULL) ||
	    mount("none", "/proc/sys/kernel", "tmpfs", 0, NULL))
		skip_all("no private mount namespace with tmpfs over /sys/kernel/security and /proc/sys/kernel");
	signal(SIGALRM, on_alarm);
	alarm(10);

	fifo(LOCKDOWN);
	fifo(DISABLED);
	msg = backend_explain("kexec_load", -EPERM);
	ok(strstr(msg, "operation not permitted") != NULL,
	   "FIFOs as lockdown and kexec_load_disabled: refused at once: %s", msg);

	put(LOCKDOWN, "none [integrity] confidentiality\n");
	msg = backend_explain("kexec_load", -EPERM);
	ok(strstr(msg, "disabled by kernel lockdown") != NULL, "lockdown [integrity] read: %s", msg);

	put(LOCKDOWN, "[none] integrity confidentiality\n");
	put(DISABLED, "1\n");
	msg = backend_explain("kexec_load", -EPERM);
	ok(strstr(msg, "kexec_load_disabled = 1") != NULL, "kexec_load_disabled 1 read: %s", msg);
	alarm(0);
	return done_testing();
}
