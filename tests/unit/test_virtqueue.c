// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of devices/virtio/virtqueue.c against a driver written in
 * the test (vq-drv.c): chains, indirect tables, every malformed-ring case
 * (with the queue broken afterwards), addresses the DMA API refuses,
 * index wrap-around, used-ring ordering and notification suppression
 * (NO_INTERRUPT, EVENT_IDX used_event / avail_event).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tests/unit/vq-drv.h"

#define RAM	(1 * SZ_1M)
#define QSIZE	8

struct fx {
	struct vq_drv d;
	struct virtq vq;
	struct vq_elem e;
};

static int setup_size(void **state, u16 size)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (!f || vqd_init(&f->d, RAM, size))
		return -1;
	vq_init(&f->vq, &f->d.as, size);
	vqd_attach(&f->d, &f->vq);
	*state = f;
	return 0;
}

static int setup(void **state)
{
	return setup_size(state, QSIZE);
}

static int setup_big(void **state)
{
	return setup_size(state, 2048);
}

static int teardown(void **state)
{
	struct fx *f = *state;

	vqd_free(&f->d);
	free(f);
	return 0;
}

/* Expect a malformed ring: the error, then the queue stays broken. */
static void expect_broken(struct fx *f, int err)
{
	u16 last = f->vq.last_avail_idx;

	assert_int_equal(vq_pop(&f->vq, &f->e), err);
	assert_true(f->vq.broken);
	assert_int_equal(f->vq.last_avail_idx, last);
	assert_int_equal(vq_pop(&f->vq, &f->e), -EIO);
	assert_int_equal(vq_push(&f->vq, 0, 0), -EIO);
}

static void test_check(void **state)
{
	struct fx *f = *state;

	assert_int_equal(vq_check(&f->vq), 0);
	f->vq.size = 0;
	assert_int_equal(vq_check(&f->vq), -EINVAL);
	f->vq.size = 6;
	assert_int_equal(vq_check(&f->vq), -EINVAL);
	f->vq.size = 16;		/* > max */
	assert_int_equal(vq_check(&f->vq), -EINVAL);
	f->vq.size = 4;
	assert_int_equal(vq_check(&f->vq), 0);
	f->vq.desc += 8;
	assert_int_equal(vq_check(&f->vq), -EINVAL);
	f->vq.desc -= 8;
	f->vq.avail += 1;
	assert_int_equal(vq_check(&f->vq), -EINVAL);
	f->vq.avail -= 1;
	f->vq.used += 2;
	assert_int_equal(vq_check(&f->vq), -EINVAL);
	vq_reset(&f->vq);
	assert_int_equal(f->vq.size, QSIZE);
	assert_false(f->vq.enabled);
	assert_int_equal(f->vq.msix_vector, 0xffff);
	assert_int_equal(vq_pop(&f->vq, &f->e), -EIO);
}

static void test_chain(void **state)
{
	struct fx *f = *state;
	u64 a = vqd_alloc(&f->d, 16), b = vqd_alloc(&f->d, 100),
	    c = vqd_alloc(&f->d, 8);
	u8 hdr[16], out[4] = { 1, 2, 3, 4 };
	u32 id, len;

	memset(vqd_hva(&f->d, a), 0xab, 16);
	vqd_desc(&f->d, f->d.desc, 3, a, 16, VIRTQ_DESC_F_NEXT, 5);
	vqd_desc(&f->d, f->d.desc, 5, b, 100,
		 VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 0);
	vqd_desc(&f->d, f->d.desc, 0, c, 8, VIRTQ_DESC_F_WRITE, 0);
	assert_int_equal(vq_pop(&f->vq, &f->e), 0);	/* empty */
	vqd_post(&f->d, 3);
	assert_int_equal(vq_pop(&f->vq, &f->e), 1);
	assert_int_equal(f->e.head, 3);
	assert_int_equal(f->e.nr_rd, 1);
	assert_int_equal(f->e.nr_wr, 2);
	assert_int_equal(f->e.rd_len, 16);
	assert_int_equal(f->e.wr_len, 108);
	assert_ptr_equal(f->e.iov[1].iov_base, vqd_hva(&f->d, b));
	assert_int_equal(vq_elem_read(&f->e, 0, hdr, 32), 16);
	assert_int_equal(hdr[15], 0xab);
	/* a write across the two writable segments */
	assert_int_equal(vq_elem_write(&f->e, 98, out, 4), 4);
	assert_int_equal(*(u8 *)vqd_hva(&f->d, b + 99), 2);
	assert_int_equal(*(u8 *)vqd_hva(&f->d, c + 1), 4);
	assert_int_equal(vq_elem_write(&f->e, 106, out, 4), 2);
	assert_int_equal(vq_pop(&f->vq, &f->e), 0);
	assert_false(vqd_reap(&f->d, &id, &len));
	assert_int_equal(vq_push(&f->vq, 3, 42), 0);
	assert_true(vqd_reap(&f->d, &id, &len));
	assert_int_equal(id, 3);
	assert_int_equal(len, 42);
}

