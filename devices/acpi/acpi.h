/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ACPI tables of sevm's q35-like PCIe machine (docs/acpi.md): RSDP (v2)
 * -> XSDT -> FADT (hardware-reduced, X_DSDT -> DSDT), MADT, MCFG.
 *
 * acpi_build() turns a struct acpi_machine into the three fw_cfg files
 * QEMU's firmware interface uses:
 *
 *   etc/acpi/tables    every table, concatenated; each pointer field holds
 *                      the offset of its target within this file
 *   etc/acpi/rsdp      the RSDP; its XSDT pointer is such an offset
 *   etc/table-loader   QEMU's BIOS linker/loader commands (128-byte
 *                      entries) that allocate both files, add the tables'
 *                      address to every pointer and redo the checksums
 *
 * Every checksum is already valid as built (over the offsets), so the
 * loader's incremental checksum commands leave them valid after patching.
 * For a guest booted without firmware, acpi_place() lays the RSDP and the
 * tables out in guest memory with absolute pointers. All functions are
 * pure (no I/O) except acpi_dump_dir().
 */
#ifndef SEVM_DEVICES_ACPI_ACPI_H
#define SEVM_DEVICES_ACPI_ACPI_H

#include <errno.h>

#include "firmware/handoff.h"
#include "lib/util.h"

#define ACPI_OEM_ID		"SEVM  "	/* 6 characters */
#define ACPI_OEM_TABLE_ID	"SEVMQ35 "	/* 8 characters */
#define ACPI_CREATOR_ID		"SEVM"
#define ACPI_HYPERVISOR_ID	"SEVM"		/* FADT hypervisor vendor */

#define ACPI_FWCFG_TABLES	"etc/acpi/tables"
#define ACPI_FWCFG_RSDP		"etc/acpi/rsdp"
#define ACPI_FWCFG_LOADER	"etc/table-loader"

#define ACPI_RSDP_SIZE		36
#define ACPI_HEADER_SIZE	36
#define ACPI_MAX_TABLES		8	/* DSDT FACP APIC MCFG XSDT + room */
#define ACPI_MAX_POINTERS	16
#define ACPI_MAX_PRT		128	/* _PRT entries */
#define ACPI_MAX_CPUS		256
#define ACPI_PCI_SLOTS		32

/* acpi_place(): the tables start this far after the RSDP. */
#define ACPI_PLACE_TABLES_OFFSET	64
/* Where acpi_dump_dir() places the tables (the direct-boot address). */
#define ACPI_DUMP_GPA		0xe0000ull

/* An INTx route of _PRT: slot's pin (0 = INTA .. 3 = INTD) -> GSI. */
struct acpi_prt_entry {
	u8 slot;			/* 0..31 on bus 0 */
	u8 pin;
	u32 gsi;
};

/*
 * The machine the tables describe. acpi_machine_init() fills in sevm's
 * q35-like defaults (firmware/handoff.h); the caller sets nr_cpus, the
 * 64-bit window, COM1 and, if INTx is used, the _PRT. A later VIOT table
 * (a virtio-iommu PCI function and the endpoint range it translates)
 * becomes one more optional member and one more builder in tables.c.
 */
struct acpi_machine {
	unsigned int nr_cpus;		/* 1..ACPI_MAX_CPUS, APIC IDs 0..n-1 */
	u64 ecam_base;			/* MCFG, segment 0 */
	u8 ecam_bus_start, ecam_bus_end;
	u64 mmio32_base, mmio32_size;	/* below 4 GiB */
	u64 mmio64_base, mmio64_size;	/* size 0: no 64-bit window */
	u32 ioapic_base;
	u8 ioapic_id;
	u32 lapic_base;
	bool com1;			/* PNP0501 at 0x3f8, IRQ 4 */
	u64 ged_base;			/* GED event register block */
	u32 ged_gsi;			/* its edge-triggered interrupt */
	const struct acpi_prt_entry *prt;	/* NULL/0: no _PRT */
	unsigned int nr_prt;
	bool viot;			/* a virtio-iommu: VIOT table */
	u16 viot_bdf;			/* its PCI BDF (segment 0) */
};

/* etc/table-loader: QEMU's BIOS linker/loader commands (SeaBIOS
 * src/fw/romfile_loader.h), little-endian, one per 128 bytes. */
