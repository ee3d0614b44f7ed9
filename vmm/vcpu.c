// SPDX-License-Identifier: GPL-2.0-only
/*
 * vCPUs: creation, the initial register state of each boot mode, and one
 * thread per vCPU running KVM_RUN and dispatching exits to the buses.
 *
 * Stopping: vm_request_stop() records the reason; the main thread then
 * kicks every vCPU (run->immediate_exit = 1 and the kick signal), so a
 * thread either is interrupted inside KVM_RUN or returns from its next
 * KVM_RUN at once, sees vm_stopping() and ends.
 *
 * Pausing (vm_pause): the same kick, but the thread then parks on the
 * VM's pause_cond until vm_resume() or a stop request wakes it.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "vmm/metrics.h"
#include "vmm/kvm.h"
#include "lib/log.h"
#include "vmm/sev-dma.h"
#include "vmm/vcpu.h"
#include "vmm/vm.h"

#define X86_CR0_PE	0x00000001ULL
#define X86_CR0_ET	0x00000010ULL
#define X86_CR0_PG	0x80000000ULL
#define X86_CR0_RESET	0x60000010ULL	/* CD | NW | ET */
#define X86_CR4_PAE	0x00000020ULL
#define EFER_LME	0x00000100ULL
#define EFER_LMA	0x00000400ULL
#define RFLAGS_RESET	0x2ULL

#define SEG_TYPE_CODE	0xb		/* execute/read, accessed */
#define SEG_TYPE_DATA	0x3		/* read/write, accessed */
/* BOOT_CS, BOOT_DS, BOOT_GDT_LIMIT: the boot GDT of boot.h. */

static void vcpu_kick_handler(int sig)
{
	(void)sig;	/* only there to make KVM_RUN return -EINTR */
}

int vcpu_signals_init(void)
{
	struct sigaction sa = { .sa_handler = vcpu_kick_handler };
	sigset_t set;
	int r;

	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;		/* no SA_RESTART: KVM_RUN must return */
	if (sigaction(VCPU_KICK_SIGNAL, &sa, NULL) < 0) {
		r = -errno;
		pr_err("install the vCPU kick signal handler: %s",
		       strerror(-r));
		return r;
	}
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, VCPU_KICK_SIGNAL);
	r = pthread_sigmask(SIG_BLOCK, &set, NULL);
	if (r) {
		pr_err("block SIGTERM/SIGINT/SIGUSR1: %s", strerror(r));
		return -r;
	}
	return 0;
}

/* The mask in force inside KVM_RUN: the thread's mask minus the kick. */
static int vcpu_set_sigmask(struct vcpu *vcpu)
{
	u64 buf[2] = { 0 };
	struct kvm_signal_mask *m = (struct kvm_signal_mask *)buf;
	sigset_t set;
	int r;

	pthread_sigmask(SIG_SETMASK, NULL, &set);
	sigdelset(&set, VCPU_KICK_SIGNAL);
	m->len = 8;			/* the kernel's sigset_t */
	memcpy(m->sigset, &set, 8);
	if (kvm_ioctl(vcpu->fd, KVM_SET_SIGNAL_MASK, m) < 0) {
		r = -errno;
		pr_err("KVM_SET_SIGNAL_MASK on vCPU %u: %s", vcpu->id,
		       strerror(-r));
		return r;
	}
	return 0;
}

int vcpu_create(struct vm *vm, u32 id, struct vcpu *vcpu)
{
	int r;

	memset(vcpu, 0, sizeof(*vcpu));
	vcpu->vm = vm;
	vcpu->id = id;
	vcpu->fd = kvm_ioctl_val(vm->kvm.vm_fd, KVM_CREATE_VCPU, id);
	if (vcpu->fd < 0) {
		r = -errno;
		pr_err("KVM_CREATE_VCPU %u: %s", id, strerror(-r));
		return r;
	}
	vcpu->run = mmap(NULL, (size_t)vm->kvm.vcpu_mmap_size,
			 PROT_READ | PROT_WRITE, MAP_SHARED, vcpu->fd, 0);
	if (vcpu->run == MAP_FAILED) {
		r = -errno;
		vcpu->run = NULL;
		pr_err("mmap kvm_run of vCPU %u (%d bytes): %s", id,
		       vm->kvm.vcpu_mmap_size, strerror(-r));
		goto fail;
	}
	r = cpuid_apply(vcpu->fd, vm->kvm.cpuid, &vm->cpuid_mask, id,
			vm->nr_vcpus);
	if (!r)
		r = vcpu_set_sigmask(vcpu);
	if (!r)
		return 0;
fail:
	vcpu_destroy(vcpu);
	return r;
}

