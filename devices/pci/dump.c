// SPDX-License-Identifier: GPL-2.0-only
/*
 * pci_dump: the config space of every function in the text format of
 * `lspci -xxxx` (a "bb:dd.f Class: name" line, then 16 bytes a line,
 * offsets in hex, a blank line after each function), which
 * `lspci -F FILE -vvv` decodes.
 */
#include <errno.h>

#include "devices/pci/pci.h"

static const char *pci_class_name(u32 class_code)
{
	switch (class_code >> 8) {
	case 0x0100: return "SCSI storage controller";
	case 0x0200: return "Ethernet controller";
	case 0x0600: return "Host bridge";
	case 0x0780: return "Communication controller";
	case 0x00ff: return "Unclassified device";
	default: return "Device";
	}
}

static int pci_dump_one(struct pci_dev *dev, FILE *f)
{
	u32 class_code = pci_cfg_get(dev, PCI_CLASS_PROG, 3), i;

	fprintf(f, "%02x:%02x.%x %s: %s %04x:%04x\n", dev->bus,
		PCI_DEVFN_SLOT(dev->devfn), PCI_DEVFN_FN(dev->devfn),
		pci_class_name(class_code), dev->name,
		pci_cfg_get(dev, PCI_VENDOR_ID, 2),
		pci_cfg_get(dev, PCI_DEVICE_ID, 2));
	for (i = 0; i < PCI_CFG_SIZE; i++) {
		if (!(i % 16))
			fprintf(f, "%02x:", i);
		fprintf(f, " %02x", dev->cfg[i]);
		if (i % 16 == 15)
			fputc('\n', f);
	}
	return fputc('\n', f) == EOF ? -EIO : 0;
}

int pci_dump(struct pci_host *host, FILE *f)
{
	unsigned int devfn;
	int r = 0;

	pthread_mutex_lock(&host->lock);
	for (devfn = 0; devfn < ARRAY_SIZE(host->devs) && !r; devfn++)
		if (host->devs[devfn])
			r = pci_dump_one(host->devs[devfn], f);
	pthread_mutex_unlock(&host->lock);
	if (!r && (fflush(f) == EOF || ferror(f)))
		r = -EIO;
	return r;
}
