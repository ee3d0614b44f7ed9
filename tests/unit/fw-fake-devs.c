// SPDX-License-Identifier: GPL-2.0-only
/*
 * Device models for the fake machine's virtio-pci functions (fw-fake.h):
 * virtio-iommu (requests recorded and answered, PROBE with one reserved
 * region, fault records injected by the test), virtio-net (each frame
 * sent is answered by another frame and then one of the firmware's
 * EtherType), and virtio-vsock with a host that echoes on port 1234 and
 * then connects to guest port 5000. Receive and event buffers are held
 * until the model has something for them.
 */
#include <string.h>

#include "tests/unit/fw-fake-devs.h"

static struct fake_viommu viommu_model;
static struct fake_vnet vnet_model;
static struct fake_vsock vsock_model;

static void *ptr(u64 a)
{
	return (void *)(uintptr_t)a;
}

static void put64(u8 *p, u64 v)
{
	memcpy(p, &v, 8);
}

/* ---- virtio-iommu */

static struct fake_virtio *viommu_dev;

static void viommu_fault_push(struct fake_viommu *m, u8 reason, u32 flags,
			      u32 endpoint, u64 address)
{
	u8 *f;

	if (m->no_faults || m->nr_faults - m->fault_next == FAKE_FAULTS)
		return;			/* dropped, as QEMU does when full */
	f = m->fault[m->nr_faults++ % FAKE_FAULTS];
	memset(f, 0, 24);
	f[0] = reason;
	memcpy(f + 4, &flags, 4);
	memcpy(f + 8, &endpoint, 4);
	put64(f + 16, address);
}

static struct fake_iommu_ep *viommu_ep(struct fake_viommu *m, u32 ep)
{
	u32 i;

	for (i = 0; i < FAKE_EPS; i++)
		if (m->ep[i].attached && m->ep[i].id == ep)
			return &m->ep[i];
	return NULL;
}

static void viommu_attach_ep(struct fake_viommu *m, int attach)
{
	struct fake_iommu_ep *e = viommu_ep(m, m->endpoint);
	u32 i;

	if (!attach) {
		if (e)
			e->attached = 0;
		return;
	}
	for (i = 0; !e && i < FAKE_EPS; i++)
		if (!m->ep[i].attached)
			e = &m->ep[i];
	if (e)
		*e = (struct fake_iommu_ep){ 1, m->endpoint, m->domain };
}

static void viommu_map_table(struct fake_viommu *m, int map)
{
	u32 i;

	for (i = 0; i < FAKE_MAPS; i++) {
		struct fake_iommu_map *x = &m->map[i];

		if (map && !x->used) {
			*x = (struct fake_iommu_map){ 1, m->domain, m->iova,
						      m->end, m->phys,
						      m->flags };
			return;
		}
		if (!map && x->used && x->domain == m->domain &&
		    x->iova >= m->iova && x->end <= m->end)
			x->used = 0;
	}
}

static void viommu_request(struct fake_viommu *m, const u8 *req, u8 *reply,
			   u32 wlen)
{
	static const u8 resv[24] = { 1, 0, 20, 0, 1, 0, 0, 0,
		0, 0, 0xe0, 0xfe, 0, 0, 0, 0, 0xff, 0xff, 0xef, 0xfe };

	m->types[req[0] < 8 ? req[0] : 0]++;
	memcpy(&m->domain, req + 4, 4);
	if (req[0] == 1 || req[0] == 2) {
		memcpy(&m->endpoint, req + 8, 4);
		viommu_attach_ep(m, req[0] == 1);
	}
	if (req[0] == 3 || req[0] == 4) {
		memcpy(&m->iova, req + 8, 8);
		memcpy(&m->end, req + 16, 8);
	}
	if (req[0] == 3) {
		memcpy(&m->phys, req + 24, 8);
		memcpy(&m->flags, req + 32, 4);
	}
	if (req[0] == 3 || req[0] == 4)
		viommu_map_table(m, req[0] == 3);
	if (req[0] == 5 && wlen >= sizeof(resv) + 4 + 4) {
		memset(reply, 0, wlen);
		memcpy(reply, m->bad_probe ? (const u8 *)"\x01\0\xff\x7f" :
		       resv, m->bad_probe ? 4 : sizeof(resv));
	}
	reply[wlen - 4] = m->status;
}

