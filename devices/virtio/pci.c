// SPDX-License-Identifier: GPL-2.0-only
/*
 * The virtio 1.2 modern PCI transport (see pci.h): the function's
 * identity, BARs and capabilities, the BAR 4 register regions, the PCI
 * configuration access window, MSI-X interrupts and the notification
 * path (eventfd per queue, KVM ioeventfd, I/O thread).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "devices/virtio/pci.h"
#include "lib/log.h"
#include "vmm/iothread.h"
#include "vmm/irq.h"

/* Offsets inside a virtio vendor capability (struct virtio_pci_cap). */
#define CAP_CFG_TYPE	3
#define CAP_BAR		4
#define CAP_ID		5
#define CAP_OFFSET	8
#define CAP_LENGTH	12
#define CAP_MULT	16	/* notify cap: notify_off_multiplier */
#define CAP_DATA	16	/* PCI cfg access cap: pci_cfg_data */
#define CAP_LEN		16
#define CAP_LEN_EXT	20	/* notify and PCI cfg access caps */

u32 virtio_pci_class(u32 device_id)
{
	switch (device_id) {
	case VIRTIO_ID_BLOCK:
		return 0x010000;	/* mass storage, SCSI (QEMU's choice) */
	case VIRTIO_ID_CONSOLE:
		return 0x078000;	/* communication, other */
	case VIRTIO_ID_RNG:
		return 0x00ff00;	/* unclassified */
	case VIRTIO_ID_NET:
		return 0x020000;	/* network, Ethernet */
	case VIRTIO_ID_VSOCK:
		return 0x078000;	/* communication, other (QEMU's) */
	default:
		return 0xff0000;
	}
}

struct virtio_pci *virtio_pci_alloc(void)
{
	return calloc(1, sizeof(struct virtio_pci));
}

struct dma_as *virtio_pci_dma(struct virtio_pci *vp)
{
	return &vp->pci.dma;
}

/* ---- BAR 4: the register regions */

static void vpci_notify_write(struct virtio_pci *vp, u64 off)
{
	u64 q = off / VPCI_NOTIFY_MULT, one = 1;

	if (q >= vp->nr_queues)
		return;
	/* KVM did not take it (no ioeventfd there): same path, by hand. */
	if (write(vp->qn[q].fd, &one, sizeof(one)) < 0)
		pr_debug("virtio-pci %s: notify queue %" PRIu64 ": %s",
			 vp->pci.name, q, strerror(errno));
}

static void vpci_isr_read(struct virtio_pci *vp, u64 off, u8 *data, u32 len)
{
	memset(data, 0, len);
	if (off == 0)
		data[0] = virtio_read_isr(&vp->vdev);
}

static void vpci_bar_io(void *opaque, u64 offset, void *data, u32 len,
			bool is_write)
{
	struct virtio_pci *vp = opaque;
	u64 off = offset % VPCI_REGION_SIZE;

	if (!is_write)
		memset(data, 0, len);
	if (offset >= VPCI_BAR_SIZE || len > VPCI_REGION_SIZE - off)
		return;
	switch (offset - off) {
	case VPCI_COMMON:
		if (is_write)
			virtio_write_common(&vp->vdev, (u32)off, data, len);
		else
			virtio_read_common(&vp->vdev, (u32)off, data, len);
		break;
	case VPCI_ISR:
		if (!is_write)
			vpci_isr_read(vp, off, data, len);
		break;
	case VPCI_DEVCFG:
		if (is_write)
			virtio_write_config(&vp->vdev, (u32)off, data, len);
		else
			virtio_read_config(&vp->vdev, (u32)off, data, len);
		break;
	case VPCI_NOTIFY:
		if (is_write)
			vpci_notify_write(vp, off);
		break;
	}
}

/* ---- MSI-X: the core's interrupt callback (device lock held) */

static void vpci_msix_notify(struct virtio_dev *vdev, u16 vector,
			     void *opaque)
{
	struct virtio_pci *vp = opaque;

	if (vector == VIRTIO_MSI_NO_VECTOR)
		return;		/* no INTx: the driver chose no interrupt */
	pci_msix_notify(&vp->pci, vector);
}

