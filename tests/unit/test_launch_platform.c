// SPDX-License-Identifier: GPL-2.0-only
/*
 * sev_launch_open's checks against the real emulated PSP (guest slots,
 * C-bit, reduced physical bits, SEV-ES support, RLIMIT_MEMLOCK, the guest
 * owner's files) and the tear-down that gives a guest slot back.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include <linux/capability.h>

#include "sev/emul/fw.h"
#include "sev/emul/psp.h"
#include "tests/unit/sev-testlib.h"
#include "tests/unit/test_launch_lib.h"

static int open_fails(struct lt *t, u64 ram, const char *needle)
{
	struct sev_launch *l = NULL;
	int r;

	capture_start();
	r = sev_launch_open(&l, &t->cfg, ram);
	lt_one_error(capture_end(), needle);
	assert_null(l);
	return r;
}

/* --max-guests 1 with one guest held: the next open is refused. */
static void test_slot_exhaustion(void **state)
{
	struct lt *a = lt_new(NULL, false), *b;
	const char *log;

	assert_int_equal(emul_platform_init(a->dir, 1, true), 0);
	b = lt_new(a->dir, false);
	lt_firmware(a, LT_FW_ALL);
	lt_firmware(b, LT_FW_ALL);
	lt_vm(a, 1);
	lt_vm(b, 1);
	lt_open_start(a);
	assert_int_equal(lt_guest_count(a->dir), 1);
	assert_int_equal(open_fails(b, LT_RAM, "all 1 guest slots in use"),
			 -EBUSY);

	capture_start();
	sev_launch_close(a->l);		/* before FINISH: torn down */
	a->l = NULL;
	log = capture_end();
	assert_non_null(strstr(log, "torn down before LAUNCH_FINISH"));
	assert_int_equal(lt_errors(log), 0);
	assert_int_equal(lt_guest_count(a->dir), 0);
	lt_open_start(b);
	assert_int_equal(lt_guest_count(a->dir), 1);
	lt_free(b);
	assert_int_equal(lt_guest_count(a->dir), 0);
	lt_free(a);
}

/* Measured but never finished: closing releases the slot too. */
static void test_teardown_after_measure(void **state)
{
	struct lt *t = lt_new(NULL, false);
	struct sev_launch_info info;

	lt_firmware(t, LT_FW_ALL);
	lt_vm(t, 1);
	lt_owner(t);
	lt_launch(t);
	sev_launch_get_info(t->l, &info);
	assert_int_equal(info.state, SEV_LAUNCH_SECRET);
	assert_int_equal(lt_guest_count(t->dir), 1);
	sev_launch_close(t->l);
	t->l = NULL;
	assert_int_equal(lt_guest_count(t->dir), 0);
	lt_free(t);
}

static int drop_cap_ipc_lock(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];

	memset(data, 0, sizeof(data));
	if (syscall(SYS_capget, &hdr, data) < 0)
		return -1;
	data[CAP_IPC_LOCK / 32].effective &= ~(1U << (CAP_IPC_LOCK % 32));
	return syscall(SYS_capset, &hdr, data) < 0 ? -1 : 0;
}

/* In a child: without CAP_IPC_LOCK, RLIMIT_MEMLOCK must cover the RAM. */
static int memlock_child(struct lt *t)
{
	struct rlimit rl = { 1 << 20, 1 << 20 };
	struct sev_launch *l = NULL;
	int r;

	if (drop_cap_ipc_lock() || setrlimit(RLIMIT_MEMLOCK, &rl))
		return 77;
	if (sev_launch_open(&l, &t->cfg, 64 << 20) != -ENOMEM || l)
		return 1;
	r = sev_launch_open(&l, &t->cfg, 512 << 10);	/* fits 1 MiB */
	sev_launch_close(l);
	return r ? 2 : 0;
}

static void test_memlock(void **state)
{
	struct lt *t = lt_new(NULL, false);
	char buf[1024];
	const char *log;
	int status;
	pid_t pid;

	lt_firmware(t, LT_FW_ALL);
	capture_start();
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		int code = memlock_child(t);

		test_blob_free(&t->fw.b);	/* the parent removes the dirs */
		free(t);
		_exit(code);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	log = capture_end();
	snprintf(buf, sizeof(buf), "%s", log);
	lt_free(t);
	assert_true(WIFEXITED(status));
	if (WEXITSTATUS(status) == 77)
		skip();
	assert_int_equal(WEXITSTATUS(status), 0);
	lt_one_error(buf, "locking 64 MiB of guest RAM needs RLIMIT_MEMLOCK >= 64 MiB (current: 1024 KiB)");
}

static void write_text(const char *path, const char *text)
{
	assert_int_equal(write_file_atomic(path, text, strlen(text), 0644), 0);
}

