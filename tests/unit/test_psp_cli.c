// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of vmm/psp-cli.c (`sevm psp ...`): argument parsing and exit
 * codes; the kernel backend through the open/ioctl seam (psp-seam.c, the
 * real sev/psp-kernel.o and sev/sev.o); the emulated backend's entry points
 * (psp_open_emulated, emul_platform_init, emul_platform_read_roots) are
 * test doubles here, so that their failures can be scripted. The real
 * emulated PSP is exercised end to end by test_psp_cli_emul.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <cmocka.h>

#include <json-c/json.h>

#include "sev/emul/psp.h"
#include "sev/sev.h"
#include "tests/unit/psp-seam.h"
#include "tests/unit/sev-testlib.h"
#include "lib/log.h"

#define CERT_LEN	0x824u

/* SEV_ISSUE_CMD answers (psp-seam.c) with the command each one expects. */
static u32 expected_cmd[MAX_CALLS];

static void expect(u32 cmd, int err, u32 fw, void (*fill)(void *data))
{
	expected_cmd[nanswers] = cmd;
	answer(err ? -1 : 0, err, fw, fill);
}

/* --- emulated backend doubles */

static int emul_open_ret, emul_init_ret, emul_roots_ret;
static int emul_open_calls, emul_init_calls, emul_closed;
static char emul_dir[256];
static unsigned int emul_init_max;
static bool emul_init_set;

static void fill_chain(void *data);
static void fill_lengths(void *data);

static int emul_platform_cmd(struct psp *psp, u32 cmd, void *data,
			     u32 *fw_err)
{
	struct sev_user_data_pdh_cert_export *ex = data;

	assert_int_equal(cmd, SEV_PDH_CERT_EXPORT);
	if (!ex->pdh_cert_address) {
		fill_lengths(data);
		*fw_err = SEV_RET_INVALID_LEN;
		return -EIO;
	}
	fill_chain(data);
	*fw_err = 0;
	return 0;
}

static void emul_close(struct psp *psp)
{
	emul_closed++;
}

static const struct psp_ops emul_fake_ops = {
	.name		= "emulated-double",
	.platform_cmd	= emul_platform_cmd,
	.close		= emul_close,
};

static struct psp emul_fake_psp = { .ops = &emul_fake_ops };

int psp_open_emulated(struct psp **psp, const char *dir)
{
	emul_open_calls++;
	snprintf(emul_dir, sizeof(emul_dir), "%s", dir);
	*psp = emul_open_ret ? NULL : &emul_fake_psp;
	return emul_open_ret;
}

int emul_platform_init(const char *dir, unsigned int max_guests,
		       bool set_max)
{
	emul_init_calls++;
	snprintf(emul_dir, sizeof(emul_dir), "%s", dir);
	emul_init_max = max_guests;
	emul_init_set = set_max;
	return emul_init_ret;
}

int emul_platform_read_roots(const char *dir, u8 **ark, size_t *ark_len,
			     u8 **ask, size_t *ask_len)
{
	if (emul_roots_ret)
		return emul_roots_ret;
	*ark = malloc(64);
	*ask = malloc(80);
	assert_non_null(*ark);
	assert_non_null(*ask);
	memset(*ark, 'R', 64);
	memset(*ask, 'S', 80);
	*ark_len = 64;
	*ask_len = 80;
	return 0;
}

/* --- helpers: run the command, capture stdout and stderr */

static char outbuf[8192], errbuf[4096];
static char scratch[64];

static int run(const char *const *args)
{
	return capture_run(psp_cli_main, args, outbuf, sizeof(outbuf), errbuf,
			   sizeof(errbuf));
}

#define RUN(...) run((const char *const[]){ __VA_ARGS__, NULL })

static void scratch_clean(void)
{
	static const char *const names[] = {
		"pdh.cert", "pek.cert", "oca.cert", "cek.cert", "ask.cert",
		"ark.cert",
	};
	char path[128];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		snprintf(path, sizeof(path), "%s/out/%s", scratch, names[i]);
		unlink(path);
	}
	snprintf(path, sizeof(path), "%s/out", scratch);
	rmdir(path);
}

