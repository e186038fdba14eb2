// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kexec-tools' multiboot loader (its kexec/arch/i386/kexec-multiboot-x86.c):
 * an i386 ELF executable with a multiboot header in its first 8 KiB. Its
 * PT_LOADs go at their physical addresses; the multiboot information (MBI)
 * carries "IMAGE COMMAND-LINE", the boot loader's name, the memory map when
 * the header asks for it (MULTIBOOT_MEMORY_INFO), and each --module="FILE
 * ARGS" loaded page-aligned below 4 GiB; the purgatory enters e_entry in
 * 32-bit protected mode with eax = 0x2BADB002 and ebx = the MBI. Not a
 * loader of the kernel's kexec_file_load: through kexec_load only.
 */
#include <elf.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "config.h"
#include "file.h"
#include "kexec-elf.h"
#include "kexec_file.h"
#include "log.h"
#include "plan.h"
#include "purgatory.h"
#include "request.h"
#include "sysview.h"
#include "x86_64.h"

#define MULTIBOOT_SEARCH	8192
#define MULTIBOOT_MAGIC		0x1BADB002
#define MULTIBOOT_BOOTLOADER_MAGIC 0x2BADB002
#define MULTIBOOT_MEMORY_INFO	0x00000002
#define MULTIBOOT_VIDEO_MODE	0x00000004
#define MULTIBOOT_AOUT_KLUDGE	0x00010000
#define MULTIBOOT_UNSUPPORTED	0x0000fff8	/* required bits kexec-tools does not know */

/* struct multiboot_info: the offsets of what is filled in, and its size */
#define MBI_FLAGS		0
#define MBI_MEM_LOWER		4
#define MBI_MEM_UPPER		8
#define MBI_CMDLINE		16
#define MBI_MODS_COUNT		20
#define MBI_MODS_ADDR		24
#define MBI_MMAP_LENGTH		44
#define MBI_MMAP_ADDR		48
#define MBI_BOOT_LOADER_NAME	64
#define MBI_SIZE		88
#define MB_INFO_MEMORY		0x00000001
#define MB_INFO_CMDLINE		0x00000004
#define MB_INFO_MODS		0x00000008
#define MB_INFO_MEM_MAP		0x00000040
#define MB_INFO_BOOT_LOADER_NAME 0x00000200

#define MOD_LIST_SIZE		16	/* mod_start, mod_end, cmdline, pad */
#define MMAP_ENTRY_SIZE		24	/* size (20), base, length (u64 each), type */
#define MMAP_TYPE_RAM		1
#define MMAP_TYPE_NOT_RAM	0xbad	/* kexec-tools' type for every other range */

#define BOOTLOADER_NAME		"ukexec " PACKAGE_VERSION
#define MIN_PURGATORY_ADDR	0x3000
#define PURGATORY32_MAX		0x7fffffff
#define MB_ADDR_MAX		0xffffffff

/* The multiboot header's offset in buf (its flags in *flags), or -1. */
static long find_multiboot_header(const uint8_t *buf, size_t len, uint32_t *flags)
{
	size_t off, end = len < MULTIBOOT_SEARCH ? len : MULTIBOOT_SEARCH;

	for (off = 0; off + 12 <= end; off += 4) {
		uint32_t magic = get_le32(buf + off), fl = get_le32(buf + off + 4);

		if (magic != MULTIBOOT_MAGIC || (uint32_t)(magic + fl + get_le32(buf + off + 8)))
			continue;
		*flags = fl;
		return (long)off;
	}
	return -1;
}

#define EM_486 6	/* gone from <elf.h>; kexec-tools still takes it */

bool is_elf32_i386(const uint8_t *buf, size_t len)
{
	uint16_t machine;

	if (len < sizeof(Elf32_Ehdr) || memcmp(buf, ELFMAG, SELFMAG))
		return false;
	if (buf[EI_CLASS] != ELFCLASS32 || buf[EI_DATA] != ELFDATA2LSB)
		return false;
	machine = get_le16(buf + offsetof(Elf32_Ehdr, e_machine));
	return machine == EM_386 || machine == EM_486;
}

bool is_elf_x86(const uint8_t *buf, size_t len)
{
	return is_elf32_i386(buf, len) && get_le16(buf + offsetof(Elf32_Ehdr, e_type)) == ET_EXEC;
}

static int multiboot_x86_probe(const uint8_t *buf, size_t len)
{
	uint32_t flags;

	if (!is_elf_x86(buf, len) || find_multiboot_header(buf, len, &flags) < 0)
		return -ENOEXEC;
	if (flags & (MULTIBOOT_AOUT_KLUDGE | MULTIBOOT_UNSUPPORTED))
		return -ENOEXEC;
	return 0;
}

