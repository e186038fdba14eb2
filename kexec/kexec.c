// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ukexec: main and the actions. A load computes the plan kexec_file_load
 * would compute, checks it as the kernel would, and hands it to a backend:
 * kexec_load, or the dry run (print, dump).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include "arch.h"
#include "backend.h"
#include "compare.h"
#include "config.h"
#include "digest.h"
#include "file.h"
#include "kexec-abi.h"
#include "kexec_file.h"
#include "log.h"
#include "plan.h"
#include "profile.h"
#include "purgatory.h"
#include "request.h"
#include "resource.h"
#include "sysview.h"

/* Everything a userspace load holds until the syscall is done. */
struct load_ctx {
	struct sysview sv;
	struct kx_file kernel, initrd, dtb, purgatory_src;
	uint8_t *kernel_decompressed;	/* the kernel file, when it is one compressed stream */
	uint8_t *purgatory_obj;		/* extracted from a kernel image */
	struct purgatory_info pi;
	struct kernel_facts facts;
	struct plan plan;
};

/*
 * Remove the first "name" or "name=..." word from a command line: kexec-tools
 * removes one, so with crashkernel=X,high and crashkernel=Y,low the ,low word
 * stays (the kdump kernel ignores it without a ,high one).
 */
static void remove_parameter(char *line, const char *name)
{
	size_t nlen = strlen(name);
	char *p = line;

	while (*p) {
		char *word = p, *end;

		while (*word == ' ')
			word++;
		end = word;
		while (*end && *end != ' ')
			end++;
		if (!strncmp(word, name, nlen) && (word[nlen] == '=' || word + nlen == end)) {
			while (*end == ' ')
				end++;
			memmove(word, end, strlen(end) + 1);
			break;
		}
		p = end;
	}
	/* trailing blanks left by a removed last word */
	for (p = line + strlen(line); p > line && p[-1] == ' '; p--)
		p[-1] = '\0';
}

static int build_cmdline(struct request *req, const struct sysview *sv)
{
	char *base = NULL, *line;
	size_t len;
	int ret;

	if (req->reuse_cmdline) {
		ret = sysview_read_text(sv, "/proc/cmdline", &base);
		if (ret) {
			kx_error("%s/proc/cmdline: %s", sv->root, sysview_strerror(ret));
			return ret;
		}
		remove_parameter(base, "BOOT_IMAGE");
		if (req->crash)
			remove_parameter(base, "crashkernel");
	}
	if (!base && !req->append)
		return 0;
	len = (base ? strlen(base) : 0) + (req->append ? strlen(req->append) : 0) + 2;
	line = malloc(len);
	if (!line) {
		free(base);
		kx_error("out of memory");
		return -ENOMEM;
	}
	snprintf(line, len, "%s%s%s", base ? base : "", base && req->append ? " " : "",
		 req->append ? req->append : "");
	free(base);
	req->cmdline = line;
	return 0;
}

static int open_purgatory(struct load_ctx *ctx, const struct request *req, const struct arch *arch)
{
	const uint8_t *obj;
	size_t len;
	const char *name;
	int ret;

	if (req->purgatory_file) {
		ret = kx_file_open(&ctx->purgatory_src, req->purgatory_file);
		if (ret)
			return ret;
		obj = ctx->purgatory_src.data;
		len = ctx->purgatory_src.size;
		name = req->purgatory_file;
	} else if (req->purgatory_from) {
		if (!arch->purgatory_from) {
			kx_error("--purgatory-from=%s: ukexec cannot take the purgatory of a %s kernel; give --purgatory=FILE",
				 req->purgatory_from, arch->name);
			return -EOPNOTSUPP;
		}
		ret = kx_file_open(&ctx->purgatory_src, req->purgatory_from);
		if (ret)
			return ret;
		ret = arch->purgatory_from(ctx->purgatory_src.data, ctx->purgatory_src.size,
					   req->purgatory_from, &ctx->purgatory_obj, &len);
		if (ret)
			return ret;
		obj = ctx->purgatory_obj;
		name = req->purgatory_from;
	} else {
		if (arch_embedded_purgatory(arch, &obj, &len)) {
			kx_error("no purgatory for %s is built into this kexec: give --purgatory=FILE",
				 arch->name);
			return -ENOENT;
		}
		name = "embedded purgatory";
	}
	return purgatory_open(&ctx->pi, arch, obj, len, name);
}

/*
 * A dry run may plan without our purgatory where the kernel's plan has none
 * (arm64): only the purgatory segment is missing then.
 */
static bool no_purgatory_for_dry_run(const struct request *req, const struct arch *arch)
{
	const uint8_t *obj;
	size_t len;

	return req->dry_run && !arch->file_has_purgatory && !req->purgatory_file &&
	       !req->purgatory_from && arch_embedded_purgatory(arch, &obj, &len);
}

