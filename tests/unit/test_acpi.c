// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of devices/acpi/{tables,dsdt}.c: every table's header,
 * length and checksum, every pointer, the FADT's fields, MADT entries per
 * vCPU count, MCFG, the DSDT's optional parts (COM1, _PRT, the 64-bit
 * window) read back from the AML, inconsistent machines, and -ENOMEM at
 * every allocation.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "devices/acpi/acpi.h"
#include "devices/acpi/ged.h"
#include "tests/unit/acpi-test.h"
#include "tests/unit/alloc-fail.h"

static struct acpi_tables t;

static int teardown(void **state)
{
	alloc_fail_reset();
	acpi_free(&t);
	return 0;
}

static void build(unsigned int nr_cpus)
{
	struct acpi_machine m;

	acpi_free(&t);
	acpi_test_machine(&m, nr_cpus);
	assert_int_equal(acpi_build(&m, &t), 0);
}

static void check_header(const struct acpi_table_info *ti, u8 rev)
{
	const u8 *p = t.tables + ti->offset;

	assert_true(IS_ALIGNED(ti->offset, 8));
	assert_true(ti->offset + ti->len <= t.tables_len);
	assert_memory_equal(p, ti->sig, 4);
	assert_int_equal(le32(p + 4), ti->len);
	assert_int_equal(p[8], rev);
	assert_int_equal(sum8(p, ti->len), 0);
	assert_memory_equal(p + 10, "SEVM  ", 6);
	assert_memory_equal(p + 16, "SEVMQ35 ", 8);
	assert_memory_equal(p + 28, "SEVM", 4);
}

static void test_tables_and_checksums(void **state)
{
	static const char *const sigs[] = { "DSDT", "FACP", "APIC", "MCFG",
					    "XSDT" };
	static const u8 revs[] = { 2, 6, 5, 1, 1 };
	static const unsigned int cpus[] = { 1, 2, 64, 256 };
	unsigned int c, i;

	for (c = 0; c < ARRAY_SIZE(cpus); c++) {
		build(cpus[c]);
		assert_int_equal(t.nr_tables, ARRAY_SIZE(sigs));
		for (i = 0; i < t.nr_tables; i++) {
			assert_string_equal(t.table[i].sig, sigs[i]);
			check_header(&t.table[i], revs[i]);
		}
		assert_memory_equal(t.rsdp, "RSD PTR ", 8);
		assert_int_equal(sum8(t.rsdp, 20), 0);
		assert_int_equal(sum8(t.rsdp, 36), 0);
		assert_memory_equal(t.rsdp + 9, "SEVM  ", 6);
		assert_int_equal(t.rsdp[15], 2);
		assert_int_equal(le32(t.rsdp + 16), 0);	/* no RSDT */
		assert_int_equal(le32(t.rsdp + 20), 36);
		assert_null(acpi_find(&t, "FACS"));
	}
}

/* Every pointer field holds the offset of the table it points to. */
static void test_pointers(void **state)
{
	const u8 *xsdt, *fadt;
	u32 len;

	build(2);
	assert_int_equal(t.nr_ptrs, 5);
	fadt = acpi_test_table(&t, "FACP", &len);
	assert_int_equal(len, 276);
	assert_int_equal(le64(fadt + 140), acpi_find(&t, "DSDT")->offset);
	assert_int_equal(le32(fadt + 40), 0);		/* 32-bit DSDT */
	xsdt = acpi_test_table(&t, "XSDT", &len);
	assert_int_equal(len, 36 + 3 * 8);
	assert_int_equal(le64(xsdt + 36), acpi_find(&t, "FACP")->offset);
	assert_int_equal(le64(xsdt + 44), acpi_find(&t, "APIC")->offset);
	assert_int_equal(le64(xsdt + 52), acpi_find(&t, "MCFG")->offset);
	assert_int_equal(le64(t.rsdp + 24), acpi_find(&t, "XSDT")->offset);
	/* the recorded list: four in the tables file, one in the RSDP */
	assert_int_equal(t.ptr[0].offset, (u32)(fadt + 140 - t.tables));
	assert_int_equal(t.ptr[1].offset, (u32)(xsdt + 36 - t.tables));
	assert_int_equal(t.ptr[3].offset, (u32)(xsdt + 52 - t.tables));
	assert_int_equal(t.ptr[4].file, ACPI_FILE_RSDP);
	assert_int_equal(t.ptr[4].offset, 24);
	assert_int_equal(t.ptr[0].size, 8);
}

