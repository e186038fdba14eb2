// SPDX-License-Identifier: GPL-2.0-or-later
/* Synthetic kernel crash dumps; see vmcore-synth.h. */
#include <assert.h>
#include <elf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "byteorder.h"
#include "vmcore-synth.h"

/*
 * struct layouts of kernel/printk/printk_ringbuffer.h as of Linux 5.10..6.8
 * (printk_info with dev_printk_info, prb_desc without the info, prb_desc_ring
 * with infos): the layout of Debian 12's 6.1 kernel. The x86_64 numbers are
 * what the LP64 ABI gives those declarations (checked by compiling them with
 * offsetof/sizeof on x86_64); they are the values Debian's kernel writes as
 * OFFSET()/SIZE() lines into VMCOREINFO. The i386 ones follow the ILP32 ABI
 * (4-byte unsigned long and pointers, u64 aligned to 4).
 */
const struct prb_layout prb_layout_x86_64 = {
	.name = "x86_64 6.1", .w = 8,
	.prb_size = 80, .prb_desc_ring = 0, .prb_text_data_ring = 40, .prb_fail = 72,
	.dr_size = 40, .dr_count_bits = 0, .dr_descs = 8, .dr_infos = 16, .dr_head_id = 24, .dr_tail_id = 32,
	.desc_size = 24, .desc_state_var = 0, .desc_text_blk_lpos = 8,
	.lpos_size = 16, .lpos_begin = 0, .lpos_next = 8,
	.info_size = 88, .info_seq = 0, .info_ts_nsec = 8, .info_text_len = 16, .info_caller_id = 20,
	.info_dev_info = 24,
	.data_size = 32, .data_size_bits = 0, .data_data = 8, .data_head_lpos = 16, .data_tail_lpos = 24,
};

const struct prb_layout prb_layout_i386 = {
	.name = "i386 6.1", .w = 4,
	.prb_size = 40, .prb_desc_ring = 0, .prb_text_data_ring = 20, .prb_fail = 36,
	.dr_size = 20, .dr_count_bits = 0, .dr_descs = 4, .dr_infos = 8, .dr_head_id = 12, .dr_tail_id = 16,
	.desc_size = 12, .desc_state_var = 0, .desc_text_blk_lpos = 4,
	.lpos_size = 8, .lpos_begin = 0, .lpos_next = 4,
	.info_size = 88, .info_seq = 0, .info_ts_nsec = 8, .info_text_len = 16, .info_caller_id = 20,
	.info_dev_info = 24,
	.data_size = 16, .data_size_bits = 0, .data_data = 4, .data_head_lpos = 8, .data_tail_lpos = 12,
};

void synth_core_init(struct synth_core *c, int elf64, int big_endian, uint16_t machine, unsigned int w)
{
	memset(c, 0, sizeof(*c));
	c->elf64 = elf64;
	c->big_endian = big_endian;
	c->machine = machine;
	c->w = w;
}

uint8_t *synth_region(struct synth_core *c, uint64_t vaddr, uint64_t paddr, size_t size)
{
	struct synth_region *r;

	assert(c->nreg < SYNTH_MAX_REGIONS);
	r = &c->reg[c->nreg++];
	r->vaddr = vaddr;
	r->paddr = paddr;
	r->size = size;
	r->mem = calloc(1, size);
	assert(r->mem);
	return r->mem;
}

void synth_info(struct synth_core *c, const char *fmt, ...)
{
	size_t n = strlen(c->info);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->info + n, sizeof(c->info) - n, fmt, ap);
	va_end(ap);
}

static void put_bytes(uint8_t *p, uint64_t val, unsigned int bytes, int big_endian)
{
	elf_put(big_endian ? ELFDATA2MSB : ELFDATA2LSB, p, bytes, val);
}

void synth_put(struct synth_core *c, uint64_t vaddr, uint64_t val, unsigned int bytes)
{
	for (int i = 0; i < c->nreg; i++) {
		struct synth_region *r = &c->reg[i];

		if (vaddr >= r->vaddr && vaddr - r->vaddr + bytes <= r->size) {
			put_bytes(r->mem + (vaddr - r->vaddr), val, bytes, c->big_endian);
			return;
		}
	}
	assert(!"synth_put outside the regions");
}

