// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio-vsock's packet parser and connection state machine behind the
 * device core, with real UNIX sockets in a private temporary directory
 * (the uds and a listening "<uds>_5000"). The input is a sequence of
 * steps: a guest packet (header fields from the input, optionally with
 * the right CIDs, type, ports or length so that it gets past the first
 * checks), a host client connecting with a CONNECT line, writing or
 * closing, the host end of a guest-initiated connection writing or
 * closing, and a poll that collects what the device sent the guest.
 * Checked besides "no crash": every packet to the guest is from CID 2
 * to CID 3, a stream, a known op, fits its buffer, and only RW carries
 * data; a broken queue means DEVICE_NEEDS_RESET. The device is reset
 * (every connection closed) after each input.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "devices/virtio/vsock-conn.h"
#include "devices/virtio/vsock.h"
#include "lib/log.h"
#include "tests/fuzz/fuzz.h"
#include "tests/unit/virtio-drv.h"

#define RAM_SIZE	0x40000ULL
#define QSZ		16
#define CID		3
#define NFD		4
#define NSEEN		8

void __wrap_pr_log(enum log_level level, const char *fmt, ...) __printf(2, 3);
void __wrap_pr_log(enum log_level level, const char *fmt, ...)
{
}

static struct vq_drv drv, rx0, tx0, ev0, rxq, txq, evq;
static struct virtio_dev vdev;
static char dir[64], uds[96], uds_5000[112];
static int lfd = -1;
static int cl[NFD] = { -1, -1, -1, -1 }, ac[NFD] = { -1, -1, -1, -1 };
static u64 rxbuf[QSZ], txbuf;
static u32 rxlen[QSZ], seen[NSEEN];
static unsigned int nseen;
static u16 txi;

struct fz_in {
	const u8 *p;
	size_t n;
};

static u8 take(struct fz_in *in)
{
	u8 b = 0;

	if (in->n) {
		b = *in->p++;
		in->n--;
	}
	return b;
}

static int fz_socket(const char *path, bool listen_it)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	FUZZ_ASSERT(fd >= 0);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	if (listen_it) {
		FUZZ_ASSERT(!bind(fd, (struct sockaddr *)&sa, sizeof(sa)) &&
			    !listen(fd, 64));
	} else if (connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		close(fd);
		return -1;
	}
	return fd;
}

static void fz_exit(void)
{
	virtio_dev_free(&vdev);
	unlink(uds_5000);
	rmdir(dir);
}

static void fz_init(void)
{
	struct virtio_vsock_conf c = { .cid = CID, .uds = uds };
	unsigned int i;

	strcpy(dir, "/tmp/fuzz_vsock.XXXXXX");
	FUZZ_ASSERT(mkdtemp(dir));
	snprintf(uds, sizeof(uds), "%s/v.sock", dir);
	snprintf(uds_5000, sizeof(uds_5000), "%s_5000", uds);
	FUZZ_ASSERT(!vqd_init(&drv, RAM_SIZE, QSZ));
	vdrv_add_ring(&drv, &tx0);
	vdrv_add_ring(&drv, &ev0);
	rx0 = drv;
	for (i = 0; i < QSZ; i++)
		rxbuf[i] = vqd_alloc(&drv, VSOCK_HDR_LEN + 4096);
	txbuf = vqd_alloc(&drv, VSOCK_HDR_LEN + 4096);
	FUZZ_ASSERT(!virtio_vsock_init(&vdev, &c, NULL, &drv.as, false));
	lfd = fz_socket(uds_5000, true);
	atexit(fz_exit);
}

static void post_rx(u16 i)
{
	vqd_desc(&rxq, rxq.desc, i, rxbuf[i], rxlen[i], VIRTQ_DESC_F_WRITE, 0);
	vqd_post(&rxq, i);
}

static void fz_start(struct fz_in *in)
{
	struct vq_drv *rings[3] = { &rxq, &txq, &evq };
	u16 i;

	memset(drv.ram, 0, RAM_SIZE);
	rxq = rx0;
	txq = tx0;
	evq = ev0;
	FUZZ_ASSERT(vdrv_start(&vdev, rings, 3,
			       1ULL << VIRTIO_F_VERSION_1) == 0xf);
	for (i = 0; i < QSZ; i++) {
		rxlen[i] = VSOCK_HDR_LEN + (take(in) % 9) * 512;
		post_rx(i);
	}
	nseen = 0;
}

