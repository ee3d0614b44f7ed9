// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of MSI-X delivery through per-vector routes and irqfds
 * (devices/pci/msix.c) with a fake seam (fake_msi_fd, pci-test.c) that
 * records route and irqfd calls; what MSI-X writes to a vector's eventfd
 * stays there (no KVM consumes it), so the tests read the count back.
 * Covered: the irqfd path, lazy route updates after table writes, masked
 * vectors never writing, the KVM_SIGNAL_MSI fallback when a route, an
 * irqfd or an update fails, and routes released on disable and exit.
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
#include <unistd.h>
#include <cmocka.h>

#include "tests/unit/pci-test.h"

#define MSIX_BAR	0xd0000000ULL
#define TABLE		(MSIX_BAR + 0x2000)
#define PBA		(MSIX_BAR + 0x3000)
#define ENTRY(v, fld)	(TABLE + 16 * (v) + (fld))

static void mmio_w32(struct fix *f, u64 addr, u32 v)
{
	bus_dispatch(&f->mmio, addr, &v, 4, true);
}

static u64 mmio_r(struct fix *f, u64 addr, u32 len)
{
	u64 v = 0;

	bus_dispatch(&f->mmio, addr, &v, len, false);
	return v;
}

static void msix_ctrl(struct fix *f, u16 bits)
{
	pci_cfg_write(&f->host, 0, f->s.dev.devfn, 0x50 + PCI_MSIX_FLAGS, 2,
		      bits);
}

static void vec_program(struct fix *f, u16 v, u32 addr, u32 data)
{
	mmio_w32(f, ENTRY(v, PCI_MSIX_ENTRY_LOWER_ADDR), addr);
	mmio_w32(f, ENTRY(v, PCI_MSIX_ENTRY_UPPER_ADDR), 0);
	mmio_w32(f, ENTRY(v, PCI_MSIX_ENTRY_DATA), data);
}

static void vec_mask(struct fix *f, u16 v, bool on)
{
	mmio_w32(f, ENTRY(v, PCI_MSIX_ENTRY_VECTOR_CTRL), on);
}

/*
 * The sample at 00:04.0 on the fake route seam, BAR2 at MSIX_BAR,
 * MSI-X enabled, vector 1 programmed and unmasked, nothing sent yet.
 */
static void fd_setup(struct fix *f)
{
	f->host.msi = &fake_msi_fd;
	sample_build(&f->s);
	assert_int_equal(pci_host_add(&f->host, &f->s.dev, 4), 0);
	pci_cfg_write(&f->host, 0, f->s.dev.devfn, 0x18, 4, (u32)MSIX_BAR);
	pci_cfg_write(&f->host, 0, f->s.dev.devfn, PCI_COMMAND, 2,
		      PCI_COMMAND_MEMORY);
	vec_program(f, 1, 0xfee01000, 0x4051);
	msix_ctrl(f, PCI_MSIX_FLAGS_ENABLE);
	vec_mask(f, 1, false);
}

/* What was written to the eventfd of GSI gsi since the last call. */
static u64 efd_take(struct fix *f, u32 gsi)
{
	int fd = f->msi.fd[gsi - FAKE_GSI0];
	u64 v = 0;

	assert_true(fd >= 0);
	if (read(fd, &v, sizeof(v)) != (ssize_t)sizeof(v)) {
		assert_int_equal(errno, EAGAIN);
		return 0;
	}
	return v;
}

static bool fd_closed(int fd)
{
	return fcntl(fd, F_GETFD) < 0 && errno == EBADF;
}

static void test_fd_irqfd_path(void **state)
{
	struct fix *f = *state;

	fd_setup(f);
	/* lazy: unmasking a vector with nothing pending sets up nothing */
	assert_int_equal(f->msi.route_adds, 0);
	assert_int_equal(pci_msix_notify(&f->s.dev, 1), 0);
	assert_int_equal(f->msi.route_adds, 1);
	assert_int_equal(f->msi.assigns, 1);
	assert_int_equal(f->msi.gsi, FAKE_GSI0);
	assert_true(f->msi.route_addr == 0xfee01000);
	assert_int_equal(f->msi.route_data, 0x4051);
	assert_int_equal(efd_take(f, FAKE_GSI0), 1);
	assert_int_equal(f->msi.calls, 0);
	/* further messages: one eventfd write each, no routing work */
	assert_int_equal(pci_msix_notify(&f->s.dev, 1), 0);
	assert_int_equal(pci_msix_notify(&f->s.dev, 1), 0);
	assert_int_equal(efd_take(f, FAKE_GSI0), 2);
	assert_int_equal(f->msi.route_adds, 1);
	assert_int_equal(f->msi.route_updates, 0);
	assert_int_equal(f->msi.calls, 0);
	assert_int_equal(err_capture.err, 0);
}

