// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The bzImage64 loader of kexec_file (arch/x86/kernel/kexec-bzimage64.c),
 * function by function: purgatory, then boot_params + command line +
 * setup_data in one segment, then the kernel (memsz = init_size), then the
 * initrd, all top-down; the purgatory's entry64_regs point at the kernel's
 * 64-bit entry with rsi = boot_params.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include "log.h"
#include "plan.h"
#include "profile.h"
#include "purgatory.h"
#include "sysview.h"
#include "x86_64.h"

/* The kernel's lowest addresses per segment (kexec-tools' values). */
#define MIN_PURGATORY_ADDR	0x3000
#define MIN_BOOTPARAM_ADDR	0x3000
#define MIN_KERNEL_LOAD_ADDR	0x100000
#define MIN_INITRD_LOAD_ADDR	0x1000000

static int bzImage64_probe(const uint8_t *buf, size_t len)
{
	uint16_t xloadflags;

	if (bzImage_header_refusal(buf, len, 0x020c))
		return -ENOEXEC;
	xloadflags = get_le16(buf + HDR_XLOADFLAGS);
	if (!(xloadflags & XLF_KERNEL_64))
		return -ENOEXEC;
	if (!(xloadflags & XLF_CAN_BE_LOADED_ABOVE_4G))
		return -ENOEXEC;
	return 0;
}

/* Why probe refused buf, for the one error line. */
static const char *bzImage64_refusal(const uint8_t *buf, size_t len)
{
	const char *why;

	/* the ELF and beoboot loaders say why they refused their files */
	if (is_other_x86_image(buf, len))
		return NULL;
	why = bzImage_header_refusal(buf, len, 0x020c);
	if (why)
		return why;
	if (!(get_le16(buf + HDR_XLOADFLAGS) & XLF_KERNEL_64))
		return "not a bzImage64 (XLF_KERNEL_64 is not set)";
	return "XLF_CAN_BE_LOADED_ABOVE_4G is not set";
}

/*
 * Everything after the checks, in the kernel's order: the ELF core headers
 * of a crash load, the purgatory, boot_params, the kernel, the initrd.
 */
static int bzImage64_load_segments(struct bzimage64 *bz)
{
	struct plan *plan = bz->plan;
	const struct kexec_inputs *in = bz->in;
	const uint8_t *kernel = in->kernel;
	struct kexec_buf kbuf = { .plan = plan, .buf_max = UINT64_MAX, .top_down = true,
				  .mem = KEXEC_BUF_MEM_UNKNOWN };
	struct kexec_buf pbuf = { .plan = plan, .buf_min = MIN_PURGATORY_ADDR,
				  .buf_max = UINT64_MAX, .top_down = true,
				  .mem = KEXEC_BUF_MEM_UNKNOWN, .what = "purgatory" };
	uint64_t kernel_load_addr, pref_address;
	int ret;

	if (plan->crash) {
		ret = crash_load_segments(plan);
		if (ret)
			return ret;
	}

	/* the purgatory first: for a 64-bit entry it can be anywhere */
	ret = kexec_load_purgatory(plan, in->pi, &pbuf);
	if (ret)
		return ret;
	kx_debug("loaded purgatory at 0x%" PRIx64, pbuf.mem);

	/* boot_params, command line, EFI map and setup_data blocks share one segment */
	ret = alloc_boot_params(bz);
	if (ret)
		return ret;
	copy_setup_header(bz);
	ret = add_boot_params(bz, MIN_BOOTPARAM_ADDR, UINT64_MAX);
	if (ret)
		return ret;

	kbuf.buffer = kernel + bz->kern16_size;
	kbuf.bufsz = in->kernel_len - bz->kern16_size;
	kbuf.memsz = ALIGN_UP((uint64_t)get_le32(kernel + HDR_INIT_SIZE), plan->page_size);
	kbuf.buf_align = get_le32(kernel + HDR_KERNEL_ALIGNMENT);
	pref_address = get_le64(kernel + HDR_PREF_ADDRESS);
	kbuf.buf_min = MIN_KERNEL_LOAD_ADDR;
	if (plan_rule(plan, PR_KERNEL_BUF_MIN_PREF) && pref_address > MIN_KERNEL_LOAD_ADDR)
		kbuf.buf_min = pref_address;
	kbuf.what = "kernel";
	if (kbuf.bufsz > kbuf.memsz) {
		/* the kernel's segment check would refuse it: say why here */
		kx_error("%s: init_size 0x%" PRIx32 " is smaller than the 0x%zx bytes of the kernel after its setup code",
			 in->kernel_name, get_le32(kernel + HDR_INIT_SIZE), kbuf.bufsz);
		return -ENOEXEC;
	}
	ret = kexec_add_buffer(&kbuf);
	if (ret)
		return ret;
	kernel_load_addr = kbuf.mem;

	if (in->initrd) {
		ret = add_initrd(bz, MIN_INITRD_LOAD_ADDR, UINT64_MAX);
		if (ret)
			return ret;
	}

	/* the 64-bit entry of a bzImage64 is 0x200 past its protected-mode code */
	ret = set_entry64_regs(in->pi, bz->params_load_addr, kernel_load_addr + 0x200);
	if (ret)
		return ret;
	return setup_linux_parameters(bz);
}

