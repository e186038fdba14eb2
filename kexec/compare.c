// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>
#include "backend.h"
#include "compare.h"
#include "log.h"
#include "plan.h"
#include "profile.h"
#include "request.h"

#define DEBUGFS			"/sys/kernel/debug"
#define DYNDBG_CONTROL		DEBUGFS "/dynamic_debug/control"
/* the file whose pr_debug()s print the segment table before KEXEC_FILE_DEBUG */
#define DYNDBG_FILE		"kernel/kexec_file.c"

void kernel_plan_parse_line(struct kernel_plan *kp, const char *msg)
{
	unsigned int i;
	uint64_t bufsz, mem, memsz, entry;
	const char *p;
	int n = 0;

	if ((p = strstr(msg, "segment[")))
		n = sscanf(p, "segment[%u]: buf=%*s bufsz=0x%" SCNx64 " mem=0x%" SCNx64
			   " memsz=0x%" SCNx64, &i, &bufsz, &mem, &memsz);
	else if ((p = strstr(msg, "Loading segment ")))
		n = sscanf(p, "Loading segment %u: buf=%*s bufsz=0x%" SCNx64 " mem=0x%" SCNx64
			   " memsz=0x%" SCNx64, &i, &bufsz, &mem, &memsz);
	if (n == 4 && i < KEXEC_SEGMENT_MAX) {
		kp->segment[i].bufsz = bufsz;
		kp->segment[i].mem = mem;
		kp->segment[i].memsz = memsz;
		if (i + 1 > kp->nr_segments)
			kp->nr_segments = i + 1;
		return;
	}
	p = strstr(msg, "kexec_file_load: type:");
	if (p && (p = strstr(p, "start:0x")) && sscanf(p, "start:0x%" SCNx64, &entry) == 1) {
		kp->entry = entry;
		kp->have_entry = true;
	}
}

static void segment_text(char *buf, size_t len, unsigned int i, uint64_t bufsz, uint64_t mem,
			 uint64_t memsz)
{
	snprintf(buf, len, "%u bufsz=0x%" PRIx64 " mem=0x%" PRIx64 " memsz=0x%" PRIx64, i, bufsz,
		 mem, memsz);
}

bool compare_print(FILE *out, const struct kernel_plan *kp, const struct plan *plan,
		   const char *what)
{
	unsigned int i, n = kp->nr_segments > plan->nr_segments ? kp->nr_segments : plan->nr_segments;
	char left[96], right[96];
	unsigned int differ = 0;
	const char *first = NULL;

	if (plan->profile)
		fprintf(out, "%-52s | ukexec, in userspace (profile %s %s, rules of %u.%u.%u)\n",
			"the kernel's kexec_file_load (its log)", plan->profile->arch,
			plan->profile->name, plan->profile->kver >> 16,
			(plan->profile->kver >> 8) & 0xff, plan->profile->kver & 0xff);
	else
		fprintf(out, "%-52s | ukexec, in userspace (no profile)\n",
			"the kernel's kexec_file_load (its log)");
	for (i = 0; i < n; i++) {
		const struct plan_segment *s = i < plan->nr_segments ? &plan->segment[i] : NULL;
		bool same;

		if (i < kp->nr_segments)
			segment_text(left, sizeof(left), i, kp->segment[i].bufsz, kp->segment[i].mem,
				     kp->segment[i].memsz);
		else
			snprintf(left, sizeof(left), "%u -", i);
		if (s)
			segment_text(right, sizeof(right), i, s->bufsz, s->mem, s->memsz);
		else
			snprintf(right, sizeof(right), "%u -", i);
		same = s && i < kp->nr_segments && kp->segment[i].bufsz == s->bufsz &&
		       kp->segment[i].mem == s->mem && kp->segment[i].memsz == s->memsz;
		fprintf(out, "   %-49s | %s%s\n", left, right, same ? "" : "   <-- differs");
		if (!same && !differ++)
			first = s ? s->what : "a segment";
	}
	if (kp->have_entry) {
		snprintf(left, sizeof(left), "entry 0x%" PRIx64, kp->entry);
		if (kp->entry != plan->entry && !differ++)
			first = "the entry";
	} else {
		snprintf(left, sizeof(left), "entry: not logged (before 6.8)");
	}
	fprintf(out, "   %-49s | entry 0x%" PRIx64 "%s\n", left, plan->entry,
		kp->have_entry && kp->entry != plan->entry ? "   <-- differs" : "");
	if (!kp->nr_segments)
		fprintf(out, "   => %s: the kernel logged no segment table\n", what);
	else if (differ)
		fprintf(out, "   => %s: the plans differ (%u line%s, the first: %s)\n", what, differ,
			differ > 1 ? "s" : "", first);
	else
		fprintf(out, "   => %s: the same plan%s\n", what,
			kp->have_entry ? "" : " (segment table; this kernel does not log its entry)");
	/* what may explain a difference: the kernel's own choices */
	plan_print_unknowable(plan, out);
	return kp->nr_segments && !differ;
}

/* 1 when /sys/kernel/NAME says a kernel is loaded, 0 if not, -errno. */
static int kexec_loaded(const char *name)
{
	char path[64];
	FILE *f;
	int c;

	snprintf(path, sizeof(path), "/sys/kernel/%s", name);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	c = fgetc(f);
	fclose(f);
	return c == '1';
}

struct dyndbg_state {
	bool mounted;		/* we mounted debugfs */
	bool enabled;		/* we turned DYNDBG_FILE's pr_debug()s on */
};

