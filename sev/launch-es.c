// SPDX-License-Identifier: GPL-2.0-only
/*
 * The SEV launch, part 3: SEV-ES LAUNCH_UPDATE_VMSA, one page per vCPU in
 * vCPU index order, after every LAUNCH_UPDATE_DATA and before
 * LAUNCH_MEASURE (sev-protocol.md 8.3).
 *
 *  - kernel PSP: KVM builds each VMSA from the vCPU's registers. Like QEMU
 *    (sev_es_set_reset_vector), the APs are first pointed at the
 *    firmware's SEV-ES reset address, and every vCPU gets RDX = its
 *    CPUID.1 EAX, so the VMSAs match sev/vmsa.c's model.
 *  - emulated PSP: it cannot see vCPU registers, so the pages are built
 *    here with sev/vmsa.c (the legacy KVM_SEV_ES_INIT values, which is
 *    how the emulated PSP initialises a guest) and handed over through
 *    struct emul_vmsa_pages (sev/psp-emul.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sev/launch-priv.h"
#include "sev/psp-emul.h"
#include "sev/vmsa.h"
#include "vmm/log.h"
#include "vmm/vm.h"

#define GUID_ES_RESET	"00f771de-1a7e-4fcb-890e-68c77e2fb44e"

static u32 launch_rdx(const struct vm *vm)
{
	/* KVM's reset value when there is no CPUID leaf 1. */
	return vm->kvm.cpuid ? cpuid_signature(vm->kvm.cpuid) : 0x600;
}

static int launch_vmsa_emul(struct sev_launch *l, struct vm *vm, u32 *fw)
{
	u32 nr = vm->nr_vcpus, rdx = launch_rdx(vm), i;
	struct emul_vmsa_pages v;
	u8 *pages;
	int r = 0;

	pages = aligned_alloc(SEV_VMSA_SIZE, (size_t)nr * SEV_VMSA_SIZE);
	if (!pages)
		return -ENOMEM;
	for (i = 0; i < nr && !r; i++)
		r = sev_vmsa_build(pages + (size_t)i * SEV_VMSA_SIZE, i == 0,
				   vm->fw.es_reset, rdx, false);
	memset(&v, 0, sizeof(v));
	v.uaddr = (u64)(uintptr_t)pages;
	v.len = nr * SEV_VMSA_SIZE;
	v.nr = nr;
	if (!r)
		r = l->psp->ops->vm_cmd(l->psp, l->vm_fd,
					KVM_SEV_LAUNCH_UPDATE_VMSA, &v, fw);
	if (r)
		pr_err("sev: KVM_SEV_LAUNCH_UPDATE_VMSA (%u VMSA pages, emulated PSP) failed: %s (firmware status 0x%x %s)",
		       nr, strerror(-r), *fw, sev_fw_err_name((int)*fw));
	free(pages);
	return r;
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

static int launch_vmsa_kernel(struct sev_launch *l, struct vm *vm, u32 *fw)
{
	u32 rdx = launch_rdx(vm), i;
	int r;

	*fw = (u32)SEV_RET_NO_FW_CALL;
	for (i = 1; i < vm->nr_vcpus; i++) {
		r = launch_set_ap_regs(&vm->vcpus[i], vm->fw.es_reset, rdx);
		if (r)
			return r;
	}
	return sev_launch_update_vmsa(l->psp, l->vm_fd, fw);
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
		       vm->images.firmware.path, GUID_ES_RESET);
		return -EINVAL;
	}
	if (l->cfg->sev.psp == PSP_EMULATED)
		r = launch_vmsa_emul(l, vm, &fw);
	else
		r = launch_vmsa_kernel(l, vm, &fw);
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
