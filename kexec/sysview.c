// SPDX-License-Identifier: GPL-2.0-or-later
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "log.h"
#include "sysview.h"

void sysview_path(const struct sysview *sv, const char *path, char *out, size_t outsz)
{
	snprintf(out, outsz, "%s%s", sv->root, path);
}

bool sysview_exists(const struct sysview *sv, const char *path)
{
	char full[4096 + 256];

	sysview_path(sv, path, full, sizeof(full));
	return access(full, F_OK) == 0;
}

/*
 * The most the kernel itself puts in a file of the system view: sysfs
 * attributes hold one page (64 KiB on the largest page size), procfs text
 * files are bounded by what they list. A larger file is not a kernel's.
 */
static size_t read_cap(const char *path)
{
	/* binary attributes: the flattened device tree (a u32 totalsize; the
	 * largest machines' trees are a few MiB), debugfs' memblock lists */
	if (!strcmp(path, "/sys/firmware/fdt"))
		return 64 << 20;
	if (!strncmp(path, "/sys/kernel/debug/", 18))
		return 16 << 20;
	if (!strncmp(path, "/sys/", 5))
		return 65536;
	if (!strcmp(path, "/proc/iomem"))
		return 16 << 20;
	if (!strcmp(path, "/proc/cmdline") || !strncmp(path, "/proc/sys/", 10) ||
	    !strcmp(path, "/proc/self/auxv"))
		return 65536;
	/* /proc/config.gz, /boot/config-*: a kernel configuration */
	return 16 << 20;
}

int sysview_read_head(const struct sysview *sv, const char *path, size_t max, uint8_t **buf,
		      size_t *len)
{
	char full[4096 + 256];
	uint8_t *data = NULL;
	size_t size = 0, cap = 0, limit = read_cap(path);
	bool whole = max == SIZE_MAX;
	struct stat st;
	int fd, ret;

	if (max > limit)
		max = limit;
	sysview_path(sv, path, full, sizeof(full));
	/* O_NONBLOCK: a FIFO planted in the view must not hang the open */
	fd = open(full, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		/* a socket or a device node without its driver: not a file either */
		return errno == ENXIO ? -ENODEV : -errno;
	if (fstat(fd, &st)) {
		ret = -errno;
		goto out_close;
	}
	if (!S_ISREG(st.st_mode)) {
		ret = S_ISDIR(st.st_mode) ? -EISDIR : -ENODEV;
		goto out_close;
	}
	/* sysfs and procfs files report no size: read until EOF (or max) */
	while (size < max || (whole && size == max)) {
		ssize_t n;

		if (size == cap) {
			size_t want = cap ? cap * 2 : 4096;
			uint8_t *bigger;

			if (want > max + 1)
				want = max + 1;
			bigger = realloc(data, want);
			if (!bigger) {
				ret = -ENOMEM;
				goto out_free;
			}
			data = bigger;
			cap = want;
		}
		n = read(fd, data + size, cap - size);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			ret = -errno;
			goto out_free;
		}
		if (n == 0)
			break;
		size += n;
		if (whole && size > max) {
			/* more than the kernel could have written there */
			ret = -EFBIG;
			goto out_free;
		}
	}
	if (size > max)
		size = max;
	close(fd);
	*buf = data;
	*len = size;
	return 0;
out_free:
	free(data);
out_close:
	close(fd);
	return ret;
}

const char *sysview_strerror(int ret)
{
	if (ret == -ENODEV)
		return "not a regular file";
	return strerror(-ret);
}

int sysview_read_file(const struct sysview *sv, const char *path, uint8_t **buf, size_t *len)
{
	return sysview_read_head(sv, path, SIZE_MAX, buf, len);
}

int sysview_read_text(const struct sysview *sv, const char *path, char **text)
{
	uint8_t *buf;
	size_t len;
	char *t;
	int ret;

	ret = sysview_read_file(sv, path, &buf, &len);
	if (ret)
		return ret;
	t = realloc(buf, len + 1);
	if (!t) {
		free(buf);
		return -ENOMEM;
	}
	t[len] = '\0';
	if (len && t[len - 1] == '\n')
		t[len - 1] = '\0';
	*text = t;
	return 0;
}

