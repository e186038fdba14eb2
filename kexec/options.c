// SPDX-License-Identifier: GPL-2.0-or-later
/* The kexec-tools command line, plus ukexec's additions. */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "config.h"
#include "log.h"
#include "request.h"

enum {
	OPT_MEM_MIN = 256,
	OPT_MEM_MAX,
	OPT_REUSE_CMDLINE,
	OPT_APPEND,
	OPT_INITRD,
	OPT_DTB,
	OPT_PRINT_CKR_SIZE,
	OPT_PRESERVE_CONTEXT,
	OPT_JUMP_BACK_HELPER,
	OPT_ENTRY,
	OPT_REUSE_INITRD,
	OPT_DRY_RUN,
	OPT_PRINT_PLAN,
	OPT_DUMP_PLAN,
	OPT_PURGATORY,
	OPT_PURGATORY_FROM,
	OPT_SYSROOT,
	OPT_ARCH,
	OPT_PROFILE,
	OPT_KERNEL_CONFIG,
	OPT_COMPARE,
	OPT_UNSUPPORTED,
	OPT_ARCH_OPTION,	/* the target arch's struct arch_option says */
};

static const char short_options[] = "hvfixylpuet:scadS";

static const struct option long_options[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'v' },
	{ "force", no_argument, NULL, 'f' },
	{ "no-checks", no_argument, NULL, 'i' },
	{ "no-ifdown", no_argument, NULL, 'x' },
	{ "no-sync", no_argument, NULL, 'y' },
	{ "load", no_argument, NULL, 'l' },
	{ "load-panic", no_argument, NULL, 'p' },
	{ "unload", no_argument, NULL, 'u' },
	{ "exec", no_argument, NULL, 'e' },
	{ "type", required_argument, NULL, 't' },
	{ "kexec-file-syscall", no_argument, NULL, 's' },
	{ "kexec-syscall", no_argument, NULL, 'c' },
	{ "kexec-syscall-auto", no_argument, NULL, 'a' },
	{ "debug", no_argument, NULL, 'd' },
	{ "status", no_argument, NULL, 'S' },
	{ "mem-min", required_argument, NULL, OPT_MEM_MIN },
	{ "mem-max", required_argument, NULL, OPT_MEM_MAX },
	{ "reuse-cmdline", no_argument, NULL, OPT_REUSE_CMDLINE },
	{ "append", required_argument, NULL, OPT_APPEND },
	{ "command-line", required_argument, NULL, OPT_APPEND },
	{ "initrd", required_argument, NULL, OPT_INITRD },
	{ "ramdisk", required_argument, NULL, OPT_INITRD },
	{ "dtb", required_argument, NULL, OPT_DTB },
	{ "devicetreeblob", required_argument, NULL, OPT_DTB },
	{ "print-ckr-size", no_argument, NULL, OPT_PRINT_CKR_SIZE },
	{ "load-preserve-context", no_argument, NULL, OPT_PRESERVE_CONTEXT },
	{ "load-jump-back-helper", no_argument, NULL, OPT_JUMP_BACK_HELPER },
	{ "entry", required_argument, NULL, OPT_ENTRY },
	{ "reuse-initrd", no_argument, NULL, OPT_REUSE_INITRD },
	{ "reuseinitrd", no_argument, NULL, OPT_REUSE_INITRD },
	{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
	{ "print-plan", no_argument, NULL, OPT_PRINT_PLAN },
	{ "dump-plan", required_argument, NULL, OPT_DUMP_PLAN },
	{ "purgatory", required_argument, NULL, OPT_PURGATORY },
	{ "purgatory-from", required_argument, NULL, OPT_PURGATORY_FROM },
	{ "sysroot", required_argument, NULL, OPT_SYSROOT },
	{ "arch", required_argument, NULL, OPT_ARCH },
	{ "kexec-file-profile", required_argument, NULL, OPT_PROFILE },
	/* Xen: refused with the reason */
	{ "kernel-config", required_argument, NULL, OPT_KERNEL_CONFIG },
	{ "compare", no_argument, NULL, OPT_COMPARE },
	{ "exec-live-update", no_argument, NULL, OPT_UNSUPPORTED },
	{ "load-live-update", no_argument, NULL, OPT_UNSUPPORTED },
	/*
	 * kexec-tools' per-arch options (x86_64, ppc64, arm64): the target
	 * arch's table (struct arch_option) accepts, refuses or checks them.
	 */
	{ "elf64-core-headers", no_argument, NULL, OPT_ARCH_OPTION },
	{ "elf32-core-headers", no_argument, NULL, OPT_ARCH_OPTION },
	{ "reset-vga", no_argument, NULL, OPT_ARCH_OPTION },
	{ "console-vga", no_argument, NULL, OPT_ARCH_OPTION },
	{ "console-serial", no_argument, NULL, OPT_ARCH_OPTION },
	{ "serial", required_argument, NULL, OPT_ARCH_OPTION },
	{ "serial-baud", required_argument, NULL, OPT_ARCH_OPTION },
	{ "pass-memmap-cmdline", no_argument, NULL, OPT_ARCH_OPTION },
	{ "noefi", no_argument, NULL, OPT_ARCH_OPTION },
	{ "reuse-video-type", no_argument, NULL, OPT_ARCH_OPTION },
	{ "args-linux", no_argument, NULL, OPT_ARCH_OPTION },
	{ "args-elf", no_argument, NULL, OPT_ARCH_OPTION },
	{ "args-none", no_argument, NULL, OPT_ARCH_OPTION },
	{ "real-mode", no_argument, NULL, OPT_ARCH_OPTION },
	{ "entry-32bit", no_argument, NULL, OPT_ARCH_OPTION },
	{ "module", required_argument, NULL, OPT_ARCH_OPTION },
	{ "dt-no-old-root", no_argument, NULL, OPT_ARCH_OPTION },
	{ NULL, 0, NULL, 0 },
};

