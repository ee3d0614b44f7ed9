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
#include "firmware/sevshare.h"
#include "firmware/virtio-drivers.h"

static struct pci_bus0 pci_bus;
/*
 * Everything devices reach (firmware/iommutest.h): the virtio-iommu's
 * page, the driven device's 2-page block, the hostile cases' pages.
 */
static u8 dma_area[FW_DMA_AREA_SIZE] __attribute__((aligned(4096)));
static struct sev_share sev_share;

/* How to share pages with the VMM: its fw_cfg file, or SEV hardware. */
static void sev_share_probe(const struct fwcfg *c, u64 cbit)
{
	u8 raw[sizeof(struct sevm_sev_dma)];
	struct fwcfg_file f;
	int found = fwcfg_find(c, SEVM_FWCFG_SEV_DMA, &f) == 1 &&
		    f.size == sizeof(raw);

	if (found) {
		fwcfg_select(f.select);
		found = !fwcfg_read(c, raw, sizeof(raw));
	}
	if (sev_share_parse(&sev_share, found ? raw : NULL, sizeof(raw),
			    cbit))
		fw_printf("sev: malformed %s, not sharing\n",
			  SEVM_FWCFG_SEV_DMA);
	else if (sev_share.active)
		fw_printf("sev: sharing dma pages through %s, dma check %s\n",
			  sev_share.use_port ? "port e6" : "vmmcall",
			  sev_share.dma_check ? "on" : "off");
}

/*
 * The DMA area (rings, buffers, the IOMMU's page): shared with the VMM while the drivers
 * run (the device may only touch pages the guest shared), private after.
 * A VMM without the hypercall (-KVM_ENOSYS) does not check either.
 */
static int virtio_block_share(u64 pa, int shared)
{
	long r = sev_share_range(&sev_share, pa, FW_DMA_AREA_SIZE, shared);

	if (r == -SEV_SHARE_ENOSYS) {
		fw_printf("sev: the VMM does not track shared pages\n");
		sev_share.active = 0;
		return 0;
	}
	if (r)
		fw_printf("sev: %s %lx+%x: error %ld\n",
			  shared ? "share" : "unshare", pa, FW_DMA_AREA_SIZE,
			  -r);
	else if (sev_share.active)
		fw_printf("sev: %s %lx+%x\n", shared ? "shared" : "unshared",
			  pa, FW_DMA_AREA_SIZE);
	return r ? -1 : 0;
}

int machine_probe(struct machine *m, u64 cbit)
{
	u32 i;

	*m = (struct machine){ 0 };
	/* Under SEV, DMA buffers would have to be shared: use the port. */
	if (!fwcfg_probe(&m->cfg, !cbit))
		return 0;
	m->nb_cpus = fwcfg_nb_cpus(&m->cfg);
	sev_share_probe(&m->cfg, cbit);
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
	if (virtio_block_share(pa, 1))
		return failed + 1;
	iommu = iommu_find(&pci_bus);
	if (iommu) {
		iommu_selftest_sev(&sev_share);
		failed += iommu_selftest(&pci_bus, iommu, va, pa, cbit);
	} else {
		d = (struct virtio_dma){
			.va = va + FW_DMA_BLOCK * FW_DMA_PAGE,
			.pa = pa + FW_DMA_BLOCK * FW_DMA_PAGE,
			.size = FW_DMA_BLOCK_PAGES * FW_DMA_PAGE,
		};
		failed += virtio_drivers_run(&pci_bus, &d);
	}
	if (virtio_block_share(pa, 0))
		failed++;
	return failed;
}
