/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the libFuzzer harnesses share (tests/fuzz/fuzz-*.c). */
#ifndef UKEXEC_FUZZ_COMMON_H
#define UKEXEC_FUZZ_COMMON_H
#include <stdint.h>
#include "log.h"
#include "plan.h"

/* the loaders' one-line refusals are expected: not printed */
static inline void fuzz_quiet(enum kx_level level, const char *msg, void *arg)
{
	(void)level;
	(void)msg;
	(void)arg;
}

/* what the digest would hash; the harnesses skip plans of megabytes of zeros */
static inline uint64_t plan_total_memsz(const struct plan *plan)
{
	uint64_t sum = 0;
	unsigned int i;

	for (i = 0; i < plan->nr_segments; i++)
		sum += plan->segment[i].memsz;
	return sum;
}
#endif
