// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of devices/pci/ (pci.c, msix.c, host.c, dump.c) on real
 * buses: config masks (read-only IDs, RW1C status), the capability chain,
 * BAR sizing (32/64-bit memory, I/O), BAR map/move/unmap with decode on
 * and off, bus master -> dma_as, CF8/CFC and ECAM reaching the same
 * bytes, bad accesses, absent functions, slot assignment, the device
 * hooks, MSI-X mask/pending/unmask through a fake delivery (the
 * pci_msi_ops seam), and pci_dump decoded by `lspci -F` when installed.
 */
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

#include "devices/pci/pci.h"
#include "lib/log.h"
#include "vmm/memory.h"

static struct {
	int err;
	char last[512];
} logs;

void __wrap_pr_log(enum log_level level, const char *fmt, ...) __printf(2, 3);
void __wrap_pr_log(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	if (level != LOG_ERR)
		return;
	va_start(ap, fmt);
	vsnprintf(logs.last, sizeof(logs.last), fmt, ap);
	va_end(ap);
	logs.err++;
}

/* ---- Fake MSI delivery */
struct msi_rec {
	int calls;
	u64 addr;
	u32 data, devid;
};

static int fake_signal(void *opaque, u64 addr, u32 data, u32 devid)
{
	struct msi_rec *m = opaque;

	m->calls++;
	m->addr = addr;
	m->data = data;
	m->devid = devid;
	return 0;
}

static const struct pci_msi_ops fake_msi = { .signal = fake_signal };

/* ---- A sample function: BAR0 32-bit memory, BAR2 64-bit, BAR4 I/O */
struct sample {
	struct pci_dev dev;
	int io_calls;
	u64 io_offset;
	int moved;
	unsigned int moved_bar;
	u64 moved_old, moved_new;
	u32 wrote_reg, wrote_val;
};

static void sample_io(void *opaque, u64 offset, void *data, u32 len,
		      bool is_write)
{
	struct sample *s = opaque;

	s->io_calls++;
	s->io_offset = offset;
	if (!is_write)
		memset(data, 0x5a, len);
}

static void sample_bar_moved(struct pci_dev *dev, unsigned int bar,
			     u64 old_addr, u64 new_addr)
{
	struct sample *s = dev->opaque;

	s->moved++;
	s->moved_bar = bar;
	s->moved_old = old_addr;
	s->moved_new = new_addr;
}

/* Vendor capability at 0x40: reads of byte 0x4c come from the device. */
static void sample_cfg_read(struct pci_dev *dev, u32 reg, u32 len, u32 *val)
{
	if (reg == 0x4c && len == 4)
		*val = 0xfeedf00d;
}

static void sample_cfg_write(struct pci_dev *dev, u32 reg, u32 len, u32 val)
{
	struct sample *s = dev->opaque;

	s->wrote_reg = reg;
	s->wrote_val = val;
}

static const struct pci_dev_ops sample_ops = {
	.cfg_read = sample_cfg_read,
	.cfg_write = sample_cfg_write,
	.bar_moved = sample_bar_moved,
};

static const struct pci_ids sample_ids = {
	.vendor = 0x1af4, .device = 0x1042, .subsys_vendor = 0x1af4,
	.subsys = 0x0002, .class_code = 0x010000, .revision = 1,
};

struct fix {
	struct bus pio, mmio;
	struct guest_mem mem;
	struct pci_host host;
	struct msi_rec msi;
	struct sample s;
};

static void sample_build(struct sample *s)
{
	pci_dev_init(&s->dev, "sample", &sample_ids, &sample_ops, s);
	assert_int_equal(pci_bar_init(&s->dev, 0, PCI_BAR_MEM32, false,
				      0x1000, sample_io, s), 0);
	assert_int_equal(pci_bar_init(&s->dev, 2, PCI_BAR_MEM64, true,
				      0x4000, sample_io, s), 0);
	assert_int_equal(pci_bar_init(&s->dev, 4, PCI_BAR_IO, false, 0x20,
				      sample_io, s), 0);
	assert_int_equal(pci_cap_add(&s->dev, PCI_CAP_ID_VNDR, 16), 0x40);
	assert_int_equal(pci_msix_init(&s->dev, 4, 2, 0x2000, 2, 0x3000), 0);
}

