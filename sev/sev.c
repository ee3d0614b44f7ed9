// SPDX-License-Identifier: GPL-2.0-only
/*
 * The SEV thin layer: one short function per command. Each builds the
 * zeroed uapi struct (Linux 6.1 headers lack the pad members, so no
 * designated initialisers), calls the backend and returns 0 or -errno,
 * with the firmware status separately in *fw_err (see sev/sev.h).
 *
 * Also the host's CPUID 0x8000001F (C-bit position, reduced physical
 * address bits) and QEMU's checks on them.
 */
#include <cpuid.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "sev/sev.h"
#include "lib/log.h"

#define NO_FW_CALL	((u32)SEV_RET_NO_FW_CALL)
#define UADDR(p)	((u64)(uintptr_t)(p))

/*
 * Log a failure (not the INVALID_LEN that a length query expects), hand
 * the firmware status out and return the result.
 */
static int sev_done(const char *func, const char *op, int r, u32 fw,
		    bool query, u32 *fw_err)
{
	if (query && (!r || (r == -EIO && fw == SEV_RET_INVALID_LEN))) {
		r = 0;
		if (fw != SEV_RET_INVALID_LEN)
			fw = SEV_RET_SUCCESS;
	} else if (!r) {
		fw = SEV_RET_SUCCESS;
	} else {
		pr_err("%s: %s failed: %s (firmware status 0x%x %s)", func, op,
		       strerror(-r), fw, sev_fw_err_name((int)fw));
	}
	if (fw_err)
		*fw_err = fw;
	return r;
}

static int do_platform(struct psp *psp, u32 cmd, void *data, u32 *fw)
{
	*fw = NO_FW_CALL;
	if (!psp || !psp->ops)
		return -EINVAL;
	if (!psp->ops->platform_cmd)
		return -EOPNOTSUPP;
	return psp->ops->platform_cmd(psp, cmd, data, fw);
}

static int do_vm(struct psp *psp, int vm_fd, u32 id, void *data, u32 *fw)
{
	*fw = NO_FW_CALL;
	if (!psp || !psp->ops)
		return -EINVAL;
	if (!psp->ops->vm_cmd)
		return -EOPNOTSUPP;
	return psp->ops->vm_cmd(psp, vm_fd, id, data, fw);
}

void psp_close(struct psp *psp)
{
	if (psp && psp->ops && psp->ops->close)
		psp->ops->close(psp);
}

/* --- platform commands */

int sev_platform_status(struct psp *psp, struct sev_user_data_status *st,
			u32 *fw_err)
{
	u32 fw;
	int r;

	memset(st, 0, sizeof(*st));
	r = do_platform(psp, SEV_PLATFORM_STATUS, st, &fw);
	return sev_done(__func__, "SEV_PLATFORM_STATUS", r, fw, false, fw_err);
}

int sev_factory_reset(struct psp *psp, u32 *fw_err)
{
	u32 fw;
	int r = do_platform(psp, SEV_FACTORY_RESET, NULL, &fw);

	return sev_done(__func__, "SEV_FACTORY_RESET", r, fw, false, fw_err);
}

int sev_pek_gen(struct psp *psp, u32 *fw_err)
{
	u32 fw;
	int r = do_platform(psp, SEV_PEK_GEN, NULL, &fw);

	return sev_done(__func__, "SEV_PEK_GEN", r, fw, false, fw_err);
}

int sev_pdh_gen(struct psp *psp, u32 *fw_err)
{
	u32 fw;
	int r = do_platform(psp, SEV_PDH_GEN, NULL, &fw);

	return sev_done(__func__, "SEV_PDH_GEN", r, fw, false, fw_err);
}

int sev_pek_csr(struct psp *psp, void *buf, u32 *len, u32 *fw_err)
{
	struct sev_user_data_pek_csr csr;
	bool query = !buf || !*len;
	u32 fw;
	int r;

	memset(&csr, 0, sizeof(csr));
	if (!query) {
		csr.address = UADDR(buf);
		csr.length = *len;
	}
	r = do_platform(psp, SEV_PEK_CSR, &csr, &fw);
	if (!r || fw == SEV_RET_INVALID_LEN)
		*len = csr.length;
	return sev_done(__func__, "SEV_PEK_CSR", r, fw, query, fw_err);
}

