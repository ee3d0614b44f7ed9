/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * SEV, host side. Two layers over one backend interface:
 *
 *  - the thin layer (sev/sev.c): one small function per command, the KVM
 *    KVM_MEMORY_ENCRYPT_OP sub-commands and the /dev/sev SEV_ISSUE_CMD
 *    platform commands. Each returns 0 or -errno, and the firmware status
 *    separately in *fw_err (SEV_RET_*; SEV_RET_NO_FW_CALL when the
 *    firmware was not reached).
 *  - backends (struct psp_ops): "kernel" issues the real ioctls on the VM
 *    fd and /dev/sev (sev/psp-kernel.c); "emulated" runs a software SEV
 *    firmware with real cryptography (sev/psp-emul*.c). Both take the same
 *    uapi structs (kvm_sev_*, sev_user_data_*), user addresses included.
 *
 * With CONFIG_SEV=n every function here is a static inline returning
 * -ENOSYS.
 */
#ifndef SEVM_SEV_H
#define SEVM_SEV_H

#include <errno.h>

#include "sev/compat.h"
#include "vmm/util.h"

enum sev_guest_state {
	SEV_GSTATE_UNINIT = 0,
	SEV_GSTATE_LUPDATE = 1,
	SEV_GSTATE_LSECRET = 2,
	SEV_GSTATE_RUNNING = 3,
	SEV_GSTATE_SUPDATE = 4,
	SEV_GSTATE_RUPDATE = 5,
	SEV_GSTATE_SENT = 6,
};

enum sev_platform_state {
	SEV_PSTATE_UNINIT = 0,
	SEV_PSTATE_INIT = 1,
	SEV_PSTATE_WORKING = 2,
};

/* Guest policy bits (sev-protocol.md 4). */
#define SEV_POLICY_NODBG	(1u << 0)
#define SEV_POLICY_NOKS		(1u << 1)
#define SEV_POLICY_ES		(1u << 2)
#define SEV_POLICY_NOSEND	(1u << 3)
#define SEV_POLICY_DOMAIN	(1u << 4)
#define SEV_POLICY_SEV		(1u << 5)
#define SEV_POLICY_RESERVED	0x0000ffc0u
#define SEV_POLICY_DEFAULT	0x0033u		/* nova */
#define SEV_POLICY_DEFAULT_ES	0x0037u

#define SEV_FW_BLOB_MAX		0x4000u

struct psp;

/*
 * Called by the emulated firmware to write LAUNCH_SECRET plaintext into
 * guest memory at a user (host) address; the VMM checks it lies in RAM.
 */
typedef int (*psp_write_guest_fn)(void *opaque, u64 uaddr, const void *buf,
				  size_t len);

struct psp_ops {
	const char *name;
	/* SEV_ISSUE_CMD ids (SEV_PLATFORM_STATUS...) with sev_user_data_*. */
	int (*platform_cmd)(struct psp *psp, u32 cmd, void *data, u32 *fw_err);
	/* VM type for KVM_CREATE_VM (SEV/SEV-ES types when offered). */
	u32 (*vm_type)(struct psp *psp, bool es);
	/* KVM_SEV_INIT2, or legacy KVM_SEV_INIT / KVM_SEV_ES_INIT. */
	int (*vm_init)(struct psp *psp, int vm_fd, bool es, u32 *fw_err);
	/* KVM_SEV_* sub-command ids with the kvm_sev_* struct as data. */
	int (*vm_cmd)(struct psp *psp, int vm_fd, u32 id, void *data,
		      u32 *fw_err);
	int (*reg_region)(struct psp *psp, int vm_fd, void *addr, u64 size);
	int (*unreg_region)(struct psp *psp, int vm_fd, void *addr, u64 size);
	/* Tear down the VM's guest context (DEACTIVATE, DECOMMISSION, ASID). */
	void (*vm_release)(struct psp *psp, int vm_fd);
	void (*close)(struct psp *psp);
};

