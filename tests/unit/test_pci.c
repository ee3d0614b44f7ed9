// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of devices/pci/ (pci.c, msix.c, host.c, dump.c) on real
 * buses: config masks (read-only IDs, RW1C status), the capability chain,
 * BAR sizing (32/64-bit memory, I/O), BAR map/move/unmap with decode on
 * and off, bus master -> dma_as, CF8/CFC and ECAM reaching the same
 * bytes, bad accesses, absent functions, slot assignment and the
 * device hooks. MSI-X and the lspci dump: test_pci_msix.c.
 */
#include <errno.h>
#include <setjmp.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "devices/pci/pci-internal.h"
#include "tests/unit/pci-test.h"

static void test_mch_and_absent(void **state)
{
	struct fix *f = *state;
	u32 a;

	assert_int_equal(cf8_read(f, 0, 0, 4), 0x29c08086);
	assert_int_equal(ecam_read(f, 0, 0, 0, 4), 0x29c08086);
	assert_int_equal(cf8_read(f, 0, PCI_CLASS_REVISION, 4), 0x06000000);
	assert_int_equal(ecam_read(f, 0, 0, PCI_SUBSYSTEM_VENDOR_ID, 4),
			 0x11001af4);
	assert_int_equal(cf8_read(f, 0, PCI_HEADER_TYPE, 1), 0);
	/* PCIEXBAR and PAM keep what is written */
	assert_int_equal(ecam_read(f, 0, 0, 0x60, 4), 0xb0000001);
	cf8_write(f, 0, 0x60, 4, 0xe0000001);
	cf8_write(f, 0, 0x64, 4, 0x1);
	ecam_write(f, 0, 0x93, 1, 0x33);
	assert_int_equal(ecam_read(f, 0, 0, 0x60, 4), 0xe0000001);
	assert_int_equal(cf8_read(f, 0, 0x64, 4), 1);
	assert_int_equal(cf8_read(f, 0, 0x93, 1), 0x33);
	/* ECAM stays where it was */
	assert_int_equal(ecam_read(f, 0, 0, 0, 2), 0x8086);
	/* absent functions, other buses */
	assert_int_equal(cf8_read(f, PCI_DEVFN(3, 0), 0, 4), 0xffffffff);
	assert_int_equal(ecam_read(f, 0, PCI_DEVFN(0, 1), 0, 2), 0xffff);
	assert_int_equal(ecam_read(f, 1, 0, 0, 4), 0xffffffff);
	assert_int_equal(pci_cfg_read(&f->host, 0, 0x88, 0, 1), 0xff);
	/* CONFIG_ADDRESS reads back; without the enable bit data is ones */
	a = 0x00000000;
	bus_dispatch(&f->pio, 0xcf8, &a, 4, true);
	a = 0;
	bus_dispatch(&f->pio, 0xcf8, &a, 4, false);
	assert_int_equal(a, 0);
	bus_dispatch(&f->pio, 0xcfc, &a, 4, false);
	assert_int_equal(a, 0xffffffff);
}

static void test_bad_accesses(void **state)
{
	struct fix *f = *state;
	u64 v8 = 0;
	u32 v = 0;

	/* unaligned, odd widths, past 4 KiB: ones, writes dropped */
	assert_int_equal(pci_cfg_read(&f->host, 0, 0, 1, 2), 0xffffffff);
	assert_int_equal(pci_cfg_read(&f->host, 0, 0, 0, 3), 0xffffffff);
	assert_int_equal(pci_cfg_read(&f->host, 0, 0, 0xffe, 4), 0xffffffff);
	assert_int_equal(pci_cfg_read(&f->host, 0, 0, 0x1000, 1), 0xffffffff);
	pci_cfg_write(&f->host, 0, 0, 0x5f, 2, 0);	/* unaligned */
	pci_cfg_write(&f->host, 0, 0, 0x62, 4, 0);
	assert_int_equal(pci_cfg_read(&f->host, 0, 0, 0x60, 4), 0xb0000001);
	bus_dispatch(&f->mmio, 0xb0000000ULL, &v8, 8, false);
	assert_true(v8 == ~0ULL);
	/* CF8 with a byte access is not CONFIG_ADDRESS */
	v = 0x80;
	bus_dispatch(&f->pio, 0xcfb, &v, 1, true);
	bus_dispatch(&f->pio, 0xcf8, &v, 4, false);
	assert_int_not_equal(v, 0x80000000);
	/* CFC access running past 0xCFF */
	v = 0x80000000U;
	bus_dispatch(&f->pio, 0xcf8, &v, 4, true);
	v = 0;
	bus_dispatch(&f->pio, 0xcfe, &v, 4, false);
	assert_int_equal(v, 0xffffffff);
}

