// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "file.h"
#include "log.h"

/* The file's bytes read into f->copy: at most size, as many as it has. */
static int kx_file_read(struct kx_file *f, size_t size)
{
	size_t got = 0;
	ssize_t n;
	int ret;

	f->copy = malloc(size);
	if (!f->copy) {
		kx_error("%s: no memory for %zu bytes", f->name, size);
		ret = -ENOMEM;
		goto out_close;
	}
	while (got < size) {
		n = pread(f->fd, (uint8_t *)f->copy + got, size - got, (off_t)got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = -errno;
			kx_error("%s: %s", f->name, strerror(errno));
			goto out_free_copy;
		}
		if (!n)
			break;
		got += (size_t)n;
	}
	if (!got) {
		kx_error("%s: empty file", f->name);
		ret = -ENOEXEC;
		goto out_free_copy;
	}
	f->data = f->copy;
	f->size = got;
	return 0;
out_free_copy:
	free(f->copy);
	f->copy = NULL;
out_close:
	close(f->fd);
	f->fd = -1;
	return ret;
}

int kx_file_open(struct kx_file *f, const char *path)
{
	struct stat st;
	int ret;

	memset(f, 0, sizeof(*f));
	f->name = path;
	/* O_NONBLOCK: a FIFO given as a file must be refused, not wait for a writer */
	f->fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (f->fd < 0) {
		ret = -errno;
		kx_error("%s: %s", path, strerror(errno));
		return ret;
	}
	if (fstat(f->fd, &st)) {
		ret = -errno;
		kx_error("%s: %s", path, strerror(errno));
		goto out_close;
	}
	if (!S_ISREG(st.st_mode)) {
		kx_error("%s: not a regular file", path);
		ret = -EINVAL;
		goto out_close;
	}
	if (st.st_size == 0) {
		kx_error("%s: empty file", path);
		ret = -ENOEXEC;
		goto out_close;
	}
	f->map = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, f->fd, 0);
	if (f->map == MAP_FAILED && errno == ENODEV) {
		/* sysfs (/sys/firmware/fdt, kexec-tools' --dtb idiom) has no mmap */
		f->map = NULL;
		return kx_file_read(f, st.st_size);
	}
	if (f->map == MAP_FAILED) {
		ret = -errno;
		f->map = NULL;
		kx_error("%s: cannot map: %s", path, strerror(errno));
		goto out_close;
	}
	f->map_size = st.st_size;
	f->data = f->map;
	f->size = st.st_size;
	return 0;
out_close:
	close(f->fd);
	f->fd = -1;
	return ret;
}

void kx_file_close(struct kx_file *f)
{
	if (f->map)
		munmap(f->map, f->map_size);
	free(f->copy);
	if (f->fd >= 0)
		close(f->fd);
	memset(f, 0, sizeof(*f));
	f->fd = -1;
}
