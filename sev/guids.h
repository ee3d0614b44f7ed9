/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The OVMF/SEV GUIDs that sevm, sevm-owner and the firmware share, in one
 * place. Each expands to its 16 bytes in EFI byte order (uuid.bytes_le:
 * the first three fields little-endian), as a comma-separated list, so
 * the same macro initialises a C array ({ SEV_GUID_HASHES_AREA }) and
 * feeds an assembler directive (.byte SEV_GUID_HASHES_AREA). The _STR
 * forms are the text, for messages. Plain macros only: the freestanding
 * firmware and its assembly include this file too.
 */
#ifndef SEVM_SEV_GUIDS_H
#define SEVM_SEV_GUIDS_H

#define SEVM_GUID_BYTES(a, b, c, d0, d1, d2, d3, d4, d5, d6, d7)	\
	((a) & 0xff), (((a) >> 8) & 0xff), (((a) >> 16) & 0xff),	\
	(((a) >> 24) & 0xff), ((b) & 0xff), (((b) >> 8) & 0xff),	\
	((c) & 0xff), (((c) >> 8) & 0xff),				\
	(d0), (d1), (d2), (d3), (d4), (d5), (d6), (d7)

/* OVMF footer table (ResetVectorVtf0.asm): the table's own GUID... */
#define OVMF_GUID_FOOTER_TABLE	SEVM_GUID_BYTES(0x96b582de, 0x1fb2, 0x45f7, \
	0xba, 0xea, 0xa3, 0x66, 0xc5, 0x5a, 0x08, 0x2d)
#define OVMF_GUID_FOOTER_TABLE_STR "96b582de-1fb2-45f7-baea-a366c55a082d"
/* ...and its SEV entries: the kernel-hashes area, */
#define SEV_GUID_HASHES_AREA	SEVM_GUID_BYTES(0x7255371f, 0x3a3b, 0x4b04, \
	0x92, 0x7b, 0x1d, 0xa6, 0xef, 0xa8, 0xd4, 0x54)
#define SEV_GUID_HASHES_AREA_STR "7255371f-3a3b-4b04-927b-1da6efa8d454"
/* the launch-secret area, */
#define SEV_GUID_SECRET_AREA	SEVM_GUID_BYTES(0x4c2eb361, 0x7d9b, 0x4cc3, \
	0x80, 0x81, 0x12, 0x7c, 0x90, 0xd3, 0xd2, 0x94)
#define SEV_GUID_SECRET_AREA_STR "4c2eb361-7d9b-4cc3-8081-127c90d3d294"
/* and the SEV-ES AP reset block. */
#define SEV_GUID_ES_RESET	SEVM_GUID_BYTES(0x00f771de, 0x1a7e, 0x4fcb, \
	0x89, 0x0e, 0x68, 0xc7, 0x7e, 0x2f, 0xb4, 0x4e)
#define SEV_GUID_ES_RESET_STR	"00f771de-1a7e-4fcb-890e-68c77e2fb44e"

/* QEMU's kernel-hashes table (sev-protocol.md 8.2) and its entries. */
#define SEV_GUID_HASHES_TABLE	SEVM_GUID_BYTES(0x9438d606, 0x4f22, 0x4cc9, \
	0xb4, 0x79, 0xa7, 0x93, 0xd4, 0x11, 0xfd, 0x21)
#define SEV_GUID_HASH_CMDLINE	SEVM_GUID_BYTES(0x97d02dd8, 0xbd20, 0x4c94, \
	0xaa, 0x78, 0xe7, 0x71, 0x4d, 0x36, 0xab, 0x2a)
#define SEV_GUID_HASH_INITRD	SEVM_GUID_BYTES(0x44baf731, 0x3a2f, 0x4bd7, \
	0x9a, 0xf1, 0x41, 0xe2, 0x91, 0x69, 0x78, 0x1d)
#define SEV_GUID_HASH_KERNEL	SEVM_GUID_BYTES(0x4de79437, 0xabd2, 0x427f, \
	0xb8, 0x35, 0xd5, 0xb1, 0x72, 0xd2, 0x04, 0x5b)

/* The efi_secret table header (sev-protocol.md 7.3). */
#define SEV_GUID_SECRET_TABLE	SEVM_GUID_BYTES(0x1e74f542, 0x71dd, 0x4d66, \
	0x96, 0x3e, 0xef, 0x42, 0x87, 0xff, 0x17, 0x3b)

#endif /* SEVM_SEV_GUIDS_H */
