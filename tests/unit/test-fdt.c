// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kexec/fdt.c against the arm64 6.1 kernel's own of_kexec_alloc_and_setup_fdt()
 * output, recorded in QEMU by tests/e2e-arm64/record-fdt.sh
 * (tests/golden/arm64-virt-6.1/README): the recorded machine DTB, command
 * line and initrd size replayed through the module, packed as arm64's
 * load_other_segments() packs it, must give the kernel's DTB byte for byte
 * except the random seeds. Two recordings: the first kernel's RNG not yet
 * initialised (it writes no seeds; replayed with a seed source that has no
 * randomness: exact bytes), and initialised ("rng-" files; replayed with a
 * fixed seed source):
 *  - rng-seed: the booted kernel turns its own rng-seed into FDT_NOPs
 *    (early_init_dt_scan_chosen) before /sys/firmware/fdt shows the blob, so
 *    ours gets fdt_nop_property() too: same size and place, value masked;
 *  - kaslr-seed: same size and place, the value zeroed in both blobs.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "decompress.h"
#include "kexec-fdt.h"
#include "log.h"
#include "tap.h"

#define PAGE_SIZE_ARM64 4096

static const char *golden_dir;
static int nr_errors;

static void count_errors(enum kx_level level, const char *msg, void *arg)
{
	(void)arg;
	if (level == KX_ERROR) {
		nr_errors++;
		diag("  message: %s", msg);
	}
}

/* A fixed seed source: the replay must not depend on the host's randomness. */
static int fixed_rng(void *buf, size_t len, void *arg)
{
	(void)arg;
	memset(buf, 0xa5, len);
	return 0;
}

/* getrandom(GRND_NONBLOCK) before the pool is ready. */
static int no_rng(void *buf, size_t len, void *arg)
{
	(void)buf;
	(void)len;
	(void)arg;
	return -EAGAIN;
}

static void *read_file(const char *name, size_t *len)
{
	char path[4096];
	long size;
	void *buf;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", golden_dir, name);
	f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	rewind(f);
	buf = calloc(1, size + 1);
	if (buf && fread(buf, 1, size, f) != (size_t)size) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	if (len)
		*len = size;
	return buf;
}

/* name, or name.gz decompressed (QEMU's 1 MiB machine DTBs). */
static void *read_golden(const char *name, size_t *len)
{
	char gz[256];
	uint8_t *packed, *out;
	size_t packed_len, out_len;
	void *buf = read_file(name, len);

	if (buf)
		return buf;
	snprintf(gz, sizeof(gz), "%s.gz", name);
	packed = read_file(gz, &packed_len);
	if (!packed)
		return NULL;
	if (kx_decompress(packed, packed_len, gz, 0, &out, &out_len))
		out = NULL;
	free(packed);
	if (out && len)
		*len = out_len;
	return out;
}

static uint64_t chosen_u64(const void *fdt, const char *prop, int cell)
{
	const fdt32_t *p;
	int len, node = fdt_path_offset(fdt, "/chosen");

	p = fdt_getprop(fdt, node, prop, &len);
	if (!p || len < (cell + 2) * 4)
		return 0;
	return (uint64_t)fdt32_to_cpu(p[cell]) << 32 | fdt32_to_cpu(p[cell + 1]);
}

static int has_mem_rsv(const void *fdt, uint64_t start, uint64_t size)
{
	uint64_t a, s;
	int i;

	for (i = 0; i < fdt_num_mem_rsv(fdt); i++)
		if (!fdt_get_mem_rsv(fdt, i, &a, &s) && a == start && s == size)
			return 1;
	return 0;
}

/* kaslr-seed's value zeroed in place (same size and position). */
static void mask_kaslr_seed(void *fdt)
{
	int node = fdt_path_offset(fdt, "/chosen");

	if (fdt_getprop(fdt, node, "kaslr-seed", NULL))
		fdt_setprop_inplace_u64(fdt, node, "kaslr-seed", 0);
}