static int setup(void **state)
{
	seam_reset();
	emul_open_ret = emul_init_ret = emul_roots_ret = 0;
	emul_open_calls = emul_init_calls = emul_closed = 0;
	emul_dir[0] = 0;
	snprintf(scratch, sizeof(scratch), "/tmp/test_psp_cli.XXXXXX");
	assert_non_null(mkdtemp(scratch));
	return 0;
}

static int teardown(void **state)
{
	int i;

	scratch_clean();
	rmdir(scratch);
	assert_int_equal(ncalls, nanswers);
	for (i = 0; i < ncalls; i++)
		assert_int_equal(call_issue(i).cmd, expected_cmd[i]);
	return 0;
}

/* --- usage and parsing */

static void test_help(void **state)
{
	assert_int_equal(RUN("psp", "--help"), EXIT_OK);
	assert_non_null(strstr(outbuf, "usage: sevm psp init --psp emulated:DIR"));
	assert_int_equal(RUN("psp", "help"), EXIT_OK);
	assert_int_equal(RUN("psp", "export", "--help"), EXIT_OK);
	assert_non_null(strstr(outbuf, "sevm psp export"));
	assert_int_equal(open_calls, 0);
}

static void test_bad_usage(void **state)
{
	assert_int_equal(RUN("psp"), EXIT_CONFIG);
	assert_non_null(strstr(errbuf, "missing command"));
	assert_int_equal(RUN("psp", "reset"), EXIT_CONFIG);
	assert_non_null(strstr(errbuf, "unknown command 'reset'"));
	assert_int_equal(RUN("psp", "status", "--bogus"), EXIT_CONFIG);
	assert_non_null(strstr(errbuf, "unknown option '--bogus'"));
	assert_int_equal(RUN("psp", "status", "--psp"), EXIT_CONFIG);
	assert_non_null(strstr(errbuf, "missing argument for '--psp'"));
	assert_int_equal(RUN("psp", "status", "--out", "x"), EXIT_CONFIG);
	assert_non_null(strstr(errbuf, "option --out does not apply"));
	assert_int_equal(RUN("psp", "export", "--max-guests", "3", "--out",
			     "x"), EXIT_CONFIG);
	assert_non_null(strstr(errbuf, "option --max-guests does not apply"));
	assert_int_equal(RUN("psp", "status", "extra"), EXIT_CONFIG);
	assert_non_null(strstr(errbuf, "unexpected argument 'extra'"));
	assert_int_equal(count_lines(errbuf), 1);
	/* No PSP was opened for any of these. */
	assert_int_equal(open_calls, 0);
	assert_int_equal(emul_open_calls + emul_init_calls, 0);
}

static void test_bad_psp_spec(void **state)
{
	assert_int_equal(RUN("psp", "status", "--psp", "qemu"), EXIT_CONFIG);
	assert_non_null(strstr(errbuf, "--psp 'qemu': expected kernel or emulated:DIR"));
	assert_int_equal(RUN("psp", "status", "--psp", "emulated:"),
			 EXIT_CONFIG);
	assert_int_equal(RUN("psp", "status", "--psp", "emulated"),
			 EXIT_CONFIG);
	assert_int_equal(open_calls + emul_open_calls, 0);
}

static void test_max_guests_range(void **state)
{
	static const char *const bad[] = { "0", "1025", "-1", "abc", "",
					   "12x" };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		assert_int_equal(RUN("psp", "init", "--psp", "emulated:/x",
				     "--max-guests", bad[i]), EXIT_CONFIG);
		assert_non_null(strstr(errbuf, "expected a number from 1 to 1024"));
	}
	assert_int_equal(emul_init_calls, 0);
}

/* --- init */