static void test_fd_route_update(void **state)
{
	struct fix *f = *state;

	fd_setup(f);
	assert_int_equal(pci_msix_notify(&f->s.dev, 1), 0);
	assert_int_equal(efd_take(f, FAKE_GSI0), 1);
	/* a table write alone commits nothing; the next message does */
	mmio_w32(f, ENTRY(1, PCI_MSIX_ENTRY_DATA), 0x4062);
	assert_int_equal(f->msi.route_updates, 0);
	assert_int_equal(pci_msix_notify(&f->s.dev, 1), 0);
	assert_int_equal(f->msi.route_updates, 1);
	assert_int_equal(f->msi.route_data, 0x4062);
	assert_int_equal(efd_take(f, FAKE_GSI0), 1);
	/* the same values written again: no commit */
	vec_program(f, 1, 0xfee01000, 0x4062);
	assert_int_equal(pci_msix_notify(&f->s.dev, 1), 0);
	assert_int_equal(f->msi.route_updates, 1);
	/* the upper address counts too */
	mmio_w32(f, ENTRY(1, PCI_MSIX_ENTRY_UPPER_ADDR), 1);
	assert_int_equal(pci_msix_notify(&f->s.dev, 1), 0);
	assert_int_equal(f->msi.route_updates, 2);
	assert_true(f->msi.route_addr == 0x1fee01000ULL);
	/* changed while masked and pending: updated, then sent on unmask */
	vec_mask(f, 1, true);
	assert_int_equal(pci_msix_notify(&f->s.dev, 1), 0);
	vec_program(f, 1, 0xfee02000, 0x4073);
	assert_int_equal(f->msi.route_updates, 2);
	assert_int_equal(efd_take(f, FAKE_GSI0), 2);
	vec_mask(f, 1, false);
	assert_int_equal(f->msi.route_updates, 3);
	assert_true(f->msi.route_addr == 0xfee02000);
	assert_int_equal(f->msi.route_data, 0x4073);
	assert_int_equal(efd_take(f, FAKE_GSI0), 1);
	assert_int_equal(f->msi.calls, 0);
	assert_int_equal(f->msi.route_adds, 1);
}

static void test_fd_masked_no_write(void **state)
{
	struct fix *f = *state;

	fd_setup(f);
	/* a masked vector without a route gets none */
	assert_int_equal(pci_msix_notify(&f->s.dev, 0), 0);
	assert_int_equal(f->msi.route_adds, 0);
	assert_int_equal(mmio_r(f, PBA, 1), 0x1);
	assert_int_equal(pci_msix_notify(&f->s.dev, 1), 0);
	assert_int_equal(efd_take(f, FAKE_GSI0), 1);
	/* vector mask: pending bit, no eventfd write; unmask delivers */
	vec_mask(f, 1, true);
	assert_int_equal(pci_msix_notify(&f->s.dev, 1), 0);
	assert_int_equal(pci_msix_notify(&f->s.dev, 1), 0);
	assert_int_equal(efd_take(f, FAKE_GSI0), 0);
	assert_int_equal(mmio_r(f, PBA, 1), 0x3);
	vec_mask(f, 1, false);
	assert_int_equal(efd_take(f, FAKE_GSI0), 1);
	assert_int_equal(mmio_r(f, PBA, 1), 0x1);
	/* function mask: the same */
	msix_ctrl(f, PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL);
	assert_int_equal(pci_msix_notify(&f->s.dev, 1), 0);
	assert_int_equal(efd_take(f, FAKE_GSI0), 0);
	assert_int_equal(mmio_r(f, PBA, 1), 0x3);
	msix_ctrl(f, PCI_MSIX_FLAGS_ENABLE);
	assert_int_equal(efd_take(f, FAKE_GSI0), 1);
	assert_int_equal(mmio_r(f, PBA, 1), 0x1);
	assert_int_equal(f->msi.calls, 0);
}

static void test_fd_fallback_no_route(void **state)
{
	struct fix *f = *state;

	fd_setup(f);
	f->msi.fail_add = -ENOSPC;
	assert_int_equal(pci_msix_notify(&f->s.dev, 1), 0);
	assert_int_equal(f->msi.route_adds, 1);
	assert_int_equal(f->msi.assigns, 0);
	assert_int_equal(f->msi.calls, 1);
	assert_true(f->msi.addr == 0xfee01000);
	assert_int_equal(f->msi.data, 0x4051);
	assert_int_equal(f->msi.devid, PCI_DEVFN(4, 0));
	/* the vector stays on the fallback: no retry per message */
	assert_int_equal(pci_msix_notify(&f->s.dev, 1), 0);
	assert_int_equal(f->msi.calls, 2);
	assert_int_equal(f->msi.route_adds, 1);
	/* masking still holds on the fallback */
	vec_mask(f, 1, true);
	assert_int_equal(pci_msix_notify(&f->s.dev, 1), 0);
	assert_int_equal(f->msi.calls, 2);
	vec_mask(f, 1, false);
	assert_int_equal(f->msi.calls, 3);
	/* disable and enable: the next message tries a route again */
	f->msi.fail_add = 0;
	msix_ctrl(f, 0);
	msix_ctrl(f, PCI_MSIX_FLAGS_ENABLE);
	assert_int_equal(pci_msix_notify(&f->s.dev, 1), 0);
	assert_int_equal(f->msi.route_adds, 2);
	assert_int_equal(efd_take(f, FAKE_GSI0), 1);
	assert_int_equal(f->msi.calls, 3);
}

