// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of devices/virtio/virtio.c with a fake device type: the
 * common configuration register file (offsets, widths, selectors), the
 * feature policy (VERSION_1 always, ACCESS_PLATFORM for SEV guests), the
 * status state machine and reset, queue set-up through the registers,
 * device config bounds, MSI-X vectors, ISR and interrupts, and
 * DEVICE_NEEDS_RESET after a malformed ring.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "devices/virtio/virtio.h"
#include "lib/log.h"
#include "tests/unit/vq-drv.h"

static struct {
	int count;
	char last[512];
} logs;

void __wrap_pr_log(enum log_level level, const char *fmt, ...) __printf(2, 3);
void __wrap_pr_log(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(logs.last, sizeof(logs.last), fmt, ap);
	va_end(ap);
	logs.count++;
}

#define F_DEV		(1ULL << 5)
#define F_V1		(1ULL << VIRTIO_F_VERSION_1)
#define F_AP		(1ULL << VIRTIO_F_ACCESS_PLATFORM)
#define S_FOK		VIRTIO_CONFIG_S_FEATURES_OK
#define S_DOK		VIRTIO_CONFIG_S_DRIVER_OK
#define S_NR		VIRTIO_CONFIG_S_NEEDS_RESET

struct fake {
	int starts, resets, notifies, frees, start_ret;
	u8 cfg[12];
	struct vq_elem e;
	int irqs;
	u16 last_vector;
};

static struct fake fk;

static void fake_cfg_read(struct virtio_dev *v, u32 off, void *buf, u32 len)
{
	memcpy(buf, fk.cfg + off, len);
}

static void fake_cfg_write(struct virtio_dev *v, u32 off, const void *buf,
			   u32 len)
{
	memcpy(fk.cfg + off, buf, len);
}

static int fake_start(struct virtio_dev *v)
{
	fk.starts++;
	return fk.start_ret;
}

/* Echo every chain back with its writable length; errors need reset. */
static void fake_queue_notify(struct virtio_dev *v, u16 q)
{
	int r;

	fk.notifies++;
	while ((r = vq_pop(&v->vqs[q], &fk.e)) == 1)
		assert_int_equal(vq_push(&v->vqs[q], fk.e.head,
					 (u32)fk.e.wr_len), 0);
	if (r < 0)
		virtio_set_needs_reset(v, q, r);
	virtio_queue_interrupt(v, q);
}

static void fake_reset(struct virtio_dev *v)
{
	fk.resets++;
}

static void fake_free(struct virtio_dev *v)
{
	fk.frees++;
}

static const struct virtio_dev_ops fake_ops = {
	.name = "fake", .device_id = 99, .features = F_DEV,
	.config_size = sizeof(fk.cfg), .num_queues = 2, .queue_max = 16,
	.cfg_read = fake_cfg_read, .cfg_write = fake_cfg_write,
	.start = fake_start, .queue_notify = fake_queue_notify,
	.reset = fake_reset, .free = fake_free,
};

static void fake_notify(struct virtio_dev *v, u16 vector, void *opaque)
{
	assert_ptr_equal(opaque, &fk);
	fk.irqs++;
	fk.last_vector = vector;
}

struct fx {
	struct vq_drv d;
	struct virtio_dev v;
};

static int setup_sev(void **state, bool sev)
{
	struct fx *f = calloc(1, sizeof(*f));

	memset(&fk, 0, sizeof(fk));
	memset(&logs, 0, sizeof(logs));
	if (!f || vqd_init(&f->d, SZ_1M, 16))
		return -1;
	if (virtio_dev_init(&f->v, &fake_ops, &fk, &f->d.as, sev))
		return -1;
	virtio_dev_set_notify(&f->v, fake_notify, &fk, 4);
	*state = f;
	return 0;
}

static int setup(void **state)
{
	return setup_sev(state, false);
}

static int setup_sev_guest(void **state)
{
	return setup_sev(state, true);
}

static int teardown(void **state)
{
	struct fx *f = *state;

	virtio_dev_free(&f->v);
	assert_int_equal(fk.frees, 1);
	vqd_free(&f->d);
	free(f);
	return 0;
}

static u32 rd(struct fx *f, u32 off, u32 len)
{
	u32 v = 0xdeadbeef;

	assert_int_equal(virtio_read_common(&f->v, off, &v, len), 0);
	return len == 4 ? v : v & ((1u << (8 * len)) - 1);
}

static void wr(struct fx *f, u32 off, u32 len, u32 val)
{
	assert_int_equal(virtio_write_common(&f->v, off, &val, len), 0);
}

