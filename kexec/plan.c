// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Segments and their placement, mirroring kernel/kexec_file.c
 * (kexec_add_buffer, kexec_locate_mem_hole and its callbacks) and
 * kernel/kexec_core.c (sanity_check_segment_list).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "arch.h"
#include "log.h"
#include "plan.h"
#include "profile.h"
#include "sha256.h"
#include "sysview.h"

#define ALIGN_DOWN(x, a) ((x) & ~((uint64_t)(a) - 1))

void plan_init(struct plan *plan, const struct arch *arch, const struct sysview *sv,
	       const struct profile *profile, bool crash)
{
	memset(plan, 0, sizeof(*plan));
	plan->arch = arch;
	plan->sv = sv;
	plan->profile = profile;
	plan->crash = crash;
	plan->page_size = arch->page_size;
	plan->crash_hotplug_phdrs = profile ? profile->crash_hotplug_phdrs : 0;
	plan->elfcorehdr_index = -1;
	plan->mem_max = UINT64_MAX;
}

void plan_note_variant(struct plan *plan, const char *why)
{
	if (plan->nr_variant < PLAN_VARIANT_MAX)
		plan->variant[plan->nr_variant++] = why;
	kx_debug("not the in-kernel plan: %s", why);
}

void plan_release(struct plan *plan)
{
	size_t i;

	for (i = 0; i < plan->nr_owned; i++)
		free(plan->owned[i]);
	free(plan->owned);
	plan->owned = NULL;
	plan->nr_owned = 0;
}

int plan_own(struct plan *plan, void *mem)
{
	void **owned = realloc(plan->owned, (plan->nr_owned + 1) * sizeof(*owned));

	if (!owned) {
		kx_error("out of memory");
		return -ENOMEM;
	}
	owned[plan->nr_owned++] = mem;
	plan->owned = owned;
	return 0;
}

int plan_adopt(struct plan *plan, void *mem)
{
	int ret = plan_own(plan, mem);

	if (ret)
		free(mem);
	return ret;
}

void *plan_alloc(struct plan *plan, size_t size, const char *what)
{
	void *mem = calloc(1, size ? size : 1);

	if (!mem) {
		kx_error("%s: cannot allocate %zu bytes", what, size);
		return NULL;
	}
	if (plan_adopt(plan, mem))
		return NULL;
	return mem;
}

bool plan_is_destination_range(const struct plan *plan, uint64_t start, uint64_t end)
{
	unsigned int i;

	for (i = 0; i < plan->nr_segments; i++) {
		uint64_t mstart = plan->segment[i].mem;
		uint64_t mend = mstart + plan->segment[i].memsz - 1;

		if (end >= mstart && start <= mend)
			return true;
	}
	return false;
}

/* kimage_is_destination_range() || arch_check_excluded_range() */
static bool hole_is_taken(const struct kexec_buf *kbuf, uint64_t start, uint64_t end)
{
	const struct plan *plan = kbuf->plan;

	if (plan_is_destination_range(plan, start, end))
		return true;
	return plan->arch->check_excluded_range &&
	       plan->arch->check_excluded_range(plan, start, end);
}

static int locate_mem_hole_top_down(uint64_t start, uint64_t end, struct kexec_buf *kbuf)
{
	uint64_t page = kbuf->plan->page_size;
	uint64_t temp_start, temp_end;

	temp_end = end < kbuf->buf_max ? end : kbuf->buf_max;
	temp_start = temp_end - kbuf->memsz;
	if (!plan_rule(kbuf->plan, PR_TOP_DOWN_SHORT_BY_ONE))
		temp_start++;
	for (;;) {
		temp_start = ALIGN_DOWN(temp_start, kbuf->buf_align);
		if (temp_start < start || temp_start < kbuf->buf_min)
			return 0;
		temp_end = temp_start + kbuf->memsz - 1;
		if (!hole_is_taken(kbuf, temp_start, temp_end))
			break;
		/* the kernel steps down a page and realigns */
		if (temp_start < page)
			return 0;
		temp_start -= page;
	}
	kbuf->mem = temp_start;
	return 1;
}

static int locate_mem_hole_bottom_up(uint64_t start, uint64_t end, struct kexec_buf *kbuf)
{
	uint64_t page = kbuf->plan->page_size;
	uint64_t temp_start, temp_end;

	temp_start = start > kbuf->buf_min ? start : kbuf->buf_min;
	for (;;) {
		temp_start = ALIGN_UP(temp_start, kbuf->buf_align);
		temp_end = temp_start + kbuf->memsz - 1;
		if (temp_end > end || temp_end > kbuf->buf_max)
			return 0;
		if (!hole_is_taken(kbuf, temp_start, temp_end))
			break;
		temp_start += page;
	}
	kbuf->mem = temp_start;
	return 1;
}

