// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest CPUID: the supported table from KVM, minus the masked features,
 * plus the per-vCPU topology.
 *
 * The mask (--cpuid-mask, default CONFIG_DEFAULT_CPUID_MASK "cx16,xsave")
 * names features to hide. A name hides the feature and everything that
 * needs it, following Linux's arch/x86/kernel/cpu/cpuid-deps.c:
 *
 *   cx16          CPUID.1:ECX.CX16 (cmpxchg16b; fails emulation on PVM)
 *   xsave         CPUID.1:ECX.XSAVE/OSXSAVE, everything listed under avx,
 *                 MPX and AMX, and the whole leaf 0xd (which carries
 *                 xsaveopt, xsavec, xsaves and the state sizes)
 *   avx           CPUID.1:ECX.AVX/FMA/F16C, avx2, every avx512 bit,
 *                 VAES, VPCLMULQDQ, AVX-VNNI, AMD XOP and FMA4
 *   avx2          CPUID.(7,0):EBX.AVX2
 *   avx512f       every AVX-512 bit in leaf 7 (F, DQ, IFMA, PF, ER, CD,
 *                 BW, VL, VBMI, VBMI2, VNNI, BITALG, VPOPCNTDQ, 4VNNIW,
 *                 4FMAPS, VP2INTERSECT, FP16, BF16)
 *   x2apic        CPUID.1:ECX.x2APIC
 *   pdcm          CPUID.1:ECX.PDCM (perf capabilities MSR)
 *   rdrand        CPUID.1:ECX.RDRAND
 *   rdseed        CPUID.(7,0):EBX.RDSEED
 *   tsc-deadline  CPUID.1:ECX.TSC_DEADLINE
 *   pcid          CPUID.1:ECX.PCID
 *   invpcid       CPUID.(7,0):EBX.INVPCID
 *   la57          CPUID.(7,0):ECX.LA57 (5-level paging)
 *   sev           the whole leaf 0x8000001f (SEV/SEV-ES/SNP, C-bit)
 *
 * Per vCPU: CPUID.1:EBX[31:24] initial APIC id (= vCPU id), EBX[23:16]
 * logical processor count and EDX.HTT when there is more than one vCPU,
 * leaves 0xb/0x1f as one package of nr_vcpus single-thread cores with the
 * x2APIC id in EDX, and CPUID.1:ECX.HYPERVISOR set. For SEV guests that
 * report their shared pages (vmm/shared-pages.h), KVM_CPUID_FEATURES
 * gets MIGRATION_CONTROL and HC_MAP_GPA_RANGE: Linux calls
 * KVM_HC_MAP_GPA_RANGE only when sev_active and
 * kvm_para_has_feature(KVM_FEATURE_MIGRATION_CONTROL). The cache leaves
 * (4, 0x8000001d) and AMD 0x80000008/0x8000001e are passed as KVM reports.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmm/cpuid.h"
#include "vmm/kvm.h"
#include "lib/log.h"

#define BIT(n)		(1U << (n))

/* CPUID.1:ECX */
#define F1C_FMA		BIT(12)
#define F1C_CX16	BIT(13)
#define F1C_PDCM	BIT(15)
#define F1C_PCID	BIT(17)
#define F1C_X2APIC	BIT(21)
#define F1C_TSC_DL	BIT(24)
#define F1C_XSAVE	BIT(26)
#define F1C_OSXSAVE	BIT(27)
#define F1C_AVX		BIT(28)
#define F1C_F16C	BIT(29)
#define F1C_RDRAND	BIT(30)
#define F1C_HYPERVISOR	BIT(31)
/* CPUID.1:EDX */
#define F1D_HTT		BIT(28)
/* CPUID.(7,0):EBX */
#define F7B_AVX2	BIT(5)
#define F7B_INVPCID	BIT(10)
#define F7B_MPX		BIT(14)
#define F7B_RDSEED	BIT(18)
#define F7B_AVX512	(BIT(16) | BIT(17) | BIT(21) | BIT(26) | BIT(27) | \
			 BIT(28) | BIT(30) | BIT(31))
/* CPUID.(7,0):ECX */
#define F7C_AVX512	(BIT(1) | BIT(6) | BIT(11) | BIT(12) | BIT(14))
#define F7C_VAES_CLMUL	(BIT(9) | BIT(10))
#define F7C_LA57	BIT(16)
/* CPUID.(7,0):EDX */
#define F7D_AVX512	(BIT(2) | BIT(3) | BIT(8) | BIT(23))
#define F7D_AMX		(BIT(22) | BIT(24) | BIT(25))
/* CPUID.(7,1):EAX */
#define F71A_AVX_VNNI	BIT(4)
#define F71A_AVX512	BIT(5)
/* CPUID.0x80000001:ECX (AMD) */
#define F81C_XOP_FMA4	(BIT(11) | BIT(16))

