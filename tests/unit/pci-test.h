/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The fixture of the devices/pci/ tests (test_pci, test_pci_msix): a host
 * on real buses with a fake MSI delivery, a sample function with three
 * BARs, a vendor capability and MSI-X, and guest-style config accessors.
 */
#ifndef SEVM_TESTS_PCI_TEST_H
#define SEVM_TESTS_PCI_TEST_H

#include "devices/pci/pci.h"
#include "lib/log.h"
#include "vmm/memory.h"

#include "tests/unit/err-capture.h"	/* the last error line */

#define FAKE_GSI0	24	/* fake_msi_fd hands out GSIs 24.. */
#define FAKE_GSIS	8

struct msi_rec {
	int calls;			/* signal */
	u64 addr;
	u32 data, devid;
	/* fake_msi_fd: what was asked of the routes and irqfds */
	int route_adds, route_updates, route_frees, assigns, deassigns;
	int fail_add, fail_update, fail_assign;	/* returned when != 0 */
	int live;			/* routes added, not freed */
	u32 gsi;			/* last added or updated */
	u64 route_addr;
	u32 route_data;
	int fd[FAKE_GSIS];		/* assigned eventfd by GSI, or -1 */
	bool used[FAKE_GSIS];
};

struct sample {
	struct pci_dev dev;
	int io_calls;
	u64 io_offset;
	int moved;
	unsigned int moved_bar;
	u64 moved_old, moved_new;
	u32 wrote_reg, wrote_val;
};

struct fix {
	struct bus pio, mmio;
	struct guest_mem mem;
	struct pci_host host;
	struct msi_rec msi;
	struct sample s;
};

extern const struct pci_msi_ops fake_msi;	/* signal only */
extern const struct pci_msi_ops fake_msi_fd;	/* signal, routes, irqfds */
extern const struct pci_ids sample_ids;

void sample_io(void *opaque, u64 offset, void *data, u32 len,
	       bool is_write);
/* BAR0 MEM32 4K, BAR2 MEM64 prefetchable 16K (MSI-X: 4 vectors, table
 * at 0x2000, PBA at 0x3000), BAR4 I/O 32; vendor capability at 0x40. */
void sample_build(struct sample *s);
int setup(void **state);
int teardown(void **state);
u32 cf8_read(struct fix *f, u8 devfn, u32 reg, u32 len);
void cf8_write(struct fix *f, u8 devfn, u32 reg, u32 len, u32 v);
u32 ecam_read(struct fix *f, u8 bus, u8 devfn, u32 reg, u32 len);
void ecam_write(struct fix *f, u8 devfn, u32 reg, u32 len, u32 v);

#endif /* SEVM_TESTS_PCI_TEST_H */
