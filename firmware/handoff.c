// SPDX-License-Identifier: GPL-2.0-only
/*
 * Hand-off validation. Rules, in order (the first failure names its
 * field): magic, version, size, flags, nr_e820 (1..32), every e820 entry
 * (non-empty, no wrap), kernel (non-empty, inside one RAM entry below
 * 4 GiB, clear of the firmware's low memory), initrd (same when present,
 * not overlapping the kernel), cmdline (1..LAYOUT_CMDLINE_MAX bytes, same
 * placement rules, not overlapping the others, a NUL within its size).
 */
#include "firmware/handoff-check.h"

/* Memory the firmware itself uses: tables, zero page, hand-off, stack. */
#define FW_OWNED_END		LAYOUT_FW_DATA_END

int handoff_range_in_ram(const struct sevm_handoff *h, u64 addr, u64 len)
{
	const struct sevm_e820 *e;
	u32 i;

	if (!len || addr + len < addr || addr + len > HANDOFF_ADDR_LIMIT)
		return 0;
	for (i = 0; i < h->nr_e820 && i < SEVM_HANDOFF_MAX_E820; i++) {
		e = &h->e820[i];
		if (e->type == E820_RAM && addr >= e->addr &&
		    addr + len <= e->addr + e->size)
			return 1;
	}
	return 0;
}

u64 handoff_low_ram_end(const struct sevm_handoff *h)
{
	u64 end, best = 0;
	u32 i;

	for (i = 0; i < h->nr_e820 && i < SEVM_HANDOFF_MAX_E820; i++) {
		if (h->e820[i].type != E820_RAM)
			continue;
		end = h->e820[i].addr + h->e820[i].size;
		if (h->e820[i].addr >= HANDOFF_ADDR_LIMIT)
			continue;
		if (end > HANDOFF_ADDR_LIMIT)
			end = HANDOFF_ADDR_LIMIT;
		if (end > best)
			best = end;
	}
	return best;
}

static int blob_placed(const struct sevm_handoff *h, u64 addr, u64 len)
{
	return handoff_range_in_ram(h, addr, len) &&
	       !fw_overlaps(addr, len, 0, FW_OWNED_END);
}

static int check_header(const struct sevm_handoff *h, const char **field)
{
	const struct sevm_e820 *e;
	u32 i;

	if (h->version != SEVM_HANDOFF_VERSION)
		*field = "version";
	else if (h->size != sizeof(*h))
		*field = "size";
	else if (h->flags)
		*field = "flags";
	else if (!h->nr_e820 || h->nr_e820 > SEVM_HANDOFF_MAX_E820)
		*field = "nr_e820";
	if (*field)
		return -1;
	for (i = 0; i < h->nr_e820; i++) {
		e = &h->e820[i];
		if (!e->size || e->addr + e->size < e->addr) {
			*field = "e820";
			return -1;
		}
	}
	return 0;
}

static int check_blobs(const struct sevm_handoff *h, const char **field)
{
	if (!h->kernel_size)
		*field = "kernel_size";
	else if (!blob_placed(h, h->kernel_addr, h->kernel_size))
		*field = "kernel_addr";
	else if (h->initrd_size &&
		 (!blob_placed(h, h->initrd_addr, h->initrd_size) ||
		  fw_overlaps(h->initrd_addr, h->initrd_size,
			      h->kernel_addr, h->kernel_size)))
		*field = "initrd_addr";
	else if (!h->cmdline_size || h->cmdline_size > LAYOUT_CMDLINE_MAX)
		*field = "cmdline_size";
	else if (!blob_placed(h, h->cmdline_addr, h->cmdline_size) ||
		 fw_overlaps(h->cmdline_addr, h->cmdline_size,
			     h->kernel_addr, h->kernel_size) ||
		 fw_overlaps(h->cmdline_addr, h->cmdline_size,
			     h->initrd_addr, h->initrd_size))
		*field = "cmdline_addr";
	return *field ? -1 : 0;
}

static int has_nul(const u8 *s, u64 len)
{
	u64 i;

	for (i = 0; i < len; i++)
		if (!s[i])
			return 1;
	return 0;
}

enum handoff_status handoff_validate(const struct sevm_handoff *h,
				     handoff_map_fn map, void *ctx,
				     const char **field)
{
	const u8 *cmdline;

	*field = NULL;
	if (h->magic != SEVM_HANDOFF_MAGIC)
		return HANDOFF_ABSENT;
	if (check_header(h, field) || check_blobs(h, field))
		return HANDOFF_INVALID;
	cmdline = map(ctx, h->cmdline_addr, h->cmdline_size);
	if (!cmdline || !has_nul(cmdline, h->cmdline_size)) {
		*field = "cmdline";
		return HANDOFF_INVALID;
	}
	return HANDOFF_VALID;
}