/* For a failed vCPU ioctl: one error line, and -errno. */
static int vcpu_ioctl_err(const struct vcpu *vcpu, const char *op)
{
	int r = -errno;

	pr_err("%s on vCPU %u: %s", op, vcpu->id, strerror(-r));
	return r;
}

/* Architectural reset: the first fetch is at 0xfffffff0. */
static int vcpu_reset_state(struct vcpu *vcpu)
{
	struct kvm_regs regs = {
		.rflags = RFLAGS_RESET,
		.rip = 0xfff0,
		.rdx = cpuid_signature(vcpu->vm->kvm.cpuid),
	};
	struct kvm_sregs s;

	if (kvm_ioctl(vcpu->fd, KVM_GET_SREGS, &s) < 0)
		return vcpu_ioctl_err(vcpu, "KVM_GET_SREGS");
	s.cs = (struct kvm_segment) {
		.base = 0xffff0000, .limit = 0xffff, .selector = 0xf000,
		.type = SEG_TYPE_CODE, .present = 1, .s = 1,
	};
	s.cr0 = X86_CR0_RESET;
	if (kvm_ioctl(vcpu->fd, KVM_SET_SREGS, &s) < 0)
		return vcpu_ioctl_err(vcpu, "KVM_SET_SREGS");
	if (kvm_ioctl(vcpu->fd, KVM_SET_REGS, &regs) < 0)
		return vcpu_ioctl_err(vcpu, "KVM_SET_REGS");
	return 0;
}

static void seg_flat(struct kvm_segment *seg, u16 sel, u8 type, bool code64)
{
	*seg = (struct kvm_segment) {
		.base = 0, .limit = 0xffffffff, .selector = sel, .type = type,
		.present = 1, .dpl = 0, .db = !code64, .s = 1, .l = code64,
		.g = 1,
	};
}

/* BOOT_LINUX64 (long mode, paging) or BOOT_PVH (32-bit, no paging). */
static int vcpu_direct_state(struct vcpu *vcpu, const struct boot_entry *e)
{
	bool lm = e->mode == BOOT_LINUX64;
	struct kvm_regs regs = { .rflags = RFLAGS_RESET, .rip = e->rip };
	struct kvm_sregs s;

	if (kvm_ioctl(vcpu->fd, KVM_GET_SREGS, &s) < 0)
		return vcpu_ioctl_err(vcpu, "KVM_GET_SREGS");
	seg_flat(&s.cs, BOOT_CS, SEG_TYPE_CODE, lm);
	seg_flat(&s.ds, BOOT_DS, SEG_TYPE_DATA, false);
	s.es = s.fs = s.gs = s.ss = s.ds;
	s.gdt.base = e->gdt;
	s.gdt.limit = BOOT_GDT_LIMIT;
	s.cr0 = X86_CR0_PE | X86_CR0_ET | (lm ? X86_CR0_PG : 0);
	s.cr4 = lm ? X86_CR4_PAE : 0;
	s.cr3 = lm ? e->cr3 : 0;
	s.efer = lm ? EFER_LME | EFER_LMA : 0;
	if (kvm_ioctl(vcpu->fd, KVM_SET_SREGS, &s) < 0)
		return vcpu_ioctl_err(vcpu, "KVM_SET_SREGS");
	if (lm)
		regs.rsi = e->boot_params;
	else
		regs.rbx = e->boot_params;
	if (kvm_ioctl(vcpu->fd, KVM_SET_REGS, &regs) < 0)
		return vcpu_ioctl_err(vcpu, "KVM_SET_REGS");
	return 0;
}

int vcpu_set_boot_state(struct vcpu *vcpu, const struct boot_entry *entry)
{
	/*
	 * APs: with the in-kernel LAPIC a non-boot vCPU starts in
	 * KVM_MP_STATE_UNINITIALIZED and waits for INIT/SIPI from the BSP.
	 */
	if (vcpu->id != 0)
		return 0;
	switch (entry->mode) {
	case BOOT_RESET:
		return vcpu_reset_state(vcpu);
	case BOOT_LINUX64:
	case BOOT_PVH:
		return vcpu_direct_state(vcpu, entry);
	}
	pr_err("vCPU %u: unknown boot mode %d", vcpu->id, (int)entry->mode);
	return -EINVAL;
}

