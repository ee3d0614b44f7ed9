// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of vmm/cpuid.c on a synthetic "supported" table: every mask
 * name really clears its bits (and only the documented ones), leaf 0xd and
 * 0x8000001f are hidden, per-vCPU APIC ids and topology, the hypervisor
 * bit, unknown names rejected with the name in the error line, and the
 * KVM_SET_CPUID2 failure path.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "vmm/config.h"
#include "vmm/cpuid.h"
#include "lib/log.h"

static struct {
	int errors;
	char last[1024];
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

#define ALL	0xffffffffU
#define NR_ENT	15

/* Every feature bit set, so clearing is visible. */
static struct kvm_cpuid2 *synthetic(void)
{
	static const struct kvm_cpuid_entry2 e[NR_ENT] = {
		{ .function = 0, .eax = 0xd },
		{ .function = 1, .eax = 0x00a00f11, .ebx = 0x00ff0800,
		  .ecx = 0x7fffffff, .edx = ALL },
		{ .function = 7, .index = 0, .eax = 1, .ebx = ALL, .ecx = ALL,
		  .edx = ALL, .flags = KVM_CPUID_FLAG_SIGNIFCANT_INDEX },
		{ .function = 7, .index = 1, .eax = ALL,
		  .flags = KVM_CPUID_FLAG_SIGNIFCANT_INDEX },
		{ .function = 0xb, .index = 0, .eax = 1, .ebx = 2, .ecx = 0x100,
		  .edx = 0x77, .flags = KVM_CPUID_FLAG_SIGNIFCANT_INDEX },
		{ .function = 0xb, .index = 1, .eax = 7, .ebx = 64,
		  .ecx = 0x201, .edx = 0x77,
		  .flags = KVM_CPUID_FLAG_SIGNIFCANT_INDEX },
		{ .function = 0xb, .index = 2, .ecx = 2, .edx = 0x77,
		  .flags = KVM_CPUID_FLAG_SIGNIFCANT_INDEX },
		{ .function = 0xd, .index = 0, .eax = 7, .ebx = 0x340,
		  .ecx = 0x340, .flags = KVM_CPUID_FLAG_SIGNIFCANT_INDEX },
		{ .function = 0xd, .index = 1, .eax = 0xf,
		  .flags = KVM_CPUID_FLAG_SIGNIFCANT_INDEX },
		{ .function = 0x40000000, .eax = 0x40000001,
		  .ebx = 0x4b4d564b },
		{ .function = 0x40000001, .eax = 0x1 },
		{ .function = 0x80000000, .eax = 0x8000001f },
		{ .function = 0x80000001, .ecx = ALL, .edx = ALL },
		{ .function = 0x80000008, .eax = 0x3030 },
		{ .function = 0x8000001f, .eax = 0xf, .ebx = 0x16f },
	};
	struct kvm_cpuid2 *c = malloc(sizeof(*c) + sizeof(e));

	assert_non_null(c);
	c->nent = NR_ENT;
	c->padding = 0;
	memcpy(c->entries, e, sizeof(e));
	return c;
}

static const struct kvm_cpuid_entry2 *find(const struct kvm_cpuid2 *c,
					   u32 fn, u32 idx)
{
	u32 i;

	for (i = 0; i < c->nent; i++)
		if (c->entries[i].function == fn && c->entries[i].index == idx)
			return &c->entries[i];
	fail_msg("leaf 0x%x.%u missing", fn, idx);
	return NULL;
}

static int setup(void **state)
{
	memset(&logs, 0, sizeof(logs));
	*state = synthetic();
	return 0;
}

static int teardown(void **state)
{
	free(*state);
	return 0;
}

/* Build with mask list for vCPU 0 of 1. */
static struct kvm_cpuid2 *build(const struct kvm_cpuid2 *sup, const char *list)
{
	struct cpuid_mask m;
	struct kvm_cpuid2 *c;

	assert_int_equal(cpuid_parse_mask(list, &m), 0);
	c = cpuid_build(sup, &m, 0, 1);
	assert_non_null(c);
	assert_int_equal(c->nent, sup->nent);
	return c;
}

/* Register r (0 eax .. 3 edx) of leaf fn.idx. */
static u32 reg(const struct kvm_cpuid2 *c, u32 fn, u32 idx, int r)
{
	const struct kvm_cpuid_entry2 *e = find(c, fn, idx);
	const u32 regs[4] = { e->eax, e->ebx, e->ecx, e->edx };

	return regs[r];
}

enum { EAX, EBX, ECX, EDX };

static const struct {
	const char *name;
	u32 fn, idx;
	int r;
	u32 bit;
} single[] = {
	{ "cx16", 1, 0, ECX, 13 },
	{ "xsave", 1, 0, ECX, 26 },
	{ "avx", 1, 0, ECX, 28 },
	{ "avx2", 7, 0, EBX, 5 },
	{ "avx512f", 7, 0, EBX, 16 },
	{ "x2apic", 1, 0, ECX, 21 },
	{ "pdcm", 1, 0, ECX, 15 },
	{ "rdrand", 1, 0, ECX, 30 },
	{ "rdseed", 7, 0, EBX, 18 },
	{ "tsc-deadline", 1, 0, ECX, 24 },
	{ "pcid", 1, 0, ECX, 17 },
	{ "invpcid", 7, 0, EBX, 10 },
	{ "la57", 7, 0, ECX, 16 },
};

/* Each name clears its bit; "none" keeps it; the rest of leaf 1 stays. */
static void test_each_name(void **state)
{
	const struct kvm_cpuid2 *sup = *state;
	struct kvm_cpuid2 *none = build(sup, "none"), *c;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(single); i++) {
		u32 bit = 1U << single[i].bit;

