/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The few SEV/KVM constants that Debian 12's Linux 6.1 uapi headers lack.
 * Private names on purpose: newer headers define some of these as enum
 * members, and a plain #define would rewrite them (sev-protocol.md 1.9).
 */
#ifndef SEVM_SEV_COMPAT_H
#define SEVM_SEV_COMPAT_H

#include <linux/kvm.h>
#include <linux/psp-sev.h>

#define SEVM_KVM_SEV_INIT2		22u
#define SEVM_KVM_X86_DEFAULT_VM		0u
#define SEVM_KVM_X86_SEV_VM		2u
#define SEVM_KVM_X86_SEV_ES_VM		3u
#define SEVM_KVM_CAP_VM_TYPES		235
#define SEVM_KVM_X86_GRP_SEV		1u
#define SEVM_KVM_X86_SEV_VMSA_FEATURES	0ull
#define SEVM_SEV_RET_INVALID_CONFIG	3	/* 6.1 spells it INAVLID */

struct sevm_kvm_sev_init {
	__u64 vmsa_features;
	__u32 flags;
	__u16 ghcb_version;
	__u16 pad1;
	__u32 pad2[8];
};

_Static_assert(sizeof(struct sevm_kvm_sev_init) == 48, "kvm_sev_init ABI");
_Static_assert(sizeof(struct kvm_sev_cmd) == 24, "kvm_sev_cmd ABI");
_Static_assert(sizeof(struct kvm_sev_launch_start) == 40, "launch_start ABI");
_Static_assert(sizeof(struct kvm_sev_launch_secret) == 48, "launch_secret ABI");
_Static_assert(sizeof(struct kvm_sev_attestation_report) == 32,
	       "attestation_report ABI");
_Static_assert(sizeof(struct sev_user_data_status) == 12, "status ABI");
_Static_assert(sizeof(struct sev_issue_cmd) == 16, "sev_issue_cmd ABI");

#endif /* SEVM_SEV_COMPAT_H */
