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
 *    firmware with real cryptography (sev/emul/). Both take the same
 *    uapi structs (kvm_sev_*, sev_user_data_*), user addresses included.
 *
 * Firmware status (*fw_err, a u32 holding an SEV_RET_* value; every fw_err
 * pointer may be NULL):
 *  - 0 (SUCCESS) when the function returns 0;
 *  - the firmware's status when it refused the command (typically with
 *    -EIO), e.g. 7 POLICY_FAILURE;
 *  - (u32)SEV_RET_NO_FW_CALL (0xffffffff) when the firmware was not
 *    reached (bad fd, ENOTTY, EFAULT, no backend operation...);
 *  - SEV_RET_INVALID_LEN with a return of 0 after a successful length
 *    query (sev-protocol.md 1.3/2.1): *len then holds the needed length.
 * Every failure is logged as one line:
 *   "<function>: <COMMAND> failed: <strerror> (firmware status 0x7
 *   POLICY_FAILURE)"
 * except the INVALID_LEN that a length query expects.
 *
 * With CONFIG_SEV=n every function here is a static inline returning
 * -ENOSYS.
 */
#ifndef SEVM_SEV_H
#define SEVM_SEV_H

#include <errno.h>

#include "sev/compat.h"
#include "lib/util.h"

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

/* What launch policy needs to know of the platform behind a backend. */
struct psp_platform_info {
	u32 cbitpos;			/* C-bit position of guest PTEs */
	u32 reduced_phys_bits;		/* physical address bits lost to SEV */
	u32 max_guests;			/* guest slots; 0 = not readable here */
	const char *slots_hint;		/* how to get more slots, for messages */
	/* For capability reports (sevm caps, libvirt's domcapabilities): */
	bool es;			/* the platform can run SEV-ES guests */
	u32 sev_asids;			/* ASIDs for SEV guests (maxGuests) */
	u32 es_asids;			/* ASIDs for SEV-ES guests (maxESGuests);
					 * both 0 when not known */
};

/*
 * SEV-ES initial state: nr VMSA pages (QEMU's reset-state model built by
 * sev_vmsa_build) and a callback that puts the same state into the VMM's
 * vCPUs. A backend whose KVM encrypts the vCPUs' registers calls
 * prepare_vcpus; one that measures pages itself takes the pages.
 */
struct psp_vmsa_set {
	u32 nr;
	const u8 *pages;
	int (*prepare_vcpus)(void *opaque);
	void *opaque;
};

