// SPDX-License-Identifier: GPL-2.0-only
/*
 * Emulated firmware, exhaustively: every platform state x every command,
 * and every guest state x every guest command, against the tables of
 * sev-protocol.md 3.1/3.2. After each refused command the whole
 * observable state (platform state, guest count, every guest context's
 * state, ASID, activation, launch digest so far, measurement; the key
 * generation) is unchanged.
 */
#include <stdlib.h>
#include <string.h>

#include "tests/unit/emul-testlib.h"

#define P_UNINIT	(1u << SEV_PSTATE_UNINIT)
#define P_INIT		(1u << SEV_PSTATE_INIT)
#define P_WORKING	(1u << SEV_PSTATE_WORKING)
#define P_UP		(P_INIT | P_WORKING)
#define P_ALL		(P_UNINIT | P_UP)

#define G_NONE		(1u << 7)	/* no such guest (unknown handle) */
#define G_LUPDATE	(1u << SEV_GSTATE_LUPDATE)
#define G_LSECRET	(1u << SEV_GSTATE_LSECRET)
#define G_RUNNING	(1u << SEV_GSTATE_RUNNING)
#define G_LAUNCHED	(G_LUPDATE | G_LSECRET | G_RUNNING)

#define POLICY		(SEV_POLICY_NODBG | SEV_POLICY_ES)
#define NO_GUEST	77u

/* Everything a command may point at, and the guest under test. */
struct ctx {
	char dir[EMUL_DIR_MAX];
	struct emul_fw *fw;
	u32 handle;
	struct emul_owner owner;
	u8 measure[32];
	union {
		struct emul_data_init init;
		struct emul_data_status status;
		struct emul_data_addr_len al;
		struct emul_data_pek_cert_import imp;
		struct emul_data_pdh_cert_export exp;
		struct emul_data_handle h;
		struct emul_data_activate act;
		struct emul_data_guest_status gs;
		struct emul_data_launch_start ls;
		struct emul_data_launch_update lu;
		struct emul_data_launch_measure lm;
		struct emul_data_launch_secret sec;
	} b;
	struct sev_cert certs[4], pek, oca;
	struct sev_secret_header hdr;
	u8 ct[64] __attribute__((aligned(16)));
	u8 guest_mem[64] __attribute__((aligned(16)));
	u8 data[256] __attribute__((aligned(16)));
	u8 vmsa[4096] __attribute__((aligned(4096)));
	u8 id[64];
};

static u64 addr(const void *p)
{
	return (u64)(uintptr_t)p;
}

static struct ctx *ctx_new(void)
{
	struct ctx *c = aligned_alloc(4096, ALIGN_UP(sizeof(*c), 4096));

	assert_non_null(c);
	memset(c, 0, sizeof(*c));
	emul_clone(c->dir);
	assert_int_equal(emul_fw_open(&c->fw, c->dir, NULL), 0);
	return c;
}

static void ctx_free(struct ctx *c)
{
	emul_fw_close(c->fw);
	emul_rmtree(c->dir);
	free(c);
}

/* A valid PEK_CERT_IMPORT: our PEK certified by a new owner OCA. */
static void make_import(struct ctx *c)
{
	struct sev_cert chain[3], pdh;
	EVP_PKEY *oca = NULL;
	int i;

	fw_export(c->fw, &pdh, chain);
	c->pek = chain[0];
	for (i = 0; i < 2; i++) {
		memset(&c->pek.sig[i], 0, sizeof(c->pek.sig[i]));
		c->pek.sig[i].usage = SEV_USAGE_INVALID;
	}
	assert_int_equal(sev_ec_keygen(&oca), 0);
	assert_int_equal(sev_cert_init(&c->oca, SEV_USAGE_OCA,
				       SEV_ALGO_ECDSA_SHA256, oca, 1, 0), 0);
	assert_int_equal(sev_cert_sign(&c->oca, 0, SEV_USAGE_OCA, oca), 0);
	assert_int_equal(sev_cert_sign(&c->pek, 0, SEV_USAGE_OCA, oca), 0);
	EVP_PKEY_free(oca);
	c->b.imp.pek_cert_address = addr(&c->pek);
	c->b.imp.pek_cert_len = sizeof(c->pek);
	c->b.imp.oca_cert_address = addr(&c->oca);
	c->b.imp.oca_cert_len = sizeof(c->oca);
}

