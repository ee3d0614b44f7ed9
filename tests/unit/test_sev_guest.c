// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of sev/sev.c, the thin layer, guest commands (KVM_SEV_*)
 * against a fake backend (tests/unit/sev-fake.c), and the host CPUID
 * 0x8000001F helpers through their seam.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sev/sev.h"
#include "tests/unit/sev-fake.h"
#include "tests/unit/sev-testlib.h"
#include "lib/log.h"

/* --- guest commands */

static void test_guest_init(void **state)
{
	const char *log;
	u32 fw = 0;

	assert_int_equal(sev_guest_init(&fake_psp, 42, true, &fw), 0);
	assert_int_equal(fake.vm_fd, 42);
	assert_true(fake.es);
	assert_int_equal(fw, 0);

	fake.r = -EINVAL;
	fake.leave_fw = true;
	capture_start();
	assert_int_equal(sev_guest_init(&fake_psp, 43, false, &fw), -EINVAL);
	log = capture_end();
	assert_false(fake.es);
	assert_int_equal(fw, NO_FW);
	assert_non_null(strstr(log, "sev_guest_init: SEV guest init failed: Invalid argument (firmware status 0xffffffff NO_FW_CALL)"));
}

static void answer_handle(void *data)
{
	struct kvm_sev_launch_start *ls = data;

	ls->handle = 0x1234;
}

static void test_launch_start(void **state)
{
	struct kvm_sev_launch_start seen;
	static const u8 dh[0x824], session[0x80];
	u32 fw, handle = 0;

	fake.copy_len = sizeof(seen);
	fake.answer = answer_handle;
	assert_int_equal(sev_cmd_launch_start(&fake_psp, 7, 0x33, dh, sizeof(dh),
					      session, sizeof(session), &handle,
					      &fw), 0);
	assert_int_equal(fake.cmd, KVM_SEV_LAUNCH_START);
	assert_int_equal(fake.vm_fd, 7);
	memcpy(&seen, fake.seen, sizeof(seen));
	assert_int_equal(seen.handle, 0);
	assert_int_equal(seen.policy, 0x33);
	assert_int_equal(seen.dh_uaddr, (u64)(uintptr_t)dh);
	assert_int_equal(seen.dh_len, 0x824);
	assert_int_equal(seen.session_uaddr, (u64)(uintptr_t)session);
	assert_int_equal(seen.session_len, 0x80);
	assert_int_equal(handle, 0x1234);
}

static void test_launch_start_unsupplied_blobs(void **state)
{
	struct kvm_sev_launch_start seen;
	u32 fw, handle = 5;

	/* NULL blobs are "not supplied": address and length 0. */
	fake.copy_len = sizeof(seen);
	fake.answer = answer_handle;
	assert_int_equal(sev_cmd_launch_start(&fake_psp, 7, 1, NULL, 0x824, NULL,
					      0x80, &handle, &fw), 0);
	memcpy(&seen, fake.seen, sizeof(seen));
	assert_int_equal(seen.handle, 5);
	assert_int_equal(seen.dh_uaddr | seen.dh_len, 0);
	assert_int_equal(seen.session_uaddr | seen.session_len, 0);
	/* A NULL handle asks for a new context and is not written. */
	assert_int_equal(sev_cmd_launch_start(&fake_psp, 7, 1, NULL, 0, NULL, 0,
					      NULL, &fw), 0);
	memcpy(&seen, fake.seen, sizeof(seen));
	assert_int_equal(seen.handle, 0);
}

static void test_launch_start_policy_failure(void **state)
{
	const char *log;
	u32 fw = 0, handle = 0;

	fake.r = -EIO;
	fake.fw = SEV_RET_POLICY_FAILURE;
	fake.answer = answer_handle;
	capture_start();
	assert_int_equal(sev_cmd_launch_start(&fake_psp, 7, 0x33, NULL, 0, NULL, 0,
					      &handle, &fw), -EIO);
	log = capture_end();
	assert_int_equal(fw, SEV_RET_POLICY_FAILURE);
	assert_int_equal(handle, 0);
	assert_string_equal(log,
		"test_sev_guest: error: sev_cmd_launch_start: KVM_SEV_LAUNCH_START (policy 0x33) failed: Input/output error (firmware status 0x7 POLICY_FAILURE)\n");
}

