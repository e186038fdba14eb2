// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Decompression of kernel payloads and images: one function per format,
 * each compiled only when its library was found by configure.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "config.h"
#include "decompress.h"
#include "log.h"

#ifdef HAVE_ZLIB
#include <zlib.h>
#endif
#ifdef HAVE_LZMA
#include <lzma.h>
#endif
#ifdef HAVE_ZSTD
#include <zstd.h>
#include <zstd_errors.h>
#endif

#define KX_DECOMP_DEFAULT_MAX	(1ULL << 30)

enum kx_comp kx_comp_detect(const uint8_t *b, size_t len)
{
	if (len >= 2 && b[0] == 0x1f && (b[1] == 0x8b || b[1] == 0x9e))
		return KX_COMP_GZIP;
	if (len >= 6 && !memcmp(b, "\xfd" "7zXZ\0", 6))
		return KX_COMP_XZ;
	if (len >= 4 && !memcmp(b, "\x28\xb5\x2f\xfd", 4))
		return KX_COMP_ZSTD;
	if (len >= 4 && (!memcmp(b, "\x02\x21\x4c\x18", 4) || !memcmp(b, "\x04\x22\x4d\x18", 4)))
		return KX_COMP_LZ4;
	if (len >= 3 && !memcmp(b, "BZh", 3))
		return KX_COMP_BZIP2;
	if (len >= 9 && !memcmp(b, "\x89LZO\0\r\n\x1a\n", 9))
		return KX_COMP_LZO;
	if (len >= 13 && b[0] == 0x5d && b[1] == 0 && b[2] == 0)
		return KX_COMP_LZMA;
	return KX_COMP_NONE;
}

const char *kx_comp_name(enum kx_comp comp)
{
	static const char *const names[] = {
		[KX_COMP_NONE] = "uncompressed", [KX_COMP_GZIP] = "gzip", [KX_COMP_XZ] = "xz",
		[KX_COMP_ZSTD] = "zstd", [KX_COMP_LZ4] = "lz4", [KX_COMP_LZMA] = "lzma",
		[KX_COMP_BZIP2] = "bzip2", [KX_COMP_LZO] = "lzo",
	};

	return (unsigned int)comp < sizeof(names) / sizeof(names[0]) ? names[comp] : "unknown";
}

/* A growing output buffer. */
struct kx_outbuf {
	uint8_t *buf;
	size_t len, cap, max;
};

static __attribute__((unused)) int kx_outbuf_grow(struct kx_outbuf *o, const char *name)
{
	size_t cap = o->cap ? o->cap * 2 : 1 << 20;
	uint8_t *p;

	if (o->cap >= o->max) {
		kx_error("%s: decompressed data exceeds %zu bytes", name, o->max);
		return -EFBIG;
	}
	if (cap > o->max)
		cap = o->max;
	p = realloc(o->buf, cap);
	if (!p) {
		kx_error("%s: out of memory decompressing (%zu bytes)", name, cap);
		return -ENOMEM;
	}
	o->buf = p;
	o->cap = cap;
	return 0;
}

#ifdef HAVE_ZLIB
static int kx_gunzip(const uint8_t *buf, size_t len, const char *name, struct kx_outbuf *o)
{
	z_stream zs;
	int zret, ret = 0;

	memset(&zs, 0, sizeof(zs));
	if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) {
		kx_error("%s: cannot initialise zlib", name);
		return -ENOMEM;
	}
	zs.next_in = (Bytef *)buf;
	zs.avail_in = len > UINT32_MAX ? UINT32_MAX : (uInt)len;
	do {
		if (o->len == o->cap) {
			ret = kx_outbuf_grow(o, name);
			if (ret)
				goto out_end;
		}
		zs.next_out = o->buf + o->len;
		zs.avail_out = (uInt)(o->cap - o->len);
		zret = inflate(&zs, Z_NO_FLUSH);
		o->len = o->cap - zs.avail_out;
		if (zret != Z_OK && zret != Z_STREAM_END && !(zret == Z_BUF_ERROR && zs.avail_in)) {
			kx_error("%s: gzip data is corrupt (%s)", name, zs.msg ? zs.msg : "inflate failed");
			ret = -EINVAL;
			goto out_end;
		}
		if (zret == Z_BUF_ERROR && !zs.avail_in) {
			kx_error("%s: gzip data is truncated", name);
			ret = -EINVAL;
			goto out_end;
		}
	} while (zret != Z_STREAM_END);
out_end:
	inflateEnd(&zs);
	return ret;
}
#endif

#ifdef HAVE_LZMA
/*
 * As for zstd's window: the dictionary is allocated from the block header.
 * The kernel's payloads use 32 MiB (xz --lzma2=,dict=32MiB); len bytes
 * make at most len << 19 bytes (an LZMA2 chunk of 6 bytes makes 2 MiB),
 * so a dictionary beyond that is never filled.
 */
static uint64_t xz_memlimit(size_t len)
{
	uint64_t fill = (uint64_t)len << 19;

	return fill > (1ULL << 27) ? fill : 1ULL << 27;
}

