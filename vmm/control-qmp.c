// SPDX-License-Identifier: GPL-2.0-only
/*
 * The QMP commands (QEMU's names, fields and error texts) and their
 * table: the run state here, the SEV launch in control-sev.c. Every
 * handler runs on the main thread; none of them ends the process: quit
 * and system_powerdown request a stop that vm_run then carries out.
 */
#include <json-c/json.h>

#include "devices/acpi/machine.h"
#include "vmm/control-priv.h"
#include "vmm/vm.h"

/* {"running": bool, "singlestep": false, "status": RunState} */
static int qmp_query_status(void *opaque, struct json_object *args,
			    struct json_object **ret, struct qmp_error *err)
{
	struct vm *vm = opaque;
	enum run_state s = vm_stopping(vm) ? RUN_SHUTDOWN : vm->run_state;
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "running",
			       json_object_new_boolean(s == RUN_RUNNING));
	json_object_object_add(o, "singlestep", json_object_new_boolean(0));
	json_object_object_add(o, "status",
			       json_object_new_string(run_state_name(s)));
	*ret = o;
	return 0;
}

/* As QEMU: pauses a running VM (STOP); in any other state a no-op. */
static int qmp_stop(void *opaque, struct json_object *args,
		    struct json_object **ret, struct qmp_error *err)
{
	struct vm *vm = opaque;

	if (vm->run_state != RUN_RUNNING || vm_stopping(vm))
		return 0;
	if (control_pause(vm))
		return qmp_fail(err, QMP_ERR_GENERIC, "stop: the VM is %s",
				run_state_name(vm->run_state));
	return 0;
}

static int qmp_cont(void *opaque, struct json_object *args,
		    struct json_object **ret, struct qmp_error *err)
{
	struct vm *vm = opaque;
	char msg[sizeof(err->desc)];

	if (vm_stopping(vm) || vm->run_state == RUN_SHUTDOWN)
		return qmp_fail(err, QMP_ERR_GENERIC,
				"Resetting the Virtual Machine is required");
	switch (vm->run_state) {
	case RUN_PRELAUNCH:
		if (control_start(vm, msg, sizeof(msg)))
			return qmp_fail(err, QMP_ERR_GENERIC, "%s", msg);
		return 0;
	case RUN_PAUSED:
		if (control_resume(vm))
			return qmp_fail(err, QMP_ERR_GENERIC,
					"cont: the VM is not paused");
		return 0;
	case RUN_RUNNING:
	case RUN_SHUTDOWN:
		break;
	}
	return 0;		/* running: QEMU answers {} too */
}

/*
 * POWERDOWN, then the ACPI power button (the GED's event): the guest
 * decides, as on QEMU; a guest that shuts down enters S5 and the VM stops
 * with SHUTDOWN guest-shutdown. Built without ACPI there is no button,
 * and the VM is powered off at once, as if the guest had done it.
 */
static int qmp_system_powerdown(void *opaque, struct json_object *args,
				struct json_object **ret,
				struct qmp_error *err)
{
	struct vm *vm = opaque;

	control_event(vm, "POWERDOWN", NULL);
	if (!acpi_powerdown(vm))
		vm_request_stop(vm, VM_STOP_POWEROFF, 0);
	return 0;
}

/* {} now; SHUTDOWN {"guest": false, "reason": "host-qmp-quit"} follows. */
static int qmp_quit(void *opaque, struct json_object *args,
		    struct json_object **ret, struct qmp_error *err)
{
	vm_request_stop(opaque, VM_STOP_QUIT, 0);
	return 0;
}

const struct qmp_command control_qmp_cmds[] = {
	{ "query-status", qmp_query_status, { { NULL } } },
	{ "stop", qmp_stop, { { NULL } } },
	{ "cont", qmp_cont, { { NULL } } },
	{ "system_powerdown", qmp_system_powerdown, { { NULL } } },
	{ "quit", qmp_quit, { { NULL } } },
	{ "x-query-metrics", qmp_x_query_metrics, { { NULL } } },
	{ "query-sev", qmp_query_sev, { { NULL } } },
	{ "query-sev-launch-measure", qmp_query_sev_launch_measure,
	  { { NULL } } },
	{ "query-sev-capabilities", qmp_query_sev_capabilities,
	  { { NULL } } },
	{ "query-sev-attestation-report", qmp_query_sev_attestation_report,
	  { { "mnonce", QMP_ARG_STR } } },
	{ "sev-inject-launch-secret", qmp_sev_inject_launch_secret,
	  { { "packet-header", QMP_ARG_STR },
	    { "secret", QMP_ARG_STR },
	    { "gpa", QMP_ARG_INT, true } } },
};

const unsigned int control_qmp_nr_cmds = ARRAY_SIZE(control_qmp_cmds);
