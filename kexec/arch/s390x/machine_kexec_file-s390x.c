// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The components of an s390 kexec_file load, in the order and at the
 * addresses arch/s390/kernel/machine_kexec_file.c (Linux 6.1) gives them:
 *
 *   kernel     at 0 (crash: crashk_res.start), the whole image
 *   initrd     at the next page after the kernel; its offset and size go
 *              into the parmarea
 *   purgatory  at the next page after that (the fixed purgatory address of
 *              the 2018 series' patch 10: kbuf.mem preset, no hole search)
 *   IPL report at the next page after the purgatory; its offset goes into
 *              the image's lowcore (ipl_parmblock_ptr)
 *
 * Offsets are counted from the kernel's address (data->memsz); crash loads
 * add crashk_res.start, because the purgatory swaps the crash region to 0
 * before it starts the kernel. A normal load starts at address 0: the image's
 * first doubleword becomes a restart PSW that points at the purgatory, and
 * the entry is 0.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "byteorder.h"
#include "arch.h"
#include "log.h"
#include "plan.h"
#include "purgatory.h"
#include "s390x.h"
#include "sysview.h"


uint8_t *s390_copy_kernel(struct plan *plan, const struct kexec_inputs *in)
{
	uint8_t *buf = plan_alloc(plan, in->kernel_len, in->kernel_name);

	if (buf)
		memcpy(buf, in->kernel, in->kernel_len);
	return buf;
}

int s390_crash_region(const struct plan *plan, uint64_t *start, uint64_t *size)
{
	const struct iomem_res *crashk = sysview_crashk_res(plan->sv);

	if (!crashk) {
		kx_error("crash load: no \"Crash kernel\" region in %s/proc/iomem (boot with crashkernel=)",
			 plan->sv->root);
		return -EADDRNOTAVAIL;
	}
	*start = crashk->start;
	*size = crashk->end - crashk->start + 1;
	return 0;
}

/* The symbols the s390 purgatory reads: where to enter, how, and the crash region. */
static int kexec_file_update_purgatory(struct plan *plan, struct purgatory_info *pi)
{
	uint64_t crash_start, crash_size;
	uint8_t entry[8], type[8], val[8];
	int ret;

	if (plan->crash) {
		elf_put64(plan->arch->ei_data, entry, S390_STARTUP_KDUMP_OFFSET);
		elf_put64(plan->arch->ei_data, type, S390_KEXEC_TYPE_CRASH);
	} else {
		elf_put64(plan->arch->ei_data, entry, S390_STARTUP_NORMAL_OFFSET);
		elf_put64(plan->arch->ei_data, type, S390_KEXEC_TYPE_DEFAULT);
	}
	ret = kexec_purgatory_get_set_symbol(pi, "kernel_entry", entry, sizeof(entry), false);
	if (ret)
		return ret;
	ret = kexec_purgatory_get_set_symbol(pi, "kernel_type", type, sizeof(type), false);
	if (ret)
		return ret;
	if (!plan->crash)
		return 0;

	ret = s390_crash_region(plan, &crash_start, &crash_size);
	if (ret)
		return ret;
	elf_put64(plan->arch->ei_data, val, crash_start);
	ret = kexec_purgatory_get_set_symbol(pi, "crash_start", val, sizeof(val), false);
	if (ret)
		return ret;
	elf_put64(plan->arch->ei_data, val, crash_size);
	return kexec_purgatory_get_set_symbol(pi, "crash_size", val, sizeof(val), false);
}

static int kexec_file_add_purgatory(struct plan *plan, const struct kexec_inputs *in,
				    struct s390_load_data *data, uint64_t crash_start)
{
	struct kexec_buf kbuf = { .plan = plan, .what = "purgatory" };
	int ret;

	data->memsz = ALIGN_UP(data->memsz, plan->page_size);
	kbuf.mem = data->memsz + crash_start;

	ret = kexec_load_purgatory(plan, in->pi, &kbuf);
	if (ret)
		return ret;
	/* kexec_add_buffer has rounded kbuf.memsz up to whole pages */
	data->memsz += kbuf.memsz;

	return kexec_file_update_purgatory(plan, in->pi);
}

static int kexec_file_add_initrd(struct plan *plan, const struct kexec_inputs *in,
				 struct s390_load_data *data, uint64_t crash_start)
{
	struct kexec_buf kbuf = { .plan = plan, .what = "initrd" };
	int ret;

	kbuf.buffer = in->initrd;
	kbuf.bufsz = in->initrd_len;

	data->memsz = ALIGN_UP(data->memsz, plan->page_size);
	kbuf.mem = data->memsz + crash_start;
	kbuf.memsz = kbuf.bufsz;

	/* the parmarea holds the offset from the kernel, and the exact size */
	elf_put64(plan->arch->ei_data, data->parm + S390_PARM_INITRD_START, data->memsz);
	elf_put64(plan->arch->ei_data, data->parm + S390_PARM_INITRD_SIZE, kbuf.memsz);
	data->memsz += kbuf.memsz;

	ret = kexec_add_buffer(&kbuf);
	if (ret)
		return ret;
	/* after kexec_add_buffer: the component's length is page-rounded */
	return ipl_report_add_component(data->report, &kbuf, 0, 0);
}

static int kexec_file_add_ipl_report(struct plan *plan, struct s390_load_data *data,
				     uint64_t crash_start)
{
	struct kexec_buf kbuf = { .plan = plan, .what = "IPL report" };

	data->memsz = ALIGN_UP(data->memsz, plan->page_size);
	kbuf.mem = data->memsz;

	/*
	 * The kernel appends the certificates of its own IPL report (secure
	 * boot) here; user space cannot read them, and ipl_report_init has
	 * said so if there could be any. Without them the report is the IPL
	 * parameter block, the component list and an empty certificate list.
	 */
	kbuf.buffer = ipl_report_finish(plan, data->report);
	if (!kbuf.buffer)
		return -ENOMEM;
	kbuf.bufsz = data->report->size;
	kbuf.memsz = kbuf.bufsz;

	data->memsz += kbuf.memsz;

	/* where the next kernel finds it, as seen after the crash swap */
	elf_put32(plan->arch->ei_data, data->kernel_buf + S390_LC_IPL_PARMBLOCK_PTR, (uint32_t)kbuf.mem);

	kbuf.mem += crash_start;
	return kexec_add_buffer(&kbuf);
}

int kexec_file_add_components(struct plan *plan, const struct kexec_inputs *in,
			      s390_add_kernel_fn add_kernel)
{
	uint64_t max_command_line_size = S390_LEGACY_COMMAND_LINE_SIZE;
	uint64_t crash_start = 0, crash_size = 0, minsize, parm_max;
	struct s390_load_data data = { 0 };
	int ret;

	if (plan->crash) {
		ret = s390_crash_region(plan, &crash_start, &crash_size);
		if (ret)
			return ret;
	}
	data.report = calloc(1, sizeof(*data.report));
	if (!data.report) {
		kx_error("IPL report: out of memory");
		return -ENOMEM;
	}
	ret = ipl_report_init(data.report, plan->sv);
	if (ret)
		goto out;

	ret = add_kernel(plan, in, &data);
	if (ret)
		goto out;

	ret = -EINVAL;
	minsize = S390_PARMAREA + S390_PARM_COMMAND_LINE;
	if (in->kernel_len < minsize || data.parm_room < S390_PARM_COMMAND_LINE) {
		kx_error("%s: too small for an s390 kernel (0x%zx bytes; the parameter area ends at 0x%" PRIx64 ")",
			 in->kernel_name, in->kernel_len, minsize);
		goto out;
	}
	parm_max = elf_get64(plan->arch->ei_data, data.parm + S390_PARM_MAX_COMMAND_LINE_SIZE);
	if (parm_max)
		max_command_line_size = parm_max;
	if (minsize + max_command_line_size < minsize ||
	    in->kernel_len < minsize + max_command_line_size ||
	    data.parm_room < S390_PARM_COMMAND_LINE + max_command_line_size) {
		kx_error("%s: the image is shorter than its command line area (0x%" PRIx64
			 " bytes at 0x%x)", in->kernel_name, max_command_line_size,
			 S390_PARMAREA + S390_PARM_COMMAND_LINE);
		goto out;
	}
	if (in->cmdline_len >= max_command_line_size) {
		kx_error("command line too long: %zu bytes, %s takes at most %" PRIu64,
			 in->cmdline_len, in->kernel_name, max_command_line_size - 1);
		goto out;
	}
	/* only the new line and its NUL: the image's default stays behind it */
	memcpy(data.parm + S390_PARM_COMMAND_LINE, in->cmdline, in->cmdline_len);

	if (plan->crash) {
		elf_put64(plan->arch->ei_data, data.parm + S390_PARM_OLDMEM_BASE, crash_start);
		elf_put64(plan->arch->ei_data, data.parm + S390_PARM_OLDMEM_SIZE, crash_size);
	}

	if (in->initrd_name) {
		if (!in->initrd_len) {
			kx_error("%s: the initrd is empty", in->initrd_name);
			goto out;
		}
		ret = kexec_file_add_initrd(plan, in, &data, crash_start);
		if (ret)
			goto out;
	}

	ret = kexec_file_add_purgatory(plan, in, &data, crash_start);
	if (ret)
		goto out;

	if (data.kernel_mem == 0) {
		/* enter through a load-normal reset: the PSW at 0 points at the purgatory */
		elf_put64(plan->arch->ei_data, data.kernel_buf, S390_RESTART_PSW + plan->entry);
		plan->entry = 0;
	}

	ret = kexec_file_add_ipl_report(plan, &data, crash_start);
out:
	free(data.report);
	return ret;
}
