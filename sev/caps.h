/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What an SEV platform offers, gathered once through the thin layer and
 * the backend's platform_info hook, for every report that shows it:
 * `sevm caps` (JSON, libvirt's <sev> element) and QMP
 * query-sev-capabilities. Both format the same struct, so they agree.
 */
#ifndef SEVM_SEV_CAPS_H
#define SEVM_SEV_CAPS_H

#include <stdio.h>

#include "sev/sev.h"
#include "lib/util.h"

struct json_object;

#define SEV_CAPS_REASON_MAX	256

struct sev_caps {
	bool supported;			/* everything below was read */
	char reason[SEV_CAPS_REASON_MAX];	/* why not, one line */
	const char *backend;		/* "kernel", "emulated" */
	bool es;			/* SEV-ES guests possible now */
	u32 cbitpos;
	u32 reduced_phys_bits;		/* 1..63 (QEMU's 1 if unknown) */
	u32 max_guests, max_es_guests;	/* maxGuests/maxESGuests */
	u32 guests_in_use;		/* PLATFORM_STATUS guest count */
	u8 api_major, api_minor, build, state;
	u8 *pdh, *chain, *cpu0_id;	/* chain: PEK || OCA || CEK */
	u32 pdh_len, chain_len, cpu0_id_len;	/* cpu0_id: 0 if unknown */
	u32 fw_err;			/* SEV_RET_* of a failed command */
};

#ifdef CONFIG_SEV
/*
 * Ask an open PSP: PLATFORM_STATUS, platform_info, PDH_CERT_EXPORT and
 * GET_ID2 (optional: cpu0_id stays NULL if it fails). 0 with
 * c->supported, or -errno with c->reason and c->fw_err set (the failing
 * command has logged its line). Free with sev_caps_free in either case.
 */
int sev_caps_gather(struct psp *psp, struct sev_caps *c) __must_check;
void sev_caps_free(struct sev_caps *c);
/* Mark c unsupported with a reason (printf-style, one line). */
void sev_caps_unsupported(struct sev_caps *c, const char *fmt, ...)
	__printf(2, 3);
/*
 * QEMU's SevCapability for query-sev-capabilities: {"pdh", "cert-chain",
 * "cpu0-id" (base64; cpu0-id only where known), "cbitpos",
 * "reduced-phys-bits"}. NULL if c is not supported or out of memory.
 */
struct json_object *sev_caps_qmp_json(const struct sev_caps *c);
/*
 * The host's kernel PSP (/dev/sev), as QEMU asks it: 0 when answered
 * (c->supported or not: no device, no kernel backend, a CPU without SEV,
 * each with its reason), or -errno when it cannot be answered (the device
 * cannot be opened or read: c->reason says why; nothing logged beyond
 * what the failing command logs).
 */
int sev_caps_kernel(struct sev_caps *c) __must_check;
#else
static inline void sev_caps_free(struct sev_caps *c) { }
static inline struct json_object *sev_caps_qmp_json(const struct sev_caps *c)
{ return NULL; }
static inline int sev_caps_kernel(struct sev_caps *c)
{
	*c = (struct sev_caps){ .supported = false };
	snprintf(c->reason, sizeof(c->reason),
		 "this sevm is built without SEV (CONFIG_SEV)");
	return 0;
}
#endif

#endif /* SEVM_SEV_CAPS_H */
