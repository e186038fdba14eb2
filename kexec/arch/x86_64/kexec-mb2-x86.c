// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kexec-tools' multiboot2 loader (its kexec/arch/i386/kexec-mb2-x86.c): an
 * i386 ELF with a multiboot2 header (8-aligned in its first 32 KiB). Its
 * PT_LOADs go at their physical addresses, or, with a relocatable header
 * tag, wherever its range allows; the boot information is a tag list: basic
 * meminfo, the memory map, the load base (relocatable images), "IMAGE
 * COMMAND-LINE", the boot loader's name, the framebuffer (when the header
 * asks for one and there is one), one module tag per --module="FILE ARGS",
 * the end tag; the purgatory enters e_entry in 32-bit protected mode with
 * eax = 0x36D76289 and ebx = the information. Where kexec-tools differs
 * from the specification, the specification is followed and the code says
 * so. Not a loader of the kernel's kexec_file_load: through kexec_load only.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/fb.h>
#include <sys/ioctl.h>
#include "config.h"
#include "kexec-elf.h"
#include "log.h"
#include "plan.h"
#include "purgatory.h"
#include "request.h"
#include "sysview.h"
#include "x86_64.h"

#define MULTIBOOT2_SEARCH	32768
#define MULTIBOOT2_HEADER_ALIGN	8
#define MULTIBOOT2_HEADER_MAGIC	0xe85250d6
#define MULTIBOOT2_BOOTLOADER_MAGIC 0x36d76289
#define MB2_HEADER_SIZE		16	/* magic, architecture, header_length, checksum */
#define MB2_ARCH_I386		0

/* header tags: type (u16), flags (u16), size (u32) */
#define MB2_HT_END		0
#define MB2_HT_INFORMATION_REQUEST 1
#define MB2_HT_MODULE_ALIGN	6
#define MB2_HT_FRAMEBUFFER	5
#define MB2_HT_RELOCATABLE	10
#define MB2_HT_OPTIONAL		1
#define MB2_HT_RELOCATABLE_SIZE	24	/* + min_addr, max_addr, align, preference */
#define MB2_RELOC_PREFER_LOW	1

/* information tags: type (u32), size (u32), 8-aligned */
#define MB2_TAG_ALIGN		8
#define MB2_TAG_END		0
#define MB2_TAG_CMDLINE		1
#define MB2_TAG_BOOT_LOADER_NAME 2
#define MB2_TAG_MODULE		3
#define MB2_TAG_BASIC_MEMINFO	4
#define MB2_TAG_MMAP		6
#define MB2_TAG_FRAMEBUFFER	8
#define MB2_TAG_LOAD_BASE_ADDR	21
#define MB2_MMAP_ENTRY_SIZE	24	/* addr, len (u64), type, zero (u32) */
#define MB2_MEMORY_AVAILABLE	1
#define MB2_MEMORY_RESERVED	2
#define MB2_MEMORY_ACPI_RECLAIMABLE 3
#define MB2_MEMORY_NVS		4
/*
 * The framebuffer tag: addr (u64), pitch, width, height (u32), bpp, type
 * (u8), a reserved u16 (as GRUB's multiboot2.h and every reader; the
 * specification's table shows a u8), then color_info: 6 bytes for RGB
 * (position and size of red, green, blue), none for EGA text.
 */
#define MB2_FB_COMMON		24
#define MB2_FB_RGB_INFO		6
#define MB2_FB_TYPE_RGB		1
#define MB2_FB_TYPE_EGA_TEXT	2

#define BOOTLOADER_NAME		"ukexec " PACKAGE_VERSION
#define MIN_PURGATORY_ADDR	0x3000
#define PURGATORY32_MAX		0x7fffffff

/* The multiboot2 header's offset in buf, or -1. */
static long find_multiboot2_header(const uint8_t *buf, size_t len)
{
	size_t off, end = len < MULTIBOOT2_SEARCH ? len : MULTIBOOT2_SEARCH;

	for (off = 0; off + MB2_HEADER_SIZE <= end; off += MULTIBOOT2_HEADER_ALIGN) {
		uint32_t magic = get_le32(buf + off);

		if (magic == MULTIBOOT2_HEADER_MAGIC &&
		    !(uint32_t)(magic + get_le32(buf + off + 4) + get_le32(buf + off + 8) +
				get_le32(buf + off + 12)))
			return (long)off;
	}
	return -1;
}