struct psp {
	const struct psp_ops *ops;
	void *priv;
	psp_write_guest_fn write_guest;
	void *write_guest_opaque;
};

/* Firmware status names: "INVALID_GUEST_STATE", and QEMU-style text. */
const char *sev_fw_err_name(int code);
const char *sev_fw_err_desc(int code);

#ifdef CONFIG_SEV

/* Backends. dev: "/dev/sev"; dir: the emulated platform's state dir. */
int psp_open_kernel(struct psp **psp, const char *dev) __must_check;
int psp_open_emulated(struct psp **psp, const char *dir) __must_check;
void psp_close(struct psp *psp);

/* --- platform commands (SEV_ISSUE_CMD) */
int sev_platform_status(struct psp *psp, struct sev_user_data_status *st,
			u32 *fw_err);
int sev_factory_reset(struct psp *psp, u32 *fw_err);
int sev_pek_gen(struct psp *psp, u32 *fw_err);
/* *len in/out; a NULL buf or *len 0 is a length query (INVALID_LEN). */
int sev_pek_csr(struct psp *psp, void *buf, u32 *len, u32 *fw_err);
int sev_pdh_gen(struct psp *psp, u32 *fw_err);
int sev_pdh_cert_export(struct psp *psp, void *pdh, u32 *pdh_len,
			void *chain, u32 *chain_len, u32 *fw_err);
int sev_pek_cert_import(struct psp *psp, const void *pek, u32 pek_len,
			const void *oca, u32 oca_len, u32 *fw_err);
int sev_get_id(struct psp *psp, void *id, u32 *len, u32 *fw_err);

/* --- guest commands (KVM_MEMORY_ENCRYPT_OP on the VM fd) */
int sev_guest_init(struct psp *psp, int vm_fd, bool es, u32 *fw_err);
int sev_launch_start(struct psp *psp, int vm_fd, u32 policy,
		     const void *dh_cert, u32 dh_len, const void *session,
		     u32 session_len, u32 *handle, u32 *fw_err);
int sev_launch_update_data(struct psp *psp, int vm_fd, void *uaddr, u32 len,
			   u32 *fw_err);
int sev_launch_update_vmsa(struct psp *psp, int vm_fd, u32 *fw_err);
/* *len in/out; *len 0 is a length query. */
int sev_launch_measure(struct psp *psp, int vm_fd, void *blob, u32 *len,
		       u32 *fw_err);
int sev_launch_secret(struct psp *psp, int vm_fd, const void *hdr,
		      u32 hdr_len, void *guest_uaddr, u32 guest_len,
		      const void *trans, u32 trans_len, u32 *fw_err);
int sev_launch_finish(struct psp *psp, int vm_fd, u32 *fw_err);
int sev_guest_status(struct psp *psp, int vm_fd,
		     struct kvm_sev_guest_status *st, u32 *fw_err);
int sev_reg_region(struct psp *psp, int vm_fd, void *addr, u64 size);
int sev_unreg_region(struct psp *psp, int vm_fd, void *addr, u64 size);

/* `sevm psp init|export|status ...`: returns a process exit code. */
int psp_cli_main(int argc, char **argv);

#else /* !CONFIG_SEV */

static inline int psp_open_kernel(struct psp **psp, const char *dev)
{ return -ENOSYS; }
static inline int psp_open_emulated(struct psp **psp, const char *dir)
{ return -ENOSYS; }
static inline void psp_close(struct psp *psp) { }
static inline int sev_platform_status(struct psp *psp,
				      struct sev_user_data_status *st,
				      u32 *fw_err)
{ return -ENOSYS; }
static inline int sev_guest_init(struct psp *psp, int vm_fd, bool es,
				 u32 *fw_err)
{ return -ENOSYS; }
static inline int psp_cli_main(int argc, char **argv) { return 2; }

#endif /* CONFIG_SEV */

#endif /* SEVM_SEV_H */
