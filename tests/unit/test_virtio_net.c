// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of devices/virtio/net.c through the device core, with a
 * SOCK_SEQPACKET socketpair in place of the tap (fd=N takes any fd; one
 * record is one frame): the config space and features, a transmitted
 * frame reaches the backend without its header, a received frame spread
 * over merged buffers with num_buffers right, nothing is read while the
 * guest has no receive buffers, one frame waits for more buffers, frames
 * larger than any buffer are dropped, malformed rings need a reset.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/virtio_net.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

#include "devices/virtio/net.h"
#include "lib/log.h"
#include "tests/unit/virtio-drv.h"
#include "vmm/iothread.h"

#define FEAT		(1ULL << VIRTIO_F_VERSION_1)
#define FEAT_MRG	(FEAT | 1ULL << VIRTIO_NET_F_MRG_RXBUF)
#define HDR		VIRTIO_NET_HDR_LEN
#define RXQ		VIRTIO_NET_RXQ
#define TXQ		VIRTIO_NET_TXQ

void __wrap_pr_log(enum log_level level, const char *fmt, ...) __printf(2, 3);
void __wrap_pr_log(enum log_level level, const char *fmt, ...)
{
}

struct fx {
	struct vq_drv rx, tx;
	struct virtio_dev v;
	int sv[2];		/* sv[0]: the device's backend */
	u8 frame[2048];
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct virtio_net_conf c = { .slot = 3 };
	size_t i;

	if (!f || vqd_init(&f->rx, 2 * SZ_1M, 8) ||
	    socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, f->sv))
		return -1;
	vdrv_add_ring(&f->rx, &f->tx);
	c.fd = f->sv[0];
	if (virtio_net_init(&f->v, &c, NULL, &f->rx.as, false))
		return -1;
	for (i = 0; i < sizeof(f->frame); i++)
		f->frame[i] = (u8)(i * 7 + 1);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	virtio_dev_free(&f->v);
	vqd_free(&f->rx);
	close(f->sv[0]);
	close(f->sv[1]);
	free(f);
	return 0;
}

static void start(struct fx *f, u64 feat)
{
	struct vq_drv *rings[2] = { &f->rx, &f->tx };

	assert_int_equal(vdrv_start(&f->v, rings, 2, feat), 0xf);
}

/* A receive chain of one buffer of len bytes at descriptor i. */
static u64 post_rx(struct fx *f, u16 i, u32 len)
{
	u64 a = vqd_alloc(&f->rx, len);

	vqd_desc(&f->rx, f->rx.desc, i, a, len, VIRTQ_DESC_F_WRITE, 0);
	vqd_post(&f->rx, i);
	return a;
}

static void send_frame(struct fx *f, size_t len)
{
	assert_int_equal(send(f->sv[1], f->frame, len, 0), (ssize_t)len);
}

/* Bytes of the next record waiting for the device, 0 if none. */
static ssize_t backend_waiting(struct fx *f)
{
	u8 b[4096];
	ssize_t r = recv(f->sv[0], b, sizeof(b), MSG_PEEK | MSG_DONTWAIT);

	return r < 0 ? 0 : r;
}

static void test_config(void **state)
{
	struct fx *f = *state;
	u8 cfg[8], mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x59 };
	struct virtio_net_conf c = { .fd = f->sv[0], .has_mac = true,
				     .mac = { 2, 0, 0, 0, 0, 9 } };
	struct virtio_dev v2;
	u32 feat;

	assert_int_equal(virtio_read_config(&f->v, 0, cfg, 6), 0);
	assert_memory_equal(cfg, mac, 6);	/* 52:54:00:12:34:56 + 3 */
	assert_int_equal(virtio_read_config(&f->v, 6, cfg, 2), 0);
	assert_int_equal(cfg[0] | cfg[1] << 8, VIRTIO_NET_S_LINK_UP);
	assert_int_equal(virtio_read_config(&f->v, 8, cfg, 1), -EINVAL);
	vdrv_write_common(&f->v, VIRTIO_PCI_COMMON_DFSELECT, 4, 0);
	feat = vdrv_read_common(&f->v, VIRTIO_PCI_COMMON_DF, 4);
	assert_int_equal(feat & 0xffffff, 1 << VIRTIO_NET_F_MAC |
			 1 << VIRTIO_NET_F_MRG_RXBUF |
			 1 << VIRTIO_NET_F_STATUS);
	assert_int_equal(vdrv_read_common(&f->v, VIRTIO_PCI_COMMON_NUMQ, 2), 2);
	assert_int_equal(f->v.ops->device_id, 1);
	/* a MAC from the configuration */
	assert_int_equal(virtio_net_init(&v2, &c, NULL, &f->rx.as, false), 0);
	assert_int_equal(virtio_read_config(&v2, 0, cfg, 6), 0);
	assert_memory_equal(cfg, c.mac, 6);
	virtio_dev_free(&v2);
}

