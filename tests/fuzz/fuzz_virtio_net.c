// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio-net's transmit and receive paths behind the device core: the
 * input is a small configuration (features, queue sizes, ring
 * addresses, the size of a frame waiting in the backend) and the guest
 * RAM holding both rings, the transmit chains (headers, frames) and the
 * receive buffers. The backend is a SOCK_SEQPACKET socketpair. After the
 * handshake, one receive and one transmit notification. Checked besides
 * "no crash": every frame the device wrote is 14..65536 bytes; a broken
 * queue means DEVICE_NEEDS_RESET.
 */
#include <errno.h>
#include <linux/virtio_net.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "devices/virtio/net.h"
#include "lib/log.h"
#include "tests/fuzz/fuzz.h"
#include "tests/unit/virtio-drv.h"

#define RAM_SIZE	0x10000ULL

void __wrap_pr_log(enum log_level level, const char *fmt, ...) __printf(2, 3);
void __wrap_pr_log(enum log_level level, const char *fmt, ...)
{
}

struct fz_cfg {
	u8 size_log2[2];
	u8 flags;
	u8 pad;
	u16 frame_len;
	u16 desc[2], avail[2], used[2];
} __packed;

static struct vq_drv drv;
static struct virtio_dev vdev;
static int sv[2] = { -1, -1 };
static u8 frame[VIRTIO_NET_FRAME_MAX + 16];

static void fz_init(void)
{
	struct virtio_net_conf c = { .slot = 1 };

	FUZZ_ASSERT(!socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0,
				sv));
	c.fd = sv[0];
	FUZZ_ASSERT(!vqd_init(&drv, RAM_SIZE, 8));
	FUZZ_ASSERT(!virtio_net_init(&vdev, &c, NULL, &drv.as, true));
}

static void fz_ring(struct vq_drv *q, const struct fz_cfg *c, int i)
{
	*q = drv;
	q->size = (u16)(1u << (c->size_log2[i] % 9));
	q->desc = (u64)c->desc[i] * 16 % (RAM_SIZE + 0x1000);
	q->avail = (u64)c->avail[i] * 2 % (RAM_SIZE + 0x1000);
	q->used = (u64)c->used[i] * 4 % (RAM_SIZE + 0x1000);
}

/* What the device wrote to the backend: each frame within bounds. */
static void fz_drain(void)
{
	ssize_t n;

	while ((n = recv(sv[1], frame, sizeof(frame), MSG_DONTWAIT)) >= 0)
		FUZZ_ASSERT(n >= 14 && n <= VIRTIO_NET_FRAME_MAX);
	while (recv(sv[0], frame, sizeof(frame), MSG_DONTWAIT) >= 0)
		;	/* a frame the device left unread */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_cfg c = { 0 };
	struct vq_drv rxq, txq;
	struct vq_drv *rings[2] = { &rxq, &txq };
	u64 feat = 1ULL << VIRTIO_F_VERSION_1 |
		   1ULL << VIRTIO_F_ACCESS_PLATFORM;
	size_t flen;

	if (sv[0] < 0)
		fz_init();
	memcpy(&c, data, MIN(size, sizeof(c)));
	memset(drv.ram, 0, RAM_SIZE);
	if (size > sizeof(c))
		memcpy(drv.ram, data + sizeof(c),
		       MIN(size - sizeof(c), RAM_SIZE));
	fz_ring(&rxq, &c, 0);
	fz_ring(&txq, &c, 1);
	feat |= (u64)(c.flags & 3) << VIRTIO_F_INDIRECT_DESC;
	if (c.flags & 4)
		feat |= 1ULL << VIRTIO_NET_F_MRG_RXBUF;
	flen = c.frame_len % 2048;
	if (vdrv_start(&vdev, rings, 2, feat) != 0xf)
		return 0;
	if (flen) {
		memset(frame, 0xa5, flen);
		FUZZ_ASSERT(send(sv[1], frame, flen, 0) == (ssize_t)flen);
	}
	virtio_queue_notify(&vdev, VIRTIO_NET_RXQ);
	virtio_queue_notify(&vdev, VIRTIO_NET_TXQ);
	virtio_net_backend_ready(&vdev);
	if (vdev.vqs[0].broken || vdev.vqs[1].broken)
		FUZZ_ASSERT(vdev.status & VIRTIO_CONFIG_S_NEEDS_RESET);
	fz_drain();
	return 0;
}