void options_usage(void)
{
	printf("Usage: kexec [OPTIONS] [KERNEL]\n"
	       "Load a new kernel and boot it without firmware (ukexec " PACKAGE_VERSION ").\n"
	       "\n"
	       "Actions (one at a time):\n"
	       " -l, --load             Load KERNEL to be started with -e.\n"
	       " -p, --load-panic       Load KERNEL to be started on a panic (kdump).\n"
	       " -u, --unload           Unload the loaded kernel (with -p: the panic kernel).\n"
	       " -e, --exec             Start the loaded kernel now.\n"
	       " -f, --force            Load KERNEL and start it at once, without shutdown.\n"
	       " -S, --status           Exit 1 if a kernel of the type (by default the\n"
	       "                        panic kernel) is loaded, 0 if not.\n"
	       "     --print-ckr-size   Print the size of the crash kernel region in bytes\n"
	       "                        (with crashkernel=,high: the high one), 0 if none.\n"
	       "     --load-preserve-context  Load KERNEL with KEXEC_PRESERVE_CONTEXT (needs\n"
	       "                        --mem-max and a kernel with CONFIG_KEXEC_JUMP): the\n"
	       "                        range's other RAM is backed up, as kexec-tools does.\n"
	       "     --load-jump-back-helper  In the kexec'ed kernel: load kexec-tools' helper\n"
	       "                        (one empty segment) that jumps back to --entry.\n"
	       " -h, --help             Print this help.\n"
	       " -v, --version          Print the version.\n"
	       "With no action, KERNEL is loaded and the system is shut down into it.\n"
	       "\n"
	       "How to load:\n"
	       " -a, --kexec-syscall-auto  Try kexec_file_load, fall back to ukexec's\n"
	       "                        userspace plan and kexec_load (default).\n"
	       " -s, --kexec-file-syscall  Use kexec_file_load only.\n"
	       " -c, --kexec-syscall    Use the userspace plan and kexec_load only.\n"
	       " -t, --type=TYPE        The image type (x86_64: bzImage64, elf-x86_64 with\n"
	       "                        --args-linux, multiboot-x86, elf-x86 (an i386 ELF),\n"
	       "                        multiboot2-x86, bzImage, beoboot-x86, nbi-x86);\n"
	       "                        probed otherwise. All but bzImage64 are kexec-tools'\n"
	       "                        layouts, loaded with kexec_load.\n"
	       " -i, --no-checks        Do not verify the segments' digest in purgatory.\n"
	       " -x, --no-ifdown        Do not bring network interfaces down before -e.\n"
	       " -y, --no-sync          Do not sync file systems before -e.\n"
	       " -d, --debug            Say what is done and why (memory map, placement);\n"
	       "                        with -s also KEXEC_FILE_DEBUG.\n"
	       "     --mem-min=ADDR, --mem-max=ADDR  Place every segment inside [ADDR, ADDR]\n"
	       "                        as kexec-tools does (not the in-kernel plan: loaded\n"
	       "                        with kexec_load; -s ignores the range).\n"
	       "     --entry=ADDR       Start the loaded image at ADDR instead of the plan's\n"
	       "                        entry (0: the plan's); the jump-back address for\n"
	       "                        --load-jump-back-helper. Not the in-kernel plan.\n"
	       "\n"
	       "Image options:\n"
	       "     --append=STRING, --command-line=STRING\n"
	       "                        The new kernel's command line.\n"
	       "     --reuse-cmdline    Start from this kernel's command line\n"
	       "                        (without its first BOOT_IMAGE= word, and for -p\n"
	       "                        its first crashkernel= word).\n"
	       "     --initrd=FILE, --ramdisk=FILE  The initial ramdisk.\n"
	       "     --dtb=FILE         arm64: the device tree blob the new tree starts from.\n"
	       "                        ppc64 (also --devicetreeblob): the same, then the\n"
	       "                        /chosen command line and initrd set, through\n"
	       "                        kexec_load (not the in-kernel plan; -s refused).\n"
	       "                        Refused on x86_64 and s390x.\n"
	       "     --reuseinitrd, --reuse-initrd  ppc64: the initrd the running kernel\n"
	       "                        kept (booted with retain_initrd) is the new one's:\n"
	       "                        no initrd segment, its range in the new device tree,\n"
	       "                        through kexec_load (not the in-kernel plan; -s and\n"
	       "                        --initrd refused). Refused on the other arches.\n"
	       "\n"
	       "kexec-tools' per-arch options are read as kexec-tools for the target arch\n"
	       "reads them; another arch's are refused (exit 1). Accepted with no effect\n"
	       "on the in-kernel plan (-d says why for each): arm64 --serial=CONSOLE;\n"
	       "ppc64 --elf64-core-headers, --dt-no-old-root, --args-linux (--dtb,\n"
	       "--devicetreeblob: above); s390x --dtb refused;\n"
	       "x86_64 --elf64-core-headers, --elf32-core-headers,\n"
	       "     --reset-vga, --console-vga, --console-serial, --serial=PORT,\n"
	       "     --serial-baud=BAUD, --pass-memmap-cmdline, --noefi, --reuse-video-type,\n"
	       "     --args-linux, --args-elf, --args-none (read by the ELF loaders: --args-linux\n"
	       "     for a vmlinux; all three, --args-elf the default, for an i386 ELF).\n"
	       "x86_64 --entry-32bit (a bzImage entered in 32-bit mode), --real-mode (its\n"
	       "setup code entered in 16-bit real mode, on the BIOS; not with -p) and\n"
	       "--module=\"FILE ARGS\" (repeatable, a multiboot(2) module, e.g. Xen's dom0\n"
	       "kernel; ignored with a warning for a bzImage or vmlinux, as kexec-tools\n"
	       "ignores it): kexec-tools' variants; --reset-vga, --console-vga:\n"
	       "multiboot2's EGA text framebuffer tag when the image asks for one.\n"
	       "Refused: x86_64 --dtb; --load-live-update,\n"
	       "--exec-live-update and any load in a Xen dom0 (no Xen hypercalls).\n"
	       "With -u, -e, -S or --load-jump-back-helper the arch's image loader options\n"
	       "(x86_64: --append ... --reuse-video-type; s390x: all; ppc64: all but\n"
	       "--elf64-core-headers, --dt-no-old-root) are refused, exit 1, as kexec-tools\n"
	       "refuses them.\n"
	       "\n"
	       "ukexec additions:\n"
	       "     --dry-run          Load nothing, make no kexec or reboot call: compute the\n"
	       "                        plan (with -s: print the kexec_file_load call instead;\n"
	       "                        with -u: the unload calls; with -e: what it would do,\n"
	       "                        exit 1 when nothing is loaded).\n"
	       "     --print-plan       Print the segments as the kernel's debug output does.\n"
	       "     --dump-plan=DIR    Write each segment and a manifest to DIR (a new directory).\n"
	       "     --purgatory=FILE   Use this purgatory object (ELF ET_REL).\n"
	       "     --purgatory-from=KERNEL  Use the purgatory embedded in a kernel image.\n"
	       "                        Default: ukexec's own (ppc64: when built with a\n"
	       "                        ppc64le compiler).\n"
	       "     --sysroot=DIR      Read /proc and /sys from DIR (a recorded machine).\n"
	       "     --arch=ARCH        Plan for ARCH (x86_64, s390x, ppc64, arm64); dry run only.\n"
	       "     --kexec-file-profile=VERSION  Follow kexec_file_load of this kernel\n"
	       "                        version (default: the running kernel's; without a\n"
	       "                        profile of its own: the nearest older, else the oldest).\n"
	       "     --compare          With -l or -p: load with the in-kernel kexec_file_load\n"
	       "                        (and its debug output), unload, and print its plan\n"
	       "                        beside ukexec's for the same inputs; exit 0 only when\n"
	       "                        they are the same (1 when they differ). Refuses when a\n"
	       "                        kernel is loaded already. The purgatory: KERNEL's own\n"
	       "                        unless --purgatory(-from) says otherwise.\n"
	       "     --kernel-config=FILE  The running kernel's .config (plain or gzip) for the\n"
	       "                        profile's facts (default: /proc/config.gz, else\n"
	       "                        /boot/config-RELEASE; -d says which values it used).\n"
	       "\n"
	       "Exit status (kexec-tools'): 0 done; 1 a bad option, an unreadable file (255\n"
	       "under -s), no crash region, -e with nothing loaded, -S: loaded;\n"
	       "253 -s refused by the kernel; 255 no KERNEL, any other failure.\n"
	       "Options: doc/compat.md, kexec(8).\n");
}

