// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness: the command line. The input is split at NUL bytes into
 * at most 64 arguments after "kexec"; options_parse() must refuse or accept
 * each without reading outside them.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "fuzz-common.h"
#include "log.h"
#include "request.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *argv[66], *copy;
	struct request req;
	int argc = 0;
	size_t i, start = 0;

	kx_set_log_sink(fuzz_quiet, NULL);
	copy = malloc(size + 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	argv[argc++] = (char *)"kexec";
	for (i = 0; i <= size && argc < 65; i++) {
		if (i == size || !copy[i]) {
			argv[argc++] = copy + start;
			start = i + 1;
		}
	}
	argv[argc] = NULL;
	options_parse(&req, argc, argv);
	request_release(&req);
	kx_set_verbosity(KX_INFO);
	free(copy);
	return 0;
}