static u64 vcpu_rip(const struct vcpu *vcpu)
{
	struct kvm_regs regs;

	if (kvm_ioctl(vcpu->fd, KVM_GET_REGS, &regs) < 0)
		return ~0ULL;
	return regs.rip;
}

/* One error line naming the exit, its code and RIP; the VM stops. */
static bool vcpu_fail(struct vcpu *vcpu, const char *what, u64 code)
{
	const struct kvm_run *run = vcpu->run;
	const char *name = kvm_exit_reason_name(run->exit_reason);
	u64 rip = vcpu_rip(vcpu);

	if (run->exit_reason == KVM_EXIT_INTERNAL_ERROR && run->internal.ndata)
		pr_err("vcpu%u: %s %s %" PRIu64 " at rip 0x%" PRIx64
		       " (data 0x%llx 0x%llx): stopping the VM", vcpu->id,
		       name, what, code, rip,
		       (unsigned long long)run->internal.data[0],
		       (unsigned long long)(run->internal.ndata > 1 ?
					    run->internal.data[1] : 0));
	else
		pr_err("vcpu%u: %s (%u) %s %" PRIu64 " at rip 0x%" PRIx64
		       ": stopping the VM", vcpu->id, name, run->exit_reason,
		       what, code, rip);
	vm_request_stop(vcpu->vm, VM_STOP_ERROR, 0);
	return false;
}

static void vcpu_handle_io(struct vcpu *vcpu)
{
	struct kvm_run *run = vcpu->run;
	u8 *data = (u8 *)run + run->io.data_offset;
	bool is_write = run->io.direction == KVM_EXIT_IO_OUT;
	u32 i;

	if (sev_dma_port_exit(vcpu))
		return;
	/* rep ins/outs: count accesses of size bytes, back to back. */
	for (i = 0; i < run->io.count; i++, data += run->io.size)
		bus_dispatch(&vcpu->vm->pio, run->io.port, data, run->io.size,
			     is_write);
}

static bool vcpu_system_event(struct vcpu *vcpu)
{
	u32 type = vcpu->run->system_event.type;

	switch (type) {
	case KVM_SYSTEM_EVENT_SHUTDOWN:
		vm_request_stop(vcpu->vm, VM_STOP_POWEROFF, 0);
		return false;
	case KVM_SYSTEM_EVENT_RESET:
		vm_request_stop(vcpu->vm, VM_STOP_RESET, 0);
		return false;
	}
	return vcpu_fail(vcpu, "type", type);
}

static bool vcpu_shutdown(struct vcpu *vcpu)
{
	pr_warn("vcpu%u: triple fault (KVM_EXIT_SHUTDOWN) at rip 0x%" PRIx64
		": treating it as a reset, which stops the VM", vcpu->id,
		vcpu_rip(vcpu));
	vm_request_stop(vcpu->vm, VM_STOP_RESET, 0);
	return false;
}

#ifdef CONFIG_DEBUG_EXITS
static void vcpu_trace_exit(const struct vcpu *vcpu)
{
	const struct kvm_run *run = vcpu->run;

	if (run->exit_reason == KVM_EXIT_IO)
		pr_debug("vcpu%u: KVM_EXIT_IO %s port 0x%x size %u count %u",
			 vcpu->id, run->io.direction ? "out" : "in",
			 run->io.port, run->io.size, run->io.count);
	else if (run->exit_reason == KVM_EXIT_MMIO)
		pr_debug("vcpu%u: KVM_EXIT_MMIO %s 0x%llx len %u", vcpu->id,
			 run->mmio.is_write ? "write" : "read",
			 (unsigned long long)run->mmio.phys_addr,
			 run->mmio.len);
	else
		pr_debug("vcpu%u: %s", vcpu->id,
			 kvm_exit_reason_name(run->exit_reason));
}
#else
static inline void vcpu_trace_exit(const struct vcpu *vcpu) { }
#endif

