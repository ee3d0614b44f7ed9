// SPDX-License-Identifier: GPL-2.0-only
/*
 * `sevm caps`: sev/caps.c gathering through a fake PSP backend (the
 * platform_info hook and the platform commands of the thin layer), the
 * host CPUID ASID split, the KVM probe, and vmm/caps.c's JSON and
 * libvirt XML from a filled struct, exactly.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "sev/caps.h"
#include "vmm/caps.h"

#define PDH_LEN		8
#define CERT_LEN	4		/* each of PEK, OCA, CEK */
#define ID_LEN		6

/* ---- the fake backend */

static struct {
	u32 status_fw;			/* PLATFORM_STATUS refusal */
	u8 state;
	u32 flags;
	u32 guests;
	bool id_fails;
	int info_err;
	int export_calls;
} fk;

static int fake_info(struct psp *psp, struct psp_platform_info *pi)
{
	pi->cbitpos = 47;
	pi->reduced_phys_bits = 0;		/* unknown: QEMU's 1 */
	pi->max_guests = 0;
	pi->es = true;
	pi->sev_asids = 410;
	pi->es_asids = 99;
	return fk.info_err;
}

static int fake_export(struct sev_user_data_pdh_cert_export *ex, u32 *fw)
{
	fk.export_calls++;
	if (!ex->pdh_cert_address) {
		ex->pdh_cert_len = PDH_LEN;
		ex->cert_chain_len = 3 * CERT_LEN;
		*fw = SEV_RET_INVALID_LEN;
		return -EIO;
	}
	memset((void *)(uintptr_t)ex->pdh_cert_address, 0xaa, PDH_LEN);
	memset((void *)(uintptr_t)ex->cert_chain_address, 0xbb, 3 * CERT_LEN);
	*fw = SEV_RET_SUCCESS;
	return 0;
}

static int fake_get_id(struct sev_user_data_get_id2 *id, u32 *fw)
{
	if (fk.id_fails) {
		*fw = SEV_RET_INVALID_PLATFORM_STATE;
		return -EIO;
	}
	if (!id->address) {
		id->length = ID_LEN;
		*fw = SEV_RET_INVALID_LEN;
		return -EIO;
	}
	memcpy((void *)(uintptr_t)id->address, "chipid", ID_LEN);
	*fw = SEV_RET_SUCCESS;
	return 0;
}

static int fake_cmd(struct psp *psp, u32 cmd, void *data, u32 *fw)
{
	struct sev_user_data_status *st = data;

	switch (cmd) {
	case SEV_PLATFORM_STATUS:
		*fw = fk.status_fw;
		if (fk.status_fw)
			return -EIO;
		memset(st, 0, sizeof(*st));
		st->api_major = 1;
		st->api_minor = 55;
		st->build = 21;
		st->state = fk.state;
		st->flags = fk.flags;
		st->guest_count = fk.guests;
		return 0;
	case SEV_PDH_CERT_EXPORT:
		return fake_export(data, fw);
	case SEV_GET_ID2:
		return fake_get_id(data, fw);
	}
	*fw = (u32)SEV_RET_NO_FW_CALL;
	return -EINVAL;
}

static const struct psp_ops fake_ops = {
	.name		= "fake",
	.platform_info	= fake_info,
	.platform_cmd	= fake_cmd,
};
static struct psp fake = { .ops = &fake_ops };
static const struct psp_ops bare_ops = { .name = "bare",
					 .platform_cmd = fake_cmd };
static struct psp bare = { .ops = &bare_ops };

static int reset(void **state)
{
	memset(&fk, 0, sizeof(fk));
	fk.state = SEV_PSTATE_INIT;
	fk.flags = SEV_STATUS_FLAGS_CONFIG_ES;
	fk.guests = 3;
	return 0;
}

static void test_gather(void **state)
{
	struct sev_caps c;

	assert_int_equal(sev_caps_gather(&fake, &c), 0);
	assert_true(c.supported);
	assert_string_equal(c.backend, "fake");
	assert_true(c.es);
	assert_int_equal(c.cbitpos, 47);
	assert_int_equal(c.reduced_phys_bits, 1);
	assert_int_equal(c.max_guests, 410);
	assert_int_equal(c.max_es_guests, 99);
	assert_int_equal(c.guests_in_use, 3);
	assert_int_equal(c.api_major, 1);
	assert_int_equal(c.api_minor, 55);
	assert_int_equal(c.build, 21);
	assert_int_equal(c.pdh_len, PDH_LEN);
	assert_int_equal(c.chain_len, 3 * CERT_LEN);
	assert_int_equal(c.pdh[PDH_LEN - 1], 0xaa);
	assert_int_equal(c.chain[0], 0xbb);
	assert_int_equal(c.cpu0_id_len, ID_LEN);
	assert_memory_equal(c.cpu0_id, "chipid", ID_LEN);
	assert_int_equal(fk.export_calls, 2);	/* query, then fetch */
	sev_caps_free(&c);
	assert_null(c.pdh);
	sev_caps_free(&c);			/* twice is harmless */
}

