// SPDX-License-Identifier: GPL-2.0-only
/*
 * The instruction fallback on instruction bytes: what each supported
 * instruction does to the registers, and that anything else is refused
 * with the registers untouched.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "vmm/insn.h"

#define ZF	(1ULL << 6)
#define CF	(1ULL << 0)
#define OF	(1ULL << 11)
#define AC	(1ULL << 18)

static struct kvm_regs base(void)
{
	struct kvm_regs r;

	memset(&r, 0, sizeof(r));
	r.rip = 0x1000;
	r.rflags = 0x2 | CF | OF;
	return r;
}

static struct insn_op op;

#define EMU(regs, lm, ...) ({						\
	const u8 b_[] = { __VA_ARGS__ };				\
	insn_emulate(b_, sizeof(b_), (lm), (regs), &op);		\
})

static void test_int3(void **state)
{
	struct kvm_regs r = base();

	assert_int_equal(EMU(&r, true, 0xcc, 0x90), INSN_INJECT_BP);
	assert_int_equal(r.rip, 0x1001);
	assert_int_equal(r.rflags, 0x2 | CF | OF);
}

static void test_clac_stac_fwait(void **state)
{
	struct kvm_regs r = base();

	assert_int_equal(EMU(&r, true, 0x0f, 0x01, 0xcb), INSN_DONE);
	assert_true(r.rflags & AC);
	assert_int_equal(r.rip, 0x1003);
	assert_int_equal(EMU(&r, true, 0x0f, 0x01, 0xca), INSN_DONE);
	assert_false(r.rflags & AC);
	assert_int_equal(r.rip, 0x1006);
	assert_int_equal(EMU(&r, false, 0x9b), INSN_DONE);
	assert_int_equal(r.rip, 0x1007);
}

static void test_popcnt(void **state)
{
	struct kvm_regs r = base();

	/* popcnt eax, ecx: 32-bit, zero-extends, clears CF/OF. */
	r.rax = 0xffffffff00000000ULL;
	r.rcx = 0xf0000000000000f1ULL;
	assert_int_equal(EMU(&r, true, 0xf3, 0x0f, 0xb8, 0xc1), INSN_DONE);
	assert_int_equal(r.rax, 5);
	assert_int_equal(r.rip, 0x1004);
	assert_false(r.rflags & (CF | OF | ZF));
	/* popcnt r9, rdx with REX.W + REX.R */
	r.rdx = 0xf0000000000000f1ULL;
	assert_int_equal(EMU(&r, true, 0xf3, 0x4c, 0x0f, 0xb8, 0xca),
			 INSN_DONE);
	assert_int_equal(r.r9, 9);
	assert_int_equal(r.rip, 0x1009);
	/* popcnt ax, bx (66): upper bits kept; zero source sets ZF. */
	r.rax = 0x1234567800000000ULL;
	r.rbx = 0xffff0000;
	assert_int_equal(EMU(&r, true, 0x66, 0xf3, 0x0f, 0xb8, 0xc3),
			 INSN_DONE);
	assert_int_equal(r.rax, 0x1234567800000000ULL);
	assert_true(r.rflags & ZF);
	/* REX.B: popcnt eax, r8d */
	r.r8 = 3;
	assert_int_equal(EMU(&r, true, 0xf3, 0x41, 0x0f, 0xb8, 0xc0),
			 INSN_DONE);
	assert_int_equal(r.rax, 2);
	assert_false(r.rflags & ZF);
}

static void test_refused(void **state)
{
	struct kvm_regs r = base(), before;

	before = r;
	/* popcnt with a memory operand, finit, xsave, cmpxchg16b, empty. */
	assert_int_equal(EMU(&r, true, 0xf3, 0x0f, 0xb8, 0x01), -EOPNOTSUPP);
	assert_int_equal(EMU(&r, true, 0x9b, 0xdb, 0xe3) , INSN_DONE);
	r = before;
	assert_int_equal(EMU(&r, true, 0xdb, 0xe3), -EOPNOTSUPP);
	assert_int_equal(EMU(&r, true, 0x0f, 0xae, 0x20), -EOPNOTSUPP);
	assert_int_equal(EMU(&r, true, 0xf0, 0x48, 0x0f, 0xc7, 0x0e),
			 -EOPNOTSUPP);
	/* truncated: prefixes only, or half an opcode */
	assert_int_equal(EMU(&r, true, 0xf3), -EOPNOTSUPP);
	assert_int_equal(EMU(&r, true, 0x0f, 0x01), -EOPNOTSUPP);
	assert_int_equal(EMU(&r, true, 0xf3, 0x0f, 0xb8), -EOPNOTSUPP);
	/* a prefix before int3 is not int3 */
	assert_int_equal(EMU(&r, true, 0x66, 0xcc), -EOPNOTSUPP);
	/* popcnt without F3 is a different instruction */
	assert_int_equal(EMU(&r, true, 0x0f, 0xb8, 0xc1), -EOPNOTSUPP);
	assert_int_equal(insn_emulate(NULL, 0, true, &r, &op), -EOPNOTSUPP);
	assert_memory_equal(&r, &before, sizeof(r));
}

