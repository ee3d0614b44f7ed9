// SPDX-License-Identifier: GPL-2.0-only
/*
 * The tables file (etc/acpi/tables) and the RSDP: DSDT, FADT, MADT, MCFG,
 * then the XSDT pointing at all but the DSDT. Layouts from the ACPI 6.3
 * specification, chapter 5.2. Each pointer field is written as its
 * target's offset in the tables file and recorded in t->ptr; each table
 * is checksummed as built.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "devices/acpi/acpi-priv.h"
#include "devices/acpi/ged.h"
#include "lib/log.h"

#define FADT_REVISION		6
#define FADT_MINOR		3	/* ACPI 6.3 */
#define MADT_REVISION		5
#define IOAPIC_PINS		24

/* FADT flags and IAPC_BOOT_ARCH bits */
#define FADT_F_WBINVD		(1u << 0)
#define FADT_F_PWR_BUTTON	(1u << 4)	/* no fixed power button */
#define FADT_F_SLP_BUTTON	(1u << 5)	/* no fixed sleep button */
#define FADT_F_RESET_REG_SUP	(1u << 10)
#define FADT_F_HW_REDUCED	(1u << 20)
#define IAPC_VGA_NOT_PRESENT	(1u << 2)
#define IAPC_CMOS_RTC_ABSENT	(1u << 5)

/* Generic Address Structure spaces and access sizes */
#define GAS_SYSTEM_MEMORY	0
#define GAS_SYSTEM_IO		1
#define GAS_ACCESS_BYTE		1

/* MADT */
#define MADT_PCAT_COMPAT	(1u << 0)
#define MADT_LAPIC		0
#define MADT_IOAPIC		1
#define MADT_INT_OVERRIDE	2
#define MADT_X2APIC		9
#define MADT_ENABLED		(1u << 0)
#define MPS_ACTIVE_HIGH		1u
#define MPS_EDGE		(1u << 2)

#define RESET_PORT		0x64	/* sevm's i8042 */
#define RESET_VALUE		0xfe

u8 acpi_checksum(const void *p, size_t len)
{
	const u8 *b = p;
	u8 sum = 0;

	while (len--)
		sum += *b++;
	return -sum;
}

void acpi_machine_init(struct acpi_machine *m, unsigned int nr_cpus)
{
	*m = (struct acpi_machine){
		.nr_cpus = nr_cpus,
		.ecam_base = LAYOUT_PCIE_MMCONFIG,
		.ecam_bus_start = 0,
		.ecam_bus_end = 255,
		.mmio32_base = LAYOUT_PCI_MMIO32_BASE,
		.mmio32_size = LAYOUT_PCI_MMIO32_SIZE,
		.ioapic_base = LAYOUT_IOAPIC,
		.ioapic_id = 0,
		.lapic_base = LAYOUT_LAPIC,
		.com1 = true,
		.ged_base = LAYOUT_GED,
		.ged_gsi = GSI_GED,
	};
}

const struct acpi_table_info *acpi_find(const struct acpi_tables *t,
					const char *sig)
{
	unsigned int i;

	for (i = 0; i < t->nr_tables; i++)
		if (!strncmp(t->table[i].sig, sig, 4))
			return &t->table[i];
	return NULL;
}

/* ---- Checking the machine */

static int bad_machine(const char *what, unsigned long long v)
{
	pr_err("acpi: machine: %s 0x%llx: not usable", what, v);
	return -EINVAL;
}

static u64 ecam_end(const struct acpi_machine *m)
{
	return m->ecam_base + ((u64)m->ecam_bus_end + 1) * SZ_1M;
}

/* [base, base + size) overlaps the ECAM range of the buses decoded. */
static bool hits_ecam(const struct acpi_machine *m, u64 base, u64 size)
{
	u64 start = m->ecam_base + (u64)m->ecam_bus_start * SZ_1M;

	return base < ecam_end(m) && start < base + size;
}

static int check_prt(const struct acpi_machine *m)
{
	unsigned int i;

	if (m->nr_prt > ACPI_MAX_PRT || (m->nr_prt && !m->prt))
		return bad_machine("_PRT entries", m->nr_prt);
	for (i = 0; i < m->nr_prt; i++) {
		if (m->prt[i].slot >= ACPI_PCI_SLOTS)
			return bad_machine("_PRT slot", m->prt[i].slot);
		if (m->prt[i].pin > 3)
			return bad_machine("_PRT pin", m->prt[i].pin);
	}
	return 0;
}

