// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The arm64 kexec_file loader on synthetic inputs, on any host: the probe
 * (Image magic, truncation, EFI zboot with gzip and zstd payloads, hostile
 * zboot headers refused with one line naming the file) and the memblock
 * walk and plan, checked against the rules of arch/arm64/kernel/
 * kexec_image.c, machine_kexec_file.c and kernel/kexec_file.c (Linux 6.1):
 * the expected values are derived from those rules, written next to them.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "config.h"
#include "arch.h"
#include "arm64.h"
#include "byteorder.h"
#include "kexec_file.h"
#include "log.h"
#include "plan.h"
#include "profile.h"
#include "request.h"
#include "sysview.h"
#include "tap.h"
#ifdef HAVE_ZLIB
#include <zlib.h>
#endif
#ifdef HAVE_ZSTD
#include <zstd.h>
#endif
#ifdef HAVE_LIBFDT
#include <libfdt.h>
#endif

extern const struct kexec_file_ops arm64_kexec_image_ops;

static int nr_errors;
static char last_error[512];

static void sink(enum kx_level level, const char *msg, void *arg)
{
	(void)arg;
	if (level == KX_ERROR) {
		nr_errors++;
		snprintf(last_error, sizeof(last_error), "%s", msg);
	}
}

static void reset_errors(void)
{
	nr_errors = 0;
	last_error[0] = '\0';
}

/* A fresh 6.1 plan of in, the error counter reset. */
static int plan_arm64_61(struct plan *plan, const struct sysview *sv, const struct kexec_inputs *in)
{
	plan_init(plan, &arch_arm64, sv, profile_find("arm64", "6.1"), false);
	reset_errors();
	return kexec_file_plan(plan, in);
}

#define IMAGE_LEN 0x300000
#define IMAGE_SIZE 0x380000	/* image_size: the file plus its bss */

static uint8_t *make_image(size_t len, uint64_t text_offset, uint64_t image_size)
{
	uint8_t *img = calloc(1, len);
	size_t i;

	for (i = ARM64_IMAGE_HEADER_SIZE; i < len; i++)
		img[i] = (uint8_t)(i * 7);
	put_le64(img + ARM64_IMAGE_TEXT_OFFSET, text_offset);
	put_le64(img + ARM64_IMAGE_IMAGE_SIZE, image_size);
	put_le64(img + ARM64_IMAGE_FLAGS, 1 << ARM64_IMAGE_FLAG_PAGE_SIZE_SHIFT);
	memcpy(img + ARM64_IMAGE_MAGIC_OFFSET, ARM64_IMAGE_MAGIC, 4);
	return img;
}

/* An EFI zboot file around payload: "MZ", "zimg", offset, size, type. */
static uint8_t *make_zboot(const uint8_t *payload, size_t plen, const char *comp, size_t *len)
{
	size_t off = 0x1000;
	uint8_t *z = calloc(1, off + plen + 16);

	z[0] = 'M';
	z[1] = 'Z';
	memcpy(z + ZBOOT_TYPE_OFFSET, "zimg", 4);
	put_le32(z + ZBOOT_PAYLOAD_OFFSET, (uint32_t)off);
	put_le32(z + ZBOOT_PAYLOAD_SIZE, (uint32_t)plen);
	memcpy(z + ZBOOT_COMP_TYPE, comp, strlen(comp));
	memcpy(z + off, payload, plen);
	*len = off + plen + 16;
	return z;
}

#ifdef HAVE_ZLIB
static uint8_t *gzip_buf(const uint8_t *in, size_t len, size_t *outlen)
{
	z_stream s = { 0 };
	uint8_t *out = malloc(len + 1024);

	deflateInit2(&s, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY);
	s.next_in = (uint8_t *)in;
	s.avail_in = (uInt)len;
	s.next_out = out;
	s.avail_out = (uInt)(len + 1024);
	deflate(&s, Z_FINISH);
	*outlen = s.total_out;
	deflateEnd(&s);
	return out;
}
#endif