static void debug_sysview(const struct sysview *sv)
{
	size_t i;

	if (!kx_debug_enabled())
		return;
	kx_debug("system view: %s (kernel %s)", *sv->root ? sv->root : "live system",
		 *sv->osrelease ? sv->osrelease : "unknown");
	kx_debug("memory map (/proc/iomem):");
	for (i = 0; i < sv->nr_iomem; i++)
		kx_debug("  %*s%016" PRIx64 "-%016" PRIx64 " : %s", 2 * sv->iomem[i].depth, "",
			 sv->iomem[i].start, sv->iomem[i].end, sv->iomem[i].name);
	for (i = 0; i < sv->nr_memmap; i++)
		kx_debug("  firmware memmap: %016" PRIx64 "-%016" PRIx64 " %s",
			 sv->memmap[i].start, sv->memmap[i].end, sv->memmap[i].type);
}

static const struct arch_option *find_arch_option(const struct arch *arch, const char *name)
{
	const struct arch_option *o;

	for (o = arch->options; o && o->name; o++)
		if (!strcmp(o->name, name))
			return o;
	return NULL;
}

static bool req_has_mem_range(const struct request *req)
{
	return req->mem_min || req->mem_max != UINT64_MAX;
}

/*
 * Options kexec_file_load has no argument for: with them a load is the
 * userspace variant through kexec_load. NULL when the kernel's loader can
 * do what is asked.
 */
static const char *needs_kexec_load(const struct request *req)
{
	const struct arch *arch = req->arch ? arch_find(req->arch) : arch_native();
	const struct kexec_file_ops *const *ops;
	static char option[64];
	unsigned int i;

	for (ops = arch ? arch->file_ops : NULL; ops && *ops && req->type; ops++) {
		if (!strcmp((*ops)->name, req->type) && (*ops)->userspace_only) {
			snprintf(option, sizeof(option), "-t %s", req->type);
			return option;
		}
	}
	for (i = 0; arch && i < req->nr_arch_opts; i++) {
		const struct arch_option *o = find_arch_option(arch, req->arch_opts[i].name);

		if (o && (o->kind == ARCH_OPTION_VARIANT || o->kind == ARCH_OPTION_LOAD_VARIANT)) {
			snprintf(option, sizeof(option), "--%s", o->name);
			return option;
		}
	}
	if (req->preserve_context)
		return "--load-preserve-context";
	if (req_has_mem_range(req))
		return "--mem-min/--mem-max";
	if (req->entry)
		return "--entry";
	return NULL;
}

static int check_mem_range(const struct plan *plan, const struct request *req)
{
	unsigned int i;

	for (i = 0; i < plan->nr_segments; i++) {
		const struct plan_segment *s = &plan->segment[i];

		if (s->mem < req->mem_min || s->mem + s->memsz - 1 > req->mem_max) {
			kx_error("%s at 0x%" PRIx64 "-0x%" PRIx64 " is outside --mem-min/--mem-max",
				 s->what, s->mem, s->mem + s->memsz - 1);
			return -EADDRNOTAVAIL;
		}
	}
	return 0;
}

/*
 * kexec-tools' check_reuse_initrd(): --reuseinitrd needs a running kernel
 * booted with retain_initrd (anywhere in its command line), which kept its
 * initrd in memory; and no --initrd (its ppc64 loader dies on both).
 */
static int check_reuse_initrd(const struct request *req, const struct sysview *sv)
{
	char *cmdline;
	bool retained;
	int ret;

	if (req->initrd) {
		kx_error("--reuseinitrd: --initrd=%s given too: the new kernel gets the initrd retained in memory or a file, not both",
			 req->initrd);
		return -EINVAL;
	}
	ret = sysview_read_text(sv, "/proc/cmdline", &cmdline);
	if (ret) {
		kx_error("--reuseinitrd: %s/proc/cmdline: %s", sv->root, sysview_strerror(ret));
		return ret;
	}
	retained = strstr(cmdline, "retain_initrd");
	free(cmdline);
	if (!retained) {
		kx_error("--reuseinitrd: %s/proc/cmdline has no retain_initrd: the running kernel did not keep its initrd in memory",
			 sv->root);
		return -EINVAL;
	}
	return 0;
}