int sev_pdh_cert_export(struct psp *psp, void *pdh, u32 *pdh_len,
			void *chain, u32 *chain_len, u32 *fw_err)
{
	struct sev_user_data_pdh_cert_export ex;
	bool query = !pdh || !*pdh_len || !chain || !*chain_len;
	u32 fw;
	int r;

	memset(&ex, 0, sizeof(ex));
	if (!query) {
		ex.pdh_cert_address = UADDR(pdh);
		ex.pdh_cert_len = *pdh_len;
		ex.cert_chain_address = UADDR(chain);
		ex.cert_chain_len = *chain_len;
	}
	r = do_platform(psp, SEV_PDH_CERT_EXPORT, &ex, &fw);
	if (!r || fw == SEV_RET_INVALID_LEN) {
		*pdh_len = ex.pdh_cert_len;
		*chain_len = ex.cert_chain_len;
	}
	return sev_done(__func__, "SEV_PDH_CERT_EXPORT", r, fw, query, fw_err);
}

int sev_pek_cert_import(struct psp *psp, const void *pek, u32 pek_len,
			const void *oca, u32 oca_len, u32 *fw_err)
{
	struct sev_user_data_pek_cert_import imp;
	u32 fw;
	int r;

	memset(&imp, 0, sizeof(imp));
	imp.pek_cert_address = UADDR(pek);
	imp.pek_cert_len = pek_len;
	imp.oca_cert_address = UADDR(oca);
	imp.oca_cert_len = oca_len;
	r = do_platform(psp, SEV_PEK_CERT_IMPORT, &imp, &fw);
	return sev_done(__func__, "SEV_PEK_CERT_IMPORT", r, fw, false, fw_err);
}

int sev_get_id(struct psp *psp, void *id, u32 *len, u32 *fw_err)
{
	struct sev_user_data_get_id2 gid;
	bool query = !id || !*len;
	u32 fw;
	int r;

	memset(&gid, 0, sizeof(gid));
	if (!query) {
		gid.address = UADDR(id);
		gid.length = *len;
	}
	r = do_platform(psp, SEV_GET_ID2, &gid, &fw);
	if (!r || fw == SEV_RET_INVALID_LEN)
		*len = gid.length;
	return sev_done(__func__, "SEV_GET_ID2", r, fw, query, fw_err);
}

/* --- guest commands */

int sev_guest_init(struct psp *psp, int vm_fd, bool es, u32 *fw_err)
{
	u32 fw = NO_FW_CALL;
	int r;

	if (!psp || !psp->ops)
		r = -EINVAL;
	else if (!psp->ops->vm_init)
		r = -EOPNOTSUPP;
	else
		r = psp->ops->vm_init(psp, vm_fd, es, &fw);
	return sev_done(__func__, es ? "SEV-ES guest init" : "SEV guest init",
			r, fw, false, fw_err);
}

int sev_cmd_launch_start(struct psp *psp, int vm_fd, u32 policy,
			 const void *dh_cert, u32 dh_len, const void *session,
			 u32 session_len, u32 *handle, u32 *fw_err)
{
	struct kvm_sev_launch_start ls;
	char op[64];
	u32 fw;
	int r;

	memset(&ls, 0, sizeof(ls));
	ls.handle = handle ? *handle : 0;
	ls.policy = policy;
	if (dh_cert) {
		ls.dh_uaddr = UADDR(dh_cert);
		ls.dh_len = dh_len;
	}
	if (session) {
		ls.session_uaddr = UADDR(session);
		ls.session_len = session_len;
	}
	r = do_vm(psp, vm_fd, KVM_SEV_LAUNCH_START, &ls, &fw);
	if (!r && handle)
		*handle = ls.handle;
	snprintf(op, sizeof(op), "KVM_SEV_LAUNCH_START (policy 0x%x)", policy);
	return sev_done(__func__, op, r, fw, false, fw_err);
}

int sev_launch_update_data(struct psp *psp, int vm_fd, void *uaddr, u32 len,
			   u32 *fw_err)
{
	struct kvm_sev_launch_update_data ud;
	char op[80];
	u32 fw;
	int r;

	memset(&ud, 0, sizeof(ud));
	ud.uaddr = UADDR(uaddr);
	ud.len = len;
	r = do_vm(psp, vm_fd, KVM_SEV_LAUNCH_UPDATE_DATA, &ud, &fw);
	snprintf(op, sizeof(op), "KVM_SEV_LAUNCH_UPDATE_DATA (%p len 0x%x)",
		 uaddr, len);
	return sev_done(__func__, op, r, fw, false, fw_err);
}

