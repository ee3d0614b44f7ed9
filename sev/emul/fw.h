/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The emulated SEV firmware at the mailbox level (sev-protocol.md 2.2):
 * firmware command ids and the firmware's command buffers, with private
 * names (the kernel's are not uapi). Every "address" in a buffer is a
 * host pointer in this process. emul_fw_cmd() returns 0 when the firmware
 * ran and put its status (SEV_RET_*) in *status, or -errno when the
 * emulator itself failed (state directory I/O, memory); *status is then
 * HWERROR_PLATFORM (0x13).
 */
#ifndef SEVM_EMUL_FW_H
#define SEVM_EMUL_FW_H

#include "sev/sev.h"

enum emul_fw_cmd {
	EMUL_CMD_INIT			= 0x001,
	EMUL_CMD_SHUTDOWN		= 0x002,
	EMUL_CMD_PLATFORM_RESET		= 0x003,
	EMUL_CMD_PLATFORM_STATUS	= 0x004,
	EMUL_CMD_PEK_GEN		= 0x005,
	EMUL_CMD_PEK_CSR		= 0x006,
	EMUL_CMD_PEK_CERT_IMPORT	= 0x007,
	EMUL_CMD_PDH_CERT_EXPORT	= 0x008,
	EMUL_CMD_PDH_GEN		= 0x009,
	EMUL_CMD_GET_ID			= 0x00c,
	EMUL_CMD_DECOMMISSION		= 0x020,
	EMUL_CMD_ACTIVATE		= 0x021,
	EMUL_CMD_DEACTIVATE		= 0x022,
	EMUL_CMD_GUEST_STATUS		= 0x023,
	EMUL_CMD_LAUNCH_START		= 0x030,
	EMUL_CMD_LAUNCH_UPDATE_DATA	= 0x031,
	EMUL_CMD_LAUNCH_UPDATE_VMSA	= 0x032,
	EMUL_CMD_LAUNCH_MEASURE		= 0x033,
	EMUL_CMD_LAUNCH_UPDATE_SECRET	= 0x034,
	EMUL_CMD_LAUNCH_FINISH		= 0x035,
	EMUL_CMD_ATTESTATION		= 0x036,
};

#define EMUL_INIT_FLAGS_ES	0x01u	/* SEV_INIT_FLAGS_SEV_ES */
#define EMUL_CONFIG_ES		0x0001u	/* PLATFORM_STATUS CONFIG bit 0 */
#define EMUL_OWNER_EXTERNAL	0x01u
#define EMUL_ID_SIZE		64
#define EMUL_VMSA_SIZE		4096u
#define EMUL_BLOB_MAX		0x4000u	/* SEV_FW_BLOB_MAX_SIZE */

/* Emulator identity, reported by PLATFORM_STATUS (docs/emulated-psp.md). */
#define EMUL_API_MAJOR		1
#define EMUL_API_MINOR		55
#define EMUL_BUILD		21

struct emul_data_init {
	u32 flags;
	u32 reserved;
	u64 tmr_address;
	u32 tmr_len;
} __packed;

/* Firmware PLATFORM_STATUS layout; the kernel copies it out as is. */
struct emul_data_status {
	u8 api_major;
	u8 api_minor;
	u8 state;
	u8 owner;
	u16 config;
	u8 reserved;
	u8 build;
	u32 guest_count;
} __packed;

struct emul_data_addr_len {		/* PEK_CSR, GET_ID */
	u64 address;
	u32 len;
} __packed;

struct emul_data_pek_cert_import {
	u64 pek_cert_address;
	u32 pek_cert_len;
	u32 reserved;
	u64 oca_cert_address;
	u32 oca_cert_len;
} __packed;

struct emul_data_pdh_cert_export {
	u64 pdh_cert_address;
	u32 pdh_cert_len;
	u32 reserved;
	u64 cert_chain_address;
	u32 cert_chain_len;
} __packed;

struct emul_data_handle {		/* DEACTIVATE, DECOMMISSION, FINISH */
	u32 handle;
} __packed;

struct emul_data_activate {
	u32 handle;
	u32 asid;
} __packed;

struct emul_data_guest_status {
	u32 handle;
	u32 policy;
	u32 asid;
	u8 state;
} __packed;

struct emul_data_launch_start {
	u32 handle;
	u32 policy;
	u64 dh_cert_address;
	u32 dh_cert_len;
	u32 reserved;
	u64 session_address;
	u32 session_len;
} __packed;

struct emul_data_launch_update {	/* UPDATE_DATA, UPDATE_VMSA */
	u32 handle;
	u32 reserved;
	u64 address;
	u32 len;
} __packed;

struct emul_data_launch_measure {
	u32 handle;
	u32 reserved;
	u64 address;
	u32 len;
} __packed;

struct emul_data_launch_secret {
	u32 handle;
	u32 reserved1;
	u64 hdr_address;
	u32 hdr_len;
	u32 reserved2;
	u64 guest_address;
	u32 guest_len;
	u32 reserved3;
	u64 trans_address;
	u32 trans_len;
} __packed;

/* ATTESTATION (API >= 0.23): the report (sev/report.h) goes to address. */
struct emul_data_attestation {
	u32 handle;
	u32 reserved;
	u64 address;
	u8 mnonce[16];
	u32 len;
} __packed;

_Static_assert(sizeof(struct emul_data_status) == 12, "status layout");
_Static_assert(sizeof(struct emul_data_attestation) == 36, "attestation");
_Static_assert(sizeof(struct emul_data_launch_start) == 36, "start layout");
_Static_assert(sizeof(struct emul_data_launch_secret) == 52, "secret");

struct emul_fw;

/*
 * Open the firmware of the platform in dir. psp (may be NULL) supplies
 * the write_guest callback used by LAUNCH_UPDATE_SECRET, read at call time.
 */
int emul_fw_open(struct emul_fw **fw, const char *dir,
		 const struct psp *psp) __must_check;
/* Destroys this process's guest contexts (their ASIDs are released). */
void emul_fw_close(struct emul_fw *fw);
int emul_fw_cmd(struct emul_fw *fw, u32 cmd, void *buf, u32 *status)
	__must_check;

/* --- introspection for tests: the observable state, no key material */

#define EMUL_SNAP_GUESTS	16

struct emul_guest_snap {
	u32 handle;
	u32 policy;
	u32 asid;
	u8 state;
	bool active;
	u64 ld_bytes;		/* bytes measured so far */
	u8 ld[32];		/* SHA-256 of those bytes */
	u8 measure[32];		/* zero before LAUNCH_MEASURE */
};

struct emul_fw_snap {
	u8 state;		/* as PLATFORM_STATUS reports it */
	u16 config;
	u8 owner;
	u32 guest_count;
	u32 max_guests;
	u64 epoch;
	u64 keys_gen;
	u32 nguests;		/* this process's guest contexts */
	struct emul_guest_snap g[EMUL_SNAP_GUESTS];
};

int emul_fw_snapshot(struct emul_fw *fw, struct emul_fw_snap *s)
	__must_check;

#endif /* SEVM_EMUL_FW_H */
