// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of devices/virtio/vsock*.c through the device core, with
 * real UNIX sockets in a mkdtemp directory and no I/O thread
 * (virtio_vsock_poll does the socket work): the CONNECT handshake from
 * the host and REQUEST from the guest, data both ways, the guest's
 * credit respected (never more than its buf_alloc unacknowledged), RST
 * for a refused port, a symlink never followed, the connection limit,
 * malformed packets answered with RST or dropped, the listening
 * socket's refusals (live socket, symlink, other file) and mode.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>
#include <cmocka.h>

#include "devices/virtio/vsock-conn.h"
#include "devices/virtio/vsock-uds.h"
#include "devices/virtio/vsock.h"
#include "lib/log.h"
#include "tests/unit/virtio-drv.h"
#include "vmm/iothread.h"

#define FEAT	(1ULL << VIRTIO_F_VERSION_1)
#define CID	3
#define QSZ	16
#define RXBUF	(VSOCK_HDR_LEN + 4096)
#define TXBUF	(VSOCK_HDR_LEN + VSOCK_MAX_PKT)

void __wrap_pr_log(enum log_level level, const char *fmt, ...) __printf(2, 3);
void __wrap_pr_log(enum log_level level, const char *fmt, ...)
{
}

struct fx {
	struct vq_drv rx, tx, ev;
	struct virtio_dev v;
	char dir[64], uds[96];
	u64 rxbuf[QSZ], txbuf;
	u16 txi;
	u8 data[3 * VSOCK_MAX_PKT];
};

static struct fx *fx_new(void)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct virtio_vsock_conf c = { .cid = CID };
	unsigned int i;

	assert_non_null(f);
	strcpy(f->dir, "/tmp/test_vsock.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->uds, sizeof(f->uds), "%s/v.sock", f->dir);
	c.uds = f->uds;
	assert_int_equal(vqd_init(&f->rx, 4 * SZ_1M, QSZ), 0);
	vdrv_add_ring(&f->rx, &f->tx);
	vdrv_add_ring(&f->rx, &f->ev);
	for (i = 0; i < QSZ; i++)
		f->rxbuf[i] = vqd_alloc(&f->rx, RXBUF);
	f->txbuf = vqd_alloc(&f->rx, TXBUF);
	for (i = 0; i < sizeof(f->data); i++)
		f->data[i] = (u8)(i * 13 + i / 251);
	assert_int_equal(virtio_vsock_init(&f->v, &c, NULL, &f->rx.as,
					   false), 0);
	return f;
}