/* ---- The PCI configuration access capability (host lock held) */

static bool vpci_overlaps(u32 reg, u32 len, u32 start, u32 n)
{
	return reg < start + n && start < reg + len;
}

/* The window's BAR 4 offset and width, false if it points nowhere. */
static bool vpci_window(struct virtio_pci *vp, u32 *off, u32 *len)
{
	struct pci_dev *dev = &vp->pci;
	u16 cap = vp->cfg_cap;

	*off = pci_cfg_get(dev, cap + CAP_OFFSET, 4);
	*len = pci_cfg_get(dev, cap + CAP_LENGTH, 4);
	if (pci_cfg_get(dev, cap + CAP_BAR, 1) != VPCI_BAR)
		return false;
	if (*len != 1 && *len != 2 && *len != 4)
		return false;
	return !(*off % *len) && *off < VPCI_BAR_SIZE &&
	       *len <= VPCI_BAR_SIZE - *off;
}

static void vpci_cfg_read(struct pci_dev *dev, u32 reg, u32 len, u32 *val)
{
	struct virtio_pci *vp = dev->opaque;
	u32 data = vp->cfg_cap + CAP_DATA, off, wlen;
	u8 buf[4] = { 0 };

	if (!vp->cfg_cap || !vpci_overlaps(reg, len, data, 4) ||
	    !vpci_window(vp, &off, &wlen))
		return;
	vpci_bar_io(vp, off, buf, wlen, false);
	pci_cfg_set(dev, data, 4, (u32)buf[0] | (u32)buf[1] << 8 |
		    (u32)buf[2] << 16 | (u32)buf[3] << 24);
	*val = pci_cfg_get(dev, reg, len);
}

static void vpci_cfg_write(struct pci_dev *dev, u32 reg, u32 len, u32 val)
{
	struct virtio_pci *vp = dev->opaque;
	u32 data = vp->cfg_cap + CAP_DATA, off, wlen, v;
	u8 buf[4];

	if (!vp->cfg_cap || !vpci_overlaps(reg, len, data, 4) ||
	    !vpci_window(vp, &off, &wlen))
		return;
	v = pci_cfg_get(dev, data, 4);
	buf[0] = (u8)v;
	buf[1] = (u8)(v >> 8);
	buf[2] = (u8)(v >> 16);
	buf[3] = (u8)(v >> 24);
	vpci_bar_io(vp, off, buf, wlen, true);
}

/* ---- ioeventfds: following BAR 4 (host lock held) */

static struct irq_ioeventfd vpci_ioeventfd(struct virtio_pci *vp, u16 q)
{
	return (struct irq_ioeventfd){
		.fd = vp->qn[q].fd,
		.addr = vp->notify_base + (u64)q * VPCI_NOTIFY_MULT,
		.len = 0,	/* any width the driver uses */
	};
}

static void vpci_ioeventfds_del(struct virtio_pci *vp)
{
	struct irq_ioeventfd io;
	u16 q;

	for (q = 0; q < vp->nr_queues; q++) {
		if (!vp->qn[q].assigned)
			continue;
		io = vpci_ioeventfd(vp, q);
		irq_ioeventfd_deassign(vp->irq, &io);
		vp->qn[q].assigned = false;
	}
}

static void vpci_ioeventfds_add(struct virtio_pci *vp, u64 base)
{
	struct irq_ioeventfd io;
	u16 q, n = 0;

	vp->notify_base = base;
	for (q = 0; q < vp->nr_queues; q++) {
		io = vpci_ioeventfd(vp, q);
		/* On failure the BAR handler writes the eventfd instead. */
		if (irq_ioeventfd_assign(vp->irq, &io) == 0) {
			vp->qn[q].assigned = true;
			vp->ioeventfds++;
			n++;
		}
	}
	pr_debug("virtio-pci %s: notify at 0x%" PRIx64 ", %u of %u queues "
		 "on ioeventfds", vp->pci.name, base, n, vp->nr_queues);
}

