// SPDX-License-Identifier: GPL-2.0-only
/*
 * The instruction fallback (insn.h): a tiny decoder for the handful of
 * instructions this host's KVM cannot emulate, working on a copy of the
 * registers so a refusal changes nothing.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "vmm/insn.h"

#define RFLAGS_CF	(1ULL << 0)
#define RFLAGS_PF	(1ULL << 2)
#define RFLAGS_AF	(1ULL << 4)
#define RFLAGS_ZF	(1ULL << 6)
#define RFLAGS_SF	(1ULL << 7)
#define RFLAGS_OF	(1ULL << 11)
#define RFLAGS_AC	(1ULL << 18)

/* General-purpose registers in ModRM numbering. */
static __u64 *gpr(struct kvm_regs *r, unsigned int n)
{
	__u64 *const regs[16] = {
		&r->rax, &r->rcx, &r->rdx, &r->rbx, &r->rsp, &r->rbp,
		&r->rsi, &r->rdi, &r->r8, &r->r9, &r->r10, &r->r11,
		&r->r12, &r->r13, &r->r14, &r->r15,
	};

	return regs[n & 15];
}

struct prefixes {
	bool opsize;		/* 66 */
	bool rep;		/* F3 */
	u8 rex;			/* 0x40..0x4f, or 0 */
	bool long_mode;		/* 64-bit code segment */
	unsigned int len;	/* bytes of prefix */
};

/* Legacy prefixes, then a REX prefix right before the opcode. */
static void read_prefixes(const u8 *b, unsigned int len, bool long_mode,
			  struct prefixes *p)
{
	unsigned int i = 0;

	memset(p, 0, sizeof(*p));
	p->long_mode = long_mode;
	for (; i < len; i++) {
		if (b[i] == 0x66)
			p->opsize = true;
		else if (b[i] == 0xf3)
			p->rep = true;
		else
			break;
	}
	if (long_mode && i < len && (b[i] & 0xf0) == 0x40)
		p->rex = b[i++];
	p->len = i;
}

/* popcnt reg, reg: ZF from the source, CF/OF/SF/AF/PF cleared. */
static int do_popcnt(const struct prefixes *p, u8 modrm,
		     struct kvm_regs *regs)
{
	unsigned int reg = ((modrm >> 3) & 7) | (p->rex & 4 ? 8 : 0);
	unsigned int rm = (modrm & 7) | (p->rex & 1 ? 8 : 0);
	u64 src = *gpr(regs, rm);
	__u64 *dst = gpr(regs, reg);

	if ((modrm >> 6) != 3)
		return -EOPNOTSUPP;	/* memory operands: not needed yet */
	if (p->rex & 8) {
		*dst = (u64)__builtin_popcountll(src);
	} else if (p->opsize) {
		src &= 0xffff;
		*dst = (*dst & ~0xffffULL) | (u64)__builtin_popcountll(src);
	} else {
		src &= 0xffffffffULL;
		*dst = (u64)__builtin_popcountll(src);	/* zero-extends */
	}
	regs->rflags &= ~(RFLAGS_CF | RFLAGS_PF | RFLAGS_AF | RFLAGS_ZF |
			  RFLAGS_SF | RFLAGS_OF);
	if (!src)
		regs->rflags |= RFLAGS_ZF;
	return INSN_DONE;
}

/*
 * The linear address of the ModRM memory operand at m[0..n) in 64-bit
 * mode (flat: no segment override, no address-size prefix). *used: the
 * bytes of ModRM, SIB and displacement; *rip_rel: add the next RIP.
 */