#define LOADER_ENTRY_SIZE	128
#define LOADER_FILESZ		56	/* file names, NUL-padded */
#define LOADER_ALLOCATE		1	/* file[56] align:u32 zone:u8 */
#define LOADER_ADD_POINTER	2	/* dest[56] src[56] offset:u32 size */
#define LOADER_ADD_CHECKSUM	3	/* file[56] offset start length: u32 */
#define LOADER_ZONE_HIGH	1
#define LOADER_ZONE_FSEG	2
#define LOADER_TABLES_ALIGN	64
#define LOADER_RSDP_ALIGN	16

/* Which file a pointer field lives in. */
enum acpi_file { ACPI_FILE_TABLES, ACPI_FILE_RSDP };

struct acpi_table_info {
	char sig[5];			/* "FACP", NUL-terminated */
	u32 offset;			/* in the tables file */
	u32 len;
};

/* A pointer field: its target's offset in the tables file is stored in
 * the field; the loader (or acpi_place) adds the tables' address. */
struct acpi_pointer {
	u8 file;			/* enum acpi_file */
	u8 size;			/* 8 */
	u32 offset;			/* of the field within its file */
};

struct acpi_tables {
	u8 *tables;			/* etc/acpi/tables */
	size_t tables_len;
	u8 rsdp[ACPI_RSDP_SIZE];	/* etc/acpi/rsdp */
	u8 *loader;			/* etc/table-loader */
	size_t loader_len;
	struct acpi_table_info table[ACPI_MAX_TABLES];
	unsigned int nr_tables;
	struct acpi_pointer ptr[ACPI_MAX_POINTERS];
	unsigned int nr_ptrs;
};

#ifdef CONFIG_ACPI

/* The 8-bit checksum byte that makes len bytes at p sum to 0 (with the
 * checksum byte itself counted as 0). */
u8 acpi_checksum(const void *p, size_t len);

/* sevm's machine: ECAM, windows, IOAPIC, GED from firmware/handoff.h,
 * COM1 present, no 64-bit window, no _PRT. */
void acpi_machine_init(struct acpi_machine *m, unsigned int nr_cpus);
/*
 * Build all tables and the loader file into t (free with acpi_free;
 * after a failure t holds nothing). -EINVAL (one error line) for an
 * inconsistent machine: nr_cpus out of range, a window that wraps,
 * overlaps the ECAM or (64-bit) lies below 4 GiB, a bad GED address or
 * GSI, a _PRT entry with a bad slot or pin; -ENOMEM; -E2BIG.
 */
int acpi_build(const struct acpi_machine *m,
	       struct acpi_tables *t) __must_check;
void acpi_free(struct acpi_tables *t);
/* The table by signature, NULL if absent. */
const struct acpi_table_info *acpi_find(const struct acpi_tables *t,
					const char *sig);

/* Bytes acpi_place() needs: the RSDP, padding, the tables. */
size_t acpi_placed_size(const struct acpi_tables *t);
/*
 * Copy the RSDP to hva (guest-physical gpa, 16-byte aligned) and the
 * tables ACPI_PLACE_TABLES_OFFSET bytes after it, patch every pointer to
 * its absolute address and fix all checksums. *rsdp_gpa = gpa (what
 * boot_params.acpi_rsdp_addr / hvm_start_info.rsdp_paddr want).
 * -EINVAL for a misaligned or wrapping gpa, -ENOSPC if size is too small.
 */
int acpi_place(const struct acpi_tables *t, u64 gpa, void *hva, size_t size,
	       u64 *rsdp_gpa) __must_check;
/*
 * Write DIR/SIG.dat for every table and DIR/RSDP.dat, as placed at
 * ACPI_DUMP_GPA (so iasl -d sees valid pointers and checksums). Files are
 * replaced atomically, mode 0644. DIR must exist. One error line naming
 * the directory or file; -errno.
 */
int acpi_dump_dir(const struct acpi_tables *t, const char *dir) __must_check;

#else /* !CONFIG_ACPI */

static inline void acpi_machine_init(struct acpi_machine *m,
				     unsigned int nr_cpus)
{
	*m = (struct acpi_machine){ .nr_cpus = nr_cpus };
}

static inline int acpi_build(const struct acpi_machine *m,
			     struct acpi_tables *t)
{
	*t = (struct acpi_tables){ 0 };
	return -ENOSYS;
}

static inline void acpi_free(struct acpi_tables *t)
{
}

static inline int acpi_dump_dir(const struct acpi_tables *t, const char *dir)
{
	return -ENOSYS;
}

#endif /* CONFIG_ACPI */

#endif /* SEVM_DEVICES_ACPI_ACPI_H */
