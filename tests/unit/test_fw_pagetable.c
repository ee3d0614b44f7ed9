// SPDX-License-Identifier: GPL-2.0-only
/*
 * firmware/pagetable.c: the identity map and the shared alias, without
 * a C-bit (plain guest) and with one (SEV, C-bit 47 and 51): which pages
 * carry it, that table entries always do, that a rebuild writes every
 * entry (stale content gone), and the shared-to-private copy.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "firmware/pagetable.h"

#define TABLES_PA	0x1000ull
#define ALIAS_PA	0x10000ull
#define GB		0x40000000ull
#define ADDR_MASK	0x000ffffffffff000ull

struct fx {
	u64 *tables, *alias;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	f->tables = aligned_alloc(4096, PT_TABLE_PAGES * PT_PAGE_SIZE);
	f->alias = aligned_alloc(4096, PT_ALIAS_PAGES * PT_PAGE_SIZE);
	if (!f->tables || !f->alias)
		return -1;
	/* Stale content: every entry must be rewritten. */
	memset(f->tables, 0xa5, PT_TABLE_PAGES * PT_PAGE_SIZE);
	memset(f->alias, 0xa5, PT_ALIAS_PAGES * PT_PAGE_SIZE);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	free(f->tables);
	free(f->alias);
	free(f);
	return 0;
}

static void build(struct fx *f, u64 cbit, u64 private_end, int alias)
{
	struct pt_setup s = {
		.tables = f->tables, .tables_pa = TABLES_PA,
		.alias = alias ? f->alias : NULL, .alias_pa = ALIAS_PA,
		.cbit = cbit, .private_end = private_end,
	};

	pt_build(&s);
}

/* The leaf PTE mapping virtual address va (identity or alias). */
static u64 leaf(const struct fx *f, u64 va)
{
	const u64 *pdpt = f->tables + PT_ENTRIES;
	u64 i = va / GB;

	if (i < 4)
		return f->tables[2 * PT_ENTRIES + va / PT_LARGE_PAGE];
	assert_true(pdpt[i] & PTE_PRESENT);
	return f->alias[(va - PT_SHARED_ALIAS) / PT_LARGE_PAGE];
}

static void check_structure(const struct fx *f, u64 cbit, int alias)
{
	const u64 *pml4 = f->tables, *pdpt = f->tables + PT_ENTRIES;
	u64 i;

	assert_int_equal(pml4[0], (TABLES_PA + 0x1000) | 3 | cbit);
	for (i = 1; i < PT_ENTRIES; i++)
		assert_int_equal(pml4[i], 0);
	for (i = 0; i < 4; i++)
		assert_int_equal(pdpt[i], (TABLES_PA + (2 + i) * 0x1000) | 3 |
					  cbit);
	for (i = 4; i < 8; i++)
		assert_int_equal(pdpt[i], alias ?
					  (ALIAS_PA + (i - 4) * 0x1000) | 3 |
					  cbit : 0);
	for (i = 8; i < PT_ENTRIES; i++)
		assert_int_equal(pdpt[i], 0);
}

static void test_no_cbit(void **state)
{
	struct fx *f = *state;
	u64 va;

	build(f, 0, 2 * GB, 1);
	check_structure(f, 0, 1);
	for (va = 0; va < PT_MAPPED_END; va += PT_LARGE_PAGE) {
		assert_int_equal(leaf(f, va), va | 0x83);
		assert_int_equal(leaf(f, pt_shared_va(va)), va | 0x83);
	}
	assert_int_equal(pt_shared_va(0x1234), PT_SHARED_ALIAS + 0x1234);
}

static void check_sev(struct fx *f, u64 cbit)
{
	u64 private_end = 64 << 20, va, e;

	build(f, cbit, private_end, 1);
	check_structure(f, cbit, 1);
	for (va = 0; va < PT_MAPPED_END; va += PT_LARGE_PAGE) {
		e = leaf(f, va);
		assert_int_equal(e & ~cbit, va | 0x83);
		if (va < private_end || va >= PT_FLASH_PAGE)
			assert_int_equal(e & cbit, cbit);
		else
			assert_int_equal(e & cbit, 0);
		/* the alias is always shared */
		assert_int_equal(leaf(f, pt_shared_va(va)), va | 0x83);
		assert_int_equal(leaf(f, pt_shared_va(va)) & ADDR_MASK, va);
	}
	/* Named pages: low RAM and ROM private, APIC and PCI hole shared */
	assert_true(leaf(f, 0) & cbit);
	assert_true(leaf(f, 0xfffff000ull & ~(PT_LARGE_PAGE - 1)) & cbit);
	assert_false(leaf(f, 0xfee00000) & cbit);
	assert_false(leaf(f, 0xb0000000) & cbit);
}

static void test_cbit_47(void **state)
{
	check_sev(*state, 1ull << 47);
}

static void test_cbit_51(void **state)
{
	check_sev(*state, 1ull << 51);
}

static void test_private_end_granularity(void **state)
{
	struct fx *f = *state;
	u64 cbit = 1ull << 47;

	/* A page is private when it starts below private_end. */
	build(f, cbit, 0x300000, 0);
	check_structure(f, cbit, 0);
	assert_true(leaf(f, 0x200000) & cbit);
	assert_false(leaf(f, 0x400000) & cbit);
	assert_true(pt_is_private(0x200000, 0x200001));
	assert_false(pt_is_private(0x200000, 0x200000));
	assert_true(pt_is_private(PT_FLASH_PAGE, 0));
	assert_false(pt_is_private(PT_FLASH_PAGE - PT_LARGE_PAGE, 0));
}

static void test_copy_to_private(void **state)
{
	static const size_t lens[] = { 0, 1, 4095, 4096, 4097, 10000 };
	u8 *shared = malloc(10000), *priv = malloc(10000), bounce[4096];
	size_t i, j;

	(void)state;
	assert_non_null(shared);
	assert_non_null(priv);
	for (j = 0; j < 10000; j++)
		shared[j] = (u8)(j * 7 + 3);
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		memset(priv, 0xee, 10000);
		pt_copy_to_private(priv, shared, lens[i], bounce,
				   sizeof(bounce));
		assert_memory_equal(priv, shared, lens[i]);
		if (lens[i] < 10000)
			assert_int_equal(priv[lens[i]], 0xee);
	}
	/* An odd bounce size, and a zero one that must not loop. */
	memset(priv, 0, 10000);
	pt_copy_to_private(priv, shared, 10000, bounce, 3);
	assert_memory_equal(priv, shared, 10000);
	memset(priv, 0, 10000);
	pt_copy_to_private(priv, shared, 10000, bounce, 0);
	assert_int_equal(priv[0], 0);
	free(shared);
	free(priv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_no_cbit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cbit_47, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cbit_51, setup, teardown),
		cmocka_unit_test_setup_teardown(test_private_end_granularity,
						setup, teardown),
		cmocka_unit_test(test_copy_to_private),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
