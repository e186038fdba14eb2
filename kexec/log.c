// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdio.h>
#include <stdlib.h>
#include "log.h"

static enum kx_level verbosity = KX_INFO;
static kx_log_sink log_sink;
static void *log_sink_arg;

/* What each level's line starts with; KX_INFO goes to stdout, the rest to stderr. */
static const char *const level_prefix[] = {
	[KX_ERROR] = "kexec: ",
	[KX_WARN] = "kexec: warning: ",
	[KX_INFO] = "",
	[KX_DEBUG] = "",
};

void kx_set_verbosity(enum kx_level max_level)
{
	verbosity = max_level;
}

int kx_debug_enabled(void)
{
	return verbosity >= KX_DEBUG;
}

void kx_set_log_sink(kx_log_sink sink, void *arg)
{
	log_sink = sink;
	log_sink_arg = arg;
}

void kx_log(enum kx_level level, const char *fmt, ...)
{
	char small[1024], *msg = small;
	va_list ap;
	int len;

	if (level > verbosity)
		return;
	va_start(ap, fmt);
	len = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	/* a long line (a path, a command line) must not lose its reason at the end */
	if (len >= (int)sizeof(small)) {
		msg = malloc((size_t)len + 1);
		if (msg) {
			va_start(ap, fmt);
			vsnprintf(msg, (size_t)len + 1, fmt, ap);
			va_end(ap);
		} else {
			msg = small;
		}
	}
	if (log_sink) {
		log_sink(level, msg, log_sink_arg);
		goto out_free;
	}
	if (level <= KX_DEBUG)
		fprintf(level == KX_INFO ? stdout : stderr, "%s%s\n", level_prefix[level], msg);
out_free:
	if (msg != small)
		free(msg);
}