/* A device access of endpoint bdf: a host pointer, or NULL and a fault. */
static void *viommu_translate(u16 bdf, u64 a, u32 len, int write)
{
	struct fake_viommu *m = &viommu_model;
	struct fake_iommu_ep *e = viommu_ep(m, bdf);
	u32 need = write ? 2 : 1, i;

	if (!e && (m->bypass_stuck || viommu_dev->devcfg[36]))
		return ptr(a);
	for (i = 0; e && i < FAKE_MAPS; i++) {
		struct fake_iommu_map *x = &m->map[i];

		if (!x->used || x->domain != e->domain || a < x->iova ||
		    a + len - 1 > x->end)
			continue;
		if ((x->flags & need) || m->ignore_perms)
			return ptr(x->phys + (a - x->iova));
		viommu_fault_push(m, 2, 0x100 | need, bdf, a);
		fake_virtio_kick(viommu_dev, 1);
		return NULL;
	}
	viommu_fault_push(m, e ? 2 : 1, 0x100, bdf, a);
	fake_virtio_kick(viommu_dev, 1);
	return NULL;
}

static int viommu_serve(struct fake_virtio *v, u16 qi,
			const struct fake_chain *c, u32 *len)
{
	struct fake_viommu *m = v->model;

	*len = 0;
	if (qi == 0 && c->n == 2) {
		viommu_request(m, ptr(c->addr[0]), ptr(c->addr[1]),
			       c->len[1]);
		*len = c->len[1];
		return 0;
	}
	if (qi != 1 || m->fault_next == m->nr_faults)
		return 1;		/* event buffers wait for faults */
	memcpy(ptr(c->addr[0]), m->fault[m->fault_next++ % FAKE_FAULTS],
	       c->len[0] < 24 ? c->len[0] : 24);
	*len = m->short_fault ? 8 : 24;
	return 0;
}

struct fake_viommu *fake_viommu_add(struct fake_virtio *v)
{
	struct fake_viommu *m = &viommu_model;

	memset(m, 0, sizeof(*m));
	viommu_dev = v;
	v->serve_fn = viommu_serve;
	v->model = m;
	v->offered = 1ull << 32 | 0x57;	/* INPUT/DOMAIN_RANGE, MAP, PROBE, */
	v->num_queues = 2;		/* BYPASS_CONFIG */
	v->q[1].max = v->q[1].size = 64;
	put64(v->devcfg, ~0xfffull);
	put64(v->devcfg + 8, 0);
	put64(v->devcfg + 16, ~0ull);
	put64(v->devcfg + 24, 0xffffffff00000000ull);
	v->devcfg[32] = 64;		/* probe_size */
	v->devcfg[36] = 1;		/* bypass */
	return m;
}

void fake_viommu_translating(void)
{
	fake_dma_translate = viommu_translate;
}

void fake_viommu_fault(struct fake_virtio *v, u8 reason, u32 flags,
		       u32 endpoint, u64 address)
{
	viommu_fault_push(v->model, reason, flags, endpoint, address);
	fake_virtio_kick(v, 1);
}

/* ---- virtio-net */

static void vnet_queue(struct fake_vnet *m, u16 type, const char *payload)
{
	u8 *f;

	if (m->nr_rx == FAKE_RX_MAX)
		return;
	f = m->rx[m->nr_rx];
	memset(f, 0, 60);
	memcpy(f, m->tx + 6, 6);		/* to the sender */
	memcpy(f + 6, "\x02\x00\x00\x00\x00\x02", 6);
	f[12] = (u8)(type >> 8);
	f[13] = (u8)type;
	memcpy(f + 14, payload, strlen(payload));
	m->rx_len[m->nr_rx++] = 60;
}

static int vnet_rx(struct fake_vnet *m, const struct fake_chain *c, u32 *len)
{
	u8 *b = ptr(c->addr[0]);
	u16 one = 1;
	u32 i;

	if (m->rx_next == m->nr_rx)
		return 1;
	i = m->rx_next++;
	memset(b, 0, 12);
	memcpy(b + 10, &one, 2);		/* num_buffers */
	if (m->bad_num_buffers)
		b[10] = 2;
	memcpy(b + 12, m->rx[i], m->rx_len[i]);
	*len = 12 + m->rx_len[i];
	return 0;
}

static int vnet_serve(struct fake_virtio *v, u16 qi,
		      const struct fake_chain *c, u32 *len)
{
	struct fake_vnet *m = v->model;
	u32 n = c->len[0] > 12 ? c->len[0] - 12 : 0;

	if (qi == 0)
		return vnet_rx(m, c, len);
	m->tx_len = n;
	m->features = v->accepted;
	memcpy(m->tx, (u8 *)ptr(c->addr[0]) + 12, n < 128 ? n : 128);
	if (!m->silent) {
		vnet_queue(m, 0x0800, "not ours");
		vnet_queue(m, 0x88b5, "sevm-fw-net-rx");
	}
	*len = 0;
	fake_virtio_kick(v, 0);
	return 0;
}

