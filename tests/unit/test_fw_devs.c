// SPDX-License-Identifier: GPL-2.0-only
/*
 * firmware/viommu.c, vnet.c and vsock.c: the request encoders and the
 * parsers of what devices write (fault records, PROBE properties,
 * receive buffers, vsock headers, credit), then each driver against a
 * device model on the fake machine (tests/unit/fw-fake-devs.c): the
 * negotiated features, the requests and packets the device saw, the
 * report lines, and each failure a device can cause.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "firmware/viommu.h"
#include "firmware/virtio-drivers.h"
#include "firmware/vnet.h"
#include "firmware/vsock.h"
#include "tests/unit/fw-fake-devs.h"

static u8 area[3 * 4096] __attribute__((aligned(4096)));
static struct pci_bus0 bus;

static int setup(void **state)
{
	(void)state;
	fake_reset();
	memset(&bus, 0, sizeof(bus));
	memset(area, 0xaa, sizeof(area));
	return 0;
}

static void scan(void)
{
	struct pci_windows w = {
		.mem = LAYOUT_PCI_MMIO32_BASE, .mem_end = LAYOUT_PCI_MMIO32_END,
		.io = LAYOUT_PCI_IO_BASE, .io_end = LAYOUT_PCI_IO_END,
	};

	pci_q35_ecam_enable();
	assert_int_equal(pci_scan(&bus, &w), 0);
}

/* The drivers over a block of size bytes (identity: pa = host address). */
static int run(u32 size)
{
	struct virtio_dma d = { area, (u64)(uintptr_t)area, size, NULL,
				NULL };

	scan();
	return virtio_drivers_run(&bus, &d);
}

static u64 le64(const u8 *p)
{
	u64 v;

	memcpy(&v, p, 8);
	return v;
}

static u32 le32(const u8 *p)
{
	u32 v;

	memcpy(&v, p, 4);
	return v;
}

/* ---- posted buffers (virtq_post, virtq_take) and config widths */

static void test_posted_buffers(void **state)
{
	struct virtq vq;
	u16 *avail, *used, id;
	u32 *elem, len;

	(void)state;
	assert_int_equal(virtq_init(&vq, 4, area, 0x10000), 0);
	avail = (u16 *)(void *)(area + 64);
	used = (u16 *)(void *)(area + (virtq_used_pa(&vq) - 0x10000));
	assert_int_equal(virtq_post(&vq, 4, 0x2000, 64), -1);	/* no desc 4 */
	assert_int_equal(virtq_post(&vq, 2, 0x2000, 64), 0);
	assert_int_equal(virtq_post(&vq, 0, 0x3000, 32), 0);
	assert_int_equal(avail[1], 2);
	assert_int_equal(avail[2], 2);
	assert_int_equal(avail[3], 0);
	assert_true(vq.desc[2].addr == 0x2000);
	assert_int_equal(vq.desc[2].flags, VIRTQ_DESC_F_WRITE);
	assert_int_equal(virtq_take(&vq, &id, &len), 0);	/* nothing */
	elem = (u32 *)(void *)(used + 2);
	elem[0] = 2;
	elem[1] = 24;
	elem[2] = 7;					/* not a desc */
	used[1] = 2;
	assert_int_equal(virtq_take(&vq, &id, &len), 1);
	assert_int_equal(id, 2);
	assert_int_equal(len, 24);
	assert_int_equal(virtq_take(&vq, &id, &len), -1);
	assert_int_equal(virtq_take(&vq, &id, &len), 0);
}

