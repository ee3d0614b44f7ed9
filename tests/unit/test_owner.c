// SPDX-License-Identifier: GPL-2.0-only
/*
 * sevm-owner subcommands, called in-process with argv arrays: outputs
 * checked against the sevctl/sev-tool vectors, the session unwrapped with
 * a PDH key made here, every error one line naming its argument.
 */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <openssl/evp.h>

#include "owner/owner.h"
#include "sev/cert.h"
#include "sev/crypto.h"
#include "sev/hashes.h"
#include "tests/unit/vectors.h"
#include "tests/unit/owner-run.h"

#define CERTS "amd-certs/"
#define TIK1 "sevctl/measurement-tik1.bin"
#define NONCE_B64 "wxP6tRHCFrFQWxsuqZA8QA=="
#define PLATFORM "--policy", "3", "--api-major", "1", "--api-minor", "40", \
		 "--build", "40"

static void test_usage_and_unknown(void **state)
{
	struct run o;

	RUN(&o, owner_measure, "--help");
	assert_int_equal(o.rc, 0);
	assert_non_null(strstr(o.out, "usage: sevm-owner measure"));
	RUN(&o, owner_secret, "--bogus");
	expect_error(&o, EXIT_CONFIG, "--bogus");
	RUN(&o, owner_session, "--pdh");
	expect_error(&o, EXIT_CONFIG, "--pdh");
	RUN(&o, owner_verify_chain, "--help");
	assert_int_equal(o.rc, 0);
	RUN(&o, owner_verify_chain, "a", "b");
	expect_error(&o, EXIT_CONFIG, "directory");
}

static void test_chain_real(void **state)
{
	struct run o;

	need_vectors();
	RUN(&o, owner_verify_chain, vector_path(CERTS "rome"));
	assert_int_equal(o.rc, 0);
	assert_int_equal(count(o.out, " ok\n"), 7);
	assert_non_null(strstr(o.out, "AMD root             Rome\n"));
	RUN(&o, owner_verify_chain, "--amd-root", vector_path(CERTS "naples"));
	assert_int_equal(o.rc, 0);
	assert_non_null(strstr(o.out, "Naples"));
}

static void test_chain_tampered(void **state)
{
	char *dir = tmpdir();
	struct run o;

	need_vectors();
	copy_chain(dir, "rome");
	flip_byte(dir, "pek.cert", 0x100);
	RUN(&o, owner_verify_chain, dir);
	expect_error(&o, EXIT_MISMATCH, "CEK -> PEK");
	assert_non_null(strstr(o.out, "CEK -> PEK           FAILED\n"));
	assert_non_null(strstr(o.out, "OCA -> PEK           FAILED\n"));
	assert_non_null(strstr(o.out, "PEK -> PDH           ok\n"));
	copy_chain(dir, "rome");
	flip_byte(dir, "ask.cert", 0x300);
	RUN(&o, owner_verify_chain, dir);
	expect_error(&o, EXIT_MISMATCH, "ARK -> ASK");
	assert_non_null(strstr(o.out, "ASK -> CEK           FAILED\n"));
	/* Unreadable and malformed files: exit 2, naming the file. */
	copy_chain(dir, "rome");
	truncate_file(dir, "pdh.cert", 100);
	RUN(&o, owner_verify_chain, dir);
	expect_error(&o, EXIT_CONFIG, "pdh.cert");
	remove_file(dir, "oca.cert");
	RUN(&o, owner_verify_chain, dir);
	expect_error(&o, EXIT_CONFIG, "oca.cert");
	rm_tree(dir);
}

/* AMD's ask_ark_<gen>.cert layout: ASK then ARK in one file. */
static void test_chain_ask_ark(void **state)
{
	char *dir = tmpdir();
	struct run o;

	need_vectors();
	copy_chain(dir, "naples");
	concat_files(dir, "ask_ark.cert", "ask.cert", "ark.cert");
	remove_file(dir, "ark.cert");
	remove_file(dir, "ask.cert");
	RUN(&o, owner_verify_chain, dir);
	assert_int_equal(o.rc, 0);
	assert_int_equal(count(o.out, " ok\n"), 7);
	truncate_file(dir, "ask_ark.cert", 832 + 100);
	RUN(&o, owner_verify_chain, dir);
	expect_error(&o, EXIT_CONFIG, "ask_ark.cert");
	rm_tree(dir);
}

/* A chain made here, so the test holds the PDH private key. */
struct own_chain {
	EVP_PKEY *rsa, *ec[4];	/* cek oca pek pdh */
	char *dir;
};

static void write_sev(const char *dir, const char *name,
		      const struct sev_cert *c)
{
	write_in(dir, name, c, sizeof(*c));
}

static void make_roots(struct own_chain *k)
{
	static const u8 id[16] = { 1, 2, 3 };
	size_t len;
	u8 *buf;

	assert_int_equal(amd_cert_create(k->rsa, SEV_USAGE_ARK, id, id, k->rsa,
					 &buf, &len), 0);
	write_in(k->dir, "ark.cert", buf, len);
	free(buf);
	assert_int_equal(amd_cert_create(k->rsa, SEV_USAGE_ASK, id, id, k->rsa,
					 &buf, &len), 0);
	write_in(k->dir, "ask.cert", buf, len);
	free(buf);
}

