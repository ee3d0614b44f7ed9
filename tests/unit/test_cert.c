// SPDX-License-Identifier: GPL-2.0-only
/*
 * sev/cert.c: the real AMD chains (sev-protocol.md 9.4), single-byte
 * tampering of every certificate, malformed certificates, and a chain
 * built the way the emulated PSP builds one.
 */
#include <endian.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>

#include "sev/cert.h"
#include "sev/crypto.h"
#include "tests/unit/vectors.h"

/* One generation's certificates, as files and parsed. */
struct gen {
	const char *name;
	bool full;		/* CEK, OCA, PEK, PDH present */
	u8 *file[6];		/* ark ask cek oca pek pdh */
	size_t len[6];
	struct amd_cert ark, ask;
	struct sev_cert cek, oca, pek, pdh;
};

enum { F_ARK, F_ASK, F_CEK, F_OCA, F_PEK, F_PDH };
static const char *const fnames[] = {
	"ark.cert", "ask.cert", "cek.cert", "oca.cert", "pek.cert", "pdh.cert",
};

static void gen_load(struct gen *g)
{
	char rel[64];
	int n = g->full ? 6 : 2;

	if (!vectors_dir())
		skip();
	for (int i = 0; i < n; i++) {
		snprintf(rel, sizeof(rel), "amd-certs/%s/%s", g->name,
			 fnames[i]);
		assert_int_equal(vector_read(rel, &g->file[i], &g->len[i]), 0);
	}
	assert_int_equal(amd_cert_parse(g->file[F_ARK], g->len[F_ARK],
					&g->ark), 0);
	assert_int_equal(amd_cert_parse(g->file[F_ASK], g->len[F_ASK],
					&g->ask), 0);
	if (!g->full)
		return;
	assert_int_equal(sev_cert_parse(g->file[F_CEK], g->len[F_CEK],
					&g->cek), 0);
	assert_int_equal(sev_cert_parse(g->file[F_OCA], g->len[F_OCA],
					&g->oca), 0);
	assert_int_equal(sev_cert_parse(g->file[F_PEK], g->len[F_PEK],
					&g->pek), 0);
	assert_int_equal(sev_cert_parse(g->file[F_PDH], g->len[F_PDH],
					&g->pdh), 0);
}

static void gen_free(struct gen *g)
{
	for (int i = 0; i < 6; i++)
		free(g->file[i]);
}

static struct sev_chain gen_chain(struct gen *g)
{
	struct sev_chain ch = { .ark = &g->ark, .ask = &g->ask };

	if (g->full) {
		ch.cek = &g->cek;
		ch.oca = &g->oca;
		ch.pek = &g->pek;
		ch.pdh = &g->pdh;
	}
	return ch;
}

static void full_chain_verifies(const char *name, u32 ark_bits)
{
	struct gen g = { .name = name, .full = true };
	struct sev_chain ch;
	const char *failed = "unset";

	gen_load(&g);
	assert_int_equal(g.ark.modulus_bits, ark_bits);
	assert_int_equal(g.ark.total_len, g.len[F_ARK]);
	assert_int_equal(g.ark.signed_len, 0x40 + 2 * ark_bits / 8);
	ch = gen_chain(&g);
	assert_int_equal(sev_chain_verify(&ch, &failed), 0);
	assert_null(failed);
	for (unsigned int i = 0; i < SEV_CHAIN_LINKS; i++)
		assert_int_equal(sev_chain_link_verify(&ch, i), 0);
	/* Roles matter: a PEK is no PDH, an ASK no ARK. */
	ch.pdh = &g.pek;
	assert_int_equal(sev_chain_verify(&ch, &failed), -EBADMSG);
	assert_string_equal(failed, "PEK -> PDH");
	ch = gen_chain(&g);
	ch.ark = &g.ask;
	assert_int_equal(sev_chain_verify(&ch, &failed), -EBADMSG);
	assert_string_equal(failed, "ARK self-signature");
	gen_free(&g);
}

static void test_naples_chain(void **state)
{
	full_chain_verifies("naples", 2048);
}

static void test_rome_chain(void **state)
{
	full_chain_verifies("rome", 4096);
}

static void test_roots_later_generations(void **state)
{
	static const char *const names[] = { "milan", "genoa", "turin" };

	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		struct gen g = { .name = names[i] };
		struct sev_chain ch;
		const char *failed;

		gen_load(&g);
		ch = gen_chain(&g);
		assert_int_equal(g.ark.modulus_bits, 4096);
		assert_int_equal(amd_cert_verify(&g.ark, &g.ark), 0);
		assert_int_equal(amd_cert_verify(&g.ask, &g.ark), 0);
		assert_int_equal(sev_chain_verify(&ch, &failed), 0);
		/* The ASK signs nothing AMD-format, itself included. */
		assert_int_equal(amd_cert_verify(&g.ask, &g.ask), -EINVAL);
		gen_free(&g);
	}
}

