/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Guest CPUID: KVM_GET_SUPPORTED_CPUID, per-vCPU APIC ids, topology and
 * the feature mask. The mask is a comma-separated list of feature names
 * (--cpuid-mask, "cpuid-mask" in JSON); "none" hides nothing. The default
 * hides cx16 and xsave, which this host's software KVM cannot emulate.
 */
#ifndef SEVM_CPUID_H
#define SEVM_CPUID_H

#include <linux/kvm.h>

#include "lib/util.h"

struct cpuid_mask {
	u32 leaf_1_ecx;		/* bits to clear in CPUID.1:ECX */
	u32 leaf_1_edx;
	u32 leaf_7_ebx;		/* CPUID.(7,0) */
	u32 leaf_7_ecx;
	u32 leaf_7_edx;
	u32 leaf_7_1_eax;	/* CPUID.(7,1):EAX */
	u32 leaf_80000001_ecx;
	u32 leaf_80000001_edx;
	bool hide_xsave_leaf;	/* also zero leaf 0xd */
	bool hide_sev_leaf;	/* zero leaf 0x8000001f */
	/*
	 * Bits to SET in KVM_CPUID_FEATURES (0x40000001) EAX, for SEV
	 * guests: KVM_FEATURE_MIGRATION_CONTROL (17) and HC_MAP_GPA_RANGE
	 * (16), CPUID_KVM_SEV_SHARING. Not set by cpuid_parse_mask().
	 */
	u32 kvm_features_set;
};

#define CPUID_KVM_FEATURES_LEAF		0x40000001
#define CPUID_KVM_HC_MAP_GPA_RANGE	(1U << 16)
#define CPUID_KVM_MIGRATION_CONTROL	(1U << 17)
#define CPUID_KVM_SEV_SHARING	(CPUID_KVM_HC_MAP_GPA_RANGE | \
				 CPUID_KVM_MIGRATION_CONTROL)

/* Parse "cx16,xsave" etc. Unknown names give -EINVAL naming the feature. */
int cpuid_parse_mask(const char *list, struct cpuid_mask *mask) __must_check;
/* Names accepted by cpuid_parse_mask(), for --help. */
const char *cpuid_mask_names(void);
/*
 * Build the CPUID table of one vCPU from the supported table (copied, not
 * modified) and apply it with KVM_SET_CPUID2.
 */
int cpuid_apply(int vcpu_fd, const struct kvm_cpuid2 *supported,
		const struct cpuid_mask *mask, u32 vcpu_id, u32 nr_vcpus)
	__must_check;
/* The table cpuid_apply() would set; caller frees. For unit tests. */
struct kvm_cpuid2 *cpuid_build(const struct kvm_cpuid2 *supported,
			       const struct cpuid_mask *mask, u32 vcpu_id,
			       u32 nr_vcpus);
/* CPUID.1:EAX (family/model/stepping), the reset value of RDX. */
u32 cpuid_signature(const struct kvm_cpuid2 *supported);

#endif /* SEVM_CPUID_H */
