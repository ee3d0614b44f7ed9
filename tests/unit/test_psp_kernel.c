// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of sev/psp-kernel.c through the ioctl/open/close seam
 * (tests/unit/psp-seam.c): opening /dev/sev, SEV_ISSUE_CMD platform
 * commands, VM type selection by KVM_CAP_VM_TYPES, and KVM_SEV_INIT2
 * versus legacy INIT. Launch commands are in test_psp_kernel_vm.c. The
 * thin layer (sev/sev.c) is the real one, as in sevm.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <cmocka.h>

#include "sev/sev.h"
#include "tests/unit/psp-seam.h"
#include "tests/unit/sev-testlib.h"
#include "lib/log.h"

/* --- open */

static void test_open_flags_and_path(void **state)
{
	struct psp *psp = *state;

	assert_int_equal(open_calls, 1);
	assert_string_equal(open_path, "/dev/sev");
	assert_int_equal(open_flags, O_RDWR | O_CLOEXEC);
	assert_string_equal(psp->ops->name, "kernel");

	assert_int_equal(psp_open_kernel(&psp, "/fake/sev0"), 0);
	assert_string_equal(open_path, "/fake/sev0");
	psp_close(psp);
	assert_int_equal(nclosed, 1);
	assert_int_equal(closed[0], SEV_FD);
}

static void test_open_missing_device(void **state)
{
	struct psp dummy, *psp = &dummy;
	const char *log;

	open_sev_ret = -ENOENT;
	capture_start();
	assert_int_equal(psp_open_kernel(&psp, NULL), -ENOENT);
	log = capture_end();
	assert_null(psp);
	assert_int_equal(count_lines(log), 1);
	assert_non_null(strstr(log, "open /dev/sev failed: No such file or directory"));
	assert_non_null(strstr(log, "`sevm psp init --psp emulated:DIR`"));
	assert_non_null(strstr(log, "then pass `--psp emulated:DIR`"));

	open_sev_ret = -EACCES;
	capture_start();
	assert_int_equal(psp_open_kernel(&psp, NULL), -EACCES);
	log = capture_end();
	assert_int_equal(count_lines(log), 1);
	assert_non_null(strstr(log, "Permission denied"));
	assert_null(strstr(log, "emulated"));
}

/* --- platform commands: SEV_ISSUE_CMD on /dev/sev */

static void fill_status(void *data)
{
	struct sev_user_data_status *st = data;

	st->api_minor = 17;
	st->state = SEV_PSTATE_WORKING;
	st->build = 48;
	st->guest_count = 2;
}

static void test_platform_status(void **state)
{
	struct sev_user_data_status st;
	struct sev_issue_cmd ic;
	u32 fw = 99;

	answer(0, 0, 0, fill_status);
	assert_int_equal(sev_platform_status(*state, &st, &fw), 0);
	ic = call_issue(0);
	assert_int_equal(_IOC_SIZE(SEV_ISSUE_CMD), sizeof(ic));
	assert_int_equal(ic.cmd, SEV_PLATFORM_STATUS);
	assert_int_equal(ic.data, (u64)(uintptr_t)&st);
	/* The error field goes in as NO_FW_CALL (the kernel may keep it). */
	assert_int_equal(ic.error, NO_FW);
	assert_int_equal(fw, 0);
	assert_int_equal(st.api_minor, 17);
	assert_int_equal(st.state, SEV_PSTATE_WORKING);
	assert_int_equal(st.build, 48);
	assert_int_equal(st.guest_count, 2);
}

static void test_platform_fw_error(void **state)
{
	struct sev_issue_cmd ic;
	const char *log;
	u32 fw = 0;

	answer(-1, EIO, SEV_RET_INVALID_PLATFORM_STATE, NULL);
	capture_start();
	assert_int_equal(sev_pek_gen(*state, &fw), -EIO);
	log = capture_end();
	ic = call_issue(0);
	assert_int_equal(ic.cmd, SEV_PEK_GEN);
	assert_int_equal(ic.data, 0);
	assert_int_equal(fw, SEV_RET_INVALID_PLATFORM_STATE);
	assert_non_null(strstr(log, "sev_pek_gen: SEV_PEK_GEN failed: Input/output error (firmware status 0x1 INVALID_PLATFORM_STATE)"));
	assert_int_equal(count_lines(log), 1);
}

