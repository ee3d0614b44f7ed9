/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The top 4 KiB of the image (section .reset, linked at 0xfffff000):
 * 16-bit entry, protected mode, the boot page tables, long mode, the boot
 * GDT, the OVMF-style GUID footer table and the reset vector. Everything
 * here runs from ROM and nothing is written to it, which is why the GDT
 * descriptors carry their accessed bits already. There is no stack until
 * long mode: the 32-bit code makes no calls.
 *
 * Offsets within CS in real mode: the reset CS base is 0xffff0000 and
 * near jumps keep it, so a label's offset is 0xf000 + (label - start).
 */
#include "firmware/asm-defs.h"
#include "sev/guids.h"

#define RM_OFF(sym)	(FW_RESET_BLOCK_BASE - FW_RESET_CS_BASE + \
			 (sym) - reset_start)

#define TABLE_LEN	92	/* 22 + 26 + 26 + u16 length + footer GUID */
#define TABLE_END	(FW_RESET_BLOCK_SIZE - 0x20)
#define PT_PML4		ASM_LAYOUT_PAGE_TABLES
#define PT_PDPT		(ASM_LAYOUT_PAGE_TABLES + 0x1000)
#define PT_PD		(ASM_LAYOUT_PAGE_TABLES + 0x2000)

	.section .reset, "ax"
	.code16
reset_start:
real16_start:
	cli
	cld
	lgdtl	%cs:RM_OFF(gdt_desc)
	movl	%cr0, %eax
	andl	$0x9fffffff, %eax		/* caches on: clear CD, NW */
	orl	$X86_CR0_PE, %eax
	movl	%eax, %cr0
	ljmpl	$FW_SEL_CODE32, $pm32_start

/* SEV-ES AP reset target (footer table): park the CPU. */
ap_park:
	cli
	hlt
	jmp	ap_park

	.code32
pm32_start:
	movl	$FW_SEL_DATA, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	%eax, %fs
	movl	%eax, %gs
	movb	$ASM_MARK_PROTECTED_MODE, %al
	outb	%al, $ASM_PORT_DEBUG

	/*
	 * SEV: CPUID 0x8000001f EAX[1], then SEV_STATUS bit 0. The C-bit
	 * mask (EBX[5:0]) ends in esi (low half) : ebp (high half).
	 */
	xorl	%esi, %esi
	xorl	%ebp, %ebp
	movl	$0x80000000, %eax
	cpuid
	cmpl	$CPUID_SEV_LEAF, %eax
	jb	no_sev
	movl	$CPUID_SEV_LEAF, %eax
	cpuid
	btl	$1, %eax
	jnc	no_sev
	movl	%ebx, %edi
	movl	$MSR_SEV_STATUS, %ecx
	rdmsr
	btl	$0, %eax
	jnc	no_sev
	movl	%edi, %ecx
	andl	$0x3f, %ecx
	cmpl	$32, %ecx
	jae	1f
	movl	$1, %esi
	shll	%cl, %esi
	jmp	no_sev
1:	subl	$32, %ecx
	movl	$1, %ebp
	shll	%cl, %ebp
no_sev:

	/*
	 * Identity map of the low 4 GiB with 2 MiB pages: PML4, PDPT and 4
	 * PDs at LAYOUT_PAGE_TABLES. Under SEV every entry has the C-bit;
	 * firmware/pagetable.c refines that once C runs.
	 */
	movl	$PT_PML4, %edi
	xorl	%eax, %eax
	movl	$(6 * 1024), %ecx
	rep stosl
	movl	$(PT_PDPT | 3), %eax
	orl	%esi, %eax
	movl	%eax, PT_PML4
	movl	%ebp, PT_PML4 + 4
	xorl	%ecx, %ecx
1:	movl	%ecx, %eax
	shll	$12, %eax
	addl	$(PT_PD | 3), %eax
	orl	%esi, %eax
	movl	%eax, PT_PDPT(, %ecx, 8)
	movl	%ebp, PT_PDPT + 4(, %ecx, 8)
	incl	%ecx
	cmpl	$4, %ecx
	jb	1b
	/*
	 * 2048 PD entries, four per iteration, each the previous + 2 MiB:
	 * this code runs emulated at ~1M instructions/s on a software KVM,
	 * so instructions per entry are what the boot pays. The high halves
	 * are already zero unless the C-bit is above bit 31 (ebp != 0).
	 */
	movl	$0x83, %eax			/* present, writable, 2 MiB */
	orl	%esi, %eax
	movl	$PT_PD, %edi
	testl	%ebp, %ebp
	jnz	2f
	movl	$(2048 / 4), %ecx
