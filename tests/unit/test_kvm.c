// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of vmm/kvm.c against a scripted kernel: ioctl() is wrapped
 * (-Wl,--wrap=ioctl) by a small fake KVM whose answers each test sets,
 * and the "device" is /dev/null. Covers the missing device, a wrong API
 * version, each missing capability named in the error, the supported
 * CPUID buffer growing on E2BIG, VM creation and its failure paths.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "vmm/kvm.h"
#include "lib/log.h"

static struct {
	int errors;
	char last[512];
} logs;

void __wrap_pr_log(enum log_level level, const char *fmt, ...) __printf(2, 3);
void __wrap_pr_log(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(logs.last, sizeof(logs.last), fmt, ap);
	va_end(ap);
	if (level == LOG_ERR)
		logs.errors++;
}

/* ---- The fake kernel */
static struct {
	int api;			/* KVM_GET_API_VERSION */
	long missing_cap;		/* KVM_CHECK_EXTENSION answers 0 */
	int cap_fd;			/* fd of the last CHECK_EXTENSION */
	int mmap_size;
	u32 cpuid_nent;			/* entries the kernel has */
	int cpuid_calls;
	unsigned long fail_req;		/* this request fails ... */
	int fail_errno;			/* ... with this errno */
	u64 ident_addr;
	unsigned long tss_addr;
	u32 pit_flags;
	int irqchip;
	unsigned long vm_type;
	struct kvm_userspace_memory_region region;
} fake;

int __wrap_ioctl(int fd, unsigned long req, ...);

static int fake_cpuid(struct kvm_cpuid2 *c)
{
	u32 i;

	fake.cpuid_calls++;
	if (c->nent < fake.cpuid_nent) {
		errno = E2BIG;
		return -1;
	}
	c->nent = fake.cpuid_nent;
	for (i = 0; i < c->nent; i++)
		c->entries[i] = (struct kvm_cpuid_entry2) { .function = i };
	return 0;
}

static int fake_vm_ioctl(unsigned long req, unsigned long arg)
{
	switch (req) {
	case KVM_SET_IDENTITY_MAP_ADDR:
		fake.ident_addr = *(u64 *)arg;
		return 0;
	case KVM_SET_TSS_ADDR:
		fake.tss_addr = arg;
		return 0;
	case KVM_CREATE_IRQCHIP:
		fake.irqchip++;
		return 0;
	case KVM_CREATE_PIT2:
		fake.pit_flags = ((struct kvm_pit_config *)arg)->flags;
		return 0;
	case KVM_SET_USER_MEMORY_REGION:
		fake.region = *(struct kvm_userspace_memory_region *)arg;
		return 0;
	}
	fail_msg("unexpected ioctl 0x%lx", req);
	return -1;
}

int __wrap_ioctl(int fd, unsigned long req, ...)
{
	unsigned long arg;
	va_list ap;

	va_start(ap, req);
	arg = va_arg(ap, unsigned long);
	va_end(ap);
	if (req == fake.fail_req) {
		errno = fake.fail_errno;
		return -1;
	}
	switch (req) {
	case KVM_GET_API_VERSION:
		return fake.api;
	case KVM_CHECK_EXTENSION:
		fake.cap_fd = fd;
		return (long)arg == fake.missing_cap ? 0 : 1;
	case KVM_GET_VCPU_MMAP_SIZE:
		return fake.mmap_size;
	case KVM_GET_SUPPORTED_CPUID:
		return fake_cpuid((struct kvm_cpuid2 *)arg);
	case KVM_CREATE_VM:
		fake.vm_type = arg;
		return open("/dev/null", O_RDWR | O_CLOEXEC);
	}
	return fake_vm_ioctl(req, arg);
}

static int setup(void **state)
{
	memset(&logs, 0, sizeof(logs));
	memset(&fake, 0, sizeof(fake));
	fake.api = 12;
	fake.missing_cap = -1;
	fake.mmap_size = 3 * 4096;
	fake.cpuid_nent = 40;
	return 0;
}

