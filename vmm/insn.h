/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A fallback for hosts whose KVM cannot emulate an instruction (software
 * and nested KVMs, where sevm is tested): when KVM_RUN stops with
 * KVM_EXIT_INTERNAL_ERROR / KVM_INTERNAL_ERROR_EMULATION, the vCPU loop
 * hands the instruction bytes here. A few instructions that a Linux guest
 * meets early are carried out on the saved registers:
 *
 *   int3 (CC)             #BP injected as a trap: RIP past the int3
 *   clac / stac (0F 01 CA/CB)  RFLAGS.AC cleared / set
 *   popcnt r, r (F3 [REX] 0F B8 /r, register forms)
 *   fwait (9B)            nothing to wait for (no x87 exceptions pending)
 *   ldmxcsr m32 (0F AE /2, 64-bit mode, memory operand: Linux's
 *                         kernel_fpu_begin()); the caller loads MXCSR
 *
 * Anything else is refused, and the VM stops with the bytes and RIP in
 * one line. See docs/linux.md.
 */
#ifndef SEVM_INSN_H
#define SEVM_INSN_H

#include <linux/kvm.h>

#include "lib/util.h"

#define INSN_MAX_LEN	15
#define X86_VEC_BP	3
#define X86_VEC_GP	13
/* MXCSR bits a guest may set (flags, DAZ, masks, RC, FZ); others #GP. */
#define INSN_MXCSR_VALID	0xffffU

enum insn_result {
	INSN_DONE,		/* registers updated; resume */
	INSN_INJECT_BP,		/* registers updated; inject #BP, then resume */
	INSN_LDMXCSR,		/* registers updated; load MXCSR from the
				 * 4 bytes at op->addr, then resume */
};

/* What the caller must do besides the registers. */
struct insn_op {
	u64 addr;		/* linear address of the memory operand */
};

/*
 * Carry out the instruction in bytes[0..len) on regs (RIP advanced).
 * long_mode: 64-bit code segment (REX prefixes exist). Returns an
 * enum insn_result (op filled for INSN_LDMXCSR), or -EOPNOTSUPP (regs
 * unchanged) for anything else.
 */
int insn_emulate(const u8 *bytes, unsigned int len, bool long_mode,
		 struct kvm_regs *regs, struct insn_op *op);
/* "0f 01 ca" into buf (at least 3 * INSN_MAX_LEN bytes). */
void insn_format(const u8 *bytes, unsigned int len, char *buf, size_t size);

#endif /* SEVM_INSN_H */
