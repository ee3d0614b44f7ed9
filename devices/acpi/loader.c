// SPDX-License-Identifier: GPL-2.0-only
/*
 * etc/table-loader: the command file of QEMU's BIOS linker/loader, which
 * SeaBIOS (src/fw/romfile_loader.c) and OVMF (AcpiPlatformDxe) execute.
 *
 *   ALLOCATE     etc/acpi/tables, align 64, HIGH memory
 *   ALLOCATE     etc/acpi/rsdp, align 16, FSEG (where the RSDP is sought)
 *   per table:   ADD_POINTER for each pointer field in it, then
 *                ADD_CHECKSUM over the table
 *   RSDP:        ADD_POINTER (XSDT), ADD_CHECKSUM over bytes 0..19, then
 *                the extended checksum over all 36 bytes
 *
 * ADD_POINTER adds the source file's address to the field (which holds an
 * offset in it); ADD_CHECKSUM subtracts the range's byte sum from the
 * checksum byte. Both are incremental, so tables whose checksums are
 * valid as shipped stay valid.
 */
#include <errno.h>
#include <string.h>

#include "devices/acpi/acpi-priv.h"

static int entry_begin(struct aml *o, u32 cmd)
{
	return aml_u32(o, cmd);
}

/* A file name field: NUL-padded to LOADER_FILESZ. */
static int file_name(struct aml *o, const char *name)
{
	size_t n = strlen(name);

	if (n >= LOADER_FILESZ)
		return -ENAMETOOLONG;
	return aml_put(o, name, n) ?: aml_zeros(o, LOADER_FILESZ - n);
}

/* Pad the entry that started at start to LOADER_ENTRY_SIZE. */
static int entry_end(struct aml *o, size_t start)
{
	return aml_zeros(o, start + LOADER_ENTRY_SIZE - o->len);
}

static int cmd_allocate(struct aml *o, const char *file, u32 align, u8 zone)
{
	size_t start = o->len;

	return entry_begin(o, LOADER_ALLOCATE) ?: file_name(o, file) ?:
	       aml_u32(o, align) ?: aml_u8(o, zone) ?: entry_end(o, start);
}

static int cmd_add_pointer(struct aml *o, const char *dest, const char *src,
			   u32 offset, u8 size)
{
	size_t start = o->len;

	return entry_begin(o, LOADER_ADD_POINTER) ?: file_name(o, dest) ?:
	       file_name(o, src) ?: aml_u32(o, offset) ?: aml_u8(o, size) ?:
	       entry_end(o, start);
}

static int cmd_add_checksum(struct aml *o, const char *file, u32 offset,
			    u32 start_off, u32 len)
{
	size_t start = o->len;

	return entry_begin(o, LOADER_ADD_CHECKSUM) ?: file_name(o, file) ?:
	       aml_u32(o, offset) ?: aml_u32(o, start_off) ?:
	       aml_u32(o, len) ?: entry_end(o, start);
}

static const char *file_of(const struct acpi_pointer *p)
{
	return p->file == ACPI_FILE_RSDP ? ACPI_FWCFG_RSDP : ACPI_FWCFG_TABLES;
}

/* The pointers of file whose field lies in [start, start + len). */
static int pointers_in(struct aml *o, const struct acpi_tables *t,
		       enum acpi_file file, u32 start, u32 len)
{
	const struct acpi_pointer *p;
	int r = 0;

	for (p = t->ptr; !r && p < t->ptr + t->nr_ptrs; p++)
		if (p->file == file && p->offset >= start &&
		    p->offset - start < len)
			r = cmd_add_pointer(o, file_of(p), ACPI_FWCFG_TABLES,
					    p->offset, p->size);
	return r;
}

static int table_commands(struct aml *o, const struct acpi_tables *t)
{
	const struct acpi_table_info *ti;
	int r = 0;

	for (ti = t->table; !r && ti < t->table + t->nr_tables; ti++)
		r = pointers_in(o, t, ACPI_FILE_TABLES, ti->offset, ti->len) ?:
		    cmd_add_checksum(o, ACPI_FWCFG_TABLES,
				     ti->offset + ACPI_HDR_CHECKSUM,
				     ti->offset, ti->len);
	return r;
}

int acpi_build_loader(struct acpi_tables *t)
{
	struct aml o;
	int r;

	aml_init(&o);
	r = cmd_allocate(&o, ACPI_FWCFG_TABLES, LOADER_TABLES_ALIGN,
			 LOADER_ZONE_HIGH) ?:
	    cmd_allocate(&o, ACPI_FWCFG_RSDP, LOADER_RSDP_ALIGN,
			 LOADER_ZONE_FSEG) ?:
	    table_commands(&o, t) ?:
	    pointers_in(&o, t, ACPI_FILE_RSDP, 0, ACPI_RSDP_SIZE) ?:
	    cmd_add_checksum(&o, ACPI_FWCFG_RSDP, RSDP_CHECKSUM, 0,
			     RSDP_V1_LEN) ?:
	    cmd_add_checksum(&o, ACPI_FWCFG_RSDP, RSDP_EXT_CHECKSUM, 0,
			     ACPI_RSDP_SIZE) ?:
	    aml_error(&o);
	if (r) {
		aml_free(&o);
		return r;
	}
	t->loader = aml_take(&o, &t->loader_len);
	return 0;
}