static void test_no_device(void **state)
{
	struct kvm kvm;

	assert_int_equal(kvm_open(&kvm, "/nonexistent/kvm"), -ENOENT);
	assert_int_equal(logs.errors, 1);
	assert_non_null(strstr(logs.last, "/nonexistent/kvm"));
	assert_non_null(strstr(logs.last, strerror(ENOENT)));
	assert_int_equal(kvm.sys_fd, -1);
}

static void test_wrong_api(void **state)
{
	struct kvm kvm;

	fake.api = 11;
	assert_int_equal(kvm_open(&kvm, "/dev/null"), -ENOTSUP);
	assert_non_null(strstr(logs.last, "version 11, need 12"));
	assert_int_equal(kvm.sys_fd, -1);
	assert_null(kvm.cpuid);
}

static const struct {
	long cap;
	const char *name;
} caps[] = {
	{ KVM_CAP_IRQCHIP, "KVM_CAP_IRQCHIP" },
	{ KVM_CAP_PIT2, "KVM_CAP_PIT2" },
	{ KVM_CAP_USER_MEMORY, "KVM_CAP_USER_MEMORY" },
	{ KVM_CAP_SET_TSS_ADDR, "KVM_CAP_SET_TSS_ADDR" },
	{ KVM_CAP_SET_IDENTITY_MAP_ADDR, "KVM_CAP_SET_IDENTITY_MAP_ADDR" },
	{ KVM_CAP_EXT_CPUID, "KVM_CAP_EXT_CPUID" },
	{ KVM_CAP_IMMEDIATE_EXIT, "KVM_CAP_IMMEDIATE_EXIT" },
	{ KVM_CAP_READONLY_MEM, "KVM_CAP_READONLY_MEM" },
	{ KVM_CAP_MP_STATE, "KVM_CAP_MP_STATE" },
};

static void test_each_missing_cap(void **state)
{
	char want[128];
	struct kvm kvm;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(caps); i++) {
		fake.missing_cap = caps[i].cap;
		logs.errors = 0;
		assert_int_equal(kvm_open(&kvm, "/dev/null"), -ENOTSUP);
		snprintf(want, sizeof(want),
			 "KVM lacks required capability %s", caps[i].name);
		assert_int_equal(logs.errors, 1);
		assert_string_equal(logs.last, want);
		assert_int_equal(kvm.sys_fd, -1);
	}
}

static void test_open_ok(void **state)
{
	struct kvm kvm;

	fake.cpuid_nent = 300;		/* 128 and 256 are too small */
	assert_int_equal(kvm_open(&kvm, "/dev/null"), 0);
	assert_int_equal(logs.errors, 0);
	assert_true(kvm.sys_fd > 2);
	assert_int_equal(kvm.vm_fd, -1);
	assert_int_equal(kvm.vcpu_mmap_size, 3 * 4096);
	assert_int_equal(fake.cpuid_calls, 3);
	assert_non_null(kvm.cpuid);
	assert_int_equal(kvm.cpuid->nent, 300);
	assert_int_equal(kvm.cpuid->entries[299].function, 299);
	assert_int_equal(kvm_check_extension(&kvm, KVM_CAP_PIT2), 1);
	assert_int_equal(fake.cap_fd, kvm.sys_fd);
	kvm_close(&kvm);
	assert_int_equal(kvm.sys_fd, -1);
	assert_null(kvm.cpuid);
}