static void test_platform_ebadf(void **state)
{
	struct sev_user_data_status st;
	const char *log;
	u32 fw = 0;

	answer(-1, EBADF, KEEP_FW, NULL);
	capture_start();
	assert_int_equal(sev_platform_status(*state, &st, &fw), -EBADF);
	log = capture_end();
	assert_int_equal(fw, NO_FW);
	assert_non_null(strstr(log, "Bad file descriptor (firmware status 0xffffffff NO_FW_CALL)"));
}

static void fill_pdh_lengths(void *data)
{
	struct sev_user_data_pdh_cert_export *ex = data;

	ex->pdh_cert_len = 0x824;
	ex->cert_chain_len = 0x186c;
}

static void test_pdh_export_length_query(void **state)
{
	struct sev_user_data_pdh_cert_export ex, zero;
	u32 fw, pdh_len = 0, chain_len = 0;
	const char *log;

	answer(-1, EIO, SEV_RET_INVALID_LEN, fill_pdh_lengths);
	capture_start();
	assert_int_equal(sev_pdh_cert_export(*state, NULL, &pdh_len, NULL,
					     &chain_len, &fw), 0);
	log = capture_end();
	assert_string_equal(log, "");
	assert_int_equal(call_issue(0).cmd, SEV_PDH_CERT_EXPORT);
	memcpy(&ex, calls[0].data, sizeof(ex));
	memset(&zero, 0, sizeof(zero));
	assert_memory_equal(&ex, &zero, sizeof(ex));
	assert_int_equal(pdh_len, 0x824);
	assert_int_equal(chain_len, 0x186c);
	assert_int_equal(fw, SEV_RET_INVALID_LEN);
}

static void test_pek_cert_import_struct(void **state)
{
	struct sev_user_data_pek_cert_import imp;
	static const u8 pek[0x824], oca[0x824];
	u32 fw;

	answer(-1, EIO, SEV_RET_INVALID_CERTIFICATE, NULL);
	capture_start();
	assert_int_equal(sev_pek_cert_import(*state, pek, sizeof(pek), oca,
					     sizeof(oca), &fw), -EIO);
	capture_end();
	assert_int_equal(call_issue(0).cmd, SEV_PEK_CERT_IMPORT);
	memcpy(&imp, calls[0].data, sizeof(imp));
	assert_int_equal(imp.pek_cert_address, (u64)(uintptr_t)pek);
	assert_int_equal(imp.pek_cert_len, 0x824);
	assert_int_equal(imp.oca_cert_address, (u64)(uintptr_t)oca);
	assert_int_equal(imp.oca_cert_len, 0x824);
	assert_int_equal(fw, SEV_RET_INVALID_CERTIFICATE);
}

/* --- VM types and INIT */

static void test_vm_type_legacy_host(void **state)
{
	struct psp *psp = *state;

	/* This host: KVM_CAP_VM_TYPES = 1, only the default VM. */
	answer(1, 0, KEEP_FW, NULL);
	assert_int_equal(psp->ops->vm_type(psp, false), SEVM_KVM_X86_DEFAULT_VM);
	assert_int_equal(psp->ops->vm_type(psp, true), SEVM_KVM_X86_DEFAULT_VM);
	/* Probed once, on a lazily opened /dev/kvm. */
	assert_int_equal(ncalls, 1);
	assert_int_equal(calls[0].fd, KVM_FD);
	assert_int_equal(calls[0].req, KVM_CHECK_EXTENSION);
	assert_int_equal(calls[0].argval, SEVM_KVM_CAP_VM_TYPES);
	assert_string_equal(open_path, "/dev/kvm");
	assert_int_equal(open_flags, O_RDWR | O_CLOEXEC);
	psp_close(psp);
	*state = NULL;
	/* The backend's own /dev/kvm is closed with it. */
	assert_int_equal(nclosed, 2);
	assert_int_equal(closed[0], SEV_FD);
	assert_int_equal(closed[1], KVM_FD);
}

