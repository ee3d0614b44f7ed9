// SPDX-License-Identifier: GPL-2.0-only
/*
 * Metrics in the control plane: --metrics FILE (a line every second and
 * one at exit) and QMP x-query-metrics (the same object). The counters
 * themselves are vmm/metrics.h; the format is docs/metrics.md.
 */
#include <json-c/json.h>

#include "vmm/control-priv.h"
#include "vmm/metrics.h"
#include "vmm/vm.h"

#define METRICS_INTERVAL_MS	1000

int control_metrics_open(struct vm *vm)
{
	if (!vm->cfg->metrics)
		return 0;
	/* listed always: 0 when nothing is pinned */
	metric_get("memory.pinned_bytes");
	return metrics_writer_open(&vm->metrics, vm->cfg->metrics, &vm->loop,
				   METRICS_INTERVAL_MS);
}

void control_metrics_close(struct vm *vm)
{
	metrics_writer_close(vm->metrics);	/* the final line */
	vm->metrics = NULL;
}

/* sevm's own command (QEMU's query-stats has another schema). */
int qmp_x_query_metrics(void *opaque, struct json_object *args,
			struct json_object **ret, struct qmp_error *err)
{
	*ret = metrics_json();
	if (!*ret)
		return qmp_fail(err, QMP_ERR_GENERIC, "x-query-metrics: %s",
				"out of memory");
	return 0;
}
