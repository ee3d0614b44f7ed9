// SPDX-License-Identifier: GPL-2.0-only
/*
 * The PCIe host: bus 0 with up to 256 functions, one config backend
 * (pci_cfg_read/pci_cfg_write) reached through the legacy 0xCF8/0xCFC
 * mechanism and through ECAM at LAYOUT_PCIE_MMCONFIG, and the Q35 MCH
 * host bridge at 00:00.0 (the IDs SeaBIOS and OVMF look for). The host
 * lock serialises every config access.
 */
#include <errno.h>
#include <string.h>

#include "devices/pci/pci-internal.h"
#include "firmware/handoff.h"
#include "lib/log.h"

#define PCI_CONFIG_ADDRESS	0xcf8
#define PCI_CONFIG_DATA		0xcfc
#define PCI_CF8_ENABLE		0x80000000U

/* Q35 MCH (QEMU hw/pci-host/q35.c reports these; revision 0). */
static const struct pci_ids pci_mch_ids = {
	.vendor = 0x8086, .device = 0x29c0,
	.subsys_vendor = 0x1af4, .subsys = 0x1100,
	.class_code = 0x060000, .revision = 0x00,
};

/* len 1, 2 or 4, naturally aligned, inside the 4 KiB space. */
static bool pci_access_ok(u32 reg, u32 len)
{
	return (len == 1 || len == 2 || len == 4) && IS_ALIGNED(reg, len) &&
	       reg + len <= PCI_CFG_SIZE;
}

static struct pci_dev *pci_host_dev(struct pci_host *host, u8 bus, u8 devfn)
{
	return bus == 0 ? host->devs[devfn] : NULL;
}

u32 pci_cfg_read(struct pci_host *host, u8 bus, u8 devfn, u32 reg, u32 len)
{
	struct pci_dev *dev;
	u32 v = ~0U;

	if (!pci_access_ok(reg, len))
		return ~0U;
	pthread_mutex_lock(&host->lock);
	dev = pci_host_dev(host, bus, devfn);
	if (dev)
		v = pci_dev_cfg_read(dev, reg, len);
	pthread_mutex_unlock(&host->lock);
	if (len < 4)
		v &= (1U << (8 * len)) - 1;
	return v;
}

void pci_cfg_write(struct pci_host *host, u8 bus, u8 devfn, u32 reg,
		   u32 len, u32 val)
{
	struct pci_dev *dev;

	if (!pci_access_ok(reg, len))
		return;
	pthread_mutex_lock(&host->lock);
	dev = pci_host_dev(host, bus, devfn);
	if (dev)
		pci_dev_cfg_write(dev, reg, len, val);
	pthread_mutex_unlock(&host->lock);
}

/* A u32 in guest byte order to or from an access buffer of len bytes. */
static void pci_put(void *data, u32 len, u32 v)
{
	u8 *p = data;
	u32 i;

	for (i = 0; i < len; i++)
		p[i] = i < 4 ? (u8)(v >> (8 * i)) : 0xff;
}

static u32 pci_get(const void *data, u32 len)
{
	const u8 *p = data;
	u32 i, v = 0;

	for (i = 0; i < len && i < 4; i++)
		v |= (u32)p[i] << (8 * i);
	return v;
}

/* 0xCF8: CONFIG_ADDRESS, dword accesses only (others are dropped). */
static void pci_cf8_io(void *opaque, u64 offset, void *data, u32 len,
		       bool is_write)
{
	struct pci_host *host = opaque;

	pthread_mutex_lock(&host->lock);
	if (offset == 0 && len == 4 && is_write)
		host->config_address = pci_get(data, 4);
	else if (!is_write)
		pci_put(data, len, offset == 0 && len == 4 ?
			host->config_address : ~0U);
	pthread_mutex_unlock(&host->lock);
}

/* 0xCFC-0xCFF: CONFIG_DATA of the function CONFIG_ADDRESS selects. */
static void pci_cfc_io(void *opaque, u64 offset, void *data, u32 len,
		       bool is_write)
{
	struct pci_host *host = opaque;
	u32 a, reg;

	pthread_mutex_lock(&host->lock);
	a = host->config_address;
	pthread_mutex_unlock(&host->lock);
	reg = (a & 0xfc) + (u32)offset;
	if (!(a & PCI_CF8_ENABLE) || offset + len > 4) {
		if (!is_write)
			pci_put(data, len, ~0U);
		return;
	}
	if (is_write)
		pci_cfg_write(host, (u8)(a >> 16), (u8)(a >> 8), reg, len,
			      pci_get(data, len));
	else
		pci_put(data, len, pci_cfg_read(host, (u8)(a >> 16),
						(u8)(a >> 8), reg, len));
}

/* ECAM: bus << 20 | devfn << 12 | reg. */
static void pci_ecam_io(void *opaque, u64 offset, void *data, u32 len,
			bool is_write)
{
	struct pci_host *host = opaque;
	u8 bus = (u8)(offset >> 20), devfn = (u8)(offset >> 12);
	u32 reg = (u32)offset & 0xfff;

	if (is_write)
		pci_cfg_write(host, bus, devfn, reg, len, pci_get(data, len));
	else
		pci_put(data, len, len <= 4 ?
			pci_cfg_read(host, bus, devfn, reg, len) : ~0U);
}

