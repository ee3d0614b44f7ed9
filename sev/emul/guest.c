// SPDX-License-Identifier: GPL-2.0-only
/*
 * Emulated firmware: guest contexts (GCTX) and the commands that manage
 * them rather than launch them: ACTIVATE, DEACTIVATE, DECOMMISSION and
 * GUEST_STATUS (sev-protocol.md 3.2). A context lives in the process
 * that launched it; its ASID is a slot shared across processes.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "sev/emul/fw-priv.h"
#include "lib/log.h"

static struct emul_guest *guest_find(struct emul_fw *fw, u32 handle)
{
	struct emul_guest *g;

	for (g = fw->guests; g; g = g->next)
		if (g->handle == handle)
			return g;
	return NULL;
}

int emul_guest_get(struct emul_fw *fw, u32 handle, u32 states,
		   struct emul_guest **g)
{
	*g = handle ? guest_find(fw, handle) : NULL;
	if (!*g)
		return SEV_RET_INVALID_GUEST;
	if (!(states & GS((*g)->state)))
		return SEV_RET_INVALID_GUEST_STATE;
	return SEV_RET_SUCCESS;
}

static u32 new_handle(struct emul_fw *fw)
{
	u32 h;

	do {
		h = fw->next_handle++;
	} while (!h || guest_find(fw, h));
	return h;
}

void emul_guest_free(struct emul_fw *fw, struct emul_guest *g)
{
	struct emul_guest **pp;

	for (pp = &fw->guests; *pp; pp = &(*pp)->next) {
		if (*pp == g) {
			*pp = g->next;
			break;
		}
	}
	emul_slot_release(g->slot_fd);
	EVP_MD_CTX_free(g->ld);
	OPENSSL_secure_clear_free(g, sizeof(*g));
}

void emul_guest_reap(struct emul_fw *fw)
{
	struct emul_guest *g = fw->guests, *next;

	for (; g; g = next) {
		next = g->next;
		if (g->epoch != fw->p->cfg.epoch)
			emul_guest_free(fw, g);
	}
}

static int take_slot(struct emul_fw *fw, struct emul_guest *g)
{
	const struct emul_config *c = &fw->p->cfg;
	int r;

	r = emul_slot_take(fw->p->dir, c->max_guests, c->epoch, &g->asid,
			   &g->slot_fd);
	if (r == -ENOSPC) {
		pr_err("emulated PSP %s: all %u guest slots in use (raise with sevm psp init --max-guests N)",
		       fw->p->dir, c->max_guests);
		return SEV_RET_RESOURCE_LIMIT;
	}
	if (r)
		pr_err("emulated PSP %s: taking a guest slot failed: %s",
		       fw->p->dir, strerror(-r));
	return r;
}

int emul_guest_new(struct emul_fw *fw, u32 policy, const u8 *tek,
		   const u8 *tik, struct emul_guest **out)
{
	/* TEK and TIK: on OpenSSL's secure heap when sevm set one up
	 * (mlocked, MADV_DONTDUMP; jail_early), else the normal heap. */
	struct emul_guest *g = OPENSSL_secure_zalloc(sizeof(*g));
	int r;

	if (!g)
		return -ENOMEM;
	g->slot_fd = -1;
	g->ld = EVP_MD_CTX_new();
	r = g->ld && EVP_DigestInit_ex(g->ld, EVP_sha256(), NULL) ? 0 :
							       -ENOMEM;
	r = r ?: take_slot(fw, g);
	if (r) {
		EVP_MD_CTX_free(g->ld);
		OPENSSL_secure_clear_free(g, sizeof(*g));
		return r;
	}
	g->handle = new_handle(fw);
	g->policy = policy;
	g->state = SEV_GSTATE_LUPDATE;
	g->epoch = fw->p->cfg.epoch;
	memcpy(g->tek, tek, SEV_KEY_SIZE);
	memcpy(g->tik, tik, SEV_KEY_SIZE);
	g->next = fw->guests;
	fw->guests = g;
	*out = g;
	return SEV_RET_SUCCESS;
}

int emul_guest_ld(const struct emul_guest *g, u8 ld[SEV_DIGEST_SIZE])
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	int r;

	r = c && EVP_MD_CTX_copy_ex(c, g->ld) &&
	    EVP_DigestFinal_ex(c, ld, NULL) ? 0 : -ENOMEM;
	EVP_MD_CTX_free(c);
	return r;
}

/* Move g to a free slot asid (ASID_OWNED if someone holds it). */
static int move_slot(struct emul_fw *fw, struct emul_guest *g, u32 asid)
{
	struct emul_guest *o;
	int r, fd;

	for (o = fw->guests; o; o = o->next)
		if (o->asid == asid)
			return SEV_RET_ASID_OWNED;
	r = emul_slot_take_at(fw->p->dir, asid, g->epoch, &fd);
	if (r == -EBUSY)
		return SEV_RET_ASID_OWNED;
	if (r) {
		pr_err("emulated PSP %s: taking guest slot %u failed: %s",
		       fw->p->dir, asid, strerror(-r));
		return r;
	}
	emul_slot_release(g->slot_fd);
	g->slot_fd = fd;
	g->asid = asid;
	return SEV_RET_SUCCESS;
}

int emul_cmd_activate(struct emul_fw *fw, void *buf)
{
	const struct emul_data_activate *d = buf;
	struct emul_guest *g;
	int st;

	st = emul_guest_get(fw, d->handle, GS_LAUNCHED, &g);
	if (st)
		return st;
	if (!d->asid || d->asid > fw->p->cfg.max_guests)
		return SEV_RET_INVALID_ASID;
	if (d->asid != g->asid) {
		st = move_slot(fw, g, d->asid);
		if (st)
			return st;
	}
	g->active = true;
	return SEV_RET_SUCCESS;
}

int emul_cmd_deactivate(struct emul_fw *fw, void *buf)
{
	const struct emul_data_handle *d = buf;
	struct emul_guest *g;
	int st;

	st = emul_guest_get(fw, d->handle, GS_LAUNCHED, &g);
	if (!st)
		g->active = false;
	return st;
}

int emul_cmd_decommission(struct emul_fw *fw, void *buf)
{
	const struct emul_data_handle *d = buf;
	struct emul_guest *g;
	int st;

	st = emul_guest_get(fw, d->handle, GS_LAUNCHED, &g);
	if (st)
		return st;
	if (g->active)
		return SEV_RET_ACTIVE;
	emul_guest_free(fw, g);
	return SEV_RET_SUCCESS;
}

int emul_cmd_guest_status(struct emul_fw *fw, void *buf)
{
	struct emul_data_guest_status *d = buf;
	struct emul_guest *g;
	int st;

	st = emul_guest_get(fw, d->handle, GS_LAUNCHED, &g);
	if (st)
		return st;
	d->policy = g->policy;
	d->asid = g->asid;
	d->state = g->state;
	return SEV_RET_SUCCESS;
}
