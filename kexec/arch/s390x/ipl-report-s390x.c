// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The IPL report an s390 kexec_file load appends (arch/s390/kernel/ipl.c,
 * Linux 6.1: ipl_report_init, ipl_report_add_component, ipl_report_finish).
 * Its layout, big-endian:
 *
 *   the running system's IPL parameter block (hdr.len bytes), with
 *     IPL_PL_FLAG_IPLSR (and IPL_PL_FLAG_SIPL when secure) set in hdr.flags
 *     (byte 4), padded to 8 bytes
 *   struct ipl_rl_hdr (16):        u32 len of everything from here on
 *   struct ipl_rb_components (16): u32 len, u8 rbt = 2, then 32-byte entries
 *     { u64 addr, u64 len, u8 flags, 5 reserved, u16 certificate_index, 8 reserved }
 *   struct ipl_rb_certificates (16): u32 len, u8 rbt = 1, then 16-byte entries
 *   the certificates themselves
 *
 * The kernel takes the IPL parameter block from its own memory (ipl_block);
 * user space reads it from /sys/firmware/ipl/binary_parameter, which exists
 * for FCP, NVMe and ECKD IPLs. Without a valid block (ipl_type "unknown", as
 * for a QEMU -kernel boot) hdr.len is 0: the flag byte then lands in the
 * report list header, exactly as in the kernel.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "byteorder.h"
#include "arch.h"
#include "log.h"
#include "plan.h"
#include "s390x.h"
#include "sysview.h"


/* The IPL types whose sysfs directory has binary_parameter (ipl.c). */
static bool ipl_type_has_binary_parameter(const char *type)
{
	static const char *const types[] = {
		"fcp", "fcp_dump", "nvme", "nvme_dump", "eckd", "eckd_dump",
	};
	size_t i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (!strcmp(type, types[i]))
			return true;
	return false;
}

static int read_ipl_block(struct ipl_report *report, const struct sysview *sv)
{
	char *type = NULL, *secure = NULL;
	uint8_t *blk = NULL;
	size_t len = 0;
	int ret;

	report->ipib_len = 0;
	/* absent is an older kernel or a recorded machine; present, it must be a file */
	ret = sysview_read_text(sv, "/sys/firmware/ipl/secure", &secure);
	if (!ret) {
		report->secure = !strcmp(secure, "1");
		free(secure);
	} else if (ret != -ENOENT) {
		kx_error("%s/sys/firmware/ipl/secure: %s", sv->root, sysview_strerror(ret));
		return ret;
	}
	if (report->secure)
		kx_warn("secure IPL: the certificates of this system's IPL report are not visible to user space; the new report lists none");

	ret = sysview_read_text(sv, "/sys/firmware/ipl/ipl_type", &type);
	if (ret == -ENOENT) {
		kx_debug("IPL report: no %s/sys/firmware/ipl/ipl_type, IPL parameter block taken as invalid",
			 sv->root);
		return 0;
	}
	if (ret) {
		kx_error("%s/sys/firmware/ipl/ipl_type: %s", sv->root, sysview_strerror(ret));
		return ret;
	}
	if (!ipl_type_has_binary_parameter(type)) {
		if (strcmp(type, "unknown"))
			kx_warn("IPL report: a %s IPL's parameter block is not exported by sysfs; the report carries none",
				type);
		free(type);
		return 0;
	}
	free(type);

	ret = sysview_read_file(sv, "/sys/firmware/ipl/binary_parameter", &blk, &len);
	if (ret) {
		kx_error("%s/sys/firmware/ipl/binary_parameter: %s", sv->root, sysview_strerror(ret));
		return ret;
	}
	if (len < IPL_PL_HDR_SIZE || len > IPL_BLOCK_MAX || get_be32(blk) != len) {
		kx_error("%s/sys/firmware/ipl/binary_parameter: not an IPL parameter block (%zu bytes, header says %" PRIu32 ")",
			 sv->root, len, len >= 4 ? get_be32(blk) : 0);
		free(blk);
		return -EINVAL;
	}
	memcpy(report->ipib, blk, len);
	report->ipib_len = (uint32_t)len;
	free(blk);
	return 0;
}

int ipl_report_init(struct ipl_report *report, const struct sysview *sv)
{
	int ret;

	memset(report, 0, sizeof(*report));
	ret = read_ipl_block(report, sv);
	if (ret)
		return ret;
	report->size = ALIGN_UP(report->ipib_len, 8);
	report->size += IPL_RL_HDR_SIZE;
	report->size += IPL_RB_HDR_SIZE;	/* components */
	report->size += IPL_RB_HDR_SIZE;	/* certificates */
	return 0;
}

int ipl_report_add_component(struct ipl_report *report, const struct kexec_buf *kbuf,
			     uint8_t flags, uint16_t cert)
{
	struct ipl_report_component *comp;

	if (report->nr_comp >= KEXEC_SEGMENT_MAX) {
		kx_error("IPL report: more than %d components", KEXEC_SEGMENT_MAX);
		return -E2BIG;
	}
	comp = &report->comp[report->nr_comp++];
	comp->addr = kbuf->mem;
	comp->len = kbuf->memsz;
	comp->flags = flags;
	comp->certificate_index = cert;
	report->size += IPL_RB_COMPONENT_ENTRY_SIZE;
	return 0;
}

uint8_t *ipl_report_finish(struct plan *plan, struct ipl_report *report)
{
	uint8_t *buf, *ptr, *rl_hdr, *comps, *certs;
	unsigned int i;

	buf = plan_alloc(plan, report->size, "IPL report");
	if (!buf)
		return NULL;
	ptr = buf;

	memcpy(ptr, report->ipib, report->ipib_len);
	/* hdr.flags of the copied block, even when the block is empty */
	if (report->secure)
		ptr[4] |= IPL_PL_FLAG_SIPL;
	ptr[4] |= IPL_PL_FLAG_IPLSR;
	ptr += ALIGN_UP(report->ipib_len, 8);

	rl_hdr = ptr;
	ptr += IPL_RL_HDR_SIZE;

	comps = ptr;
	comps[4] = IPL_RBT_COMPONENTS;
	ptr += IPL_RB_HDR_SIZE;
	for (i = 0; i < report->nr_comp; i++) {
		elf_put64(plan->arch->ei_data, ptr, report->comp[i].addr);
		elf_put64(plan->arch->ei_data, ptr + 8, report->comp[i].len);
		ptr[16] = report->comp[i].flags;
		put_be16(ptr + 22, report->comp[i].certificate_index);
		ptr += IPL_RB_COMPONENT_ENTRY_SIZE;
	}
	elf_put32(plan->arch->ei_data, comps, (uint32_t)(ptr - comps));

	certs = ptr;
	certs[4] = IPL_RBT_CERTIFICATES;
	ptr += IPL_RB_HDR_SIZE;
	elf_put32(plan->arch->ei_data, certs, (uint32_t)(ptr - certs));
	elf_put32(plan->arch->ei_data, rl_hdr, (uint32_t)(ptr - rl_hdr));

	return buf;
}