static int locate_mem_hole_callback(const struct kexec_mem_range *range, void *arg)
{
	struct kexec_buf *kbuf = arg;
	uint64_t start = range->start, end = range->end;
	uint64_t sz = end - start + 1;
	int ret;

	if (sz < kbuf->memsz)
		return 0;
	if (end < kbuf->buf_min || start > kbuf->buf_max)
		return 0;
	ret = kbuf->top_down ? locate_mem_hole_top_down(start, end, kbuf) :
			       locate_mem_hole_bottom_up(start, end, kbuf);
	if (ret == 1) {
		kbuf->hole_range_start = start;
		kbuf->hole_range_end = end;
	}
	return ret;
}

int kexec_locate_mem_hole(struct kexec_buf *kbuf)
{
	const struct arch *arch = kbuf->plan->arch;

	if (kbuf->mem != KEXEC_BUF_MEM_UNKNOWN)
		return 0;
	if (!arch->walk_mem)
		return -EADDRNOTAVAIL;
	return arch->walk_mem(kbuf, locate_mem_hole_callback) == 1 ? 0 : -EADDRNOTAVAIL;
}

/* arch_kexec_locate_mem_hole(): the arch's search, or the generic one. */
static int arch_kexec_locate_mem_hole(struct kexec_buf *kbuf)
{
	const struct arch *arch = kbuf->plan->arch;

	if (arch->locate_mem_hole)
		return arch->locate_mem_hole(kbuf);
	return kexec_locate_mem_hole(kbuf);
}

/*
 * kexec-tools' locate_hole() filters every free range through mem_min and
 * mem_max: the same as narrowing the buffer's own [buf_min, buf_max].
 */
static int clamp_to_mem_range(struct kexec_buf *kbuf)
{
	const struct plan *plan = kbuf->plan;
	uint64_t lo = kbuf->buf_min > plan->mem_min ? kbuf->buf_min : plan->mem_min;
	uint64_t hi = kbuf->buf_max < plan->mem_max ? kbuf->buf_max : plan->mem_max;

	if (lo > hi) {
		kx_error("%s: its loader places it in 0x%" PRIx64 "-0x%" PRIx64
			 ", outside --mem-min=0x%" PRIx64 "/--mem-max=0x%" PRIx64,
			 kbuf->what ? kbuf->what : "segment", kbuf->buf_min, kbuf->buf_max,
			 plan->mem_min, plan->mem_max);
		return -EADDRNOTAVAIL;
	}
	kbuf->buf_min = lo;
	kbuf->buf_max = hi;
	return 0;
}

/*
 * -d: the rule that gave the address — the loader's constraints (alignment,
 * window, direction) and the free range where the first fit was found.
 */
static void explain_placement(const struct kexec_buf *kbuf, bool fixed)
{
	if (!kbuf->hole_range_end) {
		kx_debug("  rule: %s", fixed ? "the address its loader gives" :
			 "the arch's own hole search (see its lines above)");
		return;
	}
	kx_debug("  rule: the %s first fit of 0x%" PRIx64 " bytes, align 0x%" PRIx64
		 ", in 0x%" PRIx64 "-0x%" PRIx64 ": free range 0x%" PRIx64 "-0x%" PRIx64,
		 kbuf->top_down ? "top-down" : "bottom-up", kbuf->memsz, kbuf->buf_align,
		 kbuf->buf_min, kbuf->buf_max, kbuf->hole_range_start, kbuf->hole_range_end);
}

