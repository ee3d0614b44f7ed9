// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio-blk (see blk.h). A request is a chain: the 16-byte header
 * (le32 type, le32 ioprio, le64 sector) at the start of the readable
 * bytes, the data, and the status byte as the last writable byte. The
 * header is copied out of guest memory before it is checked; data moves
 * with preadv/pwritev directly between the image and guest buffers.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/fs.h>
#include <linux/virtio_blk.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "vmm/metrics.h"
#include "devices/virtio/blk.h"
#include "lib/log.h"

#define SECTOR		512
#define HDR_SIZE	16
#define BLK_SEG_MAX	(VIRTIO_BLK_QUEUE_MAX - 2)

struct vblk {
	int fd;
	bool ro;
	u64 capacity;			/* sectors */
	char serial[VIRTIO_BLK_ID_BYTES];
	struct virtio_blk_config cfg;	/* little-endian, as guests see it */
	struct vq_elem elem;
	struct iovec data[VQ_MAX_SEGS];
};

struct blk_req {
	u32 type;
	u64 sector;
	size_t data_len;		/* bytes between header and status */
	unsigned int nr_data;
};

/* virtio_blk.* counters (docs/metrics.md), summed over the devices. */
static struct {
	struct metric *requests, *read_bytes, *write_bytes, *errors;
} blk_m;

static void blk_count(const struct blk_req *rq, u8 st)
{
	metric_inc(blk_m.requests);
	if (st != VIRTIO_BLK_S_OK)
		metric_inc(blk_m.errors);
	else if (rq->type == VIRTIO_BLK_T_IN)
		metric_add(blk_m.read_bytes, rq->data_len);
	else if (rq->type == VIRTIO_BLK_T_OUT)
		metric_add(blk_m.write_bytes, rq->data_len);
}

/* Transfer all of iov at off: loops over short transfers and EINTR. */
static int blk_rw(int fd, struct iovec *iov, unsigned int n, off_t off,
		  bool write)
{
	ssize_t r;

	while (n) {
		r = write ? pwritev(fd, iov, (int)MIN(n, IOV_MAX), off) :
			    preadv(fd, iov, (int)MIN(n, IOV_MAX), off);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (!r)
			return -EIO;	/* EOF or no progress: a failure */
		off += r;
		while (n && (size_t)r >= iov->iov_len) {
			r -= iov->iov_len;
			iov++;
			n--;
		}
		if (n) {
			iov->iov_base = (u8 *)iov->iov_base + r;
			iov->iov_len -= r;
		}
	}
	return 0;
}

/* The data bytes of the request as iovecs into guest memory. */
static int blk_map_data(struct vblk *b, const struct vq_elem *e,
			struct blk_req *rq, bool to_guest)
{
	int n;

	if (to_guest)
		n = vq_iov_slice(e->iov + e->nr_rd, e->nr_wr, 0, rq->data_len,
				 b->data, VQ_MAX_SEGS);
	else
		n = vq_iov_slice(e->iov, e->nr_rd, HDR_SIZE, rq->data_len,
				 b->data, VQ_MAX_SEGS);
	if (n < 0)
		return n;
	rq->nr_data = n;
	return 0;
}

static u8 blk_io(struct vblk *b, const struct vq_elem *e, struct blk_req *rq,
		 bool write)
{
	u64 nsec = rq->data_len / SECTOR;

	if (rq->data_len % SECTOR || rq->sector > b->capacity ||
	    nsec > b->capacity - rq->sector)
		return VIRTIO_BLK_S_IOERR;
	if (write && b->ro)
		return VIRTIO_BLK_S_IOERR;
	if (blk_map_data(b, e, rq, !write))
		return VIRTIO_BLK_S_IOERR;
	if (blk_rw(b->fd, b->data, rq->nr_data, (off_t)(rq->sector * SECTOR),
		   write))
		return VIRTIO_BLK_S_IOERR;
	return VIRTIO_BLK_S_OK;
}

static u8 blk_get_id(struct vblk *b, const struct vq_elem *e,
		     struct blk_req *rq)
{
	size_t n = MIN(rq->data_len, (size_t)VIRTIO_BLK_ID_BYTES);

	if (vq_elem_write(e, 0, b->serial, n) != n)
		return VIRTIO_BLK_S_IOERR;
	rq->data_len = n;
	return VIRTIO_BLK_S_OK;
}

static u8 blk_execute(struct vblk *b, const struct vq_elem *e,
		      struct blk_req *rq, u32 *written)
{
	u8 st;

	*written = 0;
	switch (rq->type) {
	case VIRTIO_BLK_T_IN:
		rq->data_len = e->wr_len - 1;
		st = blk_io(b, e, rq, false);
		if (st == VIRTIO_BLK_S_OK)
			*written = (u32)rq->data_len;
		return st;
	case VIRTIO_BLK_T_OUT:
		rq->data_len = e->rd_len - HDR_SIZE;
		return blk_io(b, e, rq, true);
	case VIRTIO_BLK_T_FLUSH:
		return fdatasync(b->fd) ? VIRTIO_BLK_S_IOERR : VIRTIO_BLK_S_OK;
	case VIRTIO_BLK_T_GET_ID:
		rq->data_len = e->wr_len - 1;
		st = blk_get_id(b, e, rq);
		if (st == VIRTIO_BLK_S_OK)
			*written = (u32)rq->data_len;
		return st;
	}
	return VIRTIO_BLK_S_UNSUPP;
}

/*
 * One request. A chain without room for the header and the status byte
 * cannot be answered: -EPROTO (the device then needs a reset).
 */
