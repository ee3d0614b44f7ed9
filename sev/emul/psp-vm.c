// SPDX-License-Identifier: GPL-2.0-only
/*
 * The emulated PSP backend, VM side: KVM_SEV_* sub-commands translated
 * into firmware commands as arch/x86/kvm/svm/sev.c does, with the
 * kvm_sev_* structs and their user (here: host) addresses. Differences
 * from KVM (docs/emulated-psp.md): the guest's ASID is the slot the
 * firmware took at LAUNCH_START, and LAUNCH_UPDATE_VMSA needs the VMSA
 * pages from the VMM (struct emul_vmsa_pages).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sev/emul/psp-priv.h"
#include "lib/log.h"

#define PAGE_SIZE_4K	4096u

static struct pemul_vm *vm_find(struct pemul *e, int fd)
{
	struct pemul_vm *vm;

	for (vm = e->vms; vm; vm = vm->next)
		if (vm->fd == fd)
			return vm;
	return NULL;
}

void pemul_vm_free(struct pemul *e, struct pemul_vm *vm)
{
	struct pemul_vm **pp;
	struct pemul_region *r;

	for (pp = &e->vms; *pp; pp = &(*pp)->next) {
		if (*pp == vm) {
			*pp = vm->next;
			break;
		}
	}
	while ((r = vm->regions)) {
		vm->regions = r->next;
		free(r);
	}
	free(vm);
}

static int vm_init_locked(struct pemul *e, int vm_fd, bool es, u32 *fw_err)
{
	struct pemul_vm *vm;
	int r;

	if (vm_find(e, vm_fd))
		return -EINVAL;		/* KVM: already an SEV guest */
	r = pemul_ensure_init(e, fw_err);
	if (r)
		return r;
	vm = calloc(1, sizeof(*vm));
	if (!vm)
		return -ENOMEM;
	vm->fd = vm_fd;
	vm->es = es;
	vm->next = e->vms;
	e->vms = vm;
	return 0;
}

int pemul_vm_init(struct psp *psp, int vm_fd, bool es, u32 *fw_err)
{
	struct pemul *e = psp->priv;
	u32 scratch;
	int r;

	if (!fw_err)
		fw_err = &scratch;
	*fw_err = (u32)SEV_RET_NO_FW_CALL;
	pthread_mutex_lock(&e->lock);
	r = vm_init_locked(e, vm_fd, es, fw_err);
	pthread_mutex_unlock(&e->lock);
	return r;
}

static int handle_cmd(struct pemul *e, u32 cmd, u32 handle, u32 *fw_err)
{
	struct emul_data_handle d = { .handle = handle };

	return pemul_fw(e, cmd, &d, fw_err);
}

/* sev_bind_asid(): ACTIVATE the new context on its ASID. */
static int bind_asid(struct pemul *e, u32 handle, u32 *fw_err)
{
	struct emul_data_guest_status st;
	struct emul_data_activate act;
	int r;

	memset(&st, 0, sizeof(st));
	st.handle = handle;
	r = pemul_fw(e, EMUL_CMD_GUEST_STATUS, &st, fw_err);
	if (r)
		return r;
	act.handle = handle;
	act.asid = st.asid;
	return pemul_fw(e, EMUL_CMD_ACTIVATE, &act, fw_err);
}

static int launch_start(struct pemul *e, struct pemul_vm *vm,
			struct kvm_sev_launch_start *ls, u32 *fw_err)
{
	struct emul_data_launch_start d;
	u32 ignored;
	int r;