static int setup(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	bus_init(&f->pio, "pio");
	bus_init(&f->mmio, "mmio");
	if (pci_host_init(&f->host, &f->pio, &f->mmio, &f->mem, &fake_msi,
			  &f->msi) < 0)
		return -1;
	memset(&logs, 0, sizeof(logs));
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;

	if (f->s.dev.host)
		pci_dev_exit(&f->s.dev);
	pci_host_free(&f->host);
	bus_free(&f->mmio);
	bus_free(&f->pio);
	free(f);
	return 0;
}

/* Config accesses the way a guest makes them. */
static u32 cf8_read(struct fix *f, u8 devfn, u32 reg, u32 len)
{
	u32 a = 0x80000000U | (u32)devfn << 8 | (reg & 0xfc), v = 0;

	bus_dispatch(&f->pio, 0xcf8, &a, 4, true);
	bus_dispatch(&f->pio, 0xcfc + (reg & 3), &v, len, false);
	return v;
}

static void cf8_write(struct fix *f, u8 devfn, u32 reg, u32 len, u32 v)
{
	u32 a = 0x80000000U | (u32)devfn << 8 | (reg & 0xfc);

	bus_dispatch(&f->pio, 0xcf8, &a, 4, true);
	bus_dispatch(&f->pio, 0xcfc + (reg & 3), &v, len, true);
}

static u32 ecam_read(struct fix *f, u8 bus, u8 devfn, u32 reg, u32 len)
{
	u32 v = 0;

	bus_dispatch(&f->mmio, 0xb0000000ULL | (u64)bus << 20 |
		     (u64)devfn << 12 | reg, &v, len, false);
	return v;
}

static void ecam_write(struct fix *f, u8 devfn, u32 reg, u32 len, u32 v)
{
	bus_dispatch(&f->mmio, 0xb0000000ULL | (u64)devfn << 12 | reg, &v,
		     len, true);
}

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
	assert_int_equal(ecam_read(f, 0, 0, 0, 2), 0x8086);	/* ECAM stays */
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
	assert_non_null(strstr(logs.last, "no room"));
	assert_int_equal(pci_cap_add(d, PCI_CAP_ID_VNDR, 1), -EINVAL);
	/* a looping chain does not hang the walk */
	d->cfg[0x41] = 0x40;
	assert_int_equal(pci_cap_find(d, 0x77), 0);
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
	assert_non_null(strstr(logs.last, "taken by sample"));
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

#define MSIX_BAR	0xd0000000ULL
#define TABLE		(MSIX_BAR + 0x2000)
#define PBA		(MSIX_BAR + 0x3000)

static void mmio_w32(struct fix *f, u64 addr, u32 v)
{
	bus_dispatch(&f->mmio, addr, &v, 4, true);
}

static u64 mmio_r(struct fix *f, u64 addr, u32 len)
{
	u64 v = 0;

	bus_dispatch(&f->mmio, addr, &v, len, false);
	return v;
}

/* The sample at 00:04.0 with BAR2 (MSI-X) at MSIX_BAR, decoding. */
static u8 msix_setup(struct fix *f)
{
	u8 fn;

	sample_build(&f->s);
	assert_int_equal(pci_host_add(&f->host, &f->s.dev, 4), 0);
	fn = f->s.dev.devfn;
	pci_cfg_write(&f->host, 0, fn, 0x18, 4, (u32)MSIX_BAR);
	pci_cfg_write(&f->host, 0, fn, PCI_COMMAND, 2, PCI_COMMAND_MEMORY);
	/* vector 1: address, data */
	mmio_w32(f, TABLE + 16, 0xfee01000);
	mmio_w32(f, TABLE + 20, 0);
	mmio_w32(f, TABLE + 24, 0x4051);
	return fn;
}

static void msix_ctrl(struct fix *f, u8 fn, u16 bits)
{
	pci_cfg_write(&f->host, 0, fn, 0x50 + PCI_MSIX_FLAGS, 2, bits);
}

