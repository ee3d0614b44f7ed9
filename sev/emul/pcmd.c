// SPDX-License-Identifier: GPL-2.0-only
/*
 * Emulated firmware: platform commands (INIT ... GET_ID). The dispatcher
 * has already checked the platform state; these check their buffers,
 * then act. Nothing changes unless the command succeeds.
 */
#include <endian.h>
#include <errno.h>
#include <string.h>

#include "sev/emul/fw-priv.h"
#include "lib/log.h"

int emul_cmd_init(struct emul_fw *fw, void *buf)
{
	const struct emul_data_init *d = buf;
	struct emul_config c = fw->p->cfg;

	if (d->flags & ~EMUL_INIT_FLAGS_ES || d->reserved)
		return SEV_RET_INVALID_PARAM;
	c.initialised = true;
	c.es = d->flags & EMUL_INIT_FLAGS_ES;
	return emul_platform_commit(fw->p, &c);
}

int emul_cmd_shutdown(struct emul_fw *fw, void *buf)
{
	struct emul_config c = fw->p->cfg;
	int r;

	c.initialised = false;
	c.es = false;
	c.epoch++;	/* every guest context, in any process, is gone */
	r = emul_platform_commit(fw->p, &c);
	if (r)
		return r;
	while (fw->guests)
		emul_guest_free(fw, fw->guests);
	return SEV_RET_SUCCESS;
}

/* New OCA, PEK and PDH; the platform is self-owned again. */
static int new_owner(struct emul_fw *fw, bool reset)
{
	struct emul_platform *p = fw->p;
	struct emul_config c = p->cfg;
	int r;

	c.keys_gen++;
	c.external = false;
	if (reset)
		c.es = false;
	r = emul_keys_new_owner(p->dir, &c, &p->keys);
	if (r)
		return r;
	p->keys.gen = c.keys_gen;
	return emul_platform_commit(p, &c);
}

int emul_cmd_reset(struct emul_fw *fw, void *buf)
{
	return new_owner(fw, true);
}

int emul_cmd_pek_gen(struct emul_fw *fw, void *buf)
{
	return new_owner(fw, false);
}

int emul_cmd_pdh_gen(struct emul_fw *fw, void *buf)
{
	struct emul_platform *p = fw->p;
	struct emul_config c = p->cfg;
	int r;

	c.keys_gen++;
	r = emul_keys_new_pdh(p->dir, &c, &p->keys);
	if (r)
		return r;
	p->keys.gen = c.keys_gen;
	return emul_platform_commit(p, &c);
}

int emul_cmd_status(struct emul_fw *fw, void *buf)
{
	const struct emul_config *c = &fw->p->cfg;
	struct emul_data_status s;
	u32 count;
	u8 state;
	int r;

	r = emul_fw_pstate(fw, &state, &count);
	if (r)
		return r;
	memset(&s, 0, sizeof(s));
	s.state = state;
	s.guest_count = count;
	s.api_major = c->api_major;
	s.api_minor = c->api_minor;
	s.build = c->build;
	s.owner = c->external ? EMUL_OWNER_EXTERNAL : 0;
	s.config = c->es ? EMUL_CONFIG_ES : 0;
	memcpy(buf, &s, sizeof(s));
	return SEV_RET_SUCCESS;
}

/* Output buffer checks: INVALID_LEN (needed length written back) first. */
static int out_buf(struct emul_data_addr_len *d, u32 need)
{
	if (d->len < need) {
		d->len = need;
		return SEV_RET_INVALID_LEN;
	}
	return d->address ? SEV_RET_SUCCESS : SEV_RET_INVALID_ADDRESS;
}

int emul_cmd_pek_csr(struct emul_fw *fw, void *buf)
{
	struct emul_data_addr_len *d = buf;
	struct sev_cert c = fw->p->keys.pek_cert;
	int i, st;

	st = out_buf(d, SEV_CERT_SIZE);
	if (st)
		return st;
	for (i = 0; i < 2; i++) {
		memset(&c.sig[i], 0, sizeof(c.sig[i]));
		c.sig[i].usage = htole32(SEV_USAGE_INVALID);
		c.sig[i].algo = htole32(SEV_ALGO_INVALID);
	}
	memcpy(emul_ptr(d->address), &c, sizeof(c));
	d->len = SEV_CERT_SIZE;
	return SEV_RET_SUCCESS;
}

