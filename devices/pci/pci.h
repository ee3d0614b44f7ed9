/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * PCI: the function model (config space, capabilities, BARs, MSI-X) and
 * the PCIe host (bus 0, CF8/CFC and ECAM, the Q35 MCH at 00:00.0).
 * docs/pci.md describes the guest-visible behaviour.
 *
 * A device embeds a struct pci_dev, fills it with pci_dev_init(), adds
 * capabilities and BARs, then hands it to pci_host_add(). From then on the
 * guest owns the config space: writes go through per-byte write masks
 * (bits not in the mask keep their value) and write-1-to-clear masks.
 * The command register maps and unmaps the BARs on the host's buses and
 * switches bus mastering of the function's struct dma_as.
 *
 * Locking: config accesses (CF8/CFC, ECAM, pci_cfg_read/write) are
 * serialised by the host's lock; the device hooks (struct pci_dev_ops)
 * run under it and must not make config accesses through the host.
 * BAR handlers run on vCPU threads without it. MSI-X state has its own
 * lock, so pci_msix_notify() may be called from any thread.
 */
#ifndef SEVM_DEVICES_PCI_H
#define SEVM_DEVICES_PCI_H

#include <linux/pci_regs.h>	/* PCI_COMMAND, PCI_CAP_ID_*, PCI_MSIX_* */
#include <pthread.h>
#include <stdio.h>

#include "lib/util.h"
#include "vmm/bus.h"
#include "vmm/dma.h"

struct guest_mem;
struct pci_dev;
struct pci_host;
struct vm;

#define PCI_CFG_SIZE		4096	/* PCIe extended config space */
#define PCI_NUM_BARS		6
#define PCI_SLOTS		32
#define PCI_DEVFN(slot, fn)	((u8)(((slot) << 3) | ((fn) & 7)))
#define PCI_DEVFN_SLOT(devfn)	((devfn) >> 3)
#define PCI_DEVFN_FN(devfn)	((devfn) & 7)
#define PCI_CAP_START		0x40	/* first standard capability */
#define PCI_BAR_UNMAPPED	(~0ULL)	/* bar_moved: not decoded */

/* Q35 host bridge (MCH) registers kept as written (docs/pci.md). */
#define PCI_MCH_PCIEXBAR	0x60	/* 64-bit */
#define PCI_MCH_PAM0		0x90	/* PAM0..PAM6: 0x90..0x96 */
#define PCI_ECAM_SIZE		0x10000000ULL	/* 256 buses */

enum pci_bar_type {
	PCI_BAR_NONE = 0,
	PCI_BAR_IO,		/* I/O space (PIO bus), size 4..256 */
	PCI_BAR_MEM32,		/* 32-bit memory (MMIO bus) */
	PCI_BAR_MEM64,		/* 64-bit memory: this BAR and the next */
};

struct pci_bar {
	enum pci_bar_type type;
	bool prefetch;
	u64 size;		/* power of two */
	bus_io_fn fn;		/* device handler; offset from BAR start */
	void *opaque;
	u64 addr;		/* where mapped, or PCI_BAR_UNMAPPED */
	struct pci_dev *dev;	/* back pointer for the MSI-X trampoline */
	u8 index;
	char name[40];		/* "<dev> BARn", the bus range name */
};

/*
 * Device hooks, all optional, called under the host lock. A device checks
 * reg itself and ignores accesses outside its own ranges.
 *   cfg_read:  after the bytes [reg, reg + len) were read into *val; may
 *              replace *val (e.g. the virtio PCI config access window).
 *   cfg_write: after a guest write was applied through the masks; val is
 *              the value the guest wrote.
 *   bar_moved: after BAR bar went from old_addr to new_addr (either may be
 *              PCI_BAR_UNMAPPED), e.g. to move a notify ioeventfd.
 */
struct pci_dev_ops {
	void (*cfg_read)(struct pci_dev *dev, u32 reg, u32 len, u32 *val);
	void (*cfg_write)(struct pci_dev *dev, u32 reg, u32 len, u32 val);
	void (*bar_moved)(struct pci_dev *dev, unsigned int bar, u64 old_addr,
			  u64 new_addr);
};

/* Identity written into the header at pci_dev_init(). */
struct pci_ids {
	u16 vendor, device;
	u16 subsys_vendor, subsys;
	u32 class_code;		/* base << 16 | sub << 8 | prog-if */
	u8 revision;
};

struct pci_msix;		/* devices/pci/msix.c */

