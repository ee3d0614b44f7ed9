// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of devices/pci/msix.c and dump.c: the MSI-X capability,
 * table and PBA in a BAR, mask/pending/unmask through a fake delivery
 * (the pci_msi_ops seam), bad layouts, and pci_dump decoded by
 * `lspci -F` when pciutils is installed (skipped otherwise).
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

#include "tests/unit/pci-test.h"

#define MSIX_BAR	0xd0000000ULL
#define TABLE		(MSIX_BAR + 0x2000)
#define PBA		(MSIX_BAR + 0x3000)

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

/* The sample at 00:04.0 with BAR2 (MSI-X) at MSIX_BAR, decoding. */
static u8 msix_setup(struct fix *f)
{
	u8 fn;

	sample_build(&f->s);
	assert_int_equal(pci_host_add(&f->host, &f->s.dev, 4), 0);
	fn = f->s.dev.devfn;
	pci_cfg_write(&f->host, 0, fn, 0x18, 4, (u32)MSIX_BAR);
	pci_cfg_write(&f->host, 0, fn, PCI_COMMAND, 2, PCI_COMMAND_MEMORY);
	/* vector 1: address, data */
	mmio_w32(f, TABLE + 16, 0xfee01000);
	mmio_w32(f, TABLE + 20, 0);
	mmio_w32(f, TABLE + 24, 0x4051);
	return fn;
}

static void msix_ctrl(struct fix *f, u8 fn, u16 bits)
{
	pci_cfg_write(&f->host, 0, fn, 0x50 + PCI_MSIX_FLAGS, 2, bits);
}

static void test_msix_cap_and_table(void **state)
{
	struct fix *f = *state;
	u8 fn = msix_setup(f);

	/* capability: 4 vectors, table BAR2+0x2000, PBA BAR2+0x3000 */
	assert_int_equal(pci_cfg_read(&f->host, 0, fn, 0x50, 4), 0x00030011);
	assert_int_equal(pci_cfg_read(&f->host, 0, fn, 0x54, 4), 0x2002);
	assert_int_equal(pci_cfg_read(&f->host, 0, fn, 0x58, 4), 0x3002);
	/* table size is read-only */
	msix_ctrl(f, fn, 0x07ff);
	assert_int_equal(pci_cfg_read(&f->host, 0, fn, 0x52, 2), 3);
	/* entries read back; vectors start masked; reserved ctrl bits 0 */
	assert_int_equal(mmio_r(f, TABLE + 16, 4), 0xfee01000);
	assert_int_equal(mmio_r(f, TABLE + 24, 4), 0x4051);
	assert_int_equal(mmio_r(f, TABLE + 28, 4), 1);
	mmio_w32(f, TABLE + 28, 0xfffffffe);
	assert_int_equal(mmio_r(f, TABLE + 28, 4), 0);
	mmio_w32(f, TABLE + 28, 1);
	/* 8-byte access, and an access the device handler serves */
	assert_true(mmio_r(f, TABLE + 16, 8) == 0xfee01000ULL);
	f->s.io_calls = 0;
	assert_int_equal(mmio_r(f, MSIX_BAR + 0x100, 1), 0x5a);
	assert_int_equal(f->s.io_calls, 1);
	/* PBA is read-only */
	mmio_w32(f, PBA, 0xf);
	assert_int_equal(mmio_r(f, PBA, 8), 0);
	assert_int_equal(f->s.io_calls, 1);
}

static void test_msix_pending(void **state)
{
	struct fix *f = *state;
	u8 fn = msix_setup(f);

	/* disabled: pending, nothing sent */
	assert_false(pci_msix_enabled(&f->s.dev));
	assert_int_equal(pci_msix_notify(&f->s.dev, 1), 0);
	assert_int_equal(f->msi.calls, 0);
	assert_int_equal(mmio_r(f, PBA, 1), 0x2);
	/* enabled but vector masked: still pending */
	msix_ctrl(f, fn, PCI_MSIX_FLAGS_ENABLE);
	assert_true(pci_msix_enabled(&f->s.dev));
	assert_int_equal(f->msi.calls, 0);
	assert_true(pci_msix_vector_masked(&f->s.dev, 1));
	/* unmask: the pending vector fires, the bit clears */
	mmio_w32(f, TABLE + 28, 0);
	assert_int_equal(f->msi.calls, 1);
	assert_true(f->msi.addr == 0xfee01000);
	assert_int_equal(f->msi.data, 0x4051);
	assert_int_equal(f->msi.devid, PCI_DEVFN(4, 0));
	assert_int_equal(mmio_r(f, PBA, 1), 0);
	/* unmasked: sent at once */
	assert_int_equal(pci_msix_notify(&f->s.dev, 1), 0);
	assert_int_equal(f->msi.calls, 2);
	/* function mask: pending until cleared */
	msix_ctrl(f, fn, PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL);
	assert_int_equal(pci_msix_notify(&f->s.dev, 1), 0);
	assert_int_equal(f->msi.calls, 2);
	assert_int_equal(mmio_r(f, PBA, 1), 0x2);
	/* a table update takes effect for the next message */
	mmio_w32(f, TABLE + 24, 0x4062);
	msix_ctrl(f, fn, PCI_MSIX_FLAGS_ENABLE);
	assert_int_equal(f->msi.calls, 3);
	assert_int_equal(f->msi.data, 0x4062);
	/* a masked vector 0 never fires */
	assert_int_equal(pci_msix_notify(&f->s.dev, 0), 0);
	assert_int_equal(f->msi.calls, 3);
	assert_int_equal(mmio_r(f, PBA, 1), 0x1);
	/* errors */
	assert_int_equal(pci_msix_notify(&f->s.dev, 4), -EINVAL);
	assert_non_null(strstr(err_capture.last, "vector 4"));
	assert_int_equal(pci_msix_notify(&f->host.mch, 0), -EINVAL);
}