static int check_machine(const struct acpi_machine *m)
{
	if (m->nr_cpus < 1 || m->nr_cpus > ACPI_MAX_CPUS)
		return bad_machine("nr_cpus", m->nr_cpus);
	/* (bases are checked below 4 GiB first: no sum can wrap) */
	if (m->ecam_bus_start > m->ecam_bus_end || m->ecam_base >= SZ_4G ||
	    ecam_end(m) > SZ_4G || !IS_ALIGNED(m->ecam_base, SZ_1M))
		return bad_machine("ECAM base", m->ecam_base);
	if (!m->mmio32_size || m->mmio32_base >= SZ_4G ||
	    m->mmio32_size > SZ_4G - m->mmio32_base ||
	    hits_ecam(m, m->mmio32_base, m->mmio32_size))
		return bad_machine("32-bit MMIO window", m->mmio32_base);
	if (m->mmio64_size && (m->mmio64_base < SZ_4G ||
			       m->mmio64_base + m->mmio64_size - 1 <
			       m->mmio64_base))
		return bad_machine("64-bit MMIO window", m->mmio64_base);
	if (m->ged_base > SZ_4G - LAYOUT_GED_SIZE ||
	    hits_ecam(m, m->ged_base, LAYOUT_GED_SIZE))
		return bad_machine("GED base", m->ged_base);
	/* not the 8259 cascade (0), the PIT (2) or COM1 */
	if (m->ged_gsi >= IOAPIC_PINS || m->ged_gsi == 0 || m->ged_gsi == 2 ||
	    m->ged_gsi == GSI_COM1)
		return bad_machine("GED GSI", m->ged_gsi);
	return check_prt(m);
}

/* ---- Tables file */

int acpi_table_begin(struct acpi_builder *b, const char *sig, u8 rev)
{
	struct aml *o = &b->out;
	struct acpi_table_info *ti;

	if (b->t->nr_tables == ACPI_MAX_TABLES)
		return -E2BIG;
	aml_zeros(o, ALIGN_UP(o->len, 8) - o->len);
	ti = &b->t->table[b->t->nr_tables];
	memcpy(ti->sig, sig, 4);
	ti->sig[4] = 0;
	ti->offset = o->len;
	return aml_put(o, sig, 4) ?: aml_u32(o, 0) ?: aml_u8(o, rev) ?:
	       aml_u8(o, 0) ?: aml_put(o, ACPI_OEM_ID, 6) ?:
	       aml_put(o, ACPI_OEM_TABLE_ID, 8) ?: aml_u32(o, 1) ?:
	       aml_put(o, ACPI_CREATOR_ID, 4) ?: aml_u32(o, 1);
}

int acpi_table_end(struct acpi_builder *b)
{
	struct acpi_table_info *ti = &b->t->table[b->t->nr_tables];
	struct aml *o = &b->out;
	u8 *hdr;
	int r = aml_error(o);

	if (r)
		return r;
	if (b->t->nr_tables == ACPI_MAX_TABLES)
		return -E2BIG;
	if (o->len - ti->offset > UINT32_MAX)
		return -E2BIG;
	ti->len = o->len - ti->offset;
	hdr = o->buf + ti->offset;
	memcpy(hdr + ACPI_HDR_LENGTH, &ti->len, 4);
	hdr[ACPI_HDR_CHECKSUM] = acpi_checksum(hdr, ti->len);
	b->t->nr_tables++;
	return 0;
}

/* A pointer field at the end of the tables file, holding target. */
static int table_pointer(struct acpi_builder *b, u32 target)
{
	struct acpi_tables *t = b->t;

	if (t->nr_ptrs == ACPI_MAX_POINTERS)
		return -E2BIG;
	t->ptr[t->nr_ptrs++] = (struct acpi_pointer){
		.file = ACPI_FILE_TABLES, .size = 8, .offset = b->out.len };
	return aml_u64(&b->out, target);
}

static int gas(struct aml *o, u8 space, u8 bits, u8 access, u64 addr)
{
	return aml_u8(o, space) ?: aml_u8(o, bits) ?: aml_u8(o, 0) ?:
	       aml_u8(o, access) ?: aml_u64(o, addr);
}

