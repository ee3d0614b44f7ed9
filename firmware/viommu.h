/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A polling virtio-iommu driver (virtio 1.2 §5.13) for the self test:
 * feature negotiation, the request queue (ATTACH, DETACH, MAP, UNMAP,
 * PROBE, one request at a time) and the event queue (fault records in
 * posted buffers). Endpoint IDs are PCI requester IDs (bus << 8 | devfn),
 * as QEMU's VIOT and sevm's describe them. The request encoders and the
 * fault and probe parsers are plain functions over bytes, and every
 * value the device writes is bounded before use.
 */
#ifndef SEVM_FIRMWARE_VIOMMU_H
#define SEVM_FIRMWARE_VIOMMU_H

#include "firmware/virtio.h"

#define VIRTIO_ID_IOMMU			23
#define VIOMMU_PCI_DEVICE		(VIRTIO_PCI_MODERN_BASE + VIRTIO_ID_IOMMU)

#define VIOMMU_F_INPUT_RANGE		(1ull << 0)
#define VIOMMU_F_DOMAIN_RANGE		(1ull << 1)
#define VIOMMU_F_MAP_UNMAP		(1ull << 2)
#define VIOMMU_F_BYPASS			(1ull << 3)
#define VIOMMU_F_PROBE			(1ull << 4)
#define VIOMMU_F_MMIO			(1ull << 5)
#define VIOMMU_F_BYPASS_CONFIG		(1ull << 6)
#define VIOMMU_FEATURES			(VIOMMU_F_INPUT_RANGE | \
					 VIOMMU_F_DOMAIN_RANGE | \
					 VIOMMU_F_MAP_UNMAP | VIOMMU_F_PROBE | \
					 VIOMMU_F_BYPASS_CONFIG)

/* Device configuration offsets */
#define VIOMMU_CFG_PAGE_SIZE_MASK	0
#define VIOMMU_CFG_INPUT_START		8
#define VIOMMU_CFG_INPUT_END		16
#define VIOMMU_CFG_DOMAIN_START		24
#define VIOMMU_CFG_DOMAIN_END		28
#define VIOMMU_CFG_PROBE_SIZE		32
#define VIOMMU_CFG_BYPASS		36

#define VIOMMU_T_ATTACH			1
#define VIOMMU_T_DETACH			2
#define VIOMMU_T_MAP			3
#define VIOMMU_T_UNMAP			4
#define VIOMMU_T_PROBE			5

#define VIOMMU_S_OK			0
#define VIOMMU_S_NR			9	/* statuses 0..8 are named */

#define VIOMMU_MAP_F_READ		1
#define VIOMMU_MAP_F_WRITE		2

#define VIOMMU_FAULT_R_UNKNOWN		0
#define VIOMMU_FAULT_R_DOMAIN		1
#define VIOMMU_FAULT_R_MAPPING		2
#define VIOMMU_FAULT_F_READ		1
#define VIOMMU_FAULT_F_WRITE		2
#define VIOMMU_FAULT_F_ADDRESS		0x100
#define VIOMMU_FAULT_LEN		24

#define VIOMMU_PROBE_T_NONE		0
#define VIOMMU_PROBE_T_RESV_MEM		1
#define VIOMMU_PROBE_HDR		4	/* le16 type, le16 length */
#define VIOMMU_PROBE_MAX		1024	/* props buffer we offer */

/* The driver's 4 KiB page: queues, one request, posted event buffers. */
#define VIOMMU_PAGE_REQQ		0
#define VIOMMU_PAGE_EVTQ		512
#define VIOMMU_PAGE_REQ			1024	/* device-readable part */
#define VIOMMU_PAGE_REQ_MAX		96
#define VIOMMU_PAGE_REPLY		1152	/* props + tail */
#define VIOMMU_PAGE_EVENTS		2304
#define VIOMMU_EVENT_BUFS		8
#define VIOMMU_EVENT_BUF		64

#define VIOMMU_EVENT_POLLS		4000

struct viommu_fault {
	u8 reason;
	u32 flags;
	u32 endpoint;
	u64 address;
};

/* What PROBE said about an endpoint. */
struct viommu_probe_info {
	u32 nr_props;
	u32 nr_resv;
	u64 resv_start[4], resv_end[4];	/* the first four reserved regions */
};

struct viommu {
	struct virtio_dev vd;
	struct virtio_queue req, evt;
	u8 *va;				/* the driver's page */
	u64 pa;				/* its guest-physical address */
	u64 page_mask;
	u64 in_start, in_end;		/* input (IOVA) range, inclusive */
	u32 dom_start, dom_end;		/* domain IDs, inclusive */
	u32 probe_size;
	u8 status;			/* of the last request */
	u32 events;			/* fault records read */
};

/* Encoders: the device-readable part of a request in buf; its length. */
u32 viommu_enc_attach(u8 *buf, u32 domain, u32 endpoint);
u32 viommu_enc_detach(u8 *buf, u32 domain, u32 endpoint);
u32 viommu_enc_map(u8 *buf, u32 domain, u64 iova, u64 gpa, u64 len,
		   u32 flags);
u32 viommu_enc_unmap(u8 *buf, u32 domain, u64 iova, u64 len);
u32 viommu_enc_probe(u8 *buf, u32 endpoint);
/* A fault record the device wrote (len bytes): 0, or -1 if too short. */
int viommu_fault_parse(const u8 *buf, u32 len, struct viommu_fault *f);
/* PROBE properties (len bytes): 0, or -1 if malformed. */
int viommu_probe_parse(const u8 *buf, u32 len, struct viommu_probe_info *p);
/* "ok", "ioerr", ... for status s; "?" beyond the named ones. */
const char *viommu_status_name(u8 s);

/*
 * Starts the device at f: features (VERSION_1 and MAP_UNMAP required;
 * INPUT_RANGE, DOMAIN_RANGE, PROBE, BYPASS_CONFIG accepted), both
 * queues in the page [va, va + 4 KiB) that the device reaches at pa,
 * event buffers posted, bypass written 0 and read back, DRIVER_OK.
 * 0, or -1 with m->vd.why.
 */
int viommu_init(struct viommu *m, const struct pci_func *f, u8 *va, u64 pa);
/* Requests: 0 when the device said OK; else -1 (m->status, vd.why). */
int viommu_attach(struct viommu *m, u32 domain, u32 endpoint);
int viommu_detach(struct viommu *m, u32 domain, u32 endpoint);
int viommu_map(struct viommu *m, u32 domain, u64 iova, u64 gpa, u64 len,
	       u32 flags);
int viommu_unmap(struct viommu *m, u32 domain, u64 iova, u64 len);
int viommu_probe(struct viommu *m, u32 endpoint,
		 struct viommu_probe_info *p);
/*
 * Polls the event queue up to polls times for one record: 1 with *f
 * (the buffer is posted again), 0 none, -1 a malformed record.
 */
int viommu_fault_next(struct viommu *m, struct viommu_fault *f, u32 polls);
/* Does [iova, iova + len) lie inside the input range? */
int viommu_iova_ok(const struct viommu *m, u64 iova, u64 len);

#endif /* SEVM_FIRMWARE_VIOMMU_H */