static void pci_mch_init(struct pci_dev *mch)
{
	u32 pam;

	pci_dev_init(mch, "mch", &pci_mch_ids, NULL, NULL);
	/* Kept as written; the ECAM window does not follow them. */
	pci_cfg_set(mch, PCI_MCH_PCIEXBAR, 4, LAYOUT_PCIE_MMCONFIG | 1);
	pci_cfg_set_wmask(mch, PCI_MCH_PCIEXBAR, 4, ~0U);
	pci_cfg_set_wmask(mch, PCI_MCH_PCIEXBAR + 4, 4, ~0U);
	for (pam = 0; pam < 7; pam++)
		pci_cfg_set_wmask(mch, PCI_MCH_PAM0 + pam, 1, 0xff);
}

int pci_host_init(struct pci_host *host, struct bus *pio, struct bus *mmio,
		  const struct guest_mem *mem, const struct pci_msi_ops *msi,
		  void *msi_opaque)
{
	int r;

	memset(host, 0, sizeof(*host));
	*host = (struct pci_host) {
		.pio = pio, .mmio = mmio, .mem = mem, .msi = msi,
		.msi_opaque = msi_opaque, .ecam_base = LAYOUT_PCIE_MMCONFIG,
	};
	pthread_mutex_init(&host->lock, NULL);
	r = bus_register(pio, PCI_CONFIG_ADDRESS, 4, pci_cf8_io, host,
			 "pci-config-address");
	if (r < 0)
		goto err;
	r = bus_register(pio, PCI_CONFIG_DATA, 4, pci_cfc_io, host,
			 "pci-config-data");
	if (r < 0)
		goto err_cf8;
	r = bus_register(mmio, host->ecam_base, PCI_ECAM_SIZE, pci_ecam_io,
			 host, "pci-ecam");
	if (r < 0)
		goto err_cfc;
	pci_mch_init(&host->mch);
	r = pci_host_add_devfn(host, &host->mch, PCI_DEVFN(0, 0));
	if (r == 0)
		return 0;
	bus_unregister(mmio, host->ecam_base);
err_cfc:
	bus_unregister(pio, PCI_CONFIG_DATA);
err_cf8:
	bus_unregister(pio, PCI_CONFIG_ADDRESS);
err:
	pthread_mutex_destroy(&host->lock);
	return r;
}

void pci_host_free(struct pci_host *host)
{
	unsigned int i;

	pci_dev_exit(&host->mch);
	for (i = 0; i < ARRAY_SIZE(host->devs); i++)
		if (host->devs[i])
			pr_warn("pci: host freed with %s still at 00:%02x.%x",
				host->devs[i]->name, PCI_DEVFN_SLOT(i),
				PCI_DEVFN_FN(i));
	bus_unregister(host->mmio, host->ecam_base);
	bus_unregister(host->pio, PCI_CONFIG_DATA);
	bus_unregister(host->pio, PCI_CONFIG_ADDRESS);
	pthread_mutex_destroy(&host->lock);
}

int pci_host_add_devfn(struct pci_host *host, struct pci_dev *dev, u8 devfn)
{
	int r = 0;

	pthread_mutex_lock(&host->lock);
	if (dev->host) {
		r = -EINVAL;
		pr_err("pci: add %s at 00:%02x.%x: already on a host",
		       dev->name, PCI_DEVFN_SLOT(devfn), PCI_DEVFN_FN(devfn));
	} else if (host->devs[devfn]) {
		r = -EEXIST;
		pr_err("pci: add %s at 00:%02x.%x: taken by %s", dev->name,
		       PCI_DEVFN_SLOT(devfn), PCI_DEVFN_FN(devfn),
		       host->devs[devfn]->name);
	} else {
		dev->host = host;
		dev->bus = 0;
		dev->devfn = devfn;
		dma_as_init(&dev->dma, host->mem, dev->name, devfn, false);
		dev->dma.shared = host->shared;
		host->devs[devfn] = dev;
	}
	pthread_mutex_unlock(&host->lock);
	return r;
}

static int pci_host_free_slot(struct pci_host *host)
{
	int slot, r = -ENOSPC;

	pthread_mutex_lock(&host->lock);
	for (slot = 1; slot < PCI_SLOTS && r < 0; slot++)
		if (!host->devs[PCI_DEVFN(slot, 0)])
			r = slot;
	pthread_mutex_unlock(&host->lock);
	return r;
}

int pci_host_add(struct pci_host *host, struct pci_dev *dev, int slot)
{
	if (slot < 0)
		slot = pci_host_free_slot(host);
	if (slot == -ENOSPC) {
		pr_err("pci: add %s: all %d slots taken", dev->name,
		       PCI_SLOTS - 1);
		return -ENOSPC;
	}
	if (slot < 1 || slot >= PCI_SLOTS) {
		pr_err("pci: add %s at slot %d: slots are 1..%d", dev->name,
		       slot, PCI_SLOTS - 1);
		return -EINVAL;
	}
	return pci_host_add_devfn(host, dev, PCI_DEVFN(slot, 0));
}

void pci_host_remove(struct pci_host *host, struct pci_dev *dev)
{
	pthread_mutex_lock(&host->lock);
	if (host->devs[dev->devfn] == dev)
		host->devs[dev->devfn] = NULL;
	pthread_mutex_unlock(&host->lock);
}
