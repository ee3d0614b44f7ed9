// SPDX-License-Identifier: GPL-2.0-only
/*
 * The SEV launch module's failure paths against the real emulated PSP:
 * each refusal is one error line naming the step, the input and the
 * firmware status, returns the documented error, and leaves the launch
 * where it was (a refused secret keeps LSECRET; nothing runs unmeasured).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sev/hashes.h"
#include "tests/unit/sev-testlib.h"
#include "tests/unit/test_launch_lib.h"

static enum sev_launch_state launch_state(struct lt *t)
{
	struct sev_launch_info info;

	sev_launch_get_info(t->l, &info);
	return info.state;
}

/* Policy API 255.0: the firmware (1.55) refuses it. */
static void test_policy_refused(void **state)
{
	struct lt *t = lt_new(NULL, false);
	const char *log;

	lt_firmware(t, LT_FW_ALL);
	lt_vm(t, 1);
	t->cfg.sev.policy = 0x00ff0033;
	assert_int_equal(sev_launch_open(&t->l, &t->cfg, LT_RAM), 0);
	capture_start();
	assert_int_equal(sev_launch_start(t->l, &t->vm), -EIO);
	log = capture_end();
	lt_one_error(log, "KVM_SEV_LAUNCH_START (policy 0xff0033) failed");
	assert_non_null(strstr(log, "POLICY_FAILURE"));
	assert_int_equal(sev_launch_last_fw_err(t->l), SEV_RET_POLICY_FAILURE);
	assert_int_equal(launch_state(t), SEV_LAUNCH_UNINIT);
	assert_int_equal(lt_guest_count(t->dir), 0);
	lt_free(t);
}

static void rewrite_session(struct lt *t)
{
	char *b64 = base64_encode(&t->owner.session,
				  sizeof(t->owner.session));

	assert_non_null(b64);
	assert_int_equal(write_file_atomic(t->session_path, b64, strlen(b64),
					   0644), 0);
	free(b64);
}

/* A session whose WRAP_MAC or POLICY_MAC does not verify: no launch. */
static void test_session_tampered(void **state)
{
	struct lt *t = lt_new(NULL, false);
	const char *log;

	lt_firmware(t, LT_FW_ALL);
	lt_vm(t, 1);
	lt_owner(t);
	t->owner.session.wrap_mac[7] ^= 0x01;
	rewrite_session(t);
	assert_int_equal(sev_launch_open(&t->l, &t->cfg, LT_RAM), 0);
	capture_start();
	assert_int_equal(sev_launch_start(t->l, &t->vm), -EIO);
	log = capture_end();
	lt_one_error(log, "BAD_MEASUREMENT");
	assert_int_equal(sev_launch_last_fw_err(t->l),
			 SEV_RET_BAD_MEASUREMENT);
	sev_launch_close(t->l);
	t->l = NULL;

	/* the session was made for policy 0x33: another one is refused */
	t->owner.session.wrap_mac[7] ^= 0x01;
	rewrite_session(t);
	t->cfg.sev.policy = 0x31;
	assert_int_equal(sev_launch_open(&t->l, &t->cfg, LT_RAM), 0);
	capture_start();
	assert_int_equal(sev_launch_start(t->l, &t->vm), -EIO);
	lt_one_error(capture_end(), "POLICY_FAILURE");
	assert_int_equal(lt_guest_count(t->dir), 0);
	lt_free(t);
}

static void launch_owned(struct lt *t, unsigned int fw_entries)
{
	lt_firmware(t, fw_entries);
	lt_vm(t, 1);
	lt_owner(t);
	lt_launch(t);
}