	if (vm->handle)
		return -EINVAL;
	if ((ls->dh_uaddr && ls->dh_len > EMUL_BLOB_MAX) ||
	    (ls->session_uaddr && ls->session_len > EMUL_BLOB_MAX))
		return -EINVAL;
	memset(&d, 0, sizeof(d));
	d.handle = ls->handle;
	d.policy = ls->policy;
	if (ls->dh_uaddr) {
		d.dh_cert_address = ls->dh_uaddr;
		d.dh_cert_len = ls->dh_len;
	}
	if (ls->session_uaddr) {
		d.session_address = ls->session_uaddr;
		d.session_len = ls->session_len;
	}
	r = pemul_fw(e, EMUL_CMD_LAUNCH_START, &d, fw_err);
	if (r)
		return r;
	r = bind_asid(e, d.handle, fw_err);
	if (r) {
		if (handle_cmd(e, EMUL_CMD_DECOMMISSION, d.handle, &ignored))
			pr_err("emulated PSP: DECOMMISSION of handle %u failed (firmware status 0x%x)",
			       d.handle, ignored);
		return r;
	}
	vm->handle = d.handle;
	vm->active = true;
	ls->handle = d.handle;
	return 0;
}

static int update_data(struct pemul *e, struct pemul_vm *vm,
		       const struct kvm_sev_launch_update_data *ud,
		       u32 *fw_err)
{
	struct emul_data_launch_update d;

	if (!ud->len || ud->uaddr + ud->len < ud->uaddr)
		return -EINVAL;		/* sev_pin_memory() */
	if (!ud->uaddr)
		return -EFAULT;
	memset(&d, 0, sizeof(d));
	d.handle = vm->handle;
	d.address = ud->uaddr;
	d.len = ud->len;
	return pemul_fw(e, EMUL_CMD_LAUNCH_UPDATE_DATA, &d, fw_err);
}

static int update_vmsa(struct pemul *e, struct pemul_vm *vm,
		       const struct emul_vmsa_pages *v, u32 *fw_err)
{
	struct emul_data_launch_update d;
	u32 i;
	int r = 0;

	if (!vm->es)
		return -ENOTTY;
	if (!v || !v->uaddr || !v->nr || v->len / PAGE_SIZE_4K != v->nr ||
	    v->len % PAGE_SIZE_4K)
		return -EINVAL;
	memset(&d, 0, sizeof(d));
	d.handle = vm->handle;
	d.len = PAGE_SIZE_4K;
	for (i = 0; i < v->nr && !r; i++) {
		d.address = v->uaddr + (u64)i * PAGE_SIZE_4K;
		r = pemul_fw(e, EMUL_CMD_LAUNCH_UPDATE_VMSA, &d, fw_err);
	}
	return r;
}

static int measure(struct pemul *e, struct pemul_vm *vm,
		   struct kvm_sev_launch_measure *lm, u32 *fw_err)
{
	struct emul_data_launch_measure d;
	int r;

	memset(&d, 0, sizeof(d));
	d.handle = vm->handle;
	if (lm->len && lm->uaddr) {
		if (lm->len > EMUL_BLOB_MAX)
			return -EINVAL;
		d.address = lm->uaddr;
		d.len = lm->len;
	}
	r = pemul_fw(e, EMUL_CMD_LAUNCH_MEASURE, &d, fw_err);
	if (!lm->len || !r)	/* a query, or the blob: the length back */
		lm->len = d.len;
	return r;
}

/* sev_get_attestation_report(): the same len 0 query convention. */
static int attestation(struct pemul *e, struct pemul_vm *vm,
		       struct kvm_sev_attestation_report *ar, u32 *fw_err)
{
	struct emul_data_attestation d;
	int r;

	memset(&d, 0, sizeof(d));
	d.handle = vm->handle;
	if (ar->len && ar->uaddr) {
		if (ar->len > EMUL_BLOB_MAX)
			return -EINVAL;
		d.address = ar->uaddr;
		d.len = ar->len;
		memcpy(d.mnonce, ar->mnonce, sizeof(d.mnonce));
	}
	r = pemul_fw(e, EMUL_CMD_ATTESTATION, &d, fw_err);
	if (!ar->len || !r)
		ar->len = d.len;
	return r;
}