static int modrm_addr(const u8 *m, unsigned int n, u8 rex,
		      struct kvm_regs *regs, u64 *addr, unsigned int *used,
		      bool *rip_rel)
{
	unsigned int mod = m[0] >> 6, rm = m[0] & 7, i = 1, dlen, idx;
	bool disp32 = mod == 2;
	u64 a = 0;
	int32_t d = 0;

	*rip_rel = mod == 0 && rm == 5;
	if (rm == 4) {
		if (n < 2)
			return -EOPNOTSUPP;
		idx = ((m[1] >> 3) & 7) | (rex & 2 ? 8 : 0);
		if (idx != 4)
			a = *gpr(regs, idx) << (m[1] >> 6);
		if (mod == 0 && (m[1] & 7) == 5)
			disp32 = true;
		else
			a += *gpr(regs, (m[1] & 7) | (rex & 1 ? 8 : 0));
		i = 2;
	} else if (!*rip_rel) {
		a = *gpr(regs, rm | (rex & 1 ? 8 : 0));
	}
	dlen = mod == 1 ? 1 : (disp32 || *rip_rel) ? 4 : 0;
	if (n < i + dlen)
		return -EOPNOTSUPP;
	if (dlen == 1)
		d = (int8_t)m[i];
	else if (dlen == 4)
		d = (int32_t)((u32)m[i] | (u32)m[i + 1] << 8 |
			  (u32)m[i + 2] << 16 | (u32)m[i + 3] << 24);
	*addr = a + (u64)(s64)d;
	*used = i + dlen;
	return 0;
}

/* ldmxcsr m32 (0F AE /2) in 64-bit mode; op[] starts at 0F. */
static int do_ldmxcsr(const u8 *op, unsigned int n, const struct prefixes *p,
		      struct kvm_regs *regs, struct insn_op *out,
		      unsigned int *size)
{
	unsigned int used;
	bool rip_rel;
	u64 addr;

	if ((op[2] >> 6) == 3 || ((op[2] >> 3) & 7) != 2 || p->rep ||
	    p->opsize)
		return -EOPNOTSUPP;
	if (modrm_addr(op + 2, n - 2, p->rex, regs, &addr, &used, &rip_rel))
		return -EOPNOTSUPP;
	*size = p->len + 2 + used;
	out->addr = rip_rel ? addr + regs->rip + *size : addr;
	return INSN_LDMXCSR;
}

/* Opcode after the prefixes: how long the instruction is and what it does. */
static int decode(const u8 *b, unsigned int len, const struct prefixes *p,
		  struct kvm_regs *regs, struct insn_op *out,
		  unsigned int *size)
{
	const u8 *op = b + p->len;
	unsigned int n = len - p->len;

	if (!p->len && n >= 1 && op[0] == 0xcc) {
		*size = 1;
		return INSN_INJECT_BP;
	}
	if (!p->len && n >= 1 && op[0] == 0x9b) {
		*size = 1;
		return INSN_DONE;
	}
	if (!p->len && n >= 3 && op[0] == 0x0f && op[1] == 0x01 &&
	    (op[2] == 0xca || op[2] == 0xcb)) {
		if (op[2] == 0xca)
			regs->rflags &= ~RFLAGS_AC;
		else
			regs->rflags |= RFLAGS_AC;
		*size = 3;
		return INSN_DONE;
	}
	if (p->rep && n >= 3 && op[0] == 0x0f && op[1] == 0xb8) {
		*size = p->len + 3;
		return do_popcnt(p, op[2], regs);
	}
	if (p->long_mode && n >= 3 && op[0] == 0x0f && op[1] == 0xae)
		return do_ldmxcsr(op, n, p, regs, out, size);
	return -EOPNOTSUPP;
}

int insn_emulate(const u8 *bytes, unsigned int len, bool long_mode,
		 struct kvm_regs *regs, struct insn_op *op)
{
	struct kvm_regs r = *regs;
	struct insn_op o = { 0 };
	struct prefixes p;
	unsigned int size = 0;
	int ret;

	if (!len || len > INSN_MAX_LEN)
		return -EOPNOTSUPP;
	read_prefixes(bytes, len, long_mode, &p);
	if (p.len >= len)
		return -EOPNOTSUPP;
	ret = decode(bytes, len, &p, &r, &o, &size);
	if (ret < 0)
		return ret;
	r.rip += size;
	*regs = r;
	*op = o;
	return ret;
}

void insn_format(const u8 *bytes, unsigned int len, char *buf, size_t size)
{
	size_t n = 0;
	unsigned int i;

	if (size)
		buf[0] = '\0';
	for (i = 0; i < len && i < INSN_MAX_LEN && n + 4 <= size; i++)
		n += (size_t)snprintf(buf + n, size - n, "%s%02x", i ? " " : "",
				      bytes[i]);
}