static void test_init_kernel(void **state)
{
	assert_int_equal(RUN("psp", "init"), EXIT_CONFIG);
	assert_non_null(strstr(errbuf, "nothing to initialise: the kernel initialises /dev/sev"));
	assert_int_equal(RUN("psp", "init", "--psp", "kernel"), EXIT_CONFIG);
	assert_int_equal(count_lines(errbuf), 1);
	assert_int_equal(open_calls, 0);
}

static void test_init_emulated(void **state)
{
	assert_int_equal(RUN("psp", "init", "--psp", "emulated:/var/x"),
			 EXIT_OK);
	assert_int_equal(emul_init_calls, 1);
	assert_string_equal(emul_dir, "/var/x");
	assert_int_equal(emul_init_max, CONFIG_PSP_EMULATED_MAX_GUESTS);
	assert_false(emul_init_set);

	assert_int_equal(RUN("psp", "init", "--max-guests", "1024", "--psp",
			     "emulated:/var/y"), EXIT_OK);
	assert_string_equal(emul_dir, "/var/y");
	assert_int_equal(emul_init_max, 1024);
	assert_true(emul_init_set);
	assert_int_equal(RUN("psp", "init", "--psp=emulated:/z",
			     "--max-guests=1"), EXIT_OK);
	assert_int_equal(emul_init_max, 1);

	emul_init_ret = -EACCES;
	assert_int_equal(RUN("psp", "init", "--psp", "emulated:/var/x"),
			 EXIT_HOST);
}

/* --- status */

static void fill_status(void *data)
{
	struct sev_user_data_status *st = data;

	st->api_major = 1;
	st->api_minor = 55;
	st->state = SEV_PSTATE_WORKING;
	st->flags = SEV_STATUS_FLAGS_CONFIG_ES | 1;
	st->build = 21;
	st->guest_count = 4;
}

static json_object *get(json_object *o, const char *key)
{
	json_object *v = NULL;

	assert_true(json_object_object_get_ex(o, key, &v));
	return v;
}

static void test_status_kernel(void **state)
{
	json_object *o;

	expect(SEV_PLATFORM_STATUS, 0, 0, fill_status);
	assert_int_equal(RUN("psp", "status"), EXIT_OK);
	assert_int_equal(open_calls, 1);
	o = json_tokener_parse(outbuf);
	assert_non_null(o);
	assert_int_equal(json_object_object_length(o), 7);
	assert_int_equal(json_object_get_int(get(o, "api-major")), 1);
	assert_int_equal(json_object_get_int(get(o, "api-minor")), 55);
	assert_int_equal(json_object_get_int(get(o, "build-id")), 21);
	assert_string_equal(json_object_get_string(get(o, "state")), "working");
	assert_string_equal(json_object_get_string(get(o, "owner")),
			    "external");
	assert_true(json_object_get_boolean(get(o, "config-es")));
	assert_int_equal(json_object_get_int(get(o, "guest-count")), 4);
	json_object_put(o);
}

static void fill_status_uninit(void *data)
{
	struct sev_user_data_status *st = data;

	st->api_major = 0;
	st->api_minor = 24;
	st->state = SEV_PSTATE_UNINIT;
}

static void test_status_self_owned(void **state)
{
	json_object *o;

	expect(SEV_PLATFORM_STATUS, 0, 0, fill_status_uninit);
	assert_int_equal(RUN("psp", "status", "--psp", "kernel"), EXIT_OK);
	o = json_tokener_parse(outbuf);
	assert_non_null(o);
	assert_string_equal(json_object_get_string(get(o, "state")), "uninit");
	assert_string_equal(json_object_get_string(get(o, "owner")), "self");
	assert_false(json_object_get_boolean(get(o, "config-es")));
	assert_int_equal(json_object_get_int(get(o, "guest-count")), 0);
	json_object_put(o);
}

static void test_status_no_device(void **state)
{
	open_sev_ret = -ENOENT;
	assert_int_equal(RUN("psp", "status"), EXIT_HOST);
	assert_non_null(strstr(errbuf, "--psp emulated:DIR"));
	assert_int_equal(count_lines(errbuf), 1);
	assert_string_equal(outbuf, "");
}

