// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of vmm/irq.c against the real /dev/kvm (skipped when it is
 * absent): irqchip + routing table commit, MSI routes up to a full table,
 * update and free, an irqfd that consumes what is written to it,
 * KVM_SIGNAL_MSI, KVM_IRQ_LINE, ioeventfds with and without datamatch,
 * and the failure paths (bad fd, unknown GSI, table full, a VM without
 * an irqchip). pr_log is wrapped to check the error lines.
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
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <cmocka.h>

#include "tests/unit/err-capture.h"
#include "tests/unit/kvm-avail.h"

#include "lib/log.h"
#include "vmm/irq.h"

struct fix {
	int sys_fd, vm_fd, vcpu_fd;
	struct irq_router irq;
};

static int setup(void **state)
{
	struct fix *f;

	if (!test_have_kvm()) {
		*state = NULL;
		return 0;
	}
	f = calloc(1, sizeof(*f));
	if (!f)
		return -1;
	f->sys_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	f->vm_fd = ioctl(f->sys_fd, KVM_CREATE_VM, 0);
	if (f->vm_fd < 0 || ioctl(f->vm_fd, KVM_CREATE_IRQCHIP, 0) < 0)
		return -1;
	f->vcpu_fd = ioctl(f->vm_fd, KVM_CREATE_VCPU, 0);
	if (f->vcpu_fd < 0)
		return -1;
	memset(&err_capture, 0, sizeof(err_capture));
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;

	if (!f)
		return 0;
	close(f->vcpu_fd);
	close(f->vm_fd);
	close(f->sys_fd);
	free(f);
	return 0;
}

#define NEED_KVM(f)	do { if (!(f)) { skip(); return; } } while (0)

static void test_init_and_routes(void **state)
{
	struct fix *f = *state;
	u32 a = 0, b = 0;

	NEED_KVM(f);
	assert_int_equal(irq_init(&f->irq, f->vm_fd), 0);
	assert_true(f->irq.gsi_limit > IRQ_GSI_IRQCHIP);
	assert_int_equal(irq_msi_route_add(&f->irq, 0xfee00000, 0x4041, &a),
			 0);
	assert_int_equal(a, 24);
	assert_int_equal(irq_msi_route_add(&f->irq, 0xfee01000, 0x4042, &b),
			 0);
	assert_int_equal(b, 25);
	assert_int_equal(irq_msi_route_update(&f->irq, a, 0xfee02000, 0x30),
			 0);
	assert_int_equal(f->irq.msi[0].addr, 0xfee02000);
	assert_int_equal(irq_msi_route_free(&f->irq, a), 0);
	/* the freed GSI is handed out again first */
	assert_int_equal(irq_msi_route_add(&f->irq, 0xfee00000, 0x31, &a), 0);
	assert_int_equal(a, 24);
	assert_int_equal(err_capture.err, 0);
	/* unknown GSIs */
	assert_int_equal(irq_msi_route_update(&f->irq, 5, 0, 0), -EINVAL);
	assert_non_null(strstr(err_capture.last, "GSI 5"));
	assert_int_equal(irq_msi_route_free(&f->irq, 26), -EINVAL);
	assert_int_equal(irq_msi_route_free(&f->irq, 100000), -EINVAL);
	irq_free(&f->irq);
}

static void test_table_full(void **state)
{
	struct fix *f = *state;
	u32 gsi = 0, i;

	NEED_KVM(f);
	assert_int_equal(irq_init(&f->irq, f->vm_fd), 0);
	f->irq.gsi_limit = IRQ_GSI_IRQCHIP + 3;
	for (i = 0; i < 3; i++)
		assert_int_equal(irq_msi_route_add(&f->irq, 0xfee00000, i,
						   &gsi), 0);
	assert_int_equal(gsi, 26);
	assert_int_equal(irq_msi_route_add(&f->irq, 0xfee00000, 9, &gsi),
			 -ENOSPC);
	assert_non_null(strstr(err_capture.last, "all 27 GSIs in use"));
	assert_int_equal(irq_msi_route_free(&f->irq, 25), 0);
	assert_int_equal(irq_msi_route_add(&f->irq, 0xfee00000, 9, &gsi), 0);
	assert_int_equal(gsi, 25);
	irq_free(&f->irq);
}