static void test_cfg_widths(void **state)
{
	struct fake_virtio *v;
	struct virtio_dev vd;
	u64 val;

	(void)state;
	fake_q35_mch();
	v = fake_virtio_add(PCI_BDF(0, 2, 0), 19);
	fake_vsock_add(v);
	memcpy(v->devcfg, "\x01\x02\x03\x04\x05\x06\x07\x08", 8);
	scan();
	assert_int_equal(virtio_find_caps(&vd, &bus.func[1]), 0);
	assert_int_equal(virtio_cfg_read(&vd, 1, 1, &val), 0);
	assert_true(val == 2);
	assert_int_equal(virtio_cfg_read(&vd, 2, 2, &val), 0);
	assert_true(val == 0x0403);
	assert_int_equal(virtio_cfg_read(&vd, 4, 4, &val), 0);
	assert_true(val == 0x08070605);
	assert_int_equal(virtio_cfg_read(&vd, 0, 8, &val), 0);
	assert_true(val == 0x0807060504030201ull);
	assert_int_equal(virtio_cfg_read(&vd, 0, 3, &val), -1);
	assert_string_equal(vd.why, "bad device configuration width");
	assert_int_equal(virtio_cfg_read(&vd, 60, 8, &val), -1);
	assert_string_equal(vd.why, "device configuration too small");
	assert_int_equal(virtio_cfg_write8(&vd, 5, 0x55), 0);
	assert_int_equal(v->devcfg[5], 0x55);
	assert_int_equal(virtio_cfg_write8(&vd, 64, 0), -1);
}

/* ---- virtio-iommu: bytes */

static void test_viommu_encoders(void **state)
{
	u8 b[96];

	(void)state;
	memset(b, 0xee, sizeof(b));
	assert_int_equal(viommu_enc_attach(b, 7, 0x18), 20);
	assert_int_equal(b[0], VIOMMU_T_ATTACH);
	assert_int_equal(le32(b + 4), 7);
	assert_int_equal(le32(b + 8), 0x18);
	assert_int_equal(le32(b + 12), 0);		/* flags */
	assert_int_equal(b[20], 0xee);			/* no more */
	assert_int_equal(viommu_enc_detach(b, 7, 0x18), 20);
	assert_int_equal(b[0], VIOMMU_T_DETACH);
	assert_int_equal(le64(b + 12), 0);
	assert_int_equal(viommu_enc_map(b, 3, 0x40012000, 0x12000, 0x2000,
					3), 36);
	assert_int_equal(b[0], VIOMMU_T_MAP);
	assert_int_equal(le32(b + 4), 3);
	assert_true(le64(b + 8) == 0x40012000);
	assert_true(le64(b + 16) == 0x40013fff);	/* inclusive end */
	assert_true(le64(b + 24) == 0x12000);
	assert_int_equal(le32(b + 32), 3);
	assert_int_equal(viommu_enc_unmap(b, 3, 0x40012000, 0x1000), 28);
	assert_int_equal(b[0], VIOMMU_T_UNMAP);
	assert_true(le64(b + 16) == 0x40012fff);
	assert_int_equal(le32(b + 24), 0);
	assert_int_equal(viommu_enc_probe(b, 0x20), 72);
	assert_int_equal(b[0], VIOMMU_T_PROBE);
	assert_int_equal(le32(b + 4), 0x20);
	assert_int_equal(b[71], 0);
}

static void test_viommu_parsers(void **state)
{
	static const u8 fault[24] = { 2, 0, 0, 0, 0x02, 0x01, 0, 0, 0x18, 0,
		0, 0, 0, 0, 0, 0, 0, 0x60, 0x01, 0x40 };
	u8 props[64] = { 1, 0, 20, 0, 1, 0, 0, 0, 0, 0, 0xe0, 0xfe, 0, 0, 0,
		0, 0xff, 0xff, 0xef, 0xfe, 0, 0, 0, 0, 9, 0, 0, 0 };
	struct viommu_probe_info p;
	struct viommu_fault f;
	u32 i;

	(void)state;
	assert_int_equal(viommu_fault_parse(fault, 23, &f), -1);
	assert_int_equal(viommu_fault_parse(fault, 24, &f), 0);
	assert_int_equal(f.reason, VIOMMU_FAULT_R_MAPPING);
	assert_int_equal(f.flags, VIOMMU_FAULT_F_ADDRESS |
		VIOMMU_FAULT_F_WRITE);
	assert_int_equal(f.endpoint, 0x18);
	assert_true(f.address == 0x40016000);
	/* reserved region, then an unknown empty property, then NONE */
	assert_int_equal(viommu_probe_parse(props, sizeof(props), &p), 0);
	assert_int_equal(p.nr_props, 2);
	assert_int_equal(p.nr_resv, 1);
	assert_true(p.resv_start[0] == 0xfee00000);
	assert_true(p.resv_end[0] == 0xfeefffff);
	props[26] = 200;			/* runs past the buffer */
	assert_int_equal(viommu_probe_parse(props, sizeof(props), &p), -1);
	memset(props, 0, sizeof(props));	/* NONE at once */
	assert_int_equal(viommu_probe_parse(props, sizeof(props), &p), 0);
	assert_int_equal(p.nr_props, 0);
	for (i = 0; i < 3; i++) {		/* 3 x 20 bytes: 60 of 64 */
		props[i * 20] = 1;
		props[i * 20 + 2] = 16;
	}
	assert_int_equal(viommu_probe_parse(props, 60, &p), 0);
	assert_int_equal(p.nr_props, 3);	/* values of 16 < 20 */
	assert_int_equal(p.nr_resv, 0);		/* bytes: not read */
	assert_string_equal(viommu_status_name(0), "ok");
	assert_string_equal(viommu_status_name(8), "nomem");
	assert_string_equal(viommu_status_name(9), "?");
}