static int secret(struct pemul *e, struct pemul_vm *vm,
		  const struct kvm_sev_launch_secret *s, u32 *fw_err)
{
	struct emul_data_launch_secret d;

	if (!s->guest_uaddr || !s->guest_len || !s->hdr_uaddr ||
	    !s->hdr_len || s->hdr_len > EMUL_BLOB_MAX || !s->trans_uaddr ||
	    !s->trans_len || s->trans_len > EMUL_BLOB_MAX)
		return -EINVAL;
	memset(&d, 0, sizeof(d));
	d.handle = vm->handle;
	d.hdr_address = s->hdr_uaddr;
	d.hdr_len = s->hdr_len;
	d.guest_address = s->guest_uaddr;
	d.guest_len = s->guest_len;
	d.trans_address = s->trans_uaddr;
	d.trans_len = s->trans_len;
	return pemul_fw(e, EMUL_CMD_LAUNCH_UPDATE_SECRET, &d, fw_err);
}

static int guest_status(struct pemul *e, struct pemul_vm *vm,
			struct kvm_sev_guest_status *st, u32 *fw_err)
{
	struct emul_data_guest_status d;
	int r;

	memset(&d, 0, sizeof(d));
	d.handle = vm->handle;
	r = pemul_fw(e, EMUL_CMD_GUEST_STATUS, &d, fw_err);
	if (r)
		return r;
	st->handle = vm->handle;
	st->policy = d.policy;
	st->state = d.state;
	return 0;
}

static int vm_cmd_locked(struct pemul *e, struct pemul_vm *vm, u32 id,
			 void *data, u32 *fw_err)
{
	if (!data && id != KVM_SEV_LAUNCH_FINISH &&
	    id != KVM_SEV_LAUNCH_UPDATE_VMSA)
		return -EFAULT;
	switch (id) {
	case KVM_SEV_LAUNCH_START:
		return launch_start(e, vm, data, fw_err);
	case KVM_SEV_LAUNCH_UPDATE_DATA:
		return update_data(e, vm, data, fw_err);
	case KVM_SEV_LAUNCH_UPDATE_VMSA:
		return update_vmsa(e, vm, data, fw_err);
	case KVM_SEV_LAUNCH_MEASURE:
		return measure(e, vm, data, fw_err);
	case KVM_SEV_LAUNCH_SECRET:
		return secret(e, vm, data, fw_err);
	case KVM_SEV_LAUNCH_FINISH:
		return handle_cmd(e, EMUL_CMD_LAUNCH_FINISH, vm->handle,
				  fw_err);
	case KVM_SEV_GUEST_STATUS:
		return guest_status(e, vm, data, fw_err);
	case KVM_SEV_GET_ATTESTATION_REPORT:
		return attestation(e, vm, data, fw_err);
	default:
		return -EINVAL;
	}
}

int pemul_vm_cmd(struct psp *psp, int vm_fd, u32 id, void *data,
		 u32 *fw_err)
{
	struct pemul *e = psp->priv;
	struct pemul_vm *vm;
	u32 scratch;
	int r;

	if (!fw_err)
		fw_err = &scratch;
	if (id == KVM_SEV_INIT || id == KVM_SEV_ES_INIT)
		return pemul_vm_init(psp, vm_fd, id == KVM_SEV_ES_INIT, fw_err);
	*fw_err = (u32)SEV_RET_NO_FW_CALL;
	if (id == SEVM_KVM_SEV_INIT2)
		return -EINVAL;		/* not on a KVM_X86_DEFAULT_VM */
	pthread_mutex_lock(&e->lock);
	vm = vm_find(e, vm_fd);
	r = vm ? vm_cmd_locked(e, vm, id, data, fw_err) : -ENOTTY;
	pthread_mutex_unlock(&e->lock);
	return r;
}

