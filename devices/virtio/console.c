// SPDX-License-Identifier: GPL-2.0-only
/* virtio-console (see console.h). */
#include <errno.h>
#include <linux/virtio_console.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vmm/metrics.h"
#include "devices/virtio/console.h"
#include "lib/log.h"

struct vcons {
	int out_fd;
	bool out_failed;		/* logged once */
	u8 buf[VIRTIO_CONSOLE_BUF];	/* input ring */
	size_t head, len;
	bool refused;			/* input refused for lack of space */
	virtio_console_space_fn space;
	void *space_opaque;
	struct vq_elem elem;
};

/* virtio_console.* counters (docs/metrics.md). */
static struct metric *cons_tx_bytes, *cons_rx_bytes, *cons_errors;

/* The guest's output: every readable byte goes to the backend. */
static void cons_tx(struct vcons *c, const struct vq_elem *e)
{
	unsigned int i;
	int r = 0;

	for (i = 0; i < e->nr_rd && !r; i++) {
		r = write_all(c->out_fd, e->iov[i].iov_base,
			      e->iov[i].iov_len);
		if (!r)
			metric_add(cons_tx_bytes, e->iov[i].iov_len);
	}
	if (r)
		metric_inc(cons_errors);
	if (r && !c->out_failed)
		pr_err("virtio-console: write to backend fd %d: %s; output "
		       "dropped", c->out_fd, strerror(-r));
	c->out_failed |= !!r;
}

/* Move buffered input into one receive element; returns bytes moved. */
static u32 cons_rx_one(struct vcons *c, const struct vq_elem *e)
{
	size_t done = 0, chunk;

	while (c->len && done < e->wr_len) {
		chunk = MIN(c->len, sizeof(c->buf) - c->head);
		chunk = MIN(chunk, e->wr_len - done);
		vq_elem_write(e, done, c->buf + c->head, chunk);
		c->head = (c->head + chunk) % sizeof(c->buf);
		c->len -= chunk;
		done += chunk;
	}
	metric_add(cons_rx_bytes, done);
	return (u32)done;
}

static int cons_rx(struct virtio_dev *vdev, struct vcons *c)
{
	struct virtq *vq = &vdev->vqs[VIRTIO_CONSOLE_RX];
	int r = 0;

	while (c->len && (r = vq_pop(vq, &c->elem)) == 1) {
		r = vq_push(vq, c->elem.head, cons_rx_one(c, &c->elem));
		if (r)
			break;
	}
	if (c->refused && c->len < sizeof(c->buf)) {
		c->refused = false;
		if (c->space)
			c->space(vdev, c->space_opaque);
	}
	return r < 0 ? r : 0;
}

static void cons_queue_notify(struct virtio_dev *vdev, u16 q)
{
	struct vcons *c = vdev->priv;
	struct virtq *vq = &vdev->vqs[q];
	int r;

	if (q == VIRTIO_CONSOLE_RX) {
		r = cons_rx(vdev, c);
	} else {
		while ((r = vq_pop(vq, &c->elem)) == 1) {
			cons_tx(c, &c->elem);
			r = vq_push(vq, c->elem.head, 0);
			if (r)
				break;
		}
	}
	if (r < 0)
		virtio_set_needs_reset(vdev, q, r);
	virtio_queue_interrupt(vdev, q);
}

size_t virtio_console_input(struct virtio_dev *vdev, const void *buf,
			    size_t len)
{
	struct vcons *c = vdev->priv;
	size_t n, tail, first;

	virtio_lock(vdev);
	n = MIN(len, sizeof(c->buf) - c->len);
	tail = (c->head + c->len) % sizeof(c->buf);
	first = MIN(n, sizeof(c->buf) - tail);
	memcpy(c->buf + tail, buf, first);
	memcpy(c->buf, (const u8 *)buf + first, n - first);
	c->len += n;
	c->refused |= n < len;
	if (virtio_running(vdev) && vdev->vqs[VIRTIO_CONSOLE_RX].enabled) {
		int r = cons_rx(vdev, c);

		if (r)
			virtio_set_needs_reset(vdev, VIRTIO_CONSOLE_RX, r);
		virtio_queue_interrupt(vdev, VIRTIO_CONSOLE_RX);
	}
	virtio_unlock(vdev);
	return n;
}

size_t virtio_console_input_space(struct virtio_dev *vdev)
{
	struct vcons *c = vdev->priv;
	size_t n;

	virtio_lock(vdev);
	n = sizeof(c->buf) - c->len;
	virtio_unlock(vdev);
	return n;
}

void virtio_console_set_space_cb(struct virtio_dev *vdev,
				 virtio_console_space_fn fn, void *opaque)
{
	struct vcons *c = vdev->priv;

	virtio_lock(vdev);
	c->space = fn;
	c->space_opaque = opaque;
	virtio_unlock(vdev);
}

static void cons_cfg_read(struct virtio_dev *vdev, u32 off, void *buf,
			  u32 len)
{
	memset(buf, 0, len);	/* no SIZE, MULTIPORT or EMERG_WRITE */
}

static void cons_free(struct virtio_dev *vdev)
{
	free(vdev->priv);
}

const struct virtio_dev_ops virtio_console_ops = {
	.name		= "virtio-console",
	.device_id	= VIRTIO_ID_CONSOLE,
	.config_size	= sizeof(struct virtio_console_config),
	.num_queues	= 2,
	.queue_max	= VIRTIO_QUEUE_MAX_DEFAULT,
	.cfg_read	= cons_cfg_read,
	.queue_notify	= cons_queue_notify,
	.free		= cons_free,
};

int virtio_console_init(struct virtio_dev *vdev, int out_fd,
			struct dma_as *as, bool sev)
{
	struct vcons *c = calloc(1, sizeof(*c));
	int r;

	if (!c)
		return -ENOMEM;
	c->out_fd = out_fd;
	cons_tx_bytes = metric_get("virtio_console.tx_bytes");
	cons_rx_bytes = metric_get("virtio_console.rx_bytes");
	cons_errors = metric_get("virtio_console.errors");
	r = virtio_dev_init(vdev, &virtio_console_ops, c, as, sev);
	if (r)
		free(c);
	return r;
}