static void test_irqfd(void **state)
{
	struct fix *f = *state;
	int efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	u64 v = 1;
	u32 gsi = 0;

	NEED_KVM(f);
	assert_true(efd >= 0);
	assert_int_equal(irq_init(&f->irq, f->vm_fd), 0);
	assert_int_equal(irq_msi_route_add(&f->irq, 0xfee00000, 0x4041, &gsi),
			 0);
	assert_int_equal(irq_irqfd_assign(&f->irq, efd, gsi, -1), 0);
	/* the same fd twice is refused by KVM */
	assert_int_equal(irq_irqfd_assign(&f->irq, efd, gsi, -1), -EBUSY);
	assert_non_null(strstr(err_capture.last, "KVM_IRQFD assign"));
	assert_int_equal(write(efd, &v, sizeof(v)), 8);
	/* KVM consumed the count when it injected */
	assert_int_equal(read(efd, &v, sizeof(v)), -1);
	assert_int_equal(errno, EAGAIN);
	assert_int_equal(irq_irqfd_deassign(&f->irq, efd, gsi), 0);
	assert_int_equal(irq_irqfd_deassign(&f->irq, 9999, gsi), -EBADF);
	assert_non_null(strstr(err_capture.last, "KVM_IRQFD deassign fd 9999"));
	/* after deassign the count stays */
	v = 1;
	assert_int_equal(write(efd, &v, sizeof(v)), 8);
	assert_int_equal(read(efd, &v, sizeof(v)), 8);
	/* a bad fd */
	assert_int_equal(irq_irqfd_assign(&f->irq, 9999, gsi, -1), -EBADF);
	assert_non_null(strstr(err_capture.last, "fd 9999"));
	close(efd);
	irq_free(&f->irq);
}

static void test_msi_and_line(void **state)
{
	struct fix *f = *state;

	NEED_KVM(f);
	assert_int_equal(irq_init(&f->irq, f->vm_fd), 0);
	assert_int_equal(irq_signal_msi(&f->irq, 0xfee00000, 0x4041, 0), 0);
	assert_int_equal(irq_line(&f->irq, 4, true), 0);
	assert_int_equal(irq_line(&f->irq, 4, false), 0);
	assert_int_equal(err_capture.err, 0);
	/* a closed VM fd: the error is passed on */
	f->irq.vm_fd = 9999;
	assert_int_equal(irq_signal_msi(&f->irq, 0xfee00000, 1, 0), -EBADF);
	assert_non_null(strstr(err_capture.last, "KVM_SIGNAL_MSI"));
	assert_int_equal(irq_line(&f->irq, 4, true), -EBADF);
	f->irq.vm_fd = f->vm_fd;
	irq_free(&f->irq);
}

static void test_ioeventfd(void **state)
{
	struct fix *f = *state;
	int efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	struct irq_ioeventfd mmio = {
		.fd = efd, .addr = 0xc0000000, .len = 2, .datamatch = true,
		.data = 3,
	};
	struct irq_ioeventfd pio = { .fd = efd, .addr = 0x600, .len = 4,
				     .pio = true };

	NEED_KVM(f);
	assert_true(efd >= 0);
	assert_int_equal(irq_init(&f->irq, f->vm_fd), 0);
	assert_int_equal(irq_ioeventfd_assign(&f->irq, &mmio), 0);
	assert_int_equal(irq_ioeventfd_assign(&f->irq, &mmio), -EEXIST);
	assert_non_null(strstr(err_capture.last, "mmio 0xc0000000 len 2"));
	assert_int_equal(irq_ioeventfd_assign(&f->irq, &pio), 0);
	assert_int_equal(irq_ioeventfd_deassign(&f->irq, &pio), 0);
	assert_int_equal(irq_ioeventfd_deassign(&f->irq, &pio), -ENOENT);
	assert_int_equal(irq_ioeventfd_deassign(&f->irq, &mmio), 0);
	pio.len = 3;			/* not a valid width */
	assert_int_equal(irq_ioeventfd_assign(&f->irq, &pio), -EINVAL);
	pio.len = 4;
	pio.fd = 9999;
	assert_int_equal(irq_ioeventfd_assign(&f->irq, &pio), -EBADF);
	close(efd);
	irq_free(&f->irq);
}

/* Without KVM_CREATE_IRQCHIP there is no routing: init fails cleanly. */
static void test_init_without_irqchip(void **state)
{
	struct fix *f = *state;
	struct irq_router irq;
	int vm_fd;

	NEED_KVM(f);
	vm_fd = ioctl(f->sys_fd, KVM_CREATE_VM, 0);
	assert_true(vm_fd >= 0);
	assert_int_equal(irq_init(&irq, vm_fd), -EINVAL);
	assert_non_null(strstr(err_capture.last, "KVM_SET_GSI_ROUTING"));
	assert_int_equal(irq.vm_fd, -1);
	irq_free(&irq);		/* harmless after a failed init */
	close(vm_fd);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_init_and_routes),
		T(test_table_full),
		T(test_irqfd),
		T(test_msi_and_line),
		T(test_ioeventfd),
		T(test_init_without_irqchip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
