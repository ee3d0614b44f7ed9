/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Validation of the struct sevm_handoff the VMM leaves at LAYOUT_HANDOFF
 * (firmware/handoff.h). Nothing in it is trusted before this check.
 */
#ifndef SEVM_FIRMWARE_HANDOFF_CHECK_H
#define SEVM_FIRMWARE_HANDOFF_CHECK_H

#include "firmware/fwtypes.h"
#include "firmware/handoff.h"

/* Highest address the firmware maps (identity map of the low 4 GiB). */
#define HANDOFF_ADDR_LIMIT	0x100000000ull

enum handoff_status {
	HANDOFF_ABSENT,		/* no magic: not a direct boot */
	HANDOFF_VALID,
	HANDOFF_INVALID,	/* magic present, *field names the bad one */
};

/*
 * Maps len bytes at guest-physical pa for reading; called only for
 * ranges already checked against the e820 map. May return NULL.
 */
typedef const u8 *(*handoff_map_fn)(void *ctx, u64 pa, u64 len);

enum handoff_status handoff_validate(const struct sevm_handoff *h,
				     handoff_map_fn map, void *ctx,
				     const char **field);
/* Is [addr, addr + len) inside one E820_RAM entry below 4 GiB? */
int handoff_range_in_ram(const struct sevm_handoff *h, u64 addr, u64 len);
/* End of the highest E820_RAM range below 4 GiB (0 if none). */
u64 handoff_low_ram_end(const struct sevm_handoff *h);

#endif /* SEVM_FIRMWARE_HANDOFF_CHECK_H */