static int setup(void **state)
{
	*state = fx_new();
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char cmd[128];

	virtio_dev_free(&f->v);
	vqd_free(&f->rx);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

static void start(struct fx *f)
{
	struct vq_drv *rings[3] = { &f->rx, &f->tx, &f->ev };
	u16 i;

	assert_int_equal(vdrv_start(&f->v, rings, 3, FEAT), 0xf);
	for (i = 0; i < QSZ; i++) {
		vqd_desc(&f->rx, f->rx.desc, i, f->rxbuf[i], RXBUF,
			 VIRTQ_DESC_F_WRITE, 0);
		vqd_post(&f->rx, i);
	}
	virtio_queue_notify(&f->v, VIRTIO_VSOCK_RXQ);
}

static struct vsock_hdr hdr(u16 op, u32 src, u32 dst, u32 len)
{
	return (struct vsock_hdr){
		.src_cid = CID, .dst_cid = VSOCK_HOST_CID, .src_port = src,
		.dst_port = dst, .len = len, .type = VSOCK_TYPE_STREAM,
		.op = op, .buf_alloc = 65536,
	};
}

/* The guest transmits one packet of chain length hdr + clen. */
static void tx_raw(struct fx *f, const struct vsock_hdr *h, const void *p,
		   u32 clen)
{
	u8 *g = vqd_hva(&f->rx, f->txbuf);
	u16 i = f->txi++ % QSZ;
	u32 id, len;

	vsock_hdr_encode(h, g);
	if (p)
		memcpy(g + VSOCK_HDR_LEN, p, clen);
	vqd_desc(&f->tx, f->tx.desc, i, f->txbuf, VSOCK_HDR_LEN + clen, 0, 0);
	vqd_post(&f->tx, i);
	virtio_queue_notify(&f->v, VIRTIO_VSOCK_TXQ);
	assert_true(vqd_reap(&f->tx, &id, &len));
	assert_int_equal(id, i);
}

static void tx(struct fx *f, const struct vsock_hdr *h, const void *p)
{
	tx_raw(f, h, p, h->len);
}

/* The next packet for the guest (its buffer is posted again). */
static bool rx(struct fx *f, struct vsock_hdr *h, void *payload)
{
	u32 id, len;

	if (!vqd_reap(&f->rx, &id, &len))
		return false;
	assert_true(id < QSZ);
	assert_true(len >= VSOCK_HDR_LEN);
	vsock_hdr_decode(vqd_hva(&f->rx, f->rxbuf[id]), h);
	assert_int_equal(len, VSOCK_HDR_LEN + h->len);
	assert_int_equal(h->src_cid, VSOCK_HOST_CID);
	assert_int_equal(h->dst_cid, CID);
	assert_int_equal(h->type, VSOCK_TYPE_STREAM);
	if (payload)
		memcpy(payload, vqd_hva(&f->rx, f->rxbuf[id] + VSOCK_HDR_LEN),
		       h->len);
	vqd_post(&f->rx, (u16)id);
	return true;
}

static void expect_op(struct fx *f, u16 op, u32 src, u32 dst)
{
	struct vsock_hdr h;

	virtio_vsock_poll(&f->v);
	assert_true(rx(f, &h, NULL));
	assert_int_equal(h.op, op);
	assert_int_equal(h.src_port, src);
	assert_int_equal(h.dst_port, dst);
}

static void expect_nothing(struct fx *f)
{
	struct vsock_hdr h;

	virtio_vsock_poll(&f->v);
	assert_false(rx(f, &h, NULL));
}

static int unix_connect(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	return fd;
}

static int unix_listen(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(fd, 64), 0);
	return fd;
}

static ssize_t host_read(int fd, void *buf, size_t len)
{
	return recv(fd, buf, len, MSG_DONTWAIT);
}

/* Did sevm close its end? (EOF, or a reset when it left data unread.) */
static bool host_closed(int fd)
{
	char b;
	ssize_t r = recv(fd, &b, 1, MSG_DONTWAIT);

	return !r || (r < 0 && errno != EAGAIN);
}

/* Host-initiated: CONNECT, REQUEST, RESPONSE, OK. Returns the client. */
static int host_connect(struct fx *f, u32 port, u32 *hp)
{
	int fd = unix_connect(f->uds);
	char line[64], want[64];
	struct vsock_hdr h, r;

	assert_int_equal(write(fd, "CONNECT 1234\n", 13), 13);
	virtio_vsock_poll(&f->v);
	assert_true(rx(f, &h, NULL));
	assert_int_equal(h.op, VSOCK_OP_REQUEST);
	assert_int_equal(h.dst_port, port);
	assert_true(h.src_port >= VSOCK_EPHEMERAL);
	assert_int_equal(h.buf_alloc, VSOCK_BUF_ALLOC);
	*hp = h.src_port;
	/* no OK yet */
	assert_int_equal(host_read(fd, line, sizeof(line)), -1);
	r = hdr(VSOCK_OP_RESPONSE, port, *hp, 0);
	tx(f, &r, NULL);
	snprintf(want, sizeof(want), "OK %u\n", *hp);
	assert_int_equal(host_read(fd, line, sizeof(line)), strlen(want));
	assert_memory_equal(line, want, strlen(want));
	return fd;
}

