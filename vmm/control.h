/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * VM control: the run state (QEMU's names) and the QMP commands that
 * orchestrators use with SEV, mapped onto the VM and the SEV launch.
 *
 *   prelaunch --cont--> running --stop--> paused --cont--> running
 *       |                  \__ guest power-off / quit / signal --> shutdown
 *
 * With --paused the vCPUs never run before the first `cont`; that first
 * `cont` runs LAUNCH_FINISH (as QEMU does on the first transition to
 * running) and starts the vCPU threads. Events: STOP, RESUME, SHUTDOWN
 * (and POWERDOWN for system_powerdown).
 */
#ifndef SEVM_CONTROL_H
#define SEVM_CONTROL_H

#include "lib/util.h"

struct vm;

enum run_state {
	RUN_PRELAUNCH,		/* "prelaunch": created, vCPUs never ran */
	RUN_RUNNING,		/* "running" */
	RUN_PAUSED,		/* "paused": stopped by `stop` */
	RUN_SHUTDOWN,		/* "shutdown" */
};

const char *run_state_name(enum run_state s);

/* Open the QMP socket (cfg->qmp) on the VM's loop; no-op without it. */
int control_init(struct vm *vm) __must_check;
/*
 * Leave prelaunch: LAUNCH_FINISH if SEV, then start the vCPUs; RESUME.
 * On failure err holds one line (firmware status named) and a stop is
 * requested: VM_STOP_SEV if LAUNCH_FINISH failed (an SEV guest never runs
 * unmeasured), else VM_STOP_ERROR. -EINVAL if not in prelaunch.
 */
int control_start(struct vm *vm, char *err, size_t errlen) __must_check;
/* running -> paused (vCPUs parked), STOP; -EINVAL in another state. */
int control_pause(struct vm *vm) __must_check;
/* paused -> running, RESUME; -EINVAL in another state. */
int control_resume(struct vm *vm) __must_check;
/* Emit SHUTDOWN with QEMU's reason ("guest-shutdown", "host-signal"...). */
void control_shutdown_event(struct vm *vm, bool guest, const char *reason);
/*
 * After vm_run: state "shutdown" and the SHUTDOWN event for the VM's stop
 * reason (poweroff/test-exit: guest-shutdown, reset: guest-reset, signal:
 * host-signal, quit: host-qmp-quit, errors: host-error).
 */
void control_stopped(struct vm *vm);
void control_close(struct vm *vm);

#endif /* SEVM_CONTROL_H */