static void test_bad_fd(void **state)
{
	struct fx *f = *state;
	struct virtio_net_conf c = { .fd = 1000 };
	struct virtio_dev v2;

	assert_int_equal(virtio_net_init(&v2, &c, NULL, &f->rx.as, false),
			 -EBADF);
	c.fd = -1;
	assert_int_equal(virtio_net_init(&v2, &c, NULL, &f->rx.as, false),
			 -EBADF);
}

static void test_tx(void **state)
{
	struct fx *f = *state;
	u64 a = vqd_alloc(&f->rx, HDR + 100);
	u8 *g = vqd_hva(&f->rx, a), out[256];
	struct virtio_net_stats st;
	u32 id, len;

	start(f, FEAT_MRG);
	memset(g, 0xee, HDR);			/* the header: dropped */
	memcpy(g + HDR, f->frame, 100);
	/* header split over two descriptors, frame over two more */
	vqd_desc(&f->tx, f->tx.desc, 0, a, 5, VIRTQ_DESC_F_NEXT, 1);
	vqd_desc(&f->tx, f->tx.desc, 1, a + 5, HDR - 5 + 30,
		 VIRTQ_DESC_F_NEXT, 2);
	vqd_desc(&f->tx, f->tx.desc, 2, a + HDR + 30, 70, 0, 0);
	vqd_post(&f->tx, 0);
	virtio_queue_notify(&f->v, TXQ);
	assert_true(vqd_reap(&f->tx, &id, &len));
	assert_int_equal(id, 0);
	assert_int_equal(len, 0);
	assert_int_equal(recv(f->sv[1], out, sizeof(out), MSG_DONTWAIT), 100);
	assert_memory_equal(out, f->frame, 100);
	/* a chain shorter than header + Ethernet header: dropped */
	vqd_desc(&f->tx, f->tx.desc, 3, a, HDR + 13, 0, 0);
	vqd_post(&f->tx, 3);
	virtio_queue_notify(&f->v, TXQ);
	assert_true(vqd_reap(&f->tx, &id, &len));
	assert_int_equal(id, 3);
	assert_int_equal(recv(f->sv[1], out, sizeof(out), MSG_DONTWAIT), -1);
	virtio_net_get_stats(&f->v, &st);
	assert_int_equal(st.tx_frames, 1);
	assert_int_equal(st.tx_dropped, 1);
}

static u16 hdr_num_buffers(struct fx *f, u64 a)
{
	u8 *h = vqd_hva(&f->rx, a);
	static const u8 zero[10];

	assert_memory_equal(h, zero, 10);	/* no offloads: all zero */
	return (u16)(h[10] | h[11] << 8);
}

static void test_rx_merged(void **state)
{
	struct fx *f = *state;
	u64 a0, a1, a2;
	u32 id, len;

	start(f, FEAT_MRG);
	a0 = post_rx(f, 0, 64);
	a1 = post_rx(f, 1, 64);
	a2 = post_rx(f, 2, 64);
	send_frame(f, 150);			/* 12 + 150 = 64 + 64 + 34 */
	virtio_net_backend_ready(&f->v);
	assert_true(vqd_reap(&f->rx, &id, &len));
	assert_int_equal(id, 0);
	assert_int_equal(len, 64);
	assert_true(vqd_reap(&f->rx, &id, &len));
	assert_int_equal(id, 1);
	assert_int_equal(len, 64);
	assert_true(vqd_reap(&f->rx, &id, &len));
	assert_int_equal(id, 2);
	assert_int_equal(len, 34);
	assert_false(vqd_reap(&f->rx, &id, &len));
	assert_int_equal(hdr_num_buffers(f, a0), 3);
	assert_memory_equal(vqd_hva(&f->rx, a0 + HDR), f->frame, 52);
	assert_memory_equal(vqd_hva(&f->rx, a1), f->frame + 52, 64);
	assert_memory_equal(vqd_hva(&f->rx, a2), f->frame + 116, 34);
	assert_int_equal(backend_waiting(f), 0);
}