static void test_msix_cap_and_table(void **state)
{
	struct fix *f = *state;
	u8 fn = msix_setup(f);

	/* capability: 4 vectors, table BAR2+0x2000, PBA BAR2+0x3000 */
	assert_int_equal(pci_cfg_read(&f->host, 0, fn, 0x50, 4), 0x00030011);
	assert_int_equal(pci_cfg_read(&f->host, 0, fn, 0x54, 4), 0x2002);
	assert_int_equal(pci_cfg_read(&f->host, 0, fn, 0x58, 4), 0x3002);
	/* table size is read-only */
	msix_ctrl(f, fn, 0x07ff);
	assert_int_equal(pci_cfg_read(&f->host, 0, fn, 0x52, 2), 3);
	/* entries read back; vectors start masked; reserved ctrl bits 0 */
	assert_int_equal(mmio_r(f, TABLE + 16, 4), 0xfee01000);
	assert_int_equal(mmio_r(f, TABLE + 24, 4), 0x4051);
	assert_int_equal(mmio_r(f, TABLE + 28, 4), 1);
	mmio_w32(f, TABLE + 28, 0xfffffffe);
	assert_int_equal(mmio_r(f, TABLE + 28, 4), 0);
	mmio_w32(f, TABLE + 28, 1);
	/* 8-byte access, and an access the device handler serves */
	assert_true(mmio_r(f, TABLE + 16, 8) == 0xfee01000ULL);
	f->s.io_calls = 0;
	assert_int_equal(mmio_r(f, MSIX_BAR + 0x100, 1), 0x5a);
	assert_int_equal(f->s.io_calls, 1);
	/* PBA is read-only */
	mmio_w32(f, PBA, 0xf);
	assert_int_equal(mmio_r(f, PBA, 8), 0);
	assert_int_equal(f->s.io_calls, 1);
}

static void test_msix_pending(void **state)
{
	struct fix *f = *state;
	u8 fn = msix_setup(f);

	/* disabled: pending, nothing sent */
	assert_false(pci_msix_enabled(&f->s.dev));
	assert_int_equal(pci_msix_notify(&f->s.dev, 1), 0);
	assert_int_equal(f->msi.calls, 0);
	assert_int_equal(mmio_r(f, PBA, 1), 0x2);
	/* enabled but vector masked: still pending */
	msix_ctrl(f, fn, PCI_MSIX_FLAGS_ENABLE);
	assert_true(pci_msix_enabled(&f->s.dev));
	assert_int_equal(f->msi.calls, 0);
	assert_true(pci_msix_vector_masked(&f->s.dev, 1));
	/* unmask: the pending vector fires, the bit clears */
	mmio_w32(f, TABLE + 28, 0);
	assert_int_equal(f->msi.calls, 1);
	assert_true(f->msi.addr == 0xfee01000);
	assert_int_equal(f->msi.data, 0x4051);
	assert_int_equal(f->msi.devid, PCI_DEVFN(4, 0));
	assert_int_equal(mmio_r(f, PBA, 1), 0);
	/* unmasked: sent at once */
	assert_int_equal(pci_msix_notify(&f->s.dev, 1), 0);
	assert_int_equal(f->msi.calls, 2);
	/* function mask: pending until cleared */
	msix_ctrl(f, fn, PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL);
	assert_int_equal(pci_msix_notify(&f->s.dev, 1), 0);
	assert_int_equal(f->msi.calls, 2);
	assert_int_equal(mmio_r(f, PBA, 1), 0x2);
	/* a table update takes effect for the next message */
	mmio_w32(f, TABLE + 24, 0x4062);
	msix_ctrl(f, fn, PCI_MSIX_FLAGS_ENABLE);
	assert_int_equal(f->msi.calls, 3);
	assert_int_equal(f->msi.data, 0x4062);
	/* a masked vector 0 never fires */
	assert_int_equal(pci_msix_notify(&f->s.dev, 0), 0);
	assert_int_equal(f->msi.calls, 3);
	assert_int_equal(mmio_r(f, PBA, 1), 0x1);
	/* errors */
	assert_int_equal(pci_msix_notify(&f->s.dev, 4), -EINVAL);
	assert_non_null(strstr(logs.last, "vector 4"));
	assert_int_equal(pci_msix_notify(&f->host.mch, 0), -EINVAL);
}

