/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Boot-timing debug port at 0x80, like Cloud Hypervisor's: every byte the
 * guest writes is recorded with the microseconds since sevm started.
 * Printed as a timeline with --boot-trace, and as JSON in the launch
 * report. At most DEBUGPORT_MAX_RECORDS are kept; later writes are counted
 * (Linux also uses port 0x80 as an I/O delay).
 */
#ifndef SEVM_DEBUGPORT_H
#define SEVM_DEBUGPORT_H

#include <stdio.h>

#include "lib/util.h"

#define DEBUGPORT_MAX_RECORDS 1024

struct debugport_record {
	u64 us;
	u8 code;
};

struct debugport {
	struct debugport_record rec[DEBUGPORT_MAX_RECORDS];
	unsigned int nr;		/* records kept */
	u64 dropped;			/* writes past the limit */
	/* written by vCPU threads, read after they stop or under lock */
};

#define DEBUGPORT_NAME "debugport"

struct device_ops;
extern const struct device_ops debugport_ops;

struct vm;
struct json_object;

#ifdef CONFIG_DEV_DEBUGPORT
/* The device's state, or NULL if the device is not present. */
struct debugport *debugport_get(struct vm *vm);
/* Append one record (also used by tests). */
void debugport_record(struct debugport *dp, u8 code, u64 us);
/* "  1234 us  0x01  reset vector" lines; names from firmware/handoff.h. */
void debugport_print_timeline(const struct debugport *dp, FILE *out);
/* JSON array [{"us":1234,"code":1,"name":"..."}, ...]; caller puts it. */
struct json_object *debugport_json(const struct debugport *dp);
const char *debugport_code_name(u8 code);
#else
/* Configured out: no device, so nothing is ever recorded. */
static inline struct debugport *debugport_get(struct vm *vm) { return NULL; }
static inline void debugport_print_timeline(const struct debugport *dp,
					    FILE *out) { }
static inline struct json_object *debugport_json(const struct debugport *dp)
{ return NULL; }
#endif

#endif /* SEVM_DEBUGPORT_H */
