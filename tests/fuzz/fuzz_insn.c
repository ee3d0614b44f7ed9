// SPDX-License-Identifier: GPL-2.0-only
/*
 * insn_emulate() on any instruction bytes (guest memory at RIP) and any
 * registers: it never reads past len, a refusal leaves the registers
 * untouched, and a success moves RIP forward by at most len bytes.
 *
 * Input: [flags, gpr seed x8, bytes...]; flags bit 0: long mode.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vmm/insn.h"
#include "tests/fuzz/fuzz.h"

static void seed_regs(struct kvm_regs *r, const u8 *seed)
{
	u64 s;

	memcpy(&s, seed, sizeof(s));
	memset(r, 0, sizeof(*r));
	r->rax = s;
	r->rbx = s * 3;
	r->rcx = ~s;
	r->rsp = s << 4;
	r->rbp = s >> 3;
	r->r12 = s ^ 0x5555555555555555ULL;
	r->r13 = s + 1;
	r->rip = 0xffffffff81000000ULL + (s & 0xffff);
	r->rflags = 0x2 | (s & 0x8d5);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kvm_regs r, before;
	struct insn_op op;
	unsigned int len;
	u8 *bytes;
	int ret;

	if (size < 9)
		return 0;
	len = (unsigned int)MIN(size - 9, (size_t)INSN_MAX_LEN + 2);
	/* an exact-size copy: ASan catches a read past len */
	bytes = malloc(len ? len : 1);
	if (!bytes)
		return 0;
	memcpy(bytes, data + 9, len);
	seed_regs(&r, data + 1);
	before = r;
	ret = insn_emulate(bytes, len, data[0] & 1, &r, &op);
	if (ret < 0) {
		FUZZ_ASSERT(ret == -EOPNOTSUPP);
		FUZZ_ASSERT(!memcmp(&r, &before, sizeof(r)));
	} else {
		FUZZ_ASSERT(ret == INSN_DONE || ret == INSN_INJECT_BP ||
			    ret == INSN_LDMXCSR);
		FUZZ_ASSERT(r.rip > before.rip && r.rip - before.rip <= len);
	}
	free(bytes);
	return 0;
}