/* The guest owner's files: binary or base64, exact lengths, named. */
static void test_owner_files(void **state)
{
	static char missing[] = "/nonexistent/godh.b64";
	struct lt *t = lt_new(NULL, false);
	char raw[LT_PATH_MAX], needle[2 * LT_PATH_MAX];

	lt_firmware(t, LT_FW_ALL);
	lt_vm(t, 1);
	lt_owner(t);
	t->cfg.sev.dh_cert = missing;
	assert_int_equal(open_fails(t, LT_RAM,
		"--sev-dh-cert /nonexistent/godh.b64: No such file or directory"),
		-EINVAL);
	t->cfg.sev.dh_cert = t->session_path;	/* 128 bytes, base64 */
	snprintf(needle, sizeof(needle),
		 "--sev-dh-cert %s: wrong length (128 bytes, expected 2084",
		 t->session_path);
	assert_int_equal(open_fails(t, LT_RAM, needle), -EINVAL);
	t->cfg.sev.dh_cert = t->dh_path;
	write_text(t->session_path, "bm90IGEgc2Vzc2lvbg==\n");
	snprintf(needle, sizeof(needle), "--sev-session %s: wrong length",
		 t->session_path);
	assert_int_equal(open_fails(t, LT_RAM, needle), -EINVAL);
	write_text(t->session_path, "QUJD=REVG\n");	/* '=' inside */
	snprintf(needle, sizeof(needle), "--sev-session %s: not valid base64",
		 t->session_path);
	assert_int_equal(open_fails(t, LT_RAM, needle), -EINVAL);

	/* the session as raw bytes: accepted, and the launch works */
	snprintf(raw, sizeof(raw), "%s/session.bin", t->tmp);
	assert_int_equal(write_file_atomic(raw, &t->owner.session,
					   sizeof(t->owner.session), 0644), 0);
	t->cfg.sev.session = raw;
	lt_launch(t);
	t->cfg.firmware = NULL;
	assert_int_equal(open_fails(t, LT_RAM, "an SEV guest needs --firmware"),
			 -EINVAL);
	lt_free(t);
}

/* QEMU's rules for --sev-cbitpos and --sev-reduced-phys-bits. */
static void test_cbit(void **state)
{
	struct lt *t = lt_new(NULL, false);
	struct sev_launch_info info;

	lt_firmware(t, LT_FW_ALL);
	t->cfg.sev.cbitpos = 47;
	assert_int_equal(open_fails(t, LT_RAM,
		"cbitpos check failed, host '51' requested '47'"), -EINVAL);
	t->cfg.sev.cbitpos = 51;
	t->cfg.sev.reduced_phys_bits = 64;
	assert_int_equal(open_fails(t, LT_RAM,
		"reduced_phys_bits check failed, it should be in the range of 1 to 63, requested '64'"),
		-EINVAL);
	t->cfg.sev.reduced_phys_bits = 5;
	assert_int_equal(sev_launch_open(&t->l, &t->cfg, LT_RAM), 0);
	sev_launch_get_info(t->l, &info);
	assert_int_equal(info.cbitpos, 51);
	assert_int_equal(info.reduced_phys_bits, 5);
	lt_free(t);
}

/* A platform INITed without SEV-ES cannot launch an SEV-ES guest. */
static void test_no_es(void **state)
{
	struct lt *t = lt_new(NULL, true);
	struct emul_fw *fw;

	assert_int_equal(emul_fw_open(&fw, t->dir, NULL), 0);
	fw_init(fw, false);
	emul_fw_close(fw);
	lt_firmware(t, LT_FW_ALL);
	assert_int_equal(open_fails(t, LT_RAM,
		"the SEV platform was initialised without SEV-ES"),
		-EOPNOTSUPP);
	t->cfg.sev.es = false;	/* plain SEV is fine */
	t->cfg.sev.policy = SEV_POLICY_DEFAULT;
	assert_int_equal(sev_launch_open(&t->l, &t->cfg, LT_RAM), 0);
	lt_free(t);
}

static void test_uninitialised_dir(void **state)
{
	struct lt *t = lt_new(NULL, false);
	char needle[128];
	int r;

	lt_firmware(t, LT_FW_ALL);
	t->cfg.sev.psp_dir = t->tmp;
	snprintf(needle, sizeof(needle), "emulated PSP %s not initialised",
		 t->tmp);
	r = open_fails(t, LT_RAM, needle);
	assert_true(r < 0 && r != -EINVAL);
	t->cfg.sev.psp_dir = t->dir;
	lt_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_slot_exhaustion),
		cmocka_unit_test(test_teardown_after_measure),
		cmocka_unit_test(test_memlock),
		cmocka_unit_test(test_owner_files),
		cmocka_unit_test(test_cbit),
		cmocka_unit_test(test_no_es),
		cmocka_unit_test(test_uninitialised_dir),
	};

	log_init("test_launch_platform");
	log_set_level(LOG_INFO);
	return cmocka_run_group_tests(tests, emul_master_setup,
				      emul_master_teardown);
}
