// SPDX-License-Identifier: GPL-2.0-only
/*
 * Bus 0 enumeration through ECAM, BAR sizing and assignment, the
 * capability list, and the q35 PCIEXBAR set-up through 0xcf8. Bridges are
 * listed but their secondary buses are not scanned.
 */
#include "firmware/hw.h"
#include "firmware/pci.h"
#include "firmware/serial.h"

#define CF8_ENABLE	0x80000000u

u32 pci_cf8_read32(u16 bdf, u8 reg)
{
	outl(PORT_PCI_CONFIG_ADDR, CF8_ENABLE | (u32)bdf << 8 | (reg & 0xfc));
	return inl(PORT_PCI_CONFIG_DATA);
}

void pci_cf8_write32(u16 bdf, u8 reg, u32 v)
{
	outl(PORT_PCI_CONFIG_ADDR, CF8_ENABLE | (u32)bdf << 8 | (reg & 0xfc));
	outl(PORT_PCI_CONFIG_DATA, v);
}

int pci_q35_ecam_enable(void)
{
	if (pci_cf8_read32(0, PCI_VENDOR_ID) != Q35_MCH_ID)
		return 0;
	pci_cf8_write32(0, Q35_PCIEXBAR + 4, 0);
	pci_cf8_write32(0, Q35_PCIEXBAR,
			LAYOUT_PCIE_MMCONFIG | Q35_PCIEXBAR_EN);
	return 1;
}

static u64 ecam(u16 bdf, u16 reg)
{
	return LAYOUT_PCIE_MMCONFIG + ((u64)bdf << 12) + (reg & 0xffc);
}

u32 pci_read32(u16 bdf, u16 reg)
{
	return mmio_read32(ecam(bdf, reg));
}

u16 pci_read16(u16 bdf, u16 reg)
{
	return (u16)(pci_read32(bdf, reg) >> (reg & 2) * 8);
}

u8 pci_read8(u16 bdf, u16 reg)
{
	return (u8)(pci_read32(bdf, reg) >> (reg & 3) * 8);
}

void pci_write32(u16 bdf, u16 reg, u32 v)
{
	mmio_write32(ecam(bdf, reg), v);
}

int pci_present(u16 bdf)
{
	u16 v = pci_read16(bdf, PCI_VENDOR_ID);

	return v != 0xffff && v != 0;
}

u64 pci_bar_size(u64 readback, u64 mask)
{
	u64 v = readback & mask;

	return v & -v;
}

u64 pci_window_alloc(u64 *next, u64 end, u64 size)
{
	u64 a;

	if (!size || (size & (size - 1)))
		return 0;
	a = (*next + size - 1) & ~(size - 1);
	if (a < *next || a + size < a || a + size > end)
		return 0;
	*next = a + size;
	return a;
}

/* Writes all ones to reg, returns what sticks, restores the old value. */
static u32 probe_reg(u16 bdf, u16 reg)
{
	u32 old = pci_read32(bdf, reg), v;

	pci_write32(bdf, reg, ~0u);
	v = pci_read32(bdf, reg);
	pci_write32(bdf, reg, old);
	return v;
}

/* Sizes BAR i (decoding is off); returns how many slots it takes. */
static int bar_size(u16 bdf, int i, int nr, struct pci_bar *bar)
{
	u16 reg = (u16)(PCI_BAR0 + 4 * i);
	u32 lo = probe_reg(bdf, reg);
	u64 rb;

	*bar = (struct pci_bar){ .type = PCI_BAR_NONE };
	if (lo & 1) {
		bar->size = pci_bar_size(lo, 0xfffffffcu);
		if (bar->size && bar->size <= PCI_IO_BAR_MAX)
			bar->type = PCI_BAR_IO;
		return 1;
	}
	switch ((lo >> 1) & 3) {
	case 0:		/* 32-bit */
	case 1:		/* below 1 MiB (legacy): placed like 32-bit */
		bar->size = pci_bar_size(lo, 0xfffffff0u);
		bar->type = bar->size ? PCI_BAR_MEM32 : PCI_BAR_NONE;
		return 1;
	case 2:
		if (i + 1 >= nr)
			return 1;
		rb = (u64)probe_reg(bdf, reg + 4) << 32 | lo;
		bar->size = pci_bar_size(rb, ~0xfull);
		bar->type = bar->size ? PCI_BAR_MEM64 : PCI_BAR_NONE;
		return 2;
	}
	return 1;
}

