/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * PCI for the firmware: configuration space through 0xcf8/0xcfc (only to
 * turn on a q35 MCH's ECAM) and through ECAM at LAYOUT_PCIE_MMCONFIG,
 * enumeration of bus 0, BAR sizing and assignment from fixed windows,
 * and the capability list. Configuration space belongs to the devices:
 * every value read from it is bounded before use.
 */
#ifndef SEVM_FIRMWARE_PCI_H
#define SEVM_FIRMWARE_PCI_H

#include "firmware/fwtypes.h"
#include "firmware/handoff.h"

#define PCI_BDF(bus, dev, fn)	((u16)((bus) << 8 | (dev) << 3 | (fn)))
#define PCI_BUS(bdf)		((bdf) >> 8)
#define PCI_DEV(bdf)		(((bdf) >> 3) & 0x1f)
#define PCI_FN(bdf)		((bdf) & 7)

#define PCI_VENDOR_ID		0x00
#define PCI_COMMAND		0x04
#define PCI_STATUS		0x06
#define PCI_CLASS_REV		0x08
#define PCI_HEADER_TYPE		0x0e
#define PCI_BAR0		0x10
#define PCI_CAP_PTR		0x34
#define PCI_CMD_IO		0x1
#define PCI_CMD_MEM		0x2
#define PCI_CMD_MASTER		0x4
#define PCI_STATUS_CAP_LIST	0x10
#define PCI_HDR_MULTIFN		0x80
#define PCI_HDR_TYPE_MASK	0x7f
#define PCI_CAP_ID_VNDR		0x09
#define PCI_CAP_MIN		0x40	/* capabilities live in 0x40..0xff */
#define PCI_CAP_MAX_WALK	48	/* (0x100 - 0x40) / 4: more is a loop */

#define PCI_NR_BARS		6
#define PCI_MAX_FUNCS		32	/* bus 0 functions remembered */
#define PCI_IO_BAR_MAX		256	/* I/O BARs decode 256 ports at most */

/* q35's MCH: 00:00.0 8086:29c0, PCIEXBAR at config 0x60 (64-bit). */
#define Q35_MCH_ID		0x29c08086u	/* device << 16 | vendor */
#define Q35_PCIEXBAR		0x60
#define Q35_PCIEXBAR_EN		0x1u		/* length bits 0: 256 buses */

enum pci_bar_type {
	PCI_BAR_NONE,
	PCI_BAR_IO,
	PCI_BAR_MEM32,
	PCI_BAR_MEM64,		/* takes this slot and the next */
};

struct pci_bar {
	u64 addr;
	u64 size;
	u8 type;		/* enum pci_bar_type */
};

struct pci_func {
	u16 bdf;
	u16 vendor;
	u16 device;
	u8 hdr_type;
	u32 class;		/* class << 16 | subclass << 8 | prog-if */
	struct pci_bar bar[PCI_NR_BARS];
};

/* The address ranges BARs are assigned from: [next, end). */
struct pci_windows {
	u64 mem, mem_end;
	u64 io, io_end;
};

struct pci_bus0 {
	struct pci_func func[PCI_MAX_FUNCS];
	u32 nr;
};

u32 pci_cf8_read32(u16 bdf, u8 reg);
void pci_cf8_write32(u16 bdf, u8 reg, u32 v);
/*
 * If 00:00.0 is a q35 MCH, programs PCIEXBAR (through 0xcf8) so that
 * ECAM answers at LAYOUT_PCIE_MMCONFIG, as SeaBIOS does: returns 1, else 0.
 */
int pci_q35_ecam_enable(void);

/* ECAM accesses; reg is a byte offset in the 4 KiB function space. */
u32 pci_read32(u16 bdf, u16 reg);
u16 pci_read16(u16 bdf, u16 reg);
u8 pci_read8(u16 bdf, u16 reg);
void pci_write32(u16 bdf, u16 reg, u32 v);
/* Is there a function at bdf (vendor neither 0xffff nor 0)? */
int pci_present(u16 bdf);

/*
 * A BAR's size from what it reads back after all ones were written:
 * the lowest address bit that stuck (mask: the address bits). 0: no BAR.
 */
u64 pci_bar_size(u64 readback, u64 mask);
/* size (a power of two) bytes, size-aligned, from [*next, end); 0: none. */
u64 pci_window_alloc(u64 *next, u64 end, u64 size);

/*
 * Enumerates bus 0: one line per function, BARs sized and assigned from
 * w, memory and I/O decoding turned on for what was assigned (bus
 * mastering is left to drivers). Returns the number of BARs that could
 * not be assigned (each reported on one line).
 */
int pci_scan(struct pci_bus0 *b, struct pci_windows *w);

/*
 * Capability walk: pos 0 gives the first capability, then each call the
 * next; 0 at the end. *budget (start at PCI_CAP_MAX_WALK) stops loops.
 */
u8 pci_cap_next(u16 bdf, u8 pos, u32 *budget);

#endif /* SEVM_FIRMWARE_PCI_H */