static void test_fd_fallback_irqfd_fails(void **state)
{
	struct fix *f = *state;

	fd_setup(f);
	f->msi.fail_assign = -ENOSYS;
	assert_int_equal(pci_msix_notify(&f->s.dev, 1), 0);
	assert_int_equal(f->msi.assigns, 1);
	assert_int_equal(f->msi.route_frees, 1);	/* route given back */
	assert_int_equal(f->msi.live, 0);
	assert_int_equal(f->msi.calls, 1);
	assert_int_equal(f->msi.data, 0x4051);
}

static void test_fd_fallback_update_fails(void **state)
{
	struct fix *f = *state;
	int fd;

	fd_setup(f);
	assert_int_equal(pci_msix_notify(&f->s.dev, 1), 0);
	fd = f->msi.fd[0];
	assert_int_equal(efd_take(f, FAKE_GSI0), 1);
	f->msi.fail_update = -EIO;
	mmio_w32(f, ENTRY(1, PCI_MSIX_ENTRY_DATA), 0x4099);
	assert_int_equal(pci_msix_notify(&f->s.dev, 1), 0);
	/* sent with the new data through signal; the stale route is gone */
	assert_int_equal(f->msi.calls, 1);
	assert_int_equal(f->msi.data, 0x4099);
	assert_int_equal(f->msi.live, 0);
	assert_int_equal(f->msi.deassigns, 1);
	assert_true(fd_closed(fd));
}

static void test_fd_release(void **state)
{
	struct fix *f = *state;
	int fd0, fd1;

	fd_setup(f);
	vec_program(f, 2, 0xfee00000, 0x4052);
	vec_mask(f, 2, false);
	assert_int_equal(pci_msix_notify(&f->s.dev, 1), 0);
	assert_int_equal(pci_msix_notify(&f->s.dev, 2), 0);
	assert_int_equal(f->msi.live, 2);
	fd0 = f->msi.fd[0];
	fd1 = f->msi.fd[1];
	assert_true(fd0 >= 0 && fd1 >= 0 && fd0 != fd1);
	/* function mask keeps the routes, disable releases them */
	msix_ctrl(f, PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL);
	assert_int_equal(f->msi.live, 2);
	msix_ctrl(f, 0);
	assert_int_equal(f->msi.live, 0);
	assert_int_equal(f->msi.deassigns, 2);
	assert_true(fd_closed(fd0) && fd_closed(fd1));
	/* disabled: pending, and no route is made */
	assert_int_equal(pci_msix_notify(&f->s.dev, 1), 0);
	assert_int_equal(f->msi.route_adds, 2);
	/* enable: the pending vector gets a route; exit releases it */
	msix_ctrl(f, PCI_MSIX_FLAGS_ENABLE);
	assert_int_equal(f->msi.live, 1);
	assert_int_equal(efd_take(f, FAKE_GSI0), 1);
	fd0 = f->msi.fd[0];
	pci_dev_exit(&f->s.dev);
	assert_int_equal(f->msi.live, 0);
	assert_int_equal(f->msi.deassigns, 3);
	assert_true(fd_closed(fd0));
	assert_int_equal(f->msi.calls, 0);
}

/* Without all five route operations: signal, as before. */
static void test_fd_partial_ops(void **state)
{
	struct fix *f = *state;
	struct pci_msi_ops partial = fake_msi_fd;

	partial.irqfd_deassign = NULL;
	fd_setup(f);
	f->host.msi = &partial;
	assert_int_equal(pci_msix_notify(&f->s.dev, 1), 0);
	assert_int_equal(f->msi.calls, 1);
	assert_int_equal(f->msi.route_adds, 0);
	f->host.msi = &fake_msi;
	assert_int_equal(pci_msix_notify(&f->s.dev, 1), 0);
	assert_int_equal(f->msi.calls, 2);
	assert_int_equal(f->msi.route_adds, 0);
	/* routes only, no signal: the irqfd path still works */
	partial = fake_msi_fd;
	partial.signal = NULL;
	f->host.msi = &partial;
	assert_int_equal(pci_msix_notify(&f->s.dev, 1), 0);
	assert_int_equal(efd_take(f, FAKE_GSI0), 1);
	/* ... and a failing route then has nowhere to go */
	f->msi.fail_update = -EIO;
	mmio_w32(f, ENTRY(1, PCI_MSIX_ENTRY_DATA), 0x4000);
	assert_int_equal(pci_msix_notify(&f->s.dev, 1), -ENODEV);
	f->host.msi = &fake_msi_fd;
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_fd_irqfd_path),
		T(test_fd_route_update),
		T(test_fd_masked_no_write),
		T(test_fd_fallback_no_route),
		T(test_fd_fallback_irqfd_fails),
		T(test_fd_fallback_update_fails),
		T(test_fd_release),
		T(test_fd_partial_ops),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
