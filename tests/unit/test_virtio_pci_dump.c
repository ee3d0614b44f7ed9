// SPDX-License-Identifier: GPL-2.0-only
/*
 * sevm's bus 0 as a guest sees it, checked by a referee: the MCH and
 * virtio-blk, -rng and -console functions at slots 1..3 with their BARs
 * placed and MSI-X enabled, dumped with pci_dump() and decoded by
 * `lspci -F FILE -vvv` (pciutils): identities, the virtio vendor
 * capabilities (common, notify, ISR, device config, PCI config access),
 * MSI-X with its table and PBA, the BARs. Skipped without lspci.
 * (lspci 3.9 -F also lists the upper half of a 64-bit BAR placed above
 * 4 GiB as "Region 5 ... <unassigned>"; a hand-made dump with the same
 * bytes shows it too, so it is the dump reader's quirk, not the BAR.)
 */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "devices/virtio/blk.h"
#include "devices/virtio/console.h"
#include "devices/virtio/pci.h"
#include "devices/virtio/rng.h"
#include "lib/log.h"
#include "tests/unit/vq-drv.h"
#include "vmm/iothread.h"

#define ECAM		0xb0000000ULL
#define LSPCI		"/usr/bin/lspci"

struct fx {
	char img[64], dump[64], out[64];
	struct vq_drv d;
	struct bus pio, mmio;
	struct pci_host host;
	struct iothread *iot;
	struct virtio_pci *vp[3];
};

static int no_msi(void *opaque, u64 addr, u32 data, u32 devid)
{
	return 0;
}

static const struct pci_msi_ops msi = { .signal = no_msi };

static void cfg_wr(struct fx *f, u8 slot, u32 reg, u32 len, u32 v)
{
	bus_dispatch(&f->mmio, ECAM | (u64)PCI_DEVFN(slot, 0) << 12 | reg, &v,
		     len, true);
}

/* What firmware does: BARs placed, decode and bus mastering on, MSI-X on. */
static void program(struct fx *f, u8 slot)
{
	u64 bar4 = 0x800000000ULL + (u64)slot * 0x100000;
	u8 cap;

	cfg_wr(f, slot, PCI_BASE_ADDRESS_1, 4, 0xc0000000U + slot * 0x1000U);
	cfg_wr(f, slot, PCI_BASE_ADDRESS_4, 4, (u32)bar4 | 0xc);
	cfg_wr(f, slot, PCI_BASE_ADDRESS_5, 4, (u32)(bar4 >> 32));
	cfg_wr(f, slot, PCI_COMMAND, 2, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	cap = (u8)pci_cap_find(&f->vp[slot - 1]->pci, PCI_CAP_ID_MSIX);
	assert_true(cap != 0);
	cfg_wr(f, slot, cap + PCI_MSIX_FLAGS, 2, PCI_MSIX_FLAGS_ENABLE);
}

static int add(struct fx *f, unsigned int i)
{
	struct virtio_blk_conf c = { .readonly = true };
	struct virtio_dev *v;
	struct virtio_pci *vp = virtio_pci_alloc();
	struct dma_as *as;
	int r;

	if (!vp)
		return -1;
	f->vp[i] = vp;
	v = &vp->vdev;
	as = virtio_pci_dma(vp);
	c.path = f->img;
	if (i == 0)
		r = virtio_blk_init(v, &c, as, false);
	else if (i == 1)
		r = virtio_rng_init(v, as, false);
	else
		r = virtio_console_init(v, -1, as, false);
	return r ?: virtio_pci_realize(vp, &f->host, (int)i + 1, f->iot,
				       NULL);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	unsigned int i;
	int fd;

	if (!f || vqd_init(&f->d, 1 << 20, 16))
		return -1;
	strcpy(f->img, "/tmp/sevm-dump-img-XXXXXX");
	fd = mkstemp(f->img);
	if (fd < 0 || ftruncate(fd, 1 << 20))
		return -1;
	close(fd);
	bus_init(&f->pio, "pio");
	bus_init(&f->mmio, "mmio");
	if (pci_host_init(&f->host, &f->pio, &f->mmio, &f->d.mem, &msi, NULL) ||
	    iothread_start(&f->iot, "dump-test"))
		return -1;
	for (i = 0; i < 3; i++)
		if (add(f, i))
			return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	unsigned int i;

	for (i = 0; i < 3; i++)
		virtio_pci_free(f->vp[i]);
	iothread_stop(f->iot);
	pci_host_free(&f->host);
	bus_free(&f->mmio);
	bus_free(&f->pio);
	vqd_free(&f->d);
	unlink(f->img);
	unlink(f->dump);
	unlink(f->out);
	free(f);
	return 0;
}

static char *lspci(struct fx *f)
{
	char cmd[256], *text = calloc(1, 65536);
	FILE *p;
	size_t n;
	int fd;

	strcpy(f->dump, "/tmp/sevm-lspci-XXXXXX");
	fd = mkstemp(f->dump);
	assert_true(fd >= 0);
	p = fdopen(fd, "w");
	assert_int_equal(pci_dump(&f->host, p), 0);
	fclose(p);
	snprintf(cmd, sizeof(cmd), LSPCI " -F %s -vvv -nn 2>&1", f->dump);
	p = popen(cmd, "r");
	assert_non_null(p);
	n = fread(text, 1, 65535, p);
	assert_int_equal(pclose(p), 0);
	text[n] = '\0';
	return text;
}

#define HAS(text, s) do {						\
	if (!strstr((text), (s)))					\
		fail_msg("lspci output lacks \"%s\":\n%s", (s), (text));	\
} while (0)