/* What the next kernel shows of what we built: packed, rng-seed NOPed. */
static void as_booted(void *fdt)
{
	fdt_pack(fdt);
	fdt_nop_property(fdt, fdt_path_offset(fdt, "/chosen"), "rng-seed");
	mask_kaslr_seed(fdt);
}

static int same_blob(const char *what, const void *ours, const void *kernel)
{
	size_t a = fdt_totalsize(ours), b = fdt_totalsize(kernel), i;

	if (a != b) {
		diag("  %s: %zu bytes, the kernel's %zu", what, a, b);
		return 0;
	}
	for (i = 0; i < a; i++)
		if (((const uint8_t *)ours)[i] != ((const uint8_t *)kernel)[i]) {
			diag("  %s: first difference at offset %#zx", what, i);
			return 0;
		}
	return 1;
}

/* Build the next DTB; NULL on failure. The caller frees. */
static void *build(const struct kexec_fdt_params *p)
{
	size_t size;
	void *fdt;

	if (of_kexec_alloc_and_setup_fdt(p, &fdt, &size))
		return NULL;
	return fdt;
}

/* The check of the check: the DTB built from p must not compare equal to the kernel's. */
static int differs(const struct kexec_fdt_params *p, const void *kernel, const char *what)
{
	void *fdt = build(p);
	int ret;

	if (fdt)
		as_booted(fdt);
	ret = fdt && !same_blob(what, fdt, kernel);
	free(fdt);
	return ret;
}

/* One recorded load: the machine's DTB, the kernel's DTB, command line, initrd size. */
struct recording {
	void *machine, *kernel;
	char *cmdline, *size_text;
	size_t machine_len;
};

/* Whether all of the recording's files are there. */
static bool read_recording(struct recording *r, const char *machine, const char *kernel,
			   const char *cmdline)
{
	r->machine = read_golden(machine, &r->machine_len);
	r->kernel = read_golden(kernel, NULL);
	r->cmdline = read_golden(cmdline, NULL);
	r->size_text = read_golden("initrd.size", NULL);
	return r->machine && r->kernel && r->cmdline && r->size_text;
}

static void free_recording(struct recording *r)
{
	free(r->machine);
	free(r->kernel);
	free(r->cmdline);
	free(r->size_text);
}

/* The recorded machine DTB, command line and initrd (placed where the kernel's DTB says) into p. */
static void set_inputs(struct kexec_fdt_params *p, const struct recording *r)
{
	p->initial_boot_params = r->machine;
	p->initial_boot_params_len = r->machine_len;
	p->cmdline = r->cmdline;
	p->initrd_len = strtoull(r->size_text, NULL, 0);
	p->initrd_load_addr = chosen_u64(r->kernel, "linux,initrd-start", 0);
}

