/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The bundled firmware image (build/firmware/sevm-fw.bin), linked into
 * sevm and sevm-owner as read-only data. SEVM_FW_IMAGE_PATH is set by
 * firmware/build.mk, which also makes this object depend on the image, so
 * a firmware change rebuilds it and relinks both binaries. Read it only
 * through lib/fw-embed.h.
 */
	.section .rodata.sevm_fw_image, "a", @progbits
	.balign 64
	.globl	sevm_fw_image_start
	.type	sevm_fw_image_start, @object
sevm_fw_image_start:
	.incbin	SEVM_FW_IMAGE_PATH
	.globl	sevm_fw_image_end
	.type	sevm_fw_image_end, @object
sevm_fw_image_end:
	.size	sevm_fw_image_start, sevm_fw_image_end - sevm_fw_image_start

	.section .note.GNU-stack, "", @progbits
