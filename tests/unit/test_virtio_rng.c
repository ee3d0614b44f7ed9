// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of devices/virtio/rng.c through the device core: writable
 * buffers are filled (and only they), the per-request cap, an interrupt
 * per batch, and a malformed chain stopping the device.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "devices/virtio/rng.h"
#include "lib/log.h"
#include "tests/unit/virtio-drv.h"

#define FEAT	(1ULL << VIRTIO_F_VERSION_1 | 1ULL << VIRTIO_F_EVENT_IDX)

void __wrap_pr_log(enum log_level level, const char *fmt, ...) __printf(2, 3);
void __wrap_pr_log(enum log_level level, const char *fmt, ...)
{
}

struct fx {
	struct vq_drv d;
	struct virtio_dev v;
	int irqs;		/* queue interrupts (vector 1) */
	int config_irqs;	/* vector 0 */
};

static void irq(struct virtio_dev *v, u16 vector, void *opaque)
{
	struct fx *f = opaque;

	if (vector == 0)
		f->config_irqs++;
	else if (vector == 1)
		f->irqs++;
	else
		fail();
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct vq_drv *rings[1];

	if (!f || vqd_init(&f->d, 2 * SZ_1M, 8))
		return -1;
	if (virtio_rng_init(&f->v, &f->d.as, false))
		return -1;
	virtio_dev_set_notify(&f->v, irq, f, 0);
	rings[0] = &f->d;
	if (vdrv_start(&f->v, rings, 1, FEAT) != 0xf)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	virtio_dev_free(&f->v);
	vqd_free(&f->d);
	free(f);
	return 0;
}

static bool all_zero(const u8 *p, size_t n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

static void test_fill(void **state)
{
	struct fx *f = *state;
	u64 r = vqd_alloc(&f->d, 64), a = vqd_alloc(&f->d, 256),
	    b = vqd_alloc(&f->d, 256);
	u32 id, len;

	vqd_desc(&f->d, f->d.desc, 0, r, 64, VIRTQ_DESC_F_NEXT, 1);
	vqd_desc(&f->d, f->d.desc, 1, a, 256,
		 VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 2);
	vqd_desc(&f->d, f->d.desc, 2, b, 256, VIRTQ_DESC_F_WRITE, 0);
	vqd_post(&f->d, 0);
	vqd_desc(&f->d, f->d.desc, 3, b + 128, 16, VIRTQ_DESC_F_WRITE, 0);
	virtio_queue_notify(&f->v, 0);
	assert_true(vqd_reap(&f->d, &id, &len));
	assert_int_equal(id, 0);
	assert_int_equal(len, 512);
	/* readable segments are left alone */
	assert_true(all_zero(vqd_hva(&f->d, r), 64));
	assert_false(all_zero(vqd_hva(&f->d, a), 256));
	assert_false(all_zero(vqd_hva(&f->d, b + 200), 56));
	assert_int_equal(f->irqs, 1);
	/* two at once: one interrupt (EVENT_IDX used_event 0 -> 1 due) */
	vqd_post(&f->d, 3);
	vqd_post(&f->d, 3);
	virtio_queue_notify(&f->v, 0);
	assert_true(vqd_reap(&f->d, &id, &len));
	assert_true(vqd_reap(&f->d, &id, &len));
	assert_int_equal(len, 16);
	assert_false(vqd_reap(&f->d, &id, &len));
	assert_int_equal(f->irqs, 1);		/* used_event still 0 */
	vqd_set16(&f->d, f->d.avail + 4 + 2 * 8, 3);
	vqd_post(&f->d, 3);
	virtio_queue_notify(&f->v, 0);
	assert_int_equal(f->irqs, 2);
}

static void test_cap(void **state)
{
	struct fx *f = *state;
	u64 a = vqd_alloc(&f->d, VIRTIO_RNG_MAX_REQ + 4096);
	u32 id, len;

	vqd_desc(&f->d, f->d.desc, 0, a, VIRTIO_RNG_MAX_REQ + 4096,
		 VIRTQ_DESC_F_WRITE, 0);
	vqd_post(&f->d, 0);
	virtio_queue_notify(&f->v, 0);
	assert_true(vqd_reap(&f->d, &id, &len));
	assert_int_equal(len, VIRTIO_RNG_MAX_REQ);
	assert_true(all_zero(vqd_hva(&f->d, a + VIRTIO_RNG_MAX_REQ), 4096));
}

/* A buffer the DMA API refuses: completed with nothing written. */
static void test_refused(void **state)
{
	struct fx *f = *state;
	u32 id, len;

	vqd_desc(&f->d, f->d.desc, 0, 2 * SZ_1M, 16, VIRTQ_DESC_F_WRITE, 0);
	vqd_post(&f->d, 0);
	virtio_queue_notify(&f->v, 0);
	assert_true(vqd_reap(&f->d, &id, &len));
	assert_int_equal(len, 0);
	assert_true(virtio_running(&f->v));
	assert_int_equal(f->config_irqs, 0);
}

static void test_malformed(void **state)
{
	struct fx *f = *state;
	u32 id, len;

	/* a chain that loops */
	vqd_desc(&f->d, f->d.desc, 0, 0x8000, 16,
		 VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 0);
	vqd_post(&f->d, 0);
	virtio_queue_notify(&f->v, 0);
	assert_false(vqd_reap(&f->d, &id, &len));
	assert_false(virtio_running(&f->v));
	assert_int_equal(f->config_irqs, 1);
	assert_true(virtio_read_isr(&f->v) & VIRTIO_ISR_CONFIG);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_fill), T(test_cap), T(test_refused), T(test_malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