static int multiboot2_x86_probe(const uint8_t *buf, size_t len)
{
	if (!is_elf_x86(buf, len) || find_multiboot2_header(buf, len) < 0)
		return -ENOEXEC;
	return 0;
}

/* What the header's tags ask for (kexec-tools' struct multiboot2_header_info) */
struct multiboot2_header_info {
	bool relocatable;
	uint32_t min_addr, max_addr, align, preference;
	bool framebuffer;
	bool framebuffer_optional;
};

/* The running framebuffer, as the information's framebuffer tag carries it */
struct mb2_framebuffer {
	uint64_t addr;
	uint32_t pitch, width, height;
	uint8_t bpp, type;
	uint8_t rgb[MB2_FB_RGB_INFO];	/* red, green, blue: position, size */
};

/*
 * A required information request: a warning for each tag asked for that is
 * never passed (kexec-tools does not read the request)
 */
static void check_information_request(const struct kexec_inputs *in, const uint8_t *types,
				      size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		uint32_t type = get_le32(types + 4 * i);

		switch (type) {
		case MB2_TAG_CMDLINE:
		case MB2_TAG_BOOT_LOADER_NAME:
		case MB2_TAG_MODULE:
		case MB2_TAG_BASIC_MEMINFO:
		case MB2_TAG_MMAP:
		case MB2_TAG_FRAMEBUFFER:
		case MB2_TAG_LOAD_BASE_ADDR:
			break;
		default:
			kx_warn("%s: its multiboot2 header requires information tag %u, which is not passed; loading anyway, as kexec-tools",
				in->kernel_name, type);
		}
	}
}

/* kexec-tools' multiboot2_read_header_tags() */
static int multiboot2_read_header_tags(const struct kexec_inputs *in, size_t hdr,
				       struct multiboot2_header_info *mhi)
{
	const uint8_t *buf = in->kernel;
	size_t end = hdr + get_le32(buf + hdr + 8), off = hdr + MB2_HEADER_SIZE;

	memset(mhi, 0, sizeof(*mhi));
	if (end > in->kernel_len)
		end = in->kernel_len;
	while (off + 8 <= end) {
		uint16_t type = get_le16(buf + off), flags = get_le16(buf + off + 2);
		uint32_t size = get_le32(buf + off + 4);

		if (type == MB2_HT_END)
			return 0;
		if (size < 8 || off + size > end) {
			kx_error("%s: multiboot2 header tag %u of size %u", in->kernel_name, type, size);
			return -ENOEXEC;
		}
		if (type == MB2_HT_RELOCATABLE) {
			if (size < MB2_HT_RELOCATABLE_SIZE) {
				kx_error("%s: a multiboot2 relocatable header tag of size %u (want %u)",
					 in->kernel_name, size, MB2_HT_RELOCATABLE_SIZE);
				return -ENOEXEC;
			}
			mhi->relocatable = true;
			mhi->min_addr = get_le32(buf + off + 8);
			mhi->max_addr = get_le32(buf + off + 12);
			mhi->align = get_le32(buf + off + 16);
			mhi->preference = get_le32(buf + off + 20);
		} else if (type == MB2_HT_FRAMEBUFFER) {
			mhi->framebuffer = true;
			mhi->framebuffer_optional = flags & MB2_HT_OPTIONAL;
		} else if (type == MB2_HT_INFORMATION_REQUEST) {
			if (!(flags & MB2_HT_OPTIONAL))
				check_information_request(in, buf + off + 8, (size - 8) / 4);
		} else if (type != MB2_HT_MODULE_ALIGN && !(flags & MB2_HT_OPTIONAL)) {
			/* modules are always page aligned; the rest is not acted on */
			kx_warn("%s: multiboot2 header tag %u is not supported; loading anyway, as kexec-tools",
				in->kernel_name, type);
		}
		off += ALIGN_UP(size, MB2_TAG_ALIGN);
	}
	kx_error("%s: the multiboot2 header has no end tag within its header_length",
		 in->kernel_name);
	return -ENOEXEC;
}