		c = build(sup, single[i].name);
		assert_true(reg(none, single[i].fn, single[i].idx,
				single[i].r) & bit);
		if (reg(c, single[i].fn, single[i].idx, single[i].r) & bit)
			fail_msg("%s did not clear its bit", single[i].name);
		/* SSE3 (1.ECX bit 0) and the leaf-7 FSGSBASE bit stay. */
		assert_true(reg(c, 1, 0, ECX) & 1);
		assert_true(reg(c, 7, 0, EBX) & 1);
		free(c);
	}
	free(none);
}

static void test_default_mask(void **state)
{
	const struct kvm_cpuid2 *sup = *state;
	struct kvm_cpuid2 *c = build(sup, CONFIG_DEFAULT_CPUID_MASK);
	u32 ecx1 = reg(c, 1, 0, ECX);

	assert_string_equal(CONFIG_DEFAULT_CPUID_MASK, "cx16,xsave");
	assert_false(ecx1 & (1U << 13));		/* cx16 */
	assert_false(ecx1 & (1U << 26));		/* xsave */
	assert_false(ecx1 & (1U << 27));		/* osxsave */
	assert_false(ecx1 & (1U << 28));		/* avx */
	assert_false(ecx1 & (1U << 12));		/* fma */
	assert_false(ecx1 & (1U << 29));		/* f16c */
	assert_true(ecx1 & (1U << 21));			/* x2apic kept */
	assert_true(ecx1 & (1U << 31));			/* hypervisor */
	assert_int_equal(reg(c, 7, 0, EBX) & (1U << 5 | 1U << 16), 0);
	assert_true(reg(c, 7, 0, EBX) & (1U << 18));	/* rdseed kept */
	assert_int_equal(reg(c, 7, 0, EDX) & (1U << 24), 0);	/* amx */
	assert_int_equal(reg(c, 7, 1, EAX) & (1U << 4), 0);	/* avx-vnni */
	assert_int_equal(reg(c, 0x80000001, 0, ECX) & (1U << 11), 0);
	/* leaf 0xd (xsaveopt/xsavec/xsaves live in 0xd.1) is all zero */
	assert_int_equal(reg(c, 0xd, 0, EAX) | reg(c, 0xd, 0, EBX), 0);
	assert_int_equal(reg(c, 0xd, 1, EAX), 0);
	/* untouched: SEV leaf, KVM signature */
	assert_int_equal(reg(c, 0x8000001f, 0, EAX), 0xf);
	assert_int_equal(reg(c, 0x40000000, 0, EBX), 0x4b4d564b);
	free(c);
}

static void test_sev_and_avx512(void **state)
{
	const struct kvm_cpuid2 *sup = *state;
	struct kvm_cpuid2 *c = build(sup, "sev,avx512f");

	assert_int_equal(reg(c, 0x8000001f, 0, EAX), 0);
	assert_int_equal(reg(c, 0x8000001f, 0, EBX), 0);
	assert_int_equal(reg(c, 7, 0, EBX) & 0xdc230000U, 0);
	assert_int_equal(reg(c, 7, 0, ECX) & (1U << 1 | 1U << 14), 0);
	assert_true(reg(c, 7, 0, EBX) & (1U << 5));	/* avx2 kept */
	assert_true(reg(c, 1, 0, ECX) & (1U << 28));	/* avx kept */
	assert_int_equal(reg(c, 0xd, 0, EAX), 7);	/* xsave leaf kept */
	free(c);
}

/* SEV guests that report shared pages: KVM_CPUID_FEATURES bits 16, 17. */
static void test_kvm_features_set(void **state)
{
	const struct kvm_cpuid2 *sup = *state;
	struct cpuid_mask m;
	struct kvm_cpuid2 *c;

	assert_int_equal(cpuid_parse_mask("none", &m), 0);
	assert_int_equal(m.kvm_features_set, 0);	/* never by name */
	c = cpuid_build(sup, &m, 0, 1);
	assert_non_null(c);
	assert_int_equal(reg(c, 0x40000001, 0, EAX), 0x1);
	free(c);
	m.kvm_features_set = CPUID_KVM_SEV_SHARING;
	c = cpuid_build(sup, &m, 0, 1);
	assert_non_null(c);
	assert_int_equal(reg(c, 0x40000001, 0, EAX), 0x1 | 1U << 16 |
			 1U << 17);
	assert_int_equal(reg(c, 0x40000000, 0, EAX), 0x40000001);
	free(c);
}

