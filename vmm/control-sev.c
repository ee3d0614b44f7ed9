// SPDX-License-Identifier: GPL-2.0-only
/*
 * The SEV QMP commands, as QEMU has them (qapi/misc-target.json):
 * query-sev, query-sev-launch-measure, query-sev-capabilities,
 * query-sev-attestation-report and sev-inject-launch-secret, over the launch module (vmm/launch.h).
 * Error texts are QEMU's where it has one. The secret is never logged.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "sev/caps.h"
#include "sev/report.h"
#include "vmm/launch.h"
#include "vmm/control-priv.h"
#include "vmm/vm.h"

#define SEV_SECRET_HEADER_LEN	52	/* sev-protocol.md 7.1 */

static void add_int(struct json_object *o, const char *key, s64 v)
{
	json_object_object_add(o, key, json_object_new_int64(v));
}

/* QEMU 7.2's flat SevInfo, plus QEMU 9's "sev-type". */
int qmp_query_sev(void *opaque, struct json_object *args,
		  struct json_object **ret, struct qmp_error *err)
{
	struct vm *vm = opaque;
	struct sev_launch_info info = { 0 };
	struct json_object *o;

	if (!vm->sev)
		return qmp_fail(err, QMP_ERR_GENERIC,
				"SEV feature is not available");
	sev_launch_get_info(vm->sev, &info);
	o = json_object_new_object();
	json_object_object_add(o, "enabled", json_object_new_boolean(1));
	add_int(o, "api-major", info.api_major);
	add_int(o, "api-minor", info.api_minor);
	add_int(o, "build-id", info.build);
	add_int(o, "policy", info.policy);
	json_object_object_add(o, "state", json_object_new_string(
				       sev_launch_state_name(info.state)));
	add_int(o, "handle", info.handle);
	json_object_object_add(o, "sev-type", json_object_new_string(
				       info.es ? "sev-es" : "sev"));
	*ret = o;
	return 0;
}

/* {"data": base64 of the 48-byte LAUNCH_MEASURE blob} */
int qmp_query_sev_launch_measure(void *opaque, struct json_object *args,
				 struct json_object **ret,
				 struct qmp_error *err)
{
	struct vm *vm = opaque;
	struct sev_measurement m;
	char *b64;

	if (!vm->sev || sev_launch_get_measurement(vm->sev, &m))
		return qmp_fail(err, QMP_ERR_GENERIC,
				"SEV launch measurement is not available");
	b64 = base64_encode(&m, sizeof(m));
	if (!b64)
		return qmp_fail(err, QMP_ERR_GENERIC,
				"SEV launch measurement: out of memory");
	*ret = json_object_new_object();
	json_object_object_add(*ret, "data", json_object_new_string(b64));
	free(b64);
	return 0;
}

/*
 * Not an SEV guest: the host's kernel PSP, as QEMU asks /dev/sev and as
 * `sevm caps` does (the same function, so the two agree).
 */
static int host_sev_capabilities(struct json_object **ret,
				 struct qmp_error *err)
{
	struct sev_caps c;
	int r;

	r = sev_caps_kernel(&c);
	if (!r && !c.supported)
		r = qmp_fail(err, QMP_ERR_GENERIC, "SEV is not enabled in KVM");
	else if (r)
		r = qmp_fail(err, QMP_ERR_GENERIC, "SEV: %s", c.reason);
	else if (!(*ret = sev_caps_qmp_json(&c)))
		r = qmp_fail(err, QMP_ERR_GENERIC,
			     "SEV: query the platform capabilities: out of memory");
	sev_caps_free(&c);
	return r;
}

int qmp_query_sev_capabilities(void *opaque, struct json_object *args,
			       struct json_object **ret,
			       struct qmp_error *err)
{
	struct vm *vm = opaque;
	char msg[sizeof(err->desc)];
	int r;

	if (!vm->sev)
		return host_sev_capabilities(ret, err);
	r = sev_launch_capabilities(vm->sev, ret);
	if (r < 0) {
		control_sev_error(msg, sizeof(msg),
				  "SEV: query the platform capabilities", r,
				  sev_launch_last_fw_err(vm->sev));
		return qmp_fail(err, QMP_ERR_GENERIC, "%s", msg);
	}
	return 0;
}

/* Decode a base64 argument; what names it in QEMU's words. */
static int decode_arg(struct json_object *args, const char *name,
		      const char *what, u8 **out, size_t *len,
		      struct qmp_error *err)
{
	struct json_object *v;

	json_object_object_get_ex(args, name, &v);
	if (base64_decode(json_object_get_string(v), out, len) < 0)
		return qmp_fail(err, QMP_ERR_GENERIC,
				"SEV: Failed to decode %s: '%s' is not valid base64",
				what, name);
	if (!*len) {
		free(*out);
		*out = NULL;
		return qmp_fail(err, QMP_ERR_GENERIC,
				"SEV: Failed to decode %s: '%s' is empty",
				what, name);
	}
	return 0;
}