static void test_probe(void)
{
	uint8_t *img = make_image(IMAGE_LEN, 0, IMAGE_SIZE);

	ok(arm64_image_probe(img, IMAGE_LEN) == 0, "probe: an Image with the ARM\\x64 magic");
	ok(arm64_image_probe(img, ARM64_IMAGE_HEADER_SIZE - 1) == -ENOEXEC,
	   "probe: 63 bytes are too short for the header");
	img[ARM64_IMAGE_MAGIC_OFFSET + 3] ^= 1;
	ok(arm64_image_probe(img, IMAGE_LEN) == -ENOEXEC, "probe: a flipped magic byte is refused");
	reset_errors();
	ok(kexec_image_probe_default(&arch_arm64, NULL, img, IMAGE_LEN, "bad.img") == NULL &&
	   nr_errors == 1 && strstr(last_error, "bad.img"),
	   "probe: neither Image nor zboot: one line naming the file (%s)", last_error);
	free(img);
}

static void test_zboot(void)
{
	uint8_t *img = make_image(IMAGE_LEN, 0, IMAGE_SIZE), *z, *out;
	size_t zlen, outlen;
	int ret;

	(void)out;
	(void)outlen;
	(void)ret;
#ifdef HAVE_ZLIB
	{
		size_t glen;
		uint8_t *gz = gzip_buf(img, IMAGE_LEN, &glen);

		/* Image.gz: the whole file one gzip stream, unwrapped before the probe */
		ret = slurp_decompress_file(gz, glen, "Image.gz", &out, &outlen);
		ok(ret == 0 && out && outlen == IMAGE_LEN && !memcmp(out, img, IMAGE_LEN) &&
		   kexec_image_probe_default(&arch_arm64, NULL, out, outlen, "Image.gz") ==
		   &arm64_kexec_image_ops, "Image.gz: decompressed, then probed as an Image");
		free(out);
		z = make_zboot(gz, glen, "gzip", &zlen);
		ret = arm64_zboot_unwrap(z, zlen, "vmlinuz.efi", &out, &outlen);
		ok(ret == 0 && out && outlen == IMAGE_LEN && !memcmp(out, img, IMAGE_LEN),
		   "zboot gzip: the payload decompresses to the Image");
		free(out);
		/* the payload size one byte past the file */
		put_le32(z + ZBOOT_PAYLOAD_SIZE, (uint32_t)(zlen - 0x1000 + 1));
		reset_errors();
		ret = arm64_zboot_unwrap(z, zlen, "vmlinuz.efi", &out, &outlen);
		ok(ret == -EINVAL && nr_errors == 1 && strstr(last_error, "vmlinuz.efi") &&
		   strstr(last_error, "outside"), "zboot: a payload past the end is refused (%s)",
		   last_error);
		put_le32(z + ZBOOT_PAYLOAD_SIZE, (uint32_t)glen);
		put_le32(z + ZBOOT_PAYLOAD_OFFSET, 0xffffff00);
		reset_errors();
		ret = arm64_zboot_unwrap(z, zlen, "vmlinuz.efi", &out, &outlen);
		ok(ret == -EINVAL && nr_errors == 1, "zboot: an offset past the end is refused (%s)",
		   last_error);
		free(z);
		z = make_zboot(gz, glen, "lz4", &zlen);
		reset_errors();
		ret = arm64_zboot_unwrap(z, zlen, "vmlinuz.efi", &out, &outlen);
		ok(ret == -EINVAL && nr_errors == 1 && strstr(last_error, "\"lz4\""),
		   "zboot: a type it does not read is named (%s)", last_error);
		free(z);
		free(gz);
		/* a gzip payload that is no Image */
		img[ARM64_IMAGE_MAGIC_OFFSET] = 'X';
		gz = gzip_buf(img, IMAGE_LEN, &glen);
		z = make_zboot(gz, glen, "gzip", &zlen);
		reset_errors();
		ret = arm64_zboot_unwrap(z, zlen, "vmlinuz.efi", &out, &outlen);
		ok(ret == -ENOEXEC && !out && nr_errors == 1 && strstr(last_error, "no arm64 Image"),
		   "zboot: a payload that is no Image is refused (%s)", last_error);
		img[ARM64_IMAGE_MAGIC_OFFSET] = 'A';
		free(z);
		free(gz);
	}
#else
	skip(6, "built without zlib");
#endif
#ifdef HAVE_ZSTD
	{
		size_t cap = ZSTD_compressBound(IMAGE_LEN);
		uint8_t *zs = malloc(cap);
		size_t zslen = ZSTD_compress(zs, cap, img, IMAGE_LEN, 3);

		z = make_zboot(zs, zslen, "zstd", &zlen);
		ret = arm64_zboot_unwrap(z, zlen, "vmlinuz.efi", &out, &outlen);
		ok(ret == 0 && out && outlen == IMAGE_LEN && !memcmp(out, img, IMAGE_LEN),
		   "zboot zstd: the payload decompresses to the Image");
		free(out);
		free(z);
		free(zs);
	}
#else
	skip(1, "built without libzstd");
#endif
	/* truncated: "MZ" + "zimg" but not the whole header */
	z = make_zboot(img, 16, "gzip", &zlen);
	ok(arm64_zboot_unwrap(z, ZBOOT_HEADER_SIZE - 1, "short.efi", &out, &outlen) == 0 && !out,
	   "zboot: a header cut short is no zboot image");
	free(z);
	free(img);
}

