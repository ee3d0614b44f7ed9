// SPDX-License-Identifier: GPL-2.0-only
/*
 * vmm/metrics.c and vmm/metrics-json.c: counters by name (nested by
 * group in the snapshot), vCPU exits by reason, the timeline, counters
 * from several threads, the registry's bound, and the --metrics writer
 * (0600, appends, refuses a symlink, a line per tick and one at close).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <json-c/json.h>
#include <linux/kvm.h>

#include "lib/log.h"
#include "vmm/loop.h"
#include "vmm/metrics.h"

static int reset(void **state)
{
	metrics_reset();
	return 0;
}

/* The value at "a.b" (or "a") in the snapshot, -1 if absent. */
static long long snap_get(struct json_object *o, const char *group,
			  const char *field)
{
	struct json_object *g, *v;

	if (!json_object_object_get_ex(o, group, &g))
		return -1;
	if (!field)
		return json_object_get_int64(g);
	if (!json_object_object_get_ex(g, field, &v))
		return -1;
	return json_object_get_int64(v);
}

static void test_counters_nested(void **state)
{
	struct metric *tx = metric_get("uart.tx_bytes");
	struct json_object *o;

	assert_ptr_equal(metric_get("uart.tx_bytes"), tx);	/* one entry */
	metric_add(tx, 7);
	metric_inc(tx);
	metric_set(metric_get("memory.pinned_bytes"), 1ULL << 40);
	metric_inc(NULL);			/* tolerated */
	o = metrics_json();
	assert_int_equal(snap_get(o, "uart", "tx_bytes"), 8);
	assert_int_equal(snap_get(o, "memory", "pinned_bytes"), 1LL << 40);
	assert_true(snap_get(o, "uptime_us", NULL) >= 0);
	assert_true(snap_get(o, "utc_time_ms", NULL) > 1600000000000LL);
	json_object_put(o);
}

static void test_registry_bound(void **state)
{
	char name[32];
	struct metric *m, *first = NULL;

	for (int i = 0; i < METRICS_MAX; i++) {
		snprintf(name, sizeof(name), "g.c%d", i);
		m = metric_get(name);
		first = first ?: m;
	}
	/* Full, a name without a group, a name too long: the overflow
	 * counter, never NULL, never one of the registered ones. */
	m = metric_get("g.one_too_many");
	assert_non_null(m);
	assert_ptr_not_equal(m, first);
	assert_ptr_equal(metric_get("nodot"), m);
	metric_inc(m);
	{
		struct json_object *o = metrics_json();

		assert_int_equal(snap_get(o, "metrics_overflow", NULL), 1);
		assert_int_equal(snap_get(o, "g", "c0"), 0);
		json_object_put(o);
	}
}

static void test_vcpu_exits(void **state)
{
	struct json_object *o;

	metrics_vcpu_exit(KVM_EXIT_IO);
	metrics_vcpu_exit(KVM_EXIT_IO);
	metrics_vcpu_exit(KVM_EXIT_HLT);
	metrics_vcpu_exit(20);		/* no name: reason_20 */
	metrics_vcpu_exit(1000);	/* out of range: other */
	o = metrics_json();
	assert_int_equal(snap_get(o, "vcpu_exits", "io"), 2);
	assert_int_equal(snap_get(o, "vcpu_exits", "hlt"), 1);
	assert_int_equal(snap_get(o, "vcpu_exits", "reason_20"), 1);
	assert_int_equal(snap_get(o, "vcpu_exits", "other"), 1);
	assert_int_equal(snap_get(o, "vcpu_exits", "total"), 5);
	assert_int_equal(snap_get(o, "vcpu_exits", "mmio"), -1);
	json_object_put(o);
}

static void test_timeline(void **state)
{
	struct json_object *o, *tl, *e, *v;

	metrics_mark("kvm-ready");
	metrics_mark("kvm-ready");		/* only the first counts */
	metrics_span("launch-start", 10, 25);
	o = metrics_json();
	assert_true(json_object_object_get_ex(o, "timeline", &tl));
	assert_int_equal(json_object_array_length(tl), 2);
	e = json_object_array_get_idx(tl, 1);
	json_object_object_get_ex(e, "event", &v);
	assert_string_equal(json_object_get_string(v), "launch-start");
	json_object_object_get_ex(e, "start_us", &v);
	assert_int_equal(json_object_get_int64(v), 10);
	json_object_object_get_ex(e, "end_us", &v);
	assert_int_equal(json_object_get_int64(v), 25);
	json_object_put(o);
	for (int i = 0; i < METRICS_TIMELINE_MAX + 5; i++)
		metrics_span("step", 1, 2);	/* bounded */
	o = metrics_json();
	json_object_object_get_ex(o, "timeline", &tl);
	assert_int_equal(json_object_array_length(tl), METRICS_TIMELINE_MAX);
	json_object_put(o);
}