/* Digits of a hexadecimal number in [p, end): at most 16; 0 if there are none. */
static size_t parse_hex(const char *p, const char *end, uint64_t *val)
{
	size_t n = 0;

	*val = 0;
	while (p + n < end && isxdigit((unsigned char)p[n]) && n < 17) {
		int c = tolower((unsigned char)p[n]);

		*val = *val << 4 | (uint64_t)(c <= '9' ? c - '0' : c - 'a' + 10);
		n++;
	}
	return n > 16 ? 0 : n;
}

#define IOMEM_DEPTH_MAX	16

static int iomem_fail(struct iomem_err *err, unsigned int line, const char *why)
{
	if (err) {
		err->line = line;
		snprintf(err->why, sizeof(err->why), "%s", why);
	}
	return -EINVAL;
}

/*
 * "  00100000-bffd9fff : System RAM": two spaces of indent per nesting
 * level, inclusive hex bounds, then the name. The kernel prints its resource
 * tree: a child lies inside its parent and siblings are sorted and disjoint,
 * so anything else is a corrupt view. An unprivileged reader sees every
 * range as 0-0: those lines are kept unchecked (sysview_open refuses them).
 */
int sysview_parse_iomem_err(const char *text, struct iomem_res **out, size_t *nr,
			    struct iomem_err *err)
{
	struct iomem_res *res = NULL;
	/* the open ancestors and the last sibling seen at each depth (index into res, or -1) */
	long parent[IOMEM_DEPTH_MAX + 1], sibling[IOMEM_DEPTH_MAX + 1];
	size_t n = 0, cap = 0;
	const char *line = text;
	unsigned int lineno = 0, depth_prev = 0;
	int ret;

	for (int i = 0; i <= IOMEM_DEPTH_MAX; i++)
		parent[i] = sibling[i] = -1;
	while (line && *line) {
		const char *eol = strchr(line, '\n');
		const char *end = eol ? eol : line + strlen(line);
		const char *p = line;
		unsigned int indent = 0, depth;
		uint64_t start, last;
		size_t digits, namelen;

		lineno++;
		line = eol ? eol + 1 : NULL;
		while (p < end && *p == ' ') {
			indent++;
			p++;
		}
		if (p == end)
			continue;
		if (indent % 2) {
			ret = iomem_fail(err, lineno, "odd indentation");
			goto out_free;
		}
		depth = indent / 2;
		if (depth > IOMEM_DEPTH_MAX || (depth > depth_prev + 1) || (!n && depth)) {
			ret = iomem_fail(err, lineno, "indented deeper than one level below the line before");
			goto out_free;
		}
		digits = parse_hex(p, end, &start);
		if (!digits || p + digits >= end || p[digits] != '-') {
			ret = iomem_fail(err, lineno, "no \"start-end\" hexadecimal range");
			goto out_free;
		}
		p += digits + 1;
		digits = parse_hex(p, end, &last);
		if (!digits) {
			ret = iomem_fail(err, lineno, "no \"start-end\" hexadecimal range");
			goto out_free;
		}
		p += digits;
		if (end - p < 3 || memcmp(p, " : ", 3)) {
			ret = iomem_fail(err, lineno, "no \" : \" after the range");
			goto out_free;
		}
		p += 3;
		if (last < start) {
			ret = iomem_fail(err, lineno, "range ends below its start");
			goto out_free;
		}
		if (start || last) {
			long up = depth ? parent[depth - 1] : -1, sib = sibling[depth];

			if (up >= 0 && (start < res[up].start || last > res[up].end)) {
				ret = iomem_fail(err, lineno, "range outside its parent resource");
				goto out_free;
			}
			if (sib >= 0 && start <= res[sib].end) {
				ret = iomem_fail(err, lineno, res[sib].start <= start ?
						 "range overlaps the resource before it" :
						 "range below the resource before it (unsorted)");
				goto out_free;
			}
			/* no architecture Linux runs on addresses 2^52 bytes of memory */
			if (end - p == 10 && !memcmp(p, "System RAM", 10) && last >> 52) {
				ret = iomem_fail(err, lineno, "System RAM beyond 2^52, no machine's physical address space");
				goto out_free;
			}
			if (end - p == 12 && !memcmp(p, "Crash kernel", 12) &&
			    ((start | (last + 1)) & 4095)) {
				ret = iomem_fail(err, lineno, "crash kernel region not page-aligned");
				goto out_free;
			}
		}
		namelen = (size_t)(end - p);
		if (namelen >= sizeof(res->name))
			namelen = sizeof(res->name) - 1;
		if (n == cap) {
			struct iomem_res *bigger = realloc(res, (cap ? cap * 2 : 64) * sizeof(*res));

			if (!bigger) {
				ret = -ENOMEM;
				goto out_free;
			}
			res = bigger;
			cap = cap ? cap * 2 : 64;
		}
		res[n].start = start;
		res[n].end = last;
		res[n].depth = depth;
		memcpy(res[n].name, p, namelen);
		res[n].name[namelen] = '\0';
		parent[depth] = sibling[depth] = (long)n;
		for (unsigned int d = depth + 1; d <= IOMEM_DEPTH_MAX; d++)
			parent[d] = sibling[d] = -1;
		depth_prev = depth;
		n++;
	}
	*out = res;
	*nr = n;
	return 0;
out_free:
	free(res);
	return ret;
}

