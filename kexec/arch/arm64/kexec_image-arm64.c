// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The arm64 Image loader of kexec_file (arch/arm64/kernel/kexec_image.c,
 * Linux 6.1): the kernel at the lowest 2 MiB-aligned free hole that leaves
 * room for the other segments, text_offset into it; then initrd, DTB (and for
 * crash loads the ELF core headers) by load_other_segments(). An EFI zboot
 * image (vmlinuz.efi: a PE stub carrying a compressed Image, which 6.1's
 * kexec_file refuses) is decompressed first, as kexec-tools does.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "arm64.h"
#include "byteorder.h"
#include "decompress.h"
#include "kexec_file.h"
#include "log.h"
#include "plan.h"

int arm64_image_probe(const uint8_t *buf, size_t len)
{
	if (!buf || len < ARM64_IMAGE_HEADER_SIZE)
		return -ENOEXEC;
	if (memcmp(buf + ARM64_IMAGE_MAGIC_OFFSET, ARM64_IMAGE_MAGIC, 4))
		return -ENOEXEC;
	return 0;
}

static bool is_zboot(const uint8_t *buf, size_t len)
{
	return len >= ZBOOT_HEADER_SIZE && buf[0] == 'M' && buf[1] == 'Z' &&
	       !memcmp(buf + ZBOOT_TYPE_OFFSET, "zimg", 4);
}

const char *arm64_image_refusal(const uint8_t *buf, size_t len)
{
	static char why[96];

	(void)buf;
	if (len < ARM64_IMAGE_HEADER_SIZE)
		snprintf(why, sizeof(why), "too short for an arm64 Image header (%zu bytes, needs %d)",
			 len, ARM64_IMAGE_HEADER_SIZE);
	else
		snprintf(why, sizeof(why), "no arm64 Image magic \"ARM\\x64\" at 0x%x, and no EFI zboot header",
			 ARM64_IMAGE_MAGIC_OFFSET);
	return why;
}

/* The kernel's image_load() checks of the header's flags. */
static int image_check_header(const struct plan *plan, const struct kexec_inputs *in,
			      const uint8_t *h)
{
	uint64_t flags = get_le64(h + ARM64_IMAGE_FLAGS), page;

	/* Documentation/arm64/booting.rst: unambiguous only with image_size */
	if (!get_le64(h + ARM64_IMAGE_IMAGE_SIZE)) {
		kx_error("%s: the arm64 Image header has image_size 0 (a kernel older than 3.17?)",
			 in->kernel_name);
		return -EINVAL;
	}
	if ((flags >> ARM64_IMAGE_FLAG_BE_SHIFT) & ARM64_IMAGE_FLAG_BE_MASK) {
		kx_error("%s: a big-endian arm64 kernel (the running kernel is little-endian)",
			 in->kernel_name);
		return -EINVAL;
	}
	page = (flags >> ARM64_IMAGE_FLAG_PAGE_SIZE_SHIFT) & ARM64_IMAGE_FLAG_PAGE_SIZE_MASK;
	/* the kernel asks the CPU for the granule; we can only tell the running page size */
	if (page)
		kx_debug("%s: built for %s pages (the running kernel uses 0x%" PRIx64 ")",
			 in->kernel_name,
			 page == ARM64_IMAGE_FLAG_PAGE_SIZE_4K ? "4K" :
			 page == ARM64_IMAGE_FLAG_PAGE_SIZE_16K ? "16K" : "64K", plan->page_size);
	return 0;
}

static int image_load(struct plan *plan, const struct kexec_inputs *in)
{
	struct kexec_buf kbuf = { .plan = plan, .what = "kernel" };
	const uint8_t *h = in->kernel;
	uint64_t text_offset, dtb_mem = 0, kernel_end;
	unsigned int kernel_segment_number;
	const char *failed = NULL;
	struct plan_segment *kernel_segment;
	int ret;

	ret = image_check_header(plan, in, h);
	if (ret)
		return ret;

	kbuf.buf_min = 0;
	kbuf.buf_max = UINT64_MAX;
	kbuf.top_down = false;
	kbuf.buffer = in->kernel;
	kbuf.bufsz = in->kernel_len;
	kbuf.mem = KEXEC_BUF_MEM_UNKNOWN;
	kbuf.memsz = get_le64(h + ARM64_IMAGE_IMAGE_SIZE);
	text_offset = get_le64(h + ARM64_IMAGE_TEXT_OFFSET);
	kbuf.buf_align = MIN_KIMG_ALIGN;
	if (kbuf.memsz + text_offset < kbuf.memsz || text_offset >= SZ_2M * 1024) {
		kx_error("%s: text_offset 0x%" PRIx64 " is not a sane offset into the kernel's memory",
			 in->kernel_name, text_offset);
		return -EINVAL;
	}
	kbuf.memsz += text_offset;

	ret = memblock_prepare(plan);
	if (ret)
		return ret;
	kernel_segment_number = plan->nr_segments;
	/*
	 * Where the kernel goes may leave no room for the other segments: the
	 * kernel then tries the next hole above.
	 */
	while ((ret = arm64_add_buffer_quiet(&kbuf)) == 0) {
		kernel_segment = &plan->segment[kernel_segment_number];
		ret = load_other_segments(plan, in, kernel_segment->mem, kernel_segment->memsz,
					  &dtb_mem, &failed);
		if (!ret)
			break;
		if (ret != -EADDRNOTAVAIL)
			return ret;
		plan->nr_segments -= 1;
		kbuf.buf_min = kernel_segment->mem + kernel_segment->memsz;
		kbuf.mem = KEXEC_BUF_MEM_UNKNOWN;
		kx_debug("%s: no room for the other segments with the kernel at 0x%" PRIx64
			 "; trying above", in->kernel_name, kernel_segment->mem);
	}
	if (ret == -EADDRNOTAVAIL) {
		if (failed)
			kx_error("%s: could not find any suitable kernel location: no memory hole for the %s above it",
				 in->kernel_name, failed);
		else
			kx_error("%s: no memory hole for the kernel (0x%" PRIx64 " bytes, 2 MiB-aligned%s)",
				 in->kernel_name, kbuf.memsz, plan->crash ? ", in the crash region" : "");
	}
	if (ret)
		return ret;

	kernel_segment = &plan->segment[kernel_segment_number];
	kernel_end = kernel_segment->mem + kernel_segment->memsz;
	kernel_segment->mem += text_offset;
	kernel_segment->memsz -= text_offset;
	plan->entry = kernel_segment->mem;
	kx_debug("Loaded kernel at 0x%" PRIx64 " bufsz=0x%zx memsz=0x%" PRIx64,
		 kernel_segment->mem, kbuf.bufsz, kernel_segment->memsz);

	return arm64_load_purgatory(plan, in, kernel_segment->mem, kernel_end, dtb_mem);
}

