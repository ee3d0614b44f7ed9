// SPDX-License-Identifier: GPL-2.0-only
/*
 * firmware/virtq.c, virtio.c and virtio-drivers.c: split-queue layout and
 * index arithmetic (including 16-bit wrap), then the three drivers
 * against the fake machine's virtio-pci devices (tests/unit/fw-fake*.c):
 * the report lines, negotiated features, MSI-X vectors, bus mastering,
 * resets, and each failure a device or its capabilities can cause.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <openssl/sha.h>

#include "firmware/virtio-drivers.h"
#include "firmware/virtio.h"
#include "tests/unit/fw-fake.h"

static u8 page[VIRTIO_DMA_SIZE] __attribute__((aligned(4096)));
static struct pci_bus0 bus;
static struct fake_virtio *blk, *con, *rng;

static int setup(void **state)
{
	(void)state;
	fake_reset();
	memset(&bus, 0, sizeof(bus));
	memset(page, 0xaa, sizeof(page));
	return 0;
}

/* ---- virtq */

static void test_layout(void **state)
{
	struct virtq_layout l;

	(void)state;
	assert_int_equal(virtq_layout(16, &l), 0);
	assert_int_equal(l.avail, 256);
	assert_int_equal(l.used, 296);		/* 256 + 4 + 32 + 2, aligned */
	assert_int_equal(l.size, 296 + 4 + 128 + 2);
	assert_int_equal(virtq_layout(1, &l), 0);
	assert_int_equal(l.avail, 16);
	assert_int_equal(l.used, 24);
	assert_int_equal(l.size, 24 + 4 + 8 + 2);
	assert_int_equal(virtq_layout(0, &l), -1);
	assert_int_equal(virtq_layout(VIRTQ_MAX_SIZE + 1, &l), -1);
	assert_true(l.size <= VIRTIO_DMA_BUF);
	assert_int_equal(virtq_layout(VIRTQ_MAX_SIZE, &l), 0);
	assert_true(l.size <= VIRTIO_DMA_BUF);
}

static void test_virtq_init(void **state)
{
	struct virtq vq;

	(void)state;
	assert_int_equal(virtq_init(&vq, 8, page + 8, 0x1000), -1);
	assert_int_equal(virtq_init(&vq, 8, page, 0x1008), -1);
	assert_int_equal(virtq_init(&vq, 0, page, 0x1000), -1);
	assert_int_equal(virtq_init(&vq, 8, page, 0x10000), 0);
	assert_int_equal(virtq_desc_pa(&vq), 0x10000);
	assert_int_equal(virtq_avail_pa(&vq), 0x10000 + 128);
	assert_int_equal(virtq_used_pa(&vq), 0x10000 + 152);
	assert_int_equal(page[0], 0);			/* cleared */
	assert_int_equal(page[128], VIRTQ_AVAIL_F_NO_INTERRUPT);
	assert_int_equal(page[129], 0);
	assert_int_equal(page[152 + 4 + 64 + 1], 0);
	assert_int_equal(page[152 + 4 + 64 + 2], 0xaa);	/* and no more */
}

/* Completes the request in flight as a device would: id 0, len. */
static void device_complete(struct virtq *vq, u32 id, u32 len)
{
	u16 *used = (u16 *)(void *)(page + (virtq_used_pa(vq) - vq->pa));
	u32 *elem = (u32 *)(void *)(used + 2) + 2 * (used[1] % vq->size);

	elem[0] = id;
	elem[1] = len;
	used[1]++;
}

