/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The SEV launch inside sevm: policy and state over the thin layer
 * (sev/sev.h), in the order the launch must go (docs/sev-launch.md):
 *
 *   sev_launch_open      PSP + platform checks (PLATFORM_STATUS, C-bit,
 *                        reduced phys bits, ES support, a free guest slot,
 *                        RLIMIT_MEMLOCK for all RAM): each failure one
 *                        line, -errno; main exits EXIT_HOST
 *   sev_launch_start     KVM_SEV_INIT(2) + LAUNCH_START (DH cert, session)
 *   sev_launch_measure   pin all RAM (lock + pre-fault + REG_REGION),
 *                        LAUNCH_UPDATE_DATA firmware then the padded
 *                        kernel-hashes table, (ES) LAUNCH_UPDATE_VMSA,
 *                        LAUNCH_MEASURE, launch report written
 *   sev_launch_inject_secret   LAUNCH_SECRET (repeatable, LSECRET only)
 *   sev_launch_finish    LAUNCH_FINISH; the guest may run
 *   sev_launch_close     anything before FINISH is torn down
 *                        (DECOMMISSION, guest slot/ASID released)
 *
 * GUEST_STATUS is checked before and after each step, and every step is
 * logged with its duration and recorded in the report's timeline.
 * Firmware refusals return -EIO with the status kept in last_fw_err and
 * named in the error line; main exits EXIT_SEV.
 *
 * Errors, for main's exit codes: every failure has printed exactly one
 * error line when the function returns (callers print nothing more).
 *  - sev_launch_open: -EINVAL is bad configuration or input (an unreadable
 *    or malformed --sev-dh-cert/--sev-session file, --sev-cbitpos or
 *    --sev-reduced-phys-bits not matching the platform, SEV without
 *    --firmware): EXIT_CONFIG. Anything else (-ENOENT no /dev/sev,
 *    -ENODEV no SEV in CPUID, -EOPNOTSUPP no SEV-ES, -EBUSY no free guest
 *    slot, -ENOMEM RLIMIT_MEMLOCK...) is the host: EXIT_HOST.
 *  - the other steps: sev_launch_last_fw_err() != 0 after a failure means
 *    the firmware refused (-EIO, EXIT_SEV; but RESOURCE_LIMIT, no free
 *    guest slot at LAUNCH_START, is EXIT_HOST); -EINVAL from
 *    sev_launch_measure is a firmware image that cannot carry what is
 *    asked (no hashes area, no SEV-ES reset block: EXIT_CONFIG); anything
 *    else is the host.
 */
#ifndef SEVM_SEV_LAUNCH_H
#define SEVM_SEV_LAUNCH_H

#include "sev/crypto.h"
#include "sev/sev.h"
#include "lib/util.h"

struct vm;
struct vm_config;
struct json_object;

/* QEMU's SevState names, as query-sev reports them. */
enum sev_launch_state {
	SEV_LAUNCH_UNINIT,		/* "uninit" */
	SEV_LAUNCH_UPDATE,		/* "launch-update" */
	SEV_LAUNCH_SECRET,		/* "launch-secret" */
	SEV_LAUNCH_RUNNING,		/* "running" */
};

struct sev_launch_info {
	enum sev_launch_state state;
	bool es;
	u8 api_major, api_minor, build;
	u32 policy;
	u32 handle;
	u32 asid;
	u32 cbitpos;
	u32 reduced_phys_bits;
};

struct sev_launch;

#ifdef CONFIG_SEV

int sev_launch_open(struct sev_launch **l, const struct vm_config *cfg,
		    u64 ram_size) __must_check;
/* KVM_CREATE_VM type to use (SEV/SEV-ES types when the kernel has them). */
u32 sev_launch_vm_type(const struct sev_launch *l);
int sev_launch_start(struct sev_launch *l, struct vm *vm) __must_check;
/* After vm_load and vm_setup_vcpus: pin, measure, report. */
int sev_launch_measure(struct sev_launch *l, struct vm *vm) __must_check;
/*
 * hdr/secret are the packet header (52 bytes) and the encrypted payload;
 * with !gpa_set the firmware's SEV secret area is used. On failure err
 * holds a one-line reason for QMP (firmware status named).
 */