static void set_features(struct fx *f, u64 feat)
{
	wr(f, VIRTIO_PCI_COMMON_GFSELECT, 4, 0);
	wr(f, VIRTIO_PCI_COMMON_GF, 4, (u32)feat);
	wr(f, VIRTIO_PCI_COMMON_GFSELECT, 4, 1);
	wr(f, VIRTIO_PCI_COMMON_GF, 4, feat >> 32);
}

static u8 status(struct fx *f)
{
	return rd(f, VIRTIO_PCI_COMMON_STATUS, 1);
}

/* Driver handshake up to FEATURES_OK; returns whether it stuck. */
static bool negotiate(struct fx *f, u64 feat)
{
	wr(f, VIRTIO_PCI_COMMON_STATUS, 1, VIRTIO_CONFIG_S_ACKNOWLEDGE |
	   VIRTIO_CONFIG_S_DRIVER);
	set_features(f, feat);
	wr(f, VIRTIO_PCI_COMMON_STATUS, 1, status(f) | S_FOK);
	return status(f) & S_FOK;
}

static void test_offered(void **state)
{
	struct fx *f = *state;
	u32 v = 0x12345678;

	wr(f, VIRTIO_PCI_COMMON_DFSELECT, 4, 0);
	assert_int_equal(rd(f, VIRTIO_PCI_COMMON_DF, 4),
			 F_DEV | (1u << VIRTIO_F_INDIRECT_DESC) |
			 (1u << VIRTIO_F_EVENT_IDX));
	wr(f, VIRTIO_PCI_COMMON_DFSELECT, 4, 1);
	assert_int_equal(rd(f, VIRTIO_PCI_COMMON_DF, 4), 3);	/* V1, AP */
	assert_int_equal(rd(f, VIRTIO_PCI_COMMON_DFSELECT, 4), 1);
	wr(f, VIRTIO_PCI_COMMON_DFSELECT, 4, 2);
	assert_int_equal(rd(f, VIRTIO_PCI_COMMON_DF, 4), 0);
	assert_int_equal(rd(f, VIRTIO_PCI_COMMON_NUMQ, 2), 2);
	assert_int_equal(rd(f, VIRTIO_PCI_COMMON_MSIX, 2),
			 VIRTIO_MSI_NO_VECTOR);
	/* read-only registers */
	assert_int_equal(virtio_write_common(&f->v, VIRTIO_PCI_COMMON_DF, &v,
					     4), 0);
	wr(f, VIRTIO_PCI_COMMON_DFSELECT, 4, 1);
	assert_int_equal(rd(f, VIRTIO_PCI_COMMON_DF, 4), 3);
	wr(f, VIRTIO_PCI_COMMON_NUMQ, 2, 9);
	assert_int_equal(rd(f, VIRTIO_PCI_COMMON_NUMQ, 2), 2);
}

static void test_bad_widths(void **state)
{
	struct fx *f = *state;
	u64 v = ~0ULL;

	assert_int_equal(virtio_read_common(&f->v, VIRTIO_PCI_COMMON_DF, &v,
					    2), -EINVAL);
	assert_int_equal(v & 0xffff, 0);
	v = ~0ULL;
	assert_int_equal(virtio_read_common(&f->v, 1, &v, 1), -EINVAL);
	assert_int_equal(virtio_read_common(&f->v, VIRTIO_PCI_COMMON_STATUS,
					    &v, 2), -EINVAL);
	assert_int_equal(virtio_read_common(&f->v, VIRTIO_PCI_COMMON_NUMQ,
					    &v, 4), -EINVAL);
	assert_int_equal(virtio_read_common(&f->v, VIRTIO_COMMON_CFG_SIZE,
					    &v, 2), -EINVAL);
	assert_int_equal(virtio_read_common(&f->v, 0xfffffffc, &v, 4),
			 -EINVAL);
	assert_int_equal(virtio_read_common(&f->v, VIRTIO_PCI_COMMON_Q_DESCHI,
					    &v, 8), -EINVAL);
	assert_int_equal(virtio_write_common(&f->v, VIRTIO_PCI_COMMON_STATUS,
					     &v, 4), -EINVAL);
	assert_int_equal(status(f), 0);
	assert_int_equal(virtio_write_common(&f->v, VIRTIO_PCI_COMMON_DF, &v,
					     16), -EINVAL);
	/* queue_notify_data and queue_reset read 0 */
	assert_int_equal(rd(f, VIRTIO_PCI_COMMON_Q_NDATA, 2), 0);
	assert_int_equal(rd(f, VIRTIO_PCI_COMMON_Q_RESET, 2), 0);
}