/* Whether a site of DYNDBG_FILE already prints ("=p" in its flags). */
static bool dyndbg_already_on(void)
{
	char line[512];
	bool on = false;
	FILE *f = fopen(DYNDBG_CONTROL, "re");

	if (!f)
		return false;
	while (fgets(line, sizeof(line), f))
		if (strstr(line, DYNDBG_FILE ":") && strstr(line, " =p"))
			on = true;
	fclose(f);
	return on;
}

static int dyndbg_write(const char *cmd)
{
	int fd = open(DYNDBG_CONTROL, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, cmd, strlen(cmd));
	close(fd);
	return n == (ssize_t)strlen(cmd) ? 0 : -EIO;
}

/* Turn on the segment table's pr_debug()s, mounting debugfs if need be. */
static int dyndbg_enable(struct dyndbg_state *st)
{
	int ret;

	if (access(DYNDBG_CONTROL, F_OK)) {
		if (mount("debugfs", DEBUGFS, "debugfs", 0, NULL)) {
			ret = -errno;
			kx_error("--compare: this kernel has no KEXEC_FILE_DEBUG and debugfs cannot be mounted on %s: %s",
				 DEBUGFS, strerror(-ret));
			return ret;
		}
		st->mounted = true;
	}
	if (dyndbg_already_on())
		return 0;
	ret = dyndbg_write("file " DYNDBG_FILE " +p");
	if (ret) {
		kx_error("--compare: %s: cannot enable the pr_debug()s of %s (%s)", DYNDBG_CONTROL,
			 DYNDBG_FILE, strerror(-ret));
		return ret;
	}
	st->enabled = true;
	kx_debug("dynamic debug: file %s +p", DYNDBG_FILE);
	return 0;
}

static void dyndbg_restore(struct dyndbg_state *st)
{
	if (st->enabled && dyndbg_write("file " DYNDBG_FILE " -p"))
		kx_error("--compare: %s: could not turn the pr_debug()s of %s off again",
			 DYNDBG_CONTROL, DYNDBG_FILE);
	if (st->mounted && umount(DEBUGFS))
		kx_error("--compare: could not unmount %s again: %s", DEBUGFS, strerror(errno));
}

/* The records /dev/kmsg holds after its position fd, parsed into kp. */
static void read_kernel_log(int fd, struct kernel_plan *kp)
{
	char rec[8192];
	ssize_t n;
	char *msg;

	for (;;) {
		n = read(fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)
			continue;	/* records overwritten under us: go on with the next */
		if (n <= 0)
			break;
		rec[n] = '\0';
		msg = strchr(rec, ';');
		if (msg)
			kernel_plan_parse_line(kp, msg + 1);
	}
}

int compare_with_kernel(const struct request *req, const struct plan *plan, int kernel_fd,
			int initrd_fd)
{
	unsigned long flags = (req->crash ? KEXEC_FILE_ON_CRASH : 0) |
			      (initrd_fd < 0 ? KEXEC_FILE_NO_INITRAMFS : 0);
	const char *flag = req->crash ? "kexec_crash_loaded" : "kexec_loaded";
	struct dyndbg_state dd = { false, false };
	struct kernel_plan kp;
	int kmsg, ret, uret;

	ret = kexec_loaded(flag);
	if (ret) {
		if (ret > 0)
			kx_error("--compare: a %skernel is loaded already (/sys/kernel/%s): unload it first (kexec -u%s)",
				 req->crash ? "crash " : "", flag, req->crash ? " -p" : "");
		else
			kx_error("--compare: /sys/kernel/%s: %s", flag, strerror(-ret));
		return ret > 0 ? -EBUSY : ret;
	}
	kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (kmsg < 0) {
		ret = -errno;
		kx_error("--compare: /dev/kmsg: %s (the kernel's plan is read from its log)",
			 strerror(-ret));
		return ret;
	}
	lseek(kmsg, 0, SEEK_END);

	ret = sys_kexec_file_load(kernel_fd, initrd_fd, req->cmdline, flags | KEXEC_FILE_DEBUG);
	if (ret == -EINVAL) {
		/* before 6.8 the flag is unknown: the pr_debug()s say the same */
		kx_debug("kexec_file_load: no KEXEC_FILE_DEBUG; dynamic debug instead");
		ret = dyndbg_enable(&dd);
		if (ret)
			goto out_kmsg;
		ret = sys_kexec_file_load(kernel_fd, initrd_fd, req->cmdline, flags);
	}
	if (ret) {
		kx_error("--compare: kexec_file_load of %s failed: %s", req->kernel,
			 backend_explain("kexec_file_load", ret));
		goto out_dyndbg;
	}
	memset(&kp, 0, sizeof(kp));
	read_kernel_log(kmsg, &kp);
	/* leave the machine as it was: nothing loaded */
	uret = sys_kexec_file_load(-1, -1, NULL,
				   KEXEC_FILE_UNLOAD | (req->crash ? KEXEC_FILE_ON_CRASH : 0));
	if (uret)
		kx_error("--compare: unloading the kernel's load failed: %s",
			 backend_explain("kexec_file_load", uret));
	ret = compare_print(stdout, &kp, plan, req->crash ? "kexec -p" : "kexec -l") ? 0 : 1;
	if (uret)
		ret = uret;
out_dyndbg:
	dyndbg_restore(&dd);
out_kmsg:
	close(kmsg);
	return ret;
}
