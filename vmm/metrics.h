/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Metrics (docs/metrics.md): named 64-bit counters that any thread bumps
 * with one relaxed atomic add, vCPU exits by KVM exit reason, and the
 * launch timeline (events and steps in microseconds since sevm started).
 * metrics_json() takes a snapshot as one JSON object; the writer appends
 * it as one line to --metrics FILE every interval and at exit, and QMP
 * x-query-metrics returns it.
 *
 * A counter is named "group.field" ("uart.tx_bytes"): the snapshot nests
 * it as {"group": {"field": N}}. Devices look their counters up once (at
 * init) and keep the pointer; metric_get never fails (past METRICS_MAX
 * names it hands out one shared overflow counter). The registry is
 * process-wide: one sevm process runs one VM.
 */
#ifndef SEVM_METRICS_H
#define SEVM_METRICS_H

#include "lib/util.h"

#define METRICS_MAX		128
#define METRIC_NAME_MAX		48
#define METRICS_TIMELINE_MAX	48
#define METRICS_EXIT_REASONS	64	/* KVM exit reasons counted by number */

struct metric {
	char name[METRIC_NAME_MAX];
	u64 value;			/* atomic */
};

struct metric *metric_get(const char *name);

/* m may be NULL (a device whose counters were never looked up). */
static inline void metric_add(struct metric *m, u64 n)
{
	if (m)
		__atomic_fetch_add(&m->value, n, __ATOMIC_RELAXED);
}

static inline void metric_inc(struct metric *m)
{
	metric_add(m, 1);
}

/* A gauge: the current value (e.g. pinned bytes). */
static inline void metric_set(struct metric *m, u64 v)
{
	if (m)
		__atomic_store_n(&m->value, v, __ATOMIC_RELAXED);
}

static inline u64 metric_read(const struct metric *m)
{
	return m ? __atomic_load_n(&m->value, __ATOMIC_RELAXED) : 0;
}

/* One vCPU exit with KVM's exit_reason (from the vCPU threads). */
void metrics_vcpu_exit(u32 reason);
/* The timeline: the first time event happens (later ones are ignored). */
void metrics_mark(const char *event);
/* A step that ran from start_us to end_us (time_us() values). */
void metrics_span(const char *step, u64 start_us, u64 end_us);

struct json_object;
/* The snapshot (docs/metrics.md); caller puts it. NULL without memory. */
struct json_object *metrics_json(void);
/* Forget every counter and the timeline (tests). */
void metrics_reset(void);

/*
 * --metrics FILE: opened like --serial file: (appended to, created 0600,
 * never through a symlink); a line every interval_ms on the main loop and
 * one at metrics_writer_close().
 */
struct loop;
struct metrics_writer;
int metrics_writer_open(struct metrics_writer **mw, const char *path,
			struct loop *loop, unsigned int interval_ms)
	__must_check;
/* Append one snapshot line now. */
int metrics_writer_flush(struct metrics_writer *mw);
/* The final line, then close. NULL is a no-op. */
void metrics_writer_close(struct metrics_writer *mw);

#endif /* SEVM_METRICS_H */