static void test_wraparound(void **state)
{
	struct fx *f = *state;
	u64 a = vqd_alloc(&f->d, 8);
	u32 id, len;
	int i;

	f->vq.last_avail_idx = f->vq.used_idx = 0xfff0;
	f->vq.signalled_used = 0xfff0;
	f->d.avail_idx = f->d.last_used = 0xfff0;
	vqd_set16(&f->d, f->d.avail + 2, 0xfff0);
	vqd_set16(&f->d, f->d.used + 2, 0xfff0);
	for (i = 0; i < 40; i++) {
		vqd_desc(&f->d, f->d.desc, i % QSIZE, a, 8, 0, 0);
		vqd_post(&f->d, i % QSIZE);
		assert_int_equal(vq_pop(&f->vq, &f->e), 1);
		assert_int_equal(f->e.head, i % QSIZE);
		assert_int_equal(vq_push(&f->vq, f->e.head, i), 0);
		assert_true(vqd_reap(&f->d, &id, &len));
		assert_int_equal(id, i % QSIZE);
		assert_int_equal(len, i);
	}
	assert_int_equal(f->vq.used_idx, (u16)(0xfff0 + 40));
}

static void test_full_ring(void **state)
{
	struct fx *f = *state;
	u64 a = vqd_alloc(&f->d, 8);
	int i;

	for (i = 0; i < QSIZE; i++) {
		vqd_desc(&f->d, f->d.desc, i, a, 8, 0, 0);
		vqd_post(&f->d, i);
	}
	for (i = 0; i < QSIZE; i++)
		assert_int_equal(vq_pop(&f->vq, &f->e), 1);
	assert_int_equal(vq_pop(&f->vq, &f->e), 0);
}

/* avail idx is read again only when the entries seen are used up */
static void test_avail_idx_cached(void **state)
{
	struct fx *f = *state;
	u64 a = vqd_alloc(&f->d, 8);
	int i;

	for (i = 0; i < 3; i++) {
		vqd_desc(&f->d, f->d.desc, i, a, 8, 0, 0);
		vqd_post(&f->d, i);
	}
	assert_int_equal(vq_pop(&f->vq, &f->e), 1);
	vqd_set16(&f->d, f->d.avail + 2, 3 + QSIZE + 1);
	assert_int_equal(vq_pop(&f->vq, &f->e), 1);
	assert_int_equal(vq_pop(&f->vq, &f->e), 1);
	assert_int_equal(f->e.head, 2);
	expect_broken(f, -EPROTO);
}

static void test_avail_too_far(void **state)
{
	struct fx *f = *state;

	vqd_set16(&f->d, f->d.avail + 2, QSIZE + 1);
	expect_broken(f, -EPROTO);
}

static void test_bad_head(void **state)
{
	struct fx *f = *state;

	vqd_post(&f->d, QSIZE);
	expect_broken(f, -EPROTO);
}

static void test_bad_next(void **state)
{
	struct fx *f = *state;

	vqd_desc(&f->d, f->d.desc, 0, 0x8000, 8, VIRTQ_DESC_F_NEXT, QSIZE);
	vqd_post(&f->d, 0);
	expect_broken(f, -EPROTO);
}

static void test_loop(void **state)
{
	struct fx *f = *state;

	vqd_desc(&f->d, f->d.desc, 0, 0x8000, 8, VIRTQ_DESC_F_NEXT, 1);
	vqd_desc(&f->d, f->d.desc, 1, 0x8000, 0, VIRTQ_DESC_F_NEXT, 2);
	vqd_desc(&f->d, f->d.desc, 2, 0x8000, 0, VIRTQ_DESC_F_NEXT, 1);
	vqd_post(&f->d, 0);
	expect_broken(f, -EPROTO);
}

