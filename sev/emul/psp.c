// SPDX-License-Identifier: GPL-2.0-only
/*
 * The "emulated" PSP backend: struct psp_ops over the emulated firmware.
 * It translates the uapi level into firmware commands the way the kernel
 * does: the ccp driver for SEV_ISSUE_CMD (platform INIT first where the
 * driver does it, length queries), kvm-amd for KVM_SEV_* (LAUNCH_START is
 * LAUNCH_START + ACTIVATE, release is DEACTIVATE + DECOMMISSION). A
 * firmware failure is -EIO with the status in *fw_err. The VM commands
 * are in emul/psp-vm.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sev/emul/platform.h"
#include "sev/emul/psp-priv.h"
#include "lib/log.h"

int pemul_fw(struct pemul *e, u32 cmd, void *buf, u32 *fw_err)
{
	u32 st;
	int r = emul_fw_cmd(e->fw, cmd, buf, &st);

	*fw_err = st;
	if (r)
		return r;
	return st ? -EIO : 0;
}

/* The kernel INITs an UNINIT platform, with SEV-ES when it can (always). */
int pemul_ensure_init(struct pemul *e, u32 *fw_err)
{
	struct emul_data_status s;
	struct emul_data_init in;
	int r;

	r = pemul_fw(e, EMUL_CMD_PLATFORM_STATUS, &s, fw_err);
	if (r || s.state != SEV_PSTATE_UNINIT)
		return r;
	memset(&in, 0, sizeof(in));
	in.flags = EMUL_INIT_FLAGS_ES;
	return pemul_fw(e, EMUL_CMD_INIT, &in, fw_err);
}

static int do_factory_reset(struct pemul *e, u32 *fw_err)
{
	struct emul_data_status s;
	int r;

	r = pemul_fw(e, EMUL_CMD_PLATFORM_STATUS, &s, fw_err);
	if (r)
		return r;
	if (s.state == SEV_PSTATE_WORKING) {
		*fw_err = (u32)SEV_RET_NO_FW_CALL;
		return -EBUSY;
	}
	if (s.state == SEV_PSTATE_INIT)
		r = pemul_fw(e, EMUL_CMD_SHUTDOWN, NULL, fw_err);
	return r ?: pemul_fw(e, EMUL_CMD_PLATFORM_RESET, NULL, fw_err);
}

static int do_status(struct pemul *e, void *data, u32 *fw_err)
{
	struct emul_data_status s;
	int r;

	_Static_assert(sizeof(s) == sizeof(struct sev_user_data_status),
		       "the kernel copies the firmware's status out as is");
	r = pemul_fw(e, EMUL_CMD_PLATFORM_STATUS, &s, fw_err);
	if (!r)
		memcpy(data, &s, sizeof(s));
	return r;
}

/* PEK_CSR and GET_ID2: {address, length}, a zero in either is a query. */
static int do_addr_len(struct pemul *e, u32 cmd, u64 *addr, u32 *len,
		       u32 *fw_err)
{
	struct emul_data_addr_len d;
	int r;

	memset(&d, 0, sizeof(d));
	if (*addr && *len) {
		if (*len > EMUL_BLOB_MAX)
			return -EFAULT;
		d.address = *addr;
		d.len = *len;
	}
	r = cmd == EMUL_CMD_PEK_CSR ? pemul_ensure_init(e, fw_err) : 0;
	r = r ?: pemul_fw(e, cmd, &d, fw_err);
	*len = d.len;
	return r;
}

static int do_pek_csr(struct pemul *e, void *data, u32 *fw_err)
{
	struct sev_user_data_pek_csr *u = data;
	u64 addr = u->address;
	u32 len = u->length;
	int r = do_addr_len(e, EMUL_CMD_PEK_CSR, &addr, &len, fw_err);

	u->length = len;
	return r;
}

static int do_get_id2(struct pemul *e, void *data, u32 *fw_err)
{
	struct sev_user_data_get_id2 *u = data;
	u64 addr = u->address;
	u32 len = u->length;
	int r = do_addr_len(e, EMUL_CMD_GET_ID, &addr, &len, fw_err);

	u->length = len;
	return r;
}

/* Deprecated GET_ID: one socket, so socket2 stays zero. */
static int do_get_id(struct pemul *e, void *data, u32 *fw_err)
{
	struct sev_user_data_get_id id;
	struct emul_data_addr_len d;
	int r;

	memset(&id, 0, sizeof(id));
	d.address = (u64)(uintptr_t)id.socket1;
	d.len = sizeof(id);
	r = pemul_fw(e, EMUL_CMD_GET_ID, &d, fw_err);
	if (!r)
		memcpy(data, &id, sizeof(id));
	return r;
}

static int do_pdh_export(struct pemul *e, void *data, u32 *fw_err)
{
	struct sev_user_data_pdh_cert_export *u = data;
	struct emul_data_pdh_cert_export d;
	int r;

	memset(&d, 0, sizeof(d));
	if (u->pdh_cert_address && u->pdh_cert_len && u->cert_chain_address) {
		if (u->pdh_cert_len > EMUL_BLOB_MAX ||
		    u->cert_chain_len > EMUL_BLOB_MAX)
			return -EFAULT;
		d.pdh_cert_address = u->pdh_cert_address;
		d.pdh_cert_len = u->pdh_cert_len;
		d.cert_chain_address = u->cert_chain_address;
		d.cert_chain_len = u->cert_chain_len;
	}
	r = pemul_ensure_init(e, fw_err);
	r = r ?: pemul_fw(e, EMUL_CMD_PDH_CERT_EXPORT, &d, fw_err);
	u->pdh_cert_len = d.pdh_cert_len;
	u->cert_chain_len = d.cert_chain_len;
	return r;
}

