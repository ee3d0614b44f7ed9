// SPDX-License-Identifier: GPL-2.0-only
/*
 * The PCI function model: config space with write and write-1-to-clear
 * masks, the capability list, BARs and the command register (decode
 * bits map the BARs on the host's buses, bus master drives the DMA
 * address space). docs/pci.md has the rules; pci.h the API.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "devices/pci/pci-internal.h"
#include "lib/log.h"

#define PCI_CMD_WRITABLE	(PCI_COMMAND_IO | PCI_COMMAND_MEMORY | \
				 PCI_COMMAND_MASTER | PCI_COMMAND_PARITY | \
				 PCI_COMMAND_SERR | PCI_COMMAND_INTX_DISABLE)
#define PCI_STATUS_W1C		(PCI_STATUS_PARITY | \
				 PCI_STATUS_SIG_TARGET_ABORT | \
				 PCI_STATUS_REC_TARGET_ABORT | \
				 PCI_STATUS_REC_MASTER_ABORT | \
				 PCI_STATUS_SIG_SYSTEM_ERROR | \
				 PCI_STATUS_DETECTED_PARITY)
#define PCI_CAP_MAX_WALK	48	/* (256 - 64) / 4: loop guard */

static bool pci_cfg_range_ok(u32 reg, u32 len)
{
	return len >= 1 && len <= 4 && reg < PCI_CFG_SIZE &&
	       len <= PCI_CFG_SIZE - reg;
}

u32 pci_cfg_get(const struct pci_dev *dev, u32 reg, u32 len)
{
	u32 v = 0, i;

	if (!pci_cfg_range_ok(reg, len))
		return ~0U;
	for (i = 0; i < len; i++)
		v |= (u32)dev->cfg[reg + i] << (8 * i);
	return v;
}

static void pci_bytes_set(u8 *arr, u32 reg, u32 len, u32 val)
{
	u32 i;

	if (!pci_cfg_range_ok(reg, len))
		return;
	for (i = 0; i < len; i++)
		arr[reg + i] = (u8)(val >> (8 * i));
}

void pci_cfg_set(struct pci_dev *dev, u32 reg, u32 len, u32 val)
{
	pci_bytes_set(dev->cfg, reg, len, val);
}

void pci_cfg_set_wmask(struct pci_dev *dev, u32 reg, u32 len, u32 mask)
{
	pci_bytes_set(dev->wmask, reg, len, mask);
}

void pci_cfg_set_w1cmask(struct pci_dev *dev, u32 reg, u32 len, u32 mask)
{
	pci_bytes_set(dev->w1cmask, reg, len, mask);
}

void pci_dev_init(struct pci_dev *dev, const char *name,
		  const struct pci_ids *ids, const struct pci_dev_ops *ops,
		  void *opaque)
{
	unsigned int i;

	memset(dev, 0, sizeof(*dev));
	snprintf(dev->name, sizeof(dev->name), "%s", name);
	pci_cfg_set(dev, PCI_VENDOR_ID, 2, ids->vendor);
	pci_cfg_set(dev, PCI_DEVICE_ID, 2, ids->device);
	pci_cfg_set(dev, PCI_REVISION_ID, 1, ids->revision);
	pci_cfg_set(dev, PCI_CLASS_PROG, 3, ids->class_code);
	pci_cfg_set(dev, PCI_HEADER_TYPE, 1, PCI_HEADER_TYPE_NORMAL);
	pci_cfg_set(dev, PCI_SUBSYSTEM_VENDOR_ID, 2, ids->subsys_vendor);
	pci_cfg_set(dev, PCI_SUBSYSTEM_ID, 2, ids->subsys);
	pci_cfg_set_wmask(dev, PCI_COMMAND, 2, PCI_CMD_WRITABLE);
	pci_cfg_set_w1cmask(dev, PCI_STATUS, 2, PCI_STATUS_W1C);
	pci_cfg_set_wmask(dev, PCI_CACHE_LINE_SIZE, 1, 0xff);
	pci_cfg_set_wmask(dev, PCI_LATENCY_TIMER, 1, 0xff);
	pci_cfg_set_wmask(dev, PCI_INTERRUPT_LINE, 1, 0xff);
	dev->cap_next = PCI_CAP_START;
	dev->ops = ops;
	dev->opaque = opaque;
	for (i = 0; i < PCI_NUM_BARS; i++) {
		dev->bars[i].addr = PCI_BAR_UNMAPPED;
		dev->bars[i].dev = dev;
		dev->bars[i].index = (u8)i;
	}
}

