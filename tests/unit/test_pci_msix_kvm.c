// SPDX-License-Identifier: GPL-2.0-only
/*
 * MSI-X on the real KVM (skipped without /dev/kvm): a VM with an
 * irqchip and one vCPU whose local APIC is software-enabled, the PCIe
 * host on pci_kvm_msi (devices/pci/msi-kvm.c over vmm/irq), and the
 * sample function. A notify goes through the vector's route and irqfd:
 * the eventfd count is consumed by KVM and the vector shows up in the
 * APIC's IRR; a table write reaches the route; a masked vector injects
 * nothing; with no GSI left KVM_SIGNAL_MSI is used; disabling MSI-X
 * frees the route. The seam is wrapped only to see which path ran.
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
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "tests/unit/kvm-avail.h"
#include "tests/unit/pci-test.h"
#include "vmm/irq.h"

#define MSIX_BAR	0xd0000000ULL
#define ENTRY(v, fld)	(MSIX_BAR + 0x2000 + 16 * (v) + (fld))
#define APIC_SVR	0xf0
#define APIC_IRR	0x200

struct kfix {
	int sys_fd, vm_fd, vcpu_fd;
	struct irq_router irq;
	struct fix f;
};

/* pci_kvm_msi, with signal and irqfd_assign counted on the way */
static struct {
	int signals, assigns;
	int fd;
	u32 gsi;
} rec;

static int rec_signal(void *opaque, u64 addr, u32 data, u32 devid)
{
	rec.signals++;
	return pci_kvm_msi.signal(opaque, addr, data, devid);
}

static int rec_assign(void *opaque, int fd, u32 gsi)
{
	rec.assigns++;
	rec.fd = fd;
	rec.gsi = gsi;
	return pci_kvm_msi.irqfd_assign(opaque, fd, gsi);
}

static struct pci_msi_ops rec_ops;

static void apic_enable(int vcpu_fd)
{
	struct kvm_lapic_state s;

	assert_int_equal(ioctl(vcpu_fd, KVM_GET_LAPIC, &s), 0);
	s.regs[APIC_SVR + 1] |= 1;		/* SVR bit 8: enabled */
	assert_int_equal(ioctl(vcpu_fd, KVM_SET_LAPIC, &s), 0);
}

/* Is vector vec in the vCPU's IRR? Waits a little for deferred work. */
static bool apic_irr(int vcpu_fd, u8 vec)
{
	struct timespec ts = { .tv_nsec = 1000000 };
	struct kvm_lapic_state s;
	int i;

	for (i = 0; i < 100; i++) {
		assert_int_equal(ioctl(vcpu_fd, KVM_GET_LAPIC, &s), 0);
		if (s.regs[APIC_IRR + vec / 32 * 16 + vec % 32 / 8] &
		    (1U << (vec % 8)))
			return true;
		nanosleep(&ts, NULL);
	}
	return false;
}

static int kvm_setup(void **state)
{
	struct kfix *k;

	*state = NULL;
	if (!test_have_kvm())
		return 0;
	k = calloc(1, sizeof(*k));
	if (!k)
		return -1;
	k->sys_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	k->vm_fd = ioctl(k->sys_fd, KVM_CREATE_VM, 0);
	if (k->vm_fd < 0 || ioctl(k->vm_fd, KVM_CREATE_IRQCHIP, 0) < 0)
		return -1;
	k->vcpu_fd = ioctl(k->vm_fd, KVM_CREATE_VCPU, 0);
	if (k->vcpu_fd < 0 || irq_init(&k->irq, k->vm_fd) < 0)
		return -1;
	memset(&rec, 0, sizeof(rec));
	rec_ops = pci_kvm_msi;
	rec_ops.signal = rec_signal;
	rec_ops.irqfd_assign = rec_assign;
	bus_init(&k->f.pio, "pio");
	bus_init(&k->f.mmio, "mmio");
	if (pci_host_init(&k->f.host, &k->f.pio, &k->f.mmio, &k->f.mem,
			  &rec_ops, &k->irq) < 0)
		return -1;
	memset(&err_capture, 0, sizeof(err_capture));
	*state = k;
	return 0;
}

static int kvm_teardown(void **state)
{
	struct kfix *k = *state;

	if (!k)
		return 0;
	if (k->f.s.dev.host)
		pci_dev_exit(&k->f.s.dev);
	pci_host_free(&k->f.host);
	bus_free(&k->f.mmio);
	bus_free(&k->f.pio);
	irq_free(&k->irq);
	close(k->vcpu_fd);
	close(k->vm_fd);
	close(k->sys_fd);
	free(k);
	return 0;
}

static void mmio_w32(struct kfix *k, u64 addr, u32 v)
{
	bus_dispatch(&k->f.mmio, addr, &v, 4, true);
}

