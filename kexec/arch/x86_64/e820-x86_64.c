// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The E820 map a kexec'ed kernel gets (arch/x86/kernel/e820.c,
 * e820_table_kexec): the firmware's map, which the kernel exports as
 * /sys/firmware/memmap, plus what the kernel changed in its kexec copy.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "log.h"
#include "sysview.h"
#include "x86_64.h"

static const struct {
	const char *name;
	uint32_t type;
} e820_names[] = {
	/* e820_type_to_string(); "System RAM" also stands for RESERVED_KERN */
	{ "System RAM", E820_TYPE_RAM },
	{ "Reserved", E820_TYPE_RESERVED },
	{ "reserved", E820_TYPE_RESERVED },
	{ "ACPI Tables", E820_TYPE_ACPI },
	{ "ACPI Non-volatile Storage", E820_TYPE_NVS },
	{ "Unusable memory", E820_TYPE_UNUSABLE },
	{ "Persistent Memory (legacy)", E820_TYPE_PRAM },
	{ "Persistent Memory", E820_TYPE_PMEM },
	{ "Soft Reserved", E820_TYPE_SOFT_RESERVED },
};

uint32_t e820_type_of(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(e820_names) / sizeof(e820_names[0]); i++)
		if (!strcmp(name, e820_names[i].name))
			return e820_names[i].type;
	return 0;
}

static void e820_add(struct e820_table *table, uint64_t addr, uint64_t size, uint32_t type)
{
	struct e820_entry *e;

	if (table->nr_entries >= sizeof(table->entries) / sizeof(table->entries[0]))
		return;		/* the kernel drops it too ("too many entries") */
	e = &table->entries[table->nr_entries++];
	e->addr = addr;
	e->size = size;
	e->type = type;
}

static int e820_cmp(const void *a, const void *b)
{
	const struct e820_entry *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/*
 * e820__update_table() for a table whose entries do not overlap: sorted,
 * empty entries dropped, touching entries of one type merged.
 */
static void e820_update_table(struct e820_table *table)
{
	unsigned int i, n = 0;

	qsort(table->entries, table->nr_entries, sizeof(table->entries[0]), e820_cmp);
	for (i = 0; i < table->nr_entries; i++) {
		struct e820_entry *e = &table->entries[i];

		if (!e->size)
			continue;
		if (n && table->entries[n - 1].type == e->type &&
		    table->entries[n - 1].addr + table->entries[n - 1].size == e->addr) {
			table->entries[n - 1].size += e->size;
			continue;
		}
		table->entries[n++] = *e;
	}
	table->nr_entries = n;
}

void e820_range_update(struct e820_table *table, uint64_t start, uint64_t size,
		       uint32_t old_type, uint32_t new_type)
{
	uint64_t end = start + size;
	unsigned int i, nr = table->nr_entries;

	for (i = 0; i < nr; i++) {
		struct e820_entry *e = &table->entries[i];
		uint64_t e_end = e->addr + e->size, fstart, fend;

		if (e->type != old_type)
			continue;
		if (e->addr >= start && e_end <= end) {
			e->type = new_type;
			continue;
		}
		if (e->addr < start && e_end > end) {
			e820_add(table, start, size, new_type);
			e820_add(table, end, e_end - end, e->type);
			e->size = start - e->addr;
			continue;
		}
		fstart = e->addr > start ? e->addr : start;
		fend = e_end < end ? e_end : end;
		if (fstart >= fend)
			continue;
		e820_add(table, fstart, fend - fstart, new_type);
		e->size -= fend - fstart;
		if (e->addr < fstart)
			continue;
		e->addr = fend;
	}
	e820_update_table(table);
}

/*
 * e820__reserve_setup_data(): the boot loader's setup_data blocks become
 * RESERVED_KERN in the kexec table, except the kinds kexec passes on
 * itself. Only the first block's address is visible from userspace
 * (boot_params.hdr.setup_data); /sys/kernel/boot_params/setup_data/0 gives
 * its type and length.
 */
static void e820_reserve_setup_data(const struct sysview *sv, const uint8_t *cur_params,
				    size_t cur_params_len, struct e820_table *table)
{
	uint8_t *data = NULL;
	char *type_text = NULL;
	uint64_t pa_data;
	size_t len;
	unsigned long type;

	if (cur_params_len < BP_SIZE)
		return;
	pa_data = get_le64(cur_params + HDR_SETUP_DATA);
	if (!pa_data)
		return;
	if (sysview_read_text(sv, "/sys/kernel/boot_params/setup_data/0/type", &type_text) ||
	    sysview_read_file(sv, "/sys/kernel/boot_params/setup_data/0/data", &data, &len)) {
		kx_debug("setup_data at 0x%" PRIx64 ": type and size unknown, not reserved", pa_data);
		goto out;
	}
	type = strtoul(type_text, NULL, 0);
	if (type == SETUP_EFI || type == SETUP_IMA || type == SETUP_RNG_SEED)
		goto out;
	kx_debug("setup_data type %lu at 0x%" PRIx64 "+0x%zx: reserved in the E820 map",
		 type, pa_data, SETUP_DATA_HDR_SIZE + len);
	e820_range_update(table, pa_data, SETUP_DATA_HDR_SIZE + len, E820_TYPE_RAM,
			  E820_TYPE_RESERVED_KERN);
	if (sysview_exists(sv, "/sys/kernel/boot_params/setup_data/1"))
		kx_debug("more setup_data blocks: their addresses are not visible, not reserved");
out:
	free(type_text);
	free(data);
}

int e820_table_kexec(const struct sysview *sv, const uint8_t *cur_params,
		     size_t cur_params_len, struct e820_table *table)
{
	size_t i;

	memset(table, 0, sizeof(*table));
	if (!sv->nr_memmap) {
		char path[4096 + 32];

		sysview_path(sv, "/sys/firmware/memmap", path, sizeof(path));
		kx_error("%s: no firmware memory map (the new kernel's E820 comes from it)", path);
		return -ENOENT;
	}
	for (i = 0; i < sv->nr_memmap; i++) {
		const struct memmap_entry *m = &sv->memmap[i];
		uint32_t type = e820_type_of(m->type);

		if (!type) {
			kx_error("/sys/firmware/memmap: unknown memory type '%s' at 0x%" PRIx64,
				 m->type, m->start);
			return -EINVAL;
		}
		e820_add(table, m->start, m->end - m->start + 1, type);
	}
	e820_reserve_setup_data(sv, cur_params, cur_params_len, table);
	return 0;
}