/* With a virtio-iommu: a VIOT after the MCFG, listed in the XSDT. */
static void test_viot(void **state)
{
	struct acpi_machine m;
	const u8 *v, *xsdt;
	u32 len;

	acpi_free(&t);
	acpi_test_machine(&m, 1);
	m.viot = true;
	m.viot_bdf = 0x18;
	assert_int_equal(acpi_build(&m, &t), 0);
	assert_int_equal(t.nr_tables, 6);
	assert_string_equal(t.table[4].sig, "VIOT");
	check_header(&t.table[4], 0);
	v = acpi_test_table(&t, "VIOT", &len);
	assert_int_equal(len, 88);
	assert_int_equal(le16(v + 36), 2);		/* nodes */
	assert_int_equal(le16(v + 38), 48);		/* first node */
	assert_int_equal(v[48], 3);			/* virtio-pci IOMMU */
	assert_int_equal(le16(v + 50), 16);
	assert_int_equal(le16(v + 54), 0x18);		/* its BDF */
	assert_int_equal(v[64], 1);			/* PCI range */
	assert_int_equal(le16(v + 66), 24);
	assert_int_equal(le32(v + 68), 0);		/* endpoint start */
	assert_int_equal(le16(v + 76), 0);		/* BDF start */
	assert_int_equal(le16(v + 78), 0xffff);		/* BDF end */
	assert_int_equal(le16(v + 80), 48);		/* -> the IOMMU */
	xsdt = acpi_test_table(&t, "XSDT", &len);
	assert_int_equal(len, 36 + 4 * 8);
	assert_int_equal(le64(xsdt + 60), acpi_find(&t, "VIOT")->offset);
	/* without the device, none */
	build(1);
	assert_null(acpi_find(&t, "VIOT"));
}

static void test_fadt(void **state)
{
	const u8 *f;

	build(1);
	f = acpi_test_table(&t, "FACP", NULL);
	assert_int_equal(le32(f + 36), 0);		/* no FACS */
	assert_int_equal(le16(f + 46), 0);		/* no SCI */
	assert_int_equal(le32(f + 76), 0);		/* no PM timer */
	/* IAPC_BOOT_ARCH: VGA not present, no RTC; MSI supported */
	assert_int_equal(le16(f + 109), (1u << 2) | (1u << 5));
	assert_true(le32(f + 112) & (1u << 20));	/* HW_REDUCED_ACPI */
	assert_true(le32(f + 112) & (1u << 10));	/* RESET_REG_SUP */
	assert_memory_equal(f + 116, ((u8[]){ 1, 8, 0, 1 }), 4);
	assert_int_equal(le64(f + 120), 0x64);
	assert_int_equal(f[128], 0xfe);
	assert_int_equal(f[131], 3);			/* ACPI 6.3 */
	assert_int_equal(le64(f + 132), 0);		/* X_FIRMWARE_CTRL */
	/* sleep control and status: bytes in the GED block */
	assert_memory_equal(f + 244, ((u8[]){ 0, 8, 0, 1 }), 4);
	assert_int_equal(le64(f + 248), LAYOUT_GED + GED_REG_SLEEP_CTL);
	assert_memory_equal(f + 256, ((u8[]){ 0, 8, 0, 1 }), 4);
	assert_int_equal(le64(f + 260), LAYOUT_GED + GED_REG_SLEEP_STS);
	assert_memory_equal(f + 268, "SEVM\0\0\0\0", 8);
}

