// SPDX-License-Identifier: GPL-2.0-only
/*
 * Emulated firmware against the guest owner's side of the protocol (the
 * crypto module's API): a session built against the exported PDH is
 * accepted, the measurement recomputes from the known bytes and the
 * owner's TIK, a sealed secret lands in guest memory. One flipped bit in
 * any field of the session, GODH, policy, measurement or secret packet
 * gives the right status and changes nothing.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "tests/unit/emul-testlib.h"

#define POLICY		(SEV_POLICY_NODBG | SEV_POLICY_NOKS | SEV_POLICY_ES)

struct fix {
	char dir[EMUL_DIR_MAX];
	struct emul_fw *fw;
	struct emul_owner o;
	u32 handle;
};

static u8 image[4096] __attribute__((aligned(4096)));
static u8 vmsa[4096] __attribute__((aligned(4096)));
static u8 guest_mem[256] __attribute__((aligned(16)));

static u64 addr(const void *p)
{
	return (u64)(uintptr_t)p;
}

static int fix_setup(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));
	struct sev_cert pdh, chain[3];
	size_t i;

	assert_non_null(f);
	emul_clone(f->dir);
	assert_int_equal(emul_fw_open(&f->fw, f->dir, NULL), 0);
	fw_init(f->fw, true);
	fw_export(f->fw, &pdh, chain);
	emul_owner_session(&pdh, POLICY, &f->o);
	for (i = 0; i < sizeof(image); i++)
		image[i] = (u8)(i * 7 + 3);
	memset(vmsa, 0xa5, sizeof(vmsa));
	memset(guest_mem, 0, sizeof(guest_mem));
	*state = f;
	return 0;
}

static int fix_teardown(void **state)
{
	struct fix *f = *state;

	emul_fw_close(f->fw);
	emul_rmtree(f->dir);
	free(f);
	return 0;
}

static void refused(struct fix *f, u32 cmd, void *buf, u32 st)
{
	struct emul_fw_snap before, after;

	fw_snap(f->fw, &before);
	assert_int_equal(fw_call(f->fw, cmd, buf), st);
	fw_snap(f->fw, &after);
	assert_snap_equal(&before, &after);
}

static void update(struct fix *f, u32 cmd, const void *p, u32 len)
{
	struct emul_data_launch_update lu;

	memset(&lu, 0, sizeof(lu));
	lu.handle = f->handle;
	lu.address = addr(p);
	lu.len = len;
	assert_int_equal(fw_call(f->fw, cmd, &lu), SEV_RET_SUCCESS);
}

static void measure(struct fix *f, struct sev_measurement *m)
{
	struct emul_data_launch_measure lm;

	memset(&lm, 0, sizeof(lm));
	lm.handle = f->handle;
	lm.address = addr(m);
	lm.len = sizeof(*m);
	assert_int_equal(fw_call(f->fw, EMUL_CMD_LAUNCH_MEASURE, &lm), 0);
}

/* Launch, measure image (in two pieces) and the VMSA; the blob. */
static void launch_measured(struct fix *f, struct sev_measurement *m)
{
	assert_int_equal(fw_launch_session(f->fw, POLICY, &f->o, &f->handle),
			 SEV_RET_SUCCESS);
	update(f, EMUL_CMD_LAUNCH_UPDATE_DATA, image, 1024);
	update(f, EMUL_CMD_LAUNCH_UPDATE_DATA, image + 1024, 3072);
	update(f, EMUL_CMD_LAUNCH_UPDATE_VMSA, vmsa, sizeof(vmsa));
	measure(f, m);
}

/* What the guest owner expects, from the known bytes and its TIK. */
static void expected(struct fix *f, const u8 mnonce[16], u8 out[32])
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	u8 ld[32];

	assert_non_null(c);
	assert_true(EVP_DigestInit_ex(c, EVP_sha256(), NULL));
	assert_true(EVP_DigestUpdate(c, image, sizeof(image)));
	assert_true(EVP_DigestUpdate(c, vmsa, sizeof(vmsa)));
	assert_true(EVP_DigestFinal_ex(c, ld, NULL));
	EVP_MD_CTX_free(c);
	assert_int_equal(sev_measure(f->o.tik, 1, 55, 21, POLICY, ld, mnonce,
				     out), 0);
}

