// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of sev/psp-kernel.c through the ioctl seam
 * (tests/unit/psp-seam.c): the KVM_MEMORY_ENCRYPT_OP launch commands with
 * their structs, firmware errors, the LAUNCH_MEASURE and ATTESTATION
 * length queries, EBADF
 * and ENOTTY, and the encrypted-region ioctls.
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

/* --- launch commands: KVM_MEMORY_ENCRYPT_OP */

static void fill_handle(void *data)
{
	((struct kvm_sev_launch_start *)data)->handle = 0xabc;
}

static void test_launch_start(void **state)
{
	struct kvm_sev_launch_start ls;
	static const u8 dh[0x824], session[0x80];
	struct kvm_sev_cmd c;
	u32 fw, handle = 0;

	answer(0, 0, 0, fill_handle);
	assert_int_equal(sev_cmd_launch_start(*state, VM_FD, 0x33, dh, sizeof(dh),
					      session, sizeof(session), &handle,
					      &fw), 0);
	c = call_cmd(0);
	assert_int_equal(calls[0].fd, VM_FD);
	assert_int_equal(c.id, KVM_SEV_LAUNCH_START);
	assert_int_equal(c.sev_fd, SEV_FD);
	assert_int_equal(c.error, NO_FW);
	memcpy(&ls, calls[0].data, sizeof(ls));
	assert_int_equal(sizeof(ls), 40);
	assert_int_equal(ls.handle, 0);
	assert_int_equal(ls.policy, 0x33);
	assert_int_equal(ls.dh_uaddr, (u64)(uintptr_t)dh);
	assert_int_equal(ls.dh_len, 0x824);
	assert_int_equal(ls.session_uaddr, (u64)(uintptr_t)session);
	assert_int_equal(ls.session_len, 0x80);
	assert_int_equal(handle, 0xabc);
	assert_int_equal(fw, 0);
}

static void test_launch_start_policy_failure(void **state)
{
	const char *log;
	u32 fw = 0, handle = 0;

	answer(-1, EIO, SEV_RET_POLICY_FAILURE, NULL);
	capture_start();
	assert_int_equal(sev_cmd_launch_start(*state, VM_FD, 0x37, NULL, 0, NULL,
					      0, &handle, &fw), -EIO);
	log = capture_end();
	assert_int_equal(fw, SEV_RET_POLICY_FAILURE);
	assert_string_equal(log,
		"test_psp_kernel_vm: error: sev_cmd_launch_start: KVM_SEV_LAUNCH_START (policy 0x37) failed: Input/output error (firmware status 0x7 POLICY_FAILURE)\n");
}

static void test_launch_start_bad_sev_fd(void **state)
{
	u32 fw = 0, handle = 0;

	/* KVM: sev_fd is not a /dev/sev file. */
	answer(-1, EBADF, KEEP_FW, NULL);
	capture_start();
	assert_int_equal(sev_cmd_launch_start(*state, VM_FD, 0x33, NULL, 0, NULL,
					      0, &handle, &fw), -EBADF);
	capture_end();
	assert_int_equal(fw, NO_FW);
}

static void test_launch_update_data(void **state)
{
	struct kvm_sev_launch_update_data ud;
	static u8 ram[8192];
	u32 fw;

	answer(0, 0, 0, NULL);
	assert_int_equal(sev_launch_update_data(*state, VM_FD, ram + 4096,
						4096, &fw), 0);
	assert_int_equal(call_cmd(0).id, KVM_SEV_LAUNCH_UPDATE_DATA);
	assert_int_equal(call_cmd(0).sev_fd, SEV_FD);
	memcpy(&ud, calls[0].data, sizeof(ud));
	assert_int_equal(sizeof(ud), 16);
	assert_int_equal(ud.uaddr, (u64)(uintptr_t)(ram + 4096));
	assert_int_equal(ud.len, 4096);
}

static void test_launch_update_vmsa_enotty(void **state)
{
	struct kvm_sev_cmd c;
	const char *log;
	u32 fw = 0;

	/* UPDATE_VMSA on a non-ES VM: ENOTTY, firmware not reached. */
	answer(-1, ENOTTY, KEEP_FW, NULL);
	capture_start();
	assert_int_equal(sev_launch_update_vmsa(*state, VM_FD, &fw), -ENOTTY);
	log = capture_end();
	c = call_cmd(0);
	assert_int_equal(c.id, KVM_SEV_LAUNCH_UPDATE_VMSA);
	assert_int_equal(c.data, 0);
	assert_int_equal(fw, NO_FW);
	assert_non_null(strstr(log, "KVM_SEV_LAUNCH_UPDATE_VMSA failed: Inappropriate ioctl for device (firmware status 0xffffffff NO_FW_CALL)"));
}