int pci_cap_add(struct pci_dev *dev, u8 id, u8 len)
{
	u16 off = dev->cap_next;

	if (len < 2) {
		pr_err("pci %s: add capability 0x%02x: length %u below 2",
		       dev->name, id, len);
		return -EINVAL;
	}
	if (off + len > 0x100) {
		pr_err("pci %s: add capability 0x%02x of %u bytes: no room in config space",
		       dev->name, id, len);
		return -ENOSPC;
	}
	if (dev->cap_last_next)
		*dev->cap_last_next = (u8)off;
	else
		dev->cfg[PCI_CAPABILITY_LIST] = (u8)off;
	dev->cfg[PCI_STATUS] |= PCI_STATUS_CAP_LIST;
	dev->cfg[off] = id;
	dev->cfg[off + 1] = 0;
	if (id == PCI_CAP_ID_VNDR && len >= 3)
		dev->cfg[off + 2] = len;
	dev->cap_last_next = &dev->cfg[off + 1];
	dev->cap_next = ALIGN_UP((u16)(off + len), 4);
	return off;
}

u16 pci_cap_find(const struct pci_dev *dev, u8 id)
{
	u8 off = dev->cfg[PCI_CAPABILITY_LIST];
	int n;

	if (!(dev->cfg[PCI_STATUS] & PCI_STATUS_CAP_LIST))
		return 0;
	for (n = 0; off >= PCI_CAP_START && n < PCI_CAP_MAX_WALK; n++) {
		if (dev->cfg[off] == id)
			return off;
		off = dev->cfg[off + 1];
	}
	return 0;
}

static bool pci_bar_args_ok(const struct pci_dev *dev, unsigned int bar,
			    enum pci_bar_type type, u64 size)
{
	if (bar >= PCI_NUM_BARS || size & (size - 1))
		return false;
	switch (type) {
	case PCI_BAR_IO:
		return size >= 4 && size <= 256;
	case PCI_BAR_MEM32:
		return size >= 16 && size <= (1ULL << 31);
	case PCI_BAR_MEM64:
		return size >= 16 && size <= (1ULL << 62) &&
		       bar + 1 < PCI_NUM_BARS;
	default:
		return false;
	}
}

/* Low bits of the BAR register: the type, read-only. */
static u32 pci_bar_flags(enum pci_bar_type type, bool prefetch)
{
	u32 flags = prefetch ? PCI_BASE_ADDRESS_MEM_PREFETCH : 0;

	if (type == PCI_BAR_IO)
		return PCI_BASE_ADDRESS_SPACE_IO;
	if (type == PCI_BAR_MEM64)
		flags |= PCI_BASE_ADDRESS_MEM_TYPE_64;
	return flags;
}

int pci_bar_init(struct pci_dev *dev, unsigned int bar,
		 enum pci_bar_type type, bool prefetch, u64 size,
		 bus_io_fn fn, void *opaque)
{
	u32 reg = PCI_BASE_ADDRESS_0 + 4 * bar;
	char name[sizeof(dev->bars[0].name)];
	struct pci_bar *b;

	if (!pci_bar_args_ok(dev, bar, type, size)) {
		pr_err("pci %s: BAR%u type %d size 0x%" PRIx64 ": invalid",
		       dev->name, bar, type, size);
		return -EINVAL;
	}
	if (dev->bars[bar].type || (bar > 0 &&
	    dev->bars[bar - 1].type == PCI_BAR_MEM64) ||
	    (type == PCI_BAR_MEM64 && dev->bars[bar + 1].type)) {
		pr_err("pci %s: BAR%u: already in use", dev->name, bar);
		return -EBUSY;
	}
	b = &dev->bars[bar];
	b->type = type;
	b->prefetch = prefetch && type != PCI_BAR_IO;
	b->size = size;
	b->fn = fn;
	b->opaque = opaque;
	snprintf(name, sizeof(name), "%s BAR%u", dev->name, bar);
	memcpy(b->name, name, sizeof(b->name));
	pci_cfg_set(dev, reg, 4, pci_bar_flags(type, b->prefetch));
	pci_cfg_set_wmask(dev, reg, 4, (u32)~(size - 1) &
			  (type == PCI_BAR_IO ? ~3U : ~0xfU));
	if (type == PCI_BAR_MEM64)
		pci_cfg_set_wmask(dev, reg + 4, 4, (u32)(~(size - 1) >> 32));
	return 0;
}

/* The address programmed in BAR i, PCI_BAR_UNMAPPED if none decodes. */
static u64 pci_bar_decoded(const struct pci_dev *dev, unsigned int i)
{
	const struct pci_bar *b = &dev->bars[i];
	u16 cmd = (u16)pci_cfg_get(dev, PCI_COMMAND, 2);
	u32 lo = pci_cfg_get(dev, PCI_BASE_ADDRESS_0 + 4 * i, 4);
	u64 addr, mask;

	if (b->type == PCI_BAR_IO) {
		addr = lo & PCI_BASE_ADDRESS_IO_MASK;
		mask = (u32)~(b->size - 1) & PCI_BASE_ADDRESS_IO_MASK;
		if (!(cmd & PCI_COMMAND_IO) || addr + b->size > 0x10000)
			return PCI_BAR_UNMAPPED;
	} else {
		addr = lo & PCI_BASE_ADDRESS_MEM_MASK;
		mask = ~(b->size - 1) & 0xfffffff0ULL;
		if (b->type == PCI_BAR_MEM64) {
			addr |= (u64)pci_cfg_get(dev, PCI_BASE_ADDRESS_0 +
						 4 * i + 4, 4) << 32;
			mask = ~(b->size - 1) & ~0xfULL;
		}
		if (!(cmd & PCI_COMMAND_MEMORY))
			return PCI_BAR_UNMAPPED;
	}
	/* Unprogrammed, or still holding the sizing pattern. */
	if (!addr || addr == mask || addr + b->size - 1 < addr)
		return PCI_BAR_UNMAPPED;
	return addr;
}