static void test_naples_bad_ark(void **state)
{
	struct gen g = { .name = "naples" };
	struct amd_cert bad;
	u8 *buf;
	size_t len;

	gen_load(&g);
	assert_int_equal(vector_read("amd-certs/naples/ark.cert.bad", &buf,
				     &len), 0);
	/* The truncated original AMD published (AMDSEV#17): malformed. */
	assert_int_equal(amd_cert_parse(buf, len, &bad), -EINVAL);
	/* Declared shorter than it is, the good ARK is malformed too. */
	assert_true(len < g.len[F_ARK]);
	assert_int_equal(amd_cert_parse(g.file[F_ARK], len, &bad), -EINVAL);
	free(buf);
	gen_free(&g);
}

/* The chain with file f replaced by buf (flipped); 0 if it verifies. */
static int chain_with(struct gen *g, int f, const u8 *buf)
{
	struct sev_chain ch = gen_chain(g);
	struct amd_cert amd;
	struct sev_cert sev;
	const char *failed;

	if (f <= F_ASK) {
		if (amd_cert_parse(buf, g->len[f], &amd))
			return -EINVAL;
		*(f == F_ARK ? &ch.ark : &ch.ask) = &amd;
	} else {
		if (sev_cert_parse(buf, g->len[f], &sev))
			return -EINVAL;
		if (f == F_CEK)
			ch.cek = &sev;
		else if (f == F_OCA)
			ch.oca = &sev;
		else if (f == F_PEK)
			ch.pek = &sev;
		else
			ch.pdh = &sev;
	}
	return sev_chain_verify(&ch, &failed);
}

static unsigned int flip_at(struct gen *g, int f, size_t pos)
{
	u8 *copy = malloc(g->len[f]);

	assert_non_null(copy);
	assert_true(pos < g->len[f]);
	memcpy(copy, g->file[f], g->len[f]);
	copy[pos] ^= 0x01;
	if (chain_with(g, f, copy) == 0)
		fail_msg("%s/%s: flipping byte 0x%zx still verifies", g->name,
			 fnames[f], pos);
	free(copy);
	return 1;
}

/* Every header byte, a sample of the rest (signed part and signature). */
static unsigned int flip_amd(struct gen *g, int f)
{
	unsigned int n = 0;

	for (size_t pos = 0; pos < 0x40; pos++)
		n += flip_at(g, f, pos);
	for (size_t pos = 0x40; pos < g->len[f]; pos += 29)
		n += flip_at(g, f, pos);
	return n + flip_at(g, f, g->len[f] - 1);
}

static unsigned int flip_slot(struct gen *g, int f, int slot, bool rsa_sig)
{
	size_t base = 0x414 + (size_t)slot * 0x208, pos;
	size_t siglen = rsa_sig ? g->ask.modulus_bits / 8 : 2 * 72;
	unsigned int n = 0;

	for (pos = base; pos < base + 8; pos++)		/* usage, algo */
		n += flip_at(g, f, pos);
	for (pos = 0; pos < siglen; pos += 7)
		n += flip_at(g, f, base + 8 + pos);
	if (!rsa_sig) {		/* ends of r and s, high bytes included */
		n += flip_at(g, f, base + 8 + 47);
		n += flip_at(g, f, base + 8 + 71);
		n += flip_at(g, f, base + 8 + 72 + 71);
	}
	return n + flip_at(g, f, base + 8 + siglen - 1);
}

static unsigned int flip_sev(struct gen *g, int f)
{
	const struct sev_cert *c = f == F_CEK ? &g->cek : f == F_OCA ?
				   &g->oca : f == F_PEK ? &g->pek : &g->pdh;
	unsigned int n = 0, slots = 0;

	for (size_t pos = 0; pos < 0x14; pos++)	/* header and curve */
		n += flip_at(g, f, pos);
	for (size_t pos = 0x14; pos < SEV_CERT_BODY_SIZE; pos += 37)
		n += flip_at(g, f, pos);
	n += flip_at(g, f, 0x14 + 47);		/* last byte of qx */
	n += flip_at(g, f, SEV_CERT_BODY_SIZE - 1);
	for (int i = 0; i < 2; i++) {
		if (le32toh(c->sig[i].usage) == SEV_USAGE_INVALID)
			continue;
		n += flip_slot(g, f, i, f == F_CEK);
		slots++;
	}
	assert_int_equal(slots, f == F_PEK ? 2 : 1);
	return n;
}

static void flip_gen(const char *name, bool full)
{
	struct gen g = { .name = name, .full = full };
	unsigned int n = 0;

	gen_load(&g);
	n += flip_amd(&g, F_ARK) + flip_amd(&g, F_ASK);
	if (full)
		for (int f = F_CEK; f <= F_PDH; f++)
			n += flip_sev(&g, f);
	assert_true(n > (full ? 500u : 200u));
	gen_free(&g);
}

static void test_flip_naples(void **state)
{
	flip_gen("naples", true);
}

static void test_flip_rome(void **state)
{
	flip_gen("rome", true);
}

static void test_flip_roots(void **state)
{
	flip_gen("milan", false);
	flip_gen("genoa", false);
	flip_gen("turin", false);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_naples_chain),
		cmocka_unit_test(test_rome_chain),
		cmocka_unit_test(test_roots_later_generations),
		cmocka_unit_test(test_naples_bad_ark),
		cmocka_unit_test(test_flip_naples),
		cmocka_unit_test(test_flip_rome),
		cmocka_unit_test(test_flip_roots),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