static void test_submit_poll(void **state)
{
	const struct virtq_buf b[3] = {
		{ 0x5000, 16, 0 }, { 0x6000, 512, 1 }, { 0x7000, 1, 1 },
	};
	struct virtq vq;
	u16 *avail;
	u32 len = 0;

	(void)state;
	virtq_init(&vq, 4, page, 0x1000);
	avail = (u16 *)(void *)(page + 64);
	assert_int_equal(virtq_submit(&vq, b, 0), -1);
	assert_int_equal(virtq_submit(&vq, b, 5), -1);
	assert_int_equal(virtq_submit(&vq, b, 3), 0);
	assert_int_equal(vq.desc[0].addr, 0x5000);
	assert_int_equal(vq.desc[0].flags, VIRTQ_DESC_F_NEXT);
	assert_int_equal(vq.desc[0].next, 1);
	assert_int_equal(vq.desc[1].flags,
			 VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE);
	assert_int_equal(vq.desc[1].next, 2);
	assert_int_equal(vq.desc[2].flags, VIRTQ_DESC_F_WRITE);
	assert_int_equal(vq.desc[2].len, 1);
	assert_int_equal(avail[1], 1);
	assert_int_equal(avail[2], 0);
	/* one request at a time */
	assert_int_equal(virtq_submit(&vq, b, 1), -1);
	assert_int_equal(virtq_poll(&vq, &len), 0);
	device_complete(&vq, 0, 513);
	assert_int_equal(virtq_poll(&vq, &len), 1);
	assert_int_equal(len, 513);
	assert_int_equal(virtq_poll(&vq, &len), 0);
	/* a wrong id is reported, and the slot is free again */
	assert_int_equal(virtq_submit(&vq, b, 1), 0);
	device_complete(&vq, 3, 0);
	assert_int_equal(virtq_poll(&vq, &len), -1);
	assert_int_equal(virtq_submit(&vq, b, 1), 0);
}

static void test_index_wrap(void **state)
{
	const struct virtq_buf b = { 0x5000, 8, 1 };
	struct virtq vq;
	u16 *avail;
	u32 i, len;

	(void)state;
	virtq_init(&vq, 2, page, 0x1000);
	avail = (u16 *)(void *)(page + 32);
	for (i = 0; i < 70000; i++) {
		assert_int_equal(virtq_submit(&vq, &b, 1), 0);
		device_complete(&vq, 0, i & 7);
		assert_int_equal(virtq_poll(&vq, &len), 1);
		assert_int_equal(len, i & 7);
	}
	assert_int_equal(avail[1], (u16)70000);
	assert_int_equal(vq.used_idx, (u16)70000);
}

/* ---- drivers on the fake machine */

static void machine(void)
{
	fake_q35_mch();
	blk = fake_virtio_add(PCI_BDF(0, 3, 0), 2);
	rng = fake_virtio_add(PCI_BDF(0, 4, 0), 4);
	con = fake_virtio_add(PCI_BDF(0, 5, 0), 3);
}

static int run(void)
{
	struct pci_windows w = {
		.mem = LAYOUT_PCI_MMIO32_BASE, .mem_end = LAYOUT_PCI_MMIO32_END,
		.io = LAYOUT_PCI_IO_BASE, .io_end = LAYOUT_PCI_IO_END,
	};
	struct virtio_dma d = { page, (u64)(uintptr_t)page };

	pci_q35_ecam_enable();
	assert_int_equal(pci_scan(&bus, &w), 0);
	return virtio_drivers_run(&bus, &d);
}

static void test_all_devices(void **state)
{
	u8 md[SHA256_DIGEST_LENGTH];
	char want[160];
	int i, n;

	(void)state;
	machine();
	assert_int_equal(run(), 0);
	SHA256(blk->disk, 512, md);
	n = snprintf(want, sizeof(want), "virtio-blk 00:03.0: %u sectors, "
		     "sector 0 sha256 ", FAKE_DISK_SECTORS);
	for (i = 0; i < SHA256_DIGEST_LENGTH; i++)
		n += snprintf(want + n, sizeof(want) - (size_t)n, "%02x",
			      md[i]);
	strcat(want, "\n");
	assert_true(fake_out_has(want));
	assert_true(fake_out_has("virtio-rng 00:04.0: 16 bytes\n"));
	assert_true(fake_out_has("virtio-console 00:05.0: wrote 41 bytes\n"));
	assert_string_equal(con->console, VIRTIO_CONSOLE_HELLO);
	assert_int_equal(strlen(VIRTIO_CONSOLE_HELLO), 41);
	assert_int_equal(blk->status, 0);	/* reset when done */
	assert_int_equal(blk->notifies, 1);
	assert_int_equal(con->notifies, 1);
	assert_int_equal(rng->notifies, 1);
	assert_true(fake_cfg32(blk->f, 4) & 4);	/* bus master */
	assert_int_equal(fake_stray, 0);
}

/* A reset that never completes; a request that never completes. */
static void test_reset_and_timeout(void **state)
{
	(void)state;
	machine();
	blk->sticky_status = 1;
	blk->status = 0;
	assert_int_equal(run(), 1);	/* the final reset is not acked */
	assert_true(fake_out_has("virtio-blk 00:03.0: reset not "
				 "acknowledged\n"));
	setup(NULL);
	machine();
	blk->never_complete = 1;
	assert_int_equal(run(), 1);
	assert_true(fake_out_has("virtio-blk 00:03.0: request timed out\n"));
}

