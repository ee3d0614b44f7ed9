// SPDX-License-Identifier: GPL-2.0-only
/*
 * SEV platform capabilities (sev/caps.h): one gathering function over the
 * thin layer for `sevm caps` and QMP query-sev-capabilities. It never
 * asks which backend it runs on: platform facts come from the backend's
 * platform_info hook, everything else from SEV commands.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "sev/caps.h"
#include "lib/log.h"

void sev_caps_unsupported(struct sev_caps *c, const char *fmt, ...)
{
	va_list ap;

	c->supported = false;
	va_start(ap, fmt);
	vsnprintf(c->reason, sizeof(c->reason), fmt, ap);
	va_end(ap);
}

static int caps_fail(struct sev_caps *c, const char *what, int r, u32 fw)
{
	c->fw_err = fw;
	if (fw != SEV_RET_SUCCESS && fw != (u32)SEV_RET_NO_FW_CALL)
		sev_caps_unsupported(c, "%s failed: firmware status 0x%x %s",
				     what, fw, sev_fw_err_name((int)fw));
	else
		sev_caps_unsupported(c, "%s failed: %s", what, strerror(-r));
	return r;
}

static int caps_status(struct psp *psp, struct sev_caps *c)
{
	struct sev_user_data_status st;
	u32 fw = SEV_RET_SUCCESS;
	int r;

	r = sev_platform_status(psp, &st, &fw);
	if (r)
		return caps_fail(c, "PLATFORM_STATUS", r, fw);
	c->api_major = st.api_major;
	c->api_minor = st.api_minor;
	c->build = st.build;
	c->state = st.state;
	c->guests_in_use = st.guest_count;
	/* An initialised platform without CONFIG.ES takes no SEV-ES guest. */
	c->es = st.state == SEV_PSTATE_UNINIT ||
		(st.flags & SEV_STATUS_FLAGS_CONFIG_ES);
	return 0;
}

static int caps_platform(struct psp *psp, struct sev_caps *c)
{
	struct psp_platform_info pi;
	int r;

	r = sev_platform_info(psp, &pi);
	if (r)
		return caps_fail(c, "platform information", r,
				 (u32)SEV_RET_NO_FW_CALL);
	c->cbitpos = pi.cbitpos;
	/* QEMU's rule, as the launch applies it. */
	c->reduced_phys_bits = pi.reduced_phys_bits >= 1 &&
			       pi.reduced_phys_bits <= 63 ?
			       pi.reduced_phys_bits : 1;
	c->es = c->es && pi.es;
	c->max_guests = pi.sev_asids;
	c->max_es_guests = pi.es ? pi.es_asids : 0;
	return 0;
}

static bool blob_len_ok(u32 len)
{
	return len && len <= SEV_FW_BLOB_MAX;
}

/* PDH_CERT_EXPORT: a length query, then the certificates. */
static int caps_export(struct psp *psp, struct sev_caps *c)
{
	u32 fw = SEV_RET_SUCCESS, pdh_len = 0, chain_len = 0;
	int r;

	r = sev_pdh_cert_export(psp, NULL, &pdh_len, NULL, &chain_len, &fw);
	if (r)
		return caps_fail(c, "PDH_CERT_EXPORT", r, fw);
	if (!blob_len_ok(pdh_len) || !blob_len_ok(chain_len)) {
		pr_err("sev caps: PDH_CERT_EXPORT: implausible lengths %u and %u",
		       pdh_len, chain_len);
		return caps_fail(c, "PDH_CERT_EXPORT", -EPROTO, fw);
	}
	c->pdh = malloc(pdh_len);
	c->chain = malloc(chain_len);
	if (!c->pdh || !c->chain)
		return caps_fail(c, "PDH_CERT_EXPORT", -ENOMEM, fw);
	c->pdh_len = pdh_len;
	c->chain_len = chain_len;
	r = sev_pdh_cert_export(psp, c->pdh, &c->pdh_len, c->chain,
				&c->chain_len, &fw);
	if (!r && (c->pdh_len != pdh_len || c->chain_len != chain_len))
		r = -EPROTO;
	return r ? caps_fail(c, "PDH_CERT_EXPORT", r, fw) : 0;
}

/* GET_ID2: the chip id, for AMD KDS. Optional: failures leave it out. */
static void caps_id(struct psp *psp, struct sev_caps *c)
{
	u32 fw, len = 0;
	u8 *id;

	if (sev_get_id(psp, NULL, &len, &fw) || !blob_len_ok(len))
		return;
	id = malloc(len);
	if (!id)
		return;
	if (sev_get_id(psp, id, &len, &fw) || !blob_len_ok(len)) {
		free(id);
		return;
	}
	c->cpu0_id = id;
	c->cpu0_id_len = len;
}

int sev_caps_gather(struct psp *psp, struct sev_caps *c)
{
	int r;

	memset(c, 0, sizeof(*c));
	c->backend = psp && psp->ops ? psp->ops->name : "none";
	r = caps_status(psp, c);
	if (!r)
		r = caps_platform(psp, c);
	if (!r)
		r = caps_export(psp, c);
	if (r)
		return r;
	caps_id(psp, c);
	c->supported = true;
	return 0;
}

void sev_caps_free(struct sev_caps *c)
{
	free(c->pdh);
	free(c->chain);
	free(c->cpu0_id);
	c->pdh = c->chain = c->cpu0_id = NULL;
	c->pdh_len = c->chain_len = c->cpu0_id_len = 0;
}

static int add_b64(struct json_object *o, const char *key, const u8 *buf,
		   size_t len)
{
	char *b64 = base64_encode(buf, len);

	if (!b64)
		return -ENOMEM;
	json_object_object_add(o, key, json_object_new_string(b64));
	free(b64);
	return 0;
}

struct json_object *sev_caps_qmp_json(const struct sev_caps *c)
{
	struct json_object *o;
	int r;

	if (!c->supported || !(o = json_object_new_object()))
		return NULL;
	r = add_b64(o, "pdh", c->pdh, c->pdh_len) ?:
	    add_b64(o, "cert-chain", c->chain, c->chain_len);
	if (!r && c->cpu0_id)
		r = add_b64(o, "cpu0-id", c->cpu0_id, c->cpu0_id_len);
	if (r) {
		json_object_put(o);
		return NULL;
	}
	json_object_object_add(o, "cbitpos", json_object_new_int64(c->cbitpos));
	json_object_object_add(o, "reduced-phys-bits",
			       json_object_new_int64(c->reduced_phys_bits));
	return o;
}

int sev_caps_kernel(struct sev_caps *c)
{
	struct psp *psp;
	int r;

	memset(c, 0, sizeof(*c));
	c->backend = "kernel";
	r = psp_kernel_probe(NULL);
	if (r == -ENOENT || r == -ENODEV || r == -ENXIO) {
		sev_caps_unsupported(c, "no SEV firmware device (/dev/sev: %s): the CPU, the BIOS or the kernel (ccp, kvm_amd.sev=1) does not offer SEV",
				     strerror(-r));
		return 0;
	}
	if (r == -ENOSYS) {
		sev_caps_unsupported(c, "this sevm is built without the kernel PSP backend");
		return 0;
	}
	if (!r)
		r = psp_open_kernel(&psp, NULL);
	if (r) {
		sev_caps_unsupported(c, "open /dev/sev failed: %s",
				     strerror(-r));
		return r;
	}
	r = sev_caps_gather(psp, c);
	psp_close(psp);
	/* A CPU that does not report SEV is an answer. */
	return r == -ENODEV ? 0 : r;
}