int kexec_add_buffer(struct kexec_buf *kbuf)
{
	struct plan *plan = kbuf->plan;
	uint64_t page = plan->page_size;
	struct plan_segment *seg;
	bool fixed = kbuf->mem != KEXEC_BUF_MEM_UNKNOWN;
	int ret;

	if (plan->nr_segments >= KEXEC_SEGMENT_MAX) {
		kx_error("%s: too many segments (the kernel takes at most %d)",
			 kbuf->what ? kbuf->what : "segment", KEXEC_SEGMENT_MAX);
		return -EINVAL;
	}
	kbuf->memsz = ALIGN_UP(kbuf->memsz, page);
	if (kbuf->buf_align < page)
		kbuf->buf_align = page;

	if (kbuf->mem == KEXEC_BUF_MEM_UNKNOWN) {
		ret = clamp_to_mem_range(kbuf);
		if (ret)
			return ret;
	}
	ret = arch_kexec_locate_mem_hole(kbuf);
	if (ret && (plan->mem_min || plan->mem_max != UINT64_MAX)) {
		kx_error("%s: no memory hole for 0x%" PRIx64 " bytes inside --mem-min/--mem-max (0x%"
			 PRIx64 "-0x%" PRIx64 ") in the %s of %s/proc/iomem",
			 kbuf->what ? kbuf->what : "segment", kbuf->memsz, kbuf->buf_min,
			 kbuf->buf_max, plan->crash ? "crash region" : "System RAM",
			 plan->sv ? plan->sv->root : "");
		return ret;
	}
	if (ret) {
		kx_error("%s: no memory hole for 0x%" PRIx64 " bytes (align 0x%" PRIx64
			 ", 0x%" PRIx64 "-0x%" PRIx64 ") in the %s of %s/proc/iomem",
			 kbuf->what ? kbuf->what : "segment", kbuf->memsz, kbuf->buf_align,
			 kbuf->buf_min, kbuf->buf_max, plan->crash ? "crash region" : "System RAM",
			 plan->sv ? plan->sv->root : "");
		return ret;
	}
	seg = &plan->segment[plan->nr_segments++];
	seg->buf = kbuf->buffer;
	seg->bufsz = kbuf->bufsz;
	seg->mem = kbuf->mem;
	seg->memsz = kbuf->memsz;
	seg->what = kbuf->what;
	kx_debug("%s: placed at 0x%" PRIx64 " bufsz=0x%zx memsz=0x%" PRIx64,
		 kbuf->what ? kbuf->what : "segment", seg->mem, seg->bufsz, seg->memsz);
	explain_placement(kbuf, fixed);
	return 0;
}

/*
 * The arch's System RAM, walked once per check: the memblock arches read it
 * from files (debugfs, the device tree), which one walk per segment would
 * read again each time.
 */
struct ram_view {
	struct kexec_mem_range *ranges;
	size_t nr, cap;
};

static int ram_view_add(const struct kexec_mem_range *range, void *arg)
{
	struct ram_view *v = arg;

	if (v->nr == v->cap) {
		size_t cap = v->cap ? 2 * v->cap : 64;
		struct kexec_mem_range *bigger = realloc(v->ranges, cap * sizeof(*bigger));

		if (!bigger)
			return -ENOMEM;
		v->ranges = bigger;
		v->cap = cap;
	}
	v->ranges[v->nr++] = *range;
	return 0;
}

/* totalram_pages(), from the arch's memory view; 0 when it has none. */
static uint64_t system_ram_pages(const struct plan *plan, const struct ram_view *ram)
{
	uint64_t bytes = 0;
	size_t i;

	for (i = 0; i < ram->nr; i++)
		bytes += ram->ranges[i].end - ram->ranges[i].start + 1;
	return bytes / plan->page_size;
}

static bool in_system_ram(const struct ram_view *ram, uint64_t start, uint64_t end)
{
	size_t i;

	for (i = 0; i < ram->nr; i++)
		if (start >= ram->ranges[i].start && end <= ram->ranges[i].end)
			return true;
	return false;
}

