// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel log in a crash dump, in the three layouts printk has had:
 *
 *  - the lockless ring buffer of 5.10+ (kernel/printk/printk_ringbuffer.h):
 *    SYMBOL(prb) is a pointer to struct printk_ringbuffer; a descriptor
 *    ring (state_var + text_blk_lpos per record, printk_info alongside)
 *    and a text data ring of "unsigned long id + text" blocks;
 *  - the record buffer of 3.5..5.9: struct printk_log headers followed by
 *    text in log_buf, from log_first_idx to log_next_idx;
 *  - the plain character buffer before 3.5 (log_buf, log_end).
 *
 * The output matches kexec-tools' vmcore-dmesg: "[%5llu.%06llu] " and the
 * text of each record, bytes that are neither printable nor white space
 * as \xNN, one newline after each record (text with embedded newlines is
 * printed as it is); dictionaries and caller ids are not printed.
 */
#include "config.h"
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "printk.h"

/* Largest log buffer read in one piece (log_buf_len= allows up to 2 GiB). */
#define LOG_BUF_MAX (1ull << 31)

static void print_prefix(FILE *out, uint64_t ts_nsec)
{
	fprintf(out, "[%5llu.%06llu] ", (unsigned long long)(ts_nsec / 1000000000),
		(unsigned long long)(ts_nsec % 1000000000 / 1000));
}

static void print_text(FILE *out, const uint8_t *text, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = text[i];

		if (!isprint(c) && !isspace(c))
			fprintf(out, "\\x%02x", c);
		else
			putc(c, out);
	}
}

/* A VMCOREINFO offset of a field of fsize bytes inside a struct of size. */
static int need_field(struct vmcore *vm, const char *offkey, uint64_t fsize, uint64_t size,
		      const char *sizekey, uint64_t *off)
{
	if (vmcore_info_need(vm, offkey, off))
		return -1;
	if (*off > size || fsize > size - *off)
		return vmcore_fail(vm, "VMCOREINFO: %s=%" PRIu64 " does not fit in %s=%" PRIu64,
				   offkey, *off, sizekey, size);
	return 0;
}

/* ---- 5.10+: the lockless ring buffer ---------------------------------- */

struct prb {
	unsigned int w;				/* sizeof(unsigned long) */
	uint64_t desc_sz, info_sz;
	uint64_t state_off, lpos_begin_off, lpos_next_off;	/* within prb_desc */
	uint64_t ts_off, len_off;			/* within printk_info */
	uint64_t descs, infos, data;			/* kernel addresses */
	uint64_t count, size;				/* descriptors, data bytes */
	uint64_t id_mask, word_mask;
	unsigned int size_bits, state_shift;
};

enum { DESC_RESERVED, DESC_COMMITTED, DESC_FINALIZED, DESC_REUSABLE };

struct corrupt {
	unsigned long count;
	char first[sizeof(((struct vmcore *)0)->err)];
};

/* Locate a record's text as the kernel's get_data() does; 1 = data-less. */
static int text_block(struct vmcore *vm, const struct prb *r, uint64_t id, uint64_t begin,
		      uint64_t next, uint64_t *where, uint64_t *size)
{
	uint64_t span = (next - begin) & r->word_mask;

	/* Data-less (FAILED_LPOS, NO_LPOS): both odd, as no block is. */
	if ((begin & 1) && (next & 1))
		return 1;
	if ((begin | next) & (r->w - 1))
		goto bad;
	if (begin >> r->size_bits == next >> r->size_bits && begin < next) {
		*where = r->data + (begin & (r->size - 1));
		*size = span;
	} else if (((begin + r->size) & r->word_mask) >> r->size_bits == next >> r->size_bits) {
		/* A wrapping block keeps its data at the start of the ring. */
		*where = r->data;
		*size = next & (r->size - 1);
	} else {
		goto bad;
	}
	if (*size < r->w)
		goto bad;
	return 0;
bad:
	return vmcore_fail(vm, "corrupt descriptor %" PRIu64 " (id 0x%" PRIx64 "): text_blk_lpos "
			   "0x%" PRIx64 "..0x%" PRIx64 " is no data block of the %" PRIu64 "-byte text ring",
			   id & (r->count - 1), id, begin, next, r->size);
}

