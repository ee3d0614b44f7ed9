// SPDX-License-Identifier: GPL-2.0-only
/*
 * The SEV launch module over the kernel PSP backend, through the
 * open/close/ioctl seam (psp-seam.h): the order of the kernel calls
 * (PLATFORM_STATUS, KVM_SEV_INIT, LAUNCH_START, REG_REGION,
 * LAUNCH_UPDATE_DATA, LAUNCH_MEASURE, LAUNCH_FINISH), their arguments,
 * SEV-ES, and the host errors that must stop a launch. The kernel's
 * answers are scripted after sev-protocol.md 1, not recorded on hardware.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "vmm/launch.h"
#include "tests/unit/boot-test.h"
#include "tests/unit/psp-seam.h"
#include "tests/unit/sev-testlib.h"
#include "vmm/vm.h"

#define RAM_SIZE	(4ULL << 20)
#define FW_SIZE		(64 * 1024)

struct kt {
	struct vm_config cfg;
	struct vm vm;
	struct test_fw fw;
	struct sev_launch *l;
};

static char fw_name[] = "fw.fd";

static void cpuid_sev(u32 leaf, u32 *a, u32 *b, u32 *c, u32 *d)
{
	*a = *b = *c = *d = 0;
	if (leaf == 0x80000000)
		*a = 0x80000021;
	if (leaf == 0x8000001f) {
		*a = 0x2 | 0x8;			/* SEV, SEV-ES */
		*b = 51 | (1 << 6);		/* C-bit 51, 1 bit lost */
		*c = 509;
		*d = 100;
	}
}

static void cpuid_no_sev(u32 leaf, u32 *a, u32 *b, u32 *c, u32 *d)
{
	*a = *b = *c = *d = 0;
	if (leaf == 0x80000000)
		*a = 0x80000008;
}

static void fill_status(void *data, u8 state, u32 flags)
{
	struct sev_user_data_status *s = data;

	s->api_major = 1;
	s->api_minor = 51;
	s->build = 3;
	s->state = state;
	s->flags = flags;
}

static void fill_status_init(void *data)
{
	fill_status(data, SEV_PSTATE_INIT, 0);
}

static void fill_status_init_es(void *data)
{
	fill_status(data, SEV_PSTATE_INIT, SEV_STATUS_FLAGS_CONFIG_ES);
}

static void fill_handle(void *data)
{
	((struct kvm_sev_launch_start *)data)->handle = 7;
}

static void fill_gs(void *data, u32 state)
{
	struct kvm_sev_guest_status *st = data;

	st->handle = 7;
	st->policy = 0x33;
	st->state = state;
}

static void fill_lupdate(void *data)
{
	fill_gs(data, SEV_GSTATE_LUPDATE);
}

static void fill_lsecret(void *data)
{
	fill_gs(data, SEV_GSTATE_LSECRET);
}

static void fill_running(void *data)
{
	fill_gs(data, SEV_GSTATE_RUNNING);
}

static void fill_measure_len(void *data)
{
	((struct kvm_sev_launch_measure *)data)->len = 48;
}

static void fill_measure(void *data)
{
	struct kvm_sev_launch_measure *lm = data;

	memset((void *)(uintptr_t)lm->uaddr, 0xab, 48);
}

static struct kt *kt_new(bool es)
{
	struct kt *t = calloc(1, sizeof(*t));

	assert_non_null(t);
	seam_reset();
	sev_set_cpuid_fn(cpuid_sev);
	t->cfg.mem_size = RAM_SIZE;
	t->cfg.cpus = 1;
	t->cfg.firmware = fw_name;
	t->cfg.sev.enabled = true;
	t->cfg.sev.es = es;
	t->cfg.sev.policy = es ? 0x37 : 0x33;
	t->cfg.sev.cbitpos = -1;
	t->cfg.sev.reduced_phys_bits = -1;
	t->cfg.sev.psp = PSP_KERNEL;
	t->cfg.sev.kernel_hashes = TRI_AUTO;
	test_fw_begin(&t->fw, FW_SIZE);
	test_fw_finish(&t->fw, 0);
	t->vm.cfg = &t->cfg;
	t->vm.kvm.vm_fd = VM_FD;
	assert_int_equal(mem_alloc(&t->vm.mem, RAM_SIZE, false), 0);
	t->vm.images.firmware = t->fw.b;
	assert_int_equal(fw_load(&t->vm.mem, &t->fw.b, &t->vm.fw), 0);
	return t;
}

static void kt_free(struct kt *t)
{
	sev_launch_close(t->l);
	mem_free(&t->vm.mem);
	test_blob_free(&t->fw.b);
	free(t->vm.vcpus);
	sev_set_cpuid_fn(NULL);
	assert_int_equal(ncalls, nanswers);	/* every answer was used */
	free(t);
}