static void test_state_after_start(void **state)
{
	struct virtio_dev vd;
	struct virtio_queue q;
	struct pci_windows w = {
		.mem = LAYOUT_PCI_MMIO32_BASE, .mem_end = LAYOUT_PCI_MMIO32_END,
		.io = LAYOUT_PCI_IO_BASE, .io_end = LAYOUT_PCI_IO_END,
	};

	(void)state;
	machine();
	pci_q35_ecam_enable();
	pci_scan(&bus, &w);
	assert_int_equal(virtio_find_caps(&vd, &bus.func[1]), 0);
	assert_true(vd.has_pci_cfg);
	assert_int_equal(vd.notify_mul, 4);
	assert_int_equal(vd.device.len, sizeof(blk->devcfg));
	assert_int_equal(vd.isr.len, 4);
	assert_int_equal(virtio_start(&vd), 0);
	/* VERSION_1 and ACCESS_PLATFORM only: bit 1 was offered too */
	assert_int_equal(blk->accepted, 3ull << 32);
	assert_int_equal(vd.features, 3ull << 32);
	assert_int_equal(blk->status, 0x0b);	/* ACK DRIVER FEATURES_OK */
	assert_int_equal(blk->msix, VIRTIO_NO_VECTOR);
	assert_int_equal(virtio_queue_setup(&vd, &q, 0, page, 0x40000), 0);
	assert_int_equal(blk->q[0].size, VIRTQ_MAX_SIZE);
	assert_int_equal(blk->q[0].msix, VIRTIO_NO_VECTOR);
	assert_int_equal(blk->q[0].enable, 1);
	assert_int_equal(blk->q[0].desc, 0x40000);
	assert_int_equal(blk->q[0].avail, 0x40000 + 256);
	assert_int_equal(blk->q[0].used, 0x40000 + 296);
	assert_int_equal(q.notify, vd.notify.addr);	/* queue 0: offset 0 */
	assert_int_equal(virtio_driver_ok(&vd), 0);
	assert_int_equal(blk->status, 0x0f);
	assert_int_equal(virtio_reset(&vd), 0);
	assert_int_equal(blk->status, 0);
}

static void test_delayed_completion(void **state)
{
	(void)state;
	machine();
	blk->delay_polls = 3;
	rng->delay_polls = 50;
	rng->rng_chunk = 5;		/* 5 + 5 + 5 + 1 */
	assert_int_equal(run(), 0);
	assert_true(fake_out_has("virtio-blk 00:03.0: 16 sectors"));
	assert_true(fake_out_has("virtio-rng 00:04.0: 16 bytes\n"));
	assert_int_equal(rng->notifies, 4);
}

enum knob {
	REFUSE, NO_V1, BAD_ID, IO_ERROR, FEW_BYTES, TOO_MANY, NO_QUEUES,
	QUEUE_GONE, COMMON_BAR6, COMMON_PAST_BAR, COMMON_SHORT, COMMON_ON_IO,
	NOTIFY_SHORT_CAP, NOTIFY_TINY, DEVICE_SMALL, CAP_LOOP,
};

/* Overwrites width bytes at off in v's virtio capability of type. */
static void cap_poke(struct fake_virtio *v, u8 type, u8 off, u32 val,
		     u32 width)
{
	u8 p = fake_virtio_cap(v->f, type);

	assert_int_not_equal(p, 0);
	memcpy(v->f->cfg + p + off, &val, width);
}

static void device_knob(enum knob k)
{
	switch (k) {
	case REFUSE:
		blk->refuse_features_ok = 1;
		break;
	case NO_V1:
		rng->offered = 1u << 1;
		break;
	case BAD_ID:
		con->bad_used_id = 1;
		break;
	case IO_ERROR:
		blk->blk_status = 1;
		break;
	case FEW_BYTES:
		rng->rng_chunk = 3;
		break;
	case TOO_MANY:
		rng->rng_extra = 1;
		break;
	case NO_QUEUES:
		blk->num_queues = 0;
		break;
	case QUEUE_GONE:
		con->q[1].max = con->q[1].size = 0;
		break;
	default:
		break;
	}
}

