// SPDX-License-Identifier: GPL-2.0-only
/*
 * VM control (control.h): the run state, its transitions and the events
 * that announce them. The QMP commands are in control-qmp.c (run state)
 * and control-sev.c (SEV launch). Everything here runs on the main thread.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "vmm/launch.h"
#include "vmm/control-priv.h"
#include "lib/log.h"
#include "vmm/vm.h"

static const char *const run_state_names[] = {
	[RUN_PRELAUNCH]	= "prelaunch",
	[RUN_RUNNING]	= "running",
	[RUN_PAUSED]	= "paused",
	[RUN_SHUTDOWN]	= "shutdown",
};

const char *run_state_name(enum run_state s)
{
	if ((unsigned int)s < ARRAY_SIZE(run_state_names))
		return run_state_names[s];
	return "unknown";
}

int control_init(struct vm *vm)
{
	if (control_metrics_open(vm))
		return -EINVAL;		/* named by the metrics writer */
	if (!vm->cfg->qmp)
		return 0;
	return qmp_server_open(&vm->qmp, vm->cfg->qmp, &vm->loop,
			       control_qmp_cmds, control_qmp_nr_cmds, vm);
}

void control_event(struct vm *vm, const char *name, struct json_object *data)
{
	if (vm->qmp)
		qmp_event(vm->qmp, name, data);
	else
		json_object_put(data);
}

void control_sev_error(char *buf, size_t len, const char *what, int r,
		       int fw_err)
{
	if (r == -EIO && fw_err)
		snprintf(buf, len, "%s: %s (firmware status 0x%x %s)", what,
			 strerror(-r), (unsigned int)fw_err,
			 sev_fw_err_name(fw_err));
	else
		snprintf(buf, len, "%s: %s", what, strerror(-r));
}

/* LAUNCH_FINISH: from here on the guest may run. */
static int control_finish_launch(struct vm *vm, char *err, size_t errlen)
{
	int r = sev_launch_finish(vm->sev, vm);

	if (r < 0) {
		control_sev_error(err, errlen, "SEV: LAUNCH_FINISH failed", r,
				  sev_launch_last_fw_err(vm->sev));
		vm_request_stop(vm, VM_STOP_SEV, 0);
	}
	return r;
}

int control_start(struct vm *vm, char *err, size_t errlen)
{
	int r;

	if (vm->run_state != RUN_PRELAUNCH) {
		snprintf(err, errlen, "start the VM: it is %s, not prelaunch",
			 run_state_name(vm->run_state));
		return -EINVAL;
	}
	if (vm->sev) {
		r = control_finish_launch(vm, err, errlen);
		if (r < 0)
			return r;
	}
	r = vm_start(vm);
	if (r < 0) {
		snprintf(err, errlen, "start the vCPU threads: %s",
			 strerror(-r));
		vm_request_stop(vm, VM_STOP_ERROR, 0);
		return r;
	}
	vm->run_state = RUN_RUNNING;
	control_event(vm, "RESUME", NULL);
	return 0;
}

int control_pause(struct vm *vm)
{
	if (vm->run_state != RUN_RUNNING)
		return -EINVAL;
	vm_pause(vm);
	vm->run_state = RUN_PAUSED;
	control_event(vm, "STOP", NULL);
	return 0;
}

int control_resume(struct vm *vm)
{
	if (vm->run_state != RUN_PAUSED)
		return -EINVAL;
	vm_resume(vm);
	vm->run_state = RUN_RUNNING;
	control_event(vm, "RESUME", NULL);
	return 0;
}

void control_shutdown_event(struct vm *vm, bool guest, const char *reason)
{
	struct json_object *data;

	vm->run_state = RUN_SHUTDOWN;
	if (!vm->qmp)
		return;
	data = json_object_new_object();
	json_object_object_add(data, "guest", json_object_new_boolean(guest));
	json_object_object_add(data, "reason", json_object_new_string(reason));
	control_event(vm, "SHUTDOWN", data);
}

void control_stopped(struct vm *vm)
{
	switch ((enum vm_stop_reason)atomic_load(&vm->stop_reason)) {
	case VM_STOP_POWEROFF:
	case VM_STOP_TESTEXIT:
		control_shutdown_event(vm, true, "guest-shutdown");
		return;
	case VM_STOP_RESET:
		control_shutdown_event(vm, true, "guest-reset");
		return;
	case VM_STOP_SIGNAL:
		control_shutdown_event(vm, false, "host-signal");
		return;
	case VM_STOP_QUIT:
		control_shutdown_event(vm, false, "host-qmp-quit");
		return;
	case VM_STOP_NONE:
	case VM_STOP_ERROR:
	case VM_STOP_SEV:
		break;
	}
	control_shutdown_event(vm, false, "host-error");
}

void control_close(struct vm *vm)
{
	qmp_server_close(vm->qmp);
	vm->qmp = NULL;
	control_metrics_close(vm);
}
