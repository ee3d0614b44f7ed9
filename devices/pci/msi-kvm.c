// SPDX-License-Identifier: GPL-2.0-only
/*
 * The machine's MSI delivery (pci_kvm_msi in devices/pci/pci.h): the
 * struct pci_msi_ops over vmm/irq. opaque is the VM's irq_router.
 * Messages go through per-vector MSI routes and irqfds (KVM_IRQFD),
 * KVM_SIGNAL_MSI when a vector has none.
 */
#include "devices/pci/pci.h"
#include "vmm/irq.h"

static int kvm_msi_signal(void *opaque, u64 addr, u32 data, u32 devid)
{
	return irq_signal_msi(opaque, addr, data, devid);
}

static int kvm_msi_route_add(void *opaque, u64 addr, u32 data, u32 *gsi)
{
	return irq_msi_route_add(opaque, addr, data, gsi);
}

static int kvm_msi_route_update(void *opaque, u32 gsi, u64 addr, u32 data)
{
	return irq_msi_route_update(opaque, gsi, addr, data);
}

static int kvm_msi_route_free(void *opaque, u32 gsi)
{
	return irq_msi_route_free(opaque, gsi);
}

static int kvm_msi_irqfd_assign(void *opaque, int fd, u32 gsi)
{
	return irq_irqfd_assign(opaque, fd, gsi, -1);
}

static int kvm_msi_irqfd_deassign(void *opaque, int fd, u32 gsi)
{
	return irq_irqfd_deassign(opaque, fd, gsi);
}

const struct pci_msi_ops pci_kvm_msi = {
	.signal = kvm_msi_signal,
	.route_add = kvm_msi_route_add,
	.route_update = kvm_msi_route_update,
	.route_free = kvm_msi_route_free,
	.irqfd_assign = kvm_msi_irqfd_assign,
	.irqfd_deassign = kvm_msi_irqfd_deassign,
};
