// SPDX-License-Identifier: GPL-2.0-only
/*
 * The virtio device core (see virtio.h): the common configuration
 * register file, feature policy, status state machine and interrupts.
 */
#include <endian.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "devices/virtio/virtio.h"
#include "lib/log.h"

#define BIT64(n)	(1ULL << (n))
#define CORE_FEATURES	(BIT64(VIRTIO_F_VERSION_1) | \
			 BIT64(VIRTIO_F_ACCESS_PLATFORM) | \
			 BIT64(VIRTIO_F_INDIRECT_DESC) | \
			 BIT64(VIRTIO_F_EVENT_IDX))

int virtio_dev_init(struct virtio_dev *vdev, const struct virtio_dev_ops *ops,
		    void *priv, struct dma_as *as, bool sev)
{
	u16 i, max = ops->queue_max ? ops->queue_max : VIRTIO_QUEUE_MAX_DEFAULT;

	if (!ops->num_queues || (max & (max - 1)) || max > VIRTQ_MAX_SIZE) {
		pr_err("virtio %s: init: %u queues of at most %u entries: "
		       "invalid", ops->name, ops->num_queues, max);
		return -EINVAL;
	}
	memset(vdev, 0, sizeof(*vdev));
	vdev->vqs = calloc(ops->num_queues, sizeof(*vdev->vqs));
	if (!vdev->vqs)
		return -ENOMEM;
	pthread_mutex_init(&vdev->lock, NULL);
	vdev->ops = ops;
	vdev->priv = priv;
	vdev->as = as;
	vdev->sev = sev;
	vdev->host_features = (ops->features & ~CORE_FEATURES) | CORE_FEATURES;
	vdev->num_queues = ops->num_queues;
	vdev->config_vector = VIRTIO_MSI_NO_VECTOR;
	for (i = 0; i < vdev->num_queues; i++)
		vq_init(&vdev->vqs[i], as, max);
	return 0;
}

void virtio_dev_set_notify(struct virtio_dev *vdev, virtio_notify_fn fn,
			   void *opaque, u16 msix_vectors)
{
	vdev->notify = fn;
	vdev->notify_opaque = opaque;
	vdev->msix_vectors = msix_vectors;
}

void virtio_dev_free(struct virtio_dev *vdev)
{
	if (!vdev->vqs)
		return;
	if (vdev->ops->free)
		vdev->ops->free(vdev);
	free(vdev->vqs);
	vdev->vqs = NULL;
	pthread_mutex_destroy(&vdev->lock);
}

void virtio_lock(struct virtio_dev *vdev)
{
	pthread_mutex_lock(&vdev->lock);
}

void virtio_unlock(struct virtio_dev *vdev)
{
	pthread_mutex_unlock(&vdev->lock);
}

bool virtio_running(const struct virtio_dev *vdev)
{
	return (vdev->status & VIRTIO_CONFIG_S_DRIVER_OK) &&
	       !(vdev->status & VIRTIO_CONFIG_S_NEEDS_RESET);
}

bool virtio_has_feature(const struct virtio_dev *vdev, unsigned int bit)
{
	return bit < 64 && (vdev->guest_features & BIT64(bit));
}

static void virtio_irq(struct virtio_dev *vdev, u8 isr, u16 vector)
{
	atomic_fetch_or(&vdev->isr, isr);
	if (vdev->notify)
		vdev->notify(vdev, vector, vdev->notify_opaque);
}

void virtio_queue_interrupt(struct virtio_dev *vdev, u16 q)
{
	if (q < vdev->num_queues && vq_should_notify(&vdev->vqs[q]))
		virtio_irq(vdev, VIRTIO_ISR_QUEUE, vdev->vqs[q].msix_vector);
}

void virtio_config_changed(struct virtio_dev *vdev)
{
	vdev->config_generation++;
	if (vdev->status & VIRTIO_CONFIG_S_DRIVER_OK)
		virtio_irq(vdev, VIRTIO_ISR_CONFIG, vdev->config_vector);
}

void virtio_set_needs_reset(struct virtio_dev *vdev, u16 q, int err)
{
	if (vdev->status & VIRTIO_CONFIG_S_NEEDS_RESET)
		return;
	pr_err("virtio %s: queue %u: malformed ring (%s%s); device needs reset",
	       vdev->ops->name, q, strerror(-err),
	       err == -EFAULT || err == -EPERM ? ": ring access refused" : "");
	vdev->status |= VIRTIO_CONFIG_S_NEEDS_RESET;
	if (vdev->status & VIRTIO_CONFIG_S_DRIVER_OK)
		virtio_irq(vdev, VIRTIO_ISR_CONFIG, vdev->config_vector);
}