static void test_status_errors(void **state)
{
	expect(SEV_PLATFORM_STATUS, EIO, SEV_RET_HWSEV_RET_PLATFORM, NULL);
	assert_int_equal(RUN("psp", "status"), EXIT_SEV);
	assert_non_null(strstr(errbuf, "HWSEV_RET_PLATFORM"));
	assert_string_equal(outbuf, "");
	expect(SEV_PLATFORM_STATUS, EBADF, NO_FW, NULL);
	assert_int_equal(RUN("psp", "status"), EXIT_HOST);
	/* The emulated backend cannot be opened. */
	emul_open_ret = -ENOENT;
	assert_int_equal(RUN("psp", "status", "--psp", "emulated:/nope"),
			 EXIT_HOST);
	assert_string_equal(emul_dir, "/nope");
}

/* --- export */

static void fill_lengths(void *data)
{
	struct sev_user_data_pdh_cert_export *ex = data;

	assert_int_equal(ex->pdh_cert_address, 0);
	assert_int_equal(ex->cert_chain_address, 0);
	ex->pdh_cert_len = CERT_LEN;
	ex->cert_chain_len = 3 * CERT_LEN;
}

static void fill_chain(void *data)
{
	struct sev_user_data_pdh_cert_export *ex = data;
	u8 *pdh = (u8 *)(uintptr_t)ex->pdh_cert_address;
	u8 *chain = (u8 *)(uintptr_t)ex->cert_chain_address;

	assert_int_equal(ex->pdh_cert_len, CERT_LEN);
	assert_int_equal(ex->cert_chain_len, 3 * CERT_LEN);
	memset(pdh, 'D', CERT_LEN);
	memset(chain, 'P', CERT_LEN);
	memset(chain + CERT_LEN, 'O', CERT_LEN);
	memset(chain + 2 * CERT_LEN, 'C', CERT_LEN);
}

static void fill_bad_lengths(void *data)
{
	struct sev_user_data_pdh_cert_export *ex = data;

	ex->pdh_cert_len = CERT_LEN;
	ex->cert_chain_len = 2 * CERT_LEN + 1;
}

/* The file is there, mode 0644, len bytes of c. */
static void check_file(const char *name, size_t len, u8 c)
{
	char path[128];
	struct stat st;
	void *buf;
	size_t n, i;

	snprintf(path, sizeof(path), "%s/out/%s", scratch, name);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
	assert_int_equal(read_file(path, &buf, &n, 1 << 20), 0);
	assert_int_equal(n, len);
	for (i = 0; i < n; i++)
		if (((u8 *)buf)[i] != c)
			fail_msg("%s: byte %zu is 0x%x", name, i,
				 ((u8 *)buf)[i]);
	free(buf);
}

static bool exists(const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/out/%s", scratch, name);
	return !access(path, F_OK);
}

static void test_export_kernel(void **state)
{
	char out[96];

	snprintf(out, sizeof(out), "%s/out", scratch);
	expect(SEV_PDH_CERT_EXPORT, EIO, SEV_RET_INVALID_LEN, fill_lengths);
	expect(SEV_PDH_CERT_EXPORT, 0, 0, fill_chain);
	assert_int_equal(RUN("psp", "export", "--out", out), EXIT_OK);
	assert_string_equal(errbuf, "");
	check_file("pdh.cert", CERT_LEN, 'D');
	check_file("pek.cert", CERT_LEN, 'P');
	check_file("oca.cert", CERT_LEN, 'O');
	check_file("cek.cert", CERT_LEN, 'C');
	assert_false(exists("ark.cert"));
	assert_false(exists("ask.cert"));
	assert_non_null(strstr(outbuf, "AMD's key distribution service"));
}

