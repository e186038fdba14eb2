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
 *
 * With --real-mode (its real_mode_entry) the kernel's real-mode setup code
 * is loaded too, below 640 KiB with its heap and the command line, and
 * entered in 16-bit real mode through the purgatory's entry16: the setup
 * code asks the BIOS for the memory map and the rest, then jumps to the
 * protected-mode code at code32_start.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
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
/* the setup code, its heap and its stack share one 64 KiB segment */
#define REAL_MODE_SEG_END	0xfffc
/* kexec-tools' struct entry16_regs (purgatory/arch/x86_64/entry16.S) */
#define ENTRY16_ESP		0x18
#define ENTRY16_DS		0x20
#define ENTRY16_ES		0x22
#define ENTRY16_SS		0x24
#define ENTRY16_FS		0x26
#define ENTRY16_GS		0x28
#define ENTRY16_IP		0x2a
#define ENTRY16_CS		0x2c
#define ENTRY16_REGS_SIZE	0x30

static int bzImage_probe(const uint8_t *buf, size_t len)
{
	return bzImage_header_refusal(buf, len, 0x0200) ? -ENOEXEC : 0;
}

static const char *bzImage_refusal(const uint8_t *buf, size_t len)
{
	if (is_other_x86_image(buf, len))
		return NULL;
	return bzImage_header_refusal(buf, len, 0x0200);
}