static void virtio_reset(struct virtio_dev *vdev)
{
	u16 i;

	if (vdev->ops->reset)
		vdev->ops->reset(vdev);
	for (i = 0; i < vdev->num_queues; i++)
		vq_reset(&vdev->vqs[i]);
	vdev->guest_features = 0;
	vdev->dfselect = vdev->gfselect = 0;
	vdev->queue_select = 0;
	vdev->status = 0;
	vdev->config_vector = VIRTIO_MSI_NO_VECTOR;
	atomic_store(&vdev->isr, 0);
}

static const char *virtio_features_refusal(const struct virtio_dev *vdev)
{
	u64 f = vdev->guest_features;

	if (f & ~vdev->host_features)
		return "features that were not offered";
	if (!(f & BIT64(VIRTIO_F_VERSION_1)))
		return "no VERSION_1 (legacy drivers are not supported)";
	if (vdev->sev && !(f & BIT64(VIRTIO_F_ACCESS_PLATFORM)))
		return "no ACCESS_PLATFORM, which an SEV guest needs";
	return NULL;
}

static bool virtio_features_ok(struct virtio_dev *vdev)
{
	const char *why = virtio_features_refusal(vdev);

	if (!why)
		return true;
	if (!vdev->warned)
		pr_warn("virtio %s: FEATURES_OK refused: driver features "
			"0x%llx: %s", vdev->ops->name,
			(unsigned long long)vdev->guest_features, why);
	vdev->warned = true;
	return false;
}

static void virtio_start(struct virtio_dev *vdev)
{
	int r;

	if (!vdev->ops->start)
		return;
	r = vdev->ops->start(vdev);
	if (r) {
		pr_err("virtio %s: start: %s; device needs reset",
		       vdev->ops->name, strerror(-r));
		vdev->status |= VIRTIO_CONFIG_S_NEEDS_RESET;
	}
}

/*
 * The driver only adds status bits (0 resets); NEEDS_RESET is the
 * device's. FEATURES_OK sticks only if the features pass the policy,
 * DRIVER_OK only after FEATURES_OK.
 */
static void virtio_set_status(struct virtio_dev *vdev, u8 val)
{
	u8 old = vdev->status, add;

	if (!val) {
		virtio_reset(vdev);
		return;
	}
	add = val & ~old & ~VIRTIO_CONFIG_S_NEEDS_RESET;
	if ((add & VIRTIO_CONFIG_S_FEATURES_OK) && !virtio_features_ok(vdev))
		add &= ~VIRTIO_CONFIG_S_FEATURES_OK;
	if ((add & VIRTIO_CONFIG_S_DRIVER_OK) &&
	    !((old | add) & VIRTIO_CONFIG_S_FEATURES_OK))
		add &= ~VIRTIO_CONFIG_S_DRIVER_OK;
	vdev->status = old | add;
	if (add & VIRTIO_CONFIG_S_DRIVER_OK)
		virtio_start(vdev);
}

static u16 virtio_vector(const struct virtio_dev *vdev, u32 val)
{
	if (vdev->msix_vectors && (u16)val >= vdev->msix_vectors)
		return VIRTIO_MSI_NO_VECTOR;
	return (u16)val;
}

static struct virtq *virtio_cur_vq(struct virtio_dev *vdev)
{
	if (vdev->queue_select >= vdev->num_queues)
		return NULL;
	return &vdev->vqs[vdev->queue_select];
}

static u32 common_read_queue(struct virtio_dev *vdev, u32 off)
{
	struct virtq *vq = virtio_cur_vq(vdev);

	if (!vq)
		return 0;	/* queue_size 0: no such queue */
	switch (off) {
	case VIRTIO_PCI_COMMON_Q_SIZE:		return vq->size;
	case VIRTIO_PCI_COMMON_Q_MSIX:		return vq->msix_vector;
	case VIRTIO_PCI_COMMON_Q_ENABLE:	return vq->enabled;
	case VIRTIO_PCI_COMMON_Q_NOFF:		return vdev->queue_select;
	case VIRTIO_PCI_COMMON_Q_DESCLO:	return (u32)vq->desc;
	case VIRTIO_PCI_COMMON_Q_DESCHI:	return vq->desc >> 32;
	case VIRTIO_PCI_COMMON_Q_AVAILLO:	return (u32)vq->avail;
	case VIRTIO_PCI_COMMON_Q_AVAILHI:	return vq->avail >> 32;
	case VIRTIO_PCI_COMMON_Q_USEDLO:	return (u32)vq->used;
	case VIRTIO_PCI_COMMON_Q_USEDHI:	return vq->used >> 32;
	}
	return 0;	/* queue_notify_data, queue_reset: not offered */
}

