/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The one set of byte-order helpers: fixed little- and big-endian loads and
 * stores of 16, 32 and 64-bit values at any alignment, and the same "in an
 * ELF file's order" (its EI_DATA byte). Header-only and freestanding (the
 * purgatory and lib/ built without a C library include it too).
 */
#ifndef UKEXEC_BYTEORDER_H
#define UKEXEC_BYTEORDER_H

#include <stdint.h>

/* EI_DATA values (elf.h is not there in a freestanding build) */
#define BYTEORDER_ELFDATA2LSB	1
#define BYTEORDER_ELFDATA2MSB	2

static inline uint16_t get_le16(const void *p)
{
	const uint8_t *b = p;

	return (uint16_t)(b[0] | b[1] << 8);
}

static inline uint32_t get_le32(const void *p)
{
	const uint8_t *b = p;

	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static inline uint64_t get_le64(const void *p)
{
	const uint8_t *b = p;

	return (uint64_t)get_le32(b) | (uint64_t)get_le32(b + 4) << 32;
}

static inline uint16_t get_be16(const void *p)
{
	const uint8_t *b = p;

	return (uint16_t)(b[0] << 8 | b[1]);
}

static inline uint32_t get_be32(const void *p)
{
	const uint8_t *b = p;

	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | (uint32_t)b[3];
}

static inline uint64_t get_be64(const void *p)
{
	const uint8_t *b = p;

	return (uint64_t)get_be32(b) << 32 | (uint64_t)get_be32(b + 4);
}

static inline void put_le16(void *p, uint16_t v)
{
	uint8_t *b = p;

	b[0] = (uint8_t)v;
	b[1] = (uint8_t)(v >> 8);
}

static inline void put_le32(void *p, uint32_t v)
{
	uint8_t *b = p;

	put_le16(b, (uint16_t)v);
	put_le16(b + 2, (uint16_t)(v >> 16));
}

static inline void put_le64(void *p, uint64_t v)
{
	uint8_t *b = p;

	put_le32(b, (uint32_t)v);
	put_le32(b + 4, (uint32_t)(v >> 32));
}

static inline void put_be16(void *p, uint16_t v)
{
	uint8_t *b = p;

	b[0] = (uint8_t)(v >> 8);
	b[1] = (uint8_t)v;
}

static inline void put_be32(void *p, uint32_t v)
{
	uint8_t *b = p;

	put_be16(b, (uint16_t)(v >> 16));
	put_be16(b + 2, (uint16_t)v);
}

static inline void put_be64(void *p, uint64_t v)
{
	uint8_t *b = p;

	put_be32(b, (uint32_t)(v >> 32));
	put_be32(b + 4, (uint32_t)v);
}

/* In the order of an ELF file whose EI_DATA is ei_data (MSB: big-endian). */
static inline uint16_t elf_get16(uint8_t ei_data, const void *p)
{
	return ei_data == BYTEORDER_ELFDATA2MSB ? get_be16(p) : get_le16(p);
}

static inline uint32_t elf_get32(uint8_t ei_data, const void *p)
{
	return ei_data == BYTEORDER_ELFDATA2MSB ? get_be32(p) : get_le32(p);
}

static inline uint64_t elf_get64(uint8_t ei_data, const void *p)
{
	return ei_data == BYTEORDER_ELFDATA2MSB ? get_be64(p) : get_le64(p);
}

static inline void elf_put16(uint8_t ei_data, void *p, uint16_t v)
{
	if (ei_data == BYTEORDER_ELFDATA2MSB)
		put_be16(p, v);
	else
		put_le16(p, v);
}

static inline void elf_put32(uint8_t ei_data, void *p, uint32_t v)
{
	if (ei_data == BYTEORDER_ELFDATA2MSB)
		put_be32(p, v);
	else
		put_le32(p, v);
}

static inline void elf_put64(uint8_t ei_data, void *p, uint64_t v)
{
	if (ei_data == BYTEORDER_ELFDATA2MSB)
		put_be64(p, v);
	else
		put_le64(p, v);
}

/* A container of size 1, 2, 4 or 8 bytes (relocation fields); else 0. */
static inline uint64_t elf_get(uint8_t ei_data, const void *p, unsigned int size)
{
	switch (size) {
	case 1:
		return *(const uint8_t *)p;
	case 2:
		return elf_get16(ei_data, p);
	case 4:
		return elf_get32(ei_data, p);
	case 8:
		return elf_get64(ei_data, p);
	}
	return 0;
}

static inline void elf_put(uint8_t ei_data, void *p, unsigned int size, uint64_t v)
{
	switch (size) {
	case 1:
		*(uint8_t *)p = (uint8_t)v;
		break;
	case 2:
		elf_put16(ei_data, p, (uint16_t)v);
		break;
	case 4:
		elf_put32(ei_data, p, (uint32_t)v);
		break;
	case 8:
		elf_put64(ei_data, p, v);
		break;
	}
}

#endif
