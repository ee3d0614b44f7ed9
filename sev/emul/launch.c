// SPDX-License-Identifier: GPL-2.0-only
/*
 * Emulated firmware: the LAUNCH_* commands (sev-protocol.md 5.3, 6, 7).
 * LAUNCH_START unwraps the guest owner's session with the PDH, the
 * UPDATE commands extend the launch digest, LAUNCH_MEASURE MACs it with
 * the TIK, LAUNCH_UPDATE_SECRET checks and decrypts the owner's packet
 * into guest memory. No guest memory is encrypted.
 */
#include <endian.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sev/emul/fw-priv.h"
#include "lib/log.h"

#define GS_LUPDATE	GS(SEV_GSTATE_LUPDATE)
#define GS_LSECRET	GS(SEV_GSTATE_LSECRET)

/* Policies this platform cannot honour fail with POLICY_FAILURE. */
static int check_policy(const struct emul_config *c, u32 policy)
{
	u32 major = (policy >> 16) & 0xff, minor = policy >> 24;

	if (policy & SEV_POLICY_RESERVED)
		return SEV_RET_POLICY_FAILURE;
	if ((policy & SEV_POLICY_ES) && !c->es)
		return SEV_RET_POLICY_FAILURE;
	if (major > c->api_major ||
	    (major == c->api_major && minor > c->api_minor))
		return SEV_RET_POLICY_FAILURE;
	return SEV_RET_SUCCESS;
}

/* Both blobs or neither; each exactly its size. */
static int check_blobs(const struct emul_data_launch_start *d)
{
	bool dh = d->dh_cert_address || d->dh_cert_len;
	bool ses = d->session_address || d->session_len;

	if (dh != ses)
		return SEV_RET_INVALID_PARAM;
	if (!dh)
		return SEV_RET_SUCCESS;
	if (!d->dh_cert_address || !d->session_address)
		return SEV_RET_INVALID_ADDRESS;
	if (d->dh_cert_len != SEV_CERT_SIZE ||
	    d->session_len != sizeof(struct sev_session))
		return SEV_RET_INVALID_LEN;
	return SEV_RET_SUCCESS;
}

/* Key sharing (handle != 0): both guests must allow it (NOKS clear). */
static int check_sharing(struct emul_fw *fw,
			 const struct emul_data_launch_start *d)
{
	struct emul_guest *o;
	int st;

	if (!d->handle)
		return SEV_RET_SUCCESS;
	st = emul_guest_get(fw, d->handle, GS_LAUNCHED, &o);
	if (st)
		return st;
	if ((d->policy | o->policy) & SEV_POLICY_NOKS)
		return SEV_RET_POLICY_FAILURE;
	return SEV_RET_SUCCESS;
}

/* The GODH: a PDH-usage ECDH P-384 cert; its signatures are ignored. */
static int godh_z(struct emul_fw *fw, u64 addr, u8 z[SEV_ECDH_Z_SIZE])
{
	struct sev_cert godh;
	u32 algo;
	int r;

	if (sev_cert_parse(emul_ptr(addr), SEV_CERT_SIZE, &godh))
		return SEV_RET_INVALID_CERTIFICATE;
	algo = le32toh(godh.pub_key_algo);
	if (le32toh(godh.pub_key_usage) != SEV_USAGE_PDH ||
	    (algo != SEV_ALGO_ECDH_SHA256 && algo != SEV_ALGO_ECDH_SHA384))
		return SEV_RET_INVALID_CERTIFICATE;
	r = sev_ecdh(fw->p->keys.pdh, &godh, z);
	if (r == -ENOMEM)
		return r;
	return r ? SEV_RET_INVALID_CERTIFICATE : SEV_RET_SUCCESS;
}

static int session_keys(struct emul_fw *fw,
			const struct emul_data_launch_start *d, u8 *tek,
			u8 *tik)
{
	u8 z[SEV_ECDH_Z_SIZE], kek[SEV_KEY_SIZE], kik[SEV_KEY_SIZE];
	struct sev_session s;
	int r;

	if (!d->dh_cert_address)	/* nobody else will know them */
		return sev_random(tek, SEV_KEY_SIZE) ?:
		       sev_random(tik, SEV_KEY_SIZE);
	r = godh_z(fw, d->dh_cert_address, z);
	if (r)
		return r;
	memcpy(&s, emul_ptr(d->session_address), sizeof(s));
	r = sev_derive_kek_kik(z, sizeof(z), s.nonce, kek, kik);
	r = r ?: sev_session_unwrap(&s, kek, kik, d->policy, tek, tik);
	memzero_explicit(z, sizeof(z));
	memzero_explicit(kek, sizeof(kek));
	memzero_explicit(kik, sizeof(kik));
	if (r == -EBADMSG)
		return SEV_RET_BAD_MEASUREMENT;		/* WRAP_MAC */
	if (r == -EKEYREJECTED)
		return SEV_RET_POLICY_FAILURE;		/* POLICY_MAC */
	return r;
}

int emul_cmd_launch_start(struct emul_fw *fw, void *buf)
{
	struct emul_data_launch_start *d = buf;
	u8 tek[SEV_KEY_SIZE], tik[SEV_KEY_SIZE];
	struct emul_guest *g;
	int st;

	st = check_blobs(d);
	st = st ?: check_policy(&fw->p->cfg, d->policy);
	st = st ?: check_sharing(fw, d);
	st = st ?: session_keys(fw, d, tek, tik);
	st = st ?: emul_guest_new(fw, d->policy, tek, tik, &g);
	memzero_explicit(tek, sizeof(tek));
	memzero_explicit(tik, sizeof(tik));
	if (!st)
		d->handle = g->handle;
	return st;
}

