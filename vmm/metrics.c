// SPDX-License-Identifier: GPL-2.0-only
/*
 * Metrics registry (vmm/metrics.h): counters by name, vCPU exits by
 * reason, the launch timeline. No JSON here (vmm/metrics-json.c), so
 * devices and their tests link this file alone.
 */
#include <pthread.h>
#include <string.h>

#include "lib/log.h"
#include "vmm/metrics-priv.h"

struct metrics_state metrics_state;
static pthread_mutex_t metrics_lock = PTHREAD_MUTEX_INITIALIZER;

struct metric *metric_get(const char *name)
{
	struct metrics_state *s = &metrics_state;
	struct metric *m = &s->overflow;
	unsigned int i;

	pthread_mutex_lock(&metrics_lock);
	for (i = 0; i < s->nr; i++)
		if (!strcmp(s->counters[i].name, name)) {
			m = &s->counters[i];
			goto out;
		}
	if (s->nr < METRICS_MAX && strlen(name) < METRIC_NAME_MAX &&
	    strchr(name, '.')) {
		m = &s->counters[s->nr];
		strcpy(m->name, name);
		__atomic_store_n(&s->nr, s->nr + 1, __ATOMIC_RELEASE);
	}
out:
	pthread_mutex_unlock(&metrics_lock);
	return m;
}

void metrics_vcpu_exit(u32 reason)
{
	u32 i = reason < METRICS_EXIT_REASONS ? reason :
		METRICS_EXIT_REASONS - 1;	/* the last slot: "other" */

	__atomic_fetch_add(&metrics_state.exits[i], 1, __ATOMIC_RELAXED);
}

static void timeline_add(const char *name, u64 start_us, u64 end_us,
			 bool once)
{
	struct metrics_state *s = &metrics_state;
	unsigned int i;

	pthread_mutex_lock(&metrics_lock);
	for (i = 0; once && i < s->nr_events; i++)
		if (!strcmp(s->events[i].name, name))
			goto out;
	if (s->nr_events < METRICS_TIMELINE_MAX) {
		s->events[s->nr_events] = (struct metrics_event){
			.name = name, .start_us = start_us, .end_us = end_us,
		};
		s->nr_events++;
	}
out:
	pthread_mutex_unlock(&metrics_lock);
}

void metrics_mark(const char *event)
{
	u64 now = time_us();

	timeline_add(event, now, now, true);
}

void metrics_span(const char *step, u64 start_us, u64 end_us)
{
	timeline_add(step, start_us, end_us, false);
}

/* Copy what a snapshot needs, under the lock. */
void metrics_copy_timeline(struct metrics_event *out, unsigned int *nr)
{
	pthread_mutex_lock(&metrics_lock);
	*nr = metrics_state.nr_events;
	memcpy(out, metrics_state.events, *nr * sizeof(*out));
	pthread_mutex_unlock(&metrics_lock);
}

void metrics_reset(void)
{
	pthread_mutex_lock(&metrics_lock);
	memset(&metrics_state, 0, sizeof(metrics_state));
	pthread_mutex_unlock(&metrics_lock);
}