/* Compute and check the plan: everything kexec_file_load does, in userspace. */
static int build_plan(struct load_ctx *ctx, struct request *req)
{
	const struct profile *profile;
	const struct arch *arch;
	struct kexec_inputs in;
	const uint8_t *kernel;
	size_t kernel_len;
	bool need_purgatory;
	int ret;

	arch = req->arch ? arch_find(req->arch) : arch_native();
	if (!arch) {
		kx_error("--arch=%s: unknown architecture (x86_64, s390x, ppc64, arm64)", req->arch);
		return -EINVAL;
	}
	ret = sysview_open(&ctx->sv, req->sysroot);
	if (ret)
		return ret;
	debug_sysview(&ctx->sv);
	if (req->profile) {
		profile = profile_find(arch->name, req->profile);
		if (!profile) {
			kx_error("--kexec-file-profile=%s: unknown kernel version for %s", req->profile,
				 arch->name);
			return -EINVAL;
		}
	} else {
		profile = profile_select(arch->name, profile_kver(&ctx->sv));
	}
	if (profile)
		kx_debug("kexec_file profile: %s %s (rules of %u.%u.%u)", profile->arch, profile->name,
			 profile->kver >> 16, (profile->kver >> 8) & 0xff, profile->kver & 0xff);
	else
		kx_debug("kexec_file profile: none for %s", arch->name);
	ret = kernel_facts_read(&ctx->facts, &ctx->sv, req->kernel_config, profile);
	if (ret)
		return ret;
	profile_report(profile, &ctx->facts, req->crash);

	if (req->reuse_initrd) {
		ret = check_reuse_initrd(req, &ctx->sv);
		if (ret)
			goto die;
	}
	ret = build_cmdline(req, &ctx->sv);
	if (ret)
		return ret;
	ret = kx_file_open(&ctx->kernel, req->kernel);
	if (ret)
		goto die;
	ret = slurp_decompress_file(ctx->kernel.data, ctx->kernel.size, req->kernel,
				    &ctx->kernel_decompressed, &kernel_len);
	if (ret)
		return ret;
	kernel = ctx->kernel_decompressed;
	if (!kernel) {
		kernel = ctx->kernel.data;
		kernel_len = ctx->kernel.size;
	}
	if (req->initrd) {
		ret = kx_file_open(&ctx->initrd, req->initrd);
		if (ret)
			goto die;
	}
	if (req->dtb) {
		ret = kx_file_open(&ctx->dtb, req->dtb);
		if (ret)
			goto die;
	}
	/*
	 * The kernel's purgatory is built in, so ours is opened before the
	 * pipeline probes the image; an arch without loaders has nothing to
	 * open it for (the probe says so).
	 */
	need_purgatory = arch->load_needs_purgatory && arch->file_ops[0];
	if (need_purgatory && no_purgatory_for_dry_run(req, arch)) {
		kx_debug("dry run: no %s purgatory built in or given; the plan is the kernel's alone",
			 arch->name);
		need_purgatory = false;
	}
	if (need_purgatory) {
		ret = open_purgatory(ctx, req, arch);
		if (ret)
			return ret;
	}

	memset(&in, 0, sizeof(in));
	in.req = req;
	in.kernel_name = req->kernel;
	in.kernel = kernel;
	in.kernel_len = kernel_len;
	in.initrd_name = req->initrd;
	in.initrd = ctx->initrd.data;
	in.initrd_len = ctx->initrd.size;
	in.cmdline = req->cmdline ? req->cmdline : "";
	in.cmdline_len = req->cmdline ? strlen(req->cmdline) + 1 : 0;
	in.dtb = ctx->dtb.data;
	in.dtb_len = ctx->dtb.size;
	in.pi = need_purgatory ? &ctx->pi : NULL;

	plan_init(&ctx->plan, arch, &ctx->sv, profile, req->crash);
	ctx->plan.page_size = kexec_page_size(arch, &ctx->sv, &ctx->facts);
	if (!ctx->plan.page_size)
		return -EINVAL;
	if (req_has_mem_range(req)) {
		ctx->plan.mem_min = req->mem_min;
		ctx->plan.mem_max = req->mem_max;
		plan_note_variant(&ctx->plan, "--mem-min/--mem-max: every segment is placed inside the range, as kexec-tools does");
	}
	if (req->preserve_context) {
		ctx->plan.flags |= KEXEC_PRESERVE_CONTEXT;
		plan_note_variant(&ctx->plan, "--load-preserve-context: KEXEC_PRESERVE_CONTEXT, with the rest of the range's System RAM in backup segments, as kexec-tools does");
	}
	ctx->plan.facts = &ctx->facts;
	if (req->crash && plan_rule(&ctx->plan, PR_CRASH_HOTPLUG)) {
		ctx->plan.crash_hotplug_phdrs = kernel_facts_crash_hotplug_phdrs(&ctx->facts);
		kx_debug("crash hotplug: room for %u program headers", ctx->plan.crash_hotplug_phdrs);
	}
	ret = kexec_file_plan(&ctx->plan, &in);
	if (!ret)
		ret = check_mem_range(&ctx->plan, req);
	if (!ret && req->entry) {
		kx_debug("--entry: 0x%" PRIx64 " instead of the plan's 0x%" PRIx64, req->entry,
			 ctx->plan.entry);
		ctx->plan.entry = req->entry;
		plan_note_variant(&ctx->plan, "--entry: the entry is the given address, as kexec-tools does");
	}
	/* kexec-tools dies when locate_hole() or add_segment() finds no room in the range */
	if (ret == -EADDRNOTAVAIL && req_has_mem_range(req))
		req->exit_code = KX_EXIT_DIE;
	if (ret && ctx->plan.unreadable_input)
		goto die;
	return ret;
die:
	/* kexec-tools' slurp_file() dies on a file it cannot read */
	req->exit_code = KX_EXIT_DIE;
	return ret;
}

static void release_load_ctx(struct load_ctx *ctx)
{
	plan_release(&ctx->plan);
	purgatory_release(&ctx->pi);
	free(ctx->purgatory_obj);
	free(ctx->kernel_decompressed);
	kx_file_close(&ctx->purgatory_src);
	kx_file_close(&ctx->dtb);
	kx_file_close(&ctx->initrd);
	kx_file_close(&ctx->kernel);
	sysview_close(&ctx->sv);
}

/*
 * kexec --compare: ukexec's plan (with KERNEL's purgatory unless one is
 * given), then the kernel's own through compare_with_kernel().
 */