/* A guest packet: header from the input, fixed up as ctl says. */
static void fz_guest(struct fz_in *in)
{
	u8 ctl = take(in), *g = vqd_hva(&drv, txbuf);
	struct vsock_hdr h;
	u32 plen, id, len;
	u16 i = txi++ % QSZ;

	memset(g, 0, VSOCK_HDR_LEN);
	memcpy(g, in->p, MIN(in->n, (size_t)VSOCK_HDR_LEN));
	in->p += MIN(in->n, (size_t)VSOCK_HDR_LEN);
	in->n -= MIN(in->n, (size_t)VSOCK_HDR_LEN);
	vsock_hdr_decode(g, &h);
	plen = take(in) * 16u;
	plen = (u32)MIN(in->n, (size_t)plen);
	if (ctl & 1) {
		h.src_cid = CID;
		h.dst_cid = VSOCK_HOST_CID;
	}
	if (ctl & 2)
		h.type = VSOCK_TYPE_STREAM;
	if (ctl & 4)
		h.op = 1 + h.op % 7;
	if (ctl & 8)
		h.src_port = 1000 + h.src_port % 4;
	if (ctl & 16)
		h.dst_port = nseen && (ctl & 32) ? seen[h.dst_port % nseen] :
			     5000 + h.dst_port % 2;
	if (ctl & 64)
		h.len = plen;
	vsock_hdr_encode(&h, g);
	memcpy(g + VSOCK_HDR_LEN, in->p, plen);
	in->p += plen;
	in->n -= plen;
	vqd_desc(&txq, txq.desc, i, txbuf, (u32)(VSOCK_HDR_LEN + plen) -
		 (ctl & 128 ? 30 : 0), 0, 0);
	vqd_post(&txq, i);
	virtio_queue_notify(&vdev, VIRTIO_VSOCK_TXQ);
	while (vqd_reap(&txq, &id, &len))
		;
}

/* What the device sent the guest. */
static void fz_collect(void)
{
	struct vsock_hdr h;
	u32 id, len;

	virtio_vsock_poll(&vdev);
	while (vqd_reap(&rxq, &id, &len)) {
		FUZZ_ASSERT(id < QSZ && len <= rxlen[id]);
		vsock_hdr_decode(vqd_hva(&drv, rxbuf[id]), &h);
		FUZZ_ASSERT(h.src_cid == VSOCK_HOST_CID && h.dst_cid == CID);
		FUZZ_ASSERT(h.type == VSOCK_TYPE_STREAM);
		FUZZ_ASSERT(h.op >= VSOCK_OP_REQUEST &&
			    h.op <= VSOCK_OP_CREDIT_UPDATE);
		FUZZ_ASSERT(len == VSOCK_HDR_LEN + h.len);
		FUZZ_ASSERT(h.op == VSOCK_OP_RW || !h.len);
		if (h.op == VSOCK_OP_REQUEST && nseen < NSEEN)
			seen[nseen++] = h.src_port;
		post_rx((u16)id);
	}
}

static void fz_close(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static void fz_host(struct fz_in *in, u8 op)
{
	u8 b = take(in), buf[512];
	int *fd = op == 1 || op == 2 ? &cl[b % NFD] : &ac[b % NFD];
	char line[32];
	size_t n;

	switch (op) {
	case 1:		/* a host client: CONNECT */
		fz_close(fd);
		*fd = fz_socket(uds, false);
		n = (size_t)snprintf(line, sizeof(line), "CONNECT %u\n",
				     1000 + take(in) % 4);
		if (*fd >= 0 && send(*fd, line, n, MSG_NOSIGNAL) < 0)
			fz_close(fd);
		break;
	case 2:		/* a host client writes */
	case 3:		/* the host end of a guest connection writes */
		if (op == 3 && *fd < 0)
			*fd = accept4(lfd, NULL, NULL,
				      SOCK_NONBLOCK | SOCK_CLOEXEC);
		n = take(in) * 2u;
		n = MIN(in->n, n);
		memcpy(buf, in->p, n);
		in->p += n;
		in->n -= n;
		if (*fd >= 0 && send(*fd, buf, n, MSG_NOSIGNAL) < 0)
			fz_close(fd);
		break;
	default:
		fz_close(b & 1 ? &cl[b % NFD] : fd);
	}
}

static void fz_end(void)
{
	unsigned int i;
	int fd;

	vdrv_write_common(&vdev, VIRTIO_PCI_COMMON_STATUS, 1, 0);
	for (i = 0; i < NFD; i++) {
		fz_close(&cl[i]);
		fz_close(&ac[i]);
	}
	while ((fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC)) >= 0)
		close(fd);
	virtio_vsock_poll(&vdev);	/* closed clients still queued */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_in in = { data, size };
	u8 op;

	if (lfd < 0)
		fz_init();
	fz_start(&in);
	while (in.n) {
		op = take(&in) % 6;
		if (op == 0)
			fz_guest(&in);
		else if (op == 5)
			fz_collect();
		else
			fz_host(&in, op);
	}
	fz_collect();
	if (vdev.vqs[0].broken || vdev.vqs[1].broken)
		FUZZ_ASSERT(vdev.status & VIRTIO_CONFIG_S_NEEDS_RESET);
	fz_end();
	return 0;
}