/* The AVX family, plus extra bits in leaf 1 ECX, leaf 7 EBX and EDX. */
#define AVX_FAMILY(c1, b7, d7)						\
	.leaf_1_ecx = F1C_AVX | F1C_FMA | F1C_F16C | (c1),		\
	.leaf_7_ebx = F7B_AVX2 | F7B_AVX512 | (b7),			\
	.leaf_7_ecx = F7C_AVX512 | F7C_VAES_CLMUL,			\
	.leaf_7_edx = F7D_AVX512 | (d7),				\
	.leaf_7_1_eax = F71A_AVX_VNNI | F71A_AVX512,			\
	.leaf_80000001_ecx = F81C_XOP_FMA4

struct cpuid_feature {
	const char *name;
	struct cpuid_mask mask;
};

static const struct cpuid_feature cpuid_features[] = {
	{ "cx16",	{ .leaf_1_ecx = F1C_CX16 } },
	{ "xsave",	{ AVX_FAMILY(F1C_XSAVE | F1C_OSXSAVE, F7B_MPX, F7D_AMX),
			  .hide_xsave_leaf = true } },
	{ "avx",	{ AVX_FAMILY(0, 0, 0) } },
	{ "avx2",	{ .leaf_7_ebx = F7B_AVX2 } },
	{ "avx512f",	{ .leaf_7_ebx = F7B_AVX512, .leaf_7_ecx = F7C_AVX512,
			  .leaf_7_edx = F7D_AVX512,
			  .leaf_7_1_eax = F71A_AVX512 } },
	{ "x2apic",	{ .leaf_1_ecx = F1C_X2APIC } },
	{ "pdcm",	{ .leaf_1_ecx = F1C_PDCM } },
	{ "rdrand",	{ .leaf_1_ecx = F1C_RDRAND } },
	{ "rdseed",	{ .leaf_7_ebx = F7B_RDSEED } },
	{ "tsc-deadline", { .leaf_1_ecx = F1C_TSC_DL } },
	{ "pcid",	{ .leaf_1_ecx = F1C_PCID } },
	{ "invpcid",	{ .leaf_7_ebx = F7B_INVPCID } },
	{ "la57",	{ .leaf_7_ecx = F7C_LA57 } },
	{ "sev",	{ .hide_sev_leaf = true } },
};

static void mask_or(struct cpuid_mask *m, const struct cpuid_mask *a)
{
	m->leaf_1_ecx |= a->leaf_1_ecx;
	m->leaf_1_edx |= a->leaf_1_edx;
	m->leaf_7_ebx |= a->leaf_7_ebx;
	m->leaf_7_ecx |= a->leaf_7_ecx;
	m->leaf_7_edx |= a->leaf_7_edx;
	m->leaf_7_1_eax |= a->leaf_7_1_eax;
	m->leaf_80000001_ecx |= a->leaf_80000001_ecx;
	m->leaf_80000001_edx |= a->leaf_80000001_edx;
	m->hide_xsave_leaf |= a->hide_xsave_leaf;
	m->hide_sev_leaf |= a->hide_sev_leaf;
}

static const struct cpuid_feature *cpuid_find(const char *name, size_t len)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cpuid_features); i++)
		if (strlen(cpuid_features[i].name) == len &&
		    !memcmp(cpuid_features[i].name, name, len))
			return &cpuid_features[i];
	return NULL;
}

const char *cpuid_mask_names(void)
{
	static char names[256];
	unsigned int i;
	size_t n = 0;

	if (names[0])
		return names;
	for (i = 0; i < ARRAY_SIZE(cpuid_features); i++)
		n += (size_t)snprintf(names + n, sizeof(names) - n, "%s%s",
				      i ? "," : "", cpuid_features[i].name);
	return names;
}

int cpuid_parse_mask(const char *list, struct cpuid_mask *mask)
{
	const struct cpuid_feature *f;
	const char *p = list, *end;
	size_t len;

	memset(mask, 0, sizeof(*mask));
	if (!strcmp(list, "none"))
		return 0;
	for (;;) {
		end = strchrnul(p, ',');
		len = (size_t)(end - p);
		f = cpuid_find(p, len);
		if (!f) {
			pr_err("cpuid mask \"%s\": unknown feature \"%.*s\" (known: %s, or none)",
			       list, (int)len, p, cpuid_mask_names());
			memset(mask, 0, sizeof(*mask));
			return -EINVAL;
		}
		mask_or(mask, &f->mask);
		if (!*end)
			return 0;
		p = end + 1;
	}
}