static int do_compare(struct request *req)
{
	struct load_ctx *ctx;
	int ret;

	if (!req->purgatory_file && !req->purgatory_from) {
		req->purgatory_from = req->kernel;
		kx_debug("--compare: the purgatory of %s, as the kernel's loader uses its own", req->kernel);
	}
	ctx = calloc(1, sizeof(*ctx));
	if (!ctx) {
		kx_error("out of memory");
		return -ENOMEM;
	}
	ctx->kernel.fd = ctx->initrd.fd = ctx->dtb.fd = ctx->purgatory_src.fd = -1;
	ret = build_plan(ctx, req);
	if (!ret) {
		ret = compare_with_kernel(req, &ctx->plan, ctx->kernel.fd,
					  req->initrd ? ctx->initrd.fd : -1);
		if (ret == 1)
			req->exit_code = KX_EXIT_DIE;
	}
	release_load_ctx(ctx);
	free(ctx);
	return ret;
}

static int load_userspace(struct request *req)
{
	struct load_ctx *ctx;
	int ret;

	ctx = calloc(1, sizeof(*ctx));
	if (!ctx) {
		kx_error("out of memory");
		return -ENOMEM;
	}
	ctx->kernel.fd = ctx->initrd.fd = ctx->dtb.fd = ctx->purgatory_src.fd = -1;
	ret = build_plan(ctx, req);
	if (ret)
		goto out_release;
	/* the dump first: a refused --dump-plan prints no plan */
	if (req->dump_dir) {
		ret = plan_dump(&ctx->plan, req->dump_dir);
		if (ret)
			goto out_release;
	}
	if (req->print_plan || kx_debug_enabled())
		plan_print(&ctx->plan, req->print_plan ? stdout : stderr);
	if (req->dry_run) {
		kx_debug("dry run: kexec_load not called");
		goto out_release;
	}
	kx_debug("kexec_load: %u segments, entry 0x%" PRIx64, ctx->plan.nr_segments, ctx->plan.entry);
	ret = sys_kexec_load(&ctx->plan, 0);
	if (ret == -EINVAL && (ctx->plan.flags & KEXEC_PRESERVE_CONTEXT))
		kx_error("kexec_load of %s failed: %s (KEXEC_PRESERVE_CONTEXT needs a kernel with CONFIG_KEXEC_JUMP)",
			 req->kernel, backend_explain("kexec_load", ret));
	else if (ret)
		kx_error("kexec_load of %s failed: %s", req->kernel, backend_explain("kexec_load", ret));
out_release:
	release_load_ctx(ctx);
	free(ctx);
	return ret;
}

/* kexec_file_load failed with err: may the userspace plan try instead? */
static int file_load_may_fall_back(int err)
{
	switch (-err) {
	case ENOSYS:		/* kernel without CONFIG_KEXEC_FILE */
	case EINVAL:		/* the kernel's parser refused the image or an option */
	case ENOEXEC:		/* no in-kernel loader for this format */
	case EOPNOTSUPP:
		return 1;
	default:		/* signature and policy refusals must stand */
		return 0;
	}
}

/* The flags kexec_file_load is called with, by name, for a dry run. */
static void print_file_load_call(const struct request *req, unsigned long flags)
{
	static const struct {
		unsigned long flag;
		const char *name;
	} names[] = {
		{ KEXEC_FILE_UNLOAD, "KEXEC_FILE_UNLOAD" },
		{ KEXEC_FILE_ON_CRASH, "KEXEC_FILE_ON_CRASH" },
		{ KEXEC_FILE_NO_INITRAMFS, "KEXEC_FILE_NO_INITRAMFS" },
		{ KEXEC_FILE_DEBUG, "KEXEC_FILE_DEBUG" },
	};
	const char *sep = "";
	size_t i;

	printf("kexec_file_load(kernel_fd=<%s>, initrd_fd=", req->kernel);
	if (req->initrd)
		printf("<%s>", req->initrd);
	else
		printf("-1");
	if (req->cmdline)
		printf(", cmdline_len=%zu, cmdline=\"%s\", flags=", strlen(req->cmdline) + 1,
		       req->cmdline);
	else
		printf(", cmdline_len=0, cmdline=NULL, flags=");
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (flags & names[i].flag) {
			printf("%s%s", sep, names[i].name);
			sep = "|";
		}
	}
	printf("%s)\n", *sep ? "" : "0");
}

/*
 * kexec_file_load with the request's files (a dry run prints the call).
 * Reports its failure itself unless the caller may still fall back to the
 * userspace plan.
 */