static void check_madt(unsigned int nr)
{
	unsigned int off, lapics = 0, x2apics = 0, ioapics = 0, isos = 0;
	const u8 *p;
	u32 len;

	build(nr);
	p = acpi_test_table(&t, "APIC", &len);
	assert_int_equal(le32(p + 36), LAYOUT_LAPIC);
	assert_int_equal(le32(p + 40), 1);		/* PCAT_COMPAT */
	for (off = 44; off < len; off += p[off + 1]) {
		assert_true(p[off + 1] >= 2 && off + p[off + 1] <= len);
		switch (p[off]) {
		case 0:
			assert_int_equal(p[off + 1], 8);
			assert_int_equal(p[off + 2], lapics);	/* UID */
			assert_int_equal(p[off + 3], lapics);	/* APIC ID */
			assert_int_equal(le32(p + off + 4), 1);	/* enabled */
			lapics++;
			break;
		case 9:
			assert_int_equal(p[off + 1], 16);
			assert_int_equal(le32(p + off + 4), 255);
			assert_int_equal(le32(p + off + 8), 1);
			x2apics++;
			break;
		case 1:
			assert_int_equal(p[off + 2], 0);	/* ID */
			assert_int_equal(le32(p + off + 4), LAYOUT_IOAPIC);
			assert_int_equal(le32(p + off + 8), 0);	/* GSI base */
			ioapics++;
			break;
		case 2:
			assert_memory_equal(p + off + 2,
					    ((u8[]){ 0, 0, 2, 0, 0, 0, 5, 0 }),
					    8);
			isos++;
			break;
		default:
			fail_msg("MADT entry type %u", p[off]);
		}
	}
	assert_int_equal(off, len);
	assert_int_equal(lapics + x2apics, nr);
	assert_int_equal(x2apics, nr > 255);
	assert_int_equal(ioapics, 1);
	assert_int_equal(isos, 1);
	assert_int_equal(len, 44 + 8 * lapics + 16 * x2apics + 12 + 10);
}

static void test_madt(void **state)
{
	check_madt(1);
	check_madt(2);
	check_madt(64);
	check_madt(255);
	check_madt(256);
}

static void test_mcfg(void **state)
{
	const u8 *p;
	u32 len;

	build(1);
	p = acpi_test_table(&t, "MCFG", &len);
	assert_int_equal(len, 60);
	assert_int_equal(le64(p + 36), 0);		/* reserved */
	assert_int_equal(le64(p + 44), 0xb0000000);
	assert_int_equal(le16(p + 52), 0);		/* segment */
	assert_int_equal(p[54], 0);
	assert_int_equal(p[55], 255);
	assert_int_equal(le32(p + 56), 0);
}

/* Where needle first occurs in the DSDT, or NULL. */
static const u8 *dsdt_find(const char *needle, size_t n)
{
	u32 len;
	const u8 *d = acpi_test_table(&t, "DSDT", &len);

	return memmem(d, len, needle, n);
}

/* The descriptor tags of the resource template named after dev's _CRS. */
static unsigned int crs_tags(const char *dev, u8 *tags, unsigned int max)
{
	const u8 *p = dsdt_find(dev, 4), *end;
	unsigned int n = 0;

	assert_non_null(p);
	p = memmem(p, 64, "_CRS\x11", 5);
	assert_non_null(p);
	p += 5;
	assert_true(*p >> 6 == 0 || *p >> 6 == 1);	/* PkgLength */
	end = p + ((*p >> 6) ? ((p[0] & 0xf) | p[1] << 4) : (p[0] & 0x3f));
	p += (*p >> 6) + 1;
	assert_int_equal(*p, 0x0a);			/* ByteConst size */
	assert_int_equal(p + 2 + p[1], end);
	for (p += 2; p < end && n < max; n++) {
		tags[n] = *p;
		if (*p == 0x79)
			return n + 1;
		p += (*p & 0x80) ? 3 + le16(p + 1) : 1 + (*p & 7);
	}
	fail_msg("no end tag");
	return 0;
}

