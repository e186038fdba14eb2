// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The few string functions the freestanding purgatory needs. The compiler may
 * emit calls to memcpy/memset/memcmp even with -fno-builtin (struct copies,
 * large initialisers), so the purgatory must define them itself; otherwise it
 * links with an undefined memcpy, which the build rejects.
 */
#include <stddef.h>
#include "purgatory-string.h"

void *memcpy(void *dest, const void *src, size_t n)
{
	unsigned char *d = dest;
	const unsigned char *s = src;

	while (n--)
		*d++ = *s++;
	return dest;
}

void *memset(void *s, int c, size_t n)
{
	unsigned char *p = s;

	while (n--)
		*p++ = (unsigned char)c;
	return s;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x < *y ? -1 : 1;
	return 0;
}
