// SPDX-License-Identifier: GPL-2.0-only
/*
 * ged_mmio with any sequence of guest accesses (any offset in the block,
 * any width, any data) interleaved with power-button presses, checked
 * against a model: EVT reads return the pending bits and clear them,
 * every other read is 0, no write changes EVT, and poweroff() runs
 * exactly for a byte with SLP_EN and SLP_TYP = S5 written to SLEEP_CTL.
 *
 * Input: records of [op, offset_lo, offset_hi, data x8].
 */
#include <string.h>

#include "devices/acpi/ged.h"
#include "firmware/handoff.h"
#include "tests/fuzz/fuzz.h"
#include "lib/log.h"

#define REC	11

static unsigned int raised, poweroffs;

static void raise_cb(void *opaque)
{
	raised++;
}

static void poweroff_cb(void *opaque)
{
	poweroffs++;
}

static bool is_s5(const u8 *d)
{
	return (d[0] & GED_SLP_EN) &&
	       ((d[0] & GED_SLP_TYP_MASK) >> GED_SLP_TYP_SHIFT) ==
	       GED_SLP_TYP_S5;
}

static void one(struct ged *g, const u8 *r, u32 *pending,
		unsigned int *want_off)
{
	static const u32 widths[] = { 1, 2, 4, 8 };
	u32 len = widths[(r[0] >> 2) & 3];
	u64 off = (r[1] | r[2] << 8) % LAYOUT_GED_SIZE;
	u8 data[8], zero[8] = { 0 };
	u32 got = 0;

	memcpy(data, r + 3, 8);
	switch (r[0] & 3) {
	case 0:		/* press the button */
		ged_powerdown(g);
		*pending |= GED_EVT_PWRBTN;
		break;
	case 1:		/* write */
		ged_mmio(g, off, data, len, true);
		*want_off += off == GED_REG_SLEEP_CTL && is_s5(data);
		break;
	default:	/* read */
		ged_mmio(g, off, data, len, false);
		if (off != GED_REG_EVT) {
			FUZZ_ASSERT(!memcmp(data, zero, len));
			break;
		}
		memcpy(&got, data, MIN(len, 4u));
		FUZZ_ASSERT(got == (*pending & (len >= 4 ? ~0u :
						(1u << (8 * len)) - 1)));
		FUZZ_ASSERT(len < 8 || !memcmp(data + 4, zero, 4));
		*pending = 0;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned int want_off = 0, presses = 0;
	u32 pending = 0;
	struct ged g;
	size_t i;

	log_set_level(LOG_ERR);
	raised = poweroffs = 0;
	ged_init(&g, raise_cb, poweroff_cb, NULL);
	for (i = 0; i + REC <= size; i += REC) {
		presses += (data[i] & 3) == 0;
		one(&g, data + i, &pending, &want_off);
		FUZZ_ASSERT(raised == presses && poweroffs == want_off);
	}
	return 0;
}
