// SPDX-License-Identifier: GPL-2.0-only
/*
 * The emulated SEV firmware: command dispatch. Each command runs under
 * the process mutex and the platform's cross-process lock, on freshly
 * re-read platform state, and is checked against the platform state
 * table (sev-protocol.md 3.1) before its handler sees it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sev/emul/fw-priv.h"
#include "lib/log.h"

#define PS(s)		(1u << (s))
#define PS_UNINIT	PS(SEV_PSTATE_UNINIT)
#define PS_INIT		PS(SEV_PSTATE_INIT)
#define PS_WORKING	PS(SEV_PSTATE_WORKING)
#define PS_UP		(PS_INIT | PS_WORKING)
#define PS_ANY		(PS_UNINIT | PS_UP)

struct emul_cmd_desc {
	u32 id;
	bool buf;		/* takes a command buffer */
	u32 pstates;		/* platform states it is allowed in */
	emul_handler fn;
	bool certs;		/* uses the platform certificates */
};

static const struct emul_cmd_desc emul_cmds[] = {
	{ EMUL_CMD_INIT, true, PS_UNINIT, emul_cmd_init },
	{ EMUL_CMD_SHUTDOWN, false, PS_UP, emul_cmd_shutdown },
	{ EMUL_CMD_PLATFORM_RESET, false, PS_UNINIT, emul_cmd_reset, true },
	{ EMUL_CMD_PLATFORM_STATUS, true, PS_ANY, emul_cmd_status },
	{ EMUL_CMD_PEK_GEN, false, PS_INIT, emul_cmd_pek_gen, true },
	{ EMUL_CMD_PEK_CSR, true, PS_INIT, emul_cmd_pek_csr, true },
	{ EMUL_CMD_PEK_CERT_IMPORT, true, PS_INIT, emul_cmd_pek_import, true },
	{ EMUL_CMD_PDH_CERT_EXPORT, true, PS_UP, emul_cmd_pdh_export, true },
	{ EMUL_CMD_PDH_GEN, false, PS_UP, emul_cmd_pdh_gen },
	{ EMUL_CMD_GET_ID, true, PS_ANY, emul_cmd_get_id },
	{ EMUL_CMD_DECOMMISSION, true, PS_UP, emul_cmd_decommission },
	{ EMUL_CMD_ACTIVATE, true, PS_UP, emul_cmd_activate },
	{ EMUL_CMD_DEACTIVATE, true, PS_UP, emul_cmd_deactivate },
	{ EMUL_CMD_GUEST_STATUS, true, PS_UP, emul_cmd_guest_status },
	{ EMUL_CMD_LAUNCH_START, true, PS_UP, emul_cmd_launch_start },
	{ EMUL_CMD_LAUNCH_UPDATE_DATA, true, PS_UP, emul_cmd_update_data },
	{ EMUL_CMD_LAUNCH_UPDATE_VMSA, true, PS_UP, emul_cmd_update_vmsa },
	{ EMUL_CMD_LAUNCH_MEASURE, true, PS_UP, emul_cmd_measure },
	{ EMUL_CMD_LAUNCH_UPDATE_SECRET, true, PS_UP, emul_cmd_secret },
	{ EMUL_CMD_LAUNCH_FINISH, true, PS_UP, emul_cmd_finish },
	{ EMUL_CMD_ATTESTATION, true, PS_UP, emul_cmd_attestation },
};

int emul_fw_open(struct emul_fw **out, const char *dir, const struct psp *psp)
{
	struct emul_fw *fw = calloc(1, sizeof(*fw));
	int r;

	if (!fw)
		return -ENOMEM;
	r = emul_platform_open(&fw->p, dir);
	if (r) {
		free(fw);
		return r;
	}
	pthread_mutex_init(&fw->mutex, NULL);
	fw->psp = psp;
	fw->next_handle = 1;
	*out = fw;
	return 0;
}

void emul_fw_close(struct emul_fw *fw)
{
	if (!fw)
		return;
	while (fw->guests)
		emul_guest_free(fw, fw->guests);
	emul_platform_close(fw->p);
	pthread_mutex_destroy(&fw->mutex);
	free(fw);
}

