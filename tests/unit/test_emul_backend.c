// SPDX-License-Identifier: GPL-2.0-only
/*
 * The emulated PSP backend through struct psp_ops, at the uapi level:
 * SEV_ISSUE_CMD ids with sev_user_data_* (the ccp driver's INIT-first and
 * length-query conventions) and KVM_SEV_* with kvm_sev_* (LAUNCH_START +
 * ACTIVATE, LAUNCH_MEASURE's len 0 query, LAUNCH_UPDATE_VMSA only for
 * SEV-ES, regions, release).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sev/emul/psp.h"
#include "sev/sev.h"
#include "tests/unit/emul-testlib.h"

#define VM	7
#define VM2	8

struct fix {
	char dir[EMUL_DIR_MAX];
	struct psp *psp;
	u32 fw;
};

static u8 ram[3 * 4096] __attribute__((aligned(4096)));

static u64 addr(const void *p)
{
	return (u64)(uintptr_t)p;
}

static int fix_setup(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	emul_clone(f->dir);
	assert_int_equal(psp_open_emulated(&f->psp, f->dir), 0);
	assert_string_equal(f->psp->ops->name, "emulated");
	memset(ram, 0, sizeof(ram));
	*state = f;
	return 0;
}

static int fix_teardown(void **state)
{
	struct fix *f = *state;

	f->psp->ops->close(f->psp);
	emul_rmtree(f->dir);
	free(f);
	return 0;
}

static int pcmd(struct fix *f, u32 cmd, void *data)
{
	f->fw = 0xdead;
	return f->psp->ops->platform_cmd(f->psp, cmd, data, &f->fw);
}

static int vcmd(struct fix *f, int vm, u32 id, void *data)
{
	f->fw = 0xdead;
	return f->psp->ops->vm_cmd(f->psp, vm, id, data, &f->fw);
}

static void status(struct fix *f, struct sev_user_data_status *st)
{
	assert_int_equal(pcmd(f, SEV_PLATFORM_STATUS, st), 0);
	assert_int_equal(f->fw, SEV_RET_SUCCESS);
}

static void test_open_uninitialised(void **state)
{
	char dir[EMUL_DIR_MAX];
	struct psp *psp = NULL;

	emul_scratch(dir);
	assert_int_equal(psp_open_emulated(&psp, dir), -ENOENT);
	assert_null(psp);
	emul_rmtree(dir);
}

static void test_status_and_lazy_init(void **state)
{
	struct fix *f = *state;
	struct sev_user_data_pek_csr csr;
	struct sev_user_data_status st;
	struct sev_cert pek;

	status(f, &st);
	assert_int_equal(st.state, SEV_PSTATE_UNINIT);
	assert_int_equal(st.api_major, 1);
	assert_int_equal(st.api_minor, 55);
	assert_int_equal(st.build, 21);
	/* A PEK_CSR length query: the driver INITs first (with SEV-ES). */
	memset(&csr, 0, sizeof(csr));
	csr.length = 100;
	assert_int_equal(pcmd(f, SEV_PEK_CSR, &csr), -EIO);
	assert_int_equal(f->fw, SEV_RET_INVALID_LEN);
	assert_int_equal(csr.length, SEV_CERT_SIZE);
	status(f, &st);
	assert_int_equal(st.state, SEV_PSTATE_INIT);
	assert_int_equal(st.flags & SEV_STATUS_FLAGS_CONFIG_ES,
			 SEV_STATUS_FLAGS_CONFIG_ES);
	csr.address = addr(&pek);
	csr.length = 100;
	assert_int_equal(pcmd(f, SEV_PEK_CSR, &csr), -EIO);	/* short */
	assert_int_equal(f->fw, SEV_RET_INVALID_LEN);
	csr.length = sizeof(pek);
	assert_int_equal(pcmd(f, SEV_PEK_CSR, &csr), 0);
	assert_int_equal(f->fw, SEV_RET_SUCCESS);
	assert_int_equal(pek.pub_key_usage, SEV_USAGE_PEK);
	csr.length = EMUL_BLOB_MAX + 1;
	assert_int_equal(pcmd(f, SEV_PEK_CSR, &csr), -EFAULT);
	assert_int_equal(f->fw, (u32)SEV_RET_NO_FW_CALL);
}