/* The checks of kexec-tools' do_bzImage_load, one message each. */
static int check_bzImage(struct bzimage64 *bz, uint16_t protocol, bool relocatable,
			 bool real_mode)
{
	const struct kexec_inputs *in = bz->in;
	uint32_t cmdline_size = get_le32(in->kernel + HDR_CMDLINE_SIZE);
	int ret;

	ret = bzImage_setup_size(bz);
	if (ret)
		return ret;
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
	if (bz->plan->crash && real_mode) {
		kx_error("%s: --real-mode: a crash kernel cannot be entered in real mode (kexec-tools refuses it too)",
			 in->kernel_name);
		return -EINVAL;
	}
	/* EFI leaves no BIOS behind for the setup code: kexec-tools loads it and -e hangs */
	if (real_mode && sysview_exists(bz->plan->sv, "/sys/firmware/efi")) {
		char efi[PATH_MAX];

		sysview_path(bz->plan->sv, "/sys/firmware/efi", efi, sizeof(efi));
		kx_error("%s: --real-mode: this machine booted through EFI (%s exists): there is no BIOS to run the setup code on; give --entry-32bit or no entry option",
			 in->kernel_name, efi);
		return -EINVAL;
	}
	if (bz->plan->crash && !relocatable) {
		kx_error("%s: not a relocatable bzImage: it cannot run in the crash region",
			 in->kernel_name);
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

/*
 * kexec-tools' real-mode setup segment: the kernel's setup code, its bss
 * and heap (heap_end_ptr), more heap up to the end of the 64 KiB segment,
 * then the command line. *heap_size: the heap added.
 */
static int add_real_mode_setup(struct bzimage64 *bz, uint16_t protocol, size_t *cmdline_offset,
			       size_t *heap_size)
{
	const struct kexec_inputs *in = bz->in;
	struct kexec_buf kbuf = { .plan = bz->plan, .buf_align = 16,
				  .buf_min = MIN_BOOTPARAM_ADDR, .buf_max = LOW_MEM_END,
				  .top_down = true, .mem = KEXEC_BUF_MEM_UNKNOWN,
				  .what = "real-mode setup code" };
	size_t needed;
	int ret;

	if (protocol >= 0x0201)
		needed = get_le16(in->kernel + HDR_HEAP_END_PTR);
	else
		needed = bz->kern16_size + 8192;
	if (needed < bz->kern16_size)
		needed = bz->kern16_size;
	if (needed > REAL_MODE_SEG_END) {
		kx_error("%s: --real-mode: the setup code and its heap need 0x%zx bytes, more than one 64 KiB segment",
			 in->kernel_name, needed);
		return -ENOEXEC;
	}
	*heap_size = (REAL_MODE_SEG_END - needed) & ~(size_t)0x1ff;
	*cmdline_offset = needed + *heap_size;

	bz->params_sz = *cmdline_offset + in->cmdline_len + PURGATORY_CMDLINE_SIZE;
	bz->params = plan_alloc(bz->plan, bz->params_sz, "real-mode setup code");
	if (!bz->params)
		return -ENOMEM;
	memcpy(bz->params, in->kernel, bz->kern16_size);
	kbuf.buffer = bz->params;
	kbuf.bufsz = kbuf.memsz = bz->params_sz;
	ret = kexec_add_buffer(&kbuf);
	if (ret)
		return ret;
	bz->params_load_addr = kbuf.mem;
	return 0;
}

/*
 * kexec-tools' setup_linux_bootloader_parameters() for the real-mode entry:
 * the loader id, the command line, the heap; the memory map and the rest
 * are the BIOS's to give.
 */
static void setup_real_mode_parameters(struct bzimage64 *bz, uint16_t protocol,
				       size_t cmdline_offset, size_t heap_size,
				       uint64_t kernel_load_addr)
{
	const struct kexec_inputs *in = bz->in;
	uint8_t *params = bz->params;
	char *cmdline = (char *)params + cmdline_offset;

	params[HDR_TYPE_OF_LOADER] = 0x0d << 4;
	params[HDR_LOADFLAGS] = 0;
	put_le16(params + BP_CL_MAGIC, CL_MAGIC_VALUE);
	put_le16(params + BP_CL_OFFSET, (uint16_t)cmdline_offset);
	if (protocol >= 0x0202)
		put_le32(params + HDR_CMD_LINE_PTR, (uint32_t)(bz->params_load_addr + cmdline_offset));
	memcpy(cmdline, in->cmdline, in->cmdline_len);
	cmdline[in->cmdline_len - 1] = '\0';
	if (protocol >= 0x0201) {
		params[HDR_LOADFLAGS] |= CAN_USE_HEAP;
		/* as kexec-tools: the heap ends 0x200 below the command line */
		put_le16(params + HDR_HEAP_END_PTR, (uint16_t)(get_le16(params + HDR_HEAP_END_PTR) +
							     heap_size - 0x200));
	}
	put_le32(params + HDR_CODE32_START, (uint32_t)kernel_load_addr);
}

/*
 * entry16_regs: ds = es = fs = gs = ss at the setup segment, cs:ip at its
 * code (0x200 in), sp at the end of the heap, where the command line
 * starts, as boot.rst asks. kexec-tools enters with ss:sp in its purgatory
 * instead: the setup code then makes its own stack past heap_end_ptr, and
 * with the STACK_SIZE of 1024 of today's boot.h that wraps to the top of the
 * segment, over the command line (seen in QEMU: the kernel lost its console=).
 */
static int set_entry16_regs(struct purgatory_info *pi, uint64_t setup_base, size_t cmdline_offset)
{
	uint32_t regs32[NR_REGS32] = { 0 };
	uint8_t regs[ENTRY16_REGS_SIZE] = { 0 };
	uint64_t entry16;
	uint16_t seg = (uint16_t)(setup_base >> 4);
	int ret;

	ret = kexec_purgatory_get_symbol_addr(pi, "entry16", &entry16);
	if (ret) {
		kx_error("%s: no symbol entry16 (--real-mode needs ukexec's own purgatory)", pi->name);
		return ret;
	}
	put_le16(regs + ENTRY16_DS, seg);
	put_le16(regs + ENTRY16_ES, seg);
	put_le16(regs + ENTRY16_FS, seg);
	put_le16(regs + ENTRY16_GS, seg);
	put_le16(regs + ENTRY16_CS, seg + 0x20);
	put_le16(regs + ENTRY16_IP, 0);
	put_le16(regs + ENTRY16_SS, seg);
	put_le32(regs + ENTRY16_ESP, (uint32_t)cmdline_offset);
	ret = kexec_purgatory_get_set_symbol(pi, "entry16_regs", regs, sizeof(regs), false);
	if (ret)
		return ret;
	regs32[REG_EIP] = (uint32_t)entry16;
	return set_entry32_regs(pi, regs32);
}

int do_bzImage_load(struct plan *plan, const struct kexec_inputs *in)
{
	struct bzimage64 bz = { .plan = plan, .in = in };
	struct kexec_buf pbuf = { .plan = plan, .buf_min = MIN_PURGATORY_ADDR, .top_down = true,
				  .mem = KEXEC_BUF_MEM_UNKNOWN, .what = "purgatory" };
	uint16_t protocol = get_le16(in->kernel + HDR_VERSION);
	uint32_t regs32[NR_REGS32] = { 0 };
	uint64_t initrd_max = DEFAULT_INITRD_ADDR_MAX, kernel_load_addr;
	size_t cmdline_offset = 0, heap_size = 0;
	bool relocatable, real_mode = x86_has_option(in, "real-mode");
	int ret;

	if (bzImage_probe(in->kernel, in->kernel_len)) {
		kx_error("%s: %s", in->kernel_name, bzImage_refusal(in->kernel, in->kernel_len));
		return -ENOEXEC;
	}
	x86_ignore_modules(in, "a bzImage");
	relocatable = protocol >= 0x0205 && in->kernel[HDR_RELOCATABLE_KERNEL];
	ret = check_bzImage(&bz, protocol, relocatable, real_mode);
	if (ret)
		return ret;
	if (real_mode)
		plan_note_variant(plan, "a 16-bit entry (--real-mode): kexec-tools' bzImage loader, the kernel's setup code run on the BIOS; the kernel's kexec_file_load enters in 64-bit mode");
	else
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
	/*
	 * entry32 runs with paging off: the purgatory must lie below 4 GiB;
	 * entry16 runs in real mode: below 640 KiB
	 */
	pbuf.buf_max = relocatable && !real_mode ? PURGATORY32_MAX : LOW_MEM_END;
	ret = kexec_load_purgatory(plan, in->pi, &pbuf);
	if (ret)
		goto out_efi;

	if (real_mode) {
		ret = add_real_mode_setup(&bz, protocol, &cmdline_offset, &heap_size);
		if (ret)
			goto out_efi;
		/* kexec-tools' check: the purgatory above the setup segment */
		if (pbuf.mem < bz.params_load_addr) {
			kx_error("%s: --real-mode: no room for the setup code below the purgatory at 0x%" PRIx64,
				 in->kernel_name, pbuf.mem);
			ret = -ENOMEM;
			goto out_efi;
		}
	} else {
		ret = alloc_boot_params(&bz);
		if (ret)
			goto out_efi;
		copy_setup_header(&bz);
		/* a crash kernel's boot_params go in the crash region; %esi is 32 bits */
		ret = add_boot_params(&bz, MIN_BOOTPARAM_ADDR, plan->crash ? UINT32_MAX : LOW_MEM_END);
		if (ret)
			goto out_efi;
	}

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

	if (real_mode) {
		setup_real_mode_parameters(&bz, protocol, cmdline_offset, heap_size,
					   kernel_load_addr);
		ret = set_cmdline_end(plan, bz.params_load_addr + cmdline_offset +
					    strlen((const char *)bz.params + cmdline_offset));
		if (!ret)
			ret = set_entry16_regs(in->pi, bz.params_load_addr, cmdline_offset);
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