static void cap_knob(enum knob k)
{
	switch (k) {
	case COMMON_BAR6:
		cap_poke(blk, 1, 4, 6, 1);
		break;
	case COMMON_PAST_BAR:
		cap_poke(blk, 1, 8, 0x3fd0, 4);
		break;
	case COMMON_SHORT:
		cap_poke(blk, 1, 12, 0x30, 4);
		break;
	case COMMON_ON_IO:
		cap_poke(blk, 1, 4, 0, 1);
		break;
	case NOTIFY_SHORT_CAP:
		cap_poke(blk, 2, 2, 16, 1);
		break;
	case NOTIFY_TINY:	/* queue 1 notifies at 4: outside 4 bytes */
		cap_poke(con, 2, 12, 4, 4);
		break;
	case DEVICE_SMALL:
		cap_poke(blk, 4, 12, 4, 4);
		break;
	case CAP_LOOP:
		blk->f->cfg[0x40 + 1] = 0x40;
		break;
	default:
		break;
	}
}

static void apply(enum knob k)
{
	if (k < COMMON_BAR6)
		device_knob(k);
	else
		cap_knob(k);
}

#define NO_COMMON "no usable common configuration capability\n"

static const struct {
	enum knob knob;
	const char *line;
} failures[] = {
	{ REFUSE, "virtio-blk 00:03.0: FEATURES_OK not accepted\n" },
	{ NO_V1, "virtio-rng 00:04.0: VIRTIO_F_VERSION_1 not offered\n" },
	{ BAD_ID, "virtio-console 00:05.0: used ring returned a wrong id\n" },
	{ IO_ERROR, "virtio-blk 00:03.0: sector 0 read returned an error "
		    "status\n" },
	{ FEW_BYTES, "virtio-rng 00:04.0: too few random bytes\n" },
	{ TOO_MANY, "virtio-rng 00:04.0: device wrote more than asked\n" },
	{ NO_QUEUES, "virtio-blk 00:03.0: queue index beyond num_queues\n" },
	{ QUEUE_GONE, "virtio-console 00:05.0: queue not available\n" },
	{ COMMON_BAR6, "virtio-blk 00:03.0: " NO_COMMON },
	{ COMMON_PAST_BAR, "virtio-blk 00:03.0: " NO_COMMON },
	{ COMMON_SHORT, "virtio-blk 00:03.0: " NO_COMMON },
	{ COMMON_ON_IO, "virtio-blk 00:03.0: " NO_COMMON },
	{ NOTIFY_SHORT_CAP, "virtio-blk 00:03.0: no usable notify "
			    "capability\n" },
	{ NOTIFY_TINY, "virtio-console 00:05.0: queue notify address outside "
		       "its capability\n" },
	{ DEVICE_SMALL, "virtio-blk 00:03.0: device configuration too "
			"small\n" },
	{ CAP_LOOP, "virtio-blk 00:03.0: " NO_COMMON },
};

/* Each knob makes exactly one device fail with its line; all are reset. */
static void test_failures(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(failures); i++) {
		setup(NULL);
		machine();
		apply(failures[i].knob);
		assert_int_equal(run(), 1);
		if (!fake_out_has(failures[i].line)) {
			fprintf(stderr, "wanted '%s' in:\n%s",
				failures[i].line, fake_out);
			fail();
		}
		assert_int_equal(blk->status | rng->status | con->status, 0);
	}
}

static void test_other_devices_ignored(void **state)
{
	(void)state;
	fake_q35_mch();
	fake_virtio_add(PCI_BDF(0, 2, 0), 9);		/* 9p: no driver */
	fake_pci_add(PCI_BDF(0, 6, 0), 0x1af4, 0x1001, 0x010000, 0);
	assert_int_equal(run(), 0);			/* transitional blk */
	assert_false(fake_out_has("virtio-"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_layout, setup),
		cmocka_unit_test_setup(test_virtq_init, setup),
		cmocka_unit_test_setup(test_submit_poll, setup),
		cmocka_unit_test_setup(test_index_wrap, setup),
		cmocka_unit_test_setup(test_all_devices, setup),
		cmocka_unit_test_setup(test_reset_and_timeout, setup),
		cmocka_unit_test_setup(test_state_after_start, setup),
		cmocka_unit_test_setup(test_delayed_completion, setup),
		cmocka_unit_test_setup(test_failures, setup),
		cmocka_unit_test_setup(test_other_devices_ignored, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
