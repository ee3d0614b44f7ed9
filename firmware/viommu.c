// SPDX-License-Identifier: GPL-2.0-only
/* The virtio-iommu driver: requests, fault events, PROBE properties. */
#include "firmware/hw.h"
#include "firmware/viommu.h"

#define REQ_TAIL	4	/* u8 status, u8 reserved[3] */
#define PROBE_RESV_LEN	20	/* subtype, reserved[3], le64 start, end */

static int fail(struct viommu *m, const char *why)
{
	m->vd.why = why;
	return -1;
}

static void put64(u8 *p, u64 v)
{
	fw_put_le32(p, (u32)v);
	fw_put_le32(p + 4, (u32)(v >> 32));
}

static u64 get64(const u8 *p)
{
	return fw_le32(p) | (u64)fw_le32(p + 4) << 32;
}

static void head(u8 *buf, u8 type, u32 len)
{
	fw_memset(buf, 0, len);
	buf[0] = type;
}

u32 viommu_enc_attach(u8 *buf, u32 domain, u32 endpoint)
{
	head(buf, VIOMMU_T_ATTACH, 20);
	fw_put_le32(buf + 4, domain);
	fw_put_le32(buf + 8, endpoint);
	return 20;			/* flags 0, reserved[4] */
}

u32 viommu_enc_detach(u8 *buf, u32 domain, u32 endpoint)
{
	head(buf, VIOMMU_T_DETACH, 20);
	fw_put_le32(buf + 4, domain);
	fw_put_le32(buf + 8, endpoint);
	return 20;			/* reserved[8] */
}

u32 viommu_enc_map(u8 *buf, u32 domain, u64 iova, u64 gpa, u64 len,
		   u32 flags)
{
	head(buf, VIOMMU_T_MAP, 36);
	fw_put_le32(buf + 4, domain);
	put64(buf + 8, iova);
	put64(buf + 16, iova + len - 1);	/* inclusive */
	put64(buf + 24, gpa);
	fw_put_le32(buf + 32, flags);
	return 36;
}

u32 viommu_enc_unmap(u8 *buf, u32 domain, u64 iova, u64 len)
{
	head(buf, VIOMMU_T_UNMAP, 28);
	fw_put_le32(buf + 4, domain);
	put64(buf + 8, iova);
	put64(buf + 16, iova + len - 1);
	return 28;			/* reserved[4] */
}

u32 viommu_enc_probe(u8 *buf, u32 endpoint)
{
	head(buf, VIOMMU_T_PROBE, 72);
	fw_put_le32(buf + 4, endpoint);
	return 72;			/* reserved[64] */
}

int viommu_fault_parse(const u8 *buf, u32 len, struct viommu_fault *f)
{
	if (len < VIOMMU_FAULT_LEN)
		return -1;
	f->reason = buf[0];
	f->flags = fw_le32(buf + 4);
	f->endpoint = fw_le32(buf + 8);
	f->address = get64(buf + 16);
	return 0;
}

static void probe_resv(const u8 *v, u32 vlen, struct viommu_probe_info *p)
{
	if (vlen < PROBE_RESV_LEN)
		return;
	if (p->nr_resv < ARRAY_SIZE(p->resv_start)) {
		p->resv_start[p->nr_resv] = get64(v + 4);
		p->resv_end[p->nr_resv] = get64(v + 12);
	}
	p->nr_resv++;
}

int viommu_probe_parse(const u8 *buf, u32 len, struct viommu_probe_info *p)
{
	u32 off = 0, type, plen;

	*p = (struct viommu_probe_info){ 0 };
	while (off + VIOMMU_PROBE_HDR <= len) {
		type = fw_le16(buf + off) & 0xfff;
		plen = fw_le16(buf + off + 2);
		if (type == VIOMMU_PROBE_T_NONE)
			return 0;
		if (plen > len - off - VIOMMU_PROBE_HDR)
			return -1;
		if (type == VIOMMU_PROBE_T_RESV_MEM)
			probe_resv(buf + off + VIOMMU_PROBE_HDR, plen, p);
		p->nr_props++;
		off += VIOMMU_PROBE_HDR + plen;
	}
	return 0;
}