static const char *multiboot_x86_refusal(const uint8_t *buf, size_t len)
{
	uint32_t flags;

	if (len < SELFMAG || memcmp(buf, ELFMAG, SELFMAG))
		return NULL;
	if (!is_elf_x86(buf, len))
		return NULL;	/* elf-x86_64 says what an ELF64 is not */
	if (find_multiboot_header(buf, len, &flags) < 0)
		return "an i386 ELF without a multiboot header in its first 8 KiB (-t elf-x86 loads it)";
	if (flags & MULTIBOOT_AOUT_KLUDGE)
		return "its multiboot header asks for the a.out kludge layout, which kexec-tools does not load either";
	return "its multiboot header requires options (flags 0x0000fff8) that kexec-tools does not know either";
}

/* What neither multiboot loader takes, kexec-tools' neither: -p, --initrd, --dtb. */
int multiboot_refuse_inputs(const struct plan *plan, const struct kexec_inputs *in,
			    const char *kind)
{
	if (plan->crash) {
		kx_error("%s: -p with a %s image: it runs at its link addresses, outside the crash region (kexec-tools' %s loader has no crash support either)",
			 in->kernel_name, kind, kind);
		return -EINVAL;
	}
	if (in->initrd) {
		kx_error("--initrd: a %s image takes its ramdisk as a --module", kind);
		return -EINVAL;
	}
	if (in->dtb) {
		kx_error("--dtb: not supported for x86_64 kernels");
		return -EINVAL;
	}
	return 0;
}

int add_buffer32(struct plan *plan, const void *buf, size_t len, uint64_t align,
			const char *what, uint64_t *addr)
{
	struct kexec_buf kbuf = { .plan = plan, .buffer = buf, .bufsz = len, .memsz = len,
				  .buf_align = align, .buf_min = 0, .buf_max = MB_ADDR_MAX,
				  .top_down = true, .mem = KEXEC_BUF_MEM_UNKNOWN, .what = what };
	int ret;

	ret = kexec_add_buffer(&kbuf);
	if (ret)
		return ret;
	*addr = kbuf.mem;
	return 0;
}

/*
 * The firmware's memory map in multiboot's format (RAM, or 0xbad for the
 * rest, as kexec-tools), and mem_lower/mem_upper in KiB into the MBI.
 */
static int add_memory_map(struct plan *plan, uint8_t *mbi)
{
	const struct sysview *sv = plan->sv;
	uint64_t mem_lower = 0, mem_upper = 0, addr;
	uint8_t *mmap;
	size_t i;
	int ret;

	if (!sv->nr_memmap) {
		char path[4096 + 32];

		sysview_path(sv, "/sys/firmware/memmap", path, sizeof(path));
		kx_error("%s: no firmware memory map (the multiboot memory map comes from it)", path);
		return -ENOENT;
	}
	mmap = plan_alloc(plan, sv->nr_memmap * MMAP_ENTRY_SIZE, "multiboot memory map");
	if (!mmap)
		return -ENOMEM;
	for (i = 0; i < sv->nr_memmap; i++) {
		const struct memmap_entry *m = &sv->memmap[i];
		uint8_t *e = mmap + i * MMAP_ENTRY_SIZE;
		uint64_t end = m->end + 1;
		bool ram = e820_type_of(m->type) == E820_TYPE_RAM;

		put_le32(e, MMAP_ENTRY_SIZE - 4);
		put_le64(e + 4, m->start);
		put_le64(e + 12, end - m->start);
		put_le32(e + 20, ram ? MMAP_TYPE_RAM : MMAP_TYPE_NOT_RAM);
		if (!ram)
			continue;
		if (!m->start && end > mem_lower)
			mem_lower = end;
		if (m->start <= 0x100000 && end > mem_upper + 0x100000)
			mem_upper = end - 0x100000;
	}
	ret = add_buffer32(plan, mmap, sv->nr_memmap * MMAP_ENTRY_SIZE, 4, "multiboot memory map",
			   &addr);
	if (ret)
		return ret;
	put_le32(mbi + MBI_FLAGS, get_le32(mbi + MBI_FLAGS) | MB_INFO_MEMORY | MB_INFO_MEM_MAP);
	put_le32(mbi + MBI_MMAP_ADDR, (uint32_t)addr);
	put_le32(mbi + MBI_MMAP_LENGTH, (uint32_t)(sv->nr_memmap * MMAP_ENTRY_SIZE));
	put_le32(mbi + MBI_MEM_LOWER, (uint32_t)(mem_lower >> 10));
	put_le32(mbi + MBI_MEM_UPPER, mem_upper >> 10 > 0xffffffff ? 0xffffffff :
						   (uint32_t)(mem_upper >> 10));
	return 0;
}

