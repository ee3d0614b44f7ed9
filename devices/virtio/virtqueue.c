// SPDX-License-Identifier: GPL-2.0-only
/*
 * Split virtqueues (see virtqueue.h). Layout (all little-endian):
 *   descriptor table  desc + 16 * i: le64 addr, le32 len, le16 flags,
 *                     le16 next
 *   driver area       avail: le16 flags, le16 idx, le16 ring[size],
 *                     le16 used_event
 *   device area       used: le16 flags, le16 idx, {le32 id, le32 len}
 *                     ring[size], le16 avail_event
 * Everything read from the rings is untrusted and checked before use.
 */
#include <endian.h>
#include <errno.h>
#include <stdatomic.h>
#include <string.h>

#include "devices/virtio/virtqueue.h"
#include "vmm/dma.h"

struct vq_desc {
	u64 addr;
	u32 len;
	u16 flags;
	u16 next;
} __packed;

_Static_assert(sizeof(struct vq_desc) == VQ_DESC_SIZE, "descriptor size");

void vq_init(struct virtq *vq, struct dma_as *as, u16 max)
{
	memset(vq, 0, sizeof(*vq));
	vq->as = as;
	vq->max = MIN(max, VIRTQ_MAX_SIZE);
	vq_reset(vq);
}

void vq_reset(struct virtq *vq)
{
	struct dma_as *as = vq->as;
	u16 max = vq->max;

	memset(vq, 0, sizeof(*vq));
	vq->as = as;
	vq->max = max;
	vq->size = max;
	vq->msix_vector = 0xffff;
}

int vq_check(const struct virtq *vq)
{
	if (!vq->size || vq->size > vq->max || (vq->size & (vq->size - 1)))
		return -EINVAL;
	if (!IS_ALIGNED(vq->desc, 16) || !IS_ALIGNED(vq->avail, 2) ||
	    !IS_ALIGNED(vq->used, 4))
		return -EINVAL;
	return 0;
}

/* A DMA refusal as a ring error: -EPERM stays, anything else -EFAULT. */
static int vq_dma_err(int r)
{
	return r == -EPERM ? -EPERM : -EFAULT;
}

static int vq_fail(struct virtq *vq, int r)
{
	vq->broken = true;
	return r;
}

/*
 * Ring accesses: one translation when the range is one contiguous run
 * (always, in practice, for these small aligned fields), else the
 * all-or-nothing dma_read/dma_write.
 */
#define __vq_inline	inline __attribute__((always_inline))

/* Inlined: the copies of these fixed-size fields become plain moves. */
static __vq_inline int vq_read(struct virtq *vq, u64 addr, void *buf,
			       u64 len)
{
	void *p;
	u64 c;
	int r = dma_translate(vq->as, addr, len, DMA_TO_DEVICE, &p, &c);

	if (!r && c == len)
		memcpy(buf, p, len);
	else if (!r)
		r = dma_read(vq->as, addr, buf, len);
	return r ? vq_dma_err(r) : 0;
}

static __vq_inline int vq_write(struct virtq *vq, u64 addr, const void *buf,
				u64 len)
{
	void *p;
	u64 c;
	int r = dma_translate(vq->as, addr, len, DMA_FROM_DEVICE, &p, &c);

	if (!r && c == len)
		memcpy(p, buf, len);
	else if (!r)
		r = dma_write(vq->as, addr, buf, len);
	return r ? vq_dma_err(r) : 0;
}

static __vq_inline int rd16(struct virtq *vq, u64 addr, u16 *v)
{
	u16 x;
	int r = vq_read(vq, addr, &x, sizeof(x));

	if (r)
		return r;
	*v = le16toh(x);
	return 0;
}

static __vq_inline int wr16(struct virtq *vq, u64 addr, u16 v)
{
	u16 x = htole16(v);

	return vq_write(vq, addr, &x, sizeof(x));
}

static void vq_desc_le(struct vq_desc *d)
{
	d->addr = le64toh(d->addr);
	d->len = le32toh(d->len);
	d->flags = le16toh(d->flags);
	d->next = le16toh(d->next);
}