static void test_cpuid_error(void **state)
{
	struct kvm kvm;

	fake.fail_req = KVM_GET_SUPPORTED_CPUID;
	fake.fail_errno = ENOMEM;
	assert_int_equal(kvm_open(&kvm, "/dev/null"), -ENOMEM);
	assert_non_null(strstr(logs.last, "KVM_GET_SUPPORTED_CPUID"));
	fake.fail_req = 0;
	fake.cpuid_nent = 5000;		/* more than the 4096 cap */
	assert_int_equal(kvm_open(&kvm, "/dev/null"), -E2BIG);
	fake.cpuid_nent = 40;
	fake.mmap_size = 0;
	assert_int_equal(kvm_open(&kvm, "/dev/null"), -EINVAL);
	assert_non_null(strstr(logs.last, "KVM_GET_VCPU_MMAP_SIZE"));
	assert_int_equal(kvm.sys_fd, -1);
}

static void test_create_vm(void **state)
{
	struct kvm kvm;

	assert_int_equal(kvm_open(&kvm, "/dev/null"), 0);
	assert_int_equal(kvm_create_vm(&kvm, 0), 0);
	assert_true(kvm.vm_fd > 2);
	assert_int_equal(fake.vm_type, 0);
	assert_int_equal(fake.ident_addr, 0xfeffc000);
	assert_int_equal(fake.tss_addr, 0xfeffd000);
	assert_int_equal(fake.irqchip, 0);	/* later, after the slots */
	assert_int_equal(kvm_create_irqchip(&kvm), 0);
	assert_int_equal(fake.irqchip, 1);
	assert_int_equal(fake.pit_flags, KVM_PIT_SPEAKER_DUMMY);
	/* Extensions are now asked of the VM. */
	kvm_check_extension(&kvm, KVM_CAP_IRQCHIP);
	assert_int_equal(fake.cap_fd, kvm.vm_fd);
	assert_int_equal(kvm_set_memory_region(&kvm, 2, KVM_MEM_READONLY,
					       0xffff0000, 0x10000,
					       (void *)0x7000), 0);
	assert_int_equal(fake.region.slot, 2);
	assert_int_equal(fake.region.flags, KVM_MEM_READONLY);
	assert_int_equal(fake.region.guest_phys_addr, 0xffff0000);
	assert_int_equal(fake.region.memory_size, 0x10000);
	assert_int_equal(fake.region.userspace_addr, 0x7000);
	fake.fail_req = KVM_SET_USER_MEMORY_REGION;
	fake.fail_errno = EEXIST;
	assert_int_equal(kvm_set_memory_region(&kvm, 3, 0, 0, 4096,
					       (void *)0x7000), -EEXIST);
	assert_non_null(strstr(logs.last, "slot 3"));
	kvm_close(&kvm);
	assert_int_equal(kvm.vm_fd, -1);
}

static void test_create_vm_fails(void **state)
{
	static const struct {
		unsigned long req;
		const char *name;
	} steps[] = {
		{ KVM_CREATE_VM, "KVM_CREATE_VM" },
		{ KVM_SET_IDENTITY_MAP_ADDR, "KVM_SET_IDENTITY_MAP_ADDR" },
		{ KVM_SET_TSS_ADDR, "KVM_SET_TSS_ADDR" },
		{ KVM_CREATE_IRQCHIP, "KVM_CREATE_IRQCHIP" },
		{ KVM_CREATE_PIT2, "KVM_CREATE_PIT2" },
	};
	struct kvm kvm;
	unsigned int i;

	assert_int_equal(kvm_open(&kvm, "/dev/null"), 0);
	for (i = 0; i < ARRAY_SIZE(steps); i++) {
		fake.fail_req = steps[i].req;
		fake.fail_errno = ENODEV;
		if (i < 3) {
			assert_int_equal(kvm_create_vm(&kvm, 0), -ENODEV);
			assert_int_equal(kvm.vm_fd, -1);
		} else {
			assert_int_equal(kvm_create_vm(&kvm, 0), 0);
			assert_int_equal(kvm_create_irqchip(&kvm), -ENODEV);
			close(kvm.vm_fd);
			kvm.vm_fd = -1;
		}
		assert_non_null(strstr(logs.last, steps[i].name));
		assert_non_null(strstr(logs.last, strerror(ENODEV)));
	}
	kvm_close(&kvm);
}

