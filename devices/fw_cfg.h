/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * QEMU's firmware configuration interface (fw_cfg), x86 I/O-port flavour,
 * as SeaBIOS, OVMF and our firmware read it (docs/fw_cfg.md):
 *
 *   0x510  selector, 16-bit write (resets the data offset)
 *   0x511  data, 8-bit reads advancing the offset; 0 past the end
 *          (0x510 and 0x511 form one 2-byte region, as in QEMU: an 8-bit
 *          read of either reads data, a 16-bit write to either selects)
 *   0x514  DMA address, big-endian: high half at 0x514, low half at
 *          0x518 (writing it starts the transfer), or 64 bits at 0x514;
 *          reads return "QEMU CFG"
 *
 * Items are keyed by selector: the standard items below 0x20, files from
 * 0x20 (sorted by name, like QEMU, so a file's selector is its rank), the
 * x86 items from 0x8000. Every item's bytes are owned by fw_cfg (the
 * setters copy). Everything fw_cfg provides is host-provided and not
 * measured under SEV.
 *
 * Split: fw_cfg.c is the interface (no VM needed: the fuzz target and
 * tests drive it against a fake RAM); fw_cfg-dev.c is the device in the
 * table, which fills the standard content from the VM.
 *
 * Threads: items and files are added on the main thread before vCPUs
 * start; port accesses come from vCPU threads and are serialised by a
 * mutex inside struct fw_cfg (selector, offset and DMA address are
 * shared state, as in QEMU).
 */
#ifndef SEVM_DEVICES_FW_CFG_H
#define SEVM_DEVICES_FW_CFG_H

#include <errno.h>
#include <stddef.h>

#include "lib/util.h"

#define FW_CFG_NAME		"fw_cfg"

#define PORT_FW_CFG		0x510	/* selector; data at + 1 */
#define PORT_FW_CFG_DATA	0x511
#define PORT_FW_CFG_DMA		0x514	/* high half; low half at 0x518 */
#define PORT_FW_CFG_DMA_LO	0x518
#define FW_CFG_DMA_SIGNATURE	"QEMU CFG"

/* Selectors (QEMU include/standard-headers/linux/qemu_fw_cfg.h). */
#define FW_CFG_SIGNATURE	0x0000	/* "QEMU" */
#define FW_CFG_ID		0x0001	/* le32 feature bits */
#define FW_CFG_UUID		0x0002	/* 16 bytes */
#define FW_CFG_RAM_SIZE		0x0003	/* le64 */
#define FW_CFG_NOGRAPHIC	0x0004	/* le16 */
#define FW_CFG_NB_CPUS		0x0005	/* le16, CPUs at boot */
#define FW_CFG_BOOT_MENU	0x000e	/* le16 */
#define FW_CFG_MAX_CPUS		0x000f	/* le16 */
#define FW_CFG_FILE_DIR		0x0019
#define FW_CFG_FILE_FIRST	0x0020
#define FW_CFG_WRITE_CHANNEL	0x4000	/* ignored in selectors, as QEMU */
#define FW_CFG_ARCH_LOCAL	0x8000
#define FW_CFG_ENTRY_MASK	0x3fff
#define FW_CFG_IRQ0_OVERRIDE	0x8002	/* le32, x86 */
#define FW_CFG_INVALID		0xffff

#define FW_CFG_ID_TRADITIONAL	(1U << 0)
#define FW_CFG_ID_DMA		(1U << 1)

/* QEMU's default of 32 file slots: selectors 0x20-0x3f. */
#define FW_CFG_FILE_SLOTS	32
#define FW_CFG_MAX_ENTRY	(FW_CFG_FILE_FIRST + FW_CFG_FILE_SLOTS)
#define FW_CFG_FILE_NAME_MAX	56	/* including the NUL */
#define FW_CFG_DIR_ENTRY_SIZE	64
/* The directory item: be32 count, then every slot (unused ones zero). */
#define FW_CFG_DIR_SIZE		(4 + FW_CFG_DIR_ENTRY_SIZE * FW_CFG_FILE_SLOTS)
#define FW_CFG_ITEM_MAX		(256ULL << 20)	/* largest item we accept */

/* struct FWCfgDmaAccess, all big-endian, in guest memory. */
struct fw_cfg_dma_access {
	u32 control;
	u32 length;
	u64 address;
} __packed;

#define FW_CFG_DMA_CTL_ERROR	(1U << 0)
#define FW_CFG_DMA_CTL_READ	(1U << 1)
#define FW_CFG_DMA_CTL_SKIP	(1U << 2)
#define FW_CFG_DMA_CTL_SELECT	(1U << 3)
#define FW_CFG_DMA_CTL_WRITE	(1U << 4)

