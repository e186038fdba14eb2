/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The system view: everything the plan depends on that comes from the
 * running machine, read under a root prefix (--sysroot) so tests can feed a
 * recorded machine instead of the live one.
 */
#ifndef UKEXEC_SYSVIEW_H
#define UKEXEC_SYSVIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KVER(a, b, c) (((a) << 16) + ((b) << 8) + ((c) > 255 ? 255 : (c)))

/* One /proc/iomem line; resources are kept in file (pre-)order. */
struct iomem_res {
	uint64_t start, end;		/* inclusive, like the kernel's resources */
	unsigned int depth;		/* nesting level: 0 for top-level */
	char name[64];
};

/* One /sys/firmware/memmap entry (the firmware's map, E820 on x86). */
struct memmap_entry {
	uint64_t start, end;		/* inclusive */
	char type[32];
};

struct sysview {
	char root[4096];		/* "" for the live system */
	struct iomem_res *iomem;
	size_t nr_iomem;
	struct memmap_entry *memmap;
	size_t nr_memmap;
	char osrelease[128];		/* uname -r */
	unsigned int kver;		/* KVER() of osrelease, 0 if unparsable */
};

int sysview_open(struct sysview *sv, const char *root);
/* Only the root ("" or NULL: the live system), for reads outside a plan: nothing parsed. */
int sysview_set_root(struct sysview *sv, const char *root);
void sysview_close(struct sysview *sv);

/* Read a whole file under the root (path is absolute, e.g. "/proc/cmdline"). */
int sysview_read_file(const struct sysview *sv, const char *path, uint8_t **buf, size_t *len);
/* Its first max bytes at most (/proc/kcore claims the size of the address space). */
int sysview_read_head(const struct sysview *sv, const char *path, size_t max, uint8_t **buf,
		      size_t *len);
/* Like sysview_read_file, with a NUL appended and a trailing newline dropped. */
int sysview_read_text(const struct sysview *sv, const char *path, char **text);
/*
 * The reason for a sysview_read_* failure, for the caller's one line
 * (-ENODEV: a FIFO, device or socket where the kernel has a regular file).
 */
const char *sysview_strerror(int ret);
bool sysview_exists(const struct sysview *sv, const char *path);
/*
 * A "%llx" (base 16) or "%llu" (base 10) attribute: its digits and nothing
 * else (a trailing newline already dropped); -EINVAL otherwise.
 */
int sysview_read_u64(const struct sysview *sv, const char *path, int base, uint64_t *val);
/*
 * "0x" and 1 to 16 hexadecimal digits, nothing else: what the kernel's
 * "0x%llx" attributes hold (a trailing newline already dropped); -EINVAL
 * for anything else, a corrupt view.
 */
int sysview_parse_0x(const char *text, uint64_t *val);
/* A sysfs directory named "%d" as the kernel makes it (no sign, no leading 0): its number, else -1. */
long sysview_parse_index(const char *name);
/* path under the root, for messages and opendir(). */
void sysview_path(const struct sysview *sv, const char *path, char *out, size_t outsz);

/*
 * The kernel's walk of IORESOURCE_SYSTEM_RAM: "System RAM" resources in
 * iomem pre-order, the children of a match skipped. cb returns nonzero to
 * stop the walk; that value is returned.
 */
typedef int (*sysview_res_cb)(const struct iomem_res *res, void *arg);
int sysview_walk_system_ram(const struct sysview *sv, uint64_t start, uint64_t end,
			    sysview_res_cb cb, void *arg);
int sysview_walk_system_ram_rev(const struct sysview *sv, uint64_t start, uint64_t end,
				sysview_res_cb cb, void *arg);
/*
 * walk_iomem_res_desc() for the resources named name (the kernel matches a
 * descriptor; its names say the same): clipped to [start, end], in
 * pre-order, the children of a match skipped.
 */
int sysview_walk_res(const struct sysview *sv, const char *name, uint64_t start, uint64_t end,
		     sysview_res_cb cb, void *arg);
/* crashk_res (the region crash loads go to) and crashk_low_res (or NULL). */
const struct iomem_res *sysview_crashk_res(const struct sysview *sv);
const struct iomem_res *sysview_crashk_low_res(const struct sysview *sv);
/* The first resource named name (e.g. "Crash kernel"), or NULL. */
const struct iomem_res *sysview_find_res(const struct sysview *sv, const char *name);

/* Parse a kernel release string ("6.1.0-28-amd64") into KVER(); 0 on failure. */
unsigned int sysview_parse_kver(const char *release);
/* Parsers exposed for tests. */
struct iomem_err {
	unsigned int line;		/* 1-based line of /proc/iomem */
	char why[96];
};
int sysview_parse_iomem_err(const char *text, struct iomem_res **out, size_t *nr,
			    struct iomem_err *err);
int sysview_parse_iomem(const char *text, struct iomem_res **out, size_t *nr);

#endif