static void msix_ctrl(struct kfix *k, u16 bits)
{
	pci_cfg_write(&k->f.host, 0, k->f.s.dev.devfn, 0x50 + PCI_MSIX_FLAGS,
		      2, bits);
}

/* Sample at 00:04.0, MSI-X on, vector 1 -> APIC 0 vector vec, unmasked. */
static void kvm_msix_setup(struct kfix *k, u8 vec)
{
	u8 fn;

	apic_enable(k->vcpu_fd);
	sample_build(&k->f.s);
	assert_int_equal(pci_host_add(&k->f.host, &k->f.s.dev, 4), 0);
	fn = k->f.s.dev.devfn;
	pci_cfg_write(&k->f.host, 0, fn, 0x18, 4, (u32)MSIX_BAR);
	pci_cfg_write(&k->f.host, 0, fn, PCI_COMMAND, 2, PCI_COMMAND_MEMORY);
	mmio_w32(k, ENTRY(1, PCI_MSIX_ENTRY_LOWER_ADDR), 0xfee00000);
	mmio_w32(k, ENTRY(1, PCI_MSIX_ENTRY_DATA), vec);
	msix_ctrl(k, PCI_MSIX_FLAGS_ENABLE);
	mmio_w32(k, ENTRY(1, PCI_MSIX_ENTRY_VECTOR_CTRL), 0);
}

#define NEED_KVM(k)	do { if (!(k)) { skip(); return; } } while (0)

static void test_kvm_irqfd(void **state)
{
	struct kfix *k = *state;
	u64 v;

	NEED_KVM(k);
	kvm_msix_setup(k, 0x41);
	assert_false(apic_irr(k->vcpu_fd, 0x41));
	assert_int_equal(pci_msix_notify(&k->f.s.dev, 1), 0);
	/* the irqfd path: a route at GSI 24, no KVM_SIGNAL_MSI */
	assert_int_equal(rec.assigns, 1);
	assert_int_equal(rec.signals, 0);
	assert_int_equal(rec.gsi, IRQ_GSI_IRQCHIP);
	assert_true(k->irq.msi[0].used);
	assert_true(k->irq.msi[0].addr == 0xfee00000);
	assert_int_equal(k->irq.msi[0].data, 0x41);
	/* KVM consumed the count and raised the vector */
	assert_int_equal(read(rec.fd, &v, sizeof(v)), -1);
	assert_int_equal(errno, EAGAIN);
	assert_true(apic_irr(k->vcpu_fd, 0x41));
	/* a table write: the next message goes through the new route */
	mmio_w32(k, ENTRY(1, PCI_MSIX_ENTRY_DATA), 0x52);
	assert_int_equal(k->irq.msi[0].data, 0x41);	/* lazy */
	assert_false(apic_irr(k->vcpu_fd, 0x52));
	assert_int_equal(pci_msix_notify(&k->f.s.dev, 1), 0);
	assert_int_equal(k->irq.msi[0].data, 0x52);
	assert_true(apic_irr(k->vcpu_fd, 0x52));
	/* masked: nothing reaches KVM until unmasked */
	mmio_w32(k, ENTRY(1, PCI_MSIX_ENTRY_DATA), 0x63);
	mmio_w32(k, ENTRY(1, PCI_MSIX_ENTRY_VECTOR_CTRL), 1);
	assert_int_equal(pci_msix_notify(&k->f.s.dev, 1), 0);
	assert_false(apic_irr(k->vcpu_fd, 0x63));
	mmio_w32(k, ENTRY(1, PCI_MSIX_ENTRY_VECTOR_CTRL), 0);
	assert_true(apic_irr(k->vcpu_fd, 0x63));
	assert_int_equal(rec.signals, 0);
	assert_int_equal(rec.assigns, 1);
	/* disable: route and eventfd released */
	msix_ctrl(k, 0);
	assert_false(k->irq.msi[0].used);
	assert_true(fcntl(rec.fd, F_GETFD) < 0 && errno == EBADF);
	assert_int_equal(err_capture.err, 0);
}

/* No GSI left: the vector is sent with KVM_SIGNAL_MSI instead. */
static void test_kvm_fallback(void **state)
{
	struct kfix *k = *state;

	NEED_KVM(k);
	k->irq.gsi_limit = IRQ_GSI_IRQCHIP;
	kvm_msix_setup(k, 0x44);
	assert_int_equal(pci_msix_notify(&k->f.s.dev, 1), 0);
	assert_int_equal(rec.assigns, 0);
	assert_int_equal(rec.signals, 1);
	assert_non_null(strstr(err_capture.last, "GSIs in use"));
	assert_true(apic_irr(k->vcpu_fd, 0x44));
	assert_int_equal(pci_msix_notify(&k->f.s.dev, 1), 0);
	assert_int_equal(rec.signals, 2);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, kvm_setup, kvm_teardown)
	const struct CMUnitTest tests[] = {
		T(test_kvm_irqfd),
		T(test_kvm_fallback),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