/*
 * kexec-tools' get_elf_exec_load_base() for a relocatable image: its link
 * addresses when they lie in free RAM inside [min_addr, max_addr], else the
 * highest hole there (the lowest when the tag prefers low: kexec-tools
 * ignores the preference), aligned to the tag's align. kexec-tools keeps
 * the link addresses when only their part inside the range is RAM; the
 * specification forbids any part outside it, which is kept here.
 */
static int get_elf_exec_load_base(struct plan *plan, const struct kexec_inputs *in,
				  const struct kexec_elf_info *elf,
				  const struct multiboot2_header_info *mhi, uint64_t *base,
				  uint64_t *load_base)
{
	struct kexec_buf kbuf = { .plan = plan, .mem = KEXEC_BUF_MEM_UNKNOWN, .what = "kernel" };
	uint64_t first = UINT64_MAX, last = 0, align = mhi->align;
	unsigned int i;

	for (i = 0; i < elf->ehdr.e_phnum; i++) {
		const Elf64_Phdr *phdr = &elf->proghdrs[i];

		if (phdr->p_type != PT_LOAD || !phdr->p_memsz)
			continue;
		if (phdr->p_paddr < first)
			first = phdr->p_paddr;
		if (phdr->p_paddr + phdr->p_memsz > last)
			last = phdr->p_paddr + phdr->p_memsz;
		if (phdr->p_align > align)
			align = phdr->p_align;
	}
	*base = 0;
	*load_base = first;
	if (first >= last)
		return 0;	/* no PT_LOAD: load_elf_segments() says so */
	if (align < plan->page_size)
		align = plan->page_size;
	kbuf.memsz = ALIGN_UP(last - first, plan->page_size);
	if (mhi->min_addr > mhi->max_addr || kbuf.memsz - 1 > mhi->max_addr - mhi->min_addr) {
		kx_error("%s: its 0x%" PRIx64 " bytes do not fit its multiboot2 relocatable range 0x%x-0x%x",
			 in->kernel_name, kbuf.memsz, mhi->min_addr, mhi->max_addr);
		return -ENOEXEC;
	}
	if (first >= mhi->min_addr && first + kbuf.memsz - 1 <= mhi->max_addr) {
		kbuf.buf_min = first;
		kbuf.buf_max = first + kbuf.memsz - 1;
		kbuf.buf_align = plan->page_size;
		if (!kexec_locate_mem_hole(&kbuf) && kbuf.mem == first)
			return 0;
	}
	kbuf.mem = KEXEC_BUF_MEM_UNKNOWN;
	kbuf.buf_min = mhi->min_addr;
	kbuf.buf_max = mhi->max_addr;
	kbuf.buf_align = align;
	kbuf.top_down = mhi->preference != MB2_RELOC_PREFER_LOW;
	if (kexec_locate_mem_hole(&kbuf)) {
		kx_error("%s: no RAM for its 0x%" PRIx64 " bytes in its multiboot2 relocatable range 0x%x-0x%x (align 0x%" PRIx64 ")",
			 in->kernel_name, kbuf.memsz, mhi->min_addr, mhi->max_addr, align);
		return -EADDRNOTAVAIL;
	}
	*base = kbuf.mem - first;
	*load_base = kbuf.mem;
	kx_debug("%s: relocatable multiboot2 image: 0x%" PRIx64 " bytes at 0x%" PRIx64 " (linked at 0x%" PRIx64 ")",
		 in->kernel_name, kbuf.memsz, kbuf.mem, first);
	return 0;
}

/*
 * kexec-tools' framebuffer for the information: EGA text at 0xb8000 when
 * --reset-vga or --console-vga (kexec-tools' purgatory then resets VGA),
 * else the running one from /dev/fb0 if it is a linear true-colour one.
 * Whether there is one: none is not an error (the tag is left out).
 */
static bool read_framebuffer(const struct kexec_inputs *in, const struct sysview *sv,
			     struct mb2_framebuffer *fb)
{
	struct fb_fix_screeninfo fix;
	struct fb_var_screeninfo var;
	char path[4096 + 32];
	int fd;

