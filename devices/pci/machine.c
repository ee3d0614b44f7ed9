// SPDX-License-Identifier: GPL-2.0-only
/*
 * The PCIe host as a device of the device table ("pci"): present in every
 * VM, it registers CF8/CFC and ECAM on the VM's buses and delivers MSIs
 * through vmm/irq (pci_kvm_msi: per-vector irqfds, KVM_SIGNAL_MSI as the
 * fallback). Other devices add their functions with
 * pci_host_add(pci_host(vm), ...).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "devices/pci/pci.h"
#include "devices/pci/pci-machine.h"
#include "lib/log.h"
#include "vmm/sev-dma.h"
#include "vmm/vm.h"

static int pci_machine_init(struct vm *vm, void **priv)
{
	struct pci_host *host = calloc(1, sizeof(*host));
	int r;

	if (!host) {
		pr_err("pci: init host: %s", strerror(ENOMEM));
		return -ENOMEM;
	}
	r = pci_host_init(host, &vm->pio, &vm->mmio, &vm->mem,
			  &pci_kvm_msi, &vm->irq);
	if (r < 0) {
		free(host);
		return r;
	}
	host->shared = sev_dma_stage(vm);	/* before any function */
	*priv = host;
	return 0;
}

static void pci_machine_exit(struct vm *vm, void *priv)
{
	pci_host_free(priv);
	free(priv);
}

const struct device_ops pci_host_ops = {
	.name = "pci",
	.init = pci_machine_init,
	.exit = pci_machine_exit,
};

struct pci_host *pci_host(struct vm *vm)
{
	return devices_find(vm, "pci");
}
