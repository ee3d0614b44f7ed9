/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Boot images: read the files, validate them strictly, and place them in
 * guest memory. Three paths:
 *   firmware only      ROM ending at 4 GiB, vCPU 0 at the reset vector;
 *   kernel only        bzImage (64-bit boot protocol) or PVH ELF vmlinux;
 *   firmware + kernel  kernel, initrd and cmdline staged in RAM and
 *                      described to the firmware by struct sevm_handoff.
 * Every rejection prints one line naming the file and the problem and
 * returns -EINVAL (malformed), -EFBIG (too large), -ENOSPC (does not fit
 * in guest RAM) or the -errno of the failed read.
 */
#ifndef SEVM_BOOT_H
#define SEVM_BOOT_H

#include <errno.h>

#include "vmm/memory.h"
#include "lib/util.h"

#define BOOT_FIRMWARE_MAX	(16ULL << 20)	/* 16 MiB, like a pflash */
#define BOOT_KERNEL_MAX		(512ULL << 20)
#define BOOT_INITRD_MAX		(2ULL << 30)

/* Boot GDT at LAYOUT_GDT (boot_setup_gdt): selectors and limit. */
#define BOOT_GDT_ENTRIES	4
#define BOOT_GDT_LIMIT		(BOOT_GDT_ENTRIES * 8 - 1)
#define BOOT_CS			0x10	/* 64-bit code (LINUX64), 32-bit (PVH) */
#define BOOT_DS			0x18	/* flat 4 GiB data */
#define BOOT_GDT_CODE64		0x00af9b000000ffffULL
#define BOOT_GDT_CODE32		0x00cf9b000000ffffULL
#define BOOT_GDT_DATA		0x00cf93000000ffffULL

/*
 * The legacy BIOS alias: the last 128 KiB of a firmware image of at least
 * that size are also copied into RAM at 0xe0000-0xfffff (QEMU's isa-bios
 * alias with PAM shadowing), so SeaBIOS runs unmodified. A host-provided
 * copy: never measured under SEV (docs/memory-map.md).
 */
#define BOOT_BIOS_ALIAS_BASE	0xe0000ULL
#define BOOT_BIOS_ALIAS_SIZE	0x20000ULL

/* Reset vector: where vCPU 0 fetches its first instruction. */
#define BOOT_RESET_RIP		0xfffffff0ULL
/* Hand-off: the kernel and initrd are staged above at least this much
 * room from 1 MiB on (more if bzimage_end() says so), kept free for the
 * firmware to unpack the kernel into. */
#define BOOT_HANDOFF_RESERVED	(64ULL << 20)

struct blob {
	const char *path;	/* for messages */
	u8 *data;
	size_t size;
};

struct boot_images {
	struct blob firmware;	/* path NULL and size 0: none */
	struct blob kernel;
	struct blob initrd;
	const char *cmdline;	/* NULL: none */
	u64 acpi_rsdp;		/* direct boot: the RSDP's guest-physical
				 * address (set by the ACPI device), 0: none */
};

enum boot_mode {
	BOOT_RESET,		/* architectural reset state, firmware runs */
	BOOT_LINUX64,		/* 64-bit boot protocol, RSI = zero page */
	BOOT_PVH,		/* 32-bit flat protected mode, EBX = start_info */
};

struct boot_entry {
	enum boot_mode mode;
	u64 rip;
	u64 boot_params;	/* zero page (LINUX64) / hvm_start_info (PVH) */
	u64 cr3;		/* LINUX64 page tables */
	u64 gdt;		/* GDT base for LINUX64/PVH (limit BOOT_GDT_LIMIT) */
};

/* OVMF-style GUID footer table of a firmware image (docs/firmware.md,
 * docs/memory-map.md). An area entry of size 0 counts as absent. */
struct fw_info {
	u64 gpa;		/* load address: 4 GiB - size */
	u64 size;
	bool has_table;
	bool has_hashes;	/* 7255371f-3a3b-4b04-927b-1da6efa8d454 */
	u32 hashes_base, hashes_size;
	bool has_secret;	/* 4c2eb361-7d9b-4cc3-8081-127c90d3d294 */
	u32 secret_base, secret_size;
	bool has_es_reset;	/* 00f771de-1a7e-4fcb-890e-68c77e2fb44e */
	u32 es_reset;
};

/* Read the files the configuration names (limits above; NULL: none).
 * img keeps the cmdline pointer, which must outlive it. */
int boot_read_images(struct boot_images *img, const char *firmware,
		     const char *kernel, const char *initrd,
		     const char *cmdline) __must_check;
void boot_free_images(struct boot_images *img);

/* Validate every image without guest memory (fw_parse, bzimage_parse or
 * pvh_parse, initrd/cmdline limits). Run before the VM is created. */
