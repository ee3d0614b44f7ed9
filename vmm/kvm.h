/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * /dev/kvm and the VM file descriptor: API version, required
 * capabilities (a table), VM creation with in-kernel irqchip and PIT.
 */
#ifndef SEVM_KVM_H
#define SEVM_KVM_H

#include <linux/kvm.h>

#include "vmm/util.h"

struct kvm {
	int sys_fd;			/* /dev/kvm */
	int vm_fd;
	int vcpu_mmap_size;		/* KVM_GET_VCPU_MMAP_SIZE */
	struct kvm_cpuid2 *cpuid;	/* KVM_GET_SUPPORTED_CPUID */
	u32 vm_type;			/* KVM_CREATE_VM argument */
};

/*
 * Open the KVM device, check KVM_GET_API_VERSION == 12 and every
 * capability in the required table. A missing one is named in the error.
 * Returns -ENOENT/-EACCES (no KVM), -ENOTSUP (missing capability).
 */
int kvm_open(struct kvm *kvm, const char *path) __must_check;
/* KVM_CREATE_VM, TSS/identity-map addresses, KVM_CREATE_IRQCHIP, PIT2. */
int kvm_create_vm(struct kvm *kvm, u32 type) __must_check;
/* KVM_CHECK_EXTENSION on the VM fd if it exists, else on /dev/kvm. */
int kvm_check_extension(const struct kvm *kvm, long cap);
/* Slot setup: KVM_SET_USER_MEMORY_REGION. */
int kvm_set_memory_region(struct kvm *kvm, u32 slot, u32 flags, u64 gpa,
			  u64 size, void *hva) __must_check;
void kvm_close(struct kvm *kvm);

/* Name of a KVM exit reason, for messages. */
const char *kvm_exit_reason_name(u32 reason);

#endif /* SEVM_KVM_H */
