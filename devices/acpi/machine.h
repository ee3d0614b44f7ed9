/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The ACPI device of a running VM: builds the tables of the configured
 * machine, hands them to firmware through fw_cfg (etc/acpi/tables,
 * etc/acpi/rsdp, etc/table-loader) or, for a direct kernel boot, places
 * them at ACPI_DIRECT_GPA in RAM and records the RSDP for the boot
 * protocol; and runs the GED power button (QMP system_powerdown) and the
 * guest's S5 poweroff. Everything here is host-provided and unmeasured
 * under SEV, as in QEMU.
 */
#ifndef SEVM_DEVICES_ACPI_MACHINE_H
#define SEVM_DEVICES_ACPI_MACHINE_H

#include "devices/acpi/acpi.h"
#include "devices/acpi/ged.h"

#define ACPI_DEVICE_NAME	"acpi"
#define ACPI_DIRECT_GPA		0xe0000ull	/* direct boot: RSDP here */
#define ACPI_DIRECT_SIZE	0x20000ull	/* up to 1 MiB (e820 reserved) */
#define ACPI_PCI_MMIO64_SIZE	(32 * SZ_1G)

struct vm;
struct vm_config;

/*
 * The machine the tables describe: --cpus vCPUs, COM1 unless --serial
 * none, and a 32 GiB 64-bit PCI window from the end of high RAM (4 GiB
 * without any) rounded up to 1 GiB.
 */
#ifdef CONFIG_ACPI
void acpi_machine_of(const struct vm_config *cfg, struct acpi_machine *m);
extern const struct device_ops acpi_device_ops;
/* Press the power button; false if the VM has no ACPI device. */
bool acpi_powerdown(struct vm *vm);
#else
static inline void acpi_machine_of(const struct vm_config *cfg,
				   struct acpi_machine *m) { }
static inline bool acpi_powerdown(struct vm *vm) { return false; }
#endif

#endif /* SEVM_DEVICES_ACPI_MACHINE_H */
