// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness: vmcore-dmesg on arbitrary bytes as the crash dump (ELF
 * core headers, notes, VMCOREINFO, both ring-buffer formats), through a
 * memfd as kdump/vmcore-dmesg.c reads a file. Seeds: the synthetic dumps of
 * tests/fuzz/vmcore-seeds.c.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>
#include "printk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *out;
	char err[512];
	int fd;

	if (!out)
		out = fopen("/dev/null", "w");
	fd = memfd_create("fuzz-vmcore", MFD_CLOEXEC);
	if (fd < 0 || !out)
		abort();
	if (size && write(fd, data, size) != (ssize_t)size)
		abort();
	vmcore_dmesg_fd(fd, out, err, sizeof(err));
	close(fd);
	return 0;
}
