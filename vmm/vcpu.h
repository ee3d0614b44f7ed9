/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vCPUs: creation, initial register state for each boot mode, and the
 * run loop (one thread per vCPU) dispatching exits to the PIO/MMIO buses.
 */
#ifndef SEVM_VCPU_H
#define SEVM_VCPU_H

#include <linux/kvm.h>
#include <pthread.h>
#include <signal.h>

#include "vmm/boot.h"
#include "lib/util.h"

struct vm;

struct vcpu {
	struct vm *vm;
	u32 id;
	int fd;
	struct kvm_run *run;	/* mmap of the vCPU fd */
	pthread_t thread;
	bool started;
	u64 nr_exits;
	u64 nr_emulated;	/* instructions the fallback carried out */
};

int vcpu_create(struct vm *vm, u32 id, struct vcpu *vcpu) __must_check;
/*
 * After KVM_EXIT_INTERNAL_ERROR with suberror EMULATION (vcpu-emul.c): run
 * the instruction through vmm/insn.h's fallback. true: resume the vCPU;
 * false: the VM is stopping (one line with the bytes and RIP printed).
 */
bool vcpu_emulation_fallback(struct vcpu *vcpu);
/*
 * Initial state. BOOT_RESET: vCPU 0 in the architectural reset state
 * (CS.base 0xffff0000, IP 0xfff0, so it fetches at 0xfffffff0); APs wait
 * for SIPI (KVM_MP_STATE_INIT_RECEIVED... handled by the in-kernel LAPIC).
 * BOOT_LINUX64: long mode, paging on, CS/DS from the boot GDT, RSI = zero
 * page, RIP = entry. BOOT_PVH: 32-bit flat protected mode, paging off,
 * EBX = start_info. APs of direct-boot modes wait for SIPI.
 */
int vcpu_set_boot_state(struct vcpu *vcpu, const struct boot_entry *entry)
	__must_check;
int vcpu_start(struct vcpu *vcpu) __must_check;
/* Make KVM_RUN return (immediate_exit + signal) so the thread sees stop. */
void vcpu_kick(struct vcpu *vcpu);
void vcpu_join(struct vcpu *vcpu);
void vcpu_destroy(struct vcpu *vcpu);

/* The signal that interrupts KVM_RUN (its handler does nothing). */
#define VCPU_KICK_SIGNAL	SIGUSR1

/*
 * Call once in the main thread before any thread starts: installs the
 * kick handler (no SA_RESTART) and blocks SIGTERM, SIGINT and the kick
 * signal in the calling thread, so every thread created later inherits
 * the mask. vCPU threads unblock only the kick signal, and only inside
 * KVM_RUN (KVM_SET_SIGNAL_MASK); SIGTERM/SIGINT go to the main loop's
 * signalfd.
 */
int vcpu_signals_init(void) __must_check;

#endif /* SEVM_VCPU_H */
