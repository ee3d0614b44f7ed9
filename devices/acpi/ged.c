// SPDX-License-Identifier: GPL-2.0-only
/*
 * The Generic Event Device's register block (ged.h): a read-to-clear
 * event register and the hardware-reduced sleep registers. The only
 * state is one atomic word, so vCPU threads and the main thread need no
 * lock: ged_powerdown() sets a bit with fetch_or, a read of EVT takes
 * all bits with exchange.
 */
#include <string.h>

#include "devices/acpi/ged.h"
#include "firmware/handoff.h"
#include "lib/log.h"

void ged_init(struct ged *g, void (*raise)(void *opaque),
	      void (*poweroff)(void *opaque), void *opaque)
{
	atomic_init(&g->evt, 0);
	g->raise = raise;
	g->poweroff = poweroff;
	g->opaque = opaque;
}

/* Little-endian bytes of v, len of them (v zero-extended). */
static void put_le(void *data, u32 len, u64 v)
{
	u8 *p = data;
	u32 i;

	for (i = 0; i < len; i++, v >>= 8)
		p[i] = v;
}

static void ged_read(struct ged *g, u64 offset, void *data, u32 len)
{
	u32 v = 0;

	/* An access that covers EVT's first byte reads (and clears) it;
	 * every other byte of the block reads 0. */
	if (offset == GED_REG_EVT)
		v = atomic_exchange(&g->evt, 0);
	put_le(data, len, v);
}

static void ged_write(struct ged *g, u64 offset, const void *data, u32 len)
{
	u8 ctl = *(const u8 *)data;
	unsigned int typ;

	if (offset != GED_REG_SLEEP_CTL || !(ctl & GED_SLP_EN))
		return;
	typ = (ctl & GED_SLP_TYP_MASK) >> GED_SLP_TYP_SHIFT;
	if (typ != GED_SLP_TYP_S5) {
		pr_info("ged: guest requested sleep type %u, ignored", typ);
		return;
	}
	pr_info("ged: guest entered S5 (poweroff)");
	if (g->poweroff)
		g->poweroff(g->opaque);
}

void ged_mmio(void *opaque, u64 offset, void *data, u32 len, bool is_write)
{
	struct ged *g = opaque;

	if (!len)
		return;
	if (is_write)
		ged_write(g, offset, data, len);
	else
		ged_read(g, offset, data, len);
}

int ged_register(struct ged *g, struct bus *mmio, u64 base)
{
	int r = bus_register(mmio, base, LAYOUT_GED_SIZE, ged_mmio, g, "ged");

	if (r)
		pr_err("ged: register MMIO 0x%llx+0x%x: %s",
		       (unsigned long long)base, LAYOUT_GED_SIZE, strerror(-r));
	return r;
}

void ged_powerdown(struct ged *g)
{
	atomic_fetch_or(&g->evt, GED_EVT_PWRBTN);
	if (g->raise)
		g->raise(g->opaque);
}
