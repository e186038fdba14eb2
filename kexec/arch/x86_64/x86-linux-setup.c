// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What every x86_64 loader (bzImage64, bzImage with its 32-bit entry, the
 * vmlinux ELF) builds the same way: the boot_params segment as the kernel's
 * bzImage64 loader lays it out (boot_params, the command line with room for
 * elfcorehdr=, the EFI memory map, the setup_data blocks), its contents
 * (kexec-tools' name for this file: x86-linux-setup.c), and the purgatory's
 * registers for a 64-bit or a 32-bit entry.
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
#include "request.h"
#include "sysview.h"
#include "x86_64.h"

/* struct ima_setup_data (addr, size) and struct kho_data (fdt, scratch) */
#define IMA_SETUP_DATA_SIZE	16
#define KHO_DATA_SIZE		32

void setup_initrd(uint8_t *params, uint64_t initrd_load_addr, uint64_t initrd_len)
{
	put_le32(params + HDR_RAMDISK_IMAGE, (uint32_t)initrd_load_addr);
	put_le32(params + HDR_RAMDISK_SIZE, (uint32_t)initrd_len);
	/* only when set: a real-mode setup segment holds the image's bytes there */
	if (initrd_load_addr >> 32)
		put_le32(params + BP_EXT_RAMDISK_IMAGE, (uint32_t)(initrd_load_addr >> 32));
	if (initrd_len >> 32)
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


const char *bzImage_header_refusal(const uint8_t *buf, size_t len, uint16_t min_protocol)
{
	if (len < 2 * 512)
		return "too short to be a bzImage";
	if (memcmp(buf + HDR_HEADER, "HdrS", 4))
		return "not a bzImage (no HdrS setup header)";
	if (get_le16(buf + HDR_BOOT_FLAG) != 0xaa55)
		return "no x86 boot sector (boot_flag is not 0xaa55)";
	if (get_le16(buf + HDR_VERSION) < min_protocol)
		return min_protocol >= 0x020c ? "boot protocol older than 2.12" :
						"boot protocol older than 2.00";
	if (!(buf[HDR_LOADFLAGS] & LOADED_HIGH))
		return "a zImage, not a bzImage";
	return NULL;
}

bool is_other_x86_image(const uint8_t *buf, size_t len)
{
	return len >= 4 && (!memcmp(buf, "\177ELF", 4) || !memcmp(buf, "BeoB", 4));
}

int bzImage_setup_size(struct bzimage64 *bz)
{
	const struct kexec_inputs *in = bz->in;
	size_t setup_sects = in->kernel[HDR_SETUP_SECTS] ? in->kernel[HDR_SETUP_SECTS] : 4;

	bz->kern16_size = (setup_sects + 1) * 512;
	if (in->kernel_len <= bz->kern16_size) {
		kx_error("%s: bzImage truncated (%zu bytes, the setup code alone is %zu)",
			 in->kernel_name, in->kernel_len, bz->kern16_size);
		return -ENOEXEC;
	}
	if (in->dtb) {
		kx_error("--dtb: not supported for x86_64 bzImage kernels");
		return -EINVAL;
	}
	return 0;
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
 * --load-preserve-context, as kexec-tools: the purgatory's cmdline_end is the
 * address of the command line's NUL, where the purgatory appends the old
 * kernel's kexec_jump_back_entry= (PURGATORY_CMDLINE_SIZE bytes of room).
 */
int set_cmdline_end(struct plan *plan, uint64_t nul_addr)
{
	uint8_t v[8];

	if (!(plan->flags & KEXEC_PRESERVE_CONTEXT))
		return 0;
	if (!kexec_purgatory_has_symbol(plan->pi, "cmdline_end")) {
		kx_warn("--load-preserve-context: %s has no cmdline_end: the new kernel is not given kexec_jump_back_entry=",
			plan->pi->name);
		return 0;
	}
	kx_debug("--load-preserve-context: cmdline_end = 0x%" PRIx64 " (kexec_jump_back_entry= goes there)",
		 nul_addr);
	put_le64(v, nul_addr);
	return kexec_purgatory_get_set_symbol(plan->pi, "cmdline_end", v, sizeof(v), false);
}

/*
 * The boot_params segment's buffer, sized as the kernel's bzImage64 loader
 * sizes it; the setup header is the caller's to fill in.
 */
int alloc_boot_params(struct bzimage64 *bz)
{
	struct plan *plan = bz->plan;
	size_t params_cmdline_sz;

	params_cmdline_sz = BP_SIZE + bz->in->cmdline_len + MAX_ELFCOREHDR_STR_LEN;
	/* kexec-tools' room for the purgatory's kexec_jump_back_entry= */
	if (plan->flags & KEXEC_PRESERVE_CONTEXT)
		params_cmdline_sz += PURGATORY_CMDLINE_SIZE;
	params_cmdline_sz = ALIGN_UP(params_cmdline_sz, 16);
	bz->params_sz = params_cmdline_sz + ALIGN_UP(bz->efi.map_sz, 16) + SETUP_DATA_HDR_SIZE +
			EFI_SETUP_DATA_SIZE;
	if (plan_rule(plan, PR_RNG_SEED))
		bz->params_sz += SETUP_DATA_HDR_SIZE + RNG_SEED_LENGTH;
	if (plan_rule(plan, PR_IMA_SETUP_DATA))
		bz->params_sz += SETUP_DATA_HDR_SIZE + IMA_SETUP_DATA_SIZE;
	if (plan_rule(plan, PR_KHO_SETUP_DATA))
		bz->params_sz += SETUP_DATA_HDR_SIZE + KHO_DATA_SIZE;
	bz->params = plan_alloc(plan, bz->params_sz, "boot_params");
	if (!bz->params)
		return -ENOMEM;
	bz->efi_map_offset = params_cmdline_sz;
	bz->setup_data_offset = params_cmdline_sz + ALIGN_UP(bz->efi.map_sz, 16);
	return 0;
}

void init_linux_parameters(uint8_t *params)
{
	memcpy(params + HDR_HEADER, "HdrS", 4);
	put_le16(params + HDR_VERSION, ELF_BOOT_PROTOCOL);
	put_le32(params + HDR_INITRD_ADDR_MAX, DEFAULT_INITRD_ADDR_MAX);
	put_le32(params + HDR_CMDLINE_SIZE, COMMAND_LINE_SIZE);
}

/* The kernel's setup header (up to where the jump at 0x200 lands) into boot_params. */
void copy_setup_header(struct bzimage64 *bz)
{
	const uint8_t *kernel = bz->in->kernel;
	size_t setup_header_size;

	setup_header_size = 0x0202 + kernel[0x0201] - BP_HDR;
	if (BP_HDR + setup_header_size > BP_SIZE)
		setup_header_size = BP_SIZE - BP_HDR;
	memcpy(bz->params + BP_HDR, kernel + BP_HDR, setup_header_size);
}

int add_boot_params(struct bzimage64 *bz, uint64_t buf_min, uint64_t buf_max)
{
	struct kexec_buf kbuf = { .plan = bz->plan, .buffer = bz->params, .bufsz = bz->params_sz,
				  .memsz = bz->params_sz, .buf_align = 16, .buf_min = buf_min,
				  .buf_max = buf_max, .top_down = true,
				  .mem = KEXEC_BUF_MEM_UNKNOWN, .what = "boot_params" };
	int ret;

	ret = kexec_add_buffer(&kbuf);
	if (ret)
		return ret;
	bz->params_load_addr = kbuf.mem;
	return 0;
}

/* The initrd, top-down in [buf_min, buf_max], and its place in boot_params. */
int add_initrd(struct bzimage64 *bz, uint64_t buf_min, uint64_t buf_max)
{
	const struct kexec_inputs *in = bz->in;
	struct kexec_buf kbuf = { .plan = bz->plan, .buffer = in->initrd, .bufsz = in->initrd_len,
				  .memsz = in->initrd_len, .buf_align = bz->plan->page_size,
				  .buf_min = buf_min, .buf_max = buf_max, .top_down = true,
				  .mem = KEXEC_BUF_MEM_UNKNOWN, .what = "initrd" };
	int ret;

	ret = kexec_add_buffer(&kbuf);
	if (ret)
		return ret;
	setup_initrd(bz->params, kbuf.mem, in->initrd_len);
	return 0;
}

/*
 * Once every segment is placed: the command line, the boot loader id, and
 * what the firmware would have said (the memory map, EFI, EDD...).
 */
int setup_linux_parameters(struct bzimage64 *bz)
{
	const struct kexec_inputs *in = bz->in;
	int ret;

	setup_cmdline(bz->plan, bz->params, bz->params_load_addr, BP_SIZE, in->cmdline,
		      in->cmdline_len);
	ret = set_cmdline_end(bz->plan, bz->params_load_addr + BP_SIZE +
				 strlen((const char *)bz->params + BP_SIZE));
	if (ret)
		return ret;
	/* boot loader id 0xD: kexec */
	bz->params[HDR_TYPE_OF_LOADER] = 0x0d << 4;
	bz->params[HDR_LOADFLAGS] = 0;
	return setup_boot_parameters(bz, bz->params_load_addr, bz->setup_data_offset);
}

int set_entry32_regs(struct purgatory_info *pi, const uint32_t regs32[NR_REGS32])
{
	uint8_t regs[NR_REGS32 * 4];
	uint64_t entry32, stack;
	unsigned int i;
	int ret;

	ret = kexec_purgatory_get_symbol_addr(pi, "entry32", &entry32);
	if (ret) {
		kx_error("%s: no symbol entry32 (a 32-bit entry needs ukexec's own purgatory)",
			 pi->name);
		return ret;
	}
	ret = kexec_purgatory_get_symbol_addr(pi, "stack_end", &stack);
	if (ret) {
		kx_error("%s: no symbol stack_end", pi->name);
		return ret;
	}
	for (i = 0; i < NR_REGS32; i++)
		put_le32(regs + i * 4, regs32[i]);
	if (!regs32[REG_ESP])
		put_le32(regs + REG_ESP * 4, (uint32_t)stack);
	ret = kexec_purgatory_get_set_symbol(pi, "entry32_regs", regs, sizeof(regs), false);
	if (ret)
		return ret;
	/* entry64 jumps to entry32, which leaves long mode */
	return set_entry64_regs(pi, 0, entry32);
}

bool x86_has_option(const struct kexec_inputs *in, const char *name)
{
	unsigned int i;

	for (i = 0; i < in->req->nr_arch_opts; i++)
		if (!strcmp(in->req->arch_opts[i].name, name))
			return true;
	return false;
}

/* kexec-tools' Linux loaders read no --module: it is dropped, here not silently */
void x86_ignore_modules(const struct kexec_inputs *in, const char *what)
{
	unsigned int i;

	for (i = 0; i < in->req->nr_arch_opts; i++)
		if (!strcmp(in->req->arch_opts[i].name, "module"))
			kx_warn("--module=%s: %s is %s, which takes no modules: ignored, as kexec-tools ignores it",
				in->req->arch_opts[i].val, in->kernel_name, what);
}