static int kx_unxz(const uint8_t *buf, size_t len, const char *name, struct kx_outbuf *o)
{
	lzma_stream strm = LZMA_STREAM_INIT;
	lzma_ret lret;
	int ret = 0;

	/* a single stream: the kernel's payload may be followed by padding */
	if (lzma_stream_decoder(&strm, xz_memlimit(len), 0) != LZMA_OK) {
		kx_error("%s: cannot initialise liblzma", name);
		return -ENOMEM;
	}
	strm.next_in = buf;
	strm.avail_in = len;
	do {
		if (o->len == o->cap) {
			ret = kx_outbuf_grow(o, name);
			if (ret)
				goto out_end;
		}
		strm.next_out = o->buf + o->len;
		strm.avail_out = o->cap - o->len;
		lret = lzma_code(&strm, strm.avail_in ? LZMA_RUN : LZMA_FINISH);
		o->len = o->cap - strm.avail_out;
		if (lret == LZMA_MEMLIMIT_ERROR) {
			kx_error("%s: xz stream asks for %" PRIu64 " MiB to decode, more than its %zu bytes can fill",
				 name, lzma_memusage(&strm) >> 20, len);
			ret = -EINVAL;
			goto out_end;
		}
		if (lret != LZMA_OK && lret != LZMA_STREAM_END) {
			kx_error("%s: xz data is %s (liblzma error %d)", name,
				 lret == LZMA_BUF_ERROR ? "truncated" : "corrupt", (int)lret);
			ret = -EINVAL;
			goto out_end;
		}
	} while (lret != LZMA_STREAM_END);
out_end:
	lzma_end(&strm);
	return ret;
}
#endif

#ifdef HAVE_ZSTD
/*
 * The window a frame declares is allocated before any data is read. The
 * kernel's payloads use up to 2^27 (-22 --ultra; libzstd's default limit)
 * and the kernel takes up to 2^31; but len bytes make at most len << 15
 * bytes of output (a 4-byte RLE block makes 128 KiB), so a larger window
 * is never filled: a few bytes must not allocate 2 GiB.
 */
static int zstd_window_log_max(size_t len)
{
	int wlog = 27;

	while (wlog < 31 && ((uint64_t)1 << wlog) < (uint64_t)len << 15)
		wlog++;
	return wlog;
}

static int kx_unzstd(const uint8_t *buf, size_t len, const char *name, struct kx_outbuf *o)
{
	ZSTD_DStream *ds = ZSTD_createDStream();
	ZSTD_inBuffer in = { buf, len, 0 };
	size_t zret;
	int ret = 0;

	if (!ds) {
		kx_error("%s: cannot initialise libzstd", name);
		return -ENOMEM;
	}
	ZSTD_DCtx_setParameter(ds, ZSTD_d_windowLogMax, zstd_window_log_max(len));
	do {
		ZSTD_outBuffer out;

		if (o->len == o->cap) {
			ret = kx_outbuf_grow(o, name);
			if (ret)
				goto out_free;
		}
		out.dst = o->buf;
		out.size = o->cap;
		out.pos = o->len;
		zret = ZSTD_decompressStream(ds, &out, &in);
		o->len = out.pos;
		if (ZSTD_isError(zret) && ZSTD_getErrorCode(zret) == ZSTD_error_frameParameter_windowTooLarge) {
			kx_error("%s: zstd frame asks a window over 2^%d bytes, more than its %zu bytes can fill",
				 name, zstd_window_log_max(len), len);
			ret = -EINVAL;
			goto out_free;
		}
		if (ZSTD_isError(zret)) {
			kx_error("%s: zstd data is corrupt (%s)", name, ZSTD_getErrorName(zret));
			ret = -EINVAL;
			goto out_free;
		}
		if (zret && in.pos == in.size && out.pos < out.size) {
			kx_error("%s: zstd data is truncated", name);
			ret = -EINVAL;
			goto out_free;
		}
	} while (zret);
out_free:
	ZSTD_freeDStream(ds);
	return ret;
}
#endif

int kx_decompress(const uint8_t *buf, size_t len, const char *name, size_t max_out,
		  uint8_t **out, size_t *outlen)
{
	struct kx_outbuf o = { .max = max_out ? max_out : KX_DECOMP_DEFAULT_MAX };
	enum kx_comp comp = kx_comp_detect(buf, len);
	int ret;

	switch (comp) {
#ifdef HAVE_ZLIB
	case KX_COMP_GZIP:
		ret = kx_gunzip(buf, len, name, &o);
		break;
#endif
#ifdef HAVE_LZMA
	case KX_COMP_XZ:
		ret = kx_unxz(buf, len, name, &o);
		break;
#endif
#ifdef HAVE_ZSTD
	case KX_COMP_ZSTD:
		ret = kx_unzstd(buf, len, name, &o);
		break;
#endif
	case KX_COMP_NONE:
		kx_error("%s: not compressed in a format ukexec recognises", name);
		return -EINVAL;
	default:
		kx_error("%s: %s-compressed, but this kexec was built without %s support", name,
			 kx_comp_name(comp), kx_comp_name(comp));
		return -ENOTSUP;
	}
	if (ret) {
		free(o.buf);
		return ret;
	}
	*out = o.buf;
	*outlen = o.len;
	return 0;
}
