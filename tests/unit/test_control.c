// SPDX-License-Identifier: GPL-2.0-only
/*
 * VM control (vmm/control*.c) with the real QMP protocol, VM, vCPU, KVM
 * and loop objects: every command in each run state through
 * qmp_handle_message on the real server, the events and their order
 * (STOP, RESUME, POWERDOWN, SHUTDOWN with each reason), argument and
 * base64 errors, the SEV commands over a scripted launch double, and
 * pause/resume of real vCPU threads on /dev/kvm (skipped without it):
 * a spinning guest and a halted one are parked by stop, run again after
 * cont, and a stop request ends a paused VM.
 *
 * Memory, boot, devices and the SEV launch are TEST DOUBLES
 * (test_control_dbl.c).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include <cmocka.h>

#include "tests/unit/kvm-avail.h"

#include <json-c/json.h>

#include "test_control.h"
#include "lib/log.h"
#include "vmm/qmp.h"
#include "vmm/vm.h"

extern char last_err[512];

struct fx {
	struct vm vm;
	struct vm_config cfg;
	struct sev_launch sev;
	char dir[64], path[128];
};

static int setup_common(struct fx **out)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	strcpy(f->dir, "/tmp/sevm-ctl-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/qmp.sock", f->dir);
	f->cfg.qmp = f->path;
	f->cfg.mem_size = DBL_GUEST_RAM;
	f->cfg.cpus = 1;
	f->vm.cfg = &f->cfg;
	memset(&dbl, 0, sizeof(dbl));
	nr_events = 0;
	last_err[0] = '\0';
	*out = f;
	return 0;
}

static int on_stop(struct loop *loop, int fd, u32 ev, void *opaque)
{
	u64 n;

	if (read(fd, &n, sizeof(n)) < 0)
		return -errno;
	loop_stop(loop, 0);
	return 0;
}

/* A VM without KVM: the stop eventfd, the loop and the QMP server. */
static int setup_bare(void **state)
{
	struct fx *f;

	if (setup_common(&f))
		return -1;
	f->vm.stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	f->vm.signal_fd = dup(f->vm.stop_fd);	/* vm_destroy closes both */
	f->vm.done = VM_DONE_FDS;
	if (loop_init(&f->vm.loop))
		return -1;
	f->vm.done |= VM_DONE_LOOP;
	if (loop_add(&f->vm.loop, f->vm.stop_fd, 1 /* EPOLLIN */, on_stop,
		     NULL) || control_init(&f->vm))
		return -1;
	*state = f;
	return 0;
}

/* A VM for the KVM tests: the test runs vm_init ... itself. */
static int setup_kvm(void **state)
{
	struct fx *f;

	if (setup_common(&f))
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	control_close(&f->vm);
	assert_int_equal(access(f->path, F_OK), -1);	/* unlinked */
	vm_destroy(&f->vm);
	rmdir(f->dir);
	free(f);
	return 0;
}

