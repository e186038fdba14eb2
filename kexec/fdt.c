// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The next kernel's device tree as of_kexec_alloc_and_setup_fdt()
 * (drivers/of/kexec.c, 6.1) builds it. Function names and the order of the
 * libfdt calls follow the kernel's: the order decides where new properties,
 * strings and reservations land, so it is what makes the blobs identical.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include <libfdt.h>

#include "kexec-fdt.h"
#include "log.h"

#define RNG_SEED_SIZE 128

/* Room for initrd, bootargs, seeds, usable-memory-range and elfcorehdr. */
#define FDT_EXTRA_SPACE 0x1000

/* The kernel's OF_ROOT_NODE_{ADDR,SIZE}_CELLS_DEFAULT. */
#define OF_ROOT_NODE_ADDR_CELLS_DEFAULT 1
#define OF_ROOT_NODE_SIZE_CELLS_DEFAULT 1

int kexec_fdt_getrandom(void *buf, size_t len, void *arg)
{
	size_t done = 0;

	(void)arg;
	while (done < len) {
		ssize_t n = getrandom((char *)buf + done, len - done, GRND_NONBLOCK);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				return -EAGAIN;
			kx_error("getrandom: %s", strerror(errno));
			return -errno;
		}
		done += n;
	}
	return 0;
}

/* of_read_number(): big-endian cells, the low 64 bits kept. */
static uint64_t of_read_number(const void *prop, int cells)
{
	const fdt32_t *cell = prop;
	uint64_t r = 0;

	while (cells-- > 0)
		r = (r << 32) | fdt32_to_cpu(*cell++);
	return r;
}

/* 0, -ENOENT when no entry matches, -EINVAL (after a message) on a libfdt error. */
static int fdt_find_and_del_mem_rsv(const char *name, void *fdt, uint64_t start, uint64_t size)
{
	int i, ret, num_rsvs = fdt_num_mem_rsv(fdt);

	for (i = 0; i < num_rsvs; i++) {
		uint64_t rsv_start, rsv_size;

		ret = fdt_get_mem_rsv(fdt, i, &rsv_start, &rsv_size);
		if (ret) {
			kx_error("%s: reading /memreserve/ entry %d: %s", name, i, fdt_strerror(ret));
			return -EINVAL;
		}
		if (rsv_start == start && rsv_size == size) {
			ret = fdt_del_mem_rsv(fdt, i);
			if (ret) {
				kx_error("%s: deleting /memreserve/ entry %d: %s", name, i, fdt_strerror(ret));
				return -EINVAL;
			}
			return 0;
		}
	}
	return -ENOENT;
}

/*
 * get_addr_size_cells(): the kernel reads the root of its live tree, which
 * is the running machine's DTB, with the OF defaults (not libfdt's).
 */
static void get_addr_size_cells(const void *fdt, int *addr_cells, int *size_cells)
{
	const fdt32_t *prop;
	int len;

	prop = fdt_getprop(fdt, 0, "#address-cells", &len);
	*addr_cells = prop && len >= 4 ? (int)fdt32_to_cpu(*prop) : OF_ROOT_NODE_ADDR_CELLS_DEFAULT;
	prop = fdt_getprop(fdt, 0, "#size-cells", &len);
	*size_cells = prop && len >= 4 ? (int)fdt32_to_cpu(*prop) : OF_ROOT_NODE_SIZE_CELLS_DEFAULT;
}

static int do_get_kexec_buffer(const void *fdt, const void *prop, int len, uint64_t *addr, uint64_t *size)
{
	int addr_cells, size_cells;

	get_addr_size_cells(fdt, &addr_cells, &size_cells);
	if (len < 4 * (addr_cells + size_cells))
		return -ENOENT;
	*addr = of_read_number(prop, addr_cells);
	*size = of_read_number((const char *)prop + 4 * addr_cells, size_cells);
	return 0;
}

/*
 * An IMA measurement buffer handed over by an earlier kexec is of no use to
 * the next kernel. The kernel drops it only when built with HAVE_IMA_KEXEC;
 * here it is dropped always, which differs only for a kernel without IMA
 * that was itself kexec'ed by one with it. setup_ima_buffer() has no
 * counterpart: the measurement list is kernel-internal.
 */
static void remove_ima_buffer(const char *name, void *fdt, int chosen_node)
{
	const void *prop;
	uint64_t addr, size;
	int ret, len;

	prop = fdt_getprop(fdt, chosen_node, "linux,ima-kexec-buffer", &len);
	if (!prop)
		return;
	ret = do_get_kexec_buffer(fdt, prop, len, &addr, &size);
	fdt_delprop(fdt, chosen_node, "linux,ima-kexec-buffer");
	if (ret)
		return;
	if (!fdt_find_and_del_mem_rsv(name, fdt, addr, size))
		kx_debug("%s: removed the old IMA buffer reservation", name);
}