static int load_file_syscall(struct request *req, bool may_fall_back)
{
	struct kx_file kernel, initrd;
	unsigned long flags = 0;
	struct sysview sv;
	int ret;

	/* a real load reads the running kernel's /proc/cmdline, a dry run the sysroot's */
	memset(&sv, 0, sizeof(sv));
	if (req->dry_run) {
		ret = sysview_open(&sv, req->sysroot);
		if (ret)
			return ret;
	}
	ret = build_cmdline(req, &sv);
	if (req->dry_run)
		sysview_close(&sv);
	if (ret)
		return ret;
	ret = kx_file_open(&kernel, req->kernel);
	if (ret) {
		/* under -s kexec-tools' open() fails with -1; otherwise slurp_file() dies */
		if (req->policy != SYSCALL_FILE)
			req->exit_code = KX_EXIT_DIE;
		return ret;
	}
	initrd.fd = -1;
	if (req->initrd) {
		ret = kx_file_open(&initrd, req->initrd);
		if (ret)
			goto out_kernel;
	} else {
		flags |= KEXEC_FILE_NO_INITRAMFS;
	}
	if (req->crash)
		flags |= KEXEC_FILE_ON_CRASH;
	if (req->debug)
		flags |= KEXEC_FILE_DEBUG;
	if (req->dry_run) {
		print_file_load_call(req, flags);
		ret = 0;
		goto out_initrd;
	}
	ret = sys_kexec_file_load(kernel.fd, initrd.fd, req->cmdline, flags);
	if (ret == -EINVAL && (flags & KEXEC_FILE_DEBUG)) {
		/* kernels before 6.7 do not know KEXEC_FILE_DEBUG */
		ret = sys_kexec_file_load(kernel.fd, initrd.fd, req->cmdline, flags & ~KEXEC_FILE_DEBUG);
	}
	if (ret && !(may_fall_back && file_load_may_fall_back(ret)))
		kx_error("kexec_file_load of %s failed: %s", req->kernel,
			 backend_explain("kexec_file_load", ret));
out_initrd:
	if (req->initrd)
		kx_file_close(&initrd);
out_kernel:
	kx_file_close(&kernel);
	return ret;
}

/*
 * The crash region the arch's crash_region hook finds on the request's
 * machine (the "Crash kernel" resource for an arch without the hook): -ENOENT
 * without one (no message), -ENOSYS for an unknown --arch.
 */
static int find_crash_region(const struct request *req, const struct arch *arch,
			     struct kexec_mem_range *crashk)
{
	struct sysview sv;
	struct plan plan;
	int ret;

	if (!arch)
		return -ENOSYS;
	ret = sysview_open(&sv, req->sysroot);
	if (ret)
		return ret;
	plan_init(&plan, arch, &sv, NULL, true);
	ret = arch->crash_region ? arch->crash_region(&plan, crashk) :
				   resource_crash_region(&plan, crashk);
	plan_release(&plan);
	sysview_close(&sv);
	return ret;
}

/* kexec-tools' is_crashkernel_mem_reserved(), checked before any load */
static int check_crash_region(struct request *req)
{
	const struct arch *arch = req->arch ? arch_find(req->arch) : arch_native();
	struct kexec_mem_range crashk;
	int ret;

	ret = find_crash_region(req, arch, &crashk);
	/* an unknown --arch is reported by the plan */
	if (ret == -ENOSYS)
		return 0;
	if (ret == -ENOENT) {
		kx_error("kdump: no %s (boot with crashkernel=)",
			 arch->crash_region_source ? arch->crash_region_source : RESOURCE_CRASH_SOURCE);
		req->exit_code = KX_EXIT_DIE;
	}
	return ret;
}

static int do_load(struct request *req)
{
	const char *option;
	int ret;

	if (req->crash) {
		ret = check_crash_region(req);
		if (ret)
			return ret;
	}

	if (req->compare)
		return do_compare(req);
	option = needs_kexec_load(req);
	if (option && req->policy == SYSCALL_FILE)
		kx_debug("%s: ignored by kexec_file_load (-s), as kexec-tools ignores it", option);
	if (req->dry_run && req->policy == SYSCALL_FILE)
		return load_file_syscall(req, false);
	if (option && req->policy == SYSCALL_AUTO) {
		kx_debug("%s: kexec_file_load has no such argument; using the userspace plan and kexec_load",
			 option);
		return load_userspace(req);
	}
	if (req->policy != SYSCALL_LOAD && !req->dry_run) {
		bool auto_policy = req->policy == SYSCALL_AUTO;

		ret = load_file_syscall(req, auto_policy);
		if (!ret) {
			kx_debug("loaded with kexec_file_load");
			return 0;
		}
		if (!auto_policy || !file_load_may_fall_back(ret)) {
			/* kexec-tools: EFALLBACK, the kernel did not take the image */
			if (!auto_policy && file_load_may_fall_back(ret))
				req->exit_code = KX_EXIT_FALLBACK;
			return ret;
		}
		kx_debug("kexec_file_load: %s; falling back to the userspace plan and kexec_load",
			 ret == -ENOSYS ? "the running kernel has none (built without CONFIG_KEXEC_FILE)" :
			 backend_explain("kexec_file_load", ret));
		free(req->cmdline);
		req->cmdline = NULL;
	}
	return load_userspace(req);
}

static int do_unload(struct request *req)
{
	int ret;

	if (req->policy != SYSCALL_LOAD) {
		ret = sys_kexec_file_load(-1, -1, NULL,
					  KEXEC_FILE_UNLOAD | (req->crash ? KEXEC_FILE_ON_CRASH : 0));
		if (!ret || req->policy == SYSCALL_FILE || ret != -ENOSYS) {
			if (ret)
				kx_error("unload failed: %s", backend_explain("kexec_file_load", ret));
			/* kexec-tools: EFALLBACK, as for a load under -s */
			if (ret == -ENOSYS)
				req->exit_code = KX_EXIT_FALLBACK;
			return ret;
		}
	}
	ret = sys_kexec_unload((req->crash ? KEXEC_ON_CRASH : 0) | arch_native()->kexec_arch);
	if (ret)
		kx_error("unload failed: %s", backend_explain("kexec_load", ret));
	return ret;
}

