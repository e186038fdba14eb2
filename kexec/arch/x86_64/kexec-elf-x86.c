// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kexec-tools' elf-x86 loader (its kexec/arch/i386/kexec-elf-x86.c
 * elf_x86_load), which its x86_64 build also tries: an i386 ELF32
 * executable (a 32-bit vmlinux, or any 32-bit ELF kernel) with its PT_LOADs
 * at their physical addresses, entered at e_entry in 32-bit protected mode
 * through the purgatory's entry32.
 *  --args-linux: boot_params made without a setup header (as elf-x86_64's),
 *                below 4 GiB, %esi at them, %ebx 0 (the bootstrap CPU).
 *  --args-none:  no arguments, every register 0 but %eip and %esp (the
 *                i386 build's meaning: its x86_64 build refuses the option).
 *  --args-elf (kexec-tools' default): ELF boot notes (the boot loader's
 *                name and version, the command line; elf_boot_notes()),
 *                their address the first argument on the stack, as
 *                kexec-tools' i386 C calling convention: [esp] 0 (no
 *                return address), [esp+4] the notes.
 * The kernel's kexec_file_load has no such loader: through kexec_load only.
 */
#include <elf.h>
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include "config.h"
#include "kexec-elf.h"
#include "log.h"
#include "plan.h"
#include "purgatory.h"
#include "request.h"
#include "x86_64.h"

/* the limits of kexec-tools' i386 loader (init_linux_parameters(): x86_64.h) */
#define MIN_PURGATORY_ADDR	0x3000
#define MIN_BOOTPARAM_ADDR	0x3000
#define MIN_INITRD_LOAD_ADDR	0x1000000
#define PURGATORY32_MAX		0x7fffffff
#define ELF32_MAX		0xffffffff	/* kexec-tools' elf_max_addr() of an ELF32 */

enum arg_style { ARG_STYLE_ELF, ARG_STYLE_LINUX, ARG_STYLE_NONE };

/* ELF boot notes (kexec-tools' include/boot/elf_boot.h) */
#define ELF_BOOT_MAGIC		0x0E1FB007
#define EBN_BOOTLOADER_NAME	2
#define EBN_BOOTLOADER_VERSION	3
#define EBN_COMMAND_LINE	4
#define BHDR_SIZE		12	/* b_signature, b_size, b_checksum (16), b_records (16) */
#define NHDR_SIZE		12	/* n_namesz, n_descsz, n_type */
#define BOOTLOADER		"ukexec"
#define BOOTLOADER_VERSION	PACKAGE_VERSION
/*
 * kexec-tools' --args-elf stack is the top of its purgatory's, which ours
 * uses itself before entry32: the notes' segment starts with a stack page
 * of the image's own, the arguments in its last two words.
 */
#define ELF_ARGS_STACK		4096

static int elf_x86_probe(const uint8_t *buf, size_t len)
{
	return is_elf_x86(buf, len) ? 0 : -ENOEXEC;
}

/* An i386 ELF32 that is not an executable (an object, a shared library); NULL otherwise. */
static const char *elf_x86_refusal(const uint8_t *buf, size_t len)
{
	if (!is_elf32_i386(buf, len) || is_elf_x86(buf, len))
		return NULL;
	return "an i386 ELF, but not an executable (ET_EXEC)";
}

/* kexec-tools' argument parsing: the last --args-* given wins, --args-elf by default. */
static enum arg_style get_arg_style(const struct kexec_inputs *in)
{
	const struct request *req = in->req;
	enum arg_style style = ARG_STYLE_ELF;
	unsigned int i;

	for (i = 0; i < req->nr_arch_opts; i++) {
		if (!strcmp(req->arch_opts[i].name, "args-linux"))
			style = ARG_STYLE_LINUX;
		else if (!strcmp(req->arch_opts[i].name, "args-elf"))
			style = ARG_STYLE_ELF;
		else if (!strcmp(req->arch_opts[i].name, "args-none"))
			style = ARG_STYLE_NONE;
	}
	return style;
}

/* compute_ip_checksum(): the IP checksum of len (even) bytes, little-endian words */
static uint16_t compute_ip_checksum(const uint8_t *buf, size_t len)
{
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2) {
		sum += get_le16(buf + i);
		if (sum > 0xffff)
			sum -= 0xffff;
	}
	return (uint16_t)~sum;
}

