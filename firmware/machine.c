// SPDX-License-Identifier: GPL-2.0-only
/*
 * Machines that describe themselves through fw_cfg (QEMU, sevm's q35-like
 * machine): RAM from "etc/e820", the CPU count, then PCI enumeration and
 * the virtio drivers. Without fw_cfg none of this runs, and the self test
 * behaves as before.
 */
#include "firmware/fw.h"
#include "firmware/io.h"
#include "firmware/iommutest.h"
#include "firmware/pagetable.h"
#include "firmware/serial.h"
#include "firmware/virtio-drivers.h"

static struct pci_bus0 pci_bus;
/*
 * Everything devices reach (firmware/iommutest.h): the virtio-iommu's
 * page, the driven device's 2-page block, the hostile cases' pages.
 */
static u8 dma_area[FW_DMA_PAGES * FW_DMA_PAGE] __attribute__((aligned(4096)));

int machine_probe(struct machine *m, u64 cbit)
{
	u32 i;

	*m = (struct machine){ 0 };
	/* Under SEV, DMA buffers would have to be shared: use the port. */
	if (!fwcfg_probe(&m->cfg, !cbit))
		return 0;
	m->nb_cpus = fwcfg_nb_cpus(&m->cfg);
	fw_printf("fw_cfg: id %x (%s), %u cpus\n", m->cfg.id,
		  m->cfg.dma ? "dma" : "data port", m->nb_cpus);
	if (fwcfg_read_e820(&m->cfg, m->e820, ARRAY_SIZE(m->e820),
			    &m->nr_e820)) {
		fw_printf("fw_cfg: no usable etc/e820\n");
		return -1;
	}
	for (i = 0; i < m->nr_e820; i++)
		fw_printf("e820: %lx-%lx type %u\n", m->e820[i].addr,
			  m->e820[i].addr + m->e820[i].size - 1,
			  m->e820[i].type);
	return 1;
}

/*
 * Bus 0 through ECAM (after turning a q35 MCH's ECAM on), BARs from the
 * fixed windows, then the virtio drivers: behind the virtio-iommu in
 * translating mode when there is one. Returns the number of failures.
 */
int machine_devices(u64 cbit)
{
	struct pci_windows w = {
		.mem = LAYOUT_PCI_MMIO32_BASE, .mem_end = LAYOUT_PCI_MMIO32_END,
		.io = LAYOUT_PCI_IO_BASE, .io_end = LAYOUT_PCI_IO_END,
	};
	u64 pa = (u64)(uintptr_t)dma_area;
	u8 *va = dma_area;
	const struct pci_func *iommu;
	int q35 = pci_q35_ecam_enable(), failed;
	struct virtio_dma d;

	if (!pci_present(PCI_BDF(0, 0, 0))) {
		fw_printf("pci: no ECAM at %x%s\n", LAYOUT_PCIE_MMCONFIG,
			  q35 ? " after programming PCIEXBAR" : "");
		return q35;
	}
	failed = pci_scan(&pci_bus, &w);
	if (cbit) {		/* devices reach the area unencrypted */
		wbinvd();
		va = fw_phys(pt_shared_va(pa));
	}
	iommu = iommu_find(&pci_bus);
	if (iommu)
		return failed + iommu_selftest(&pci_bus, iommu, va, pa, cbit);
	d = (struct virtio_dma){
		.va = va + FW_DMA_BLOCK * FW_DMA_PAGE,
		.pa = pa + FW_DMA_BLOCK * FW_DMA_PAGE,
		.size = FW_DMA_BLOCK_PAGES * FW_DMA_PAGE,
	};
	return failed + virtio_drivers_run(&pci_bus, &d);
}