static int blk_request(struct vblk *b, const struct vq_elem *e, u32 *len)
{
	struct virtio_blk_outhdr h;
	const struct iovec *last;
	struct blk_req rq = { 0 };
	u32 written;
	u8 st;

	if (e->refused) {
		/* a refused buffer: nothing moved, IOERR if it can be said */
		if (!e->status)
			return -EPROTO;
		*e->status = VIRTIO_BLK_S_IOERR;
		*len = 1;
		return 0;
	}
	if (e->rd_len < HDR_SIZE || e->wr_len < 1 ||
	    e->wr_len > UINT32_MAX || e->rd_len > UINT32_MAX ||
	    vq_elem_read(e, 0, &h, sizeof(h)) != sizeof(h)) {
		metric_inc(blk_m.errors);
		return -EPROTO;
	}
	rq.type = le32toh(h.type);
	rq.sector = le64toh(h.sector);
	st = blk_execute(b, e, &rq, &written);
	blk_count(&rq, st);
	/* the last writable byte: wr_len >= 1 and segments are never empty */
	last = &e->iov[e->nr_rd + e->nr_wr - 1];
	((u8 *)last->iov_base)[last->iov_len - 1] = st;
	*len = written + 1;
	return 0;
}

static void blk_queue_notify(struct virtio_dev *vdev, u16 q)
{
	struct vblk *b = vdev->priv;
	struct virtq *vq = &vdev->vqs[q];
	u32 len = 0;
	int r, f;

	while ((r = vq_pop(vq, &b->elem)) == 1) {
		r = blk_request(b, &b->elem, &len);
		if (!r)
			r = vq_fill(vq, b->elem.head, len);
		if (r)
			break;
	}
	/* one used idx store for the batch, also after a malformed chain */
	f = vq_flush(vq);
	if (f && r >= 0)
		r = f;
	if (r < 0)
		virtio_set_needs_reset(vdev, q, r);
	virtio_queue_interrupt(vdev, q);
}

static void blk_cfg_read(struct virtio_dev *vdev, u32 off, void *buf,
			 u32 len)
{
	struct vblk *b = vdev->priv;

	memcpy(buf, (u8 *)&b->cfg + off, len);
}

static void blk_free(struct virtio_dev *vdev)
{
	struct vblk *b = vdev->priv;

	if (b->fd >= 0)
		close(b->fd);
	free(b);
}

const struct virtio_dev_ops virtio_blk_ops = {
	.name		= "virtio-blk",
	.device_id	= VIRTIO_ID_BLOCK,
	.features	= 1ULL << VIRTIO_BLK_F_SEG_MAX |
			  1ULL << VIRTIO_BLK_F_FLUSH,
	.config_size	= sizeof(struct virtio_blk_config),
	.num_queues	= 1,
	.queue_max	= VIRTIO_BLK_QUEUE_MAX,
	.cfg_read	= blk_cfg_read,
	.queue_notify	= blk_queue_notify,
	.free		= blk_free,
};

static const struct virtio_dev_ops virtio_blk_ro_ops = {
	.name		= "virtio-blk",
	.device_id	= VIRTIO_ID_BLOCK,
	.features	= 1ULL << VIRTIO_BLK_F_SEG_MAX |
			  1ULL << VIRTIO_BLK_F_FLUSH | 1ULL << VIRTIO_BLK_F_RO,
	.config_size	= sizeof(struct virtio_blk_config),
	.num_queues	= 1,
	.queue_max	= VIRTIO_BLK_QUEUE_MAX,
	.cfg_read	= blk_cfg_read,
	.queue_notify	= blk_queue_notify,
	.free		= blk_free,
};

/* Regular files and block devices only; the size in bytes. */
static int blk_open(const char *path, bool ro, int *fd, u64 *size)
{
	struct stat st;
	int r = 0;

	*fd = open(path, (ro ? O_RDONLY : O_RDWR) | O_CLOEXEC);
	if (*fd < 0)
		return -errno;
	if (fstat(*fd, &st))
		r = -errno;
	else if (S_ISREG(st.st_mode))
		*size = (u64)st.st_size;
	else if (!S_ISBLK(st.st_mode))
		r = -EINVAL;
	else if (ioctl(*fd, BLKGETSIZE64, size))
		r = -errno;
	if (r) {
		close(*fd);
		*fd = -1;
	}
	return r;
}

int virtio_blk_init(struct virtio_dev *vdev, const struct virtio_blk_conf *c,
		    struct dma_as *as, bool sev)
{
	struct vblk *b = calloc(1, sizeof(*b));
	u64 size = 0;
	int r;

	if (!b)
		return -ENOMEM;
	blk_m.requests = metric_get("virtio_blk.requests");
	blk_m.read_bytes = metric_get("virtio_blk.read_bytes");
	blk_m.write_bytes = metric_get("virtio_blk.write_bytes");
	blk_m.errors = metric_get("virtio_blk.errors");
	r = blk_open(c->path, c->readonly, &b->fd, &size);
	if (r) {
		pr_err("virtio-blk: open %s%s: %s", c->path,
		       c->readonly ? " read-only" : "",
		       r == -EINVAL ? "not a regular file or block device" :
		       strerror(-r));
		free(b);
		return r;
	}
	b->ro = c->readonly;
	b->capacity = size / SECTOR;
	if (c->serial)
		memcpy(b->serial, c->serial,
		       strnlen(c->serial, sizeof(b->serial)));
	b->cfg.capacity = htole64(b->capacity);
	b->cfg.seg_max = htole32(BLK_SEG_MAX);
	r = virtio_dev_init(vdev, b->ro ? &virtio_blk_ro_ops : &virtio_blk_ops,
			    b, as, sev);
	if (r)
		blk_free(&(struct virtio_dev){ .priv = b });
	return r;
}