/* fw_cfg is no PCI function: its DMA endpoint is this made-up ID. */
#define FW_CFG_DMA_ENDPOINT	0xffff

/* QEMU's etc/e820 entry: le64 address, le64 length, le32 type, packed. */
#define FW_CFG_E820_ENTRY_SIZE	20

struct device_ops;
struct dma_as;
struct fw_cfg;
struct guest_mem;
struct vm;
struct vm_config;

/*
 * A fresh fw_cfg with the signature, the ID (traditional + DMA) and an
 * empty directory; DMA goes through its own struct dma_as over mem (bus
 * mastering always on, endpoint FW_CFG_DMA_ENDPOINT). NULL on ENOMEM.
 */
struct fw_cfg *fw_cfg_new(const struct guest_mem *mem);
void fw_cfg_free(struct fw_cfg *fw);

/*
 * Set (or replace) a non-file item: key below FW_CFG_FILE_DIR and not
 * the signature, ID or directory, or an x86 item (0x8000 | index below
 * FW_CFG_MAX_ENTRY). The bytes are copied. -EINVAL for other keys,
 * -EFBIG above FW_CFG_ITEM_MAX, -ENOMEM.
 */
int fw_cfg_set_item(struct fw_cfg *fw, u16 key, const void *data, u32 len)
	__must_check;
int fw_cfg_set_u16(struct fw_cfg *fw, u16 key, u16 val) __must_check;
int fw_cfg_set_u32(struct fw_cfg *fw, u16 key, u32 val) __must_check;
int fw_cfg_set_u64(struct fw_cfg *fw, u16 key, u64 val) __must_check;

/*
 * Add a file (the bytes are copied; len 0 is an empty file). Files are
 * kept sorted by name (strcmp), so adding one renumbers those after it:
 * add every file before the guest runs. -EEXIST (duplicate name),
 * -ENAMETOOLONG (55 characters at most), -EINVAL (empty name, or no
 * data with len > 0),
 * -ENOSPC (all FW_CFG_FILE_SLOTS used), -EFBIG, -ENOMEM.
 */
#ifdef CONFIG_DEV_FW_CFG
int fw_cfg_add_file(struct fw_cfg *fw, const char *name, const void *data,
		    u32 len) __must_check;
#else
static inline int fw_cfg_add_file(struct fw_cfg *fw, const char *name,
				  const void *data, u32 len)
{ return -ENOSYS; }
#endif
/* Replace a file's bytes, or add it if absent. Same errors. */
int fw_cfg_set_file(struct fw_cfg *fw, const char *name, const void *data,
		    u32 len) __must_check;
/* The selector of a file, or -ENOENT. */
int fw_cfg_file_select(const struct fw_cfg *fw, const char *name);

/*
 * The "bootorder" file: newline-separated OpenFirmware device paths,
 * stored as QEMU does (NUL-terminated, no trailing newline); NULL or ""
 * makes it empty (size 0).
 */
int fw_cfg_set_bootorder(struct fw_cfg *fw, const char *list) __must_check;

/* Port access at absolute port (0x510-0x511, 0x514-0x51b), len 1-8. */
void fw_cfg_pio(struct fw_cfg *fw, u16 port, void *data, u32 len,
		bool is_write);

/*
 * fw_cfg's DMA view of guest memory, to install translation stages (the
 * SEV shared-page set) before the guest runs; its refused counter counts
 * the descriptors and buffers refused so far.
 */
struct dma_as *fw_cfg_dma_as(struct fw_cfg *fw);

/* --- the device (fw_cfg-dev.c) */

/*
 * The standard content from a VM's configuration and memory: NB_CPUS
 * and MAX_CPUS (cfg->cpus), RAM_SIZE, UUID (zero), IRQ0_OVERRIDE 1,
 * BOOT_MENU 0, etc/e820 (mem_e820), etc/show-boot-menu (le16 0), an
 * empty bootorder, and, unless the serial console is "none", NOGRAPHIC 1
 * and etc/sercon-port (le16 0x3f8).
 */
int fw_cfg_add_standard(struct fw_cfg *fw, const struct vm_config *cfg,
			const struct guest_mem *mem) __must_check;

/* The VM's fw_cfg (NULL when configured out): add files before vm_start. */
#ifdef CONFIG_DEV_FW_CFG
struct fw_cfg *fw_cfg_of(struct vm *vm);
#else
static inline struct fw_cfg *fw_cfg_of(struct vm *vm) { return NULL; }
#endif

extern const struct device_ops fw_cfg_ops;

#endif /* SEVM_DEVICES_FW_CFG_H */