static void test_config(void **state)
{
	struct fx *f = *state;
	u64 cid = 0;

	assert_int_equal(virtio_read_config(&f->v, 0, &cid, 8), 0);
	assert_int_equal(le64toh(cid), CID);
	assert_int_equal(f->v.ops->device_id, 19);
	assert_int_equal(vdrv_read_common(&f->v, VIRTIO_PCI_COMMON_NUMQ, 2), 3);
}

static void test_host_initiated(void **state)
{
	struct fx *f = *state;
	struct vsock_hdr h, r;
	char buf[64];
	u32 hp;
	int fd;

	start(f);
	fd = host_connect(f, 1234, &hp);
	/* host -> guest */
	assert_int_equal(write(fd, "hello", 5), 5);
	virtio_vsock_poll(&f->v);
	assert_true(rx(f, &h, buf));
	assert_int_equal(h.op, VSOCK_OP_RW);
	assert_int_equal(h.len, 5);
	assert_int_equal(h.src_port, hp);
	assert_int_equal(h.dst_port, 1234);
	assert_memory_equal(buf, "hello", 5);
	/* guest -> host */
	r = hdr(VSOCK_OP_RW, 1234, hp, 5);
	tx(f, &r, "world");
	assert_int_equal(host_read(fd, buf, sizeof(buf)), 5);
	assert_memory_equal(buf, "world", 5);
	/* the guest resets: the client sees EOF, nothing goes back */
	r = hdr(VSOCK_OP_RST, 1234, hp, 0);
	tx(f, &r, NULL);
	assert_int_equal(host_read(fd, buf, sizeof(buf)), 0);
	expect_nothing(f);
	close(fd);
}

/* The guest refuses a host connection: the client is closed. */
static void test_host_refused(void **state)
{
	struct fx *f = *state;
	struct vsock_hdr h, r;
	char buf[16];
	int fd;

	start(f);
	fd = unix_connect(f->uds);
	assert_int_equal(write(fd, "CONNECT 9\r\n", 11), 11);
	virtio_vsock_poll(&f->v);
	assert_true(rx(f, &h, NULL));
	assert_int_equal(h.op, VSOCK_OP_REQUEST);
	r = hdr(VSOCK_OP_RST, 9, h.src_port, 0);
	tx(f, &r, NULL);
	assert_int_equal(host_read(fd, buf, sizeof(buf)), 0);
	close(fd);
}

static void test_host_bad_lines(void **state)
{
	struct fx *f = *state;
	static const char *const lines[] = {
		"CONNECT x\n", "HELLO 5\n", "CONNECT \n",
		"CONNECT 4294967295\n",
		"CONNECT 123456789012345678901234567890",	/* no newline */
	};
	unsigned int i;
	int fd;

	/* before the driver is up, a CONNECT is refused */
	fd = unix_connect(f->uds);
	assert_int_equal(write(fd, "CONNECT 5\n", 10), 10);
	virtio_vsock_poll(&f->v);
	assert_true(host_closed(fd));
	close(fd);
	start(f);
	for (i = 0; i < ARRAY_SIZE(lines); i++) {
		fd = unix_connect(f->uds);
		assert_int_equal(write(fd, lines[i], strlen(lines[i])),
				 strlen(lines[i]));
		virtio_vsock_poll(&f->v);
		assert_true(host_closed(fd));
		close(fd);
	}
	expect_nothing(f);
	/* a partial line waits */
	fd = unix_connect(f->uds);
	assert_int_equal(write(fd, "CONN", 4), 4);
	expect_nothing(f);
	assert_int_equal(write(fd, "ECT 77\n", 7), 7);
	virtio_vsock_poll(&f->v);
	assert_true(rx(f, &(struct vsock_hdr){ 0 }, NULL));
	close(fd);
}

