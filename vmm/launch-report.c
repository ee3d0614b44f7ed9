// SPDX-License-Identifier: GPL-2.0-only
/*
 * The SEV launch, part 5: what the orchestrator reads. The launch report
 * (--launch-report FILE, and one line on stdout with --paused), written
 * once the measurement exists and rewritable later with more keys; and
 * query-sev-capabilities (PDH, certificate chain, chip id, C-bit).
 * Everything here is public: no key or secret reaches a report.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "sev/caps.h"
#include "vmm/launch-priv.h"
#include "lib/log.h"

static int json_add_b64(struct json_object *o, const char *key,
			const void *buf, size_t len)
{
	char *b64 = base64_encode(buf, len);

	if (!b64)
		return -ENOMEM;
	json_object_object_add(o, key, json_object_new_string(b64));
	free(b64);
	return 0;
}

static void json_add_u64(struct json_object *o, const char *key, u64 v)
{
	json_object_object_add(o, key, json_object_new_int64((int64_t)v));
}

static struct json_object *report_timeline(const struct sev_launch *l)
{
	struct json_object *a = json_object_new_array(), *s;

	for (unsigned int i = 0; a && i < l->nr_steps; i++) {
		s = json_object_new_object();
		if (!s)
			break;
		json_object_object_add(s, "step",
				       json_object_new_string(l->steps[i].name));
		json_add_u64(s, "start-us", l->steps[i].start_us);
		json_add_u64(s, "end-us", l->steps[i].end_us);
		json_object_array_add(a, s);
	}
	return a;
}

static struct json_object *report_firmware(const struct sev_launch *l)
{
	struct json_object *o = json_object_new_object();
	char hex[2 * sizeof(l->fw_sha256) + 1];

	if (!o)
		return NULL;
	hex_encode(l->fw_sha256, sizeof(l->fw_sha256), hex);
	json_object_object_add(o, "path",
			       json_object_new_string(l->cfg->firmware));
	json_object_object_add(o, "sha256", json_object_new_string(hex));
	/* The embedded image is named by the sevm that carries it. */
	if (l->cfg->firmware_embedded)
		json_object_object_add(o, "sevm-version",
				       json_object_new_string(SEVM_VERSION));
	return o;
}

static struct json_object *report_build(const struct sev_launch *l)
{
	const struct sev_launch_info *in = &l->info;
	struct json_object *o = json_object_new_object();

	if (!o || json_add_b64(o, "measurement", &l->measurement,
			       sizeof(l->measurement))) {
		json_object_put(o);
		return NULL;
	}
	json_add_u64(o, "api-major", in->api_major);
	json_add_u64(o, "api-minor", in->api_minor);
	json_add_u64(o, "build-id", in->build);
	json_add_u64(o, "policy", in->policy);
	json_add_u64(o, "handle", in->handle);
	json_add_u64(o, "asid", in->asid);
	json_object_object_add(o, "sev-es", json_object_new_boolean(in->es));
	json_object_object_add(o, "firmware", report_firmware(l));
	json_object_object_add(o, "kernel-hashes",
			       json_object_new_boolean(l->kernel_hashes));
	json_add_u64(o, "measured-bytes", l->measured_bytes);
	json_add_u64(o, "clock-monotonic-start-ns", time_start_ns());
	json_object_object_add(o, "timeline", report_timeline(l));
	return o;
}

static void report_merge(struct json_object *o, struct json_object *extra)
{
	if (!extra || !json_object_is_type(extra, json_type_object))
		return;
	json_object_object_foreach(extra, key, val)
		json_object_object_add(o, key, json_object_get(val));
}

static int report_write(const char *path, struct json_object *o)
{
	const char *text = json_object_to_json_string_ext(o,
				JSON_C_TO_STRING_PRETTY |
				JSON_C_TO_STRING_NOSLASHESCAPE);
	size_t len = strlen(text);
	char *buf = malloc(len + 2);
	int r;

	if (!buf)
		return -ENOMEM;
	memcpy(buf, text, len);
	buf[len++] = '\n';
	r = write_file_output(path, buf, len, 0644);
	free(buf);
	if (r)
		pr_err("sev: writing the launch report %s: %s", path,
		       r == -EPERM ? "not a regular file, FIFO or character device (refused)" :
		       strerror(-r));
	return r;
}

int sev_launch_write_report(struct sev_launch *l, struct json_object *extra)
{
	struct json_object *o;
	int r;

	if (!l->measured)
		return -EAGAIN;
	if (!l->cfg->launch_report)
		return 0;
	o = report_build(l);
	if (!o) {
		pr_err("sev: building the launch report: out of memory");
		return -ENOMEM;
	}
	report_merge(o, extra);
	r = report_write(l->cfg->launch_report, o);
	json_object_put(o);
	return r;
}

/* --paused: the same report as one line on stdout, for the orchestrator. */
static int report_stdout(const struct sev_launch *l)
{
	struct json_object *o = report_build(l);
	int r = 0;

	if (!o) {
		pr_err("sev: building the launch report: out of memory");
		return -ENOMEM;
	}
	if (printf("%s\n", json_object_to_json_string_ext(o,
			JSON_C_TO_STRING_PLAIN |
			JSON_C_TO_STRING_NOSLASHESCAPE)) < 0 || fflush(stdout)) {
		r = -EIO;
		pr_err("sev: printing the launch report on stdout failed");
	}
	json_object_put(o);
	return r;
}

int launch_report_measured(struct sev_launch *l)
{
	int r = sev_launch_write_report(l, NULL);

	if (!r && l->cfg->paused)
		r = report_stdout(l);
	return r;
}

/* --- query-sev-capabilities: the platform, as `sevm caps` reads it */

int sev_launch_capabilities(struct sev_launch *l, struct json_object **out)
{
	struct sev_caps c;
	int r;

	*out = NULL;
	l->last_fw_err = 0;
	r = sev_caps_gather(l->psp, &c);
	if (r)
		launch_note_fw(l, c.fw_err);
	else if (!(*out = sev_caps_qmp_json(&c)))
		r = -ENOMEM;
	sev_caps_free(&c);
	return r;
}
