// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The E820 map a kexec'ed kernel gets (arch/x86/kernel/e820.c,
 * e820_table_kexec): the firmware's map, which the kernel exports as
 * /sys/firmware/memmap. The kernels that once marked the boot loader's
 * setup_data RESERVED_KERN in that copy stopped doing so (Debian's 6.12 on
 * an OVMF machine hands over the firmware map unchanged, its two SETUP_PCI
 * blocks included: tests/golden/x86_64-debian-6.12-efi).
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

void add_e820_entry(uint8_t *params, uint64_t addr, uint64_t size, uint32_t type)
{
	unsigned int nr = params[BP_E820_ENTRIES];
	uint8_t *e;

	if (nr >= E820_MAX_ENTRIES_ZEROPAGE)
		return;		/* the zero page holds no more; the kernel stops there too */
	e = params + BP_E820_TABLE + nr * E820_ENTRY_SIZE;
	put_le64(e, addr);
	put_le64(e + 8, size);
	put_le32(e + 16, type);
	params[BP_E820_ENTRIES] = (uint8_t)(nr + 1);
}

int setup_e820_entries(const struct sysview *sv, uint8_t *params)
{
	size_t i;

	params[BP_E820_ENTRIES] = 0;
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
		add_e820_entry(params, m->start, m->end - m->start + 1, type);
	}
	return 0;
}
