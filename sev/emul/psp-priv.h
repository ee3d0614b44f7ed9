/* SPDX-License-Identifier: GPL-2.0-only */
/* The emulated PSP backend's internals (emul/psp.c, emul/psp-vm.c). */
#ifndef SEVM_PSP_EMUL_PRIV_H
#define SEVM_PSP_EMUL_PRIV_H

#include <pthread.h>

#include "sev/emul/fw.h"
#include "sev/emul/psp.h"
#include "sev/sev.h"

struct pemul_region {
	struct pemul_region *next;
	u64 addr;
	u64 size;
};

/* What kvm-amd keeps per VM (struct kvm_sev_info). */
struct pemul_vm {
	struct pemul_vm *next;
	int fd;
	bool es;
	bool active;		/* ACTIVATEd by LAUNCH_START */
	u32 handle;		/* 0 until LAUNCH_START */
	struct pemul_region *regions;
};

struct pemul {
	struct psp psp;
	struct emul_fw *fw;
	pthread_mutex_t lock;	/* the VM list; one command at a time */
	struct pemul_vm *vms;
	char *dir;		/* the platform's state directory */
};

/* emul/psp.c */
int pemul_fw(struct pemul *e, u32 cmd, void *buf, u32 *fw_err)
	__must_check;
int pemul_ensure_init(struct pemul *e, u32 *fw_err) __must_check;

/* emul/psp-vm.c */
void pemul_vm_free(struct pemul *e, struct pemul_vm *vm);
int pemul_vm_init(struct psp *psp, int vm_fd, bool es, u32 *fw_err);
int pemul_vm_cmd(struct psp *psp, int vm_fd, u32 id, void *data,
		 u32 *fw_err);
int pemul_guest_asid(struct psp *psp, int vm_fd, u32 *asid);
int pemul_update_vmsa(struct psp *psp, int vm_fd,
		      const struct psp_vmsa_set *set, u32 *fw_err);
int pemul_reg_region(struct psp *psp, int vm_fd, void *addr, u64 size);
int pemul_unreg_region(struct psp *psp, int vm_fd, void *addr, u64 size);
void pemul_vm_release(struct psp *psp, int vm_fd);
int pemul_attestation(struct psp *psp, int vm_fd,
		      struct kvm_sev_attestation_report *ar, u32 *fw_err);

#endif /* SEVM_PSP_EMUL_PRIV_H */
