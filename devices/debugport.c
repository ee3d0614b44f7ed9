// SPDX-License-Identifier: GPL-2.0-only
/*
 * Boot-timing debug port at 0x80. Recording is on the launch-latency hot
 * path: one clock read (vDSO), one compare-and-swap to reserve a slot,
 * two stores. No lock, no allocation, no system call. A record is
 * complete once the vCPU that wrote it has left the handler, so readers
 * (timeline, JSON) run after the vCPUs stop, as debugport.h says.
 * Reads of the port return 0.
 */
#include <errno.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "devices/debugport.h"
#include "devices/device.h"
#include "lib/log.h"
#include "vmm/vm.h"

static const char *const marker_names[256] = {
	[MARK_RESET_VECTOR]	= "reset vector",
	[MARK_PROTECTED_MODE]	= "protected mode",
	[MARK_LONG_MODE]	= "long mode",
	[MARK_C_ENTRY]		= "firmware C entry",
	[MARK_SEV_DETECTED]	= "SEV detected",
	[MARK_HANDOFF_FOUND]	= "hand-off found",
	[MARK_HASHES_VERIFIED]	= "hashes verified",
	[MARK_SELFTEST_START]	= "self test start",
	[MARK_SELFTEST_DONE]	= "self test done",
	[MARK_KERNEL_JUMP]	= "kernel jump",
	[MARK_BAD_KERNEL]	= "bad kernel hash",
	[MARK_BAD_INITRD]	= "bad initrd hash",
	[MARK_BAD_CMDLINE]	= "bad cmdline hash",
	[MARK_FATAL]		= "firmware fatal",
	[0x40]			= "linux start",	/* Cloud Hypervisor */
	[0x41]			= "linux init",
};

const char *debugport_code_name(u8 code)
{
	return marker_names[code] ? marker_names[code] : "-";
}

void debugport_record(struct debugport *dp, u8 code, u64 us)
{
	unsigned int i = __atomic_load_n(&dp->nr, __ATOMIC_RELAXED);

	do {
		if (i >= DEBUGPORT_MAX_RECORDS) {
			__atomic_fetch_add(&dp->dropped, 1, __ATOMIC_RELAXED);
			return;
		}
	} while (!__atomic_compare_exchange_n(&dp->nr, &i, i + 1, true,
					      __ATOMIC_ACQ_REL,
					      __ATOMIC_RELAXED));
	dp->rec[i].us = us;
	dp->rec[i].code = code;
}

static void debugport_io(void *opaque, u64 offset, void *data, u32 len,
			 bool is_write)
{
	if (!is_write) {
		memset(data, 0, len);
		return;
	}
	/* Little-endian: a wider write records its low byte. */
	debugport_record(opaque, *(const u8 *)data, time_us());
}

void debugport_print_timeline(const struct debugport *dp, FILE *out)
{
	u64 prev = 0;
	unsigned int i;

	fprintf(out, "boot timeline (port 0x%x, us since sevm start):\n",
		PORT_DEBUG);
	fprintf(out, "%12s %12s  %-4s  %s\n", "time", "delta", "code",
		"marker");
	for (i = 0; i < dp->nr; i++) {
		const struct debugport_record *r = &dp->rec[i];

		fprintf(out, "%9" PRIu64 " us %+9" PRId64 " us  0x%02x  %s\n",
			r->us, (s64)(r->us - prev), r->code,
			debugport_code_name(r->code));
		prev = r->us;
	}
	if (dp->dropped)
		fprintf(out, "%" PRIu64 " later writes dropped (limit %d "
			"records)\n", dp->dropped, DEBUGPORT_MAX_RECORDS);
}

/* Add val (NULL if its allocation failed) to obj; 0 or -ENOMEM. */
static int json_add(struct json_object *obj, const char *key,
		    struct json_object *val)
{
	if (!val)
		return -ENOMEM;
	if (json_object_object_add(obj, key, val)) {
		json_object_put(val);
		return -ENOMEM;
	}
	return 0;
}

static struct json_object *record_json(const struct debugport_record *r)
{
	struct json_object *obj = json_object_new_object();

	if (!obj)
		return NULL;
	if (json_add(obj, "us", json_object_new_int64((int64_t)r->us)) ||
	    json_add(obj, "code", json_object_new_int(r->code)) ||
	    json_add(obj, "name",
		     json_object_new_string(debugport_code_name(r->code)))) {
		json_object_put(obj);
		return NULL;
	}
	return obj;
}

struct json_object *debugport_json(const struct debugport *dp)
{
	struct json_object *arr = json_object_new_array();
	struct json_object *obj;
	unsigned int i;

	if (!arr)
		return NULL;
	for (i = 0; i < dp->nr; i++) {
		obj = record_json(&dp->rec[i]);
		if (!obj || json_object_array_add(arr, obj)) {
			json_object_put(obj);
			json_object_put(arr);
			return NULL;
		}
	}
	return arr;
}

struct debugport *debugport_get(struct vm *vm)
{
	return devices_find(vm, DEBUGPORT_NAME);
}

static int debugport_init(struct vm *vm, void **priv)
{
	struct debugport *dp = calloc(1, sizeof(*dp));
	int r;

	if (!dp) {
		pr_err("debugport: init: %s", strerror(ENOMEM));
		return -ENOMEM;
	}
	r = bus_register(&vm->pio, PORT_DEBUG, 1, debugport_io, dp,
			 DEBUGPORT_NAME);
	if (r < 0) {
		pr_err("debugport: register port 0x%x: %s", PORT_DEBUG,
		       strerror(-r));
		free(dp);
		return r;
	}
	*priv = dp;
	return 0;
}

static void debugport_exit(struct vm *vm, void *priv)
{
	free(priv);
}

static bool debugport_present(const struct vm_config *cfg)
{
	return true;	/* cheap; --boot-trace only controls the printing */
}

const struct device_ops debugport_ops = {
	.name		= DEBUGPORT_NAME,
	.present	= debugport_present,
	.init		= debugport_init,
	.exit		= debugport_exit,
};
