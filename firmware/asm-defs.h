/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Constants of firmware/handoff.h for the assembler and the linker script,
 * which cannot read C enums or structs. firmware/main.c checks each one
 * against handoff.h with _Static_assert, and so does test_fw_image.
 */
#ifndef SEVM_FIRMWARE_ASM_DEFS_H
#define SEVM_FIRMWARE_ASM_DEFS_H

/*
 * The 48 KiB image ends at 4 GiB; .reset is its top 4 KiB. 48 KiB keeps
 * the SEV-measured payload (image + 176-byte hashes table) under 64 KiB.
 * Real mode starts with CS base 0xffff0000 whatever the image size.
 */
#define FW_ROM_BASE		0xffff4000
#define FW_ROM_SIZE		0xc000
#define FW_RESET_CS_BASE	0xffff0000
#define FW_RESET_BLOCK_SIZE	0x1000
#define FW_RESET_BLOCK_BASE	(FW_ROM_BASE + FW_ROM_SIZE - \
				 FW_RESET_BLOCK_SIZE)
#define FW_STACK_SIZE		0x4000

/* Boot GDT selectors (Linux __BOOT_CS / __BOOT_DS are 0x10 / 0x18). */
#define FW_SEL_CODE32		0x08
#define FW_SEL_CODE64		0x10
#define FW_SEL_DATA		0x18

/* Copies of handoff.h values (checked in main.c). */
#define ASM_PORT_DEBUG		0x80
#define ASM_PORT_TEST_EXIT	0xf4
#define ASM_MARK_RESET_VECTOR	0x01
#define ASM_MARK_PROTECTED_MODE	0x02
#define ASM_MARK_LONG_MODE	0x03
#define ASM_MARK_FATAL		0x1f
#define ASM_FW_STATUS_FATAL	31
#define ASM_LAYOUT_PAGE_TABLES	0x00001000
#define ASM_LAYOUT_SEV_HASHES	0x00009000
#define ASM_LAYOUT_SEV_HASHES_SIZE 0x00000400
#define ASM_LAYOUT_SEV_SECRET	0x0000a000
#define ASM_LAYOUT_SEV_SECRET_SIZE 0x00001000
#define ASM_LAYOUT_FW_DATA	0x0000b000
#define ASM_LAYOUT_FW_DATA_END	0x00020000

/* x86 architectural values */
#define X86_CR0_PE		0x00000001
#define X86_CR0_PG		0x80000000
#define X86_CR4_PAE		0x00000020
#define MSR_EFER		0xc0000080
#define EFER_LME		0x00000100
#define MSR_SEV_STATUS		0xc0010131
#define CPUID_SEV_LEAF		0x8000001f

#endif /* SEVM_FIRMWARE_ASM_DEFS_H */