static void test_launch_update_data(void **state)
{
	struct kvm_sev_launch_update_data seen;
	static u8 buf[4096];
	const char *log;
	u32 fw;

	fake.copy_len = sizeof(seen);
	assert_int_equal(sev_launch_update_data(&fake_psp, 9, buf, 4096, &fw),
			 0);
	assert_int_equal(fake.cmd, KVM_SEV_LAUNCH_UPDATE_DATA);
	assert_int_equal(fake.vm_fd, 9);
	memcpy(&seen, fake.seen, sizeof(seen));
	assert_int_equal(seen.uaddr, (u64)(uintptr_t)buf);
	assert_int_equal(seen.len, 4096);

	fake.r = -EIO;
	fake.fw = SEV_RET_INVALID_GUEST_STATE;
	capture_start();
	assert_int_equal(sev_launch_update_data(&fake_psp, 9, buf, 16, &fw),
			 -EIO);
	log = capture_end();
	assert_non_null(strstr(log, "len 0x10) failed: Input/output error (firmware status 0x2 INVALID_GUEST_STATE)"));
}

static void test_no_data_guest_cmds(void **state)
{
	u32 fw;

	fake.copy_len = 8;
	assert_int_equal(sev_launch_update_vmsa(&fake_psp, 4, &fw), 0);
	assert_int_equal(fake.cmd, KVM_SEV_LAUNCH_UPDATE_VMSA);
	assert_null(fake.data);
	assert_int_equal(sev_cmd_launch_finish(&fake_psp, 4, &fw), 0);
	assert_int_equal(fake.cmd, KVM_SEV_LAUNCH_FINISH);
	assert_null(fake.data);
	assert_int_equal(fake.calls, 2);
}

static void answer_measure_len(void *data)
{
	struct kvm_sev_launch_measure *lm = data;

	lm->len = 48;
}

static void test_launch_measure_query(void **state)
{
	struct kvm_sev_launch_measure seen;
	const char *log;
	u32 fw = 0, len = 0;

	/* KVM: -1/EIO, error INVALID_LEN, len written back. */
	fake.r = -EIO;
	fake.fw = SEV_RET_INVALID_LEN;
	fake.answer = answer_measure_len;
	fake.copy_len = sizeof(seen);
	capture_start();
	assert_int_equal(sev_cmd_launch_measure(&fake_psp, 5, NULL, &len, &fw), 0);
	log = capture_end();
	assert_string_equal(log, "");
	assert_int_equal(len, 48);
	assert_int_equal(fw, SEV_RET_INVALID_LEN);
	memcpy(&seen, fake.seen, sizeof(seen));
	assert_int_equal(seen.uaddr | seen.len, 0);
	assert_int_equal(fake.cmd, KVM_SEV_LAUNCH_MEASURE);
}

static void test_launch_measure_fetch(void **state)
{
	struct kvm_sev_launch_measure seen;
	u8 blob[48];
	u32 fw, len = sizeof(blob);

	fake.copy_len = sizeof(seen);
	fake.answer = answer_measure_len;
	assert_int_equal(sev_cmd_launch_measure(&fake_psp, 5, blob, &len, &fw), 0);
	memcpy(&seen, fake.seen, sizeof(seen));
	assert_int_equal(seen.uaddr, (u64)(uintptr_t)blob);
	assert_int_equal(seen.len, 48);
	assert_int_equal(len, 48);
	assert_int_equal(fw, 0);

	/* Wrong guest state: an error, and *len is left alone. */
	fake.r = -EIO;
	fake.fw = SEV_RET_INVALID_GUEST_STATE;
	fake.answer = NULL;
	len = 0;
	capture_start();
	assert_int_equal(sev_cmd_launch_measure(&fake_psp, 5, NULL, &len, &fw),
			 -EIO);
	assert_int_equal(count_lines(capture_end()), 1);
	assert_int_equal(len, 0);
}

