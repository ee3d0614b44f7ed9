// SPDX-License-Identifier: GPL-2.0-only
/*
 * The fixture shared by test_pci and test_pci_msix (pci-test.h).
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

#include "tests/unit/pci-test.h"

/* ---- Fake MSI delivery */

static int fake_signal(void *opaque, u64 addr, u32 data, u32 devid)
{
	struct msi_rec *m = opaque;

	m->calls++;
	m->addr = addr;
	m->data = data;
	m->devid = devid;
	return 0;
}

const struct pci_msi_ops fake_msi = { .signal = fake_signal };

/* ---- Fake routes and irqfds: GSIs from FAKE_GSI0, lowest free first */

static int fake_route_add(void *opaque, u64 addr, u32 data, u32 *gsi)
{
	struct msi_rec *m = opaque;
	u32 i;

	m->route_adds++;
	if (m->fail_add)
		return m->fail_add;
	for (i = 0; i < FAKE_GSIS && m->used[i]; i++)
		;
	if (i == FAKE_GSIS)
		return -ENOSPC;
	m->used[i] = true;
	m->fd[i] = -1;
	m->live++;
	*gsi = m->gsi = FAKE_GSI0 + i;
	m->route_addr = addr;
	m->route_data = data;
	return 0;
}

static bool fake_gsi_ok(struct msi_rec *m, u32 gsi)
{
	return gsi >= FAKE_GSI0 && gsi < FAKE_GSI0 + FAKE_GSIS &&
	       m->used[gsi - FAKE_GSI0];
}

static int fake_route_update(void *opaque, u32 gsi, u64 addr, u32 data)
{
	struct msi_rec *m = opaque;

	m->route_updates++;
	if (m->fail_update)
		return m->fail_update;
	if (!fake_gsi_ok(m, gsi))
		return -EINVAL;
	m->gsi = gsi;
	m->route_addr = addr;
	m->route_data = data;
	return 0;
}

static int fake_route_free(void *opaque, u32 gsi)
{
	struct msi_rec *m = opaque;

	m->route_frees++;
	if (!fake_gsi_ok(m, gsi))
		return -EINVAL;
	m->used[gsi - FAKE_GSI0] = false;
	m->live--;
	return 0;
}

static int fake_irqfd_assign(void *opaque, int fd, u32 gsi)
{
	struct msi_rec *m = opaque;

	m->assigns++;
	if (m->fail_assign)
		return m->fail_assign;
	if (!fake_gsi_ok(m, gsi) || fd < 0)
		return -EINVAL;
	m->fd[gsi - FAKE_GSI0] = fd;
	return 0;
}

static int fake_irqfd_deassign(void *opaque, int fd, u32 gsi)
{
	struct msi_rec *m = opaque;

	m->deassigns++;
	if (!fake_gsi_ok(m, gsi) || m->fd[gsi - FAKE_GSI0] != fd)
		return -EINVAL;
	m->fd[gsi - FAKE_GSI0] = -1;
	return 0;
}

const struct pci_msi_ops fake_msi_fd = {
	.signal = fake_signal,
	.route_add = fake_route_add,
	.route_update = fake_route_update,
	.route_free = fake_route_free,
	.irqfd_assign = fake_irqfd_assign,
	.irqfd_deassign = fake_irqfd_deassign,
};

/* ---- A sample function: BAR0 32-bit memory, BAR2 64-bit, BAR4 I/O */

void sample_io(void *opaque, u64 offset, void *data, u32 len,
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

const struct pci_ids sample_ids = {
	.vendor = 0x1af4, .device = 0x1042, .subsys_vendor = 0x1af4,
	.subsys = 0x0002, .class_code = 0x010000, .revision = 1,
};

void sample_build(struct sample *s)
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

int setup(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	bus_init(&f->pio, "pio");
	bus_init(&f->mmio, "mmio");
	if (pci_host_init(&f->host, &f->pio, &f->mmio, &f->mem, &fake_msi,
			  &f->msi) < 0)
		return -1;
	memset(&err_capture, 0, sizeof(err_capture));
	*state = f;
	return 0;
}

int teardown(void **state)
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
u32 cf8_read(struct fix *f, u8 devfn, u32 reg, u32 len)
{
	u32 a = 0x80000000U | (u32)devfn << 8 | (reg & 0xfc), v = 0;

	bus_dispatch(&f->pio, 0xcf8, &a, 4, true);
	bus_dispatch(&f->pio, 0xcfc + (reg & 3), &v, len, false);
	return v;
}

void cf8_write(struct fix *f, u8 devfn, u32 reg, u32 len, u32 v)
{
	u32 a = 0x80000000U | (u32)devfn << 8 | (reg & 0xfc);

	bus_dispatch(&f->pio, 0xcf8, &a, 4, true);
	bus_dispatch(&f->pio, 0xcfc + (reg & 3), &v, len, true);
}

u32 ecam_read(struct fix *f, u8 bus, u8 devfn, u32 reg, u32 len)
{
	u32 v = 0;

	bus_dispatch(&f->mmio, 0xb0000000ULL | (u64)bus << 20 |
		     (u64)devfn << 12 | reg, &v, len, false);
	return v;
}

void ecam_write(struct fix *f, u8 devfn, u32 reg, u32 len, u32 v)
{
	bus_dispatch(&f->mmio, 0xb0000000ULL | (u64)devfn << 12 | reg, &v,
		     len, true);
}
