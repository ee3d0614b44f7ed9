/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The emulated PSP: a software SEV firmware with real cryptography and the
 * SEV API's state machines, for machines without AMD hardware. It does
 * NOT encrypt guest memory (no CPU here can); it measures, checks MACs,
 * unwraps sessions and injects secrets exactly as the firmware would.
 *
 * Layers (docs/emulated-psp.md):
 *   emul/platform.c  the platform identity persisted in a state directory
 *                    (ARK, ASK, CEK, OCA, PEK, PDH; files mode 0600),
 *                    the shared platform state, and guest slots (ASIDs)
 *                    allocated across processes with file locks;
 *   emul/fw.c        the firmware: command ids and command buffers as the
 *                    PSP mailbox takes them (INIT ... DECOMMISSION);
 *   emul/psp.c       the psp_ops backend: translates the KVM/uapi level
 *                    (kvm_sev_*, sev_user_data_*) into firmware commands,
 *                    as the kernel's ccp and kvm-amd drivers do.
 */
#ifndef SEVM_PSP_EMUL_H
#define SEVM_PSP_EMUL_H

#include <errno.h>

#include "lib/util.h"

#define EMUL_DEFAULT_MAX_GUESTS	15	/* first-generation EPYC */
/*
 * The emulated platform's CPUID 0x8000001F values, as a Milan part
 * reports them (no host CPUID is consulted): C-bit 51, and the reduced
 * physical address bits that QEMU reports (1).
 */
#define EMUL_CBITPOS		51
#define EMUL_REDUCED_PHYS_BITS	1

/*
 * Create the platform in dir (idempotent: an existing identity is kept).
 * With set_max, (re)set the guest limit to max_guests.
 */
int emul_platform_init(const char *dir, unsigned int max_guests,
		       bool set_max) __must_check;
/* The AMD-format ARK and ASK of the platform's own root of trust. */
int emul_platform_read_roots(const char *dir, u8 **ark, size_t *ark_len,
			     u8 **ask, size_t *ask_len) __must_check;

/*
 * Emulator extension of KVM_SEV_LAUNCH_UPDATE_VMSA (SEV-ES guests only).
 * KVM builds each vCPU's VMSA itself and takes no data; the emulated PSP
 * cannot see vCPU state, so the VMM passes the pages it wants measured:
 * data points at this struct, uaddr at nr contiguous 4 KiB VMSA pages
 * in vCPU index order, len = nr * 4096. data NULL is -EINVAL for an
 * SEV-ES guest (and -ENOTTY, as in KVM, for a plain SEV guest).
 */
struct emul_vmsa_pages {
	u64 uaddr;
	u32 len;
	u32 nr;
};

#endif /* SEVM_PSP_EMUL_H */