static void test_export_and_ids(void **state)
{
	struct fix *f = *state;
	struct sev_user_data_pdh_cert_export ex;
	struct sev_user_data_get_id2 id2;
	struct sev_user_data_get_id id;
	struct sev_cert pdh, chain[3];
	u8 id_buf[64];

	memset(&ex, 0, sizeof(ex));
	assert_int_equal(pcmd(f, SEV_PDH_CERT_EXPORT, &ex), -EIO);
	assert_int_equal(f->fw, SEV_RET_INVALID_LEN);
	assert_int_equal(ex.pdh_cert_len, SEV_CERT_SIZE);
	assert_int_equal(ex.cert_chain_len, 3 * SEV_CERT_SIZE);
	ex.pdh_cert_address = addr(&pdh);
	ex.cert_chain_address = addr(chain);
	assert_int_equal(pcmd(f, SEV_PDH_CERT_EXPORT, &ex), 0);
	assert_int_equal(pdh.pub_key_usage, SEV_USAGE_PDH);
	assert_int_equal(sev_cert_verify(&pdh, &chain[0]), 0);
	assert_int_equal(sev_cert_verify(&chain[0], &chain[1]), 0);
	assert_int_equal(sev_cert_verify(&chain[0], &chain[2]), 0);

	memset(&id2, 0, sizeof(id2));
	assert_int_equal(pcmd(f, SEV_GET_ID2, &id2), -EIO);
	assert_int_equal(f->fw, SEV_RET_INVALID_LEN);
	assert_int_equal(id2.length, 64);
	id2.address = addr(id_buf);
	assert_int_equal(pcmd(f, SEV_GET_ID2, &id2), 0);
	assert_int_equal(pcmd(f, SEV_GET_ID, &id), 0);
	assert_memory_equal(id.socket1, id_buf, 64);
	assert_int_equal(id.socket2[0] | id.socket2[63], 0);
}

static void test_keygen_and_reset(void **state)
{
	struct fix *f = *state;
	struct sev_user_data_pek_cert_import imp;
	struct sev_user_data_status st;

	assert_int_equal(pcmd(f, SEV_PDH_GEN, NULL), 0);
	assert_int_equal(pcmd(f, SEV_PEK_GEN, NULL), 0);
	status(f, &st);
	assert_int_equal(st.state, SEV_PSTATE_INIT);
	/* An import of nothing: the firmware refuses it. */
	memset(&imp, 0, sizeof(imp));
	assert_int_equal(pcmd(f, SEV_PEK_CERT_IMPORT, &imp), -EIO);
	assert_int_equal(f->fw, SEV_RET_INVALID_ADDRESS);
	imp.pek_cert_len = EMUL_BLOB_MAX + 1;
	assert_int_equal(pcmd(f, SEV_PEK_CERT_IMPORT, &imp), -EFAULT);
	/* INIT: SHUTDOWN then PLATFORM_RESET. */
	assert_int_equal(pcmd(f, SEV_FACTORY_RESET, NULL), 0);
	status(f, &st);
	assert_int_equal(st.state, SEV_PSTATE_UNINIT);
	/* WORKING: refused by the driver itself. */
	assert_int_equal(f->psp->ops->vm_init(f->psp, VM, false, &f->fw), 0);
	assert_int_equal(vcmd(f, VM, KVM_SEV_LAUNCH_START,
			      &(struct kvm_sev_launch_start){ 0 }), 0);
	assert_int_equal(pcmd(f, SEV_FACTORY_RESET, NULL), -EBUSY);
	assert_int_equal(pcmd(f, 99, &st), -EINVAL);
	assert_int_equal(pcmd(f, SEV_PLATFORM_STATUS, NULL), -EFAULT);
}