static void test_round_trip(void **state)
{
	struct fix *f = *state;
	struct emul_data_launch_secret s;
	struct emul_data_guest_status gs;
	struct sev_secret_header hdr;
	struct sev_measurement m, m2;
	u8 want[32], plain[64], ct[64], iv[16];
	size_t i;

	launch_measured(f, &m);
	expected(f, m.mnonce, want);
	assert_memory_equal(m.measure, want, sizeof(want));
	fw_guest(f->fw, f->handle, &gs);
	assert_int_equal(gs.state, SEV_GSTATE_LSECRET);
	assert_int_equal(gs.policy, POLICY);

	/* A second launch: a fresh MNONCE, so a different measurement. */
	assert_int_equal(fw_launch_session(f->fw, POLICY, &f->o, &f->handle),
			 SEV_RET_SUCCESS);
	measure(f, &m2);
	assert_memory_not_equal(m.mnonce, m2.mnonce, sizeof(m.mnonce));

	f->handle = 1;
	for (i = 0; i < sizeof(plain); i++)
		plain[i] = (u8)(0x40 + i);
	memset(iv, 0x11, sizeof(iv));
	assert_int_equal(sev_secret_seal(f->o.tek, f->o.tik, iv, m.measure,
					 plain, sizeof(plain), &hdr, ct), 0);
	memset(&s, 0, sizeof(s));
	s.handle = f->handle;
	s.hdr_address = addr(&hdr);
	s.hdr_len = sizeof(hdr);
	s.guest_address = addr(guest_mem);
	s.guest_len = sizeof(ct);
	s.trans_address = addr(ct);
	s.trans_len = sizeof(ct);
	assert_int_equal(fw_call(f->fw, EMUL_CMD_LAUNCH_UPDATE_SECRET, &s), 0);
	assert_memory_equal(guest_mem, plain, sizeof(plain));
	/* Still LSECRET: another secret may follow, then FINISH. */
	assert_int_equal(fw_call(f->fw, EMUL_CMD_LAUNCH_UPDATE_SECRET, &s), 0);
	assert_int_equal(fw_call(f->fw, EMUL_CMD_LAUNCH_FINISH, &s.handle), 0);
	fw_guest(f->fw, f->handle, &gs);
	assert_int_equal(gs.state, SEV_GSTATE_RUNNING);
}

/* LAUNCH_START with one bit of the session, GODH or policy flipped. */
static u32 start_flipped(struct fix *f, size_t field, size_t bit,
			 u32 policy)
{
	struct emul_owner o = f->o;
	struct emul_data_launch_start ls;
	u8 *p;

	p = field < sizeof(o.session) ? (u8 *)&o.session + field :
					(u8 *)&o.godh + field -
					sizeof(o.session);
	if (bit < 8)
		*p ^= (u8)(1u << bit);
	memset(&ls, 0, sizeof(ls));
	ls.policy = policy;
	ls.dh_cert_address = addr(&o.godh);
	ls.dh_cert_len = sizeof(o.godh);
	ls.session_address = addr(&o.session);
	ls.session_len = sizeof(o.session);
	return fw_call(f->fw, EMUL_CMD_LAUNCH_START, &ls);
}

static void flip_session(struct fix *f, size_t off, size_t len, u32 st)
{
	struct emul_fw_snap before, after;
	size_t i;

	fw_snap(f->fw, &before);
	for (i = off; i < off + len; i += 5)
		if (start_flipped(f, i, i % 8, POLICY) != st)
			fail_msg("session byte %zu bit %zu: expected 0x%x", i,
				 i % 8, st);
	fw_snap(f->fw, &after);
	assert_snap_equal(&before, &after);
}

static void test_session_flips(void **state)
{
	struct fix *f = *state;
	const struct sev_session *s = NULL;
	struct emul_fw_snap before, after;
	u32 bit;

	(void)s;
#define FIELD(x) offsetof(struct sev_session, x), sizeof(s->x)
	/* NONCE changes MASTER, so KIK: WRAP_MAC fails. */
	flip_session(f, FIELD(nonce), SEV_RET_BAD_MEASUREMENT);
	flip_session(f, FIELD(wrap_tk), SEV_RET_BAD_MEASUREMENT);
	flip_session(f, FIELD(wrap_mac), SEV_RET_BAD_MEASUREMENT);
	/* WRAP_IV is not under WRAP_MAC: the TIK comes out wrong. */
	flip_session(f, FIELD(wrap_iv), SEV_RET_POLICY_FAILURE);
	flip_session(f, FIELD(policy_mac), SEV_RET_POLICY_FAILURE);
#undef FIELD
	fw_snap(f->fw, &before);
	/* Any other policy: not the one POLICY_MAC binds (or not allowed). */
	for (bit = 0; bit < 32; bit++)
		if (start_flipped(f, 0, 8, POLICY ^ (1u << bit)) !=
		    SEV_RET_POLICY_FAILURE)
			fail_msg("policy bit %u flipped: not POLICY_FAILURE",
				 bit);
	/* The GODH's public key: not a point on P-384 any more. */
	assert_int_equal(start_flipped(f, sizeof(struct sev_session) + 0x14,
				       0, POLICY), SEV_RET_INVALID_CERTIFICATE);
	assert_int_equal(start_flipped(f, sizeof(struct sev_session) + 0x5c,
				       3, POLICY), SEV_RET_INVALID_CERTIFICATE);
	/* Usage PDH -> 0x1002 (PEK): not a DH key. */
	assert_int_equal(start_flipped(f, sizeof(struct sev_session) + 8, 0,
				       POLICY), SEV_RET_INVALID_CERTIFICATE);
	fw_snap(f->fw, &after);
	assert_snap_equal(&before, &after);
	/* Unflipped, it works. */
	assert_int_equal(start_flipped(f, 0, 8, POLICY), SEV_RET_SUCCESS);
}

struct packet {
	struct sev_secret_header hdr;
	u8 ct[64];
	struct emul_data_launch_secret s;
};

