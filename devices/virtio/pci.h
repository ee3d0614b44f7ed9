/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The virtio 1.2 PCI transport (§4.1), modern only, laid out like QEMU
 * 7.2's disable-legacy=on functions (docs/virtio.md, "Transport"):
 *
 *   IDs 1af4:(0x1040 + device id) revision 1, subsystem 1af4:1100, no INTx.
 *   BAR 1: 4 KiB 32-bit memory, the MSI-X table at 0 and the PBA at 0x800
 *          (queues + 1 vectors).
 *   BAR 4: 16 KiB 64-bit prefetchable memory: common config at 0, ISR at
 *          0x1000, device config at 0x2000, notify at 0x3000 (queue q at
 *          0x3000 + 4 q: queue_notify_off q, multiplier 4).
 *   Vendor capabilities for the four regions and the PCI configuration
 *   access capability (its window reaches BAR 4 only).
 *
 * A notify write never runs device work on the vCPU thread: each queue
 * has an eventfd, registered as a KVM ioeventfd at the queue's notify
 * address while BAR 4 is mapped (the BAR handler writes the eventfd when
 * KVM did not take the write), and watched by the I/O thread, which
 * calls virtio_queue_notify.
 */
#ifndef SEVM_VIRTIO_PCI_H
#define SEVM_VIRTIO_PCI_H

#include "devices/pci/pci.h"
#include "devices/virtio/virtio.h"

#define VPCI_VENDOR		0x1af4
#define VPCI_DEVICE_BASE	0x1040
#define VPCI_SUBSYS		0x1100	/* QEMU's PCI_SUBDEVICE_ID_QEMU */
#define VPCI_MSIX_BAR		1
#define VPCI_MSIX_BAR_SIZE	0x1000
#define VPCI_MSIX_PBA		0x800
#define VPCI_BAR		4
#define VPCI_BAR_SIZE		0x4000
#define VPCI_COMMON		0x0000
#define VPCI_ISR		0x1000
#define VPCI_DEVCFG		0x2000
#define VPCI_NOTIFY		0x3000
#define VPCI_REGION_SIZE	0x1000
#define VPCI_NOTIFY_MULT	4
#define VPCI_MAX_QUEUES		(VPCI_REGION_SIZE / VPCI_NOTIFY_MULT)

struct iothread;
struct irq_router;
struct virtio_pci;

struct virtio_pci_notify {
	struct virtio_pci *vp;
	u16 queue;
	int fd;			/* eventfd */
	bool watched;		/* on the I/O thread */
	bool assigned;		/* a KVM ioeventfd at notify_base + 4 q */
};

struct virtio_pci {
	struct pci_dev pci;
	struct virtio_dev vdev;
	struct iothread *iot;
	struct irq_router *irq;		/* NULL: no ioeventfds (tests) */
	struct virtio_pci_notify *qn;	/* one per queue */
	u16 nr_queues;
	u64 notify_base;		/* where the ioeventfds are */
	u16 cfg_cap;			/* the PCI cfg access capability */
	u64 ioeventfds;			/* assignments so far (stats, tests) */
};

/*
 * A zeroed transport. The caller then sets vp->vdev up as a device
 * (virtio_blk_init(&vp->vdev, ..., virtio_pci_dma(vp), sev), ...) and
 * calls virtio_pci_realize. -ENOMEM is NULL.
 */
struct virtio_pci *virtio_pci_alloc(void);
struct dma_as *virtio_pci_dma(struct virtio_pci *vp);
/*
 * Build the function around the initialised vp->vdev (class code as
 * QEMU's for the device), open the queues' eventfds, watch them on iot
 * and add the function to host at slot. irq may be NULL. 0 or -errno,
 * one error line; on failure the caller still calls virtio_pci_free.
 */
int virtio_pci_realize(struct virtio_pci *vp, struct pci_host *host, int slot,
		       struct iothread *iot, struct irq_router *irq)
	__must_check;
/*
 * Take the function off the bus (no handler runs afterwards), drop the
 * ioeventfds and the I/O thread's watches, free the device and vp. The
 * vCPUs must be stopped or not touching the function. NULL is fine.
 */
void virtio_pci_free(struct virtio_pci *vp);

/* The PCI class code QEMU gives a virtio device id (0 if unknown). */
u32 virtio_pci_class(u32 device_id);

#endif /* SEVM_VIRTIO_PCI_H */
