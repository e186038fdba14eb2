// SPDX-License-Identifier: GPL-2.0-or-later
/* kexec_calculate_store_digests() of kernel/kexec_file.c, in userspace. */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <string.h>
#include "byteorder.h"
#include "arch.h"
#include "digest.h"
#include "log.h"
#include "plan.h"
#include "profile.h"
#include "purgatory.h"
#include "sha256.h"

int kexec_calculate_store_digests(struct plan *plan, bool skip_checks)
{
	uint8_t regions[KEXEC_SEGMENT_MAX * KEXEC_SHA_REGION_WORDS * 8];
	uint8_t digest[SHA256_DIGEST_SIZE];
	struct purgatory_info *pi = plan->pi;
	struct sha256_state sctx;
	bool hotplug, skip_bug;
	unsigned int i, j;
	int ret;

	if (!pi)
		return 0;	/* nothing will check the segments */
	if (skip_checks) {
		uint8_t one = 1;

		/* only our purgatory can be told; the kernel's always checks */
		if (kexec_purgatory_has_symbol(pi, "purgatory_skip_checks"))
			return kexec_purgatory_get_set_symbol(pi, "purgatory_skip_checks", &one, 1, false);
		kx_debug("%s: no purgatory_skip_checks, computing the digest anyway", pi->name);
	}

	memset(regions, 0, sizeof(regions));
	hotplug = plan_rule(plan, PR_CRASH_HOTPLUG);
	skip_bug = hotplug && plan_rule(plan, PR_DIGEST_SKIP_BUG);
	kx_debug("sha256: %s", sha256_impl_name());
	sha256_init(&sctx);
	for (i = j = 0; i < plan->nr_segments; i++) {
		const struct plan_segment *s = &plan->segment[i];

		/*
		 * hotplug rewrites the ELF core header after the load; 6.6-6.10
		 * compared its index with the count of regions so far, so that
		 * every later segment was left out too
		 */
		if (hotplug && (int)(skip_bug ? j : i) == plan->elfcorehdr_index)
			continue;
		/* the purgatory changes once the digest is stored into it */
		if (s->buf == pi->purgatory_buf)
			continue;
		/* plan_sanity_check() refuses such a plan first, as the kernel does */
		if (s->bufsz > s->memsz) {
			kx_error("%s: %zu bytes do not fit its 0x%" PRIx64 "-byte segment", s->what,
				 s->bufsz, s->memsz);
			return -EINVAL;
		}
		sha256_update(&sctx, s->buf, s->bufsz);
		sha256_update_zeros(&sctx, s->memsz - s->bufsz);
		elf_put64(plan->arch->ei_data, regions + 16 * j, s->mem);
		elf_put64(plan->arch->ei_data, regions + 16 * j + 8, s->memsz);
		j++;
	}
	sha256_final(&sctx, digest);

	ret = kexec_purgatory_get_set_symbol(pi, "purgatory_sha_regions", regions, sizeof(regions), false);
	if (ret)
		return ret;
	return kexec_purgatory_get_set_symbol(pi, "purgatory_sha256_digest", digest, sizeof(digest), false);
}