int load_multiboot_module(struct plan *plan, const char *spec, uint64_t *start, uint64_t *end)
{
	size_t name_len = strcspn(spec, " ");
	char *name = strndup(spec, name_len);
	struct kx_file f = { .fd = -1 };
	uint8_t *data = NULL, *copy;
	size_t len;
	int ret;

	if (!name) {
		kx_error("out of memory");
		return -ENOMEM;
	}
	ret = kx_file_open(&f, name);
	if (ret) {
		plan->unreadable_input = true;
		goto out_name;
	}
	ret = slurp_decompress_file(f.data, f.size, name, &data, &len);
	if (ret)
		goto out_file;
	if (data) {
		ret = plan_adopt(plan, data);
		if (ret)
			goto out_file;
		copy = data;
	} else {
		len = f.size;
		copy = plan_alloc(plan, len, name);
		if (!copy) {
			ret = -ENOMEM;
			goto out_file;
		}
		memcpy(copy, f.data, len);
	}
	ret = add_buffer32(plan, copy, len, plan->page_size, "multiboot module", start);
	if (ret)
		goto out_file;
	*end = *start + len;
	kx_debug("--module %s: 0x%" PRIx64 "-0x%" PRIx64, name, *start, *end - 1);
out_file:
	kx_file_close(&f);
out_name:
	free(name);
	return ret;
}

/*
 * The MBI and what follows it in its segment, kexec-tools' layout: the MBI,
 * "IMAGE COMMAND-LINE", the boot loader's name, (4-aligned) the module list,
 * the modules' command lines. Pointers are offsets until the segment is
 * placed (relocate_mbi()).
 */
struct mbi_layout {
	uint8_t *buf;
	size_t size, name_off, mods_off, mod_cmdline_off;
	unsigned int nr_modules;
};

static int build_mbi(struct plan *plan, const struct kexec_inputs *in, struct mbi_layout *l)
{
	const struct request *req = in->req;
	size_t cmdline_len = strlen(in->cmdline) + strlen(in->kernel_name) + 2;
	size_t mod_cmdline_space = 0, clp;
	unsigned int i, m = 0;

	for (i = 0; i < req->nr_arch_opts; i++) {
		if (!strcmp(req->arch_opts[i].name, "module")) {
			l->nr_modules++;
			mod_cmdline_space += strlen(req->arch_opts[i].val) + 1;
		}
	}
	l->name_off = MBI_SIZE + cmdline_len;
	l->mods_off = ALIGN_UP(l->name_off + sizeof(BOOTLOADER_NAME), 4);
	l->mod_cmdline_off = l->mods_off + l->nr_modules * MOD_LIST_SIZE;
	l->size = l->mod_cmdline_off + mod_cmdline_space;
	l->buf = plan_alloc(plan, l->size, "multiboot information");
	if (!l->buf)
		return -ENOMEM;
	snprintf((char *)l->buf + MBI_SIZE, cmdline_len, "%s %s", in->kernel_name, in->cmdline);
	memcpy(l->buf + l->name_off, BOOTLOADER_NAME, sizeof(BOOTLOADER_NAME));
	put_le32(l->buf + MBI_FLAGS, MB_INFO_CMDLINE | MB_INFO_BOOT_LOADER_NAME);
	put_le32(l->buf + MBI_CMDLINE, MBI_SIZE);
	put_le32(l->buf + MBI_BOOT_LOADER_NAME, (uint32_t)l->name_off);
	if (!l->nr_modules)
		return 0;
	put_le32(l->buf + MBI_FLAGS, get_le32(l->buf + MBI_FLAGS) | MB_INFO_MODS);
	put_le32(l->buf + MBI_MODS_ADDR, (uint32_t)l->mods_off);
	put_le32(l->buf + MBI_MODS_COUNT, l->nr_modules);
	for (i = 0, clp = l->mod_cmdline_off; i < req->nr_arch_opts; i++) {
		const char *spec = req->arch_opts[i].val;

		if (strcmp(req->arch_opts[i].name, "module"))
			continue;
		memcpy(l->buf + clp, spec, strlen(spec) + 1);
		put_le32(l->buf + l->mods_off + m++ * MOD_LIST_SIZE + 8, (uint32_t)clp);
		clp += strlen(spec) + 1;
	}
	return 0;
}