static int guest_connect(struct fx *f, int lfd, u32 gport, u32 port,
			 u32 buf_alloc)
{
	struct vsock_hdr r = hdr(VSOCK_OP_REQUEST, gport, port, 0);
	int fd;

	r.buf_alloc = buf_alloc;
	tx(f, &r, NULL);
	expect_op(f, VSOCK_OP_RESPONSE, port, gport);
	fd = accept(lfd, NULL, NULL);
	assert_true(fd >= 0);
	return fd;
}

static void test_guest_initiated(void **state)
{
	struct fx *f = *state;
	char path[128], buf[64];
	struct vsock_hdr h, r;
	int lfd, fd;

	snprintf(path, sizeof(path), "%s_5000", f->uds);
	lfd = unix_listen(path);
	start(f);
	fd = guest_connect(f, lfd, 777, 5000, 65536);
	r = hdr(VSOCK_OP_RW, 777, 5000, 4);
	tx(f, &r, "ping");
	assert_int_equal(host_read(fd, buf, sizeof(buf)), 4);
	assert_memory_equal(buf, "ping", 4);
	assert_int_equal(write(fd, "pong", 4), 4);
	virtio_vsock_poll(&f->v);
	assert_true(rx(f, &h, buf));
	assert_int_equal(h.op, VSOCK_OP_RW);
	assert_memory_equal(buf, "pong", 4);
	assert_int_equal(h.fwd_cnt, 4);		/* "ping" went out */
	/* the host closes its side: SHUTDOWN(SEND) to the guest */
	assert_int_equal(shutdown(fd, SHUT_WR), 0);
	virtio_vsock_poll(&f->v);
	assert_true(rx(f, &h, NULL));
	assert_int_equal(h.op, VSOCK_OP_SHUTDOWN);
	assert_int_equal(h.flags, VSOCK_SHUT_SEND);
	/* the guest closes: shut down both ways, we answer RST */
	r = hdr(VSOCK_OP_SHUTDOWN, 777, 5000, 0);
	r.flags = VSOCK_SHUT_RCV | VSOCK_SHUT_SEND;
	tx(f, &r, NULL);
	expect_op(f, VSOCK_OP_RST, 5000, 777);
	assert_int_equal(host_read(fd, buf, sizeof(buf)), 0);
	close(fd);
	close(lfd);
}

static void test_guest_refused(void **state)
{
	struct fx *f = *state;
	struct vsock_hdr r = hdr(VSOCK_OP_REQUEST, 777, 6000, 0);
	char path[128], target[128];
	int lfd;

	start(f);
	tx(f, &r, NULL);			/* no socket */
	expect_op(f, VSOCK_OP_RST, 6000, 777);
	/* a symlink to a live socket is never followed */
	snprintf(target, sizeof(target), "%s/real", f->dir);
	snprintf(path, sizeof(path), "%s_6000", f->uds);
	lfd = unix_listen(target);
	assert_int_equal(symlink(target, path), 0);
	tx(f, &r, NULL);
	expect_op(f, VSOCK_OP_RST, 6000, 777);
	close(lfd);
}

/* Collect RW payload from the guest's side: the bytes received. */
static size_t drain(struct fx *f, u8 *out, size_t max)
{
	struct vsock_hdr h;
	size_t got = 0;
	int rounds;

	for (rounds = 0; rounds < 64; rounds++) {
		virtio_vsock_poll(&f->v);
		while (rx(f, &h, out + got)) {
			assert_int_equal(h.op, VSOCK_OP_RW);
			got += h.len;
			assert_true(got <= max);
		}
	}
	return got;
}