/* /sys/kernel/kexec_loaded or kexec_crash_loaded under sv: 1, 0 or -errno */
static int read_flag_file(const struct sysview *sv, const char *path)
{
	char *text;
	int ret;

	ret = sysview_read_text(sv, path, &text);
	if (ret)
		return ret;
	ret = text[0] == '1';
	free(text);
	return ret;
}

/* Bring network interfaces down, as kexec-tools does before -e. */
static void ifdown(void)
{
	struct if_nameindex *ifs, *i;
	int sock;

	sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (sock < 0)
		return;
	ifs = if_nameindex();
	for (i = ifs; i && i->if_name; i++) {
		struct ifreq ifr;

		memset(&ifr, 0, sizeof(ifr));
		snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", i->if_name);
		if (ioctl(sock, SIOCGIFFLAGS, &ifr) || !(ifr.ifr_flags & IFF_UP) ||
		    (ifr.ifr_flags & IFF_LOOPBACK))
			continue;
		ifr.ifr_flags &= ~IFF_UP;
		ioctl(sock, SIOCSIFFLAGS, &ifr);
	}
	if (ifs)
		if_freenameindex(ifs);
	close(sock);
}

static int do_exec(struct request *req)
{
	struct sysview live;
	int ret;

	memset(&live, 0, sizeof(live));
	if (read_flag_file(&live, "/sys/kernel/kexec_loaded") != 1) {
		kx_error("nothing has been loaded: load a kernel with -l first");
		/* kexec-tools dies: "Nothing has been loaded!" */
		req->exit_code = KX_EXIT_DIE;
		return -ENOENT;
	}
	if (!req->no_sync)
		sync();
	if (!req->no_ifdown)
		ifdown();
	ret = sys_reboot_kexec();
	if (!ret) {
		/*
		 * Only a --load-preserve-context image comes back: the kexec'ed
		 * kernel jumped back. kexec-tools treats any return as a
		 * failure (exit 255); so do we, saying what happened.
		 */
		kx_error("-e returned: the kexec'ed kernel jumped back (--load-preserve-context)");
		return -EINTR;
	}
	kx_error("reboot(LINUX_REBOOT_CMD_KEXEC) failed: %s", strerror(-ret));
	return ret;
}

/* The unload calls do_unload() would make, printed; none is made. */
static int dry_run_unload(const struct request *req)
{
	const struct arch *arch = req->arch ? arch_find(req->arch) : arch_native();

	if (req->policy != SYSCALL_LOAD)
		printf("kexec_file_load(kernel_fd=-1, initrd_fd=-1, cmdline_len=0, cmdline=NULL, flags=KEXEC_FILE_UNLOAD%s)\n",
		       req->crash ? "|KEXEC_FILE_ON_CRASH" : "");
	if (req->policy == SYSCALL_AUTO)
		printf("if that fails with ENOSYS: ");
	if (req->policy != SYSCALL_FILE)
		printf("kexec_load(entry=0, nr_segments=0, segments=NULL, flags=0x%x (%sarch %s))\n",
		       (req->crash ? KEXEC_ON_CRASH : 0) | arch->kexec_arch,
		       req->crash ? "KEXEC_ON_CRASH, " : "", arch->name);
	return 0;
}

/*
 * What do_exec() would do: refused the same way when the (recorded) machine
 * has nothing loaded, otherwise the steps printed; nothing is done.
 */
static int dry_run_exec(struct request *req)
{
	char path[4096 + 64];
	struct sysview sv;

	if (sysview_set_root(&sv, req->sysroot))
		return -1;
	if (read_flag_file(&sv, "/sys/kernel/kexec_loaded") != 1) {
		sysview_path(&sv, "/sys/kernel/kexec_loaded", path, sizeof(path));
		kx_error("nothing has been loaded (%s is not 1): load a kernel with -l first", path);
		req->exit_code = KX_EXIT_DIE;
		return -ENOENT;
	}
	if (!req->no_sync)
		printf("sync()\n");
	if (!req->no_ifdown)
		printf("bring the network interfaces down\n");
	printf("reboot(LINUX_REBOOT_CMD_KEXEC)\n");
	return 0;
}

static int do_shutdown(void)
{
	execlp("shutdown", "shutdown", "-r", "now", (char *)NULL);
	kx_error("shutdown: %s", strerror(errno));
	return -errno;
}

/*
 * kexec-tools' my_load_jump_back_helper(): in the kexec'ed kernel, one empty
 * segment and the original kernel's jump-back address, loaded with
 * KEXEC_PRESERVE_CONTEXT; -e then returns to the original kernel.
 * kexec-tools' empty segment is at 0; since 816d334afa85 (v6.8) the kernel's
 * kimage_is_destination_range() takes an empty range at 0 to end at
 * ULONG_MAX, every page is a destination and the load fails with ENOMEM.
 * An empty segment at the entry's page is empty on every kernel.
 */