static int load_modules(struct plan *plan, const struct kexec_inputs *in, struct mbi_layout *l)
{
	const struct request *req = in->req;
	unsigned int i, m = 0;
	int ret;

	for (i = 0; i < req->nr_arch_opts; i++) {
		if (strcmp(req->arch_opts[i].name, "module"))
			continue;
		uint8_t *modp = l->buf + l->mods_off + m++ * MOD_LIST_SIZE;
		uint64_t start, end;

		ret = load_multiboot_module(plan, req->arch_opts[i].val, &start, &end);
		if (ret)
			return ret;
		put_le32(modp, (uint32_t)start);
		put_le32(modp + 4, (uint32_t)end);
	}
	return 0;
}

/* The MBI's offsets into physical addresses, once its segment is at base. */
static void relocate_mbi(struct mbi_layout *l, uint32_t base)
{
	unsigned int i;

	for (i = 0; i < l->nr_modules; i++) {
		uint8_t *cl = l->buf + l->mods_off + i * MOD_LIST_SIZE + 8;

		put_le32(cl, get_le32(cl) + base);
	}
	put_le32(l->buf + MBI_CMDLINE, MBI_SIZE + base);
	put_le32(l->buf + MBI_BOOT_LOADER_NAME, (uint32_t)l->name_off + base);
	if (l->nr_modules)
		put_le32(l->buf + MBI_MODS_ADDR, (uint32_t)l->mods_off + base);
}

static int multiboot_x86_load(struct plan *plan, const struct kexec_inputs *in)
{
	struct kexec_buf pbuf = { .plan = plan, .buf_min = MIN_PURGATORY_ADDR,
				  .buf_max = PURGATORY32_MAX, .top_down = true,
				  .mem = KEXEC_BUF_MEM_UNKNOWN, .what = "purgatory" };
	uint32_t regs32[NR_REGS32] = { 0 }, flags = 0;
	struct mbi_layout l = { 0 };
	struct kexec_elf_info elf;
	uint64_t mbi_addr;
	int ret;

	if (multiboot_x86_probe(in->kernel, in->kernel_len)) {
		const char *why = multiboot_x86_refusal(in->kernel, in->kernel_len);

		kx_error("%s: %s", in->kernel_name, why ? why : "not an i386 ELF with a multiboot header");
		return -ENOEXEC;
	}
	ret = multiboot_refuse_inputs(plan, in, "multiboot");
	if (ret)
		return ret;
	find_multiboot_header(in->kernel, in->kernel_len, &flags);
	if (flags & MULTIBOOT_VIDEO_MODE)
		kx_warn("%s: its multiboot header asks for video mode information, which is not supplied (as kexec-tools)",
			in->kernel_name);
	ret = kexec_build_elf_info(in->kernel, in->kernel_len, &elf);
	if (ret) {
		kx_error("%s: not a valid ELF executable (%s)", in->kernel_name, elf.err);
		return ret;
	}
	plan_note_variant(plan, "-t multiboot-x86: kexec-tools' multiboot loader; the kernel's kexec_file_load has none");
	ret = elf_exec_build_load(plan, in, &elf);
	if (ret)
		goto out_free_elf;
	/* entry32 runs with paging off: the purgatory must lie below 4 GiB */
	ret = kexec_load_purgatory(plan, in->pi, &pbuf);
	if (ret)
		goto out_free_elf;
	ret = build_mbi(plan, in, &l);
	if (ret)
		goto out_free_elf;
	if (flags & MULTIBOOT_MEMORY_INFO) {
		ret = add_memory_map(plan, l.buf);
		if (ret)
			goto out_free_elf;
	}
	ret = load_modules(plan, in, &l);
	if (ret)
		goto out_free_elf;
	ret = add_buffer32(plan, l.buf, l.size, 4, "multiboot information", &mbi_addr);
	if (ret)
		goto out_free_elf;
	relocate_mbi(&l, (uint32_t)mbi_addr);

	regs32[REG_EAX] = MULTIBOOT_BOOTLOADER_MAGIC;
	regs32[REG_EBX] = (uint32_t)mbi_addr;
	regs32[REG_EIP] = (uint32_t)elf.ehdr.e_entry;
	ret = set_entry32_regs(in->pi, regs32);
out_free_elf:
	kexec_free_elf_info(&elf);
	return ret;
}

const struct kexec_file_ops x86_64_multiboot_ops = {
	.name = "multiboot-x86",
	.probe = multiboot_x86_probe,
	.refusal = multiboot_x86_refusal,
	.load = multiboot_x86_load,
	.userspace_only = true,
};
