/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Internals of the SEV launch module (vmm/launch*.c): the launch object,
 * the step timeline and the helpers the step files share.
 *
 *   launch.c          open/close, platform checks, input files, accessors
 *   launch-steps.c    LAUNCH_START, pinning, UPDATE_DATA, MEASURE, FINISH
 *   launch-es.c       SEV-ES: LAUNCH_UPDATE_VMSA (sev/vmsa.c's model)
 *   launch-secret.c   LAUNCH_SECRET and the emulated PSP's write_guest
 *   launch-report.c   the launch report and query-sev-capabilities
 */
#ifndef SEVM_SEV_LAUNCH_PRIV_H
#define SEVM_SEV_LAUNCH_PRIV_H

#include "vmm/launch.h"
#include "vmm/config.h"

#define LAUNCH_MAX_STEPS	32
#define LAUNCH_PIN_THREADS	2
#define LAUNCH_MEASURE_LEN	48
#define LAUNCH_SECRET_HDR_LEN	52
#define LAUNCH_SECRET_MAX	0x4000u	/* 16 KiB, the firmware's blob limit */
#define LAUNCH_NO_FW		((int)SEV_RET_NO_FW_CALL)

struct launch_step {
	const char *name;	/* "launch-start", ... (static strings) */
	u64 start_us, end_us;	/* time_us(): since the process started */
};

struct sev_launch {
	const struct vm_config *cfg;
	struct psp *psp;
	struct vm *vm;			/* from sev_launch_start on */
	int vm_fd;			/* -1 before sev_launch_start */
	bool started;			/* a guest context exists */
	struct sev_launch_info info;
	int last_fw_err;		/* SEV_RET_* of the last refusal */

	u8 *dh_cert;			/* --sev-dh-cert, decoded */
	size_t dh_len;
	u8 *session;			/* --sev-session, decoded */
	size_t session_len;

	bool measured;
	struct sev_measurement measurement;
	u64 measured_bytes;
	bool kernel_hashes;
	u8 fw_sha256[32];		/* SHA-256 of the measured ROM */

	struct launch_step steps[LAUNCH_MAX_STEPS];
	unsigned int nr_steps;
};

/* launch.c */
/* Record a finished step [start_us, now) in the timeline; returns now. */
u64 launch_step_done(struct sev_launch *l, const char *name, u64 start_us);
/*
 * Remember a firmware refusal for sev_launch_last_fw_err (SUCCESS and
 * NO_FW_CALL are not refusals). Each step clears it first.
 */
void launch_note_fw(struct sev_launch *l, u32 fw);
/*
 * GUEST_STATUS; the guest must be in want (SEV_GSTATE_*), else one error
 * line naming when ("after LAUNCH_START") and -EPROTO. Updates
 * l->info.state from what the firmware says.
 */
int launch_expect_state(struct sev_launch *l, u32 want, const char *when)
	__must_check;

/* launch-es.c: SEV-ES LAUNCH_UPDATE_VMSA for every vCPU. */
int launch_update_vmsa(struct sev_launch *l, struct vm *vm) __must_check;

/* launch-secret.c: the emulated PSP's LAUNCH_SECRET sink (RAM only). */
int launch_write_guest(void *opaque, u64 uaddr, const void *buf, size_t len);

/* launch-report.c: after LAUNCH_MEASURE: the report file and stdout line. */
int launch_report_measured(struct sev_launch *l) __must_check;

#endif /* SEVM_SEV_LAUNCH_PRIV_H */