static void test_supported_not_modified(void **state)
{
	struct kvm_cpuid2 *sup = *state, *copy = synthetic(), *c;

	c = build(sup, "cx16,xsave,sev");
	assert_memory_equal(sup, copy, sizeof(*sup) + NR_ENT *
			    sizeof(sup->entries[0]));
	free(c);
	free(copy);
}

static void test_topology(void **state)
{
	const struct kvm_cpuid2 *sup = *state;
	struct cpuid_mask m = { 0 };
	struct kvm_cpuid2 *c = cpuid_build(sup, &m, 3, 6);

	assert_non_null(c);
	assert_int_equal(reg(c, 1, 0, EBX) >> 24, 3);		/* APIC id */
	assert_int_equal((reg(c, 1, 0, EBX) >> 16) & 0xff, 6);
	assert_int_equal(reg(c, 1, 0, EBX) & 0xffff, 0x0800);	/* kept */
	assert_true(reg(c, 1, 0, EDX) & (1U << 28));		/* HTT */
	assert_int_equal(reg(c, 1, 0, EAX), 0x00a00f11);
	assert_int_equal(reg(c, 0xb, 0, EDX), 3);
	assert_int_equal(reg(c, 0xb, 0, EBX), 1);
	assert_int_equal(reg(c, 0xb, 0, ECX), 0x100);
	assert_int_equal(reg(c, 0xb, 1, EAX), 3);	/* 6 -> 3 bits */
	assert_int_equal(reg(c, 0xb, 1, EBX), 6);
	assert_int_equal(reg(c, 0xb, 1, ECX), 0x201);
	assert_int_equal(reg(c, 0xb, 1, EDX), 3);
	assert_int_equal(reg(c, 0xb, 2, ECX), 2);		/* invalid */
	assert_int_equal(reg(c, 0xb, 2, EBX), 0);
	assert_int_equal(reg(c, 0xb, 2, EDX), 3);
	free(c);

	c = cpuid_build(sup, &m, 0, 1);
	assert_int_equal(reg(c, 1, 0, EBX) >> 16, 0);
	assert_false(reg(c, 1, 0, EDX) & (1U << 28));		/* no HTT */
	assert_int_equal(reg(c, 0xb, 1, EAX), 0);
	assert_int_equal(reg(c, 0xb, 1, EBX), 1);
	assert_int_equal(reg(c, 0xb, 0, EDX), 0);
	free(c);
}

static void test_unknown_name(void **state)
{
	struct cpuid_mask m;

	assert_int_equal(cpuid_parse_mask("cx16,avx9000", &m), -EINVAL);
	assert_int_equal(logs.errors, 1);
	assert_non_null(strstr(logs.last, "\"avx9000\""));
	assert_non_null(strstr(logs.last, "cx16,avx9000"));
	assert_int_equal(m.leaf_1_ecx, 0);	/* nothing half-applied */
	assert_int_equal(cpuid_parse_mask("cx16,,xsave", &m), -EINVAL);
	assert_int_equal(cpuid_parse_mask("", &m), -EINVAL);
	assert_int_equal(cpuid_parse_mask("CX16", &m), -EINVAL);
	assert_int_equal(cpuid_parse_mask("cx16,none", &m), -EINVAL);
	assert_int_equal(cpuid_parse_mask("cx1", &m), -EINVAL);
	assert_int_equal(logs.errors, 6);
}

/* Every name --help lists is accepted. */
static void test_names_list(void **state)
{
	char *names = strdup(cpuid_mask_names()), *save, *tok;
	struct cpuid_mask m;
	unsigned int n = 0;

	assert_non_null(names);
	for (tok = strtok_r(names, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		assert_int_equal(cpuid_parse_mask(tok, &m), 0);
		n++;
	}
	assert_int_equal(n, 14);
	assert_int_equal(cpuid_parse_mask(cpuid_mask_names(), &m), 0);
	assert_true(m.hide_xsave_leaf && m.hide_sev_leaf);
	free(names);
}

static void test_signature(void **state)
{
	struct kvm_cpuid2 *sup = *state;

	assert_int_equal(cpuid_signature(sup), 0x00a00f11);
	sup->nent = 1;		/* leaf 0 only */
	assert_int_equal(cpuid_signature(sup), 0x600);
	sup->nent = NR_ENT;
}

static void test_apply_fails(void **state)
{
	struct cpuid_mask m = { 0 };

	assert_int_equal(cpuid_apply(-1, *state, &m, 0, 1), -EBADF);
	assert_int_equal(logs.errors, 1);
	assert_non_null(strstr(logs.last, "KVM_SET_CPUID2"));
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_each_name),
		T(test_default_mask),
		T(test_sev_and_avx512),
		T(test_supported_not_modified),
		T(test_kvm_features_set),
		T(test_topology),
		T(test_unknown_name),
		T(test_names_list),
		T(test_signature),
		T(test_apply_fails),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