static void test_export_existing_dir(void **state)
{
	char out[96];

	snprintf(out, sizeof(out), "%s/out", scratch);
	assert_int_equal(mkdir(out, 0700), 0);
	expect(SEV_PDH_CERT_EXPORT, EIO, SEV_RET_INVALID_LEN, fill_lengths);
	expect(SEV_PDH_CERT_EXPORT, 0, 0, fill_chain);
	assert_int_equal(RUN("psp", "export", "--psp", "kernel", "--out", out),
			 EXIT_OK);
	check_file("cek.cert", CERT_LEN, 'C');
}

static void test_export_needs_out(void **state)
{
	assert_int_equal(RUN("psp", "export"), EXIT_CONFIG);
	assert_non_null(strstr(errbuf, "--out DIR is required"));
	assert_int_equal(open_calls, 0);
}

static void test_export_firmware_errors(void **state)
{
	char out[96];

	snprintf(out, sizeof(out), "%s/out", scratch);
	/* The length query refused: not an INVALID_LEN. */
	expect(SEV_PDH_CERT_EXPORT, EIO, SEV_RET_INVALID_PLATFORM_STATE,
	       NULL);
	assert_int_equal(RUN("psp", "export", "--out", out), EXIT_SEV);
	assert_non_null(strstr(errbuf, "SEV_PDH_CERT_EXPORT failed"));
	/* The export itself refused. */
	expect(SEV_PDH_CERT_EXPORT, EIO, SEV_RET_INVALID_LEN, fill_lengths);
	expect(SEV_PDH_CERT_EXPORT, EIO, SEV_RET_INVALID_ADDRESS, NULL);
	assert_int_equal(RUN("psp", "export", "--out", out), EXIT_SEV);
	assert_non_null(strstr(errbuf, "INVALID_ADDRESS"));
	/* Lengths that are not a PDH and three chain certificates. */
	expect(SEV_PDH_CERT_EXPORT, EIO, SEV_RET_INVALID_LEN,
	       fill_bad_lengths);
	assert_int_equal(RUN("psp", "export", "--out", out), EXIT_SEV);
	assert_non_null(strstr(errbuf, "unusable lengths"));
	assert_false(exists("pdh.cert"));
}

static void test_export_unwritable(void **state)
{
	expect(SEV_PDH_CERT_EXPORT, EIO, SEV_RET_INVALID_LEN, fill_lengths);
	expect(SEV_PDH_CERT_EXPORT, 0, 0, fill_chain);
	assert_int_equal(RUN("psp", "export", "--out",
			     "/proc/self/no/such/dir"), EXIT_HOST);
	assert_non_null(strstr(errbuf, "mkdir /proc/self/no/such/dir failed"));
}

static void test_export_emulated(void **state)
{
	char out[96], spec[96];

	snprintf(out, sizeof(out), "%s/out", scratch);
	snprintf(spec, sizeof(spec), "emulated:%s/state", scratch);
	assert_int_equal(RUN("psp", "export", "--psp", spec, "--out", out),
			 EXIT_OK);
	assert_int_equal(emul_open_calls, 1);
	assert_int_equal(emul_closed, 1);
	check_file("pdh.cert", CERT_LEN, 'D');
	check_file("cek.cert", CERT_LEN, 'C');
	check_file("ark.cert", 64, 'R');
	check_file("ask.cert", 80, 'S');
	assert_null(strstr(outbuf, "key distribution service"));

	scratch_clean();
	emul_roots_ret = -ENOENT;
	assert_int_equal(RUN("psp", "export", "--psp", spec, "--out", out),
			 EXIT_HOST);
	assert_false(exists("ark.cert"));
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_help),
		T(test_bad_usage),
		T(test_bad_psp_spec),
		T(test_max_guests_range),
		T(test_init_kernel),
		T(test_init_emulated),
		T(test_status_kernel),
		T(test_status_self_owned),
		T(test_status_no_device),
		T(test_status_errors),
		T(test_export_kernel),
		T(test_export_existing_dir),
		T(test_export_needs_out),
		T(test_export_firmware_errors),
		T(test_export_unwritable),
		T(test_export_emulated),
	};

	log_init("test_psp_cli");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