static void test_rx_no_buffers(void **state)
{
	struct fx *f = *state;
	struct virtio_net_stats st;
	u32 id, len;
	u64 a;

	send_frame(f, 60);
	virtio_net_backend_ready(&f->v);	/* not started: not read */
	assert_int_equal(backend_waiting(f), 60);
	start(f, FEAT_MRG);
	virtio_net_backend_ready(&f->v);	/* no buffers: not read */
	assert_int_equal(backend_waiting(f), 60);
	assert_false(vqd_reap(&f->rx, &id, &len));
	a = post_rx(f, 0, 1514);
	virtio_queue_notify(&f->v, RXQ);
	assert_int_equal(backend_waiting(f), 0);
	assert_true(vqd_reap(&f->rx, &id, &len));
	assert_int_equal(len, HDR + 60);
	assert_int_equal(hdr_num_buffers(f, a), 1);
	assert_memory_equal(vqd_hva(&f->rx, a + HDR), f->frame, 60);
	virtio_net_get_stats(&f->v, &st);
	assert_int_equal(st.rx_frames, 1);
	assert_int_equal(st.rx_dropped, 0);
}

/* One frame waits for more buffers; the next one is not read. */
static void test_rx_wait(void **state)
{
	struct fx *f = *state;
	u64 a0;
	u32 id, len;

	start(f, FEAT_MRG);
	a0 = post_rx(f, 0, 64);
	send_frame(f, 150);
	send_frame(f, 20);
	virtio_net_backend_ready(&f->v);
	assert_false(vqd_reap(&f->rx, &id, &len));	/* rolled back */
	assert_int_equal(backend_waiting(f), 20);	/* second: untouched */
	post_rx(f, 1, 64);
	virtio_queue_notify(&f->v, RXQ);
	assert_false(vqd_reap(&f->rx, &id, &len));	/* still short */
	post_rx(f, 2, 64);
	virtio_queue_notify(&f->v, RXQ);
	assert_true(vqd_reap(&f->rx, &id, &len));
	assert_int_equal(id, 0);
	assert_true(vqd_reap(&f->rx, &id, &len));
	assert_true(vqd_reap(&f->rx, &id, &len));
	assert_int_equal(len, 34);
	assert_int_equal(hdr_num_buffers(f, a0), 3);
	assert_int_equal(backend_waiting(f), 20);	/* no buffer left */
	post_rx(f, 3, 64);
	virtio_queue_notify(&f->v, RXQ);
	assert_true(vqd_reap(&f->rx, &id, &len));
	assert_int_equal(id, 3);
	assert_int_equal(len, HDR + 20);
	assert_int_equal(backend_waiting(f), 0);
}

/* Without MRG_RXBUF a frame needs one chain; too small: dropped. */
static void test_rx_single(void **state)
{
	struct fx *f = *state;
	struct virtio_net_stats st;
	u32 id, len;
	u64 a;

	start(f, FEAT);
	post_rx(f, 0, 64);
	send_frame(f, 150);
	virtio_net_backend_ready(&f->v);
	assert_false(vqd_reap(&f->rx, &id, &len));
	virtio_net_get_stats(&f->v, &st);
	assert_int_equal(st.rx_dropped, 1);
	/* the small chain is still the guest's, and takes a small frame */
	send_frame(f, 40);
	virtio_net_backend_ready(&f->v);
	assert_true(vqd_reap(&f->rx, &id, &len));
	assert_int_equal(id, 0);
	assert_int_equal(len, HDR + 40);
	a = post_rx(f, 1, 2048);
	send_frame(f, 1500);
	virtio_net_backend_ready(&f->v);
	assert_true(vqd_reap(&f->rx, &id, &len));
	assert_int_equal(len, HDR + 1500);
	assert_int_equal(hdr_num_buffers(f, a), 1);
	assert_memory_equal(vqd_hva(&f->rx, a + HDR), f->frame, 1500);
}