static int collect(const struct kexec_mem_range *r, void *arg)
{
	struct kexec_mem_range **p = arg;

	*(*p)++ = *r;
	return 0;
}

static void test_memblock(void)
{
	struct kexec_mem_range res[3] = {
		{ 0x40000000, 0x400fffff }, { 0x40200000, 0x411fffff }, { 0x7ff00000, 0x7fffffff },
	};
	struct kexec_mem_range mem = { 0x40000000, 0x7fffffff }, got[8], *p = got;
	struct memblock_view mb = { .memory = &mem, .nr_memory = 1, .reserved = res, .nr_reserved = 3 };
	struct kexec_mem_range *parsed;
	size_t nr;

	memblock_walk_free(&mb, false, collect, &p);
	/* memory minus reserved: the gaps between the reserved regions */
	ok(p - got == 2 && got[0].start == 0x40100000 && got[0].end == 0x401fffff &&
	   got[1].start == 0x41200000 && got[1].end == 0x7fefffff,
	   "for_each_free_mem_range: the gaps between reserved regions");
	p = got;
	memblock_walk_free(&mb, true, collect, &p);
	ok(p - got == 2 && got[0].start == 0x41200000 && got[1].start == 0x40100000,
	   "for_each_free_mem_range_reverse: the same, top down");
	ok(!memblock_parse_debugfs("   0: 0x0000000040000000..0x000000007fffffff\n"
				   "   1: 0x0000000080000000..0x00000000800fffff\n", &parsed, &nr) &&
	   nr == 2 && parsed[1].start == 0x80000000 && parsed[1].end == 0x800fffff,
	   "debugfs memblock lines parse");
	free(parsed);
	ok(memblock_parse_debugfs("   0: 0x40000000-0x7fffffff\n", &parsed, &nr) == -EINVAL,
	   "a line not in memblock's format is refused");
	ok(!memblock_parse_debugfs("   0: 0x0000000040000000..0x000000007fffffff    0 NONE\n"
				   "   1: 0x0000000080000000..0x00000000800fffff    x NOMAP\n", &parsed, &nr) &&
	   nr == 2 && parsed[0].end == 0x7fffffff && parsed[1].start == 0x80000000,
	   "6.12's debugfs memblock lines (node, flag) parse");
	free(parsed);
	ok(memblock_parse_debugfs("   0: 0x0000000040000000..0x000000007fffffff    0 NONE junk\n",
				  &parsed, &nr) == -EINVAL,
	   "a memblock line with more than node and flag is refused");
}

static void unlink_tree(const char *dir)
{
	char cmd[64];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd))
		diag("could not remove %s", dir);
}

