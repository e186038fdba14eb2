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

#define MAX_ELFCOREHDR_STR_LEN	30	/* "elfcorehdr=0x<64-bit value> " */

/* struct ima_setup_data (addr, size) and struct kho_data (fdt, scratch) */
#define IMA_SETUP_DATA_SIZE	16
#define KHO_DATA_SIZE		32

/* struct kexec_entry64_regs in the purgatory: 18 u64 in this order. */
void setup_initrd(uint8_t *params, uint64_t initrd_load_addr, uint64_t initrd_len)
{
	put_le32(params + HDR_RAMDISK_IMAGE, (uint32_t)initrd_load_addr);
	put_le32(params + HDR_RAMDISK_SIZE, (uint32_t)initrd_len);
	put_le32(params + BP_EXT_RAMDISK_IMAGE, (uint32_t)(initrd_load_addr >> 32));
	put_le32(params + BP_EXT_RAMDISK_SIZE, (uint32_t)(initrd_len >> 32));
}

void setup_cmdline(struct plan *plan, uint8_t *params, uint64_t bootparams_load_addr,
			  size_t cmdline_offset, const char *cmdline, size_t cmdline_len)
{
	char *cmdline_ptr = (char *)params + cmdline_offset;
	uint64_t cmdline_ptr_phys;
	size_t len = 0;

	if (plan->crash)
		len = (size_t)sprintf(cmdline_ptr, "elfcorehdr=0x%" PRIx64 " ", plan->elf_load_addr);
	memcpy(cmdline_ptr + len, cmdline, cmdline_len);
	cmdline_len += len;
	/* without a command line this clears the last byte of boot_params, as in the kernel */
	cmdline_ptr[cmdline_len - 1] = '\0';
	kx_debug("final command line: %s", cmdline_ptr);

	cmdline_ptr_phys = bootparams_load_addr + cmdline_offset;
	put_le32(params + HDR_CMD_LINE_PTR, (uint32_t)cmdline_ptr_phys);
	if (cmdline_ptr_phys >> 32)
		put_le32(params + BP_EXT_CMD_LINE_PTR, (uint32_t)(cmdline_ptr_phys >> 32));
}

/*
 * The kernel adds the seed only once its RNG is initialised; getrandom()
 * without blocking tells the same.
 */
static void setup_rng_seed(uint8_t *params, uint64_t params_load_addr,
			   size_t rng_seed_setup_data_offset)
{
	uint8_t *sd = params + rng_seed_setup_data_offset;

	if (getrandom(sd + SETUP_DATA_HDR_SIZE, RNG_SEED_LENGTH, GRND_NONBLOCK) != RNG_SEED_LENGTH) {
		memset(sd + SETUP_DATA_HDR_SIZE, 0, RNG_SEED_LENGTH);
		kx_debug("the RNG is not ready: no RNG seed for the new kernel");
		return;
	}
	put_le32(sd + 8, SETUP_RNG_SEED);
	put_le32(sd + 12, RNG_SEED_LENGTH);
	put_le64(sd, get_le64(params + HDR_SETUP_DATA));
	put_le64(params + HDR_SETUP_DATA, params_load_addr + rng_seed_setup_data_offset);
}

