// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The s390 image loader of kexec_file (arch/s390/kernel/kexec_image.c, Linux
 * 6.1): the whole file is one segment at 0 (crash: at the start of the crash
 * region); the parmarea is inside it at PARMAREA.
 */
#include <errno.h>
#include <stdint.h>
#include "arch.h"
#include "plan.h"
#include "s390x.h"

static int kexec_file_add_kernel_image(struct plan *plan, const struct kexec_inputs *in,
				       struct s390_load_data *data)
{
	struct kexec_buf kbuf = { .plan = plan, .what = "kernel" };
	uint64_t crash_start, crash_size;
	uint8_t *kernel;
	int ret;

	kernel = s390_copy_kernel(plan, in);
	if (!kernel)
		return -ENOMEM;
	kbuf.buffer = kernel;
	kbuf.bufsz = in->kernel_len;

	kbuf.mem = 0;
	if (plan->crash) {
		ret = s390_crash_region(plan, &crash_start, &crash_size);
		if (ret)
			return ret;
		kbuf.mem += crash_start;
	}
	kbuf.memsz = kbuf.bufsz;

	data->kernel_buf = kernel;
	data->kernel_mem = kbuf.mem;
	if (in->kernel_len > S390_PARMAREA) {
		data->parm = kernel + S390_PARMAREA;
		data->parm_room = in->kernel_len - S390_PARMAREA;
	}
	data->memsz += kbuf.memsz;

	/* before kexec_add_buffer: the component has the file's exact length */
	ipl_report_add_component(data->report, &kbuf,
				 IPL_RB_COMPONENT_FLAG_SIGNED | IPL_RB_COMPONENT_FLAG_VERIFIED,
				 IPL_RB_CERT_UNKNOWN);
	return kexec_add_buffer(&kbuf);
}

static int s390_image_load(struct plan *plan, const struct kexec_inputs *in)
{
	return kexec_file_add_components(plan, in, kexec_file_add_kernel_image);
}

/*
 * The kernel cannot tell an image from anything else and takes whatever it
 * gets; so does this probe. A file too short to be a kernel is refused by the
 * load, when the parameter area is looked for.
 */
static int s390_image_probe(const uint8_t *buf, size_t len)
{
	(void)buf;
	(void)len;
	return 0;
}

const struct kexec_file_ops s390_kexec_image_ops = {
	.name = "image",
	.probe = s390_image_probe,
	.load = s390_image_load,
};