int pemul_reg_region(struct psp *psp, int vm_fd, void *addr, u64 size)
{
	struct pemul *e = psp->priv;
	u64 a = (u64)(uintptr_t)addr;
	struct pemul_region *rg;
	struct pemul_vm *vm;
	int r = 0;

	if (!size || !IS_ALIGNED(a, PAGE_SIZE_4K) ||
	    !IS_ALIGNED(size, PAGE_SIZE_4K) || a + size < a)
		return -EINVAL;
	pthread_mutex_lock(&e->lock);
	vm = vm_find(e, vm_fd);
	rg = vm ? calloc(1, sizeof(*rg)) : NULL;
	if (!vm)
		r = -ENOTTY;
	else if (!rg)
		r = -ENOMEM;
	if (!r) {
		rg->addr = a;
		rg->size = size;
		rg->next = vm->regions;
		vm->regions = rg;
	}
	pthread_mutex_unlock(&e->lock);
	return r;
}

int pemul_unreg_region(struct psp *psp, int vm_fd, void *addr, u64 size)
{
	struct pemul *e = psp->priv;
	u64 a = (u64)(uintptr_t)addr;
	struct pemul_region **pp, *rg;
	struct pemul_vm *vm;
	int r = -EINVAL;

	pthread_mutex_lock(&e->lock);
	vm = vm_find(e, vm_fd);
	if (!vm)
		r = -ENOTTY;
	for (pp = vm ? &vm->regions : NULL; pp && *pp; pp = &(*pp)->next) {
		rg = *pp;
		if (rg->addr == a && rg->size == size) {
			*pp = rg->next;
			free(rg);
			r = 0;
			break;
		}
	}
	pthread_mutex_unlock(&e->lock);
	return r;
}

/* sev_vm_destroy(): DEACTIVATE + DECOMMISSION, regions unpinned. */
void pemul_vm_release(struct psp *psp, int vm_fd)
{
	struct pemul *e = psp->priv;
	struct pemul_vm *vm;
	u32 fw = 0;
	int r = 0;

	pthread_mutex_lock(&e->lock);
	vm = vm_find(e, vm_fd);
	if (vm && vm->handle && vm->active)
		r = handle_cmd(e, EMUL_CMD_DEACTIVATE, vm->handle, &fw);
	if (vm && vm->handle && !r)
		r = handle_cmd(e, EMUL_CMD_DECOMMISSION, vm->handle, &fw);
	if (r && r != -EIO)
		pr_err("emulated PSP: releasing the guest context of VM fd %d failed: %s",
		       vm_fd, strerror(-r));
	if (vm)
		pemul_vm_free(e, vm);
	pthread_mutex_unlock(&e->lock);
}

int pemul_guest_asid(struct psp *psp, int vm_fd, u32 *asid)
{
	struct emul_data_guest_status st;
	struct pemul *e = psp->priv;
	struct pemul_vm *vm;
	u32 fw;
	int r = -ENOTTY;

	pthread_mutex_lock(&e->lock);
	vm = vm_find(e, vm_fd);
	if (vm && vm->handle) {
		memset(&st, 0, sizeof(st));
		st.handle = vm->handle;
		r = pemul_fw(e, EMUL_CMD_GUEST_STATUS, &st, &fw);
		if (!r)
			*asid = st.asid;
	}
	pthread_mutex_unlock(&e->lock);
	return r;
}

int pemul_update_vmsa(struct psp *psp, int vm_fd,
		      const struct psp_vmsa_set *set, u32 *fw_err)
{
	struct emul_vmsa_pages v;

	memset(&v, 0, sizeof(v));
	v.uaddr = (u64)(uintptr_t)set->pages;
	v.len = set->nr * EMUL_VMSA_SIZE;
	v.nr = set->nr;
	return pemul_vm_cmd(psp, vm_fd, KVM_SEV_LAUNCH_UPDATE_VMSA, &v,
			    fw_err);
}

int pemul_attestation(struct psp *psp, int vm_fd,
		      struct kvm_sev_attestation_report *ar, u32 *fw_err)
{
	return pemul_vm_cmd(psp, vm_fd, KVM_SEV_GET_ATTESTATION_REPORT, ar,
			    fw_err);
}