int setup_boot_parameters(struct bzimage64 *bz, uint64_t params_load_addr,
				 size_t setup_data_offset)
{
	const uint8_t *cur = bz->cur_params;
	uint8_t *params = bz->params;
	unsigned int i, nr;
	int ret;

	memcpy(params + HDR_HARDWARE_SUBARCH, cur + HDR_HARDWARE_SUBARCH, 4);
	/* the kernel copies its screen_info, which starts as the boot one */
	memcpy(params + BP_SCREEN_INFO, cur + BP_SCREEN_INFO, BP_SCREEN_INFO_SIZE);
	put_le16(params + BP_EXT_MEM_K, 0);
	put_le32(params + BP_ALT_MEM_K, 0);
	memcpy(params + BP_ACPI_RSDP_ADDR, cur + BP_ACPI_RSDP_ADDR, 8);
	memset(params + BP_APM_BIOS_INFO, 0, BP_APM_BIOS_INFO_SIZE);
	memset(params + BP_HD0_INFO, 0, BP_HD_INFO_SIZE);
	memset(params + BP_HD1_INFO, 0, BP_HD_INFO_SIZE);

	if (bz->plan->crash)
		ret = crash_setup_memmap_entries(bz->plan, params);
	else
		ret = setup_e820_entries(bz->plan->sv, params);
	if (ret)
		return ret;

	nr = params[BP_E820_ENTRIES];
	kx_debug("E820 memmap:");
	for (i = 0; i < nr; i++) {
		const uint8_t *e = params + BP_E820_TABLE + i * E820_ENTRY_SIZE;
		uint64_t start = get_le64(e), end = start + get_le64(e + 8) - 1, mem_k;

		kx_debug("%016" PRIx64 "-%016" PRIx64 " (%u)", start, end, get_le32(e + 16));
		if (get_le32(e + 16) != E820_TYPE_RAM)
			continue;
		if (start <= 0x100000 && end > 0x100000) {
			mem_k = (end >> 10) - (0x100000 >> 10);
			put_le16(params + BP_EXT_MEM_K, mem_k > 0xfc00 ? 0xfc00 : (uint16_t)mem_k);
			put_le32(params + BP_ALT_MEM_K,
				 mem_k > 0xffffffff ? 0xffffffff : (uint32_t)mem_k);
		}
	}

	setup_efi_state(params, cur, params_load_addr, bz->efi_map_offset, setup_data_offset,
			&bz->efi, plan_rule(bz->plan, PR_EFI_RSDP));
	/* the EFI setup_data's room is kept even without EFI (CONFIG_EFI=y) */
	setup_data_offset += SETUP_DATA_HDR_SIZE + EFI_SETUP_DATA_SIZE;
	/* IMA's and KHO's rooms stay empty: what the kernel would put there
	 * is not the caller's (profile_report() says so) */
	if (plan_rule(bz->plan, PR_IMA_SETUP_DATA))
		setup_data_offset += SETUP_DATA_HDR_SIZE + IMA_SETUP_DATA_SIZE;
	if (plan_rule(bz->plan, PR_KHO_SETUP_DATA))
		setup_data_offset += SETUP_DATA_HDR_SIZE + KHO_DATA_SIZE;
	if (plan_rule(bz->plan, PR_RNG_SEED))
		setup_rng_seed(params, params_load_addr, setup_data_offset);

	memcpy(params + BP_EDDBUF, cur + BP_EDDBUF, BP_EDDBUF_SIZE);
	params[BP_EDDBUF_ENTRIES] = cur[BP_EDDBUF_ENTRIES];
	memcpy(params + BP_EDD_MBR_SIG_BUFFER, cur + BP_EDD_MBR_SIG_BUFFER, BP_EDD_MBR_SIG_SIZE);
	return 0;
}

static int bzImage64_probe(const uint8_t *buf, size_t len)
{
	uint16_t xloadflags;

	if (len < 2 * 512)
		return -ENOEXEC;
	if (memcmp(buf + HDR_HEADER, "HdrS", 4))
		return -ENOEXEC;
	if (get_le16(buf + HDR_BOOT_FLAG) != 0xaa55)
		return -ENOEXEC;
	if (get_le16(buf + HDR_VERSION) < 0x020c)
		return -ENOEXEC;
	if (!(buf[HDR_LOADFLAGS] & LOADED_HIGH))
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
	/* the elf-x86_64 loader says why it refused an ELF file */
	if (len >= 4 && !memcmp(buf, "\177ELF", 4))
		return NULL;
	if (len < 2 * 512)
		return "too short to be a bzImage";
	if (memcmp(buf + HDR_HEADER, "HdrS", 4))
		return "not a bzImage (no HdrS setup header)";
	if (get_le16(buf + HDR_BOOT_FLAG) != 0xaa55)
		return "no x86 boot sector (boot_flag is not 0xaa55)";
	if (get_le16(buf + HDR_VERSION) < 0x020c)
		return "boot protocol older than 2.12";
	if (!(buf[HDR_LOADFLAGS] & LOADED_HIGH))
		return "a zImage, not a bzImage";
	if (!(get_le16(buf + HDR_XLOADFLAGS) & XLF_KERNEL_64))
		return "not a bzImage64 (XLF_KERNEL_64 is not set)";
	return "XLF_CAN_BE_LOADED_ABOVE_4G is not set";
}