static void test_masks(void **state)
{
	struct fix *f = *state;
	struct pci_dev *d = &f->s.dev;

	sample_build(&f->s);
	assert_int_equal(pci_host_add(&f->host, d, 3), 0);
	pci_cfg_write(&f->host, 0, d->devfn, PCI_VENDOR_ID, 4, 0x12345678);
	assert_int_equal(pci_cfg_read(&f->host, 0, d->devfn, 0, 4),
			 0x10421af4);
	pci_cfg_write(&f->host, 0, d->devfn, PCI_CLASS_REVISION, 4, 0);
	assert_int_equal(pci_cfg_read(&f->host, 0, d->devfn,
				      PCI_CLASS_REVISION, 4), 0x01000001);
	/* status: RW1C error bits, read-only capability bit */
	pci_cfg_set(d, PCI_STATUS, 2, PCI_STATUS_CAP_LIST |
		    PCI_STATUS_REC_MASTER_ABORT | PCI_STATUS_SIG_SYSTEM_ERROR);
	pci_cfg_write(&f->host, 0, d->devfn, PCI_STATUS, 2, 0);
	assert_int_equal(pci_cfg_read(&f->host, 0, d->devfn, PCI_STATUS, 2),
			 0x6010);
	pci_cfg_write(&f->host, 0, d->devfn, PCI_STATUS, 2, 0xffff &
		      ~PCI_STATUS_SIG_SYSTEM_ERROR);
	assert_int_equal(pci_cfg_read(&f->host, 0, d->devfn, PCI_STATUS, 2),
			 PCI_STATUS_CAP_LIST | PCI_STATUS_SIG_SYSTEM_ERROR);
	/* command: only the implemented bits */
	pci_cfg_write(&f->host, 0, d->devfn, PCI_COMMAND, 2, 0xffff);
	assert_int_equal(pci_cfg_read(&f->host, 0, d->devfn, PCI_COMMAND, 2),
			 0x0547);
	/* interrupt pin 0, line writable */
	pci_cfg_write(&f->host, 0, d->devfn, PCI_INTERRUPT_LINE, 2, 0x0a0b);
	assert_int_equal(pci_cfg_read(&f->host, 0, d->devfn,
				      PCI_INTERRUPT_LINE, 2), 0x000b);
	/* the write hook saw the value written */
	assert_int_equal(f->s.wrote_reg, PCI_INTERRUPT_LINE);
	assert_int_equal(f->s.wrote_val, 0x0a0b);
	/* the read hook overrides its own register only */
	assert_int_equal(pci_cfg_read(&f->host, 0, d->devfn, 0x4c, 4),
			 0xfeedf00d);
	assert_int_equal(pci_cfg_read(&f->host, 0, d->devfn, 0x48, 4), 0);
}

static void test_caps(void **state)
{
	struct fix *f = *state;
	struct pci_dev *d = &f->s.dev;
	u8 off;
	int n = 0, r;

	sample_build(&f->s);
	assert_int_equal(pci_cap_add(d, PCI_CAP_ID_VNDR, 5), 0x5c);
	assert_int_equal(pci_cap_find(d, PCI_CAP_ID_MSIX), 0x50);
	assert_int_equal(pci_cap_find(d, PCI_CAP_ID_MSI), 0);
	assert_int_equal(d->cfg[0x40 + 2], 16);		/* cap_len */
	assert_int_equal(d->cfg[0x5c + 2], 5);
	for (off = d->cfg[PCI_CAPABILITY_LIST]; off; off = d->cfg[off + 1])
		n++;
	assert_int_equal(n, 3);
	assert_true(d->cfg[PCI_STATUS] & PCI_STATUS_CAP_LIST);
	/* full, too short */
	while ((r = pci_cap_add(d, PCI_CAP_ID_VNDR, 32)) > 0)
		;
	assert_int_equal(r, -ENOSPC);
	assert_non_null(strstr(err_capture.last, "no room"));
	assert_int_equal(pci_cap_add(d, PCI_CAP_ID_VNDR, 1), -EINVAL);
	/* a looping chain does not hang the walk */
	d->cfg[0x41] = 0x40;
	assert_int_equal(pci_cap_find(d, 0x77), 0);
	pci_msix_free(d);	/* never plugged: the host does not free it */
}

