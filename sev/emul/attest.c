// SPDX-License-Identifier: GPL-2.0-only
/*
 * Emulated firmware: ATTESTATION (0x36, API >= 0.23; sev-protocol.md
 * 6.4). After LAUNCH_MEASURE (guest in LSECRET or RUNNING) the firmware
 * signs MNONCE || LD || POLICY with the platform's PEK. A buffer shorter
 * than the report is INVALID_LEN with the needed length written back (the
 * length query); other guest states are INVALID_GUEST_STATE.
 */
#include <errno.h>
#include <string.h>

#include "sev/emul/fw-priv.h"
#include "sev/report.h"

#define GS_ATTEST	(GS(SEV_GSTATE_LSECRET) | GS(SEV_GSTATE_RUNNING))

/* The command exists from API 0.23 on. */
static bool api_has_attestation(const struct emul_config *c)
{
	return c->api_major > 0 || c->api_minor >= 23;
}

/* The PEK's private key, loaded on first use (emul/keys.c keys_need). */
static int pek_key(struct emul_fw *fw, EVP_PKEY **key)
{
	struct emul_keys *k = &fw->p->keys;
	int r = 0;

	if (!k->pek)
		r = emul_pem_read(fw->p->dir, "pek", &k->pek);
	*key = k->pek;
	return r;
}

int emul_cmd_attestation(struct emul_fw *fw, void *buf)
{
	struct emul_data_attestation *d = buf;
	struct sev_report rep;
	struct emul_guest *g;
	u8 ld[SEV_DIGEST_SIZE];
	EVP_PKEY *pek;
	int st;

	if (!api_has_attestation(&fw->p->cfg))
		return SEV_RET_INVALID_COMMAND;
	st = emul_guest_get(fw, d->handle, GS_ATTEST, &g);
	if (st)
		return st;
	if (d->len < sizeof(rep)) {
		d->len = sizeof(rep);
		return SEV_RET_INVALID_LEN;
	}
	if (!d->address)
		return SEV_RET_INVALID_ADDRESS;
	st = emul_guest_ld(g, ld);
	st = st ?: pek_key(fw, &pek);
	st = st ?: sev_report_build(&rep, d->mnonce, ld, g->policy, pek);
	if (st)
		return st < 0 ? st : -EIO;
	memcpy(emul_ptr(d->address), &rep, sizeof(rep));
	d->len = sizeof(rep);
	return SEV_RET_SUCCESS;
}