int sev_launch_update_vmsa(struct psp *psp, int vm_fd, u32 *fw_err)
{
	u32 fw;
	int r = do_vm(psp, vm_fd, KVM_SEV_LAUNCH_UPDATE_VMSA, NULL, &fw);

	return sev_done(__func__, "KVM_SEV_LAUNCH_UPDATE_VMSA", r, fw, false,
			fw_err);
}

int sev_cmd_launch_measure(struct psp *psp, int vm_fd, void *blob,
			   u32 *len, u32 *fw_err)
{
	struct kvm_sev_launch_measure lm;
	bool query = !blob || !*len;
	u32 fw;
	int r;

	memset(&lm, 0, sizeof(lm));
	if (!query) {
		lm.uaddr = UADDR(blob);
		lm.len = *len;
	}
	r = do_vm(psp, vm_fd, KVM_SEV_LAUNCH_MEASURE, &lm, &fw);
	if (!r || fw == SEV_RET_INVALID_LEN)
		*len = lm.len;
	return sev_done(__func__, "KVM_SEV_LAUNCH_MEASURE", r, fw, query,
			fw_err);
}

int sev_launch_secret(struct psp *psp, int vm_fd, const void *hdr,
		      u32 hdr_len, void *guest_uaddr, u32 guest_len,
		      const void *trans, u32 trans_len, u32 *fw_err)
{
	struct kvm_sev_launch_secret ls;
	char op[80];
	u32 fw;
	int r;

	memset(&ls, 0, sizeof(ls));
	ls.hdr_uaddr = UADDR(hdr);
	ls.hdr_len = hdr_len;
	ls.guest_uaddr = UADDR(guest_uaddr);
	ls.guest_len = guest_len;
	ls.trans_uaddr = UADDR(trans);
	ls.trans_len = trans_len;
	r = do_vm(psp, vm_fd, KVM_SEV_LAUNCH_SECRET, &ls, &fw);
	snprintf(op, sizeof(op), "KVM_SEV_LAUNCH_SECRET (guest %p len 0x%x)",
		 guest_uaddr, guest_len);
	return sev_done(__func__, op, r, fw, false, fw_err);
}

int sev_cmd_launch_finish(struct psp *psp, int vm_fd, u32 *fw_err)
{
	u32 fw;
	int r = do_vm(psp, vm_fd, KVM_SEV_LAUNCH_FINISH, NULL, &fw);

	return sev_done(__func__, "KVM_SEV_LAUNCH_FINISH", r, fw, false,
			fw_err);
}

static int do_attestation(struct psp *psp, int vm_fd,
			  struct kvm_sev_attestation_report *ar, u32 *fw)
{
	*fw = NO_FW_CALL;
	if (!psp || !psp->ops)
		return -EINVAL;
	if (!psp->ops->attestation)
		return -EOPNOTSUPP;
	return psp->ops->attestation(psp, vm_fd, ar, fw);
}

int sev_attestation_report(struct psp *psp, int vm_fd, const u8 mnonce[16],
			   void *report, u32 *len, u32 *fw_err)
{
	struct kvm_sev_attestation_report ar;
	bool query = !report || !*len;
	u32 fw;
	int r;

	memset(&ar, 0, sizeof(ar));
	if (!query) {
		memcpy(ar.mnonce, mnonce, sizeof(ar.mnonce));
		ar.uaddr = UADDR(report);
		ar.len = *len;
	}
	r = do_attestation(psp, vm_fd, &ar, &fw);
	if (!r || fw == SEV_RET_INVALID_LEN)
		*len = ar.len;
	return sev_done(__func__, "KVM_SEV_GET_ATTESTATION_REPORT", r, fw,
			query, fw_err);
}

int sev_guest_status(struct psp *psp, int vm_fd,
		     struct kvm_sev_guest_status *st, u32 *fw_err)
{
	u32 fw;
	int r;

	memset(st, 0, sizeof(*st));
	r = do_vm(psp, vm_fd, KVM_SEV_GUEST_STATUS, st, &fw);
	return sev_done(__func__, "KVM_SEV_GUEST_STATUS", r, fw, false,
			fw_err);
}

static int sev_region(struct psp *psp, int vm_fd, void *addr, u64 size,
		      bool reg)
{
	int (*fn)(struct psp *, int, void *, u64) = NULL;
	int r = -EINVAL;

	if (psp && psp->ops) {
		fn = reg ? psp->ops->reg_region : psp->ops->unreg_region;
		r = fn ? fn(psp, vm_fd, addr, size) : -EOPNOTSUPP;
	}
	if (r)
		pr_err("%s: KVM_MEMORY_ENCRYPT_%s_REGION (%p size 0x%llx) failed: %s",
		       reg ? "sev_reg_region" : "sev_unreg_region",
		       reg ? "REG" : "UNREG", addr, (unsigned long long)size,
		       strerror(-r));
	return r;
}

