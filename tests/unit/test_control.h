/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * test_control: the TEST DOUBLES (test_control_dbl.c) of guest memory,
 * boot, devices and the SEV launch module, and what the tests read back.
 */
#ifndef SEVM_TEST_CONTROL_H
#define SEVM_TEST_CONTROL_H

#include <stdatomic.h>

#include "vmm/launch.h"
#include "vmm/boot.h"

#define DBL_PORT	0xf0		/* the guest's counter port */
#define DBL_GUEST_RAM	(2ULL << 20)

/* The SEV launch double: a state, scripted failures, recorded calls. */
struct sev_launch {
	struct sev_launch_info info;
	bool measured;
	struct sev_measurement m;
	int finish_err, caps_err, inject_err, fw_err;
	const char *inject_msg;		/* copied into err on failure */
	int finish_calls, inject_calls;
	size_t hdr_len, secret_len;
	u8 hdr[64], secret[64];
	bool gpa_set;
	u64 gpa;
	int attest_err, attest_calls;	/* sev_launch_attestation */
	const char *attest_msg;
	u8 attest_nonce[16];
};

struct dbl_state {
	const u8 *code;			/* PVH guest program at 0x10000 */
	size_t code_len;
	atomic_ulong port_writes;	/* guest writes to DBL_PORT */
};

extern struct dbl_state dbl;

/* The host's kernel PSP for query-sev-capabilities (test_control_caps.c). */
struct host_caps_dbl {
	bool supported;
	int err;			/* sev_caps_kernel's return */
	const char *reason;
	int calls, freed;
};

extern struct host_caps_dbl dbl_host_caps;

/* Events seen by the qmp_event wrapper, "NAME {data}" each. */
#define EV_MAX 16
extern char events[EV_MAX][128];
extern unsigned int nr_events;

#endif /* SEVM_TEST_CONTROL_H */