static int do_load_jump_back_helper(struct request *req)
{
	char path[4096 + 64];
	struct sysview sv;
	struct plan plan;
	int ret;

	if (sysview_set_root(&sv, req->sysroot))
		return -1;
	sysview_path(&sv, "/sys/kernel/kexec_loaded", path, sizeof(path));
	if (read_flag_file(&sv, "/sys/kernel/kexec_loaded") == 1) {
		kx_error("--load-jump-back-helper: a kernel is loaded (%s): the helper is loaded in the kexec'ed kernel, which has none",
			 path);
		return -EBUSY;
	}
	if (!req->entry) {
		kx_error("--load-jump-back-helper needs --entry=ADDR, the kexec_jump_back_entry= the original kernel passed");
		return -EINVAL;
	}
	plan_init(&plan, req->arch ? arch_find(req->arch) : arch_native(), NULL, NULL, false);
	plan.nr_segments = 1;
	plan.segment[0].what = "jump-back helper";
	plan.segment[0].mem = req->entry & ~(plan.page_size - 1);
	plan.entry = req->entry;
	plan.flags = KEXEC_PRESERVE_CONTEXT;
	plan_note_variant(&plan, "--load-jump-back-helper: one empty segment (at the entry's page; kexec-tools' at 0 fails from 6.8 on) and the jump-back entry");
	if (req->print_plan || kx_debug_enabled())
		plan_print(&plan, req->print_plan ? stdout : stderr);
	if (req->dry_run) {
		kx_debug("dry run: kexec_load not called");
		return 0;
	}
	/* kexec-tools syncs and brings the interfaces down before it loads the helper */
	if (!req->no_sync)
		sync();
	if (!req->no_ifdown)
		ifdown();
	ret = sys_kexec_load(&plan, 0);
	if (ret)
		kx_error("kexec_load of the jump-back helper failed: %s",
			 backend_explain("kexec_load", ret));
	return ret;
}

static int do_status(const struct request *req, const char *sysroot)
{
	const char *path = req->crash ? "/sys/kernel/kexec_crash_loaded" : "/sys/kernel/kexec_loaded";
	char full[4096 + 64];
	struct sysview sv;
	int loaded;

	if (sysview_set_root(&sv, sysroot))
		return -1;
	loaded = read_flag_file(&sv, path);
	if (loaded < 0) {
		sysview_path(&sv, path, full, sizeof(full));
		kx_error("%s: %s", full, sysview_strerror(loaded));
		return -1;
	}
	/* kexec-tools: exit 1 if loaded, 0 if not */
	return loaded;
}

/*
 * kexec-tools prints get_crash_kernel_load_range(): with crashkernel=X,high
 * and ,low that is the high region, the one the kdump kernel is loaded in.
 */
static int do_print_ckr_size(const struct request *req)
{
	struct kexec_mem_range crashk;
	int ret;

	ret = find_crash_region(req, req->arch ? arch_find(req->arch) : arch_native(), &crashk);
	if (ret == -ENOENT || ret == -ENOSYS) {
		printf("0\n");
		return 0;
	}
	if (ret)
		return ret;
	printf("%" PRIu64 "\n", crashk.end - crashk.start + 1);
	return 0;
}

static bool is_loader_option(const struct arch *arch, const char *name)
{
	const char *const *o;

	for (o = arch->loader_options; o && *o; o++)
		if (!strcmp(*o, name))
			return true;
	return false;
}

/* kexec-tools' main() sets do_load = 0 for these; -f, -p and a bare KERNEL load. */
static const char *action_loading_nothing(const struct request *req)
{
	switch (req->action) {
	case ACTION_UNLOAD:
		return "-u";
	case ACTION_EXEC:
		return "-e";
	case ACTION_STATUS:
		return "-S";
	case ACTION_JUMP_BACK_HELPER:
		return "--load-jump-back-helper";
	default:
		return NULL;
	}
}

/*
 * The options whose meaning depends on the architecture, read as kexec-tools
 * for that architecture reads them: its own options accepted (-d says why
 * they change nothing), checked or refused; another arch's refused.
 */