static void test_viommu_iova_ok(void **state)
{
	struct viommu m = { .in_start = 0x1000, .in_end = 0xffff };

	(void)state;
	assert_true(viommu_iova_ok(&m, 0x1000, 0xf000));
	assert_false(viommu_iova_ok(&m, 0x1000, 0xf001));
	assert_false(viommu_iova_ok(&m, 0xfff, 2));
	assert_false(viommu_iova_ok(&m, 0x2000, 0));
	m.in_end = ~0ull;
	assert_false(viommu_iova_ok(&m, ~0ull - 1, 4));	/* wraps */
}

/* ---- virtio-iommu: the driver on the model */

static struct fake_virtio *viommu_dev(struct fake_viommu **m)
{
	struct fake_virtio *v;

	fake_q35_mch();
	v = fake_virtio_add(PCI_BDF(0, 2, 0), VIRTIO_ID_IOMMU);
	*m = fake_viommu_add(v);
	scan();
	return v;
}

static void test_viommu_driver(void **state)
{
	struct viommu_probe_info p;
	struct viommu_fault f;
	struct fake_viommu *fm;
	struct fake_virtio *v = viommu_dev(&fm);
	struct viommu m;

	(void)state;
	assert_int_equal(viommu_init(&m, &bus.func[1], area,
				     (u64)(uintptr_t)area), 0);
	assert_true(v->accepted == (1ull << 32 | 0x57));
	assert_int_equal(v->devcfg[36], 0);		/* bypass off */
	assert_true(m.page_mask == ~0xfffull);
	assert_int_equal(m.dom_end, 0xffffffff);
	assert_int_equal(m.probe_size, 64);
	assert_int_equal(viommu_attach(&m, 25, 0x18), 0);
	assert_int_equal(fm->types[VIOMMU_T_ATTACH], 1);
	assert_int_equal(fm->domain, 25);
	assert_int_equal(fm->endpoint, 0x18);
	assert_int_equal(viommu_map(&m, 25, 0x40013000, 0x13000, 0x2000,
				    VIOMMU_MAP_F_READ), 0);
	assert_true(fm->iova == 0x40013000 && fm->end == 0x40014fff);
	assert_true(fm->phys == 0x13000);
	assert_int_equal(fm->flags, VIOMMU_MAP_F_READ);
	assert_int_equal(viommu_unmap(&m, 25, 0x40013000, 0x2000), 0);
	assert_int_equal(viommu_detach(&m, 25, 0x18), 0);
	assert_int_equal(viommu_probe(&m, 0x18, &p), 0);
	assert_int_equal(p.nr_resv, 1);
	assert_true(p.resv_start[0] == 0xfee00000);
	assert_int_equal(viommu_fault_next(&m, &f, 100), 0);	/* none */
	fake_viommu_fault(v, 2, 0x102, 0x18, 0x40016000);
	assert_int_equal(viommu_fault_next(&m, &f, 100), 1);
	assert_int_equal(f.reason, 2);
	assert_int_equal(f.flags, 0x102);
	assert_true(f.address == 0x40016000);
	assert_int_equal(m.events, 1);
	assert_int_equal(fake_stray, 0);
}