/* Print record id: 1 printed, 0 not part of the log, -1 unreadable. */
static int prb_record(struct vmcore *vm, const struct prb *r, uint64_t id, FILE *out)
{
	uint64_t idx = id & (r->count - 1);
	uint8_t *desc = NULL, *info = NULL, *text = NULL;
	uint64_t sv, begin, next, ts, where = 0, size = 0, len = 0;
	int ret = -1, dataless;

	desc = malloc((size_t)r->desc_sz);
	info = malloc((size_t)r->info_sz);
	if (!desc || !info) {
		vmcore_fail(vm, "out of memory");
		goto out;
	}
	if (vmcore_read(vm, r->descs + idx * r->desc_sz, desc, (size_t)r->desc_sz, "printk descriptor"))
		goto out;
	sv = vmcore_ulong(vm, desc + r->state_off);
	/* Records being written, freed or already replaced are not part of the log. */
	ret = 0;
	if ((sv & r->id_mask) != id ||
	    ((sv >> r->state_shift) != DESC_COMMITTED && (sv >> r->state_shift) != DESC_FINALIZED))
		goto out;
	ret = -1;
	if (vmcore_read(vm, r->infos + idx * r->info_sz, info, (size_t)r->info_sz, "printk_info"))
		goto out;
	begin = vmcore_ulong(vm, desc + r->lpos_begin_off);
	next = vmcore_ulong(vm, desc + r->lpos_next_off);
	ts = vmcore_u64(vm, info + r->ts_off);
	dataless = text_block(vm, r, id, begin, next, &where, &size);
	if (dataless < 0)
		goto out;
	if (!dataless) {
		/* Skip the block's id; a record can claim more text than its block. */
		len = vmcore_u16(vm, info + r->len_off);
		if (len > size - r->w)
			len = size - r->w;
		text = malloc((size_t)len + 1);
		if (!text) {
			vmcore_fail(vm, "out of memory");
			goto out;
		}
		if (vmcore_read(vm, where + r->w, text, (size_t)len, "printk text"))
			goto out;
	}
	print_prefix(out, ts);
	print_text(out, text, (size_t)len);
	putc('\n', out);
	ret = 1;
out:
	free(text);
	free(desc);
	free(info);
	return ret;
}