int sysview_parse_iomem(const char *text, struct iomem_res **out, size_t *nr)
{
	return sysview_parse_iomem_err(text, out, nr, NULL);
}

unsigned int sysview_parse_kver(const char *release)
{
	unsigned int a, b, c = 0;
	int n;

	if (sscanf(release, "%u.%u%n", &a, &b, &n) < 2)
		return 0;
	if (release[n] == '.')
		sscanf(release + n + 1, "%u", &c);
	if (a > 255 || b > 255)
		return 0;
	return KVER(a, b, c);
}

static int memmap_cmp(const void *a, const void *b)
{
	const struct memmap_entry *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

long sysview_parse_index(const char *name)
{
	size_t len = strspn(name, "0123456789");

	if (!len || name[len] || len > 9 || (name[0] == '0' && len > 1))
		return -1;
	return strtol(name, NULL, 10);
}

int sysview_parse_0x(const char *text, uint64_t *val)
{
	const char *end = text + strlen(text);
	size_t digits;

	if (strncmp(text, "0x", 2))
		return -EINVAL;
	digits = parse_hex(text + 2, end, val);
	if (!digits || digits != (size_t)(end - text - 2))
		return -EINVAL;
	return 0;
}

static int read_memmap_entry(struct sysview *sv, const char *dir, struct memmap_entry *e)
{
	static const char *const files[] = { "start", "end", "type" };
	char *text[3] = { NULL, NULL, NULL };
	char path[512], full[4096 + 512];
	const char *why = NULL;
	int ret = 0;
	size_t i;

	for (i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "/sys/firmware/memmap/%s/%s", dir, files[i]);
		ret = sysview_read_text(sv, path, &text[i]);
		if (ret) {
			why = sysview_strerror(ret);
			goto out_free;
		}
	}
	if (sysview_parse_0x(text[0], &e->start)) {
		i = 0;
		why = "not a 0x-prefixed hexadecimal address";
	} else if (sysview_parse_0x(text[1], &e->end)) {
		i = 1;
		why = "not a 0x-prefixed hexadecimal address";
	} else if (e->end < e->start) {
		i = 1;
		why = "end below start";
	} else if (!text[2][0] || strlen(text[2]) >= sizeof(e->type)) {
		i = 2;
		why = "empty or overlong type";
	} else {
		memcpy(e->type, text[2], strlen(text[2]) + 1);
	}
	if (why)
		ret = -EINVAL;
out_free:
	if (why) {
		snprintf(path, sizeof(path), "/sys/firmware/memmap/%s/%s", dir, files[i]);
		sysview_path(sv, path, full, sizeof(full));
		kx_error("%s: %s", full, why);
	}
	for (i = 0; i < 3; i++)
		free(text[i]);
	return ret;
}

/*
 * /sys/firmware/memmap/N/{start,end,type}, sorted by start. Optional as a
 * whole; an entry the kernel could not have written is refused, never
 * turned into a different map for the next kernel.
 */