/* A refused request, malformed PROBE properties, a short fault record. */
static void test_viommu_bad_answers(void **state)
{
	struct viommu_probe_info p;
	struct viommu_fault f;
	struct fake_viommu *fm;
	struct fake_virtio *v = viommu_dev(&fm);
	struct viommu m;

	(void)state;
	assert_int_equal(viommu_init(&m, &bus.func[1], area,
				     (u64)(uintptr_t)area), 0);
	fm->status = 4;					/* INVAL */
	assert_int_equal(viommu_attach(&m, 25, 0x18), -1);
	assert_int_equal(m.status, 4);
	assert_string_equal(m.vd.why, "request refused");
	fm->bad_probe = 1;
	fm->status = 0;
	assert_int_equal(viommu_probe(&m, 0x18, &p), -1);
	assert_string_equal(m.vd.why, "malformed PROBE properties");
	fm->short_fault = 1;
	fake_viommu_fault(v, 2, 0x100, 0x18, 0x1000);
	assert_int_equal(viommu_fault_next(&m, &f, 100), -1);
	assert_string_equal(m.vd.why, "short fault record");
	assert_int_equal(fake_stray, 0);
}

static void test_viommu_refusals(void **state)
{
	struct fake_viommu *fm;
	struct fake_virtio *v = viommu_dev(&fm);
	struct viommu m;
	u64 in_end = 0x7fffffff;

	(void)state;
	memcpy(v->devcfg + 16, &in_end, 8);
	assert_int_equal(viommu_init(&m, &bus.func[1], area,
				     (u64)(uintptr_t)area), 0);
	assert_int_equal(viommu_map(&m, 1, 0x7ffff000, 0, 0x2000, 3), -1);
	assert_string_equal(m.vd.why, "IOVA range outside the input range");
	assert_int_equal(fm->types[VIOMMU_T_MAP], 0);	/* never sent */
	v->offered &= ~VIOMMU_F_MAP_UNMAP;
	assert_int_equal(viommu_init(&m, &bus.func[1], area,
				     (u64)(uintptr_t)area), -1);
	assert_string_equal(m.vd.why, "VIRTIO_IOMMU_F_MAP_UNMAP not offered");
	v->offered |= VIOMMU_F_MAP_UNMAP;
	memset(v->devcfg, 0, 8);
	v->devcfg[2] = 1;				/* 64 KiB pages only */
	assert_int_equal(viommu_init(&m, &bus.func[1], area,
				     (u64)(uintptr_t)area), -1);
	assert_string_equal(m.vd.why, "no page size of 4 KiB or less");
}

/* ---- virtio-net */

static void test_vnet_bytes(void **state)
{
	static const u8 mac[6] = { 2, 0, 0, 0, 0, 1 };
	u8 f[VNET_ETH_MIN], b[VNET_HDR_LEN + VNET_ETH_MIN] = { 0 };
	struct vnet_rx r;
	char text[VNET_PAYLOAD_SHOWN + 1];

	(void)state;
	assert_int_equal(vnet_frame(f, mac), 60);
	assert_memory_equal(f, "\xff\xff\xff\xff\xff\xff\x02\0\0\0\0\x01"
			    "\x88\xb5sevm-fw-net-tx\0", 29);
	memcpy(b + VNET_HDR_LEN, f, sizeof(f));
	assert_int_equal(vnet_rx_parse(b, 25, &r), -1);		/* short */
	assert_int_equal(vnet_rx_parse(b, sizeof(b), &r), 1);
	assert_int_equal(r.frame_len, 60);
	assert_int_equal(r.payload_len, 46);
	vnet_payload_text(&r, text);
	assert_string_equal(text, "sevm-fw-net-tx");
	b[VNET_HDR_LEN + 12] = 0x08;				/* IPv4 */
	assert_int_equal(vnet_rx_parse(b, sizeof(b), &r), 0);
	b[10] = 2;						/* 2 buffers */
	assert_int_equal(vnet_rx_parse(b, sizeof(b), &r), -1);
	assert_int_equal(vnet_rx_parse(b, VNET_RX_BUF + 1, &r), -1);
}

static struct fake_vnet *vnet_dev(struct fake_virtio **v)
{
	fake_q35_mch();
	*v = fake_virtio_add(PCI_BDF(0, 2, 0), 1);
	return fake_vnet_add(*v);
}