/* WORKING is INIT with at least one live guest context, in any process. */
int emul_fw_pstate(struct emul_fw *fw, u8 *state, u32 *count)
{
	const struct emul_config *c = &fw->p->cfg;
	int r;

	r = emul_slot_count(fw->p->dir, c->epoch, count);
	if (r) {
		pr_err("emulated PSP %s: counting guest slots failed: %s",
		       fw->p->dir, strerror(-r));
		return r;
	}
	if (!c->initialised)
		*state = SEV_PSTATE_UNINIT;
	else
		*state = *count ? SEV_PSTATE_WORKING : SEV_PSTATE_INIT;
	return 0;
}

/* SUCCESS if the command may run in the current platform state. */
static int check_pstate(struct emul_fw *fw, u32 allowed)
{
	u32 count;
	u8 state;
	int r;

	if (!fw->p->cfg.initialised)
		return allowed & PS_UNINIT ? SEV_RET_SUCCESS :
					     SEV_RET_INVALID_PLATFORM_STATE;
	if ((allowed & PS_UP) == PS_UP)
		return SEV_RET_SUCCESS;
	if (!(allowed & PS_UP))
		return SEV_RET_INVALID_PLATFORM_STATE;
	r = emul_fw_pstate(fw, &state, &count);
	if (r)
		return r;
	return allowed & PS(state) ? SEV_RET_SUCCESS :
				     SEV_RET_INVALID_PLATFORM_STATE;
}

static const struct emul_cmd_desc *find_cmd(u32 id)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(emul_cmds); i++)
		if (emul_cmds[i].id == id)
			return &emul_cmds[i];
	return NULL;
}

static int run_locked(struct emul_fw *fw, const struct emul_cmd_desc *d,
		      void *buf)
{
	int r;

	emul_guest_reap(fw);
	r = check_pstate(fw, d->pstates);
	return r ?: d->fn(fw, buf);
}

int emul_fw_cmd(struct emul_fw *fw, u32 cmd, void *buf, u32 *status)
{
	const struct emul_cmd_desc *d = find_cmd(cmd);
	int r;

	if (!d) {
		*status = SEV_RET_INVALID_COMMAND;
		return 0;
	}
	if (d->buf && !buf) {
		*status = SEV_RET_INVALID_ADDRESS;
		return 0;
	}
	pthread_mutex_lock(&fw->mutex);
	r = emul_platform_lock(fw->p);
	if (!r) {
		if (d->certs)
			r = emul_keys_certs(fw->p->dir, &fw->p->keys);
		if (!r)
			r = run_locked(fw, d, buf);
		emul_platform_unlock(fw->p);
	}
	pthread_mutex_unlock(&fw->mutex);
	if (r < 0) {
		*status = SEV_RET_HWSEV_RET_PLATFORM;
		return r;
	}
	*status = (u32)r;
	return 0;
}

static int snap_guest(const struct emul_guest *g, struct emul_guest_snap *s)
{
	s->handle = g->handle;
	s->policy = g->policy;
	s->asid = g->asid;
	s->state = g->state;
	s->active = g->active;
	s->ld_bytes = g->ld_bytes;
	memcpy(s->measure, g->measure, sizeof(s->measure));
	return emul_guest_ld(g, s->ld);
}

static int snap_locked(struct emul_fw *fw, struct emul_fw_snap *s)
{
	const struct emul_config *c = &fw->p->cfg;
	const struct emul_guest *g;
	int r;

	emul_guest_reap(fw);
	r = emul_fw_pstate(fw, &s->state, &s->guest_count);
	s->config = c->es ? EMUL_CONFIG_ES : 0;
	s->owner = c->external ? EMUL_OWNER_EXTERNAL : 0;
	s->max_guests = c->max_guests;
	s->epoch = c->epoch;
	s->keys_gen = c->keys_gen;
	for (g = fw->guests; g && !r; g = g->next) {
		if (s->nguests < EMUL_SNAP_GUESTS)
			r = snap_guest(g, &s->g[s->nguests]);
		s->nguests++;
	}
	return r;
}

int emul_fw_snapshot(struct emul_fw *fw, struct emul_fw_snap *s)
{
	int r;

	memset(s, 0, sizeof(*s));
	pthread_mutex_lock(&fw->mutex);
	r = emul_platform_lock(fw->p);
	if (!r) {
		r = snap_locked(fw, s);
		emul_platform_unlock(fw->p);
	}
	pthread_mutex_unlock(&fw->mutex);
	return r;
}