static void test_dsdt_layout(void **state)
{
	static const u8 pci_full[] = { 0x88, 0x47, 0x88, 0x88, 0x87, 0x8a,
				       0x79 };
	struct acpi_machine m;
	const u8 *d, *scope;
	u8 tags[16];
	u32 len;

	build(1);
	d = acpi_test_table(&t, "DSDT", &len);
	/* _S5 first, then Scope (\_SB) reaching the end of the table */
	assert_memory_equal(d + 36, "\x08_S5_\x12", 6);
	scope = (const u8 *)memmem(d + 36, len - 36, "\\_SB_", 5) - 3;
	assert_int_equal(scope[0], 0x10);
	assert_int_equal(scope[1] >> 6, 1);		/* two-byte length */
	assert_int_equal(scope + 1 + ((scope[1] & 0xf) | scope[2] << 4),
			 d + len);
	assert_int_equal(crs_tags("PCI0", tags, 16), sizeof(pci_full));
	assert_memory_equal(tags, pci_full, sizeof(pci_full));
	assert_int_equal(crs_tags("MBRD", tags, 16), 3);
	assert_memory_equal(tags, "\x86\x86\x79", 3);
	assert_int_equal(crs_tags("COM1", tags, 16), 3);
	assert_memory_equal(tags, "\x47\x89\x79", 3);
	/* the GED's _CRS holds only its interrupt (Linux's evged demands) */
	assert_int_equal(crs_tags("GED_", tags, 16), 2);
	assert_memory_equal(tags, "\x89\x79", 2);
	assert_non_null(dsdt_find("\x0d" "ACPI0013", 10));
	assert_non_null(dsdt_find("\x86\\\x2e_SB_PWRB\x0a\x80", 13));
	assert_null(dsdt_find("_PRT", 4));

	/* no COM1, no 64-bit window */
	acpi_free(&t);
	acpi_machine_init(&m, 1);
	m.com1 = false;
	assert_int_equal(acpi_build(&m, &t), 0);
	assert_null(dsdt_find("COM1", 4));
	assert_int_equal(crs_tags("PCI0", tags, 16), sizeof(pci_full) - 1);
	assert_int_equal(tags[4], 0x87);
	assert_int_equal(tags[5], 0x79);
}

static void test_dsdt_prt(void **state)
{
	static const struct acpi_prt_entry prt[] = {
		{ .slot = 3, .pin = 0, .gsi = 16 },
		{ .slot = 31, .pin = 3, .gsi = 23 },
	};
	static const u8 want[] = {
		0x08, '_', 'P', 'R', 'T', 0x12, 0x1b, 0x02,
		0x12, 0x0b, 0x04, 0x0c, 0xff, 0xff, 0x03, 0x00,
		0x00, 0x00, 0x0a, 0x10,
		0x12, 0x0c, 0x04, 0x0c, 0xff, 0xff, 0x1f, 0x00,
		0x0a, 0x03, 0x00, 0x0a, 0x17,
	};
	struct acpi_machine m;

	acpi_test_machine(&m, 1);
	m.prt = prt;
	m.nr_prt = ARRAY_SIZE(prt);
	assert_int_equal(acpi_build(&m, &t), 0);
	assert_non_null(dsdt_find((const char *)want, sizeof(want)));
}

struct bad_case {
	const char *what;
	void (*mutate)(struct acpi_machine *m);
};

static const struct acpi_prt_entry bad_slot[] = { { .slot = 32 } };
static const struct acpi_prt_entry bad_pin[] = { { .pin = 4 } };

static void no_cpus(struct acpi_machine *m) { m->nr_cpus = 0; }
static void many_cpus(struct acpi_machine *m) { m->nr_cpus = 257; }
static void m32_ecam(struct acpi_machine *m) { m->mmio32_base = 0xa0000000; }
static void m32_4g(struct acpi_machine *m) { m->mmio32_size = 0x40001000; }
static void m32_none(struct acpi_machine *m) { m->mmio32_size = 0; }
static void m64_low(struct acpi_machine *m) { m->mmio64_base = 0xe0000000; }
static void m64_wrap(struct acpi_machine *m)
{
	m->mmio64_base = UINT64_MAX - SZ_1G;
}
static void ecam_odd(struct acpi_machine *m) { m->ecam_base += 0x1000; }
static void ecam_bus(struct acpi_machine *m) { m->ecam_bus_start = 9;
					       m->ecam_bus_end = 8; }
