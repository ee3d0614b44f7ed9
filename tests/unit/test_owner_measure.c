// SPDX-License-Identifier: GPL-2.0-only
/*
 * sevm-owner measure and secret, in-process: the sev-tool and sevctl
 * measurement vectors (LD given, firmware, kernel hashes, SEV-ES VMSAs),
 * --verify, and the LAUNCH_SECRET vectors (sev-protocol.md 9.2, 9.3).
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/fw-embed.h"
#include "owner/owner.h"
#include "sev/crypto.h"
#include "sev/hashes.h"
#include "tests/unit/owner-run.h"
#include "tests/unit/vectors.h"

#define V(rel)		vector_path("sevctl/" rel)
#define FIRMWARE	V("OVMF.amdsev.fd_trimmed_" \
			  "edk2-ovmf-20220126gitbb1bba3d77-4.el9")
#define TIK1		V("measurement-tik1.bin")
#define NONCE_B64	"wxP6tRHCFrFQWxsuqZA8QA=="
#define NONCE_HEX	"c313fab511c216b1505b1b2ea9903c40"
#define PLATFORM	"--policy", "0x03", "--api-major", "0x01", \
			"--api-minor", "40", "--build", "40"

#define LD_KHASH	"4b47fec6f851487c33714c8a00a832a1" \
			"b705ad0a7cac4a647388eccfa9f0c570"

/* Expected blobs: sevctl's MEASURE (base64 of 32) || the nonce. */
static void expect_blob(const struct run *o, const char *measure_b64,
			const char *nonce_hex)
{
	u8 *m, want[48], *got;
	size_t len, glen;
	char line[80];

	assert_int_equal(o->rc, 0);
	assert_int_equal(base64_decode(measure_b64, &m, &len), 0);
	assert_int_equal(len, 32);
	memcpy(want, m, 32);
	unhex(nonce_hex, want + 32, 16);
	free(m);
	snprintf(line, sizeof(line), "%s", o->out);
	assert_int_equal(base64_decode(line, &got, &glen), 0);
	assert_int_equal(glen, 48);
	assert_memory_equal(got, want, 48);
	assert_int_equal(count(o->out, "\n"), 1);
	free(got);
}

static void test_measure_ld_vectors(void **state)
{
	char *d = tmpdir();
	struct run o;

	/* sev-tool readme / virtee: API 0.18, build 0x0f, policy 0. */
	write_hex(d, "tik", "66320db73158a35a255d051758e95ed4");
	RUN(&o, owner_measure, "--ld",
	    "e3b0c44298fc1c149afbf4c8996fb924"
	    "27ae41e4649b934ca495991b7852b855",
	    "--tik", path_in(d, "tik"), "--policy", "0", "--api-major", "0",
	    "--api-minor", "18", "--build", "0x0f", "--nonce",
	    "4fbe0bedbad6c86ae8f68971d103e554");
	expect_blob(&o, "b6qy2q44m800BaBdbK/jPAQU977dC64Zul84t/0WZOo=",
		    "4fbe0bedbad6c86ae8f68971d103e554");
	/* sevctl (a), LD in base64 as sevctl's --launch-digest takes it. */
	write_hex(d, "tik1", "3569cf61a32a602b87185ac6e0f55913");
	RUN(&o, owner_measure, "--ld",
	    "xkvRAfyaSizgonxAjZIAkR8TmolUabBKQKb6KJCDDSM=", "--tik",
	    path_in(d, "tik1"), PLATFORM, "--nonce", NONCE_B64);
	expect_blob(&o, "lswbxWxI9gckya16JQvdFtpYmNO4b+3inAPpqsgoBI4=",
		    NONCE_HEX);
	rm_tree(d);
}

