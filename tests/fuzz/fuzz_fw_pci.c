// SPDX-License-Identifier: GPL-2.0-only
/*
 * The firmware's PCI enumeration and virtio capability parsing
 * (firmware/pci.c, virtio.c) on a fake function 00:03.0 whose first 256
 * configuration bytes come from the input, followed by six BAR sizes (log2,
 * 0: none) and six BAR flag bytes. Assigned BARs stay aligned and inside
 * their windows, capability walks end, and every virtio region found lies
 * inside an assigned memory BAR.
 */
#include <string.h>

#include "tests/fuzz/fuzz.h"
#include "firmware/virtio.h"
#include "tests/unit/fw-fake.h"

#define CFG_BYTES	256

static int inside_bar(const struct pci_func *f, const struct virtio_region *r)
{
	const struct pci_bar *b;
	int i;

	if (!r->addr)
		return 1;
	for (i = 0; i < PCI_NR_BARS; i++) {
		b = &f->bar[i];
		if ((b->type == PCI_BAR_MEM32 || b->type == PCI_BAR_MEM64) &&
		    r->addr >= b->addr && r->addr + r->len <= b->addr + b->size)
			return 1;
	}
	return 0;
}

static void check_bars(const struct pci_func *f)
{
	const struct pci_bar *b;
	int i;

	for (i = 0; i < PCI_NR_BARS; i++) {
		b = &f->bar[i];
		if (b->type == PCI_BAR_NONE)
			continue;
		FUZZ_ASSERT(b->size && !(b->addr & (b->size - 1)));
		if (b->type == PCI_BAR_IO)
			FUZZ_ASSERT(b->addr >= LAYOUT_PCI_IO_BASE &&
				    b->addr + b->size <= LAYOUT_PCI_IO_END);
		else
			FUZZ_ASSERT(b->addr >= LAYOUT_PCI_MMIO32_BASE &&
				    b->addr + b->size <= LAYOUT_PCI_MMIO32_END);
	}
}

static void add_function(const uint8_t *data, size_t size)
{
	u8 cfg[CFG_BYTES + 12] = { 0 };
	struct fake_func *f;
	int i;

	memcpy(cfg, data, size < sizeof(cfg) ? size : sizeof(cfg));
	f = fake_pci_add(PCI_BDF(0, 3, 0), 0x1af4, 0x1042, 0, 0);
	memcpy(f->cfg, cfg, CFG_BYTES);
	f->cfg[0] = 0xf4;		/* a function must be there */
	f->cfg[1] = 0x1a;
	for (i = 0; i < PCI_NR_BARS; i++)
		if (cfg[CFG_BYTES + i])
			fake_pci_bar(f, i, cfg[CFG_BYTES + 6 + i] & 0xd,
				     1ull << (cfg[CFG_BYTES + i] % 36 + 2));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct pci_bus0 bus;
	struct pci_windows w = {
		.mem = LAYOUT_PCI_MMIO32_BASE, .mem_end = LAYOUT_PCI_MMIO32_END,
		.io = LAYOUT_PCI_IO_BASE, .io_end = LAYOUT_PCI_IO_END,
	};
	struct virtio_dev vd;
	u32 i, budget = PCI_CAP_MAX_WALK, n = 0;
	u8 pos = 0;

	fake_reset();
	fake_ecam_on = 1;
	add_function(data, size);
	pci_scan(&bus, &w);
	FUZZ_ASSERT(bus.nr == 1);
	while ((pos = pci_cap_next(PCI_BDF(0, 3, 0), pos, &budget)))
		FUZZ_ASSERT(++n <= PCI_CAP_MAX_WALK && pos >= PCI_CAP_MIN);
	for (i = 0; i < bus.nr; i++) {
		check_bars(&bus.func[i]);
		if (virtio_find_caps(&vd, &bus.func[i]))
			continue;
		FUZZ_ASSERT(inside_bar(&bus.func[i], &vd.common) &&
			    inside_bar(&bus.func[i], &vd.notify) &&
			    inside_bar(&bus.func[i], &vd.isr) &&
			    inside_bar(&bus.func[i], &vd.device));
		FUZZ_ASSERT(vd.common.len >= VIRTIO_COMMON_SIZE);
	}
	return 0;
}