static void test_ldmxcsr(void **state)
{
	struct kvm_regs r = base();

	/* Linux's kernel_fpu_begin(): ldmxcsr 0x4(%rsp) (SIB, disp8) */
	r.rsp = 0xffffc90000013e80ULL;
	assert_int_equal(EMU(&r, true, 0x0f, 0xae, 0x54, 0x24, 0x04, 0x83),
			 INSN_LDMXCSR);
	assert_int_equal(op.addr, 0xffffc90000013e84ULL);
	assert_int_equal(r.rip, 0x1005);
	assert_int_equal(r.rflags, 0x2 | CF | OF);
	/* ldmxcsr (%rax); ldmxcsr -0x10(%r13) (REX.B, negative disp8) */
	r.rax = 0x5000;
	assert_int_equal(EMU(&r, true, 0x0f, 0xae, 0x10), INSN_LDMXCSR);
	assert_int_equal(op.addr, 0x5000);
	r.r13 = 0x6000;
	assert_int_equal(EMU(&r, true, 0x41, 0x0f, 0xae, 0x55, 0xf0),
			 INSN_LDMXCSR);
	assert_int_equal(op.addr, 0x5ff0);
	assert_int_equal(r.rip, 0x1008 + 5);
	/* RIP-relative: next RIP (0x100d + 7) + 0x100 */
	assert_int_equal(EMU(&r, true, 0x0f, 0xae, 0x15, 0x00, 0x01, 0, 0),
			 INSN_LDMXCSR);
	assert_int_equal(op.addr, 0x100d + 7 + 0x100);
	/* index r12 * 8 (REX.X), base rbx, disp32 */
	r.rip = 0x1000;
	r.r12 = 2;
	r.rbx = 0x7000;
	assert_int_equal(EMU(&r, true, 0x42, 0x0f, 0xae, 0x94, 0xe3,
			     0x00, 0x10, 0x00, 0x00), INSN_LDMXCSR);
	assert_int_equal(op.addr, 0x7000 + 16 + 0x1000);
	assert_int_equal(r.rip, 0x1009);
	/* no base (SIB base 5, mod 0): disp32 + rsi * 1; no index (100) */
	r.rsi = 0x10;
	assert_int_equal(EMU(&r, true, 0x0f, 0xae, 0x14, 0x35,
			     0x00, 0x20, 0x00, 0x00), INSN_LDMXCSR);
	assert_int_equal(op.addr, 0x2010);
	assert_int_equal(EMU(&r, true, 0x0f, 0xae, 0x14, 0x25,
			     0x00, 0x20, 0x00, 0x00), INSN_LDMXCSR);
	assert_int_equal(op.addr, 0x2000);
}

static void test_ldmxcsr_refused(void **state)
{
	struct kvm_regs r = base(), before = base();

	/* register form, stmxcsr (/3), fxsave (/0), outside long mode */
	assert_int_equal(EMU(&r, true, 0x0f, 0xae, 0xd0), -EOPNOTSUPP);
	assert_int_equal(EMU(&r, true, 0x0f, 0xae, 0x18), -EOPNOTSUPP);
	assert_int_equal(EMU(&r, true, 0x0f, 0xae, 0x00), -EOPNOTSUPP);
	assert_int_equal(EMU(&r, false, 0x0f, 0xae, 0x10), -EOPNOTSUPP);
	/* prefixed (66, F3) is another instruction or invalid */
	assert_int_equal(EMU(&r, true, 0x66, 0x0f, 0xae, 0x10), -EOPNOTSUPP);
	assert_int_equal(EMU(&r, true, 0xf3, 0x0f, 0xae, 0x10), -EOPNOTSUPP);
	/* truncated: SIB, disp8, disp32 and RIP-relative missing bytes */
	assert_int_equal(EMU(&r, true, 0x0f, 0xae, 0x14), -EOPNOTSUPP);
	assert_int_equal(EMU(&r, true, 0x0f, 0xae, 0x54, 0x24), -EOPNOTSUPP);
	assert_int_equal(EMU(&r, true, 0x0f, 0xae, 0x90, 0x00, 0x10, 0x00),
			 -EOPNOTSUPP);
	assert_int_equal(EMU(&r, true, 0x0f, 0xae, 0x15, 0x00), -EOPNOTSUPP);
	assert_memory_equal(&r, &before, sizeof(r));
}

static void test_legacy_mode(void **state)
{
	struct kvm_regs r = base();

	/* Outside 64-bit mode 0x41 is "inc ecx", not REX: refused. */
	r.r8 = 3;
	assert_int_equal(EMU(&r, false, 0xf3, 0x41, 0x0f, 0xb8, 0xc0),
			 -EOPNOTSUPP);
	r.rcx = 7;
	assert_int_equal(EMU(&r, false, 0xf3, 0x0f, 0xb8, 0xc1), INSN_DONE);
	assert_int_equal(r.rax, 3);
}

static void test_format(void **state)
{
	const u8 b[] = { 0x0f, 0x01, 0xca };
	char buf[64];

	insn_format(b, sizeof(b), buf, sizeof(buf));
	assert_string_equal(buf, "0f 01 ca");
	insn_format(b, 0, buf, sizeof(buf));
	assert_string_equal(buf, "");
	insn_format(b, sizeof(b), buf, 6);
	assert_string_equal(buf, "0f 01");
	insn_format(b, sizeof(b), buf, 5);
	assert_string_equal(buf, "0f");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_int3),
		cmocka_unit_test(test_clac_stac_fwait),
		cmocka_unit_test(test_popcnt),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_ldmxcsr),
		cmocka_unit_test(test_ldmxcsr_refused),
		cmocka_unit_test(test_legacy_mode),
		cmocka_unit_test(test_format),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