static void test_vm_type_sev_types(void **state)
{
	struct psp *psp = *state;

	psp_kernel_set_kvm_fd(psp, 1077);
	answer((1 << 0) | (1 << 2) | (1 << 3) | (1 << 4), 0, KEEP_FW, NULL);
	assert_int_equal(psp->ops->vm_type(psp, false), SEVM_KVM_X86_SEV_VM);
	assert_int_equal(psp->ops->vm_type(psp, true), SEVM_KVM_X86_SEV_ES_VM);
	assert_int_equal(calls[0].fd, 1077);
	assert_int_equal(open_calls, 1);	/* only /dev/sev */
	psp_close(psp);
	*state = NULL;
	/* A /dev/kvm fd that was handed in is not the backend's to close. */
	assert_int_equal(nclosed, 1);
	assert_int_equal(closed[0], SEV_FD);
}

static void test_vm_type_sev_only(void **state)
{
	struct psp *psp = *state;

	psp_kernel_set_kvm_fd(psp, KVM_FD);
	answer((1 << 0) | (1 << 2), 0, KEEP_FW, NULL);
	assert_int_equal(psp->ops->vm_type(psp, false), SEVM_KVM_X86_SEV_VM);
	assert_int_equal(psp->ops->vm_type(psp, true), SEVM_KVM_X86_DEFAULT_VM);
}

static void test_vm_type_probe_failures(void **state)
{
	struct psp *psp = *state;

	/* KVM_CHECK_EXTENSION fails: legacy. */
	psp_kernel_set_kvm_fd(psp, KVM_FD);
	answer(-1, EINVAL, KEEP_FW, NULL);
	assert_int_equal(psp->ops->vm_type(psp, false), SEVM_KVM_X86_DEFAULT_VM);
	/* No /dev/kvm at all: legacy, no ioctl. */
	psp_kernel_set_kvm_fd(psp, -1);
	open_kvm_ret = -ENOENT;
	assert_int_equal(psp->ops->vm_type(psp, true), SEVM_KVM_X86_DEFAULT_VM);
	assert_int_equal(ncalls, 1);
}

static void test_init_legacy(void **state)
{
	struct kvm_sev_cmd c;
	u32 fw = 5;

	psp_kernel_set_kvm_fd(*state, KVM_FD);
	answer(1, 0, KEEP_FW, NULL);		/* VM_TYPES: default only */
	answer(0, 0, 0, NULL);
	answer(0, 0, 0, NULL);
	assert_int_equal(sev_guest_init(*state, VM_FD, false, &fw), 0);
	assert_int_equal(sev_guest_init(*state, VM_FD, true, &fw), 0);
	assert_int_equal(fw, 0);
	assert_int_equal(ncalls, 3);
	c = call_cmd(1);
	assert_int_equal(calls[1].fd, VM_FD);
	assert_int_equal(c.id, KVM_SEV_INIT);
	assert_int_equal(c.data, 0);
	assert_int_equal(c.sev_fd, SEV_FD);
	c = call_cmd(2);
	assert_int_equal(c.id, KVM_SEV_ES_INIT);
	assert_int_equal(c.data, 0);
	assert_int_equal(c.sev_fd, SEV_FD);
}

static void test_init2_sev(void **state)
{
	struct sevm_kvm_sev_init init, zero;
	struct kvm_sev_cmd c;
	u32 fw;

	psp_kernel_set_kvm_fd(*state, KVM_FD);
	answer(0x1d, 0, KEEP_FW, NULL);
	answer(0, 0, 0, NULL);
	assert_int_equal(sev_guest_init(*state, VM_FD, false, &fw), 0);
	c = call_cmd(1);
	assert_int_equal(c.id, SEVM_KVM_SEV_INIT2);
	assert_int_equal(c.sev_fd, SEV_FD);
	assert_true(c.data != 0);
	memcpy(&init, calls[1].data, sizeof(init));
	memset(&zero, 0, sizeof(zero));
	assert_memory_equal(&init, &zero, sizeof(init));
	assert_int_equal(sizeof(init), 48);
}

