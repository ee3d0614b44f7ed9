// SPDX-License-Identifier: GPL-2.0-only
/*
 * firmware/pci.c against the fake machine (tests/unit/fw-fake.c): the
 * q35 PCIEXBAR set-up, bus 0 enumeration (multi-function devices, a
 * missing function 0, bridges), BAR sizing and assignment (I/O, 32- and
 * 64-bit memory, alignment, full windows, a 64-bit BAR in the last
 * slot), the decode bits, the BAR-size and window arithmetic, and
 * capability walks that loop or point below 0x40.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "firmware/pci.h"
#include "tests/unit/fw-fake.h"

#define MMIO	LAYOUT_PCI_MMIO32_BASE

static struct pci_bus0 bus;

static struct pci_windows windows(void)
{
	return (struct pci_windows){
		.mem = LAYOUT_PCI_MMIO32_BASE, .mem_end = LAYOUT_PCI_MMIO32_END,
		.io = LAYOUT_PCI_IO_BASE, .io_end = LAYOUT_PCI_IO_END,
	};
}

static int setup(void **state)
{
	(void)state;
	fake_reset();
	memset(&bus, 0, sizeof(bus));
	return 0;
}

static void test_q35_ecam(void **state)
{
	(void)state;
	fake_q35_mch();
	assert_false(pci_present(0));		/* ECAM off at reset */
	assert_int_equal(pci_q35_ecam_enable(), 1);
	assert_true(fake_ecam_on);
	assert_true(pci_present(0));
	assert_int_equal(pci_read32(0, 0), Q35_MCH_ID);
	assert_int_equal(pci_read16(0, 2), 0x29c0);
	assert_int_equal(pci_read8(0, 0x0b), 0x06);
	assert_false(pci_present(PCI_BDF(0, 1, 0)));
}

static void test_not_q35(void **state)
{
	struct fake_func *f;

	(void)state;
	f = fake_pci_add(0, 0x8086, 0x1237, 0x060000, 0);	/* i440FX */
	assert_int_equal(pci_q35_ecam_enable(), 0);
	assert_int_equal(fake_cfg32(f, Q35_PCIEXBAR), 0);
	assert_false(pci_present(0));	/* no ECAM: all ones */
	fake_reset();
	assert_int_equal(pci_q35_ecam_enable(), 0);	/* nothing there */
}

static void test_bar_size(void **state)
{
	(void)state;
	assert_int_equal(pci_bar_size(0xfffff000, 0xfffffff0), 0x1000);
	assert_int_equal(pci_bar_size(0xfffff008, 0xfffffff0), 0x1000);
	assert_int_equal(pci_bar_size(0x0000ffe1, 0xfffffffc), 0x20);
	assert_int_equal(pci_bar_size(0xffffffe1, 0xfffffffc), 0x20);
	assert_int_equal(pci_bar_size(0, 0xfffffff0), 0);
	assert_int_equal(pci_bar_size(0xf, 0xfffffff0), 0);
	assert_int_equal(pci_bar_size(0xffffffffffffc00cull, ~0xfull),
			 0x4000);
	assert_int_equal(pci_bar_size(0xfffffffe0000000cull, ~0xfull),
			 0x200000000ull);
}

static void test_window_alloc(void **state)
{
	u64 next = 0xc0000000, end = 0xc0010000;

	(void)state;
	assert_int_equal(pci_window_alloc(&next, end, 0x1000), 0xc0000000);
	assert_int_equal(pci_window_alloc(&next, end, 0x4000), 0xc0004000);
	assert_int_equal(next, 0xc0008000);
	assert_int_equal(pci_window_alloc(&next, end, 0x10), 0xc0008000);
	assert_int_equal(pci_window_alloc(&next, end, 0x8000), 0);
	assert_int_equal(next, 0xc0008010);		/* unchanged */
	assert_int_equal(pci_window_alloc(&next, end, 0x3000), 0);
	assert_int_equal(pci_window_alloc(&next, end, 0), 0);
	next = 0xc0008000;
	assert_int_equal(pci_window_alloc(&next, end, 0x8000), 0xc0008000);
	assert_int_equal(next, end);			/* exact fit */
	next = 0xfffffffffffff000ull;		/* aligning wraps */
	assert_int_equal(pci_window_alloc(&next, ~0ull, 0x2000), 0);
	assert_int_equal(next, 0xfffffffffffff000ull);
	assert_int_equal(pci_window_alloc(&next, ~0ull, 0x1000), 0);
	assert_int_equal(next, 0xfffffffffffff000ull);	/* end wraps */
}

