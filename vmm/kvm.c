// SPDX-License-Identifier: GPL-2.0-only
/*
 * /dev/kvm: API version, the table of required capabilities, the
 * supported CPUID table, and the VM with its in-kernel irqchip and PIT.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vmm/kvm.h"
#include "lib/log.h"

struct kvm_cap_req {
	long cap;
	const char *name;
};

#define KVM_CAP_REQ(x)	{ KVM_CAP_##x, "KVM_CAP_" #x }

/* What sevm cannot run without. Checked once, in this order. */
static const struct kvm_cap_req kvm_required_caps[] = {
	KVM_CAP_REQ(IRQCHIP),		/* in-kernel LAPIC/IOAPIC/PIC */
	KVM_CAP_REQ(PIT2),		/* in-kernel PIT */
	KVM_CAP_REQ(USER_MEMORY),	/* KVM_SET_USER_MEMORY_REGION */
	KVM_CAP_REQ(SET_TSS_ADDR),
	KVM_CAP_REQ(SET_IDENTITY_MAP_ADDR),
	KVM_CAP_REQ(EXT_CPUID),		/* KVM_GET_SUPPORTED_CPUID */
	KVM_CAP_REQ(IMMEDIATE_EXIT),	/* race-free vCPU kick */
	KVM_CAP_REQ(READONLY_MEM),	/* firmware ROM slot */
	KVM_CAP_REQ(MP_STATE),		/* APs wait for INIT/SIPI */
};

#define KVM_EXIT_NAME(x)	[KVM_EXIT_##x] = "KVM_EXIT_" #x

static const char *const kvm_exit_names[] = {
	KVM_EXIT_NAME(UNKNOWN),
	KVM_EXIT_NAME(EXCEPTION),
	KVM_EXIT_NAME(IO),
	KVM_EXIT_NAME(HYPERCALL),
	KVM_EXIT_NAME(DEBUG),
	KVM_EXIT_NAME(HLT),
	KVM_EXIT_NAME(MMIO),
	KVM_EXIT_NAME(IRQ_WINDOW_OPEN),
	KVM_EXIT_NAME(SHUTDOWN),
	KVM_EXIT_NAME(FAIL_ENTRY),
	KVM_EXIT_NAME(INTR),
	KVM_EXIT_NAME(SET_TPR),
	KVM_EXIT_NAME(TPR_ACCESS),
	KVM_EXIT_NAME(NMI),
	KVM_EXIT_NAME(INTERNAL_ERROR),
	KVM_EXIT_NAME(WATCHDOG),
	KVM_EXIT_NAME(SYSTEM_EVENT),
	KVM_EXIT_NAME(IOAPIC_EOI),
	KVM_EXIT_NAME(HYPERV),
	KVM_EXIT_NAME(X86_RDMSR),
	KVM_EXIT_NAME(X86_WRMSR),
	KVM_EXIT_NAME(DIRTY_RING_FULL),
	KVM_EXIT_NAME(AP_RESET_HOLD),
	KVM_EXIT_NAME(X86_BUS_LOCK),
	KVM_EXIT_NAME(XEN),
	KVM_EXIT_NAME(NOTIFY),
#ifdef KVM_EXIT_MEMORY_FAULT
	KVM_EXIT_NAME(MEMORY_FAULT),
#endif
};

const char *kvm_exit_reason_name(u32 reason)
{
	if (reason < ARRAY_SIZE(kvm_exit_names) && kvm_exit_names[reason])
		return kvm_exit_names[reason];
	return "unknown exit reason";
}

int kvm_check_extension(const struct kvm *kvm, long cap)
{
	int fd = kvm->vm_fd >= 0 ? kvm->vm_fd : kvm->sys_fd;
	int r = kvm_ioctl_val(fd, KVM_CHECK_EXTENSION, cap);

	return r < 0 ? -errno : r;
}