static void launch(struct fix *f, int vm, bool es, u32 policy, u32 *handle)
{
	struct kvm_sev_launch_start ls;

	assert_int_equal(f->psp->ops->vm_type(f->psp, es), 0);
	assert_int_equal(f->psp->ops->vm_init(f->psp, vm, es, &f->fw), 0);
	memset(&ls, 0, sizeof(ls));
	ls.policy = policy;
	assert_int_equal(vcmd(f, vm, KVM_SEV_LAUNCH_START, &ls), 0);
	assert_int_not_equal(ls.handle, 0);
	*handle = ls.handle;
}

static u32 gstate(struct fix *f, int vm)
{
	struct kvm_sev_guest_status gs;

	memset(&gs, 0, sizeof(gs));
	assert_int_equal(vcmd(f, vm, KVM_SEV_GUEST_STATUS, &gs), 0);
	return gs.state;
}

static void test_vm_launch(void **state)
{
	struct fix *f = *state;
	struct kvm_sev_launch_update_data ud;
	struct kvm_sev_launch_measure lm;
	struct sev_user_data_status st;
	struct sev_measurement m;
	u32 handle;

	launch(f, VM, false, SEV_POLICY_DEFAULT, &handle);
	assert_int_equal(gstate(f, VM), SEV_GSTATE_LUPDATE);
	status(f, &st);
	assert_int_equal(st.state, SEV_PSTATE_WORKING);
	assert_int_equal(st.guest_count, 1);
	ud.uaddr = addr(ram);
	ud.len = sizeof(ram);
	assert_int_equal(vcmd(f, VM, KVM_SEV_LAUNCH_UPDATE_DATA, &ud), 0);
	ud.uaddr = addr(ram) + 8;
	ud.len = 16;
	assert_int_equal(vcmd(f, VM, KVM_SEV_LAUNCH_UPDATE_DATA, &ud), -EIO);
	assert_int_equal(f->fw, SEV_RET_INVALID_ADDRESS);
	ud.len = 0;
	assert_int_equal(vcmd(f, VM, KVM_SEV_LAUNCH_UPDATE_DATA, &ud),
			 -EINVAL);
	assert_int_equal(vcmd(f, VM, KVM_SEV_LAUNCH_UPDATE_VMSA, NULL),
			 -ENOTTY);
	memset(&lm, 0, sizeof(lm));		/* the length query */
	assert_int_equal(vcmd(f, VM, KVM_SEV_LAUNCH_MEASURE, &lm), -EIO);
	assert_int_equal(f->fw, SEV_RET_INVALID_LEN);
	assert_int_equal(lm.len, 48);
	assert_int_equal(gstate(f, VM), SEV_GSTATE_LUPDATE);
	lm.uaddr = addr(&m);
	assert_int_equal(vcmd(f, VM, KVM_SEV_LAUNCH_MEASURE, &lm), 0);
	assert_int_equal(gstate(f, VM), SEV_GSTATE_LSECRET);
	assert_int_equal(vcmd(f, VM, KVM_SEV_LAUNCH_FINISH, NULL), 0);
	assert_int_equal(gstate(f, VM), SEV_GSTATE_RUNNING);
	assert_int_equal(vcmd(f, VM, KVM_SEV_LAUNCH_FINISH, NULL), -EIO);
	assert_int_equal(f->fw, SEV_RET_INVALID_GUEST_STATE);
	/* Release: DEACTIVATE + DECOMMISSION, the slot is free. */
	f->psp->ops->vm_release(f->psp, VM);
	status(f, &st);
	assert_int_equal(st.state, SEV_PSTATE_INIT);
	assert_int_equal(st.guest_count, 0);
	assert_int_equal(vcmd(f, VM, KVM_SEV_GUEST_STATUS, &st), -ENOTTY);
}

