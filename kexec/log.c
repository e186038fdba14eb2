// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdio.h>
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
	char msg[1024];
	va_list ap;

	if (level > verbosity)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (log_sink) {
		log_sink(level, msg, log_sink_arg);
		return;
	}
	if (level <= KX_DEBUG)
		fprintf(level == KX_INFO ? stdout : stderr, "%s%s\n", level_prefix[level], msg);
}
