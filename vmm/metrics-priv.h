/* SPDX-License-Identifier: GPL-2.0-only */
/* Metrics: what vmm/metrics.c and vmm/metrics-json.c share. */
#ifndef SEVM_METRICS_PRIV_H
#define SEVM_METRICS_PRIV_H

#include "vmm/metrics.h"

struct metrics_event {
	const char *name;		/* a string literal */
	u64 start_us, end_us;		/* equal for a point event */
};

struct metrics_state {
	struct metric counters[METRICS_MAX];
	unsigned int nr;		/* release-stored after a fill */
	struct metric overflow;		/* names past METRICS_MAX */
	u64 exits[METRICS_EXIT_REASONS];
	struct metrics_event events[METRICS_TIMELINE_MAX];
	unsigned int nr_events;
};

extern struct metrics_state metrics_state;

void metrics_copy_timeline(struct metrics_event *out, unsigned int *nr);

#endif /* SEVM_METRICS_PRIV_H */
