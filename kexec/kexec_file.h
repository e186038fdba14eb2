/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The load pipeline of kexec_file_load (kernel/kexec_file.c), in userspace:
 * probe the image, let its format load the segments, check the segment list,
 * then hash the segments into the purgatory. The tool, the unit tests and
 * the fuzzers all plan through kexec_file_plan().
 */
#ifndef UKEXEC_KEXEC_FILE_H
#define UKEXEC_KEXEC_FILE_H

#include <stddef.h>
#include <stdint.h>
#include "arch.h"

struct plan;
struct sysview;

/*
 * kexec_image_probe_default(): the first of arch's formats (only the one
 * named type, if not NULL) whose probe takes buf; NULL after one message
 * naming name when none does.
 */
const struct kexec_file_ops *kexec_image_probe_default(const struct arch *arch, const char *type,
							const uint8_t *buf, size_t len,
							const char *name);
/* kexec_image_load_default(): the probed format's load. */
int kexec_image_load_default(struct plan *plan, const struct kexec_file_ops *ops,
			     const struct kexec_inputs *in);
/* kimage_file_prepare_segments(): probe (-t from in->req->type), then load. */
int kimage_file_prepare_segments(struct plan *plan, const struct kexec_inputs *in);
/*
 * What kexec_file_load computes before it copies the segments:
 * kimage_file_prepare_segments(), sanity_check_segment_list(), then
 * kexec_calculate_store_digests() (skipped with in->req->no_checks, and for
 * plans larger than in->digest_max_memsz when that is set).
 */
int kexec_file_plan(struct plan *plan, const struct kexec_inputs *in);

/*
 * The machine's page size for plans for arch: the live machine's
 * sysconf(_SC_PAGESIZE) for the native arch without a sysroot, AT_PAGESZ of
 * a recorded /proc/self/auxv under a sysroot, else the PAGE_SHIFT of the
 * kernel config the facts were read from (facts may be NULL), else
 * arch->page_size. Says which with -d. 0 (after a message) when the recorded
 * auxv is there but is no regular file or cannot be read.
 */
struct kernel_facts;
uint64_t kexec_page_size(const struct arch *arch, const struct sysview *sv,
			 const struct kernel_facts *facts);

/*
 * slurp_decompress_file(): a kernel file that is one whole gzip, xz or zstd
 * stream (an arm64 Image.gz), decompressed into a malloc'ed *out of at most
 * KERNEL_DECOMPRESSED_MAX bytes; *out is NULL when buf is not compressed.
 * One message naming name on failure.
 */
#define KERNEL_DECOMPRESSED_MAX ((size_t)1 << 30)
int slurp_decompress_file(const uint8_t *buf, size_t len, const char *name, uint8_t **out,
			  size_t *outlen);

#endif