static void test_credit(void **state)
{
	struct fx *f = *state;
	struct vsock_hdr r;
	char path[128];
	static u8 got[10000];
	size_t n;
	int lfd, fd;

	snprintf(path, sizeof(path), "%s_5001", f->uds);
	lfd = unix_listen(path);
	start(f);
	fd = guest_connect(f, lfd, 800, 5001, 4096);
	assert_int_equal(write(fd, f->data, 10000), 10000);
	n = drain(f, got, sizeof(got));
	assert_int_equal(n, 4096);		/* all its credit, no more */
	r = hdr(VSOCK_OP_CREDIT_UPDATE, 800, 5001, 0);
	r.buf_alloc = 4096;
	r.fwd_cnt = 1000;			/* it consumed 1000 bytes */
	tx(f, &r, NULL);
	n += drain(f, got + n, sizeof(got) - n);
	assert_int_equal(n, 5096);
	r.fwd_cnt = 5096;
	r.buf_alloc = 8192;			/* and grew its buffer */
	tx(f, &r, NULL);
	n += drain(f, got + n, sizeof(got) - n);
	assert_int_equal(n, 10000);
	assert_memory_equal(got, f->data, 10000);
	close(fd);
	close(lfd);
}

/* A guest that sends past our buf_alloc is reset, not buffered. */
static void test_guest_overrun(void **state)
{
	struct fx *f = *state;
	struct vsock_hdr r, h;
	char path[128];
	size_t sent = 0;
	int lfd, fd, i;
	bool rst = false;

	snprintf(path, sizeof(path), "%s_5002", f->uds);
	lfd = unix_listen(path);
	start(f);
	fd = guest_connect(f, lfd, 801, 5002, 65536);
	r = hdr(VSOCK_OP_RW, 801, 5002, VSOCK_MAX_PKT);
	for (i = 0; i < 64 && !rst; i++) {
		tx(f, &r, f->data);
		sent += VSOCK_MAX_PKT;
		virtio_vsock_poll(&f->v);
		while (rx(f, &h, NULL))
			rst |= h.op == VSOCK_OP_RST;
	}
	assert_true(rst);
	assert_true(sent <= 16 * SZ_1M);
	close(fd);
	close(lfd);
}

static void test_malformed(void **state)
{
	struct fx *f = *state;
	struct vsock_hdr r;

	start(f);
	r = hdr(VSOCK_OP_REQUEST, 1, 2, 0);
	r.dst_cid = 7;				/* not the host: dropped */
	tx(f, &r, NULL);
	expect_nothing(f);
	r = hdr(VSOCK_OP_REQUEST, 1, 2, 0);
	r.src_cid = 4;				/* not the guest: dropped */
	tx(f, &r, NULL);
	expect_nothing(f);
	r = hdr(99, 1, 2, 0);			/* unknown op: RST */
	tx(f, &r, NULL);
	expect_op(f, VSOCK_OP_RST, 2, 1);
	r = hdr(VSOCK_OP_RW, 1, 2, 100);	/* len past the chain: RST */
	tx_raw(f, &r, f->data, 10);
	expect_op(f, VSOCK_OP_RST, 2, 1);
	r = hdr(VSOCK_OP_RW, 1, 2, VSOCK_MAX_PKT + 1);
	tx_raw(f, &r, f->data, VSOCK_MAX_PKT);
	expect_op(f, VSOCK_OP_RST, 2, 1);
	r = hdr(VSOCK_OP_REQUEST, 1, 2, 0);
	r.type = 2;				/* SEQPACKET: RST */
	tx(f, &r, NULL);
	expect_op(f, VSOCK_OP_RST, 2, 1);
	r = hdr(VSOCK_OP_RST, 1, 2, 0);		/* RST to nothing: silence */
	tx(f, &r, NULL);
	expect_nothing(f);
	r = hdr(VSOCK_OP_RW, 1, 2, 0);		/* chain shorter than hdr */
	tx_raw(f, &r, NULL, (u32)-20);
	expect_nothing(f);
}

static void test_conn_limit(void **state)
{
	struct fx *f = *state;
	struct vsock_hdr r;
	int lfd, fds[VSOCK_MAX_CONNS];
	char path[128];
	unsigned int i;

	snprintf(path, sizeof(path), "%s_5003", f->uds);
	lfd = unix_listen(path);
	start(f);
	for (i = 0; i < VSOCK_MAX_CONNS; i++)
		fds[i] = guest_connect(f, lfd, 1000 + i, 5003, 65536);
	r = hdr(VSOCK_OP_REQUEST, 2000, 5003, 0);
	tx(f, &r, NULL);
	expect_op(f, VSOCK_OP_RST, 5003, 2000);
	for (i = 0; i < VSOCK_MAX_CONNS; i++)
		close(fds[i]);
	close(lfd);
}