static void test_bar_sizing(void **state)
{
	struct fix *f = *state;
	u8 fn;

	sample_build(&f->s);
	assert_int_equal(pci_host_add(&f->host, &f->s.dev, -1), 0);
	fn = f->s.dev.devfn;
	assert_int_equal(fn, PCI_DEVFN(1, 0));
	assert_int_equal(pci_cfg_read(&f->host, 0, fn, 0x10, 4), 0);
	assert_int_equal(pci_cfg_read(&f->host, 0, fn, 0x18, 4), 0xc);
	assert_int_equal(pci_cfg_read(&f->host, 0, fn, 0x20, 4), 1);
	for (u32 reg = 0x10; reg < 0x28; reg += 4)
		pci_cfg_write(&f->host, 0, fn, reg, 4, 0xffffffff);
	assert_int_equal(pci_cfg_read(&f->host, 0, fn, 0x10, 4), 0xfffff000);
	assert_int_equal(pci_cfg_read(&f->host, 0, fn, 0x14, 4), 0);
	assert_int_equal(pci_cfg_read(&f->host, 0, fn, 0x18, 4), 0xffffc00c);
	assert_int_equal(pci_cfg_read(&f->host, 0, fn, 0x1c, 4), 0xffffffff);
	assert_int_equal(pci_cfg_read(&f->host, 0, fn, 0x20, 4), 0xffffffe1);
	/* bad BAR declarations */
	assert_int_equal(pci_bar_init(&f->s.dev, 6, PCI_BAR_IO, false, 4,
				      sample_io, NULL), -EINVAL);
	assert_int_equal(pci_bar_init(&f->s.dev, 1, PCI_BAR_MEM32, false,
				      0x1800, sample_io, NULL), -EINVAL);
	assert_int_equal(pci_bar_init(&f->s.dev, 1, PCI_BAR_IO, false, 512,
				      sample_io, NULL), -EINVAL);
	assert_int_equal(pci_bar_init(&f->s.dev, 5, PCI_BAR_MEM64, false,
				      0x1000, sample_io, NULL), -EINVAL);
	assert_int_equal(pci_bar_init(&f->s.dev, 3, PCI_BAR_MEM32, false,
				      0x1000, sample_io, NULL), -EBUSY);
	assert_int_equal(pci_bar_init(&f->s.dev, 0, PCI_BAR_MEM32, false,
				      0x1000, sample_io, NULL), -EBUSY);
}

static bool mmio_hits(struct fix *f, u64 addr)
{
	u32 v = 0;

	return bus_dispatch(&f->mmio, addr, &v, 4, false);
}

static void test_bar_map_move(void **state)
{
	struct fix *f = *state;
	struct sample *s = &f->s;
	u8 fn;
	u16 port_v = 0;

	sample_build(s);
	assert_int_equal(pci_host_add(&f->host, &s->dev, 2), 0);
	fn = s->dev.devfn;
	pci_cfg_write(&f->host, 0, fn, 0x10, 4, 0xc0000000);
	pci_cfg_write(&f->host, 0, fn, 0x18, 4, 0x00000000);
	pci_cfg_write(&f->host, 0, fn, 0x1c, 4, 0x00000008);	/* 32 GiB */
	pci_cfg_write(&f->host, 0, fn, 0x20, 4, 0xc000);
	assert_false(mmio_hits(f, 0xc0000010));		/* decode off */
	assert_int_equal(s->moved, 0);
	pci_cfg_write(&f->host, 0, fn, PCI_COMMAND, 2, PCI_COMMAND_MEMORY);
	assert_true(mmio_hits(f, 0xc0000010));
	assert_int_equal(s->io_offset, 0x10);
	assert_true(mmio_hits(f, 0x800000000ULL + 0x100));
	assert_int_equal(s->moved, 2);
	assert_int_equal(s->moved_bar, 2);
	assert_true(s->moved_old == PCI_BAR_UNMAPPED);
	assert_true(s->moved_new == 0x800000000ULL);
	assert_false(bus_dispatch(&f->pio, 0xc004, &port_v, 2, false));
	/* I/O decode maps the I/O BAR */
	pci_cfg_write(&f->host, 0, fn, PCI_COMMAND, 2,
		      PCI_COMMAND_MEMORY | PCI_COMMAND_IO);
	assert_true(bus_dispatch(&f->pio, 0xc004, &port_v, 2, false));
	assert_int_equal(s->io_offset, 4);
	/* move BAR0 while decoding */
	pci_cfg_write(&f->host, 0, fn, 0x10, 4, 0xc1000000);
	assert_false(mmio_hits(f, 0xc0000010));
	assert_true(mmio_hits(f, 0xc1000ff0));
	assert_int_equal(s->io_offset, 0xff0);
	assert_true(s->moved_old == 0xc0000000 && s->moved_new == 0xc1000000);
	/* onto the ECAM window: refused by the bus, BAR left unmapped */
	pci_cfg_write(&f->host, 0, fn, 0x10, 4, 0xb0000000);
	assert_true(s->dev.bars[0].addr == PCI_BAR_UNMAPPED);
	assert_false(mmio_hits(f, 0xc1000ff0));
	assert_int_equal(ecam_read(f, 0, 0, 0, 2), 0x8086);
	pci_cfg_write(&f->host, 0, fn, 0x10, 4, 0xc2000000);
	assert_true(mmio_hits(f, 0xc2000000));
	/* decode off unmaps everything */
	pci_cfg_write(&f->host, 0, fn, PCI_COMMAND, 2, 0);
	assert_false(mmio_hits(f, 0xc2000000));
	assert_false(mmio_hits(f, 0x800000000ULL));
	assert_false(bus_dispatch(&f->pio, 0xc004, &port_v, 2, false));
	assert_true(s->moved_new == PCI_BAR_UNMAPPED);
	/* the sizing pattern is never mapped */
	pci_cfg_write(&f->host, 0, fn, 0x10, 4, 0xffffffff);
	pci_cfg_write(&f->host, 0, fn, PCI_COMMAND, 2, PCI_COMMAND_MEMORY);
	assert_true(s->dev.bars[0].addr == PCI_BAR_UNMAPPED);
	assert_false(mmio_hits(f, 0xfffff000));
}

