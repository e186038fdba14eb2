/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the x86_64 loader's files share. */
#ifndef UKEXEC_X86_64_H
#define UKEXEC_X86_64_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "arch.h"
#include "byteorder.h"
#include "bootparam.h"

struct plan;
struct purgatory_info;
struct sysview;

/* The E820 type of a /sys/firmware/memmap (or /proc/iomem) name; 0 if unknown. */
uint32_t e820_type_of(const char *name);

/* Append an entry to boot_params' E820 table (at most E820_MAX_ENTRIES_ZEROPAGE). */
void add_e820_entry(uint8_t *params, uint64_t addr, uint64_t size, uint32_t type);
/*
 * setup_e820_entries(): the kernel's e820_table_kexec, which is the firmware's
 * map (/sys/firmware/memmap), into params. One message on failure.
 */
int setup_e820_entries(const struct sysview *sv, uint8_t *params);

/*
 * The purgatory hook (arch->purgatory_from): the x86_64 purgatory embedded in
 * a bzImage (the kernel's own): the payload via the setup header,
 * decompressed, scanned for an ET_REL object. *obj is malloc'ed; its size in
 * *objlen.
 */
int purgatory_from_kernel(const uint8_t *image, size_t len, const char *name,
			  uint8_t **obj, size_t *objlen);

/* efi-x86_64.c: what an EFI-booted kernel passes on */
struct efi_state {
	bool enabled;			/* runtime services and a memory map */
	uint32_t desc_size;
	uint8_t *map;			/* the runtime map, desc_size per entry */
	size_t map_sz;
	uint64_t fw_vendor, tables, smbios;
	uint64_t acpi20, acpi;		/* EFI's RSDP pointers, or EFI_INVALID_TABLE_ADDR */
};

int efi_read_state(const struct sysview *sv, const uint8_t *cur_params, struct efi_state *st);
void efi_release_state(struct efi_state *st);
void setup_efi_state(uint8_t *params, const uint8_t *cur, uint64_t params_load_addr,
		     size_t efi_map_offset, size_t efi_setup_data_offset, const struct efi_state *st,
		     bool rsdp_from_efi);

/* crash-x86_64.c: the ELF core header segment; the crash kernel's E820 map */
int crash_load_segments(struct plan *plan);
int crash_setup_memmap_entries(struct plan *plan, uint8_t *params);

/* x86-linux-setup.c: boot_params and the purgatory's registers, for every loader */
enum {
	REG_RAX, REG_RCX, REG_RDX, REG_RBX, REG_RSP, REG_RBP, REG_RSI, REG_RDI,
	REG_R8, REG_R9, REG_R10, REG_R11, REG_R12, REG_R13, REG_R14, REG_R15,
	REG_RIP, NR_REGS64
};
/* entry32_regs in our purgatory (purgatory/arch/x86_64/entry32.S), kexec-tools' order */
enum {
	REG_EAX, REG_EBX, REG_ECX, REG_EDX, REG_ESI, REG_EDI, REG_ESP, REG_EBP, REG_EIP,
	NR_REGS32
};

#define MAX_ELFCOREHDR_STR_LEN	30	/* "elfcorehdr=0x<64-bit value> " */
/* kexec-tools' room behind the command line for what its purgatory appends */
#define PURGATORY_CMDLINE_SIZE	64

/* A loader's state between its steps (the kernel keeps it on the stack). */
struct bzimage64 {
	struct plan *plan;
	const struct kexec_inputs *in;
	const uint8_t *cur_params;	/* the running kernel's boot_params */
	size_t kern16_size;		/* the real-mode setup code, not loaded */
	uint8_t *params;		/* the new boot_params segment */
	size_t params_sz;
	uint64_t params_load_addr;
	struct efi_state efi;
	size_t efi_map_offset;		/* in params */
	size_t setup_data_offset;	/* in params: the EFI setup_data and those after it */
};

void setup_initrd(uint8_t *params, uint64_t initrd_load_addr, uint64_t initrd_len);
void setup_cmdline(struct plan *plan, uint8_t *params, uint64_t bootparams_load_addr,
		   size_t cmdline_offset, const char *cmdline, size_t cmdline_len);
int setup_boot_parameters(struct bzimage64 *bz, uint64_t params_load_addr,
			  size_t setup_data_offset);
/*
 * Why buf is not a bzImage of boot protocol min_protocol or later (too
 * short, no "HdrS", no boot flag, too old, not loaded high); NULL if it is.
 */
const char *bzImage_header_refusal(const uint8_t *buf, size_t len, uint16_t min_protocol);
/* An ELF or beoboot file: its own loader says why it refused it. */
bool is_other_x86_image(const uint8_t *buf, size_t len);
/* bz->kern16_size, the real-mode setup code; a file no longer than it, or --dtb, refused. */
int bzImage_setup_size(struct bzimage64 *bz);
/* The running kernel's boot_params (/sys/kernel/boot_params/data) into bz->cur_params. */
int read_boot_params(struct bzimage64 *bz);
/* bz->params, sized as the kernel's bzImage64 loader sizes it (bz->efi read first). */
int alloc_boot_params(struct bzimage64 *bz);
/* --load-preserve-context: the purgatory's cmdline_end, where it appends kexec_jump_back_entry= */
int set_cmdline_end(struct plan *plan, uint64_t nul_addr);
/*
 * kexec-tools' init_linux_parameters(), for an ELF kernel (no setup header):
 * "HdrS", protocol 2.06, its default initrd_addr_max and cmdline_size.
 */