static void test_listen_refusals(void **state)
{
	struct fx *f = *state;
	struct vsock_uds_id id;
	struct stat st;
	char path[128];
	int fd, lfd;

	assert_int_equal(lstat(f->uds, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(vsock_uds_listen(f->uds, &fd, &id), -EADDRINUSE);
	snprintf(path, sizeof(path), "%s/link", f->dir);
	assert_int_equal(symlink(f->uds, path), 0);
	assert_int_equal(vsock_uds_listen(path, &fd, &id), -ELOOP);
	snprintf(path, sizeof(path), "%s/file", f->dir);
	fd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
	close(fd);
	assert_int_equal(vsock_uds_listen(path, &fd, &id), -EEXIST);
	/* a stale socket is replaced */
	snprintf(path, sizeof(path), "%s/stale", f->dir);
	close(unix_listen(path));
	assert_int_equal(vsock_uds_listen(path, &lfd, &id), 0);
	vsock_uds_unlink(path, &id);
	assert_int_equal(lstat(path, &st), -1);
	close(lfd);
}

static void test_parse_connect(void **state)
{
	u32 port = 0;

	assert_int_equal(vsock_uds_parse_connect("CONNECT 52\n", 11, &port), 0);
	assert_int_equal(port, 52);
	assert_int_equal(vsock_uds_parse_connect("CONNECT 4294967294\r\n", 20,
						 &port), 0);
	assert_int_equal(port, 4294967294u);
	assert_int_equal(vsock_uds_parse_connect("CONNECT 52", 10, &port),
			 -EINVAL);
	assert_int_equal(vsock_uds_parse_connect("CONNECT -1\n", 11, &port),
			 -EINVAL);
	assert_int_equal(vsock_uds_parse_connect("connect 1\n", 10, &port),
			 -EINVAL);
	assert_int_equal(vsock_uds_parse_connect("CONNECT 99999999999\n", 20,
						 &port), -EINVAL);
	assert_int_equal(vsock_uds_parse_connect("\n", 1, &port), -EINVAL);
}

/* A driver reset closes every connection. */
static void test_reset(void **state)
{
	struct fx *f = *state;
	char buf[16];
	u32 hp;
	int fd;

	start(f);
	fd = host_connect(f, 1234, &hp);
	vdrv_write_common(&f->v, VIRTIO_PCI_COMMON_STATUS, 1, 0);
	assert_int_equal(host_read(fd, buf, sizeof(buf)), 0);
	close(fd);
}

/* ---- With the I/O thread: watches, kicks, reset from another thread */

struct kick {
	struct virtio_dev *v;
	u16 q;
	int fd;
};

/* As the PCI transport does: queue notifications on the I/O thread. */
static void kick_cb(int fd, u32 events, void *opaque)
{
	struct kick *k = opaque;
	u64 n;

	if (read(fd, &n, sizeof(n)) == sizeof(n))
		virtio_queue_notify(k->v, k->q);
}

static void kick(struct kick *k)
{
	u64 one = 1;

	assert_int_equal(write(k->fd, &one, sizeof(one)), sizeof(one));
}

/* Wait (up to 10 s) for the next packet to the guest. */
static bool rx_wait(struct fx *f, struct vsock_hdr *h, void *payload)
{
	int i;

	for (i = 0; i < 10000; i++) {
		if (rx(f, h, payload))
			return true;
		usleep(1000);
	}
	return false;
}

static void test_iothread(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct virtio_vsock_conf c = { .cid = CID };
	struct vq_drv *rings[3] = { &f->rx, &f->tx, &f->ev };
	struct kick k[2];
	struct iothread *iot;
	struct vsock_hdr h, r;
	u8 *g;
	char buf[64];
	int fd, i;
	u16 d;

	assert_non_null(f);
	strcpy(f->dir, "/tmp/test_vsock.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->uds, sizeof(f->uds), "%s/v.sock", f->dir);
	c.uds = f->uds;
	assert_int_equal(vqd_init(&f->rx, 4 * SZ_1M, QSZ), 0);
	vdrv_add_ring(&f->rx, &f->tx);
	vdrv_add_ring(&f->rx, &f->ev);
	for (i = 0; i < QSZ; i++)
		f->rxbuf[i] = vqd_alloc(&f->rx, RXBUF);
	f->txbuf = vqd_alloc(&f->rx, TXBUF);
	assert_int_equal(iothread_start(&iot, "test-io"), 0);
	assert_int_equal(virtio_vsock_init(&f->v, &c, iot, &f->rx.as, false),
			 0);
	for (i = 0; i < 2; i++) {
		k[i] = (struct kick){ &f->v, (u16)i,
				      eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK) };
		assert_int_equal(iothread_add(iot, k[i].fd, EPOLLIN, kick_cb,
					      &k[i]), 0);
	}
	assert_int_equal(vdrv_start(&f->v, rings, 3, FEAT), 0xf);
	for (d = 0; d < QSZ; d++) {
		vqd_desc(&f->rx, f->rx.desc, d, f->rxbuf[d], RXBUF,
			 VIRTQ_DESC_F_WRITE, 0);
		vqd_post(&f->rx, d);
	}
	kick(&k[VIRTIO_VSOCK_RXQ]);
	/* the listening socket and the connection are watched */
	fd = unix_connect(f->uds);
	assert_int_equal(setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO,
				    &(struct timeval){ 10, 0 },
				    sizeof(struct timeval)), 0);
	assert_int_equal(write(fd, "CONNECT 42\n", 11), 11);
	assert_true(rx_wait(f, &h, NULL));
	assert_int_equal(h.op, VSOCK_OP_REQUEST);
	r = hdr(VSOCK_OP_RESPONSE, 42, h.src_port, 0);
	g = vqd_hva(&f->rx, f->txbuf);
	vsock_hdr_encode(&r, g);
	vqd_desc(&f->tx, f->tx.desc, 0, f->txbuf, VSOCK_HDR_LEN, 0, 0);
	vqd_post(&f->tx, 0);
	kick(&k[VIRTIO_VSOCK_TXQ]);
	assert_true(recv(fd, buf, sizeof(buf), 0) > 3);
	assert_memory_equal(buf, "OK ", 3);
	assert_int_equal(write(fd, "data", 4), 4);
	assert_true(rx_wait(f, &h, buf));
	assert_int_equal(h.op, VSOCK_OP_RW);
	assert_memory_equal(buf, "data", 4);
	/* a driver reset from this (vCPU-like) thread closes the client */
	vdrv_write_common(&f->v, VIRTIO_PCI_COMMON_STATUS, 1, 0);
	assert_int_equal(recv(fd, buf, sizeof(buf), 0), 0);
	close(fd);
	for (i = 0; i < 2; i++)
		iothread_del(iot, k[i].fd);
	virtio_dev_free(&f->v);
	iothread_stop(iot);
	for (i = 0; i < 2; i++)
		close(k[i].fd);
	assert_int_equal(access(f->uds, F_OK), -1);	/* removed */
	vqd_free(&f->rx);
	rmdir(f->dir);
	free(f);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_config), T(test_host_initiated), T(test_host_refused),
		T(test_host_bad_lines), T(test_guest_initiated),
		T(test_guest_refused), T(test_credit), T(test_guest_overrun),
		T(test_malformed), T(test_conn_limit), T(test_listen_refusals),
		T(test_parse_connect), T(test_reset),
		cmocka_unit_test(test_iothread),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