static void test_vnet_driver(void **state)
{
	struct fake_virtio *v;
	struct fake_vnet *m = vnet_dev(&v);

	(void)state;
	assert_int_equal(run(sizeof(area)), 0);
	assert_true(fake_out_has("virtio-net: rx 60 bytes sevm-fw-net-rx\n"));
	assert_true(fake_out_has("virtio-net 00:02.0: mac 52:54:00:12:34:56, "
				 "link up, tx 60 bytes\n"));
	assert_true(m->features == (1ull << 32 | VNET_FEATURES));
	assert_int_equal(m->tx_len, 60);
	assert_memory_equal(m->tx, "\xff\xff\xff\xff\xff\xff"
			    "\x52\x54\x00\x12\x34\x56\x88\xb5", 14);
	assert_int_equal(m->rx_next, 2);	/* one skipped, then ours */
	assert_int_equal(v->status, 0);		/* reset when done */
	assert_int_equal(fake_stray, 0);
}

static void test_vnet_failures(void **state)
{
	struct fake_virtio *v;
	struct fake_vnet *m;

	(void)state;
	m = vnet_dev(&v);
	m->silent = 1;		/* no peer answers: reported, not a failure */
	assert_int_equal(run(sizeof(area)), 0);
	assert_true(fake_out_has("virtio-net: rx none (no peer answered)\n"));
	setup(NULL);
	m = vnet_dev(&v);
	m->bad_num_buffers = 1;
	assert_int_equal(run(sizeof(area)), 1);
	assert_true(fake_out_has("virtio-net 00:02.0: malformed receive "
				 "buffer\n"));
	setup(NULL);
	vnet_dev(&v);
	assert_int_equal(run(4096), 1);
	assert_true(fake_out_has("virtio-net 00:02.0: DMA block too small\n"));
	setup(NULL);
	vnet_dev(&v);
	v->devcfg[6] = 0;			/* link down: still tried */
	assert_int_equal(run(sizeof(area)), 0);
	assert_true(fake_out_has("link down, tx 60 bytes\n"));
}

/* ---- virtio-vsock */

static void test_vsock_bytes(void **state)
{
	struct vsock_hdr h = {
		.src_cid = 3, .dst_cid = 2, .src_port = 49152,
		.dst_port = 1234, .len = 4, .type = 1, .op = 5, .flags = 0,
		.buf_alloc = 4008, .fwd_cnt = 9,
	}, g;
	struct vsock_conn c = { .peer_buf_alloc = 100 };
	u8 b[48];

	(void)state;
	vsock_hdr_put(b, &h);
	assert_true(le64(b) == 3 && le64(b + 8) == 2);
	assert_int_equal(le32(b + 24), 4);
	assert_int_equal(b[30], 5);
	assert_int_equal(le32(b + 36), 4008);
	assert_int_equal(vsock_hdr_parse(b, 48, &g), 0);
	/* field by field: the struct's tail padding is not compared */
	assert_true(g.src_cid == h.src_cid && g.dst_cid == h.dst_cid);
	assert_true(g.src_port == h.src_port && g.dst_port == h.dst_port);
	assert_true(g.len == h.len && g.type == h.type && g.op == h.op);
	assert_true(g.flags == h.flags && g.buf_alloc == h.buf_alloc &&
		    g.fwd_cnt == h.fwd_cnt);
	assert_int_equal(vsock_hdr_parse(b, 47, &g), -1);	/* len 4 */
	assert_int_equal(vsock_hdr_parse(b, 43, &g), -1);	/* short */
	fw_put_le32(b + 24, 0xffffffff);
	assert_int_equal(vsock_hdr_parse(b, 48, &g), -1);
	assert_int_equal(vsock_credit(&c), 100);
	c.tx_cnt = 60;
	c.peer_fwd_cnt = 20;
	assert_int_equal(vsock_credit(&c), 60);
	c.tx_cnt = 130;
	assert_int_equal(vsock_credit(&c), 0);		/* peer overrun */
	c.tx_cnt = 10;					/* wrapped counters */
	c.peer_fwd_cnt = 0xfffffff0u;
	assert_int_equal(vsock_credit(&c), 74);
}

static struct fake_vsock *vsock_dev(struct fake_virtio **v)
{
	fake_q35_mch();
	*v = fake_virtio_add(PCI_BDF(0, 2, 0), 19);
	return fake_vsock_add(*v);
}

