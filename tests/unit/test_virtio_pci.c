// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of devices/virtio/pci.c without a VM: a PCIe host on real
 * buses over a plain-buffer guest RAM (tests/unit/vq-drv.c), a fake MSI
 * delivery and a real I/O thread. A virtio-blk function is driven the
 * way a driver does it: ECAM config accesses, BAR sizing and placement,
 * the capability walk, the handshake through the common config in
 * BAR 4, a read request notified through the notify region, the MSI-X
 * message, the PCI configuration access window, bus mastering, and
 * (with KVM) the notify ioeventfds following BAR moves.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <cmocka.h>

#include <linux/virtio_blk.h>

#include "devices/virtio/blk.h"
#include "devices/virtio/pci.h"
#include "lib/log.h"
#include "tests/unit/err-capture.h"
#include "tests/unit/kvm-avail.h"
#include "tests/unit/vq-drv.h"
#include "vmm/iothread.h"
#include "vmm/irq.h"

#define SLOT		3
#define DEVFN		PCI_DEVFN(SLOT, 0)
#define ECAM		0xb0000000ULL
#define BAR1_ADDR	0xc0000000ULL
#define BAR4_ADDR	0x800000000ULL
#define IMG_SECTORS	64
#define FEAT		(1ULL << VIRTIO_F_VERSION_1 | \
			 1ULL << VIRTIO_F_ACCESS_PLATFORM)
#define MSI_ADDR	0xfee00000U
#define MSI_DATA	0x4041U

struct msi_log {
	int calls;
	u64 addr;
	u32 data;
};

struct fx {
	char path[64];
	struct vq_drv d;
	struct bus pio, mmio;
	struct pci_host host;
	struct iothread *iot;
	struct virtio_pci *vp;
	struct msi_log msi;
	struct irq_router irq;	/* vm_fd of a bare KVM VM, or -1 */
};

static int fake_signal(void *opaque, u64 addr, u32 data, u32 devid)
{
	struct msi_log *m = opaque;

	m->calls++;
	m->addr = addr;
	m->data = data;
	return devid == DEVFN ? 0 : -EINVAL;
}

static const struct pci_msi_ops fake_msi = { .signal = fake_signal };

static int make_image(struct fx *f)
{
	u8 buf[IMG_SECTORS * 512];
	int fd, i;
	bool ok;

	for (i = 0; i < (int)sizeof(buf); i++)
		buf[i] = (u8)(i * 7 + (i >> 9));
	strcpy(f->path, "/tmp/sevm-vpci-XXXXXX");
	fd = mkstemp(f->path);
	if (fd < 0)
		return -1;
	ok = write(fd, buf, sizeof(buf)) == (ssize_t)sizeof(buf);
	close(fd);
	return ok ? 0 : -1;
}

static int setup_irq(struct fx *f, struct irq_router **irq)
{
	int kvm;

	f->irq.vm_fd = -1;
	*irq = NULL;
	if (!test_have_kvm())
		return 0;
	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	f->irq.vm_fd = ioctl(kvm, KVM_CREATE_VM, 0);
	close(kvm);
	if (f->irq.vm_fd >= 0)
		*irq = &f->irq;
	return 0;
}

static int setup_with(void **state, bool kvm)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct virtio_blk_conf c = { .readonly = true };
	struct irq_router *irq = NULL;

	if (!f || make_image(f) || vqd_init(&f->d, 1 << 20, 16))
		return -1;
	c.path = f->path;
	bus_init(&f->pio, "pio");
	bus_init(&f->mmio, "mmio");
	if (pci_host_init(&f->host, &f->pio, &f->mmio, &f->d.mem, &fake_msi,
			  &f->msi) < 0 || iothread_start(&f->iot, "vpci-test"))
		return -1;
	f->irq.vm_fd = -1;
	if (kvm)
		setup_irq(f, &irq);
	f->vp = virtio_pci_alloc();
	if (!f->vp || virtio_blk_init(&f->vp->vdev, &c,
				      virtio_pci_dma(f->vp), false))
		return -1;
	if (virtio_pci_realize(f->vp, &f->host, SLOT, f->iot, irq))
		return -1;
	*state = f;
	return 0;
}

