/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Messages. The function that detects a problem reports it once, as one line
 * naming the object and the reason, and returns -errno; callers only
 * propagate the error code.
 */
#ifndef UKEXEC_LOG_H
#define UKEXEC_LOG_H

#include <stdarg.h>

enum kx_level { KX_ERROR, KX_WARN, KX_INFO, KX_DEBUG };

/* Set by -d; the only mutable state outside option parsing. */
void kx_set_verbosity(enum kx_level max_level);
int kx_debug_enabled(void);
/* Tests capture messages instead of printing them; NULL restores stderr. */
typedef void (*kx_log_sink)(enum kx_level level, const char *msg, void *arg);
void kx_set_log_sink(kx_log_sink sink, void *arg);

void kx_log(enum kx_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define kx_error(...) kx_log(KX_ERROR, __VA_ARGS__)
#define kx_warn(...) kx_log(KX_WARN, __VA_ARGS__)
#define kx_info(...) kx_log(KX_INFO, __VA_ARGS__)
#define kx_debug(...) kx_log(KX_DEBUG, __VA_ARGS__)

#endif