int read_boot_params(struct bzimage64 *bz)
{
	uint8_t *data;
	size_t len;
	int ret;

	ret = sysview_read_file(bz->plan->sv, "/sys/kernel/boot_params/data", &data, &len);
	if (ret) {
		char path[4096 + 64];

		sysview_path(bz->plan->sv, "/sys/kernel/boot_params/data", path, sizeof(path));
		kx_error("%s: %s (the running kernel's boot parameters are needed)", path,
			 sysview_strerror(ret));
		return ret;
	}
	if (len < BP_SIZE) {
		kx_error("/sys/kernel/boot_params/data: %zu bytes, expected %u", len, BP_SIZE);
		free(data);
		return -EINVAL;
	}
	ret = plan_adopt(bz->plan, data);
	if (ret)
		return ret;
	bz->cur_params = data;
	return 0;
}

int set_entry64_regs(struct purgatory_info *pi, uint64_t bootparam_load_addr, uint64_t rip)
{
	uint8_t regs[NR_REGS64 * 8];
	uint64_t stack;
	int ret;

	ret = kexec_purgatory_get_set_symbol(pi, "entry64_regs", regs, sizeof(regs), true);
	if (ret)
		return ret;
	put_le64(regs + REG_RBX * 8, 0);	/* the bootstrap processor */
	put_le64(regs + REG_RSI * 8, bootparam_load_addr);
	put_le64(regs + REG_RIP * 8, rip);
	ret = kexec_purgatory_get_symbol_addr(pi, "stack_end", &stack);
	if (ret) {
		kx_error("%s: no symbol stack_end", pi->name);
		return ret;
	}
	put_le64(regs + REG_RSP * 8, stack);
	return kexec_purgatory_get_set_symbol(pi, "entry64_regs", regs, sizeof(regs), false);
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
	uint64_t bootparam_load_addr, kernel_load_addr, pref_address;
	size_t setup_header_size, params_cmdline_sz;
	size_t efi_map_sz = bz->efi.map_sz, efi_setup_data_offset;
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
	params_cmdline_sz = ALIGN_UP(BP_SIZE + in->cmdline_len + MAX_ELFCOREHDR_STR_LEN, 16);
	kbuf.bufsz = params_cmdline_sz + ALIGN_UP(efi_map_sz, 16) + SETUP_DATA_HDR_SIZE +
		     EFI_SETUP_DATA_SIZE;
	if (plan_rule(plan, PR_RNG_SEED))
		kbuf.bufsz += SETUP_DATA_HDR_SIZE + RNG_SEED_LENGTH;
	if (plan_rule(plan, PR_IMA_SETUP_DATA))
		kbuf.bufsz += SETUP_DATA_HDR_SIZE + IMA_SETUP_DATA_SIZE;
	if (plan_rule(plan, PR_KHO_SETUP_DATA))
		kbuf.bufsz += SETUP_DATA_HDR_SIZE + KHO_DATA_SIZE;
	bz->params = plan_alloc(plan, kbuf.bufsz, "boot_params");
	if (!bz->params)
		return -ENOMEM;
	bz->efi_map_offset = params_cmdline_sz;
	efi_setup_data_offset = params_cmdline_sz + ALIGN_UP(efi_map_sz, 16);

	/* the setup header ends where the jump at 0x200 lands */
	setup_header_size = 0x0202 + kernel[0x0201] - BP_HDR;
	if (BP_HDR + setup_header_size > BP_SIZE)
		setup_header_size = BP_SIZE - BP_HDR;
	memcpy(bz->params + BP_HDR, kernel + BP_HDR, setup_header_size);

	kbuf.buffer = bz->params;
	kbuf.memsz = kbuf.bufsz;
	kbuf.buf_align = 16;
	kbuf.buf_min = MIN_BOOTPARAM_ADDR;
	kbuf.what = "boot_params";
	ret = kexec_add_buffer(&kbuf);
	if (ret)
		return ret;
	bootparam_load_addr = kbuf.mem;

	kbuf.buffer = kernel + bz->kern16_size;
	kbuf.bufsz = in->kernel_len - bz->kern16_size;
	kbuf.memsz = ALIGN_UP((uint64_t)get_le32(kernel + HDR_INIT_SIZE), plan->page_size);
	kbuf.buf_align = get_le32(kernel + HDR_KERNEL_ALIGNMENT);
	pref_address = get_le64(kernel + HDR_PREF_ADDRESS);
	kbuf.buf_min = MIN_KERNEL_LOAD_ADDR;
	if (plan_rule(plan, PR_KERNEL_BUF_MIN_PREF) && pref_address > MIN_KERNEL_LOAD_ADDR)
		kbuf.buf_min = pref_address;
	kbuf.mem = KEXEC_BUF_MEM_UNKNOWN;
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
		kbuf.buffer = in->initrd;
		kbuf.bufsz = kbuf.memsz = in->initrd_len;
		kbuf.buf_align = plan->page_size;
		kbuf.buf_min = MIN_INITRD_LOAD_ADDR;
		kbuf.mem = KEXEC_BUF_MEM_UNKNOWN;
		kbuf.what = "initrd";
		ret = kexec_add_buffer(&kbuf);
		if (ret)
			return ret;
		setup_initrd(bz->params, kbuf.mem, in->initrd_len);
	}

	setup_cmdline(plan, bz->params, bootparam_load_addr, BP_SIZE, in->cmdline, in->cmdline_len);

	/* boot loader id 0xD: kexec */
	bz->params[HDR_TYPE_OF_LOADER] = 0x0d << 4;
	bz->params[HDR_LOADFLAGS] = 0;

	/* the 64-bit entry of a bzImage64 is 0x200 past its protected-mode code */
	ret = set_entry64_regs(in->pi, bootparam_load_addr, kernel_load_addr + 0x200);
	if (ret)
		return ret;
	return setup_boot_parameters(bz, bootparam_load_addr, efi_setup_data_offset);
}

static int bzImage64_load(struct plan *plan, const struct kexec_inputs *in)
{
	const uint8_t *kernel = in->kernel;
	struct bzimage64 bz = { .plan = plan, .in = in };
	size_t setup_sects, kern16_size;
	uint32_t cmdline_size;
	int ret;

	if (bzImage64_probe(kernel, in->kernel_len)) {
		kx_error("%s: %s", in->kernel_name, bzImage64_refusal(kernel, in->kernel_len));
		return -ENOEXEC;
	}
	setup_sects = kernel[HDR_SETUP_SECTS];
	if (!setup_sects)
		setup_sects = 4;
	kern16_size = (setup_sects + 1) * 512;
	bz.kern16_size = kern16_size;
	if (in->kernel_len < kern16_size) {
		kx_error("%s: bzImage truncated (%zu bytes, the setup code alone is %zu)",
			 in->kernel_name, in->kernel_len, kern16_size);
		return -ENOEXEC;
	}
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
	if (in->dtb) {
		kx_error("--dtb: not supported for x86_64 bzImage kernels");
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