/*
 * A host view of the descriptors [lo, hi) of the table being walked, so
 * that a chain costs one translation, not one per descriptor. Each
 * descriptor is still copied out once and checked on the copy.
 */
struct vq_win {
	const u8 *p;		/* descriptor lo */
	u32 lo, hi;
};

/*
 * Map from descriptor i to the end of the table (n entries), as far as
 * it is contiguous in host memory. The translation starts at the
 * descriptor about to be read, so it fails exactly when reading that
 * descriptor alone would. Less than one descriptor: an empty window.
 */
static int vq_map_win(struct virtq *vq, u64 table, u32 n, u32 i,
		      struct vq_win *w)
{
	u64 addr = table + (u64)i * VQ_DESC_SIZE;
	u64 len = (u64)(n - i) * VQ_DESC_SIZE, c;
	void *p;
	int r;

	if (addr + len - 1 < addr)
		len = VQ_DESC_SIZE;	/* the table wraps: per descriptor */
	r = dma_translate(vq->as, addr, len, DMA_TO_DEVICE, &p, &c);
	if (r)
		return vq_dma_err(r);
	w->p = p;
	w->lo = i;
	w->hi = i + (u32)(c / VQ_DESC_SIZE);
	return 0;
}

static int vq_read_desc(struct virtq *vq, u64 table, u32 n, u32 i,
			struct vq_win *w, struct vq_desc *d)
{
	int r;

	if (i < w->lo || i >= w->hi) {
		r = vq_map_win(vq, table, n, i, w);
		if (r)
			return r;
	}
	if (i < w->hi) {
		memcpy(d, w->p + (u64)(i - w->lo) * VQ_DESC_SIZE, sizeof(*d));
	} else {
		/* split between host regions: the all-or-nothing copy */
		r = vq_read(vq, table + (u64)i * VQ_DESC_SIZE, d, sizeof(*d));
		if (r)
			return r;
	}
	vq_desc_le(d);
	return 0;
}

/* The driver's avail idx; more than size entries ahead is malformed. */
static int vq_avail_idx(struct virtq *vq, u16 *idx)
{
	int r = rd16(vq, vq->avail + 2, idx);

	if (r)
		return r;
	if ((u16)(*idx - vq->last_avail_idx) > vq->size)
		return -EPROTO;
	vq->shadow_avail = *idx;
	return 0;
}

/*
 * The queue looked empty. With EVENT_IDX, ask the driver to notify for
 * the next entry (avail_event), then look again: the driver may have
 * added one before it saw avail_event. 1 if there is an entry now.
 */
static int vq_arm(struct virtq *vq)
{
	u16 idx;
	int r;

	if (!vq->event_idx)
		return 0;
	r = wr16(vq, vq->used + 4 + 8 * (u64)vq->size, vq->last_avail_idx);
	if (r)
		return r;
	atomic_thread_fence(memory_order_seq_cst);
	r = vq_avail_idx(vq, &idx);
	if (r)
		return r;
	return idx != vq->last_avail_idx;
}

static int vq_add_seg(struct virtq *vq, struct vq_elem *e,
		      const struct vq_desc *d)
{
	bool wr = d->flags & VIRTQ_DESC_F_WRITE;
	unsigned int n = e->nr_rd + e->nr_wr;
	int r;

	if (!wr && e->nr_wr)
		return -EPROTO;		/* readable after writable */
	r = dma_map_iov(vq->as, d->addr, d->len,
			wr ? DMA_FROM_DEVICE : DMA_TO_DEVICE,
			e->iov, VQ_MAX_SEGS, &n);
	if (r == -ENOBUFS)
		return -EPROTO;		/* too many segments */
	if (r == -EFAULT || r == -EPERM) {
		e->refused = true;	/* a buffer: the request fails */
		return 1;
	}
	if (r)
		return vq_dma_err(r);
	if (wr) {
		e->nr_wr = n - e->nr_rd;
		e->wr_len += d->len;
	} else {
		e->nr_rd = n;
		e->rd_len += d->len;
	}
	return 0;
}