static void test_self_loop(void **state)
{
	struct fx *f = *state;

	vqd_desc(&f->d, f->d.desc, 4, 0x8000, 0, VIRTQ_DESC_F_NEXT, 4);
	vqd_post(&f->d, 4);
	expect_broken(f, -EPROTO);
}

static void test_rd_after_wr(void **state)
{
	struct fx *f = *state;

	vqd_desc(&f->d, f->d.desc, 0, 0x8000, 8,
		 VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 1);
	vqd_desc(&f->d, f->d.desc, 1, 0x8000, 8, 0, 0);
	vqd_post(&f->d, 0);
	expect_broken(f, -EPROTO);
}

/* A refused buffer is not a ring error: popped, no segments, no status
 * when the chain ends readable. */
static void test_buffer_outside_ram(void **state)
{
	struct fx *f = *state;

	vqd_desc(&f->d, f->d.desc, 0, RAM - 4, 8, 0, 0);
	vqd_post(&f->d, 0);
	assert_int_equal(vq_pop(&f->vq, &f->e), 1);
	assert_true(f->e.refused);
	assert_false(f->vq.broken);
	assert_int_equal(f->e.nr_rd + f->e.nr_wr, 0);
	assert_int_equal(f->e.rd_len + f->e.wr_len, 0);
	assert_null(f->e.status);
	assert_int_equal(vq_push(&f->vq, 0, 0), 0);
}

/* A refused data buffer with a good status byte: e.status points at it;
 * a refused last descriptor: no status. The next chain pops clean. */
static void test_refused_status(void **state)
{
	struct fx *f = *state;

	vqd_desc(&f->d, f->d.desc, 0, 0x8000, 16, VIRTQ_DESC_F_NEXT, 1);
	vqd_desc(&f->d, f->d.desc, 1, RAM + 0x1000, 512,
		 VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 2);
	vqd_desc(&f->d, f->d.desc, 2, 0x9000, 4, VIRTQ_DESC_F_WRITE, 0);
	vqd_post(&f->d, 0);
	assert_int_equal(vq_pop(&f->vq, &f->e), 1);
	assert_true(f->e.refused);
	assert_int_equal(f->e.nr_rd + f->e.nr_wr, 0);
	assert_ptr_equal(f->e.status, vqd_hva(&f->d, 0x9003));
	vqd_desc(&f->d, f->d.desc, 3, 0x8000, 16, VIRTQ_DESC_F_NEXT, 4);
	vqd_desc(&f->d, f->d.desc, 4, RAM - 1, 2, VIRTQ_DESC_F_WRITE, 0);
	vqd_post(&f->d, 3);
	assert_int_equal(vq_pop(&f->vq, &f->e), 1);
	assert_true(f->e.refused);
	assert_null(f->e.status);
	vqd_desc(&f->d, f->d.desc, 5, 0x8000, 16, 0, 0);
	vqd_post(&f->d, 5);
	assert_int_equal(vq_pop(&f->vq, &f->e), 1);
	assert_false(f->e.refused);
	assert_int_equal(f->e.rd_len, 16);
}

static void test_buffer_wraps(void **state)
{
	struct fx *f = *state;

	vqd_desc(&f->d, f->d.desc, 0, ~0ULL - 2, 8, 0, 0);
	vqd_post(&f->d, 0);
	expect_broken(f, -EFAULT);
}

static void test_ring_outside_ram(void **state)
{
	struct fx *f = *state;

	f->vq.avail = RAM - 2;
	expect_broken(f, -EFAULT);
}

static void test_used_outside_ram(void **state)
{
	struct fx *f = *state;

	vqd_desc(&f->d, f->d.desc, 0, 0x8000, 8, 0, 0);
	vqd_post(&f->d, 0);
	assert_int_equal(vq_pop(&f->vq, &f->e), 1);
	f->vq.used = RAM + 0x1000;
	assert_int_equal(vq_push(&f->vq, 0, 8), -EFAULT);
	assert_true(f->vq.broken);
}

static void test_master_off(void **state)
{
	struct fx *f = *state;

	vqd_desc(&f->d, f->d.desc, 0, 0x8000, 8, 0, 0);
	vqd_post(&f->d, 0);
	dma_as_set_master(&f->d.as, false);
	expect_broken(f, -EPERM);
}

