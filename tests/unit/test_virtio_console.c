// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of devices/virtio/console.c through the device core:
 * transmit to a pipe, receive of pushed input into guest buffers (split
 * over several buffers, waiting for buffers), the bounded input buffer
 * and its space callback, input before the driver is ready.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "devices/virtio/console.h"
#include "lib/log.h"
#include "tests/unit/virtio-drv.h"

#define FEAT	(1ULL << VIRTIO_F_VERSION_1)

void __wrap_pr_log(enum log_level level, const char *fmt, ...) __printf(2, 3);
void __wrap_pr_log(enum log_level level, const char *fmt, ...)
{
}

struct fx {
	struct vq_drv rx, tx;
	struct virtio_dev v;
	int pipe[2];
	int spaces;
};

static void space(struct virtio_dev *v, void *opaque)
{
	((struct fx *)opaque)->spaces++;
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (!f || vqd_init(&f->rx, 2 * SZ_1M, 8) ||
	    pipe2(f->pipe, O_NONBLOCK | O_CLOEXEC))
		return -1;
	vdrv_add_ring(&f->rx, &f->tx);
	if (virtio_console_init(&f->v, f->pipe[1], &f->rx.as, false))
		return -1;
	virtio_console_set_space_cb(&f->v, space, f);
	*state = f;
	return 0;
}

static void start(struct fx *f)
{
	struct vq_drv *rings[2] = { &f->rx, &f->tx };

	assert_int_equal(vdrv_start(&f->v, rings, 2, FEAT), 0xf);
}

static int teardown(void **state)
{
	struct fx *f = *state;

	virtio_dev_free(&f->v);
	vqd_free(&f->rx);
	close(f->pipe[0]);
	close(f->pipe[1]);
	free(f);
	return 0;
}

static void test_transmit(void **state)
{
	struct fx *f = *state;
	u64 a = vqd_alloc(&f->rx, 16);
	char out[32] = { 0 };
	u32 id, len;

	start(f);
	memcpy(vqd_hva(&f->rx, a), "hello, world", 12);
	vqd_desc(&f->tx, f->tx.desc, 0, a, 7, VIRTQ_DESC_F_NEXT, 1);
	vqd_desc(&f->tx, f->tx.desc, 1, a + 7, 5, 0, 0);
	vqd_post(&f->tx, 0);
	virtio_queue_notify(&f->v, VIRTIO_CONSOLE_TX);
	assert_true(vqd_reap(&f->tx, &id, &len));
	assert_int_equal(len, 0);
	assert_int_equal(read(f->pipe[0], out, sizeof(out)), 12);
	assert_string_equal(out, "hello, world");
}

static void post_rx(struct fx *f, u16 i, u64 a, u32 len)
{
	vqd_desc(&f->rx, f->rx.desc, i, a, len, VIRTQ_DESC_F_WRITE, 0);
	vqd_post(&f->rx, i);
}

static void test_receive(void **state)
{
	struct fx *f = *state;
	u64 a = vqd_alloc(&f->rx, 4), b = vqd_alloc(&f->rx, 64);
	u32 id, len;

	/* input before the driver: kept until buffers come */
	assert_int_equal(virtio_console_input(&f->v, "abcdef", 6), 6);
	start(f);
	post_rx(f, 0, a, 4);
	virtio_queue_notify(&f->v, VIRTIO_CONSOLE_RX);
	assert_true(vqd_reap(&f->rx, &id, &len));
	assert_int_equal(len, 4);
	assert_memory_equal(vqd_hva(&f->rx, a), "abcd", 4);
	assert_false(vqd_reap(&f->rx, &id, &len));
	post_rx(f, 1, b, 64);
	virtio_queue_notify(&f->v, VIRTIO_CONSOLE_RX);
	assert_true(vqd_reap(&f->rx, &id, &len));
	assert_int_equal(id, 1);
	assert_int_equal(len, 2);
	assert_memory_equal(vqd_hva(&f->rx, b), "ef", 2);
	/* a posted buffer is filled as soon as input arrives */
	post_rx(f, 2, b, 64);
	virtio_queue_notify(&f->v, VIRTIO_CONSOLE_RX);
	assert_false(vqd_reap(&f->rx, &id, &len));
	assert_int_equal(virtio_console_input(&f->v, "xyz", 3), 3);
	assert_true(vqd_reap(&f->rx, &id, &len));
	assert_int_equal(len, 3);
	assert_memory_equal(vqd_hva(&f->rx, b), "xyz", 3);
}

static void test_bounded(void **state)
{
	struct fx *f = *state;
	u64 a = vqd_alloc(&f->rx, VIRTIO_CONSOLE_BUF);
	static u8 big[VIRTIO_CONSOLE_BUF + 100];
	u32 id, len;
	size_t i;

	for (i = 0; i < sizeof(big); i++)
		big[i] = (u8)i;
	start(f);
	assert_int_equal(virtio_console_input(&f->v, big, 1000), 1000);
	assert_int_equal(virtio_console_input(&f->v, big + 1000,
					      sizeof(big) - 1000),
			 VIRTIO_CONSOLE_BUF - 1000);
	assert_int_equal(virtio_console_input(&f->v, big, 1), 0);
	assert_int_equal(f->spaces, 0);
	post_rx(f, 0, a, 100);
	virtio_queue_notify(&f->v, VIRTIO_CONSOLE_RX);
	assert_int_equal(f->spaces, 1);		/* room again: resume */
	assert_true(vqd_reap(&f->rx, &id, &len));
	assert_int_equal(len, 100);
	/* the ring wraps: what comes out is what went in, in order */
	assert_int_equal(virtio_console_input(&f->v, big + VIRTIO_CONSOLE_BUF,
					      100), 100);
	post_rx(f, 1, a, VIRTIO_CONSOLE_BUF);
	virtio_queue_notify(&f->v, VIRTIO_CONSOLE_RX);
	assert_true(vqd_reap(&f->rx, &id, &len));
	assert_int_equal(len, VIRTIO_CONSOLE_BUF);
	assert_memory_equal(vqd_hva(&f->rx, a), big + 100, VIRTIO_CONSOLE_BUF);
	assert_int_equal(f->spaces, 1);
}

static void test_config(void **state)
{
	struct fx *f = *state;
	u32 v = 0xffffffff;

	assert_int_equal(virtio_read_config(&f->v, 0, &v, 4), 0);
	assert_int_equal(v, 0);
	vdrv_write_common(&f->v, VIRTIO_PCI_COMMON_DFSELECT, 4, 0);
	assert_int_equal(vdrv_read_common(&f->v, VIRTIO_PCI_COMMON_DF, 4) &
			 0xffffff, 0);	/* no SIZE, no MULTIPORT */
	assert_int_equal(vdrv_read_common(&f->v, VIRTIO_PCI_COMMON_NUMQ, 2),
			 2);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_transmit), T(test_receive), T(test_bounded),
		T(test_config),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