static void fill_measure_len(void *data)
{
	((struct kvm_sev_launch_measure *)data)->len = 48;
}

static void test_launch_measure_query_then_fetch(void **state)
{
	struct kvm_sev_launch_measure lm;
	u8 blob[48];
	const char *log;
	u32 fw = 0, len = 0;

	/* Length query: -1/EIO, error INVALID_LEN, len = 48 written back. */
	answer(-1, EIO, SEV_RET_INVALID_LEN, fill_measure_len);
	answer(0, 0, 0, NULL);
	capture_start();
	assert_int_equal(sev_cmd_launch_measure(*state, VM_FD, NULL, &len, &fw), 0);
	log = capture_end();
	assert_string_equal(log, "");
	assert_int_equal(len, 48);
	assert_int_equal(fw, SEV_RET_INVALID_LEN);
	memcpy(&lm, calls[0].data, sizeof(lm));
	assert_int_equal(lm.uaddr, 0);
	assert_int_equal(lm.len, 0);

	assert_int_equal(sev_cmd_launch_measure(*state, VM_FD, blob, &len, &fw), 0);
	assert_int_equal(call_cmd(1).id, KVM_SEV_LAUNCH_MEASURE);
	memcpy(&lm, calls[1].data, sizeof(lm));
	assert_int_equal(lm.uaddr, (u64)(uintptr_t)blob);
	assert_int_equal(lm.len, 48);
	assert_int_equal(fw, 0);
}

static void fill_report_len(void *data)
{
	((struct kvm_sev_attestation_report *)data)->len = 208;
}

/*
 * KVM_SEV_GET_ATTESTATION_REPORT (id 20): the len 0 query (-1/EIO,
 * INVALID_LEN, 208 back, nothing logged, no mnonce sent), then the report
 * with the mnonce and the buffer; a firmware refusal is logged.
 */
static void test_attestation_report(void **state)
{
	static const u8 nonce[16] = "0123456789abcdef";
	struct kvm_sev_attestation_report ar;
	u8 rep[208];
	const char *log;
	u32 fw = 0, len = 0;

	answer(-1, EIO, SEV_RET_INVALID_LEN, fill_report_len);
	answer(0, 0, 0, NULL);
	answer(-1, EIO, SEV_RET_INVALID_GUEST_STATE, NULL);
	capture_start();
	assert_int_equal(sev_attestation_report(*state, VM_FD, nonce, NULL,
						&len, &fw), 0);
	log = capture_end();
	assert_string_equal(log, "");
	assert_int_equal(len, 208);
	assert_int_equal(fw, SEV_RET_INVALID_LEN);
	assert_int_equal(call_cmd(0).id, KVM_SEV_GET_ATTESTATION_REPORT);
	assert_int_equal(call_cmd(0).id, 20);
	assert_int_equal(sizeof(ar), 32);
	memcpy(&ar, calls[0].data, sizeof(ar));
	assert_int_equal(ar.uaddr, 0);
	assert_int_equal(ar.len, 0);

	assert_int_equal(sev_attestation_report(*state, VM_FD, nonce, rep,
						&len, &fw), 0);
	assert_int_equal(fw, 0);
	assert_int_equal(call_cmd(1).sev_fd, SEV_FD);
	memcpy(&ar, calls[1].data, sizeof(ar));
	assert_memory_equal(ar.mnonce, nonce, 16);
	assert_int_equal(ar.uaddr, (u64)(uintptr_t)rep);
	assert_int_equal(ar.len, 208);

	capture_start();
	assert_int_equal(sev_attestation_report(*state, VM_FD, nonce, rep,
						&len, &fw), -EIO);
	log = capture_end();
	assert_int_equal(fw, SEV_RET_INVALID_GUEST_STATE);
	assert_non_null(strstr(log, "sev_attestation_report: KVM_SEV_GET_ATTESTATION_REPORT failed: Input/output error (firmware status 0x2 INVALID_GUEST_STATE)"));
}

static void test_launch_secret(void **state)
{
	struct kvm_sev_launch_secret ls;
	static const u8 hdr[0x34], trans[0x50];
	static u8 guest[4096];
	u32 fw = 0;

	answer(-1, EIO, SEV_RET_BAD_MEASUREMENT, NULL);
	capture_start();
	assert_int_equal(sev_launch_secret(*state, VM_FD, hdr, sizeof(hdr),
					   guest, 0x50, trans, sizeof(trans),
					   &fw), -EIO);
	capture_end();
	assert_int_equal(call_cmd(0).id, KVM_SEV_LAUNCH_SECRET);
	memcpy(&ls, calls[0].data, sizeof(ls));
	assert_int_equal(sizeof(ls), 48);
	assert_int_equal(ls.hdr_uaddr, (u64)(uintptr_t)hdr);
	assert_int_equal(ls.hdr_len, 0x34);
	assert_int_equal(ls.guest_uaddr, (u64)(uintptr_t)guest);
	assert_int_equal(ls.guest_len, 0x50);
	assert_int_equal(ls.trans_uaddr, (u64)(uintptr_t)trans);
	assert_int_equal(ls.trans_len, 0x50);
	assert_int_equal(fw, SEV_RET_BAD_MEASUREMENT);
}