u32 cpuid_signature(const struct kvm_cpuid2 *supported)
{
	u32 i;

	for (i = 0; i < supported->nent; i++)
		if (supported->entries[i].function == 1)
			return supported->entries[i].eax;
	return 0x600;	/* KVM's default when leaf 1 is absent */
}

static void cpuid_apply_mask(struct kvm_cpuid_entry2 *e,
			     const struct cpuid_mask *m)
{
	switch (e->function) {
	case 1:
		e->ecx &= ~m->leaf_1_ecx;
		e->edx &= ~m->leaf_1_edx;
		break;
	case 7:
		if (e->index == 0) {
			e->ebx &= ~m->leaf_7_ebx;
			e->ecx &= ~m->leaf_7_ecx;
			e->edx &= ~m->leaf_7_edx;
		} else if (e->index == 1) {
			e->eax &= ~m->leaf_7_1_eax;
		}
		break;
	case 0xd:
		if (m->hide_xsave_leaf)
			e->eax = e->ebx = e->ecx = e->edx = 0;
		break;
	case 0x80000001:
		e->ecx &= ~m->leaf_80000001_ecx;
		e->edx &= ~m->leaf_80000001_edx;
		break;
	case 0x8000001f:
		if (m->hide_sev_leaf)
			e->eax = e->ebx = e->ecx = e->edx = 0;
		break;
	case CPUID_KVM_FEATURES_LEAF:
		e->eax |= m->kvm_features_set;
		break;
	}
}

/* Bits needed to number n things (ceil(log2(n))). */
static u32 order_of(u32 n)
{
	u32 bits = 0;

	while ((1ULL << bits) < n)
		bits++;
	return bits;
}

/* Leaf 0xb / 0x1f: level 0 SMT (1 thread), level 1 core (nr cores). */
static void cpuid_topology(struct kvm_cpuid_entry2 *e, u32 id, u32 nr)
{
	e->edx = id;
	switch (e->index) {
	case 0:
		e->eax = 0;
		e->ebx = 1;
		e->ecx = 0 | (1 << 8);		/* level type SMT */
		break;
	case 1:
		e->eax = order_of(nr);
		e->ebx = nr;
		e->ecx = 1 | (2 << 8);		/* level type core */
		break;
	default:
		e->eax = e->ebx = 0;
		e->ecx = e->index & 0xff;	/* level type invalid */
		break;
	}
}

static void cpuid_per_vcpu(struct kvm_cpuid_entry2 *e, u32 id, u32 nr)
{
	switch (e->function) {
	case 1:
		e->ebx &= 0x0000ffff;
		e->ebx |= (id & 0xff) << 24;
		if (nr > 1) {
			e->ebx |= MIN(nr, 255U) << 16;
			e->edx |= F1D_HTT;
		} else {
			e->edx &= ~F1D_HTT;
		}
		e->ecx |= F1C_HYPERVISOR;
		break;
	case 0xb:
	case 0x1f:
		cpuid_topology(e, id, nr);
		break;
	}
}

struct kvm_cpuid2 *cpuid_build(const struct kvm_cpuid2 *supported,
			       const struct cpuid_mask *mask, u32 vcpu_id,
			       u32 nr_vcpus)
{
	size_t size = sizeof(*supported) +
		      supported->nent * sizeof(supported->entries[0]);
	struct kvm_cpuid2 *c = malloc(size);
	u32 i;

	if (!c)
		return NULL;
	memcpy(c, supported, size);
	for (i = 0; i < c->nent; i++) {
		cpuid_apply_mask(&c->entries[i], mask);
		cpuid_per_vcpu(&c->entries[i], vcpu_id, nr_vcpus);
	}
	return c;
}

int cpuid_apply(int vcpu_fd, const struct kvm_cpuid2 *supported,
		const struct cpuid_mask *mask, u32 vcpu_id, u32 nr_vcpus)
{
	struct kvm_cpuid2 *c = cpuid_build(supported, mask, vcpu_id, nr_vcpus);
	int r = 0;

	if (!c) {
		pr_err("build CPUID of vCPU %u: %s", vcpu_id, strerror(ENOMEM));
		return -ENOMEM;
	}
	if (kvm_ioctl(vcpu_fd, KVM_SET_CPUID2, c) < 0) {
		r = -errno;
		pr_err("KVM_SET_CPUID2 on vCPU %u (%u entries): %s", vcpu_id,
		       c->nent, strerror(-r));
	}
	free(c);
	return r;
}
