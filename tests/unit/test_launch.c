// SPDX-License-Identifier: GPL-2.0-only
/*
 * The SEV launch module (vmm/launch*.c) end to end against the real
 * emulated PSP: the guest owner's session built with the crypto API, the
 * measurement recomputed independently, a sealed secret found in guest
 * RAM, the launch report; and the failure paths of each step.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <json-c/json.h>
#include <openssl/evp.h>

#include "sev/hashes.h"
#include "sev/emul/psp.h"
#include "sev/vmsa.h"
#include "tests/unit/sev-testlib.h"
#include "tests/unit/test_launch_lib.h"

static const char *jstr(struct json_object *o, const char *key)
{
	struct json_object *v;

	assert_true(json_object_object_get_ex(o, key, &v));
	return json_object_get_string(v);
}

static int64_t jint(struct json_object *o, const char *key)
{
	struct json_object *v;

	assert_true(json_object_object_get_ex(o, key, &v));
	assert_true(json_object_is_type(v, json_type_int));
	return json_object_get_int64(v);
}

static bool jbool(struct json_object *o, const char *key)
{
	struct json_object *v;

	assert_true(json_object_object_get_ex(o, key, &v));
	assert_true(json_object_is_type(v, json_type_boolean));
	return json_object_get_boolean(v);
}

static void check_timeline(struct json_object *o, const char *const *steps)
{
	struct json_object *tl, *s;
	int64_t last = 0;
	size_t i, n;

	assert_true(json_object_object_get_ex(o, "timeline", &tl));
	n = json_object_array_length(tl);
	for (i = 0; steps[i]; i++) {
		assert_true(i < n);
		s = json_object_array_get_idx(tl, i);
		assert_string_equal(jstr(s, "step"), steps[i]);
		assert_true(jint(s, "start-us") >= last);
		assert_true(jint(s, "end-us") >= jint(s, "start-us"));
		last = jint(s, "end-us");
	}
}

/* The report's fields against what the launch object says. */
static void check_report(struct lt *t, struct json_object *o, bool hashes,
			 u64 measured)
{
	struct sev_launch_info info;
	struct sev_measurement m;
	struct json_object *fw;
	char *b64, hex[65];
	u8 sha[32];

	sev_launch_get_info(t->l, &info);
	assert_int_equal(sev_launch_get_measurement(t->l, &m), 0);
	b64 = base64_encode(&m, sizeof(m));
	assert_string_equal(jstr(o, "measurement"), b64);
	free(b64);
	assert_int_equal(jint(o, "api-major"), 1);
	assert_int_equal(jint(o, "api-minor"), 55);
	assert_int_equal(jint(o, "build-id"), 21);
	assert_int_equal(jint(o, "policy"), t->cfg.sev.policy);
	assert_int_equal(jint(o, "handle"), info.handle);
	assert_int_equal(jint(o, "asid"), info.asid);
	assert_int_equal(jbool(o, "sev-es"), t->cfg.sev.es);
	assert_int_equal(jbool(o, "kernel-hashes"), hashes);
	assert_int_equal(jint(o, "measured-bytes"), measured);
	assert_true(jint(o, "clock-monotonic-start-ns") > 0);
	assert_true(json_object_object_get_ex(o, "firmware", &fw));
	assert_string_equal(jstr(fw, "path"), t->fw_path);
	assert_true(EVP_Digest(t->fw.b.data, t->fw.b.size, sha, NULL,
			       EVP_sha256(), NULL));
	hex_encode(sha, sizeof(sha), hex);
	assert_string_equal(jstr(fw, "sha256"), hex);
}

static void inject_ok(struct lt *t, const u8 *plain, size_t len)
{
	struct sev_secret_header hdr;
	char err[256] = "";
	u8 ct[256];

	lt_seal(t, plain, len, &hdr, ct);
	assert_int_equal(sev_launch_inject_secret(t->l, &t->vm, (u8 *)&hdr,
						  sizeof(hdr), ct, len, false,
						  0, err, sizeof(err)), 0);
	assert_memory_equal(mem_gpa_to_hva(&t->vm.mem, LT_SECRET_BASE, len),
			    plain, len);
}

static void measure_and_check(struct lt *t)
{
	static const char *const steps[] = {
		"platform-checks", "launch-start", "pin-memory", "update-fw",
		"update-hashes", "launch-measure", NULL,
	};
	struct sev_measurement m;
	struct json_object *o;
	const char *out;
	u8 want[32];
	int r;

	lt_stdout_start();
	r = sev_launch_measure(t->l, &t->vm);
	out = lt_stdout_end();
	assert_int_equal(r, 0);
	assert_int_equal(sev_launch_get_measurement(t->l, &m), 0);
	lt_expected(t, true, NULL, 0, m.mnonce, want);
	assert_memory_equal(m.measure, want, 32);
	/* --paused: the report as exactly one line on stdout */
	assert_non_null(strchr(out, '\n'));
	assert_int_equal(count_lines(out), 1);
	o = json_tokener_parse(out);
	assert_non_null(o);
	check_report(t, o, true, LT_FW_SIZE + SEV_HASHES_PADDED_LEN);
	json_object_put(o);
	o = json_object_from_file(t->report_path);
	assert_non_null(o);
	check_report(t, o, true, LT_FW_SIZE + SEV_HASHES_PADDED_LEN);
	check_timeline(o, steps);
	json_object_put(o);
}

