/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef UKEXEC_PURGATORY_STRING_H
#define UKEXEC_PURGATORY_STRING_H
#include <stddef.h>
void *memcpy(void *dest, const void *src, size_t n);
void *memset(void *s, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
#endif