static void *bump(void *arg)
{
	for (int i = 0; i < 100000; i++) {
		metric_inc(arg);
		metrics_vcpu_exit(KVM_EXIT_MMIO);
	}
	return NULL;
}

static void test_threads(void **state)
{
	struct metric *m = metric_get("dev.requests");
	pthread_t t[4];
	struct json_object *o;

	for (int i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&t[i], NULL, bump, m), 0);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	assert_int_equal(metric_read(m), 400000);
	o = metrics_json();
	assert_int_equal(snap_get(o, "vcpu_exits", "mmio"), 400000);
	json_object_put(o);
}

/* ---- the writer */

static int count_lines(const char *path, char *last, size_t cap)
{
	FILE *f = fopen(path, "r");
	char line[8192];
	int n = 0;

	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		n++;
		snprintf(last, cap, "%s", line);
	}
	fclose(f);
	return n;
}

static int stop_cb(struct loop *loop, int fd, u32 ev, void *o)
{
	loop_stop(loop, 0);
	return 0;
}

static void test_writer(void **state)
{
	char dir[] = "/tmp/sevm-metrics-XXXXXX", path[64], link[64];
	char last[8192];
	struct metrics_writer *mw;
	struct json_object *o;
	struct loop loop;
	struct stat st;
	int p[2], n;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/m.jsonl", dir);
	snprintf(link, sizeof(link), "%s/link", dir);
	assert_int_equal(loop_init(&loop), 0);
	assert_int_equal(metrics_writer_open(&mw, path, &loop, 50), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	metric_add(metric_get("uart.tx_bytes"), 3);
	/* Run the loop ~200 ms: the 50 ms timer writes lines. */
	assert_int_equal(pipe(p), 0);
	for (int i = 0; i < 4; i++) {
		usleep(55000);
		assert_int_equal(write(p[1], "x", 1), 1);
		assert_int_equal(loop_add(&loop, p[0], EPOLLIN, stop_cb, NULL), 0);
		loop_run(&loop);
		loop_del(&loop, p[0]);
		assert_int_equal(read(p[0], last, 8), 1);
	}
	n = count_lines(path, last, sizeof(last));
	assert_true(n >= 2);
	metrics_writer_close(mw);		/* and the final line */
	assert_int_equal(count_lines(path, last, sizeof(last)), n + 1);
	o = json_tokener_parse(last);
	assert_non_null(o);
	assert_int_equal(snap_get(o, "uart", "tx_bytes"), 3);
	json_object_put(o);
	/* Appends; a symlink is refused (and its target untouched). */
	assert_int_equal(metrics_writer_open(&mw, path, &loop, 0), 0);
	metrics_writer_close(mw);
	assert_int_equal(count_lines(path, last, sizeof(last)), n + 2);
	assert_int_equal(symlink(path, link), 0);
	assert_int_equal(metrics_writer_open(&mw, link, &loop, 0), -ELOOP);
	assert_int_equal(count_lines(path, last, sizeof(last)), n + 2);
	close(p[0]);
	close(p[1]);
	loop_free(&loop);
	unlink(link);
	unlink(path);
	rmdir(dir);
}

static void test_writer_bad_path(void **state)
{
	struct metrics_writer *mw = NULL;
	struct loop loop;

	assert_int_equal(loop_init(&loop), 0);
	assert_int_equal(metrics_writer_open(&mw, "/nonexistent/dir/m", &loop,
					     1000), -ENOENT);
	assert_null(mw);
	metrics_writer_close(NULL);		/* a no-op */
	loop_free(&loop);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_counters_nested, reset),
		cmocka_unit_test_setup(test_registry_bound, reset),
		cmocka_unit_test_setup(test_vcpu_exits, reset),
		cmocka_unit_test_setup(test_timeline, reset),
		cmocka_unit_test_setup(test_threads, reset),
		cmocka_unit_test_setup(test_writer, reset),
		cmocka_unit_test_setup(test_writer_bad_path, reset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
