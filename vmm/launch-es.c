// SPDX-License-Identifier: GPL-2.0-only
/*
 * The SEV launch, part 3: SEV-ES LAUNCH_UPDATE_VMSA, one page per vCPU in
 * vCPU index order, after every LAUNCH_UPDATE_DATA and before
 * LAUNCH_MEASURE (sev-protocol.md 8.3).
 *
 * The launch builds both forms of the initial state and lets the backend
 * (psp_ops.update_vmsa) take the one it uses:
 *  - the vCPUs' registers: like QEMU (sev_es_set_reset_vector), the APs
 *    are pointed at the firmware's SEV-ES reset address, and every vCPU
 *    gets RDX = its CPUID.1 EAX (a backend whose KVM encrypts the vCPUs'
 *    state, the kernel one, calls prepare_vcpus);
 *  - VMSA pages from sev/vmsa.c's model with the same values (the legacy
 *    KVM_SEV_ES_INIT features), for a backend that cannot see vCPU
 *    registers (the emulated PSP).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sev/guids.h"
#include "vmm/launch-priv.h"
#include "sev/vmsa.h"
#include "lib/log.h"
#include "vmm/vm.h"


static u32 launch_rdx(const struct vm *vm)
{
	/* KVM's reset value when there is no CPUID leaf 1. */
	return vm->kvm.cpuid ? cpuid_signature(vm->kvm.cpuid) : 0x600;
}

static int vcpu_ioctl_fail(const struct vcpu *vcpu, const char *op)
{
	int r = -errno;

	pr_err("sev: SEV-ES reset state: %s on vCPU %u: %s", op, vcpu->id,
	       strerror(-r));
	return r;
}

/*
 * QEMU's SEV-ES AP reset: CS 0xf000 based at the reset block, IP below it,
 * RDX the CPUID signature. (vCPU 0 keeps vcpu.c's reset state, which is
 * already the architectural one with that RDX.)
 */
static int launch_set_ap_regs(struct vcpu *vcpu, u32 es_reset, u32 rdx)
{
	struct kvm_sregs s;
	struct kvm_regs regs;

	if (kvm_ioctl(vcpu->fd, KVM_GET_SREGS, &s) < 0)
		return vcpu_ioctl_fail(vcpu, "KVM_GET_SREGS");
	s.cs.selector = 0xf000;
	s.cs.base = sev_es_reset_cs_base(es_reset);
	if (kvm_ioctl(vcpu->fd, KVM_SET_SREGS, &s) < 0)
		return vcpu_ioctl_fail(vcpu, "KVM_SET_SREGS");
	if (kvm_ioctl(vcpu->fd, KVM_GET_REGS, &regs) < 0)
		return vcpu_ioctl_fail(vcpu, "KVM_GET_REGS");
	regs.rdx = rdx;
	regs.rip = sev_es_reset_ip(es_reset);
	if (kvm_ioctl(vcpu->fd, KVM_SET_REGS, &regs) < 0)
		return vcpu_ioctl_fail(vcpu, "KVM_SET_REGS");
	return 0;
}

struct ap_regs_ctx {
	struct vm *vm;
	u32 rdx;
};

static int launch_prepare_vcpus(void *opaque)
{
	struct ap_regs_ctx *c = opaque;
	u32 i;
	int r;

	for (i = 1; i < c->vm->nr_vcpus; i++) {
		r = launch_set_ap_regs(&c->vm->vcpus[i], c->vm->fw.es_reset,
				       c->rdx);
		if (r)
			return r;
	}
	return 0;
}

/* QEMU's reset-state VMSAs for every vCPU, handed to the backend. */
static int launch_vmsa_update(struct sev_launch *l, struct vm *vm, u32 *fw)
{
	struct ap_regs_ctx ctx = { .vm = vm, .rdx = launch_rdx(vm) };
	struct psp_vmsa_set set = {
		.nr = vm->nr_vcpus,
		.prepare_vcpus = launch_prepare_vcpus,
		.opaque = &ctx,
	};
	u8 *pages;
	u32 i;
	int r = 0;

	pages = aligned_alloc(SEV_VMSA_SIZE, (size_t)set.nr * SEV_VMSA_SIZE);
	if (!pages)
		return -ENOMEM;
	for (i = 0; i < set.nr && !r; i++)
		r = sev_vmsa_build(pages + (size_t)i * SEV_VMSA_SIZE, i == 0,
				   vm->fw.es_reset, ctx.rdx, false);
	set.pages = pages;
	if (!r)
		r = sev_update_vmsa(l->psp, l->vm_fd, &set, fw);
	if (r)
		pr_err("sev: LAUNCH_UPDATE_VMSA (%u vCPUs, %s PSP) failed: %s (firmware status 0x%x %s)",
		       set.nr, l->psp->ops->name, strerror(-r), *fw,
		       sev_fw_err_name((int)*fw));
	free(pages);
	return r;
}

int launch_update_vmsa(struct sev_launch *l, struct vm *vm)
{
	u64 t0 = time_us();
	u32 fw = (u32)SEV_RET_NO_FW_CALL;
	int r;

	if (!vm->nr_vcpus) {
		pr_err("sev: LAUNCH_UPDATE_VMSA: the VM has no vCPUs yet");
		return -EINVAL;
	}
	if (vm->nr_vcpus > 1 && !vm->fw.has_es_reset) {
		pr_err("sev: firmware %s has no SEV-ES reset block (GUID %s): the APs of an SEV-ES guest cannot start; use --cpus 1",
		       vm->images.firmware.path, SEV_GUID_ES_RESET_STR);
		return -EINVAL;
	}
	r = launch_vmsa_update(l, vm, &fw);
	if (r) {
		launch_note_fw(l, fw);
		return r;
	}
	l->measured_bytes += (u64)vm->nr_vcpus * SEV_VMSA_SIZE;
	launch_step_done(l, "update-vmsa", t0);
	pr_info("sev: LAUNCH_UPDATE_VMSA %u vCPUs (%llu us)", vm->nr_vcpus,
		(unsigned long long)(time_us() - t0));
	return 0;
}
