// SPDX-License-Identifier: GPL-2.0-only
/*
 * The ACPI device of a VM (machine.h): tables to fw_cfg or into RAM, the
 * GED on the MMIO bus with its GSI pulsed through vmm/irq.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "devices/acpi/machine.h"
#include "devices/device.h"
#include "devices/fw_cfg.h"
#include "lib/log.h"
#include "vmm/memory.h"
#include "vmm/vm.h"

struct acpi_dev {
	struct vm *vm;
	struct ged ged;
	bool ged_mapped;
};

void acpi_machine_of(const struct vm_config *cfg, struct acpi_machine *m)
{
	struct mem_region reg[MEM_MAX_REGIONS];
	unsigned int i, n = mem_layout(cfg->mem_size, reg);
	u64 end = LAYOUT_4G;

	for (i = 0; i < n; i++)
		if (reg[i].gpa >= LAYOUT_4G)
			end = MAX(end, reg[i].gpa + reg[i].size);
	acpi_machine_init(m, cfg->cpus);
	m->mmio64_base = ALIGN_UP(end, SZ_1G);
	m->mmio64_size = ACPI_PCI_MMIO64_SIZE;
	m->com1 = cfg->serial != SERIAL_NONE;
	for (i = 0; i < cfg->nr_devices; i++) {
		if (cfg->devices[i].type != DEVCFG_VIRTIO_IOMMU)
			continue;
		m->viot = true;
		m->viot_bdf = (u16)(cfg->devices[i].slot << 3);
	}
}

/* The GED's edge-triggered GSI: one pulse per event. */
static void acpi_ged_raise(void *opaque)
{
	struct acpi_dev *a = opaque;

	if (irq_line(&a->vm->irq, GSI_GED, true) == 0)
		irq_line(&a->vm->irq, GSI_GED, false);
}

static void acpi_ged_poweroff(void *opaque)
{
	struct acpi_dev *a = opaque;

	pr_info("acpi: the guest entered S5 (poweroff)");
	vm_request_stop(a->vm, VM_STOP_POWEROFF, 0);
}

static int acpi_to_fw_cfg(struct fw_cfg *fw, const struct acpi_tables *t)
{
	int r;

	r = fw_cfg_add_file(fw, ACPI_FWCFG_TABLES, t->tables, t->tables_len);
	r = r ?: fw_cfg_add_file(fw, ACPI_FWCFG_RSDP, t->rsdp,
				 sizeof(t->rsdp));
	r = r ?: fw_cfg_add_file(fw, ACPI_FWCFG_LOADER, t->loader,
				 t->loader_len);
	if (r)
		pr_err("acpi: adding the tables to fw_cfg: %s", strerror(-r));
	return r;
}

/* Direct kernel boot: no firmware to run the loader, so place them. */
static int acpi_to_ram(struct vm *vm, const struct acpi_tables *t)
{
	void *hva = mem_gpa_to_hva(&vm->mem, ACPI_DIRECT_GPA,
				   ACPI_DIRECT_SIZE);
	u64 rsdp;
	int r;

	if (!hva) {
		pr_err("acpi: no RAM at 0x%llx for the tables",
		       (unsigned long long)ACPI_DIRECT_GPA);
		return -ENOSPC;
	}
	r = acpi_place(t, ACPI_DIRECT_GPA, hva, ACPI_DIRECT_SIZE, &rsdp);
	if (r) {
		pr_err("acpi: placing the tables at 0x%llx: %s",
		       (unsigned long long)ACPI_DIRECT_GPA, strerror(-r));
		return r;
	}
	vm->images.acpi_rsdp = rsdp;
	return 0;
}

static int acpi_publish(struct vm *vm)
{
	struct fw_cfg *fw = fw_cfg_of(vm);
	struct acpi_machine m;
	struct acpi_tables t;
	int r;

	acpi_machine_of(vm->cfg, &m);
	r = acpi_build(&m, &t);
	if (r)
		return r;
	if (fw)
		r = acpi_to_fw_cfg(fw, &t);
	if (!r && !vm->images.firmware.size)
		r = acpi_to_ram(vm, &t);
	acpi_free(&t);
	return r;
}

static int acpi_dev_init(struct vm *vm, void **priv)
{
	struct acpi_dev *a = calloc(1, sizeof(*a));
	int r;

	if (!a)
		return -ENOMEM;
	a->vm = vm;
	ged_init(&a->ged, acpi_ged_raise, acpi_ged_poweroff, a);
	r = acpi_publish(vm);
	if (!r)
		r = ged_register(&a->ged, &vm->mmio, LAYOUT_GED);
	if (r) {
		free(a);
		return r;
	}
	a->ged_mapped = true;
	*priv = a;
	return 0;
}

static void acpi_dev_exit(struct vm *vm, void *priv)
{
	struct acpi_dev *a = priv;

	if (a->ged_mapped && bus_unregister(&vm->mmio, LAYOUT_GED))
		pr_debug("acpi: the GED was not on the bus");
	free(a);
}

bool acpi_powerdown(struct vm *vm)
{
	struct acpi_dev *a = devices_find(vm, ACPI_DEVICE_NAME);

	if (!a)
		return false;
	ged_powerdown(&a->ged);
	return true;
}

const struct device_ops acpi_device_ops = {
	.name = ACPI_DEVICE_NAME,
	.init = acpi_dev_init,
	.exit = acpi_dev_exit,
};