static void test_msix_bad_layout(void **state)
{
	struct pci_dev d;

	pci_dev_init(&d, "bad", &sample_ids, NULL, NULL);
	assert_int_equal(pci_bar_init(&d, 0, PCI_BAR_MEM32, false, 0x1000,
				      NULL, NULL), 0);
	assert_int_equal(pci_bar_init(&d, 1, PCI_BAR_IO, false, 0x100,
				      NULL, NULL), 0);
	/* overlap, outside the BAR, I/O BAR, misaligned, 0 vectors */
	assert_int_equal(pci_msix_init(&d, 4, 0, 0, 0, 0x20), -EINVAL);
	assert_int_equal(pci_msix_init(&d, 4, 0, 0xff8, 0, 0), -EINVAL);
	assert_int_equal(pci_msix_init(&d, 4, 1, 0, 0, 0x800), -EINVAL);
	assert_int_equal(pci_msix_init(&d, 4, 0, 4, 0, 0x800), -EINVAL);
	assert_int_equal(pci_msix_init(&d, 0, 0, 0, 0, 0x800), -EINVAL);
	assert_int_equal(pci_msix_init(&d, 4, 3, 0, 0, 0x800), -EINVAL);
	assert_non_null(strstr(err_capture.last, "invalid layout"));
	assert_int_equal(pci_msix_init(&d, 4, 0, 0, 0, 0x800), 0);
	assert_int_equal(pci_msix_init(&d, 4, 0, 0, 0, 0x800), -EINVAL);
	pci_dev_exit(&d);
	assert_null(d.msix);
}

/* Without a delivery seam MSI-X reports -ENODEV. */
static void test_msix_no_sink(void **state)
{
	struct fix *f = *state;
	u8 fn = msix_setup(f);

	f->host.msi = NULL;
	msix_ctrl(f, fn, PCI_MSIX_FLAGS_ENABLE);
	mmio_w32(f, TABLE + 28, 0);
	assert_int_equal(pci_msix_notify(&f->s.dev, 1), -ENODEV);
	f->host.msi = &fake_msi;
}

/* pci_dump, decoded by lspci -F when pciutils is installed. */
static void test_dump_lspci(void **state)
{
	struct fix *f = *state;
	char path[] = "/tmp/sevm-pci-XXXXXX", cmd[128], out[16384];
	size_t n;
	FILE *fp;
	u8 fn = msix_setup(f);
	int fd;

	msix_ctrl(f, fn, PCI_MSIX_FLAGS_ENABLE);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	fp = fdopen(fd, "w");
	assert_non_null(fp);
	assert_int_equal(pci_dump(&f->host, fp), 0);
	fclose(fp);
	if (access("/usr/bin/lspci", X_OK)) {
		unlink(path);
		skip();
	}
	snprintf(cmd, sizeof(cmd), "lspci -F %s -vvv -n 2>&1", path);
	fp = popen(cmd, "r");
	assert_non_null(fp);
	n = fread(out, 1, sizeof(out) - 1, fp);
	out[n] = 0;
	pclose(fp);
	unlink(path);
	if (getenv("TEST_PCI_SHOW"))
		fputs(out, stderr);
	assert_non_null(strstr(out, "00:00.0 0600: 8086:29c0"));
	assert_non_null(strstr(out, "Subsystem: 1af4:1100"));
	assert_non_null(strstr(out, "00:04.0 0100: 1af4:1042 (rev 01)"));
	assert_non_null(strstr(out, "MSI-X: Enable+ Count=4"));
	assert_non_null(strstr(out, "Vector table: BAR=2 offset=00002000"));
	assert_non_null(strstr(out, "PBA: BAR=2 offset=00003000"));
	assert_non_null(strstr(out, "[40] Vendor Specific Information"));
	assert_non_null(strstr(out, "at d0000000 (64-bit, prefetchable)"));
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_msix_cap_and_table),
		T(test_msix_pending),
		T(test_msix_bad_layout),
		T(test_msix_no_sink),
		T(test_dump_lspci),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