static void test_vm_errors(void **state)
{
	struct fix *f = *state;
	struct kvm_sev_launch_start ls;
	struct kvm_sev_guest_status gs;
	u32 handle;

	assert_int_equal(vcmd(f, VM, KVM_SEV_LAUNCH_START, &ls), -ENOTTY);
	assert_int_equal(f->fw, (u32)SEV_RET_NO_FW_CALL);
	assert_int_equal(f->psp->ops->vm_init(f->psp, VM, false, &f->fw), 0);
	assert_int_equal(f->psp->ops->vm_init(f->psp, VM, false, &f->fw),
			 -EINVAL);
	assert_int_equal(vcmd(f, VM, KVM_SEV_INIT, NULL), -EINVAL);
	assert_int_equal(vcmd(f, VM, SEVM_KVM_SEV_INIT2, &ls), -EINVAL);
	assert_int_equal(vcmd(f, VM, KVM_SEV_DBG_DECRYPT, &ls), -EINVAL);
	assert_int_equal(vcmd(f, VM, KVM_SEV_LAUNCH_START, NULL), -EFAULT);
	/* Before LAUNCH_START there is no guest context (handle 0). */
	assert_int_equal(vcmd(f, VM, KVM_SEV_GUEST_STATUS, &gs), -EIO);
	assert_int_equal(f->fw, SEV_RET_INVALID_GUEST);
	memset(&ls, 0, sizeof(ls));
	ls.policy = SEV_POLICY_ES;	/* the platform has CONFIG.ES */
	assert_int_equal(vcmd(f, VM, KVM_SEV_LAUNCH_START, &ls), 0);
	handle = ls.handle;
	assert_int_equal(vcmd(f, VM, KVM_SEV_LAUNCH_START, &ls), -EINVAL);
	assert_int_equal(ls.handle, handle);
	ls.handle = 0;
	ls.policy = SEV_POLICY_RESERVED;
	assert_int_equal(f->psp->ops->vm_init(f->psp, VM2, false, &f->fw), 0);
	assert_int_equal(vcmd(f, VM2, KVM_SEV_LAUNCH_START, &ls), -EIO);
	assert_int_equal(f->fw, SEV_RET_POLICY_FAILURE);
	assert_int_equal(ls.handle, 0);
	ls.dh_uaddr = addr(ram);
	ls.dh_len = EMUL_BLOB_MAX + 1;
	assert_int_equal(vcmd(f, VM2, KVM_SEV_LAUNCH_START, &ls), -EINVAL);
}

static void test_vm_resource_limit(void **state)
{
	struct fix *f = *state;
	struct kvm_sev_launch_start ls;
	u32 h;

	assert_int_equal(emul_platform_init(f->dir, 1, true), 0);
	launch(f, VM, false, 0, &h);
	assert_int_equal(f->psp->ops->vm_init(f->psp, VM2, false, &f->fw), 0);
	memset(&ls, 0, sizeof(ls));
	assert_int_equal(vcmd(f, VM2, KVM_SEV_LAUNCH_START, &ls), -EIO);
	assert_int_equal(f->fw, SEV_RET_RESOURCE_LIMIT);
	assert_int_equal(ls.handle, 0);
	f->psp->ops->vm_release(f->psp, VM);
	assert_int_equal(vcmd(f, VM2, KVM_SEV_LAUNCH_START, &ls), 0);
}

/* Export the PDH, build the owner's session, LAUNCH_START with it. */
static void launch_session(struct fix *f, int vm, bool es, u32 policy,
			   struct emul_owner *o)
{
	struct sev_user_data_pdh_cert_export ex;
	struct kvm_sev_launch_start ls;
	struct sev_cert pdh, chain[3];