static void ged_ecam(struct acpi_machine *m) { m->ged_base = 0xb0001000; }
static void ged_4g(struct acpi_machine *m) { m->ged_base = 0xfffff800; }
static void ged_wrap(struct acpi_machine *m) { m->ged_base = -0x800ull; }
static void m32_wrap(struct acpi_machine *m)
{
	m->mmio32_base = -0x1000ull;
	m->mmio32_size = 0x2000;
}
static void ecam_wrap(struct acpi_machine *m) { m->ecam_base = -SZ_1M; }
static void ged_pit(struct acpi_machine *m) { m->ged_gsi = 2; }
static void ged_com(struct acpi_machine *m) { m->ged_gsi = 4; }
static void ged_pin(struct acpi_machine *m) { m->ged_gsi = 24; }
static void prt_slot(struct acpi_machine *m) { m->prt = bad_slot;
					       m->nr_prt = 1; }
static void prt_pin(struct acpi_machine *m) { m->prt = bad_pin;
					      m->nr_prt = 1; }
static void prt_null(struct acpi_machine *m) { m->nr_prt = 1; }
static void prt_many(struct acpi_machine *m) { m->prt = bad_pin;
					       m->nr_prt = ACPI_MAX_PRT + 1; }

static void test_bad_machine(void **state)
{
	static const struct bad_case cases[] = {
		{ "nr_cpus 0x0", no_cpus }, { "nr_cpus 0x101", many_cpus },
		{ "32-bit MMIO window 0xa0000000", m32_ecam },
		{ "32-bit MMIO window", m32_4g },
		{ "32-bit MMIO window", m32_none },
		{ "64-bit MMIO window 0xe0000000", m64_low },
		{ "64-bit MMIO window", m64_wrap },
		{ "ECAM base 0xb0001000", ecam_odd }, { "ECAM", ecam_bus },
		{ "GED base 0xb0001000", ged_ecam }, { "GED base", ged_4g },
		{ "GED base 0xfffffffffffff800", ged_wrap },
		{ "32-bit MMIO window 0xfffffffffffff000", m32_wrap },
		{ "ECAM base 0xfffffffffff00000", ecam_wrap },
		{ "GED GSI 0x2", ged_pit }, { "GED GSI 0x4", ged_com },
		{ "GED GSI 0x18", ged_pin },
		{ "_PRT slot 0x20", prt_slot }, { "_PRT pin 0x4", prt_pin },
		{ "_PRT entries 0x1", prt_null },
		{ "_PRT entries 0x81", prt_many },
	};
	struct acpi_machine m;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		acpi_test_machine(&m, 2);
		cases[i].mutate(&m);
		acpi_test_nr_err = 0;
		assert_int_equal(acpi_build(&m, &t), -EINVAL);
		assert_int_equal(acpi_test_nr_err, 1);
		if (!strstr(acpi_test_last_err, cases[i].what))
			fail_msg("case %u: \"%s\" lacks \"%s\"", i,
				 acpi_test_last_err, cases[i].what);
		assert_null(t.tables);
		assert_null(t.loader);
		acpi_free(&t);
	}
	/* the extremes that are fine */
	acpi_test_machine(&m, 256);
	m.ged_gsi = 23;
	m.mmio64_size = 0;
	m.mmio64_base = 0;
	assert_int_equal(acpi_build(&m, &t), 0);
}

/* Every allocation may fail: -ENOMEM, one line, nothing leaked. */
static void test_enomem(void **state)
{
	struct acpi_machine m;
	int n, r;

	acpi_test_machine(&m, 64);
	for (n = 0; n < 100; n++) {
		acpi_test_nr_err = 0;
		alloc_fail_after(n);
		r = acpi_build(&m, &t);
		alloc_fail_reset();
		if (!r)
			break;
		assert_int_equal(r, -ENOMEM);
		assert_int_equal(acpi_test_nr_err, 1);
		assert_non_null(strstr(acpi_test_last_err, "acpi: build"));
		assert_null(t.tables);
		acpi_free(&t);
	}
	assert_true(n > 1 && n < 100);		/* it did fail, then passed */
	assert_non_null(t.loader);
}

#define T(fn) cmocka_unit_test_teardown(fn, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_tables_and_checksums),
		T(test_pointers),
		T(test_viot),
		T(test_fadt),
		T(test_madt),
		T(test_mcfg),
		T(test_dsdt_layout),
		T(test_dsdt_prt),
		T(test_bad_machine),
		T(test_enomem),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