int sev_reg_region(struct psp *psp, int vm_fd, void *addr, u64 size)
{
	return sev_region(psp, vm_fd, addr, size, true);
}

int sev_unreg_region(struct psp *psp, int vm_fd, void *addr, u64 size)
{
	return sev_region(psp, vm_fd, addr, size, false);
}

void sev_vm_release(struct psp *psp, int vm_fd)
{
	if (psp && psp->ops && psp->ops->vm_release)
		psp->ops->vm_release(psp, vm_fd);
}

/* --- host CPUID 0x8000001F */

static void host_cpuid(u32 leaf, u32 *eax, u32 *ebx, u32 *ecx, u32 *edx)
{
	__cpuid(leaf, *eax, *ebx, *ecx, *edx);
}

static sev_cpuid_fn cpuid_fn = host_cpuid;

void sev_set_cpuid_fn(sev_cpuid_fn fn)
{
	cpuid_fn = fn ? fn : host_cpuid;
}

int sev_host_cbitpos(u32 *cbitpos, u32 *reduced)
{
	u32 eax, ebx, ecx, edx;

	cpuid_fn(0x80000000, &eax, &ebx, &ecx, &edx);
	if (eax < 0x8000001f) {
		pr_err("%s: CPUID 0x8000001F not available (highest extended leaf 0x%x): this host has no SEV",
		       __func__, eax);
		return -ENODEV;
	}
	cpuid_fn(0x8000001f, &eax, &ebx, &ecx, &edx);
	if (!(eax & (1u << 1))) {
		pr_err("%s: CPUID 0x8000001F EAX 0x%x: this host CPU does not report SEV",
		       __func__, eax);
		return -ENODEV;
	}
	*cbitpos = ebx & 0x3f;
	*reduced = (ebx >> 6) & 0x3f;
	return 0;
}

int sev_host_asids(bool *es, u32 *sev_asids, u32 *es_asids)
{
	u32 eax, ebx, ecx, edx;

	cpuid_fn(0x80000000, &eax, &ebx, &ecx, &edx);
	if (eax < 0x8000001f)
		return -ENODEV;
	cpuid_fn(0x8000001f, &eax, &ebx, &ecx, &edx);
	if (!(eax & (1u << 1)))
		return -ENODEV;
	*es = !!(eax & (1u << 3));
	*sev_asids = 0;
	*es_asids = 0;
	if (ecx && edx && edx <= ecx + 1) {
		*sev_asids = ecx - edx + 1;
		*es_asids = edx - 1;
	}
	return 0;
}

int sev_check_cbitpos(u32 requested, u32 host)
{
	if (requested == host)
		return 0;
	pr_err("%s: cbitpos check failed, host '%u' requested '%u'", __func__,
	       host, requested);
	return -EINVAL;
}

int sev_check_reduced_phys_bits(u32 requested)
{
	if (requested >= 1 && requested <= 63)
		return 0;
	pr_err("%s: reduced_phys_bits check failed, it should be in the range of 1 to 63, requested '%u'",
	       __func__, requested);
	return -EINVAL;
}

int sev_platform_info(struct psp *psp, struct psp_platform_info *pi)
{
	memset(pi, 0, sizeof(*pi));
	if (!psp || !psp->ops->platform_info)
		return -EOPNOTSUPP;
	return psp->ops->platform_info(psp, pi);
}

int sev_guest_asid(struct psp *psp, int vm_fd, u32 *asid)
{
	if (!psp || !psp->ops->guest_asid)
		return -EOPNOTSUPP;
	return psp->ops->guest_asid(psp, vm_fd, asid);
}

int sev_update_vmsa(struct psp *psp, int vm_fd,
		    const struct psp_vmsa_set *set, u32 *fw_err)
{
	if (fw_err)
		*fw_err = (u32)SEV_RET_NO_FW_CALL;
	if (!psp || !psp->ops->update_vmsa)
		return -EOPNOTSUPP;
	return psp->ops->update_vmsa(psp, vm_fd, set, fw_err);
}

const char *sev_release_note(const struct psp *psp)
{
	return psp && psp->ops->release_note ? psp->ops->release_note : "";
}