static int image_probe(const uint8_t *buf, size_t len)
{
	return arm64_image_probe(buf, len);
}

static const char *image_refusal(const uint8_t *buf, size_t len)
{
	return arm64_image_refusal(buf, len);
}

const struct kexec_file_ops arm64_kexec_image_ops = {
	.name = "Image",
	.probe = image_probe,
	.refusal = image_refusal,
	.load = image_load,
};

int arm64_zboot_unwrap(const uint8_t *buf, size_t len, const char *name, uint8_t **out,
		       size_t *outlen)
{
	uint32_t off, size;
	char comp[9];
	enum kx_comp kind;
	int ret;

	*out = NULL;
	*outlen = 0;
	if (!is_zboot(buf, len))
		return 0;
	off = get_le32(buf + ZBOOT_PAYLOAD_OFFSET);
	size = get_le32(buf + ZBOOT_PAYLOAD_SIZE);
	memcpy(comp, buf + ZBOOT_COMP_TYPE, sizeof(comp) - 1);
	comp[sizeof(comp) - 1] = '\0';
	if (off < ZBOOT_HEADER_SIZE || off > len || size > len - off || !size) {
		kx_error("%s: EFI zboot payload at 0x%x, 0x%x bytes, lies outside the file (0x%zx bytes)",
			 name, off, size, len);
		return -EINVAL;
	}
	kind = kx_comp_detect(buf + off, size);
	if ((strcmp(comp, "gzip") || kind != KX_COMP_GZIP) &&
	    (strcmp(comp, "zstd") || kind != KX_COMP_ZSTD) &&
	    (strcmp(comp, "xz") || kind != KX_COMP_XZ)) {
		kx_error("%s: EFI zboot payload compressed with \"%s\" (%s stream found); ukexec reads gzip, zstd and xz",
			 name, comp, kind == KX_COMP_NONE ? "no known" : kx_comp_name(kind));
		return -EINVAL;
	}
	ret = kx_decompress(buf + off, size, name, KERNEL_DECOMPRESSED_MAX, out, outlen);
	if (ret)
		return ret;
	kx_debug("%s: EFI zboot image, %s payload 0x%x bytes at 0x%x, decompressed to 0x%zx", name,
		 comp, size, off, *outlen);
	if (arm64_image_probe(*out, *outlen)) {
		kx_error("%s: the EFI zboot payload is no arm64 Image (%s)", name,
			 arm64_image_refusal(*out, *outlen));
		free(*out);
		*out = NULL;
		return -ENOEXEC;
	}
	return 0;
}

static int zimage_probe(const uint8_t *buf, size_t len)
{
	return is_zboot(buf, len) ? 0 : -ENOEXEC;
}

static const char *zimage_refusal(const uint8_t *buf, size_t len)
{
	(void)buf;
	(void)len;
	return "no EFI zboot header (\"MZ\" with \"zimg\" at 4)";
}

static int zimage_load(struct plan *plan, const struct kexec_inputs *in)
{
	struct kexec_inputs inner = *in;
	uint8_t *image;
	size_t len;
	int ret;

	ret = arm64_zboot_unwrap(in->kernel, in->kernel_len, in->kernel_name, &image, &len);
	if (ret)
		return ret;
	ret = plan_adopt(plan, image);
	if (ret)
		return ret;
	inner.kernel = image;
	inner.kernel_len = len;
	return image_load(plan, &inner);
}

const struct kexec_file_ops arm64_kexec_zimage_ops = {
	.name = "zimage",
	.probe = zimage_probe,
	.refusal = zimage_refusal,
	.load = zimage_load,
};
