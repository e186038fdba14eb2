/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the command line asks for, after parsing and checking. */
#ifndef UKEXEC_REQUEST_H
#define UKEXEC_REQUEST_H

#include <stdbool.h>
#include <stdint.h>

enum kx_action {
	ACTION_NONE,
	ACTION_LOAD,		/* -l, -p, --load-preserve-context, or a bare KERNEL */
	ACTION_UNLOAD,		/* -u (with -p: the crash kernel) */
	ACTION_EXEC,		/* -e */
	ACTION_LOAD_EXEC,	/* -f: load, then exec without shutdown */
	ACTION_STATUS,		/* -S */
	ACTION_PRINT_CKR_SIZE,
	ACTION_JUMP_BACK_HELPER,	/* --load-jump-back-helper */
	ACTION_HELP,
	ACTION_VERSION,
};

enum kx_syscall_policy {
	SYSCALL_AUTO,		/* -a: kexec_file_load, else the userspace plan */
	SYSCALL_FILE,		/* -s: kexec_file_load only */
	SYSCALL_LOAD,		/* -c: the userspace plan and kexec_load only */
};

/*
 * kexec-tools' exit codes: die() exits 1 (a file that cannot be read, no
 * crash region, nothing loaded for -e), a failed step returns -1 (255), and
 * kexec_file_load refused under -s returns EFALLBACK (-3, 253).
 */
enum kx_exit {
	KX_EXIT_DIE = 1,
	KX_EXIT_FALLBACK = 253,
	KX_EXIT_FAILED = 255,
};

/* An option whose meaning depends on the target arch (struct arch_option). */
struct request_option {
	const char *name;	/* without "--" */
	const char *val;	/* its argument, or NULL */
	bool arch_only;		/* not a common option: the arch must list it */
};
#define REQUEST_OPTIONS_MAX 24

struct request {
	enum kx_action action;
	enum kx_syscall_policy policy;
	bool crash;		/* -p */
	bool shutdown;		/* a bare KERNEL: load, then shut down into it */
	bool force;		/* -f */
	bool no_ifdown;		/* -x */
	bool no_sync;		/* -y */
	bool no_checks;		/* -i */
	bool debug;		/* -d */
	bool dry_run;		/* --dry-run */
	bool print_plan;	/* --print-plan */
	bool compare;		/* --compare */
	bool preserve_context;	/* --load-preserve-context */
	bool jump_back_helper;	/* --load-jump-back-helper */
	bool reuse_cmdline;	/* --reuse-cmdline */
	bool reuse_initrd;	/* --reuseinitrd: the initrd retain_initrd kept (ppc64) */
	uint64_t entry;		/* --entry; 0 (kexec-tools: none) if unset */
	uint64_t mem_min;	/* --mem-min, 0 if unset */
	uint64_t mem_max;	/* --mem-max, UINT64_MAX if unset */
	const char *type;	/* -t */
	const char *kernel;
	const char *initrd;
	const char *dtb;
	const char *append;		/* --append */
	const char *command_line;	/* --command-line */
	const char *dump_dir;		/* --dump-plan */
	const char *purgatory_file;	/* --purgatory */
	const char *purgatory_from;	/* --purgatory-from */
	const char *sysroot;		/* --sysroot */
	const char *arch;		/* --arch */
	const char *profile;		/* --kexec-file-profile */
	struct request_option arch_opts[REQUEST_OPTIONS_MAX];	/* once each, the last value */
	unsigned int nr_arch_opts;
	const char *kernel_config;	/* --kernel-config */
	char *cmdline;			/* final command line, built by request_build_cmdline */
	enum kx_exit exit_code;		/* of a failure; 0: KX_EXIT_FAILED */
};

/* Parse argv. Returns 0, or a process exit code (> 0, kexec-tools') after one message. */
int options_parse(struct request *req, int argc, char **argv);
void options_usage(void);
void request_release(struct request *req);

#endif
