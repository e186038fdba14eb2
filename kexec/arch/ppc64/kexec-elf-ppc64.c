// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The ppc64 ELF vmlinux loader of kexec_file (arch/powerpc/kexec/elf_64.c,
 * file_load.c and file_load_64.c, Linux 6.1): the PT_LOADs through
 * kexec_elf_load(), the kernel's purgatory top-down, the initrd bottom-up,
 * the device tree of of_kexec_alloc_and_setup_fdt() + setup_new_fdt_ppc64()
 * packed and placed top-down, every hole found by ppc64's
 * arch_kexec_locate_mem_hole() around the exclude ranges.
 * Crash loads add the segments of crash-ppc64.c, all in the crash region.
 * With --dtb (kexec-tools' variant, through kexec_load) the new tree starts
 * from the given blob; the fix-ups are the same, from the running machine.
 * With --reuseinitrd (kexec-tools' too) the tree names the initrd the
 * running kernel kept (retain_initrd) instead of an initrd segment.
 */
#include <elf.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libfdt.h>
#include "byteorder.h"
#include "elf_load.h"
#include "kexec-elf.h"
#include "kexec-fdt.h"
#include "log.h"
#include "plan.h"
#include "ppc64.h"
#include "purgatory.h"
#include "request.h"
#include "sysview.h"

#define SLAVE_CODE_SIZE		256	/* the first 0x100 bytes of the kernel */

/* kexec_build_elf_info() + elf_check_arch(): a little-endian ppc64 ET_EXEC. */
static int elf64_read_info(const uint8_t *buf, size_t len, struct kexec_elf_info *info,
			   const char **why)
{
	if (kexec_build_elf_info(buf, len, info)) {
		*why = info->err;
		goto out_free_info;
	}
	if (info->ehdr.e_ident[EI_CLASS] != ELFCLASS64 || info->ehdr.e_ident[EI_DATA] != ELFDATA2LSB) {
		*why = "not a little-endian ELF64 file";
		goto out_free_info;
	}
	if (info->ehdr.e_type != ET_EXEC) {
		*why = "not an ELF executable";
		goto out_free_info;
	}
	if (info->ehdr.e_machine != EM_PPC64) {
		*why = "not a ppc64 ELF file (e_machine)";
		goto out_free_info;
	}
	return 0;

out_free_info:
	kexec_free_elf_info(info);
	return -ENOEXEC;
}

static int kexec_elf_probe(const uint8_t *buf, size_t len)
{
	struct kexec_elf_info info;
	const char *why;

	if (elf64_read_info(buf, len, &info, &why))
		return -ENOEXEC;
	kexec_free_elf_info(&info);
	return 0;
}

static const char *kexec_elf_refusal(const uint8_t *buf, size_t len)
{
	static char why[224];
	struct kexec_elf_info info;
	const char *w = "";

	if (!elf64_read_info(buf, len, &info, &w)) {
		kexec_free_elf_info(&info);
		return "probe refused it";
	}
	snprintf(why, sizeof(why), "not a ppc64 vmlinux: %s", w);
	return why;
}

/*
 * The "name" property the kernel's unflattened tree has for every node of a
 * version 16+ blob (drivers/of/fdt.c, populate_properties()): the node name
 * up to its last '@', appended after the blob's properties.
 */
static int fdt_setprop_of_name(void *fdt, int node, const char *full_name)
{
	const char *at = strrchr(full_name, '@');
	size_t len = at ? (size_t)(at - full_name) : strlen(full_name);
	char name[256];

	if (len >= sizeof(name))
		return -FDT_ERR_BADVALUE;
	memcpy(name, full_name, len);
	name[len] = '\0';
	return fdt_setprop(fdt, node, "name", name, len + 1);
}

/*
 * update_cpus_node(): the cpu nodes of /cpus dropped and added again from
 * the running kernel's tree. That tree is the boot blob unflattened; it is
 * read from /sys/firmware/fdt because /proc/device-tree does not keep the
 * order of the properties, which decides the bytes.
 */
static int update_cpus_node(void *fdt, const void *src)
{
	int cpus, node, prev, scpus, snode, ret;

	cpus = fdt_path_offset(fdt, "/cpus");
	if (cpus < 0 && cpus != -FDT_ERR_NOTFOUND)
		return cpus;
	prev = cpus;
	for (node = fdt_first_subnode(fdt, cpus); node >= 0;) {
		const char *type = fdt_getprop(fdt, node, "device_type", NULL);

		if (!type || strcmp(type, "cpu")) {
			prev = node;
		} else {
			ret = fdt_del_node(fdt, node);
			if (ret < 0)
				return ret;
		}
		node = prev == cpus ? fdt_first_subnode(fdt, cpus) : fdt_next_subnode(fdt, prev);
	}
	scpus = fdt_path_offset(src, "/cpus");
	if (scpus < 0)
		return -FDT_ERR_NOTFOUND;
	fdt_for_each_subnode(snode, src, scpus) {
		const char *type = fdt_getprop(src, snode, "device_type", NULL);
		int prop;

		if (!type || strcmp(type, "cpu"))
			continue;
		node = fdt_add_subnode(fdt, cpus, fdt_get_name(src, snode, NULL));
		if (node < 0)
			return node;
		fdt_for_each_property_offset(prop, src, snode) {
			const char *name;
			const void *val;
			int len;

			val = fdt_getprop_by_offset(src, prop, &name, &len);
			ret = fdt_setprop(fdt, node, name, val, len);
			if (ret < 0)
				return ret;
		}
		if (!fdt_getprop(src, snode, "name", NULL)) {
			ret = fdt_setprop_of_name(fdt, node, fdt_get_name(src, snode, NULL));
			if (ret < 0)
				return ret;
		}
	}
	return 0;
}

/*
 * copy_property(): the live tree's value of a property into the next
 * kernel's node, deleted there when the live tree no longer has it;
 * -FDT_ERR_NOTFOUND when neither has it (the kernel fails the load then).
 */
static int copy_property(const struct sysview *sv, void *fdt, int node, const char *live_node,
			 const char *name)
{
	char path[sizeof(LIVE_DT) + 512];
	uint8_t *val;
	size_t len;
	int ret;

	snprintf(path, sizeof(path), "%s/%s", live_node, name);
	ret = sysview_read_file(sv, path, &val, &len);
	if (ret == -ENOENT)
		return fdt_getprop(fdt, node, name, NULL) ? fdt_delprop(fdt, node, name) :
							     -FDT_ERR_NOTFOUND;
	if (ret) {
		kx_error("%s%s: %s", sv->root, path, sysview_strerror(ret));
		return -FDT_ERR_BADVALUE;
	}
	ret = len > INT32_MAX ? -FDT_ERR_BADVALUE : fdt_setprop(fdt, node, name, val, (int)len);
	free(val);
	return ret;
}

/*
 * update_pci_dma_nodes(): on an LPAR (the firmware's /rtas has
 * ibm,hypertas-functions: FW_FEATURE_LPAR), every node whose live copy has
 * the DMA-window property gets its ibm,dma-window and that property from the
 * live tree, in the root's child of the same name. Nodes in the boot blob's
 * order (the live tree's, for nodes present at boot).
 */
static int update_pci_dma_nodes(const struct plan *plan, void *fdt, const void *src,
				const char *dmapropname)
{
	char path[256], live[sizeof(LIVE_DT) + 256], prop[sizeof(LIVE_DT) + 320];
	int off, node, ret = 0;

	if (!sysview_exists(plan->sv, LIVE_DT "/rtas/ibm,hypertas-functions"))
		return 0;
	for (off = fdt_next_node(src, -1, NULL); off >= 0 && ret >= 0;
	     off = fdt_next_node(src, off, NULL)) {
		/* the root's full name, "/", names no child */
		if (!off || fdt_get_path(src, off, path, sizeof(path)))
			continue;
		snprintf(live, sizeof(live), LIVE_DT "%s", path);
		snprintf(prop, sizeof(prop), "%s/%s", live, dmapropname);
		if (!sysview_exists(plan->sv, prop))
			continue;
		node = fdt_subnode_offset(fdt, 0, fdt_get_name(src, off, NULL));
		if (node < 0)
			continue;
		kx_debug("ppc64: %s: %s and ibm,dma-window from the live tree", path, dmapropname);
		ret = copy_property(plan->sv, fdt, node, live, "ibm,dma-window");
		if (ret >= 0)
			ret = copy_property(plan->sv, fdt, node, live, dmapropname);
		if (ret < 0)
			kx_error("next kernel's device tree: %s of %s: %s", dmapropname, path,
				 fdt_strerror(ret));
	}
	return ret < 0 ? -EINVAL : 0;
}

static int setup_new_fdt_ppc64(const struct plan *plan, void *fdt, const void *src)
{
	struct ppc64_mem_ranges rmem;
	unsigned int i;
	int ret;

	if (plan->crash) {
		ret = setup_crash_fdt_ppc64(plan, fdt, src);
		if (ret)
			return ret;
	}
	ret = update_cpus_node(fdt, src);
	if (ret < 0) {
		kx_error("%s/sys/firmware/fdt: cannot update the /cpus node: %s", plan->sv->root,
			 fdt_strerror(ret));
		return -EINVAL;
	}
	ret = update_pci_dma_nodes(plan, fdt, src, "linux,direct64-ddr-window-info");
	if (!ret)
		ret = update_pci_dma_nodes(plan, fdt, src, "linux,dma64-ddr-window-info");
	if (ret)
		return ret;
	ret = get_reserved_memory_ranges(plan->sv, &rmem);
	if (ret)
		return ret;
	for (i = 0; i < rmem.nr_ranges; i++) {
		ret = fdt_add_mem_rsv(fdt, rmem.ranges[i].start,
				      rmem.ranges[i].end - rmem.ranges[i].start + 1);
		if (ret) {
			kx_error("next kernel's device tree: error updating memory reserve map: %s",
				 fdt_strerror(ret));
			return -EINVAL;
		}
	}
	return 0;
}

/*
 * kexec-tools' --dtb/--devicetreeblob: the user's blob is the device tree
 * the new one starts from, instead of the running machine's.
 */
static int check_dtb(const struct kexec_inputs *in, const char *name)
{
	int ret;

	if (in->dtb_len < sizeof(struct fdt_header)) {
		kx_error("%s: not a flattened device tree: %zu bytes, shorter than its header", name,
			 in->dtb_len);
		return -EINVAL;
	}
	ret = fdt_check_header(in->dtb);
	if (ret) {
		kx_error("%s: not a flattened device tree: %s", name, fdt_strerror(ret));
		return -EINVAL;
	}
	if (fdt_totalsize(in->dtb) > in->dtb_len) {
		kx_error("%s: truncated device tree: its header says %u bytes, the file has %zu", name,
			 fdt_totalsize(in->dtb), in->dtb_len);
		return -EINVAL;
	}
	return 0;
}

/*
 * kexec-tools' --reuseinitrd (fs2dt's checkprop()): the running kernel's
 * /chosen/linux,initrd-{start,end}, which retain_initrd kept in memory, go
 * into the new tree as they are, reserved; there is no initrd segment.
 */
static int get_retained_initrd(const struct sysview *sv, uint64_t *start, uint64_t *len)
{
	static const char *const props[] = {
		LIVE_DT "/chosen/linux,initrd-start", LIVE_DT "/chosen/linux,initrd-end",
	};
	uint64_t val[2];
	int i, ret;

	for (i = 0; i < 2; i++) {
		ret = of_property_read_u64(sv, props[i], &val[i]);
		if (ret) {
			kx_error("--reuseinitrd: %s%s: %s: the running kernel has no initrd to reuse",
				 sv->root, props[i], ret == -EINVAL ? "missing" :
				 ret == -EOVERFLOW ? "shorter than 8 bytes" : sysview_strerror(ret));
			return ret;
		}
	}
	if (val[1] <= val[0]) {
		kx_error("--reuseinitrd: %s" LIVE_DT "/chosen: linux,initrd-end 0x%" PRIx64
			 " is not above linux,initrd-start 0x%" PRIx64, sv->root, val[1], val[0]);
		return -EINVAL;
	}
	kx_debug("ppc64: --reuseinitrd: the retained initrd 0x%" PRIx64 "-0x%" PRIx64, val[0], val[1]);
	*start = val[0];
	*len = val[1] - val[0];
	return 0;
}

static int set_symbol64(struct purgatory_info *pi, const char *name, uint64_t val)
{
	uint8_t buf[8];

	put_le64(buf, val);
	return kexec_purgatory_get_set_symbol(pi, name, buf, sizeof(buf), false);
}

/*
 * On OPAL (powernv) firmware the purgatory hands the next kernel OPAL's base
 * and entry (r8, r9); the kernel fails the load when the node lacks either.
 */
static int setup_opal_symbols(const struct plan *plan, struct purgatory_info *pi)
{
	static const char *const props[][2] = {
		{ "opal-base-address", "opal_base" },
		{ "opal-entry-address", "opal_entry" },
	};
	char path[128];
	uint64_t val;
	size_t i;
	int ret;

	if (!sysview_exists(plan->sv, LIVE_DT "/ibm,opal"))
		return 0;
	for (i = 0; i < sizeof(props) / sizeof(props[0]); i++) {
		snprintf(path, sizeof(path), LIVE_DT "/ibm,opal/%s", props[i][0]);
		ret = of_property_read_u64(plan->sv, path, &val);
		if (ret) {
			kx_error("%s%s: %s: the kernel fails the load", plan->sv->root, path,
				 ret == -EINVAL ? "absent" :
				 ret == -EOVERFLOW ? "shorter than 8 bytes" : sysview_strerror(ret));
			return ret;
		}
		ret = set_symbol64(pi, props[i][1], val);
		if (ret)
			return ret;
	}
	return 0;
}

/* setup_purgatory() + setup_purgatory_ppc64(). */
static int setup_purgatory_ppc64(struct plan *plan, struct purgatory_info *pi,
				 const uint8_t *slave_code, uint64_t kernel_load_addr,
				 uint64_t fdt_load_addr)
{
	uint8_t slave_code_buf[SLAVE_CODE_SIZE];
	int ret;

	ret = kexec_purgatory_get_set_symbol(pi, "purgatory_start", slave_code_buf,
					     SLAVE_CODE_SIZE, true);
	if (ret)
		return ret;
	/* the purgatory's first instruction stays, the kernel's slave code follows */
	memcpy(slave_code_buf + 4, slave_code + 4, SLAVE_CODE_SIZE - 4);
	ret = kexec_purgatory_get_set_symbol(pi, "purgatory_start", slave_code_buf,
					     SLAVE_CODE_SIZE, false);
	if (!ret)
		ret = set_symbol64(pi, "kernel", kernel_load_addr);
	if (!ret)
		ret = set_symbol64(pi, "dt_offset", fdt_load_addr);
	/* the relocatable kdump kernel runs where it is loaded: the word at 0x5c */
	if (!ret && plan->crash) {
		uint8_t one[4];

		put_le32(one, 1);
		ret = kexec_purgatory_get_set_symbol(pi, "run_at_load", one, sizeof(one), false);
	}
	if (!ret)
		ret = set_symbol64(pi, "backup_start",
				   ((const struct ppc64_state *)plan->arch_data)->backup_start);
	if (!ret)
		ret = setup_opal_symbols(plan, pi);
	return ret;
}

/*
 * The initrd and the device tree: memsz is the size, page aligned, below the
 * RMA limit kbuf already carries.
 */
static int ppc64_add_buffer(struct kexec_buf *kbuf, const void *buffer, size_t size,
			    bool top_down, const char *what)
{
	int ret;

	kbuf->buffer = buffer;
	kbuf->bufsz = kbuf->memsz = size;
	kbuf->buf_align = kbuf->plan->page_size;
	kbuf->top_down = top_down;
	kbuf->mem = KEXEC_BUF_MEM_UNKNOWN;
	kbuf->what = what;
	ret = kexec_add_buffer(kbuf);
	if (ret)
		return ret;
	kx_debug("Loaded %s at 0x%" PRIx64, what, kbuf->mem);
	return 0;
}

static int elf64_load(struct plan *plan, const struct kexec_inputs *in)
{
	struct ppc64_state *st;
	struct kexec_elf_info elf_info;
	struct kexec_buf kbuf = { .plan = plan, .what = "kernel" };
	struct kexec_buf pbuf = { .plan = plan, .top_down = true, .mem = KEXEC_BUF_MEM_UNKNOWN,
				  .what = "purgatory" };
	uint64_t first_memblock_size;
	struct kexec_fdt_params fp = { 0 };
	struct kexec_fdt_crash crash = { 0 };
	const char *cmdline = in->cmdline_len ? in->cmdline : NULL;
	uint64_t kernel_load_addr, initrd_load_addr = 0, initrd_len = 0, fdt_load_addr;
	uint8_t *src = NULL;
	size_t src_len;
	void *fdt = NULL;
	size_t fdt_size;
	const char *dtb_name = in->req && in->req->dtb ? in->req->dtb : "--dtb";
	const char *why;
	int ret;

	if (!in->pi) {
		kx_error("ppc64: the ELF loader needs a purgatory");
		return -EINVAL;
	}
	if (in->dtb) {
		ret = check_dtb(in, dtb_name);
		if (ret)
			return ret;
		plan_note_variant(plan, "--dtb: the device tree starts from the given blob, as kexec-tools' ppc64 loader takes it; the kernel's plan starts from the running machine's");
	}
	/* get_exclude_memory_ranges() keeps it out of placement (retain_initrd) */
	if (in->req && in->req->reuse_initrd) {
		ret = get_retained_initrd(plan->sv, &initrd_load_addr, &initrd_len);
		if (ret)
			return ret;
		plan_note_variant(plan, "--reuseinitrd: no initrd segment; the device tree names the initrd retain_initrd kept in memory, as kexec-tools' ppc64 loader does; the kernel's plan loads one from a file");
	}
	st = plan_alloc(plan, sizeof(*st), "ppc64 memory ranges");
	if (!st)
		return -ENOMEM;
	plan->arch_data = st;
	ret = ppc64_memblock_init(plan->sv, &st->memblock, &first_memblock_size);
	if (!ret)
		ret = ppc64_rma_size(plan->sv, first_memblock_size, &st->rma_size);
	if (!ret)
		ret = get_exclude_memory_ranges(plan->sv, &st->exclude);
	if (!ret && plan->crash && ppc64_crash_region(plan, &st->crashk)) {
		kx_error("crash load: no crash region in %s" LIVE_DT "/chosen (boot with crashkernel=)",
			 plan->sv->root);
		ret = -EADDRNOTAVAIL;
	}
	if (ret)
		goto out_arch_data;
	kbuf.buf_max = pbuf.buf_max = st->rma_size;
	if (plan->crash) {
		kbuf.buf_min = pbuf.buf_min = st->crashk.start;
		kbuf.buf_max = pbuf.buf_max = st->crashk.end < st->rma_size ?
					      st->crashk.end : st->rma_size - 1;
	}

	if (elf64_read_info(in->kernel, in->kernel_len, &elf_info, &why)) {
		kx_error("%s: %s", in->kernel_name, why);
		ret = -ENOEXEC;
		goto out_arch_data;
	}
	/* setup_purgatory() copies the slave code from the first program header's offset */
	if (!elf_info.ehdr.e_phnum || in->kernel_len < SLAVE_CODE_SIZE ||
	    elf_info.proghdrs[0].p_offset > in->kernel_len - SLAVE_CODE_SIZE) {
		kx_error("%s: no %d bytes of slave code at the first program header's offset",
			 in->kernel_name, SLAVE_CODE_SIZE);
		ret = -ENOEXEC;
		goto out_free_elf_info;
	}
	ret = kexec_elf_load(&elf_info, &kbuf, &kernel_load_addr);
	if (ret)
		goto out_free_elf_info;
	kx_debug("Loaded the kernel at 0x%" PRIx64, kernel_load_addr);

	ret = kexec_load_purgatory(plan, in->pi, &pbuf);
	if (ret)
		goto out_free_elf_info;
	kx_debug("Loaded purgatory at 0x%" PRIx64, pbuf.mem);

	if (plan->crash) {
		ret = load_crashdump_segments_ppc64(plan, &kbuf);
		if (!ret) {
			cmdline = setup_kdump_cmdline(plan, in->cmdline, in->cmdline_len);
			if (!cmdline)
				ret = -EINVAL;
		}
		if (ret)
			goto out_free_elf_info;
	}

	if (in->initrd) {
		ret = ppc64_add_buffer(&kbuf, in->initrd, in->initrd_len, false, "initrd");
		if (ret)
			goto out_free_elf_info;
		initrd_load_addr = kbuf.mem;
		initrd_len = in->initrd_len;
	}

	ret = ppc64_read_fdt(plan->sv, &src, &src_len);
	if (ret)
		goto out_free_elf_info;
	fp.name = in->dtb ? dtb_name : "/sys/firmware/fdt";
	fp.initial_boot_params = in->dtb ? in->dtb : src;
	fp.initial_boot_params_len = in->dtb ? in->dtb_len : src_len;
	fp.page_size = plan->page_size;
	fp.initrd_load_addr = initrd_load_addr;
	fp.initrd_len = initrd_len;
	fp.cmdline = cmdline;
	fp.rng = kexec_fdt_getrandom;
	ret = kexec_extra_fdt_size_ppc64(plan, src, &fp.extra_fdt_size);
	if (ret)
		goto out_free_src;
	if (plan->crash) {
		crash.elf_load_addr = plan->elf_load_addr;
		crash.elf_headers_sz = plan->elf_headers_sz;
		crash.crashk_res.start = st->crashk.start;
		crash.crashk_res.end = st->crashk.end;
		fp.crash = &crash;
	}
	ret = of_kexec_alloc_and_setup_fdt(&fp, &fdt, &fdt_size);
	if (ret)
		goto out_free_src;
	ret = setup_new_fdt_ppc64(plan, fdt, src);
	if (ret)
		goto out_free_fdt;
	fdt_pack(fdt);
	ret = plan_own(plan, fdt);
	if (ret)
		goto out_free_fdt;

	ret = ppc64_add_buffer(&kbuf, fdt, fdt_totalsize(fdt), true, "device tree");
	if (ret)
		goto out_free_src;
	fdt_load_addr = kbuf.mem;

	ret = setup_purgatory_ppc64(plan, in->pi, in->kernel + elf_info.proghdrs[0].p_offset,
				    kernel_load_addr, fdt_load_addr);
	goto out_free_src;

out_free_fdt:
	free(fdt);
out_free_src:
	free(src);
out_free_elf_info:
	kexec_free_elf_info(&elf_info);
out_arch_data:
	plan->arch_data = NULL;
	return ret;
}

const struct kexec_file_ops kexec_elf64_ops = {
	.name = "elf-ppc64",
	.probe = kexec_elf_probe,
	.refusal = kexec_elf_refusal,
	.load = elf64_load,
};
