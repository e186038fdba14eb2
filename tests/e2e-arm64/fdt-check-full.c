// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * For boot.sh's static arm64 build, whose libfdt is the one in Debian's
 * linux-source-6.1 (scripts/dtc/libfdt; no arm64 libfdt-dev installs here
 * without multiarch): that copy predates fdt_check_full(), which
 * kexec/fdt.c calls. The same contract: 0 when the blob's header, size and
 * structure block are sound, a negative FDT_ERR_ code otherwise.
 */
#include <libfdt.h>

int fdt_check_full(const void *fdt, size_t bufsize)
{
	int offset = 0, depth = 0, next, len, err;
	const char *name;

	if (bufsize < FDT_V1_SIZE)
		return -FDT_ERR_TRUNCATED;
	err = fdt_check_header(fdt);
	if (err)
		return err;
	if (bufsize < fdt_totalsize(fdt))
		return -FDT_ERR_TRUNCATED;
	for (;;) {
		uint32_t tag = fdt_next_tag(fdt, offset, &next);

		if (next < 0)
			return next;
		switch (tag) {
		case FDT_BEGIN_NODE:
			depth++;
			break;
		case FDT_END_NODE:
			if (--depth < 0)
				return -FDT_ERR_BADSTRUCTURE;
			break;
		case FDT_PROP:
			if (!fdt_getprop_by_offset(fdt, offset, &name, &len))
				return len < 0 ? len : -FDT_ERR_BADSTRUCTURE;
			break;
		case FDT_NOP:
			break;
		case FDT_END:
			return depth ? -FDT_ERR_BADSTRUCTURE : 0;
		default:
			return -FDT_ERR_BADSTRUCTURE;
		}
		offset = next;
	}
}
