/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Long-mode helpers that C cannot express: entering the Linux kernel
 * through the 64-bit boot protocol (Documentation/arch/x86/boot.rst).
 */
#include "firmware/asm-defs.h"

	.text
	.code64

/*
 * void fw_enter_kernel(u64 entry, u64 zero_page, const void *gdt_desc)
 * Loads the GDT, CS = __BOOT_CS (0x10), DS = ES = SS = __BOOT_DS (0x18),
 * interrupts off, RSI = zero page, and jumps to entry. Never returns.
 */
	.globl	fw_enter_kernel
fw_enter_kernel:
	cli
	lgdt	(%rdx)
	movl	$FW_SEL_DATA, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	%eax, %fs
	movl	%eax, %gs
	leaq	1f(%rip), %rax
	pushq	$FW_SEL_CODE64
	pushq	%rax
	lretq
1:	xorl	%eax, %eax
	xorl	%ebx, %ebx
	xorl	%ecx, %ecx
	xorl	%edx, %edx
	xorl	%ebp, %ebp
	jmp	*%rdi

	.section .note.GNU-stack, "", @progbits
