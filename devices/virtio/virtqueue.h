/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Split virtqueues (virtio 1.2 §2.7) over the DMA API. Every access to
 * the descriptor table, the driver (avail) ring and the device (used)
 * ring goes through dma_read/dma_write/dma_map_iov on the device's
 * struct dma_as; host pointers live only inside one popped element and
 * are dropped when it is pushed back.
 *
 * A malformed ring makes vq_pop fail with -EPROTO (structure: index out
 * of range, loop, bad indirect table, readable after writable, too many
 * segments, avail idx too far ahead) or -EFAULT/-EPERM (an address the
 * DMA API refused). The queue is then broken: every later call fails
 * with -EIO until vq_reset, and the device sets DEVICE_NEEDS_RESET.
 *
 * A buffer (a descriptor's addr/len) that the DMA API refuses (-EFAULT,
 * -EPERM: unmapped IOVA, wrong permission, outside RAM) is not a ring
 * error: the chain is popped with e->refused set and no segments, so the
 * device reads and writes nothing of it and fails the request (its
 * error status through e->status when there is one, used length 0).
 */
#ifndef SEVM_VIRTQUEUE_H
#define SEVM_VIRTQUEUE_H

#include <sys/uio.h>

#include "lib/util.h"

struct dma_as;

#define VIRTQ_DESC_F_NEXT		1
#define VIRTQ_DESC_F_WRITE		2
#define VIRTQ_DESC_F_INDIRECT		4
#define VIRTQ_AVAIL_F_NO_INTERRUPT	1

#define VIRTIO_F_INDIRECT_DESC		28
#define VIRTIO_F_EVENT_IDX		29

#define VIRTQ_MAX_SIZE		32768	/* largest split queue */
#define VQ_MAX_SEGS		1024	/* iovecs of one element */
#define VQ_DESC_SIZE		16

struct virtq {
	struct dma_as *as;
	u16 max;		/* largest size the device accepts */
	u16 size;		/* set by the driver; power of 2, <= max */
	bool enabled;
	bool broken;		/* a malformed ring was seen */
	bool event_idx;		/* VIRTIO_F_EVENT_IDX negotiated */
	bool indirect;		/* VIRTIO_F_INDIRECT_DESC negotiated */
	u64 desc, avail, used;	/* device addresses (IOVAs) */
	u16 last_avail_idx;	/* next avail entry to pop */
	u16 shadow_avail;	/* avail idx last read from the ring */
	u16 used_idx;		/* next used entry to fill */
	u16 used_pending;	/* entries before used_idx not yet published */
	u16 signalled_used;	/* used_idx at the last vq_should_notify */
	u16 msix_vector;	/* kept for the transport (VIRTIO_MSI_...) */
};

/*
 * One popped chain: iov[0, nr_rd) are device-readable (driver -> device),
 * iov[nr_rd, nr_rd + nr_wr) device-writable; no segment is empty, so
 * rd_len/wr_len > 0 imply nr_rd/nr_wr > 0. Valid until vq_push.
 */
struct vq_elem {
	u16 head;
	unsigned int nr_rd, nr_wr;
	u64 rd_len, wr_len;
	bool refused;		/* a buffer was refused: no segments */
	u8 *status;		/* then: the chain's last byte, if writable */
	struct iovec iov[VQ_MAX_SEGS];
};

/* Reset to the state after device reset: disabled, size max, zeros. */
void vq_init(struct virtq *vq, struct dma_as *as, u16 max);
void vq_reset(struct virtq *vq);
/*
 * Check the driver's settings before enabling: size a power of 2 in
 * [1, max], desc 16-, avail 2-, used 4-byte aligned. -EINVAL if not.
 */
int vq_check(const struct virtq *vq) __must_check;

/*
 * Pop the next available chain into e: 1 popped, 0 queue empty (with
 * EVENT_IDX, avail_event is updated so the driver notifies for the next
 * buffer), -EPROTO/-EFAULT/-EPERM malformed (the queue is now broken),
 * -EIO already broken or not enabled.
 */
int vq_pop(struct virtq *vq, struct vq_elem *e) __must_check;
/* Return a chain: used elem (id, len), release barrier, used idx. */
int vq_push(struct virtq *vq, u16 head, u32 len) __must_check;
/*
 * vq_push in two halves, for a batch: vq_fill writes the used element
 * only (publishing earlier ones first if a whole ring is pending);
 * vq_flush publishes every filled one with one release barrier and one
 * used idx store. Same errors as vq_push, except that vq_flush still
 * publishes the elements filled before the queue broke (then -EIO).
 */
int vq_fill(struct virtq *vq, u16 head, u32 len) __must_check;
int vq_flush(struct virtq *vq) __must_check;
/* Should the driver be interrupted for the used entries pushed since the
 * last call? (used_event with EVENT_IDX, else NO_INTERRUPT.) Publishes
 * entries still pending from vq_fill first; false if that fails. */
bool vq_should_notify(struct virtq *vq);

/* vring_need_event of the spec (§2.7.10). */
static inline bool vq_need_event(u16 event_idx, u16 new_idx, u16 old_idx)
{
	return (u16)(new_idx - event_idx - 1) < (u16)(new_idx - old_idx);
}

/* Copy from the readable / into the writable segments, from offset off;
 * returns the bytes copied (short at the end of the segments). */
size_t vq_elem_read(const struct vq_elem *e, size_t off, void *buf,
		    size_t len);
size_t vq_elem_write(const struct vq_elem *e, size_t off, const void *buf,
		     size_t len);

/*
 * The bytes [off, off + len) of iov[0, n) as iovecs in out (at most max);
 * returns how many, or -ENOBUFS / -ERANGE (the range is not all there).
 */
int vq_iov_slice(const struct iovec *iov, unsigned int n, size_t off,
		 size_t len, struct iovec *out, unsigned int max);

#endif /* SEVM_VIRTQUEUE_H */
