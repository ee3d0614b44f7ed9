// SPDX-License-Identifier: GPL-2.0-only
/*
 * Metrics snapshot as JSON (the format is docs/metrics.md) and the
 * --metrics FILE writer: one line per interval on the main loop's timer,
 * and one at exit.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "lib/log.h"
#include "vmm/loop.h"
#include "vmm/metrics-priv.h"

/* KVM exit reasons by number (linux/kvm.h), as snapshot keys. */
static const char *const exit_names[METRICS_EXIT_REASONS] = {
	"unknown", "exception", "io", "hypercall", "debug", "hlt", "mmio",
	"irq_window_open", "shutdown", "fail_entry", "intr", "set_tpr",
	"tpr_access", [16] = "nmi", "internal_error", [21] = "watchdog",
	[24] = "system_event", [26] = "ioapic_eoi", "hyperv",
	[29] = "x86_rdmsr", "x86_wrmsr", "dirty_ring_full", "ap_reset_hold",
	"x86_bus_lock", "xen", [37] = "notify", [39] = "memory_fault",
	[METRICS_EXIT_REASONS - 1] = "other",
};

static void add_u64(struct json_object *o, const char *key, u64 v)
{
	json_object_object_add(o, key, json_object_new_int64((int64_t)v));
}

static struct json_object *vcpu_exits(void)
{
	struct json_object *o = json_object_new_object();
	u64 total = 0;
	char name[24];

	for (unsigned int i = 0; o && i < METRICS_EXIT_REASONS; i++) {
		u64 n = __atomic_load_n(&metrics_state.exits[i],
					__ATOMIC_RELAXED);

		if (!n)
			continue;
		total += n;
		if (exit_names[i])
			add_u64(o, exit_names[i], n);
		else {
			snprintf(name, sizeof(name), "reason_%u", i);
			add_u64(o, name, n);
		}
	}
	if (o)
		add_u64(o, "total", total);
	return o;
}

/* "group.field" counters as {"group": {"field": N}}. */
static void add_counter(struct json_object *top, const struct metric *m)
{
	const char *dot = strchr(m->name, '.');
	struct json_object *group;
	char gname[METRIC_NAME_MAX];

	if (!dot)
		return;
	snprintf(gname, sizeof(gname), "%.*s", (int)(dot - m->name), m->name);
	if (!json_object_object_get_ex(top, gname, &group)) {
		group = json_object_new_object();
		json_object_object_add(top, gname, group);
	}
	add_u64(group, dot + 1, metric_read(m));
}

static struct json_object *timeline(void)
{
	struct metrics_event ev[METRICS_TIMELINE_MAX];
	struct json_object *a = json_object_new_array(), *e;
	unsigned int nr;

	metrics_copy_timeline(ev, &nr);
	for (unsigned int i = 0; a && i < nr; i++) {
		e = json_object_new_object();
		json_object_object_add(e, "event",
				       json_object_new_string(ev[i].name));
		add_u64(e, "start_us", ev[i].start_us);
		add_u64(e, "end_us", ev[i].end_us);
		json_object_array_add(a, e);
	}
	return a;
}

struct json_object *metrics_json(void)
{
	struct json_object *o = json_object_new_object();
	unsigned int nr = __atomic_load_n(&metrics_state.nr, __ATOMIC_ACQUIRE);
	struct timeval tv;

	if (!o)
		return NULL;
	gettimeofday(&tv, NULL);
	add_u64(o, "utc_time_ms",
		(u64)tv.tv_sec * 1000 + (u64)tv.tv_usec / 1000);
	add_u64(o, "uptime_us", time_us());
	add_u64(o, "clock_monotonic_start_ns", time_start_ns());
	json_object_object_add(o, "vcpu_exits", vcpu_exits());
	for (unsigned int i = 0; i < nr; i++)
		add_counter(o, &metrics_state.counters[i]);
	if (metric_read(&metrics_state.overflow))
		add_u64(o, "metrics_overflow",
			metric_read(&metrics_state.overflow));
	json_object_object_add(o, "timeline", timeline());
	return o;
}

/* ---- --metrics FILE */

struct metrics_writer {
	int fd, timer_fd;
	struct loop *loop;
	char *path;
	bool failed;			/* a write failed (logged once) */
};

int metrics_writer_flush(struct metrics_writer *mw)
{
	struct json_object *o = metrics_json();
	const char *s;
	char *line;
	size_t len;
	int r = -ENOMEM;

	if (!o)
		return r;
	s = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
	len = s ? strlen(s) : 0;
	line = s ? malloc(len + 1) : NULL;
	if (line) {
		memcpy(line, s, len);
		line[len] = '\n';
		/* one line, one write: readers never see half a line */
		r = write_all(mw->fd, line, len + 1);
		free(line);
	}
	json_object_put(o);
	if (r && !mw->failed)
		pr_err("metrics: write to %s: %s", mw->path, strerror(-r));
	mw->failed |= !!r;
	return r;
}

static int metrics_tick(struct loop *loop, int fd, u32 events, void *opaque)
{
	u64 n;

	if (read(fd, &n, sizeof(n)) == sizeof(n))
		metrics_writer_flush(opaque);
	return 0;
}

static int writer_timer(struct metrics_writer *mw, unsigned int interval_ms)
{
	struct itimerspec its = { .it_interval = {
		.tv_sec = interval_ms / 1000,
		.tv_nsec = (long)(interval_ms % 1000) * 1000000,
	} };

	its.it_value = its.it_interval;
	mw->timer_fd = timerfd_create(CLOCK_MONOTONIC,
				      TFD_CLOEXEC | TFD_NONBLOCK);
	if (mw->timer_fd < 0 || timerfd_settime(mw->timer_fd, 0, &its, NULL)) {
		int r = -errno;

		pr_err("metrics: timer for %s: %s", mw->path, strerror(-r));
		return r;
	}
	return loop_add(mw->loop, mw->timer_fd, EPOLLIN, metrics_tick, mw);
}

int metrics_writer_open(struct metrics_writer **mwp, const char *path,
			struct loop *loop, unsigned int interval_ms)
{
	struct metrics_writer *mw = calloc(1, sizeof(*mw));
	int r;

	if (!mw || !(mw->path = strdup(path))) {
		free(mw);
		return -ENOMEM;
	}
	mw->loop = loop;
	mw->timer_fd = -1;
	/* As --serial file: appended to, 0600, never through a symlink. */
	mw->fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW |
		      O_CLOEXEC, 0600);
	if (mw->fd < 0) {
		r = -errno;
		pr_err("--metrics: open %s: %s", path, r == -ELOOP ?
		       "is a symbolic link (refused)" : strerror(-r));
		metrics_writer_close(mw);
		return r;
	}
	r = interval_ms ? writer_timer(mw, interval_ms) : 0;
	if (r) {
		metrics_writer_close(mw);
		return r;
	}
	*mwp = mw;
	return 0;
}

void metrics_writer_close(struct metrics_writer *mw)
{
	if (!mw)
		return;
	if (mw->timer_fd >= 0) {
		loop_del(mw->loop, mw->timer_fd);
		close(mw->timer_fd);
	}
	if (mw->fd >= 0) {
		metrics_writer_flush(mw);
		close(mw->fd);
	}
	free(mw->path);
	free(mw);
}
