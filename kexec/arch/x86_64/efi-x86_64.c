// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What an EFI-booted kernel hands the next one (kexec-bzimage64.c:
 * setup_efi_state, setup_efi_info_memmap, prepare_add_efi_setup_data):
 * the runtime memory map, efi_info and a SETUP_EFI setup_data block. The
 * running kernel shows them as /sys/firmware/efi/{runtime-map,fw_vendor,
 * config_table,systab}.
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "log.h"
#include "sysview.h"
#include "x86_64.h"

#define EFI_MEMDESC_SIZE	40	/* type, pad, phys_addr, virt_addr, num_pages, attribute */
#define EFI_INVALID_TABLE_ADDR	UINT64_MAX

#define EFI_SYSTAB		"/sys/firmware/efi/systab"
#define EFI_SYSTAB_LINES_MAX	16	/* x86 writes 5 at most; older kernels had a few more keys */
#define EFI_RUNTIME_MAP		"/sys/firmware/efi/runtime-map"
#define EFI_RUNTIME_MAP_MAX	65536

/*
 * /sys/firmware/efi/systab: "KEY=0x%lx" lines, each key once (ACPI20,
 * ACPI, SMBIOS3, SMBIOS, UGA in 6.x). Absent: no tables. A line of another
 * shape is a corrupt view, refused with its line number.
 */