static void test_launch_secret(void **state)
{
	struct kvm_sev_launch_secret seen;
	static const u8 hdr[0x34], trans[64];
	static u8 guest[4096];
	u32 fw;

	fake.copy_len = sizeof(seen);
	assert_int_equal(sev_launch_secret(&fake_psp, 6, hdr, sizeof(hdr),
					   guest + 16, 64, trans,
					   sizeof(trans), &fw), 0);
	assert_int_equal(fake.cmd, KVM_SEV_LAUNCH_SECRET);
	memcpy(&seen, fake.seen, sizeof(seen));
	assert_int_equal(seen.hdr_uaddr, (u64)(uintptr_t)hdr);
	assert_int_equal(seen.hdr_len, 0x34);
	assert_int_equal(seen.guest_uaddr, (u64)(uintptr_t)(guest + 16));
	assert_int_equal(seen.guest_len, 64);
	assert_int_equal(seen.trans_uaddr, (u64)(uintptr_t)trans);
	assert_int_equal(seen.trans_len, 64);
}

static void answer_guest_status(void *data)
{
	struct kvm_sev_guest_status *gs = data;

	gs->handle = 1;
	gs->policy = 0x33;
	gs->state = SEV_GSTATE_LSECRET;
}

static void test_guest_status(void **state)
{
	struct kvm_sev_guest_status gs;
	u32 fw;

	memset(&gs, 0xff, sizeof(gs));
	fake.copy_len = sizeof(gs);
	fake.answer = answer_guest_status;
	assert_int_equal(sev_guest_status(&fake_psp, 8, &gs, &fw), 0);
	assert_int_equal(fake.cmd, KVM_SEV_GUEST_STATUS);
	assert_ptr_equal(fake.data, &gs);
	assert_int_equal(fake.seen[0] | fake.seen[4] | fake.seen[8], 0);
	assert_int_equal(gs.policy, 0x33);
	assert_int_equal(gs.state, SEV_GSTATE_LSECRET);
}

static void test_regions(void **state)
{
	static u8 ram[8192];
	const char *log;

	assert_int_equal(sev_reg_region(&fake_psp, 11, ram, sizeof(ram)), 0);
	assert_true(fake.reg);
	assert_ptr_equal(fake.addr, ram);
	assert_int_equal(fake.size, sizeof(ram));
	assert_int_equal(fake.vm_fd, 11);
	assert_int_equal(sev_unreg_region(&fake_psp, 12, ram, 4096), 0);
	assert_false(fake.reg);
	assert_int_equal(fake.size, 4096);
	assert_int_equal(fake.vm_fd, 12);

	fake.r = -ENOMEM;
	capture_start();
	assert_int_equal(sev_reg_region(&fake_psp, 11, ram, 4096), -ENOMEM);
	log = capture_end();
	assert_non_null(strstr(log, "sev_reg_region: KVM_MEMORY_ENCRYPT_REG_REGION ("));
	assert_non_null(strstr(log, "size 0x1000) failed: Cannot allocate memory"));
	assert_int_equal(count_lines(log), 1);
}

static void test_release_and_close(void **state)
{
	sev_vm_release(&fake_psp, 13);
	assert_int_equal(fake.released, 1);
	assert_int_equal(fake.vm_fd, 13);
	psp_close(&fake_psp);
	assert_int_equal(fake.closed, 1);
}

/* --- CPUID 0x8000001F */

static u32 cpuid_max_ext, cpuid_1f_eax, cpuid_1f_ebx;