static void platform_buf(struct ctx *c, u32 cmd)
{
	memset(&c->b, 0, sizeof(c->b));
	switch (cmd) {
	case EMUL_CMD_PEK_CSR:
		c->b.al.address = addr(c->certs);
		c->b.al.len = sizeof(c->certs[0]);
		break;
	case EMUL_CMD_GET_ID:
		c->b.al.address = addr(c->id);
		c->b.al.len = sizeof(c->id);
		break;
	case EMUL_CMD_PDH_CERT_EXPORT:
		c->b.exp.pdh_cert_address = addr(&c->certs[0]);
		c->b.exp.pdh_cert_len = SEV_CERT_SIZE;
		c->b.exp.cert_chain_address = addr(&c->certs[1]);
		c->b.exp.cert_chain_len = 3 * SEV_CERT_SIZE;
		break;
	default:
		break;
	}
}

/* The buffer of a guest command, valid for the guest c->handle. */
static void guest_buf(struct ctx *c, u32 cmd, u32 handle)
{
	struct emul_data_guest_status gs;

	memset(&c->b, 0, sizeof(c->b));
	c->b.h.handle = handle;
	switch (cmd) {
	case EMUL_CMD_LAUNCH_START:	/* share the keys of handle */
		c->b.ls.policy = SEV_POLICY_ES;
		break;
	case EMUL_CMD_LAUNCH_UPDATE_DATA:
		c->b.lu.address = addr(c->data);
		c->b.lu.len = sizeof(c->data);
		break;
	case EMUL_CMD_LAUNCH_UPDATE_VMSA:
		c->b.lu.address = addr(c->vmsa);
		c->b.lu.len = sizeof(c->vmsa);
		break;
	case EMUL_CMD_LAUNCH_MEASURE:
		c->b.lm.address = addr(c->certs);
		c->b.lm.len = sizeof(struct sev_measurement);
		break;
	case EMUL_CMD_LAUNCH_UPDATE_SECRET:
		assert_int_equal(sev_secret_seal(c->owner.tek, c->owner.tik,
						 c->data, c->measure, c->data,
						 sizeof(c->ct), &c->hdr, c->ct),
				 0);
		c->b.sec.hdr_address = addr(&c->hdr);
		c->b.sec.hdr_len = sizeof(c->hdr);
		c->b.sec.guest_address = addr(c->guest_mem);
		c->b.sec.guest_len = sizeof(c->ct);
		c->b.sec.trans_address = addr(c->ct);
		c->b.sec.trans_len = sizeof(c->ct);
		break;
	case EMUL_CMD_ACTIVATE:
		c->b.act.asid = 1;
		if (handle == c->handle && handle != NO_GUEST) {
			fw_guest(c->fw, handle, &gs);
			c->b.act.asid = gs.asid;
		}
		break;
	default:
		break;
	}
}

static const u32 platform_cmds[] = {
	EMUL_CMD_INIT, EMUL_CMD_SHUTDOWN, EMUL_CMD_PLATFORM_RESET,
	EMUL_CMD_PLATFORM_STATUS, EMUL_CMD_PEK_GEN, EMUL_CMD_PEK_CSR,
	EMUL_CMD_PEK_CERT_IMPORT, EMUL_CMD_PDH_CERT_EXPORT, EMUL_CMD_PDH_GEN,
	EMUL_CMD_GET_ID,
};

static const u32 guest_cmds[] = {
	EMUL_CMD_LAUNCH_START, EMUL_CMD_LAUNCH_UPDATE_DATA,
	EMUL_CMD_LAUNCH_UPDATE_VMSA, EMUL_CMD_LAUNCH_MEASURE,
	EMUL_CMD_LAUNCH_UPDATE_SECRET, EMUL_CMD_LAUNCH_FINISH,
	EMUL_CMD_ACTIVATE, EMUL_CMD_DEACTIVATE, EMUL_CMD_DECOMMISSION,
	EMUL_CMD_GUEST_STATUS,
};

