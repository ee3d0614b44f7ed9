/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Split virtqueues (virtio 1.2 §2.7) for a polling driver with one
 * request in flight: each request is a descriptor chain starting at
 * descriptor 0, published in the available ring; completion is a new
 * entry in the used ring. Receive and event queues instead post
 * single-buffer chains (virtq_post, virtq_take). Rings are little-endian; the firmware and its
 * host tests run on x86, so native stores are used.
 */
#ifndef SEVM_FIRMWARE_VIRTQ_H
#define SEVM_FIRMWARE_VIRTQ_H

#include "firmware/fwtypes.h"

#define VIRTQ_MAX_SIZE		16	/* entries this driver uses at most */
#define VIRTQ_DESC_F_NEXT	1
#define VIRTQ_DESC_F_WRITE	2	/* device writes this buffer */
#define VIRTQ_AVAIL_F_NO_INTERRUPT 1	/* the driver polls */

struct virtq_desc {
	u64 addr;
	u32 len;
	u16 flags;
	u16 next;
};

struct virtq_used_elem {
	u32 id;
	u32 len;
};

/* Offsets of the three parts in one block, and the block's size. */
struct virtq_layout {
	u32 avail;		/* descriptors are at 0 (16-byte aligned) */
	u32 used;		/* 4-byte aligned */
	u32 size;
};

struct virtq_buf {
	u64 addr;		/* device address */
	u32 len;
	int device_writes;
};

struct virtq {
	u16 size;
	u16 avail_idx;		/* next value of avail->idx */
	u16 used_idx;		/* used entries consumed so far */
	u16 nr_desc;		/* descriptors of the request in flight */
	u64 pa;			/* device address of the block */
	struct virtq_desc *desc;
	volatile u16 *avail;	/* flags, idx, ring[size], used_event */
	volatile u16 *used;	/* flags, idx, then elements */
};

/* Layout for a queue of size entries (1..VIRTQ_MAX_SIZE); -1 if bad. */
int virtq_layout(u16 size, struct virtq_layout *l);
/*
 * Lays the queue out in [va, va + layout size), cleared; pa is the same
 * block as the device sees it. va must be 16-byte aligned. 0 or -1.
 */
int virtq_init(struct virtq *vq, u16 size, void *va, u64 pa);
u64 virtq_desc_pa(const struct virtq *vq);
u64 virtq_avail_pa(const struct virtq *vq);
u64 virtq_used_pa(const struct virtq *vq);
/* Publishes a chain of n (1..size) buffers; 0, or -1 if it cannot. */
int virtq_submit(struct virtq *vq, const struct virtq_buf *b, u16 n);
/*
 * Checks the used ring once: 0 nothing yet, 1 the request completed
 * (*len = bytes the device wrote), -1 the device returned a bad id.
 */
int virtq_poll(struct virtq *vq, u32 *len);

/*
 * Posted buffers (receive and event queues): descriptor id is one
 * device-writable buffer of its own, published on its own in the
 * available ring. 0, or -1 if id is not a descriptor of the queue.
 */
int virtq_post(struct virtq *vq, u16 id, u64 addr, u32 len);
/*
 * Takes the next used entry once: 0 nothing yet, 1 with *id and *len,
 * -1 if the device returned an id that is not a descriptor.
 */
int virtq_take(struct virtq *vq, u16 *id, u32 *len);

#endif /* SEVM_FIRMWARE_VIRTQ_H */
