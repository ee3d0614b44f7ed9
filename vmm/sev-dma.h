/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The SEV shared-page set in a VM (vmm/shared-pages.h holds the set):
 * for every SEV guest sevm tracks which pages the guest shared, through
 *   - KVM_EXIT_HYPERCALL for KVM_HC_MAP_GPA_RANGE (KVM_CAP_EXIT_HYPERCALL
 *     enabled when KVM offers it; Linux SEV guests call it), and
 *   - the I/O-port stand-in PORT_SEV_SHARE (firmware/handoff.h), same
 *     registers as the hypercall, which sevm's firmware uses because this
 *     host's KVM never delivers vmmcall (docs/security.md, measured).
 * With --sev-dma-check on (the default for SEV guests) every PCI
 * function's DMA goes through the set's stage (vmm/dma.h). The fw_cfg
 * file SEVM_FWCFG_SEV_DMA tells the firmware the channel and the check.
 */
#ifndef SEVM_SEV_DMA_H
#define SEVM_SEV_DMA_H

#include <linux/kvm.h>

#include "lib/util.h"
#include "vmm/shared-pages.h"
#include "vmm/vm.h"

struct vcpu;

/* Before the device table: the set, the KVM capability. 0 or -errno. */
int sev_dma_init(struct vm *vm) __must_check;
/* After the device table: the fw_cfg file. 0 or -errno. */
int sev_dma_publish(struct vm *vm) __must_check;
void sev_dma_free(struct vm *vm);
/* The stage a PCI function's DMA goes through, NULL: none. */
static inline const struct dma_stage *sev_dma_stage(const struct vm *vm)
{
	if (!vm->shared || vm->cfg->sev.dma_check == TRI_OFF)
		return NULL;
	return &vm->shared->stage;
}

/*
 * The seam of both exits: KVM_EXIT_HYPERCALL's fields in run->hypercall
 * (nr, args) in, run->hypercall.ret out. sp may be NULL (not tracking:
 * -KVM_ENOSYS, as KVM answers).
 */
void sev_dma_hypercall(struct shared_pages *sp, struct kvm_run *run);
/* vCPU thread: KVM_EXIT_HYPERCALL. Always true (the vCPU goes on). */
bool sev_dma_hypercall_exit(struct vcpu *vcpu);
/*
 * vCPU thread: an OUT to PORT_SEV_SHARE. Reads RAX/RBX/RCX/RDX, puts the
 * result in RAX. false if the port is not sevm's (no SEV): the caller
 * dispatches it as an ordinary port.
 */
bool sev_dma_port_exit(struct vcpu *vcpu);

#endif /* SEVM_SEV_DMA_H */