/* A wrong MAC: BAD_MEASUREMENT named, guest RAM untouched, LSECRET kept. */
static void test_secret_bad_mac(void **state)
{
	struct lt *t = lt_new(NULL, false);
	struct sev_secret_header hdr;
	u8 plain[48], ct[48], *ram;
	char err[256] = "";
	const char *log;

	launch_owned(t, LT_FW_ALL);
	test_pattern(plain, sizeof(plain), 1);
	lt_seal(t, plain, sizeof(plain), &hdr, ct);
	hdr.mac[0] ^= 0x80;
	capture_start();
	assert_int_equal(sev_launch_inject_secret(t->l, &t->vm, (u8 *)&hdr,
						  sizeof(hdr), ct, sizeof(ct),
						  false, 0, err, sizeof(err)),
			 -EIO);
	log = capture_end();
	lt_one_error(log, "KVM_SEV_LAUNCH_SECRET");
	assert_non_null(strstr(log, "BAD_MEASUREMENT"));
	assert_non_null(strstr(err, "firmware status 0xb BAD_MEASUREMENT"));
	assert_null(strchr(err, '\n'));
	assert_int_equal(sev_launch_last_fw_err(t->l),
			 SEV_RET_BAD_MEASUREMENT);
	assert_int_equal(launch_state(t), SEV_LAUNCH_SECRET);
	ram = mem_gpa_to_hva(&t->vm.mem, LT_SECRET_BASE, sizeof(plain));
	for (size_t i = 0; i < sizeof(plain); i++)
		assert_int_equal(ram[i], 0);

	hdr.mac[0] ^= 0x80;	/* the right packet still goes in */
	assert_int_equal(sev_launch_inject_secret(t->l, &t->vm, (u8 *)&hdr,
						  sizeof(hdr), ct, sizeof(ct),
						  false, 0, err, sizeof(err)),
			 0);
	assert_memory_equal(ram, plain, sizeof(plain));
	assert_int_equal(sev_launch_last_fw_err(t->l), 0);
	lt_free(t);
}

static void inject_fails(struct lt *t, size_t hdr_len, size_t len,
			 bool gpa_set, u64 gpa, const char *needle)
{
	static u8 buf[0x4000 + 32];
	char err[256] = "";

	capture_start();
	assert_int_equal(sev_launch_inject_secret(t->l, &t->vm, buf, hdr_len,
						  buf, len, gpa_set, gpa, err,
						  sizeof(err)), -EINVAL);
	lt_one_error(capture_end(), needle);
	assert_non_null(strstr(err, needle));
}

/* Bad packets and targets are refused before the firmware sees them. */
static void test_secret_bad_inputs(void **state)
{
	struct lt *t = lt_new(NULL, false);

	lt_firmware(t, LT_FW_ALL);
	lt_vm(t, 1);
	lt_open_start(t);
	inject_fails(t, 52, 64, false, 0,
		     "only valid before the guest runs (state launch-update)");
	assert_int_equal(sev_launch_measure(t->l, &t->vm), 0);
	inject_fails(t, 51, 64, false, 0, "packet header is 51 bytes");
	inject_fails(t, 52, 0, false, 0, "the secret is 0 bytes");
	inject_fails(t, 52, 20, false, 0, "the secret is 20 bytes");
	inject_fails(t, 52, 0x4010, false, 0, "the secret is 16400 bytes");
	inject_fails(t, 52, 0x1010, false, 0,
		     "do not fit the firmware's SEV secret area 0xa000+4096");
	inject_fails(t, 52, 64, true, LT_RAM - 32,
		     "GPA 0x3fffe0+64 is not inside guest RAM");
	inject_fails(t, 52, 64, true, 0xffff0000,
		     "GPA 0xffff0000+64 is not inside guest RAM");
	assert_int_equal(launch_state(t), SEV_LAUNCH_SECRET);
	lt_free(t);
}

/* No secret area and no address: nowhere to put a secret. */
static void test_secret_no_area(void **state)
{
	struct lt *t = lt_new(NULL, false);
	struct sev_secret_header hdr;
	u8 plain[32], ct[32];
	char err[256];

	launch_owned(t, LT_FW_HASHES);
	inject_fails(t, 52, 64, false, 0,
		     "has no SEV secret area (GUID 4c2eb361-7d9b-4cc3-8081-127c90d3d294)");
	/* an explicit address works without one */
	test_pattern(plain, sizeof(plain), 2);
	lt_seal(t, plain, sizeof(plain), &hdr, ct);
	assert_int_equal(sev_launch_inject_secret(t->l, &t->vm, (u8 *)&hdr,
						  sizeof(hdr), ct, sizeof(ct),
						  true, 0x30000, err,
						  sizeof(err)), 0);
	assert_memory_equal(mem_gpa_to_hva(&t->vm.mem, 0x30000, 32), plain,
			    32);
	lt_free(t);
}

