// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kexec-tools' bzImage loader with its 32-bit entry (its
 * kexec/arch/i386/kexec-bzImage.c do_bzImage_load, which its x86_64
 * bzImage64 loader also calls for --entry-32bit): the protected-mode code
 * below 896 MiB, boot_params in low memory, the purgatory below 2 GiB, and
 * the kernel entered at its first byte in 32-bit protected mode with %esi
 * at boot_params (boot.rst's 32-bit boot protocol). The kernel's
 * kexec_file_load has no such loader: the plan says it is not the in-kernel
 * one and goes through kexec_load.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include "log.h"
#include "plan.h"
#include "purgatory.h"
#include "request.h"
#include "sysview.h"
#include "x86_64.h"

#define MIN_PURGATORY_ADDR	0x3000
#define MIN_BOOTPARAM_ADDR	0x3000
#define LOW_MEM_END		0x9ffff		/* the first 640 KiB */
#define PURGATORY32_MAX		0x7fffffff
#define KERN32_BASE		0x100000
#define DEFAULT_BZIMAGE_ADDR_MAX 0x37ffffff
#define DEFAULT_INITRD_ADDR_MAX	0x37ffffff
#define MIN_INITRD_LOAD_ADDR	0x1000000
#define OLD_COMMAND_LINE_SIZE	255

static int bzImage_probe(const uint8_t *buf, size_t len)
{
	if (len < 2 * 512)
		return -ENOEXEC;
	if (memcmp(buf + HDR_HEADER, "HdrS", 4))
		return -ENOEXEC;
	if (get_le16(buf + HDR_BOOT_FLAG) != 0xaa55)
		return -ENOEXEC;
	if (get_le16(buf + HDR_VERSION) < 0x0200)
		return -ENOEXEC;
	if (!(buf[HDR_LOADFLAGS] & LOADED_HIGH))
		return -ENOEXEC;
	return 0;
}

static const char *bzImage_refusal(const uint8_t *buf, size_t len)
{
	if (len >= 4 && (!memcmp(buf, "\177ELF", 4) || !memcmp(buf, "BeoB", 4)))
		return NULL;
	if (len < 2 * 512)
		return "too short to be a bzImage";
	if (memcmp(buf + HDR_HEADER, "HdrS", 4))
		return "not a bzImage (no HdrS setup header)";
	if (get_le16(buf + HDR_BOOT_FLAG) != 0xaa55)
		return "no x86 boot sector (boot_flag is not 0xaa55)";
	if (get_le16(buf + HDR_VERSION) < 0x0200)
		return "boot protocol older than 2.00";
	return "a zImage, not a bzImage";
}

/* The checks of kexec-tools' do_bzImage_load, one message each. */
static int check_bzImage(struct bzimage64 *bz, uint16_t protocol, bool relocatable)
{
	const struct kexec_inputs *in = bz->in;
	const uint8_t *kernel = in->kernel;
	uint32_t cmdline_size = get_le32(kernel + HDR_CMDLINE_SIZE);
	size_t setup_sects = kernel[HDR_SETUP_SECTS] ? kernel[HDR_SETUP_SECTS] : 4;

	bz->kern16_size = (setup_sects + 1) * 512;
	if (in->kernel_len <= bz->kern16_size) {
		kx_error("%s: bzImage truncated (%zu bytes, the setup code alone is %zu)",
			 in->kernel_name, in->kernel_len, bz->kern16_size);
		return -ENOEXEC;
	}
	if (protocol >= 0x0206 && in->cmdline_len + (bz->plan->crash ? MAX_ELFCOREHDR_STR_LEN : 0) >
				  cmdline_size) {
		kx_error("%s: command line too long (%zu bytes%s, the kernel takes %u)",
			 in->kernel_name, in->cmdline_len,
			 bz->plan->crash ? " + elfcorehdr=<addr>" : "", cmdline_size);
		return -EINVAL;
	}
	if (protocol < 0x0206 && in->cmdline_len > OLD_COMMAND_LINE_SIZE)
		kx_debug("%s: boot protocol %x.%02x may take only %d bytes of command line",
			 in->kernel_name, protocol >> 8, protocol & 0xff, OLD_COMMAND_LINE_SIZE);
	if (bz->plan->crash && !relocatable) {
		kx_error("%s: not a relocatable bzImage: it cannot run in the crash region",
			 in->kernel_name);
		return -EINVAL;
	}
	if (in->dtb) {
		kx_error("--dtb: not supported for x86_64 bzImage kernels");
		return -EINVAL;
	}
	return 0;
}

/* The protected-mode code: relocatable below 896 MiB, else at 1 MiB. */
static int add_kernel32(struct bzimage64 *bz, uint16_t protocol, bool relocatable,
			uint64_t *load_addr)
{
	const struct kexec_inputs *in = bz->in;
	const uint8_t *kernel = in->kernel;
	struct kexec_buf kbuf = { .plan = bz->plan, .buffer = kernel + bz->kern16_size,
				  .bufsz = in->kernel_len - bz->kern16_size,
				  .mem = KEXEC_BUF_MEM_UNKNOWN, .what = "kernel" };
	uint64_t max = DEFAULT_BZIMAGE_ADDR_MAX;
	int ret;

	/*
	 * kexec-tools reserves the file's size; the decompressor works up to
	 * init_size from where it is loaded, so that much is reserved here, as
	 * the kernel's bzImage64 loader does.
	 */
	kbuf.memsz = kbuf.bufsz;
	if (protocol >= 0x020a && get_le32(kernel + HDR_INIT_SIZE) > kbuf.memsz)
		kbuf.memsz = get_le32(kernel + HDR_INIT_SIZE);
	if (relocatable) {
		if (get_le32(kernel + HDR_INITRD_ADDR_MAX) < max)
			max = get_le32(kernel + HDR_INITRD_ADDR_MAX);
		kbuf.buf_align = get_le32(kernel + HDR_KERNEL_ALIGNMENT);
		if (kbuf.buf_align < bz->plan->page_size)
			kbuf.buf_align = bz->plan->page_size;
		kbuf.buf_min = KERN32_BASE;
		kbuf.buf_max = max;
		kbuf.top_down = true;
	} else {
		kbuf.mem = KERN32_BASE;
	}
	ret = kexec_add_buffer(&kbuf);
	if (ret)
		return ret;
	*load_addr = kbuf.mem;
	return 0;
}

int do_bzImage_load(struct plan *plan, const struct kexec_inputs *in)
{
	struct bzimage64 bz = { .plan = plan, .in = in };
	struct kexec_buf pbuf = { .plan = plan, .buf_min = MIN_PURGATORY_ADDR, .top_down = true,
				  .mem = KEXEC_BUF_MEM_UNKNOWN, .what = "purgatory" };
	uint16_t protocol = get_le16(in->kernel + HDR_VERSION);
	uint32_t regs32[NR_REGS32] = { 0 };
	uint64_t initrd_max = DEFAULT_INITRD_ADDR_MAX, kernel_load_addr;
	bool relocatable;
	int ret;

	if (bzImage_probe(in->kernel, in->kernel_len)) {
		kx_error("%s: %s", in->kernel_name, bzImage_refusal(in->kernel, in->kernel_len));
		return -ENOEXEC;
	}
	x86_ignore_modules(in, "a bzImage");
	relocatable = protocol >= 0x0205 && in->kernel[HDR_RELOCATABLE_KERNEL];
	ret = check_bzImage(&bz, protocol, relocatable);
	if (ret)
		return ret;
	plan_note_variant(plan, "a 32-bit entry (-t bzImage, --entry-32bit): kexec-tools' bzImage loader; the kernel's kexec_file_load enters in 64-bit mode");
	ret = read_boot_params(&bz);
	if (ret)
		return ret;
	ret = efi_read_state(plan->sv, bz.cur_params, &bz.efi);
	if (ret)
		return ret;

	if (plan->crash) {
		ret = crash_load_segments(plan);
		if (ret)
			goto out_efi;
	}
	/* entry32 runs with paging off: the purgatory must lie below 4 GiB */
	pbuf.buf_max = relocatable ? PURGATORY32_MAX : LOW_MEM_END;
	ret = kexec_load_purgatory(plan, in->pi, &pbuf);
	if (ret)
		goto out_efi;

	ret = alloc_boot_params(&bz);
	if (ret)
		goto out_efi;
	copy_setup_header(&bz);
	/* a crash kernel's boot_params go in the crash region; %esi is 32 bits */
	ret = add_boot_params(&bz, MIN_BOOTPARAM_ADDR, plan->crash ? UINT32_MAX : LOW_MEM_END);
	if (ret)
		goto out_efi;

	ret = add_kernel32(&bz, protocol, relocatable, &kernel_load_addr);
	if (ret)
		goto out_efi;
	kx_debug("loaded the 32-bit kernel at 0x%" PRIx64, kernel_load_addr);

	if (in->initrd) {
		if (protocol >= 0x0203)
			initrd_max = get_le32(in->kernel + HDR_INITRD_ADDR_MAX);
		ret = add_initrd(&bz, MIN_INITRD_LOAD_ADDR, initrd_max);
		if (ret)
			goto out_efi;
	}

	regs32[REG_ESI] = (uint32_t)bz.params_load_addr;
	regs32[REG_EIP] = (uint32_t)kernel_load_addr;
	ret = set_entry32_regs(in->pi, regs32);
	if (ret)
		goto out_efi;
	ret = setup_linux_parameters(&bz);
out_efi:
	efi_release_state(&bz.efi);
	return ret;
}

const struct kexec_file_ops x86_64_bzImage_ops = {
	.name = "bzImage",
	.probe = bzImage_probe,
	.refusal = bzImage_refusal,
	.load = do_bzImage_load,
	.userspace_only = true,
};
