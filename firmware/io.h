/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Guest-only: CPUID, MSRs and a few privileged helpers; port I/O and MMIO
 * come from firmware/hw.h.
 */
#ifndef SEVM_FIRMWARE_IO_H
#define SEVM_FIRMWARE_IO_H

#include "firmware/hw.h"

struct cpuid_regs {
	u32 eax, ebx, ecx, edx;
};

static inline struct cpuid_regs cpuid(u32 leaf)
{
	struct cpuid_regs r;

	__asm__ volatile("cpuid"
			 : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
			 : "a"(leaf), "c"(0));
	return r;
}

static inline u64 rdmsr(u32 msr)
{
	u32 lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (u64)hi << 32 | lo;
}

static inline void write_cr3(u64 v)
{
	__asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory");
}

static inline void wbinvd(void)
{
	__asm__ volatile("wbinvd" ::: "memory");
}

/* Boot marker (port 0x80) and test exit (port 0xf4). */
void fw_mark(u8 marker);
/* Writes status to PORT_TEST_EXIT; if the VM goes on, halts for good. */
__attribute__((noreturn)) void fw_exit(u8 status);
__attribute__((noreturn)) void fw_halt(void);

#endif /* SEVM_FIRMWARE_IO_H */