/* The running machine's DTB must be whole before libfdt reads it; the page size sane. */
static int check_initial_boot_params(const struct kexec_fdt_params *p)
{
	int ret;

	if (!p->page_size || (p->page_size & (p->page_size - 1))) {
		kx_error("%s: page size %#llx is not a power of two", p->name, (unsigned long long)p->page_size);
		return -EINVAL;
	}
	ret = fdt_check_full(p->initial_boot_params, p->initial_boot_params_len);
	if (ret) {
		kx_error("%s: not a usable device tree: %s", p->name, fdt_strerror(ret));
		return -EINVAL;
	}
	return 0;
}

/* fdt_delprop() where an absent property is no error. */
static int fdt_delprop_any(void *fdt, int node, const char *prop)
{
	int ret = fdt_delprop(fdt, node, prop);

	return ret == -FDT_ERR_NOTFOUND ? 0 : ret;
}

static int setup_initrd(const struct kexec_fdt_params *p, void *fdt, int chosen_node, const char **what)
{
	const void *prop;
	int ret, len;

	/* Did we boot using an initrd? */
	*what = NULL;
	prop = fdt_getprop(fdt, chosen_node, "linux,initrd-start", &len);
	if (prop) {
		uint64_t tmp_start, tmp_end, tmp_size;

		tmp_start = of_read_number(prop, len / 4);
		prop = fdt_getprop(fdt, chosen_node, "linux,initrd-end", &len);
		if (!prop) {
			kx_error("%s: /chosen has linux,initrd-start but no linux,initrd-end", p->name);
			return -EINVAL;
		}
		tmp_end = of_read_number(prop, len / 4);
		/* Firmware may have reserved the initrd rounded up to pages. */
		tmp_size = tmp_end - tmp_start;
		ret = fdt_find_and_del_mem_rsv(p->name, fdt, tmp_start, tmp_size);
		if (ret == -ENOENT)
			ret = fdt_find_and_del_mem_rsv(p->name, fdt, tmp_start,
						       (tmp_size + p->page_size - 1) & ~(p->page_size - 1));
		if (ret == -EINVAL)
			return ret;
	}

	if (p->initrd_load_addr) {
		*what = "setting linux,initrd-start";
		ret = fdt_setprop_u64(fdt, chosen_node, "linux,initrd-start", p->initrd_load_addr);
		if (ret)
			return ret;
		*what = "setting linux,initrd-end";
		ret = fdt_setprop_u64(fdt, chosen_node, "linux,initrd-end",
				      p->initrd_load_addr + p->initrd_len);
		if (ret)
			return ret;
		*what = "reserving the initrd";
		return fdt_add_mem_rsv(fdt, p->initrd_load_addr, p->initrd_len);
	}
	*what = "deleting linux,initrd-start";
	ret = fdt_delprop_any(fdt, chosen_node, "linux,initrd-start");
	if (ret)
		return ret;
	*what = "deleting linux,initrd-end";
	return fdt_delprop_any(fdt, chosen_node, "linux,initrd-end");
}

static int setup_crash(const struct kexec_fdt_crash *c, void *fdt, int chosen_node, const char **what)
{
	int ret;

	*what = "adding linux,elfcorehdr";
	ret = fdt_appendprop_addrrange(fdt, 0, chosen_node, "linux,elfcorehdr",
				       c->elf_load_addr, c->elf_headers_sz);
	if (ret)
		return ret;
	/* Keep the crash kernel from allocating over its ELF core headers. */
	*what = "reserving the ELF core headers";
	ret = fdt_add_mem_rsv(fdt, c->elf_load_addr, c->elf_headers_sz);
	if (ret)
		return ret;
	*what = "adding linux,usable-memory-range";
	ret = fdt_appendprop_addrrange(fdt, 0, chosen_node, "linux,usable-memory-range",
				       c->crashk_res.start, c->crashk_res.end - c->crashk_res.start + 1);
	if (ret)
		return ret;
	if (c->crashk_low_res.end)
		ret = fdt_appendprop_addrrange(fdt, 0, chosen_node, "linux,usable-memory-range",
					       c->crashk_low_res.start,
					       c->crashk_low_res.end - c->crashk_low_res.start + 1);
	return ret;
}