static int read_systab(const struct sysview *sv, struct efi_state *st)
{
	static const char *const keys[] = { "ACPI20", "ACPI", "SMBIOS" };
	uint64_t *vals[] = { &st->acpi20, &st->acpi, &st->smbios };
	const char *seen[EFI_SYSTAB_LINES_MAX], *why = NULL;
	char full[4096 + 64], *text, *line, *next;
	unsigned int lineno = 0, i;
	int ret;

	sysview_path(sv, EFI_SYSTAB, full, sizeof(full));
	ret = sysview_read_text(sv, EFI_SYSTAB, &text);
	if (ret == -ENOENT)
		return 0;
	if (ret) {
		kx_error("%s: %s (the EFI tables are passed to the new kernel)", full,
			 sysview_strerror(ret));
		return ret;
	}
	for (line = *text ? text : NULL; line && !why; line = next) {
		char *eq = line + strspn(line, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
		uint64_t val;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (++lineno > EFI_SYSTAB_LINES_MAX) {
			why = "more lines than the kernel writes";
			break;
		}
		if (eq == line || *eq != '=') {
			why = "not a KEY=0x... line";
			break;
		}
		*eq = '\0';
		if (sysview_parse_0x(eq + 1, &val)) {
			why = "not a 0x-prefixed hexadecimal address";
			break;
		}
		for (i = 0; i + 1 < lineno; i++)
			if (!strcmp(seen[i], line))
				why = "a key given twice";
		seen[lineno - 1] = line;
		for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			if (!strcmp(line, keys[i]))
				*vals[i] = val;
	}
	free(text);
	if (why) {
		kx_error("%s:%u: %s", full, lineno, why);
		return -EINVAL;
	}
	return 0;
}

static int cmp_uint(const void *a, const void *b)
{
	unsigned int x = *(const unsigned int *)a, y = *(const unsigned int *)b;

	return x < y ? -1 : x > y;
}

/* A "0x%llx" EFI sysfs attribute, the failure named with the file. */
static int read_efi_u64(const struct sysview *sv, const char *path, uint64_t *val)
{
	char full[4096 + 128], *text;
	int ret;

	ret = sysview_read_text(sv, path, &text);
	if (!ret) {
		ret = sysview_parse_0x(text, val);
		free(text);
	}
	if (ret) {
		sysview_path(sv, path, full, sizeof(full));
		kx_error("%s: %s (the EFI state is passed to the new kernel)", full,
			 ret == -EINVAL ? "not a 0x-prefixed hexadecimal number" :
			 sysview_strerror(ret));
	}
	return ret;
}

/*
 * The runtime map's entry numbers: the kernel makes the directories 0 to
 * n - 1 and nothing else there.
 */
static int read_runtime_map_index(const struct sysview *sv, unsigned int **out, unsigned int *nr)
{
	unsigned int *idx = NULL, n = 0, cap = 0, i;
	char dir[4096 + 64];
	struct dirent *de;
	DIR *d;
	int ret = 0;

	sysview_path(sv, EFI_RUNTIME_MAP, dir, sizeof(dir));
	d = opendir(dir);
	if (!d) {
		ret = -errno;
		kx_error("%s: %s (the EFI runtime map is passed to the new kernel)", dir,
			 strerror(-ret));
		return ret;
	}
	while ((de = readdir(d))) {
		long v;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		v = sysview_parse_index(de->d_name);
		if (v < 0) {
			kx_error("%s/%s: not an entry the kernel makes (a decimal index)", dir,
				 de->d_name);
			ret = -EINVAL;
			goto out_close;
		}
		if (n == EFI_RUNTIME_MAP_MAX) {
			kx_error("%s: more than %u entries", dir, EFI_RUNTIME_MAP_MAX);
			ret = -E2BIG;
			goto out_close;
		}
		if (n == cap) {
			unsigned int *grown = realloc(idx, (cap ? cap * 2 : 64) * sizeof(*idx));

			if (!grown) {
				ret = -ENOMEM;
				goto out_close;
			}
			idx = grown;
			cap = cap ? cap * 2 : 64;
		}
		idx[n++] = (unsigned int)v;
	}
	qsort(idx, n, sizeof(*idx), cmp_uint);
	for (i = 0; i < n; i++)
		if (idx[i] != i) {
			kx_error("%s/%u: missing (the kernel numbers the entries 0 to %u)", dir, i,
				 n - 1);
			ret = -EINVAL;
			goto out_close;
		}
	closedir(d);
	*out = idx;
	*nr = n;
	return 0;
out_close:
	closedir(d);
	free(idx);
	return ret;
}

/* The runtime map's entries in their order (directory names 0, 1, ...). */
static int read_runtime_map(const struct sysview *sv, uint32_t desc_size, struct efi_state *st)
{
	static const char *const fields[] = { "type", "phys_addr", "virt_addr", "num_pages",
					      "attribute" };
	unsigned int *idx = NULL, n = 0, i, f;
	char path[128];
	int ret;

	ret = read_runtime_map_index(sv, &idx, &n);
	if (ret)
		return ret;
	st->map_sz = (size_t)n * desc_size;
	st->map = calloc(1, st->map_sz ? st->map_sz : 1);
	if (!st->map) {
		ret = -ENOMEM;
		goto out;
	}
	for (i = 0; i < n; i++) {
		uint8_t *md = st->map + (size_t)i * desc_size;

		for (f = 0; f < 5; f++) {
			uint64_t v;

			snprintf(path, sizeof(path), EFI_RUNTIME_MAP "/%u/%s", idx[i], fields[f]);
			ret = read_efi_u64(sv, path, &v);
			if (ret)
				goto out;
			if (f == 0 && v > UINT32_MAX) {
				char full[4096 + 128];

				sysview_path(sv, path, full, sizeof(full));
				kx_error("%s: 0x%" PRIx64 " does not fit the descriptor's 32-bit type",
					 full, v);
				ret = -EINVAL;
				goto out;
			}
			if (f == 0)
				put_le32(md, (uint32_t)v);
			else
				put_le64(md + 8 * f, v);
		}
	}
out:
	free(idx);
	return ret;
}

int efi_read_state(const struct sysview *sv, const uint8_t *cur_params, struct efi_state *st)
{
	uint32_t desc_size;
	int ret;

	memset(st, 0, sizeof(*st));
	st->acpi20 = st->acpi = EFI_INVALID_TABLE_ADDR;
	if (!sysview_exists(sv, "/sys/firmware/efi"))
		return 0;
	st->smbios = EFI_INVALID_TABLE_ADDR;
	ret = read_systab(sv, st);
	if (ret)
		return ret;
	/* without runtime services (noefi, efi=noruntime) the kernel passes nothing */
	if (!sysview_exists(sv, EFI_RUNTIME_MAP))
		return 0;
	if (!get_le32(cur_params + BP_EFI_MEMMAP_SIZE))
		return 0;
	desc_size = get_le32(cur_params + BP_EFI_MEMDESC_SIZE);
	if (desc_size < EFI_MEMDESC_SIZE || desc_size > 4096) {
		kx_error("/sys/kernel/boot_params/data: EFI memory descriptor size %u", desc_size);
		return -EINVAL;
	}
	st->enabled = true;
	st->desc_size = desc_size;
	ret = read_runtime_map(sv, desc_size, st);
	if (!ret)
		ret = read_efi_u64(sv, "/sys/firmware/efi/fw_vendor", &st->fw_vendor);
	if (!ret)
		ret = read_efi_u64(sv, "/sys/firmware/efi/config_table", &st->tables);
	if (ret) {
		efi_release_state(st);
		return ret;
	}
	return 0;
}

void efi_release_state(struct efi_state *st)
{
	free(st->map);
	st->map = NULL;
	st->map_sz = 0;
}

void setup_efi_state(uint8_t *params, const uint8_t *cur, uint64_t params_load_addr,
		     size_t efi_map_offset, size_t efi_setup_data_offset, const struct efi_state *st,
		     bool rsdp_from_efi)
{
	uint64_t efi_map_phys = params_load_addr + efi_map_offset;
	uint64_t sd_phys = params_load_addr + efi_setup_data_offset;
	uint8_t *sd = params + efi_setup_data_offset, *esd = sd + SETUP_DATA_HDR_SIZE;

	/* the RSDP from the EFI tables when boot_params has none (profile rule efi-rsdp) */
	if (rsdp_from_efi && !get_le64(params + BP_ACPI_RSDP_ADDR)) {
		if (st->acpi20 != EFI_INVALID_TABLE_ADDR)
			put_le64(params + BP_ACPI_RSDP_ADDR, st->acpi20);
		else if (st->acpi != EFI_INVALID_TABLE_ADDR)
			put_le64(params + BP_ACPI_RSDP_ADDR, st->acpi);
	}
	if (!st->enabled)
		return;
	params[BP_SECURE_BOOT] = cur[BP_SECURE_BOOT];
	memcpy(params + BP_EFI_LOADER_SIGNATURE, cur + BP_EFI_LOADER_SIGNATURE, 4);
	memcpy(params + BP_EFI_SYSTAB, cur + BP_EFI_SYSTAB, 4);
	memcpy(params + BP_EFI_SYSTAB_HI, cur + BP_EFI_SYSTAB_HI, 4);
	memcpy(params + BP_EFI_MEMDESC_VERSION, cur + BP_EFI_MEMDESC_VERSION, 4);
	put_le32(params + BP_EFI_MEMDESC_SIZE, st->desc_size);

	/* setup_efi_info_memmap() */
	if (st->map_sz) {
		memcpy(params + efi_map_offset, st->map, st->map_sz);
		put_le32(params + BP_EFI_MEMMAP, (uint32_t)efi_map_phys);
		put_le32(params + BP_EFI_MEMMAP_HI, (uint32_t)(efi_map_phys >> 32));
		put_le32(params + BP_EFI_MEMMAP_SIZE, (uint32_t)st->map_sz);
	}

	/* prepare_add_efi_setup_data() */
	put_le64(esd, st->fw_vendor);
	put_le64(esd + 16, st->tables);
	put_le64(esd + 24, st->smbios);
	put_le32(sd + 8, SETUP_EFI);
	put_le32(sd + 12, EFI_SETUP_DATA_SIZE);
	put_le64(sd, get_le64(params + HDR_SETUP_DATA));
	put_le64(params + HDR_SETUP_DATA, sd_phys);
}