static void seal(struct fix *f, const u8 measure[32], struct packet *p)
{
	u8 plain[64], iv[16];

	memset(plain, 0x5a, sizeof(plain));
	memset(iv, 0x77, sizeof(iv));
	assert_int_equal(sev_secret_seal(f->o.tek, f->o.tik, iv, measure,
					 plain, sizeof(plain), &p->hdr, p->ct),
			 0);
	memset(&p->s, 0, sizeof(p->s));
	p->s.handle = f->handle;
	p->s.hdr_address = addr(&p->hdr);
	p->s.hdr_len = sizeof(p->hdr);
	p->s.guest_address = addr(guest_mem);
	p->s.guest_len = sizeof(p->ct);
	p->s.trans_address = addr(p->ct);
	p->s.trans_len = sizeof(p->ct);
}

static void secret_refused(struct fix *f, struct packet *p, u8 *byte,
			   u8 bit)
{
	u8 zero[sizeof(guest_mem)] = { 0 };

	*byte ^= bit;
	refused(f, EMUL_CMD_LAUNCH_UPDATE_SECRET, &p->s,
		SEV_RET_BAD_MEASUREMENT);
	*byte ^= bit;
	assert_memory_equal(guest_mem, zero, sizeof(zero));
}

static void test_secret_flips(void **state)
{
	struct fix *f = *state;
	struct sev_measurement m;
	struct packet p;
	size_t i;
	u8 other[32];

	launch_measured(f, &m);
	seal(f, m.measure, &p);
	secret_refused(f, &p, (u8 *)&p.hdr.flags, 1);	/* COMPRESSED */
	secret_refused(f, (&p), ((u8 *)&p.hdr.flags) + 3, 0x80);
	for (i = 0; i < sizeof(p.hdr.iv); i++)
		secret_refused(f, &p, &p.hdr.iv[i], (u8)(1u << (i % 8)));
	for (i = 0; i < sizeof(p.hdr.mac); i++)
		secret_refused(f, &p, &p.hdr.mac[i], (u8)(1u << (i % 8)));
	for (i = 0; i < sizeof(p.ct); i++)
		secret_refused(f, &p, &p.ct[i], (u8)(1u << (i % 8)));
	/* Sealed against another measurement (one bit off). */
	memcpy(other, m.measure, sizeof(other));
	other[5] ^= 0x10;
	seal(f, other, &p);
	secret_refused(f, &p, p.ct, 0);
	/* And the right packet goes through. */
	seal(f, m.measure, &p);
	assert_int_equal(fw_call(f->fw, EMUL_CMD_LAUNCH_UPDATE_SECRET, &p.s),
			 0);
	assert_int_equal(guest_mem[0], 0x5a);
}

/* Without a session the TEK/TIK are the firmware's own: a launch works. */
static void test_no_session(void **state)
{
	struct fix *f = *state;
	struct sev_measurement m;
	u8 want[32];

	f->handle = fw_launch(f->fw, POLICY);
	update(f, EMUL_CMD_LAUNCH_UPDATE_DATA, image, sizeof(image));
	update(f, EMUL_CMD_LAUNCH_UPDATE_VMSA, vmsa, sizeof(vmsa));
	measure(f, &m);
	expected(f, m.mnonce, want);	/* with the owner's TIK: no match */
	assert_memory_not_equal(m.measure, want, sizeof(want));
}

/* write_guest of the psp is used when set. */
struct sink {
	u64 uaddr;
	size_t len;
	u8 buf[64];
	int ret;
};

static int sink_write(void *opaque, u64 uaddr, const void *buf, size_t len)
{
	struct sink *s = opaque;

	s->uaddr = uaddr;
	s->len = len;
	memcpy(s->buf, buf, MIN(len, sizeof(s->buf)));
	return s->ret;
}

static void test_write_guest_callback(void **state)
{
	struct fix *f = *state;
	struct sink sink = { .ret = 0 };
	struct psp psp = { .write_guest = sink_write,
			   .write_guest_opaque = &sink };
	struct sev_measurement m;
	struct emul_fw *fw;
	struct packet p;

	emul_fw_close(f->fw);
	assert_int_equal(emul_fw_open(&fw, f->dir, &psp), 0);
	f->fw = fw;
	launch_measured(f, &m);
	seal(f, m.measure, &p);
	assert_int_equal(fw_call(fw, EMUL_CMD_LAUNCH_UPDATE_SECRET, &p.s), 0);
	assert_int_equal(sink.uaddr, addr(guest_mem));
	assert_int_equal(sink.len, sizeof(p.ct));
	assert_int_equal(sink.buf[10], 0x5a);
	assert_int_equal(guest_mem[10], 0);	/* not written directly */
	sink.ret = -EFAULT;
	refused(f, EMUL_CMD_LAUNCH_UPDATE_SECRET, &p.s,
		SEV_RET_INVALID_ADDRESS);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, fix_setup, fix_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_round_trip),
		T(test_session_flips),
		T(test_secret_flips),
		T(test_no_session),
		T(test_write_guest_callback),
	};

	return cmocka_run_group_tests(tests, emul_master_setup,
				      emul_master_teardown);
}