static int read_memmap(struct sysview *sv)
{
	char dirpath[4096 + 64];
	struct dirent *de;
	size_t cap = 0;
	DIR *dir;
	int ret = 0;

	sysview_path(sv, "/sys/firmware/memmap", dirpath, sizeof(dirpath));
	dir = opendir(dirpath);
	if (!dir) {
		if (errno == ENOENT)
			return 0;
		ret = -errno;
		kx_error("%s: %s", dirpath, strerror(-ret));
		return ret;
	}
	while ((de = readdir(dir))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (sysview_parse_index(de->d_name) < 0) {
			kx_error("%s/%s: not an entry the kernel makes (a decimal index)", dirpath,
				 de->d_name);
			ret = -EINVAL;
			break;
		}
		if (sv->nr_memmap >= 65536) {
			kx_error("%s: more than 65536 entries", dirpath);
			ret = -E2BIG;
			break;
		}
		if (sv->nr_memmap == cap) {
			struct memmap_entry *e = realloc(sv->memmap, (cap ? cap * 2 : 64) * sizeof(*e));

			if (!e) {
				ret = -ENOMEM;
				break;
			}
			sv->memmap = e;
			cap = cap ? cap * 2 : 64;
		}
		ret = read_memmap_entry(sv, de->d_name, &sv->memmap[sv->nr_memmap]);
		if (ret)
			break;
		sv->nr_memmap++;
	}
	closedir(dir);
	if (sv->nr_memmap)
		qsort(sv->memmap, sv->nr_memmap, sizeof(*sv->memmap), memmap_cmp);
	return ret;
}

/*
 * uname -r, optional (a recorded machine may lack it); present, it is what
 * the kernel writes: at most __NEW_UTS_LEN (64) characters.
 */
static int read_osrelease(struct sysview *sv)
{
	char *text, path[4096 + 64];
	const char *why = NULL;
	int ret;

	ret = sysview_read_text(sv, "/proc/sys/kernel/osrelease", &text);
	if (ret == -ENOENT)
		return 0;
	if (ret)
		why = sysview_strerror(ret);
	else if (strlen(text) > 64 || strchr(text, '\n'))
		why = "not a kernel release (one line of at most 64 characters)";
	if (why) {
		sysview_path(sv, "/proc/sys/kernel/osrelease", path, sizeof(path));
		kx_error("%s: %s", path, why);
		if (!ret)
			free(text);
		return ret ? ret : -EINVAL;
	}
	memcpy(sv->osrelease, text, strlen(text) + 1);
	free(text);
	sv->kver = sysview_parse_kver(sv->osrelease);
	return 0;
}

/* Without CAP_SYS_ADMIN the kernel shows every address as zero. */
static bool iomem_all_zero(const struct sysview *sv)
{
	size_t i;

	for (i = 0; i < sv->nr_iomem; i++)
		if (sv->iomem[i].start || sv->iomem[i].end)
			return false;
	return sv->nr_iomem > 0;
}

int sysview_set_root(struct sysview *sv, const char *root)
{
	size_t len;
	int ret;

	memset(sv, 0, sizeof(*sv));
	if (!root || !*root)
		return 0;
	len = strlen(root);
	if (len >= sizeof(sv->root)) {
		kx_error("%s: sysroot path too long", root);
		return -ENAMETOOLONG;
	}
	memcpy(sv->root, root, len + 1);
	while (len > 1 && sv->root[len - 1] == '/')
		sv->root[--len] = '\0';
	if (access(sv->root, F_OK)) {
		ret = -errno;
		kx_error("%s: %s", sv->root, strerror(errno));
		return ret;
	}
	return 0;
}

int sysview_open(struct sysview *sv, const char *root)
{
	char *text = NULL, path[4096 + 32];
	struct iomem_err err;
	int ret;

	ret = sysview_set_root(sv, root);
	if (ret)
		return ret;
	ret = sysview_read_text(sv, "/proc/iomem", &text);
	if (ret) {
		sysview_path(sv, "/proc/iomem", path, sizeof(path));
		kx_error("%s: %s", path, sysview_strerror(ret));
		return ret;
	}
	ret = sysview_parse_iomem_err(text, &sv->iomem, &sv->nr_iomem, &err);
	free(text);
	if (ret) {
		sysview_path(sv, "/proc/iomem", path, sizeof(path));
		if (ret == -EINVAL)
			kx_error("%s:%u: %s", path, err.line, err.why);
		else
			kx_error("%s: %s", path, strerror(-ret));
		return ret;
	}
	if (iomem_all_zero(sv)) {
		kx_error("%s/proc/iomem: all addresses are zero (read it as root)", sv->root);
		ret = -EPERM;
		goto out_free;
	}
	ret = read_osrelease(sv);
	if (ret)
		goto out_free;
	ret = read_memmap(sv);
	if (ret)
		goto out_free;
	return 0;
out_free:
	sysview_close(sv);
	return ret;
}

void sysview_close(struct sysview *sv)
{
	free(sv->iomem);
	free(sv->memmap);
	sv->iomem = NULL;
	sv->memmap = NULL;
	sv->nr_iomem = sv->nr_memmap = 0;
}

