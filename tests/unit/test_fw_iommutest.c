// SPDX-License-Identifier: GPL-2.0-only
/*
 * firmware/iommutest.c, the self test behind a virtio-iommu, on the fake
 * machine with an IOMMU model that translates the blk, console and rng
 * models' accesses (tests/unit/fw-fake-devs.c): the drivers through
 * IOVAs (GPA + 1 GiB, which a device that skipped translation would
 * dereference and crash on), every mapping undone, the five hostile
 * lines as a spec-exact IOMMU answers them; then broken IOMMUs (no
 * faults, permissions ignored, bypass that stays on), each caught by the
 * case it breaks, and the set-up failures.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "firmware/iommutest.h"
#include "firmware/viommu.h"
#include "firmware/virtio-drivers.h"
#include "tests/unit/fw-fake-devs.h"

static u8 area[FW_DMA_PAGES * FW_DMA_PAGE] __attribute__((aligned(4096)));
static struct pci_bus0 bus;
static struct fake_virtio *iommu, *blk, *con;
static struct fake_viommu *model;

static int setup(void **state)
{
	(void)state;
	fake_reset();
	memset(&bus, 0, sizeof(bus));
	memset(area, 0, sizeof(area));
	return 0;
}

static void machine(int with_blk)
{
	fake_q35_mch();
	iommu = fake_virtio_add(PCI_BDF(0, 2, 0), VIRTIO_ID_IOMMU);
	model = fake_viommu_add(iommu);
	if (with_blk)
		blk = fake_virtio_add(PCI_BDF(0, 3, 0), 2);
	con = fake_virtio_add(PCI_BDF(0, 5, 0), 3);
	fake_viommu_translating();
}

static int run(void)
{
	struct pci_windows w = {
		.mem = LAYOUT_PCI_MMIO32_BASE, .mem_end = LAYOUT_PCI_MMIO32_END,
		.io = LAYOUT_PCI_IO_BASE, .io_end = LAYOUT_PCI_IO_END,
	};

	pci_q35_ecam_enable();
	assert_int_equal(pci_scan(&bus, &w), 0);
	assert_ptr_equal(iommu_find(&bus), &bus.func[1]);
	return iommu_selftest(&bus, &bus.func[1], area, (u64)(uintptr_t)area,
			      0);
}

static u64 iova_of(u32 page, u32 off)
{
	return (u64)(uintptr_t)area + page * FW_DMA_PAGE + off +
	       IOMMU_IOVA_OFFSET;
}

/* The case's line, with the fault's address (or only up to it: addr 0). */
static void want_case(const char *name, const char *how, u8 reason,
		      u32 flags, u64 addr)
{
	char want[256];

	snprintf(want, sizeof(want), "iommu-hostile: %s: %s, fault reported "
		 "(reason %u, flags %x, address %lx%s", name, how, reason,
		 flags, (unsigned long)addr, addr ? "), canaries intact\n" : "");
	if (!addr)
		want[strlen(want) - 1] = '\0';
	if (!fake_out_has(want)) {
		fprintf(stderr, "wanted '%s' in:\n%s", want, fake_out);
		fail();
	}
}

