/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The x86 boot protocol (Documentation/arch/x86/boot.rst and zero-page.rst):
 * offsets into struct boot_params, the "zero page", which starts with a copy
 * of the bzImage's first 4 KiB. Described as offsets, not as a C struct, so
 * the tool builds little-endian bytes whatever the host.
 */
#ifndef UKEXEC_X86_64_BOOTPARAM_H
#define UKEXEC_X86_64_BOOTPARAM_H

#define BP_SIZE			0x1000	/* sizeof(struct boot_params) */

#define BP_SCREEN_INFO		0x000
#define BP_SCREEN_INFO_SIZE	0x040
#define BP_EXT_MEM_K		0x002	/* screen_info.ext_mem_k (u16) */
#define BP_APM_BIOS_INFO	0x040
#define BP_APM_BIOS_INFO_SIZE	0x014
#define BP_ACPI_RSDP_ADDR	0x070	/* u64 */
#define BP_HD0_INFO		0x080
#define BP_HD1_INFO		0x090
#define BP_HD_INFO_SIZE		0x010
#define BP_EXT_RAMDISK_IMAGE	0x0c0	/* u32 */
#define BP_EXT_RAMDISK_SIZE	0x0c4	/* u32 */
#define BP_EXT_CMD_LINE_PTR	0x0c8	/* u32 */
#define BP_EFI_LOADER_SIGNATURE	0x1c0	/* u32 */
#define BP_EFI_SYSTAB		0x1c4	/* u32 */
#define BP_EFI_MEMDESC_SIZE	0x1c8	/* u32 */
#define BP_EFI_MEMDESC_VERSION	0x1cc	/* u32 */
#define BP_EFI_MEMMAP		0x1d0	/* u32 */
#define BP_EFI_MEMMAP_SIZE	0x1d4	/* u32 */
#define BP_EFI_SYSTAB_HI	0x1d8	/* u32 */
#define BP_EFI_MEMMAP_HI	0x1dc	/* u32 */
#define BP_ALT_MEM_K		0x1e0	/* u32 */
#define BP_E820_ENTRIES		0x1e8	/* u8 */
#define BP_EDDBUF_ENTRIES	0x1e9	/* u8 */
#define BP_SECURE_BOOT		0x1ec	/* u8 */
#define BP_HDR			0x1f1	/* struct setup_header */
#define BP_EDD_MBR_SIG_BUFFER	0x290	/* u32[EDD_MBR_SIG_MAX] */
#define BP_EDD_MBR_SIG_SIZE	(16 * 4)
#define BP_E820_TABLE		0x2d0	/* struct boot_e820_entry[128] */
#define BP_EDDBUF		0xd00	/* struct edd_info[EDDMAXNR] */
#define BP_EDDBUF_SIZE		(6 * 82)

/* struct setup_header, as offsets into the image and into boot_params */
#define HDR_SETUP_SECTS		0x1f1	/* u8 */
#define HDR_SYSSIZE		0x1f4	/* u32: 32/64-bit code size in 16-byte units */
#define HDR_BOOT_FLAG		0x1fe	/* u16, 0xaa55 */
#define HDR_HEADER		0x202	/* "HdrS" */
#define HDR_VERSION		0x206	/* u16 */
#define HDR_TYPE_OF_LOADER	0x210	/* u8 */
#define HDR_LOADFLAGS		0x211	/* u8 */
#define HDR_CODE32_START	0x214	/* u32: where the real-mode setup code jumps */
#define HDR_RAMDISK_IMAGE	0x218	/* u32 */
#define HDR_RAMDISK_SIZE	0x21c	/* u32 */
#define HDR_HEAP_END_PTR	0x224	/* u16: the setup code's heap end, in its segment */
#define HDR_CMD_LINE_PTR	0x228	/* u32 */
#define HDR_INITRD_ADDR_MAX	0x22c	/* u32 */
#define HDR_KERNEL_ALIGNMENT	0x230	/* u32 */
#define HDR_RELOCATABLE_KERNEL	0x234	/* u8 */
#define HDR_XLOADFLAGS		0x236	/* u16 */
#define HDR_CMDLINE_SIZE	0x238	/* u32 */
#define HDR_HARDWARE_SUBARCH	0x23c	/* u32 */
#define HDR_SETUP_DATA		0x250	/* u64 */
#define HDR_PREF_ADDRESS	0x258	/* u64 */
#define HDR_INIT_SIZE		0x260	/* u32 */

#define LOADED_HIGH			0x01
#define CAN_USE_HEAP			0x80
/* the command line of protocols before 2.02: a magic and an offset in the setup segment */
#define BP_CL_MAGIC		0x020	/* u16 */
#define BP_CL_OFFSET		0x022	/* u16 */
#define CL_MAGIC_VALUE		0xa33f
#define XLF_KERNEL_64			0x01
#define XLF_CAN_BE_LOADED_ABOVE_4G	0x02

/* struct setup_data: next (u64), type (u32), len (u32), data[] */
#define SETUP_DATA_HDR_SIZE	16
#define SETUP_EFI		4
#define SETUP_RNG_SEED		9
#define EFI_SETUP_DATA_SIZE	96	/* fw_vendor, __unused, tables, smbios, reserved[8] */
#define RNG_SEED_LENGTH		32

#define E820_MAX_ENTRIES_ZEROPAGE	128
#define E820_ENTRY_SIZE		20	/* addr (u64), size (u64), type (u32), packed */
#define E820_TYPE_RAM		1
#define E820_TYPE_RESERVED	2
#define E820_TYPE_ACPI		3
#define E820_TYPE_NVS		4
#define E820_TYPE_UNUSABLE	5
#define E820_TYPE_PMEM		7
#define E820_TYPE_PRAM		12
#define E820_TYPE_SOFT_RESERVED	0xefffffff

#endif