static void test_measure_images(void **state)
{
	struct run o;

	need_vectors();
	RUN(&o, owner_measure, "--firmware", FIRMWARE, "--tik", TIK1,
	    PLATFORM, "--nonce", NONCE_HEX);
	expect_blob(&o, "oMDewIouJSpbpNRHj7Mk3p08H2dPZQdsZMU14qIymBk=",
		    NONCE_HEX);
	RUN(&o, owner_measure, "--firmware", FIRMWARE, "--kernel",
	    V("measurement-vmlinuz-fake"), "--initrd",
	    V("measurement-initrd-fake"), "--cmdline",
	    "foo bar baz fake kernel=cmdline", "--tik", TIK1, PLATFORM,
	    "--nonce", NONCE_B64);
	expect_blob(&o, "h3auYbWQnVW7EGLWN4Hf9SN0oEYMPU2sK4bLnefWPws=",
		    NONCE_HEX);
	/* SEV-ES, 4 vCPUs: the BSP's VMSA, then the AP's three times. */
	RUN(&o, owner_measure, "--firmware", FIRMWARE, "--vmsa",
	    V("vmsa0.bin"), "--vmsa", V("vmsa1.bin"), "--vmsa",
	    V("vmsa1.bin"), "--vmsa", V("vmsa1.bin"), "--tik", TIK1,
	    "--policy", "5", "--api-major", "1", "--api-minor", "40",
	    "--build", "40", "--nonce", NONCE_B64);
	expect_blob(&o, "tsLCcIIPrm3TWcyaOFfvUVEjRLGQzEnGlznRioMOCU4=",
		    NONCE_HEX);
	RUN(&o, owner_measure, "--firmware", FIRMWARE, "--digest");
	assert_int_equal(o.rc, 0);
	assert_string_equal(o.out, "2f6fc6065f4abc131eb4fb2b5090a542"
			    "636eae84a94c0db0fdd5f405cb372ff5\n");
	RUN(&o, owner_measure, "--firmware", FIRMWARE, "--kernel",
	    V("measurement-vmlinuz-fake"), "--kernel-hashes", "on",
	    "--digest");
	assert_int_equal(o.rc, 0);
	assert_int_not_equal(strncmp(o.out, "2f6fc606", 8), 0);
}

/* No --firmware: the embedded image, the same digest as its file. */
static void test_measure_embedded(void **state)
{
	char *d = tmpdir(), with[160];
	const char *fw = path_in(d, "fw.bin");
	struct run o;

	if (!FW_EMBEDDED_AVAILABLE) {
		RUN(&o, owner_measure, "--kernel-hashes", "off", "--digest");
		assert_int_equal(o.rc, 2);
		rm_tree(d);
		return;
	}
	assert_int_equal(fw_embedded_dump(fw), 0);
	RUN(&o, owner_measure, "--firmware", fw, "--kernel-hashes", "off",
	    "--digest");
	assert_int_equal(o.rc, 0);
	snprintf(with, sizeof(with), "%s", o.out);
	assert_int_equal(strlen(with), 65);
	RUN(&o, owner_measure, "--kernel-hashes", "off", "--digest");
	assert_int_equal(o.rc, 0);
	assert_string_equal(o.out, with);
	rm_tree(d);
	/* and with a kernel: the embedded image, then the hashes table */
	need_vectors();
	RUN(&o, owner_measure, "--kernel", V("measurement-vmlinuz-fake"),
	    "--digest");
	assert_int_equal(o.rc, 0);
	assert_int_equal(strlen(o.out), 65);
	assert_string_not_equal(o.out, with);
}

static void test_measure_verify(void **state)
{
	static const char blob[] =
		"h3auYbWQnVW7EGLWN4Hf9SN0oEYMPU2sK4bLnefWPw"
		"vDE/q1EcIWsVBbGy6pkDxA";
	char bad[sizeof(blob)];
	struct run o;

	need_vectors();
	RUN(&o, owner_measure, "--firmware", FIRMWARE, "--kernel",
	    V("measurement-vmlinuz-fake"), "--initrd",
	    V("measurement-initrd-fake"), "--cmdline",
	    "foo bar baz fake kernel=cmdline", "--tik", TIK1, PLATFORM,
	    "--verify", blob);
	assert_int_equal(o.rc, 0);
	assert_string_equal(o.out, "measurement ok\n");
	/* Another cmdline is another measurement. */
	RUN(&o, owner_measure, "--firmware", FIRMWARE, "--kernel",
	    V("measurement-vmlinuz-fake"), "--initrd",
	    V("measurement-initrd-fake"), "--cmdline",
	    "foo bar baz fake kernel=cmdlinE", "--tik", TIK1, PLATFORM,
	    "--verify", blob);
	expect_error(&o, EXIT_MISMATCH, "mismatch");
	/* A tampered MEASURE, and a tampered MNONCE, both mismatch. */
	memcpy(bad, blob, sizeof(blob));
	bad[0] = 'i';
	RUN(&o, owner_measure, "--firmware", FIRMWARE, "--kernel",
	    V("measurement-vmlinuz-fake"), "--initrd",
	    V("measurement-initrd-fake"), "--cmdline",
	    "foo bar baz fake kernel=cmdline", "--tik", TIK1, PLATFORM,
	    "--verify", bad);
	expect_error(&o, EXIT_MISMATCH, "mismatch");
	memcpy(bad, blob, sizeof(blob));
	bad[50] = 'A';
	RUN(&o, owner_measure, "--ld",
	    LD_KHASH,
	    "--tik", TIK1, PLATFORM, "--verify", bad);
	expect_error(&o, EXIT_MISMATCH, "mismatch");
	RUN(&o, owner_measure, "--ld",
	    LD_KHASH,
	    "--tik", TIK1, PLATFORM, "--verify", blob);
	assert_int_equal(o.rc, 0);
}

