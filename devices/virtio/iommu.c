// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio-iommu, the device (see iommu.h): configuration space, the
 * request parser and the event queue. A request is a chain whose
 * readable bytes start with the head (u8 type, 3 reserved) and the
 * request's fields, and whose last 4 writable bytes are the tail (u8
 * status, 3 reserved); PROBE writes its properties before the tail.
 * Everything is copied out of guest memory before it is checked.
 */
#include <endian.h>
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "devices/virtio/iommu.h"
#include "lib/log.h"

#define TAIL_SIZE	sizeof(struct virtio_iommu_req_tail)
#define REQ_MAX		(sizeof(struct virtio_iommu_req_probe))
#define PAYLOAD(t)	(sizeof(t) - TAIL_SIZE)
#define BYPASS_OFF	offsetof(struct virtio_iommu_config, bypass)

_Static_assert(sizeof(struct virtio_iommu_config) == 40, "config size");
_Static_assert(sizeof(struct virtio_iommu_fault) == 24, "fault size");
_Static_assert(REQ_MAX == 72, "probe request size");

static bool all_zero(const u8 *p, size_t n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

static u8 req_attach(struct viommu *v, const void *buf)
{
	const struct virtio_iommu_req_attach *r = buf;

	if (!all_zero(r->reserved, sizeof(r->reserved)))
		return VIRTIO_IOMMU_S_INVAL;
	return viommu_attach(v, le32toh(r->domain), le32toh(r->endpoint),
			     le32toh(r->flags));
}

static u8 req_detach(struct viommu *v, const void *buf)
{
	const struct virtio_iommu_req_detach *r = buf;

	if (!all_zero(r->reserved, sizeof(r->reserved)))
		return VIRTIO_IOMMU_S_INVAL;
	return viommu_detach(v, le32toh(r->domain), le32toh(r->endpoint));
}

static u8 req_map(struct viommu *v, const void *buf)
{
	const struct virtio_iommu_req_map *r = buf;

	return viommu_map(v, le32toh(r->domain), le64toh(r->virt_start),
			  le64toh(r->virt_end), le64toh(r->phys_start),
			  le32toh(r->flags));
}

static u8 req_unmap(struct viommu *v, const void *buf)
{
	const struct virtio_iommu_req_unmap *r = buf;

	if (!all_zero(r->reserved, sizeof(r->reserved)))
		return VIRTIO_IOMMU_S_INVAL;
	return viommu_unmap(v, le32toh(r->domain), le64toh(r->virt_start),
			    le64toh(r->virt_end));
}

/* The properties of an endpoint: the MSI doorbells, then NONE (zeros). */
static void probe_fill(u8 *props)
{
	struct virtio_iommu_probe_resv_mem m = {
		.head.type = htole16(VIRTIO_IOMMU_PROBE_T_RESV_MEM),
		.head.length = htole16(sizeof(m) - sizeof(m.head)),
		.subtype = VIRTIO_IOMMU_RESV_MEM_T_MSI,
		.start = htole64(VIOMMU_MSI_START),
		.end = htole64(VIOMMU_MSI_END),
	};

	memset(props, 0, VIOMMU_PROBE_SIZE);
	memcpy(props, &m, sizeof(m));
}

/* PROBE: the properties fill the writable bytes before the tail. */
static u8 req_probe(struct viommu *v, const struct vq_elem *e,
		    const void *buf, u32 *written)
{
	const struct virtio_iommu_req_probe *r = buf;
	u32 ep = le32toh(r->endpoint);
	u8 props[VIOMMU_PROBE_SIZE];

	if (!all_zero(r->reserved, sizeof(r->reserved)))
		return VIRTIO_IOMMU_S_INVAL;
	if (e->wr_len - TAIL_SIZE < VIOMMU_PROBE_SIZE)
		return VIRTIO_IOMMU_S_INVAL;
	if (ep >= VIOMMU_MAX_ENDPOINTS || !v->eps[ep].exists)
		return VIRTIO_IOMMU_S_NOENT;
	probe_fill(props);
	if (vq_elem_write(e, 0, props, sizeof(props)) != sizeof(props))
		return VIRTIO_IOMMU_S_DEVERR;
	*written = sizeof(props);
	return VIRTIO_IOMMU_S_OK;
}

static size_t req_payload(u8 type)
{
	switch (type) {
	case VIRTIO_IOMMU_T_ATTACH:
		return PAYLOAD(struct virtio_iommu_req_attach);
	case VIRTIO_IOMMU_T_DETACH:
		return PAYLOAD(struct virtio_iommu_req_detach);
	case VIRTIO_IOMMU_T_MAP:
		return PAYLOAD(struct virtio_iommu_req_map);
	case VIRTIO_IOMMU_T_UNMAP:
		return PAYLOAD(struct virtio_iommu_req_unmap);
	case VIRTIO_IOMMU_T_PROBE:	/* the tail follows the properties */
		return sizeof(struct virtio_iommu_req_probe);
	}
	return 0;
}

/* The state-changing requests, under the write lock. */
static u8 req_locked(struct viommu *v, u8 type, const void *buf)
{
	u8 st = VIRTIO_IOMMU_S_UNSUPP;

	viommu_write_lock(v);
	if (type == VIRTIO_IOMMU_T_ATTACH)
		st = req_attach(v, buf);
	else if (type == VIRTIO_IOMMU_T_DETACH)
		st = req_detach(v, buf);
	else if (type == VIRTIO_IOMMU_T_MAP)
		st = req_map(v, buf);
	else if (type == VIRTIO_IOMMU_T_UNMAP)
		st = req_unmap(v, buf);
	viommu_write_unlock(v);
	return st;
}

static u8 req_execute(struct viommu *v, const struct vq_elem *e,
		      u32 *written)
{
	u8 buf[REQ_MAX] = { 0 };
	size_t want;

	if (vq_elem_read(e, 0, buf, 1) != 1)
		return VIRTIO_IOMMU_S_INVAL;	/* not even a type */
	want = req_payload(buf[0]);
	if (!want)
		return VIRTIO_IOMMU_S_UNSUPP;
	if (e->rd_len < want || vq_elem_read(e, 0, buf, want) != want)
		return VIRTIO_IOMMU_S_INVAL;
	if (buf[0] == VIRTIO_IOMMU_T_PROBE)
		return req_probe(v, e, buf, written);
	return req_locked(v, buf[0], buf);
}

int viommu_request(struct viommu *v, const struct vq_elem *e, u32 *len)
{
	struct virtio_iommu_req_tail tail = { 0 };
	u32 written = 0;

	if (e->wr_len < TAIL_SIZE || e->wr_len > UINT32_MAX)
		return -EPROTO;		/* nowhere to put the status */
	tail.status = req_execute(v, e, &written);
	if (vq_elem_write(e, e->wr_len - TAIL_SIZE, &tail, TAIL_SIZE) !=
	    TAIL_SIZE)
		return -EPROTO;
	*len = written + TAIL_SIZE;
	return 0;
}

/* ---- the event queue */

static void report_locked(struct viommu *v, const struct virtio_iommu_fault *f)
{
	struct virtio_dev *vdev = v->vdev;
	struct virtq *vq = &vdev->vqs[VIOMMU_EVENT_Q];
	u32 n = 0;
	int r;

	if (!virtio_running(vdev) || !vq->enabled) {
		v->dropped++;
		return;
	}
	r = vq_pop(vq, &v->ev);
	if (r == 1) {
		if (!v->ev.refused && v->ev.wr_len >= sizeof(*f))
			n = (u32)vq_elem_write(&v->ev, 0, f, sizeof(*f));
		r = vq_push(vq, v->ev.head, n);
	}
	if (n == sizeof(*f))
		v->events++;
	else
		v->dropped++;	/* no buffer, or one too small */
	if (r < 0)
		virtio_set_needs_reset(vdev, VIOMMU_EVENT_Q, r);
	virtio_queue_interrupt(vdev, VIOMMU_EVENT_Q);
}

void viommu_report(struct viommu *v, u8 reason, u32 flags, u32 ep, u64 addr)
{
	struct virtio_iommu_fault f = {
		.reason = reason,
		.flags = htole32(flags),
		.endpoint = htole32(ep),
		.address = htole64(addr),
	};

	if (!v->vdev) {
		v->dropped++;
		return;
	}
	virtio_lock(v->vdev);
	report_locked(v, &f);
	virtio_unlock(v->vdev);
}

/* ---- virtio ops */

static void viommu_queue_notify(struct virtio_dev *vdev, u16 q)
{
	struct viommu *v = vdev->priv;
	struct virtq *vq = &vdev->vqs[q];
	u32 len = 0;
	int r;

	if (q != VIOMMU_REQ_Q)
		return;		/* event buffers wait for faults */
	while ((r = vq_pop(vq, &v->req)) == 1) {
		r = v->req.refused ? -EFAULT : viommu_request(v, &v->req, &len);
		if (!r)
			r = vq_push(vq, v->req.head, len);
		if (r)
			break;
	}
	if (r < 0)
		virtio_set_needs_reset(vdev, q, r);
	virtio_queue_interrupt(vdev, q);
}

static void viommu_cfg_read(struct virtio_dev *vdev, u32 off, void *buf,
			    u32 len)
{
	struct viommu *v = vdev->priv;
	struct virtio_iommu_config c = {
		.page_size_mask = htole64(~(VIOMMU_PAGE_SIZE - 1)),
		.input_range.start = 0,
		.input_range.end = htole64(~0ULL),
		.domain_range.start = 0,
		.domain_range.end = htole32(~0U),
		.probe_size = htole32(VIOMMU_PROBE_SIZE),
		.bypass = atomic_load(&v->bypass),
	};

	memcpy(buf, (u8 *)&c + off, len);
}

/* Only the bypass byte is writable, once BYPASS_CONFIG is accepted. */
static void viommu_cfg_write(struct virtio_dev *vdev, u32 off,
			     const void *buf, u32 len)
{
	struct viommu *v = vdev->priv;

	if (!virtio_has_feature(vdev, VIRTIO_IOMMU_F_BYPASS_CONFIG))
		return;
	if (off > BYPASS_OFF || off + len <= BYPASS_OFF)
		return;
	viommu_set_bypass(v, ((const u8 *)buf)[BYPASS_OFF - off] != 0);
}

static void viommu_reset(struct virtio_dev *vdev)
{
	viommu_state_reset(vdev->priv);
}

static void viommu_free(struct virtio_dev *vdev)
{
	struct viommu *v = vdev->priv;

	viommu_state_free(v);
	free(v);
}

const struct virtio_dev_ops virtio_iommu_ops = {
	.name		= "virtio-iommu",
	.device_id	= VIRTIO_ID_IOMMU,
	.features	= 1ULL << VIRTIO_IOMMU_F_INPUT_RANGE |
			  1ULL << VIRTIO_IOMMU_F_DOMAIN_RANGE |
			  1ULL << VIRTIO_IOMMU_F_MAP_UNMAP |
			  1ULL << VIRTIO_IOMMU_F_BYPASS_CONFIG |
			  1ULL << VIRTIO_IOMMU_F_PROBE,
	.config_size	= sizeof(struct virtio_iommu_config),
	.num_queues	= 2,
	.queue_max	= VIOMMU_QUEUE_MAX,
	.cfg_read	= viommu_cfg_read,
	.cfg_write	= viommu_cfg_write,
	.queue_notify	= viommu_queue_notify,
	.reset		= viommu_reset,
	.free		= viommu_free,
};

int virtio_iommu_init(struct virtio_dev *vdev, struct dma_as *as, bool sev,
		      bool bypass, struct viommu **out)
{
	struct viommu *v = calloc(1, sizeof(*v));
	int r;

	if (!v)
		return -ENOMEM;
	r = viommu_state_init(v, bypass);
	if (r) {
		free(v);
		return r;
	}
	v->vdev = vdev;
	r = virtio_dev_init(vdev, &virtio_iommu_ops, v, as, sev);
	if (r) {
		viommu_state_free(v);
		free(v);
		return r;
	}
	*out = v;
	return 0;
}
