// SPDX-License-Identifier: GPL-2.0-only
/*
 * The SEV shared-page set in a VM (see sev-dma.h): set-up, the fw_cfg
 * file for the firmware, and the two vCPU exits that convert pages.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "devices/fw_cfg.h"
#include "firmware/handoff.h"
#include "lib/log.h"
#include "vmm/kvm.h"
#include "vmm/sev-dma.h"
#include "vmm/shared-pages.h"
#include "vmm/vcpu.h"
#include "vmm/vm.h"

/* KVM_CAP_EXIT_HYPERCALL for KVM_HC_MAP_GPA_RANGE, when KVM offers it. */
static void sev_dma_enable_exit(struct vm *vm)
{
	struct kvm_enable_cap cap = {
		.cap = KVM_CAP_EXIT_HYPERCALL,
		.args = { 1ULL << HC_MAP_GPA_RANGE },
	};
	int have = kvm_check_extension(&vm->kvm, KVM_CAP_EXIT_HYPERCALL);

	if (have <= 0 || !(have & (1 << HC_MAP_GPA_RANGE))) {
		pr_info("sev dma: KVM has no hypercall exit for KVM_HC_MAP_GPA_RANGE; the port 0x%x stand-in only",
			PORT_SEV_SHARE);
		return;
	}
	if (kvm_ioctl(vm->kvm.vm_fd, KVM_ENABLE_CAP, &cap) < 0)
		pr_warn("sev dma: KVM_ENABLE_CAP KVM_CAP_EXIT_HYPERCALL 0x%llx: %s; the port 0x%x stand-in only",
			(unsigned long long)cap.args[0], strerror(errno),
			PORT_SEV_SHARE);
}

int sev_dma_init(struct vm *vm)
{
	const struct sev_config *sev = &vm->cfg->sev;
	struct shared_pages *sp;
	int r;

	if (!sev->enabled && !sev->es)
		return 0;
	sp = calloc(1, sizeof(*sp));
	if (!sp) {
		pr_err("sev dma: allocate the shared-page set: %s",
		       strerror(ENOMEM));
		return -ENOMEM;
	}
	r = shared_pages_init(sp, &vm->mem);
	if (r) {
		free(sp);
		return r;
	}
	vm->shared = sp;
	vm->cpuid_mask.kvm_features_set |= CPUID_KVM_SEV_SHARING;
	sev_dma_enable_exit(vm);
	pr_info("sev dma: tracking %" PRIu64 " pages, device DMA check %s",
		sp->nr_pages, sev->dma_check == TRI_OFF ? "off" : "on");
	return 0;
}

int sev_dma_publish(struct vm *vm)
{
	struct sevm_sev_dma f = { .port = PORT_SEV_SHARE };
	struct fw_cfg *fw = fw_cfg_of(vm);
	int r;

	if (!vm->shared || !fw)
		return 0;
	if (sev_dma_stage(vm))
		f.flags = SEVM_SEV_DMA_CHECK;
	r = fw_cfg_add_file(fw, SEVM_FWCFG_SEV_DMA, &f, sizeof(f));
	if (r)
		pr_err("fw_cfg: add %s: %s", SEVM_FWCFG_SEV_DMA, strerror(-r));
	return r;
}

void sev_dma_free(struct vm *vm)
{
	if (!vm->shared)
		return;
	if (vm->shared->refused || vm->shared->nr_calls)
		pr_info("sev dma: %lu conversions, %lu pages shared at exit, %lu device accesses refused",
			atomic_load(&vm->shared->nr_calls),
			atomic_load(&vm->shared->nr_shared),
			atomic_load(&vm->shared->refused));
	shared_pages_free(vm->shared);
	free(vm->shared);
	vm->shared = NULL;
}

/* Both channels: the result for the guest's RAX. */
static u64 sev_dma_call(struct shared_pages *sp, u64 nr, const u64 args[3])
{
	u64 ret;

	if (!sp)
		return (u64)-HC_ENOSYS;
	ret = shared_pages_hypercall(sp, nr, args);
	if (ret)
		pr_debug("sev dma: hypercall %" PRIu64 " gpa 0x%" PRIx64
			 " pages %" PRIu64 " attrs 0x%" PRIx64 ": %" PRId64,
			 nr, args[0], args[1], args[2], (s64)ret);
	return ret;
}

void sev_dma_hypercall(struct shared_pages *sp, struct kvm_run *run)
{
	u64 args[3] = {
		run->hypercall.args[0], run->hypercall.args[1],
		run->hypercall.args[2],
	};

	run->hypercall.ret = sev_dma_call(sp, run->hypercall.nr, args);
}

bool sev_dma_hypercall_exit(struct vcpu *vcpu)
{
	sev_dma_hypercall(vcpu->vm->shared, vcpu->run);
	return true;
}

bool sev_dma_port_exit(struct vcpu *vcpu)
{
	const struct kvm_run *run = vcpu->run;
	struct kvm_regs regs;
	u64 args[3];

	if (!vcpu->vm->shared || run->io.port != PORT_SEV_SHARE ||
	    run->io.direction != KVM_EXIT_IO_OUT)
		return false;
	if (kvm_ioctl(vcpu->fd, KVM_GET_REGS, &regs) < 0) {
		pr_err("sev dma: port 0x%x: KVM_GET_REGS on vCPU %u: %s",
		       PORT_SEV_SHARE, vcpu->id, strerror(errno));
		return true;
	}
	args[0] = regs.rbx;
	args[1] = regs.rcx;
	args[2] = regs.rdx;
	regs.rax = sev_dma_call(vcpu->vm->shared, regs.rax, args);
	if (kvm_ioctl(vcpu->fd, KVM_SET_REGS, &regs) < 0)
		pr_err("sev dma: port 0x%x: KVM_SET_REGS on vCPU %u: %s",
		       PORT_SEV_SHARE, vcpu->id, strerror(errno));
	return true;
}
