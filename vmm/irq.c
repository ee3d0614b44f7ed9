// SPDX-License-Identifier: GPL-2.0-only
/*
 * Interrupt routing and injection on the in-kernel irqchip (vmm/irq.h).
 * The MSI routes live in irq->msi[gsi - IRQ_GSI_IRQCHIP]; each change
 * rebuilds the whole KVM table from the irqchip pins and the used MSI
 * routes and commits it with KVM_SET_GSI_ROUTING. A failed commit leaves
 * our copy as it was before the change.
 */
#include <errno.h>
#include <inttypes.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "vmm/irq.h"
#include "lib/log.h"

#define IRQ_PIC_PINS	16
#define IRQ_PIC_CASCADE	2

static int irq_ioctl_err(const char *op, const char *what)
{
	int err = errno;

	pr_err("irq: %s %s: %s", op, what, strerror(err));
	return -err;
}

static void irq_add_chip(struct kvm_irq_routing *t, u32 gsi, u32 chip,
			 u32 pin)
{
	struct kvm_irq_routing_entry *e = &t->entries[t->nr++];

	memset(e, 0, sizeof(*e));
	e->gsi = gsi;
	e->type = KVM_IRQ_ROUTING_IRQCHIP;
	e->u.irqchip.irqchip = chip;
	e->u.irqchip.pin = pin;
}

static void irq_add_msi(struct kvm_irq_routing *t, u32 gsi,
			const struct irq_msi_route *m)
{
	struct kvm_irq_routing_entry *e = &t->entries[t->nr++];

	memset(e, 0, sizeof(*e));
	e->gsi = gsi;
	e->type = KVM_IRQ_ROUTING_MSI;
	e->u.msi.address_lo = (u32)m->addr;
	e->u.msi.address_hi = (u32)(m->addr >> 32);
	e->u.msi.data = m->data;
}

/* Build and set the whole table; the caller holds irq->lock. */
static int irq_commit(struct irq_router *irq)
{
	u32 max = IRQ_GSI_IRQCHIP + IRQ_PIC_PINS + ARRAY_SIZE(irq->msi);
	struct kvm_irq_routing *t;
	u32 i;
	int r = 0;

	t = calloc(1, sizeof(*t) + max * sizeof(t->entries[0]));
	if (!t) {
		pr_err("irq: KVM_SET_GSI_ROUTING: %s", strerror(ENOMEM));
		return -ENOMEM;
	}
	for (i = 0; i < IRQ_GSI_IRQCHIP; i++)
		irq_add_chip(t, i, KVM_IRQCHIP_IOAPIC, i);
	for (i = 0; i < IRQ_PIC_PINS; i++)
		if (i != IRQ_PIC_CASCADE)
			irq_add_chip(t, i, i < 8 ? KVM_IRQCHIP_PIC_MASTER :
				     KVM_IRQCHIP_PIC_SLAVE, i % 8);
	for (i = 0; i < ARRAY_SIZE(irq->msi); i++)
		if (irq->msi[i].used)
			irq_add_msi(t, IRQ_GSI_IRQCHIP + i, &irq->msi[i]);
	if (ioctl(irq->vm_fd, KVM_SET_GSI_ROUTING, t) < 0)
		r = irq_ioctl_err("KVM_SET_GSI_ROUTING", "(whole table)");
	free(t);
	return r;
}

int irq_init(struct irq_router *irq, int vm_fd)
{
	int max, r;

	memset(irq, 0, sizeof(*irq));
	irq->vm_fd = vm_fd;
	max = ioctl(vm_fd, KVM_CHECK_EXTENSION, KVM_CAP_IRQ_ROUTING);
	if (max <= IRQ_GSI_IRQCHIP) {
		pr_err("irq: init: KVM_CAP_IRQ_ROUTING is %d, need more than %d GSIs",
		       max, IRQ_GSI_IRQCHIP);
		irq->vm_fd = -1;
		return -ENOTSUP;
	}
	irq->gsi_limit = MIN((u32)max, IRQ_GSI_MAX);
	pthread_mutex_init(&irq->lock, NULL);
	r = irq_commit(irq);
	if (r < 0) {
		pthread_mutex_destroy(&irq->lock);
		irq->vm_fd = -1;
	}
	return r;
}

void irq_free(struct irq_router *irq)
{
	if (irq->vm_fd < 0)
		return;
	pthread_mutex_destroy(&irq->lock);
	irq->vm_fd = -1;
}

int irq_msi_route_add(struct irq_router *irq, u64 addr, u32 data, u32 *gsi)
{
	u32 i, n;
	int r;

	if (irq->gsi_limit < IRQ_GSI_IRQCHIP)
		return -ENODEV;		/* before irq_init: no MSI routes */
	n = irq->gsi_limit - IRQ_GSI_IRQCHIP;
	pthread_mutex_lock(&irq->lock);
	for (i = 0; i < n && irq->msi[i].used; i++)
		;
	if (i == n) {
		pthread_mutex_unlock(&irq->lock);
		pr_err("irq: add MSI route 0x%" PRIx64 "/0x%x: all %u GSIs in use",
		       addr, data, irq->gsi_limit);
		return -ENOSPC;
	}
	irq->msi[i] = (struct irq_msi_route) {
		.used = true, .addr = addr, .data = data,
	};
	r = irq_commit(irq);
	if (r < 0)
		irq->msi[i].used = false;
	else
		*gsi = IRQ_GSI_IRQCHIP + i;
	pthread_mutex_unlock(&irq->lock);
	return r;
}