static uint8_t *mem_at(struct synth_core *c, uint64_t vaddr, size_t len)
{
	for (int i = 0; i < c->nreg; i++) {
		struct synth_region *r = &c->reg[i];

		if (vaddr >= r->vaddr && vaddr - r->vaddr + len <= r->size)
			return r->mem + (vaddr - r->vaddr);
	}
	assert(!"mem_at outside the regions");
	return NULL;
}

void synth_build(const struct synth_core *c, struct synth_file *f)
{
	size_t ehsz = c->elf64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr);
	size_t phsz = c->elf64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr);
	size_t infolen = strlen(c->info);
	size_t notesz = c->no_note ? 0 : 12 + 12 + ((infolen + 3) & ~(size_t)3);
	size_t nph = 1 + (size_t)c->nreg, off;
	uint8_t *d;
	int be = c->big_endian;

	memset(f, 0, sizeof(*f));
	f->phoff = ehsz;
	f->note_off = ehsz + nph * phsz;
	off = (f->note_off + notesz + 4095) & ~(size_t)4095;
	for (int i = 0; i < c->nreg; i++) {
		f->load_off[i] = off;
		off += (c->reg[i].size + 4095) & ~(size_t)4095;
	}
	f->size = off;
	d = f->data = calloc(1, f->size);
	assert(d);

	memcpy(d, ELFMAG, SELFMAG);
	d[EI_CLASS] = c->elf64 ? ELFCLASS64 : ELFCLASS32;
	d[EI_DATA] = be ? ELFDATA2MSB : ELFDATA2LSB;
	d[EI_VERSION] = EV_CURRENT;
	if (c->elf64) {
		Elf64_Ehdr *e = (void *)d;

		put_bytes((void *)&e->e_type, ET_CORE, 2, be);
		put_bytes((void *)&e->e_machine, c->machine, 2, be);
		put_bytes((void *)&e->e_version, EV_CURRENT, 4, be);
		put_bytes((void *)&e->e_phoff, f->phoff, 8, be);
		put_bytes((void *)&e->e_ehsize, ehsz, 2, be);
		put_bytes((void *)&e->e_phentsize, phsz, 2, be);
		put_bytes((void *)&e->e_phnum, nph, 2, be);
	} else {
		Elf32_Ehdr *e = (void *)d;

		put_bytes((void *)&e->e_type, ET_CORE, 2, be);
		put_bytes((void *)&e->e_machine, c->machine, 2, be);
		put_bytes((void *)&e->e_version, EV_CURRENT, 4, be);
		put_bytes((void *)&e->e_phoff, f->phoff, 4, be);
		put_bytes((void *)&e->e_ehsize, ehsz, 2, be);
		put_bytes((void *)&e->e_phentsize, phsz, 2, be);
		put_bytes((void *)&e->e_phnum, nph, 2, be);
	}
	for (size_t i = 0; i < nph; i++) {
		uint8_t *p = d + f->phoff + i * phsz;
		uint64_t type = i ? PT_LOAD : PT_NOTE;
		uint64_t poff = i ? f->load_off[i - 1] : f->note_off;
		uint64_t vaddr = i ? c->reg[i - 1].vaddr : 0, paddr = i ? c->reg[i - 1].paddr : 0;
		uint64_t size = i ? c->reg[i - 1].size : notesz;

		if (c->elf64) {
			Elf64_Phdr *h = (void *)p;

			put_bytes((void *)&h->p_type, type, 4, be);
			put_bytes((void *)&h->p_offset, poff, 8, be);
			put_bytes((void *)&h->p_vaddr, vaddr, 8, be);
			put_bytes((void *)&h->p_paddr, paddr, 8, be);
			put_bytes((void *)&h->p_filesz, size, 8, be);
			put_bytes((void *)&h->p_memsz, size, 8, be);
		} else {
			Elf32_Phdr *h = (void *)p;

			put_bytes((void *)&h->p_type, type, 4, be);
			put_bytes((void *)&h->p_offset, poff, 4, be);
			put_bytes((void *)&h->p_vaddr, vaddr, 4, be);
			put_bytes((void *)&h->p_paddr, paddr, 4, be);
			put_bytes((void *)&h->p_filesz, size, 4, be);
			put_bytes((void *)&h->p_memsz, size, 4, be);
		}
	}
	if (!c->no_note) {
		uint8_t *n = d + f->note_off;

		/* As the kernel's append_elf_note(): an empty CORE-less note list
		 * is not needed here, only VMCOREINFO (namesz 11, type 0). */
		put_bytes(n, 11, 4, be);
		put_bytes(n + 4, infolen, 4, be);
		put_bytes(n + 8, 0, 4, be);
		memcpy(n + 12, "VMCOREINFO", 11);
		memcpy(n + 24, c->info, infolen);
	}
	for (int i = 0; i < c->nreg; i++)
		memcpy(d + f->load_off[i], c->reg[i].mem, c->reg[i].size);
}