/* A frame larger than the whole ring could hold is dropped. */
static void test_rx_larger_than_ring(void **state)
{
	struct fx *f = *state;
	struct virtio_net_stats st;
	u32 id, len;
	u16 i;

	start(f, FEAT_MRG);
	for (i = 0; i < 8; i++)
		post_rx(f, i, 16);
	send_frame(f, 1000);
	send_frame(f, 30);		/* 12 + 30 = 16 + 16 + 10 */
	virtio_net_backend_ready(&f->v);
	virtio_net_get_stats(&f->v, &st);
	assert_int_equal(st.rx_dropped, 1);
	assert_int_equal(st.rx_frames, 1);
	assert_true(vqd_reap(&f->rx, &id, &len));
	assert_int_equal(id, 0);
	assert_true(vqd_reap(&f->rx, &id, &len));
	assert_true(vqd_reap(&f->rx, &id, &len));
	assert_int_equal(len, 10);
	assert_false(vqd_reap(&f->rx, &id, &len));
}

static void test_malformed(void **state)
{
	struct fx *f = *state;
	u8 out[64];

	start(f, FEAT_MRG);
	/* transmit: a head index out of range */
	vqd_set16(&f->tx, f->tx.avail + 4, 200);
	vqd_set16(&f->tx, f->tx.avail + 2, 1);
	virtio_queue_notify(&f->v, TXQ);
	assert_true(vdrv_read_common(&f->v, VIRTIO_PCI_COMMON_STATUS, 1) &
		    VIRTIO_CONFIG_S_NEEDS_RESET);
	/* the device stops; a reset and a new start bring it back */
	send_frame(f, 40);
	post_rx(f, 0, 64);
	virtio_net_backend_ready(&f->v);
	assert_int_equal(backend_waiting(f), 40);
	f->tx.avail_idx = 0;
	vqd_set16(&f->tx, f->tx.avail + 2, 0);
	f->rx.avail_idx = 0;
	start(f, FEAT_MRG);
	/* receive: an avail idx far ahead */
	vqd_set16(&f->rx, f->rx.avail + 2, 100);
	virtio_net_backend_ready(&f->v);
	assert_true(vdrv_read_common(&f->v, VIRTIO_PCI_COMMON_STATUS, 1) &
		    VIRTIO_CONFIG_S_NEEDS_RESET);
	assert_int_equal(recv(f->sv[1], out, sizeof(out), MSG_DONTWAIT), -1);
}

/* The I/O thread watches the backend: a frame arrives by itself. */
static void test_iothread(void **state)
{
	struct fx *f = *state;
	struct virtio_net_conf c = { .fd = f->sv[0] };
	struct vq_drv *rings[2] = { &f->rx, &f->tx };
	struct iothread *iot;
	struct virtio_dev v2;
	u32 id, len;
	int i;

	virtio_dev_free(&f->v);		/* this test's device instead */
	assert_int_equal(iothread_start(&iot, "test-io"), 0);
	assert_int_equal(virtio_net_init(&v2, &c, iot, &f->rx.as, false), 0);
	assert_int_equal(vdrv_start(&v2, rings, 2, FEAT_MRG), 0xf);
	post_rx(f, 0, 2048);
	virtio_queue_notify(&v2, RXQ);
	send_frame(f, 100);
	for (i = 0; i < 10000 && !vqd_reap(&f->rx, &id, &len); i++)
		usleep(1000);
	assert_true(i < 10000);
	assert_int_equal(len, HDR + 100);
	/* and one more: the edge-triggered watch fires again */
	post_rx(f, 1, 2048);
	virtio_queue_notify(&v2, RXQ);
	send_frame(f, 60);
	for (i = 0; i < 10000 && !vqd_reap(&f->rx, &id, &len); i++)
		usleep(1000);
	assert_true(i < 10000);
	assert_int_equal(len, HDR + 60);
	virtio_dev_free(&v2);
	iothread_stop(iot);
	assert_int_equal(virtio_net_init(&f->v, &c, NULL, &f->rx.as, false),
			 0);			/* for teardown */
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_config), T(test_bad_fd), T(test_tx), T(test_rx_merged),
		T(test_rx_no_buffers), T(test_rx_wait), T(test_rx_single),
		T(test_rx_larger_than_ring), T(test_malformed),
		T(test_iothread),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
