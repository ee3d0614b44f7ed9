/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Emulated firmware internals shared by emul/fw.c (dispatch, platform
 * commands), emul/guest.c (guest contexts) and emul/launch.c (LAUNCH_*).
 * Handlers return a firmware status (>= 0) or -errno for an emulator
 * failure; they change nothing unless they return SUCCESS.
 */
#ifndef SEVM_EMUL_FW_PRIV_H
#define SEVM_EMUL_FW_PRIV_H

#include <pthread.h>

#include <openssl/evp.h>

#include "sev/crypto.h"
#include "sev/emul/fw.h"
#include "sev/emul/platform.h"

/* Guest states as bits, for "allowed in" masks. */
#define GS(s)		(1u << (s))
#define GS_LAUNCHED	(GS(SEV_GSTATE_LUPDATE) | GS(SEV_GSTATE_LSECRET) | \
			 GS(SEV_GSTATE_RUNNING) | GS(SEV_GSTATE_SUPDATE) | \
			 GS(SEV_GSTATE_RUPDATE))

struct emul_guest {
	struct emul_guest *next;
	u32 handle;
	u32 policy;
	u32 asid;		/* the slot this context holds */
	int slot_fd;
	u8 state;
	bool active;		/* ACTIVATEd: its key is "loaded" */
	u64 epoch;
	u8 tek[SEV_KEY_SIZE];
	u8 tik[SEV_KEY_SIZE];
	EVP_MD_CTX *ld;		/* SHA-256 of everything measured */
	u64 ld_bytes;
	u8 measure[SEV_DIGEST_SIZE];
};

struct emul_fw {
	struct emul_platform *p;
	const struct psp *psp;
	pthread_mutex_t mutex;
	struct emul_guest *guests;
	u32 next_handle;
};

typedef int (*emul_handler)(struct emul_fw *fw, void *buf);

/* emul/guest.c */
int emul_guest_get(struct emul_fw *fw, u32 handle, u32 states,
		   struct emul_guest **g) __must_check;
int emul_guest_new(struct emul_fw *fw, u32 policy, const u8 *tek,
		   const u8 *tik, struct emul_guest **g) __must_check;
void emul_guest_free(struct emul_fw *fw, struct emul_guest *g);
/* Destroy this process's contexts of an older platform epoch. */
void emul_guest_reap(struct emul_fw *fw);
int emul_guest_ld(const struct emul_guest *g, u8 ld[SEV_DIGEST_SIZE])
	__must_check;
int emul_cmd_activate(struct emul_fw *fw, void *buf);
int emul_cmd_deactivate(struct emul_fw *fw, void *buf);
int emul_cmd_decommission(struct emul_fw *fw, void *buf);
int emul_cmd_guest_status(struct emul_fw *fw, void *buf);

/* emul/launch.c */
int emul_cmd_launch_start(struct emul_fw *fw, void *buf);
int emul_cmd_update_data(struct emul_fw *fw, void *buf);
int emul_cmd_update_vmsa(struct emul_fw *fw, void *buf);
int emul_cmd_measure(struct emul_fw *fw, void *buf);
int emul_cmd_secret(struct emul_fw *fw, void *buf);
int emul_cmd_finish(struct emul_fw *fw, void *buf);

/* emul/attest.c */
int emul_cmd_attestation(struct emul_fw *fw, void *buf);

/* emul/pcmd.c: platform commands */
int emul_cmd_init(struct emul_fw *fw, void *buf);
int emul_cmd_shutdown(struct emul_fw *fw, void *buf);
int emul_cmd_reset(struct emul_fw *fw, void *buf);
int emul_cmd_status(struct emul_fw *fw, void *buf);
int emul_cmd_pek_gen(struct emul_fw *fw, void *buf);
int emul_cmd_pek_csr(struct emul_fw *fw, void *buf);
int emul_cmd_pek_import(struct emul_fw *fw, void *buf);
int emul_cmd_pdh_export(struct emul_fw *fw, void *buf);
int emul_cmd_pdh_gen(struct emul_fw *fw, void *buf);
int emul_cmd_get_id(struct emul_fw *fw, void *buf);

/* emul/fw.c: the platform state as PLATFORM_STATUS reports it. */
int emul_fw_pstate(struct emul_fw *fw, u8 *state, u32 *count) __must_check;

static inline void *emul_ptr(u64 addr)
{
	return (void *)(uintptr_t)addr;
}

#endif /* SEVM_EMUL_FW_PRIV_H */