static void test_exit_names(void **state)
{
	assert_string_equal(kvm_exit_reason_name(KVM_EXIT_IO), "KVM_EXIT_IO");
	assert_string_equal(kvm_exit_reason_name(KVM_EXIT_SHUTDOWN),
			    "KVM_EXIT_SHUTDOWN");
	assert_string_equal(kvm_exit_reason_name(KVM_EXIT_INTERNAL_ERROR),
			    "KVM_EXIT_INTERNAL_ERROR");
	assert_string_equal(kvm_exit_reason_name(KVM_EXIT_SYSTEM_EVENT),
			    "KVM_EXIT_SYSTEM_EVENT");
	/* 19 is a hole in the numbering, 9999 is past the end */
	assert_string_equal(kvm_exit_reason_name(19), "unknown exit reason");
	assert_string_equal(kvm_exit_reason_name(9999), "unknown exit reason");
}

/* A zeroed struct kvm: nothing to close, and fd 0 is not ours. */
static void test_close_zeroed(void **state)
{
	struct kvm kvm;

	if (fcntl(0, F_GETFD) < 0)	/* make sure fd 0 is open */
		assert_int_equal(open("/dev/null", O_RDONLY), 0);
	memset(&kvm, 0, sizeof(kvm));
	kvm_close(&kvm);
	assert_true(fcntl(0, F_GETFD) >= 0);
	assert_int_equal(kvm.sys_fd, -1);
}

/* kvm_open_nowait: the CPUID query on a thread, joined by the wait. */
static void test_open_nowait(void **state)
{
	struct kvm kvm;

	fake.cpuid_nent = 300;
	assert_int_equal(kvm_open_nowait(&kvm, "/dev/null"), 0);
	assert_int_equal(kvm_wait_cpuid(&kvm), 0);
	assert_int_equal(fake.cpuid_calls, 3);
	assert_non_null(kvm.cpuid);
	assert_int_equal(kvm.cpuid->nent, 300);
	assert_int_equal(kvm_wait_cpuid(&kvm), 0);	/* again: no-op */
	kvm_close(&kvm);
	assert_null(kvm.cpuid);
	/* closed while the query may still run: joined, nothing leaks */
	assert_int_equal(kvm_open_nowait(&kvm, "/dev/null"), 0);
	kvm_close(&kvm);
	assert_int_equal(kvm.sys_fd, -1);
	assert_null(kvm.cpuid);
}

static void test_open_nowait_errors(void **state)
{
	struct kvm kvm;

	/* The query's error comes from the wait, logged once. */
	fake.fail_req = KVM_GET_SUPPORTED_CPUID;
	fake.fail_errno = ENOMEM;
	assert_int_equal(kvm_open_nowait(&kvm, "/dev/null"), 0);
	assert_int_equal(kvm_wait_cpuid(&kvm), -ENOMEM);
	assert_non_null(strstr(logs.last, "KVM_GET_SUPPORTED_CPUID"));
	assert_null(kvm.cpuid);
	assert_int_equal(kvm_wait_cpuid(&kvm), -ENOMEM);
	kvm_close(&kvm);
	fake.fail_req = 0;
	/* The device checks still fail kvm_open_nowait itself. */
	fake.mmap_size = 0;
	assert_int_equal(kvm_open_nowait(&kvm, "/dev/null"), -EINVAL);
	assert_int_equal(kvm.sys_fd, -1);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup(f, setup)
	const struct CMUnitTest tests[] = {
		T(test_no_device),
		T(test_wrong_api),
		T(test_each_missing_cap),
		T(test_open_ok),
		T(test_cpuid_error),
		T(test_open_nowait),
		T(test_open_nowait_errors),
		T(test_create_vm),
		T(test_create_vm_fails),
		T(test_exit_names),
		T(test_close_zeroed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