/* MCH, a device with I/O + 32-bit + 64-bit BARs, a multi-function one. */
static void machine(struct fake_func **dev, struct fake_func **mf2)
{
	fake_q35_mch();
	*dev = fake_pci_add(PCI_BDF(0, 3, 0), 0x1234, 0x5678, 0x010000, 0);
	fake_pci_bar(*dev, 0, 1, 0x20);
	fake_pci_bar(*dev, 1, 0, 0x1000);
	fake_pci_bar(*dev, 2, 4 | 8, 0x4000);
	fake_pci_add(PCI_BDF(0, 0x1f, 0), 0x8086, 0x2918, 0x060100, 0x80);
	*mf2 = fake_pci_add(PCI_BDF(0, 0x1f, 2), 0x8086, 0x2922, 0x010601, 0);
	fake_pci_bar(*mf2, 5, 0, 0x1000);
	/* function 1 without function 0: not a device */
	fake_pci_add(PCI_BDF(0, 5, 1), 0x1111, 0x2222, 0xff0000, 0);
	pci_q35_ecam_enable();
}

static void test_scan(void **state)
{
	struct pci_windows w = windows();
	struct fake_func *dev, *mf2;
	const struct pci_func *f;

	(void)state;
	machine(&dev, &mf2);
	assert_int_equal(pci_scan(&bus, &w), 0);
	assert_int_equal(bus.nr, 4);
	assert_true(fake_out_has("pci 00:00.0 8086:29c0 class 060000\n"));
	assert_true(fake_out_has("pci 00:03.0 1234:5678 class 010000\n"));
	assert_true(fake_out_has("pci 00:1f.0 8086:2918 class 060100\n"));
	assert_true(fake_out_has("pci 00:1f.2 8086:2922 class 010601\n"));
	assert_false(fake_out_has("1111:2222"));
	f = &bus.func[1];
	assert_int_equal(f->bdf, PCI_BDF(0, 3, 0));
	assert_int_equal(f->bar[0].type, PCI_BAR_IO);
	assert_int_equal(f->bar[0].addr, LAYOUT_PCI_IO_BASE);
	assert_int_equal(f->bar[0].size, 0x20);
	assert_int_equal(f->bar[1].type, PCI_BAR_MEM32);
	assert_int_equal(f->bar[1].addr, LAYOUT_PCI_MMIO32_BASE);
	assert_int_equal(f->bar[2].type, PCI_BAR_MEM64);
	assert_int_equal(f->bar[2].addr, MMIO + 0x4000);
	assert_int_equal(f->bar[2].size, 0x4000);
	assert_int_equal(f->bar[3].type, PCI_BAR_NONE);	/* upper half */
	/* what the device decodes now */
	assert_int_equal(fake_bar_addr(dev, 0), LAYOUT_PCI_IO_BASE);
	assert_int_equal(fake_bar_addr(dev, 1), LAYOUT_PCI_MMIO32_BASE);
	assert_int_equal(fake_bar_addr(dev, 2), MMIO + 0x4000);
	assert_int_equal(fake_cfg32(dev, PCI_COMMAND) & 7,
			 PCI_CMD_IO | PCI_CMD_MEM);	/* no bus master */
	assert_int_equal(fake_bar_addr(mf2, 5), MMIO + 0x8000);
	assert_int_equal(fake_cfg32(mf2, PCI_COMMAND) & 7, PCI_CMD_MEM);
	assert_int_equal(w.mem, MMIO + 0x9000);
	assert_int_equal(fake_stray, 0);
}

static void test_window_full(void **state)
{
	struct pci_windows w = windows();
	struct fake_func *dev, *mf2;

	(void)state;
	machine(&dev, &mf2);
	w.mem_end = w.mem + 0x2000;	/* room for the 4 KiB BARs only */
	w.io_end = w.io + 0x10;		/* too small for 32 ports */
	assert_int_equal(pci_scan(&bus, &w), 2);
	assert_true(fake_out_has("pci 00:03.0: BAR0 (size 20) does not fit "
				 "its window\n"));
	assert_true(fake_out_has("pci 00:03.0: BAR2 (size 4000) does not "
				 "fit its window\n"));
	assert_int_equal(bus.func[1].bar[0].type, PCI_BAR_NONE);
	assert_int_equal(bus.func[1].bar[2].type, PCI_BAR_NONE);
	assert_int_equal(bus.func[1].bar[1].type, PCI_BAR_MEM32);
	assert_int_equal(fake_cfg32(dev, PCI_COMMAND) & 7, PCI_CMD_MEM);
	assert_int_equal(fake_bar_addr(mf2, 5), MMIO + 0x1000);
}

