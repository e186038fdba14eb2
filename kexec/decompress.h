/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Compressed kernels and initrds: gzip (zlib), xz (liblzma), zstd (libzstd). */
#ifndef UKEXEC_DECOMPRESS_H
#define UKEXEC_DECOMPRESS_H

#include <stddef.h>
#include <stdint.h>

enum kx_comp {
	KX_COMP_NONE,
	KX_COMP_GZIP,
	KX_COMP_XZ,
	KX_COMP_ZSTD,
	KX_COMP_LZ4,		/* the kernel's legacy lz4 frame */
	KX_COMP_LZMA,
	KX_COMP_BZIP2,
	KX_COMP_LZO,
};

/* The format by its magic; KX_COMP_NONE when none is recognised. */
enum kx_comp kx_comp_detect(const uint8_t *buf, size_t len);
const char *kx_comp_name(enum kx_comp comp);

/*
 * Decompress buf (format by magic) into a malloc'ed *out of *outlen bytes,
 * at most max_out (0: 1 GiB). Trailing bytes after the stream are ignored
 * (a kernel payload may be padded). One message naming 'name' on error;
 * -ENOTSUP when the format is known but not compiled in.
 */
int kx_decompress(const uint8_t *buf, size_t len, const char *name, size_t max_out,
		  uint8_t **out, size_t *outlen);

#endif
