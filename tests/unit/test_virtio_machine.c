// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of devices/virtio/machine.c through the real device table:
 * --device entries become virtio-pci functions at their slots (IDs as
 * QEMU's), absent without --device, and a device that cannot be set up
 * fails devices_init with one error line and unwinds everything.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "devices/device.h"
#include "devices/pci/pci.h"
#include "devices/virtio/iommu.h"
#include "devices/virtio/machine.h"
#include "lib/log.h"
#include "tests/unit/err-capture.h"
#include "vmm/shared-pages.h"
#include "vmm/vm.h"


/* ---- Test double: vm_request_stop (vmm/vm.o is not linked). */
void vm_request_stop(struct vm *vm, enum vm_stop_reason reason, int status)
{
}

struct fx {
	struct vm vm;
	struct vm_config cfg;
	char img[64];
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	int fd;

	if (!f)
		return -1;
	bus_init(&f->vm.pio, "pio");
	bus_init(&f->vm.mmio, "mmio");
	f->vm.cfg = &f->cfg;
	f->vm.kvm.vm_fd = -1;
	f->vm.irq.vm_fd = -1;
	f->cfg.serial = SERIAL_NONE;
	f->cfg.cpus = 1;
	strcpy(f->img, "/tmp/sevm-vmach-XXXXXX");
	fd = mkstemp(f->img);
	if (fd < 0 || ftruncate(fd, 8192) || mem_alloc(&f->vm.mem, 16 * SZ_1M,
							 false))
		return -1;
	close(fd);
	err_capture_reset();
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	devices_exit(&f->vm);
	bus_free(&f->vm.pio);
	bus_free(&f->vm.mmio);
	mem_free(&f->vm.mem);
	unlink(f->img);
	free(f);
	return 0;
}

static void add(struct fx *f, enum devcfg_type type, u8 slot, char *file)
{
	struct device_config *d = &f->cfg.devices[f->cfg.nr_devices++];

	d->type = type;
	d->slot = slot;
	d->file = file;
	d->readonly = true;
}

static u32 id_at(struct fx *f, u8 slot)
{
	return pci_cfg_read(pci_host(&f->vm), 0, PCI_DEVFN(slot, 0), 0, 4);
}

static void test_three_devices(void **state)
{
	struct fx *f = *state;

	add(f, DEVCFG_VIRTIO_BLK, 1, f->img);
	add(f, DEVCFG_VIRTIO_RNG, 2, NULL);
	add(f, DEVCFG_VIRTIO_CONSOLE, 5, NULL);
	assert_int_equal(devices_init(&f->vm), 0);
	assert_int_equal(err_capture.err, 0);
	assert_non_null(devices_find(&f->vm, VIRTIO_MACHINE_NAME));
	assert_int_equal(id_at(f, 1), 0x10421af4);
	assert_int_equal(id_at(f, 2), 0x10441af4);
	assert_int_equal(id_at(f, 5), 0x10431af4);
	assert_int_equal(id_at(f, 3), 0xffffffff);
	assert_int_equal(pci_cfg_read(pci_host(&f->vm), 0, PCI_DEVFN(5, 0),
				      PCI_CLASS_REVISION, 4), 0x07800001);
	devices_exit(&f->vm);
	assert_null(devices_find(&f->vm, VIRTIO_MACHINE_NAME));
}

static const struct dma_stage *shared_at(struct fx *f, u8 slot)
{
	return pci_host(&f->vm)->devs[PCI_DEVFN(slot, 0)]->dma.shared;
}

/*
 * SEV guests: every function's DMA goes through the shared-page stage
 * unless --sev-dma-check off; never without SEV (vmm/sev-dma.h).
 */
static void sev_case(struct fx *f, bool sev, enum tristate check,
		     bool staged)
{
	struct shared_pages sp;

	assert_int_equal(shared_pages_init(&sp, &f->vm.mem), 0);
	f->cfg.sev.enabled = sev;
	f->cfg.sev.dma_check = check;
	f->vm.shared = sev ? &sp : NULL;
	add(f, DEVCFG_VIRTIO_BLK, 1, f->img);
	add(f, DEVCFG_VIRTIO_RNG, 2, NULL);
	assert_int_equal(devices_init(&f->vm), 0);
	assert_ptr_equal(shared_at(f, 1), staged ? &sp.stage : NULL);
	assert_ptr_equal(shared_at(f, 2), staged ? &sp.stage : NULL);
	devices_exit(&f->vm);
	f->vm.shared = NULL;
	shared_pages_free(&sp);
}

static void test_sev_dma_stage_on(void **state)
{
	sev_case(*state, true, TRI_ON, true);
}

static void test_sev_dma_stage_off(void **state)
{
	sev_case(*state, true, TRI_OFF, false);
}

static void test_no_sev_no_stage(void **state)
{
	sev_case(*state, false, TRI_AUTO, false);
}

/* The IOMMU (slot 3) translates the others, not its own queues. */
static void test_iommu(void **state)
{
	struct fx *f = *state;
	struct pci_host *h;
	const struct dma_stage *st;

	add(f, DEVCFG_VIRTIO_BLK, 1, f->img);
	add(f, DEVCFG_VIRTIO_RNG, 2, NULL);
	add(f, DEVCFG_VIRTIO_IOMMU, 3, NULL);
	f->cfg.devices[2].bypass = false;
	assert_int_equal(devices_init(&f->vm), 0);
	h = pci_host(&f->vm);
	assert_int_equal(id_at(f, 3), 0x10571af4);
	st = h->devs[PCI_DEVFN(1, 0)]->dma.iommu;
	assert_non_null(st);
	assert_string_equal(st->name, "virtio-iommu");
	assert_ptr_equal(h->devs[PCI_DEVFN(2, 0)]->dma.iommu, st);
	assert_null(h->devs[PCI_DEVFN(3, 0)]->dma.iommu);
	assert_true(((struct viommu *)st->opaque)->eps[0x08].exists);
	assert_true(((struct viommu *)st->opaque)->eps[0x10].exists);
	assert_false(((struct viommu *)st->opaque)->eps[0x18].exists);
	assert_false(atomic_load(&((struct viommu *)st->opaque)->bypass));
	devices_exit(&f->vm);
}

static void test_absent(void **state)
{
	struct fx *f = *state;

	assert_int_equal(devices_init(&f->vm), 0);
	assert_null(devices_find(&f->vm, VIRTIO_MACHINE_NAME));
	assert_non_null(pci_host(&f->vm));
}

static void test_bad_image(void **state)
{
	struct fx *f = *state;
	static char bad[] = "/nonexistent/sevm.img";

	add(f, DEVCFG_VIRTIO_RNG, 1, NULL);
	add(f, DEVCFG_VIRTIO_BLK, 2, bad);
	assert_int_equal(devices_init(&f->vm), -ENOENT);
	assert_int_equal(err_capture.err, 1);
	assert_non_null(strstr(err_capture.last, "/nonexistent/sevm.img"));
	assert_int_equal(f->vm.devices.nr, 0);
	assert_null(pci_host(&f->vm));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_three_devices, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_absent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sev_dma_stage_on, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_sev_dma_stage_off, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_no_sev_no_stage, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_iommu, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_image, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