static void test_features_policy(void **state)
{
	struct fx *f = *state;

	assert_false(negotiate(f, F_DEV));		/* no VERSION_1 */
	wr(f, VIRTIO_PCI_COMMON_STATUS, 1, 0);
	assert_false(negotiate(f, F_V1 | (1ULL << 6)));	/* not offered */
	wr(f, VIRTIO_PCI_COMMON_STATUS, 1, 0);
	assert_true(negotiate(f, F_V1 | F_DEV));	/* not SEV: no AP ok */
	assert_true(virtio_has_feature(&f->v, 5));
	/* features are frozen after FEATURES_OK */
	wr(f, VIRTIO_PCI_COMMON_GFSELECT, 4, 0);
	wr(f, VIRTIO_PCI_COMMON_GF, 4, 0);
	assert_int_equal(rd(f, VIRTIO_PCI_COMMON_GF, 4), F_DEV);
	wr(f, VIRTIO_PCI_COMMON_GFSELECT, 4, 1);
	assert_int_equal(rd(f, VIRTIO_PCI_COMMON_GF, 4), 1);
	wr(f, VIRTIO_PCI_COMMON_GFSELECT, 4, 7);
	assert_int_equal(rd(f, VIRTIO_PCI_COMMON_GF, 4), 0);
}

static void test_features_sev(void **state)
{
	struct fx *f = *state;

	assert_false(negotiate(f, F_V1));
	assert_non_null(strstr(logs.last, "ACCESS_PLATFORM"));
	/* DRIVER_OK without FEATURES_OK does not stick, nothing starts */
	wr(f, VIRTIO_PCI_COMMON_STATUS, 1, status(f) | S_DOK);
	assert_false(status(f) & S_DOK);
	assert_int_equal(fk.starts, 0);
	wr(f, VIRTIO_PCI_COMMON_STATUS, 1, 0);
	assert_false(negotiate(f, F_AP));		/* no VERSION_1 */
	wr(f, VIRTIO_PCI_COMMON_STATUS, 1, 0);
	assert_true(negotiate(f, F_V1 | F_AP));
	wr(f, VIRTIO_PCI_COMMON_STATUS, 1, status(f) | S_DOK);
	assert_true(status(f) & S_DOK);
	assert_int_equal(fk.starts, 1);
}

static void setup_queue(struct fx *f, u16 q, u16 size)
{
	wr(f, VIRTIO_PCI_COMMON_Q_SELECT, 2, q);
	wr(f, VIRTIO_PCI_COMMON_Q_SIZE, 2, size);
	wr(f, VIRTIO_PCI_COMMON_Q_DESCLO, 4, (u32)f->d.desc);
	wr(f, VIRTIO_PCI_COMMON_Q_DESCHI, 4, 0);
	wr(f, VIRTIO_PCI_COMMON_Q_AVAILLO, 4, (u32)f->d.avail);
	wr(f, VIRTIO_PCI_COMMON_Q_AVAILHI, 4, 0);
	wr(f, VIRTIO_PCI_COMMON_Q_USEDLO, 4, (u32)f->d.used);
	wr(f, VIRTIO_PCI_COMMON_Q_USEDHI, 4, 0);
	wr(f, VIRTIO_PCI_COMMON_Q_MSIX, 2, 1 + q);
	wr(f, VIRTIO_PCI_COMMON_Q_ENABLE, 2, 1);
}

static void start_device(struct fx *f)
{
	assert_true(negotiate(f, F_V1 | F_AP |
			      (1ULL << VIRTIO_F_EVENT_IDX)));
	wr(f, VIRTIO_PCI_COMMON_MSIX, 2, 0);
	setup_queue(f, 0, 16);
	wr(f, VIRTIO_PCI_COMMON_STATUS, 1, status(f) | S_DOK);
	assert_int_equal(status(f), 0xf);
}