static void test_gather_partial(void **state)
{
	struct sev_caps c;

	/* initialised without CONFIG.ES: no SEV-ES guest now */
	fk.flags = 0;
	/* GET_ID2 refused: everything else, no cpu0-id */
	fk.id_fails = true;
	assert_int_equal(sev_caps_gather(&fake, &c), 0);
	assert_true(c.supported);
	assert_false(c.es);
	assert_null(c.cpu0_id);
	assert_int_equal(c.cpu0_id_len, 0);
	sev_caps_free(&c);
	/* UNINIT: the kernel INITs with SEV-ES when a guest starts */
	fk.state = SEV_PSTATE_UNINIT;
	assert_int_equal(sev_caps_gather(&fake, &c), 0);
	assert_true(c.es);
	sev_caps_free(&c);
}

static void test_gather_failures(void **state)
{
	struct sev_caps c;

	fk.status_fw = SEV_RET_INVALID_PLATFORM_STATE;
	assert_int_equal(sev_caps_gather(&fake, &c), -EIO);
	assert_false(c.supported);
	assert_int_equal(c.fw_err, SEV_RET_INVALID_PLATFORM_STATE);
	assert_non_null(strstr(c.reason, "PLATFORM_STATUS failed: firmware status 0x1 INVALID_PLATFORM_STATE"));
	sev_caps_free(&c);
	fk.status_fw = 0;
	fk.info_err = -ENODEV;		/* a CPU without SEV */
	assert_int_equal(sev_caps_gather(&fake, &c), -ENODEV);
	assert_false(c.supported);
	assert_non_null(strstr(c.reason, "platform information"));
	assert_int_equal(fk.export_calls, 0);
	sev_caps_free(&c);
	/* a backend without the platform_info hook */
	assert_int_equal(sev_caps_gather(&bare, &c), -EOPNOTSUPP);
	assert_false(c.supported);
	sev_caps_free(&c);
}

/* ---- host CPUID 0x8000001F: the ASID split as libvirt computes it */

static u32 cpuid_eax, cpuid_ecx, cpuid_edx, cpuid_max;

static void fake_cpuid(u32 leaf, u32 *eax, u32 *ebx, u32 *ecx, u32 *edx)
{
	*ebx = 0;
	if (leaf == 0x80000000) {
		*eax = cpuid_max;
		*ecx = *edx = 0;
		return;
	}
	*eax = cpuid_eax;
	*ecx = cpuid_ecx;
	*edx = cpuid_edx;
}

static void test_host_asids(void **state)
{
	u32 sev, es;
	bool has_es;

	sev_set_cpuid_fn(fake_cpuid);
	cpuid_max = 0x80000021;
	cpuid_eax = 0xb;		/* SME, SEV, SEV-ES */
	cpuid_ecx = 509;
	cpuid_edx = 100;
	assert_int_equal(sev_host_asids(&has_es, &sev, &es), 0);
	assert_true(has_es);
	assert_int_equal(sev, 410);
	assert_int_equal(es, 99);
	cpuid_eax = 0x3;		/* no SEV-ES; no MIN_SEV_ASID */
	cpuid_edx = 0;
	assert_int_equal(sev_host_asids(&has_es, &sev, &es), 0);
	assert_false(has_es);
	assert_int_equal(sev, 0);
	assert_int_equal(es, 0);
	cpuid_eax = 0x1;		/* SME only */
	assert_int_equal(sev_host_asids(&has_es, &sev, &es), -ENODEV);
	cpuid_max = 0x8000001e;
	cpuid_eax = 0xb;
	assert_int_equal(sev_host_asids(&has_es, &sev, &es), -ENODEV);
	sev_set_cpuid_fn(NULL);
}

/* ---- formatting from a filled struct */

static u8 pdh[2] = { 1, 2 }, chain[3] = { 3, 4, 5 }, id[2] = { 0xfb, 0xff };

