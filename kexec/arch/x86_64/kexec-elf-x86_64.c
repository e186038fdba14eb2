// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kexec-tools' elf-x86_64 loader with --args-linux (its
 * kexec/arch/x86_64/kexec-elf-x86_64.c elf_x86_64_load): a vmlinux's PT_LOAD
 * segments at their physical addresses, boot_params made without a setup
 * header (boot protocol 2.06, as kexec-tools' init_linux_parameters()), and
 * the purgatory entering e_entry in 64-bit mode with %rsi at boot_params.
 * The kernel's kexec_file_load has no ELF loader on x86_64: the plan says it
 * is not the in-kernel one, and -a loads it through kexec_load.
 */
#include <elf.h>
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include "kexec-elf.h"
#include "log.h"
#include "plan.h"
#include "purgatory.h"
#include "request.h"
#include "x86_64.h"

/* the placement limits of kexec-tools' loader (init_linux_parameters(): x86_64.h) */
#define MIN_PURGATORY_ADDR	0x3000
#define MIN_BOOTPARAM_ADDR	0x3000
#define MIN_INITRD_LOAD_ADDR	0x1000000

static int elf_x86_64_probe(const uint8_t *buf, size_t len)
{
	if (len < sizeof(Elf64_Ehdr) || memcmp(buf, ELFMAG, SELFMAG))
		return -ENOEXEC;
	if (buf[EI_CLASS] != ELFCLASS64 || buf[EI_DATA] != ELFDATA2LSB)
		return -ENOEXEC;
	if (get_le16(buf + offsetof(Elf64_Ehdr, e_type)) != ET_EXEC ||
	    get_le16(buf + offsetof(Elf64_Ehdr, e_machine)) != EM_X86_64)
		return -ENOEXEC;
	return 0;
}

static const char *elf_x86_64_refusal(const uint8_t *buf, size_t len)
{
	if (len < SELFMAG || memcmp(buf, ELFMAG, SELFMAG))
		return NULL;
	/* an i386 ELF is the multiboot loader's to name */
	if (is_elf32_i386(buf, len))
		return NULL;
	return "an ELF file, but not an x86_64 ELF64 executable (a vmlinux)";
}

/*
 * kexec-tools' --args-linux/--args-elf/--args-none for this loader (the
 * default is --args-elf); only Linux's boot_params are built here.
 */
static int check_args_style(const struct kexec_inputs *in)
{
	const struct request *req = in->req;
	const char *other = "--args-elf (kexec-tools' default)";
	bool linux_args = false;
	unsigned int i;

	for (i = 0; i < req->nr_arch_opts; i++) {
		if (!strcmp(req->arch_opts[i].name, "args-linux"))
			linux_args = true;
		else if (!strcmp(req->arch_opts[i].name, "args-elf"))
			other = "--args-elf";
		else if (!strcmp(req->arch_opts[i].name, "args-none"))
			other = "--args-none";
	}
	if (linux_args)
		return 0;
	kx_error("%s: an ELF kernel with %s gets ELF boot notes or nothing, which Linux does not read; give --args-linux",
		 in->kernel_name, other);
	return -EINVAL;
}

/*
 * kexec-tools' load_elf_segments(): each PT_LOAD at its p_paddr + base (the
 * relocation a multiboot2 relocatable header asks for; else 0).
 */
int load_elf_segments(struct plan *plan, const struct kexec_inputs *in,
		      const struct kexec_elf_info *elf, uint64_t base)
{
	struct kexec_buf kbuf = { .plan = plan, .what = "kernel" };
	unsigned int i, loaded = 0;
	int ret;

	for (i = 0; i < elf->ehdr.e_phnum; i++) {
		const Elf64_Phdr *phdr = &elf->proghdrs[i];

		if (phdr->p_type != PT_LOAD || !phdr->p_memsz)
			continue;
		if (phdr->p_paddr & (plan->page_size - 1)) {
			kx_error("%s: PT_LOAD %u at 0x%" PRIx64 " is not page aligned", in->kernel_name,
				 i, phdr->p_paddr);
			return -ENOEXEC;
		}
		kbuf.buffer = in->kernel + phdr->p_offset;
		kbuf.bufsz = phdr->p_filesz < phdr->p_memsz ? phdr->p_filesz : phdr->p_memsz;
		kbuf.memsz = phdr->p_memsz;
		kbuf.buf_align = plan->page_size;
		kbuf.mem = phdr->p_paddr + base;
		ret = kexec_add_buffer(&kbuf);
		if (ret)
			return ret;
		loaded++;
	}
	if (!loaded) {
		kx_error("%s: no PT_LOAD segment", in->kernel_name);
		return -ENOEXEC;
	}
	return 0;
}

/*
 * kexec-tools' elf_exec_build_load() for an ET_EXEC: each PT_LOAD at its
 * p_paddr (this loader's and the multiboot loaders').
 */
int elf_exec_build_load(struct plan *plan, const struct kexec_inputs *in,
			const struct kexec_elf_info *elf)
{
	return load_elf_segments(plan, in, elf, 0);
}

static int elf_x86_64_load_segments(struct bzimage64 *bz, uint64_t entry)
{
	struct plan *plan = bz->plan;
	const struct kexec_inputs *in = bz->in;
	struct kexec_buf pbuf = { .plan = plan, .buf_min = MIN_PURGATORY_ADDR,
				  .buf_max = UINT64_MAX, .top_down = true,
				  .mem = KEXEC_BUF_MEM_UNKNOWN, .what = "purgatory" };
	int ret;

	ret = kexec_load_purgatory(plan, in->pi, &pbuf);
	if (ret)
		return ret;

	ret = alloc_boot_params(bz);
	if (ret)
		return ret;
	/* no setup header in a vmlinux: the fields a boot loader finds there */
	init_linux_parameters(bz->params);
	ret = add_boot_params(bz, MIN_BOOTPARAM_ADDR, UINT32_MAX);
	if (ret)
		return ret;

	if (in->initrd) {
		ret = add_initrd(bz, MIN_INITRD_LOAD_ADDR, DEFAULT_INITRD_ADDR_MAX);
		if (ret)
			return ret;
	}

	ret = set_entry64_regs(in->pi, bz->params_load_addr, entry);
	if (ret)
		return ret;
	return setup_linux_parameters(bz);
}

static int elf_x86_64_load(struct plan *plan, const struct kexec_inputs *in)
{
	struct bzimage64 bz = { .plan = plan, .in = in };
	struct kexec_elf_info elf;
	int ret;

	if (plan->crash) {
		kx_error("%s: -p with an ELF vmlinux: it runs only at its link addresses (0x%" PRIx64
			 "...), outside the crash region, with kexec-tools too; load the vmlinuz",
			 in->kernel_name, get_le64(in->kernel + offsetof(Elf64_Ehdr, e_entry)));
		return -EINVAL;
	}
	ret = check_args_style(in);
	if (ret)
		return ret;
	x86_ignore_modules(in, "an x86_64 vmlinux");
	if (in->dtb) {
		kx_error("--dtb: not supported for x86_64 kernels");
		return -EINVAL;
	}
	if (in->cmdline_len > COMMAND_LINE_SIZE) {
		kx_error("%s: command line too long (%zu bytes, boot protocol 2.06 takes %d)",
			 in->kernel_name, in->cmdline_len, COMMAND_LINE_SIZE);
		return -EINVAL;
	}
	ret = kexec_build_elf_info(in->kernel, in->kernel_len, &elf);
	if (ret) {
		kx_error("%s: not a valid ELF executable", in->kernel_name);
		return ret;
	}
	plan_note_variant(plan, "-t elf-x86_64: kexec-tools' ELF loader (--args-linux); the kernel's kexec_file_load has no x86_64 ELF loader");
	ret = elf_exec_build_load(plan, in, &elf);
	if (ret)
		goto out_free_elf;
	ret = read_boot_params(&bz);
	if (ret)
		goto out_free_elf;
	ret = efi_read_state(plan->sv, bz.cur_params, &bz.efi);
	if (ret)
		goto out_free_elf;
	ret = elf_x86_64_load_segments(&bz, elf.ehdr.e_entry);
	efi_release_state(&bz.efi);
out_free_elf:
	kexec_free_elf_info(&elf);
	return ret;
}

const struct kexec_file_ops x86_64_elf_ops = {
	.name = "elf-x86_64",
	.probe = elf_x86_64_probe,
	.refusal = elf_x86_64_refusal,
	.load = elf_x86_64_load,
};
