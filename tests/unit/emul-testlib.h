/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Helpers for the emulated PSP tests. A platform costs two RSA-4096 key
 * generations, so each program makes one master platform in its group
 * setup and copies its directory for every test that needs a fresh one.
 * Scratch directories are mkdtemp()s under /tmp, removed afterwards.
 */
#ifndef SEVM_TESTS_EMUL_TESTLIB_H
#define SEVM_TESTS_EMUL_TESTLIB_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "sev/cert.h"
#include "sev/crypto.h"
#include "sev/emul/fw.h"

#define EMUL_DIR_MAX	64

/* Group setup/teardown: the master platform (default guest limit). */
int emul_master_setup(void **state);
int emul_master_teardown(void **state);
const char *emul_master(void);

/* A copy of the master platform in a new scratch directory. */
void emul_clone(char dir[EMUL_DIR_MAX]);
/* An empty scratch directory. */
void emul_scratch(char dir[EMUL_DIR_MAX]);
void emul_rmtree(const char *dir);

/* Run a firmware command that must reach the firmware; its status. */
u32 fw_call(struct emul_fw *fw, u32 cmd, void *buf);
void fw_snap(struct emul_fw *fw, struct emul_fw_snap *s);
/* Snapshots equal (the whole observable state). */
void assert_snap_equal(const struct emul_fw_snap *a,
		       const struct emul_fw_snap *b);
/* INIT (es: with CONFIG.ES); asserts SUCCESS. */
void fw_init(struct emul_fw *fw, bool es);
/* LAUNCH_START without a session + ACTIVATE on its slot; the handle. */
u32 fw_launch(struct emul_fw *fw, u32 policy);
/* GUEST_STATUS of handle; asserts SUCCESS. */
void fw_guest(struct emul_fw *fw, u32 handle,
	      struct emul_data_guest_status *st);
/* PDH_CERT_EXPORT: the PDH and the PEK || OCA || CEK chain. */
void fw_export(struct emul_fw *fw, struct sev_cert *pdh,
	       struct sev_cert chain[3]);

/* The guest owner's side of a launch (sev-protocol.md 5.3). */
struct emul_owner {
	u8 tek[SEV_KEY_SIZE];
	u8 tik[SEV_KEY_SIZE];
	struct sev_cert godh;
	struct sev_session session;
};
void emul_owner_session(const struct sev_cert *pdh, u32 policy,
			struct emul_owner *o);
/* LAUNCH_START with the owner's GODH and session; the status. */
u32 fw_launch_session(struct emul_fw *fw, u32 policy,
		      const struct emul_owner *o, u32 *handle);

#endif /* SEVM_TESTS_EMUL_TESTLIB_H */