static void put_note_hdr(uint8_t *p, uint32_t descsz, uint32_t type)
{
	put_le32(p, 0);
	put_le32(p + 4, descsz);
	put_le32(p + 8, type);
}

/*
 * kexec-tools' elf_boot_notes(): the notes top-down below 4 GiB, after a
 * stack page whose top holds the image's arguments; %esp into regs32.
 */
static int elf_boot_notes(struct plan *plan, const struct kexec_inputs *in,
			  uint32_t regs32[NR_REGS32])
{
	const char *cmdline = in->cmdline_len ? in->cmdline : "";
	size_t cmdline_len = in->cmdline_len ? in->cmdline_len : 1;
	size_t bl_desc = ALIGN_UP(sizeof(BOOTLOADER), 4);
	size_t blv_desc = ALIGN_UP(sizeof(BOOTLOADER_VERSION), 4);
	size_t note_bytes = BHDR_SIZE + NHDR_SIZE + bl_desc + NHDR_SIZE + blv_desc + NHDR_SIZE +
			    ALIGN_UP(cmdline_len, 4);
	uint8_t *buf, *notes, *p;
	uint64_t base;
	int ret;

	buf = plan_alloc(plan, ELF_ARGS_STACK + note_bytes, "ELF boot notes");
	if (!buf)
		return -ENOMEM;
	notes = p = buf + ELF_ARGS_STACK;
	put_le32(p, ELF_BOOT_MAGIC);
	put_le32(p + 4, (uint32_t)note_bytes);
	put_le16(p + 10, 3);		/* b_records */
	p += BHDR_SIZE;
	put_note_hdr(p, sizeof(BOOTLOADER), EBN_BOOTLOADER_NAME);
	memcpy(p + NHDR_SIZE, BOOTLOADER, sizeof(BOOTLOADER));
	p += NHDR_SIZE + bl_desc;
	put_note_hdr(p, sizeof(BOOTLOADER_VERSION), EBN_BOOTLOADER_VERSION);
	memcpy(p + NHDR_SIZE, BOOTLOADER_VERSION, sizeof(BOOTLOADER_VERSION));
	p += NHDR_SIZE + blv_desc;
	put_note_hdr(p, (uint32_t)cmdline_len, EBN_COMMAND_LINE);
	memcpy(p + NHDR_SIZE, cmdline, cmdline_len);
	put_le16(notes + 8, compute_ip_checksum(notes, note_bytes));

	ret = add_buffer32(plan, buf, ELF_ARGS_STACK + note_bytes, 4, "ELF boot notes", &base);
	if (ret)
		return ret;
	/* [esp]: no return address; [esp+4]: the notes */
	put_le32(notes - 8, 0);
	put_le32(notes - 4, (uint32_t)(base + ELF_ARGS_STACK));
	regs32[REG_ESP] = (uint32_t)(base + ELF_ARGS_STACK - 8);
	return 0;
}

/* What kexec-tools' elf-x86 does not take, or ukexec does not build, one line each. */
static int check_elf_x86_inputs(const struct plan *plan, const struct kexec_inputs *in,
				enum arg_style style)
{
	if (plan->crash) {
		kx_error("%s: -p with an i386 ELF: it runs only at its link addresses, outside the crash region (kexec-tools' load fails in the kernel too); load a bzImage",
			 in->kernel_name);
		return -EINVAL;
	}
	if (style == ARG_STYLE_ELF && in->initrd) {
		kx_error("--initrd: %s: no ramdisk with --args-elf (kexec-tools' default for an i386 ELF: ELF boot notes); give --args-linux for a Linux vmlinux",
			 in->kernel_name);
		return -EINVAL;
	}
	x86_ignore_modules(in, "an i386 ELF without a multiboot header");
	if (in->dtb) {
		kx_error("--dtb: not supported for x86_64 kernels");
		return -EINVAL;
	}
	if (style == ARG_STYLE_NONE && (in->initrd || in->cmdline_len))
		kx_warn("%s: --args-none passes nothing: the initrd and command line are ignored (as kexec-tools)",
			in->kernel_name);
	if (in->cmdline_len > COMMAND_LINE_SIZE) {
		kx_error("%s: command line too long (%zu bytes, boot protocol 2.06 takes %d)",
			 in->kernel_name, in->cmdline_len, COMMAND_LINE_SIZE);
		return -EINVAL;
	}
	return 0;
}

