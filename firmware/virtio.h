/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The virtio-pci modern transport (virtio 1.2 §4.1) for a polling
 * driver: vendor capabilities, status and feature negotiation, split
 * queues with MSI-X vectors set to VIRTIO_NO_VECTOR, notification through
 * the notify capability, completion by polling the used ring. The
 * capabilities and every device register value are bounded before use.
 */
#ifndef SEVM_FIRMWARE_VIRTIO_H
#define SEVM_FIRMWARE_VIRTIO_H

#include "firmware/pci.h"
#include "firmware/virtq.h"

#define VIRTIO_PCI_VENDOR	0x1af4
#define VIRTIO_PCI_MODERN_BASE	0x1040	/* + virtio device ID */

/* cfg_type of a virtio vendor capability */
#define VIRTIO_PCI_CAP_COMMON	1
#define VIRTIO_PCI_CAP_NOTIFY	2
#define VIRTIO_PCI_CAP_ISR	3
#define VIRTIO_PCI_CAP_DEVICE	4
#define VIRTIO_PCI_CAP_PCI	5
#define VIRTIO_PCI_CAP_LEN	16	/* the notify capability has 20 */
#define VIRTIO_PCI_NOTIFY_CAP_LEN 20

/* Common configuration registers (offsets in the common region) */
#define VIRTIO_COMMON_DFSELECT	0x00
#define VIRTIO_COMMON_DF	0x04
#define VIRTIO_COMMON_GFSELECT	0x08
#define VIRTIO_COMMON_GF	0x0c
#define VIRTIO_COMMON_MSIX	0x10
#define VIRTIO_COMMON_NUMQ	0x12
#define VIRTIO_COMMON_STATUS	0x14
#define VIRTIO_COMMON_CFGGEN	0x15
#define VIRTIO_COMMON_Q_SELECT	0x16
#define VIRTIO_COMMON_Q_SIZE	0x18
#define VIRTIO_COMMON_Q_MSIX	0x1a
#define VIRTIO_COMMON_Q_ENABLE	0x1c
#define VIRTIO_COMMON_Q_NOFF	0x1e
#define VIRTIO_COMMON_Q_DESC	0x20	/* lo, hi */
#define VIRTIO_COMMON_Q_AVAIL	0x28
#define VIRTIO_COMMON_Q_USED	0x30
#define VIRTIO_COMMON_SIZE	0x38

#define VIRTIO_STATUS_ACK	0x01
#define VIRTIO_STATUS_DRIVER	0x02
#define VIRTIO_STATUS_DRIVER_OK	0x04
#define VIRTIO_STATUS_FEATURES_OK 0x08
#define VIRTIO_STATUS_NEEDS_RESET 0x40
#define VIRTIO_STATUS_FAILED	0x80

#define VIRTIO_F_VERSION_1	(1ull << 32)
#define VIRTIO_F_ACCESS_PLATFORM (1ull << 33)
/* The only features this driver accepts (no device-specific ones). */
#define VIRTIO_DRIVER_FEATURES	(VIRTIO_F_VERSION_1 | VIRTIO_F_ACCESS_PLATFORM)
#define VIRTIO_NO_VECTOR	0xffff

#define VIRTIO_RESET_POLLS	100000
#define VIRTIO_REQUEST_POLLS	2000000
#define VIRTIO_TIMEOUT		(-2)	/* virtio_request_polls: no answer */
#define VIRTIO_STATUS_POLLS	1024	/* polls between NEEDS_RESET checks */

struct virtio_region {
	u64 addr;		/* 0: capability absent */
	u32 len;
};

struct virtio_dev {
	const struct pci_func *pci;
	struct virtio_region common, notify, isr, device;
	u32 notify_mul;		/* notify_off_multiplier */
	int has_pci_cfg;	/* a PCI configuration access capability */
	u64 features;		/* negotiated */
	const char *why;	/* what failed, for the report line */
};

struct virtio_queue {
	struct virtq vq;
	u16 index;
	u64 notify;		/* where the queue index is written */
};

/*
 * Finds the first usable capability of each type: its BAR must be an
 * assigned memory BAR holding the whole region, and the common and
 * notify regions must be there. 0, or -1 with vd->why.
 */
int virtio_find_caps(struct virtio_dev *vd, const struct pci_func *f);
/*
 * Reset, ACKNOWLEDGE, DRIVER, feature negotiation (VERSION_1 required;
 * ACCESS_PLATFORM accepted when offered), FEATURES_OK checked.
 */
int virtio_start(struct virtio_dev *vd);
/* The same, also accepting the device-specific features in the mask. */
int virtio_start_features(struct virtio_dev *vd, u64 device_features);
/* Sets queue index up in [va, va + layout size), device address pa. */
int virtio_queue_setup(struct virtio_dev *vd, struct virtio_queue *q,
		       u16 index, void *va, u64 pa);
int virtio_driver_ok(struct virtio_dev *vd);
/* One request: publish, notify, poll; *len = bytes the device wrote. */
int virtio_request(struct virtio_dev *vd, struct virtio_queue *q,
		   const struct virtq_buf *b, u16 n, u32 *len);
/*
 * The same with a poll budget: 0, -1 (vd->why), or VIRTIO_TIMEOUT when
 * the device did not answer within polls or set DEVICE_NEEDS_RESET
 * (checked every VIRTIO_STATUS_POLLS polls); the request stays in flight.
 */
int virtio_request_polls(struct virtio_dev *vd, struct virtio_queue *q,
			 const struct virtq_buf *b, u16 n, u32 *len,
			 u32 polls);
/* Writes the queue index to its notify address. */
void virtio_notify(struct virtio_queue *q);
/* Does the status say DEVICE_NEEDS_RESET? */
int virtio_needs_reset(struct virtio_dev *vd);
/* 0 when the device acknowledged the reset, else -1 with vd->why. */
int virtio_reset(struct virtio_dev *vd);
/*
 * Device-specific configuration, read consistently (config_generation);
 * off + 8 must be inside the device region (checked: -1 with vd->why).
 */
int virtio_cfg_read64(struct virtio_dev *vd, u32 off, u64 *v);
/* One field of width 1, 2, 4 or 8 bytes, the same way. */
int virtio_cfg_read(struct virtio_dev *vd, u32 off, u32 width, u64 *v);
int virtio_cfg_write8(struct virtio_dev *vd, u32 off, u8 v);

#endif /* SEVM_FIRMWARE_VIRTIO_H */