static int own_setup(void **state)
{
	struct own_chain *k = calloc(1, sizeof(*k));
	struct sev_cert c;

	k->rsa = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)4096);
	for (int i = 0; i < 4; i++)
		if (sev_ec_keygen(&k->ec[i]))
			return -1;
	k->dir = tmpdir();
	make_roots(k);
	assert_int_equal(sev_cert_init(&c, SEV_USAGE_CEK, SEV_ALGO_ECDSA_SHA256,
				       k->ec[0], 0, 24), 0);
	assert_int_equal(sev_cert_sign_rsa(&c, 0, k->rsa), 0);
	write_sev(k->dir, "cek.cert", &c);
	assert_int_equal(sev_cert_init(&c, SEV_USAGE_OCA, SEV_ALGO_ECDSA_SHA256,
				       k->ec[1], 0, 24), 0);
	assert_int_equal(sev_cert_sign(&c, 0, SEV_USAGE_OCA, k->ec[1]), 0);
	write_sev(k->dir, "oca.cert", &c);
	assert_int_equal(sev_cert_init(&c, SEV_USAGE_PEK, SEV_ALGO_ECDSA_SHA256,
				       k->ec[2], 0, 24), 0);
	assert_int_equal(sev_cert_sign(&c, 0, SEV_USAGE_OCA, k->ec[1]), 0);
	assert_int_equal(sev_cert_sign(&c, 1, SEV_USAGE_CEK, k->ec[0]), 0);
	write_sev(k->dir, "pek.cert", &c);
	assert_int_equal(sev_cert_init(&c, SEV_USAGE_PDH, SEV_ALGO_ECDH_SHA256,
				       k->ec[3], 0, 24), 0);
	assert_int_equal(sev_cert_sign(&c, 0, SEV_USAGE_PEK, k->ec[2]), 0);
	write_sev(k->dir, "pdh.cert", &c);
	*state = k;
	return 0;
}

static int own_teardown(void **state)
{
	struct own_chain *k = *state;

	EVP_PKEY_free(k->rsa);
	for (int i = 0; i < 4; i++)
		EVP_PKEY_free(k->ec[i]);
	rm_tree(k->dir);
	free(k);
	return 0;
}

static void test_chain_not_amd(void **state)
{
	struct own_chain *k = *state;
	struct run o;

	RUN(&o, owner_verify_chain, k->dir);
	assert_int_equal(o.rc, 0);
	assert_int_equal(count(o.out, " ok\n"), 7);
	assert_non_null(strstr(o.out, "AMD root             no"));
	RUN(&o, owner_verify_chain, "--amd-root", k->dir);
	expect_error(&o, EXIT_MISMATCH, "AMD root");
}

/* The firmware's side: unwrap the session with the PDH private key. */
static void unwrap(struct own_chain *k, const char *dir, const char *name,
		   u32 policy, int want)
{
	char file[64];
	struct sev_session *s;
	struct sev_cert godh;
	u8 *g, *tek, *tik, z[48], kek[16], kik[16], t1[16], t2[16];
	size_t len;

	snprintf(file, sizeof(file), "%s_godh.bin", name);
	g = read_in(dir, file, &len);
	assert_int_equal(sev_cert_parse(g, len, &godh), 0);
	assert_int_equal(le32toh(godh.pub_key_usage), SEV_USAGE_PDH);
	assert_int_equal(le32toh(godh.sig[0].usage), SEV_USAGE_INVALID);
	snprintf(file, sizeof(file), "%s_session.bin", name);
	s = (struct sev_session *)read_in(dir, file, &len);
	assert_int_equal(len, sizeof(*s));
	assert_int_equal(sev_ecdh(k->ec[3], &godh, z), 0);
	assert_int_equal(sev_derive_kek_kik(z, 48, s->nonce, kek, kik), 0);
	assert_int_equal(sev_session_unwrap(s, kek, kik, policy, t1, t2),
			 want);
	snprintf(file, sizeof(file), "%s_tek.bin", name);
	tek = read_in(dir, file, &len);
	snprintf(file, sizeof(file), "%s_tik.bin", name);
	tik = read_in(dir, file, &len);
	if (!want) {
		assert_memory_equal(t1, tek, 16);
		assert_memory_equal(t2, tik, 16);
	}
	free(g);
	free(s);
	free(tek);
	free(tik);
}

static void test_session_unwraps(void **state)
{
	struct own_chain *k = *state;
	char *out = tmpdir();
	struct run o;

	RUN(&o, owner_session, "--pdh", path_in(k->dir, "pdh.cert"),
	    "--policy", "0x37", "--out", out);
	assert_int_equal(o.rc, 0);
	assert_string_equal(o.err, "");
	unwrap(k, out, "vm", 0x37, 0);
	unwrap(k, out, "vm", 0x33, -EKEYREJECTED);
	assert_int_equal(file_mode(out, "vm_tek.bin"), 0600);
	assert_int_equal(file_mode(out, "vm_tik.bin"), 0600);
	rm_tree(out);
}