static void test_indirect(void **state)
{
	struct fx *f = *state;
	u64 t = vqd_alloc(&f->d, 3 * 16), a = vqd_alloc(&f->d, 64);

	vqd_desc(&f->d, t, 0, a, 16, VIRTQ_DESC_F_NEXT, 2);
	vqd_desc(&f->d, t, 2, a + 16, 16, VIRTQ_DESC_F_NEXT, 1);
	vqd_desc(&f->d, t, 1, a + 32, 32, VIRTQ_DESC_F_WRITE, 0);
	/* the WRITE flag of the indirect descriptor itself is ignored */
	vqd_desc(&f->d, f->d.desc, 6, t, 48,
		 VIRTQ_DESC_F_INDIRECT | VIRTQ_DESC_F_WRITE, 0);
	vqd_post(&f->d, 6);
	f->vq.indirect = true;
	assert_int_equal(vq_pop(&f->vq, &f->e), 1);
	assert_int_equal(f->e.head, 6);
	assert_int_equal(f->e.nr_rd, 2);
	assert_int_equal(f->e.nr_wr, 1);
	assert_int_equal(f->e.wr_len, 32);
	assert_ptr_equal(f->e.iov[2].iov_base, vqd_hva(&f->d, a + 32));
	/* not negotiated: malformed */
	f->vq.indirect = false;
	vqd_post(&f->d, 6);
	expect_broken(f, -EPROTO);
}

/* Each bad indirect descriptor on a fresh queue state. */
static void indirect_bad(struct fx *f, u64 t, u32 len, u16 flags, u16 head,
			 int err)
{
	vq_reset(&f->vq);
	vqd_attach(&f->d, &f->vq);
	f->vq.indirect = true;
	f->vq.last_avail_idx = f->d.avail_idx;
	vqd_desc(&f->d, f->d.desc, head, t, len,
		 VIRTQ_DESC_F_INDIRECT | flags, 1);
	vqd_post(&f->d, head);
	expect_broken(f, err);
}

static void test_indirect_bad(void **state)
{
	struct fx *f = *state;
	u64 t = vqd_alloc(&f->d, 4 * 16);

	vqd_desc(&f->d, t, 0, 0x8000, 8, 0, 0);
	indirect_bad(f, t, 24, 0, 0, -EPROTO);		/* not 16n */
	indirect_bad(f, t, 0, 0, 0, -EPROTO);		/* empty */
	indirect_bad(f, t, 16, VIRTQ_DESC_F_NEXT, 0, -EPROTO);
	indirect_bad(f, t, 16 * (VQ_MAX_SEGS + 1), 0, 0, -EPROTO);
	indirect_bad(f, RAM - 8, 16, 0, 0, -EFAULT);	/* table outside */
	/* nested: an indirect descriptor inside the table */
	vqd_desc(&f->d, t, 0, t, 16, VIRTQ_DESC_F_INDIRECT, 0);
	indirect_bad(f, t, 16, 0, 0, -EPROTO);
	/* a next index beyond the table */
	vqd_desc(&f->d, t, 0, 0x8000, 8, VIRTQ_DESC_F_NEXT, 4);
	indirect_bad(f, t, 64, 0, 0, -EPROTO);
	/* a loop inside the table */
	vqd_desc(&f->d, t, 0, 0x8000, 8, VIRTQ_DESC_F_NEXT, 0);
	indirect_bad(f, t, 64, 0, 0, -EPROTO);
	/* indirect after a direct descriptor: only at the head */
	vqd_desc(&f->d, t, 0, 0x8000, 8, 0, 0);
	vq_reset(&f->vq);
	vqd_attach(&f->d, &f->vq);
	f->vq.indirect = true;
	f->vq.last_avail_idx = f->d.avail_idx;
	vqd_desc(&f->d, f->d.desc, 0, 0x8000, 8, VIRTQ_DESC_F_NEXT, 1);
	vqd_desc(&f->d, f->d.desc, 1, t, 16, VIRTQ_DESC_F_INDIRECT, 0);
	vqd_post(&f->d, 0);
	expect_broken(f, -EPROTO);
}

static void test_too_many_segments(void **state)
{
	struct fx *f = *state;
	u64 a = vqd_alloc(&f->d, 16);
	u16 i, n = VQ_MAX_SEGS + 1;

	for (i = 0; i < n; i++)
		vqd_desc(&f->d, f->d.desc, i, a, 1,
			 i + 1 < n ? VIRTQ_DESC_F_NEXT : 0, i + 1);
	vqd_post(&f->d, 0);
	expect_broken(f, -EPROTO);
}

