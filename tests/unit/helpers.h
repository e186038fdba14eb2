/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Helpers shared by the C tests: a log sink that keeps the error messages
 * (count and last one) for the assertions, and reading a whole file.
 */
#ifndef UKEXEC_TESTS_HELPERS_H
#define UKEXEC_TESTS_HELPERS_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include "log.h"

static unsigned int nr_errors;
static char last_error[1024];

/* kx_set_log_sink(capture, NULL): count the errors, keep the last one. */
static inline void capture(enum kx_level level, const char *msg, void *arg)
{
	(void)arg;
	if (level == KX_ERROR) {
		nr_errors++;
		snprintf(last_error, sizeof(last_error), "%s", msg);
	}
}

static inline void reset_errors(void)
{
	nr_errors = 0;
	last_error[0] = 0;
}

/* The whole of path in a malloc'd buffer, NULL if it cannot be read or is empty. */
static inline uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (!fseek(f, 0, SEEK_END) && (n = ftell(f)) > 0 && !fseek(f, 0, SEEK_SET)) {
		buf = malloc(n);
		if (buf && fread(buf, 1, n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		}
		*len = n;
	}
	fclose(f);
	return buf;
}

#endif
