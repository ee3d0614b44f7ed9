/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ACPI Generic Event Device (ACPI0013) register block: how a
 * hardware-reduced machine delivers the power button, and where the
 * guest's ACPI S5 (poweroff) request lands. Lives at LAYOUT_GED
 * (firmware/handoff.h); the DSDT's \_SB.GED_ and the FADT's sleep
 * registers describe it (docs/acpi.md).
 *
 *   0x00  EVT         u32, read-only, read-to-clear: pending events
 *                     (bit 0: power button). Writes are ignored.
 *   0x04  SLEEP_CTL   u8, write-only: SLP_EN (bit 5) with SLP_TYP
 *                     (bits 4:2) = GED_SLP_TYP_S5 calls poweroff().
 *   0x05  SLEEP_STS   u8: reads 0 (WAK_STS never set); writes ignored.
 *
 * Any other offset in the block reads 0 and ignores writes. Read-to-clear
 * makes the _EVT method one load: whatever it read is handled, and an
 * event that arrives after the read sets the bit again and raises a new
 * edge. ged_powerdown() may run on any thread (the main thread for QMP
 * system_powerdown), concurrently with vCPU threads in ged_mmio().
 */
#ifndef SEVM_DEVICES_ACPI_GED_H
#define SEVM_DEVICES_ACPI_GED_H

#include <stdatomic.h>

#include "vmm/bus.h"
#include "lib/util.h"

#define GED_REG_EVT		0x00
#define GED_REG_SLEEP_CTL	0x04
#define GED_REG_SLEEP_STS	0x05
#define GED_EVT_PWRBTN		(1u << 0)
#define GED_SLP_TYP_SHIFT	2
#define GED_SLP_TYP_MASK	(7u << GED_SLP_TYP_SHIFT)
#define GED_SLP_EN		(1u << 5)
#define GED_SLP_TYP_S5		5	/* the DSDT's \_S5 package */

struct ged {
	_Atomic u32 evt;		/* pending GED_EVT_* bits */
	/* Pulse the GED's edge-triggered GSI (e.g. KVM_IRQ_LINE 1 then 0). */
	void (*raise)(void *opaque);
	/* The guest entered S5; NULL: ignored. */
	void (*poweroff)(void *opaque);
	void *opaque;
};

void ged_init(struct ged *g, void (*raise)(void *opaque),
	      void (*poweroff)(void *opaque), void *opaque);
/* The bus_io_fn of the register block (opaque is the struct ged). */
void ged_mmio(void *opaque, u64 offset, void *data, u32 len, bool is_write);
/* ged_mmio on [base, base + LAYOUT_GED_SIZE) of bus. 0 or bus errors. */
int ged_register(struct ged *g, struct bus *mmio, u64 base) __must_check;
/* Press the power button: set the event bit, then raise the interrupt. */
void ged_powerdown(struct ged *g);

#endif /* SEVM_DEVICES_ACPI_GED_H */