static int parse_addr(const char *opt, const char *val, uint64_t *out)
{
	char *end;

	errno = 0;
	*out = strtoull(val, &end, 0);
	/* strtoull takes "-1" as 2^64-1 and skips blanks: an address is neither */
	if (errno || !isxdigit((unsigned char)*val) || *end) {
		kx_error("bad value for --%s: '%s'", opt, val);
		return 1;
	}
	return 0;
}

/* A second action is an error; -p modifies -u and -S instead of being one. */
static int set_action(struct request *req, enum kx_action action, const char *name,
		      const char **prev_name)
{
	if (req->action != ACTION_NONE && req->action != action) {
		kx_error("%s and %s cannot be used together: give one action", *prev_name, name);
		return 1;
	}
	req->action = action;
	*prev_name = name;
	return 0;
}

/*
 * Remember an option whose meaning the target arch decides (once per name,
 * the last value; --module each time); the arch is known only once every
 * option is read.
 */
static int record_arch_option(struct request *req, const char *name, const char *val,
			      bool arch_only)
{
	unsigned int i;

	/* kexec-tools' --module may be given once per module: each is kept */
	for (i = 0; i < req->nr_arch_opts && strcmp(name, "module"); i++)
		if (!strcmp(req->arch_opts[i].name, name))
			break;
	if (!strcmp(name, "module"))
		i = req->nr_arch_opts;
	if (i == REQUEST_OPTIONS_MAX) {
		kx_error("--%s: too many architecture options (at most %d)", name, REQUEST_OPTIONS_MAX);
		return 1;
	}
	if (i == req->nr_arch_opts)
		req->nr_arch_opts++;
	req->arch_opts[i].name = name;
	req->arch_opts[i].val = val;
	req->arch_opts[i].arch_only = arch_only;
	return 0;
}