/* A launch guest that is ACTIVATEd (its key "loaded"). */
static int active_guest(struct emul_fw *fw, u32 handle, u32 states,
			struct emul_guest **g)
{
	int st = emul_guest_get(fw, handle, states, g);

	if (!st && !(*g)->active)
		st = SEV_RET_INACTIVE;
	return st;
}

static int measure_bytes(struct emul_guest *g, u64 addr, u32 len)
{
	if (!EVP_DigestUpdate(g->ld, emul_ptr(addr), len))
		return -EIO;
	g->ld_bytes += len;
	return SEV_RET_SUCCESS;
}

int emul_cmd_update_data(struct emul_fw *fw, void *buf)
{
	const struct emul_data_launch_update *d = buf;
	struct emul_guest *g;
	int st;

	st = active_guest(fw, d->handle, GS_LUPDATE, &g);
	if (st)
		return st;
	if (!d->address || !IS_ALIGNED(d->address, 16))
		return SEV_RET_INVALID_ADDRESS;
	if (!d->len || !IS_ALIGNED(d->len, 16))
		return SEV_RET_INVALID_LEN;
	return measure_bytes(g, d->address, d->len);
}

int emul_cmd_update_vmsa(struct emul_fw *fw, void *buf)
{
	const struct emul_data_launch_update *d = buf;
	struct emul_guest *g;
	int st;

	st = active_guest(fw, d->handle, GS_LUPDATE, &g);
	if (st)
		return st;
	if (!(g->policy & SEV_POLICY_ES))
		return SEV_RET_POLICY_FAILURE;
	if (!d->address || !IS_ALIGNED(d->address, EMUL_VMSA_SIZE))
		return SEV_RET_INVALID_ADDRESS;
	if (d->len != EMUL_VMSA_SIZE)
		return SEV_RET_INVALID_LEN;
	return measure_bytes(g, d->address, d->len);
}

int emul_cmd_measure(struct emul_fw *fw, void *buf)
{
	struct emul_data_launch_measure *d = buf;
	const struct emul_config *c = &fw->p->cfg;
	struct sev_measurement m;
	struct emul_guest *g;
	u8 ld[SEV_DIGEST_SIZE];
	int st;

	st = emul_guest_get(fw, d->handle, GS_LUPDATE, &g);
	if (st)
		return st;
	if (d->len < sizeof(m)) {
		d->len = sizeof(m);
		return SEV_RET_INVALID_LEN;
	}
	if (!d->address)
		return SEV_RET_INVALID_ADDRESS;
	st = emul_guest_ld(g, ld);
	st = st ?: sev_random(m.mnonce, sizeof(m.mnonce));
	st = st ?: sev_measure(g->tik, c->api_major, c->api_minor, c->build,
			       g->policy, ld, m.mnonce, m.measure);
	if (st)
		return st;
	memcpy(emul_ptr(d->address), &m, sizeof(m));
	d->len = sizeof(m);
	memcpy(g->measure, m.measure, sizeof(g->measure));
	g->state = SEV_GSTATE_LSECRET;
	return SEV_RET_SUCCESS;
}

static int check_secret(const struct emul_data_launch_secret *d)
{
	if (!d->hdr_address || !d->trans_address || !d->guest_address ||
	    !IS_ALIGNED(d->guest_address, 16))
		return SEV_RET_INVALID_ADDRESS;
	if (d->hdr_len != sizeof(struct sev_secret_header) || !d->trans_len ||
	    d->trans_len > EMUL_BLOB_MAX)
		return SEV_RET_INVALID_LEN;
	if (d->guest_len != d->trans_len)
		return SEV_RET_INVALID_PARAM;
	return SEV_RET_SUCCESS;
}

static int write_guest(struct emul_fw *fw, u64 addr, const void *buf,
		       size_t len)
{
	const struct psp *psp = fw->psp;

	if (psp && psp->write_guest)
		return psp->write_guest(psp->write_guest_opaque, addr, buf,
					len) ? SEV_RET_INVALID_ADDRESS : 0;
	memcpy(emul_ptr(addr), buf, len);
	return SEV_RET_SUCCESS;
}

/* Verify the packet MAC (bound to MEASURE), decrypt, write the guest. */
static int open_secret(struct emul_fw *fw, struct emul_guest *g,
		       const struct emul_data_launch_secret *d)
{
	struct sev_secret_header hdr;
	u8 *plain = malloc(d->trans_len);
	int st;

	if (!plain)
		return -ENOMEM;
	memcpy(&hdr, emul_ptr(d->hdr_address), sizeof(hdr));
	st = sev_secret_open(g->tek, g->tik, g->measure, &hdr, d->guest_len,
			     emul_ptr(d->trans_address), d->trans_len, plain);
	if (st == -EBADMSG)
		st = SEV_RET_BAD_MEASUREMENT;
	else if (!st && hdr.flags)
		st = SEV_RET_INVALID_PARAM;	/* COMPRESSED: unsupported */
	st = st ?: write_guest(fw, d->guest_address, plain, d->trans_len);
	memzero_explicit(plain, d->trans_len);
	free(plain);
	return st;
}

int emul_cmd_secret(struct emul_fw *fw, void *buf)
{
	const struct emul_data_launch_secret *d = buf;
	struct emul_guest *g;
	int st;

	st = active_guest(fw, d->handle, GS_LSECRET, &g);
	st = st ?: check_secret(d);
	return st ?: open_secret(fw, g, d);
}

int emul_cmd_finish(struct emul_fw *fw, void *buf)
{
	const struct emul_data_handle *d = buf;
	struct emul_guest *g;
	int st;

	st = emul_guest_get(fw, d->handle, GS_LSECRET, &g);
	if (!st)
		g->state = SEV_GSTATE_RUNNING;
	return st;
}