#define ELF_BOOT_PROTOCOL	0x0206
#define DEFAULT_INITRD_ADDR_MAX	0x37ffffff
#define COMMAND_LINE_SIZE	2048
void init_linux_parameters(uint8_t *params);
/* The image's setup header into bz->params. */
void copy_setup_header(struct bzimage64 *bz);
/* The boot_params segment, top-down in [buf_min, buf_max]: bz->params_load_addr. */
int add_boot_params(struct bzimage64 *bz, uint64_t buf_min, uint64_t buf_max);
/* The initrd segment, top-down in [buf_min, buf_max], recorded in boot_params. */
int add_initrd(struct bzimage64 *bz, uint64_t buf_min, uint64_t buf_max);
/* The command line, the loader id and the firmware's information into boot_params. */
int setup_linux_parameters(struct bzimage64 *bz);
/* The purgatory's entry64_regs: %rsi at boot_params, %rip the kernel's 64-bit entry. */
int set_entry64_regs(struct purgatory_info *pi, uint64_t bootparam_load_addr, uint64_t rip);
/*
 * A 32-bit protected-mode entry: entry32_regs (esp 0: the purgatory's
 * stack), with entry64_regs' rip at the purgatory's entry32.
 */
int set_entry32_regs(struct purgatory_info *pi, const uint32_t regs32[NR_REGS32]);

/* Whether kexec-tools' option --name was given (an arch option: struct arch_option). */
bool x86_has_option(const struct kexec_inputs *in, const char *name);
/* --module given to a loader other than the multiboot ones: one message naming what the image is. */
void x86_ignore_modules(const struct kexec_inputs *in, const char *what);

extern const struct kexec_file_ops x86_64_bzImage64_ops;
/* kexec-tools' bzImage loader, 32-bit entry (kexec-bzimage.c); also bzImage64 with --entry-32bit */
extern const struct kexec_file_ops x86_64_bzImage_ops;
int do_bzImage_load(struct plan *plan, const struct kexec_inputs *in);
/* kexec-tools' multiboot loader (kexec-multiboot-x86.c) */
extern const struct kexec_file_ops x86_64_multiboot_ops;
/* kexec-multiboot-x86.c, shared with the multiboot2 loader: */
struct kexec_elf_info;
/* kexec-tools' elf_x86_probe(): an i386 ELF32 executable */
bool is_elf_x86(const uint8_t *buf, size_t len);
/* an i386 ELF32's e_machine: EM_386, or the long-retired EM_486 (6) kexec-tools takes too */
bool is_elf32_i386(const uint8_t *buf, size_t len);
/* -p, --initrd, --dtb refused for a multiboot(2) image (kind: "multiboot", "multiboot2") */
int multiboot_refuse_inputs(const struct plan *plan, const struct kexec_inputs *in,
			    const char *kind);
/* kexec-tools' load_elf_segments(): each PT_LOAD at its p_paddr + base */
int load_elf_segments(struct plan *plan, const struct kexec_inputs *in,
		      const struct kexec_elf_info *elf, uint64_t base);
/* kexec-tools' elf_exec_build_load(): each PT_LOAD at its p_paddr */
int elf_exec_build_load(struct plan *plan, const struct kexec_inputs *in,
			const struct kexec_elf_info *elf);
/* Top-down below 4 GiB, as kexec-tools' add_buffer(..., 0, 0xffffffff, 1) */
int add_buffer32(struct plan *plan, const void *buf, size_t len, uint64_t align,
		 const char *what, uint64_t *addr);
/* One --module="FILE ARGS": FILE (decompressed) page-aligned below 4 GiB: [*start, *end) */
int load_multiboot_module(struct plan *plan, const char *spec, uint64_t *start, uint64_t *end);
/* kexec-tools' multiboot2 loader (kexec-mb2-x86.c) */
extern const struct kexec_file_ops x86_64_multiboot2_ops;
/* kexec-tools' beoboot loader (kexec-beoboot-x86.c) */
extern const struct kexec_file_ops x86_64_beoboot_ops;
/* kexec-tools' nbi loader, real-mode or 32-bit entry (kexec-nbi-x86.c) */
extern const struct kexec_file_ops x86_64_nbi_ops;
/* kexec-tools' elf-x86_64 loader with --args-linux (kexec-elf-x86_64.c) */
extern const struct kexec_file_ops x86_64_elf_ops;
/* kexec-tools' elf-x86 loader: an i386 ELF, --args-linux or --args-none (kexec-elf-x86.c) */
extern const struct kexec_file_ops x86_64_elf_x86_ops;
/* kexec-tools' x86_64 options (options-x86_64.c) */
extern const struct arch_option x86_64_options[];
extern const char *const x86_64_loader_options[];

#endif
