// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kexec-tools' nbi (Etherboot network boot image) loader: the image's first
 * 512 bytes (the header) at ds:bx, then each segment the header lists at
 * its address (absolute, after the previous one, or before it), entered at
 * the header's cs:ip in 16-bit real mode through the purgatory's entry16,
 * or at its linear address in 32-bit protected mode through entry32 when
 * the header says so. The registers are kexec-tools': all zero but the
 * entry. kexec-tools' own loader fills entry16_regs/entry32_regs without
 * loading a purgatory, so it never gets as far as a load; the purgatory
 * here is ukexec's, below 640 KiB for the real-mode entry. Not the in-kernel
 * plan: kexec_file_load has no nbi loader.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include "log.h"
#include "plan.h"
#include "purgatory.h"
#include "request.h"
#include "x86_64.h"

#define NBI_HDR_SIZE		16
#define NBI_HEADER_LEN		512
#define NBI_RETURNS		(1u << 8)
#define NBI_ENTRY32		(1u << 31)
/* struct segheader: length, vendortag, reserved, flags, loadaddr, imglength, memlength */
#define NBI_SEG_HDR_SIZE	16
#define NBI_SEG			0x3
#define NBI_SEG_ABSOLUTE	0
#define NBI_SEG_APPEND		1
#define NBI_SEG_NEGATIVE	2
#define NBI_SEG_PREPEND		3
#define NBI_LAST_SEG		(1 << 2)
#define NBI_PURGATORY_MIN	0x3000
#define NBI_PURGATORY_MAX	0x9ffff		/* entry16 runs in real mode */
/* entry16_regs (purgatory/arch/x86_64/entry16.S): ip and cs */
#define ENTRY16_IP		0x2a
#define ENTRY16_CS		0x2c
#define ENTRY16_REGS_SIZE	0x30

/* The offset of the first segment header: after the image and vendor headers. */
static size_t nbi_first_segment(uint32_t length)
{
	return (((length & 0xf0) >> 4) + (length & 0x0f)) << 2;
}

/* kexec-tools' nbi_probe(): magic, header size, no reserved or return bits, segments in 512 bytes */
static int nbi_probe(const uint8_t *buf, size_t len)
{
	uint32_t length;
	size_t off;
	uint8_t flags;

	if (len < NBI_HEADER_LEN || memcmp(buf, "\x36\x13\x03\x1b", 4))
		return -ENOEXEC;
	length = get_le32(buf + 4);
	if ((length & 0xf) * 4 != NBI_HDR_SIZE || ((length & 0xf0) >> 4) * 4 > 512 - NBI_HDR_SIZE)
		return -ENOEXEC;
	if (length & 0x7ffffe00 || length & NBI_RETURNS)
		return -ENOEXEC;
	off = nbi_first_segment(length);
	do {
		if (off + NBI_SEG_HDR_SIZE > NBI_HEADER_LEN || (buf[off] & 0xf) != 4)
			return -ENOEXEC;
		flags = buf[off + 3];
		off += ((buf[off] & 0xf) + ((buf[off] >> 4) & 0xf)) << 2;
		if (flags & 0xf8 || (flags & NBI_SEG) == NBI_SEG_NEGATIVE || off > NBI_HEADER_LEN)
			return -ENOEXEC;
	} while (!(flags & NBI_LAST_SEG));
	return 0;
}

/* One segment at mem, bufsz bytes of the file at file_off; kexec-tools' add_segment(). */
static int nbi_add_segment(struct plan *plan, const struct kexec_inputs *in, size_t file_off,
			   size_t bufsz, uint64_t mem, uint64_t memsz)
{
	struct kexec_buf kbuf = { .plan = plan, .buffer = in->kernel + file_off, .bufsz = bufsz,
				  .memsz = memsz, .buf_align = plan->page_size, .mem = mem,
				  .what = "nbi segment" };

	if (file_off > in->kernel_len || bufsz > in->kernel_len - file_off) {
		kx_error("%s: nbi segment at 0x%" PRIx64 " lies past the end of the file (0x%zx bytes at 0x%zx, the file has 0x%zx)",
			 in->kernel_name, mem, bufsz, file_off, in->kernel_len);
		return -ENOEXEC;
	}
	if (bufsz > memsz) {
		kx_error("%s: nbi segment at 0x%" PRIx64 ": 0x%zx bytes in the file, 0x%" PRIx64 " in memory",
			 in->kernel_name, mem, bufsz, memsz);
		return -ENOEXEC;
	}
	if (mem & (plan->page_size - 1)) {
		/* kexec-tools' add_segment() dies on it too */
		kx_error("%s: nbi segment at 0x%" PRIx64 " is not page aligned", in->kernel_name, mem);
		return -ENOEXEC;
	}
	return kexec_add_buffer(&kbuf);
}