static int check_arch_options(const struct request *req)
{
	const struct arch *arch = req->arch ? arch_find(req->arch) : arch_native();
	const char *no_load = action_loading_nothing(req);
	unsigned int i;
	int ret;

	if (!arch) {
		/* before any action: -u, -e and --print-ckr-size have no plan to report it */
		kx_error("--arch=%s: unknown architecture (x86_64, s390x, ppc64, arm64)", req->arch);
		return KX_EXIT_FAILED;
	}
	for (i = 0; i < req->nr_arch_opts; i++) {
		const struct request_option *used = &req->arch_opts[i];
		const struct arch_option *o = find_arch_option(arch, used->name);

		if (!o && !strcmp(used->name, "reuseinitrd")) {
			kx_error("--reuseinitrd: reusing the first boot's initrd is not implemented for %s (kexec-tools' arch_reuse_initrd() dies there too); give --initrd=FILE",
				 arch->name);
			return KX_EXIT_DIE;
		}
		if (!o && used->arch_only) {
			kx_error("--%s: not an option of kexec-tools for %s", used->name, arch->name);
			return KX_EXIT_DIE;
		}
		/* kexec-tools' "Check for bogus options": a loader's option, nothing to load */
		if (no_load && is_loader_option(arch, used->name)) {
			kx_error("--%s: an option of the %s image loaders, which %s does not use (kexec-tools refuses it too)",
				 used->name, arch->name, no_load);
			return KX_EXIT_DIE;
		}
		if (!o)
			continue;
		if (o->kind == ARCH_OPTION_REFUSED) {
			kx_error("--%s: %s", used->name, o->why);
			return KX_EXIT_DIE;
		}
		if (o->kind == ARCH_OPTION_LOAD_VARIANT) {
			if (req->policy == SYSCALL_FILE) {
				kx_error("--%s: %s", used->name, o->why);
				return KX_EXIT_DIE;
			}
			continue;
		}
		if (o->check && used->val) {
			ret = o->check(used->val);
			if (ret)
				return ret;
		}
		if (o->kind == ARCH_OPTION_VARIANT)
			kx_debug("--%s: %s", used->name, o->why);
		else
			kx_debug("--%s: no effect on the in-kernel plan: %s", used->name, o->why);
	}
	return 0;
}

/* The first line of a text file under root, without its newline; "" if unreadable. */
static void read_first_line(const char *root, const char *path, char *line, size_t size)
{
	char full[4096];
	FILE *f;

	*line = '\0';
	snprintf(full, sizeof(full), "%s%s", root ? root : "", path);
	f = fopen(full, "re");
	if (!f)
		return;
	if (fgets(line, (int)size, f))
		line[strcspn(line, "\n")] = '\0';
	else
		*line = '\0';
	fclose(f);
}

#define XENFEAT_DOM0	11	/* Xen's public features.h: "the guest is dom0" */

/*
 * kexec-tools' xen_present(): in a Xen dom0 kexec goes through hypercalls
 * (libxenctrl), which ukexec does not make; a domU kexecs as bare metal.
 * A dom0 says so in /proc/xen/capabilities (xenfs mounted) and, without
 * xenfs (a module in Debian's kernels), in the feature bits Xen hands every
 * guest (/sys/hypervisor/properties/features, hex).
 */
static int check_xen_dom0(const struct request *req)
{
	const char *why = "/proc/xen/capabilities";
	char type[64], caps[256], features[64];
	unsigned long long bits;
	char *end;

	read_first_line(req->sysroot, "/sys/hypervisor/type", type, sizeof(type));
	if (strcmp(type, "xen"))
		return 0;
	read_first_line(req->sysroot, "/proc/xen/capabilities", caps, sizeof(caps));
	if (!strstr(caps, "control_d")) {
		why = "/sys/hypervisor/properties/features";
		read_first_line(req->sysroot, why, features, sizeof(features));
		bits = strtoull(features, &end, 16);
		if (end == features || !(bits & (1ULL << XENFEAT_DOM0)))
			return 0;
	}
	kx_error("%s%s: this is a Xen dom0, where kexec loads through Xen hypercalls; ukexec does not support them (use kexec-tools built with libxenctrl)",
		 req->sysroot ? req->sysroot : "", why);
	return -EOPNOTSUPP;
}

int main(int argc, char **argv)
{
	struct request req;
	int ret;

	ret = options_parse(&req, argc, argv);
	if (ret)
		return ret;
	if (req.action != ACTION_HELP && req.action != ACTION_VERSION) {
		ret = check_arch_options(&req);
		if (ret)
			return ret;
	}
	if (req.action != ACTION_HELP && req.action != ACTION_VERSION &&
	    req.action != ACTION_PRINT_CKR_SIZE && check_xen_dom0(&req))
		return KX_EXIT_DIE;
	switch (req.action) {
	case ACTION_HELP:
		options_usage();
		return 0;
	case ACTION_VERSION:
		printf("ukexec %s (kexec-tools 2.0 compatible)\n", PACKAGE_VERSION);
		return 0;
	case ACTION_STATUS:
		ret = do_status(&req, req.sysroot);
		request_release(&req);
		return ret < 0 ? 255 : ret;
	case ACTION_PRINT_CKR_SIZE:
		ret = do_print_ckr_size(&req);
		break;
	case ACTION_UNLOAD:
		ret = req.dry_run ? dry_run_unload(&req) : do_unload(&req);
		break;
	case ACTION_JUMP_BACK_HELPER:
		ret = do_load_jump_back_helper(&req);
		break;
	case ACTION_EXEC:
		ret = req.dry_run ? dry_run_exec(&req) : do_exec(&req);
		break;
	case ACTION_LOAD:
	case ACTION_LOAD_EXEC:
		ret = do_load(&req);
		if (ret || req.dry_run)
			break;
		if (req.action == ACTION_LOAD_EXEC)
			ret = do_exec(&req);
		else if (req.shutdown)
			ret = do_shutdown();
		break;
	default:
		ret = -EINVAL;
		break;
	}
	request_release(&req);
	fflush(stdout);
	if (!ret)
		return 0;
	return req.exit_code ? req.exit_code : KX_EXIT_FAILED;
}