	memset(fb, 0, sizeof(*fb));
	if (x86_has_option(in, "reset-vga") || x86_has_option(in, "console-vga")) {
		fb->addr = 0xb8000;
		fb->pitch = 80 * 2;
		fb->width = 80;
		fb->height = 25;
		fb->bpp = 16;
		fb->type = MB2_FB_TYPE_EGA_TEXT;
		return true;
	}
	sysview_path(sv, "/dev/fb0", path, sizeof(path));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		kx_debug("%s: %s: no framebuffer tag", path, strerror(errno));
		return false;
	}
	if (ioctl(fd, FBIOGET_FSCREENINFO, &fix) < 0 || ioctl(fd, FBIOGET_VSCREENINFO, &var) < 0) {
		kx_debug("%s: no screen information (%s): no framebuffer tag", path, strerror(errno));
		close(fd);
		return false;
	}
	close(fd);
	if (!fix.smem_start || !fix.smem_len || fix.type != FB_TYPE_PACKED_PIXELS ||
	    fix.visual != FB_VISUAL_TRUECOLOR) {
		kx_debug("%s: not a linear true-colour framebuffer: no framebuffer tag", path);
		return false;
	}
	fb->addr = fix.smem_start;
	fb->pitch = fix.line_length;
	fb->width = var.xres;
	fb->height = var.yres;
	fb->bpp = (uint8_t)var.bits_per_pixel;
	fb->type = MB2_FB_TYPE_RGB;
	fb->rgb[0] = (uint8_t)var.red.offset;
	fb->rgb[1] = (uint8_t)var.red.length;
	fb->rgb[2] = (uint8_t)var.green.offset;
	fb->rgb[3] = (uint8_t)var.green.length;
	fb->rgb[4] = (uint8_t)var.blue.offset;
	fb->rgb[5] = (uint8_t)var.blue.length;
	return true;
}

/* The framebuffer tag's payload: no color_info for EGA text (kexec-tools: always 40 bytes) */
static size_t framebuffer_payload(const struct mb2_framebuffer *fb)
{
	return MB2_FB_COMMON + (fb->type == MB2_FB_TYPE_RGB ? MB2_FB_RGB_INFO : 0);
}

/* An information tag's room: its header and payload, 8-aligned. */
static size_t tag_room(size_t payload)
{
	return ALIGN_UP(8 + payload, MB2_TAG_ALIGN);
}

/* Start a tag at *off: its type and size; returns where its payload goes. */
static uint8_t *put_tag(uint8_t *mbi, size_t *off, uint32_t type, size_t payload)
{
	uint8_t *tag = mbi + *off;

	put_le32(tag, type);
	put_le32(tag + 4, (uint32_t)(8 + payload));
	*off += tag_room(payload);
	return tag + 8;
}

static uint32_t mb2_memory_type(const char *name)
{
	switch (e820_type_of(name)) {
	case E820_TYPE_RAM:
		return MB2_MEMORY_AVAILABLE;
	case E820_TYPE_ACPI:
		return MB2_MEMORY_ACPI_RECLAIMABLE;
	case E820_TYPE_NVS:
		return MB2_MEMORY_NVS;
	default:
		return MB2_MEMORY_RESERVED;
	}
}

/*
 * Basic meminfo and the memory map from the firmware's map. kexec-tools
 * puts mem_lower/mem_upper in bytes; the specification (and this) in KiB.
 */