/* FADT bytes 36..131: everything before X_FIRMWARE_CTRL. */
static int fadt_legacy_part(struct aml *o)
{
	aml_zeros(o, 4 + 4);		/* FIRMWARE_CTRL, DSDT: X_ only */
	aml_zeros(o, 1 + 1 + 2);	/* reserved, PM profile, SCI_INT */
	aml_zeros(o, 4 + 4);		/* SMI_CMD .. PSTATE_CNT */
	aml_zeros(o, 8 * 4 + 8);	/* PM and GPE blocks and lengths */
	aml_u16(o, 0x0fff);		/* P_LVL2_LAT: no C2 */
	aml_u16(o, 0x0fff);		/* P_LVL3_LAT: no C3 */
	aml_zeros(o, 2 + 2 + 5);	/* FLUSH_*, DUTY_*, alarms, CENTURY */
	aml_u16(o, IAPC_VGA_NOT_PRESENT | IAPC_CMOS_RTC_ABSENT);
	aml_u8(o, 0);
	aml_u32(o, FADT_F_WBINVD | FADT_F_PWR_BUTTON | FADT_F_SLP_BUTTON |
		   FADT_F_RESET_REG_SUP | FADT_F_HW_REDUCED);
	gas(o, GAS_SYSTEM_IO, 8, GAS_ACCESS_BYTE, RESET_PORT);
	aml_u8(o, RESET_VALUE);
	aml_u16(o, 0);			/* ARM_BOOT_ARCH */
	return aml_u8(o, FADT_MINOR);
}

static int build_fadt(struct acpi_builder *b)
{
	const struct acpi_table_info *dsdt = acpi_find(b->t, "DSDT");
	struct aml *o = &b->out;
	u64 ged = b->m->ged_base;
	int r;

	if (!dsdt)
		return -EINVAL;
	r = acpi_table_begin(b, "FACP", FADT_REVISION) ?:
	    fadt_legacy_part(o) ?:
	    aml_u64(o, 0) ?:		/* X_FIRMWARE_CTRL: no FACS */
	    table_pointer(b, dsdt->offset);	/* X_DSDT */
	if (r)
		return r;
	aml_zeros(o, 8 * 12);		/* X_PM1a_EVT_BLK .. X_GPE1_BLK */
	gas(o, GAS_SYSTEM_MEMORY, 8, GAS_ACCESS_BYTE, ged + GED_REG_SLEEP_CTL);
	gas(o, GAS_SYSTEM_MEMORY, 8, GAS_ACCESS_BYTE, ged + GED_REG_SLEEP_STS);
	aml_put(o, ACPI_HYPERVISOR_ID, 4);
	aml_zeros(o, 4);
	return acpi_table_end(b);
}

static int madt_cpu(struct aml *o, unsigned int id)
{
	if (id < 0xff)		/* 0xff is the xAPIC broadcast ID */
		return aml_u8(o, MADT_LAPIC) ?: aml_u8(o, 8) ?:
		       aml_u8(o, id) ?: aml_u8(o, id) ?:
		       aml_u32(o, MADT_ENABLED);
	return aml_u8(o, MADT_X2APIC) ?: aml_u8(o, 16) ?: aml_u16(o, 0) ?:
	       aml_u32(o, id) ?: aml_u32(o, MADT_ENABLED) ?: aml_u32(o, id);
}

static int build_madt(struct acpi_builder *b)
{
	const struct acpi_machine *m = b->m;
	struct aml *o = &b->out;
	unsigned int i;
	int r;

	r = acpi_table_begin(b, "APIC", MADT_REVISION);
	if (r)
		return r;
	aml_u32(o, m->lapic_base);
	aml_u32(o, MADT_PCAT_COMPAT);	/* KVM's irqchip has the 8259s */
	for (i = 0; i < m->nr_cpus; i++)
		madt_cpu(o, i);
	aml_u8(o, MADT_IOAPIC);
	aml_u8(o, 12);
	aml_u8(o, m->ioapic_id);
	aml_u8(o, 0);
	aml_u32(o, m->ioapic_base);
	aml_u32(o, 0);			/* GSI base */
	/* ISA IRQ 0 (the PIT) is wired to pin 2, as on every PC */
	aml_u8(o, MADT_INT_OVERRIDE);
	aml_u8(o, 10);
	aml_u8(o, 0);			/* bus: ISA */
	aml_u8(o, 0);			/* source IRQ */
	aml_u32(o, 2);			/* GSI */
	aml_u16(o, MPS_ACTIVE_HIGH | MPS_EDGE);
	return acpi_table_end(b);
}

