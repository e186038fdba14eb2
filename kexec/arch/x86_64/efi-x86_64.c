// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What an EFI-booted kernel hands the next one (kexec-bzimage64.c:
 * setup_efi_state, setup_efi_info_memmap, prepare_add_efi_setup_data):
 * the runtime memory map, efi_info and a SETUP_EFI setup_data block. The
 * running kernel shows them as /sys/firmware/efi/{runtime-map,fw_vendor,
 * config_table,systab}.
 */
#include <ctype.h>
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

/* KEY=0x... in /sys/firmware/efi/systab (efi.smbios, efi.acpi20, efi.acpi) */
static uint64_t read_systab(const struct sysview *sv, const char *key)
{
	uint64_t val = EFI_INVALID_TABLE_ADDR;
	size_t keylen = strlen(key);
	char *text, *line, *save;

	if (sysview_read_text(sv, "/sys/firmware/efi/systab", &text))
		return val;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		if (!strncmp(line, key, keylen) && line[keylen] == '=')
			val = strtoull(line + keylen + 1, NULL, 0);
	free(text);
	return val;
}

static int cmp_uint(const void *a, const void *b)
{
	unsigned int x = *(const unsigned int *)a, y = *(const unsigned int *)b;

	return x < y ? -1 : x > y;
}

/* A number in an EFI sysfs file, the failure named with the file. */
static int read_efi_u64(const struct sysview *sv, const char *path, uint64_t *val)
{
	char full[4096 + 128];
	int ret;

	ret = sysview_read_u64(sv, path, 0, val);
	if (ret) {
		sysview_path(sv, path, full, sizeof(full));
		kx_error("%s: %s (the EFI state is passed to the new kernel)", full,
			 ret == -EINVAL ? "not a number" : sysview_strerror(ret));
	}
	return ret;
}

/* The runtime map's entries in their order (directory names 0, 1, ...). */
static int read_runtime_map(const struct sysview *sv, uint32_t desc_size, struct efi_state *st)
{
	static const char *const fields[] = { "type", "phys_addr", "virt_addr", "num_pages",
					      "attribute" };
	unsigned int *idx = NULL, n = 0, i, f;
	char dir[4096 + 64], path[128];
	struct dirent *de;
	DIR *d;
	int ret = 0;

	sysview_path(sv, "/sys/firmware/efi/runtime-map", dir, sizeof(dir));
	d = opendir(dir);
	if (!d) {
		ret = -errno;
		kx_error("%s: %s (the EFI runtime map is passed to the new kernel)", dir,
			 strerror(-ret));
		return ret;
	}
	while ((de = readdir(d))) {
		unsigned int *grown;

		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		grown = realloc(idx, (n + 1) * sizeof(*idx));
		if (!grown) {
			ret = -ENOMEM;
			break;
		}
		idx = grown;
		idx[n++] = (unsigned int)strtoul(de->d_name, NULL, 10);
	}
	closedir(d);
	if (ret)
		goto out;
	qsort(idx, n, sizeof(*idx), cmp_uint);
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

			snprintf(path, sizeof(path), "/sys/firmware/efi/runtime-map/%u/%s", idx[i],
				 fields[f]);
			ret = read_efi_u64(sv, path, &v);
			if (ret)
				goto out;
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
	st->acpi20 = read_systab(sv, "ACPI20");
	st->acpi = read_systab(sv, "ACPI");
	/* without runtime services (noefi, efi=noruntime) the kernel passes nothing */
	if (!sysview_exists(sv, "/sys/firmware/efi/runtime-map"))
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
	st->smbios = read_systab(sv, "SMBIOS");
	return 0;
}

void efi_release_state(struct efi_state *st)
{
	free(st->map);
	st->map = NULL;
	st->map_sz = 0;
}

void setup_efi_state(uint8_t *params, const uint8_t *cur, uint64_t params_load_addr,
		     size_t efi_map_offset, size_t efi_setup_data_offset, const struct efi_state *st)
{
	uint64_t efi_map_phys = params_load_addr + efi_map_offset;
	uint64_t sd_phys = params_load_addr + efi_setup_data_offset;
	uint8_t *sd = params + efi_setup_data_offset, *esd = sd + SETUP_DATA_HDR_SIZE;

	/* the RSDP from the EFI tables when boot_params has none (a stable backport) */
	if (!get_le64(params + BP_ACPI_RSDP_ADDR)) {
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
