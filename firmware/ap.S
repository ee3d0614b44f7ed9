/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Application-processor trampoline, copied by firmware/smp.c to a 4 KiB
 * page below 1 MiB and started by INIT-SIPI-SIPI (CS = page >> 4, IP = 0).
 * Real mode, position-independent: it counts itself in the word at
 * ap_tramp_counter (inside the copied page) and halts for good.
 */
	.section .rodata.ap_tramp, "a"
	.globl	ap_tramp_start, ap_tramp_end, ap_tramp_counter
	.code16
ap_tramp_start:
	cli
	lock incl %cs:(ap_tramp_counter - ap_tramp_start)
1:	hlt
	jmp	1b
	.balign	4
ap_tramp_counter:
	.long	0
ap_tramp_end:

	.section .note.GNU-stack, "", @progbits
