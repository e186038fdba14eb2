/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the libFuzzer harnesses share (tests/fuzz/fuzz-*.c). */
#ifndef UKEXEC_FUZZ_COMMON_H
#define UKEXEC_FUZZ_COMMON_H
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include "arch.h"
#include "kexec_file.h"
#include "log.h"
#include "plan.h"
#include "profile.h"
#include "purgatory.h"
#include "request.h"

/* the loaders' one-line refusals are expected: not printed */
static inline void fuzz_quiet(enum kx_level level, const char *msg, void *arg)
{
	(void)level;
	(void)msg;
	(void)arg;
}

/* the harnesses do not hash plans of megabytes of zeros (kexec_inputs.digest_max_memsz) */
#define FUZZ_DIGEST_MAX_MEMSZ ((4u << 20) - 1)

/*
 * One load of data as the kernel image through the tool's pipeline
 * (kexec_file_plan), with a small initrd, cmdline and --dtb (NULL: none), on
 * the machine sv; pi (NULL: none) is opened and released by the caller.
 */
static inline void fuzz_plan(const struct arch *arch, const struct sysview *sv,
			     const char *profile, bool crash, struct purgatory_info *pi,
			     const char *cmdline, const uint8_t *data, size_t size,
			     const uint8_t *dtb, size_t dtb_len)
{
	static const uint8_t initrd[5000] = { 1 };
	struct kexec_inputs in;
	struct request req;
	struct plan plan;

	memset(&req, 0, sizeof(req));
	/* an x86_64 vmlinux gets past its loader's argument check */
	req.arch_opts[0].name = "args-linux";
	req.arch_opts[0].arch_only = true;
	req.nr_arch_opts = 1;
	memset(&in, 0, sizeof(in));
	in.req = &req;
	in.kernel_name = "fuzz";
	in.kernel = data;
	in.kernel_len = size;
	in.initrd_name = "initrd";
	in.initrd = initrd;
	in.initrd_len = sizeof(initrd);
	in.cmdline = cmdline;
	in.cmdline_len = strlen(cmdline) + 1;
	in.dtb = dtb;
	in.dtb_len = dtb_len;
	in.pi = pi;
	in.digest_max_memsz = FUZZ_DIGEST_MAX_MEMSZ;
	plan_init(&plan, arch, sv, profile_find(arch->name, profile), crash);
	kexec_file_plan(&plan, &in);
	plan_release(&plan);
}
#endif