/* ---- the printk ring buffer ---- */

void synth_prb_init(struct synth_prb *p, struct synth_core *c, const struct prb_layout *l,
		    unsigned int count_bits, unsigned int size_bits, uint64_t kvaddr, uint64_t kpaddr,
		    uint64_t dvaddr, uint64_t dpaddr)
{
	uint64_t count = 1ull << count_bits, size = 1ull << size_bits;
	uint64_t descs_sz = count * l->desc_size, infos_sz = count * l->info_size;
	unsigned int w = l->w;

	memset(p, 0, sizeof(*p));
	p->c = c;
	p->l = l;
	p->count_bits = count_bits;
	p->size_bits = size_bits;
	p->word_mask = w == 8 ? UINT64_MAX : UINT32_MAX;
	p->id_mask = (1ull << (w * 8 - 2)) - 1;
	synth_region(c, kvaddr, kpaddr, 0x1000);
	p->prb_sym = kvaddr + 0x100;
	p->rb = kvaddr + 0x200;		/* printk_rb_static */
	synth_region(c, dvaddr, dpaddr, (size_t)((descs_sz + infos_sz + size + 0xfff) & ~0xfffull));
	p->descs = dvaddr;
	p->infos = dvaddr + descs_sz;
	p->data = dvaddr + descs_sz + infos_sz;

	synth_put_ulong(c, p->prb_sym, p->rb);
	synth_put(c, p->rb + l->prb_desc_ring + l->dr_count_bits, count_bits, 4);
	synth_put_ulong(c, p->rb + l->prb_desc_ring + l->dr_descs, p->descs);
	synth_put_ulong(c, p->rb + l->prb_desc_ring + l->dr_infos, p->infos);
	synth_put(c, p->rb + l->prb_text_data_ring + l->data_size_bits, size_bits, 4);
	synth_put_ulong(c, p->rb + l->prb_text_data_ring + l->data_data, p->data);
	/* DESC0_ID: the last descriptor, reusable, data-less; BLK0_LPOS. */
	p->head_id = (-(count + 1)) & p->id_mask;
	p->head_lpos = (-size) & p->word_mask;
	synth_put_ulong(c, synth_prb_desc_addr(p, p->head_id) + l->desc_state_var,
			(3ull << (w * 8 - 2)) | p->head_id);
	synth_put_ulong(c, synth_prb_desc_addr(p, p->head_id) + l->desc_text_blk_lpos + l->lpos_begin, 1);
	synth_put_ulong(c, synth_prb_desc_addr(p, p->head_id) + l->desc_text_blk_lpos + l->lpos_next, 1);
	synth_prb_finish(p);

	/* What log_buf_vmcoreinfo_setup() and crash_save_vmcoreinfo_init() write. */
	synth_info(c, "OSRELEASE=6.1.0-18-amd64\nBUILD-ID=5c3d0e8e3a0f1f2b0f1d7a4bb0c1e6b4d5a6f7e8\n"
		   "PAGESIZE=4096\n");
	synth_info(c, "SYMBOL(init_uts_ns)=%llx\n", (unsigned long long)kvaddr + 0x800);
	synth_info(c, "SYMBOL(prb)=%llx\nSYMBOL(printk_rb_static)=%llx\nSYMBOL(clear_seq)=%llx\n",
		   (unsigned long long)p->prb_sym, (unsigned long long)p->rb,
		   (unsigned long long)kvaddr + 0x300);
	synth_info(c, "SIZE(printk_ringbuffer)=%u\nOFFSET(printk_ringbuffer.desc_ring)=%u\n"
		   "OFFSET(printk_ringbuffer.text_data_ring)=%u\nOFFSET(printk_ringbuffer.fail)=%u\n",
		   l->prb_size, l->prb_desc_ring, l->prb_text_data_ring, l->prb_fail);
	synth_info(c, "SIZE(prb_desc_ring)=%u\nOFFSET(prb_desc_ring.count_bits)=%u\n"
		   "OFFSET(prb_desc_ring.descs)=%u\nOFFSET(prb_desc_ring.infos)=%u\n"
		   "OFFSET(prb_desc_ring.head_id)=%u\nOFFSET(prb_desc_ring.tail_id)=%u\n",
		   l->dr_size, l->dr_count_bits, l->dr_descs, l->dr_infos, l->dr_head_id, l->dr_tail_id);
	synth_info(c, "SIZE(prb_desc)=%u\nOFFSET(prb_desc.state_var)=%u\nOFFSET(prb_desc.text_blk_lpos)=%u\n",
		   l->desc_size, l->desc_state_var, l->desc_text_blk_lpos);
	synth_info(c, "SIZE(prb_data_blk_lpos)=%u\nOFFSET(prb_data_blk_lpos.begin)=%u\n"
		   "OFFSET(prb_data_blk_lpos.next)=%u\n", l->lpos_size, l->lpos_begin, l->lpos_next);
	synth_info(c, "SIZE(printk_info)=%u\nOFFSET(printk_info.seq)=%u\nOFFSET(printk_info.ts_nsec)=%u\n"
		   "OFFSET(printk_info.text_len)=%u\nOFFSET(printk_info.caller_id)=%u\n"
		   "OFFSET(printk_info.dev_info)=%u\n", l->info_size, l->info_seq, l->info_ts_nsec,
		   l->info_text_len, l->info_caller_id, l->info_dev_info);
	synth_info(c, "SIZE(dev_printk_info)=64\nOFFSET(dev_printk_info.subsystem)=0\n"
		   "LENGTH(printk_info_subsystem)=16\nOFFSET(dev_printk_info.device)=16\n"
		   "LENGTH(printk_info_device)=48\n");
	synth_info(c, "SIZE(prb_data_ring)=%u\nOFFSET(prb_data_ring.size_bits)=%u\nOFFSET(prb_data_ring.data)=%u\n"
		   "OFFSET(prb_data_ring.head_lpos)=%u\nOFFSET(prb_data_ring.tail_lpos)=%u\n",
		   l->data_size, l->data_size_bits, l->data_data, l->data_head_lpos, l->data_tail_lpos);
	synth_info(c, "SIZE(atomic_long_t)=%u\nOFFSET(atomic_long_t.counter)=0\n", w);
	synth_info(c, "SIZE(latched_seq)=24\nOFFSET(latched_seq.val)=8\n");
	synth_info(c, "NUMBER(phys_base)=0\nSYMBOL(_stext)=%llx\nKERNELOFFSET=0\n",
		   (unsigned long long)kvaddr);
}