struct pci_dev {
	char name[32];
	u8 cfg[PCI_CFG_SIZE];
	u8 wmask[PCI_CFG_SIZE];	/* bits the guest may write */
	u8 w1cmask[PCI_CFG_SIZE];	/* bits a guest 1 clears */
	u16 cap_next;		/* next free byte for capabilities */
	u8 *cap_last_next;	/* "next" byte of the last capability */
	struct pci_bar bars[PCI_NUM_BARS];
	const struct pci_dev_ops *ops;
	void *opaque;		/* the device's own state, for the hooks */
	struct pci_host *host;	/* NULL until pci_host_add */
	u8 bus, devfn;
	struct dma_as dma;	/* initialised by pci_host_add */
	struct pci_msix *msix;	/* NULL without MSI-X */
};

/* ---- Function model (devices/pci/pci.c) */

/*
 * Header type 0 with the given IDs, status "capability list", interrupt
 * pin 0, command register writable (I/O, memory, bus master, INTx
 * disable). name is copied (truncated).
 */
void pci_dev_init(struct pci_dev *dev, const char *name,
		  const struct pci_ids *ids, const struct pci_dev_ops *ops,
		  void *opaque);
/*
 * Unmap the BARs (waiting for in-flight handlers: the caller may free
 * the handlers' state afterwards), free MSI-X and remove the function
 * from its host. Must not be called under the host lock.
 */
void pci_dev_exit(struct pci_dev *dev);

/*
 * Append a capability of len bytes (2-byte header included, len >= 2)
 * in standard config space, dword aligned, linked at the end of the
 * list. Returns its offset, or -EINVAL (len), -ENOSPC (no room). The
 * body is zero and read-only until the device sets write masks. For
 * PCI_CAP_ID_VNDR byte 2 is set to len (cap_len, as virtio expects).
 */
int pci_cap_add(struct pci_dev *dev, u8 id, u8 len) __must_check;
/* Offset of the first capability with this id, 0 if none. */
u16 pci_cap_find(const struct pci_dev *dev, u8 id);

/*
 * Declare BAR bar (0..5; a 64-bit BAR also takes bar + 1). size is a
 * power of two: >= 16 for memory, 4..256 for I/O. fn may be NULL for a
 * BAR that holds only MSI-X structures. -EINVAL on bad arguments, -EBUSY
 * if the slot is taken. The BAR starts unmapped at address 0.
 */
int pci_bar_init(struct pci_dev *dev, unsigned int bar,
		 enum pci_bar_type type, bool prefetch, u64 size,
		 bus_io_fn fn, void *opaque) __must_check;

/* Device-side config access: no masks, no hooks, bounds-checked. */
u32 pci_cfg_get(const struct pci_dev *dev, u32 reg, u32 len);
void pci_cfg_set(struct pci_dev *dev, u32 reg, u32 len, u32 val);
void pci_cfg_set_wmask(struct pci_dev *dev, u32 reg, u32 len, u32 mask);
void pci_cfg_set_w1cmask(struct pci_dev *dev, u32 reg, u32 len, u32 mask);

/*
 * Guest-side access to one function (the host calls these under its
 * lock): reg + len within the 4 KiB space, len 1, 2 or 4.
 */
u32 pci_dev_cfg_read(struct pci_dev *dev, u32 reg, u32 len);
void pci_dev_cfg_write(struct pci_dev *dev, u32 reg, u32 len, u32 val);

/* ---- MSI-X (devices/pci/msix.c) */

/*
 * MSI delivery, the seam between MSI-X and the interrupt controller:
 * the machine uses vmm/irq (pci_kvm_msi); tests pass their own.
 *   signal:  send one message now (KVM_SIGNAL_MSI); devid is the
 *            requester ID (bus << 8 | devfn).
 * Optional, all five or none: per-vector MSI routes and irqfds. With
 * them a vector gets a GSI routed to its address/data and an eventfd
 * assigned to that GSI the first time it fires; a message is then one
 * write to the eventfd. If any of them fails, the vector falls back to
 * signal until MSI-X is disabled. Called under the MSI-X lock.
 *   route_add:    a new MSI route, its GSI in *gsi (-ENOSPC: none left)
 *   route_update: point gsi at a new address/data (one table commit)
 *   route_free:   release gsi
 *   irqfd_assign / irqfd_deassign: writes to fd raise gsi / no longer
 */
struct pci_msi_ops {
	int (*signal)(void *opaque, u64 addr, u32 data, u32 devid);
	int (*route_add)(void *opaque, u64 addr, u32 data, u32 *gsi);
	int (*route_update)(void *opaque, u32 gsi, u64 addr, u32 data);
	int (*route_free)(void *opaque, u32 gsi);
	int (*irqfd_assign)(void *opaque, int fd, u32 gsi);
	int (*irqfd_deassign)(void *opaque, int fd, u32 gsi);
};