1:	movl	%eax, (%edi)
	addl	$0x200000, %eax
	movl	%eax, 8(%edi)
	addl	$0x200000, %eax
	movl	%eax, 16(%edi)
	addl	$0x200000, %eax
	movl	%eax, 24(%edi)
	addl	$0x200000, %eax
	addl	$32, %edi
	decl	%ecx
	jnz	1b
	jmp	3f
2:	movl	$2048, %ecx			/* C-bit above bit 31 */
4:	movl	%eax, (%edi)
	movl	%ebp, 4(%edi)
	addl	$0x200000, %eax
	addl	$8, %edi
	decl	%ecx
	jnz	4b
3:

	movl	%cr4, %eax
	orl	$X86_CR4_PAE, %eax
	movl	%eax, %cr4
	movl	$PT_PML4, %eax
	movl	%eax, %cr3
	movl	$MSR_EFER, %ecx
	rdmsr
	orl	$EFER_LME, %eax
	wrmsr
	movl	%cr0, %eax
	orl	$X86_CR0_PG, %eax
	movl	%eax, %cr0
	ljmpl	$FW_SEL_CODE64, $lm64_start

	.code64
lm64_start:
	movl	$FW_SEL_DATA, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	%eax, %fs
	movl	%eax, %gs
	movb	$ASM_MARK_LONG_MODE, %al
	outb	%al, $ASM_PORT_DEBUG
	movl	%ebp, %r12d
	shlq	$32, %r12
	movl	%esi, %esi
	orq	%rsi, %r12			/* r12 = C-bit mask */
	movl	$ASM_LAYOUT_FW_DATA_END, %esp
	movl	$__bss_start, %edi
	movl	$__bss_end, %ecx
	subl	%edi, %ecx
	shrl	$3, %ecx			/* fw.lds: 16-byte multiple */
	xorl	%eax, %eax
	rep stosq
	movq	%r12, %rdi
	call	fw_main
1:	cli
	hlt
	jmp	1b

/* Boot GDT: also the one the kernel gets (__BOOT_CS 0x10, __BOOT_DS 0x18) */
	.balign 8
	.globl	fw_gdt, fw_gdt_end
fw_gdt:
	.quad	0
	.quad	0x00cf9b000000ffff	/* 0x08: 32-bit code, accessed */
	.quad	0x00af9b000000ffff	/* 0x10: 64-bit code, accessed */
	.quad	0x00cf93000000ffff	/* 0x18: data, accessed */
fw_gdt_end:
gdt_desc:
	.word	fw_gdt_end - fw_gdt - 1
	.long	fw_gdt

/*
 * GUID footer table (edk2 ResetVectorVtf0.asm): entries "data || u16 len
 * || GUID" walked backwards from the footer GUID, which is the 16 bytes
 * ending 0x20 before the end of the image; the u16 before it is the table
 * length, footer included. GUIDs in EFI byte order.
 */
	.org	TABLE_END - TABLE_LEN, 0xf4
table_start:
	/* SEV-ES reset block 00f771de-1a7e-4fcb-890e-68c77e2fb44e */
	.long	FW_RESET_BLOCK_BASE + (ap_park - reset_start)
	.word	22
	.byte	SEV_GUID_ES_RESET
	/* SEV secret area 4c2eb361-7d9b-4cc3-8081-127c90d3d294 */
	.long	ASM_LAYOUT_SEV_SECRET, ASM_LAYOUT_SEV_SECRET_SIZE
	.word	26
	.byte	SEV_GUID_SECRET_AREA
	/* SEV hashes area 7255371f-3a3b-4b04-927b-1da6efa8d454 */
	.long	ASM_LAYOUT_SEV_HASHES, ASM_LAYOUT_SEV_HASHES_SIZE
	.word	26
	.byte	SEV_GUID_HASHES_AREA
	/* table length, footer 96b582de-1fb2-45f7-baea-a366c55a082d */
	.word	TABLE_LEN
	.byte	OVMF_GUID_FOOTER_TABLE
table_end:
	.if	table_end - table_start - TABLE_LEN
	.error	"GUID footer table length is not TABLE_LEN"
	.endif
	.org	FW_RESET_BLOCK_SIZE - 0x10, 0

/* Reset vector (0xfffffff0): the very first instruction is the marker. */
	.code16
reset_vector:
	movb	$ASM_MARK_RESET_VECTOR, %al
	outb	%al, $ASM_PORT_DEBUG
	jmp	real16_start
	.org	FW_RESET_BLOCK_SIZE, 0xf4

	.section .note.GNU-stack, "", @progbits