static void pci_bar_io(void *opaque, u64 offset, void *data, u32 len,
		       bool is_write)
{
	struct pci_bar *b = opaque;

	if (pci_msix_bar_io(b->dev, b->index, offset, data, len, is_write))
		return;
	if (b->fn)
		b->fn(b->opaque, offset, data, len, is_write);
	else if (!is_write)
		memset(data, 0, len);
}

static struct bus *pci_bar_bus(const struct pci_dev *dev,
			       const struct pci_bar *b)
{
	return b->type == PCI_BAR_IO ? dev->host->pio : dev->host->mmio;
}

/* Put BAR i where its register and the command register say. */
static void pci_bar_update(struct pci_dev *dev, unsigned int i)
{
	struct pci_bar *b = &dev->bars[i];
	struct bus *bus = pci_bar_bus(dev, b);
	u64 old = b->addr, want = pci_bar_decoded(dev, i);
	int r = 0;

	if (want == old)
		return;
	if (old != PCI_BAR_UNMAPPED && want != PCI_BAR_UNMAPPED)
		r = bus_move(bus, old, want);
	else if (old != PCI_BAR_UNMAPPED)
		r = bus_unmap(bus, old);
	else
		r = bus_register(bus, want, b->size, pci_bar_io, b, b->name);
	if (r < 0 && want == PCI_BAR_UNMAPPED)
		return;		/* cannot happen: it was mapped */
	if (r < 0) {
		/* The bus said why (overlap); the BAR stays unmapped. */
		if (old != PCI_BAR_UNMAPPED && bus_unmap(bus, old) < 0)
			return;
		want = PCI_BAR_UNMAPPED;
	}
	b->addr = want;
	if (want != old && dev->ops && dev->ops->bar_moved)
		dev->ops->bar_moved(dev, i, old, want);
}

static void pci_bars_update(struct pci_dev *dev)
{
	unsigned int i;

	if (!dev->host)
		return;
	for (i = 0; i < PCI_NUM_BARS; i++)
		if (dev->bars[i].type != PCI_BAR_NONE)
			pci_bar_update(dev, i);
}

u32 pci_dev_cfg_read(struct pci_dev *dev, u32 reg, u32 len)
{
	u32 v = pci_cfg_get(dev, reg, len);

	if (pci_cfg_range_ok(reg, len) && dev->ops && dev->ops->cfg_read)
		dev->ops->cfg_read(dev, reg, len, &v);
	return v;
}

static bool pci_overlaps(u32 reg, u32 len, u32 start, u32 n)
{
	return reg < start + n && start < reg + len;
}

void pci_dev_cfg_write(struct pci_dev *dev, u32 reg, u32 len, u32 val)
{
	u32 i;
	u8 b, old;

	if (!pci_cfg_range_ok(reg, len))
		return;
	for (i = 0; i < len; i++) {
		b = (u8)(val >> (8 * i));
		old = dev->cfg[reg + i];
		dev->cfg[reg + i] = (u8)(((old & ~dev->wmask[reg + i]) |
					  (b & dev->wmask[reg + i])) &
					 ~(b & dev->w1cmask[reg + i]));
	}
	if (pci_overlaps(reg, len, PCI_COMMAND, 2)) {
		dma_as_set_master(&dev->dma, dev->cfg[PCI_COMMAND] &
				  PCI_COMMAND_MASTER);
	}
	if (pci_overlaps(reg, len, PCI_COMMAND, 2) ||
	    pci_overlaps(reg, len, PCI_BASE_ADDRESS_0, 4 * PCI_NUM_BARS))
		pci_bars_update(dev);
	pci_msix_cfg_written(dev, reg, len);
	if (dev->ops && dev->ops->cfg_write)
		dev->ops->cfg_write(dev, reg, len, val);
}

void pci_dev_exit(struct pci_dev *dev)
{
	struct pci_host *host = dev->host;
	struct pci_bar *b;
	unsigned int i;

	if (host)	/* first: no config write maps a BAR again */
		pci_host_remove(host, dev);
	for (i = 0; i < PCI_NUM_BARS; i++) {
		b = &dev->bars[i];
		if (b->addr == PCI_BAR_UNMAPPED || !host)
			continue;
		bus_unregister(b->type == PCI_BAR_IO ? host->pio : host->mmio,
			       b->addr);
		b->addr = PCI_BAR_UNMAPPED;
	}
	pci_msix_free(dev);
	dev->host = NULL;
}