/* sev-protocol.md 3.1: the platform states each command is allowed in. */
static u32 platform_allowed(u32 cmd)
{
	switch (cmd) {
	case EMUL_CMD_INIT:
	case EMUL_CMD_PLATFORM_RESET:
		return P_UNINIT;
	case EMUL_CMD_PLATFORM_STATUS:
	case EMUL_CMD_GET_ID:
		return P_ALL;
	case EMUL_CMD_PEK_GEN:
	case EMUL_CMD_PEK_CSR:
	case EMUL_CMD_PEK_CERT_IMPORT:
		return P_INIT;
	default:			/* SHUTDOWN, PDH_*, every guest cmd */
		return P_UP;
	}
}

/* sev-protocol.md 3.2: the guest states each command is allowed in. */
static u32 guest_allowed(u32 cmd)
{
	switch (cmd) {
	case EMUL_CMD_LAUNCH_UPDATE_DATA:
	case EMUL_CMD_LAUNCH_UPDATE_VMSA:
	case EMUL_CMD_LAUNCH_MEASURE:
		return G_LUPDATE;
	case EMUL_CMD_LAUNCH_UPDATE_SECRET:
	case EMUL_CMD_LAUNCH_FINISH:
		return G_LSECRET;
	default:	/* ACTIVATE, DEACTIVATE, DECOMMISSION, STATUS, share */
		return G_LAUNCHED;
	}
}

/* Bring the platform to pstate (WORKING: one guest launched). */
static void platform_to(struct ctx *c, u8 pstate)
{
	if (pstate == SEV_PSTATE_UNINIT)
		return;
	fw_init(c->fw, true);
	if (pstate == SEV_PSTATE_WORKING)
		c->handle = fw_launch(c->fw, SEV_POLICY_ES);
}

/* What a successful platform command did. */
static void check_platform_after(u32 cmd, const struct emul_fw_snap *b,
				 const struct emul_fw_snap *a)
{
	switch (cmd) {
	case EMUL_CMD_INIT:
		assert_int_equal(a->state, SEV_PSTATE_INIT);
		assert_int_equal(a->config, 0);
		break;
	case EMUL_CMD_SHUTDOWN:
		assert_int_equal(a->state, SEV_PSTATE_UNINIT);
		assert_int_equal(a->guest_count, 0);
		assert_int_equal(a->nguests, 0);
		assert_int_equal(a->epoch, b->epoch + 1);
		break;
	case EMUL_CMD_PLATFORM_RESET:
	case EMUL_CMD_PEK_GEN:
	case EMUL_CMD_PDH_GEN:
		assert_int_equal(a->keys_gen, b->keys_gen + 1);
		assert_int_equal(a->state, b->state);
		break;
	case EMUL_CMD_PEK_CERT_IMPORT:
		assert_int_equal(a->keys_gen, b->keys_gen + 1);
		assert_int_equal(a->owner, EMUL_OWNER_EXTERNAL);
		break;
	default:		/* STATUS, PEK_CSR, PDH_CERT_EXPORT, GET_ID */
		assert_snap_equal(b, a);
	}
}

static void check_platform_case(u8 pstate, u32 cmd, bool guest)
{
	u32 expect, st, allowed = platform_allowed(cmd);
	struct emul_fw_snap before, after;
	struct ctx *c = ctx_new();

	platform_to(c, pstate);
	if (cmd == EMUL_CMD_PEK_CERT_IMPORT && pstate != SEV_PSTATE_UNINIT)
		make_import(c);
	else if (guest)
		guest_buf(c, cmd, c->handle ?: NO_GUEST);
	else
		platform_buf(c, cmd);
	expect = allowed & (1u << pstate) ? SEV_RET_SUCCESS :
					    SEV_RET_INVALID_PLATFORM_STATE;
	if (guest && expect == SEV_RET_SUCCESS)
		goto out;		/* the guest matrix covers these */
	fw_snap(c->fw, &before);
	st = fw_call(c->fw, cmd, &c->b);
	if (st != expect)
		fail_msg("platform state %u, command 0x%x: status 0x%x, expected 0x%x",
			 pstate, cmd, st, expect);
	fw_snap(c->fw, &after);
	if (st)
		assert_snap_equal(&before, &after);
	else
		check_platform_after(cmd, &before, &after);
out:
	ctx_free(c);
}

