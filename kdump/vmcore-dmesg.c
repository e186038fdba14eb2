// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vmcore-dmesg: print the kernel log held in a crash dump, like kexec-tools'
 * vmcore-dmesg. Errors are one line, "vmcore-dmesg: FILE: reason", exit 1.
 */
#include "config.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "printk.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: vmcore-dmesg [--help] [--version] <kernel core file>\n"
		   "Print the kernel log (dmesg) held in an ELF crash dump such as /proc/vmcore.\n");
}

int main(int argc, char **argv)
{
	const char *path;
	char err[512];
	int fd, r;

	if (argc == 2 && !strcmp(argv[1], "--help")) {
		usage(stdout);
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "--version")) {
		printf("vmcore-dmesg (%s) %s\n", PACKAGE_NAME, PACKAGE_VERSION);
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "--"))
		argv++, argc--;
	else if (argc == 2 && argv[1][0] == '-' && argv[1][1])
		argc = 0;
	if (argc != 2) {
		usage(stderr);
		return 1;
	}
	path = argv[1];
	/* O_NONBLOCK: a FIFO is refused by vmcore_open, not waited on */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		fprintf(stderr, "vmcore-dmesg: %s: %s\n", path, strerror(errno));
		return 1;
	}
	r = vmcore_dmesg_fd(fd, stdout, err, sizeof(err));
	close(fd);
	if (r) {
		fprintf(stderr, "vmcore-dmesg: %s: %s\n", path, err);
		return 1;
	}
	return 0;
}