static int check_segments(const struct plan *plan, const struct ram_view *ram)
{
	uint64_t page = plan->page_size;
	uint64_t total = 0, ram_pages = system_ram_pages(plan, ram);
	struct kexec_mem_range crashk_range;
	const struct kexec_mem_range *crashk = NULL;
	unsigned int i, j;

	if (plan->crash) {
		if (!plan->arch->crash_region || plan->arch->crash_region(plan, &crashk_range)) {
			kx_error("crash load: no %s (boot with crashkernel=)",
				 plan->arch->crash_region_source ? plan->arch->crash_region_source :
				 "crash kernel region");
			return -EADDRNOTAVAIL;
		}
		crashk = &crashk_range;
	}
	for (i = 0; i < plan->nr_segments; i++) {
		const struct plan_segment *s = &plan->segment[i];
		uint64_t mstart = s->mem, mend = s->mem + s->memsz;

		if (mend < mstart || (mstart & (page - 1)) || (mend & (page - 1))) {
			kx_error("plan check: segment %u (%s) is not page aligned", i, s->what);
			return -EADDRNOTAVAIL;
		}
		if (s->bufsz > s->memsz) {
			kx_error("plan check: segment %u (%s): bufsz 0x%zx > memsz 0x%" PRIx64,
				 i, s->what, s->bufsz, s->memsz);
			return -EINVAL;
		}
		for (j = 0; j < i; j++) {
			const struct plan_segment *p = &plan->segment[j];

			if (mend > p->mem && mstart < p->mem + p->memsz) {
				kx_error("plan check: segments %u (%s) and %u (%s) overlap",
					 j, p->what, i, s->what);
				return -EINVAL;
			}
		}
		if (crashk && (mstart < crashk->start || mend - 1 > crashk->end)) {
			kx_error("plan check: segment %u (%s) is outside the crash region", i, s->what);
			return -EADDRNOTAVAIL;
		}
		/*
		 * A crash load's segments are in the crash region (checked
		 * above), which need not lie in System RAM: s390 lists it
		 * beside it, as memory taken out of the running system.
		 */
		if (!crashk && s->memsz && !in_system_ram(ram, mstart, mend - 1)) {
			kx_error("plan check: segment %u (%s) at 0x%" PRIx64 " is not in System RAM",
				 i, s->what, mstart);
			return -EADDRNOTAVAIL;
		}
		if (ram_pages && s->memsz / page > ram_pages / 2) {
			kx_error("plan check: segment %u (%s) is larger than half of memory", i, s->what);
			return -EINVAL;
		}
		total += s->memsz / page;
	}
	if (ram_pages && total > ram_pages / 2) {
		kx_error("plan check: the segments take more than half of memory");
		return -EINVAL;
	}
	return 0;
}

/* The lowest segment overlapping [start, end], or NULL. */
static const struct plan_segment *first_segment_in(const struct plan *plan, unsigned int nr,
						   uint64_t start, uint64_t end)
{
	const struct plan_segment *first = NULL;
	unsigned int i;

	for (i = 0; i < nr; i++) {
		const struct plan_segment *s = &plan->segment[i];

		if (s->memsz && s->mem <= end && s->mem + s->memsz - 1 >= start &&
		    (!first || s->mem < first->mem))
			first = s;
	}
	return first;
}

static int add_backup_segment(struct plan *plan, uint64_t start, uint64_t end)
{
	uint64_t page = plan->page_size;
	uint64_t first = ALIGN_UP(start, page), last = ALIGN_DOWN(end + 1, page);
	struct plan_segment *seg;

	if (last <= first)
		return 0;
	if (plan->nr_segments >= KEXEC_SEGMENT_MAX) {
		kx_error("--load-preserve-context: the System RAM in --mem-min/--mem-max needs more segments than the kernel takes (%d)",
			 KEXEC_SEGMENT_MAX);
		return -E2BIG;
	}
	seg = &plan->segment[plan->nr_segments++];
	memset(seg, 0, sizeof(*seg));
	seg->mem = first;
	seg->memsz = last - first;
	seg->what = "backup";
	kx_debug("backup: 0x%" PRIx64 "-0x%" PRIx64 " swapped out and back", first, last - 1);
	return 0;
}

int add_backup_segments(struct plan *plan)
{
	unsigned int nr = plan->nr_segments;
	struct ram_view ram = { 0 };
	size_t i;
	int ret = 0;

	if (plan->arch->walk_system_ram &&
	    plan->arch->walk_system_ram(plan, false, ram_view_add, &ram) == -ENOMEM) {
		kx_error("--load-preserve-context: out of memory");
		ret = -ENOMEM;
		goto out_free_ram;
	}
	for (i = 0; i < ram.nr && !ret; i++) {
		uint64_t start = ram.ranges[i].start, end = ram.ranges[i].end;
		const struct plan_segment *s;

		if (start < plan->mem_min)
			start = plan->mem_min;
		if (end > plan->mem_max)
			end = plan->mem_max;
		while (start <= end && !ret) {
			s = first_segment_in(plan, nr, start, end);
			if (!s) {
				ret = add_backup_segment(plan, start, end);
				break;
			}
			if (s->mem > start)
				ret = add_backup_segment(plan, start, s->mem - 1);
			if (s->mem + s->memsz - 1 >= end)
				break;
			start = s->mem + s->memsz;
		}
	}
out_free_ram:
	free(ram.ranges);
	return ret;
}

int plan_sanity_check(const struct plan *plan)
{
	struct ram_view ram = { 0 };
	int ret;

	if (plan->arch->walk_system_ram &&
	    plan->arch->walk_system_ram(plan, false, ram_view_add, &ram) == -ENOMEM) {
		kx_error("plan check: out of memory");
		ret = -ENOMEM;
		goto out_free_ram;
	}
	ret = check_segments(plan, &ram);
out_free_ram:
	free(ram.ranges);
	return ret;
}