static void test_exec(const char *v, kexec_fdt_rng_fn rng)
{
	struct kexec_fdt_params p = { .page_size = PAGE_SIZE_ARM64, .rng = rng };
	struct recording r;
	char name[64];
	void *ours;
	char *other;

	snprintf(name, sizeof(name), "%smachine.dtb", v);
	p.name = name;
	if (!read_recording(&r, name, v[0] ? "rng-kexec.dtb" : "kexec.dtb", "kexec.cmdline")) {
		skip(9, "no %s recording in %s", v, golden_dir);
		goto free_inputs;
	}
	set_inputs(&p, &r);
	diag("%skexec: initrd %#llx + %#llx, command line \"%s\"",
	     v, (unsigned long long)p.initrd_load_addr, (unsigned long long)p.initrd_len, r.cmdline);
	ok(fdt_check_full(r.kernel, fdt_totalsize(r.kernel)) == 0, "%skexec: the kernel's DTB is whole", v);
	mask_kaslr_seed(r.kernel);

	ours = build(&p);
	if (!ok(ours != NULL, "%skexec: of_kexec_alloc_and_setup_fdt on the recorded machine DTB", v)) {
		skip(7, "no DTB built");
		goto free_inputs;
	}
	ok(fdt_totalsize(ours) == r.machine_len + strlen(r.cmdline) + 0x1000,
	   "%skexec: unpacked, it fills the kernel's estimate (totalsize + cmdline + FDT_EXTRA_SPACE)", v);
	ok(fdt_check_full(ours, fdt_totalsize(ours)) == 0, "%skexec: fdt_check_full accepts it", v);
	ok(fdt_num_mem_rsv(ours) == fdt_num_mem_rsv(r.machine) + 1 &&
	   has_mem_rsv(ours, p.initrd_load_addr, p.initrd_len),
	   "%skexec: /memreserve/: the machine's entries and the initrd", v);
	{
		const void *seed = fdt_getprop(ours, fdt_path_offset(ours, "/chosen"), "rng-seed", NULL);

		if (rng == fixed_rng)
			ok(seed && ((const uint8_t *)seed)[0] == 0xa5 && ((const uint8_t *)seed)[127] == 0xa5,
			   "%skexec: rng-seed holds the seed source's 128 bytes", v);
		else
			ok(!seed && !fdt_getprop(ours, fdt_path_offset(ours, "/chosen"), "kaslr-seed", NULL),
			   "kexec: no randomness, no kaslr-seed or rng-seed (as the kernel without its RNG)");
	}
	as_booted(ours);
	ok(same_blob("kexec", ours, r.kernel),
	   "%skexec DTB: byte for byte the kernel's%s", v, rng == fixed_rng ? " (seed values masked)" : "");

	/* The check of the check: another command line must not compare equal. */
	other = malloc(strlen(r.cmdline) + 2);
	strcpy(other, r.cmdline);
	other[strlen(other) - 1] ^= 1;
	p.cmdline = other;
	ok(differs(&p, r.kernel, "mutated command line"),
	   "%skexec: a changed command line makes the comparison fail", v);
	p.cmdline = r.cmdline;
	p.initrd_len += 1;
	ok(differs(&p, r.kernel, "mutated initrd size"),
	   "%skexec: a changed initrd size makes the comparison fail", v);
	free(other);
	free(ours);
free_inputs:
	free_recording(&r);
}

static void test_crash(const char *v, kexec_fdt_rng_fn rng)
{
	struct kexec_fdt_params p = { .page_size = PAGE_SIZE_ARM64, .rng = rng };
	char name[64], name2[64];
	struct kexec_fdt_crash c = { 0 };
	struct recording r;
	void *ours;
	char *iomem;
	bool found;

	snprintf(name, sizeof(name), "%scrash-machine.dtb", v);
	p.name = name;
	snprintf(name2, sizeof(name2), "%scrash.dtb", v);
	found = read_recording(&r, name, name2, "crash.cmdline");
	snprintf(name2, sizeof(name2), "%scrash.iomem", v);
	iomem = read_golden(name2, NULL);
	if (!found || !iomem ||
	    sscanf(iomem, "%llx-%llx", (unsigned long long *)&c.crashk_res.start,
		   (unsigned long long *)&c.crashk_res.end) != 2) {
		skip(4, "no %scrash recording in %s", v, golden_dir);
		goto free_inputs;
	}
	c.elf_load_addr = chosen_u64(r.kernel, "linux,elfcorehdr", 0);
	c.elf_headers_sz = chosen_u64(r.kernel, "linux,elfcorehdr", 2);
	p.crash = &c;
	set_inputs(&p, &r);
	diag("%scrash: elfcorehdr %#llx + %#llx, crashkernel %#llx-%#llx, initrd %#llx",
	     v, (unsigned long long)c.elf_load_addr, (unsigned long long)c.elf_headers_sz,
	     (unsigned long long)c.crashk_res.start, (unsigned long long)c.crashk_res.end,
	     (unsigned long long)p.initrd_load_addr);
	mask_kaslr_seed(r.kernel);

	ours = build(&p);
	if (!ok(ours != NULL, "%scrash: of_kexec_alloc_and_setup_fdt on the recorded machine DTB", v)) {
		skip(3, "no DTB built");
		goto free_inputs;
	}
	ok(fdt_check_full(ours, fdt_totalsize(ours)) == 0 &&
	   has_mem_rsv(ours, c.elf_load_addr, c.elf_headers_sz) &&
	   has_mem_rsv(ours, p.initrd_load_addr, p.initrd_len),
	   "%scrash: whole, /memreserve/ has the ELF core headers and the initrd", v);
	as_booted(ours);
	ok(same_blob("crash", ours, r.kernel), "%scrash DTB: byte for byte the kernel's%s",
	   v, rng == fixed_rng ? " (seed values masked)" : "");
	free(ours);

	/* Another crash region must not compare equal. */
	c.crashk_res.end -= 0x100000;
	ok(differs(&p, r.kernel, "mutated crash region"),
	   "%scrash: a changed crash region makes the comparison fail", v);
free_inputs:
	free_recording(&r);
	free(iomem);
}