static void test_measure_errors(void **state)
{
	static const char ld[] =
		"4b47fec6f851487c33714c8a00a832a1"
		"b705ad0a7cac4a647388eccfa9f0c570";
	char *d = tmpdir();
	struct run o;

	write_hex(d, "tik", "3569cf61a32a602b87185ac6e0f55913");
	write_hex(d, "short", "3569cf61");
	RUN(&o, owner_measure, "--ld", ld, "--tik", path_in(d, "short"),
	    PLATFORM, "--nonce", NONCE_B64);
	expect_error(&o, EXIT_CONFIG, "short");
	RUN(&o, owner_measure, "--ld", ld, "--tik", path_in(d, "tik"),
	    PLATFORM);
	expect_error(&o, EXIT_CONFIG, "--nonce");
	RUN(&o, owner_measure, "--ld", ld, "--tik", path_in(d, "tik"),
	    PLATFORM, "--nonce", NONCE_B64, "--verify", NONCE_B64);
	expect_error(&o, EXIT_CONFIG, "--verify");
	RUN(&o, owner_measure, "--ld", ld, "--tik", path_in(d, "tik"),
	    PLATFORM, "--verify", NONCE_B64);
	expect_error(&o, EXIT_CONFIG, "--verify");
	RUN(&o, owner_measure, "--ld", "abcd", "--digest");
	expect_error(&o, EXIT_CONFIG, "--ld");
	RUN(&o, owner_measure, "--ld", ld, "--tik", path_in(d, "tik"),
	    "--policy", "1", "--api-major", "256", "--api-minor", "1",
	    "--build", "1", "--nonce", NONCE_B64);
	expect_error(&o, EXIT_CONFIG, "--api-major");
	RUN(&o, owner_measure, "--ld", ld, "--tik", path_in(d, "tik"),
	    "--policy", "1", "--nonce", NONCE_B64);
	expect_error(&o, EXIT_CONFIG, "--build");
	rm_tree(d);
}

static void test_measure_image_errors(void **state)
{
	char *d = tmpdir();
	struct run o;

	write_hex(d, "tik", "3569cf61a32a602b87185ac6e0f55913");
	RUN(&o, owner_measure, "--firmware", path_in(d, "tik"), "--kernel",
	    path_in(d, "tik"), "--kernel-hashes", "off", "--digest");
	expect_error(&o, EXIT_CONFIG, "unmeasured");
	RUN(&o, owner_measure, "--firmware", path_in(d, "tik"), "--initrd",
	    path_in(d, "tik"), "--digest");
	expect_error(&o, EXIT_CONFIG, "--kernel");
	RUN(&o, owner_measure, "--firmware", path_in(d, "tik"), "--vmsa",
	    path_in(d, "tik"), "--digest");
	expect_error(&o, EXIT_CONFIG, "want 4096");
	RUN(&o, owner_measure, "--firmware", path_in(d, "none"), "--digest");
	expect_error(&o, EXIT_CONFIG, "none");
	RUN(&o, owner_measure, "--ld", LD_KHASH, "--firmware",
	    path_in(d, "tik"), "--digest");
	expect_error(&o, EXIT_CONFIG, "--ld");
	rm_tree(d);
}