static u32 common_read(struct virtio_dev *vdev, u32 off)
{
	switch (off) {
	case VIRTIO_PCI_COMMON_DFSELECT:	return vdev->dfselect;
	case VIRTIO_PCI_COMMON_DF:
		return vdev->dfselect < 2 ?
		       (u32)(vdev->host_features >> (32 * vdev->dfselect)) : 0;
	case VIRTIO_PCI_COMMON_GFSELECT:	return vdev->gfselect;
	case VIRTIO_PCI_COMMON_GF:
		return vdev->gfselect < 2 ?
		       (u32)(vdev->guest_features >> (32 * vdev->gfselect)) : 0;
	case VIRTIO_PCI_COMMON_MSIX:		return vdev->config_vector;
	case VIRTIO_PCI_COMMON_NUMQ:		return vdev->num_queues;
	case VIRTIO_PCI_COMMON_STATUS:		return vdev->status;
	case VIRTIO_PCI_COMMON_CFGGENERATION:
		return vdev->config_generation;
	case VIRTIO_PCI_COMMON_Q_SELECT:	return vdev->queue_select;
	}
	return common_read_queue(vdev, off);
}

static void set_half(u64 *v, bool hi, u32 val)
{
	if (hi)
		*v = (*v & 0xffffffffULL) | ((u64)val << 32);
	else
		*v = (*v & ~0xffffffffULL) | val;
}

static void common_enable_queue(struct virtio_dev *vdev, struct virtq *vq,
				u32 val)
{
	if (val != 1 || vq->enabled)
		return;		/* disabling needs queue_reset */
	if (vq_check(vq)) {
		pr_err("virtio %s: queue %u: enable: size %u (max %u) or ring "
		       "alignment invalid; device needs reset",
		       vdev->ops->name, vdev->queue_select, vq->size, vq->max);
		vdev->status |= VIRTIO_CONFIG_S_NEEDS_RESET;
		return;
	}
	vq->event_idx = virtio_has_feature(vdev, VIRTIO_F_EVENT_IDX);
	vq->indirect = virtio_has_feature(vdev, VIRTIO_F_INDIRECT_DESC);
	vq->enabled = true;
}

/* Queue fields are writable only while that queue is disabled. */
static void common_write_queue(struct virtio_dev *vdev, u32 off, u32 val)
{
	struct virtq *vq = virtio_cur_vq(vdev);

	if (!vq)
		return;
	if (off == VIRTIO_PCI_COMMON_Q_MSIX) {
		vq->msix_vector = virtio_vector(vdev, val);
		return;
	}
	if (vq->enabled)
		return;
	switch (off) {
	case VIRTIO_PCI_COMMON_Q_SIZE:	vq->size = (u16)val; break;
	case VIRTIO_PCI_COMMON_Q_ENABLE:
		common_enable_queue(vdev, vq, val);
		break;
	case VIRTIO_PCI_COMMON_Q_DESCLO:
	case VIRTIO_PCI_COMMON_Q_DESCHI:
		set_half(&vq->desc, off & 4, val);
		break;
	case VIRTIO_PCI_COMMON_Q_AVAILLO:
	case VIRTIO_PCI_COMMON_Q_AVAILHI:
		set_half(&vq->avail, off & 4, val);
		break;
	case VIRTIO_PCI_COMMON_Q_USEDLO:
	case VIRTIO_PCI_COMMON_Q_USEDHI:
		set_half(&vq->used, off & 4, val);
		break;
	}
}

static void common_write(struct virtio_dev *vdev, u32 off, u32 val)
{
	switch (off) {
	case VIRTIO_PCI_COMMON_DFSELECT:	vdev->dfselect = val; break;
	case VIRTIO_PCI_COMMON_GFSELECT:	vdev->gfselect = val; break;
	case VIRTIO_PCI_COMMON_GF:
		if (vdev->gfselect < 2 &&
		    !(vdev->status & VIRTIO_CONFIG_S_FEATURES_OK))
			set_half(&vdev->guest_features, vdev->gfselect, val);
		break;
	case VIRTIO_PCI_COMMON_MSIX:
		vdev->config_vector = virtio_vector(vdev, val);
		break;
	case VIRTIO_PCI_COMMON_STATUS:
		virtio_set_status(vdev, (u8)val);
		break;
	case VIRTIO_PCI_COMMON_Q_SELECT:	vdev->queue_select = val; break;
	default:
		common_write_queue(vdev, off, val);
	}
}