const struct iomem_res *sysview_find_res(const struct sysview *sv, const char *name)
{
	size_t i;

	for (i = 0; i < sv->nr_iomem; i++)
		if (!strcmp(sv->iomem[i].name, name))
			return &sv->iomem[i];
	return NULL;
}

/*
 * The kernel's crashk_res and crashk_low_res: with crashkernel=X,high there
 * are two "Crash kernel" resources, the main one above the low one.
 */
static const struct iomem_res *crash_res(const struct sysview *sv, bool low)
{
	const struct iomem_res *lo = NULL, *hi = NULL;
	size_t i;

	for (i = 0; i < sv->nr_iomem; i++) {
		const struct iomem_res *r = &sv->iomem[i];

		if (strcmp(r->name, "Crash kernel"))
			continue;
		if (!lo || r->start < lo->start)
			lo = r;
		if (!hi || r->start > hi->start)
			hi = r;
	}
	if (low)
		return lo != hi ? lo : NULL;
	return hi;
}

const struct iomem_res *sysview_crashk_res(const struct sysview *sv)
{
	return crash_res(sv, false);
}

const struct iomem_res *sysview_crashk_low_res(const struct sysview *sv)
{
	return crash_res(sv, true);
}

/*
 * The resources walk_system_ram_res() visits: pre-order, the first matching
 * resource wins and its children are not visited; each clipped to
 * [start, end].
 */
static size_t collect_res(const struct sysview *sv, const char *name, uint64_t start,
			  uint64_t end, struct iomem_res *out)
{
	unsigned int skip_depth = ~0u;
	size_t i, n = 0;

	for (i = 0; i < sv->nr_iomem; i++) {
		const struct iomem_res *r = &sv->iomem[i];

		if (r->depth > skip_depth)
			continue;
		skip_depth = ~0u;
		if (strcmp(r->name, name))
			continue;
		skip_depth = r->depth;
		if (r->end < start || r->start > end)
			continue;
		out[n] = *r;
		if (out[n].start < start)
			out[n].start = start;
		if (out[n].end > end)
			out[n].end = end;
		n++;
	}
	return n;
}

int sysview_walk_system_ram(const struct sysview *sv, uint64_t start, uint64_t end,
			    sysview_res_cb cb, void *arg)
{
	struct iomem_res *ram;
	size_t i, n;
	int ret = 0;

	ram = malloc((sv->nr_iomem + 1) * sizeof(*ram));
	if (!ram)
		return -ENOMEM;
	n = collect_res(sv, "System RAM", start, end, ram);
	for (i = 0; i < n && !ret; i++)
		ret = cb(&ram[i], arg);
	free(ram);
	return ret;
}

int sysview_walk_system_ram_rev(const struct sysview *sv, uint64_t start, uint64_t end,
				sysview_res_cb cb, void *arg)
{
	struct iomem_res *ram;
	size_t n;
	int ret = 0;

	ram = malloc((sv->nr_iomem + 1) * sizeof(*ram));
	if (!ram)
		return -ENOMEM;
	n = collect_res(sv, "System RAM", start, end, ram);
	while (n-- && !ret)
		ret = cb(&ram[n], arg);
	free(ram);
	return ret;
}

int sysview_walk_res(const struct sysview *sv, const char *name, uint64_t start, uint64_t end,
		     sysview_res_cb cb, void *arg)
{
	struct iomem_res *res;
	size_t i, n;
	int ret = 0;

	res = malloc((sv->nr_iomem + 1) * sizeof(*res));
	if (!res)
		return -ENOMEM;
	n = collect_res(sv, name, start, end, res);
	for (i = 0; i < n && !ret; i++)
		ret = cb(&res[i], arg);
	free(res);
	return ret;
}

int sysview_read_u64(const struct sysview *sv, const char *path, int base, uint64_t *val)
{
	const char *digits = base == 16 ? "0123456789abcdefABCDEF" : "0123456789";
	char *text;
	size_t len;
	int ret;

	ret = sysview_read_text(sv, path, &text);
	if (ret)
		return ret;
	/* strtoull alone would take a sign, a 0x, spaces and anything after the digits */
	len = strlen(text);
	ret = -EINVAL;
	if (len && strspn(text, digits) == len) {
		errno = 0;
		*val = strtoull(text, NULL, base);
		if (errno != ERANGE)
			ret = 0;
	}
	free(text);
	return ret;
}