static void put_memory_tags(const struct sysview *sv, uint8_t *mbi, size_t *off)
{
	uint64_t mem_lower = 0, mem_upper = 0;
	uint8_t *meminfo, *mmap;
	size_t i;

	meminfo = put_tag(mbi, off, MB2_TAG_BASIC_MEMINFO, 8);
	mmap = put_tag(mbi, off, MB2_TAG_MMAP, 8 + sv->nr_memmap * MB2_MMAP_ENTRY_SIZE);
	put_le32(mmap, MB2_MMAP_ENTRY_SIZE);
	put_le32(mmap + 4, 0);
	for (i = 0; i < sv->nr_memmap; i++) {
		const struct memmap_entry *m = &sv->memmap[i];
		uint8_t *e = mmap + 8 + i * MB2_MMAP_ENTRY_SIZE;
		uint32_t type = mb2_memory_type(m->type);
		uint64_t end = m->end + 1;

		put_le64(e, m->start);
		put_le64(e + 8, end - m->start);
		put_le32(e + 16, type);
		if (type != MB2_MEMORY_AVAILABLE)
			continue;
		/* Linux hides the first page(s): low memory starts below 64 KiB */
		if (m->start <= 64 * 1024 && end > mem_lower)
			mem_lower = end;
		if (m->start <= 0x100000 && end > mem_upper + 0x100000)
			mem_upper = end - 0x100000;
	}
	put_le32(meminfo, (uint32_t)(mem_lower >> 10));
	put_le32(meminfo + 4, mem_upper >> 10 > 0xffffffff ? 0xffffffff : (uint32_t)(mem_upper >> 10));
}

static void put_string_tag(uint8_t *mbi, size_t *off, uint32_t type, const char *s1, const char *s2)
{
	size_t len = strlen(s1) + (*s2 ? 1 + strlen(s2) : 0) + 1;
	char *str = (char *)put_tag(mbi, off, type, len);

	/* kexec-tools' concat_cmdline(): "IMAGE CMDLINE", or IMAGE alone */
	if (*s2)
		snprintf(str, len, "%s %s", s1, s2);
	else
		memcpy(str, s1, len);
}

static void put_framebuffer_tag(uint8_t *mbi, size_t *off, const struct mb2_framebuffer *fb)
{
	uint8_t *tag = put_tag(mbi, off, MB2_TAG_FRAMEBUFFER, framebuffer_payload(fb));

	put_le64(tag, fb->addr);
	put_le32(tag + 8, fb->pitch);
	put_le32(tag + 12, fb->width);
	put_le32(tag + 16, fb->height);
	tag[20] = fb->bpp;
	tag[21] = fb->type;
	if (fb->type == MB2_FB_TYPE_RGB)
		memcpy(tag + MB2_FB_COMMON, fb->rgb, MB2_FB_RGB_INFO);
}