static int dmesg_lockless(struct vmcore *vm, uint64_t prb_sym, FILE *out)
{
	struct prb r = { .w = vm->ptr_bytes };
	uint64_t prb_sz, ring_sz, dring_off, tring_off, cbits_off, descs_off, infos_off, head_off,
		 tail_off, counter_off = 0, text_lpos_off, lpos_sz, begin_off, next_off, dr_sz,
		 sbits_off, data_off, prb_addr, head, tail, n, printed = 0;
	uint32_t cbits, sbits;
	struct corrupt bad = { 0 };
	const uint64_t w = r.w;

	/* Every layout fact comes from VMCOREINFO (log_buf_vmcoreinfo_setup). */
	if (vmcore_info_need(vm, "SIZE(printk_ringbuffer)", &prb_sz) ||
	    vmcore_info_need(vm, "SIZE(prb_desc_ring)", &ring_sz) ||
	    vmcore_info_need(vm, "SIZE(prb_data_ring)", &dr_sz) ||
	    vmcore_info_need(vm, "SIZE(prb_desc)", &r.desc_sz) ||
	    vmcore_info_need(vm, "SIZE(prb_data_blk_lpos)", &lpos_sz) ||
	    vmcore_info_need(vm, "SIZE(printk_info)", &r.info_sz) ||
	    vmcore_info_find(vm, "OFFSET(atomic_long_t.counter)", &counter_off) < 0 ||
	    need_field(vm, "OFFSET(printk_ringbuffer.desc_ring)", ring_sz, prb_sz,
		       "SIZE(printk_ringbuffer)", &dring_off) ||
	    need_field(vm, "OFFSET(printk_ringbuffer.text_data_ring)", dr_sz, prb_sz,
		       "SIZE(printk_ringbuffer)", &tring_off) ||
	    need_field(vm, "OFFSET(prb_desc_ring.count_bits)", 4, ring_sz, "SIZE(prb_desc_ring)", &cbits_off) ||
	    need_field(vm, "OFFSET(prb_desc_ring.descs)", w, ring_sz, "SIZE(prb_desc_ring)", &descs_off) ||
	    need_field(vm, "OFFSET(prb_desc_ring.infos)", w, ring_sz, "SIZE(prb_desc_ring)", &infos_off) ||
	    need_field(vm, "OFFSET(prb_desc_ring.head_id)", counter_off + w, ring_sz,
		       "SIZE(prb_desc_ring)", &head_off) ||
	    need_field(vm, "OFFSET(prb_desc_ring.tail_id)", counter_off + w, ring_sz,
		       "SIZE(prb_desc_ring)", &tail_off) ||
	    need_field(vm, "OFFSET(prb_desc.state_var)", counter_off + w, r.desc_sz, "SIZE(prb_desc)",
		       &r.state_off) ||
	    need_field(vm, "OFFSET(prb_desc.text_blk_lpos)", lpos_sz, r.desc_sz, "SIZE(prb_desc)",
		       &text_lpos_off) ||
	    need_field(vm, "OFFSET(prb_data_blk_lpos.begin)", w, lpos_sz, "SIZE(prb_data_blk_lpos)",
		       &begin_off) ||
	    need_field(vm, "OFFSET(prb_data_blk_lpos.next)", w, lpos_sz, "SIZE(prb_data_blk_lpos)",
		       &next_off) ||
	    need_field(vm, "OFFSET(printk_info.ts_nsec)", 8, r.info_sz, "SIZE(printk_info)", &r.ts_off) ||
	    need_field(vm, "OFFSET(printk_info.text_len)", 2, r.info_sz, "SIZE(printk_info)", &r.len_off) ||
	    need_field(vm, "OFFSET(prb_data_ring.size_bits)", 4, dr_sz, "SIZE(prb_data_ring)", &sbits_off) ||
	    need_field(vm, "OFFSET(prb_data_ring.data)", w, dr_sz, "SIZE(prb_data_ring)", &data_off))
		return -1;
	if (r.desc_sz > 4096 || r.info_sz > 4096)
		return vmcore_fail(vm, "VMCOREINFO: implausible SIZE(prb_desc)=%" PRIu64 " or SIZE(printk_info)=%"
				   PRIu64, r.desc_sz, r.info_sz);
	r.state_off += counter_off;
	r.lpos_begin_off = text_lpos_off + begin_off;
	r.lpos_next_off = text_lpos_off + next_off;
	r.word_mask = w == 8 ? UINT64_MAX : UINT32_MAX;
	r.state_shift = (unsigned int)(w * 8 - 2);
	r.id_mask = (UINT64_C(1) << r.state_shift) - 1;

	/* SYMBOL(prb) is the address of the pointer "prb". */
	if (vmcore_read_ulong(vm, prb_sym, &prb_addr, "the prb pointer (SYMBOL(prb))") ||
	    vmcore_read_u32(vm, prb_addr + dring_off + cbits_off, &cbits, "prb->desc_ring.count_bits") ||
	    vmcore_read_ulong(vm, prb_addr + dring_off + descs_off, &r.descs, "prb->desc_ring.descs") ||
	    vmcore_read_ulong(vm, prb_addr + dring_off + infos_off, &r.infos, "prb->desc_ring.infos") ||
	    vmcore_read_ulong(vm, prb_addr + dring_off + head_off + counter_off, &head,
			      "prb->desc_ring.head_id") ||
	    vmcore_read_ulong(vm, prb_addr + dring_off + tail_off + counter_off, &tail,
			      "prb->desc_ring.tail_id") ||
	    vmcore_read_u32(vm, prb_addr + tring_off + sbits_off, &sbits, "prb->text_data_ring.size_bits") ||
	    vmcore_read_ulong(vm, prb_addr + tring_off + data_off, &r.data, "prb->text_data_ring.data"))
		return -1;
	if (cbits > 31 || cbits >= r.state_shift)
		return vmcore_fail(vm, "corrupt ring buffer: desc_ring.count_bits is %" PRIu32, cbits);
	if (sbits < 3 || sbits > 40 || sbits >= w * 8)
		return vmcore_fail(vm, "corrupt ring buffer: text_data_ring.size_bits is %" PRIu32, sbits);
	r.count = UINT64_C(1) << cbits;
	/* every descriptor and its info are in the dump: a ring larger than the file is corrupt */
	if (r.count > vm->file_size / (r.desc_sz + r.info_sz))
		return vmcore_fail(vm, "corrupt ring buffer: desc_ring.count_bits %" PRIu32 " makes %" PRIu64
				   " descriptors of %" PRIu64 "+%" PRIu64 " bytes, more than the %" PRIu64
				   "-byte dump holds", cbits, r.count, r.desc_sz, r.info_sz, vm->file_size);
	r.size_bits = sbits;
	r.size = UINT64_C(1) << sbits;
	head &= r.id_mask;
	tail &= r.id_mask;
	n = (head - tail) & r.id_mask;
	if (n >= r.count)
		return vmcore_fail(vm, "corrupt ring buffer: tail_id 0x%" PRIx64 " and head_id 0x%" PRIx64
				   " are %" PRIu64 " records apart in a ring of %" PRIu64, tail, head, n, r.count);

	/* From the oldest record (tail) to the newest (head), inclusive. */
	for (uint64_t i = 0; i <= n; i++) {
		uint64_t id = (tail + i) & r.id_mask;
		int ret = prb_record(vm, &r, id, out);

		if (ret > 0)
			printed++;
		if (ret >= 0)
			continue;
		if (!bad.count++)
			memcpy(bad.first, vm->err, sizeof(bad.first));
	}
	/* a crashed kernel has logged something: read elsewhere, the descriptors say nothing */
	if (!bad.count && !printed)
		return vmcore_fail(vm, "no record of the %" PRIu64 " between tail_id 0x%" PRIx64 " and head_id 0x%"
				   PRIx64 " is committed or finalized: the descriptor ring at 0x%" PRIx64
				   " is empty or not where the PT_LOAD segments map it", n + 1, tail, head, r.descs);
	if (!bad.count)
		return 0;
	if (bad.count == 1)
		return vmcore_fail(vm, "%s", bad.first);
	return vmcore_fail(vm, "%s (and %lu more unreadable records)", bad.first, bad.count - 1);
}