	memset(&ex, 0, sizeof(ex));
	ex.pdh_cert_address = addr(&pdh);
	ex.pdh_cert_len = sizeof(pdh);
	ex.cert_chain_address = addr(chain);
	ex.cert_chain_len = sizeof(chain);
	assert_int_equal(pcmd(f, SEV_PDH_CERT_EXPORT, &ex), 0);
	emul_owner_session(&pdh, policy, o);
	assert_int_equal(f->psp->ops->vm_init(f->psp, vm, es, &f->fw), 0);
	memset(&ls, 0, sizeof(ls));
	ls.policy = policy;
	ls.dh_uaddr = addr(&o->godh);
	ls.dh_len = sizeof(o->godh);
	ls.session_uaddr = addr(&o->session);
	ls.session_len = sizeof(o->session);
	assert_int_equal(vcmd(f, vm, KVM_SEV_LAUNCH_START, &ls), 0);
}

static void measure(struct fix *f, int vm, struct sev_measurement *m)
{
	struct kvm_sev_launch_measure lm;

	memset(&lm, 0, sizeof(lm));
	lm.uaddr = addr(m);
	lm.len = sizeof(*m);
	assert_int_equal(vcmd(f, vm, KVM_SEV_LAUNCH_MEASURE, &lm), 0);
	assert_int_equal(lm.len, sizeof(*m));
}

/* SEV-ES: the VMSA pages come from the VMM (emul_vmsa_pages). */
static void test_vm_es_vmsa(void **state)
{
	struct fix *f = *state;
	struct kvm_sev_launch_update_data ud;
	struct sev_measurement m;
	struct emul_vmsa_pages v;
	struct emul_owner o;
	u8 ld[32], want[32];

	launch_session(f, VM, true, SEV_POLICY_DEFAULT_ES, &o);
	memset(ram, 0x3c, sizeof(ram));
	ud.uaddr = addr(ram);
	ud.len = 4096;
	assert_int_equal(vcmd(f, VM, KVM_SEV_LAUNCH_UPDATE_DATA, &ud), 0);
	assert_int_equal(vcmd(f, VM, KVM_SEV_LAUNCH_UPDATE_VMSA, NULL),
			 -EINVAL);
	v.uaddr = addr(ram + 4096);
	v.nr = 2;
	v.len = 4096;
	assert_int_equal(vcmd(f, VM, KVM_SEV_LAUNCH_UPDATE_VMSA, &v),
			 -EINVAL);
	v.len = 2 * 4096;
	assert_int_equal(vcmd(f, VM, KVM_SEV_LAUNCH_UPDATE_VMSA, &v), 0);
	measure(f, VM, &m);
	assert_true(EVP_Digest(ram, sizeof(ram), ld, NULL, EVP_sha256(),
			       NULL));
	assert_int_equal(sev_measure(o.tik, 1, 55, 21, SEV_POLICY_DEFAULT_ES,
				     ld, m.mnonce, want), 0);
	assert_memory_equal(m.measure, want, sizeof(want));
}

struct sink {
	u64 uaddr;
	size_t len;
	int calls;
};

static int sink_write(void *opaque, u64 uaddr, const void *buf, size_t len)
{
	struct sink *s = opaque;

	s->uaddr = uaddr;
	s->len = len;
	s->calls++;
	memcpy((void *)(uintptr_t)uaddr, buf, len);
	return 0;
}