/* kaslr-seed and rng-seed, when randomness is ready. */
static int setup_seeds(const struct kexec_fdt_params *p, void *fdt, int chosen_node, const char **what)
{
	uint8_t raw[8];
	void *rng_seed;
	uint64_t seed;
	int ret;

	*what = "deleting kaslr-seed";
	ret = fdt_delprop_any(fdt, chosen_node, "kaslr-seed");
	if (ret)
		return ret;

	ret = p->rng ? p->rng(raw, sizeof(raw), p->rng_arg) : -EAGAIN;
	if (ret == -EAGAIN) {
		kx_info("%s: no randomness yet: omitting \"kaslr-seed\" and \"rng-seed\"", p->name);
		return 0;
	}
	if (ret) {
		*what = NULL;
		return ret;
	}
	memcpy(&seed, raw, sizeof(seed));
	*what = "setting kaslr-seed";
	ret = fdt_setprop_u64(fdt, chosen_node, "kaslr-seed", seed);
	if (ret)
		return ret;

	*what = "setting rng-seed";
	ret = fdt_setprop_placeholder(fdt, chosen_node, "rng-seed", RNG_SEED_SIZE, &rng_seed);
	if (ret)
		return ret;
	ret = p->rng(rng_seed, RNG_SEED_SIZE, p->rng_arg);
	if (ret)
		*what = NULL;
	return ret;
}

/* All /chosen edits, in the kernel's order. */
static int setup_chosen(const struct kexec_fdt_params *p, void *fdt, int chosen_node, const char **what)
{
	int ret;

	*what = "deleting linux,elfcorehdr";
	ret = fdt_delprop_any(fdt, chosen_node, "linux,elfcorehdr");
	if (ret)
		return ret;
	*what = "deleting linux,usable-memory-range";
	ret = fdt_delprop_any(fdt, chosen_node, "linux,usable-memory-range");
	if (ret)
		return ret;

	ret = setup_initrd(p, fdt, chosen_node, what);
	if (ret)
		return ret;

	if (p->crash) {
		ret = setup_crash(p->crash, fdt, chosen_node, what);
		if (ret)
			return ret;
	}

	if (p->cmdline) {
		*what = "setting bootargs";
		ret = fdt_setprop_string(fdt, chosen_node, "bootargs", p->cmdline);
	} else {
		*what = "deleting bootargs";
		ret = fdt_delprop_any(fdt, chosen_node, "bootargs");
	}
	if (ret)
		return ret;

	ret = setup_seeds(p, fdt, chosen_node, what);
	if (ret)
		return ret;

	*what = "setting linux,booted-from-kexec";
	ret = fdt_setprop(fdt, chosen_node, "linux,booted-from-kexec", NULL, 0);
	if (ret)
		return ret;

	remove_ima_buffer(p->name, fdt, chosen_node);
	return 0;
}

/*
 * A step's libfdt error gets its message here, what naming the step; a step
 * that fails with -errno has reported it and left what NULL.
 */
static int report_fdt_error(const char *name, const char *what, int ret)
{
	if (!what)
		return ret;
	kx_error("%s: %s in the new device tree: %s", name, what, fdt_strerror(ret));
	return ret == -FDT_ERR_NOSPACE ? -ENOMEM : -EINVAL;
}

int of_kexec_alloc_and_setup_fdt(const struct kexec_fdt_params *p, void **fdtp, size_t *fdt_sizep)
{
	const char *what = NULL;
	int ret, chosen_node;
	size_t fdt_size;
	void *fdt;

	ret = check_initial_boot_params(p);
	if (ret)
		return ret;

	fdt_size = fdt_totalsize(p->initial_boot_params) +
		   (p->cmdline ? strlen(p->cmdline) : 0) +
		   FDT_EXTRA_SPACE + p->extra_fdt_size;
	fdt = malloc(fdt_size);
	if (!fdt) {
		kx_error("%s: no memory for a new device tree of %zu bytes", p->name, fdt_size);
		return -ENOMEM;
	}

	ret = fdt_open_into(p->initial_boot_params, fdt, fdt_size);
	if (ret < 0) {
		kx_error("%s: opening into %zu bytes: %s", p->name, fdt_size, fdt_strerror(ret));
		ret = -EINVAL;
		goto free_fdt;
	}

	/* The running tree's own reservation is meaningless to the next kernel. */
	if (p->initial_boot_params_pa) {
		ret = fdt_find_and_del_mem_rsv(p->name, fdt, p->initial_boot_params_pa,
					       fdt_totalsize(p->initial_boot_params));
		if (ret == -EINVAL)
			goto free_fdt;
	}

	chosen_node = fdt_path_offset(fdt, "/chosen");
	if (chosen_node == -FDT_ERR_NOTFOUND)
		chosen_node = fdt_add_subnode(fdt, fdt_path_offset(fdt, "/"), "chosen");
	if (chosen_node < 0) {
		kx_error("%s: finding or adding /chosen: %s", p->name, fdt_strerror(chosen_node));
		ret = -EINVAL;
		goto free_fdt;
	}

	ret = setup_chosen(p, fdt, chosen_node, &what);
	if (ret) {
		ret = report_fdt_error(p->name, what, ret);
		goto free_fdt;
	}

	*fdtp = fdt;
	*fdt_sizep = fdt_size;
	return 0;

free_fdt:
	free(fdt);
	return ret;
}