/* The used MSI route of gsi, NULL (with the error line) if there is none. */
static struct irq_msi_route *irq_route(struct irq_router *irq, u32 gsi,
				       const char *op)
{
	if (gsi >= IRQ_GSI_IRQCHIP && gsi < irq->gsi_limit &&
	    irq->msi[gsi - IRQ_GSI_IRQCHIP].used)
		return &irq->msi[gsi - IRQ_GSI_IRQCHIP];
	pr_err("irq: %s GSI %u: not an allocated MSI route", op, gsi);
	return NULL;
}

int irq_msi_route_update(struct irq_router *irq, u32 gsi, u64 addr, u32 data)
{
	struct irq_msi_route *m, old;
	int r;

	pthread_mutex_lock(&irq->lock);
	m = irq_route(irq, gsi, "update MSI route");
	if (!m) {
		pthread_mutex_unlock(&irq->lock);
		return -EINVAL;
	}
	old = *m;
	m->addr = addr;
	m->data = data;
	r = irq_commit(irq);
	if (r < 0)
		*m = old;
	pthread_mutex_unlock(&irq->lock);
	return r;
}

int irq_msi_route_free(struct irq_router *irq, u32 gsi)
{
	struct irq_msi_route *m;
	int r;

	pthread_mutex_lock(&irq->lock);
	m = irq_route(irq, gsi, "free MSI route");
	if (!m) {
		pthread_mutex_unlock(&irq->lock);
		return -EINVAL;
	}
	m->used = false;
	r = irq_commit(irq);
	if (r < 0)
		m->used = true;
	pthread_mutex_unlock(&irq->lock);
	return r;
}

static int irq_irqfd(struct irq_router *irq, int fd, u32 gsi, int resample_fd,
		     u32 flags, const char *op)
{
	struct kvm_irqfd req = {
		.fd = (u32)fd, .gsi = gsi, .flags = flags,
	};
	char what[48];

	if (resample_fd >= 0) {
		req.flags |= KVM_IRQFD_FLAG_RESAMPLE;
		req.resamplefd = (u32)resample_fd;
	}
	if (ioctl(irq->vm_fd, KVM_IRQFD, &req) < 0) {
		snprintf(what, sizeof(what), "fd %d GSI %u", fd, gsi);
		return irq_ioctl_err(op, what);
	}
	return 0;
}

int irq_irqfd_assign(struct irq_router *irq, int fd, u32 gsi, int resample_fd)
{
	return irq_irqfd(irq, fd, gsi, resample_fd, 0, "KVM_IRQFD assign");
}

int irq_irqfd_deassign(struct irq_router *irq, int fd, u32 gsi)
{
	return irq_irqfd(irq, fd, gsi, -1, KVM_IRQFD_FLAG_DEASSIGN,
			 "KVM_IRQFD deassign");
}

int irq_signal_msi(struct irq_router *irq, u64 addr, u32 data, u32 devid)
{
	struct kvm_msi msi = {
		.address_lo = (u32)addr, .address_hi = (u32)(addr >> 32),
		.data = data, .devid = devid,
	};
	char what[48];

	/* > 0 delivered, 0 blocked by the guest (e.g. APIC disabled). */
	if (ioctl(irq->vm_fd, KVM_SIGNAL_MSI, &msi) < 0) {
		snprintf(what, sizeof(what), "0x%" PRIx64 "/0x%x", addr, data);
		return irq_ioctl_err("KVM_SIGNAL_MSI", what);
	}
	return 0;
}

int irq_line(struct irq_router *irq, u32 gsi, bool level)
{
	struct kvm_irq_level req = { .irq = gsi, .level = level };
	char what[32];

	if (ioctl(irq->vm_fd, KVM_IRQ_LINE, &req) < 0) {
		snprintf(what, sizeof(what), "GSI %u level %d", gsi, level);
		return irq_ioctl_err("KVM_IRQ_LINE", what);
	}
	return 0;
}

static int irq_ioeventfd(struct irq_router *irq,
			 const struct irq_ioeventfd *io, u32 flags,
			 const char *op)
{
	struct kvm_ioeventfd req = {
		.datamatch = io->datamatch ? io->data : 0,
		.addr = io->addr, .len = io->len, .fd = io->fd,
		.flags = flags,
	};
	char what[64];

	if (io->pio)
		req.flags |= KVM_IOEVENTFD_FLAG_PIO;
	if (io->datamatch)
		req.flags |= KVM_IOEVENTFD_FLAG_DATAMATCH;
	if (ioctl(irq->vm_fd, KVM_IOEVENTFD, &req) < 0) {
		snprintf(what, sizeof(what), "fd %d %s 0x%" PRIx64 " len %u",
			 io->fd, io->pio ? "pio" : "mmio", io->addr, io->len);
		return irq_ioctl_err(op, what);
	}
	return 0;
}

int irq_ioeventfd_assign(struct irq_router *irq,
			 const struct irq_ioeventfd *io)
{
	return irq_ioeventfd(irq, io, 0, "KVM_IOEVENTFD assign");
}

int irq_ioeventfd_deassign(struct irq_router *irq,
			   const struct irq_ioeventfd *io)
{
	return irq_ioeventfd(irq, io, KVM_IOEVENTFD_FLAG_DEASSIGN,
			     "KVM_IOEVENTFD deassign");
}