static void test_bus_master(void **state)
{
	struct fix *f = *state;
	u8 fn;

	sample_build(&f->s);
	assert_int_equal(pci_host_add(&f->host, &f->s.dev, 5), 0);
	fn = f->s.dev.devfn;
	assert_int_equal(f->s.dev.dma.endpoint, PCI_DEVFN(5, 0));
	assert_false(atomic_load(&f->s.dev.dma.master));
	ecam_write(f, fn, PCI_COMMAND, 2, PCI_COMMAND_MASTER);
	assert_true(atomic_load(&f->s.dev.dma.master));
	cf8_write(f, fn, PCI_COMMAND, 1, 0);
	assert_false(atomic_load(&f->s.dev.dma.master));
	/* a byte write to 0x05 does not touch the master bit */
	cf8_write(f, fn, PCI_COMMAND, 2, PCI_COMMAND_MASTER);
	cf8_write(f, fn, PCI_COMMAND + 1, 1, 0x04);
	assert_true(atomic_load(&f->s.dev.dma.master));
}

static void test_slots(void **state)
{
	struct fix *f = *state;
	static struct pci_dev devs[32];
	int i;

	sample_build(&f->s);
	assert_int_equal(pci_host_add(&f->host, &f->s.dev, 7), 0);
	assert_int_equal(pci_host_add(&f->host, &f->s.dev, 8), -EINVAL);
	pci_dev_init(&devs[0], "dup", &sample_ids, NULL, NULL);
	assert_int_equal(pci_host_add(&f->host, &devs[0], 7), -EEXIST);
	assert_non_null(strstr(err_capture.last, "taken by sample"));
	assert_int_equal(pci_host_add(&f->host, &devs[0], 0), -EINVAL);
	assert_int_equal(pci_host_add(&f->host, &devs[0], 32), -EINVAL);
	for (i = 0; i < 30; i++) {
		pci_dev_init(&devs[i], "d", &sample_ids, NULL, NULL);
		assert_int_equal(pci_host_add(&f->host, &devs[i], -1), 0);
		assert_int_not_equal(PCI_DEVFN_SLOT(devs[i].devfn), 7);
	}
	assert_int_equal(PCI_DEVFN_SLOT(devs[29].devfn), 31);
	pci_dev_init(&devs[30], "d", &sample_ids, NULL, NULL);
	assert_int_equal(pci_host_add(&f->host, &devs[30], -1), -ENOSPC);
	/* functions of one slot are separate */
	assert_int_equal(pci_host_add_devfn(&f->host, &devs[30],
					    PCI_DEVFN(7, 1)), 0);
	assert_int_equal(pci_cfg_read(&f->host, 0, PCI_DEVFN(7, 1), 0, 2),
			 0x1af4);
	for (i = 0; i < 31; i++)
		pci_dev_exit(&devs[i]);
	assert_int_equal(pci_cfg_read(&f->host, 0, PCI_DEVFN(7, 1), 0, 2),
			 0xffff);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_mch_and_absent),
		T(test_bad_accesses),
		T(test_masks),
		T(test_caps),
		T(test_bar_sizing),
		T(test_bar_map_move),
		T(test_bus_master),
		T(test_slots),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
