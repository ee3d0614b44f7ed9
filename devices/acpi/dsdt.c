// SPDX-License-Identifier: GPL-2.0-only
/*
 * The DSDT. In ASL (what `iasl -d DSDT.dat` prints, roughly):
 *
 *   Name (_S5, Package (4) { 5, 0, 0, 0 })     // SLP_TYP for the GED
 *   Scope (\_SB) {
 *     Device (PCI0) {                          // the host bridge
 *       _HID PNP0A08, _CID PNP0A03, _SEG 0, _BBN 0, _UID 0
 *       _CRS: WordBusNumber (buses), IO (0xcf8, 8),
 *             WordIO (0x0000-0x0cf7), WordIO (0x0d00-0xffff),
 *             DWordMemory (32-bit window), [QWordMemory (64-bit window)]
 *       [_PRT: Package { Package { slot << 16 | 0xffff, pin, 0, GSI } }]
 *     }
 *     Device (MBRD) { PNP0C02: Memory32Fixed ECAM, GED registers }
 *     [Device (COM1) { PNP0501: IO (0x3f8, 8), Interrupt {4} }]
 *     Device (PWRB) { PNP0C0C }
 *     Device (GED_) {                          // ACPI0013
 *       _CRS: Interrupt (Edge, ActiveHigh, Exclusive) {GSI}
 *       OperationRegion (EREG, SystemMemory, base, 4)
 *       Field (EREG, DWordAcc, NoLock, WriteAsZeros) { ESEL, 32 }
 *       Method (_EVT, 1, Serialized) {
 *         Local0 = ESEL                        // read-to-clear
 *         If ((Local0 & 1) == 1) { Notify (\_SB.PWRB, 0x80) }
 *       }
 *     }
 *   }
 *
 * No _OSC: Linux then leaves native PCIe hotplug, AER and PME off and
 * keeps ASPM disabled, which suits a virtual root complex of MSI-X
 * devices (docs/acpi.md).
 */
#include "devices/acpi/acpi-priv.h"
#include "devices/acpi/ged.h"

#define DSDT_REVISION	2	/* 64-bit integers */
#define PCI_CFG_PORT	0xcf8

/* Name (name, ResourceTemplate () { rt... }) */
static int name_rt(struct aml *a, const char *name, struct aml *rt)
{
	return aml_rt_end(rt) ?: aml_error(rt) ?: aml_name(a, name) ?:
	       aml_buffer(a, rt->buf, rt->len);
}

static int pci_crs(struct aml *a, const struct acpi_machine *m)
{
	u64 m32_end = m->mmio32_base + m->mmio32_size - 1;
	struct aml rt;
	int r;

	aml_init(&rt);
	aml_rt_address(&rt, 2, AML_RT_BUS, 0, m->ecam_bus_start,
		       m->ecam_bus_end);
	/* the host bridge's own configuration ports, then the rest */
	aml_rt_io(&rt, PCI_CFG_PORT, PCI_CFG_PORT, 1, 8);
	aml_rt_address(&rt, 2, AML_RT_IO, AML_RT_IO_ENTIRE, 0,
		       PCI_CFG_PORT - 1);
	aml_rt_address(&rt, 2, AML_RT_IO, AML_RT_IO_ENTIRE, 0x0d00, 0xffff);
	aml_rt_address(&rt, 4, AML_RT_MEMORY, AML_RT_MEM_RW, m->mmio32_base,
		       m32_end);
	if (m->mmio64_size)
		aml_rt_address(&rt, 8, AML_RT_MEMORY,
			       AML_RT_MEM_RW | AML_RT_MEM_CACHEABLE,
			       m->mmio64_base,
			       m->mmio64_base + m->mmio64_size - 1);
	r = name_rt(a, "_CRS", &rt);
	aml_free(&rt);
	return r;
}

static int pci_prt(struct aml *a, const struct acpi_machine *m)
{
	const struct acpi_prt_entry *e;
	unsigned int i;

	if (!m->nr_prt)
		return 0;
	aml_name(a, "_PRT");
	aml_package(a, m->nr_prt);
	for (i = 0; i < m->nr_prt; i++) {
		e = &m->prt[i];
		aml_package(a, 4);
		aml_integer(a, (u32)e->slot << 16 | 0xffff);
		aml_integer(a, e->pin);
		aml_integer(a, 0);	/* source: a GSI, not a link device */
		aml_integer(a, e->gsi);
		aml_end(a);
	}
	return aml_end(a);
}

static int dev_pci0(struct aml *a, const struct acpi_machine *m)
{
	return aml_device(a, "PCI0") ?:
	       aml_name(a, "_HID") ?: aml_eisaid(a, "PNP0A08") ?:
	       aml_name(a, "_CID") ?: aml_eisaid(a, "PNP0A03") ?:
	       aml_name(a, "_SEG") ?: aml_integer(a, 0) ?:
	       aml_name(a, "_BBN") ?: aml_integer(a, m->ecam_bus_start) ?:
	       aml_name(a, "_UID") ?: aml_integer(a, 0) ?:
	       pci_crs(a, m) ?: pci_prt(a, m) ?: aml_end(a);
}