uint64_t synth_prb_desc_addr(const struct synth_prb *p, uint64_t id)
{
	return p->descs + (id & ((1ull << p->count_bits) - 1)) * p->l->desc_size;
}

static uint64_t info_addr(const struct synth_prb *p, uint64_t id)
{
	return p->infos + (id & ((1ull << p->count_bits) - 1)) * p->l->info_size;
}

/* The kernel's get_next_lpos(): a block that would cross the end of the
 * ring (or end exactly on it) starts over at the beginning. */
static uint64_t next_lpos(const struct synth_prb *p, uint64_t lpos, uint64_t size)
{
	uint64_t next = (lpos + size) & p->word_mask;

	if (lpos >> p->size_bits == next >> p->size_bits)
		return next;
	return ((next & ~((1ull << p->size_bits) - 1)) + size) & p->word_mask;
}

static uint64_t new_desc(struct synth_prb *p, uint64_t ts_nsec, uint64_t begin, uint64_t next,
			 size_t len, int state)
{
	const struct prb_layout *l = p->l;
	struct synth_core *c = p->c;
	uint64_t id = p->head_id = (p->head_id + 1) & p->id_mask;
	uint64_t d = synth_prb_desc_addr(p, id), i = info_addr(p, id);

	synth_put_ulong(c, d + l->desc_state_var, ((uint64_t)state << (l->w * 8 - 2)) | id);
	synth_put_ulong(c, d + l->desc_text_blk_lpos + l->lpos_begin, begin);
	synth_put_ulong(c, d + l->desc_text_blk_lpos + l->lpos_next, next);
	memset(mem_at(c, i, l->info_size), 0, l->info_size);
	synth_put(c, i + l->info_seq, p->seq++, 8);
	synth_put(c, i + l->info_ts_nsec, ts_nsec, 8);
	synth_put(c, i + l->info_text_len, len, 2);
	synth_put(c, i + l->info_caller_id, 0x80000000u, 4);	/* CPU 0 */
	/* A device dictionary the tool must not print. */
	memcpy(mem_at(c, i + l->info_dev_info, 16), "SUBSYSTEM=pci", 13);
	synth_put(c, p->rb + l->prb_desc_ring + l->dr_head_id, id, l->w);
	return id;
}