static int do_pek_import(struct pemul *e, void *data, u32 *fw_err)
{
	struct sev_user_data_pek_cert_import *u = data;
	struct emul_data_pek_cert_import d;
	int r;

	if (u->pek_cert_len > EMUL_BLOB_MAX || u->oca_cert_len > EMUL_BLOB_MAX)
		return -EFAULT;
	memset(&d, 0, sizeof(d));
	d.pek_cert_address = u->pek_cert_address;
	d.pek_cert_len = u->pek_cert_len;
	d.oca_cert_address = u->oca_cert_address;
	d.oca_cert_len = u->oca_cert_len;
	r = pemul_ensure_init(e, fw_err);
	return r ?: pemul_fw(e, EMUL_CMD_PEK_CERT_IMPORT, &d, fw_err);
}

static int do_keygen(struct pemul *e, u32 cmd, u32 *fw_err)
{
	int r = pemul_ensure_init(e, fw_err);

	return r ?: pemul_fw(e, cmd, NULL, fw_err);
}

static int platform_cmd_locked(struct pemul *e, u32 cmd, void *data,
			       u32 *fw_err)
{
	if (cmd != SEV_FACTORY_RESET && cmd != SEV_PEK_GEN &&
	    cmd != SEV_PDH_GEN && !data)
		return -EFAULT;
	switch (cmd) {
	case SEV_FACTORY_RESET:
		return do_factory_reset(e, fw_err);
	case SEV_PLATFORM_STATUS:
		return do_status(e, data, fw_err);
	case SEV_PEK_GEN:
		return do_keygen(e, EMUL_CMD_PEK_GEN, fw_err);
	case SEV_PDH_GEN:
		return do_keygen(e, EMUL_CMD_PDH_GEN, fw_err);
	case SEV_PEK_CSR:
		return do_pek_csr(e, data, fw_err);
	case SEV_PDH_CERT_EXPORT:
		return do_pdh_export(e, data, fw_err);
	case SEV_PEK_CERT_IMPORT:
		return do_pek_import(e, data, fw_err);
	case SEV_GET_ID:
		return do_get_id(e, data, fw_err);
	case SEV_GET_ID2:
		return do_get_id2(e, data, fw_err);
	default:
		return -EINVAL;
	}
}

static int pemul_platform_cmd(struct psp *psp, u32 cmd, void *data,
			      u32 *fw_err)
{
	struct pemul *e = psp->priv;
	u32 scratch;
	int r;

	if (!fw_err)
		fw_err = &scratch;
	*fw_err = (u32)SEV_RET_NO_FW_CALL;
	pthread_mutex_lock(&e->lock);
	r = platform_cmd_locked(e, cmd, data, fw_err);
	pthread_mutex_unlock(&e->lock);
	return r;
}

static u32 pemul_vm_type(struct psp *psp, bool es)
{
	return SEVM_KVM_X86_DEFAULT_VM;	/* legacy KVM_SEV_INIT path */
}

static void pemul_close(struct psp *psp)
{
	struct pemul *e = psp->priv;

	while (e->vms)
		pemul_vm_free(e, e->vms);
	emul_fw_close(e->fw);
	pthread_mutex_destroy(&e->lock);
	free(e->dir);
	free(e);
}

static int pemul_platform_info(struct psp *psp, struct psp_platform_info *pi)
{
	struct pemul *e = psp->priv;
	struct emul_config ec;
	int r;

	pi->cbitpos = EMUL_CBITPOS;
	pi->reduced_phys_bits = EMUL_REDUCED_PHYS_BITS;
	pi->slots_hint = "raise with sevm psp init --max-guests N";
	r = emul_config_load(e->dir, &ec);
	if (r) {
		pr_err("sev: emulated PSP %s: reading the guest limit: %s",
		       e->dir, strerror(-r));
		return r;
	}
	pi->max_guests = ec.max_guests;
	/* One pool of slots for SEV and SEV-ES guests (INIT sets CONFIG.ES). */
	pi->es = true;
	pi->sev_asids = ec.max_guests;
	pi->es_asids = ec.max_guests;
	return 0;
}

static const struct psp_ops pemul_ops = {
	.name		= "emulated",
	.platform_info	= pemul_platform_info,
	.guest_asid	= pemul_guest_asid,
	.update_vmsa	= pemul_update_vmsa,
	.attestation	= pemul_attestation,
	.release_note	= "DEACTIVATE + DECOMMISSION, guest slot released",
	.platform_cmd	= pemul_platform_cmd,
	.vm_type	= pemul_vm_type,
	.vm_init	= pemul_vm_init,
	.vm_cmd		= pemul_vm_cmd,
	.reg_region	= pemul_reg_region,
	.unreg_region	= pemul_unreg_region,
	.vm_release	= pemul_vm_release,
	.close		= pemul_close,
};

int psp_open_emulated(struct psp **out, const char *dir)
{
	struct pemul *e = calloc(1, sizeof(*e));
	int r;

	if (!e)
		return -ENOMEM;
	e->psp.ops = &pemul_ops;
	e->psp.priv = e;
	e->dir = strdup(dir ? dir : "");
	r = e->dir ? emul_fw_open(&e->fw, dir, &e->psp) : -ENOMEM;
	if (r) {
		free(e->dir);
		free(e);
		return r;
	}
	pthread_mutex_init(&e->lock, NULL);
	*out = &e->psp;
	return 0;
}
