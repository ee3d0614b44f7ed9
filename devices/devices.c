// SPDX-License-Identifier: GPL-2.0-only
/*
 * The device table. Its order is the init order; exit runs in reverse.
 * Devices configured out (Kconfig) are simply absent from the table.
 */
#include <errno.h>
#include <string.h>

#include "devices/acpi/machine.h"
#include "devices/console-input.h"
#include "devices/debugport.h"
#include "devices/device.h"
#include "devices/fw_cfg.h"
#include "devices/i8042.h"
#include "devices/pci/pci-machine.h"
#include "devices/testexit.h"
#include "devices/uart16550.h"
#include "devices/virtio/machine.h"
#include "lib/log.h"
#include "vmm/vm.h"

static const struct device_ops *const device_table[] = {
#ifdef CONFIG_DEV_DEBUGPORT
	&debugport_ops,		/* first: it timestamps everything after it */
#endif
#ifdef CONFIG_DEV_UART16550
	&uart16550_ops,
	&console_input_ops,	/* after the UART it feeds */
#endif
#ifdef CONFIG_DEV_I8042
	&i8042_ops,
#endif
#ifdef CONFIG_DEV_TESTEXIT
	&testexit_ops,
#endif
#ifdef CONFIG_PCI
	&pci_host_ops,		/* before the devices that add functions */
#endif
#if defined(CONFIG_PCI) && defined(CONFIG_VIRTIO)
	&virtio_pci_machine_ops,	/* --device: after the host, the UART */
#endif
#ifdef CONFIG_DEV_FW_CFG
	&fw_cfg_ops,
#endif
#ifdef CONFIG_ACPI
	&acpi_device_ops,	/* after fw_cfg: it adds the tables there */
#endif
};

/* Exit the first n initialised devices, last one first. */
static void devices_unwind(struct vm *vm, unsigned int n)
{
	struct devices *devs = &vm->devices;

	while (n > 0) {
		n--;
		if (devs->ops[n]->exit)
			devs->ops[n]->exit(vm, devs->priv[n]);
		devs->ops[n] = NULL;
		devs->priv[n] = NULL;
	}
	devs->nr = 0;
}

static bool device_present(const struct device_ops *ops,
			   const struct vm_config *cfg)
{
	return !ops->present || ops->present(cfg);
}

int devices_init_table(struct vm *vm, const struct device_ops *const *table,
		       unsigned int n)
{
	struct devices *devs = &vm->devices;
	unsigned int i;
	void *priv;
	int r;

	memset(devs, 0, sizeof(*devs));
	for (i = 0; i < n; i++) {
		if (!device_present(table[i], vm->cfg))
			continue;
		if (devs->nr == DEVICES_MAX) {
			pr_err("devices: init %s: more than %d devices: %s",
			       table[i]->name, DEVICES_MAX, strerror(ENOSPC));
			devices_unwind(vm, devs->nr);
			return -ENOSPC;
		}
		priv = NULL;
		r = table[i]->init(vm, &priv);
		if (r < 0) {
			/* The device printed the reason. */
			pr_debug("devices: %s failed (%s), unwinding %u",
				 table[i]->name, strerror(-r), devs->nr);
			devices_unwind(vm, devs->nr);
			return r;
		}
		devs->ops[devs->nr] = table[i];
		devs->priv[devs->nr] = priv;
		devs->nr++;
		pr_debug("devices: %s ready", table[i]->name);
	}
	return 0;
}

int devices_init(struct vm *vm)
{
	return devices_init_table(vm, device_table, ARRAY_SIZE(device_table));
}

void devices_exit(struct vm *vm)
{
	devices_unwind(vm, vm->devices.nr);
}

void *devices_find(struct vm *vm, const char *name)
{
	const struct devices *devs = &vm->devices;
	unsigned int i;

	for (i = 0; i < devs->nr; i++)
		if (!strcmp(devs->ops[i]->name, name))
			return devs->priv[i];
	return NULL;
}