static int kvm_check_caps(const struct kvm *kvm, const char *path)
{
	unsigned int i;
	int r;

	for (i = 0; i < ARRAY_SIZE(kvm_required_caps); i++) {
		r = kvm_check_extension(kvm, kvm_required_caps[i].cap);
		if (r > 0)
			continue;
		if (r < 0)
			pr_err("KVM_CHECK_EXTENSION %s on %s: %s",
			       kvm_required_caps[i].name, path, strerror(-r));
		else
			pr_err("KVM lacks required capability %s",
			       kvm_required_caps[i].name);
		return -ENOTSUP;
	}
	return 0;
}

/* KVM_GET_SUPPORTED_CPUID, doubling the buffer while the kernel says E2BIG. */
static int kvm_get_supported_cpuid(struct kvm *kvm)
{
	struct kvm_cpuid2 *c;
	u32 nent;
	int err;

	for (nent = 128; nent <= 4096; nent *= 2) {
		c = calloc(1, sizeof(*c) + nent * sizeof(c->entries[0]));
		if (!c)
			return -ENOMEM;
		c->nent = nent;
		if (kvm_ioctl(kvm->sys_fd, KVM_GET_SUPPORTED_CPUID, c) == 0) {
			kvm->cpuid = c;
			return 0;
		}
		err = errno;
		free(c);
		if (err != E2BIG) {
			pr_err("KVM_GET_SUPPORTED_CPUID: %s", strerror(err));
			return -err;
		}
	}
	pr_err("KVM_GET_SUPPORTED_CPUID: more than 4096 entries: %s",
	       strerror(E2BIG));
	return -E2BIG;
}