/* ---- 3.5..5.9: struct printk_log records ------------------------------ */

static int read_log_buf(struct vmcore *vm, uint8_t **buf, uint64_t *len)
{
	uint64_t sym_buf, sym_len, addr;
	uint32_t l;

	if (vmcore_info_need(vm, "SYMBOL(log_buf)", &sym_buf) ||
	    vmcore_info_need(vm, "SYMBOL(log_buf_len)", &sym_len) ||
	    vmcore_read_ulong(vm, sym_buf, &addr, "the log_buf pointer") ||
	    vmcore_read_u32(vm, sym_len, &l, "log_buf_len"))
		return -1;
	if (l == 0 || l >= LOG_BUF_MAX || l > vm->file_size)
		return vmcore_fail(vm, "corrupt log buffer: log_buf_len is %" PRIu32, l);
	*len = l;
	*buf = malloc(l);
	if (!*buf)
		return vmcore_fail(vm, "out of memory for a %" PRIu32 "-byte log buffer", l);
	if (vmcore_read(vm, addr, *buf, l, "the log buffer")) {
		free(*buf);
		return -1;
	}
	return 0;
}

static int field(struct vmcore *vm, const char *a, const char *b, uint64_t fsize, uint64_t size,
		 uint64_t *off)
{
	int r = vmcore_info_find(vm, a, off);

	if (r == 0)
		r = vmcore_info_find(vm, b, off);
	if (r < 0)
		return -1;
	if (r == 0)
		return vmcore_fail(vm, "VMCOREINFO lacks %s", a);
	if (*off > size || fsize > size - *off)
		return vmcore_fail(vm, "VMCOREINFO: %s=%" PRIu64 " does not fit in a %" PRIu64 "-byte record header",
				   a, *off, size);
	return 0;
}

