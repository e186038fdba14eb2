// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <string.h>
#include "arch.h"
#include "config.h"

static const struct arch *const arches[] = {
	&arch_x86_64, &arch_s390x, &arch_ppc64, &arch_arm64,
};

const struct arch *arch_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(arches) / sizeof(arches[0]); i++)
		if (!strcmp(arches[i]->name, name))
			return arches[i];
	/* the names uname -m and Debian use */
	if (!strcmp(name, "s390"))
		return &arch_s390x;
	if (!strcmp(name, "ppc64le") || !strcmp(name, "powerpc64le"))
		return &arch_ppc64;
	if (!strcmp(name, "aarch64"))
		return &arch_arm64;
	if (!strcmp(name, "amd64"))
		return &arch_x86_64;
	return NULL;
}

const struct arch *arch_native(void)
{
	return arch_find(UKEXEC_NATIVE_ARCH);
}

#ifdef HAVE_PURGATORY
extern const unsigned char kexec_purgatory[];
extern const size_t kexec_purgatory_size;
#endif

int arch_embedded_purgatory(const struct arch *arch, const uint8_t **buf, size_t *len)
{
#ifdef HAVE_PURGATORY
	if (arch == arch_native()) {
		*buf = kexec_purgatory;
		*len = kexec_purgatory_size;
		return 0;
	}
#endif
	if (arch->embedded_purgatory) {
		*buf = arch->embedded_purgatory;
		*len = *arch->embedded_purgatory_size;
		return 0;
	}
	*buf = NULL;
	*len = 0;
	return -ENOENT;
}
