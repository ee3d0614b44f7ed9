/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sevm firmware: a 64 KiB ROM ending at 4 GiB. Code and read-only data
 * from 0xffff0000, the reset block (firmware/reset.S) in the top 4 KiB,
 * .bss in RAM at LAYOUT_FW_DATA (not part of the image), the stack above
 * it up to LAYOUT_FW_DATA_END. A ROM has no writable .data.
 * Preprocessed with cpp (firmware/build.mk).
 */
#include "firmware/asm-defs.h"

OUTPUT_FORMAT("elf64-x86-64")
OUTPUT_ARCH(i386:x86-64)
ENTRY(reset_vector_entry)

SECTIONS
{
	. = FW_ROM_BASE;
	.text : {
		*(.text .text.*)
	}
	.rodata : {
		*(.rodata .rodata.*)
	}
	.data : {
		*(.data .data.* .got .got.plt .igot.plt)
	}
	__rom_used_end = .;
	.reset FW_RESET_BLOCK_BASE : {
		KEEP(*(.reset))
	}
	__rom_end = .;

	.bss ASM_LAYOUT_FW_DATA (NOLOAD) : {
		__bss_start = .;
		*(.bss .bss.* COMMON)
		. = ALIGN(16);
		__bss_end = .;
	}

	/DISCARD/ : {
		*(.comment .note .note.* .eh_frame .eh_frame_hdr)
	}
}

reset_vector_entry = FW_ROM_BASE + FW_ROM_SIZE - 0x10;

ASSERT(SIZEOF(.data) == 0,
       "sevm firmware: no writable .data in a ROM; use const or .bss")
ASSERT(__rom_used_end <= FW_RESET_BLOCK_BASE,
       "sevm firmware: code and rodata overlap the reset block")
ASSERT(SIZEOF(.reset) == FW_RESET_BLOCK_SIZE,
       "sevm firmware: .reset must be exactly FW_RESET_BLOCK_SIZE bytes")
ASSERT(__rom_end == FW_ROM_BASE + FW_ROM_SIZE,
       "sevm firmware: the image must end at 4 GiB")
ASSERT(__bss_end <= ASM_LAYOUT_FW_DATA_END - FW_STACK_SIZE,
       "sevm firmware: .bss leaves no room for the stack in LAYOUT_FW_DATA")