/* A small tree made here: what the module does without a recording. */
static void *make_tree(int with_chosen)
{
	size_t size = 4096;
	void *fdt = calloc(1, size);

	fdt_create(fdt, size);
	fdt_add_reservemap_entry(fdt, 0x1000, 0x2000);
	fdt_finish_reservemap(fdt);
	fdt_begin_node(fdt, "");
	fdt_property_u32(fdt, "#address-cells", 2);
	fdt_property_u32(fdt, "#size-cells", 2);
	if (with_chosen) {
		fdt_begin_node(fdt, "chosen");
		fdt_property_u64(fdt, "linux,initrd-start", 0x48000000);
		fdt_property_u64(fdt, "linux,initrd-end", 0x48000800);
		fdt_property_string(fdt, "bootargs", "old");
		fdt_property_u64(fdt, "kaslr-seed", 42);
		fdt_property_u64(fdt, "linux,elfcorehdr", 7);
		fdt_end_node(fdt);
	}
	fdt_end_node(fdt);
	fdt_finish(fdt);
	return fdt;
}

static void test_synthetic(void)
{
	struct kexec_fdt_params p = { .name = "synthetic", .page_size = PAGE_SIZE_ARM64, .rng = NULL };
	void *machine = make_tree(1), *bare = make_tree(0), *ours;
	const char *bootargs;
	int chosen;

	/* An initrd reserved page-rounded by firmware, no new initrd, no randomness. */
	fdt_open_into(machine, machine, 4096);
	fdt_add_mem_rsv(machine, 0x48000000, 0x1000);
	fdt_pack(machine);
	p.initial_boot_params = machine;
	p.initial_boot_params_len = fdt_totalsize(machine);
	ours = build(&p);
	if (ok(ours != NULL, "synthetic tree: built")) {
		chosen = fdt_path_offset(ours, "/chosen");
		ok(!fdt_getprop(ours, chosen, "linux,initrd-start", NULL) &&
		   !fdt_getprop(ours, chosen, "bootargs", NULL) &&
		   !fdt_getprop(ours, chosen, "linux,elfcorehdr", NULL) &&
		   !fdt_getprop(ours, chosen, "kaslr-seed", NULL) &&
		   !fdt_getprop(ours, chosen, "rng-seed", NULL) &&
		   fdt_getprop(ours, chosen, "linux,booted-from-kexec", NULL),
		   "old initrd, bootargs, elfcorehdr, seeds gone without an initrd, cmdline or RNG");
		ok(fdt_num_mem_rsv(ours) == 1 && has_mem_rsv(ours, 0x1000, 0x2000),
		   "the old initrd's page-rounded /memreserve/ is dropped, others kept");
	} else {
		skip(2, "not built");
	}
	free(ours);

	/* The running tree's own reservation goes when its address is known. */
	fdt_open_into(machine, machine, 4096);
	fdt_add_mem_rsv(machine, 0x44000000, 4096);
	p.initial_boot_params_len = 4096;
	p.initial_boot_params_pa = 0x44000000;
	ours = build(&p);
	ok(ours && fdt_num_mem_rsv(ours) == 1 && has_mem_rsv(ours, 0x1000, 0x2000),
	   "the running DTB's /memreserve/ (initial_boot_params_pa, totalsize) is dropped");
	free(ours);
	p.initial_boot_params_pa = 0;
	ours = build(&p);
	ok(ours && fdt_num_mem_rsv(ours) == 2 && has_mem_rsv(ours, 0x44000000, 4096),
	   "without its address it stays");
	free(ours);

	/* No /chosen: it is added. */
	p.initial_boot_params = bare;
	p.initial_boot_params_len = fdt_totalsize(bare);
	p.cmdline = "new";
	ours = build(&p);
	bootargs = ours ? fdt_getprop(ours, fdt_path_offset(ours, "/chosen"), "bootargs", NULL) : NULL;
	ok(bootargs && !strcmp(bootargs, "new"),
	   "a tree without /chosen gets one with bootargs");
	free(ours);
	free(machine);
	free(bare);
}