/* A kernel, but a firmware without the hashes area: never unmeasured. */
static void test_no_hashes_area(void **state)
{
	struct lt *t = lt_new(NULL, false);
	struct sev_launch_info info;
	struct sev_measurement m;
	const char *log;
	u8 want[32];

	lt_firmware(t, LT_FW_SECRET | LT_FW_ES_RESET);
	lt_vm(t, 1);
	lt_kernel(t);
	lt_owner(t);
	lt_open_start(t);
	capture_start();
	assert_int_equal(sev_launch_measure(t->l, &t->vm), -EINVAL);
	log = capture_end();
	lt_one_error(log, "has no SEV hashes area (GUID 7255371f-3a3b-4b04-927b-1da6efa8d454)");
	assert_non_null(strstr(log, t->fw_path));
	assert_non_null(strstr(log, "use --sev-kernel-hashes off"));
	assert_int_equal(sev_launch_get_measurement(t->l, &m), -EAGAIN);
	sev_launch_get_info(t->l, &info);
	assert_int_equal(info.state, SEV_LAUNCH_UPDATE);
	sev_launch_close(t->l);
	t->l = NULL;
	assert_int_equal(lt_guest_count(t->dir), 0);

	/* --sev-kernel-hashes off: the firmware alone is measured */
	t->cfg.sev.kernel_hashes = TRI_OFF;
	t->vm.kvm.vm_fd++;
	lt_launch(t);
	assert_int_equal(sev_launch_get_measurement(t->l, &m), 0);
	lt_expected(t, false, NULL, 0, m.mnonce, want);
	assert_memory_equal(m.measure, want, 32);
	lt_free(t);
}

/* Steps out of order are refused; nothing reaches the firmware. */
static void test_order(void **state)
{
	struct lt *t = lt_new(NULL, false);
	struct sev_measurement m;

	lt_firmware(t, LT_FW_ALL);
	lt_vm(t, 1);
	assert_int_equal(sev_launch_open(&t->l, &t->cfg, LT_RAM), 0);
	capture_start();
	assert_int_equal(sev_launch_measure(t->l, &t->vm), -EINVAL);
	lt_one_error(capture_end(),
		     "LAUNCH_MEASURE: the guest is in state uninit, expected launch-update");
	assert_int_equal(sev_launch_get_measurement(t->l, &m), -EAGAIN);
	assert_int_equal(sev_launch_start(t->l, &t->vm), 0);
	capture_start();
	assert_int_equal(sev_launch_start(t->l, &t->vm), -EALREADY);
	lt_one_error(capture_end(), "already started");
	capture_start();
	assert_int_equal(sev_launch_finish(t->l, &t->vm), -EINVAL);
	lt_one_error(capture_end(),
		     "LAUNCH_FINISH: the guest is in state launch-update, expected launch-secret");
	assert_int_equal(sev_launch_measure(t->l, &t->vm), 0);
	capture_start();
	assert_int_equal(sev_launch_measure(t->l, &t->vm), -EINVAL);
	lt_one_error(capture_end(), "state launch-secret");
	assert_int_equal(sev_launch_finish(t->l, &t->vm), 0);
	capture_start();
	assert_int_equal(sev_launch_finish(t->l, &t->vm), -EINVAL);
	lt_one_error(capture_end(), "state running");
	lt_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_policy_refused),
		cmocka_unit_test(test_session_tampered),
		cmocka_unit_test(test_secret_bad_mac),
		cmocka_unit_test(test_secret_bad_inputs),
		cmocka_unit_test(test_secret_no_area),
		cmocka_unit_test(test_no_hashes_area),
		cmocka_unit_test(test_order),
	};

	log_init("test_launch_fail");
	return cmocka_run_group_tests(tests, emul_master_setup,
				      emul_master_teardown);
}