const char *viommu_status_name(u8 s)
{
	static const char *const names[VIOMMU_S_NR] = {
		"ok", "ioerr", "unsupp", "deverr", "inval", "range",
		"noent", "fault", "nomem",
	};

	return s < VIOMMU_S_NR ? names[s] : "?";
}

/* Sends the request in the page (rlen bytes) with a reply of wlen. */
static int request(struct viommu *m, u32 rlen, u32 wlen)
{
	u8 *reply = m->va + VIOMMU_PAGE_REPLY;
	const struct virtq_buf b[2] = {
		{ m->pa + VIOMMU_PAGE_REQ, rlen, 0 },
		{ m->pa + VIOMMU_PAGE_REPLY, wlen, 1 },
	};
	u32 len;

	fw_memset(reply, 0xff, wlen);
	m->status = 0xff;
	if (virtio_request(&m->vd, &m->req, b, 2, &len))
		return -1;
	m->status = reply[wlen - REQ_TAIL];
	if (m->status != VIOMMU_S_OK)
		return fail(m, "request refused");
	return 0;
}

int viommu_attach(struct viommu *m, u32 domain, u32 endpoint)
{
	return request(m, viommu_enc_attach(m->va + VIOMMU_PAGE_REQ, domain,
					    endpoint), REQ_TAIL);
}

int viommu_detach(struct viommu *m, u32 domain, u32 endpoint)
{
	return request(m, viommu_enc_detach(m->va + VIOMMU_PAGE_REQ, domain,
					    endpoint), REQ_TAIL);
}

int viommu_map(struct viommu *m, u32 domain, u64 iova, u64 gpa, u64 len,
	       u32 flags)
{
	if (!len || !viommu_iova_ok(m, iova, len))
		return fail(m, "IOVA range outside the input range");
	return request(m, viommu_enc_map(m->va + VIOMMU_PAGE_REQ, domain,
					 iova, gpa, len, flags), REQ_TAIL);
}

int viommu_unmap(struct viommu *m, u32 domain, u64 iova, u64 len)
{
	return request(m, viommu_enc_unmap(m->va + VIOMMU_PAGE_REQ, domain,
					   iova, len), REQ_TAIL);
}

int viommu_probe(struct viommu *m, u32 endpoint,
		 struct viommu_probe_info *p)
{
	u32 n = m->probe_size;

	*p = (struct viommu_probe_info){ 0 };
	if (!(m->vd.features & VIOMMU_F_PROBE) || !n)
		return 0;
	if (n > VIOMMU_PROBE_MAX)
		return fail(m, "probe_size larger than the firmware offers");
	if (request(m, viommu_enc_probe(m->va + VIOMMU_PAGE_REQ, endpoint),
		    n + REQ_TAIL))
		return -1;
	if (viommu_probe_parse(m->va + VIOMMU_PAGE_REPLY, n, p))
		return fail(m, "malformed PROBE properties");
	return 0;
}

int viommu_iova_ok(const struct viommu *m, u64 iova, u64 len)
{
	u64 last = iova + len - 1;

	return len && last >= iova && iova >= m->in_start &&
	       last <= m->in_end;
}

int viommu_fault_next(struct viommu *m, struct viommu_fault *f, u32 polls)
{
	u32 i, len;
	u16 id;
	int r;

	for (i = 0; i < polls; i++) {
		r = virtq_take(&m->evt.vq, &id, &len);
		if (r < 0 || (r > 0 && id >= VIOMMU_EVENT_BUFS))
			return fail(m, "event queue returned a wrong id");
		if (r > 0) {
			r = viommu_fault_parse(m->va + VIOMMU_PAGE_EVENTS +
					       id * VIOMMU_EVENT_BUF,
					       len > VIOMMU_EVENT_BUF ?
					       VIOMMU_EVENT_BUF : len, f);
			virtq_post(&m->evt.vq, id, m->pa + VIOMMU_PAGE_EVENTS +
				   id * VIOMMU_EVENT_BUF, VIOMMU_EVENT_BUF);
			virtio_notify(&m->evt);
			if (r)
				return fail(m, "short fault record");
			m->events++;
			return 1;
		}
		cpu_relax();
	}
	return 0;
}