static int setup(void **state)
{
	return setup_with(state, false);
}

static int setup_kvm(void **state)
{
	return setup_with(state, true);
}

static int teardown(void **state)
{
	struct fx *f = *state;

	virtio_pci_free(f->vp);
	iothread_stop(f->iot);
	pci_host_free(&f->host);
	bus_free(&f->mmio);
	bus_free(&f->pio);
	if (f->irq.vm_fd >= 0)
		close(f->irq.vm_fd);
	vqd_free(&f->d);
	unlink(f->path);
	free(f);
	return 0;
}

/* ---- The driver's accessors: ECAM and BAR MMIO */

static u32 cfg_rd(struct fx *f, u32 reg, u32 len)
{
	u32 v = 0;

	bus_dispatch(&f->mmio, ECAM | (u64)DEVFN << 12 | reg, &v, len, false);
	return v;
}

static void cfg_wr(struct fx *f, u32 reg, u32 len, u32 v)
{
	bus_dispatch(&f->mmio, ECAM | (u64)DEVFN << 12 | reg, &v, len, true);
}

static u32 mmio_rd(struct fx *f, u64 addr, u32 len)
{
	u32 v = 0;

	assert_true(bus_dispatch(&f->mmio, addr, &v, len, false));
	return v;
}

static void mmio_wr(struct fx *f, u64 addr, u32 len, u32 v)
{
	assert_true(bus_dispatch(&f->mmio, addr, &v, len, true));
}

static u32 com_rd(struct fx *f, u32 off, u32 len)
{
	return mmio_rd(f, BAR4_ADDR + VPCI_COMMON + off, len);
}

static void com_wr(struct fx *f, u32 off, u32 len, u32 v)
{
	mmio_wr(f, BAR4_ADDR + VPCI_COMMON + off, len, v);
}

