// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kexec_file_load pipeline, mirroring kernel/kexec_file.c
 * (kimage_file_prepare_segments, kexec_image_probe_default,
 * kexec_image_load_default) and the order of the kexec_file_load syscall:
 * the segment list is checked before the segments are hashed.
 */
#include <elf.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "arch.h"
#include "byteorder.h"
#include "decompress.h"
#include "digest.h"
#include "kexec_file.h"
#include "log.h"
#include "plan.h"
#include "profile.h"
#include "request.h"
#include "sysview.h"

const struct kexec_file_ops *kexec_image_probe_default(const struct arch *arch, const char *type,
							const uint8_t *buf, size_t len,
							const char *name)
{
	const struct kexec_file_ops *const *ops;
	const char *why = NULL;
	char tried[256] = "";
	unsigned int nr_why = 0;

	for (ops = arch->file_ops; *ops; ops++) {
		if (type && strcmp(type, (*ops)->name))
			continue;
		if (!(*ops)->probe(buf, len))
			return *ops;
		snprintf(tried + strlen(tried), sizeof(tried) - strlen(tried), "%s%s",
			 *tried ? ", " : "", (*ops)->name);
		/* a format's refusal is NULL when buf is plainly another format's */
		/* two formats giving the same reason (bzImage64, bzImage) give one */
		if ((*ops)->refusal && (*ops)->refusal(buf, len) &&
		    (!why || strcmp(why, (*ops)->refusal(buf, len)))) {
			why = (*ops)->refusal(buf, len);
			nr_why++;
		}
	}
	if (nr_why == 1) {
		kx_error("%s: %s", name, why);
		return NULL;
	}
	if (type && !*tried)
		kx_error("-t %s: no such image type for %s", type, arch->name);
	else if (!*tried)
		kx_error("%s: ukexec cannot load %s kernels yet", name, arch->name);
	else
		kx_error("%s: not a kernel image ukexec can load for %s (tried %s)",
			 name, arch->name, tried);
	return NULL;
}

int kexec_image_load_default(struct plan *plan, const struct kexec_file_ops *ops,
			     const struct kexec_inputs *in)
{
	return ops->load(plan, in);
}

int kimage_file_prepare_segments(struct plan *plan, const struct kexec_inputs *in)
{
	const struct kexec_file_ops *ops;

	ops = kexec_image_probe_default(plan->arch, in->req->type, in->kernel, in->kernel_len,
					in->kernel_name);
	if (!ops)
		return -ENOEXEC;
	kx_debug("%s: %s image", in->kernel_name, ops->name);
	return kexec_image_load_default(plan, ops, in);
}

static uint64_t plan_memsz(const struct plan *plan)
{
	uint64_t sum = 0;
	unsigned int i;

	for (i = 0; i < plan->nr_segments; i++)
		sum += plan->segment[i].memsz;
	return sum;
}

int kexec_file_plan(struct plan *plan, const struct kexec_inputs *in)
{
	int ret;

	ret = kimage_file_prepare_segments(plan, in);
	if (ret)
		return ret;
	/* kexec-tools' --load-preserve-context: not the in-kernel plan (it has no such load) */
	if (plan->flags & KEXEC_PRESERVE_CONTEXT) {
		ret = add_backup_segments(plan);
		if (ret)
			return ret;
	}
	ret = plan_sanity_check(plan);
	if (ret)
		return ret;
	if (in->digest_max_memsz && plan_memsz(plan) > in->digest_max_memsz)
		return 0;
	return kexec_calculate_store_digests(plan, in->req->no_checks);
}

/* AT_PAGESZ of an auxiliary vector in the target's byte order; 0 if absent. */
static uint64_t auxv_page_size(const struct arch *arch, const uint8_t *auxv, size_t len)
{
	size_t off;

	for (off = 0; off + 16 <= len; off += 16) {
		uint64_t type = elf_get64(arch->ei_data, auxv + off);

		if (type == AT_NULL)
			break;
		if (type == AT_PAGESZ)
			return elf_get64(arch->ei_data, auxv + off + 8);
	}
	return 0;
}

static bool valid_page_size(uint64_t size)
{
	return size >= 4096 && !(size & (size - 1));
}

uint64_t kexec_page_size(const struct arch *arch, const struct sysview *sv,
			 const struct kernel_facts *facts)
{
	uint64_t size;
	uint8_t *auxv;
	size_t len;
	int ret;

	if (!*sv->root && arch == arch_native()) {
		long live = sysconf(_SC_PAGESIZE);

		if (live > 0 && valid_page_size((uint64_t)live)) {
			kx_debug("page size 0x%lx: the live machine's (sysconf)", live);
			return (uint64_t)live;
		}
	} else if (*sv->root) {
		ret = sysview_read_file(sv, "/proc/self/auxv", &auxv, &len);
		if (ret == -ENOENT)
			goto out_config;
		if (ret) {
			/* not a missing file: a corrupt view, not a reason to guess */
			kx_error("%s/proc/self/auxv: %s", sv->root, sysview_strerror(ret));
			return 0;
		}
		size = auxv_page_size(arch, auxv, len);
		free(auxv);
		if (valid_page_size(size)) {
			kx_debug("page size 0x%" PRIx64 ": recorded (%s/proc/self/auxv)", size, sv->root);
			return size;
		}
	}
out_config:
	if (facts && facts->page_shift) {
		size = UINT64_C(1) << facts->page_shift;
		kx_debug("page size 0x%" PRIx64 ": the kernel config's (%s=%u in %s)", size,
			 facts->page_shift_option, facts->page_shift, facts->source);
		return size;
	}
	kx_debug("page size 0x%" PRIx64 ": the default of %s (no recorded auxv, no kernel config stating it)",
		 arch->page_size, arch->name);
	return arch->page_size;
}

int slurp_decompress_file(const uint8_t *buf, size_t len, const char *name, uint8_t **out,
			  size_t *outlen)
{
	enum kx_comp comp = kx_comp_detect(buf, len);
	int ret;

	*out = NULL;
	*outlen = 0;
	if (comp != KX_COMP_GZIP && comp != KX_COMP_XZ && comp != KX_COMP_ZSTD)
		return 0;
	ret = kx_decompress(buf, len, name, KERNEL_DECOMPRESSED_MAX, out, outlen);
	if (ret)
		return ret;
	kx_debug("%s: a %s stream, 0x%zx bytes decompressed to 0x%zx", name, kx_comp_name(comp),
		 len, *outlen);
	return 0;
}