static void vpci_bar_moved(struct pci_dev *dev, unsigned int bar,
			   u64 old_addr, u64 new_addr)
{
	struct virtio_pci *vp = dev->opaque;

	if (bar != VPCI_BAR || !vp->irq)
		return;
	vpci_ioeventfds_del(vp);
	if (new_addr != PCI_BAR_UNMAPPED)
		vpci_ioeventfds_add(vp, new_addr + VPCI_NOTIFY);
}

static const struct pci_dev_ops vpci_ops = {
	.cfg_read = vpci_cfg_read,
	.cfg_write = vpci_cfg_write,
	.bar_moved = vpci_bar_moved,
};

/* ---- Building the function */

static int vpci_cap(struct virtio_pci *vp, u8 type, u8 len, u32 off,
		    u32 size)
{
	struct pci_dev *dev = &vp->pci;
	int cap = pci_cap_add(dev, PCI_CAP_ID_VNDR, len);

	if (cap < 0)
		return cap;
	pci_cfg_set(dev, cap + CAP_CFG_TYPE, 1, type);
	pci_cfg_set(dev, cap + CAP_BAR, 1, VPCI_BAR);
	pci_cfg_set(dev, cap + CAP_OFFSET, 4, off);
	pci_cfg_set(dev, cap + CAP_LENGTH, 4, size);
	return cap;
}

static int vpci_caps(struct virtio_pci *vp)
{
	struct pci_dev *dev = &vp->pci;
	int r;

	r = vpci_cap(vp, VIRTIO_PCI_CAP_COMMON_CFG, CAP_LEN,
		     VPCI_COMMON, VPCI_REGION_SIZE);
	r = r < 0 ? r : vpci_cap(vp, VIRTIO_PCI_CAP_ISR_CFG, CAP_LEN,
				 VPCI_ISR, VPCI_REGION_SIZE);
	r = r < 0 ? r : vpci_cap(vp, VIRTIO_PCI_CAP_DEVICE_CFG, CAP_LEN,
				 VPCI_DEVCFG, VPCI_REGION_SIZE);
	r = r < 0 ? r : vpci_cap(vp, VIRTIO_PCI_CAP_NOTIFY_CFG, CAP_LEN_EXT,
				 VPCI_NOTIFY, VPCI_REGION_SIZE);
	if (r < 0)
		return r;
	pci_cfg_set(dev, r + CAP_MULT, 4, VPCI_NOTIFY_MULT);
	r = vpci_cap(vp, VIRTIO_PCI_CAP_PCI_CFG, CAP_LEN_EXT, 0, 0);
	if (r < 0)
		return r;
	vp->cfg_cap = (u16)r;
	pci_cfg_set(dev, r + CAP_BAR, 1, 0);
	pci_cfg_set_wmask(dev, r + CAP_BAR, 1, 0xff);
	pci_cfg_set_wmask(dev, r + CAP_OFFSET, 4, ~0U);
	pci_cfg_set_wmask(dev, r + CAP_LENGTH, 4, ~0U);
	pci_cfg_set_wmask(dev, r + CAP_DATA, 4, ~0U);
	return 0;
}

static void vpci_ids(const struct virtio_dev *vdev, struct pci_ids *ids)
{
	memset(ids, 0, sizeof(*ids));
	ids->vendor = VPCI_VENDOR;
	ids->device = (u16)(VPCI_DEVICE_BASE + vdev->ops->device_id);
	ids->subsys_vendor = VPCI_VENDOR;
	ids->subsys = VPCI_SUBSYS;
	ids->class_code = virtio_pci_class(vdev->ops->device_id);
	ids->revision = 1;
}

