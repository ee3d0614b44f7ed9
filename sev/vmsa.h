/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The initial SEV-ES VMSA of a vCPU, as QEMU + KVM build it
 * (sev-protocol.md 8.3; APM vol. 2 table B-4 layout): the BSP in the
 * architectural reset state, each AP at the firmware's SEV-ES reset
 * address (OVMF footer entry 00f771de-..., CS.base = addr & 0xffff0000,
 * RIP = addr & 0xffff). The page is what LAUNCH_UPDATE_VMSA measures, so a
 * guest owner can rebuild it from public inputs: the reset address, the
 * vCPU's CPUID.1 EAX (RDX at reset) and the KVM init path.
 *
 * The x87/SSE reset values depend on that path: legacy KVM_SEV_ES_INIT
 * leaves MXCSR and FCW 0 in the VMSA; KVM_SEV_INIT2 copies the vCPU's
 * FPU state (MXCSR 0x1f80, FCW 0x037f). The emulated PSP behaves like the
 * legacy path (init2 = false). SEV_FEATURES stays 0 (no VMSA features).
 */
#ifndef SEVM_SEV_VMSA_H
#define SEVM_SEV_VMSA_H

#include "lib/util.h"

#define SEV_VMSA_SIZE		4096

/* Offsets in the VMSA page. */
#define VMSA_ES			0x000	/* segments: {u16 sel, u16 attrib, */
#define VMSA_CS			0x010	/*   u32 limit, u64 base} */
#define VMSA_SS			0x020
#define VMSA_DS			0x030
#define VMSA_FS			0x040
#define VMSA_GS			0x050
#define VMSA_GDTR		0x060
#define VMSA_LDTR		0x070
#define VMSA_IDTR		0x080
#define VMSA_TR			0x090
#define VMSA_EFER		0x0d0
#define VMSA_CR4		0x148
#define VMSA_CR3		0x150
#define VMSA_CR0		0x158
#define VMSA_DR7		0x160
#define VMSA_DR6		0x168
#define VMSA_RFLAGS		0x170
#define VMSA_RIP		0x178
#define VMSA_G_PAT		0x268
#define VMSA_RDX		0x310
#define VMSA_SEV_FEATURES	0x3b0
#define VMSA_XCR0		0x3e8
#define VMSA_MXCSR		0x408
#define VMSA_X87_FCW		0x410

/* Reset values (QEMU x86_cpu_reset + KVM's SVM init). */
#define VMSA_RESET_EFER		0x1000ULL	/* SVME */
#define VMSA_RESET_CR4		0x40ULL		/* MCE */
#define VMSA_RESET_CR0		0x10ULL		/* ET */
#define VMSA_RESET_DR7		0x400ULL
#define VMSA_RESET_DR6		0xffff0ff0ULL
#define VMSA_RESET_RFLAGS	0x2ULL
#define VMSA_RESET_G_PAT	0x0007040600070406ULL
#define VMSA_RESET_XCR0		0x1ULL
#define VMSA_INIT2_MXCSR	0x1f80u
#define VMSA_INIT2_FCW		0x037fu

/* AP start from the firmware's SEV-ES reset address. */
static inline u32 sev_es_reset_cs_base(u32 es_reset)
{
	return es_reset & 0xffff0000u;
}

static inline u32 sev_es_reset_ip(u32 es_reset)
{
	return es_reset & 0xffffu;
}

/*
 * Fill page with the initial VMSA of one vCPU: bsp (reset vector
 * 0xffff0000:0xfff0) or an AP (CS.base/RIP from es_reset, which must be
 * non-zero for an AP: else -EINVAL). cpuid1_eax goes to RDX; init2 picks
 * the KVM_SEV_INIT2 FPU values. Returns 0 or -EINVAL.
 */
int sev_vmsa_build(u8 page[SEV_VMSA_SIZE], bool bsp, u32 es_reset,
		   u32 cpuid1_eax, bool init2) __must_check;

#endif /* SEVM_SEV_VMSA_H */