/* The whole launch, as an orchestrator with --paused drives it. */
static void test_full_launch(void **state)
{
	struct lt *t = lt_new(NULL, false);
	struct sev_launch_info info;
	u8 plain[64], *table;
	char err[256];
	const char *log;

	lt_firmware(t, LT_FW_ALL);
	lt_kernel(t);
	lt_vm(t, 1);
	lt_owner(t);
	t->cfg.launch_report = t->report_path;
	t->cfg.paused = true;
	assert_int_equal(sev_launch_open(&t->l, &t->cfg, LT_RAM), 0);
	assert_int_equal(sev_launch_vm_type(t->l), 0);
	capture_start();
	assert_int_equal(sev_launch_start(t->l, &t->vm), 0);
	log = capture_end();
	assert_int_equal(lt_errors(log), 0);
	sev_launch_get_info(t->l, &info);
	assert_non_null(strstr(log, "sev: LAUNCH_START handle "));
	assert_non_null(strstr(log, " policy 0x33 "));
	assert_int_equal(info.state, SEV_LAUNCH_UPDATE);
	assert_true(info.handle > 0);
	assert_true(info.asid >= 1 && info.asid <= EMUL_DEFAULT_MAX_GUESTS);
	assert_int_equal(info.cbitpos, 51);
	assert_int_equal(info.reduced_phys_bits, 1);
	assert_int_equal(lt_guest_count(t->dir), 1);

	measure_and_check(t);
	table = mem_gpa_to_hva(&t->vm.mem, LT_HASHES_BASE, 176);
	assert_memory_equal(table, sev_guid_hashes_table, 16);
	sev_launch_get_info(t->l, &info);
	assert_string_equal(sev_launch_state_name(info.state), "launch-secret");

	test_pattern(plain, sizeof(plain), 0x5a);
	inject_ok(t, plain, sizeof(plain));
	test_pattern(plain, 32, 0xa5);		/* LAUNCH_SECRET repeats */
	inject_ok(t, plain, 32);

	assert_int_equal(sev_launch_finish(t->l, &t->vm), 0);
	sev_launch_get_info(t->l, &info);
	assert_string_equal(sev_launch_state_name(info.state), "running");
	capture_start();
	assert_int_equal(sev_launch_inject_secret(t->l, &t->vm, plain, 52,
						  plain, 32, false, 0, err,
						  sizeof(err)), -EINVAL);
	lt_one_error(capture_end(),
		     "LAUNCH_SECRET is only valid before the guest runs (state running)");
	assert_non_null(strstr(err, "(state running)"));
	assert_int_equal(sev_launch_last_fw_err(t->l), 0);
	lt_free(t);
}

/* The report is rewritten with extra keys (e.g. the boot trace at exit). */
static void test_report_rewrite(void **state)
{
	struct lt *t = lt_new(NULL, false);
	struct json_object *extra, *o, *v;

	lt_firmware(t, LT_FW_ALL);
	lt_vm(t, 1);
	t->cfg.launch_report = t->report_path;
	assert_int_equal(sev_launch_open(&t->l, &t->cfg, LT_RAM), 0);
	assert_int_equal(sev_launch_write_report(t->l, NULL), -EAGAIN);
	assert_int_equal(sev_launch_start(t->l, &t->vm), 0);
	assert_int_equal(sev_launch_measure(t->l, &t->vm), 0);
	extra = json_tokener_parse("{\"boot-trace\": [{\"mark\": 1}]}");
	assert_int_equal(sev_launch_write_report(t->l, extra), 0);
	json_object_put(extra);
	o = json_object_from_file(t->report_path);
	assert_non_null(o);
	assert_true(json_object_object_get_ex(o, "boot-trace", &v));
	assert_int_equal(json_object_array_length(v), 1);
	/* no session: a launch with the firmware's own random keys */
	check_report(t, o, false, LT_FW_SIZE);
	json_object_put(o);
	lt_free(t);
}