static void test_platform_matrix(void **state)
{
	size_t i;
	u8 ps;

	for (ps = SEV_PSTATE_UNINIT; ps <= SEV_PSTATE_WORKING; ps++) {
		for (i = 0; i < ARRAY_SIZE(platform_cmds); i++)
			check_platform_case(ps, platform_cmds[i], false);
		for (i = 0; i < ARRAY_SIZE(guest_cmds); i++)
			check_platform_case(ps, guest_cmds[i], true);
	}
}

/* A guest in gstate (G_NONE: another guest exists, the handle not). */
static void guest_to(struct ctx *c, u32 gstate)
{
	struct sev_cert pdh, chain[3];
	struct emul_data_launch_measure lm;
	struct sev_measurement m;
	struct emul_data_handle h;

	fw_init(c->fw, true);
	fw_export(c->fw, &pdh, chain);
	emul_owner_session(&pdh, POLICY, &c->owner);
	assert_int_equal(fw_launch_session(c->fw, POLICY, &c->owner,
					   &c->handle), SEV_RET_SUCCESS);
	if (gstate == G_NONE)
		c->handle = NO_GUEST;
	if (gstate == G_NONE || gstate == G_LUPDATE)
		return;
	memset(&lm, 0, sizeof(lm));
	lm.handle = c->handle;
	lm.address = addr(&m);
	lm.len = sizeof(m);
	assert_int_equal(fw_call(c->fw, EMUL_CMD_LAUNCH_MEASURE, &lm), 0);
	memcpy(c->measure, m.measure, sizeof(c->measure));
	if (gstate == G_RUNNING) {
		h.handle = c->handle;
		assert_int_equal(fw_call(c->fw, EMUL_CMD_LAUNCH_FINISH, &h),
				 0);
	}
}

/* What a successful command did to the guest under test. */
static void check_after(struct ctx *c, u32 cmd, u32 gstate,
			const struct emul_fw_snap *before,
			const struct emul_fw_snap *after)
{
	u32 n = before->nguests;

	switch (cmd) {
	case EMUL_CMD_LAUNCH_START:
		assert_int_equal(after->nguests, n + 1);
		break;
	case EMUL_CMD_DECOMMISSION:
		assert_int_equal(after->nguests, n - 1);
		assert_int_equal(after->guest_count, before->guest_count - 1);
		break;
	case EMUL_CMD_LAUNCH_UPDATE_DATA:
	case EMUL_CMD_LAUNCH_UPDATE_VMSA:
		assert_int_equal(after->g[0].ld_bytes,
				 before->g[0].ld_bytes + c->b.lu.len);
		break;
	case EMUL_CMD_LAUNCH_MEASURE:
		assert_int_equal(after->g[0].state, SEV_GSTATE_LSECRET);
		break;
	case EMUL_CMD_LAUNCH_FINISH:
		assert_int_equal(after->g[0].state, SEV_GSTATE_RUNNING);
		break;
	case EMUL_CMD_DEACTIVATE:
		assert_true(before->g[0].active);
		assert_false(after->g[0].active);
		break;
	case EMUL_CMD_LAUNCH_UPDATE_SECRET:
		assert_memory_equal(c->guest_mem, c->data, sizeof(c->ct));
		/* fall through */
	default:	/* no state change */
		assert_snap_equal(before, after);
	}
}

static void check_guest_case(u32 gstate, u32 cmd)
{
	struct emul_fw_snap before, after;
	struct ctx *c = ctx_new();
	struct emul_data_handle h;
	u32 st, expect;

	guest_to(c, gstate);
	if (cmd == EMUL_CMD_DECOMMISSION && gstate != G_NONE) {
		h.handle = c->handle;	/* DECOMMISSION needs it inactive */
		assert_int_equal(fw_call(c->fw, EMUL_CMD_DEACTIVATE, &h), 0);
	}
	guest_buf(c, cmd, c->handle);
	if (gstate == G_NONE)
		expect = SEV_RET_INVALID_GUEST;
	else if (guest_allowed(cmd) & gstate)
		expect = SEV_RET_SUCCESS;
	else
		expect = SEV_RET_INVALID_GUEST_STATE;
	fw_snap(c->fw, &before);
	st = fw_call(c->fw, cmd, &c->b);
	if (st != expect)
		fail_msg("guest state 0x%x, command 0x%x: status 0x%x, expected 0x%x",
			 gstate, cmd, st, expect);
	fw_snap(c->fw, &after);
	if (st)
		assert_snap_equal(&before, &after);
	else
		check_after(c, cmd, gstate, &before, &after);
	ctx_free(c);
}

