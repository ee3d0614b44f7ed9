/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Sharing pages with the VMM under SEV (docs/security.md): the pages that
 * hold the virtqueues and DMA buffers are converted to shared with
 * KVM_HC_MAP_GPA_RANGE before any device touches them, and back to
 * private afterwards. The VMM says how in the fw_cfg file
 * SEVM_FWCFG_SEV_DMA (firmware/handoff.h): the I/O-port stand-in
 * PORT_SEV_SHARE (sevm on a host whose KVM never delivers vmmcall), or
 * port 0: the vmmcall hypercall itself. An SEV guest (C-bit found)
 * without the file uses vmmcall, as Linux does.
 *
 * In the page tables the buffers are reached through the C-bit-clear
 * alias (firmware/pagetable.h, pt_shared_va), so a real SEV CPU writes
 * them unencrypted.
 */
#ifndef SEVM_FIRMWARE_SEVSHARE_H
#define SEVM_FIRMWARE_SEVSHARE_H

#include "firmware/fwtypes.h"

#define SEV_SHARE_HC_MAP_GPA_RANGE	12
#define SEV_SHARE_ENCRYPTED		(1ull << 4)	/* attrs: private */
#define SEV_SHARE_PAGE			4096ull
#define SEV_SHARE_ENOSYS		1000	/* KVM_ENOSYS: not handled */

struct sev_share {
	int active;		/* the VMM tracks shared pages */
	int use_port;		/* PORT_SEV_SHARE, else vmmcall */
	int dma_check;		/* the VMM refuses DMA outside them */
};

/*
 * From the fw_cfg file's bytes (raw, len; raw NULL: no file) and the
 * C-bit mask. 0, or -1 for a malformed file or an unknown port (then
 * inactive).
 */
int sev_share_parse(struct sev_share *s, const u8 *raw, u32 len, u64 cbit);
/*
 * Converts [pa, pa + len) (4 KiB-aligned) to shared (shared = 1) or
 * private. Returns the hypercall's result: 0, a negative errno, or
 * -SEV_SHARE_ENOSYS when the VMM does not handle the hypercall (KVM then
 * answers itself). Nothing is done (0) when inactive.
 */
long sev_share_range(const struct sev_share *s, u64 pa, u64 len, int shared);

#endif /* SEVM_FIRMWARE_SEVSHARE_H */