/* false: this thread is done (the VM is stopping). */
static bool vcpu_handle_exit(struct vcpu *vcpu)
{
	struct kvm_run *run = vcpu->run;

	vcpu_trace_exit(vcpu);
	switch (run->exit_reason) {
	case KVM_EXIT_IO:
		vcpu_handle_io(vcpu);
		return true;
	case KVM_EXIT_MMIO:
		bus_dispatch(&vcpu->vm->mmio, run->mmio.phys_addr,
			     run->mmio.data, run->mmio.len,
			     run->mmio.is_write);
		return true;
	case KVM_EXIT_HLT:
		return true;	/* the in-kernel LAPIC wakes it up */
	case KVM_EXIT_HYPERCALL:
		return sev_dma_hypercall_exit(vcpu);
	case KVM_EXIT_SHUTDOWN:
		return vcpu_shutdown(vcpu);
	case KVM_EXIT_SYSTEM_EVENT:
		return vcpu_system_event(vcpu);
	case KVM_EXIT_INTERNAL_ERROR:
		if (run->internal.suberror == KVM_INTERNAL_ERROR_EMULATION)
			return vcpu_emulation_fallback(vcpu);
		return vcpu_fail(vcpu, "suberror", run->internal.suberror);
	case KVM_EXIT_FAIL_ENTRY:
		return vcpu_fail(vcpu, "hardware reason",
				 run->fail_entry.hardware_entry_failure_reason);
	}
	return vcpu_fail(vcpu, "unhandled, code", run->exit_reason);
}

/*
 * A kick that arrived outside KVM_RUN stays pending (the signal is
 * blocked there), and every later KVM_RUN would return -EINTR at once:
 * take it off the thread before running again.
 */
static void vcpu_eat_kicks(void)
{
	struct timespec zero = { 0 };
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, VCPU_KICK_SIGNAL);
	while (sigtimedwait(&set, NULL, &zero) == VCPU_KICK_SIGNAL)
		;
}

/* Wait, counted in nr_parked, while the VM is paused and not stopping. */
static void vcpu_park(struct vcpu *vcpu)
{
	struct vm *vm = vcpu->vm;

	pthread_mutex_lock(&vm->pause_lock);
	vm->nr_parked++;
	pthread_cond_broadcast(&vm->pause_cond);	/* vm_pause waits */
	while (atomic_load(&vm->pause_req) && !vm_stopping(vm))
		pthread_cond_wait(&vm->pause_cond, &vm->pause_lock);
	vm->nr_parked--;
	pthread_mutex_unlock(&vm->pause_lock);
	/* vm_pause() sent its kicks before it returned: any is pending now. */
	vcpu_eat_kicks();
}

static void *vcpu_thread(void *arg)
{
	struct vcpu *vcpu = arg;
	struct vm *vm = vcpu->vm;
	int err;

	while (!vm_stopping(vm)) {
		if (atomic_load(&vm->pause_req)) {
			vcpu_park(vcpu);
			continue;
		}
		if (kvm_ioctl_val(vcpu->fd, KVM_RUN, 0) < 0) {
			err = errno;
			if (err == EINTR || err == EAGAIN) {
				vcpu->run->immediate_exit = 0;
				/* A kick sent while this thread was outside
				 * KVM_RUN stays pending and would make every
				 * KVM_RUN fail at once: take it now. */
				vcpu_eat_kicks();
				continue;
			}
			pr_err("vcpu%u: KVM_RUN: %s", vcpu->id, strerror(err));
			vm_request_stop(vm, VM_STOP_ERROR, 0);
			break;
		}
		vcpu->nr_exits++;
		metrics_vcpu_exit(vcpu->run->exit_reason);
		if (vcpu->nr_exits == 1 && !vcpu->id)
			metrics_mark("first-vcpu-exit");
		if (!vcpu_handle_exit(vcpu))
			break;
	}
	return NULL;
}

int vcpu_start(struct vcpu *vcpu)
{
	int r = -thread_create(&vcpu->thread, THREAD_VCPU, vcpu_thread, vcpu);

	if (r) {
		pr_err("start the thread of vCPU %u: %s", vcpu->id,
		       strerror(r));
		return -r;
	}
	vcpu->started = true;
	return 0;
}

void vcpu_kick(struct vcpu *vcpu)
{
	if (vcpu->run)
		__atomic_store_n(&vcpu->run->immediate_exit, 1,
				 __ATOMIC_SEQ_CST);
	if (vcpu->started)
		pthread_kill(vcpu->thread, VCPU_KICK_SIGNAL);
}

void vcpu_join(struct vcpu *vcpu)
{
	if (!vcpu->started)
		return;
	pthread_join(vcpu->thread, NULL);
	vcpu->started = false;
}

/* The VM must be stopping if the thread still runs (it is kicked here). */
void vcpu_destroy(struct vcpu *vcpu)
{
	if (vcpu->started) {
		vcpu_kick(vcpu);
		vcpu_join(vcpu);
	}
	if (vcpu->run)
		munmap(vcpu->run, (size_t)vcpu->vm->kvm.vcpu_mmap_size);
	if (vcpu->fd > 0)
		close(vcpu->fd);
	vcpu->run = NULL;
	vcpu->fd = -1;
}
