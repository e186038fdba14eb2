/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Synthetic kernel crash dumps for the vmcore-dmesg tests: an ELF core file
 * with a VMCOREINFO note and PT_LOAD segments over a few memory regions,
 * and a 5.10+ printk ring buffer written into them the way the kernel's
 * writer (kernel/printk/printk_ringbuffer.c) lays out descriptors and data
 * blocks.
 */
#ifndef UKEXEC_VMCORE_SYNTH_H
#define UKEXEC_VMCORE_SYNTH_H

#include <stddef.h>
#include <stdint.h>

/* struct sizes and field offsets, as VMCOREINFO exports them */
struct prb_layout {
	const char *name;
	unsigned int w;			/* sizeof(unsigned long) */
	unsigned int prb_size, prb_desc_ring, prb_text_data_ring, prb_fail;
	unsigned int dr_size, dr_count_bits, dr_descs, dr_infos, dr_head_id, dr_tail_id;
	unsigned int desc_size, desc_state_var, desc_text_blk_lpos;
	unsigned int lpos_size, lpos_begin, lpos_next;
	unsigned int info_size, info_seq, info_ts_nsec, info_text_len, info_caller_id, info_dev_info;
	unsigned int data_size, data_size_bits, data_data, data_head_lpos, data_tail_lpos;
};

extern const struct prb_layout prb_layout_x86_64;	/* Debian 12, Linux 6.1 */
extern const struct prb_layout prb_layout_i386;

#define SYNTH_MAX_REGIONS 4

struct synth_region {
	uint64_t vaddr, paddr;
	uint8_t *mem;
	size_t size;
};

struct synth_core {
	int elf64, big_endian;
	uint16_t machine;
	unsigned int w;				/* pointer bytes, for put_ulong */
	char info[8192];			/* VMCOREINFO text */
	struct synth_region reg[SYNTH_MAX_REGIONS];
	int nreg;
	int no_note;				/* leave the VMCOREINFO note out */
};

/* Where the pieces ended up in the last built file. */
struct synth_file {
	uint8_t *data;
	size_t size;
	size_t phoff, note_off, load_off[SYNTH_MAX_REGIONS];
};

void synth_core_init(struct synth_core *c, int elf64, int big_endian, uint16_t machine, unsigned int w);
/* Add a region (zero-filled); returns its memory. */
uint8_t *synth_region(struct synth_core *c, uint64_t vaddr, uint64_t paddr, size_t size);
void synth_info(struct synth_core *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Build the ELF file (free f->data). */
void synth_build(const struct synth_core *c, struct synth_file *f);

/* Little- or big-endian stores into region memory at a virtual address. */
void synth_put(struct synth_core *c, uint64_t vaddr, uint64_t val, unsigned int bytes);
#define synth_put_ulong(c, va, v) synth_put((c), (va), (v), (c)->w)
uint64_t synth_get_ulong(struct synth_core *c, uint64_t vaddr);

/* A 5.10+ printk ring buffer inside a synth_core. */
struct synth_prb {
	struct synth_core *c;
	const struct prb_layout *l;
	uint64_t prb_sym;			/* address of the "prb" pointer */
	uint64_t rb;				/* address of the printk_ringbuffer */
	uint64_t descs, infos, data;		/* arrays */
	unsigned int count_bits, size_bits;
	uint64_t head_id, head_lpos, seq;	/* writer state */
	uint64_t word_mask, id_mask;
};

enum { SYNTH_RESERVED, SYNTH_COMMITTED, SYNTH_FINALIZED, SYNTH_REUSABLE };

/*
 * Lay out a ring buffer: the prb pointer and the printk_ringbuffer in a
 * kernel-image region at kvaddr, descriptors, infos and text data in a
 * direct-map region at dvaddr; write the VMCOREINFO lines of
 * log_buf_vmcoreinfo_setup().
 */
void synth_prb_init(struct synth_prb *p, struct synth_core *c, const struct prb_layout *l,
		    unsigned int count_bits, unsigned int size_bits, uint64_t kvaddr, uint64_t kpaddr,
		    uint64_t dvaddr, uint64_t dpaddr);
/* Append a record as prb_reserve()+prb_final_commit() would; returns its id. */
uint64_t synth_prb_add(struct synth_prb *p, uint64_t ts_nsec, const char *text, size_t len, int state);
/* A record without a data block (FAILED_LPOS), as when the text did not fit. */
uint64_t synth_prb_add_dataless(struct synth_prb *p, uint64_t ts_nsec);
/* Set tail_id to the oldest record whose descriptor and data are intact. */
void synth_prb_finish(struct synth_prb *p);
uint64_t synth_prb_desc_addr(const struct synth_prb *p, uint64_t id);
/* Whether record id's data block wraps from the end of the ring to its start. */
int synth_prb_wraps(struct synth_prb *p, uint64_t id);
/* The tail_id synth_prb_finish() chose. */
uint64_t synth_prb_tail(struct synth_prb *p);

#endif