static void test_translated(void **state)
{
	u32 i;

	(void)state;
	machine(1);
	assert_int_equal(run(), 0);
	assert_true(fake_out_has("virtio-iommu 00:02.0: translating, bypass "
		"off, page sizes fffffffffffff000, input 0-ffffffffffffffff, "
		"domains 0-4294967295, features 100000057\n"));
	assert_true(fake_out_has("virtio-iommu: probe 00:03.0: 1 properties, "
				 "1 reserved regions\n"));
	assert_true(fake_out_has("virtio-blk 00:03.0: 16 sectors, sector 0 "
				 "sha256 "));
	assert_string_equal(con->console, VIRTIO_CONSOLE_HELLO);
	assert_true(fake_out_has("virtio-iommu: 0 fault events during the "
				 "translated run\n"));
	want_case("descriptor IOVA unmapped", "refused (status 1)", 2, 0x100,
		  iova_of(FW_DMA_TARGET, 0));
	want_case("IOVA range past the mapping's end", "refused (status 1)", 2,
		  0x100, iova_of(FW_DMA_TARGET, 3840));
	want_case("device write into a read-only mapping",
		  "refused (status 1)", 2, 0x102, iova_of(FW_DMA_TARGET, 0));
	want_case("ring addresses outside the mapping",
		  "stalled (NEEDS_RESET)", 2, 0x100, 0);
	want_case("unattached endpoint", "stalled (NEEDS_RESET)", 1, 0x100, 0);
	assert_false(fake_out_has("FAIL"));
	assert_int_equal(model->types[VIOMMU_T_ATTACH],
			 model->types[VIOMMU_T_DETACH] + 0);
	assert_int_equal(model->types[VIOMMU_T_MAP],
			 model->types[VIOMMU_T_UNMAP]);
	for (i = 0; i < FAKE_MAPS; i++)
		assert_false(model->map[i].used);	/* all undone */
	for (i = 0; i < FAKE_EPS; i++)
		assert_false(model->ep[i].attached);
	assert_int_equal(iommu->status, 0);		/* reset at the end */
	assert_int_equal(blk->status, 0);
	assert_int_equal(fake_stray, 0);
}

static void want(const char *s)
{
	if (!fake_out_has(s)) {
		fprintf(stderr, "wanted '%s' in:\n%s", s, fake_out);
		fail();
	}
}

/* An IOMMU that never reports faults: every case fails, nothing else. */
static void test_no_faults(void **state)
{
	(void)state;
	machine(1);
	model->no_faults = 1;
	assert_int_equal(run(), 5);
	want("iommu-hostile: descriptor IOVA unmapped: FAIL: refused (status "
	     "1), no fault reported, canaries intact\n");
	want("iommu-hostile: unattached endpoint: FAIL: stalled (NEEDS_RESET), "
	     "no fault reported, canaries intact\n");
	want("virtio-blk 00:03.0: 16 sectors");
}

/* READ-only mappings that the device may write anyway. */
static void test_ignored_permissions(void **state)
{
	(void)state;
	machine(1);
	model->ignore_perms = 1;
	assert_int_equal(run(), 1);
	want("iommu-hostile: device write into a read-only mapping: FAIL: "
	     "completed (status 0), data written, no fault reported, canaries "
	     "CHANGED\n");
}

/* Bypass that reads 0 but stays on: only the unattached case sees it. */
static void test_bypass_stays_on(void **state)
{
	(void)state;
	machine(1);
	model->bypass_stuck = 1;
	assert_int_equal(run(), 1);
	want("iommu-hostile: unattached endpoint: FAIL: completed (status 0), "
	     "data written, no fault reported, canaries CHANGED\n");
}

static void test_set_up_failures(void **state)
{
	u64 end = 0x3fffffff;

	(void)state;
	machine(0);
	assert_int_equal(run(), 0);
	want("iommu-hostile: not run (no virtio-blk)\n");
	setup(NULL);
	machine(1);
	iommu->offered &= ~VIOMMU_F_MAP_UNMAP;
	assert_int_equal(run(), 1);
	want("virtio-iommu 00:02.0: VIRTIO_IOMMU_F_MAP_UNMAP not offered\n");
	setup(NULL);
	machine(1);
	memcpy(iommu->devcfg + 16, &end, 8);	/* input range: 1 GiB */
	assert_int_equal(run(), 1);
	want("outside the input range\n");
	setup(NULL);
	machine(1);
	model->status = 2;			/* UNSUPP for everything */
	assert_true(run() >= 1);
	want("virtio-blk 00:03.0: IOMMU attach or map refused\n");
	want("iommu-hostile: descriptor IOVA unmapped: FAIL: set-up refused "
	     "(request refused)\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_translated, setup),
		cmocka_unit_test_setup(test_no_faults, setup),
		cmocka_unit_test_setup(test_ignored_permissions, setup),
		cmocka_unit_test_setup(test_bypass_stays_on, setup),
		cmocka_unit_test_setup(test_set_up_failures, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
