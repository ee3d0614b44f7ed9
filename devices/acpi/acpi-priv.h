/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Private to devices/acpi/{tables,dsdt,loader,output}.c: the builder
 * state while the tables file grows, and the header and RSDP layouts.
 */
#ifndef SEVM_DEVICES_ACPI_ACPI_PRIV_H
#define SEVM_DEVICES_ACPI_ACPI_PRIV_H

#include "devices/acpi/acpi.h"
#include "devices/acpi/aml.h"

/* Offsets in the common table header */
#define ACPI_HDR_LENGTH		4
#define ACPI_HDR_CHECKSUM	9

/* Offsets in the RSDP (ACPI 2.0+) */
#define RSDP_CHECKSUM		8
#define RSDP_V1_LEN		20	/* the range of the first checksum */
#define RSDP_XSDT		24
#define RSDP_EXT_CHECKSUM	32

struct acpi_builder {
	struct aml out;			/* the tables file so far */
	struct acpi_tables *t;
	const struct acpi_machine *m;
};

/* tables.c: start a table (8-byte aligned header), finish it (length,
 * checksum, entry in t->table). */
int acpi_table_begin(struct acpi_builder *b, const char *sig, u8 rev);
int acpi_table_end(struct acpi_builder *b);
/* dsdt.c: the DSDT of b->m, as one table. */
int acpi_build_dsdt(struct acpi_builder *b);
/* viot.c: the VIOT when b->m->viot, else nothing. */
int acpi_build_viot(struct acpi_builder *b);
/* loader.c: t->loader from t->table and t->ptr. */
int acpi_build_loader(struct acpi_tables *t);

#endif /* SEVM_DEVICES_ACPI_ACPI_PRIV_H */