int emul_cmd_get_id(struct emul_fw *fw, void *buf)
{
	struct emul_data_addr_len *d = buf;
	int st = out_buf(d, EMUL_ID_SIZE);

	if (st)
		return st;
	memcpy(emul_ptr(d->address), fw->p->cfg.chip_id, EMUL_ID_SIZE);
	d->len = EMUL_ID_SIZE;
	return SEV_RET_SUCCESS;
}

int emul_cmd_pdh_export(struct emul_fw *fw, void *buf)
{
	struct emul_data_pdh_cert_export *d = buf;
	const struct emul_keys *k = &fw->p->keys;
	u8 *chain;

	if (d->pdh_cert_len < SEV_CERT_SIZE ||
	    d->cert_chain_len < 3 * SEV_CERT_SIZE) {
		d->pdh_cert_len = SEV_CERT_SIZE;
		d->cert_chain_len = 3 * SEV_CERT_SIZE;
		return SEV_RET_INVALID_LEN;
	}
	if (!d->pdh_cert_address || !d->cert_chain_address)
		return SEV_RET_INVALID_ADDRESS;
	chain = emul_ptr(d->cert_chain_address);
	memcpy(emul_ptr(d->pdh_cert_address), &k->pdh_cert, SEV_CERT_SIZE);
	memcpy(chain, &k->pek_cert, SEV_CERT_SIZE);
	memcpy(chain + SEV_CERT_SIZE, &k->oca_cert, SEV_CERT_SIZE);
	memcpy(chain + 2 * SEV_CERT_SIZE, &k->cek_cert, SEV_CERT_SIZE);
	d->pdh_cert_len = SEV_CERT_SIZE;
	d->cert_chain_len = 3 * SEV_CERT_SIZE;
	return SEV_RET_SUCCESS;
}

/* An imported cert, parsed: INVALID_CERTIFICATE unless usage matches. */
static int import_parse(u64 addr, u32 len, u32 usage, struct sev_cert *c)
{
	if (!addr)
		return SEV_RET_INVALID_ADDRESS;
	if (len != SEV_CERT_SIZE)
		return SEV_RET_INVALID_LEN;
	if (sev_cert_parse(emul_ptr(addr), len, c) ||
	    le32toh(c->pub_key_usage) != usage ||
	    le32toh(c->pub_key_algo) != SEV_ALGO_ECDSA_SHA256)
		return SEV_RET_INVALID_CERTIFICATE;
	return SEV_RET_SUCCESS;
}

/* The PEK must be ours (same key), signed by the OCA, OCA self-signed. */
static int import_check(const struct emul_keys *k, const struct sev_cert *pek,
			const struct sev_cert *oca)
{
	if (memcmp(pek->pub_key, k->pek_cert.pub_key, sizeof(pek->pub_key)))
		return SEV_RET_INVALID_CERTIFICATE;
	if (sev_cert_verify(oca, oca) || sev_cert_verify(pek, oca))
		return SEV_RET_BAD_SIGNATURE;
	return SEV_RET_SUCCESS;
}

int emul_cmd_pek_import(struct emul_fw *fw, void *buf)
{
	const struct emul_data_pek_cert_import *d = buf;
	struct emul_platform *p = fw->p;
	struct emul_config c = p->cfg;
	struct sev_cert pek, oca;
	int st;

	if (c.external)
		return SEV_RET_ALREADY_OWNED;
	st = import_parse(d->pek_cert_address, d->pek_cert_len,
			  SEV_USAGE_PEK, &pek);
	st = st ?: import_parse(d->oca_cert_address, d->oca_cert_len,
				SEV_USAGE_OCA, &oca);
	st = st ?: import_check(&p->keys, &pek, &oca);
	if (st)
		return st;
	c.keys_gen++;
	c.external = true;
	st = emul_keys_import(p->dir, &p->keys, &pek, &oca);
	if (st)
		return st;
	p->keys.gen = c.keys_gen;
	return emul_platform_commit(p, &c);
}
