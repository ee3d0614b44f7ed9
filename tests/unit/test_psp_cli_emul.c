// SPDX-License-Identifier: GPL-2.0-only
/*
 * `sevm psp` end to end against the real emulated PSP (sev/emul/)
 * sev/emul/) in a scratch directory: init (idempotent), status as
 * JSON, export of a certificate chain that verifies (ARK -> ASK -> CEK ->
 * PEK <- OCA, PEK -> PDH), and the errors for an uninitialised directory.
 */
#define _XOPEN_SOURCE 700
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ftw.h>
#include <unistd.h>
#include <sys/stat.h>
#include <cmocka.h>

#include <json-c/json.h>

#include "sev/cert.h"
#include "sev/sev.h"
#include "tests/unit/sev-testlib.h"
#include "lib/log.h"

static char outbuf[8192], errbuf[8192];
static char scratch[64], plat[96], spec[112], outdir[96];

static int run(const char *const *args)
{
	return capture_run(psp_cli_main, args, outbuf, sizeof(outbuf), errbuf,
			   sizeof(errbuf));
}

#define RUN(...) run((const char *const[]){ __VA_ARGS__, NULL })

static int rm_one(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	return remove(path);
}

static int group_setup(void **state)
{
	snprintf(scratch, sizeof(scratch), "/tmp/test_psp_cli_emul.XXXXXX");
	if (!mkdtemp(scratch))
		return -1;
	snprintf(plat, sizeof(plat), "%s/platform", scratch);
	snprintf(spec, sizeof(spec), "emulated:%s", plat);
	snprintf(outdir, sizeof(outdir), "%s/out", scratch);
	/* Creating the identity (RSA-4096 ARK and ASK) is the slow part. */
	if (RUN("psp", "init", "--psp", spec) != EXIT_OK) {
		fprintf(stderr, "init failed: %s", errbuf);
		return -1;
	}
	return 0;
}

static int group_teardown(void **state)
{
	return nftw(scratch, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void *slurp(const char *dir, const char *name, size_t *len)
{
	char path[160];
	void *buf;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_int_equal(read_file(path, &buf, len, 1 << 20), 0);
	return buf;
}

static void test_init_idempotent(void **state)
{
	size_t len1, len2;
	void *cek1 = slurp(plat, "cek.cert", &len1), *cek2;

	assert_int_equal(RUN("psp", "init", "--psp", spec), EXIT_OK);
	assert_non_null(strstr(outbuf, plat));
	assert_int_equal(RUN("psp", "init", "--psp", spec, "--max-guests",
			     "7"), EXIT_OK);
	cek2 = slurp(plat, "cek.cert", &len2);
	/* The platform identity was kept. */
	assert_int_equal(len1, len2);
	assert_memory_equal(cek1, cek2, len1);
	free(cek1);
	free(cek2);
}

static json_object *get(json_object *o, const char *key)
{
	json_object *v = NULL;

	assert_true(json_object_object_get_ex(o, key, &v));
	return v;
}

static void test_status(void **state)
{
	const char *st;
	json_object *o;

	assert_int_equal(RUN("psp", "status", "--psp", spec), EXIT_OK);
	o = json_tokener_parse(outbuf);
	assert_non_null(o);
	assert_int_equal(json_object_object_length(o), 7);
	assert_true(json_object_is_type(get(o, "api-major"), json_type_int));
	assert_true(json_object_is_type(get(o, "api-minor"), json_type_int));
	assert_true(json_object_is_type(get(o, "build-id"), json_type_int));
	assert_true(json_object_is_type(get(o, "config-es"),
					json_type_boolean));
	st = json_object_get_string(get(o, "state"));
	assert_true(!strcmp(st, "uninit") || !strcmp(st, "init") ||
		    !strcmp(st, "working"));
	assert_string_equal(json_object_get_string(get(o, "owner")), "self");
	assert_int_equal(json_object_get_int(get(o, "guest-count")), 0);
	json_object_put(o);
}

static void check_mode(const char *name)
{
	char path[160];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", outdir, name);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
}

static void load_sev(const char *name, struct sev_cert *c)
{
	size_t len;
	void *buf = slurp(outdir, name, &len);

	assert_int_equal(len, SEV_CERT_SIZE);
	assert_int_equal(sev_cert_parse(buf, len, c), 0);
	free(buf);
	check_mode(name);
}

static void test_export_chain_verifies(void **state)
{
	struct sev_cert pdh, pek, oca, cek;
	struct amd_cert ark, ask;
	struct sev_chain chain = {
		.ark = &ark, .ask = &ask,
		.cek = &cek, .oca = &oca, .pek = &pek, .pdh = &pdh,
	};
	const char *failed = NULL;
	void *ark_buf, *ask_buf;
	size_t ark_len, ask_len;

	assert_int_equal(RUN("psp", "export", "--psp", spec, "--out", outdir),
			 EXIT_OK);
	assert_non_null(strstr(outbuf, "certificates written to"));
	load_sev("pdh.cert", &pdh);
	load_sev("pek.cert", &pek);
	load_sev("oca.cert", &oca);
	load_sev("cek.cert", &cek);
	assert_int_equal(pdh.pub_key_usage, SEV_USAGE_PDH);
	assert_int_equal(pek.pub_key_usage, SEV_USAGE_PEK);
	assert_int_equal(oca.pub_key_usage, SEV_USAGE_OCA);
	assert_int_equal(cek.pub_key_usage, SEV_USAGE_CEK);
	ark_buf = slurp(outdir, "ark.cert", &ark_len);
	ask_buf = slurp(outdir, "ask.cert", &ask_len);
	check_mode("ark.cert");
	check_mode("ask.cert");
	assert_int_equal(amd_cert_parse(ark_buf, ark_len, &ark), 0);
	assert_int_equal(amd_cert_parse(ask_buf, ask_len, &ask), 0);
	assert_int_equal(sev_chain_verify(&chain, &failed), 0);
	/* A certificate in the wrong place is caught. */
	chain.pek = &oca;
	assert_int_not_equal(sev_chain_verify(&chain, &failed), 0);
	free(ark_buf);
	free(ask_buf);
}

static void test_uninitialised_dir(void **state)
{
	char none[112], out2[112];

	snprintf(none, sizeof(none), "emulated:%s/none", scratch);
	snprintf(out2, sizeof(out2), "%s/out2", scratch);
	assert_int_equal(RUN("psp", "status", "--psp", none), EXIT_HOST);
	assert_string_equal(outbuf, "");
	assert_true(count_lines(errbuf) >= 1);
	assert_int_equal(RUN("psp", "export", "--psp", none, "--out", out2),
			 EXIT_HOST);
	assert_int_not_equal(access(out2, F_OK), 0);
}

static void test_kernel_init_refused(void **state)
{
	assert_int_equal(RUN("psp", "init", "--psp", "kernel"), EXIT_CONFIG);
	assert_non_null(strstr(errbuf, "nothing to initialise"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_idempotent),
		cmocka_unit_test(test_status),
		cmocka_unit_test(test_export_chain_verifies),
		cmocka_unit_test(test_uninitialised_dir),
		cmocka_unit_test(test_kernel_init_refused),
	};

	log_init("test_psp_cli_emul");
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
