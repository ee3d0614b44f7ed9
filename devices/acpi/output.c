// SPDX-License-Identifier: GPL-2.0-only
/*
 * The tables in guest memory for a boot without firmware (acpi_place),
 * and as files for iasl (acpi_dump_dir): what the loader would do, done
 * here with a known address.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "devices/acpi/acpi-priv.h"
#include "lib/log.h"

size_t acpi_placed_size(const struct acpi_tables *t)
{
	return ACPI_PLACE_TABLES_OFFSET + t->tables_len;
}

/* Add v to the size-byte little-endian field at p. */
static void field_add(u8 *p, unsigned int size, u64 v)
{
	u64 x = 0;
	unsigned int i;

	for (i = 0; i < size; i++)
		x |= (u64)p[i] << (8 * i);
	x += v;
	for (i = 0; i < size; i++, x >>= 8)
		p[i] = x;
}

static void fix_checksum(u8 *p, size_t csum_off, size_t len)
{
	p[csum_off] = 0;
	p[csum_off] = acpi_checksum(p, len);
}

int acpi_place(const struct acpi_tables *t, u64 gpa, void *hva, size_t size,
	       u64 *rsdp_gpa)
{
	size_t need = acpi_placed_size(t);
	u8 *rsdp = hva, *tables = rsdp + ACPI_PLACE_TABLES_OFFSET;
	const struct acpi_pointer *p;
	const struct acpi_table_info *ti;

	if (!t->tables || !IS_ALIGNED(gpa, 16) || gpa + need < gpa)
		return -EINVAL;
	if (size < need)
		return -ENOSPC;
	memset(rsdp, 0, ACPI_PLACE_TABLES_OFFSET);
	memcpy(rsdp, t->rsdp, ACPI_RSDP_SIZE);
	memcpy(tables, t->tables, t->tables_len);
	for (p = t->ptr; p < t->ptr + t->nr_ptrs; p++)
		field_add((p->file == ACPI_FILE_RSDP ? rsdp : tables) +
			  p->offset, p->size, gpa + ACPI_PLACE_TABLES_OFFSET);
	for (ti = t->table; ti < t->table + t->nr_tables; ti++)
		fix_checksum(tables + ti->offset, ACPI_HDR_CHECKSUM, ti->len);
	fix_checksum(rsdp, RSDP_CHECKSUM, RSDP_V1_LEN);
	fix_checksum(rsdp, RSDP_EXT_CHECKSUM, ACPI_RSDP_SIZE);
	*rsdp_gpa = gpa;
	return 0;
}

static int dump_one(const char *dir, const char *name, const void *p,
		    size_t len)
{
	char path[PATH_MAX];
	int r;

	if (snprintf(path, sizeof(path), "%s/%s.dat", dir, name) >=
	    (int)sizeof(path)) {
		pr_err("acpi: dump directory %s: %s", dir,
		       strerror(ENAMETOOLONG));
		return -ENAMETOOLONG;
	}
	r = write_file_atomic(path, p, len, 0644);
	if (r)
		pr_err("acpi: write %s: %s", path, strerror(-r));
	return r;
}

static int check_dir(const char *dir)
{
	struct stat st;
	int r = 0;

	if (stat(dir, &st))
		r = -errno;
	else if (!S_ISDIR(st.st_mode))
		r = -ENOTDIR;
	if (r)
		pr_err("acpi: dump directory %s: %s", dir, strerror(-r));
	return r;
}

int acpi_dump_dir(const struct acpi_tables *t, const char *dir)
{
	size_t size = acpi_placed_size(t);
	const struct acpi_table_info *ti;
	u64 rsdp_gpa;
	u8 *img;
	int r;

	r = check_dir(dir);
	if (r)
		return r;
	img = malloc(size);
	if (!img) {
		pr_err("acpi: dump to %s: %s", dir, strerror(ENOMEM));
		return -ENOMEM;
	}
	r = acpi_place(t, ACPI_DUMP_GPA, img, size, &rsdp_gpa);
	if (r)
		pr_err("acpi: dump to %s: %s", dir, strerror(-r));
	for (ti = t->table; !r && ti < t->table + t->nr_tables; ti++)
		r = dump_one(dir, ti->sig, img + ACPI_PLACE_TABLES_OFFSET +
			     ti->offset, ti->len);
	if (!r)
		r = dump_one(dir, "RSDP", img, ACPI_RSDP_SIZE);
	free(img);
	return r;
}
