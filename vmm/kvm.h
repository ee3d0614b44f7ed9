/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * /dev/kvm and the VM file descriptor: API version, required
 * capabilities (a table), VM creation with in-kernel irqchip and PIT.
 */
#ifndef SEVM_KVM_H
#define SEVM_KVM_H

#include <pthread.h>
#include <linux/kvm.h>
#include <sys/ioctl.h>

#include "lib/util.h"

/*
 * Checked ioctls, as in the KVM selftests (kvm_do_ioctl): the argument's
 * type must match the size encoded in the request, so passing the wrong
 * struct to an ioctl fails the build. kvm_ioctl_val() is for requests
 * that take a plain integer (_IO). Both return ioctl()'s raw result.
 */
#define kvm_ioctl(fd, cmd, arg) ({					\
	_Static_assert(sizeof(*(arg)) == _IOC_SIZE(cmd),		\
		       "wrong argument type for " #cmd);		\
	ioctl(fd, cmd, arg);						\
})
#define kvm_ioctl_val(fd, cmd, val) ({					\
	_Static_assert(_IOC_SIZE(cmd) == 0, #cmd " takes a pointer");	\
	ioctl(fd, cmd, (unsigned long)(val));				\
})

#define KVM_API_VERSION_REQUIRED	12
/*
 * Real-mode helpers of VMX (unused on SVM): 1 page + 3 pages. QEMU's
 * addresses, below the 16 MiB flash window, so a firmware ROM of any
 * supported size (up to 16 MiB, ending at 4 GiB) never overlaps them.
 */
#define KVM_IDENTITY_MAP_ADDR		0xfeffc000ULL
#define KVM_TSS_ADDR			0xfeffd000ULL

struct kvm {
	int sys_fd;			/* /dev/kvm */
	int vm_fd;
	int vcpu_mmap_size;		/* KVM_GET_VCPU_MMAP_SIZE */
	struct kvm_cpuid2 *cpuid;	/* KVM_GET_SUPPORTED_CPUID */
	u32 vm_type;			/* KVM_CREATE_VM argument */
	/* kvm_open_nowait: the CPUID query runs on this thread until
	 * kvm_wait_cpuid() (about 1 ms on some hosts) */
	pthread_t cpuid_thread;
	bool cpuid_pending;
	int cpuid_err;
};

/*
 * Open the KVM device, check KVM_GET_API_VERSION == 12 and every
 * capability in the required table. A missing one is named in the error.
 * Returns -ENOENT/-EACCES (no KVM), -ENOTSUP (missing capability).
 */
int kvm_open(struct kvm *kvm, const char *path) __must_check;
/* KVM_CREATE_VM and the TSS/identity-map addresses. */
int kvm_create_vm(struct kvm *kvm, u32 type) __must_check;
/*
 * KVM_CREATE_IRQCHIP and KVM_CREATE_PIT2 (speaker dummy). Call after the
 * memory slots are registered and before any vCPU: on this host every
 * KVM_SET_USER_MEMORY_REGION issued after KVM_CREATE_IRQCHIP costs about
 * 5.5 ms (measured; 0.1 ms before it), twice the whole launch budget.
 */
int kvm_create_irqchip(struct kvm *kvm) __must_check;
/* KVM_CHECK_EXTENSION on the VM fd if it exists, else on /dev/kvm. */
int kvm_check_extension(const struct kvm *kvm, long cap);
/* Slot setup: KVM_SET_USER_MEMORY_REGION. */
int kvm_set_memory_region(struct kvm *kvm, u32 slot, u32 flags, u64 gpa,
			  u64 size, void *hva) __must_check;
void kvm_close(struct kvm *kvm);

/*
 * kvm_open, with KVM_GET_SUPPORTED_CPUID on a helper thread so that the
 * VM, its memory and devices are set up meanwhile (launch latency).
 * kvm->cpuid is valid only after kvm_wait_cpuid() returned 0; its error
 * is the query's (-errno, already logged). kvm_close() waits too.
 */
int kvm_open_nowait(struct kvm *kvm, const char *path) __must_check;
int kvm_wait_cpuid(struct kvm *kvm) __must_check;

/* Name of a KVM exit reason, for messages. */
const char *kvm_exit_reason_name(u32 reason);

#endif /* SEVM_KVM_H */