static int vpci_build(struct virtio_pci *vp, int slot)
{
	struct pci_dev *dev = &vp->pci;
	u16 nr = vp->nr_queues + 1;	/* + the config vector */
	struct pci_ids ids;
	char name[32];
	int r;

	vpci_ids(&vp->vdev, &ids);
	if (slot >= 0)
		snprintf(name, sizeof(name), "%s 00:%02x.0",
			 vp->vdev.ops->name, slot);
	else
		snprintf(name, sizeof(name), "%s", vp->vdev.ops->name);
	pci_dev_init(dev, name, &ids, &vpci_ops, vp);
	r = pci_bar_init(dev, VPCI_MSIX_BAR, PCI_BAR_MEM32, false,
			 VPCI_MSIX_BAR_SIZE, NULL, NULL);
	r = r ?: pci_bar_init(dev, VPCI_BAR, PCI_BAR_MEM64, true,
			      VPCI_BAR_SIZE, vpci_bar_io, vp);
	r = r ?: vpci_caps(vp);
	r = r ?: pci_msix_init(dev, nr, VPCI_MSIX_BAR, 0,
			       VPCI_MSIX_BAR, VPCI_MSIX_PBA);
	if (r)
		return r;
	virtio_dev_set_notify(&vp->vdev, vpci_msix_notify, vp, nr);
	return 0;
}

/* ---- Notifications on the I/O thread */

static void vpci_kick(int fd, u32 events, void *opaque)
{
	struct virtio_pci_notify *n = opaque;
	u64 cnt;

	if (read(fd, &cnt, sizeof(cnt)) != sizeof(cnt))
		return;		/* spurious wakeup: nothing pending */
	virtio_queue_notify(&n->vp->vdev, n->queue);
}

static int vpci_eventfds(struct virtio_pci *vp)
{
	struct virtio_pci_notify *n;
	u16 q;
	int r;

	vp->qn = calloc(vp->nr_queues, sizeof(*vp->qn));
	if (!vp->qn)
		return -ENOMEM;
	for (q = 0; q < vp->nr_queues; q++)
		vp->qn[q].fd = -1;
	for (q = 0; q < vp->nr_queues; q++) {
		n = &vp->qn[q];
		n->vp = vp;
		n->queue = q;
		n->fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		if (n->fd < 0)
			return -errno;
		r = iothread_add(vp->iot, n->fd, EPOLLIN, vpci_kick, n);
		if (r < 0)
			return r;
		n->watched = true;
	}
	return 0;
}

int virtio_pci_realize(struct virtio_pci *vp, struct pci_host *host, int slot,
		       struct iothread *iot, struct irq_router *irq)
{
	const char *name = vp->vdev.ops ? vp->vdev.ops->name : "?";
	int r;

	vp->iot = iot;
	vp->irq = irq;
	vp->nr_queues = vp->vdev.num_queues;
	if (!vp->vdev.ops || !iot || !vp->nr_queues ||
	    vp->nr_queues > VPCI_MSIX_PBA / PCI_MSIX_ENTRY_SIZE - 1) {
		pr_err("virtio-pci %s: realize: %u queues or no I/O thread: %s",
		       name, vp->nr_queues, strerror(EINVAL));
		return -EINVAL;
	}
	r = vpci_build(vp, slot);
	if (r)
		return r;	/* pci.c said why */
	r = vpci_eventfds(vp);
	if (r) {
		pr_err("virtio-pci %s: queue notification eventfds: %s",
		       name, strerror(-r));
		return r;
	}
	r = pci_host_add(host, &vp->pci, slot);
	if (!r)
		pr_debug("virtio-pci %s: %u queues, %u MSI-X vectors%s",
			 vp->pci.name, vp->nr_queues, vp->nr_queues + 1,
			 vp->vdev.sev ? ", ACCESS_PLATFORM required (SEV)" :
			 "");
	return r;
}

void virtio_pci_free(struct virtio_pci *vp)
{
	u16 q;

	if (!vp)
		return;
	/* Off the bus first: no BAR handler or config hook runs after. */
	pci_dev_exit(&vp->pci);
	for (q = 0; vp->qn && q < vp->nr_queues; q++) {
		if (vp->qn[q].watched)
			iothread_del(vp->iot, vp->qn[q].fd);
		vp->qn[q].watched = false;
	}
	if (vp->qn && vp->irq)
		vpci_ioeventfds_del(vp);
	virtio_dev_free(&vp->vdev);
	for (q = 0; vp->qn && q < vp->nr_queues; q++)
		if (vp->qn[q].fd >= 0)
			close(vp->qn[q].fd);
	free(vp->qn);
	free(vp);
}
