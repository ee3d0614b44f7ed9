/* SPDX-License-Identifier: GPL-2.0-only */
/* VM control: what vmm/control*.c share. Not a public API. */
#ifndef SEVM_CONTROL_PRIV_H
#define SEVM_CONTROL_PRIV_H

#include "vmm/control.h"
#include "vmm/qmp.h"

struct json_object;
struct vm;

/* The QMP command table (control-qmp.c). */
extern const struct qmp_command control_qmp_cmds[];
extern const unsigned int control_qmp_nr_cmds;

/* Send an event to the QMP clients (takes data; NULL is {}). */
void control_event(struct vm *vm, const char *name, struct json_object *data);

/* The SEV commands (control-sev.c). */
int qmp_query_sev(void *opaque, struct json_object *args,
		  struct json_object **ret, struct qmp_error *err);
int qmp_query_sev_launch_measure(void *opaque, struct json_object *args,
				 struct json_object **ret,
				 struct qmp_error *err);
int qmp_query_sev_capabilities(void *opaque, struct json_object *args,
			       struct json_object **ret,
			       struct qmp_error *err);
int qmp_query_sev_attestation_report(void *opaque, struct json_object *args,
				     struct json_object **ret,
				     struct qmp_error *err);
int qmp_sev_inject_launch_secret(void *opaque, struct json_object *args,
				 struct json_object **ret,
				 struct qmp_error *err);

/* --metrics FILE and x-query-metrics (control-metrics.c). */
int control_metrics_open(struct vm *vm) __must_check;
void control_metrics_close(struct vm *vm);
int qmp_x_query_metrics(void *opaque, struct json_object *args,
			struct json_object **ret, struct qmp_error *err);

/* "what failed: reason (firmware status 0x7 POLICY_FAILURE)" into buf. */
void control_sev_error(char *buf, size_t len, const char *what, int r,
		       int fw_err);

#endif /* SEVM_CONTROL_PRIV_H */