static void fill(struct host_caps *h, bool with_id)
{
	memset(h, 0, sizeof(*h));
	h->kvm = (struct caps_kvm){
		.device = "/dev/kvm", .present = true, .usable = true,
		.api_version = 12, .vm_types = 0xd, .nr_ext = 2,
		.ext = { { "irqfd", 1 }, { "max-vcpus", 1024 } },
	};
	h->psp = "/var/lib/sevm/psp";
	h->psp_emulated = true;
	h->sev = (struct sev_caps){
		.supported = true, .es = true, .cbitpos = 51,
		.reduced_phys_bits = 1, .max_guests = 15,
		.max_es_guests = 15, .guests_in_use = 2, .api_major = 1,
		.api_minor = 55, .build = 21, .pdh = pdh, .pdh_len = 2,
		.chain = chain, .chain_len = 3,
		.cpu0_id = with_id ? id : NULL, .cpu0_id_len = with_id ? 2 : 0,
	};
}

static char *xml_of(const struct host_caps *h)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(caps_xml(h, f), 0);
	fclose(f);
	return buf;
}

static void test_xml(void **state)
{
	struct host_caps h;
	char *x;

	fill(&h, true);
	x = xml_of(&h);
	assert_string_equal(x, "<sev supported='yes'>\n"
			    "  <cbitpos>51</cbitpos>\n"
			    "  <reducedPhysBits>1</reducedPhysBits>\n"
			    "  <maxGuests>15</maxGuests>\n"
			    "  <maxESGuests>15</maxESGuests>\n"
			    "  <cpu0Id>+/8=</cpu0Id>\n"
			    "</sev>\n");
	free(x);
	fill(&h, false);		/* no chip id known: no element */
	h.sev.max_es_guests = 0;
	x = xml_of(&h);
	assert_string_equal(x, "<sev supported='yes'>\n"
			    "  <cbitpos>51</cbitpos>\n"
			    "  <reducedPhysBits>1</reducedPhysBits>\n"
			    "  <maxGuests>15</maxGuests>\n"
			    "  <maxESGuests>0</maxESGuests>\n"
			    "</sev>\n");
	free(x);
	sev_caps_unsupported(&h.sev, "no /dev/sev");
	x = xml_of(&h);
	assert_string_equal(x, "<sev supported='no'/>\n");
	free(x);
}

static const char *jstr(struct json_object *o, const char *path)
{
	char key[32];
	const char *dot = strchr(path, '.');
	struct json_object *v;

	if (dot) {
		snprintf(key, sizeof(key), "%.*s", (int)(dot - path), path);
		assert_true(json_object_object_get_ex(o, key, &v));
		return jstr(v, dot + 1);
	}
	assert_true(json_object_object_get_ex(o, path, &v));
	return json_object_get_string(v);
}

static void test_json(void **state)
{
	struct json_object *o, *q, *s;
	struct host_caps h;

	fill(&h, true);
	o = caps_json(&h);
	assert_non_null(o);
	assert_string_equal(jstr(o, "sevm-version"), SEVM_VERSION);
	assert_string_equal(jstr(o, "kvm.usable"), "true");
	assert_string_equal(jstr(o, "kvm.api-version"), "12");
	assert_string_equal(jstr(o, "kvm.vm-types"),
			    "[ \"default\", \"sev\", \"sev-es\" ]");
	assert_string_equal(jstr(o, "kvm.capabilities.max-vcpus"), "1024");
	assert_string_equal(jstr(o, "sev.supported"), "true");
	assert_string_equal(jstr(o, "sev.psp"), "emulated");
	assert_string_equal(jstr(o, "sev.es-supported"), "true");
	assert_string_equal(jstr(o, "sev.max-guests"), "15");
	assert_string_equal(jstr(o, "sev.max-es-guests"), "15");
	assert_string_equal(jstr(o, "sev.guests-in-use"), "2");
	assert_string_equal(jstr(o, "sev.api-version"), "1.55");
	assert_string_equal(jstr(o, "sev.build-id"), "21");
	assert_string_equal(jstr(o, "sev.pdh"), "AQI=");
	assert_string_equal(jstr(o, "sev.cert-chain"), "AwQF");
	/* QMP's answer is the same members with the same values */
	q = sev_caps_qmp_json(&h.sev);
	assert_string_equal(json_object_to_json_string_ext(q,
			    JSON_C_TO_STRING_PLAIN),
			    "{\"pdh\":\"AQI=\",\"cert-chain\":\"AwQF\","
			    "\"cpu0-id\":\"+\\/8=\",\"cbitpos\":51,"
			    "\"reduced-phys-bits\":1}");
	s = json_object_object_get(o, "sev");
	json_object_object_foreach(q, key, val)
		assert_string_equal(json_object_get_string(val), jstr(s, key));
	json_object_put(q);
	json_object_put(o);
}

