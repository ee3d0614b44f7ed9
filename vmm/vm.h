/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The VM: ties configuration, KVM, memory, boot images, vCPUs, buses and
 * devices together in the order the story goes (docs/architecture.md):
 *   (main reads and validates the boot images first: boot_read_images,
 *    boot_check; bad input never costs a VM)
 *   vm_init    KVM checks, VM, memory (locked if asked), buses
 *   vm_init_devices  the device table
 *   vm_load    vm->images into guest memory, the memory slots, then the
 *              in-kernel irqchip and PIT (slots first: see kvm.h) and
 *              the GSI routing (vm->irq, vmm/irq.h)
 *   vm_setup_vcpus  vCPUs with their initial state
 *   vm_start   vCPU threads
 *   vm_run     main-thread loop: signals, stop requests, QMP (control.c)
 *   vm_destroy everything in reverse order
 * vm_pause/vm_resume park the vCPU threads on a condition variable and
 * let them go again (QMP stop/cont, vmm/control.h).
 */
#ifndef SEVM_VM_H
#define SEVM_VM_H

#include <pthread.h>
#include <stdatomic.h>

#include "devices/device.h"
#include "vmm/boot.h"
#include "vmm/bus.h"
#include "vmm/config.h"
#include "vmm/control.h"
#include "vmm/cpuid.h"
#include "vmm/irq.h"
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
	VM_STOP_QUIT,		/* QMP quit: exit 0 */
	VM_STOP_SEV,		/* LAUNCH_FINISH refused: exit EXIT_SEV */
};

struct metrics_writer;
struct qmp_server;
struct sev_launch;
struct shared_pages;

struct vm {
	struct vm_config *cfg;
	struct kvm kvm;
	struct guest_mem mem;
	struct cpuid_mask cpuid_mask;
	struct bus pio;
	struct bus mmio;
	struct irq_router irq;		/* after vm_load */
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
	u32 vm_type;			/* KVM_CREATE_VM type, set before vm_init
					 * (0, or sev_launch_vm_type()) */
	struct sev_launch *sev;		/* NULL without SEV (main owns it) */
	struct shared_pages *shared;	/* SEV shared pages (sev-dma.h) */
	struct qmp_server *qmp;		/* NULL without --qmp (control.c) */
	struct metrics_writer *metrics;	/* NULL without --metrics */
	enum run_state run_state;	/* control.h; main thread only */
	/* Pause: while pause_req is set, vCPU threads park on pause_cond. */
	pthread_mutex_t pause_lock;
	pthread_cond_t pause_cond;	/* parked, resumed, stopping */
	atomic_bool pause_req;
	u32 nr_parked;			/* under pause_lock */
};

/* Steps of vm_init()/vm_init_devices()/vm_load() that vm_destroy() undoes. */
#define VM_DONE_KVM	(1U << 0)	/* kvm_open */
#define VM_DONE_MEM	(1U << 1)	/* mem_alloc */
#define VM_DONE_BUS	(1U << 2)	/* bus_init */
#define VM_DONE_FDS	(1U << 3)	/* stop eventfd, signalfd */
#define VM_DONE_LOOP	(1U << 4)	/* loop_init */
#define VM_DONE_DEVICES	(1U << 5)	/* devices_init */
#define VM_DONE_LOADED	(1U << 6)	/* boot_load + mem_map */
#define VM_DONE_SYNC	(1U << 7)	/* pause_lock, pause_cond (vm_setup_vcpus) */
#define VM_DONE_IRQ	(1U << 8)	/* irq_init (vm_load) */

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
/*
 * Runs the main loop until the VM stops (in any run state: QMP is served
 * before the vCPUs start), stops the vCPU threads and returns the process
 * exit code.
 */
int vm_run(struct vm *vm);
/* Any thread: ask the VM to stop. The first reason is kept. Wakes
 * parked vCPUs, so a paused VM stops too. */
void vm_request_stop(struct vm *vm, enum vm_stop_reason reason, int status);
bool vm_stopping(const struct vm *vm);
/*
 * Main thread. vm_pause kicks every started vCPU out of KVM_RUN and
 * returns once each is parked (or the VM is stopping); vm_resume lets
 * them run again. Both are no-ops on vCPUs that never started.
 */
void vm_pause(struct vm *vm);
void vm_resume(struct vm *vm);
/* Main thread, VM stopping: kick, wake and join every vCPU thread. */
void vm_stop_vcpus(struct vm *vm);
void vm_destroy(struct vm *vm);

/* Exit code for a stop reason and guest status (README table). */
int vm_exit_code(enum vm_stop_reason reason, int guest_status);
/* "poweroff", "reset", ... for messages. */
const char *vm_stop_reason_name(enum vm_stop_reason reason);

#endif /* SEVM_VM_H */