/*
 * A buffer of the chain was refused: drop every segment, so nothing is
 * read or written, and keep a pointer to the chain's last byte if the
 * last descriptor is device-writable and was not refused (a status).
 */
static void vq_refused(struct virtq *vq, struct vq_elem *e,
		       const struct vq_desc *last, bool last_refused)
{
	void *p;
	u64 c;

	e->nr_rd = e->nr_wr = 0;
	e->rd_len = e->wr_len = 0;
	if (last_refused || !(last->flags & VIRTQ_DESC_F_WRITE) || !last->len)
		return;
	if (!dma_translate(vq->as, last->addr + last->len - 1, 1,
			   DMA_FROM_DEVICE, &p, &c))
		e->status = p;
}

/*
 * An indirect descriptor must be the chain's head (so never inside an
 * indirect table), without NEXT, naming a whole number of descriptors,
 * at most VQ_MAX_SEGS.
 */
static int vq_check_indirect(const struct virtq *vq, const struct vq_desc *d,
			     bool at_head)
{
	if (!vq->indirect || !at_head || (d->flags & VIRTQ_DESC_F_NEXT))
		return -EPROTO;
	if (!d->len || d->len % VQ_DESC_SIZE ||
	    d->len / VQ_DESC_SIZE > VQ_MAX_SEGS)
		return -EPROTO;
	return 0;
}

/*
 * Follow the chain from head. A table of n entries cannot hold a chain
 * longer than n without a loop, so visiting more than n is one.
 */
static int vq_walk(struct virtq *vq, struct vq_elem *e, u16 head)
{
	u64 table = vq->desc;
	u32 n = vq->size, i = head, seen = 0;
	bool in_indirect = false;
	struct vq_win w = { NULL, 0, 0 };
	struct vq_desc d;
	int r;

	for (;;) {
		if (i >= n || ++seen > n)
			return -EPROTO;
		r = vq_read_desc(vq, table, n, i, &w, &d);
		if (r)
			return r;
		if (d.flags & VIRTQ_DESC_F_INDIRECT) {
			r = vq_check_indirect(vq, &d, !in_indirect &&
					      seen == 1);
			if (r)
				return r;
			table = d.addr;
			n = d.len / VQ_DESC_SIZE;
			i = 0;
			seen = 0;
			in_indirect = true;
			w.lo = w.hi = 0;
			continue;
		}
		r = vq_add_seg(vq, e, &d);
		if (r < 0)
			return r;
		if (!(d.flags & VIRTQ_DESC_F_NEXT)) {
			if (e->refused)
				vq_refused(vq, e, &d, r == 1);
			return 0;
		}
		i = d.next;
	}
}

int vq_pop(struct virtq *vq, struct vq_elem *e)
{
	u16 idx = 0, head = 0;
	int r;

	if (!vq->enabled || vq->broken)
		return -EIO;
	/* entries seen at the last read of avail idx need no new read */
	if ((u16)(vq->shadow_avail - vq->last_avail_idx - 1) >= vq->size) {
		r = vq_avail_idx(vq, &idx);
		if (!r && idx == vq->last_avail_idx) {
			r = vq_arm(vq);
			if (!r)
				return 0;
		}
		if (r < 0)
			return vq_fail(vq, r);
	}
	/* the ring entry is read after the idx that published it */
	atomic_thread_fence(memory_order_acquire);
	r = rd16(vq, vq->avail + 4 +
		 2 * (u64)(vq->last_avail_idx & (vq->size - 1)), &head);
	if (!r && head >= vq->size)
		r = -EPROTO;
	e->head = head;
	e->nr_rd = e->nr_wr = 0;
	e->rd_len = e->wr_len = 0;
	e->refused = false;
	e->status = NULL;
	if (!r)
		r = vq_walk(vq, e, head);
	if (r)
		return vq_fail(vq, r);
	vq->last_avail_idx++;
	return 1;
}