/*
 * The machine's delivery over vmm/irq (devices/pci/msi-kvm.c): all six
 * operations, opaque is the VM's struct irq_router.
 */
extern const struct pci_msi_ops pci_kvm_msi;

/*
 * Add an MSI-X capability with nr vectors (1..2048), its table at
 * table_off in BAR table_bar and its PBA at pba_off in BAR pba_bar
 * (offsets 8-byte aligned, table 16 bytes per vector, PBA one bit per
 * vector rounded up to 8 bytes, both inside their BARs and not
 * overlapping). Call after pci_bar_init() of those BARs. All vectors
 * start masked. Accesses to the table and PBA are served by pci.c
 * before the device's BAR handler sees them.
 */
int pci_msix_init(struct pci_dev *dev, u16 nr, unsigned int table_bar,
		  u32 table_off, unsigned int pba_bar, u32 pba_off)
	__must_check;
/*
 * Signal vector: delivered now if MSI-X is enabled and neither the
 * function nor the vector is masked, else its pending bit is set (and
 * delivered when unmasked). Delivery is a write to the vector's irqfd
 * when the ops provide routes (the route is set up or updated first if
 * the table entry changed), else signal. -EINVAL (no MSI-X, vector out
 * of range), or the delivery error. Any thread. Disabling MSI-X (and
 * pci_dev_exit) releases the vectors' routes and eventfds.
 */
int pci_msix_notify(struct pci_dev *dev, u16 vector);
/* MSI-X enable bit set and function mask clear. */
bool pci_msix_enabled(struct pci_dev *dev);
bool pci_msix_vector_masked(struct pci_dev *dev, u16 vector);

/* ---- The host (devices/pci/host.c) */

struct pci_host {
	struct bus *pio;
	struct bus *mmio;
	const struct guest_mem *mem;
	const struct pci_msi_ops *msi;
	void *msi_opaque;
	pthread_mutex_t lock;		/* config space of all functions */
	u32 config_address;		/* 0xCF8 latch */
	u64 ecam_base;
	struct pci_dev *devs[256];	/* bus 0, by devfn */
	struct pci_dev mch;		/* 00:00.0 */
	const struct dma_stage *shared;	/* SEV shared-page stage, or NULL */
};

/*
 * Register 0xCF8-0xCFF on pio and ECAM (LAYOUT_PCIE_MMCONFIG, 256 MiB)
 * on mmio, and add the MCH at 00:00.0. msi may be NULL (MSI-X then
 * fails delivery with -ENODEV).
 */
int pci_host_init(struct pci_host *host, struct bus *pio, struct bus *mmio,
		  const struct guest_mem *mem, const struct pci_msi_ops *msi,
		  void *msi_opaque) __must_check;
/* Unregisters the host's ranges; functions must have been removed. */
void pci_host_free(struct pci_host *host);
/*
 * Put dev at 00:slot.0 (slot 1..31), or the first free slot from 1 when
 * slot < 0. -EEXIST (slot taken), -EINVAL (slot out of range, dev already
 * added), -ENOSPC (no free slot). Initialises dev->dma (bus master off).
 */
int pci_host_add(struct pci_host *host, struct pci_dev *dev, int slot)
	__must_check;
/* Same, at an explicit devfn (function 0..7). */
int pci_host_add_devfn(struct pci_host *host, struct pci_dev *dev, u8 devfn)
	__must_check;

/*
 * The one config backend behind CF8/CFC and ECAM. Absent functions and
 * bad accesses (len not 1/2/4, crossing the 4 KiB space) read all ones;
 * writes to them are dropped.
 */
u32 pci_cfg_read(struct pci_host *host, u8 bus, u8 devfn, u32 reg, u32 len);
void pci_cfg_write(struct pci_host *host, u8 bus, u8 devfn, u32 reg,
		   u32 len, u32 val);

/* The VM's host (the "pci" device), NULL when configured out. */
struct pci_host *pci_host(struct vm *vm);

/* ---- lspci text dump (devices/pci/dump.c) */

/*
 * Every present function's 4 KiB config space in the `lspci -xxxx` text
 * format, readable by `lspci -F FILE`. 0 or -errno (write error).
 */
int pci_dump(struct pci_host *host, FILE *f) __must_check;

#endif /* SEVM_DEVICES_PCI_H */