static void test_json_unsupported(void **state)
{
	struct json_object *o, *s;
	struct host_caps h;

	fill(&h, false);
	h.psp_emulated = false;
	h.kvm.usable = false;
	snprintf(h.kvm.reason, sizeof(h.kvm.reason), "open /dev/kvm: x");
	sev_caps_unsupported(&h.sev, "no SEV firmware device (%s)", "/dev/sev");
	assert_null(sev_caps_qmp_json(&h.sev));
	o = caps_json(&h);
	assert_non_null(o);
	assert_string_equal(jstr(o, "kvm.reason"), "open /dev/kvm: x");
	assert_false(json_object_object_get_ex(json_object_object_get(o,
			"kvm"), "capabilities", NULL));
	assert_string_equal(jstr(o, "sev.supported"), "false");
	assert_string_equal(jstr(o, "sev.psp"), "kernel");
	assert_string_equal(jstr(o, "sev.reason"),
			    "no SEV firmware device (/dev/sev)");
	s = json_object_object_get(o, "sev");
	assert_int_equal(json_object_object_length(s), 3);
	json_object_put(o);
}

static void test_kvm_probe(void **state)
{
	struct caps_kvm k;

	caps_kvm_probe("/nonexistent/kvm", &k);
	assert_false(k.present);
	assert_false(k.usable);
	assert_string_equal(k.reason,
			    "open /nonexistent/kvm: No such file or directory");
	caps_kvm_probe("/dev/null", &k);	/* not KVM: no API version */
	assert_true(k.present);
	assert_false(k.usable);
	assert_non_null(strstr(k.reason, "KVM_GET_API_VERSION on /dev/null"));
	if (access("/dev/kvm", R_OK | W_OK)) {
		skip();
		return;
	}
	caps_kvm_probe(NULL, &k);
	assert_true(k.usable);
	assert_int_equal(k.api_version, 12);
	assert_true(k.nr_ext > 5);
	assert_string_equal(k.ext[0].name, "vm-types");
}

/* The host's kernel PSP: no /dev/sev is an answer, not a failure. */
static void test_kernel_absent(void **state)
{
	struct sev_caps c;

	if (!access("/dev/sev", F_OK)) {
		skip();
		return;
	}
	assert_int_equal(sev_caps_kernel(&c), 0);
	assert_false(c.supported);
	assert_string_equal(c.backend, "kernel");
	assert_non_null(strstr(c.reason, "no SEV firmware device (/dev/sev: No such file or directory)"));
	sev_caps_free(&c);
}

/* `sevm caps ARGS`: the exit code (the report goes to stdout). */
static int caps_cli(const char *a1, const char *a2, const char *a3)
{
	const char *in[] = { "caps", a1, a2, a3 };
	char buf[4][128], *argv[5] = { NULL };
	int argc = 0;

	while (argc < 4 && in[argc]) {
		snprintf(buf[argc], sizeof(buf[argc]), "%s", in[argc]);
		argv[argc] = buf[argc];
		argc++;
	}
	return caps_cli_main(argc, argv);
}

static void test_cli_exit_codes(void **state)
{
	assert_int_equal(caps_cli("--help", NULL, NULL), EXIT_OK);
	assert_int_equal(caps_cli("--format", "yaml", NULL), EXIT_CONFIG);
	assert_int_equal(caps_cli("--format", NULL, NULL), EXIT_CONFIG);
	assert_int_equal(caps_cli("--psp", "emulated:", NULL), EXIT_CONFIG);
	assert_int_equal(caps_cli("--psp", "sev", NULL), EXIT_CONFIG);
	assert_int_equal(caps_cli("--bogus", NULL, NULL), EXIT_CONFIG);
	assert_int_equal(caps_cli("json", NULL, NULL), EXIT_CONFIG);
	/* an emulated DIR that is no platform: the question has no answer */
	assert_int_equal(caps_cli("--psp", "emulated:/nonexistent/psp",
				  NULL), EXIT_HOST);
	/* no /dev/sev is an answer: "not supported", exit 0 */
	if (!access("/dev/sev", F_OK)) {
		skip();
		return;
	}
	assert_int_equal(caps_cli("--psp", "kernel", NULL), EXIT_OK);
	assert_int_equal(caps_cli("--format", "xml", NULL), EXIT_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_gather, reset),
		cmocka_unit_test_setup(test_gather_partial, reset),
		cmocka_unit_test_setup(test_gather_failures, reset),
		cmocka_unit_test(test_host_asids),
		cmocka_unit_test(test_xml),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_json_unsupported),
		cmocka_unit_test(test_kvm_probe),
		cmocka_unit_test(test_kernel_absent),
		cmocka_unit_test(test_cli_exit_codes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