#define S_TIK "c6d5a9956133050912b24bbe5c372686"
#define S_TEK "52a869b79ab9c13bb6a92b0561619cb3"
#define S_BLOB		"TLeA7607lZQntLjRY1/i+sbtdSZ+75zxpz4Px9hzpBLwItF5" \
			"Q2o4prA++3ZZv9ZS"
#define S_IV		"rFR07U3TLH2YnsUj2SVZ7A=="
#define S_HDR1		"AAAAAKxUdO1N0yx9mJ7FI9klWey8FSzeYQ4X8K71VzNKLU/K" \
			"QsIsQxLjtbhaPUewqshX5Q=="
#define S_CT1		"0U3e5PcXv0UW+H4tSBFKOdCYfKE1+j38Bc2fuO16mYiyI+sW" \
			"x7INfn+lgYj56GL12yyinDa+lVfCCwD/2w5cPA=="
#define S_HDR2		"AAAAAKxUdO1N0yx9mJ7FI9klWeyZ3r0dOEKHUOhIRqzGYYvT" \
			"JgdMtBPL1nK6GD9aGET7Ng=="
#define S_CT2		"0U3e5PcXv0UW+H4tSBFKObWYfKE1+j38Bc2fuO16mYiyI+sW" \
			"x7INfn+lgYj56GL12yyinDa+lVfCC+WWs332lpLNUX1ZI3YK" \
			"7vYgtys4X+uGxEIlkIQ90v8/w8ZFmQMe"

static void secret_dir(char *d)
{
	write_hex(d, "tik", S_TIK);
	write_hex(d, "tek", S_TEK);
	write_in(d, "s1", "MY-LUKS-PASSPHRASE", 18);
	write_in(d, "s2", "SOME OTHER SECRET", 17);
}

static void expect_file(const char *d, const char *name, const char *text)
{
	size_t len;
	u8 *buf = read_in(d, name, &len);

	assert_int_equal(len, strlen(text));
	assert_memory_equal(buf, text, len);
	free(buf);
}

static char spec[2][300];

static const char *secret_spec(int i, const char *guid, const char *d,
			       const char *f)
{
	snprintf(spec[i], sizeof(spec[i]), "%s:%s", guid, path_in(d, f));
	return spec[i];
}

static void test_secret_vectors(void **state)
{
	char *d = tmpdir();
	struct run o;

	secret_dir(d);
	RUN(&o, owner_secret, "--measurement", S_BLOB, "--tek",
	    path_in(d, "tek"), "--tik", path_in(d, "tik"), "--secret",
	    secret_spec(0, "736869e5-84f0-4973-92ec-06879ce3da0b", d, "s1"),
	    "--iv", S_IV, "--out-header", path_in(d, "hdr"), "--out-secret",
	    path_in(d, "ct"), "--base64");
	assert_int_equal(o.rc, 0);
	expect_file(d, "hdr", S_HDR1);
	expect_file(d, "ct", S_CT1);
	/* Two secrets; the luks-key alias; the IV in hex. */
	RUN(&o, owner_secret, "--measurement", S_BLOB, "--tek",
	    path_in(d, "tek"), "--tik", path_in(d, "tik"), "--secret",
	    secret_spec(0, "luks-key", d, "s1"), "--secret",
	    secret_spec(1, "736869e5-aaaa-4973-92ec-06879ce3da0b", d, "s2"),
	    "--iv", "ac5474ed4dd32c7d989ec523d92559ec", "--out-header",
	    path_in(d, "hdr"), "--out-secret", path_in(d, "ct"), "--base64");
	assert_int_equal(o.rc, 0);
	expect_file(d, "hdr", S_HDR2);
	expect_file(d, "ct", S_CT2);
	rm_tree(d);
}

