// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of devices/acpi/{loader,output}.c: the etc/table-loader
 * entries parsed back field by field, then executed the way SeaBIOS's
 * romfile_loader does (this file's own interpreter) with the tables'
 * checksums cleared as QEMU ships them; acpi_place() against that
 * result; and acpi_dump_dir() on a scratch directory, including the
 * failure paths.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "devices/acpi/acpi.h"
#include "tests/unit/acpi-test.h"
#include "tests/unit/alloc-fail.h"

static struct acpi_tables t;

static int setup(void **state)
{
	struct acpi_machine m;

	acpi_test_machine(&m, 4);
	return acpi_build(&m, &t);
}

static int teardown(void **state)
{
	alloc_fail_reset();
	acpi_free(&t);
	return 0;
}

/* ---- the loader file, parsed */

static const u8 *entry(unsigned int i)
{
	assert_true((i + 1) * LOADER_ENTRY_SIZE <= t.loader_len);
	return t.loader + i * LOADER_ENTRY_SIZE;
}

/* A NUL-padded 56-byte name field equal to name. */
static void check_name(const u8 *field, const char *name)
{
	size_t n = strlen(name);
	unsigned int i;

	assert_memory_equal(field, name, n);
	for (i = n; i < LOADER_FILESZ; i++)
		assert_int_equal(field[i], 0);
}

/* Bytes [from, 128) of an entry are zero. */
static void check_pad(const u8 *e, unsigned int from)
{
	for (; from < LOADER_ENTRY_SIZE; from++)
		assert_int_equal(e[from], 0);
}

static void check_alloc(const u8 *e, const char *file, u32 align, u8 zone)
{
	assert_int_equal(le32(e), LOADER_ALLOCATE);
	check_name(e + 4, file);
	assert_int_equal(le32(e + 60), align);
	assert_int_equal(e[64], zone);
	check_pad(e, 65);
}

static void check_cksum(const u8 *e, const char *file, u32 off, u32 start,
			u32 len)
{
	assert_int_equal(le32(e), LOADER_ADD_CHECKSUM);
	check_name(e + 4, file);
	assert_int_equal(le32(e + 60), off);
	assert_int_equal(le32(e + 64), start);
	assert_int_equal(le32(e + 68), len);
	check_pad(e, 72);
}

static void check_pointer(const u8 *e, const struct acpi_pointer *p)
{
	assert_int_equal(le32(e), LOADER_ADD_POINTER);
	check_name(e + 4, p->file == ACPI_FILE_RSDP ? ACPI_FWCFG_RSDP :
		   ACPI_FWCFG_TABLES);
	check_name(e + 60, ACPI_FWCFG_TABLES);
	assert_int_equal(le32(e + 116), p->offset);
	assert_int_equal(e[120], 8);
	check_pad(e, 121);
}

static void test_loader_entries(void **state)
{
	const struct acpi_table_info *ti;
	unsigned int i = 2, p = 0;

	assert_int_equal(t.loader_len % LOADER_ENTRY_SIZE, 0);
	assert_int_equal(t.loader_len, (2 + 5 + 5 + 2) * LOADER_ENTRY_SIZE);
	check_alloc(entry(0), ACPI_FWCFG_TABLES, 64, LOADER_ZONE_HIGH);
	check_alloc(entry(1), ACPI_FWCFG_RSDP, 16, LOADER_ZONE_FSEG);
	/* per table: its pointers, then its checksum */
	for (ti = t.table; ti < t.table + t.nr_tables; ti++) {
		while (p < t.nr_ptrs && t.ptr[p].file == ACPI_FILE_TABLES &&
		       t.ptr[p].offset < ti->offset + ti->len) {
			assert_true(t.ptr[p].offset >= ti->offset);
			check_pointer(entry(i++), &t.ptr[p++]);
		}
		check_cksum(entry(i++), ACPI_FWCFG_TABLES, ti->offset + 9,
			    ti->offset, ti->len);
	}
	assert_int_equal(p, 4);
	check_pointer(entry(i++), &t.ptr[p++]);		/* RSDP -> XSDT */
	check_cksum(entry(i++), ACPI_FWCFG_RSDP, 8, 0, 20);
	check_cksum(entry(i++), ACPI_FWCFG_RSDP, 32, 0, 36);
	assert_int_equal(i * LOADER_ENTRY_SIZE, t.loader_len);
}

/* ---- the loader file, executed (SeaBIOS's semantics) */

struct lfile {
	const char *name;
	u8 *data;
	size_t len;
	u64 addr;		/* where this run puts it */
	bool allocated;
};

static struct lfile *lfind(struct lfile *f, const u8 *name)
{
	unsigned int i;

	assert_int_equal(name[LOADER_FILESZ - 1], 0);
	for (i = 0; i < 2; i++)
		if (!strcmp((const char *)name, f[i].name))
			return &f[i];
	fail_msg("unknown file %s", (const char *)name);
	return NULL;
}

static void ladd_pointer(struct lfile *f, const u8 *e)
{
	struct lfile *dst = lfind(f, e + 4), *src = lfind(f, e + 60);
	u32 off = le32(e + 116);
	u8 size = e[120];
	u64 v = 0;

	assert_true(dst->allocated && src->allocated);
	assert_true(size == 1 || size == 2 || size == 4 || size == 8);
	assert_true(off + size <= dst->len);
	memcpy(&v, dst->data + off, size);
	v += src->addr;
	memcpy(dst->data + off, &v, size);
}

static void lchecksum(struct lfile *f, const u8 *e)
{
	struct lfile *file = lfind(f, e + 4);
	u32 off = le32(e + 60), start = le32(e + 64), len = le32(e + 68);

	assert_true(file->allocated);
	assert_true(off < file->len && start + len <= file->len);
	file->data[off] -= sum8(file->data + start, len);
}

static void run_loader(struct lfile *f)
{
	const u8 *e;
	struct lfile *a;

	for (e = t.loader; e < t.loader + t.loader_len;
	     e += LOADER_ENTRY_SIZE) {
		switch (le32(e)) {
		case LOADER_ALLOCATE:
			a = lfind(f, e + 4);
			assert_false(a->allocated);
			assert_true(IS_ALIGNED(a->addr, le32(e + 60)));
			a->allocated = true;
			break;
		case LOADER_ADD_POINTER:
			ladd_pointer(f, e);
			break;
		case LOADER_ADD_CHECKSUM:
			lchecksum(f, e);
			break;
		default:
			fail_msg("command %u", le32(e));
		}
	}
}

/* Execute with the tables at tables_addr and the RSDP at rsdp_addr. */
static void load(u64 tables_addr, u64 rsdp_addr, u8 *tables, u8 *rsdp)
{
	struct lfile f[2] = {
		{ ACPI_FWCFG_TABLES, tables, t.tables_len, tables_addr },
		{ ACPI_FWCFG_RSDP, rsdp, ACPI_RSDP_SIZE, rsdp_addr },
	};

	memcpy(tables, t.tables, t.tables_len);
	memcpy(rsdp, t.rsdp, ACPI_RSDP_SIZE);
	run_loader(f);
}

static void test_loader_execute(void **state)
{
	const u64 base = 0x7ffc0000, rsdp_at = 0xf5a40;
	u8 *tab = malloc(t.tables_len), rsdp[ACPI_RSDP_SIZE];
	const struct acpi_table_info *ti;
	const u8 *xsdt;
	unsigned int i;

	assert_non_null(tab);
	/* QEMU ships checksum bytes as 0: the loader must fix every one */
	for (i = 0; i < t.nr_tables; i++)
		t.tables[t.table[i].offset + 9] = 0;
	t.rsdp[8] = t.rsdp[32] = 0;
	load(base, rsdp_at, tab, rsdp);
	for (ti = t.table; ti < t.table + t.nr_tables; ti++)
		assert_int_equal(sum8(tab + ti->offset, ti->len), 0);
	assert_int_equal(sum8(rsdp, 20), 0);
	assert_int_equal(sum8(rsdp, 36), 0);
	ti = acpi_find(&t, "XSDT");
	assert_int_equal(le64(rsdp + 24), base + ti->offset);
	xsdt = tab + ti->offset;
	assert_int_equal(le64(xsdt + 36), base + acpi_find(&t, "FACP")->offset);
	assert_int_equal(le64(xsdt + 52), base + acpi_find(&t, "MCFG")->offset);
	assert_int_equal(le64(tab + acpi_find(&t, "FACP")->offset + 140),
			 base + acpi_find(&t, "DSDT")->offset);
	free(tab);
}

/* acpi_place() lays out exactly what the loader would at those places. */
static void test_place_matches_loader(void **state)
{
	static const u64 gpas[] = { ACPI_DUMP_GPA, 0x9f000, 0x100000040ull };
	size_t size = acpi_placed_size(&t);
	u8 *img = malloc(size + 1), *tab = malloc(t.tables_len);
	const struct acpi_table_info *ti;
	u8 rsdp[ACPI_RSDP_SIZE];
	unsigned int i;
	u64 at;

	assert_non_null(img);
	assert_non_null(tab);
	assert_int_equal(size, ACPI_PLACE_TABLES_OFFSET + t.tables_len);
	for (i = 0; i < ARRAY_SIZE(gpas); i++) {
		memset(img, 0xaa, size + 1);
		at = 0;
		assert_int_equal(acpi_place(&t, gpas[i], img, size, &at), 0);
		assert_int_equal(at, gpas[i]);
		assert_int_equal(img[size], 0xaa);	/* stayed inside */
		load(gpas[i] + ACPI_PLACE_TABLES_OFFSET, gpas[i], tab, rsdp);
		assert_memory_equal(img, rsdp, ACPI_RSDP_SIZE);
		assert_memory_equal(img + ACPI_PLACE_TABLES_OFFSET, tab,
				    t.tables_len);
		assert_int_equal(img[ACPI_RSDP_SIZE], 0);	/* padding */
		for (ti = t.table; ti < t.table + t.nr_tables; ti++)
			assert_int_equal(sum8(img + ACPI_PLACE_TABLES_OFFSET +
					      ti->offset, ti->len), 0);
		assert_int_equal(sum8(img, 20), 0);
		assert_int_equal(sum8(img, ACPI_RSDP_SIZE), 0);
	}
	free(img);
	free(tab);
}

static void test_place_errors(void **state)
{
	size_t size = acpi_placed_size(&t);
	struct acpi_tables empty = { 0 };
	u8 *img = malloc(size);
	u64 at = 7;

	assert_non_null(img);
	assert_int_equal(acpi_place(&t, 0xe0008, img, size, &at), -EINVAL);
	assert_int_equal(acpi_place(&t, UINT64_MAX - 15, img, size, &at),
			 -EINVAL);
	assert_int_equal(acpi_place(&t, 0xe0000, img, size - 1, &at),
			 -ENOSPC);
	assert_int_equal(acpi_place(&empty, 0xe0000, img, size, &at),
			 -EINVAL);
	assert_int_equal(at, 7);			/* untouched */
	free(img);
}

/* ---- acpi_dump_dir */

static char dir[64];

static void rm_dir(void)
{
	static const char *const names[] = { "DSDT", "FACP", "APIC", "MCFG",
					     "XSDT", "RSDP", "victim" };
	char path[128];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		snprintf(path, sizeof(path), "%s/%s.dat", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
}

static void check_file(const char *name, const u8 *want, size_t len,
		       mode_t mode)
{
	char path[128];
	struct stat st;
	size_t got;
	void *buf;

	snprintf(path, sizeof(path), "%s/%s.dat", dir, name);
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_mode & 0777, mode);
	assert_int_equal(read_file(path, &buf, &got, 1 << 20), 0);
	assert_int_equal(got, len);
	assert_memory_equal(buf, want, len);
	free(buf);
}

static void test_dump_dir(void **state)
{
	size_t size = acpi_placed_size(&t);
	const struct acpi_table_info *ti;
	u8 *img = malloc(size);
	char victim[128], link[128];
	u64 at;

	strcpy(dir, "/tmp/sevm-acpi-XXXXXX");
	assert_non_null(mkdtemp(dir));
	/* a symlink where a table goes is replaced, not followed */
	snprintf(victim, sizeof(victim), "%s/victim.dat", dir);
	snprintf(link, sizeof(link), "%s/DSDT.dat", dir);
	assert_int_equal(write_file_atomic(victim, "keep", 4, 0600), 0);
	assert_int_equal(symlink(victim, link), 0);
	assert_int_equal(acpi_dump_dir(&t, dir), 0);
	assert_int_equal(acpi_dump_dir(&t, dir), 0);	/* overwrites */
	assert_int_equal(acpi_place(&t, ACPI_DUMP_GPA, img, size, &at), 0);
	for (ti = t.table; ti < t.table + t.nr_tables; ti++)
		check_file(ti->sig, img + ACPI_PLACE_TABLES_OFFSET + ti->offset,
			   ti->len, 0644);
	check_file("RSDP", img, ACPI_RSDP_SIZE, 0644);
	check_file("victim", (const u8 *)"keep", 4, 0600);
	free(img);
	rm_dir();
}

static void test_dump_errors(void **state)
{
	acpi_test_nr_err = 0;
	assert_int_equal(acpi_dump_dir(&t, "/nonexistent/sevm-acpi"),
			 -ENOENT);
	assert_int_equal(acpi_test_nr_err, 1);
	assert_non_null(strstr(acpi_test_last_err, "/nonexistent/sevm-acpi"));
	assert_int_equal(acpi_dump_dir(&t, "/dev/null"), -ENOTDIR);
	assert_non_null(strstr(acpi_test_last_err, "/dev/null: Not a dir"));
	assert_int_equal(acpi_test_nr_err, 2);
	strcpy(dir, "/tmp/sevm-acpi-XXXXXX");
	assert_non_null(mkdtemp(dir));
	alloc_fail_after(0);
	assert_int_equal(acpi_dump_dir(&t, dir), -ENOMEM);
	alloc_fail_reset();
	assert_int_equal(acpi_test_nr_err, 3);
	rm_dir();
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_loader_entries),
		T(test_loader_execute),
		T(test_place_matches_loader),
		T(test_place_errors),
		T(test_dump_dir),
		T(test_dump_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