int options_parse(struct request *req, int argc, char **argv)
{
	const char *action_name = NULL;
	bool status = false, saw_load = false;
	int opt, idx;

	memset(req, 0, sizeof(*req));
	req->mem_max = UINT64_MAX;
	req->policy = SYSCALL_AUTO;
	opterr = 0;
	/* 0, not 1: glibc then resets its state too (a second parse, the fuzz harness) */
	optind = 0;
	while ((opt = getopt_long(argc, argv, short_options, long_options, &idx)) != -1) {
		switch (opt) {
		case 'h':
			req->action = ACTION_HELP;
			return 0;
		case 'v':
			req->action = ACTION_VERSION;
			return 0;
		case 'f':
			if (set_action(req, ACTION_LOAD_EXEC, "-f", &action_name))
				return 1;
			req->force = true;
			break;
		case 'i':
			req->no_checks = true;
			break;
		case 'x':
			req->no_ifdown = true;
			break;
		case 'y':
			req->no_sync = true;
			break;
		case 'l':
			if (set_action(req, ACTION_LOAD, "-l", &action_name))
				return 1;
			saw_load = true;
			break;
		case 'p':
			req->crash = true;
			break;
		case 'u':
			if (set_action(req, ACTION_UNLOAD, "-u", &action_name))
				return 1;
			break;
		case 'e':
			if (set_action(req, ACTION_EXEC, "-e", &action_name))
				return 1;
			break;
		case 'S':
			status = true;
			break;
		case OPT_PRINT_CKR_SIZE:
			if (set_action(req, ACTION_PRINT_CKR_SIZE, "--print-ckr-size", &action_name))
				return 1;
			break;
		case OPT_PRESERVE_CONTEXT:
			if (set_action(req, ACTION_LOAD, "--load-preserve-context", &action_name))
				return 1;
			req->preserve_context = true;
			break;
		case OPT_JUMP_BACK_HELPER:
			if (set_action(req, ACTION_JUMP_BACK_HELPER, "--load-jump-back-helper",
				       &action_name))
				return 1;
			req->jump_back_helper = true;
			break;
		case 't':
			req->type = optarg;
			break;
		case 's':
			req->policy = SYSCALL_FILE;
			break;
		case 'c':
			req->policy = SYSCALL_LOAD;
			break;
		case 'a':
			req->policy = SYSCALL_AUTO;
			break;
		case 'd':
			req->debug = true;
			break;
		case OPT_MEM_MIN:
			if (parse_addr("mem-min", optarg, &req->mem_min))
				return 1;
			break;
		case OPT_MEM_MAX:
			if (parse_addr("mem-max", optarg, &req->mem_max))
				return 1;
			break;
		case OPT_ENTRY:
			if (parse_addr("entry", optarg, &req->entry))
				return 1;
			break;
		case OPT_REUSE_CMDLINE:
			req->reuse_cmdline = true;
			if (record_arch_option(req, "reuse-cmdline", NULL, false))
				return 1;
			break;
		case OPT_APPEND:
			req->append = optarg;
			if (record_arch_option(req, long_options[idx].name, optarg, false))
				return 1;
			break;
		case OPT_INITRD:
			if (!*optarg) {
				kx_error("--initrd=: no file name given");
				return 1;
			}
			req->initrd = optarg;
			if (record_arch_option(req, long_options[idx].name, optarg, false))
				return 1;
			break;
		case OPT_DTB:
			/* --devicetreeblob: ppc64's name for it, an option of that arch only */
			req->dtb = optarg;
			if (record_arch_option(req, long_options[idx].name, optarg,
					       strcmp(long_options[idx].name, "dtb")))
				return 1;
			break;
		case OPT_DRY_RUN:
			req->dry_run = true;
			break;
		case OPT_PRINT_PLAN:
			req->print_plan = true;
			break;
		case OPT_DUMP_PLAN:
			req->dump_dir = optarg;
			break;
		case OPT_PURGATORY:
			req->purgatory_file = optarg;
			break;
		case OPT_PURGATORY_FROM:
			req->purgatory_from = optarg;
			break;
		case OPT_SYSROOT:
			req->sysroot = optarg;
			break;
		case OPT_ARCH:
			req->arch = optarg;
			break;
		case OPT_PROFILE:
			req->profile = optarg;
			break;
		case OPT_KERNEL_CONFIG:
			req->kernel_config = optarg;
			break;
		case OPT_COMPARE:
			req->compare = true;
			break;
		case OPT_REUSE_INITRD:
			/* ppc64's loader reads it; elsewhere refused as kexec-tools' generic arch_reuse_initrd() */
			req->reuse_initrd = true;
			if (record_arch_option(req, "reuseinitrd", NULL, false))
				return 1;
			break;
		case OPT_UNSUPPORTED:
			kx_error("--%s: Xen live update is not supported by ukexec", long_options[idx].name);
			return 1;
		case OPT_ARCH_OPTION:
			if (record_arch_option(req, long_options[idx].name, optarg, true))
				return 1;
			break;
		default:
		case '?':
			if (optopt && optopt < 256 && strchr("t", optopt))
				kx_error("option -%c needs an argument (try --help)", optopt);
			else if (optopt && optopt < 256)
				kx_error("unknown option -%c (try --help)", optopt);
			else
				kx_error("unknown or incomplete option '%s' (try --help)", argv[optind - 1]);
			return 1;
		}
	}

	if (req->debug)
		kx_set_verbosity(KX_DEBUG);
	if (optind < argc)
		req->kernel = argv[optind++];
	/* kexec-tools reads argv[optind] only: an unquoted --append=$(cat ...) spills words */
	for (; optind < argc; optind++)
		kx_debug("ignoring the argument '%s': kexec-tools reads one KERNEL only", argv[optind]);
	if (status) {
		/* -S asks about the panic kernel unless -l names the normal one */
		if (req->action != ACTION_NONE && !(req->action == ACTION_LOAD && saw_load)) {
			kx_error("-S and %s cannot be used together: give one action", action_name);
			return 1;
		}
		req->crash = req->crash || !saw_load;
		req->action = ACTION_STATUS;
		action_name = "-S";
	}
	if (req->action == ACTION_NONE && req->kernel) {
		req->action = ACTION_LOAD;
		req->shutdown = !req->crash;
	}
	/* kexec-tools' "No kernel specified" is a failed load: -1, exit 255 */
	if (req->action == ACTION_NONE) {
		if (req->crash) {
			kx_error("-p: no KERNEL to load");
			return KX_EXIT_FAILED;
		}
		kx_error("nothing to do: give KERNEL with -l or -p, or -u, -e, -S (try --help)");
		return KX_EXIT_FAILED;
	}
	if ((req->action == ACTION_LOAD || req->action == ACTION_LOAD_EXEC) && !req->kernel) {
		kx_error("%s: no KERNEL given", action_name ? action_name : (req->crash ? "-p" : "-l"));
		return KX_EXIT_FAILED;
	}
	if (req->action != ACTION_LOAD && req->action != ACTION_LOAD_EXEC && req->kernel) {
		/* kexec-tools loads nothing for these, so never reads the KERNEL */
		kx_debug("%s: ignoring the KERNEL '%s'", action_name, req->kernel);
		req->kernel = NULL;
	}
	if (req->crash && req->action == ACTION_LOAD_EXEC) {
		kx_error("-p and -f cannot be used together: a panic kernel is started by a panic");
		return 1;
	}
	if (req->crash && req->action == ACTION_EXEC) {
		kx_error("-p and -e cannot be used together: a panic kernel is started by a panic");
		return 1;
	}
	if (req->mem_min > req->mem_max) {
		kx_error("--mem-min=0x%" PRIx64 " is above --mem-max=0x%" PRIx64 ": no memory is allowed",
			 req->mem_min, req->mem_max);
		return 1;
	}
	if (req->preserve_context && req->mem_max == UINT64_MAX) {
		kx_error("--load-preserve-context needs --mem-max: the range the new kernel may use");
		return 1;
	}
	if (req->compare && (req->action != ACTION_LOAD || req->dry_run)) {
		kx_error("--compare: only with -l or -p and a real load (not --dry-run, -e, -u, -f)");
		return 1;
	}
	if (req->preserve_context && req->crash) {
		kx_error("-p and --load-preserve-context cannot be used together: a panic kernel does not jump back");
		return 1;
	}
	/* kexec-tools dies: the flag and the helper exist for kexec_load only */
	if (req->policy == SYSCALL_FILE && (req->preserve_context || req->jump_back_helper)) {
		kx_error("%s is not supported with kexec_file_load (-s): give -c or -a",
			 req->jump_back_helper ? "--load-jump-back-helper" : "--load-preserve-context");
		return 1;
	}
	if (req->arch && !req->dry_run) {
		kx_error("--arch=%s plans for another architecture: it needs --dry-run", req->arch);
		return 1;
	}
	if (req->purgatory_file && req->purgatory_from) {
		kx_error("--purgatory and --purgatory-from cannot be used together");
		return 1;
	}
	/* with -s a dry run prints the kexec_file_load call: there is no plan to print or dump */
	if (req->dry_run && req->policy == SYSCALL_FILE && (req->print_plan || req->dump_dir)) {
		kx_error("--dry-run -s prints the kexec_file_load call only: --%s needs -c or -a",
			 req->print_plan ? "print-plan" : "dump-plan");
		return 1;
	}
	return 0;
}

void request_release(struct request *req)
{
	free(req->cmdline);
	req->cmdline = NULL;
}