static void fake_cpuid(u32 leaf, u32 *eax, u32 *ebx, u32 *ecx, u32 *edx)
{
	*eax = *ebx = *ecx = *edx = 0;
	if (leaf == 0x80000000) {
		*eax = cpuid_max_ext;
	} else if (leaf == 0x8000001f) {
		*eax = cpuid_1f_eax;
		*ebx = cpuid_1f_ebx;
		*ecx = 509;
		*edx = 100;
	}
}

static void test_host_cbitpos(void **state)
{
	u32 cbit = 0, reduced = 0;

	sev_set_cpuid_fn(fake_cpuid);
	cpuid_max_ext = 0x80000028;
	cpuid_1f_eax = 0x1000f;		/* SME, SEV, SEV-ES ... */
	cpuid_1f_ebx = 51 | (1 << 6) | (1 << 12);
	assert_int_equal(sev_host_cbitpos(&cbit, &reduced), 0);
	assert_int_equal(cbit, 51);
	assert_int_equal(reduced, 1);

	cpuid_1f_ebx = 47 | (5 << 6);
	assert_int_equal(sev_host_cbitpos(&cbit, &reduced), 0);
	assert_int_equal(cbit, 47);
	assert_int_equal(reduced, 5);
	sev_set_cpuid_fn(NULL);
}

static void test_host_cbitpos_no_sev(void **state)
{
	u32 cbit = 99, reduced = 99;
	const char *log;

	sev_set_cpuid_fn(fake_cpuid);
	cpuid_max_ext = 0x80000008;	/* leaf absent */
	capture_start();
	assert_int_equal(sev_host_cbitpos(&cbit, &reduced), -ENODEV);
	log = capture_end();
	assert_non_null(strstr(log, "CPUID 0x8000001F not available"));

	cpuid_max_ext = 0x80000021;	/* leaf there, SEV bit clear */
	cpuid_1f_eax = 0x1;
	cpuid_1f_ebx = 51;
	capture_start();
	assert_int_equal(sev_host_cbitpos(&cbit, &reduced), -ENODEV);
	log = capture_end();
	assert_non_null(strstr(log, "does not report SEV"));
	assert_int_equal(cbit, 99);
	assert_int_equal(reduced, 99);
	sev_set_cpuid_fn(NULL);
}

static void test_check_cbitpos(void **state)
{
	const char *log;

	assert_int_equal(sev_check_cbitpos(51, 51), 0);
	capture_start();
	assert_int_equal(sev_check_cbitpos(47, 51), -EINVAL);
	log = capture_end();
	assert_string_equal(log,
		"test_sev_guest: error: sev_check_cbitpos: cbitpos check failed, host '51' requested '47'\n");
}

static void test_check_reduced_phys_bits(void **state)
{
	const char *log;

	assert_int_equal(sev_check_reduced_phys_bits(1), 0);
	assert_int_equal(sev_check_reduced_phys_bits(63), 0);
	capture_start();
	assert_int_equal(sev_check_reduced_phys_bits(0), -EINVAL);
	assert_int_equal(sev_check_reduced_phys_bits(64), -EINVAL);
	log = capture_end();
	assert_int_equal(count_lines(log), 2);
	assert_non_null(strstr(log, "reduced_phys_bits check failed, it should be in the range of 1 to 63, requested '0'"));
	assert_non_null(strstr(log, "requested '64'"));
}

#define T(f) cmocka_unit_test_setup(f, fake_setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_guest_init),
		T(test_launch_start),
		T(test_launch_start_unsupplied_blobs),
		T(test_launch_start_policy_failure),
		T(test_launch_update_data),
		T(test_no_data_guest_cmds),
		T(test_launch_measure_query),
		T(test_launch_measure_fetch),
		T(test_launch_secret),
		T(test_guest_status),
		T(test_regions),
		T(test_release_and_close),
		T(test_host_cbitpos),
		T(test_host_cbitpos_no_sev),
		T(test_check_cbitpos),
		T(test_check_reduced_phys_bits),
	};

	log_init("test_sev_guest");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