/* The kernel's answers for open ... measure, from call 0 on. */
static void script_launch(bool es)
{
	answer(0, 0, 0, es ? fill_status_init_es : fill_status_init);
	answer(1, 0, KEEP_FW, NULL);	/* KVM_CAP_VM_TYPES: default only */
	answer(0, 0, 0, NULL);		/* KVM_SEV_INIT / KVM_SEV_ES_INIT */
	answer(0, 0, 0, fill_handle);
	answer(0, 0, 0, fill_lupdate);
	answer(0, 0, KEEP_FW, NULL);	/* REG_REGION: RAM */
	answer(0, 0, KEEP_FW, NULL);	/* REG_REGION: ROM */
	answer(0, 0, 0, NULL);		/* LAUNCH_UPDATE_DATA */
	if (es)
		answer(0, 0, 0, NULL);	/* LAUNCH_UPDATE_VMSA */
	answer(-1, EIO, SEV_RET_INVALID_LEN, fill_measure_len);
	answer(0, 0, 0, fill_measure);
	answer(0, 0, 0, fill_lsecret);
}

static void assert_region(int i, const void *addr, u64 size)
{
	struct kvm_enc_region reg;

	assert_int_equal(calls[i].fd, VM_FD);
	assert_int_equal(calls[i].req, KVM_MEMORY_ENCRYPT_REG_REGION);
	memcpy(&reg, calls[i].arg, sizeof(reg));
	assert_int_equal(reg.addr, (u64)(uintptr_t)addr);
	assert_int_equal(reg.size, size);
}

static void assert_launch_calls(struct kt *t, bool es)
{
	struct kvm_sev_launch_update_data ud;
	struct kvm_sev_launch_start ls;
	int i = 0;

	assert_int_equal(call_issue(i++).cmd, SEV_PLATFORM_STATUS);
	assert_int_equal(calls[i].fd, KVM_FD);
	assert_int_equal(calls[i++].req, KVM_CHECK_EXTENSION);
	assert_int_equal(call_cmd(i).id, es ? KVM_SEV_ES_INIT : KVM_SEV_INIT);
	assert_int_equal(call_cmd(i++).data, 0);
	assert_int_equal(call_cmd(i).id, KVM_SEV_LAUNCH_START);
	assert_int_equal(call_cmd(i).sev_fd, SEV_FD);
	memcpy(&ls, calls[i++].data, sizeof(ls));
	assert_int_equal(ls.policy, t->cfg.sev.policy);
	assert_int_equal(ls.dh_uaddr, 0);	/* no owner session given */
	assert_int_equal(ls.session_uaddr, 0);
	assert_int_equal(call_cmd(i++).id, KVM_SEV_GUEST_STATUS);
	assert_region(i++, t->vm.mem.ram, RAM_SIZE);
	assert_region(i++, t->vm.mem.regions[1].hva, FW_SIZE);
	assert_int_equal(call_cmd(i).id, KVM_SEV_LAUNCH_UPDATE_DATA);
	memcpy(&ud, calls[i++].data, sizeof(ud));
	assert_int_equal(ud.uaddr, (u64)(uintptr_t)t->vm.mem.regions[1].hva);
	assert_int_equal(ud.len, FW_SIZE);
	if (es) {
		assert_int_equal(call_cmd(i).id, KVM_SEV_LAUNCH_UPDATE_VMSA);
		assert_int_equal(call_cmd(i++).data, 0);
	}
	assert_int_equal(call_cmd(i++).id, KVM_SEV_LAUNCH_MEASURE);
	assert_int_equal(call_cmd(i++).id, KVM_SEV_LAUNCH_MEASURE);
	assert_int_equal(call_cmd(i++).id, KVM_SEV_GUEST_STATUS);
	assert_int_equal(ncalls, i);
}

/* INIT, LAUNCH_START, REG_REGION, UPDATE_DATA, MEASURE, FINISH: in order. */
static void test_kernel_order(void **state)
{
	struct kt *t = kt_new(false);
	struct sev_launch_info info;
	struct sev_measurement m;
	u8 blob[48];

	script_launch(false);
	assert_int_equal(sev_launch_open(&t->l, &t->cfg, RAM_SIZE), 0);
	assert_int_equal(open_path[0], '/');
	assert_int_equal(sev_launch_vm_type(t->l), 0);
	assert_int_equal(sev_launch_start(t->l, &t->vm), 0);
	assert_int_equal(sev_launch_measure(t->l, &t->vm), 0);
	assert_launch_calls(t, false);
	assert_int_equal(sev_launch_get_measurement(t->l, &m), 0);
	memset(blob, 0xab, sizeof(blob));
	assert_memory_equal(&m, blob, sizeof(blob));
	sev_launch_get_info(t->l, &info);
	assert_int_equal(info.api_minor, 51);
	assert_int_equal(info.build, 3);
	assert_int_equal(info.handle, 7);
	assert_int_equal(info.asid, 0);		/* KVM does not report it */
	assert_int_equal(info.cbitpos, 51);
	assert_int_equal(info.reduced_phys_bits, 1);

	answer(0, 0, 0, fill_lsecret);
	answer(0, 0, 0, NULL);			/* LAUNCH_FINISH */
	answer(0, 0, 0, fill_running);
	assert_int_equal(sev_launch_finish(t->l, &t->vm), 0);
	assert_int_equal(call_cmd(ncalls - 2).id, KVM_SEV_LAUNCH_FINISH);
	sev_launch_close(t->l);
	t->l = NULL;
	assert_int_equal(nclosed, 2);		/* /dev/sev and /dev/kvm */
	assert_int_equal(closed[0] + closed[1], SEV_FD + KVM_FD);
	kt_free(t);
}