static void test_queue_registers(void **state)
{
	struct fx *f = *state;
	u64 a = 0x1122334455667788ULL, b = 0;

	wr(f, VIRTIO_PCI_COMMON_Q_SELECT, 2, 1);
	assert_int_equal(rd(f, VIRTIO_PCI_COMMON_Q_SIZE, 2), 16);
	assert_int_equal(rd(f, VIRTIO_PCI_COMMON_Q_NOFF, 2), 1);
	assert_int_equal(virtio_write_common(&f->v, VIRTIO_PCI_COMMON_Q_DESCLO,
					     &a, 8), 0);
	assert_int_equal(rd(f, VIRTIO_PCI_COMMON_Q_DESCHI, 4), 0x11223344);
	assert_int_equal(virtio_read_common(&f->v, VIRTIO_PCI_COMMON_Q_DESCLO,
					    &b, 8), 0);
	assert_int_equal(b, a);
	assert_int_equal(f->v.vqs[1].desc, a);
	/* vectors beyond the MSI-X table read back as NO_VECTOR */
	wr(f, VIRTIO_PCI_COMMON_Q_MSIX, 2, 4);
	assert_int_equal(rd(f, VIRTIO_PCI_COMMON_Q_MSIX, 2),
			 VIRTIO_MSI_NO_VECTOR);
	wr(f, VIRTIO_PCI_COMMON_Q_MSIX, 2, 3);
	assert_int_equal(rd(f, VIRTIO_PCI_COMMON_Q_MSIX, 2), 3);
	/* a queue that does not exist */
	wr(f, VIRTIO_PCI_COMMON_Q_SELECT, 2, 2);
	assert_int_equal(rd(f, VIRTIO_PCI_COMMON_Q_SIZE, 2), 0);
	wr(f, VIRTIO_PCI_COMMON_Q_SIZE, 2, 4);
	wr(f, VIRTIO_PCI_COMMON_Q_ENABLE, 2, 1);
	assert_int_equal(rd(f, VIRTIO_PCI_COMMON_Q_ENABLE, 2), 0);
	/* enabled: the queue's fields are frozen */
	start_device(f);
	wr(f, VIRTIO_PCI_COMMON_Q_SELECT, 2, 0);
	assert_int_equal(rd(f, VIRTIO_PCI_COMMON_Q_ENABLE, 2), 1);
	assert_true(f->v.vqs[0].event_idx);
	assert_false(f->v.vqs[0].indirect);
	wr(f, VIRTIO_PCI_COMMON_Q_SIZE, 2, 8);
	wr(f, VIRTIO_PCI_COMMON_Q_DESCLO, 4, 0);
	wr(f, VIRTIO_PCI_COMMON_Q_ENABLE, 2, 0);
	assert_int_equal(rd(f, VIRTIO_PCI_COMMON_Q_SIZE, 2), 16);
	assert_int_equal(rd(f, VIRTIO_PCI_COMMON_Q_DESCLO, 4), f->d.desc);
	assert_int_equal(rd(f, VIRTIO_PCI_COMMON_Q_ENABLE, 2), 1);
}

static void test_queue_enable_invalid(void **state)
{
	struct fx *f = *state;

	assert_true(negotiate(f, F_V1));
	setup_queue(f, 0, 12);			/* not a power of 2 */
	assert_int_equal(rd(f, VIRTIO_PCI_COMMON_Q_ENABLE, 2), 0);
	assert_true(status(f) & S_NR);
	/* the driver cannot clear NEEDS_RESET; writing 0 resets */
	wr(f, VIRTIO_PCI_COMMON_STATUS, 1, 0xf);
	assert_true(status(f) & S_NR);
	wr(f, VIRTIO_PCI_COMMON_STATUS, 1, 0);
	assert_int_equal(status(f), 0);
	assert_true(negotiate(f, F_V1));
	setup_queue(f, 0, 32);			/* > max */
	assert_true(status(f) & S_NR);
}

static void test_reset(void **state)
{
	struct fx *f = *state;

	start_device(f);
	atomic_store(&f->v.isr, 3);
	wr(f, VIRTIO_PCI_COMMON_STATUS, 1, 0);
	assert_int_equal(fk.resets, 1);
	assert_int_equal(status(f), 0);
	assert_int_equal(virtio_read_isr(&f->v), 0);
	assert_int_equal(f->v.guest_features, 0);
	assert_int_equal(rd(f, VIRTIO_PCI_COMMON_Q_SELECT, 2), 0);
	assert_int_equal(rd(f, VIRTIO_PCI_COMMON_Q_ENABLE, 2), 0);
	assert_int_equal(rd(f, VIRTIO_PCI_COMMON_Q_DESCLO, 4), 0);
	assert_int_equal(rd(f, VIRTIO_PCI_COMMON_Q_MSIX, 2),
			 VIRTIO_MSI_NO_VECTOR);
	assert_int_equal(rd(f, VIRTIO_PCI_COMMON_MSIX, 2),
			 VIRTIO_MSI_NO_VECTOR);
	/* the device works again after a new handshake */
	f->d.avail_idx = f->d.last_used = 0;
	memset(f->d.ram + f->d.desc, 0, f->d.heap_start - f->d.desc);
	start_device(f);
	assert_int_equal(fk.starts, 2);
}

