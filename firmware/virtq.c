// SPDX-License-Identifier: GPL-2.0-only
/* Split virtqueue layout and the one-request-at-a-time ring operations. */
#include "firmware/hw.h"
#include "firmware/virtq.h"

#define RING_HDR	4	/* flags, idx */

static u32 align_up(u32 v, u32 a)
{
	return (v + a - 1) & ~(a - 1);
}

int virtq_layout(u16 size, struct virtq_layout *l)
{
	if (!size || size > VIRTQ_MAX_SIZE)
		return -1;
	l->avail = (u32)sizeof(struct virtq_desc) * size;
	l->used = align_up(l->avail + RING_HDR + 2u * size + 2, 4);
	l->size = l->used + RING_HDR +
		  (u32)sizeof(struct virtq_used_elem) * size + 2;
	return 0;
}

int virtq_init(struct virtq *vq, u16 size, void *va, u64 pa)
{
	struct virtq_layout l;
	u8 *p = va;

	if (virtq_layout(size, &l) || ((uintptr_t)va & 15) || (pa & 15))
		return -1;
	fw_memset(p, 0, l.size);
	*vq = (struct virtq){
		.size = size,
		.pa = pa,
		.desc = va,
		.avail = (volatile u16 *)(void *)(p + l.avail),
		.used = (volatile u16 *)(void *)(p + l.used),
	};
	vq->avail[0] = VIRTQ_AVAIL_F_NO_INTERRUPT;
	return 0;
}

u64 virtq_desc_pa(const struct virtq *vq)
{
	return vq->pa;
}

u64 virtq_avail_pa(const struct virtq *vq)
{
	return vq->pa + (u64)((const volatile u8 *)vq->avail -
			      (const u8 *)vq->desc);
}

u64 virtq_used_pa(const struct virtq *vq)
{
	return vq->pa + (u64)((const volatile u8 *)vq->used -
			      (const u8 *)vq->desc);
}

int virtq_submit(struct virtq *vq, const struct virtq_buf *b, u16 n)
{
	u16 i;

	if (!n || n > vq->size || vq->nr_desc)
		return -1;
	for (i = 0; i < n; i++) {
		vq->desc[i] = (struct virtq_desc){
			.addr = b[i].addr,
			.len = b[i].len,
			.flags = (u16)((i + 1 < n ? VIRTQ_DESC_F_NEXT : 0) |
				       (b[i].device_writes ?
					VIRTQ_DESC_F_WRITE : 0)),
			.next = (u16)(i + 1 < n ? i + 1 : 0),
		};
	}
	vq->avail[2 + vq->avail_idx % vq->size] = 0;	/* head: desc 0 */
	fw_barrier();		/* ring entry before the index (x86: TSO) */
	vq->avail_idx++;
	vq->avail[1] = vq->avail_idx;
	vq->nr_desc = n;
	return 0;
}

int virtq_poll(struct virtq *vq, u32 *len)
{
	const volatile u32 *elem;

	if (vq->used[1] == vq->used_idx)
		return 0;
	fw_barrier();		/* the index before the element */
	elem = (const volatile u32 *)(const volatile void *)
		(vq->used + 2) + 2 * (vq->used_idx % vq->size);
	vq->used_idx++;
	vq->nr_desc = 0;
	*len = elem[1];
	return elem[0] == 0 ? 1 : -1;
}

int virtq_post(struct virtq *vq, u16 id, u64 addr, u32 len)
{
	if (id >= vq->size)
		return -1;
	vq->desc[id] = (struct virtq_desc){
		.addr = addr, .len = len, .flags = VIRTQ_DESC_F_WRITE,
	};
	vq->avail[2 + vq->avail_idx % vq->size] = id;
	fw_barrier();
	vq->avail_idx++;
	vq->avail[1] = vq->avail_idx;
	return 0;
}

int virtq_take(struct virtq *vq, u16 *id, u32 *len)
{
	const volatile u32 *elem;
	u32 e;

	if (vq->used[1] == vq->used_idx)
		return 0;
	fw_barrier();
	elem = (const volatile u32 *)(const volatile void *)
		(vq->used + 2) + 2 * (vq->used_idx % vq->size);
	vq->used_idx++;
	e = elem[0];
	*len = elem[1];
	if (e >= vq->size)
		return -1;
	*id = (u16)e;
	return 1;
}