struct psp_ops {
	const char *name;
	/* C-bit, reduced phys bits, guest slots (launch platform checks). */
	int (*platform_info)(struct psp *psp, struct psp_platform_info *pi);
	/* The guest's ASID, -EOPNOTSUPP where the backend cannot tell. */
	int (*guest_asid)(struct psp *psp, int vm_fd, u32 *asid);
	/* LAUNCH_UPDATE_VMSA of every vCPU (SEV-ES). */
	int (*update_vmsa)(struct psp *psp, int vm_fd,
			   const struct psp_vmsa_set *set, u32 *fw_err);
	/*
	 * ATTESTATION of the guest (kvm_sev_attestation_report; len 0 is
	 * the length query: INVALID_LEN, the needed length back).
	 */
	int (*attestation)(struct psp *psp, int vm_fd,
			   struct kvm_sev_attestation_report *ar, u32 *fw_err);
	/* What vm_release does to a guest before LAUNCH_FINISH, for logs. */
	const char *release_note;
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
	/* Release the backend, including psp itself. */
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

/*
 * Backends. dev: "/dev/sev" (NULL: the default); dir: the emulated
 * platform's state dir. A backend configured out returns -ENOSYS.
 * psp_close(NULL) is a no-op.
 */
#ifdef CONFIG_PSP_KERNEL
int psp_open_kernel(struct psp **psp, const char *dev) __must_check;
/*
 * Kernel backend: the VMM's /dev/kvm fd, for KVM_CHECK_EXTENSION(VM_TYPES)
 * and KVM_GET_DEVICE_ATTR(VMSA_FEATURES). Not owned (never closed by the
 * backend). Without it the backend opens /dev/kvm itself when first needed.
 * Ignored for a psp of another backend.
 */
void psp_kernel_set_kvm_fd(struct psp *psp, int kvm_fd);
/*
 * Whether the kernel's SEV device (dev, NULL: /dev/sev) exists and can be
 * opened read-write, without a message: 0, or the -errno of open(). For
 * reports that must tell "no SEV here" from a failure (sevm caps).
 */
int psp_kernel_probe(const char *dev);
#else
static inline int psp_open_kernel(struct psp **psp, const char *dev)
{ return -ENOSYS; }
static inline void psp_kernel_set_kvm_fd(struct psp *psp, int kvm_fd) { }
static inline int psp_kernel_probe(const char *dev) { return -ENOSYS; }
#endif
#ifdef CONFIG_PSP_EMULATED
int psp_open_emulated(struct psp **psp, const char *dir) __must_check;
#else
static inline int psp_open_emulated(struct psp **psp, const char *dir)
{ return -ENOSYS; }
#endif
void psp_close(struct psp *psp);

/* --- platform commands (SEV_ISSUE_CMD) */
int sev_platform_status(struct psp *psp, struct sev_user_data_status *st,
			u32 *fw_err);
int sev_factory_reset(struct psp *psp, u32 *fw_err);
int sev_pek_gen(struct psp *psp, u32 *fw_err);
/* *len in/out; a NULL buf or *len 0 is a length query (INVALID_LEN). */
int sev_pek_csr(struct psp *psp, void *buf, u32 *len, u32 *fw_err);
int sev_pdh_gen(struct psp *psp, u32 *fw_err);
/*
 * Lengths in/out. A NULL buffer or a zero length is a length query: both
 * addresses and lengths go to the firmware as 0, both lengths come back.
 * chain = PEK || OCA || CEK.
 */
int sev_pdh_cert_export(struct psp *psp, void *pdh, u32 *pdh_len,
			void *chain, u32 *chain_len, u32 *fw_err);
int sev_pek_cert_import(struct psp *psp, const void *pek, u32 pek_len,
			const void *oca, u32 oca_len, u32 *fw_err);
/* SEV_GET_ID2; *len in/out, a NULL id or *len 0 is a length query. */
int sev_get_id(struct psp *psp, void *id, u32 *len, u32 *fw_err);

/*
 * --- guest commands (KVM_MEMORY_ENCRYPT_OP on the VM fd). LAUNCH_START,
 * LAUNCH_MEASURE and LAUNCH_FINISH are sev_cmd_launch_*: the names
 * sev_launch_start/measure/finish belong to the launch module
 * (vmm/launch.h), which runs the whole step.
 */
int sev_guest_init(struct psp *psp, int vm_fd, bool es, u32 *fw_err);
/*
 * *handle in/out: 0 (or a NULL handle) asks for a new guest context; the
 * firmware's handle comes back. A NULL dh_cert/session is "not supplied".
 */
int sev_cmd_launch_start(struct psp *psp, int vm_fd, u32 policy,
			 const void *dh_cert, u32 dh_len, const void *session,
			 u32 session_len, u32 *handle, u32 *fw_err);
int sev_launch_update_data(struct psp *psp, int vm_fd, void *uaddr, u32 len,
			   u32 *fw_err);
int sev_launch_update_vmsa(struct psp *psp, int vm_fd, u32 *fw_err);
/* *len in/out; a NULL blob or *len 0 is a length query (48 comes back). */
int sev_cmd_launch_measure(struct psp *psp, int vm_fd, void *blob,
			   u32 *len, u32 *fw_err);
int sev_launch_secret(struct psp *psp, int vm_fd, const void *hdr,
		      u32 hdr_len, void *guest_uaddr, u32 guest_len,
		      const void *trans, u32 trans_len, u32 *fw_err);
int sev_cmd_launch_finish(struct psp *psp, int vm_fd, u32 *fw_err);
/*
 * ATTESTATION (API >= 0.23, after LAUNCH_MEASURE): the signed report
 * (sev/report.h) for a 16-byte mnonce. *len in/out; a NULL report or *len
 * 0 is a length query (208 comes back). Through ops->attestation:
 * -EOPNOTSUPP for a backend without it.
 */
int sev_attestation_report(struct psp *psp, int vm_fd, const u8 mnonce[16],
			   void *report, u32 *len, u32 *fw_err);
int sev_guest_status(struct psp *psp, int vm_fd,
		     struct kvm_sev_guest_status *st, u32 *fw_err);
int sev_reg_region(struct psp *psp, int vm_fd, void *addr, u64 size);
int sev_unreg_region(struct psp *psp, int vm_fd, void *addr, u64 size);
/* ops->vm_release, if the backend has one. */
void sev_vm_release(struct psp *psp, int vm_fd);

/*
 * Host CPUID 0x8000001F: C-bit position (EBX[5:0]) and physical address
 * bit reduction (EBX[11:6]). -ENODEV if the host does not report SEV.
 * (KVM_GET_SUPPORTED_CPUID clears EBX[11:6]; this reads the host's CPUID.)
 */
int sev_host_cbitpos(u32 *cbitpos, u32 *reduced);
/*
 * Host CPUID 0x8000001F, for capability reports: SEV-ES support (EAX
 * bit 3) and the ASID split (ECX: number of encrypted guests; EDX: the
 * lowest SEV-only ASID; ASIDs below it are for SEV-ES guests), as libvirt
 * reads them: sev = ECX - EDX + 1, es = EDX - 1 (both 0 when ECX or EDX
 * is 0). -ENODEV (no message) if the host does not report SEV.
 */
int sev_host_asids(bool *es, u32 *sev_asids, u32 *es_asids);
/*
 * Backend hooks, for launch policy that must not ask which backend it
 * runs on: platform facts, the guest's ASID, the SEV-ES VMSA update and
 * a note on what releasing a guest does. -EOPNOTSUPP where a backend has
 * no such hook.
 */
int sev_platform_info(struct psp *psp, struct psp_platform_info *pi);
int sev_guest_asid(struct psp *psp, int vm_fd, u32 *asid);
int sev_update_vmsa(struct psp *psp, int vm_fd,
		    const struct psp_vmsa_set *set, u32 *fw_err);
const char *sev_release_note(const struct psp *psp);
/* QEMU's rules: cbitpos must equal the host's; reduced-phys-bits 1..63. */
int sev_check_cbitpos(u32 requested, u32 host);
int sev_check_reduced_phys_bits(u32 requested);

/* Test seam: replace the CPUID instruction (NULL restores it). */
typedef void (*sev_cpuid_fn)(u32 leaf, u32 *eax, u32 *ebx, u32 *ecx,
			     u32 *edx);
void sev_set_cpuid_fn(sev_cpuid_fn fn);

/* `sevm psp init|export|status ...`: returns a process exit code. */
int psp_cli_main(int argc, char **argv);

#else /* !CONFIG_SEV */

static inline int psp_open_kernel(struct psp **psp, const char *dev)
{ return -ENOSYS; }
static inline int psp_open_emulated(struct psp **psp, const char *dir)
{ return -ENOSYS; }
static inline void psp_close(struct psp *psp) { }
static inline void psp_kernel_set_kvm_fd(struct psp *psp, int kvm_fd) { }
static inline int psp_kernel_probe(const char *dev) { return -ENOSYS; }
static inline int sev_platform_status(struct psp *psp,
				      struct sev_user_data_status *st,
				      u32 *fw_err)
{ return -ENOSYS; }
static inline int sev_factory_reset(struct psp *psp, u32 *fw_err)
{ return -ENOSYS; }
static inline int sev_pek_gen(struct psp *psp, u32 *fw_err)
{ return -ENOSYS; }
static inline int sev_pek_csr(struct psp *psp, void *buf, u32 *len,
			      u32 *fw_err)
{ return -ENOSYS; }
static inline int sev_pdh_gen(struct psp *psp, u32 *fw_err)
{ return -ENOSYS; }
static inline int sev_pdh_cert_export(struct psp *psp, void *pdh,
				      u32 *pdh_len, void *chain,
				      u32 *chain_len, u32 *fw_err)
{ return -ENOSYS; }
static inline int sev_pek_cert_import(struct psp *psp, const void *pek,
				      u32 pek_len, const void *oca,
				      u32 oca_len, u32 *fw_err)
{ return -ENOSYS; }
static inline int sev_get_id(struct psp *psp, void *id, u32 *len,
			     u32 *fw_err)
{ return -ENOSYS; }
static inline int sev_guest_init(struct psp *psp, int vm_fd, bool es,
				 u32 *fw_err)
{ return -ENOSYS; }
static inline int sev_cmd_launch_start(struct psp *psp, int vm_fd,
				       u32 policy, const void *dh_cert,
				       u32 dh_len, const void *session,
				       u32 session_len, u32 *handle,
				       u32 *fw_err)
{ return -ENOSYS; }
static inline int sev_launch_update_data(struct psp *psp, int vm_fd,
					 void *uaddr, u32 len, u32 *fw_err)
{ return -ENOSYS; }
static inline int sev_launch_update_vmsa(struct psp *psp, int vm_fd,
					 u32 *fw_err)
{ return -ENOSYS; }
static inline int sev_cmd_launch_measure(struct psp *psp, int vm_fd,
					 void *blob, u32 *len, u32 *fw_err)
{ return -ENOSYS; }
static inline int sev_launch_secret(struct psp *psp, int vm_fd,
				    const void *hdr, u32 hdr_len,
				    void *guest_uaddr, u32 guest_len,
				    const void *trans, u32 trans_len,
				    u32 *fw_err)
{ return -ENOSYS; }
static inline int sev_cmd_launch_finish(struct psp *psp, int vm_fd,
					u32 *fw_err)
{ return -ENOSYS; }
static inline int sev_attestation_report(struct psp *psp, int vm_fd,
					 const u8 mnonce[16], void *report,
					 u32 *len, u32 *fw_err)
{ return -ENOSYS; }
static inline int sev_guest_status(struct psp *psp, int vm_fd,
				   struct kvm_sev_guest_status *st,
				   u32 *fw_err)
{ return -ENOSYS; }
static inline int sev_reg_region(struct psp *psp, int vm_fd, void *addr,
				 u64 size)
{ return -ENOSYS; }
static inline int sev_unreg_region(struct psp *psp, int vm_fd, void *addr,
				   u64 size)
{ return -ENOSYS; }
static inline void sev_vm_release(struct psp *psp, int vm_fd) { }
static inline int sev_host_cbitpos(u32 *cbitpos, u32 *reduced)
{ return -ENOSYS; }
static inline int sev_host_asids(bool *es, u32 *sev_asids, u32 *es_asids)
{ return -ENOSYS; }
static inline int sev_platform_info(struct psp *psp,
				    struct psp_platform_info *pi)
{ return -ENOSYS; }
static inline int sev_guest_asid(struct psp *psp, int vm_fd, u32 *asid)
{ return -ENOSYS; }
static inline int sev_update_vmsa(struct psp *psp, int vm_fd,
				  const struct psp_vmsa_set *set, u32 *fw_err)
{ return -ENOSYS; }
static inline const char *sev_release_note(const struct psp *psp)
{ return ""; }
static inline int sev_check_cbitpos(u32 requested, u32 host)
{ return -ENOSYS; }
static inline int sev_check_reduced_phys_bits(u32 requested)
{ return -ENOSYS; }
static inline int psp_cli_main(int argc, char **argv) { return 2; }

#endif /* CONFIG_SEV */

#endif /* SEVM_SEV_H */