/* Places one sized BAR; returns the command bit it needs, or -1. */
static int bar_assign(u16 bdf, int i, struct pci_bar *bar,
		      struct pci_windows *w)
{
	u16 reg = (u16)(PCI_BAR0 + 4 * i);
	int io = bar->type == PCI_BAR_IO;

	bar->addr = io ? pci_window_alloc(&w->io, w->io_end, bar->size) :
			 pci_window_alloc(&w->mem, w->mem_end, bar->size);
	if (!bar->addr) {
		fw_printf("pci %02x:%02x.%x: BAR%d (size %lx) does not fit "
			  "its window\n", PCI_BUS(bdf), PCI_DEV(bdf),
			  PCI_FN(bdf), i, bar->size);
		return -1;
	}
	pci_write32(bdf, reg, (u32)bar->addr);
	if (bar->type == PCI_BAR_MEM64)
		pci_write32(bdf, reg + 4, (u32)(bar->addr >> 32));
	return io ? PCI_CMD_IO : PCI_CMD_MEM;
}

/* Sizes and assigns every BAR of f; returns the BARs that did not fit. */
static int setup_bars(struct pci_func *f, struct pci_windows *w)
{
	u32 cmd = pci_read32(f->bdf, PCI_COMMAND) & 0xffff;
	int nr = f->hdr_type == 0 ? 6 : f->hdr_type == 1 ? 2 : 0;
	int i, bit, step, errors = 0;

	cmd &= ~(u32)(PCI_CMD_IO | PCI_CMD_MEM);
	pci_write32(f->bdf, PCI_COMMAND, cmd);
	for (i = 0; i < nr; i += step) {
		step = bar_size(f->bdf, i, nr, &f->bar[i]);
		if (f->bar[i].type == PCI_BAR_NONE)
			continue;
		bit = bar_assign(f->bdf, i, &f->bar[i], w);
		if (bit < 0) {
			f->bar[i].type = PCI_BAR_NONE;
			errors++;
		} else {
			cmd |= (u32)bit;
		}
	}
	pci_write32(f->bdf, PCI_COMMAND, cmd);
	return errors;
}

static void read_func(struct pci_func *f, u16 bdf)
{
	u32 id = pci_read32(bdf, PCI_VENDOR_ID);

	*f = (struct pci_func){
		.bdf = bdf,
		.vendor = (u16)id,
		.device = (u16)(id >> 16),
		.hdr_type = pci_read8(bdf, PCI_HEADER_TYPE) & PCI_HDR_TYPE_MASK,
		.class = pci_read32(bdf, PCI_CLASS_REV) >> 8,
	};
	fw_printf("pci %02x:%02x.%x %04x:%04x class %06x\n", PCI_BUS(bdf),
		  PCI_DEV(bdf), PCI_FN(bdf), f->vendor, f->device, f->class);
}

int pci_scan(struct pci_bus0 *b, struct pci_windows *w)
{
	int dev, fn, nfn, errors = 0;
	u16 bdf;

	b->nr = 0;
	for (dev = 0; dev < 32; dev++) {
		nfn = 1;
		for (fn = 0; fn < nfn; fn++) {
			bdf = PCI_BDF(0, dev, fn);
			if (!pci_present(bdf))
				continue;
			if (!fn && (pci_read8(bdf, PCI_HEADER_TYPE) &
				    PCI_HDR_MULTIFN))
				nfn = 8;
			if (b->nr == PCI_MAX_FUNCS) {
				fw_printf("pci: more than %u functions, "
					  "the rest ignored\n", PCI_MAX_FUNCS);
				return errors;
			}
			read_func(&b->func[b->nr], bdf);
			errors += setup_bars(&b->func[b->nr], w);
			b->nr++;
		}
	}
	return errors;
}

u8 pci_cap_next(u16 bdf, u8 pos, u32 *budget)
{
	u8 next;

	if (!pos) {
		if (!(pci_read16(bdf, PCI_STATUS) & PCI_STATUS_CAP_LIST))
			return 0;
		next = pci_read8(bdf, PCI_CAP_PTR);
	} else {
		next = pci_read8(bdf, (u16)(pos + 1));
	}
	next &= 0xfc;
	if (next < PCI_CAP_MIN || !*budget)
		return 0;
	(*budget)--;
	return next;
}