/* kexec-tools' nbi_load(): the header at ds:bx, then the segments in the header's order. */
static int nbi_load_segments(struct plan *plan, const struct kexec_inputs *in)
{
	const uint8_t *buf = in->kernel;
	uint64_t last0, last1, loadaddr;
	size_t off = nbi_first_segment(get_le32(buf + 4)), file_off = NBI_HEADER_LEN;
	uint8_t flags;
	int ret;

	last0 = ((uint64_t)get_le16(buf + 10) << 4) + get_le16(buf + 8);
	last1 = last0 + NBI_HEADER_LEN;
	ret = nbi_add_segment(plan, in, 0, NBI_HEADER_LEN, last0, NBI_HEADER_LEN);
	if (ret)
		return ret;
	do {
		const uint8_t *seg = buf + off;
		uint32_t imglength = get_le32(seg + 8), memlength = get_le32(seg + 12);

		flags = seg[3];
		off += ((seg[0] & 0xf) + ((seg[0] >> 4) & 0xf)) << 2;
		switch (flags & NBI_SEG) {
		case NBI_SEG_ABSOLUTE:
			loadaddr = get_le32(seg + 4);
			break;
		case NBI_SEG_APPEND:
			loadaddr = last1 + get_le32(seg + 4);
			break;
		default:	/* NBI_SEG_PREPEND: probe refused NBI_SEG_NEGATIVE */
			loadaddr = (last0 - get_le32(seg + 4)) & 0xffffffff;
			break;
		}
		ret = nbi_add_segment(plan, in, file_off, imglength, loadaddr, memlength);
		if (ret)
			return ret;
		last0 = loadaddr;
		last1 = last0 + memlength;
		file_off += imglength;
	} while (!(flags & NBI_LAST_SEG));
	return 0;
}

/* entry16_regs' cs:ip (every other register 0, as kexec-tools), entered through entry32 */
static int set_nbi_entry16(struct purgatory_info *pi, uint16_t cs, uint16_t ip)
{
	uint32_t regs32[NR_REGS32] = { 0 };
	uint8_t regs[ENTRY16_REGS_SIZE] = { 0 };
	uint64_t entry16;
	int ret;

	ret = kexec_purgatory_get_symbol_addr(pi, "entry16", &entry16);
	if (ret) {
		kx_error("%s: no symbol entry16 (an nbi image needs ukexec's own purgatory)", pi->name);
		return ret;
	}
	put_le16(regs + ENTRY16_CS, cs);
	put_le16(regs + ENTRY16_IP, ip);
	ret = kexec_purgatory_get_set_symbol(pi, "entry16_regs", regs, sizeof(regs), false);
	if (ret)
		return ret;
	regs32[REG_EIP] = (uint32_t)entry16;
	return set_entry32_regs(pi, regs32);
}

/* What an nbi image cannot take; kexec-tools' loader ignores all of it but -p. */
static int nbi_refuse_inputs(const struct plan *plan, const struct kexec_inputs *in)
{
	if (plan->crash) {
		kx_error("%s: -p with an nbi image: its segments are at fixed addresses, outside the crash region",
			 in->kernel_name);
		return -EINVAL;
	}
	if (in->initrd) {
		kx_error("--initrd: an nbi image carries its own segments; it takes no initrd");
		return -EINVAL;
	}
	if (in->cmdline_len > 1) {
		kx_error("--command-line/--append: an nbi image takes no command line");
		return -EINVAL;
	}
	if (in->dtb) {
		kx_error("--dtb: not supported for x86_64 kernels");
		return -EINVAL;
	}
	x86_ignore_modules(in, "an nbi image");
	return 0;
}

static int nbi_load(struct plan *plan, const struct kexec_inputs *in)
{
	struct kexec_buf pbuf = { .plan = plan, .buf_min = NBI_PURGATORY_MIN,
				  .buf_max = NBI_PURGATORY_MAX, .top_down = true,
				  .mem = KEXEC_BUF_MEM_UNKNOWN, .what = "purgatory" };
	uint32_t length, regs32[NR_REGS32] = { 0 };
	int ret;

	if (nbi_probe(in->kernel, in->kernel_len)) {
		kx_error("%s: not a network boot image (nbi): bad header", in->kernel_name);
		return -ENOEXEC;
	}
	ret = nbi_refuse_inputs(plan, in);
	if (ret)
		return ret;
	length = get_le32(in->kernel + 4);
	plan_note_variant(plan, length & NBI_ENTRY32 ?
			  "nbi-x86: kexec-tools' nbi loader, entered at its linear address in 32-bit protected mode" :
			  "nbi-x86: kexec-tools' nbi loader, entered at its cs:ip in 16-bit real mode");
	ret = nbi_load_segments(plan, in);
	if (ret)
		return ret;
	ret = kexec_load_purgatory(plan, in->pi, &pbuf);
	if (ret)
		return ret;
	if (length & NBI_ENTRY32) {
		regs32[REG_EIP] = get_le32(in->kernel + 12);
		return set_entry32_regs(in->pi, regs32);
	}
	return set_nbi_entry16(in->pi, get_le16(in->kernel + 14), get_le16(in->kernel + 12));
}

const struct kexec_file_ops x86_64_nbi_ops = {
	.name = "nbi-x86",
	.probe = nbi_probe,
	.load = nbi_load,
	.userspace_only = true,
};