static int dev_mbrd(struct aml *a, const struct acpi_machine *m)
{
	u64 ecam = m->ecam_base + (u64)m->ecam_bus_start * SZ_1M;
	u32 ecam_len = ((u32)m->ecam_bus_end - m->ecam_bus_start + 1) << 20;
	struct aml rt;
	int r;

	aml_init(&rt);
	aml_rt_memory32_fixed(&rt, ecam, ecam_len, true);
	aml_rt_memory32_fixed(&rt, m->ged_base, LAYOUT_GED_SIZE, true);
	r = aml_device(a, "MBRD") ?:
	    aml_name(a, "_HID") ?: aml_eisaid(a, "PNP0C02") ?:
	    aml_name(a, "_UID") ?: aml_integer(a, 0) ?:
	    name_rt(a, "_CRS", &rt) ?: aml_end(a);
	aml_free(&rt);
	return r;
}

static int dev_com1(struct aml *a)
{
	struct aml rt;
	int r;

	aml_init(&rt);
	aml_rt_io(&rt, PORT_COM1, PORT_COM1, 1, 8);
	aml_rt_interrupt(&rt, GSI_COM1, AML_RT_IRQ_CONSUMER | AML_RT_IRQ_EDGE);
	r = aml_device(a, "COM1") ?:
	    aml_name(a, "_HID") ?: aml_eisaid(a, "PNP0501") ?:
	    aml_name(a, "_UID") ?: aml_integer(a, 1) ?:
	    name_rt(a, "_CRS", &rt) ?: aml_end(a);
	aml_free(&rt);
	return r;
}

static int dev_pwrb(struct aml *a)
{
	return aml_device(a, "PWRB") ?:
	       aml_name(a, "_HID") ?: aml_eisaid(a, "PNP0C0C") ?:
	       aml_name(a, "_UID") ?: aml_integer(a, 0) ?: aml_end(a);
}

/* Method (_EVT, 1, Serialized): read EVT once, notify per bit. */
static int ged_evt(struct aml *a)
{
	return aml_method(a, "_EVT", 1, true) ?:
	       aml_store(a) ?: aml_name_string(a, "ESEL") ?: aml_local(a, 0) ?:
	       aml_if(a) ?:
	       aml_lequal(a) ?: aml_and(a) ?: aml_local(a, 0) ?:
	       aml_integer(a, GED_EVT_PWRBTN) ?: aml_null_target(a) ?:
	       aml_integer(a, GED_EVT_PWRBTN) ?:
	       aml_notify(a) ?: aml_name_string(a, "\\_SB.PWRB") ?:
	       aml_integer(a, 0x80) ?:		/* button pressed */
	       aml_end(a) ?: aml_end(a);
}

static int dev_ged(struct aml *a, const struct acpi_machine *m)
{
	struct aml rt;
	int r;

	aml_init(&rt);
	aml_rt_interrupt(&rt, m->ged_gsi,
			 AML_RT_IRQ_CONSUMER | AML_RT_IRQ_EDGE);
	r = aml_device(a, "GED") ?:
	    aml_name(a, "_HID") ?: aml_string(a, "ACPI0013") ?:
	    aml_name(a, "_UID") ?: aml_integer(a, 0) ?:
	    name_rt(a, "_CRS", &rt) ?:
	    aml_operation_region(a, "EREG", AML_SYSTEM_MEMORY,
				 m->ged_base + GED_REG_EVT, 4) ?:
	    aml_field(a, "EREG", AML_ACCESS_DWORD, AML_FIELD_WRITE_ZEROS) ?:
	    aml_field_unit(a, "ESEL", 32) ?: aml_end(a) ?:
	    ged_evt(a) ?: aml_end(a);
	aml_free(&rt);
	return r;
}

static int sleep_s5(struct aml *a)
{
	return aml_name(a, "_S5") ?: aml_package(a, 4) ?:
	       aml_integer(a, GED_SLP_TYP_S5) ?: aml_integer(a, 0) ?:
	       aml_integer(a, 0) ?: aml_integer(a, 0) ?: aml_end(a);
}

int acpi_build_dsdt(struct acpi_builder *b)
{
	const struct acpi_machine *m = b->m;
	struct aml *a = &b->out;
	int r;

	r = acpi_table_begin(b, "DSDT", DSDT_REVISION) ?: sleep_s5(a) ?:
	    aml_scope(a, "\\_SB") ?: dev_pci0(a, m) ?: dev_mbrd(a, m);
	if (!r && m->com1)
		r = dev_com1(a);
	return r ?: dev_pwrb(a) ?: dev_ged(a, m) ?: aml_end(a) ?:
	       acpi_table_end(b);
}