/* SEV-ES: legacy KVM_SEV_ES_INIT, then KVM builds the VMSA itself. */
static void test_kernel_es(void **state)
{
	struct kt *t = kt_new(true);

	t->vm.nr_vcpus = 1;
	t->vm.vcpus = calloc(1, sizeof(*t->vm.vcpus));
	script_launch(true);
	assert_int_equal(sev_launch_open(&t->l, &t->cfg, RAM_SIZE), 0);
	assert_int_equal(sev_launch_vm_type(t->l), 0);
	assert_int_equal(sev_launch_start(t->l, &t->vm), 0);
	assert_int_equal(sev_launch_measure(t->l, &t->vm), 0);
	assert_launch_calls(t, true);
	kt_free(t);
}

static void test_kernel_policy_refused(void **state)
{
	struct kt *t = kt_new(false);
	const char *log;

	answer(0, 0, 0, fill_status_init);
	answer(1, 0, KEEP_FW, NULL);
	answer(0, 0, 0, NULL);
	answer(-1, EIO, SEV_RET_POLICY_FAILURE, NULL);
	assert_int_equal(sev_launch_open(&t->l, &t->cfg, RAM_SIZE), 0);
	capture_start();
	assert_int_equal(sev_launch_start(t->l, &t->vm), -EIO);
	log = capture_end();
	assert_int_equal(count_lines(log), 1);
	assert_non_null(strstr(log, "(firmware status 0x7 POLICY_FAILURE)"));
	assert_int_equal(sev_launch_last_fw_err(t->l), SEV_RET_POLICY_FAILURE);
	kt_free(t);
}

/* No free ASID: KVM_SEV_INIT fails before the firmware (a host error). */
static void test_kernel_no_asid(void **state)
{
	struct kt *t = kt_new(false);
	const char *log;

	answer(0, 0, 0, fill_status_init);
	answer(1, 0, KEEP_FW, NULL);
	answer(-1, EBUSY, KEEP_FW, NULL);
	assert_int_equal(sev_launch_open(&t->l, &t->cfg, RAM_SIZE), 0);
	capture_start();
	assert_int_equal(sev_launch_start(t->l, &t->vm), -EBUSY);
	log = capture_end();
	assert_int_equal(count_lines(log), 1);
	assert_non_null(strstr(log, "SEV guest init failed: Device or resource busy"));
	assert_int_equal(sev_launch_last_fw_err(t->l), 0);
	kt_free(t);
}

static void open_fails(struct kt *t, int want, const char *needle)
{
	const char *log;

	capture_start();
	assert_int_equal(sev_launch_open(&t->l, &t->cfg, RAM_SIZE), want);
	log = capture_end();
	assert_null(t->l);
	if (count_lines(log) != 1 || !strstr(log, needle))
		print_error("want one line with \"%s\", got:\n%s", needle, log);
	assert_int_equal(count_lines(log), 1);
	assert_non_null(strstr(log, needle));
}

static void test_kernel_host_checks(void **state)
{
	struct kt *t = kt_new(false);

	open_sev_ret = -ENOENT;
	open_fails(t, -ENOENT, "sevm psp init --psp emulated:DIR");
	open_sev_ret = SEV_FD;
	sev_set_cpuid_fn(cpuid_no_sev);
	answer(0, 0, 0, fill_status_init);
	open_fails(t, -ENODEV, "this host has no SEV");
	sev_set_cpuid_fn(cpuid_sev);
	t->cfg.sev.cbitpos = 47;
	answer(0, 0, 0, fill_status_init);
	open_fails(t, -EINVAL, "cbitpos check failed, host '51' requested '47'");
	t->cfg.sev.cbitpos = -1;
	t->cfg.sev.es = true;
	t->cfg.sev.policy = 0x37;
	answer(0, 0, 0, fill_status_init);	/* INIT without CONFIG.ES */
	open_fails(t, -EOPNOTSUPP, "initialised without SEV-ES");
	answer(-1, EIO, SEV_RET_HWSEV_RET_PLATFORM, NULL);
	open_fails(t, -EIO, "SEV_PLATFORM_STATUS failed");
	kt_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kernel_order),
		cmocka_unit_test(test_kernel_es),
		cmocka_unit_test(test_kernel_policy_refused),
		cmocka_unit_test(test_kernel_no_asid),
		cmocka_unit_test(test_kernel_host_checks),
	};

	log_init("test_launch_kernel");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