/* Ranges and sizes from the device configuration, checked. */
static int read_config(struct viommu *m)
{
	struct virtio_dev *vd = &m->vd;
	u64 v = 0;

	if (virtio_cfg_read(vd, VIOMMU_CFG_PAGE_SIZE_MASK, 8, &m->page_mask))
		return -1;
	if (!(m->page_mask & 0x1fff) || (m->page_mask & -m->page_mask) > 4096)
		return fail(m, "no page size of 4 KiB or less");
	m->in_end = ~0ull;
	if ((vd->features & VIOMMU_F_INPUT_RANGE) &&
	    (virtio_cfg_read(vd, VIOMMU_CFG_INPUT_START, 8, &m->in_start) ||
	     virtio_cfg_read(vd, VIOMMU_CFG_INPUT_END, 8, &m->in_end)))
		return -1;
	m->dom_end = ~0u;
	if (vd->features & VIOMMU_F_DOMAIN_RANGE) {
		if (virtio_cfg_read(vd, VIOMMU_CFG_DOMAIN_START, 4, &v))
			return -1;
		m->dom_start = (u32)v;
		if (virtio_cfg_read(vd, VIOMMU_CFG_DOMAIN_END, 4, &v))
			return -1;
		m->dom_end = (u32)v;
	}
	if ((vd->features & VIOMMU_F_PROBE) &&
	    virtio_cfg_read(vd, VIOMMU_CFG_PROBE_SIZE, 4, &v))
		return -1;
	m->probe_size = (vd->features & VIOMMU_F_PROBE) ? (u32)v : 0;
	if (m->in_start > m->in_end || m->dom_start > m->dom_end)
		return fail(m, "empty input or domain range");
	return 0;
}

/* Bypass off: unattached endpoints get no access at all. */
static int bypass_off(struct viommu *m)
{
	u64 v;

	if (!(m->vd.features & VIOMMU_F_BYPASS_CONFIG))
		return 0;
	if (virtio_cfg_write8(&m->vd, VIOMMU_CFG_BYPASS, 0) ||
	    virtio_cfg_read(&m->vd, VIOMMU_CFG_BYPASS, 1, &v))
		return -1;
	return v ? fail(m, "bypass stays on after writing 0") : 0;
}

static int queues(struct viommu *m)
{
	u16 i;

	if (virtio_queue_setup(&m->vd, &m->req, 0, m->va + VIOMMU_PAGE_REQQ,
			       m->pa + VIOMMU_PAGE_REQQ) ||
	    virtio_queue_setup(&m->vd, &m->evt, 1, m->va + VIOMMU_PAGE_EVTQ,
			       m->pa + VIOMMU_PAGE_EVTQ))
		return -1;
	for (i = 0; i < VIOMMU_EVENT_BUFS && i < m->evt.vq.size; i++)
		virtq_post(&m->evt.vq, i, m->pa + VIOMMU_PAGE_EVENTS +
			   i * VIOMMU_EVENT_BUF, VIOMMU_EVENT_BUF);
	return 0;
}

int viommu_init(struct viommu *m, const struct pci_func *f, u8 *va, u64 pa)
{
	u32 cmd = pci_read32(f->bdf, PCI_COMMAND) & 0xffff;

	*m = (struct viommu){ .va = va, .pa = pa };
	pci_write32(f->bdf, PCI_COMMAND, cmd | PCI_CMD_MASTER);
	if (virtio_find_caps(&m->vd, f) ||
	    virtio_start_features(&m->vd, VIOMMU_FEATURES))
		return -1;
	if (!(m->vd.features & VIOMMU_F_MAP_UNMAP))
		return fail(m, "VIRTIO_IOMMU_F_MAP_UNMAP not offered");
	if (read_config(m) || queues(m) || bypass_off(m) ||
	    virtio_driver_ok(&m->vd))
		return -1;
	virtio_notify(&m->evt);
	return 0;
}