void plan_print(const struct plan *plan, void *stream)
{
	FILE *f = stream;
	unsigned int i;

	fprintf(f, "nr_segments = %u\n", plan->nr_segments);
	for (i = 0; i < plan->nr_segments; i++) {
		const struct plan_segment *s = &plan->segment[i];

		fprintf(f, "segment[%u]: buf=%p bufsz=0x%zx mem=0x%" PRIx64 " memsz=0x%" PRIx64 "\n",
			i, s->buf, s->bufsz, s->mem, s->memsz);
	}
	fprintf(f, "entry = 0x%" PRIx64 "\n", plan->entry);
	fprintf(f, "flags = 0x%lx\n", plan->flags | (plan->crash ? KEXEC_ON_CRASH : 0));
	for (i = 0; i < plan->nr_variant; i++)
		fprintf(f, "not the in-kernel plan: %s\n", plan->variant[i]);
	plan_print_unknowable(plan, f);
}

/* A new file name in the plan directory: never through a symlink, never over a file. */
static int write_file(int dirfd, const char *dir, const char *name, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	int fd, ret = 0;

	fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0) {
		ret = -errno;
		kx_error("%s/%s: %s", dir, name, strerror(errno));
		return ret;
	}
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			ret = -errno;
			kx_error("%s/%s: %s", dir, name, strerror(errno));
			goto out_close;
		}
		p += n;
		len -= n;
	}
out_close:
	if (close(fd) && !ret) {
		ret = -errno;
		kx_error("%s/%s: %s", dir, name, strerror(errno));
	}
	return ret;
}

static int plan_manifest(const struct plan *plan, char **text, size_t *len)
{
	FILE *manifest;
	unsigned int i;

	manifest = open_memstream(text, len);
	if (!manifest)
		return -errno;
	fprintf(manifest, "# ukexec plan: index file mem memsz bufsz sha256(buf) what\n");
	fprintf(manifest, "arch %s\nentry 0x%" PRIx64 "\nflags 0x%lx\n", plan->arch->name,
		plan->entry, plan->flags | (plan->crash ? KEXEC_ON_CRASH : 0));
	for (i = 0; i < plan->nr_segments; i++) {
		const struct plan_segment *s = &plan->segment[i];
		uint8_t digest[SHA256_DIGEST_SIZE];
		char hex[2 * SHA256_DIGEST_SIZE + 1];
		int k;

		sha256(s->buf, s->bufsz, digest);
		for (k = 0; k < SHA256_DIGEST_SIZE; k++)
			sprintf(hex + 2 * k, "%02x", digest[k]);
		fprintf(manifest, "segment %u segment-%u.bin 0x%" PRIx64 " 0x%" PRIx64 " 0x%zx %s %s\n",
			i, i, s->mem, s->memsz, s->bufsz, hex, s->what ? s->what : "-");
	}
	if (fclose(manifest))
		return -errno;
	return 0;
}

/*
 * --dump-plan=DIR: DIR is created here (an existing one is refused, so no
 * planted symlink or stale segment of an older plan is ever written through
 * or left beside this one), and every file is a new one opened under it.
 */
int plan_dump(const struct plan *plan, const char *dir)
{
	char name[32], *manifest = NULL;
	size_t manifest_len = 0;
	unsigned int i;
	int dirfd, ret;

	if (mkdir(dir, 0755)) {
		ret = -errno;
		kx_error("--dump-plan=%s: %s%s", dir, strerror(errno),
			 errno == EEXIST ? " (give a directory that does not exist yet)" : "");
		return ret;
	}
	dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dirfd < 0) {
		ret = -errno;
		kx_error("--dump-plan=%s: %s", dir, strerror(errno));
		return ret;
	}
	ret = plan_manifest(plan, &manifest, &manifest_len);
	if (ret) {
		kx_error("%s/manifest: %s", dir, strerror(-ret));
		goto out_close;
	}
	for (i = 0; i < plan->nr_segments; i++) {
		snprintf(name, sizeof(name), "segment-%u.bin", i);
		ret = write_file(dirfd, dir, name, plan->segment[i].buf, plan->segment[i].bufsz);
		if (ret)
			goto out_free;
	}
	ret = write_file(dirfd, dir, "manifest", manifest, manifest_len);
out_free:
	free(manifest);
out_close:
	close(dirfd);
	return ret;
}