static void test_start_fails(void **state)
{
	struct fx *f = *state;

	fk.start_ret = -EIO;
	assert_true(negotiate(f, F_V1));
	wr(f, VIRTIO_PCI_COMMON_STATUS, 1, status(f) | S_DOK);
	assert_true(status(f) & S_NR);
	assert_false(virtio_running(&f->v));
}

static void test_notify_and_irq(void **state)
{
	struct fx *f = *state;
	u64 b = vqd_alloc(&f->d, 64);
	u32 id, len;

	/* not started: notifications are dropped */
	virtio_queue_notify(&f->v, 0);
	assert_int_equal(fk.notifies, 0);
	start_device(f);
	vqd_desc(&f->d, f->d.desc, 0, b, 64, VIRTQ_DESC_F_WRITE, 0);
	vqd_post(&f->d, 0);
	virtio_queue_notify(&f->v, 1);		/* not enabled */
	virtio_queue_notify(&f->v, 7);		/* no such queue */
	assert_int_equal(fk.notifies, 0);
	virtio_queue_notify(&f->v, 0);
	assert_int_equal(fk.notifies, 1);
	assert_true(vqd_reap(&f->d, &id, &len));
	assert_int_equal(len, 64);
	assert_int_equal(fk.irqs, 1);
	assert_int_equal(fk.last_vector, 1);
	assert_int_equal(virtio_read_isr(&f->v), VIRTIO_ISR_QUEUE);
	assert_int_equal(virtio_read_isr(&f->v), 0);
	/* config change: generation and config vector */
	virtio_lock(&f->v);
	virtio_config_changed(&f->v);
	virtio_unlock(&f->v);
	assert_int_equal(rd(f, VIRTIO_PCI_COMMON_CFGGENERATION, 1), 1);
	assert_int_equal(fk.last_vector, 0);
	assert_int_equal(virtio_read_isr(&f->v), VIRTIO_ISR_CONFIG);
}

static void test_needs_reset(void **state)
{
	struct fx *f = *state;

	start_device(f);
	vqd_post(&f->d, 99);			/* head out of range */
	virtio_queue_notify(&f->v, 0);
	assert_true(status(f) & S_NR);
	assert_non_null(strstr(logs.last, "queue 0: malformed ring"));
	assert_false(virtio_running(&f->v));
	assert_int_equal(fk.last_vector, 0);	/* config interrupt */
	assert_true(virtio_read_isr(&f->v) & VIRTIO_ISR_CONFIG);
	virtio_queue_notify(&f->v, 0);		/* stopped */
	assert_int_equal(fk.notifies, 1);
	wr(f, VIRTIO_PCI_COMMON_STATUS, 1, 0);
	assert_int_equal(status(f), 0);
	assert_false(f->v.vqs[0].broken);
}

static void test_device_config(void **state)
{
	struct fx *f = *state;
	u32 v = 0xaabbccdd, out = 1;
	u8 big[16];

	assert_int_equal(virtio_write_config(&f->v, 8, &v, 4), 0);
	assert_int_equal(virtio_read_config(&f->v, 8, &out, 4), 0);
	assert_int_equal(out, v);
	assert_int_equal(virtio_read_config(&f->v, 10, &out, 4), -EINVAL);
	assert_int_equal(out, 0);
	assert_int_equal(virtio_read_config(&f->v, 12, &out, 1), -EINVAL);
	assert_int_equal(virtio_read_config(&f->v, 0xffffffff, &out, 2),
			 -EINVAL);
	assert_int_equal(virtio_write_config(&f->v, 11, &v, 2), -EINVAL);
	assert_int_equal(fk.cfg[11], 0xaa);
	assert_int_equal(virtio_read_config(&f->v, 0, big, 16), -EINVAL);
	assert_int_equal(virtio_read_config(&f->v, 0, &out, 0), -EINVAL);
}

static void test_init_invalid(void **state)
{
	struct virtio_dev_ops bad = fake_ops;
	struct virtio_dev v;

	bad.queue_max = 12;
	assert_int_equal(virtio_dev_init(&v, &bad, NULL, NULL, false),
			 -EINVAL);
	bad.queue_max = 16;
	bad.num_queues = 0;
	assert_int_equal(virtio_dev_init(&v, &bad, NULL, NULL, false),
			 -EINVAL);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_offered), T(test_bad_widths), T(test_features_policy),
		cmocka_unit_test_setup_teardown(test_features_sev,
						setup_sev_guest, teardown),
		T(test_queue_registers), T(test_queue_enable_invalid),
		T(test_reset), T(test_start_fails), T(test_notify_and_irq),
		T(test_needs_reset), T(test_device_config),
		cmocka_unit_test(test_init_invalid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
