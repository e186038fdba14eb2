/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the libFuzzer harnesses share (tests/fuzz/fuzz-*.c). */
#ifndef UKEXEC_FUZZ_COMMON_H
#define UKEXEC_FUZZ_COMMON_H
#include <stdint.h>
#include "log.h"

/* the loaders' one-line refusals are expected: not printed */
static inline void fuzz_quiet(enum kx_level level, const char *msg, void *arg)
{
	(void)level;
	(void)msg;
	(void)arg;
}

/* the harnesses do not hash plans of megabytes of zeros (kexec_inputs.digest_max_memsz) */
#define FUZZ_DIGEST_MAX_MEMSZ ((4u << 20) - 1)
#endif
