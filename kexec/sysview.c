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

int sysview_read_head(const struct sysview *sv, const char *path, size_t max, uint8_t **buf,
		      size_t *len)
{
	char full[4096 + 256];
	uint8_t *data = NULL;
	size_t size = 0, cap = 0;
	int fd, ret;

	sysview_path(sv, path, full, sizeof(full));
	fd = open(full, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	/* sysfs and procfs files report no size: read until EOF (or max) */
	while (size < max) {
		ssize_t n;

		if (size == cap) {
			uint8_t *bigger = realloc(data, cap ? cap * 2 : 4096);

			if (!bigger) {
				ret = -ENOMEM;
				goto out_free;
			}
			data = bigger;
			cap = cap ? cap * 2 : 4096;
		}
		n = read(fd, data + size, (cap < max ? cap : max) - size);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			ret = -errno;
			goto out_free;
		}
		if (n == 0)
			break;
		size += n;
	}
	close(fd);
	*buf = data;
	*len = size;
	return 0;
out_free:
	free(data);
	close(fd);
	return ret;
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

/*
 * "  00100000-bffd9fff : System RAM": two spaces of indent per nesting
 * level, inclusive hex bounds, then the name.
 */
int sysview_parse_iomem(const char *text, struct iomem_res **out, size_t *nr)
{
	struct iomem_res *res = NULL;
	size_t n = 0, cap = 0;
	const char *line = text;

	while (line && *line) {
		const char *eol = strchr(line, '\n');
		size_t linelen = eol ? (size_t)(eol - line) : strlen(line);
		const char *p = line;
		unsigned int indent = 0;
		unsigned long long start, end;
		int used = 0;

		while (*p == ' ' && p < line + linelen) {
			indent++;
			p++;
		}
		if (p < line + linelen) {
			char name[64];
			size_t namelen;
			const char *colon;

			if (sscanf(p, "%llx-%llx%n", &start, &end, &used) != 2 || end < start)
				goto bad_line;
			colon = memchr(p + used, ':', line + linelen - (p + used));
			if (!colon)
				goto bad_line;
			colon++;
			while (*colon == ' ')
				colon++;
			namelen = line + linelen - colon;
			if (namelen >= sizeof(name))
				namelen = sizeof(name) - 1;
			memcpy(name, colon, namelen);
			name[namelen] = '\0';
			if (n == cap) {
				struct iomem_res *bigger = realloc(res, (cap ? cap * 2 : 64) * sizeof(*res));

				if (!bigger) {
					free(res);
					return -ENOMEM;
				}
				res = bigger;
				cap = cap ? cap * 2 : 64;
			}
			res[n].start = start;
			res[n].end = end;
			res[n].depth = indent / 2;
			memcpy(res[n].name, name, namelen + 1);
			n++;
		}
		line = eol ? eol + 1 : NULL;
	}
	*out = res;
	*nr = n;
	return 0;
bad_line:
	free(res);
	return -EINVAL;
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

/* /sys/firmware/memmap/N/{start,end,type}, sorted by start. Optional. */
static int read_memmap(struct sysview *sv)
{
	char dirpath[4096 + 64];
	struct dirent *de;
	DIR *dir;
	int ret = 0;

	sysview_path(sv, "/sys/firmware/memmap", dirpath, sizeof(dirpath));
	dir = opendir(dirpath);
	if (!dir)
		return 0;
	while ((de = readdir(dir))) {
		char path[512], *start = NULL, *end = NULL, *type = NULL;
		struct memmap_entry *e;

		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		snprintf(path, sizeof(path), "/sys/firmware/memmap/%s/start", de->d_name);
		if (sysview_read_text(sv, path, &start))
			goto next;
		snprintf(path, sizeof(path), "/sys/firmware/memmap/%s/end", de->d_name);
		if (sysview_read_text(sv, path, &end))
			goto next;
		snprintf(path, sizeof(path), "/sys/firmware/memmap/%s/type", de->d_name);
		if (sysview_read_text(sv, path, &type))
			goto next;
		e = realloc(sv->memmap, (sv->nr_memmap + 1) * sizeof(*e));
		if (!e) {
			ret = -ENOMEM;
			free(start);
			free(end);
			free(type);
			break;
		}
		sv->memmap = e;
		e = &sv->memmap[sv->nr_memmap++];
		e->start = strtoull(start, NULL, 0);
		e->end = strtoull(end, NULL, 0);
		snprintf(e->type, sizeof(e->type), "%s", type);
next:
		free(start);
		free(end);
		free(type);
	}
	closedir(dir);
	if (sv->nr_memmap)
		qsort(sv->memmap, sv->nr_memmap, sizeof(*sv->memmap), memmap_cmp);
	return ret;
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

int sysview_open(struct sysview *sv, const char *root)
{
	char *text = NULL, path[4096 + 32];
	int ret;

	memset(sv, 0, sizeof(*sv));
	if (root && *root) {
		size_t len = strlen(root);

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
	}
	ret = sysview_read_text(sv, "/proc/iomem", &text);
	if (ret) {
		sysview_path(sv, "/proc/iomem", path, sizeof(path));
		kx_error("%s: %s", path, strerror(-ret));
		return ret;
	}
	ret = sysview_parse_iomem(text, &sv->iomem, &sv->nr_iomem);
	free(text);
	if (ret) {
		sysview_path(sv, "/proc/iomem", path, sizeof(path));
		kx_error("%s: %s", path, ret == -EINVAL ? "malformed line" : strerror(-ret));
		return ret;
	}
	if (iomem_all_zero(sv)) {
		kx_error("%s/proc/iomem: all addresses are zero (read it as root)", sv->root);
		ret = -EPERM;
		goto out_free;
	}
	if (!sysview_read_text(sv, "/proc/sys/kernel/osrelease", &text)) {
		snprintf(sv->osrelease, sizeof(sv->osrelease), "%s", text);
		free(text);
		sv->kver = sysview_parse_kver(sv->osrelease);
	}
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
	char *text, *endp;
	int ret;

	ret = sysview_read_text(sv, path, &text);
	if (ret)
		return ret;
	*val = strtoull(text, &endp, base);
	ret = endp == text ? -EINVAL : 0;
	free(text);
	return ret;
}
