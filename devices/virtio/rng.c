// SPDX-License-Identifier: GPL-2.0-only
/* virtio-rng (see rng.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "vmm/metrics.h"
#include "devices/virtio/rng.h"
#include "lib/log.h"

struct vrng {
	struct vq_elem elem;
};

/* virtio_rng.* counters (docs/metrics.md), summed over the devices. */
static struct metric *rng_requests, *rng_bytes;

/* Fill up to len bytes at p; returns the bytes filled. */
static size_t rng_fill(void *p, size_t len)
{
	size_t done = 0;
	ssize_t r;

	while (done < len) {
		r = getrandom((u8 *)p + done, len - done, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		done += r;
	}
	return done;
}

/* The writable segments, up to VIRTIO_RNG_MAX_REQ bytes in all. */
static u32 rng_request(const struct vq_elem *e)
{
	const struct iovec *iov = e->iov + e->nr_rd;
	size_t left = VIRTIO_RNG_MAX_REQ, done = 0, c, got;
	unsigned int i;

	for (i = 0; i < e->nr_wr && left; i++) {
		c = MIN(iov[i].iov_len, left);
		got = rng_fill(iov[i].iov_base, c);
		done += got;
		left -= got;
		if (got < c)
			break;
	}
	return (u32)done;
}

static void rng_queue_notify(struct virtio_dev *vdev, u16 q)
{
	struct vrng *g = vdev->priv;
	struct virtq *vq = &vdev->vqs[q];
	int r;

	while ((r = vq_pop(vq, &g->elem)) == 1) {
		u32 n = rng_request(&g->elem);

		metric_inc(rng_requests);
		metric_add(rng_bytes, n);
		r = vq_push(vq, g->elem.head, n);
		if (r)
			break;
	}
	if (r < 0)
		virtio_set_needs_reset(vdev, q, r);
	virtio_queue_interrupt(vdev, q);
}

static void rng_free(struct virtio_dev *vdev)
{
	free(vdev->priv);
}

const struct virtio_dev_ops virtio_rng_ops = {
	.name		= "virtio-rng",
	.device_id	= VIRTIO_ID_RNG,
	.num_queues	= 1,
	.queue_max	= VIRTIO_QUEUE_MAX_DEFAULT,
	.queue_notify	= rng_queue_notify,
	.free		= rng_free,
};

int virtio_rng_init(struct virtio_dev *vdev, struct dma_as *as, bool sev)
{
	struct vrng *g = calloc(1, sizeof(*g));
	int r;

	if (!g)
		return -ENOMEM;
	rng_requests = metric_get("virtio_rng.requests");
	rng_bytes = metric_get("virtio_rng.bytes");
	r = virtio_dev_init(vdev, &virtio_rng_ops, g, as, sev);
	if (r)
		free(g);
	return r;
}