static int multiboot2_x86_load(struct plan *plan, const struct kexec_inputs *in)
{
	struct kexec_buf pbuf = { .plan = plan, .buf_min = MIN_PURGATORY_ADDR,
				  .buf_max = PURGATORY32_MAX, .top_down = true,
				  .mem = KEXEC_BUF_MEM_UNKNOWN, .what = "purgatory" };
	const struct request *req = in->req;
	uint32_t regs32[NR_REGS32] = { 0 };
	struct multiboot2_header_info mhi;
	struct mb2_framebuffer fb;
	struct kexec_elf_info elf;
	size_t mbi_size, off = 8;
	uint64_t mbi_addr, base = 0, load_base = 0;
	bool has_fb = false;
	unsigned int i;
	long hdr;
	uint8_t *mbi;
	int ret;

	hdr = find_multiboot2_header(in->kernel, in->kernel_len);
	if (!is_elf_x86(in->kernel, in->kernel_len) || hdr < 0) {
		kx_error("%s: not an i386 ELF with a multiboot2 header", in->kernel_name);
		return -ENOEXEC;
	}
	if (get_le32(in->kernel + hdr + 4) != MB2_ARCH_I386) {
		kx_error("%s: a multiboot2 header for architecture %u, not i386 (0)", in->kernel_name,
			 get_le32(in->kernel + hdr + 4));
		return -ENOEXEC;
	}
	ret = multiboot_refuse_inputs(plan, in, "multiboot2");
	if (ret)
		return ret;
	if (!plan->sv->nr_memmap) {
		char path[4096 + 32];

		sysview_path(plan->sv, "/sys/firmware/memmap", path, sizeof(path));
		kx_error("%s: no firmware memory map (the multiboot2 memory map comes from it)", path);
		return -ENOENT;
	}
	ret = multiboot2_read_header_tags(in, (size_t)hdr, &mhi);
	if (ret)
		return ret;
	ret = kexec_build_elf_info(in->kernel, in->kernel_len, &elf);
	if (ret) {
		kx_error("%s: not a valid ELF executable (%s)", in->kernel_name, elf.err);
		return ret;
	}
	plan_note_variant(plan, "-t multiboot2-x86: kexec-tools' multiboot2 loader; the kernel's kexec_file_load has none");
	if (mhi.relocatable) {
		ret = get_elf_exec_load_base(plan, in, &elf, &mhi, &base, &load_base);
		if (ret)
			goto out_free_elf;
	}
	ret = load_elf_segments(plan, in, &elf, base);
	if (ret)
		goto out_free_elf;
	/* entry32 runs with paging off: the purgatory must lie below 4 GiB */
	ret = kexec_load_purgatory(plan, in->pi, &pbuf);
	if (ret)
		goto out_free_elf;

	/* kexec-tools' multiboot2_get_mbi_size() */
	mbi_size = 8 + tag_room(8) + tag_room(8 + plan->sv->nr_memmap * MB2_MMAP_ENTRY_SIZE) +
		   tag_room(strlen(in->kernel_name) + 1 + strlen(in->cmdline) + 1) +
		   tag_room(sizeof(BOOTLOADER_NAME)) + tag_room(0);
	if (mhi.relocatable)
		mbi_size += tag_room(4);
	if (mhi.framebuffer) {
		has_fb = read_framebuffer(in, plan->sv, &fb);
		if (has_fb)
			mbi_size += tag_room(framebuffer_payload(&fb));
		else if (!mhi.framebuffer_optional)
			kx_warn("%s: its multiboot2 header asks for a framebuffer; there is none to pass",
				in->kernel_name);
	}
	for (i = 0; i < req->nr_arch_opts; i++)
		if (!strcmp(req->arch_opts[i].name, "module"))
			mbi_size += tag_room(8 + strlen(req->arch_opts[i].val) + 1);
	mbi = plan_alloc(plan, mbi_size, "multiboot2 information");
	if (!mbi) {
		ret = -ENOMEM;
		goto out_free_elf;
	}
	put_memory_tags(plan->sv, mbi, &off);
	/*
	 * The image's load base: where its lowest PT_LOAD went (kexec-tools
	 * passes the purgatory's address here)
	 */
	if (mhi.relocatable)
		put_le32(put_tag(mbi, &off, MB2_TAG_LOAD_BASE_ADDR, 4),
			 (uint32_t)load_base);
	put_string_tag(mbi, &off, MB2_TAG_CMDLINE, in->kernel_name, in->cmdline);
	put_string_tag(mbi, &off, MB2_TAG_BOOT_LOADER_NAME, BOOTLOADER_NAME, "");
	if (has_fb)
		put_framebuffer_tag(mbi, &off, &fb);
	for (i = 0; i < req->nr_arch_opts; i++) {
		const char *spec = req->arch_opts[i].val;
		uint64_t start, end;
		uint8_t *tag;

		if (strcmp(req->arch_opts[i].name, "module"))
			continue;
		ret = load_multiboot_module(plan, spec, &start, &end);
		if (ret)
			goto out_free_elf;
		tag = put_tag(mbi, &off, MB2_TAG_MODULE, 8 + strlen(spec) + 1);
		put_le32(tag, (uint32_t)start);
		put_le32(tag + 4, (uint32_t)end);
		memcpy(tag + 8, spec, strlen(spec) + 1);
	}
	put_tag(mbi, &off, MB2_TAG_END, 0);
	put_le32(mbi, (uint32_t)off);	/* total_size */
	ret = add_buffer32(plan, mbi, off, MB2_TAG_ALIGN, "multiboot2 information", &mbi_addr);
	if (ret)
		goto out_free_elf;

	regs32[REG_EAX] = MULTIBOOT2_BOOTLOADER_MAGIC;
	regs32[REG_EBX] = (uint32_t)mbi_addr;
	regs32[REG_EIP] = (uint32_t)(elf.ehdr.e_entry + base);
	ret = set_entry32_regs(in->pi, regs32);
out_free_elf:
	kexec_free_elf_info(&elf);
	return ret;
}

const struct kexec_file_ops x86_64_multiboot2_ops = {
	.name = "multiboot2-x86",
	.probe = multiboot2_x86_probe,
	.load = multiboot2_x86_load,
	.userspace_only = true,
};
