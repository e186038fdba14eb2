/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef UKEXEC_FILE_H
#define UKEXEC_FILE_H

#include <stddef.h>
#include <stdint.h>

/* A read-only input file, mapped rather than copied. */
struct kx_file {
	const char *name;
	const uint8_t *data;
	size_t size;
	int fd;			/* kept open: kexec_file_load takes the descriptor */
	void *map;
	size_t map_size;
	void *copy;		/* read, where the file cannot be mapped (sysfs) */
};

/* One message naming the file on failure. Empty files are refused. */
int kx_file_open(struct kx_file *f, const char *path);
void kx_file_close(struct kx_file *f);

#endif