static void test_odd_bars(void **state)
{
	struct pci_windows w = windows();
	struct fake_func *f, *br;

	(void)state;
	fake_ecam_on = 1;
	f = fake_pci_add(PCI_BDF(0, 2, 0), 0x1234, 1, 0, 0);
	fake_pci_bar(f, 5, 4, 0x1000);		/* 64-bit in the last slot */
	fake_pci_bar(f, 0, 1, 0x1000);		/* I/O larger than 256 */
	br = fake_pci_add(PCI_BDF(0, 4, 0), 0x1234, 2, 0x060400, 1);
	fake_pci_bar(br, 0, 0, 0x100);
	fake_pci_bar(br, 2, 0, 0x1000);		/* not a BAR in a bridge */
	assert_int_equal(pci_scan(&bus, &w), 0);
	assert_int_equal(bus.nr, 2);
	assert_int_equal(bus.func[0].bar[5].type, PCI_BAR_NONE);
	assert_int_equal(bus.func[0].bar[0].type, PCI_BAR_NONE);
	assert_int_equal(fake_cfg32(f, PCI_COMMAND) & 3, 0);
	assert_int_equal(bus.func[1].bar[0].type, PCI_BAR_MEM32);
	assert_int_equal(bus.func[1].bar[0].size, 0x100);
	assert_int_equal(bus.func[1].bar[2].type, PCI_BAR_NONE);
}

static void test_too_many_functions(void **state)
{
	struct pci_windows w = windows();
	int d;

	(void)state;
	fake_ecam_on = 1;
	for (d = 0; d < 5; d++)		/* 5 x 8 functions */
		fake_pci_add(PCI_BDF(0, d, 0), 0x1234, 1, 0, 0x80);
	for (d = 0; d < 5 * 7; d++)
		fake_pci_add(PCI_BDF(0, d / 7, d % 7 + 1), 0x1234, 2, 0, 0);
	pci_scan(&bus, &w);
	assert_int_equal(bus.nr, PCI_MAX_FUNCS);
	assert_true(fake_out_has("pci: more than 32 functions, the rest "
				 "ignored\n"));
}

static void test_caps(void **state)
{
	static const u8 body[6];
	struct fake_func *f;
	u32 budget = PCI_CAP_MAX_WALK;
	u8 a, b, c, n = 0, pos = 0;

	(void)state;
	fake_ecam_on = 1;
	f = fake_pci_add(PCI_BDF(0, 1, 0), 0x1234, 1, 0, 0);
	assert_int_equal(pci_cap_next(f->bdf, 0, &budget), 0);	/* none */
	a = fake_pci_cap(f, 0x11, body, 8);
	b = fake_pci_cap(f, 0x09, body, 8);
	c = fake_pci_cap(f, 0x05, body, 8);
	assert_int_equal(pci_cap_next(f->bdf, 0, &budget), a);
	assert_int_equal(pci_cap_next(f->bdf, a, &budget), b);
	assert_int_equal(pci_cap_next(f->bdf, b, &budget), c);
	assert_int_equal(pci_cap_next(f->bdf, c, &budget), 0);
	/* a loop: c points back at a; the budget ends the walk */
	f->cfg[c + 1] = a;
	budget = PCI_CAP_MAX_WALK;
	while ((pos = pci_cap_next(f->bdf, pos, &budget)))
		n++;
	assert_int_equal(n, PCI_CAP_MAX_WALK);
	/* a pointer into the header ends the walk; low bits are ignored */
	f->cfg[c + 1] = 0x3c;
	budget = PCI_CAP_MAX_WALK;
	assert_int_equal(pci_cap_next(f->bdf, c, &budget), 0);
	f->cfg[0x34] = (u8)(a | 3);
	assert_int_equal(pci_cap_next(f->bdf, 0, &budget), a);
	f->cfg[6] &= (u8)~PCI_STATUS_CAP_LIST;
	assert_int_equal(pci_cap_next(f->bdf, 0, &budget), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_q35_ecam, setup),
		cmocka_unit_test_setup(test_not_q35, setup),
		cmocka_unit_test_setup(test_bar_size, setup),
		cmocka_unit_test_setup(test_window_alloc, setup),
		cmocka_unit_test_setup(test_scan, setup),
		cmocka_unit_test_setup(test_window_full, setup),
		cmocka_unit_test_setup(test_odd_bars, setup),
		cmocka_unit_test_setup(test_too_many_functions, setup),
		cmocka_unit_test_setup(test_caps, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