uint64_t synth_prb_add(struct synth_prb *p, uint64_t ts_nsec, const char *text, size_t len, int state)
{
	unsigned int w = p->l->w;
	uint64_t size = (w + len + w - 1) & ~(uint64_t)(w - 1);
	uint64_t begin = p->head_lpos, next = next_lpos(p, begin, size);
	uint64_t block = (next - size) & p->word_mask;	/* where the id goes */
	uint64_t id, mask = (1ull << p->size_bits) - 1;

	assert(size <= (1ull << p->size_bits) / 2);
	id = new_desc(p, ts_nsec, begin, next, len, state);
	synth_put_ulong(p->c, p->data + (block & mask), id);
	memcpy(mem_at(p->c, p->data + (block & mask) + w, len), text, len);
	p->head_lpos = next;
	synth_put_ulong(p->c, p->rb + p->l->prb_text_data_ring + p->l->data_head_lpos, next);
	return id;
}

uint64_t synth_prb_add_dataless(struct synth_prb *p, uint64_t ts_nsec)
{
	return new_desc(p, ts_nsec, 1, 1, 0, SYNTH_FINALIZED);
}

uint64_t synth_get_ulong(struct synth_core *c, uint64_t vaddr)
{
	const uint8_t *b = mem_at(c, vaddr, c->w);
	uint64_t v = 0;

	for (unsigned int i = 0; i < c->w; i++)
		v |= (uint64_t)b[c->big_endian ? c->w - 1 - i : i] << (8 * i);
	return v;
}

static uint64_t get_ulong(struct synth_prb *p, uint64_t vaddr)
{
	return synth_get_ulong(p->c, vaddr);
}

void synth_prb_finish(struct synth_prb *p)
{
	const struct prb_layout *l = p->l;
	uint64_t count = 1ull << p->count_bits, size = 1ull << p->size_bits;
	uint64_t tail = p->head_id;

	for (uint64_t k = 1; k < count; k++) {
		uint64_t id = (p->head_id - k) & p->id_mask, d = synth_prb_desc_addr(p, id);
		uint64_t sv = get_ulong(p, d + l->desc_state_var);
		uint64_t begin = get_ulong(p, d + l->desc_text_blk_lpos + l->lpos_begin);

		if ((sv & p->id_mask) != id)
			break;
		if (!(begin & 1) && ((p->head_lpos - begin) & p->word_mask) > size)
			break;
		tail = id;
	}
	synth_put(p->c, p->rb + l->prb_desc_ring + l->dr_tail_id, tail, l->w);
	synth_put(p->c, p->rb + l->prb_desc_ring + l->dr_head_id, p->head_id, l->w);
}

int synth_prb_wraps(struct synth_prb *p, uint64_t id)
{
	const struct prb_layout *l = p->l;
	uint64_t d = synth_prb_desc_addr(p, id);
	uint64_t begin = get_ulong(p, d + l->desc_text_blk_lpos + l->lpos_begin);
	uint64_t next = get_ulong(p, d + l->desc_text_blk_lpos + l->lpos_next);

	return !(begin & 1) && begin >> p->size_bits != next >> p->size_bits;
}

uint64_t synth_prb_tail(struct synth_prb *p)
{
	return get_ulong(p, p->rb + p->l->prb_desc_ring + p->l->dr_tail_id);
}