static void test_max_segments(void **state)
{
	struct fx *f = *state;
	u64 a = vqd_alloc(&f->d, 16);
	u16 i, n = VQ_MAX_SEGS;

	/* zero-length descriptors need no iovec */
	for (i = 0; i < n + 5; i++)
		vqd_desc(&f->d, f->d.desc, i, a, i < n ? 1 : 0,
			 i + 1 < n + 5 ? VIRTQ_DESC_F_NEXT : 0, i + 1);
	vqd_post(&f->d, 0);
	assert_int_equal(vq_pop(&f->vq, &f->e), 1);
	assert_int_equal(f->e.nr_rd, VQ_MAX_SEGS);
	assert_int_equal(f->e.rd_len, VQ_MAX_SEGS);
}

static void push_one(struct fx *f)
{
	vqd_desc(&f->d, f->d.desc, 0, 0x8000, 8, 0, 0);
	vqd_post(&f->d, 0);
	assert_int_equal(vq_pop(&f->vq, &f->e), 1);
	assert_int_equal(vq_push(&f->vq, 0, 0), 0);
}

static void test_notify_flags(void **state)
{
	struct fx *f = *state;

	assert_false(vq_should_notify(&f->vq));	/* nothing used */
	push_one(f);
	assert_true(vq_should_notify(&f->vq));
	assert_false(vq_should_notify(&f->vq));	/* already told */
	vqd_set16(&f->d, f->d.avail, VIRTQ_AVAIL_F_NO_INTERRUPT);
	push_one(f);
	assert_false(vq_should_notify(&f->vq));
}

static void test_notify_event_idx(void **state)
{
	struct fx *f = *state;
	u64 used_event = f->d.avail + 4 + 2 * QSIZE;
	u64 avail_event = f->d.used + 4 + 8 * QSIZE;

	f->vq.event_idx = true;
	/* empty pop publishes avail_event = last_avail_idx */
	assert_int_equal(vq_pop(&f->vq, &f->e), 0);
	assert_int_equal(vqd_get16(&f->d, avail_event), 0);
	/* the driver wants an interrupt after used entry 1 (idx 2) */
	vqd_set16(&f->d, used_event, 1);
	push_one(f);				/* used idx 1 */
	assert_false(vq_should_notify(&f->vq));
	push_one(f);				/* used idx 2 */
	assert_true(vq_should_notify(&f->vq));
	push_one(f);
	push_one(f);				/* idx 4, event 1 behind */
	assert_false(vq_should_notify(&f->vq));
	vqd_set16(&f->d, used_event, 4);
	push_one(f);				/* idx 5 */
	assert_true(vq_should_notify(&f->vq));
	assert_int_equal(vq_pop(&f->vq, &f->e), 0);
	assert_int_equal(vqd_get16(&f->d, avail_event), 5);
	/* NO_INTERRUPT is ignored with EVENT_IDX */
	vqd_set16(&f->d, f->d.avail, VIRTQ_AVAIL_F_NO_INTERRUPT);
	vqd_set16(&f->d, used_event, 5);
	push_one(f);
	assert_true(vq_should_notify(&f->vq));
}

static void test_need_event(void **state)
{
	assert_true(vq_need_event(0, 1, 0));
	assert_false(vq_need_event(1, 1, 0));
	assert_true(vq_need_event(5, 10, 0));
	assert_false(vq_need_event(10, 10, 5));
	assert_true(vq_need_event(0xffff, 2, 0xfffe));
	assert_false(vq_need_event(3, 2, 0xfffe));
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
#define TB(fn) cmocka_unit_test_setup_teardown(fn, setup_big, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_check), T(test_chain), T(test_wraparound),
		T(test_full_ring), T(test_avail_idx_cached),
		T(test_avail_too_far), T(test_bad_head),
		T(test_bad_next), T(test_loop), T(test_self_loop),
		T(test_rd_after_wr), T(test_buffer_outside_ram),
		T(test_refused_status),
		T(test_buffer_wraps), T(test_ring_outside_ram),
		T(test_used_outside_ram), T(test_master_off),
		T(test_indirect), T(test_indirect_bad),
		TB(test_too_many_segments), TB(test_max_segments),
		T(test_notify_flags), T(test_notify_event_idx),
		cmocka_unit_test(test_need_event),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
