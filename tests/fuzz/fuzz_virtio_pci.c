// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest accesses to a virtio-pci function (devices/virtio/pci.c, a
 * virtio-rng behind it) on any bytes: each 12-byte record is one access
 * (kind, width, offset, value): a config access (the PCI cfg access
 * window included), a BAR 4 or BAR 1 access at their first placement, or
 * a 32-bit write to guest RAM (rings the device may then walk on its I/O
 * thread). Checks: no crash, the identity stays, the function stays on
 * its slot, teardown removes the I/O thread's watches.
 */
#include <stdlib.h>
#include <string.h>

#include "devices/virtio/pci.h"
#include "devices/virtio/rng.h"
#include "lib/log.h"
#include "tests/fuzz/fuzz.h"
#include "tests/unit/vq-drv.h"
#include "vmm/iothread.h"

#define FZ_DEVFN	PCI_DEVFN(1, 0)
#define FZ_BAR1		0xc0000000ULL
#define FZ_BAR4		0xc0010000ULL
#define FZ_RAM		(64 * 1024)

struct fuzz_vpci {
	struct vq_drv d;	/* guest RAM */
	struct bus pio, mmio;
	struct pci_host host;
	struct iothread *iot;
	struct virtio_pci *vp;
};

void __wrap_pr_log(enum log_level level, const char *fmt, ...);
void __wrap_pr_log(enum log_level level, const char *fmt, ...)
{
}

static struct iothread *fuzz_iot;

static int fuzz_signal(void *opaque, u64 addr, u32 data, u32 devid)
{
	return 0;
}

static const struct pci_msi_ops fuzz_msi = { .signal = fuzz_signal };

static void fuzz_build(struct fuzz_vpci *p)
{
	memset(p, 0, sizeof(*p));
	FUZZ_ASSERT(vqd_init(&p->d, FZ_RAM, 16) == 0);
	bus_init(&p->pio, "pio");
	bus_init(&p->mmio, "mmio");
	FUZZ_ASSERT(pci_host_init(&p->host, &p->pio, &p->mmio, &p->d.mem,
				  &fuzz_msi, NULL) == 0);
	/* One I/O thread for the whole run: starting one per input is
	 * most of the cost. Every function's watches go at its free. */
	if (!fuzz_iot)
		FUZZ_ASSERT(iothread_start(&fuzz_iot, "fuzz-io") == 0);
	p->iot = fuzz_iot;
	p->vp = virtio_pci_alloc();
	FUZZ_ASSERT(p->vp);
	FUZZ_ASSERT(virtio_rng_init(&p->vp->vdev, virtio_pci_dma(p->vp),
				    false) == 0);
	FUZZ_ASSERT(virtio_pci_realize(p->vp, &p->host, 1, p->iot,
				       NULL) == 0);
	pci_cfg_write(&p->host, 0, FZ_DEVFN, PCI_BASE_ADDRESS_1, 4, FZ_BAR1);
	pci_cfg_write(&p->host, 0, FZ_DEVFN, PCI_BASE_ADDRESS_4, 4, FZ_BAR4);
	pci_cfg_write(&p->host, 0, FZ_DEVFN, PCI_COMMAND, 2,
		      PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
}

static void fuzz_access(struct fuzz_vpci *p, const u8 *r)
{
	u32 len = 1U << (r[1] & 3), off, val;
	bool wr = r[2] & 1;
	u64 v;

	memcpy(&off, r + 4, 4);
	memcpy(&val, r + 8, 4);
	v = val;
	switch (r[0] % 4) {
	case 0:
		if (len == 8)
			len = 4;
		if (wr)
			pci_cfg_write(&p->host, 0, FZ_DEVFN, off & 0xfff, len,
				      val);
		else
			pci_cfg_read(&p->host, 0, FZ_DEVFN, off & 0xfff, len);
		break;
	case 1:
		bus_dispatch(&p->mmio, FZ_BAR4 + (off & 0x7fff), &v, len, wr);
		break;
	case 2:
		bus_dispatch(&p->mmio, FZ_BAR1 + (off & 0x1fff), &v, len, wr);
		break;
	default:
		memcpy(p->d.ram + (off % (FZ_RAM - 4)), &val, 4);
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_vpci *p = malloc(sizeof(*p));
	size_t i;

	if (!p)
		return 0;
	fuzz_build(p);
	for (i = 0; i + 12 <= size; i += 12)
		fuzz_access(p, data + i);
	FUZZ_ASSERT(pci_cfg_read(&p->host, 0, FZ_DEVFN, 0, 4) == 0x10441af4);
	FUZZ_ASSERT(p->host.devs[FZ_DEVFN] == &p->vp->pci);
	virtio_pci_free(p->vp);
	pci_host_free(&p->host);
	bus_free(&p->mmio);
	bus_free(&p->pio);
	vqd_free(&p->d);
	free(p);
	return 0;
}