static void test_vsock_driver(void **state)
{
	struct fake_virtio *v;
	struct fake_vsock *m = vsock_dev(&v);

	(void)state;
	if (run(sizeof(area)))
		fprintf(stderr, "%s", fake_out);
	assert_true(fake_out_has("virtio-vsock: connected to host port 1234, "
				 "echo ping\n"));
	assert_true(fake_out_has("virtio-vsock: listening on port 5000\n"));
	assert_true(fake_out_has("virtio-vsock 00:02.0: cid 3, echo to host "
				 "port 1234, 15 bytes echoed from host port "
				 "7777\n"));
	assert_int_equal(m->ops[VSOCK_OP_REQUEST], 1);
	assert_int_equal(m->ops[VSOCK_OP_RESPONSE], 1);
	assert_int_equal(m->ops[VSOCK_OP_RW], 2);
	assert_int_equal(m->ops[VSOCK_OP_SHUTDOWN], 2);
	assert_int_equal(m->got_len, 15);
	assert_memory_equal(m->got, "sevm-host-hello", 15);
	assert_int_equal(m->guest_buf_alloc, VSOCK_BUF_ALLOC);
	assert_int_equal(m->guest_fwd, 15);	/* the second stream's */
	assert_int_equal(v->status, 0);
	assert_int_equal(fake_stray, 0);
}

static void vsock_fails(void (*knob)(struct fake_vsock *m), const char *l)
{
	struct fake_virtio *v;

	setup(NULL);
	knob(vsock_dev(&v));
	assert_int_equal(run(sizeof(area)), 1);
	if (!fake_out_has(l)) {
		fprintf(stderr, "wanted '%s' in:\n%s", l, fake_out);
		fail();
	}
}

static void k_refuse(struct fake_vsock *m) { m->refuse = 1; }
static void k_no_connect(struct fake_vsock *m) { m->no_connect = 1; }
static void k_bad_cid(struct fake_vsock *m) { m->bad_cid = 1; }
static void k_short(struct fake_vsock *m) { m->short_packet = 1; }

static void test_vsock_failures(void **state)
{
	struct fake_virtio *v;
	struct fake_vsock *m;

	(void)state;
	/* the host refusing port 1234 (RST) means no peer: not a failure */
	setup(NULL);
	k_refuse(vsock_dev(&v));
	assert_int_equal(run(sizeof(area)), 0);
	assert_true(fake_out_has("virtio-vsock: host port 1234 refused: no "
				 "host peer, echo tests not run\n"));
	vsock_fails(k_no_connect, "virtio-vsock 00:02.0: no connection from "
		    "the host\n");
	vsock_fails(k_bad_cid, "virtio-vsock 00:02.0: no answer to the "
		    "connection\n");
	vsock_fails(k_short, "virtio-vsock 00:02.0: malformed packet\n");
	setup(NULL);				/* credit 0: asks for more */
	m = vsock_dev(&v);
	m->zero_credit = 1;
	assert_int_equal(run(sizeof(area)), 0);
	assert_int_equal(m->ops[VSOCK_OP_CREDIT_REQUEST], 1);
	setup(NULL);
	vsock_dev(&v);
	v->devcfg[0] = 2;			/* the host's CID */
	assert_int_equal(run(sizeof(area)), 1);
	assert_true(fake_out_has("guest CID out of range\n"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_posted_buffers, setup),
		cmocka_unit_test_setup(test_cfg_widths, setup),
		cmocka_unit_test_setup(test_viommu_encoders, setup),
		cmocka_unit_test_setup(test_viommu_parsers, setup),
		cmocka_unit_test_setup(test_viommu_iova_ok, setup),
		cmocka_unit_test_setup(test_viommu_driver, setup),
		cmocka_unit_test_setup(test_viommu_bad_answers, setup),
		cmocka_unit_test_setup(test_viommu_refusals, setup),
		cmocka_unit_test_setup(test_vnet_bytes, setup),
		cmocka_unit_test_setup(test_vnet_driver, setup),
		cmocka_unit_test_setup(test_vnet_failures, setup),
		cmocka_unit_test_setup(test_vsock_bytes, setup),
		cmocka_unit_test_setup(test_vsock_driver, setup),
		cmocka_unit_test_setup(test_vsock_failures, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
