/* SPDX-License-Identifier: GPL-2.0-only */
/* Guest-only declarations shared by main.c, selftest.c, smp.c, linux.c. */
#ifndef SEVM_FIRMWARE_FW_H
#define SEVM_FIRMWARE_FW_H

#include "firmware/fwcfg.h"
#include "firmware/fwtypes.h"
#include "firmware/handoff.h"

#ifndef SEVM_VERSION
#define SEVM_VERSION "unknown"
#endif

/*
 * A pointer to guest-physical pa (identity map). Laundered through an
 * empty asm so that gcc does not treat low constant addresses as null
 * pointer arithmetic.
 */
static inline void *fw_phys(u64 pa)
{
	void *p;

	__asm__("" : "=r"(p) : "0"(pa));
	return p;
}

/* C-bit mask if this is an active SEV guest, else 0; *pos = C-bit. */
u64 sev_detect(u32 *pos);
/* Rebuilds the live page tables (firmware/pagetable.c) and reloads CR3. */
void fw_paging_setup(u64 cbit, u64 private_end);
/* The boot GDT in ROM (firmware/reset.S). */
extern const u8 fw_gdt[], fw_gdt_end[];

__attribute__((noreturn)) void selftest_run(u64 cbit);
/*
 * 1 + the number of APs that answered INIT-SIPI-SIPI. expected (0:
 * unknown) ends the wait early once all of them answered; 1 skips it.
 */
u32 smp_count_cpus(u32 expected);

/* What fw_cfg says about the machine (firmware/machine.c). */
struct machine {
	struct fwcfg cfg;
	u16 nb_cpus;		/* 0: unknown */
	u32 nr_e820;		/* 0: no etc/e820 */
	struct sevm_e820 e820[SEVM_HANDOFF_MAX_E820];
};

/*
 * 1 with *m filled (and a few lines printed) if fw_cfg is there, 0 if not,
 * -1 if it is there without a usable etc/e820.
 */
int machine_probe(struct machine *m, u64 cbit);
/* PCI bus 0 and the virtio drivers; returns the number of failures. */
int machine_devices(u64 cbit);
__attribute__((noreturn)) void linux_boot(const struct sevm_handoff *h,
					  u64 cbit);
/* void fw_enter_kernel(entry, zero_page, gdt_desc): firmware/entry.S */
__attribute__((noreturn)) void fw_enter_kernel(u64 entry, u64 zero_page,
					       const void *gdt_desc);

#endif /* SEVM_FIRMWARE_FW_H */