static void test_hostile(void)
{
	struct kexec_fdt_params p = { .name = "hostile.dtb", .page_size = PAGE_SIZE_ARM64, .rng = fixed_rng };
	void *machine = make_tree(1), *ours, *fdt;
	uint8_t garbage[256];
	size_t size;
	int ret;

	p.initial_boot_params = machine;
	p.initial_boot_params_len = fdt_totalsize(machine) - 8;
	nr_errors = 0;
	ret = of_kexec_alloc_and_setup_fdt(&p, &fdt, &size);
	ok(ret == -EINVAL && nr_errors == 1, "a truncated DTB is refused with one message");

	memset(garbage, 0x5a, sizeof(garbage));
	p.initial_boot_params = garbage;
	p.initial_boot_params_len = sizeof(garbage);
	nr_errors = 0;
	ret = of_kexec_alloc_and_setup_fdt(&p, &fdt, &size);
	ok(ret == -EINVAL && nr_errors == 1, "garbage is refused with one message");

	p.initial_boot_params = machine;
	p.initial_boot_params_len = fdt_totalsize(machine);
	p.page_size = 4095;
	nr_errors = 0;
	ret = of_kexec_alloc_and_setup_fdt(&p, &fdt, &size);
	ok(ret == -EINVAL && nr_errors == 1, "a page size that is not a power of two is refused with one message");
	p.page_size = PAGE_SIZE_ARM64;

	/* A valid header over a corrupt structure block. */
	ours = calloc(1, fdt_totalsize(machine));
	memcpy(ours, machine, fdt_totalsize(machine));
	memset((uint8_t *)ours + fdt_off_dt_struct(machine), 0xff, 16);
	p.initial_boot_params = ours;
	p.initial_boot_params_len = fdt_totalsize(machine);
	nr_errors = 0;
	ret = of_kexec_alloc_and_setup_fdt(&p, &fdt, &size);
	ok(ret == -EINVAL && nr_errors == 1, "a corrupt structure block is refused with one message");
	free(ours);
	free(machine);
}

int main(int argc, char **argv)
{
	static char dir[4096];

	if (argc > 1) {
		golden_dir = argv[1];
	} else {
		snprintf(dir, sizeof(dir), "%s/tests/golden/arm64-virt-6.1",
			 getenv("top_srcdir") ? getenv("top_srcdir") : ".");
		golden_dir = dir;
	}
	kx_set_log_sink(count_errors, NULL);
	/* The first kernel's RNG not initialised when it loaded: no seeds. */
	test_exec("", no_rng);
	test_crash("", no_rng);
	/* Initialised: kaslr-seed and rng-seed. */
	test_exec("rng-", fixed_rng);
	test_crash("rng-", fixed_rng);
	test_synthetic();
	test_hostile();
	return done_testing();
}
