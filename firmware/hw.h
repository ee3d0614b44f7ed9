/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Port I/O and MMIO for the modules that are built twice (fw_cfg, PCI,
 * virtio). In the guest these are single instructions. In a host build
 * they are plain functions that a unit test or fuzz target defines: the
 * fake machine in tests/unit/fw-fake.c answers them.
 */
#ifndef SEVM_FIRMWARE_HW_H
#define SEVM_FIRMWARE_HW_H

#include "firmware/fwtypes.h"

#ifdef SEVM_FIRMWARE

static inline void outb(u16 port, u8 v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outw(u16 port, u16 v)
{
	__asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outl(u16 port, u32 v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline u8 inb(u16 port)
{
	u8 v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline u32 inl(u16 port)
{
	u32 v;

	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

/* len bytes from one port (rep insb: one exit for the whole string). */
static inline void insb(u16 port, void *buf, u32 len)
{
	u64 n = len;

	__asm__ volatile("rep insb"
			 : "+D"(buf), "+c"(n) : "d"(port) : "memory");
}

#define FW_MMIO_ACCESSORS(bits)						\
static inline u##bits mmio_read##bits(u64 addr)				\
{									\
	return *(volatile u##bits *)addr;				\
}									\
static inline void mmio_write##bits(u64 addr, u##bits v)		\
{									\
	*(volatile u##bits *)addr = v;					\
}
FW_MMIO_ACCESSORS(8)
FW_MMIO_ACCESSORS(16)
FW_MMIO_ACCESSORS(32)
#undef FW_MMIO_ACCESSORS

static inline void cpu_relax(void)
{
	__asm__ volatile("pause" ::: "memory");
}

#else /* host build: defined by the test's fake machine */

void outb(u16 port, u8 v);
void outw(u16 port, u16 v);
void outl(u16 port, u32 v);
u8 inb(u16 port);
u32 inl(u16 port);
void insb(u16 port, void *buf, u32 len);
u8 mmio_read8(u64 addr);
u16 mmio_read16(u64 addr);
u32 mmio_read32(u64 addr);
void mmio_write8(u64 addr, u8 v);
void mmio_write16(u64 addr, u16 v);
void mmio_write32(u64 addr, u32 v);
/* Where a guest would wait: the fake machine may make progress here. */
void cpu_relax(void);

#endif

/* The compiler must not move memory accesses across this point. */
static inline void fw_barrier(void)
{
	__asm__ volatile("" ::: "memory");
}

/* A pointer's address as a device sees it (identity map, or the host). */
static inline u64 fw_addr(const volatile void *p)
{
	return (u64)(uintptr_t)p;
}

#endif /* SEVM_FIRMWARE_HW_H */