int sev_launch_inject_secret(struct sev_launch *l, struct vm *vm,
			     const u8 *hdr, size_t hdr_len,
			     const u8 *secret, size_t secret_len,
			     bool gpa_set, u64 gpa, char *err, size_t errlen);
int sev_launch_finish(struct sev_launch *l, struct vm *vm) __must_check;
/*
 * ATTESTATION for QMP query-sev-attestation-report: the signed report
 * (208 bytes, sev/report.h) for mnonce, malloc'd into *out. QEMU's steps
 * (length query, then the report); on failure err holds QEMU's words.
 */
int sev_launch_attestation(struct sev_launch *l, const u8 mnonce[16],
			   u8 **out, u32 *len, char *err, size_t errlen);
/* Tear down: before FINISH this decommissions the guest context. */
void sev_launch_close(struct sev_launch *l);

void sev_launch_get_info(const struct sev_launch *l,
			 struct sev_launch_info *info);
/* The 48-byte LAUNCH_MEASURE blob; -EAGAIN before the measurement. */
int sev_launch_get_measurement(const struct sev_launch *l,
			       struct sev_measurement *out);
/* query-sev-capabilities: {pdh, cert-chain, cpu0-id, cbitpos,
 * reduced-phys-bits}, base64 where QEMU uses base64. */
int sev_launch_capabilities(struct sev_launch *l, struct json_object **out);
/* Firmware status of the last refused command (SEV_RET_*). */
int sev_launch_last_fw_err(const struct sev_launch *l);
const char *sev_launch_state_name(enum sev_launch_state s);
/*
 * (Re)write the launch report (--launch-report; nothing without it) with
 * the keys of extra (may be NULL; not consumed) added at the top level,
 * e.g. {"boot-trace": ...} at exit. -EAGAIN before the measurement.
 * The report's format is in docs/sev-launch.md.
 */
int sev_launch_write_report(struct sev_launch *l, struct json_object *extra)
	__must_check;

#else /* !CONFIG_SEV */

static inline int sev_launch_open(struct sev_launch **l,
				  const struct vm_config *cfg, u64 ram_size)
{ return -ENOSYS; }
static inline u32 sev_launch_vm_type(const struct sev_launch *l) { return 0; }
static inline int sev_launch_start(struct sev_launch *l, struct vm *vm)
{ return -ENOSYS; }
static inline int sev_launch_measure(struct sev_launch *l, struct vm *vm)
{ return -ENOSYS; }
static inline int sev_launch_inject_secret(struct sev_launch *l,
		struct vm *vm, const u8 *hdr, size_t hdr_len,
		const u8 *secret, size_t secret_len, bool gpa_set, u64 gpa,
		char *err, size_t errlen)
{ return -ENOSYS; }
static inline int sev_launch_finish(struct sev_launch *l, struct vm *vm)
{ return -ENOSYS; }
static inline int sev_launch_attestation(struct sev_launch *l,
		const u8 mnonce[16], u8 **out, u32 *len, char *err,
		size_t errlen)
{ return -ENOSYS; }
static inline void sev_launch_close(struct sev_launch *l) { }
static inline void sev_launch_get_info(const struct sev_launch *l,
				       struct sev_launch_info *info) { }
static inline int sev_launch_get_measurement(const struct sev_launch *l,
					     struct sev_measurement *out)
{ return -ENOSYS; }
static inline int sev_launch_capabilities(struct sev_launch *l,
					  struct json_object **out)
{ return -ENOSYS; }
static inline int sev_launch_last_fw_err(const struct sev_launch *l)
{ return 0; }
static inline const char *sev_launch_state_name(enum sev_launch_state s)
{ return "uninit"; }
static inline int sev_launch_write_report(struct sev_launch *l,
					  struct json_object *extra)
{ return -ENOSYS; }

#endif /* CONFIG_SEV */

#endif /* SEVM_SEV_LAUNCH_H */