/* The optional "gpa" (uint64 in QEMU's schema). */
static int gpa_arg(struct json_object *args, bool *set, u64 *gpa,
		   struct qmp_error *err)
{
	struct json_object *v;

	*set = json_object_object_get_ex(args, "gpa", &v);
	if (!*set)
		return 0;
	if (json_object_get_int64(v) < 0)
		return qmp_fail(err, QMP_ERR_GENERIC,
				"Parameter 'gpa' expects uint64");
	*gpa = json_object_get_uint64(v);
	return 0;
}

static int inject(struct vm *vm, const u8 *hdr, size_t hdr_len,
		  const u8 *sec, size_t sec_len, bool gpa_set, u64 gpa,
		  struct qmp_error *err)
{
	char msg[sizeof(err->desc)] = "";
	int r;

	if (hdr_len != SEV_SECRET_HEADER_LEN)
		return qmp_fail(err, QMP_ERR_GENERIC,
				"SEV: 'packet-header' must decode to %d bytes, not %zu",
				SEV_SECRET_HEADER_LEN, hdr_len);
	r = sev_launch_inject_secret(vm->sev, vm, hdr, hdr_len, sec, sec_len,
				     gpa_set, gpa, msg, sizeof(msg));
	if (r >= 0)
		return 0;
	if (!msg[0])
		control_sev_error(msg, sizeof(msg), "SEV: LAUNCH_SECRET failed",
				  r, sev_launch_last_fw_err(vm->sev));
	return qmp_fail(err, QMP_ERR_GENERIC, "%s", msg);
}

/* {"packet-header": b64, "secret": b64, "gpa"?: uint64} -> {} */
int qmp_sev_inject_launch_secret(void *opaque, struct json_object *args,
				 struct json_object **ret,
				 struct qmp_error *err)
{
	struct vm *vm = opaque;
	struct sev_launch_info info = { 0 };
	u8 *hdr = NULL, *sec = NULL;
	size_t hdr_len = 0, sec_len = 0;
	bool gpa_set;
	u64 gpa = 0;
	int r;

	if (!vm->sev)
		return qmp_fail(err, QMP_ERR_GENERIC,
				"SEV not enabled for guest");
	sev_launch_get_info(vm->sev, &info);
	if (info.state != SEV_LAUNCH_SECRET)
		return qmp_fail(err, QMP_ERR_GENERIC,
				"SEV: LAUNCH_SECRET is only valid in the launch-secret state (the guest is in %s)",
				sev_launch_state_name(info.state));
	r = gpa_arg(args, &gpa_set, &gpa, err);
	if (!r)
		r = decode_arg(args, "packet-header", "sequence header", &hdr,
			       &hdr_len, err);
	if (!r)
		r = decode_arg(args, "secret", "data", &sec, &sec_len, err);
	if (!r)
		r = inject(vm, hdr, hdr_len, sec, sec_len, gpa_set, gpa, err);
	if (hdr)
		memzero_explicit(hdr, hdr_len);
	if (sec)
		memzero_explicit(sec, sec_len);
	free(hdr);
	free(sec);
	return r;
}

/* {"mnonce": base64 of 16 bytes} -> {"data": base64 of the report} */
int qmp_query_sev_attestation_report(void *opaque, struct json_object *args,
				     struct json_object **ret,
				     struct qmp_error *err)
{
	char msg[sizeof(err->desc)] = "";
	struct vm *vm = opaque;
	struct json_object *v;
	u8 *nonce = NULL, *rep = NULL;
	size_t n = 0;
	u32 len = 0;
	char *b64;

	if (!vm->sev)
		return qmp_fail(err, QMP_ERR_GENERIC, "SEV is not enabled");
	json_object_object_get_ex(args, "mnonce", &v);
	if (base64_decode(json_object_get_string(v), &nonce, &n) < 0)
		return qmp_fail(err, QMP_ERR_GENERIC,
				"SEV: failed to decode mnonce input");
	if (n != SEV_MNONCE_SIZE) {
		free(nonce);
		return qmp_fail(err, QMP_ERR_GENERIC,
				"SEV: mnonce must be %d bytes (got %zu)",
				SEV_MNONCE_SIZE, n);
	}
	if (sev_launch_attestation(vm->sev, nonce, &rep, &len, msg,
				   sizeof(msg)) < 0) {
		free(nonce);
		return qmp_fail(err, QMP_ERR_GENERIC, "%s", msg);
	}
	free(nonce);
	b64 = base64_encode(rep, len);
	free(rep);
	if (!b64)
		return qmp_fail(err, QMP_ERR_GENERIC,
				"SEV: attestation report: out of memory");
	*ret = json_object_new_object();
	json_object_object_add(*ret, "data", json_object_new_string(b64));
	free(b64);
	return 0;
}
