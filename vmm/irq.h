/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Interrupts on the in-kernel irqchip: the GSI routing table (irqchip
 * pins and MSI routes), irqfds, KVM_SIGNAL_MSI, KVM_IRQ_LINE and
 * ioeventfds.
 *
 * KVM_SET_GSI_ROUTING replaces the whole table, so every commit carries
 * the irqchip routes of KVM's default table (IOAPIC pins 0-23 on GSIs
 * 0-23, PIC pins on GSIs 0-15 except the cascade, 2) followed by the MSI
 * routes, allocated from GSI 24 upwards. Routes change under a mutex;
 * every other call is a single ioctl and may come from any thread.
 *
 * Every function returns 0 or -errno and prints one error line.
 */
#ifndef SEVM_IRQ_H
#define SEVM_IRQ_H

#include <pthread.h>

#include "lib/util.h"

#define IRQ_GSI_IRQCHIP		24	/* GSIs 0-23: IOAPIC pins */
#define IRQ_GSI_MAX		1024	/* our limit, below KVM's 4096 */

struct irq_msi_route {
	bool used;
	u64 addr;
	u32 data;
};

struct irq_router {
	int vm_fd;			/* -1: not initialised */
	pthread_mutex_t lock;
	u32 gsi_limit;			/* min(KVM's, IRQ_GSI_MAX) */
	struct irq_msi_route msi[IRQ_GSI_MAX - IRQ_GSI_IRQCHIP];
};

/*
 * After KVM_CREATE_IRQCHIP: sets up the router and commits the irqchip
 * routes (so a failure shows here, not at the first MSI route).
 */
int irq_init(struct irq_router *irq, int vm_fd) __must_check;
void irq_free(struct irq_router *irq);

/* MSI routes: *gsi is the GSI to use with irqfds. -ENOSPC when full. */
int irq_msi_route_add(struct irq_router *irq, u64 addr, u32 data,
		      u32 *gsi) __must_check;
int irq_msi_route_update(struct irq_router *irq, u32 gsi, u64 addr,
			 u32 data) __must_check;
int irq_msi_route_free(struct irq_router *irq, u32 gsi);

/* Writes to fd raise gsi; resample_fd < 0: none (edge). */
int irq_irqfd_assign(struct irq_router *irq, int fd, u32 gsi,
		     int resample_fd) __must_check;
int irq_irqfd_deassign(struct irq_router *irq, int fd, u32 gsi);

/* Deliver one MSI now (no route needed). devid: requester ID. */
int irq_signal_msi(struct irq_router *irq, u64 addr, u32 data, u32 devid);
/* Set the level of an irqchip GSI (0-23). */
int irq_line(struct irq_router *irq, u32 gsi, bool level);

/*
 * An ioeventfd: guest writes of len bytes (1, 2, 4, 8; 0 = any, MMIO
 * only) to addr signal fd without a VM exit to userspace; with
 * datamatch only writes of the value data.
 */
struct irq_ioeventfd {
	int fd;
	u64 addr;
	u32 len;
	bool pio;
	bool datamatch;
	u64 data;
};

int irq_ioeventfd_assign(struct irq_router *irq,
			 const struct irq_ioeventfd *io) __must_check;
int irq_ioeventfd_deassign(struct irq_router *irq,
			   const struct irq_ioeventfd *io);

#endif /* SEVM_IRQ_H */