/* query-sev-capabilities: QEMU's fields, from the platform itself. */
static void test_capabilities(void **state)
{
	struct lt *t = lt_new(NULL, false);
	struct json_object *caps;
	char path[LT_PATH_MAX];
	u8 *pdh, *chain, *id;
	size_t n, pdh_len, chain_len, id_len;
	void *file;

	lt_firmware(t, LT_FW_ALL);
	assert_int_equal(sev_launch_open(&t->l, &t->cfg, LT_RAM), 0);
	assert_int_equal(sev_launch_capabilities(t->l, &caps), 0);
	assert_int_equal(base64_decode(jstr(caps, "pdh"), &pdh, &pdh_len), 0);
	assert_int_equal(base64_decode(jstr(caps, "cert-chain"), &chain,
				       &chain_len), 0);
	assert_int_equal(base64_decode(jstr(caps, "cpu0-id"), &id, &id_len),
			 0);
	assert_int_equal(pdh_len, 0x824);
	assert_int_equal(chain_len, 3 * 0x824);
	assert_int_equal(id_len, 64);
	snprintf(path, sizeof(path), "%s/pdh.cert", t->dir);
	assert_int_equal(read_file(path, &file, &n, 1 << 16), 0);
	assert_memory_equal(file, pdh, 0x824);
	assert_int_equal(jint(caps, "cbitpos"), 51);
	assert_int_equal(jint(caps, "reduced-phys-bits"), 1);
	free(file);
	free(pdh);
	free(chain);
	free(id);
	json_object_put(caps);
	lt_free(t);
}

static struct kvm_cpuid2 *fake_cpuid(u32 leaf1_eax)
{
	struct kvm_cpuid2 *c = calloc(1, sizeof(*c) + sizeof(c->entries[0]));

	assert_non_null(c);
	c->nent = 1;
	c->entries[0].function = 1;
	c->entries[0].eax = leaf1_eax;
	return c;
}

/* The VMSA pages a Milan host measured, or sev/vmsa.c's if absent. */
static void expected_vmsas(u8 pages[2 * 4096])
{
	const char *names[2] = { "sevctl/vmsa0.bin", "sevctl/vmsa1.bin" };
	const char *path;
	size_t len;
	void *buf;

	for (int i = 0; i < 2; i++) {
		path = test_vector_path(names[i]);
		if (!path) {
			assert_int_equal(sev_vmsa_build(pages + i * 4096, !i,
							LT_ES_RESET,
							0x00a00f11, false), 0);
			continue;
		}
		assert_int_equal(read_file(path, &buf, &len, 8192), 0);
		assert_int_equal(len, 4096);
		memcpy(pages + i * 4096, buf, 4096);
		free(buf);
	}
}

/* SEV-ES: one VMSA per vCPU measured after the firmware, QEMU's model. */
static void test_es_launch(void **state)
{
	static u8 pages[2 * 4096];
	struct lt *t = lt_new(NULL, true);
	struct sev_launch_info info;
	struct sev_measurement m;
	struct json_object *o;
	u8 want[32];

	t->cpuid = fake_cpuid(0x00a00f11);	/* the vectors' Milan host */
	lt_firmware(t, LT_FW_ALL);
	lt_vm(t, 2);
	lt_owner(t);
	t->cfg.launch_report = t->report_path;
	lt_launch(t);
	sev_launch_get_info(t->l, &info);
	assert_true(info.es);
	assert_int_equal(info.policy, 0x37);
	assert_int_equal(sev_launch_get_measurement(t->l, &m), 0);
	expected_vmsas(pages);
	lt_expected(t, false, pages, 2, m.mnonce, want);
	assert_memory_equal(m.measure, want, 32);
	o = json_object_from_file(t->report_path);
	assert_non_null(o);
	check_report(t, o, false, LT_FW_SIZE + 2 * 4096);
	json_object_put(o);
	assert_int_equal(sev_launch_finish(t->l, &t->vm), 0);
	lt_free(t);
}

static void test_es_no_reset_block(void **state)
{
	struct lt *t = lt_new(NULL, true);
	const char *log;

	lt_firmware(t, LT_FW_HASHES | LT_FW_SECRET);
	lt_vm(t, 2);
	lt_open_start(t);
	capture_start();
	assert_int_equal(sev_launch_measure(t->l, &t->vm), -EINVAL);
	log = capture_end();
	lt_one_error(log, "has no SEV-ES reset block (GUID 00f771de-1a7e-4fcb-890e-68c77e2fb44e)");
	assert_non_null(strstr(log, t->fw_path));
	sev_launch_close(t->l);
	t->l = NULL;
	assert_int_equal(lt_guest_count(t->dir), 0);
	lt_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_launch),
		cmocka_unit_test(test_report_rewrite),
		cmocka_unit_test(test_capabilities),
		cmocka_unit_test(test_es_launch),
		cmocka_unit_test(test_es_no_reset_block),
	};

	log_init("test_launch");
	log_set_level(LOG_INFO);
	return cmocka_run_group_tests(tests, emul_master_setup,
				      emul_master_teardown);
}