struct fake_vnet *fake_vnet_add(struct fake_virtio *v)
{
	struct fake_vnet *m = &vnet_model;
	u16 up = 1;

	memset(m, 0, sizeof(*m));
	v->serve_fn = vnet_serve;
	v->model = m;
	v->offered = 1ull << 32 | 1u << 16 | 1u << 15 | 1u << 5 | 1u;
	v->num_queues = 3;
	memcpy(v->devcfg, "\x52\x54\x00\x12\x34\x56", 6);
	memcpy(v->devcfg + 6, &up, 2);
	return m;
}

/* ---- virtio-vsock: the host side */

static void vsock_queue(struct fake_vsock *m, u32 src_port, u32 dst_port,
			u16 op, const char *data, u32 buf_alloc)
{
	u8 *p;
	u32 n = data ? (u32)strlen(data) : 0, v;
	u16 type = 1;

	if (m->nr_rx == FAKE_RX_MAX)
		return;
	p = m->rx[m->nr_rx];
	memset(p, 0, 44);
	put64(p, 2);
	put64(p + 8, m->bad_cid ? 99 : 3);
	memcpy(p + 16, &src_port, 4);
	memcpy(p + 20, &dst_port, 4);
	memcpy(p + 24, &n, 4);
	memcpy(p + 28, &type, 2);
	memcpy(p + 30, &op, 2);
	memcpy(p + 36, &buf_alloc, 4);
	v = m->host_fwd[src_port != 1234];	/* per stream */
	memcpy(p + 40, &v, 4);
	if (n)
		memcpy(p + 44, data, n);
	m->rx_len[m->nr_rx++] = 44 + n;
}

/* What the host does with a packet the guest sent. */
static void vsock_host(struct fake_vsock *m, const u8 *h, const u8 *data)
{
	u32 sport, dport, n, alloc = m->zero_credit ? 0 : 65536;
	u16 op;

	memcpy(&sport, h + 16, 4);
	memcpy(&dport, h + 20, 4);
	memcpy(&n, h + 24, 4);
	memcpy(&op, h + 30, 2);
	memcpy(&m->guest_buf_alloc, h + 36, 4);
	memcpy(&m->guest_fwd, h + 40, 4);
	m->ops[op < 8 ? op : 0]++;
	if (op == 1 && dport == 1234)
		vsock_queue(m, 1234, sport, m->refuse ? 3 : 2, NULL, alloc);
	if (op == 7)
		vsock_queue(m, dport, sport, 6, NULL, 4096);
	if (op == 5) {
		m->host_fwd[dport != 1234] += n;
		memcpy(m->got, data, n < sizeof(m->got) ? n : sizeof(m->got));
		m->got_len = n;
		if (dport == 1234)
			vsock_queue(m, 1234, sport, 5, "ping", 65536);
	}
	if (op == 4) {
		vsock_queue(m, dport, sport, 3, NULL, 65536);
		if (dport == 1234 && !m->no_connect)
			vsock_queue(m, 7777, 5000, 1, NULL, 65536);
	}
	if (op == 2 && dport == 7777)
		vsock_queue(m, 7777, 5000, 5, "sevm-host-hello", 65536);
}

static int vsock_serve(struct fake_virtio *v, u16 qi,
		       const struct fake_chain *c, u32 *len)
{
	struct fake_vsock *m = v->model;
	u32 i;

	*len = 0;
	if (qi == 1) {
		vsock_host(m, ptr(c->addr[0]),
			   c->n > 1 ? ptr(c->addr[1]) : NULL);
		fake_virtio_kick(v, 0);
		return 0;
	}
	if (qi != 0 || m->rx_next == m->nr_rx)
		return 1;
	i = m->rx_next++;
	memcpy(ptr(c->addr[0]), m->rx[i], m->rx_len[i]);
	*len = m->short_packet ? 20 : m->rx_len[i];
	return 0;
}

struct fake_vsock *fake_vsock_add(struct fake_virtio *v)
{
	struct fake_vsock *m = &vsock_model;

	memset(m, 0, sizeof(*m));
	v->serve_fn = vsock_serve;
	v->model = m;
	v->num_queues = 3;
	v->q[2].max = v->q[2].size = 8;
	put64(v->devcfg, 3);
	return m;
}