int vq_flush(struct virtq *vq)
{
	int r;

	if (!vq->enabled)
		return -EIO;
	if (!vq->used_pending)
		return vq->broken ? -EIO : 0;
	/* the elements are visible before the idx that publishes them */
	atomic_thread_fence(memory_order_release);
	r = wr16(vq, vq->used + 2, vq->used_idx);
	if (r)
		return vq_fail(vq, r);
	vq->used_pending = 0;
	return vq->broken ? -EIO : 0;
}

int vq_fill(struct virtq *vq, u16 head, u32 len)
{
	u32 el[2] = { htole32(head), htole32(len) };
	u64 slot = vq->used + 4 + 8 * (u64)(vq->used_idx & (vq->size - 1));
	int r;

	if (!vq->enabled || vq->broken)
		return -EIO;
	/* never overwrite an entry the driver has not been shown */
	if (vq->used_pending >= vq->size) {
		r = vq_flush(vq);
		if (r)
			return r;
	}
	r = vq_write(vq, slot, el, sizeof(el));
	if (r)
		return vq_fail(vq, r);
	vq->used_idx++;
	vq->used_pending++;
	return 0;
}

int vq_push(struct virtq *vq, u16 head, u32 len)
{
	int r = vq_fill(vq, head, len);

	return r ? r : vq_flush(vq);
}

bool vq_should_notify(struct virtq *vq)
{
	u16 old = vq->signalled_used, new = vq->used_idx, v;

	if (vq_flush(vq) || old == new)
		return false;
	vq->signalled_used = new;
	/* our used idx store is ordered before the flag/event load */
	atomic_thread_fence(memory_order_seq_cst);
	if (vq->event_idx) {
		if (rd16(vq, vq->avail + 4 + 2 * (u64)vq->size, &v))
			return true;
		return vq_need_event(v, new, old);
	}
	if (rd16(vq, vq->avail, &v))
		return true;
	return !(v & VIRTQ_AVAIL_F_NO_INTERRUPT);
}

static size_t vq_iov_copy(const struct iovec *iov, unsigned int n,
			  size_t off, void *buf, size_t len, bool to_iov)
{
	size_t done = 0, c;
	unsigned int i;

	/* the common case: all of it in the first segment */
	if (n && off < iov[0].iov_len && len <= iov[0].iov_len - off) {
		if (to_iov)
			memcpy((u8 *)iov[0].iov_base + off, buf, len);
		else
			memcpy(buf, (u8 *)iov[0].iov_base + off, len);
		return len;
	}
	for (i = 0; i < n && done < len; i++) {
		if (off >= iov[i].iov_len) {
			off -= iov[i].iov_len;
			continue;
		}
		c = MIN(iov[i].iov_len - off, len - done);
		if (to_iov)
			memcpy((u8 *)iov[i].iov_base + off, (u8 *)buf + done,
			       c);
		else
			memcpy((u8 *)buf + done, (u8 *)iov[i].iov_base + off,
			       c);
		done += c;
		off = 0;
	}
	return done;
}

size_t vq_elem_read(const struct vq_elem *e, size_t off, void *buf,
		    size_t len)
{
	return vq_iov_copy(e->iov, e->nr_rd, off, buf, len, false);
}

size_t vq_elem_write(const struct vq_elem *e, size_t off, const void *buf,
		     size_t len)
{
	return vq_iov_copy(e->iov + e->nr_rd, e->nr_wr, off,
			   (void *)(uintptr_t)buf, len, true);
}

int vq_iov_slice(const struct iovec *iov, unsigned int n, size_t off,
		 size_t len, struct iovec *out, unsigned int max)
{
	unsigned int i, k = 0;
	size_t c;

	for (i = 0; i < n && len; i++) {
		if (off >= iov[i].iov_len) {
			off -= iov[i].iov_len;
			continue;
		}
		if (k >= max)
			return -ENOBUFS;
		c = MIN(iov[i].iov_len - off, len);
		out[k].iov_base = (u8 *)iov[i].iov_base + off;
		out[k++].iov_len = c;
		len -= c;
		off = 0;
	}
	return len ? -ERANGE : (int)k;
}