static void fill_vmsa_features(void *data)
{
	*(u64 *)data = 1ull << 5;		/* DebugSwap */
}

static void test_init2_es_checks_vmsa_features(void **state)
{
	struct sevm_kvm_sev_init init;
	struct kvm_device_attr attr;
	struct kvm_sev_cmd c;
	u32 fw;

	psp_kernel_set_kvm_fd(*state, KVM_FD);
	answer(0x1d, 0, KEEP_FW, NULL);
	answer(0, 0, KEEP_FW, fill_vmsa_features);
	answer(0, 0, 0, NULL);
	assert_int_equal(sev_guest_init(*state, VM_FD, true, &fw), 0);
	assert_int_equal(calls[1].fd, KVM_FD);
	assert_int_equal(calls[1].req, KVM_GET_DEVICE_ATTR);
	memcpy(&attr, calls[1].arg, sizeof(attr));
	assert_int_equal(attr.group, SEVM_KVM_X86_GRP_SEV);
	assert_int_equal(attr.attr, SEVM_KVM_X86_SEV_VMSA_FEATURES);
	assert_int_equal(attr.flags, 0);
	assert_true(attr.addr != 0);
	c = call_cmd(2);
	assert_int_equal(c.id, SEVM_KVM_SEV_INIT2);
	memcpy(&init, calls[2].data, sizeof(init));
	/* No VMSA features are asked for: the measurement stays fixed. */
	assert_int_equal(init.vmsa_features, 0);
	assert_int_equal(init.flags, 0);
	assert_int_equal(init.ghcb_version, 0);
}

static void test_init2_es_attr_missing(void **state)
{
	const char *log;
	u32 fw = 0;

	psp_kernel_set_kvm_fd(*state, KVM_FD);
	answer(0x1d, 0, KEEP_FW, NULL);
	answer(-1, ENXIO, KEEP_FW, NULL);
	capture_start();
	assert_int_equal(sev_guest_init(*state, VM_FD, true, &fw), -ENXIO);
	log = capture_end();
	/* INIT2 was not issued. */
	assert_int_equal(ncalls, 2);
	assert_int_equal(fw, NO_FW);
	assert_non_null(strstr(log, "KVM_GET_DEVICE_ATTR (KVM_X86_SEV_VMSA_FEATURES) failed"));
	assert_non_null(strstr(log, "SEV-ES guest init failed"));
}

static void test_init_firmware_error(void **state)
{
	u32 fw = 0;

	psp_kernel_set_kvm_fd(*state, KVM_FD);
	answer(1, 0, KEEP_FW, NULL);
	answer(-1, EIO, SEV_RET_SECURE_DATA_INVALID, NULL);
	capture_start();
	assert_int_equal(sev_guest_init(*state, VM_FD, false, &fw), -EIO);
	capture_end();
	assert_int_equal(fw, SEV_RET_SECURE_DATA_INVALID);
}

#define T(f) cmocka_unit_test_setup_teardown(f, seam_setup, seam_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_open_flags_and_path),
		T(test_open_missing_device),
		T(test_platform_status),
		T(test_platform_fw_error),
		T(test_platform_ebadf),
		T(test_pdh_export_length_query),
		T(test_pek_cert_import_struct),
		T(test_vm_type_legacy_host),
		T(test_vm_type_sev_types),
		T(test_vm_type_sev_only),
		T(test_vm_type_probe_failures),
		T(test_init_legacy),
		T(test_init2_sev),
		T(test_init2_es_checks_vmsa_features),
		T(test_init2_es_attr_missing),
		T(test_init_firmware_error),
	};

	log_init("test_psp_kernel");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