static int bzImage64_load(struct plan *plan, const struct kexec_inputs *in)
{
	const uint8_t *kernel = in->kernel;
	struct bzimage64 bz = { .plan = plan, .in = in };
	size_t kern16_size;
	uint32_t cmdline_size;
	int ret;

	if (bzImage64_probe(kernel, in->kernel_len)) {
		kx_error("%s: %s", in->kernel_name, bzImage64_refusal(kernel, in->kernel_len));
		return -ENOEXEC;
	}
	/* kexec-tools' bzImage64 loader hands --entry-32bit and --real-mode to its bzImage one */
	if (x86_has_option(in, "entry-32bit") || x86_has_option(in, "real-mode"))
		return do_bzImage_load(plan, in);
	x86_ignore_modules(in, "a bzImage");
	ret = bzImage_setup_size(&bz);
	if (ret)
		return ret;
	kern16_size = bz.kern16_size;
	/* beyond the kernel's checks: a cut file would load and never boot */
	if ((uint64_t)get_le32(kernel + HDR_SYSSIZE) * 16 > in->kernel_len - kern16_size) {
		kx_error("%s: bzImage truncated (its header announces 0x%" PRIx64
			 " bytes of kernel after the setup code, the file has 0x%zx)",
			 in->kernel_name, (uint64_t)get_le32(kernel + HDR_SYSSIZE) * 16,
			 in->kernel_len - kern16_size);
		return -ENOEXEC;
	}
	cmdline_size = get_le32(kernel + HDR_CMDLINE_SIZE);
	if (in->cmdline_len > cmdline_size) {
		kx_error("%s: command line too long (%zu bytes, the kernel takes %u)",
			 in->kernel_name, in->cmdline_len, cmdline_size);
		return -EINVAL;
	}
	if (in->cmdline_len + MAX_ELFCOREHDR_STR_LEN > cmdline_size) {
		kx_error("%s: command line too long to append elfcorehdr=<addr> (%zu + %d > %u bytes)",
			 in->kernel_name, in->cmdline_len, MAX_ELFCOREHDR_STR_LEN, cmdline_size);
		return -EINVAL;
	}
	ret = read_boot_params(&bz);
	if (ret)
		return ret;
	if (plan_rule(plan, PR_SETUP_DATA_RESERVED) && get_le64(bz.cur_params + HDR_SETUP_DATA))
		kx_debug("the kernel would split the boot loader's setup_data (the first at 0x%" PRIx64
			 ") off the E820 it hands over, where userspace cannot know the whole chain",
			 get_le64(bz.cur_params + HDR_SETUP_DATA));
	ret = efi_read_state(plan->sv, bz.cur_params, &bz.efi);
	if (ret)
		return ret;
	ret = bzImage64_load_segments(&bz);
	efi_release_state(&bz.efi);
	return ret;
}

const struct kexec_file_ops x86_64_bzImage64_ops = {
	.name = "bzImage64",
	.probe = bzImage64_probe,
	.refusal = bzImage64_refusal,
	.load = bzImage64_load,
};