/* Place the BARs and turn on memory decode and bus mastering. */
static void map_bars(struct fx *f, u64 bar4)
{
	cfg_wr(f, PCI_BASE_ADDRESS_1, 4, (u32)BAR1_ADDR);
	cfg_wr(f, PCI_BASE_ADDRESS_4, 4, (u32)bar4);
	cfg_wr(f, PCI_BASE_ADDRESS_5, 4, (u32)(bar4 >> 32));
	cfg_wr(f, PCI_COMMAND, 2, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
}

/* Offset of the vendor capability of cfg_type type, 0 if none. */
static u8 find_vcap(struct fx *f, u8 type)
{
	u8 off = (u8)cfg_rd(f, PCI_CAPABILITY_LIST, 1);
	int n;

	for (n = 0; off && n < 48; n++) {
		if (cfg_rd(f, off, 1) == PCI_CAP_ID_VNDR &&
		    cfg_rd(f, off + 3, 1) == type)
			return off;
		off = (u8)cfg_rd(f, off + 1, 1);
	}
	return 0;
}

/* ---- Identity and layout */

static void test_header(void **state)
{
	struct fx *f = *state;

	assert_int_equal(cfg_rd(f, PCI_VENDOR_ID, 2), 0x1af4);
	assert_int_equal(cfg_rd(f, PCI_DEVICE_ID, 2), 0x1042);
	assert_int_equal(cfg_rd(f, PCI_REVISION_ID, 1), 1);
	assert_int_equal(cfg_rd(f, PCI_REVISION_ID, 4) >> 8, 0x010000);
	assert_int_equal(cfg_rd(f, PCI_SUBSYSTEM_VENDOR_ID, 2), 0x1af4);
	assert_int_equal(cfg_rd(f, PCI_SUBSYSTEM_ID, 2), 0x1100);
	assert_int_equal(cfg_rd(f, PCI_INTERRUPT_PIN, 1), 0);
	/* BAR sizing: BAR 1 32-bit 4 KiB, BAR 4 64-bit prefetchable 16 KiB */
	cfg_wr(f, PCI_BASE_ADDRESS_1, 4, ~0U);
	assert_int_equal(cfg_rd(f, PCI_BASE_ADDRESS_1, 4), 0xfffff000);
	cfg_wr(f, PCI_BASE_ADDRESS_4, 4, ~0U);
	assert_int_equal(cfg_rd(f, PCI_BASE_ADDRESS_4, 4), 0xffffc00c);
	assert_int_equal(cfg_rd(f, PCI_BASE_ADDRESS_0, 4), 0);
	assert_int_equal(virtio_pci_class(VIRTIO_ID_RNG), 0x00ff00);
	assert_int_equal(virtio_pci_class(VIRTIO_ID_CONSOLE), 0x078000);
}

static void check_vcap(struct fx *f, u8 type, u32 off, u32 len)
{
	u8 cap = find_vcap(f, type);

	assert_int_not_equal(cap, 0);
	assert_int_equal(cfg_rd(f, cap + 4, 1), VPCI_BAR);
	assert_int_equal(cfg_rd(f, cap + 8, 4), off);
	assert_int_equal(cfg_rd(f, cap + 12, 4), len);
	assert_true(cfg_rd(f, cap + 2, 1) >= 16);
}

static void test_caps(void **state)
{
	struct fx *f = *state;
	u8 cap;

	assert_true(cfg_rd(f, PCI_STATUS, 2) & PCI_STATUS_CAP_LIST);
	check_vcap(f, VIRTIO_PCI_CAP_COMMON_CFG, 0, 0x1000);
	check_vcap(f, VIRTIO_PCI_CAP_ISR_CFG, 0x1000, 0x1000);
	check_vcap(f, VIRTIO_PCI_CAP_DEVICE_CFG, 0x2000, 0x1000);
	check_vcap(f, VIRTIO_PCI_CAP_NOTIFY_CFG, 0x3000, 0x1000);
	cap = find_vcap(f, VIRTIO_PCI_CAP_NOTIFY_CFG);
	assert_int_equal(cfg_rd(f, cap + 2, 1), 20);
	assert_int_equal(cfg_rd(f, cap + 16, 4), 4);
	cap = find_vcap(f, VIRTIO_PCI_CAP_PCI_CFG);
	assert_int_not_equal(cap, 0);
	assert_int_equal(cfg_rd(f, cap + 2, 1), 20);
	cap = (u8)pci_cap_find(&f->vp->pci, PCI_CAP_ID_MSIX);
	assert_int_not_equal(cap, 0);
	/* 2 vectors (1 queue + config), table BIR 1 at 0, PBA at 0x800 */
	assert_int_equal(cfg_rd(f, cap + PCI_MSIX_FLAGS, 2) &
			 PCI_MSIX_FLAGS_QSIZE, 1);
	assert_int_equal(cfg_rd(f, cap + PCI_MSIX_TABLE, 4), 1);
	assert_int_equal(cfg_rd(f, cap + PCI_MSIX_PBA, 4), 0x801);
	assert_int_equal(find_vcap(f, 99), 0);
}

/* ---- The handshake and a read request */

static void setup_msix(struct fx *f)
{
	u8 cap = (u8)pci_cap_find(&f->vp->pci, PCI_CAP_ID_MSIX);

	mmio_wr(f, BAR1_ADDR + 16 + 0, 4, MSI_ADDR);
	mmio_wr(f, BAR1_ADDR + 16 + 4, 4, 0);
	mmio_wr(f, BAR1_ADDR + 16 + 8, 4, MSI_DATA);
	mmio_wr(f, BAR1_ADDR + 16 + 12, 4, 0);		/* unmask vector 1 */
	cfg_wr(f, cap + PCI_MSIX_FLAGS, 2, PCI_MSIX_FLAGS_ENABLE);
}

static u8 handshake(struct fx *f, u64 feat)
{
	com_wr(f, 0x14, 1, 0);				/* device_status */
	com_wr(f, 0x14, 1, VIRTIO_CONFIG_S_ACKNOWLEDGE |
	       VIRTIO_CONFIG_S_DRIVER);
	com_wr(f, 0x00, 4, 1);				/* dfselect */
	assert_true(com_rd(f, 0x04, 4) & 1);		/* VERSION_1 (32) */
	com_wr(f, 0x08, 4, 0);				/* gfselect */
	com_wr(f, 0x0c, 4, (u32)feat);
	com_wr(f, 0x08, 4, 1);
	com_wr(f, 0x0c, 4, (u32)(feat >> 32));
	com_wr(f, 0x14, 1, 0x0b);			/* FEATURES_OK */
	if (!(com_rd(f, 0x14, 1) & VIRTIO_CONFIG_S_FEATURES_OK))
		return (u8)com_rd(f, 0x14, 1);
	assert_int_equal(com_rd(f, 0x12, 2), 1);	/* num_queues */
	com_wr(f, 0x16, 2, 0);				/* queue_select */
	com_wr(f, 0x18, 2, f->d.size);
	com_wr(f, 0x1a, 2, 1);				/* queue_msix_vector */
	assert_int_equal(com_rd(f, 0x1a, 2), 1);
	com_wr(f, 0x20, 4, (u32)f->d.desc);
	com_wr(f, 0x28, 4, (u32)f->d.avail);
	com_wr(f, 0x30, 4, (u32)f->d.used);
	com_wr(f, 0x1c, 2, 1);				/* queue_enable */
	com_wr(f, 0x14, 1, 0x0f);			/* DRIVER_OK */
	return (u8)com_rd(f, 0x14, 1);
}

/* Post a one-sector IN request for sector; returns the data address. */
static u64 post_read(struct fx *f, u64 sector, u64 *status)
{
	struct virtio_blk_outhdr h = { .type = VIRTIO_BLK_T_IN,
				       .sector = sector };
	u64 ha = vqd_alloc(&f->d, sizeof(h)), da = vqd_alloc(&f->d, 512);

	*status = vqd_alloc(&f->d, 1);
	memcpy(vqd_hva(&f->d, ha), &h, sizeof(h));
	*(u8 *)vqd_hva(&f->d, *status) = 0xff;
	vqd_desc(&f->d, f->d.desc, 0, ha, sizeof(h), VIRTQ_DESC_F_NEXT, 1);
	vqd_desc(&f->d, f->d.desc, 1, da, 512,
		 VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 2);
	vqd_desc(&f->d, f->d.desc, 2, *status, 1, VIRTQ_DESC_F_WRITE, 0);
	vqd_post(&f->d, 0);
	return da;
}

/* The I/O thread completes requests: wait for one used entry. */
static bool wait_used(struct fx *f, u32 *len)
{
	u32 id;
	int i;

	for (i = 0; i < 2000; i++) {
		if (vqd_reap(&f->d, &id, len))
			return id == 0;
		usleep(1000);
	}
	return false;
}

static void check_sector(struct fx *f, u64 da, u64 st, u64 sector)
{
	const u8 *p = vqd_hva(&f->d, da);
	u32 i, o;

	assert_int_equal(*(u8 *)vqd_hva(&f->d, st), VIRTIO_BLK_S_OK);
	for (i = 0; i < 512; i++) {
		o = (u32)(sector * 512 + i);
		assert_int_equal(p[i], (u8)(o * 7 + (o >> 9)));
	}
}

static void test_blk_read(void **state)
{
	struct fx *f = *state;
	u64 da, st;
	u32 len, noff;

	map_bars(f, BAR4_ADDR);
	setup_msix(f);
	assert_int_equal(handshake(f, FEAT), 0x0f);
	/* device config: capacity in sectors */
	assert_int_equal(mmio_rd(f, BAR4_ADDR + VPCI_DEVCFG, 4), IMG_SECTORS);
	noff = com_rd(f, 0x1e, 2);			/* queue_notify_off */
	assert_int_equal(noff, 0);
	da = post_read(f, 5, &st);
	mmio_wr(f, BAR4_ADDR + VPCI_NOTIFY + 4 * noff, 2, 0);
	assert_true(wait_used(f, &len));
	assert_int_equal(len, 513);
	check_sector(f, da, st, 5);
	for (len = 0; len < 1000 && !f->msi.calls; len++)
		usleep(1000);
	assert_int_equal(f->msi.calls, 1);
	assert_int_equal(f->msi.addr, MSI_ADDR);
	assert_int_equal(f->msi.data, MSI_DATA);
	/* the ISR says "queue" and clears on read */
	assert_int_equal(mmio_rd(f, BAR4_ADDR + VPCI_ISR, 1), 1);
	assert_int_equal(mmio_rd(f, BAR4_ADDR + VPCI_ISR, 1), 0);
}

static void test_no_access_platform(void **state)
{
	struct fx *f = *state;

	f->vp->vdev.sev = true;	/* what cfg->sev.enabled passes */
	map_bars(f, BAR4_ADDR);
	assert_false(handshake(f, 1ULL << VIRTIO_F_VERSION_1) &
		     VIRTIO_CONFIG_S_FEATURES_OK);
	assert_int_equal(handshake(f, FEAT), 0x0f);
}

static void test_bad_accesses(void **state)
{
	struct fx *f = *state;

	map_bars(f, BAR4_ADDR);
	/* a notify for a queue that does not exist, reads of notify */
	mmio_wr(f, BAR4_ADDR + VPCI_NOTIFY + 4, 2, 1);
	mmio_wr(f, BAR4_ADDR + VPCI_NOTIFY + 0xffc, 4, 1);
	assert_int_equal(mmio_rd(f, BAR4_ADDR + VPCI_NOTIFY, 4), 0);
	/* past the common config, the device config, the ISR byte */
	assert_int_equal(mmio_rd(f, BAR4_ADDR + 0x800, 4), 0);
	assert_int_equal(mmio_rd(f, BAR4_ADDR + VPCI_DEVCFG + 0xff0, 4), 0);
	assert_int_equal(mmio_rd(f, BAR4_ADDR + VPCI_ISR + 4, 4), 0);
	mmio_wr(f, BAR4_ADDR + VPCI_ISR, 1, 0xff);
	assert_int_equal(mmio_rd(f, BAR4_ADDR + 0x3ffc, 4), 0);
	assert_int_equal(f->msi.calls, 0);
}

/* Bus mastering off: the request is refused, no used entry. */
static void test_bus_master_off(void **state)
{
	struct fx *f = *state;
	u64 st;
	u32 len;

	map_bars(f, BAR4_ADDR);
	assert_int_equal(handshake(f, FEAT), 0x0f);
	cfg_wr(f, PCI_COMMAND, 2, PCI_COMMAND_MEMORY);
	post_read(f, 1, &st);
	mmio_wr(f, BAR4_ADDR + VPCI_NOTIFY, 2, 0);
	for (len = 0; len < 2000 && !atomic_load(&f->vp->pci.dma.refused);
	     len++)
		usleep(1000);
	assert_true(atomic_load(&f->vp->pci.dma.refused) > 0);
	assert_false(vqd_reap(&f->d, &len, &len));
}

/* ---- The PCI configuration access capability */

static void window(struct fx *f, u8 bar, u32 off, u32 len)
{
	u8 cap = find_vcap(f, VIRTIO_PCI_CAP_PCI_CFG);

	cfg_wr(f, cap + 4, 1, bar);
	cfg_wr(f, cap + 8, 4, off);
	cfg_wr(f, cap + 12, 4, len);
}

static void test_cfg_window(void **state)
{
	struct fx *f = *state;
	u8 cap = find_vcap(f, VIRTIO_PCI_CAP_PCI_CFG);
	u64 da, st;
	u32 len;

	/* no BAR mapped at all: the window still reaches the registers */
	window(f, VPCI_BAR, VPCI_DEVCFG, 4);
	assert_int_equal(cfg_rd(f, cap + 16, 4), IMG_SECTORS);
	assert_int_equal(cfg_rd(f, cap + 16, 2), IMG_SECTORS);
	window(f, VPCI_BAR, 0x14, 1);			/* device_status */
	cfg_wr(f, cap + 16, 1, VIRTIO_CONFIG_S_ACKNOWLEDGE);
	assert_int_equal(cfg_rd(f, cap + 16, 1), VIRTIO_CONFIG_S_ACKNOWLEDGE);
	assert_int_equal(f->vp->vdev.status, VIRTIO_CONFIG_S_ACKNOWLEDGE);
	/* a notify through the window reaches the I/O thread */
	map_bars(f, BAR4_ADDR);
	assert_int_equal(handshake(f, FEAT), 0x0f);
	da = post_read(f, 9, &st);
	window(f, VPCI_BAR, VPCI_NOTIFY, 2);
	cfg_wr(f, cap + 16, 2, 0);
	assert_true(wait_used(f, &len));
	check_sector(f, da, st, 9);
	/* windows that point nowhere: the data reads back as written */
	window(f, 1, 0x14, 1);
	cfg_wr(f, cap + 16, 4, 0x5a);
	assert_int_equal(cfg_rd(f, cap + 16, 4), 0x5a);
	assert_int_equal(f->vp->vdev.status, 0x0f);
	window(f, VPCI_BAR, 0x15, 2);			/* misaligned */
	assert_int_equal(cfg_rd(f, cap + 16, 4), 0x5a);
	window(f, VPCI_BAR, 0x14, 3);			/* bad width */
	assert_int_equal(cfg_rd(f, cap + 16, 4), 0x5a);
	window(f, VPCI_BAR, VPCI_BAR_SIZE, 4);		/* past the BAR */
	assert_int_equal(cfg_rd(f, cap + 16, 4), 0x5a);
	window(f, VPCI_BAR, 0xfffffffc, 4);
	cfg_wr(f, cap + 16, 4, 0);
	assert_int_equal(f->vp->vdev.status, 0x0f);
}

/* ---- The notify ioeventfds follow BAR 4 (a bare KVM VM, no vCPU) */

/* Is an ioeventfd for queue 0's fd at addr? KVM says EEXIST if so. */
static bool kvm_has_ioeventfd(struct fx *f, u64 addr)
{
	struct irq_ioeventfd io = { .fd = f->vp->qn[0].fd, .addr = addr };

	if (irq_ioeventfd_assign(&f->irq, &io) < 0)
		return true;
	irq_ioeventfd_deassign(&f->irq, &io);
	return false;
}

static void test_bar_move(void **state)
{
	struct fx *f = *state;
	u64 moved = BAR4_ADDR + 0x100000;
	u64 n0;

	if (f->irq.vm_fd < 0)
		skip();
	assert_false(f->vp->qn[0].assigned);
	map_bars(f, BAR4_ADDR);
	assert_true(f->vp->qn[0].assigned);
	assert_int_equal(f->vp->notify_base, BAR4_ADDR + VPCI_NOTIFY);
	assert_true(kvm_has_ioeventfd(f, BAR4_ADDR + VPCI_NOTIFY));
	n0 = f->vp->ioeventfds;
	/* the driver moves the BAR: the ioeventfd moves with it */
	cfg_wr(f, PCI_BASE_ADDRESS_4, 4, (u32)moved);
	assert_int_equal(f->vp->ioeventfds, n0 + 1);
	assert_int_equal(f->vp->notify_base, moved + VPCI_NOTIFY);
	assert_true(kvm_has_ioeventfd(f, moved + VPCI_NOTIFY));
	assert_false(kvm_has_ioeventfd(f, BAR4_ADDR + VPCI_NOTIFY));
	/* memory decode off: gone */
	cfg_wr(f, PCI_COMMAND, 2, 0);
	assert_false(f->vp->qn[0].assigned);
	assert_false(kvm_has_ioeventfd(f, moved + VPCI_NOTIFY));
	/* decode back on: registered again */
	cfg_wr(f, PCI_COMMAND, 2, PCI_COMMAND_MEMORY);
	assert_true(kvm_has_ioeventfd(f, moved + VPCI_NOTIFY));
}

/* KVM refuses the ioeventfd: the BAR handler's eventfd write remains. */
static void test_ioeventfd_refused(void **state)
{
	struct fx *f = *state;
	struct irq_ioeventfd io;
	u64 da, st;
	u32 len;

	if (f->irq.vm_fd < 0)
		skip();
	/* Someone else's ioeventfd at the notify address: EEXIST for us. */
	io = (struct irq_ioeventfd){ .fd = f->vp->qn[0].fd,
				     .addr = BAR4_ADDR + VPCI_NOTIFY };
	assert_int_equal(irq_ioeventfd_assign(&f->irq, &io), 0);
	map_bars(f, BAR4_ADDR);
	assert_false(f->vp->qn[0].assigned);
	irq_ioeventfd_deassign(&f->irq, &io);
	assert_int_equal(handshake(f, FEAT), 0x0f);
	da = post_read(f, 2, &st);
	mmio_wr(f, BAR4_ADDR + VPCI_NOTIFY, 2, 0);
	assert_true(wait_used(f, &len));
	check_sector(f, da, st, 2);
}

/* ---- realize and free */

static void test_realize_errors(void **state)
{
	struct fx *f = *state;
	struct virtio_pci *vp = virtio_pci_alloc();
	struct virtio_blk_conf c = { .path = f->path, .readonly = true };

	/* no device set up */
	assert_non_null(vp);
	assert_int_equal(virtio_pci_realize(vp, &f->host, 4, f->iot, NULL),
			 -EINVAL);
	virtio_pci_free(vp);
	/* no I/O thread */
	vp = virtio_pci_alloc();
	assert_int_equal(virtio_blk_init(&vp->vdev, &c, virtio_pci_dma(vp),
					 false), 0);
	assert_int_equal(virtio_pci_realize(vp, &f->host, 4, NULL, NULL),
			 -EINVAL);
	assert_non_null(strstr(err_capture.last, "I/O thread"));
	virtio_pci_free(vp);
	/* the slot is taken: everything is undone (watches included) */
	vp = virtio_pci_alloc();
	assert_int_equal(virtio_blk_init(&vp->vdev, &c, virtio_pci_dma(vp),
					 false), 0);
	assert_int_equal(virtio_pci_realize(vp, &f->host, SLOT, f->iot,
					    NULL), -EEXIST);
	assert_true(vp->qn[0].watched);		/* free removes it */
	virtio_pci_free(vp);
	virtio_pci_free(NULL);
	assert_ptr_equal(f->host.devs[DEVFN], &f->vp->pci);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_header, setup, teardown),
		cmocka_unit_test_setup_teardown(test_caps, setup, teardown),
		cmocka_unit_test_setup_teardown(test_blk_read, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_no_access_platform,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_accesses, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_bus_master_off, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_cfg_window, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_bar_move, setup_kvm,
						teardown),
		cmocka_unit_test_setup_teardown(test_ioeventfd_refused,
						setup_kvm, teardown),
		cmocka_unit_test_setup_teardown(test_realize_errors, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