/* Binary output opens with the firmware's side and parses back. */
static void test_secret_binary_opens(void **state)
{
	struct sev_secret_header *hdr;
	struct sev_secret_entry e[2];
	u8 tek[16], tik[16], m[32], *ct, plain[64], *blob;
	size_t len, hlen, blen;
	unsigned int n;
	char *d = tmpdir();
	struct run o;

	secret_dir(d);
	RUN(&o, owner_secret, "--measurement", S_BLOB, "--tek",
	    path_in(d, "tek"), "--tik", path_in(d, "tik"), "--secret",
	    secret_spec(0, "luks-key", d, "s1"), "--out-header",
	    path_in(d, "hdr"), "--out-secret", path_in(d, "ct"));
	assert_int_equal(o.rc, 0);
	hdr = (struct sev_secret_header *)read_in(d, "hdr", &hlen);
	ct = read_in(d, "ct", &len);
	assert_int_equal(hlen, 52);
	assert_int_equal(len, 64);
	unhex(S_TEK, tek, 16);
	unhex(S_TIK, tik, 16);
	assert_int_equal(base64_decode(S_BLOB, &blob, &blen), 0);
	memcpy(m, blob, 32);
	assert_int_equal(sev_secret_open(tek, tik, m, hdr, 64, ct, 64, plain),
			 0);
	assert_int_equal(sev_secret_table_parse(plain, 64, e, 2, &n), 0);
	assert_int_equal(n, 1);
	assert_memory_equal(e[0].data, "MY-LUKS-PASSPHRASE", 18);
	free(blob);
	free(hdr);
	free(ct);
	rm_tree(d);
}

static void test_secret_random_iv(void **state)
{
	char *d = tmpdir();
	u8 *h1, *h2;
	size_t l1, l2;
	struct run o;

	secret_dir(d);
	for (int i = 0; i < 2; i++) {
		RUN(&o, owner_secret, "--measurement", S_BLOB, "--tek",
		    path_in(d, "tek"), "--tik", path_in(d, "tik"), "--secret",
		    secret_spec(0, "luks-key", d, "s1"), "--out-header",
		    path_in(d, i ? "h2" : "h1"), "--out-secret",
		    path_in(d, "ct"));
		assert_int_equal(o.rc, 0);
	}
	h1 = read_in(d, "h1", &l1);
	h2 = read_in(d, "h2", &l2);
	assert_int_equal(l1, 52);
	assert_memory_not_equal(h1 + 4, h2 + 4, 16);
	free(h1);
	free(h2);
	rm_tree(d);
}

static void secret_error(char *d, const char *meas, const char *tek,
			 const char *sec, const char *needle)
{
	struct run o;

	RUN(&o, owner_secret, "--measurement", meas, "--tek",
	    path_in(d, tek), "--tik", path_in(d, "tik"), "--secret", sec,
	    "--out-header", path_in(d, "hdr"), "--out-secret",
	    path_in(d, "ct"));
	expect_error(&o, EXIT_CONFIG, needle);
}

static void test_secret_errors(void **state)
{
	char *d = tmpdir();
	const char *good;
	struct run o;

	secret_dir(d);
	write_hex(d, "short", "0011");
	good = secret_spec(0, "luks-key", d, "s1");
	secret_error(d, "AAAA", "tek", good, "--measurement");
	secret_error(d, S_BLOB, "short", good, "short");
	secret_error(d, S_BLOB, "tek", "luks-key", "--secret");
	secret_error(d, S_BLOB, "tek", "not-a-guid:/etc/hostname",
		     "--secret");
	secret_error(d, S_BLOB, "tek", secret_spec(1, "luks-key", d, "nope"),
		     "nope");
	RUN(&o, owner_secret, "--measurement", S_BLOB, "--tek",
	    path_in(d, "tek"), "--tik", path_in(d, "tik"), "--secret", good,
	    "--out-header", path_in(d, "hdr"));
	expect_error(&o, EXIT_CONFIG, "--out-secret");
	RUN(&o, owner_secret, "--measurement", S_BLOB, "--tek",
	    path_in(d, "tek"), "--tik", path_in(d, "tik"), "--secret", good,
	    "--iv", "00", "--out-header", path_in(d, "hdr"), "--out-secret",
	    path_in(d, "ct"));
	expect_error(&o, EXIT_CONFIG, "--iv");
	rm_tree(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_measure_ld_vectors),
		cmocka_unit_test(test_measure_images),
		cmocka_unit_test(test_measure_embedded),
		cmocka_unit_test(test_measure_verify),
		cmocka_unit_test(test_measure_errors),
		cmocka_unit_test(test_measure_image_errors),
		cmocka_unit_test(test_secret_vectors),
		cmocka_unit_test(test_secret_binary_opens),
		cmocka_unit_test(test_secret_random_iv),
		cmocka_unit_test(test_secret_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
