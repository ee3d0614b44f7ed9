// SPDX-License-Identifier: GPL-2.0-only
/*
 * Split virtqueues over guest RAM the input fills: the first bytes pick
 * the queue size, the ring addresses (inside RAM, in the gap or beyond
 * it), the negotiated features and the starting indices; the rest is the
 * RAM. Pop/push until the queue is empty or broken. Checked besides "no
 * crash": every iovec lies inside a RAM region (ASan sees the regions as
 * separate allocations), lengths add up, errors are the documented ones
 * and leave the queue broken.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "devices/virtio/virtqueue.h"
#include "tests/fuzz/fuzz.h"
#include "vmm/dma.h"
#include "vmm/memory.h"

#define LOW_SIZE	0x8000ULL
#define HIGH_GPA	0x10000ULL	/* a gap between the two regions */
#define HIGH_SIZE	0x2000ULL

struct fz_cfg {
	u8 size_log2;
	u8 flags;
	u16 desc, avail, used;		/* scaled to addresses below */
	u16 last_avail, used_idx;
} __packed;

static bool in_region(const struct guest_mem *m, const struct iovec *v)
{
	unsigned int i;

	for (i = 0; i < m->nr_regions; i++) {
		const u8 *b = m->regions[i].hva;

		if ((const u8 *)v->iov_base >= b && v->iov_len &&
		    (const u8 *)v->iov_base + v->iov_len <=
		    b + m->regions[i].size)
			return true;
	}
	return false;
}

static void check_elem(const struct guest_mem *m, const struct vq_elem *e)
{
	u64 rd = 0, wr = 0;
	unsigned int i;

	FUZZ_ASSERT(e->nr_rd + e->nr_wr <= VQ_MAX_SEGS);
	for (i = 0; i < e->nr_rd + e->nr_wr; i++) {
		FUZZ_ASSERT(in_region(m, &e->iov[i]));
		if (i < e->nr_rd)
			rd += e->iov[i].iov_len;
		else
			wr += e->iov[i].iov_len;
	}
	FUZZ_ASSERT(rd == e->rd_len && wr == e->wr_len);
	/* the device writes its whole writable part */
	for (i = e->nr_rd; i < e->nr_rd + e->nr_wr; i++)
		memset(e->iov[i].iov_base, 0xd5, e->iov[i].iov_len);
}

static void run(struct virtq *vq, const struct guest_mem *m,
		struct vq_elem *e)
{
	int i, r = 0;

	/* the used ring may overlap the avail idx: bound the rounds */
	for (i = 0; i < 4 * vq->size && r >= 0; i++) {
		r = vq_pop(vq, e);
		if (r == 0)
			break;
		if (r < 0) {
			FUZZ_ASSERT(r == -EPROTO || r == -EFAULT ||
				    r == -EPERM);
			FUZZ_ASSERT(vq->broken);
			FUZZ_ASSERT(vq_pop(vq, e) == -EIO);
			break;
		}
		check_elem(m, e);
		r = vq_push(vq, e->head, (u32)e->wr_len);
		FUZZ_ASSERT(r == 0 || r == -EFAULT);
		vq_should_notify(vq);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct vq_elem e;
	struct guest_mem m = { 0 };
	struct fz_cfg c = { 0 };
	struct dma_as as;
	struct virtq vq;
	u8 *low = calloc(1, LOW_SIZE), *high = calloc(1, HIGH_SIZE);

	memcpy(&c, data, MIN(size, sizeof(c)));
	if (size > sizeof(c))
		memcpy(low, data + sizeof(c), MIN(size - sizeof(c), LOW_SIZE));
	m.regions[0] = (struct mem_region){ MEM_RAM, 0, LOW_SIZE, low, 0 };
	m.regions[1] = (struct mem_region){ MEM_RAM, HIGH_GPA, HIGH_SIZE,
					    high, 1 };
	m.nr_regions = 2;
	dma_as_init(&as, &m, "fuzz", 0, true);
	vq_init(&vq, &as, 64);
	vq.size = (u16)(1u << (c.size_log2 % 8));
	vq.desc = (u64)c.desc * 2;	/* 0 .. 128 KiB: RAM, gap, beyond */
	vq.avail = (u64)c.avail * 2;
	vq.used = (u64)c.used * 2;
	vq.event_idx = c.flags & 1;
	vq.indirect = c.flags & 2;
	vq.last_avail_idx = c.last_avail;
	vq.used_idx = vq.signalled_used = c.used_idx;
	if (!vq_check(&vq)) {
		vq.enabled = true;
		run(&vq, &m, &e);
	}
	free(low);
	free(high);
	return 0;
}