static void test_lspci_decodes_bus0(void **state)
{
	struct fx *f = *state;
	char *t;

	if (access(LSPCI, X_OK)) {
		print_message("skipped: no " LSPCI " (Debian: pciutils)\n");
		skip();
	}
	program(f, 1);
	program(f, 2);
	program(f, 3);
	t = lspci(f);
	HAS(t, "00:00.0 Host bridge [0600]: Intel Corporation 82G33/G31/P35/P31 Express DRAM Controller [8086:29c0]");
	HAS(t, "00:01.0 SCSI storage controller [0100]: Red Hat, Inc. Virtio 1.0 block device [1af4:1042] (rev 01)");
	HAS(t, "00:02.0 Unclassified device [00ff]: Red Hat, Inc. Virtio 1.0 RNG [1af4:1044] (rev 01)");
	HAS(t, "00:03.0 Communication controller [0780]: Red Hat, Inc. Virtio 1.0 console [1af4:1043] (rev 01)");
	HAS(t, "Subsystem: Red Hat, Inc. Device [1af4:1100]");
	HAS(t, "Vendor Specific Information: VirtIO: CommonCfg");
	HAS(t, "Vendor Specific Information: VirtIO: Notify");
	HAS(t, "Vendor Specific Information: VirtIO: ISR");
	HAS(t, "Vendor Specific Information: VirtIO: DeviceCfg");
	HAS(t, "Vendor Specific Information: VirtIO: <unknown>");
	HAS(t, "MSI-X: Enable+ Count=2 Masked-");
	HAS(t, "MSI-X: Enable+ Count=3 Masked-");
	HAS(t, "Vector table: BAR=1 offset=00000000");
	HAS(t, "PBA: BAR=1 offset=00000800");
	HAS(t, "Region 4: Memory at 800100000 (64-bit, prefetchable)");
	HAS(t, "Region 1: Memory at c0001000 (32-bit, non-prefetchable)");
	HAS(t, "Control: I/O- Mem+ BusMaster+");
	if (getenv("SHOW_LSPCI"))
		fputs(t, stderr);
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_lspci_decodes_bus0, setup,
						teardown),
	};

	log_init("test_virtio_pci_dump");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
