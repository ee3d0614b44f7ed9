// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest accesses to the PCIe host on any bytes: each 12-byte record is
 * one access (kind, width, offset, value) to CF8/CFC, ECAM or the MSI-X
 * BAR of a sample function, or an MSI-X notify (delivered through fake
 * routes and irqfds, with a fallback). Checks: no crash, the
 * read-only identity stays, reads of a function that is not there are
 * all ones, and the buses keep their ranges sorted and disjoint.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "devices/pci/pci.h"
#include "tests/fuzz/fuzz.h"
#include "vmm/memory.h"

struct fuzz_pci {
	struct bus pio, mmio;
	struct guest_mem mem;
	struct pci_host host;
	struct pci_dev dev;
};

static int fuzz_signal(void *opaque, u64 addr, u32 data, u32 devid)
{
	return 0;
}

/*
 * Routes and irqfds: 4 GSIs (so vectors also run out and fall back),
 * updates to odd data fail (the fallback after a failed update).
 */
#define FUZZ_GSIS	4
static bool fuzz_gsi_used[FUZZ_GSIS];

static int fuzz_route_add(void *opaque, u64 addr, u32 data, u32 *gsi)
{
	u32 i;

	for (i = 0; i < FUZZ_GSIS && fuzz_gsi_used[i]; i++)
		;
	if (i == FUZZ_GSIS)
		return -ENOSPC;
	fuzz_gsi_used[i] = true;
	*gsi = 24 + i;
	return 0;
}

static int fuzz_route_update(void *opaque, u32 gsi, u64 addr, u32 data)
{
	FUZZ_ASSERT(gsi >= 24 && gsi < 24 + FUZZ_GSIS &&
		    fuzz_gsi_used[gsi - 24]);
	return data & 1 ? -EIO : 0;
}

static int fuzz_route_free(void *opaque, u32 gsi)
{
	FUZZ_ASSERT(gsi >= 24 && gsi < 24 + FUZZ_GSIS &&
		    fuzz_gsi_used[gsi - 24]);
	fuzz_gsi_used[gsi - 24] = false;
	return 0;
}

static int fuzz_irqfd(void *opaque, int fd, u32 gsi)
{
	FUZZ_ASSERT(fd >= 0);
	return 0;
}

static const struct pci_msi_ops fuzz_msi = {
	.signal = fuzz_signal,
	.route_add = fuzz_route_add,
	.route_update = fuzz_route_update,
	.route_free = fuzz_route_free,
	.irqfd_assign = fuzz_irqfd,
	.irqfd_deassign = fuzz_irqfd,
};

static const struct pci_ids fuzz_ids = {
	.vendor = 0x1af4, .device = 0x1041, .class_code = 0x020000,
	.revision = 1,
};

static void fuzz_io(void *opaque, u64 offset, void *data, u32 len,
		    bool is_write)
{
	if (!is_write)
		memset(data, 0, len);
}

static void fuzz_build(struct fuzz_pci *p)
{
	memset(p, 0, sizeof(*p));
	bus_init(&p->pio, "pio");
	bus_init(&p->mmio, "mmio");
	FUZZ_ASSERT(pci_host_init(&p->host, &p->pio, &p->mmio, &p->mem,
				  &fuzz_msi, NULL) == 0);
	pci_dev_init(&p->dev, "fuzz", &fuzz_ids, NULL, NULL);
	FUZZ_ASSERT(pci_bar_init(&p->dev, 0, PCI_BAR_MEM64, false, 0x4000,
				 fuzz_io, NULL) == 0);
	FUZZ_ASSERT(pci_bar_init(&p->dev, 2, PCI_BAR_IO, false, 0x40,
				 fuzz_io, NULL) == 0);
	FUZZ_ASSERT(pci_cap_add(&p->dev, PCI_CAP_ID_VNDR, 16) > 0);
	FUZZ_ASSERT(pci_msix_init(&p->dev, 8, 0, 0x1000, 0, 0x2000) == 0);
	FUZZ_ASSERT(pci_host_add(&p->host, &p->dev, 1) == 0);
}

static void fuzz_access(struct fuzz_pci *p, const u8 *r)
{
	u32 len = 1U << (r[1] & 3), off, val;
	u64 v = 0;

	memcpy(&off, r + 4, 4);
	memcpy(&val, r + 8, 4);
	v = val;
	switch (r[0] % 6) {
	case 0:
		bus_dispatch(&p->pio, 0xcf8 + (off & 7), &v, len, r[2] & 1);
		break;
	case 1:
		bus_dispatch(&p->mmio, 0xb0000000ULL + (off & 0x1fffff), &v,
			     len, r[2] & 1);
		break;
	case 2:		/* wherever BAR0 may have been put */
		bus_dispatch(&p->mmio, off, &v, len, r[2] & 1);
		break;
	case 3:
		bus_dispatch(&p->pio, off & 0xffff, &v, len, r[2] & 1);
		break;
	case 4:
		pci_msix_notify(&p->dev, (u16)(off % 10));
		break;
	default:
		pci_cfg_write(&p->host, 0, PCI_DEVFN(1, 0), off & 0xfff,
			      len, val);
		break;
	}
}

static void fuzz_check(struct fuzz_pci *p)
{
	const struct bus *b[2] = { &p->pio, &p->mmio };
	unsigned int i, k;

	FUZZ_ASSERT(pci_cfg_read(&p->host, 0, PCI_DEVFN(1, 0), 0, 4) ==
		    0x10411af4);
	FUZZ_ASSERT(pci_cfg_read(&p->host, 0, 0, 0, 4) == 0x29c08086);
	FUZZ_ASSERT(pci_cfg_read(&p->host, 0, PCI_DEVFN(2, 0), 0, 4) ==
		    0xffffffff);
	for (k = 0; k < 2; k++)
		for (i = 0; i + 1 < b[k]->nr; i++)
			FUZZ_ASSERT(b[k]->ranges[i]->base +
				    b[k]->ranges[i]->len - 1 <
				    b[k]->ranges[i + 1]->base);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_pci *p = malloc(sizeof(*p));
	size_t i;

	if (!p)
		return 0;
	fuzz_build(p);
	for (i = 0; i + 12 <= size; i += 12)
		fuzz_access(p, data + i);
	fuzz_check(p);
	pci_dev_exit(&p->dev);
	for (i = 0; i < FUZZ_GSIS; i++)	/* every route given back */
		FUZZ_ASSERT(!fuzz_gsi_used[i]);
	pci_host_free(&p->host);
	bus_free(&p->mmio);
	bus_free(&p->pio);
	free(p);
	return 0;
}
