// SPDX-License-Identifier: GPL-2.0-only
/*
 * Emulated firmware, guest commands: every parameter check (addresses,
 * alignment, lengths, fields, policy, activation, ASIDs) with the status
 * it must give and no state change, and the platform transitions guests
 * cause (INIT <-> WORKING, SHUTDOWN).
 */
#include <stdlib.h>
#include <string.h>

#include "tests/unit/emul-testlib.h"

struct fix {
	char dir[EMUL_DIR_MAX];
	struct emul_fw *fw;
	u32 handle;
	struct emul_fw_snap snap;
};

static u8 data[8192] __attribute__((aligned(4096)));

static u64 addr(const void *p)
{
	return (u64)(uintptr_t)p;
}

static int fix_setup(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	emul_clone(f->dir);
	assert_int_equal(emul_fw_open(&f->fw, f->dir, NULL), 0);
	fw_init(f->fw, true);
	f->handle = fw_launch(f->fw, SEV_POLICY_ES);
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

/* Run cmd, expect status st, and no change to the observable state. */
static void refused(struct fix *f, u32 cmd, void *buf, u32 st)
{
	struct emul_fw_snap before, after;

	fw_snap(f->fw, &before);
	assert_int_equal(fw_call(f->fw, cmd, buf), st);
	fw_snap(f->fw, &after);
	assert_snap_equal(&before, &after);
}

static void update(struct fix *f, u32 cmd, u64 a, u32 len, u32 st)
{
	struct emul_data_launch_update lu;

	memset(&lu, 0, sizeof(lu));
	lu.handle = f->handle;
	lu.address = a;
	lu.len = len;
	if (st)
		refused(f, cmd, &lu, st);
	else
		assert_int_equal(fw_call(f->fw, cmd, &lu), SEV_RET_SUCCESS);
}

static void test_update_data_checks(void **state)
{
	struct fix *f = *state;
	struct emul_data_handle h = { .handle = f->handle };
	const u32 D = EMUL_CMD_LAUNCH_UPDATE_DATA;

	update(f, D, 0, 16, SEV_RET_INVALID_ADDRESS);
	update(f, D, addr(data) + 8, 16, SEV_RET_INVALID_ADDRESS);
	update(f, D, addr(data) + 1, 32, SEV_RET_INVALID_ADDRESS);
	update(f, D, addr(data), 0, SEV_RET_INVALID_LEN);
	update(f, D, addr(data), 17, SEV_RET_INVALID_LEN);
	update(f, D, addr(data), 24, SEV_RET_INVALID_LEN);
	update(f, D, addr(data) + 16, 32, SEV_RET_SUCCESS);
	assert_int_equal(fw_call(f->fw, EMUL_CMD_DEACTIVATE, &h), 0);
	update(f, D, addr(data), 16, SEV_RET_INACTIVE);
}

static void test_update_vmsa_checks(void **state)
{
	struct fix *f = *state;
	struct emul_data_handle h = { .handle = f->handle };
	const u32 V = EMUL_CMD_LAUNCH_UPDATE_VMSA;
	u32 plain;

	update(f, V, 0, 4096, SEV_RET_INVALID_ADDRESS);
	update(f, V, addr(data) + 16, 4096, SEV_RET_INVALID_ADDRESS);
	update(f, V, addr(data), 4080, SEV_RET_INVALID_LEN);
	update(f, V, addr(data), 8192, SEV_RET_INVALID_LEN);
	update(f, V, addr(data), 4096, SEV_RET_SUCCESS);
	assert_int_equal(fw_call(f->fw, EMUL_CMD_DEACTIVATE, &h), 0);
	update(f, V, addr(data), 4096, SEV_RET_INACTIVE);

	/* A guest whose policy is not SEV-ES has no VMSA to measure. */
	plain = fw_launch(f->fw, 0);
	f->handle = plain;
	update(f, V, addr(data), 4096, SEV_RET_POLICY_FAILURE);
}

static void test_measure_checks(void **state)
{
	struct fix *f = *state;
	struct emul_data_launch_measure lm;
	struct sev_measurement m;
	u32 len;

	for (len = 0; len < sizeof(m); len += 47) {
		memset(&lm, 0, sizeof(lm));
		lm.handle = f->handle;
		lm.address = addr(&m);
		lm.len = len;
		refused(f, EMUL_CMD_LAUNCH_MEASURE, &lm, SEV_RET_INVALID_LEN);
		assert_int_equal(lm.len, sizeof(m));	/* needed, written */
	}
	lm.address = 0;
	refused(f, EMUL_CMD_LAUNCH_MEASURE, &lm, SEV_RET_INVALID_ADDRESS);
	lm.address = addr(&m);
	lm.len = 4096;			/* bigger is fine: 48 come back */
	assert_int_equal(fw_call(f->fw, EMUL_CMD_LAUNCH_MEASURE, &lm), 0);
	assert_int_equal(lm.len, sizeof(m));
	refused(f, EMUL_CMD_LAUNCH_MEASURE, &lm, SEV_RET_INVALID_GUEST_STATE);
}

static void to_lsecret(struct fix *f)
{
	struct emul_data_launch_measure lm;
	struct sev_measurement m;

	memset(&lm, 0, sizeof(lm));
	lm.handle = f->handle;
	lm.address = addr(&m);
	lm.len = sizeof(m);
	assert_int_equal(fw_call(f->fw, EMUL_CMD_LAUNCH_MEASURE, &lm), 0);
}

static void test_secret_checks(void **state)
{
	struct fix *f = *state;
	struct emul_data_handle h = { .handle = f->handle };
	struct emul_data_launch_secret s, t;
	struct sev_secret_header hdr;
	const u32 S = EMUL_CMD_LAUNCH_UPDATE_SECRET;

	to_lsecret(f);
	memset(&hdr, 0, sizeof(hdr));
	memset(&s, 0, sizeof(s));
	s.handle = f->handle;
	s.hdr_address = addr(&hdr);
	s.hdr_len = sizeof(hdr);
	s.guest_address = addr(data);
	s.guest_len = 64;
	s.trans_address = addr(data + 4096);
	s.trans_len = 64;
	t = s, t.hdr_address = 0;
	refused(f, S, &t, SEV_RET_INVALID_ADDRESS);
	t = s, t.guest_address = 0;
	refused(f, S, &t, SEV_RET_INVALID_ADDRESS);
	t = s, t.guest_address = addr(data) + 4;
	refused(f, S, &t, SEV_RET_INVALID_ADDRESS);
	t = s, t.trans_address = 0;
	refused(f, S, &t, SEV_RET_INVALID_ADDRESS);
	t = s, t.hdr_len = sizeof(hdr) - 1;
	refused(f, S, &t, SEV_RET_INVALID_LEN);
	t = s, t.trans_len = 0, t.guest_len = 0;
	refused(f, S, &t, SEV_RET_INVALID_LEN);
	t = s, t.trans_len = t.guest_len = EMUL_BLOB_MAX + 16;
	refused(f, S, &t, SEV_RET_INVALID_LEN);
	t = s, t.guest_len = 48;
	refused(f, S, &t, SEV_RET_INVALID_PARAM);
	refused(f, S, &s, SEV_RET_BAD_MEASUREMENT);	/* the MAC is zero */
	assert_int_equal(fw_call(f->fw, EMUL_CMD_DEACTIVATE, &h), 0);
	refused(f, S, &s, SEV_RET_INACTIVE);
	/* FINISH does not need the key. */
	assert_int_equal(fw_call(f->fw, EMUL_CMD_LAUNCH_FINISH, &h), 0);
}

static void activate(struct fix *f, u32 handle, u32 asid, u32 st)
{
	struct emul_data_activate a = { .handle = handle, .asid = asid };

	if (st)
		refused(f, EMUL_CMD_ACTIVATE, &a, st);
	else
		assert_int_equal(fw_call(f->fw, EMUL_CMD_ACTIVATE, &a), 0);
}

static void test_activate_asids(void **state)
{
	struct fix *f = *state;
	struct emul_data_guest_status a, b;
	struct emul_fw_snap s;
	u32 second = fw_launch(f->fw, 0);

	fw_guest(f->fw, f->handle, &a);
	fw_guest(f->fw, second, &b);
	assert_int_not_equal(a.asid, b.asid);
	activate(f, f->handle, 0, SEV_RET_INVALID_ASID);
	activate(f, f->handle, 16, SEV_RET_INVALID_ASID);
	activate(f, f->handle, b.asid, SEV_RET_ASID_OWNED);
	activate(f, f->handle, a.asid, SEV_RET_SUCCESS);	/* again: ok */
	/* A free ASID: the context moves there. */
	activate(f, f->handle, 9, SEV_RET_SUCCESS);
	fw_guest(f->fw, f->handle, &a);
	assert_int_equal(a.asid, 9);
	fw_snap(f->fw, &s);
	assert_int_equal(s.guest_count, 2);
	activate(f, second, 9, SEV_RET_ASID_OWNED);
}

static void test_decommission(void **state)
{
	struct fix *f = *state;
	struct emul_data_handle h = { .handle = f->handle };
	struct emul_data_status st;
	struct emul_data_pek_cert_import imp;
	struct emul_fw_snap s;

	fw_snap(f->fw, &s);
	assert_int_equal(s.state, SEV_PSTATE_WORKING);
	refused(f, EMUL_CMD_PEK_GEN, NULL, SEV_RET_INVALID_PLATFORM_STATE);
	memset(&imp, 0, sizeof(imp));
	refused(f, EMUL_CMD_PEK_CERT_IMPORT, &imp,
		SEV_RET_INVALID_PLATFORM_STATE);
	refused(f, EMUL_CMD_DECOMMISSION, &h, SEV_RET_ACTIVE);
	assert_int_equal(fw_call(f->fw, EMUL_CMD_DEACTIVATE, &h), 0);
	assert_int_equal(fw_call(f->fw, EMUL_CMD_DEACTIVATE, &h), 0);
	assert_int_equal(fw_call(f->fw, EMUL_CMD_DECOMMISSION, &h), 0);
	refused(f, EMUL_CMD_DECOMMISSION, &h, SEV_RET_INVALID_GUEST);
	/* The last guest gone: WORKING -> INIT, PEK_GEN allowed again. */
	assert_int_equal(fw_call(f->fw, EMUL_CMD_PLATFORM_STATUS, &st), 0);
	assert_int_equal(st.state, SEV_PSTATE_INIT);
	assert_int_equal(st.guest_count, 0);
	assert_int_equal(fw_call(f->fw, EMUL_CMD_PEK_GEN, NULL), 0);
}

static void start(struct fix *f, struct emul_data_launch_start *ls, u32 st)
{
	if (st)
		refused(f, EMUL_CMD_LAUNCH_START, ls, st);
	else
		assert_int_equal(fw_call(f->fw, EMUL_CMD_LAUNCH_START, ls), 0);
}

static void test_launch_start_checks(void **state)
{
	struct fix *f = *state;
	struct emul_data_launch_start ls;
	struct sev_cert godh;
	struct sev_session ses;
	u32 bit;

	memset(&ls, 0, sizeof(ls));
	ls.dh_cert_address = addr(&godh);
	ls.dh_cert_len = sizeof(godh);
	start(f, &ls, SEV_RET_INVALID_PARAM);		/* no session */
	memset(&ls, 0, sizeof(ls));
	ls.session_address = addr(&ses);
	ls.session_len = sizeof(ses);
	start(f, &ls, SEV_RET_INVALID_PARAM);		/* no GODH */
	ls.dh_cert_len = sizeof(godh);
	start(f, &ls, SEV_RET_INVALID_ADDRESS);
	ls.dh_cert_address = addr(&godh);
	ls.dh_cert_len = sizeof(godh) - 4;
	start(f, &ls, SEV_RET_INVALID_LEN);
	ls.dh_cert_len = sizeof(godh);
	ls.session_len = sizeof(ses) + 16;
	start(f, &ls, SEV_RET_INVALID_LEN);

	memset(&ls, 0, sizeof(ls));
	for (bit = 6; bit < 16; bit++) {
		ls.policy = 1u << bit;
		start(f, &ls, SEV_RET_POLICY_FAILURE);
	}
	ls.policy = 0x38010000;			/* API 1.56 > 1.55 */
	start(f, &ls, SEV_RET_POLICY_FAILURE);
	ls.policy = 0x00020000;			/* API 2.0 */
	start(f, &ls, SEV_RET_POLICY_FAILURE);
	ls.policy = 0x37010000;			/* API 1.55: fine */
	start(f, &ls, SEV_RET_SUCCESS);
}

static void test_key_sharing(void **state)
{
	struct fix *f = *state;
	struct emul_data_launch_start ls;
	u32 noks = fw_launch(f->fw, SEV_POLICY_NOKS);

	memset(&ls, 0, sizeof(ls));
	ls.handle = noks;			/* it refuses sharing */
	start(f, &ls, SEV_RET_POLICY_FAILURE);
	ls.handle = f->handle;
	ls.policy = SEV_POLICY_NOKS;		/* the new one refuses */
	start(f, &ls, SEV_RET_POLICY_FAILURE);
	ls.policy = 0;
	start(f, &ls, SEV_RET_SUCCESS);
	assert_int_not_equal(ls.handle, f->handle);
	assert_int_not_equal(ls.handle, noks);
}

static void test_es_needs_config_es(void **state)
{
	struct fix *f = *state;
	struct emul_data_launch_start ls;
	struct emul_data_handle h = { .handle = f->handle };
	struct emul_data_init in;

	assert_int_equal(fw_call(f->fw, EMUL_CMD_DEACTIVATE, &h), 0);
	assert_int_equal(fw_call(f->fw, EMUL_CMD_DECOMMISSION, &h), 0);
	assert_int_equal(fw_call(f->fw, EMUL_CMD_SHUTDOWN, NULL), 0);
	memset(&in, 0, sizeof(in));
	in.flags = 2;
	refused(f, EMUL_CMD_INIT, &in, SEV_RET_INVALID_PARAM);
	in.flags = 0;
	in.reserved = 1;
	refused(f, EMUL_CMD_INIT, &in, SEV_RET_INVALID_PARAM);
	fw_init(f->fw, false);
	memset(&ls, 0, sizeof(ls));
	ls.policy = SEV_POLICY_ES;
	start(f, &ls, SEV_RET_POLICY_FAILURE);
	ls.policy = 0;
	start(f, &ls, SEV_RET_SUCCESS);
}

static void test_shutdown_destroys(void **state)
{
	struct fix *f = *state;
	struct emul_data_guest_status gs;
	struct emul_fw_snap s;

	assert_int_equal(fw_call(f->fw, EMUL_CMD_SHUTDOWN, NULL), 0);
	fw_snap(f->fw, &s);
	assert_int_equal(s.state, SEV_PSTATE_UNINIT);
	assert_int_equal(s.nguests, 0);
	assert_int_equal(s.guest_count, 0);
	memset(&gs, 0, sizeof(gs));
	gs.handle = f->handle;
	refused(f, EMUL_CMD_GUEST_STATUS, &gs,
		SEV_RET_INVALID_PLATFORM_STATE);
	fw_init(f->fw, true);
	refused(f, EMUL_CMD_GUEST_STATUS, &gs, SEV_RET_INVALID_GUEST);
}

static void test_resource_limit(void **state)
{
	struct fix *f = *state;
	struct emul_data_launch_start ls;
	int i;

	for (i = 1; i < 15; i++)
		fw_launch(f->fw, 0);
	memset(&ls, 0, sizeof(ls));
	start(f, &ls, SEV_RET_RESOURCE_LIMIT);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, fix_setup, fix_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_update_data_checks),
		T(test_update_vmsa_checks),
		T(test_measure_checks),
		T(test_secret_checks),
		T(test_activate_asids),
		T(test_decommission),
		T(test_launch_start_checks),
		T(test_key_sharing),
		T(test_es_needs_config_es),
		T(test_shutdown_destroys),
		T(test_resource_limit),
	};

	return cmocka_run_group_tests(tests, emul_master_setup,
				      emul_master_teardown);
}
