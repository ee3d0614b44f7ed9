/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The transport-independent virtio device core (virtio 1.2): feature
 * negotiation and policy, the device status state machine, the queues,
 * ISR and config generation, the device configuration space, and the
 * whole common configuration register file (§4.1.4.3), so a transport
 * only forwards (offset, length) of its common-config window here.
 *
 * Feature policy: VERSION_1 and ACCESS_PLATFORM are always offered,
 * with INDIRECT_DESC and EVENT_IDX. FEATURES_OK is refused when the
 * driver accepted a feature that was not offered, did not accept
 * VERSION_1, or (SEV guests) did not accept ACCESS_PLATFORM.
 *
 * Locking: every entry point takes vdev->lock; the ops callbacks and the
 * transport's notify callback run with it held and must not call back
 * into these entry points. virtio_read_isr is lock-free.
 */
#ifndef SEVM_VIRTIO_H
#define SEVM_VIRTIO_H

#include <pthread.h>
#include <stdatomic.h>

#include <linux/virtio_config.h>
#include <linux/virtio_ids.h>
#include <linux/virtio_pci.h>

#include "devices/virtio/virtqueue.h"
#include "lib/util.h"

struct dma_as;
struct virtio_dev;

/* the common config through queue_reset (1.2) */
#define VIRTIO_COMMON_CFG_SIZE	0x3c
#define VIRTIO_ISR_QUEUE	0x1
#define VIRTIO_ISR_CONFIG	0x2
#define VIRTIO_QUEUE_MAX_DEFAULT 256

struct virtio_dev_ops {
	const char *name;
	u32 device_id;
	u64 features;		/* device-specific bits offered */
	u32 config_size;	/* bytes of device configuration */
	u16 num_queues;
	u16 queue_max;		/* largest queue size accepted */
	/* [off, off + len) of the device config, bounds already checked */
	void (*cfg_read)(struct virtio_dev *vdev, u32 off, void *buf,
			 u32 len);
	void (*cfg_write)(struct virtio_dev *vdev, u32 off, const void *buf,
			  u32 len);
	int (*start)(struct virtio_dev *vdev);	/* DRIVER_OK; < 0 fails */
	void (*queue_notify)(struct virtio_dev *vdev, u16 q);
	void (*reset)(struct virtio_dev *vdev);	/* the driver's reset */
	void (*free)(struct virtio_dev *vdev);
};

/* Raise interrupt vector (VIRTIO_MSI_NO_VECTOR: the transport's INTx). */
typedef void (*virtio_notify_fn)(struct virtio_dev *vdev, u16 vector,
				 void *opaque);

struct virtio_dev {
	const struct virtio_dev_ops *ops;
	void *priv;			/* the device's state */
	struct dma_as *as;
	bool sev;			/* SEV guest: ACCESS_PLATFORM needed */
	pthread_mutex_t lock;
	u64 host_features;		/* offered */
	u64 guest_features;		/* accepted by the driver */
	u32 dfselect, gfselect;
	u8 status;
	u8 config_generation;
	atomic_uchar isr;
	u16 config_vector;
	u16 msix_vectors;		/* table size; 0: no vector check */
	u16 queue_select;
	u16 num_queues;
	struct virtq *vqs;
	virtio_notify_fn notify;
	void *notify_opaque;
	bool warned;			/* one refusal message per device */
};

int virtio_dev_init(struct virtio_dev *vdev, const struct virtio_dev_ops *ops,
		    void *priv, struct dma_as *as, bool sev) __must_check;
void virtio_dev_set_notify(struct virtio_dev *vdev, virtio_notify_fn fn,
			   void *opaque, u16 msix_vectors);
/* ops->free, then the queues. */
void virtio_dev_free(struct virtio_dev *vdev);

/*
 * The common configuration structure: natural-width accesses only
 * (64-bit queue addresses also as two 32-bit halves). Anything else
 * reads as zeros, is not written, and returns -EINVAL.
 */
int virtio_read_common(struct virtio_dev *vdev, u32 off, void *buf,
		       u32 len);
int virtio_write_common(struct virtio_dev *vdev, u32 off, const void *buf,
			u32 len);
/* Device configuration; out of bounds: zeros / ignored, -EINVAL. */
int virtio_read_config(struct virtio_dev *vdev, u32 off, void *buf,
		       u32 len);
int virtio_write_config(struct virtio_dev *vdev, u32 off, const void *buf,
			u32 len);
/* The ISR status byte; reading clears it. */
u8 virtio_read_isr(struct virtio_dev *vdev);
/* The driver notified queue q (the transport's ioeventfd, I/O thread). */
void virtio_queue_notify(struct virtio_dev *vdev, u16 q);

/* For devices, with vdev->lock held (inside the ops callbacks): */
bool virtio_running(const struct virtio_dev *vdev);
bool virtio_has_feature(const struct virtio_dev *vdev, unsigned int bit);
/* Interrupt for queue q if vq_should_notify says so. */
void virtio_queue_interrupt(struct virtio_dev *vdev, u16 q);
/* The device config changed: new generation, config interrupt. */
void virtio_config_changed(struct virtio_dev *vdev);
/* A malformed ring on queue q: DEVICE_NEEDS_RESET, config interrupt. */
void virtio_set_needs_reset(struct virtio_dev *vdev, u16 q, int err);
/* Entry point for devices not called from ops: lock / unlock. */
void virtio_lock(struct virtio_dev *vdev);
void virtio_unlock(struct virtio_dev *vdev);

#endif /* SEVM_VIRTIO_H */