static bool same_file(const char *da, const char *db, const char *name)
{
	size_t la, lb;
	u8 *a = read_in(da, name, &la), *b = read_in(db, name, &lb);
	bool same = la == lb && !memcmp(a, b, la);

	free(a);
	free(b);
	return same;
}

static void test_session_files_unique(void **state)
{
	static const char *const files[] = {
		"g_tek.bin", "g_tik.bin", "g_godh.bin", "g_session.bin",
	};
	char *d1 = tmpdir(), *d2 = tmpdir();
	struct run o;

	need_vectors();
	RUN(&o, owner_session, "--pdh", vector_path(CERTS "rome/pdh.cert"),
	    "--policy", "1", "--out", d1, "--name", "g");
	assert_int_equal(o.rc, 0);
	RUN(&o, owner_session, "--pdh", vector_path(CERTS "rome/pdh.cert"),
	    "--policy", "1", "--out", d2, "--name", "g");
	assert_int_equal(o.rc, 0);
	for (size_t i = 0; i < ARRAY_SIZE(files); i++)
		assert_false(same_file(d1, d2, files[i]));
	assert_int_equal(file_mode(d1, "g_godh.bin"), 0644);
	assert_int_equal(file_mode(d1, "g_session.b64"), 0644);
	rm_tree(d1);
	rm_tree(d2);
}

static void test_session_base64(void **state)
{
	struct own_chain *k = *state;
	char *out = tmpdir(), *line;
	u8 *pdh, *bin, *dec;
	size_t len, blen, dlen;
	char *b64;
	struct run o;

	/* A base64 PDH (virsh nodesevinfo) works as well as the binary. */
	pdh = read_in(k->dir, "pdh.cert", &len);
	b64 = base64_encode(pdh, len);
	write_in(out, "pdh.b64", b64, strlen(b64));
	RUN(&o, owner_session, "--pdh", path_in(out, "pdh.b64"), "--policy",
	    "1", "--out", out, "--base64");
	assert_int_equal(o.rc, 0);
	unwrap(k, out, "vm", 1, 0);
	line = strstr(o.out, "session: ");
	assert_non_null(line);
	*strchr(line, '\n') = '\0';
	assert_int_equal(base64_decode(line + 9, &dec, &dlen), 0);
	bin = read_in(out, "vm_session.bin", &blen);
	assert_int_equal(dlen, blen);
	assert_memory_equal(dec, bin, blen);
	assert_non_null(strstr(o.out, "godh: AQAAAA"));
	free(dec);
	free(bin);
	free(b64);
	free(pdh);
	rm_tree(out);
}

static void test_session_errors(void **state)
{
	struct own_chain *k = *state;
	char *out = tmpdir();
	const char *pdh = path_in(k->dir, "pdh.cert");
	const char *pek = path_in(k->dir, "pek.cert");
	struct run o;

	RUN(&o, owner_session, "--pdh", pek, "--policy", "1", "--out", out);
	expect_error(&o, EXIT_CONFIG, "pek.cert");
	RUN(&o, owner_session, "--pdh", "/nonexistent", "--policy", "1",
	    "--out", out);
	expect_error(&o, EXIT_CONFIG, "/nonexistent");
	RUN(&o, owner_session, "--pdh", pdh, "--policy", "xyz", "--out", out);
	expect_error(&o, EXIT_CONFIG, "--policy");
	RUN(&o, owner_session, "--pdh", pdh, "--out", out);
	expect_error(&o, EXIT_CONFIG, "--policy");
	RUN(&o, owner_session, "--pdh", pdh, "--policy", "1", "--out", out,
	    "--name", "a/b");
	expect_error(&o, EXIT_CONFIG, "--name");
	RUN(&o, owner_session, "--pdh", pdh, "--policy", "1", "--out",
	    "/proc/nonexistent/dir");
	expect_error(&o, EXIT_CONFIG, "/proc/nonexistent/dir");
	rm_tree(out);
}

int main(void)
{
	const struct CMUnitTest plain[] = {
		cmocka_unit_test(test_usage_and_unknown),
		cmocka_unit_test(test_chain_real),
		cmocka_unit_test(test_chain_tampered),
		cmocka_unit_test(test_chain_ask_ark),
		cmocka_unit_test(test_session_files_unique),
	};
	const struct CMUnitTest own[] = {
		cmocka_unit_test(test_chain_not_amd),
		cmocka_unit_test(test_session_unwraps),
		cmocka_unit_test(test_session_base64),
		cmocka_unit_test(test_session_errors),
	};
	int r = cmocka_run_group_tests_name("owner", plain, NULL, NULL);

	return r | cmocka_run_group_tests_name("owner-own-chain", own,
					       own_setup, own_teardown);
}
