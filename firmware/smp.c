// SPDX-License-Identifier: GPL-2.0-only
/*
 * CPU count: software-enable the BSP's local APIC, copy the real-mode
 * trampoline (firmware/ap.S) to a page below 1 MiB, send INIT, SIPI, SIPI
 * to all excluding self and count the APs that check in. There is no
 * ACPI or MP table to say how many CPUs to expect, so the wait is a
 * bounded poll: the software KVM runs guests at about 1M instructions/s.
 * When fw_cfg gives the count, the poll may last longer but ends as soon
 * as every AP answered.
 */
#include "firmware/fw.h"
#include "firmware/io.h"

#define LAPIC_SVR		0x0f0
#define LAPIC_ICR_LO		0x300
#define LAPIC_ICR_HI		0x310
#define LAPIC_SVR_ENABLE	0x100
#define ICR_BUSY		(1u << 12)
#define ICR_ALL_BUT_SELF	(3u << 18)
#define ICR_ASSERT		(1u << 14)
#define ICR_INIT		0x500
#define ICR_STARTUP		0x600
#define CPUID1_EDX_APIC		(1u << 9)

#define ICR_POLLS		1000
#define SIPI_DELAY		2000
#define AP_WAIT_POLLS		20000
#define AP_WAIT_KNOWN		8	/* x AP_WAIT_POLLS, count known */

extern const u8 ap_tramp_start[], ap_tramp_end[], ap_tramp_counter[];

static u8 ap_page[4096] __attribute__((aligned(4096)));

_Static_assert(LAYOUT_FW_DATA_END <= 0x100000, "SIPI page below 1 MiB");

static void lapic_write(u32 reg, u32 v)
{
	mmio_write32(LAYOUT_LAPIC + reg, v);
}

static u32 lapic_read(u32 reg)
{
	return mmio_read32(LAYOUT_LAPIC + reg);
}

static void icr_send(u32 lo)
{
	int i;

	lapic_write(LAPIC_ICR_HI, 0);
	lapic_write(LAPIC_ICR_LO, lo);
	for (i = 0; i < ICR_POLLS && (lapic_read(LAPIC_ICR_LO) & ICR_BUSY); i++)
		cpu_relax();
}

static void delay(u32 n)
{
	while (n--)
		cpu_relax();
}

u32 smp_count_cpus(u32 expected)
{
	volatile u32 *counter;
	u32 vector = (u32)((uintptr_t)ap_page >> 12);
	u32 i, polls = expected ? AP_WAIT_POLLS * AP_WAIT_KNOWN : AP_WAIT_POLLS;

	if (expected == 1 || !(cpuid(1).edx & CPUID1_EDX_APIC))
		return 1;
	lapic_write(LAPIC_SVR, lapic_read(LAPIC_SVR) | LAPIC_SVR_ENABLE | 0xff);
	fw_memcpy(ap_page, ap_tramp_start, ap_tramp_end - ap_tramp_start);
	counter = (volatile u32 *)(ap_page +
				   (ap_tramp_counter - ap_tramp_start));
	*counter = 0;
	icr_send(ICR_ALL_BUT_SELF | ICR_ASSERT | ICR_INIT);
	delay(SIPI_DELAY);
	for (i = 0; i < 2; i++) {
		icr_send(ICR_ALL_BUT_SELF | ICR_ASSERT | ICR_STARTUP | vector);
		delay(SIPI_DELAY / 10);
	}
	for (i = 0; i < polls && (!expected || *counter < expected - 1); i++)
		(void)*counter;
	return 1 + *counter;
}