static int dmesg_records(struct vmcore *vm, FILE *out)
{
	uint64_t hsz, ts_off, len_off, tlen_off, first_sym, next_sym, buflen, idx;
	uint32_t first, next;
	uint8_t *buf;
	int r;

	r = vmcore_info_find(vm, "SIZE(printk_log)", &hsz);
	if (r == 0)
		r = vmcore_info_find(vm, "SIZE(log)", &hsz);
	if (r <= 0)
		return r < 0 ? -1 : vmcore_fail(vm, "VMCOREINFO lacks SIZE(printk_log)");
	if (hsz < 12 || hsz > 4096)
		return vmcore_fail(vm, "VMCOREINFO: implausible SIZE(printk_log)=%" PRIu64, hsz);
	if (field(vm, "OFFSET(printk_log.ts_nsec)", "OFFSET(log.ts_nsec)", 8, hsz, &ts_off) ||
	    field(vm, "OFFSET(printk_log.len)", "OFFSET(log.len)", 2, hsz, &len_off) ||
	    field(vm, "OFFSET(printk_log.text_len)", "OFFSET(log.text_len)", 2, hsz, &tlen_off) ||
	    vmcore_info_need(vm, "SYMBOL(log_first_idx)", &first_sym) ||
	    vmcore_info_need(vm, "SYMBOL(log_next_idx)", &next_sym) ||
	    vmcore_read_u32(vm, first_sym, &first, "log_first_idx") ||
	    vmcore_read_u32(vm, next_sym, &next, "log_next_idx") ||
	    read_log_buf(vm, &buf, &buflen))
		return -1;

	idx = first;
	for (uint64_t steps = 0; idx != next; steps++) {
		uint64_t len, tlen;

		/* Each step consumes a header or wraps once per pass. */
		if (steps > buflen / hsz + 2 || idx + hsz > buflen) {
			r = vmcore_fail(vm, "corrupt log buffer: record at index 0x%" PRIx64 " outside the "
					"%" PRIu64 "-byte log_buf", idx, buflen);
			break;
		}
		len = vmcore_u16(vm, buf + idx + len_off);
		if (len == 0) {
			/* The end-of-buffer marker: continue at the start. */
			idx = 0;
			continue;
		}
		tlen = vmcore_u16(vm, buf + idx + tlen_off);
		if (len < hsz || idx + len > buflen || hsz + tlen > len) {
			r = vmcore_fail(vm, "corrupt log buffer: record at index 0x%" PRIx64 " claims %" PRIu64
					" bytes (text %" PRIu64 ")", idx, len, tlen);
			break;
		}
		print_prefix(out, vmcore_u64(vm, buf + idx + ts_off));
		print_text(out, buf + idx + hsz, (size_t)tlen);
		putc('\n', out);
		idx += len;
	}
	free(buf);
	return r < 0 ? -1 : 0;
}

/* ---- before 3.5: a character ring ------------------------------------- */

static int dmesg_chars(struct vmcore *vm, FILE *out)
{
	uint64_t end_sym, buflen;
	uint32_t end;
	uint8_t *buf;
	uint64_t shown, start;

	if (vmcore_info_need(vm, "SYMBOL(log_end)", &end_sym) ||
	    vmcore_read_u32(vm, end_sym, &end, "log_end") ||
	    read_log_buf(vm, &buf, &buflen))
		return -1;
	/* log_end counts every character ever written; the ring keeps the last ones. */
	shown = end < buflen ? end : buflen;
	start = (end - shown) % buflen;
	if (start + shown <= buflen) {
		fwrite(buf + start, 1, (size_t)shown, out);
	} else {
		fwrite(buf + start, 1, (size_t)(buflen - start), out);
		fwrite(buf, 1, (size_t)(shown - (buflen - start)), out);
	}
	free(buf);
	return 0;
}

int vmcore_dmesg(struct vmcore *vm, FILE *out)
{
	uint64_t sym;
	int r;

	r = vmcore_info_find(vm, "SYMBOL(prb)", &sym);
	if (r > 0)
		return dmesg_lockless(vm, sym, out);
	if (r == 0)
		r = vmcore_info_find(vm, "SYMBOL(log_first_idx)", &sym);
	if (r > 0)
		return dmesg_records(vm, out);
	if (r == 0)
		r = vmcore_info_find(vm, "SYMBOL(log_end)", &sym);
	if (r > 0)
		return dmesg_chars(vm, out);
	if (r < 0)
		return -1;
	return vmcore_fail(vm, "unsupported printk format: VMCOREINFO has neither SYMBOL(prb) nor SYMBOL(log_buf)");
}

int vmcore_dmesg_fd(int fd, FILE *out, char *err, size_t errlen)
{
	struct vmcore vm;
	int r = vmcore_open(&vm, fd);

	errno = 0;
	if (!r)
		r = vmcore_dmesg(&vm, out);
	if ((fflush(out) || ferror(out)) && !r)
		r = vmcore_fail(&vm, "writing the log: %s", errno ? strerror(errno) : "write error");
	if (r && err && errlen)
		snprintf(err, errlen, "%s", vm.err);
	vmcore_close(&vm);
	return r;
}
