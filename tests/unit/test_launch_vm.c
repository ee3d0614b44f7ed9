// SPDX-License-Identifier: GPL-2.0-only
/*
 * The SEV launch on a real KVM VM, in main's order: the boot images read
 * and checked, sev_launch_open, the VM created with sev_launch_vm_type,
 * LAUNCH_START, devices, images and vCPUs, the measurement, a secret,
 * LAUNCH_FINISH, tear-down. Uses the emulated PSP (no SEV hardware here)
 * and $SEVM_BUILD/firmware/sevm-fw.bin when it exists, else a 64 KiB test
 * firmware. Skips without /dev/kvm. The guest is not run.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "tests/unit/kvm-avail.h"

#include "sev/vmsa.h"
#include "tests/unit/test_launch_lib.h"

#define VM_RAM		(64ULL << 20)

static char real_fw[LT_PATH_MAX];

static bool use_real_firmware(struct lt *t)
{
	const char *build = getenv("SEVM_BUILD");

	if (!build || !*build)
		return false;
	snprintf(real_fw, sizeof(real_fw), "%s/firmware/sevm-fw.bin", build);
	if (access(real_fw, R_OK))
		return false;
	t->cfg.firmware = real_fw;
	return true;
}

/* main's order up to the measurement; skip() if the host cannot. */
static void vm_launch(struct lt *t)
{
	int r;

	t->cfg.mem_size = VM_RAM;
	t->cfg.serial = SERIAL_NONE;
	assert_int_equal(boot_read_images(&t->vm.images, t->cfg.firmware,
					  NULL, NULL, NULL), 0);
	assert_int_equal(boot_check(&t->vm.images, &t->vm.fw), 0);
	r = sev_launch_open(&t->l, &t->cfg, VM_RAM);
	if (r == -ENOMEM)
		skip();		/* RLIMIT_MEMLOCK below 64 MiB, no CAP_IPC_LOCK */
	assert_int_equal(r, 0);
	t->vm.vm_type = sev_launch_vm_type(t->l);
	assert_int_equal(vm_init(&t->vm, &t->cfg), 0);
	assert_int_equal(sev_launch_start(t->l, &t->vm), 0);
	assert_int_equal(vm_init_devices(&t->vm), 0);
	assert_int_equal(vm_load(&t->vm), 0);
	assert_int_equal(vm_setup_vcpus(&t->vm), 0);
	assert_int_equal(sev_launch_measure(t->l, &t->vm), 0);
	assert_true(t->vm.mem.locked);
}

static void vm_done(struct lt *t)
{
	sev_launch_close(t->l);
	t->l = NULL;
	vm_destroy(&t->vm);
	boot_free_images(&t->vm.images);
	assert_int_equal(lt_guest_count(t->dir), 0);
	lt_free(t);
}

static void expected(struct lt *t, const struct sev_measurement *m,
		     u8 want[32])
{
	const struct blob *fw = &t->vm.images.firmware;
	static u8 pages[2 * SEV_VMSA_SIZE];
	u32 nr = t->cfg.sev.es ? t->vm.nr_vcpus : 0;

	for (u32 i = 0; i < nr; i++)
		assert_int_equal(sev_vmsa_build(pages + i * SEV_VMSA_SIZE,
						!i, LT_ES_RESET,
						cpuid_signature(t->vm.kvm.cpuid),
						false), 0);
	/* the ROM bytes are the file's */
	test_blob_free(&t->fw.b);
	t->fw.b = test_blob_alloc(fw->path, fw->size);
	memcpy(t->fw.b.data, fw->data, fw->size);
	lt_expected(t, false, pages, nr, m->mnonce, want);
}

static void run_launch(bool es, u32 cpus)
{
	struct lt *t = lt_new(NULL, es);
	struct sev_secret_header hdr;
	struct sev_measurement m;
	u8 want[32], plain[64], ct[64];
	char err[256];

	if (!test_have_kvm())
		skip();
	lt_firmware(t, LT_FW_ALL);
	if (es || !use_real_firmware(t))
		t->cfg.firmware = t->fw_path;
	t->cfg.cpus = cpus;
	lt_owner(t);
	vm_launch(t);
	assert_int_equal(sev_launch_get_measurement(t->l, &m), 0);
	expected(t, &m, want);
	assert_memory_equal(m.measure, want, 32);

	test_pattern(plain, sizeof(plain), 0x77);
	lt_seal(t, plain, sizeof(plain), &hdr, ct);
	assert_int_equal(sev_launch_inject_secret(t->l, &t->vm, (u8 *)&hdr,
						  sizeof(hdr), ct, sizeof(ct),
						  false, 0, err, sizeof(err)),
			 0);
	assert_memory_equal(mem_gpa_to_hva(&t->vm.mem, t->vm.fw.secret_base,
					   sizeof(plain)), plain,
			    sizeof(plain));
	assert_int_equal(sev_launch_finish(t->l, &t->vm), 0);
	vm_done(t);
}

static void test_vm_sev(void **state)
{
	run_launch(false, 1);
}

static void test_vm_sev_es(void **state)
{
	run_launch(true, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vm_sev),
		cmocka_unit_test(test_vm_sev_es),
	};

	log_init("test_launch_vm");
	log_set_level(LOG_INFO);
	return cmocka_run_group_tests(tests, emul_master_setup,
				      emul_master_teardown);
}