static void fill_guest_status(void *data)
{
	struct kvm_sev_guest_status *gs = data;

	gs->handle = 0xabc;
	gs->policy = 0x33;
	gs->state = SEV_GSTATE_RUNNING;
}

static void test_finish_and_status(void **state)
{
	struct kvm_sev_guest_status gs;
	u32 fw;

	answer(0, 0, 0, NULL);
	answer(0, 0, 0, fill_guest_status);
	assert_int_equal(sev_cmd_launch_finish(*state, VM_FD, &fw), 0);
	assert_int_equal(call_cmd(0).id, KVM_SEV_LAUNCH_FINISH);
	assert_int_equal(call_cmd(0).data, 0);
	assert_int_equal(sev_guest_status(*state, VM_FD, &gs, &fw), 0);
	assert_int_equal(call_cmd(1).id, KVM_SEV_GUEST_STATUS);
	assert_int_equal(call_cmd(1).data, (u64)(uintptr_t)&gs);
	assert_int_equal(gs.handle, 0xabc);
	assert_int_equal(gs.state, SEV_GSTATE_RUNNING);
}

static void test_guest_status_not_sev_vm(void **state)
{
	struct kvm_sev_guest_status gs;
	u32 fw = 0;

	answer(-1, ENOTTY, KEEP_FW, NULL);
	capture_start();
	assert_int_equal(sev_guest_status(*state, VM_FD, &gs, &fw), -ENOTTY);
	assert_int_equal(count_lines(capture_end()), 1);
	assert_int_equal(fw, NO_FW);
}

/* --- regions */

static void test_regions(void **state)
{
	struct kvm_enc_region r;
	static u8 ram[16384];
	const char *log;

	answer(0, 0, KEEP_FW, NULL);
	answer(0, 0, KEEP_FW, NULL);
	answer(-1, EINVAL, KEEP_FW, NULL);
	assert_int_equal(sev_reg_region(*state, VM_FD, ram, sizeof(ram)), 0);
	assert_int_equal(calls[0].fd, VM_FD);
	assert_int_equal(calls[0].req, KVM_MEMORY_ENCRYPT_REG_REGION);
	memcpy(&r, calls[0].arg, sizeof(r));
	assert_int_equal(r.addr, (u64)(uintptr_t)ram);
	assert_int_equal(r.size, sizeof(ram));
	assert_int_equal(sev_unreg_region(*state, VM_FD, ram, sizeof(ram)), 0);
	assert_int_equal(calls[1].req, KVM_MEMORY_ENCRYPT_UNREG_REGION);
	memcpy(&r, calls[1].arg, sizeof(r));
	assert_int_equal(r.size, sizeof(ram));
	/* UNREG with another size: EINVAL, logged. */
	capture_start();
	assert_int_equal(sev_unreg_region(*state, VM_FD, ram, 4096), -EINVAL);
	log = capture_end();
	assert_non_null(strstr(log, "KVM_MEMORY_ENCRYPT_UNREG_REGION ("));
	assert_non_null(strstr(log, "Invalid argument"));
}

static void test_release_is_noop(void **state)
{
	struct psp *psp = *state;

	sev_vm_release(psp, VM_FD);
	assert_int_equal(ncalls, 0);
	assert_int_equal(nclosed, 0);
}

static void test_set_kvm_fd_other_backend(void **state)
{
	static const struct psp_ops other = { .name = "other" };
	struct psp p = { .ops = &other, .priv = NULL };

	/* Not the kernel backend: ignored (priv is not touched). */
	psp_kernel_set_kvm_fd(&p, 5);
	psp_kernel_set_kvm_fd(NULL, 5);
	assert_null(p.priv);
}

#define T(f) cmocka_unit_test_setup_teardown(f, seam_setup, seam_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_launch_start),
		T(test_launch_start_policy_failure),
		T(test_launch_start_bad_sev_fd),
		T(test_launch_update_data),
		T(test_launch_update_vmsa_enotty),
		T(test_launch_measure_query_then_fetch),
		T(test_attestation_report),
		T(test_launch_secret),
		T(test_finish_and_status),
		T(test_guest_status_not_sev_vm),
		T(test_regions),
		T(test_release_is_noop),
		T(test_set_kvm_fd_other_backend),
	};

	log_init("test_psp_kernel_vm");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