/* The natural width of the register at off, 0 if off starts none. */
static u32 common_width(u32 off)
{
	if (off < VIRTIO_PCI_COMMON_MSIX)
		return IS_ALIGNED(off, 4) ? 4 : 0;
	if (off == VIRTIO_PCI_COMMON_STATUS ||
	    off == VIRTIO_PCI_COMMON_CFGGENERATION)
		return 1;
	if (off >= VIRTIO_PCI_COMMON_Q_DESCLO &&
	    off < VIRTIO_PCI_COMMON_Q_NDATA)
		return IS_ALIGNED(off, 4) ? 4 : 0;
	if (off < VIRTIO_COMMON_CFG_SIZE)
		return IS_ALIGNED(off, 2) ? 2 : 0;
	return 0;
}

/* Split an access into registers: 1 or 2 of them, or -EINVAL. */
static int common_access(u32 off, u32 len, u32 *n)
{
	u32 w = common_width(off);

	if (w && len == w) {
		*n = 1;
		return 0;
	}
	/* a 64-bit queue address in one access */
	if (len == 8 && w == 4 && off >= VIRTIO_PCI_COMMON_Q_DESCLO &&
	    IS_ALIGNED(off, 8) && off < VIRTIO_PCI_COMMON_Q_NDATA) {
		*n = 2;
		return 0;
	}
	return -EINVAL;
}

int virtio_read_common(struct virtio_dev *vdev, u32 off, void *buf, u32 len)
{
	u32 n, i, v;
	u64 out = 0;
	int r = common_access(off, len, &n);

	if (!r) {
		virtio_lock(vdev);
		for (i = 0; i < n; i++) {
			v = common_read(vdev, off + 4 * i);
			out |= (u64)v << (32 * i);
		}
		virtio_unlock(vdev);
	}
	out = htole64(out);
	memcpy(buf, &out, MIN(len, 8u));
	if (len > 8)
		memset((u8 *)buf + 8, 0, len - 8);
	return r;
}

int virtio_write_common(struct virtio_dev *vdev, u32 off, const void *buf,
			u32 len)
{
	u32 n, i;
	u64 in = 0;
	int r = common_access(off, len, &n);

	if (r)
		return r;
	memcpy(&in, buf, len);
	in = le64toh(in);
	if (len < 8)
		in &= (1ULL << (8 * len)) - 1;
	virtio_lock(vdev);
	for (i = 0; i < n; i++)
		common_write(vdev, off + 4 * i, (u32)(in >> (32 * i)));
	virtio_unlock(vdev);
	return 0;
}

static bool config_in_bounds(const struct virtio_dev *vdev, u32 off, u32 len)
{
	return len && len <= 8 && off < vdev->ops->config_size &&
	       len <= vdev->ops->config_size - off;
}

int virtio_read_config(struct virtio_dev *vdev, u32 off, void *buf, u32 len)
{
	memset(buf, 0, len);
	if (!config_in_bounds(vdev, off, len) || !vdev->ops->cfg_read)
		return -EINVAL;
	virtio_lock(vdev);
	vdev->ops->cfg_read(vdev, off, buf, len);
	virtio_unlock(vdev);
	return 0;
}

int virtio_write_config(struct virtio_dev *vdev, u32 off, const void *buf,
			u32 len)
{
	if (!config_in_bounds(vdev, off, len))
		return -EINVAL;
	virtio_lock(vdev);
	if (vdev->ops->cfg_write)
		vdev->ops->cfg_write(vdev, off, buf, len);
	virtio_unlock(vdev);
	return 0;
}

u8 virtio_read_isr(struct virtio_dev *vdev)
{
	return atomic_exchange(&vdev->isr, 0);
}

void virtio_queue_notify(struct virtio_dev *vdev, u16 q)
{
	virtio_lock(vdev);
	if (virtio_running(vdev) && q < vdev->num_queues &&
	    vdev->vqs[q].enabled && vdev->ops->queue_notify)
		vdev->ops->queue_notify(vdev, q);
	virtio_unlock(vdev);
}
