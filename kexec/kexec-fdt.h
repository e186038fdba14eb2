/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The next kernel's device tree, built as the kernel's generic
 * of_kexec_alloc_and_setup_fdt() (drivers/of/kexec.c, 6.1) builds it for
 * kexec_file_load on arm64 and ppc64: the running machine's DTB opened into a
 * larger buffer, /chosen edited, the reservation map adjusted. libfdt calls
 * only. The random seeds (kaslr-seed, rng-seed) are the only bytes that
 * cannot match the kernel's.
 */
/* Not fdt.h: libfdt.h includes <fdt.h>, which -I kexec would find first. */
#ifndef UKEXEC_KEXEC_FDT_H
#define UKEXEC_KEXEC_FDT_H

#include <stddef.h>
#include <stdint.h>

#include "crashdump.h"

/*
 * Fill buf with len random bytes: 0, -EAGAIN when no randomness is ready
 * (the seed is then omitted, as the kernel does before its RNG is
 * initialised), another -errno on failure.
 */
typedef int (*kexec_fdt_rng_fn)(void *buf, size_t len, void *arg);

/* getrandom(2) without blocking: the tool's seed source. */
int kexec_fdt_getrandom(void *buf, size_t len, void *arg);

/* What only a crash load (KEXEC_TYPE_CRASH) adds. */
struct kexec_fdt_crash {
	uint64_t elf_load_addr, elf_headers_sz;	/* the ELF core headers segment */
	struct crash_range crashk_res;		/* inclusive end */
	struct crash_range crashk_low_res;	/* end 0: none */
};

struct kexec_fdt_params {
	const char *name;		/* the DTB in messages: /sys/firmware/fdt, --dtb's file */
	const void *initial_boot_params;	/* the running machine's DTB */
	size_t initial_boot_params_len;	/* bytes given (checked against its header) */
	/* __pa(initial_boot_params) when known: its /memreserve/ is dropped; 0: unknown */
	uint64_t initial_boot_params_pa;
	uint64_t page_size;		/* the running kernel's PAGE_SIZE, a power of two (old initrd reservations) */
	uint64_t initrd_load_addr;	/* 0: no initrd */
	uint64_t initrd_len;
	const char *cmdline;		/* NULL: none */
	size_t extra_fdt_size;		/* the arch's extra room (ppc64); arm64 passes 0 */
	const struct kexec_fdt_crash *crash;	/* NULL: not a crash load */
	kexec_fdt_rng_fn rng;		/* NULL: no randomness, no seeds */
	void *rng_arg;
};

/*
 * of_kexec_alloc_and_setup_fdt(): *fdt (malloc'ed, free()) holding the new
 * tree in a buffer of *fdt_size bytes (its totalsize; not packed: arm64's
 * load_other_segments() packs it with fdt_pack()). -errno after one message
 * naming the DTB.
 */
int of_kexec_alloc_and_setup_fdt(const struct kexec_fdt_params *p, void **fdt, size_t *fdt_size);

#endif