/* --args-linux: boot_params (no setup header in a vmlinux) and the initrd, %esi at them. */
static int setup_linux_args(struct bzimage64 *bz, uint32_t regs32[NR_REGS32])
{
	struct plan *plan = bz->plan;
	const struct kexec_inputs *in = bz->in;
	int ret;

	ret = read_boot_params(bz);
	if (ret)
		return ret;
	ret = efi_read_state(plan->sv, bz->cur_params, &bz->efi);
	if (ret)
		return ret;
	ret = alloc_boot_params(bz);
	if (ret)
		goto out_efi;
	init_linux_parameters(bz->params);
	/* %esi is 32 bits: below elf_max_addr(), as kexec-tools */
	ret = add_boot_params(bz, MIN_BOOTPARAM_ADDR, ELF32_MAX);
	if (ret)
		goto out_efi;
	if (in->initrd) {
		ret = add_initrd(bz, MIN_INITRD_LOAD_ADDR, DEFAULT_INITRD_ADDR_MAX);
		if (ret)
			goto out_efi;
	}
	ret = setup_linux_parameters(bz);
	regs32[REG_EBX] = 0;	/* the bootstrap processor */
	regs32[REG_ESI] = (uint32_t)bz->params_load_addr;
out_efi:
	efi_release_state(&bz->efi);
	return ret;
}

static int elf_x86_load(struct plan *plan, const struct kexec_inputs *in)
{
	struct kexec_buf pbuf = { .plan = plan, .buf_min = MIN_PURGATORY_ADDR,
				  .buf_max = PURGATORY32_MAX, .top_down = true,
				  .mem = KEXEC_BUF_MEM_UNKNOWN, .what = "purgatory" };
	struct bzimage64 bz = { .plan = plan, .in = in };
	enum arg_style style = get_arg_style(in);
	uint32_t regs32[NR_REGS32] = { 0 };
	struct kexec_elf_info elf;
	int ret;

	if (elf_x86_probe(in->kernel, in->kernel_len)) {
		const char *why = elf_x86_refusal(in->kernel, in->kernel_len);

		kx_error("%s: %s", in->kernel_name, why ? why : "not an ELF file");
		return -ENOEXEC;
	}
	ret = check_elf_x86_inputs(plan, in, style);
	if (ret)
		return ret;
	ret = kexec_build_elf_info(in->kernel, in->kernel_len, &elf);
	if (ret) {
		kx_error("%s: not a valid ELF executable (%s)", in->kernel_name, elf.err);
		return ret;
	}
	plan_note_variant(plan, style == ARG_STYLE_LINUX ?
		"-t elf-x86: kexec-tools' i386 ELF loader (--args-linux, 32-bit entry); the kernel's kexec_file_load has none" :
			  style == ARG_STYLE_NONE ?
		"-t elf-x86: kexec-tools' i386 ELF loader (--args-none, 32-bit entry); the kernel's kexec_file_load has none" :
		"-t elf-x86: kexec-tools' i386 ELF loader (--args-elf: ELF boot notes, 32-bit entry); the kernel's kexec_file_load has none");
	ret = elf_exec_build_load(plan, in, &elf);
	if (ret)
		goto out_free_elf;
	/* entry32 runs with paging off: the purgatory must lie below 4 GiB */
	ret = kexec_load_purgatory(plan, in->pi, &pbuf);
	if (ret)
		goto out_free_elf;
	if (style == ARG_STYLE_LINUX)
		ret = setup_linux_args(&bz, regs32);
	else if (style == ARG_STYLE_ELF)
		ret = elf_boot_notes(plan, in, regs32);
	if (ret)
		goto out_free_elf;
	regs32[REG_EIP] = (uint32_t)elf.ehdr.e_entry;
	ret = set_entry32_regs(in->pi, regs32);
out_free_elf:
	kexec_free_elf_info(&elf);
	return ret;
}

const struct kexec_file_ops x86_64_elf_x86_ops = {
	.name = "elf-x86",
	.probe = elf_x86_probe,
	.refusal = elf_x86_refusal,
	.load = elf_x86_load,
	.userspace_only = true,
};