static void test_vm_secret(void **state)
{
	struct fix *f = *state;
	struct kvm_sev_launch_secret ls;
	struct sev_secret_header hdr;
	struct sev_measurement m;
	struct sink sink = { 0 };
	struct emul_owner o;
	u8 plain[32], ct[32], iv[16] = { 1 };

	f->psp->write_guest = sink_write;
	f->psp->write_guest_opaque = &sink;
	launch_session(f, VM, false, SEV_POLICY_DEFAULT, &o);
	measure(f, VM, &m);
	memset(plain, 0xc3, sizeof(plain));
	assert_int_equal(sev_secret_seal(o.tek, o.tik, iv, m.measure, plain,
					 sizeof(plain), &hdr, ct), 0);
	memset(&ls, 0, sizeof(ls));
	ls.hdr_uaddr = addr(&hdr);
	ls.hdr_len = sizeof(hdr);
	ls.guest_uaddr = addr(ram + 4096);
	ls.guest_len = sizeof(ct);
	ls.trans_uaddr = addr(ct);
	ls.trans_len = 0;
	assert_int_equal(vcmd(f, VM, KVM_SEV_LAUNCH_SECRET, &ls), -EINVAL);
	ls.trans_len = sizeof(ct);
	assert_int_equal(vcmd(f, VM, KVM_SEV_LAUNCH_SECRET, &ls), 0);
	assert_int_equal(sink.calls, 1);
	assert_int_equal(sink.uaddr, addr(ram + 4096));
	assert_memory_equal(ram + 4096, plain, sizeof(plain));
	ct[0] ^= 1;
	assert_int_equal(vcmd(f, VM, KVM_SEV_LAUNCH_SECRET, &ls), -EIO);
	assert_int_equal(f->fw, SEV_RET_BAD_MEASUREMENT);
	assert_int_equal(sink.calls, 1);
}

static void test_regions(void **state)
{
	struct fix *f = *state;
	const struct psp_ops *ops = f->psp->ops;

	assert_int_equal(ops->reg_region(f->psp, VM, ram, 4096), -ENOTTY);
	assert_int_equal(ops->vm_init(f->psp, VM, false, &f->fw), 0);
	assert_int_equal(ops->reg_region(f->psp, VM, ram + 1, 4096), -EINVAL);
	assert_int_equal(ops->reg_region(f->psp, VM, ram, 100), -EINVAL);
	assert_int_equal(ops->reg_region(f->psp, VM, ram, 0), -EINVAL);
	assert_int_equal(ops->reg_region(f->psp, VM, ram, 8192), 0);
	assert_int_equal(ops->reg_region(f->psp, VM, ram + 8192, 4096), 0);
	assert_int_equal(ops->unreg_region(f->psp, VM, ram, 4096), -EINVAL);
	assert_int_equal(ops->unreg_region(f->psp, VM, ram, 8192), 0);
	assert_int_equal(ops->unreg_region(f->psp, VM, ram, 8192), -EINVAL);
	assert_int_equal(ops->unreg_region(f->psp, VM2, ram, 8192), -ENOTTY);
	/* Left registered: freed by release (no leak under ASan). */
	ops->vm_release(f->psp, VM);
	assert_int_equal(ops->unreg_region(f->psp, VM, ram + 8192, 4096),
			 -ENOTTY);
}

/* Closing the backend destroys its guest contexts: slots come back. */
static void test_close_releases(void **state)
{
	struct fix *f = *state;
	struct sev_user_data_status st;
	struct psp *other;
	u32 h;

	launch(f, VM, false, 0, &h);
	launch(f, VM2, false, 0, &h);
	assert_int_equal(psp_open_emulated(&other, f->dir), 0);
	assert_int_equal(other->ops->platform_cmd(other, SEV_PLATFORM_STATUS,
						  &st, &f->fw), 0);
	assert_int_equal(st.guest_count, 2);
	f->psp->ops->close(f->psp);
	f->psp = other;
	status(f, &st);
	assert_int_equal(st.guest_count, 0);
	assert_int_equal(st.state, SEV_PSTATE_INIT);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, fix_setup, fix_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_uninitialised),
		T(test_status_and_lazy_init),
		T(test_export_and_ids),
		T(test_keygen_and_reset),
		T(test_vm_launch),
		T(test_vm_errors),
		T(test_vm_resource_limit),
		T(test_vm_es_vmsa),
		T(test_vm_secret),
		T(test_regions),
		T(test_close_releases),
	};

	return cmocka_run_group_tests(tests, emul_master_setup,
				      emul_master_teardown);
}