static int write_file(const char *dir, const char *path, const char *text)
{
	char full[512], *slash;
	FILE *f;

	snprintf(full, sizeof(full), "%s%s", dir, path);
	for (slash = strchr(full + strlen(dir) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(full, 0755);
		*slash = '/';
	}
	f = fopen(full, "w");
	if (!f)
		return -1;
	fputs(text, f);
	return fclose(f);
}

static int write_blob(const char *dir, const char *path, const void *buf, size_t len)
{
	char full[512];
	FILE *f;

	if (write_file(dir, path, ""))
		return -1;
	snprintf(full, sizeof(full), "%s%s", dir, path);
	f = fopen(full, "w");
	if (!f)
		return -1;
	fwrite(buf, 1, len, f);
	return fclose(f);
}

/*
 * Without debugfs: System RAM from /proc/iomem, reserved = what is nested in
 * it, the DTB's /memreserve/ and /reserved-memory; with debugfs, memory
 * regions outside System RAM (NOMAP) are left out.
 */
static void test_memblock_sources(const char *dir)
{
	struct kexec_mem_range got[8], *p = got;
	struct memblock_view mb;
	struct sysview sv;
	int ret;

	write_file(dir, "/proc/iomem", "40000000-403fffff : System RAM\n"
		   "  40100000-401fffff : Kernel code\n"
		   "40400000-404fffff : reserved\n"
		   "40500000-40ffffff : System RAM\n");
#ifdef HAVE_LIBFDT
	{
		uint8_t fdt[4096];
		int rm, node;
		fdt32_t reg[4] = { cpu_to_fdt32(0), cpu_to_fdt32(0x40800000), cpu_to_fdt32(0),
				   cpu_to_fdt32(0x100000) };

		fdt_create_empty_tree(fdt, sizeof(fdt));
		fdt_add_mem_rsv(fdt, 0x40600000, 0x10000);
		fdt_setprop_u32(fdt, 0, "#address-cells", 2);
		fdt_setprop_u32(fdt, 0, "#size-cells", 2);
		rm = fdt_add_subnode(fdt, 0, "reserved-memory");
		fdt_setprop_u32(fdt, rm, "#address-cells", 2);
		fdt_setprop_u32(fdt, rm, "#size-cells", 2);
		node = fdt_add_subnode(fdt, rm, "fw@40800000");
		fdt_setprop(fdt, node, "reg", reg, sizeof(reg));
		write_blob(dir, "/sys/firmware/fdt", fdt, fdt_totalsize(fdt));
	}
#endif
	if (sysview_open(&sv, dir)) {
		skip(3, "no sysview");
		return;
	}
	ret = memblock_read(&sv, &mb);
	ok(ret == 0 && strstr(mb.source, "/proc/iomem"), "no debugfs: the source is /proc/iomem (%s)",
	   ret ? "?" : mb.source);
	if (!ret) {
		memblock_walk_free(&mb, false, collect, &p);
		memblock_release(&mb);
	}
#ifdef HAVE_LIBFDT
	/* RAM 0x40000000-0x403fffff and 0x40500000-0x40ffffff minus Kernel code,
	 * /memreserve/ 0x40600000+64K and /reserved-memory 0x40800000+1M */
	ok(p - got == 5 && got[0].start == 0x40000000 && got[0].end == 0x400fffff &&
	   got[1].start == 0x40200000 && got[1].end == 0x403fffff &&
	   got[2].start == 0x40500000 && got[2].end == 0x405fffff &&
	   got[3].start == 0x40610000 && got[3].end == 0x407fffff &&
	   got[4].start == 0x40900000 && got[4].end == 0x40ffffff,
	   "no debugfs: System RAM minus nested resources and the DTB's reservations");
#else
	skip(1, "built without libfdt");
#endif
	write_file(dir, "/sys/kernel/debug/memblock/memory", "   0: 0x0000000040000000..0x0000000040ffffff\n");
	write_file(dir, "/sys/kernel/debug/memblock/reserved", "   0: 0x0000000040100000..0x00000000401fffff\n");
	p = got;
	ret = memblock_read(&sv, &mb);
	if (!ret) {
		memblock_walk_free(&mb, false, collect, &p);
		memblock_release(&mb);
	}
	/* the memory region cut where /proc/iomem says "reserved" (NOMAP) */
	ok(ret == 0 && p - got == 3 && got[0].end == 0x400fffff && got[1].start == 0x40200000 &&
	   got[1].end == 0x403fffff && got[2].start == 0x40500000 && got[2].end == 0x40ffffff,
	   "debugfs: memory outside System RAM (NOMAP) is not free");
	sysview_close(&sv);
	unlink_tree(dir);
}

/* The plan on a 1 GiB machine at 0x40000000 whose running kernel sits at 0x40200000. */
static void test_plan(const char *dir)
{
	uint8_t *img = make_image(IMAGE_LEN, 0, IMAGE_SIZE), initrd[5000];
	struct request req = { .type = NULL };
	struct kexec_inputs in = { 0 };
	struct sysview sv;
	struct plan plan;
	int ret;

	write_file(dir, "/proc/iomem", "40000000-7fffffff : System RAM\n"
		   "  40210000-411fffff : Kernel code\n");
	write_file(dir, "/sys/kernel/debug/memblock/memory", "   0: 0x0000000040000000..0x000000007fffffff\n");
	write_file(dir, "/sys/kernel/debug/memblock/reserved",
		   "   0: 0x0000000040000000..0x00000000400fffff\n"
		   "   1: 0x0000000040210000..0x00000000411fefff\n"
		   "   2: 0x000000007fe01000..0x000000007fffffff\n");
	if (sysview_open(&sv, dir)) {
		skip(10, "no sysview");
		free(img);
		return;
	}
	memset(initrd, 0x5a, sizeof(initrd));
	in.req = &req;
	in.kernel_name = "Image";
	in.kernel = img;
	in.kernel_len = IMAGE_LEN;
	in.initrd_name = "initrd";
	in.initrd = initrd;
	in.initrd_len = sizeof(initrd);
	in.cmdline = "console=ttyAMA0";
	in.cmdline_len = strlen(in.cmdline) + 1;
#ifdef HAVE_LIBFDT
	{
		/* a minimal DTB: an empty root with /chosen */
		static const uint8_t dtb[] = {
			0xd0, 0x0d, 0xfe, 0xed, 0, 0, 0, 0x58, 0, 0, 0, 0x38, 0, 0, 0, 0x58,
			0, 0, 0, 0x28, 0, 0, 0, 0x11, 0, 0, 0, 0x10, 0, 0, 0, 0,
			0, 0, 0, 0, 0, 0, 0, 0x20, 0, 0, 0, 0, 0, 0, 0, 0,
			0, 0, 0, 0, 0, 0, 0, 0,
			0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 'c', 'h', 'o', 's',
			'e', 'n', 0, 0, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 9,
		};
		in.dtb = dtb;
		in.dtb_len = sizeof(dtb);
	}
#endif
	plan_init(&plan, &arch_arm64, &sv, profile_find("arm64", "6.1"), false);
	plan.page_size = 0x1000;
	reset_errors();
	ret = kexec_file_plan(&plan, &in);
#ifdef HAVE_LIBFDT
	ok(ret == 0 && plan.nr_segments == 3, "-l: kernel, initrd, dtb (%s)", last_error);
	/* the lowest 2 MiB-aligned free start with room for image_size: above the running kernel */
	ok(plan.segment[0].mem == 0x41200000 && plan.segment[0].memsz == IMAGE_SIZE &&
	   plan.segment[0].bufsz == IMAGE_LEN && plan.entry == 0x41200000,
	   "kernel: MIN_KIMG_ALIGN, bottom-up, memsz image_size");
	/* bottom-up from the kernel's end, page-aligned */
	ok(plan.segment[1].mem == 0x41200000 + IMAGE_SIZE && plan.segment[1].memsz == 0x2000,
	   "initrd: bottom-up from the kernel's end");
	/* top-down, 2 MiB-aligned: the highest 2 MiB boundary below the reserved top */
	ok(plan.segment[2].mem == 0x7fc00000 && plan.segment[2].memsz == 0x1000,
	   "dtb: top-down, 2 MiB-aligned, below the reserved top");
	plan_release(&plan);
	/*
	 * 6.12: the hole's last byte is 0x7fe00fff and the DTB takes a page,
	 * so the top-down start 0x7fe00000 is already aligned; 6.1's
	 * off-by-one started the search a byte lower, one 2 MiB step down.
	 */
	plan_init(&plan, &arch_arm64, &sv, profile_find("arm64", "6.12"), false);
	plan.page_size = 0x1000;
	ret = kexec_file_plan(&plan, &in);
	ok(ret == 0 && plan.nr_segments == 3 && plan.segment[2].mem == 0x7fe00000,
	   "6.12 dtb: top-down from the hole's last byte, no off-by-one");
#else
	skip(5, "built without libfdt");
#endif
	plan_release(&plan);

	/* image_size 0: refused by image_load with the file's name */
	put_le64(img + ARM64_IMAGE_IMAGE_SIZE, 0);
	ret = plan_arm64_61(&plan, &sv, &in);
	ok(ret == -EINVAL && nr_errors == 1 && strstr(last_error, "Image") &&
	   strstr(last_error, "image_size"), "image_size 0 is refused (%s)", last_error);
	plan_release(&plan);

	/* no hole large enough: one line */
	put_le64(img + ARM64_IMAGE_IMAGE_SIZE, 0x40000000);
	ret = plan_arm64_61(&plan, &sv, &in);
	ok(ret == -EADDRNOTAVAIL && nr_errors == 1 && strstr(last_error, "kernel"),
	   "a kernel larger than memory finds no hole (%s)", last_error);
	plan_release(&plan);

	/* text_offset: the segment starts text_offset into the 2 MiB-aligned hole */
	put_le64(img + ARM64_IMAGE_IMAGE_SIZE, IMAGE_SIZE);
	put_le64(img + ARM64_IMAGE_TEXT_OFFSET, 0x80000);
	ret = plan_arm64_61(&plan, &sv, &in);
	ok(ret == 0 && plan.segment[0].mem == 0x41280000 && plan.segment[0].memsz == IMAGE_SIZE,
	   "text_offset 0x80000: kernel at hole + text_offset, memsz image_size");
	plan_release(&plan);

	/*
	 * An initrd that fits nowhere above the kernel: image_load() tries the
	 * kernel in every hole, then one line names what did not fit.
	 */
	in.initrd_len = 0x3f000000;
	ret = plan_arm64_61(&plan, &sv, &in);
	ok(ret == -EADDRNOTAVAIL && nr_errors == 1 && strstr(last_error, "suitable kernel location") &&
	   strstr(last_error, "initrd") && plan.nr_segments == 0,
	   "no room for the initrd above any kernel location: one line (%s)", last_error);
	plan_release(&plan);
	in.initrd_len = sizeof(initrd);

	/* a memblock file that is not one: one line naming it, no plan */
	write_file(dir, "/sys/kernel/debug/memblock/reserved", "   0: 0x40000000-0x400fffff\n");
	ret = plan_arm64_61(&plan, &sv, &in);
	ok(ret == -EINVAL && nr_errors == 1 && strstr(last_error, "memblock/reserved"),
	   "a garbled debugfs memblock file: one line naming it (%s)", last_error);
	plan_release(&plan);
	sysview_close(&sv);
	free(img);
}

int main(void)
{
	char dir[] = "/tmp/test-arm64.XXXXXX", dir2[] = "/tmp/test-arm64.XXXXXX";

	kx_set_log_sink(sink, NULL);
	plan(4 + 10 + 4 + 3 + 10);
	test_probe();
	test_zboot();
	test_memblock();
	if (!mkdtemp(dir2))
		skip(3, "mkdtemp");
	else
		test_memblock_sources(dir2);
	if (!mkdtemp(dir)) {
		skip(10, "mkdtemp");
	} else {
		test_plan(dir);
		unlink_tree(dir);
	}
	return tap_failed ? 1 : 0;
}
