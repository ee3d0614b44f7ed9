/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Emulated PSP internals: the platform's state directory (config, keys,
 * certificates) and its guest slots (ASIDs). See docs/emulated-psp.md.
 *
 *   DIR/platform.json  config: API version, limits, owner, state, epoch
 *   DIR/lock           flock()ed around every firmware command
 *   DIR/{ark,ask,cek,oca,pek,pdh}.key   private keys, PEM, mode 0600
 *   DIR/{ark,ask}.cert AMD root format; DIR/{cek,oca,pek,pdh}.cert SEV
 *   DIR/asid/<n>       guest slot n, held with an OFD write lock
 */
#ifndef SEVM_EMUL_PLATFORM_H
#define SEVM_EMUL_PLATFORM_H

#include <openssl/evp.h>

#include "sev/cert.h"
#include "sev/emul/psp.h"

#define EMUL_MAX_GUESTS_LIMIT	1024u
#define EMUL_CHIP_ID_SIZE	64

/* Persisted in DIR/platform.json. */
struct emul_config {
	u8 api_major;
	u8 api_minor;
	u8 build;
	u32 max_guests;
	bool external;		/* OWNER: PEK certified by an imported OCA */
	bool initialised;	/* INIT (WORKING when guests exist) vs UNINIT */
	bool es;		/* CONFIG.ES, set by INIT with the ES flag */
	u64 epoch;		/* bumped by SHUTDOWN: older guests are gone */
	u64 keys_gen;		/* bumped whenever OCA, PEK or PDH change */
	u8 chip_id[EMUL_CHIP_ID_SIZE];
};

/* The platform keys a running firmware uses (ARK/ASK only sign the CEK). */
struct emul_keys {
	/* Private keys: pdh loaded with the platform; cek, pek, oca on
	 * demand (NULL until a command signs with them; oca also NULL for an
	 * external owner). */
	EVP_PKEY *cek, *oca, *pek, *pdh;
	struct sev_cert cek_cert, oca_cert, pek_cert, pdh_cert;
	bool certs;			/* the four certificates are loaded */
	u64 gen;
};

struct emul_platform {
	char *dir;
	int lock_fd;
	struct emul_config cfg;
	struct emul_keys keys;
};

/* emul/platform.c */
int emul_platform_open(struct emul_platform **p, const char *dir)
	__must_check;
void emul_platform_close(struct emul_platform *p);
/* flock DIR/lock, then reload the config (and the keys if they changed). */
int emul_platform_lock(struct emul_platform *p) __must_check;
void emul_platform_unlock(struct emul_platform *p);
/* Persist cfg; p->cfg is replaced only on success. */
int emul_platform_commit(struct emul_platform *p,
			 const struct emul_config *cfg) __must_check;
int emul_path(char *buf, size_t len, const char *dir, const char *name)
	__must_check;

/* emul/config.c */
int emul_config_load(const char *dir, struct emul_config *cfg) __must_check;
int emul_config_save(const char *dir, const struct emul_config *cfg)
	__must_check;
void emul_config_defaults(struct emul_config *cfg, unsigned int max_guests);

/* emul/keys.c */
int emul_keys_load(const char *dir, struct emul_keys *k) __must_check;
/* The four certificates, loaded on first use by the commands that need them. */
int emul_keys_certs(const char *dir, struct emul_keys *k) __must_check;
void emul_keys_free(struct emul_keys *k);
/*
 * A whole new identity: ARK, ASK and CEK (the "chip", created once), then
 * a self-owned OCA, PEK and PDH.
 */
int emul_keys_create(const char *dir, const struct emul_config *cfg)
	__must_check;
/* New OCA (self-owned), PEK and PDH, persisted; k updated on success. */
int emul_keys_new_owner(const char *dir, const struct emul_config *cfg,
			struct emul_keys *k) __must_check;
/* New PDH signed by the PEK, persisted; k updated on success. */
int emul_keys_new_pdh(const char *dir, const struct emul_config *cfg,
		      struct emul_keys *k) __must_check;
/* Store an imported OCA and the PEK it certified (slot 0 OCA, 1 CEK). */
int emul_keys_import(const char *dir, struct emul_keys *k,
		     const struct sev_cert *pek, const struct sev_cert *oca)
	__must_check;
/* An AMD-format certificate (ark, ask) as stored, parsed to check it. */
int emul_amd_cert_read(const char *dir, const char *name, u8 **buf,
		       size_t *len) __must_check;
int emul_pem_read(const char *dir, const char *name, EVP_PKEY **key)
	__must_check;
int emul_pem_write(const char *dir, const char *name, EVP_PKEY *key)
	__must_check;

/* emul/slots.c: ASIDs 1..max shared by every process using DIR. */
int emul_slot_take(const char *dir, u32 max, u64 epoch, u32 *asid,
		   int *fd) __must_check;
/* -EBUSY if another guest context holds the slot. */
int emul_slot_take_at(const char *dir, u32 asid, u64 epoch, int *fd)
	__must_check;
void emul_slot_release(int fd);
/* Slots currently held by a live guest context of this epoch. */
int emul_slot_count(const char *dir, u64 epoch, u32 *count) __must_check;

#endif /* SEVM_EMUL_PLATFORM_H */
