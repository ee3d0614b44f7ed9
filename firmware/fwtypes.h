/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Types and helpers for the firmware modules that are built twice: as
 * freestanding guest code and as host objects for the unit tests. Only
 * <stdint.h> and <stddef.h>; memory helpers are the compiler builtins,
 * which become libc calls on the host and firmware/lib.c in the guest.
 */
#ifndef SEVM_FIRMWARE_FWTYPES_H
#define SEVM_FIRMWARE_FWTYPES_H

#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;

#define fw_memcpy	__builtin_memcpy
#define fw_memset	__builtin_memset
#define fw_memmove	__builtin_memmove
#define fw_memcmp	__builtin_memcmp

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

static inline u16 fw_le16(const u8 *p)
{
	return (u16)(p[0] | p[1] << 8);
}

static inline u32 fw_le32(const u8 *p)
{
	return (u32)p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

static inline void fw_put_le16(u8 *p, u16 v)
{
	p[0] = (u8)v;
	p[1] = (u8)(v >> 8);
}

static inline void fw_put_le32(u8 *p, u32 v)
{
	fw_put_le16(p, (u16)v);
	fw_put_le16(p + 2, (u16)(v >> 16));
}

/* Does [a, a + alen) overlap [b, b + blen)? Empty ranges never do. */
static inline int fw_overlaps(u64 a, u64 alen, u64 b, u64 blen)
{
	return alen && blen && a < b + blen && b < a + alen;
}

#endif /* SEVM_FIRMWARE_FWTYPES_H */
