/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The arm64 side of kexec_file, in userspace: the plan of the kernel's
 * arch/arm64/kernel/kexec_image.c and machine_kexec_file.c (Linux 6.1), with
 * the hole search over memblock's free ranges (kexec_walk_memblock).
 */
#ifndef UKEXEC_ARM64_H
#define UKEXEC_ARM64_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "arch.h"

struct plan;
struct sysview;

/* asm/image.h: struct arm64_image_header (little-endian fields) */
#define ARM64_IMAGE_HEADER_SIZE		64
#define ARM64_IMAGE_TEXT_OFFSET		8
#define ARM64_IMAGE_IMAGE_SIZE		16
#define ARM64_IMAGE_FLAGS		24
#define ARM64_IMAGE_MAGIC_OFFSET	56
#define ARM64_IMAGE_MAGIC		"ARM\x64"
#define ARM64_IMAGE_FLAG_BE_SHIFT	0
#define ARM64_IMAGE_FLAG_BE_MASK	0x1
#define ARM64_IMAGE_FLAG_PAGE_SIZE_SHIFT 1
#define ARM64_IMAGE_FLAG_PAGE_SIZE_MASK	0x3
#define ARM64_IMAGE_FLAG_PAGE_SIZE_4K	1
#define ARM64_IMAGE_FLAG_PAGE_SIZE_16K	2
#define ARM64_IMAGE_FLAG_PAGE_SIZE_64K	3

/* drivers/firmware/efi/libstub/zboot-header.S: the EFI zboot header */
#define ZBOOT_TYPE_OFFSET		4	/* "zimg" */
#define ZBOOT_PAYLOAD_OFFSET		8	/* __le32 */
#define ZBOOT_PAYLOAD_SIZE		12	/* __le32 */
#define ZBOOT_COMP_TYPE			24	/* NUL-terminated, e.g. "gzip" */
#define ZBOOT_HEADER_SIZE		0x40

/* asm/boot.h */
#define MIN_KIMG_ALIGN			0x200000ULL
#define SZ_64K				0x10000ULL
#define SZ_2M				0x200000ULL
#define SZ_1G				0x40000000ULL

/* The kernel's image_probe(): the "ARM\x64" magic. */
int arm64_image_probe(const uint8_t *buf, size_t len);
/*
 * An EFI zboot image (kexec-tools' arm64 zImage loader): the payload
 * decompressed into *out (malloc'ed); 0 and *out NULL when buf is no zboot
 * image. One message naming name on failure.
 */
int arm64_zboot_unwrap(const uint8_t *buf, size_t len, const char *name, uint8_t **out,
		       size_t *outlen);
/* Why buf is no kernel ukexec can load for arm64 (for the one error line). */
const char *arm64_image_refusal(const uint8_t *buf, size_t len);

/*
 * machine_kexec_file.c: load_other_segments(); sets *dtb_mem. When a segment
 * finds no hole: -EADDRNOTAVAIL without a message (image_load() tries the
 * kernel higher), *failed naming that segment.
 */
int load_other_segments(struct plan *plan, const struct kexec_inputs *in,
			uint64_t kernel_load_addr, uint64_t kernel_size, uint64_t *dtb_mem,
			const char **failed);
/* kexec_add_buffer(), but -EADDRNOTAVAIL without a message when nothing fits. */
int arm64_add_buffer_quiet(struct kexec_buf *kbuf);
/* Our purgatory, after every segment of the kernel's plan. */
int arm64_load_purgatory(struct plan *plan, const struct kexec_inputs *in,
			 uint64_t kernel_entry, uint64_t kernel_end, uint64_t dtb_mem);

/* memblock, as the running kernel keeps it (ARCH_KEEP_MEMBLOCK) */
struct memblock_view {
	struct kexec_mem_range *memory;		/* memblock.memory without NOMAP, sorted */
	size_t nr_memory;
	struct kexec_mem_range *reserved;	/* memblock.reserved, sorted, merged */
	size_t nr_reserved;
	const char *source;			/* for -d */
};

int memblock_read(const struct sysview *sv, struct memblock_view *mb);
void memblock_release(struct memblock_view *mb);
/* for_each_free_mem_range(): memory minus reserved, ascending (descending with rev). */
int memblock_walk_free(const struct memblock_view *mb, bool rev, kexec_range_cb func, void *arg);
/* Parse debugfs memblock/{memory,reserved} ("   0: 0x...00..0x...ff", then
 * on 6.12 the node and the flag: "    0 NONE"). */
int memblock_parse_debugfs(const char *text, struct kexec_mem_range **out, size_t *nr);

int kexec_walk_memblock(struct kexec_buf *kbuf, kexec_range_cb func);
/*
 * Read memblock once before the hole searches (which read it again
 * silently): one message if it cannot be; with -d, where it was read from
 * and its free ranges.
 */
int memblock_prepare(const struct plan *plan);
int arm64_walk_system_ram(const struct plan *plan, bool rev, kexec_range_cb func, void *arg);

#endif
