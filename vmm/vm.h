/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The VM: ties configuration, KVM, memory, boot images, vCPUs, buses and
 * devices together in the order the story goes (docs/architecture.md):
 *   (main reads and validates the boot images first: boot_read_images,
 *    boot_check; bad input never costs a VM)
 *   vm_init    KVM checks, VM, memory (locked if asked), buses
 *   vm_init_devices  the device table
 *   vm_load    vm->images into guest memory, the memory slots, then the
 *              in-kernel irqchip and PIT (slots first: see kvm.h)
 *   vm_setup_vcpus  vCPUs with their initial state
 *   vm_start   vCPU threads
 *   vm_run     main-thread loop: signals, stop requests (later QMP)
 *   vm_destroy everything in reverse order
 */
#ifndef SEVM_VM_H
#define SEVM_VM_H

#include <stdatomic.h>

#include "devices/device.h"
#include "vmm/boot.h"
#include "vmm/bus.h"
#include "vmm/config.h"
#include "vmm/cpuid.h"
#include "vmm/kvm.h"
#include "vmm/loop.h"
#include "vmm/memory.h"
#include "vmm/vcpu.h"

enum vm_stop_reason {
	VM_STOP_NONE = 0,
	VM_STOP_POWEROFF,	/* guest asked to power off */
	VM_STOP_RESET,		/* i8042 reset or triple fault: means off */
	VM_STOP_TESTEXIT,	/* port 0xf4: exit with the guest's status */
	VM_STOP_SIGNAL,		/* SIGTERM / SIGINT */
	VM_STOP_ERROR,		/* vCPU failure (internal error, bad exit) */
};

struct vm {
	struct vm_config *cfg;
	struct kvm kvm;
	struct guest_mem mem;
	struct cpuid_mask cpuid_mask;
	struct bus pio;
	struct bus mmio;
	struct boot_images images;
	struct boot_entry entry;
	struct fw_info fw;
	struct vcpu *vcpus;
	u32 nr_vcpus;
	struct devices devices;
	struct loop loop;
	int stop_fd;			/* eventfd, written on stop request */
	int signal_fd;			/* SIGTERM/SIGINT */
	atomic_int stop_reason;		/* first reason wins */
	int guest_status;		/* test-exit value */
	u32 done;			/* VM_DONE_* steps to undo */
};

/* Steps of vm_init()/vm_init_devices()/vm_load() that vm_destroy() undoes. */
#define VM_DONE_KVM	(1U << 0)	/* kvm_open */
#define VM_DONE_MEM	(1U << 1)	/* mem_alloc */
#define VM_DONE_BUS	(1U << 2)	/* bus_init */
#define VM_DONE_FDS	(1U << 3)	/* stop eventfd, signalfd */
#define VM_DONE_LOOP	(1U << 4)	/* loop_init */
#define VM_DONE_DEVICES	(1U << 5)	/* devices_init */
#define VM_DONE_LOADED	(1U << 6)	/* boot_load + mem_map */

/* Errors: -errno; main maps vm_init failures to EXIT_HOST, device and
 * load failures to EXIT_CONFIG (README exit codes).
 * The caller zeroes *vm first; vm_init() leaves vm->images and vm->fw
 * (filled by main beforehand) alone. vm_destroy() undoes whatever steps
 * succeeded, so it is always the one cleanup call, even on a zeroed vm. */
int vm_init(struct vm *vm, struct vm_config *cfg) __must_check;
int vm_init_devices(struct vm *vm) __must_check;
int vm_load(struct vm *vm) __must_check;
int vm_setup_vcpus(struct vm *vm) __must_check;
int vm_start(struct vm *vm) __must_check;
/* Runs the main loop until the VM stops; returns the process exit code. */
int vm_run(struct vm *vm);
/* Any thread: ask the VM to stop. The first reason is kept. */
void vm_request_stop(struct vm *vm, enum vm_stop_reason reason, int status);
bool vm_stopping(const struct vm *vm);
void vm_destroy(struct vm *vm);

/* Exit code for a stop reason and guest status (README table). */
int vm_exit_code(enum vm_stop_reason reason, int guest_status);
/* "poweroff", "reset", ... for messages. */
const char *vm_stop_reason_name(enum vm_stop_reason reason);

#endif /* SEVM_VM_H */