static void test_msix_bad_layout(void **state)
{
	struct pci_dev d;

	pci_dev_init(&d, "bad", &sample_ids, NULL, NULL);
	assert_int_equal(pci_bar_init(&d, 0, PCI_BAR_MEM32, false, 0x1000,
				      NULL, NULL), 0);
	assert_int_equal(pci_bar_init(&d, 1, PCI_BAR_IO, false, 0x100,
				      NULL, NULL), 0);
	/* overlap, outside the BAR, I/O BAR, misaligned, 0 vectors */
	assert_int_equal(pci_msix_init(&d, 4, 0, 0, 0, 0x20), -EINVAL);
	assert_int_equal(pci_msix_init(&d, 4, 0, 0xff8, 0, 0), -EINVAL);
	assert_int_equal(pci_msix_init(&d, 4, 1, 0, 0, 0x800), -EINVAL);
	assert_int_equal(pci_msix_init(&d, 4, 0, 4, 0, 0x800), -EINVAL);
	assert_int_equal(pci_msix_init(&d, 0, 0, 0, 0, 0x800), -EINVAL);
	assert_int_equal(pci_msix_init(&d, 4, 3, 0, 0, 0x800), -EINVAL);
	assert_non_null(strstr(logs.last, "invalid layout"));
	assert_int_equal(pci_msix_init(&d, 4, 0, 0, 0, 0x800), 0);
	assert_int_equal(pci_msix_init(&d, 4, 0, 0, 0, 0x800), -EINVAL);
	pci_dev_exit(&d);
	assert_null(d.msix);
}

/* Without a delivery seam MSI-X reports -ENODEV. */
static void test_msix_no_sink(void **state)
{
	struct fix *f = *state;
	u8 fn = msix_setup(f);

	f->host.msi = NULL;
	msix_ctrl(f, fn, PCI_MSIX_FLAGS_ENABLE);
	mmio_w32(f, TABLE + 28, 0);
	assert_int_equal(pci_msix_notify(&f->s.dev, 1), -ENODEV);
	f->host.msi = &fake_msi;
}

/* pci_dump, decoded by lspci -F when pciutils is installed. */
static void test_dump_lspci(void **state)
{
	struct fix *f = *state;
	char path[] = "/tmp/sevm-pci-XXXXXX", cmd[128], out[16384];
	size_t n;
	FILE *fp;
	u8 fn = msix_setup(f);
	int fd;

	msix_ctrl(f, fn, PCI_MSIX_FLAGS_ENABLE);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	fp = fdopen(fd, "w");
	assert_non_null(fp);
	assert_int_equal(pci_dump(&f->host, fp), 0);
	fclose(fp);
	if (access("/usr/bin/lspci", X_OK)) {
		unlink(path);
		skip();
	}
	snprintf(cmd, sizeof(cmd), "lspci -F %s -vvv -n 2>&1", path);
	fp = popen(cmd, "r");
	assert_non_null(fp);
	n = fread(out, 1, sizeof(out) - 1, fp);
	out[n] = 0;
	pclose(fp);
	unlink(path);
	if (getenv("TEST_PCI_SHOW"))
		fputs(out, stderr);
	assert_non_null(strstr(out, "00:00.0 0600: 8086:29c0"));
	assert_non_null(strstr(out, "Subsystem: 1af4:1100"));
	assert_non_null(strstr(out, "00:04.0 0100: 1af4:1042 (rev 01)"));
	assert_non_null(strstr(out, "MSI-X: Enable+ Count=4"));
	assert_non_null(strstr(out, "Vector table: BAR=2 offset=00002000"));
	assert_non_null(strstr(out, "PBA: BAR=2 offset=00003000"));
	assert_non_null(strstr(out,
			       "Capabilities: [40] Vendor Specific Information"));
	assert_non_null(strstr(out, "Memory at d0000000 (64-bit, prefetchable)"));
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
		T(test_msix_cap_and_table),
		T(test_msix_pending),
		T(test_msix_bad_layout),
		T(test_msix_no_sink),
		T(test_dump_lspci),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