static int build_mcfg(struct acpi_builder *b)
{
	const struct acpi_machine *m = b->m;
	struct aml *o = &b->out;
	int r;

	r = acpi_table_begin(b, "MCFG", 1);
	if (r)
		return r;
	aml_zeros(o, 8);
	aml_u64(o, m->ecam_base);
	aml_u16(o, 0);			/* PCI segment */
	aml_u8(o, m->ecam_bus_start);
	aml_u8(o, m->ecam_bus_end);
	aml_u32(o, 0);
	return acpi_table_end(b);
}

/*
 * The tables in file order. The XSDT lists those marked so; a new table
 * (VIOT for a virtio-iommu, SRAT, ...) is one more line here.
 */
static const struct acpi_table_builder {
	int (*build)(struct acpi_builder *b);
	bool in_xsdt;
} builders[] = {
	{ acpi_build_dsdt, false },
	{ build_fadt, true },
	{ build_madt, true },
	{ build_mcfg, true },
	{ acpi_build_viot, true },	/* only with a virtio-iommu */
};

/* The signature each of builders[] writes. */
static const char *const builder_sigs[ARRAY_SIZE(builders)] = {
	"DSDT", "FACP", "APIC", "MCFG", "VIOT",
};

/* A builder may add no table (VIOT): look the flag up by signature. */
static bool in_xsdt(const char *sig)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(builders); i++)
		if (!strcmp(sig, builder_sigs[i]))
			return builders[i].in_xsdt;
	return false;
}

static int build_xsdt(struct acpi_builder *b)
{
	unsigned int i, n = b->t->nr_tables;
	int r;

	r = acpi_table_begin(b, "XSDT", 1);
	for (i = 0; !r && i < n; i++)
		if (in_xsdt(b->t->table[i].sig))
			r = table_pointer(b, b->t->table[i].offset);
	return r ?: acpi_table_end(b);
}

static void build_rsdp(struct acpi_tables *t)
{
	const struct acpi_table_info *xsdt = acpi_find(t, "XSDT");
	u8 *p = t->rsdp;
	u32 len = ACPI_RSDP_SIZE;
	u64 off = xsdt->offset;

	memset(p, 0, ACPI_RSDP_SIZE);
	memcpy(p, "RSD PTR ", 8);
	memcpy(p + 9, ACPI_OEM_ID, 6);
	p[15] = 2;			/* revision: ACPI 2.0+ */
	memcpy(p + 20, &len, 4);
	memcpy(p + RSDP_XSDT, &off, 8);
	p[RSDP_CHECKSUM] = acpi_checksum(p, RSDP_V1_LEN);
	p[RSDP_EXT_CHECKSUM] = acpi_checksum(p, ACPI_RSDP_SIZE);
	t->ptr[t->nr_ptrs++] = (struct acpi_pointer){
		.file = ACPI_FILE_RSDP, .size = 8, .offset = RSDP_XSDT };
}

static int build_all(struct acpi_builder *b)
{
	unsigned int i;
	int r = 0;

	for (i = 0; !r && i < ARRAY_SIZE(builders); i++)
		r = builders[i].build(b);
	if (!r)
		r = build_xsdt(b);
	if (r)
		return r;
	if (b->t->nr_ptrs == ACPI_MAX_POINTERS)
		return -E2BIG;
	b->t->tables = aml_take(&b->out, &b->t->tables_len);
	build_rsdp(b->t);
	return acpi_build_loader(b->t);
}

int acpi_build(const struct acpi_machine *m, struct acpi_tables *t)
{
	struct acpi_builder b = { .t = t, .m = m };
	int r;

	memset(t, 0, sizeof(*t));
	r = check_machine(m);
	if (r)
		return r;
	aml_init(&b.out);
	r = build_all(&b);
	aml_free(&b.out);
	if (r) {
		pr_err("acpi: build tables: %s", strerror(-r));
		acpi_free(t);
	}
	return r;
}

void acpi_free(struct acpi_tables *t)
{
	free(t->tables);
	free(t->loader);
	memset(t, 0, sizeof(*t));
}