static int kvm_check_api(struct kvm *kvm, const char *path)
{
	int r;

	r = kvm_ioctl_val(kvm->sys_fd, KVM_GET_API_VERSION, 0);
	if (r != KVM_API_VERSION_REQUIRED) {
		pr_err("KVM_GET_API_VERSION on %s: version %d, need %d",
		       path, r < 0 ? -errno : r, KVM_API_VERSION_REQUIRED);
		return -ENOTSUP;
	}
	r = kvm_check_caps(kvm, path);
	if (r < 0)
		return r;
	r = kvm_ioctl_val(kvm->sys_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (r < (int)sizeof(struct kvm_run)) {
		r = r < 0 ? -errno : -EINVAL;
		pr_err("KVM_GET_VCPU_MMAP_SIZE on %s: %s", path, strerror(-r));
		return r;
	}
	kvm->vcpu_mmap_size = r;
	return 0;
}

/* Open the device and check the API and capabilities. */
static int kvm_open_device(struct kvm *kvm, const char *path)
{
	int r;

	memset(kvm, 0, sizeof(*kvm));
	kvm->vm_fd = -1;
	kvm->sys_fd = open(path, O_RDWR | O_CLOEXEC);
	if (kvm->sys_fd < 0) {
		r = -errno;
		pr_err("open KVM device %s: %s%s", path, strerror(-r),
		       r == -ENOENT ? " (is the kvm module loaded?)" : "");
		return r;
	}
	r = kvm_check_api(kvm, path);
	if (r < 0)
		kvm_close(kvm);
	return r;
}

static void *cpuid_thread_fn(void *arg)
{
	struct kvm *kvm = arg;

	kvm->cpuid_err = kvm_get_supported_cpuid(kvm);
	return NULL;
}

int kvm_open_nowait(struct kvm *kvm, const char *path)
{
	int r = kvm_open_device(kvm, path);

	if (r < 0)
		return r;
	if (!pthread_create(&kvm->cpuid_thread, NULL, cpuid_thread_fn, kvm)) {
		kvm->cpuid_pending = true;
		return 0;
	}
	r = kvm_get_supported_cpuid(kvm);	/* no thread: at once */
	if (r < 0)
		kvm_close(kvm);
	return r;
}

int kvm_wait_cpuid(struct kvm *kvm)
{
	if (kvm->cpuid_pending) {
		pthread_join(kvm->cpuid_thread, NULL);
		kvm->cpuid_pending = false;
	}
	if (!kvm->cpuid && !kvm->cpuid_err)
		kvm->cpuid_err = -EINVAL;	/* never queried */
	return kvm->cpuid_err;
}

int kvm_open(struct kvm *kvm, const char *path)
{
	int r = kvm_open_device(kvm, path);

	if (r < 0)
		return r;
	r = kvm_get_supported_cpuid(kvm);
	if (r < 0)
		kvm_close(kvm);
	return r;
}


/* One error line naming the ioctl that failed; returns -errno. */
static int kvm_vm_ioctl_err(const char *op)
{
	int err = errno;

	pr_err("%s on the new VM: %s", op, strerror(err));
	return -err;
}

int kvm_create_vm(struct kvm *kvm, u32 type)
{
	u64 ident = KVM_IDENTITY_MAP_ADDR;
	int r;

	do {
		r = kvm_ioctl_val(kvm->sys_fd, KVM_CREATE_VM, type);
	} while (r < 0 && errno == EINTR);
	if (r < 0) {
		r = -errno;
		pr_err("KVM_CREATE_VM type %u: %s", type, strerror(-r));
		return r;
	}
	kvm->vm_fd = r;
	kvm->vm_type = type;
	r = 0;
	if (kvm_ioctl(kvm->vm_fd, KVM_SET_IDENTITY_MAP_ADDR, &ident) < 0)
		r = kvm_vm_ioctl_err("KVM_SET_IDENTITY_MAP_ADDR");
	else if (kvm_ioctl_val(kvm->vm_fd, KVM_SET_TSS_ADDR, KVM_TSS_ADDR) < 0)
		r = kvm_vm_ioctl_err("KVM_SET_TSS_ADDR");
	if (r < 0) {
		close(kvm->vm_fd);
		kvm->vm_fd = -1;
	}
	return r;
}

int kvm_create_irqchip(struct kvm *kvm)
{
	struct kvm_pit_config pit = { .flags = KVM_PIT_SPEAKER_DUMMY };

	if (kvm_ioctl_val(kvm->vm_fd, KVM_CREATE_IRQCHIP, 0) < 0)
		return kvm_vm_ioctl_err("KVM_CREATE_IRQCHIP");
	if (kvm_ioctl(kvm->vm_fd, KVM_CREATE_PIT2, &pit) < 0)
		return kvm_vm_ioctl_err("KVM_CREATE_PIT2");
	return 0;
}

int kvm_set_memory_region(struct kvm *kvm, u32 slot, u32 flags, u64 gpa,
			  u64 size, void *hva)
{
	struct kvm_userspace_memory_region region = {
		.slot = slot,
		.flags = flags,
		.guest_phys_addr = gpa,
		.memory_size = size,
		.userspace_addr = (u64)(uintptr_t)hva,
	};
	int r;

	if (kvm_ioctl(kvm->vm_fd, KVM_SET_USER_MEMORY_REGION, &region) < 0) {
		r = -errno;
		pr_err("KVM_SET_USER_MEMORY_REGION slot %u gpa 0x%llx size 0x%llx: %s",
		       slot, (unsigned long long)gpa,
		       (unsigned long long)size, strerror(-r));
		return r;
	}
	return 0;
}

/* Safe after a failed kvm_open() or on a zeroed struct (fd 0 is not ours). */
void kvm_close(struct kvm *kvm)
{
	if (kvm->cpuid_pending) {
		pthread_join(kvm->cpuid_thread, NULL);
		kvm->cpuid_pending = false;
	}
	free(kvm->cpuid);
	kvm->cpuid = NULL;
	if (kvm->vm_fd > 0)
		close(kvm->vm_fd);
	if (kvm->sys_fd > 0)
		close(kvm->sys_fd);
	kvm->vm_fd = -1;
	kvm->sys_fd = -1;
}