/* One QMP command (JSON text) on a negotiated client; compact reply. */
static char *step(struct fx *f, const char *text)
{
	struct json_object *msg = json_tokener_parse(text), *reply;
	bool neg = true;
	char *s;

	assert_non_null(msg);
	reply = qmp_handle_message(f->vm.qmp, msg, &neg);
	s = strdup(json_object_to_json_string_ext(reply,
			JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(reply);
	json_object_put(msg);
	return s;
}

#define expect_reply(f, text, want) do {			\
	char *_r = step(f, text);				\
	assert_string_equal(_r, want);				\
	free(_r);						\
} while (0)

#define CMD(name)	"{\"execute\":\"" name "\"}"
#define OK		"{\"return\":{}}"
#define GENERIC(d)	"{\"error\":{\"class\":\"GenericError\",\"desc\":\"" d "\"}}"
#define STATUS(run, s)	"{\"return\":{\"running\":" run ",\"singlestep\":false,\"status\":\"" s "\"}}"

static void expect_events(const char *const *want, unsigned int n)
{
	assert_int_equal(nr_events, n);
	for (unsigned int i = 0; i < n; i++)
		assert_string_equal(events[i], want[i]);
}

static void test_state_names(void **state)
{
	assert_string_equal(run_state_name(RUN_PRELAUNCH), "prelaunch");
	assert_string_equal(run_state_name(RUN_RUNNING), "running");
	assert_string_equal(run_state_name(RUN_PAUSED), "paused");
	assert_string_equal(run_state_name(RUN_SHUTDOWN), "shutdown");
	assert_string_equal(run_state_name((enum run_state)9), "unknown");
}

static void test_prelaunch(void **state)
{
	struct fx *f = *state;

	expect_reply(f, CMD("query-status"), STATUS("false", "prelaunch"));
	/* stop outside "running" is a no-op, as in QEMU: no event */
	expect_reply(f, CMD("stop"), OK);
	expect_reply(f, CMD("query-status"), STATUS("false", "prelaunch"));
	assert_int_equal(nr_events, 0);
	assert_false(vm_stopping(&f->vm));
	/* the table is in query-commands */
	char *r = step(f, CMD("query-commands"));

	assert_non_null(strstr(r, "{\"name\":\"sev-inject-launch-secret\"}"));
	assert_non_null(strstr(r, "{\"name\":\"system_powerdown\"}"));
	free(r);
}

/* Without vCPUs vm_start fails: cont reports it and the VM stops. */
static void test_cont_start_fails(void **state)
{
	struct fx *f = *state;

	expect_reply(f, CMD("cont"),
		     GENERIC("start the vCPU threads: Invalid argument"));
	assert_int_equal(atomic_load(&f->vm.stop_reason), VM_STOP_ERROR);
	assert_int_equal(nr_events, 0);		/* no RESUME */
	expect_reply(f, CMD("query-status"), STATUS("false", "shutdown"));
	expect_reply(f, CMD("cont"),
		     GENERIC("Resetting the Virtual Machine is required"));
	expect_reply(f, CMD("stop"), OK);
	control_stopped(&f->vm);
	expect_events((const char *const[]){
		"SHUTDOWN {\"guest\":false,\"reason\":\"host-error\"}" }, 1);
	assert_int_equal(f->vm.run_state, RUN_SHUTDOWN);
}

static void test_quit(void **state)
{
	struct fx *f = *state;

	expect_reply(f, "{\"execute\":\"quit\",\"id\":3}", "{\"return\":{},\"id\":3}");
	assert_int_equal(atomic_load(&f->vm.stop_reason), VM_STOP_QUIT);
	assert_int_equal(nr_events, 0);		/* SHUTDOWN comes after */
	/* vm_run sees the stop request at once and exits 0 */
	assert_int_equal(vm_run(&f->vm), EXIT_OK);
	control_stopped(&f->vm);
	expect_events((const char *const[]){
		"SHUTDOWN {\"guest\":false,\"reason\":\"host-qmp-quit\"}" }, 1);
}

static void test_powerdown(void **state)
{
	struct fx *f = *state;

	expect_reply(f, CMD("system_powerdown"), OK);
	assert_int_equal(atomic_load(&f->vm.stop_reason), VM_STOP_POWEROFF);
	control_stopped(&f->vm);
	expect_events((const char *const[]){
		"POWERDOWN {}",
		"SHUTDOWN {\"guest\":true,\"reason\":\"guest-shutdown\"}" }, 2);
	assert_int_equal(vm_exit_code(VM_STOP_POWEROFF, 0), EXIT_OK);
}

static void test_shutdown_reasons(void **state)
{
	static const struct {
		enum vm_stop_reason reason;
		const char *event;
		int code;
	} t[] = {
		{ VM_STOP_POWEROFF, "{\"guest\":true,\"reason\":\"guest-shutdown\"}", 0 },
		{ VM_STOP_TESTEXIT, "{\"guest\":true,\"reason\":\"guest-shutdown\"}", 0 },
		{ VM_STOP_RESET, "{\"guest\":true,\"reason\":\"guest-reset\"}", 0 },
		{ VM_STOP_SIGNAL, "{\"guest\":false,\"reason\":\"host-signal\"}", 0 },
		{ VM_STOP_QUIT, "{\"guest\":false,\"reason\":\"host-qmp-quit\"}", 0 },
		{ VM_STOP_ERROR, "{\"guest\":false,\"reason\":\"host-error\"}", EXIT_INTERNAL },
		{ VM_STOP_SEV, "{\"guest\":false,\"reason\":\"host-error\"}", EXIT_SEV },
	};
	struct fx *f = *state;
	char want[128];

	for (unsigned int i = 0; i < ARRAY_SIZE(t); i++) {
		nr_events = 0;
		atomic_store(&f->vm.stop_reason, t[i].reason);
		control_stopped(&f->vm);
		snprintf(want, sizeof(want), "SHUTDOWN %s", t[i].event);
		expect_events((const char *const[]){ want }, 1);
		assert_int_equal(vm_exit_code(t[i].reason, 0), t[i].code);
	}
	assert_string_equal(vm_stop_reason_name(VM_STOP_QUIT), "quit");
}

static void test_no_sev(void **state)
{
	struct fx *f = *state;

	expect_reply(f, CMD("query-sev"),
		     GENERIC("SEV feature is not available"));
	expect_reply(f, CMD("query-sev-launch-measure"),
		     GENERIC("SEV launch measurement is not available"));
	expect_reply(f, CMD("query-sev-capabilities"),
		     GENERIC("SEV is not enabled in KVM"));
	expect_reply(f, "{\"execute\":\"sev-inject-launch-secret\",\"arguments\":"
		     "{\"packet-header\":\"AA==\",\"secret\":\"AA==\"}}",
		     GENERIC("SEV not enabled for guest"));
	expect_reply(f, "{\"execute\":\"query-sev-attestation-report\","
		     "\"arguments\":{\"mnonce\":\"AA==\"}}",
		     GENERIC("SEV is not enabled"));
	expect_reply(f, CMD("query-status"), STATUS("false", "prelaunch"));
}

/*
 * query-sev-capabilities without an SEV guest asks the host's kernel PSP
 * (as QEMU does, and as `sevm caps` does): QEMU's error when it has no
 * SEV, the capabilities when it has, the reason when it cannot tell.
 */
static void test_host_sev_capabilities(void **state)
{
	struct fx *f = *state;

	memset(&dbl_host_caps, 0, sizeof(dbl_host_caps));
	expect_reply(f, CMD("query-sev-capabilities"),
		     GENERIC("SEV is not enabled in KVM"));
	dbl_host_caps.supported = true;
	expect_reply(f, CMD("query-sev-capabilities"),
		     "{\"return\":{\"cbitpos\":47,\"reduced-phys-bits\":1}}");
	dbl_host_caps.supported = false;
	dbl_host_caps.err = -EACCES;
	dbl_host_caps.reason = "open /dev/sev failed: Permission denied";
	expect_reply(f, CMD("query-sev-capabilities"),
		     GENERIC("SEV: open /dev/sev failed: Permission denied"));
	assert_int_equal(dbl_host_caps.calls, 3);
	assert_int_equal(dbl_host_caps.freed, 3);
	memset(&dbl_host_caps, 0, sizeof(dbl_host_caps));
}

/* The schema is checked before any handler runs. */
static void test_argument_errors(void **state)
{
	struct fx *f = *state;

	expect_reply(f, "{\"execute\":\"sev-inject-launch-secret\",\"arguments\":"
		     "{\"packet-header\":\"AA==\"}}",
		     GENERIC("Parameter 'secret' is missing"));
	expect_reply(f, "{\"execute\":\"sev-inject-launch-secret\",\"arguments\":"
		     "{\"packet-header\":1,\"secret\":\"AA==\"}}",
		     GENERIC("Invalid parameter type for 'packet-header', expected: string"));
	expect_reply(f, "{\"execute\":\"sev-inject-launch-secret\",\"arguments\":"
		     "{\"packet-header\":\"AA==\",\"secret\":\"AA==\",\"gpa\":\"0x1000\"}}",
		     GENERIC("Invalid parameter type for 'gpa', expected: integer"));
	expect_reply(f, "{\"execute\":\"cont\",\"arguments\":{\"now\":true}}",
		     GENERIC("Parameter 'now' is unexpected"));
	expect_reply(f, "{\"execute\":\"query-status\",\"arguments\":[]}",
		     GENERIC("QMP input member 'arguments' must be an object"));
	expect_reply(f, CMD("query-sevv"),
		     "{\"error\":{\"class\":\"CommandNotFound\",\"desc\":\"The command query-sevv has not been found\"}}");
	assert_false(vm_stopping(&f->vm));
	assert_int_equal(nr_events, 0);
}

/* ---- SEV over the launch double */

static struct fx *sev_fx(void **state, enum sev_launch_state s)
{
	struct fx *f = *state;

	f->sev.info = (struct sev_launch_info) {
		.state = s, .api_major = 0, .api_minor = 24, .build = 15,
		.policy = 0x33, .handle = 1, .asid = 1, .cbitpos = 51,
	};
	f->vm.sev = &f->sev;
	return f;
}

static void test_query_sev(void **state)
{
	struct fx *f = sev_fx(state, SEV_LAUNCH_SECRET);

	expect_reply(f, CMD("query-sev"),
		     "{\"return\":{\"enabled\":true,\"api-major\":0,\"api-minor\":24,"
		     "\"build-id\":15,\"policy\":51,\"state\":\"launch-secret\","
		     "\"handle\":1,\"sev-type\":\"sev\"}}");
	f->sev.info.es = true;
	f->sev.info.policy = 0x37;
	f->sev.info.state = SEV_LAUNCH_UPDATE;
	expect_reply(f, CMD("query-sev"),
		     "{\"return\":{\"enabled\":true,\"api-major\":0,\"api-minor\":24,"
		     "\"build-id\":15,\"policy\":55,\"state\":\"launch-update\","
		     "\"handle\":1,\"sev-type\":\"sev-es\"}}");
	expect_reply(f, CMD("query-sev-capabilities"),
		     "{\"return\":{\"cbitpos\":51}}");
	f->sev.caps_err = -ENOENT;
	expect_reply(f, CMD("query-sev-capabilities"),
		     GENERIC("SEV: query the platform capabilities: No such file or directory"));
}

static void test_measurement(void **state)
{
	struct fx *f = sev_fx(state, SEV_LAUNCH_UPDATE);
	struct json_object *reply, *ret, *data;
	u8 *blob;
	size_t len;
	bool neg = true;

	expect_reply(f, CMD("query-sev-launch-measure"),
		     GENERIC("SEV launch measurement is not available"));
	for (unsigned int i = 0; i < 32; i++)
		f->sev.m.measure[i] = (u8)i;
	memset(f->sev.m.mnonce, 0xee, sizeof(f->sev.m.mnonce));
	f->sev.measured = true;
	f->sev.info.state = SEV_LAUNCH_SECRET;
	reply = json_tokener_parse(CMD("query-sev-launch-measure"));
	ret = qmp_handle_message(f->vm.qmp, reply, &neg);
	json_object_put(reply);
	assert_true(json_object_object_get_ex(ret, "return", &data));
	assert_true(json_object_object_get_ex(data, "data", &data));
	assert_int_equal(base64_decode(json_object_get_string(data), &blob,
				       &len), 0);
	assert_int_equal(len, 48);
	assert_memory_equal(blob, &f->sev.m, 48);
	free(blob);
	json_object_put(ret);
}

#define INJECT(hdr, sec, extra) \
	"{\"execute\":\"sev-inject-launch-secret\",\"arguments\":" \
	"{\"packet-header\":\"" hdr "\",\"secret\":\"" sec "\"" extra "}}"
/* 52 bytes of 0x01 and 4 bytes "ABCD", in base64 */
#define HDR52 "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQ=="
#define SEC4  "QUJDRA=="

static void test_inject_errors(void **state)
{
	struct fx *f = sev_fx(state, SEV_LAUNCH_UPDATE);

	expect_reply(f, INJECT(HDR52, SEC4, ""),
		     GENERIC("SEV: LAUNCH_SECRET is only valid in the launch-secret state (the guest is in launch-update)"));
	f->sev.info.state = SEV_LAUNCH_SECRET;
	expect_reply(f, INJECT("not base64!", SEC4, ""),
		     GENERIC("SEV: Failed to decode sequence header: 'packet-header' is not valid base64"));
	expect_reply(f, INJECT(HDR52, "QUJDR", ""),
		     GENERIC("SEV: Failed to decode data: 'secret' is not valid base64"));
	expect_reply(f, INJECT(HDR52, "", ""),
		     GENERIC("SEV: Failed to decode data: 'secret' is empty"));
	expect_reply(f, INJECT(SEC4, SEC4, ""),
		     GENERIC("SEV: 'packet-header' must decode to 52 bytes, not 4"));
	expect_reply(f, INJECT(HDR52, SEC4, ",\"gpa\":-1"),
		     GENERIC("Parameter 'gpa' expects uint64"));
	assert_int_equal(f->sev.inject_calls, 0);
	/* the firmware refuses: its status named, the VM stays prelaunch */
	f->sev.inject_err = -EIO;
	expect_reply(f, INJECT(HDR52, SEC4, ""),
		     GENERIC("SEV: LAUNCH_SECRET failed: Input/output error (firmware status 0xb BAD_MEASUREMENT)"));
	f->sev.inject_msg = "LAUNCH_SECRET refused: BAD_MEASUREMENT";
	expect_reply(f, INJECT(HDR52, SEC4, ""),
		     GENERIC("LAUNCH_SECRET refused: BAD_MEASUREMENT"));
	assert_int_equal(f->sev.inject_calls, 2);
	expect_reply(f, CMD("query-status"), STATUS("false", "prelaunch"));
	assert_false(vm_stopping(&f->vm));
	assert_int_equal(nr_events, 0);
}

static void test_inject_ok(void **state)
{
	struct fx *f = sev_fx(state, SEV_LAUNCH_SECRET);

	expect_reply(f, INJECT(HDR52, SEC4, ""), OK);
	assert_int_equal(f->sev.hdr_len, 52);
	assert_int_equal(f->sev.hdr[51], 1);
	assert_int_equal(f->sev.secret_len, 4);
	assert_memory_equal(f->sev.secret, "ABCD", 4);
	assert_false(f->sev.gpa_set);
	expect_reply(f, INJECT(HDR52, SEC4, ",\"gpa\":40960"), OK);
	assert_true(f->sev.gpa_set);
	assert_int_equal(f->sev.gpa, 0xa000);
	assert_int_equal(f->sev.inject_calls, 2);
	assert_int_equal(f->sev.finish_calls, 0);
}

#define ATTEST(nonce) \
	"{\"execute\":\"query-sev-attestation-report\",\"arguments\":" \
	"{\"mnonce\":\"" nonce "\"}}"
#define NONCE16 "AAECAwQFBgcICQoLDA0ODw=="	/* bytes 0..15 */

/* QEMU's errors; the report comes back as {"data": base64}. */
static void test_attestation(void **state)
{
	struct fx *f = sev_fx(state, SEV_LAUNCH_SECRET);
	struct json_object *msg, *ret, *data;
	bool neg = true;
	size_t len;
	u8 *rep;

	expect_reply(f, ATTEST("%%%"),
		     GENERIC("SEV: failed to decode mnonce input"));
	expect_reply(f, ATTEST(SEC4),
		     GENERIC("SEV: mnonce must be 16 bytes (got 4)"));
	assert_int_equal(f->sev.attest_calls, 0);
	f->sev.attest_err = -EIO;
	f->sev.attest_msg = "SEV: Failed to get attestation report ret=-1 fw_err=2 (Guest state is invalid): Input/output error";
	expect_reply(f, ATTEST(NONCE16), GENERIC("SEV: Failed to get attestation report ret=-1 fw_err=2 (Guest state is invalid): Input/output error"));
	f->sev.attest_err = 0;
	msg = json_tokener_parse(ATTEST(NONCE16));
	ret = qmp_handle_message(f->vm.qmp, msg, &neg);
	json_object_put(msg);
	assert_true(json_object_object_get_ex(ret, "return", &data));
	assert_true(json_object_object_get_ex(data, "data", &data));
	assert_int_equal(base64_decode(json_object_get_string(data), &rep,
				       &len), 0);
	assert_int_equal(len, 208);
	for (unsigned int i = 0; i < 16; i++)
		assert_int_equal(rep[i], i);
	assert_int_equal(rep[207], 0xab);
	free(rep);
	json_object_put(ret);
	assert_int_equal(f->sev.attest_calls, 2);
}

/* LAUNCH_FINISH refused: error with the status, no vCPU, exit EXIT_SEV. */
static void test_cont_finish_fails(void **state)
{
	struct fx *f = sev_fx(state, SEV_LAUNCH_SECRET);

	f->sev.finish_err = -EIO;
	expect_reply(f, CMD("cont"),
		     GENERIC("SEV: LAUNCH_FINISH failed: Input/output error (firmware status 0xb BAD_MEASUREMENT)"));
	assert_int_equal(f->sev.finish_calls, 1);
	assert_int_equal(atomic_load(&f->vm.stop_reason), VM_STOP_SEV);
	assert_int_equal(nr_events, 0);
	assert_int_equal(vm_run(&f->vm), EXIT_SEV);
	control_stopped(&f->vm);
	expect_events((const char *const[]){
		"SHUTDOWN {\"guest\":false,\"reason\":\"host-error\"}" }, 1);
}

/* LAUNCH_FINISH runs once, on the first cont, before the vCPUs start. */
static void test_cont_finish_then_start(void **state)
{
	struct fx *f = sev_fx(state, SEV_LAUNCH_SECRET);
	char err[128];

	/* no vCPUs here: FINISH passes, then vm_start fails */
	expect_reply(f, CMD("cont"),
		     GENERIC("start the vCPU threads: Invalid argument"));
	assert_int_equal(f->sev.finish_calls, 1);
	assert_int_equal(f->sev.info.state, SEV_LAUNCH_RUNNING);
	assert_int_equal(atomic_load(&f->vm.stop_reason), VM_STOP_ERROR);
	f->vm.run_state = RUN_RUNNING;
	assert_int_equal(control_start(&f->vm, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "start the VM: it is running, not prelaunch");
	assert_int_equal(f->sev.finish_calls, 1);
}

/* ---- real vCPU threads on /dev/kvm */

static bool have_kvm(void)
{
	return test_have_kvm();
}

static void boot(struct fx *f, const u8 *code, size_t len)
{
	dbl.code = code;
	dbl.code_len = len;
	assert_int_equal(vm_init(&f->vm, &f->cfg), 0);
	assert_int_equal(vm_init_devices(&f->vm), 0);
	assert_int_equal(vm_load(&f->vm), 0);
	assert_int_equal(vm_setup_vcpus(&f->vm), 0);
	assert_int_equal(control_init(&f->vm), 0);
}

/* Wait (bounded, not a timing assertion) until the guest wrote more. */
static bool guest_progresses(unsigned long from)
{
	for (int i = 0; i < 20000; i++) {
		if (atomic_load(&dbl.port_writes) > from)
			return true;
		usleep(1000);
	}
	return false;
}

static u32 parked(struct vm *vm)
{
	u32 n;

	pthread_mutex_lock(&vm->pause_lock);
	n = vm->nr_parked;
	pthread_mutex_unlock(&vm->pause_lock);
	return n;
}

static void test_pause_resume_spinning(void **state)
{
	static const u8 loop[] = {
		0xe6, DBL_PORT,		/* 1: out 0xf0, al */
		0xeb, 0xfc,		/* jmp 1b */
	};
	struct fx *f = *state;
	unsigned long n;

	if (!have_kvm())
		skip();
	f->cfg.cpus = 2;		/* vCPU 1 waits for SIPI in KVM_RUN */
	boot(f, loop, sizeof(loop));
	assert_false(f->vm.vcpus[0].started);	/* --paused: prelaunch */
	expect_reply(f, CMD("query-status"), STATUS("false", "prelaunch"));
	expect_reply(f, CMD("cont"), OK);
	assert_true(f->vm.vcpus[0].started);
	expect_reply(f, CMD("query-status"), STATUS("true", "running"));
	expect_reply(f, CMD("cont"), OK);	/* running: {} and no event */
	assert_true(guest_progresses(0));

	expect_reply(f, CMD("stop"), OK);
	assert_int_equal(parked(&f->vm), 2);	/* both out of KVM_RUN */
	n = atomic_load(&dbl.port_writes);
	expect_reply(f, CMD("query-status"), STATUS("false", "paused"));
	expect_reply(f, CMD("stop"), OK);	/* paused: no-op */
	assert_int_equal(atomic_load(&dbl.port_writes), n);

	expect_reply(f, CMD("cont"), OK);
	assert_true(guest_progresses(n));
	expect_reply(f, CMD("stop"), OK);
	/* a stop request ends a paused VM */
	vm_request_stop(&f->vm, VM_STOP_SIGNAL, 15);
	assert_int_equal(vm_run(&f->vm), EXIT_OK);
	assert_false(f->vm.vcpus[0].started);	/* joined */
	assert_false(f->vm.vcpus[1].started);
	control_stopped(&f->vm);
	expect_events((const char *const[]){
		"RESUME {}", "STOP {}", "RESUME {}", "STOP {}",
		"SHUTDOWN {\"guest\":false,\"reason\":\"host-signal\"}" }, 5);
}

/* A vCPU halted with interrupts off sleeps in KVM_RUN: the kick parks it. */
static void test_pause_halted(void **state)
{
	static const u8 halt[] = {
		0xe6, DBL_PORT,		/* out 0xf0, al */
		0xfa,			/* cli */
		0xf4,			/* 1: hlt */
		0xeb, 0xfd,		/* jmp 1b */
	};
	struct fx *f = *state;

	if (!have_kvm())
		skip();
	boot(f, halt, sizeof(halt));
	expect_reply(f, CMD("cont"), OK);
	assert_true(guest_progresses(0));
	expect_reply(f, CMD("stop"), OK);
	assert_int_equal(parked(&f->vm), 1);
	expect_reply(f, CMD("cont"), OK);
	expect_reply(f, CMD("quit"), OK);
	assert_int_equal(vm_run(&f->vm), EXIT_OK);
	control_stopped(&f->vm);
	expect_events((const char *const[]){
		"RESUME {}", "STOP {}", "RESUME {}",
		"SHUTDOWN {\"guest\":false,\"reason\":\"host-qmp-quit\"}" }, 4);
}

/* The guest resets itself (a triple fault) after cont: guest-reset. */
static void test_guest_reset_event(void **state)
{
	static const u8 code[] = { 0x0f, 0x0b };	/* ud2, no IDT */
	struct fx *f = *state;

	if (!have_kvm())
		skip();
	boot(f, code, sizeof(code));
	expect_reply(f, CMD("cont"), OK);
	assert_int_equal(vm_run(&f->vm), EXIT_OK);
	control_stopped(&f->vm);
	expect_events((const char *const[]){ "RESUME {}",
		"SHUTDOWN {\"guest\":true,\"reason\":\"guest-reset\"}" }, 2);
}

int main(void)
{
#define B(t) cmocka_unit_test_setup_teardown(t, setup_bare, teardown)
#define K(t) cmocka_unit_test_setup_teardown(t, setup_kvm, teardown)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_state_names),
		B(test_prelaunch),
		B(test_cont_start_fails),
		B(test_quit),
		B(test_powerdown),
		B(test_shutdown_reasons),
		B(test_no_sev),
		B(test_host_sev_capabilities),
		B(test_argument_errors),
		B(test_query_sev),
		B(test_measurement),
		B(test_inject_errors),
		B(test_inject_ok),
		B(test_attestation),
		B(test_cont_finish_fails),
		B(test_cont_finish_then_start),
		K(test_pause_resume_spinning),
		K(test_pause_halted),
		K(test_guest_reset_event),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
