// SPDX-License-Identifier: GPL-2.0-only
/*
 * The vCPU side of the instruction fallback (vmm/insn.h): after an
 * emulation failure, fetch the instruction (from KVM's exit data, or
 * through the guest's page tables), carry it out on the registers and
 * resume; anything the fallback does not know stops the VM with its
 * bytes and RIP in one line.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "lib/log.h"
#include "vmm/insn.h"
#include "vmm/kvm.h"
#include "vmm/vcpu.h"
#include "vmm/vm.h"

#define EFER_LMA	(1ULL << 10)
#define PAGE_SIZE_4K	4096ULL

/* Copy len bytes at linear address la through the guest's page tables. */
static unsigned int fetch_guest(struct vcpu *vcpu, u64 la, u8 *buf,
				unsigned int len)
{
	struct kvm_translation tr;
	unsigned int n = 0, chunk;
	const u8 *p;

	while (n < len) {
		memset(&tr, 0, sizeof(tr));
		tr.linear_address = la + n;
		if (kvm_ioctl(vcpu->fd, KVM_TRANSLATE, &tr) < 0 || !tr.valid)
			break;
		chunk = (unsigned int)MIN(len - n, PAGE_SIZE_4K -
					  ((la + n) & (PAGE_SIZE_4K - 1)));
		p = mem_gpa_to_hva_any(&vcpu->vm->mem, tr.physical_address,
				       chunk);
		if (!p)
			break;
		memcpy(buf + n, p, chunk);
		n += chunk;
	}
	return n;
}

static unsigned int fetch_insn(struct vcpu *vcpu, const struct kvm_sregs *s,
			       u64 rip, u8 *buf)
{
	const struct kvm_run *run = vcpu->run;
	unsigned int n;

	if (run->emulation_failure.ndata >= 3 &&
	    (run->emulation_failure.flags &
	     KVM_INTERNAL_ERROR_EMULATION_FLAG_INSTRUCTION_BYTES)) {
		n = MIN(run->emulation_failure.insn_size, INSN_MAX_LEN);
		memcpy(buf, run->emulation_failure.insn_bytes, n);
		return n;
	}
	return fetch_guest(vcpu, s->cs.base + rip, buf, INSN_MAX_LEN);
}

/* #BP (a trap, no error code) or #GP(0) (a fault). */
static int inject_exception(struct vcpu *vcpu, u8 vector)
{
	struct kvm_vcpu_events ev;

	if (kvm_ioctl(vcpu->fd, KVM_GET_VCPU_EVENTS, &ev) < 0)
		return -errno;
	ev.exception.injected = 1;
	ev.exception.nr = vector;
	ev.exception.has_error_code = vector == X86_VEC_GP;
	ev.exception.error_code = 0;
	ev.flags = 0;
	return kvm_ioctl(vcpu->fd, KVM_SET_VCPU_EVENTS, &ev) < 0 ? -errno : 0;
}

/*
 * ldmxcsr: the 4 bytes at la into MXCSR (KVM_GET/SET_FPU). 1 when the
 * value sets reserved bits: #GP(0) injected, RIP left on the instruction.
 */
static int load_mxcsr(struct vcpu *vcpu, u64 la)
{
	struct kvm_fpu fpu;
	u8 b[4];
	u32 v;

	if (fetch_guest(vcpu, la, b, sizeof(b)) != sizeof(b))
		return -EFAULT;
	v = (u32)b[0] | (u32)b[1] << 8 | (u32)b[2] << 16 | (u32)b[3] << 24;
	if (v & ~INSN_MXCSR_VALID) {
		int r = inject_exception(vcpu, X86_VEC_GP);

		return r ? r : 1;
	}
	if (kvm_ioctl(vcpu->fd, KVM_GET_FPU, &fpu) < 0)
		return -errno;
	fpu.mxcsr = v;
	return kvm_ioctl(vcpu->fd, KVM_SET_FPU, &fpu) < 0 ? -errno : 0;
}

static int run_insn(struct vcpu *vcpu, const u8 *b, unsigned int n,
		    const struct kvm_sregs *s, struct kvm_regs *regs)
{
	bool lm = (s->efer & EFER_LMA) && s->cs.l;
	struct insn_op op;
	int r = insn_emulate(b, n, lm, regs, &op);

	if (r == INSN_LDMXCSR) {
		int l = load_mxcsr(vcpu, op.addr);

		if (l)
			return l > 0 ? 0 : l;
	}
	if (r < 0)
		return r;
	if (kvm_ioctl(vcpu->fd, KVM_SET_REGS, regs) < 0)
		return -errno;
	if (r == INSN_INJECT_BP)
		return inject_exception(vcpu, X86_VEC_BP);
	return 0;
}

bool vcpu_emulation_fallback(struct vcpu *vcpu)
{
	struct kvm_sregs s;
	struct kvm_regs regs;
	u8 bytes[INSN_MAX_LEN];
	char text[3 * INSN_MAX_LEN + 1] = "";
	unsigned int n = 0;
	u64 rip = 0;
	int r = -EIO;

	if (kvm_ioctl(vcpu->fd, KVM_GET_REGS, &regs) >= 0 &&
	    kvm_ioctl(vcpu->fd, KVM_GET_SREGS, &s) >= 0) {
		rip = regs.rip;
		n = fetch_insn(vcpu, &s, rip, bytes);
		r = n ? run_insn(vcpu, bytes, n, &s, &regs) : -EFAULT;
	}
	if (!r) {
		vcpu->nr_emulated++;
		if (vcpu->nr_emulated == 1)
			pr_info("vcpu%u: KVM could not emulate an instruction at rip 0x%" PRIx64
				"; sevm's fallback carried it out (vmm/insn.h)",
				vcpu->id, rip);
		return true;
	}
	insn_format(bytes, n, text, sizeof(text));
	pr_err("vcpu%u: KVM_EXIT_INTERNAL_ERROR emulation failure at rip 0x%" PRIx64
	       ", instruction bytes [%s]: %s: stopping the VM", vcpu->id, rip,
	       text, r == -EOPNOTSUPP ? "no fallback for it" : strerror(-r));
	vm_request_stop(vcpu->vm, VM_STOP_ERROR, 0);
	return false;
}