static void test_guest_matrix(void **state)
{
	static const u32 gstates[] = { G_NONE, G_LUPDATE, G_LSECRET,
				       G_RUNNING };
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(gstates); i++)
		for (j = 0; j < ARRAY_SIZE(guest_cmds); j++)
			check_guest_case(gstates[i], guest_cmds[j]);
}

/* Every guest command with handle 0 or an unknown one: INVALID_GUEST. */
static void test_bad_handles(void **state)
{
	static const u32 handles[] = { 0, 2, 0xffffffff };
	struct emul_fw_snap before, after;
	struct ctx *c = ctx_new();
	size_t i, j;

	guest_to(c, G_LUPDATE);
	assert_int_equal(c->handle, 1);
	fw_snap(c->fw, &before);
	for (i = 0; i < ARRAY_SIZE(guest_cmds); i++) {
		if (guest_cmds[i] == EMUL_CMD_LAUNCH_START)
			continue;	/* handle 0 there: a new guest */
		for (j = 0; j < ARRAY_SIZE(handles); j++) {
			guest_buf(c, guest_cmds[i], handles[j]);
			assert_int_equal(fw_call(c->fw, guest_cmds[i], &c->b),
					 SEV_RET_INVALID_GUEST);
		}
	}
	guest_buf(c, EMUL_CMD_LAUNCH_START, 2);		/* share: unknown */
	assert_int_equal(fw_call(c->fw, EMUL_CMD_LAUNCH_START, &c->b),
			 SEV_RET_INVALID_GUEST);
	fw_snap(c->fw, &after);
	assert_snap_equal(&before, &after);
	ctx_free(c);
}

/* Commands that take no buffer (the others refuse a NULL one). */
static bool bufferless(u32 cmd)
{
	return cmd == EMUL_CMD_SHUTDOWN || cmd == EMUL_CMD_PLATFORM_RESET ||
	       cmd == EMUL_CMD_PEK_GEN || cmd == EMUL_CMD_PDH_GEN;
}

/* NULL command buffers, unknown command ids: refused, nothing changes. */
static void test_null_and_unknown(void **state)
{
	static const u32 unknown[] = { 0, 0x00a, 0x00b, 0x00d, 0x040,
				       0x050, 0x060, 0x061, 0xffff };
	struct emul_fw_snap before, after;
	struct ctx *c = ctx_new();
	size_t i;

	guest_to(c, G_LUPDATE);
	fw_snap(c->fw, &before);
	for (i = 0; i < ARRAY_SIZE(guest_cmds); i++)
		assert_int_equal(fw_call(c->fw, guest_cmds[i], NULL),
				 SEV_RET_INVALID_ADDRESS);
	for (i = 0; i < ARRAY_SIZE(platform_cmds); i++)
		if (!bufferless(platform_cmds[i]))
			assert_int_equal(fw_call(c->fw, platform_cmds[i], NULL),
					 SEV_RET_INVALID_ADDRESS);
	for (i = 0; i < ARRAY_SIZE(unknown); i++)
		assert_int_equal(fw_call(c->fw, unknown[i], &c->b),
				 SEV_RET_INVALID_COMMAND);
	fw_snap(c->fw, &after);
	assert_snap_equal(&before, &after);
	ctx_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_platform_matrix),
		cmocka_unit_test(test_guest_matrix),
		cmocka_unit_test(test_bad_handles),
		cmocka_unit_test(test_null_and_unknown),
	};

	return cmocka_run_group_tests(tests, emul_master_setup,
				      emul_master_teardown);
}