int boot_check(const struct boot_images *img, struct fw_info *fw) __must_check;
/* Dispatch on what is present; fills entry (and fw when a firmware). */
int boot_load(struct guest_mem *mem, const struct boot_images *img,
	      struct fw_info *fw, struct boot_entry *entry) __must_check;

/* --- firmware (boot-fw.c) */
/* Validate a firmware image and parse its footer table (if any). */
int fw_parse(const struct blob *fw, struct fw_info *info) __must_check;
/* Find a GUID entry (16 bytes, EFI byte order) in the footer table. */
int fw_table_find(const u8 *img, size_t len, const u8 guid[16],
		  const u8 **data, size_t *data_len);
/* The ROM ending at 4 GiB, plus the BIOS alias for images of 128 KiB or
 * more (BOOT_BIOS_ALIAS_BASE). */
int fw_load(struct guest_mem *mem, const struct blob *fw,
	    struct fw_info *info) __must_check;

/* --- bzImage (boot-bzimage.c) */
struct bzimage_info {
	u16 version;		/* boot protocol version, >= 0x020c */
	u32 setup_size;		/* (setup_sects + 1) * 512 */
	u32 pm_size;		/* protected-mode part */
	u64 pref_address;
	u32 init_size;
	u32 kernel_alignment;
	u32 initrd_addr_max;
	u32 cmdline_size;
	u16 xloadflags;
	bool relocatable;
};

/*
 * End of the memory a bzImage loaded at 1 MiB uses until it has unpacked
 * itself: the image at 1 MiB, and init_size bytes from pref_address (the
 * decompressor never runs below LOAD_PHYSICAL_ADDR, which pref_address
 * holds). Nothing else may be placed below this address.
 */
static inline u64 bzimage_end(const struct bzimage_info *bi)
{
	u64 base = bi->pref_address;

	if (base < LAYOUT_HIGH_MEM || base >= LAYOUT_4G)
		base = LAYOUT_HIGH_MEM;
	return MAX(LAYOUT_HIGH_MEM + bi->pm_size, base + bi->init_size);
}

#ifdef CONFIG_BOOT_BZIMAGE
int bzimage_parse(const struct blob *k, struct bzimage_info *info) __must_check;
int bzimage_load(struct guest_mem *mem, const struct boot_images *img,
		 struct boot_entry *entry) __must_check;
#else
static inline int __must_check bzimage_parse(const struct blob *k,
					     struct bzimage_info *info)
{
	return -ENOSYS;
}

static inline int __must_check bzimage_load(struct guest_mem *mem,
					    const struct boot_images *img,
					    struct boot_entry *entry)
{
	return -ENOSYS;
}
#endif

/* --- PVH ELF vmlinux (boot-pvh.c, libelf) */
/* ELF magic check (boot.c, built with or without CONFIG_BOOT_PVH). */
bool pvh_is_elf(const struct blob *k);
#ifdef CONFIG_BOOT_PVH
int pvh_parse(const struct blob *k, u64 *entry32) __must_check;
int pvh_load(struct guest_mem *mem, const struct boot_images *img,
	     struct boot_entry *entry) __must_check;
#else
static inline int __must_check pvh_parse(const struct blob *k, u64 *entry32)
{
	return -ENOSYS;
}

static inline int __must_check pvh_load(struct guest_mem *mem,
					const struct boot_images *img,
					struct boot_entry *entry)
{
	return -ENOSYS;
}
#endif

/* --- firmware + kernel hand-off (boot.c) */
int handoff_load(struct guest_mem *mem, const struct boot_images *img)
	__must_check;

/*
 * Shared placement helpers (boot.c): identity page tables for the low
 * 4 GiB at LAYOUT_PAGE_TABLES, the boot GDT at LAYOUT_GDT (code segment
 * 64-bit for BOOT_LINUX64, 32-bit for BOOT_PVH), the command line at
 * LAYOUT_CMDLINE (max_len counts the NUL; NULL is ""), and the initrd at
 * the highest 4 KiB-aligned address whose end is at most
 * min(max_addr, end of low RAM), not overlapping [avoid_lo, avoid_hi) and
 * not below 1 MiB. An empty initrd is not placed (*gpa = 0).
 */
int boot_setup_page_tables(struct guest_mem *mem, u64 *cr3) __must_check;
int boot_setup_gdt(struct guest_mem *mem, enum boot_mode mode, u64 *gdt)
	__must_check;
int boot_put_cmdline(struct guest_mem *mem, const char *cmdline,
		     u32 max_len, u64 *gpa) __must_check;
int boot_place_initrd(struct guest_mem *mem, const struct blob *initrd,
		      u64 max_addr, u64 avoid_lo, u64 avoid_hi, u64 *gpa)
	__must_check;

#endif /* SEVM_BOOT_H */
