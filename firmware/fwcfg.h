/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * QEMU's fw_cfg interface (docs/specs/fw_cfg.txt in QEMU; sevm provides the
 * same): a 16-bit selector at PORT_FW_CFG_SEL, byte reads at
 * PORT_FW_CFG_DATA, and optionally DMA through PORT_FW_CFG_DMA. Items are
 * little-endian, except the file directory and the DMA descriptor, which
 * are big-endian. Everything read here comes from the host: sizes and
 * counts are bounded before use.
 */
#ifndef SEVM_FIRMWARE_FWCFG_H
#define SEVM_FIRMWARE_FWCFG_H

#include "firmware/fwtypes.h"
#include "firmware/handoff.h"

#define FWCFG_SIGNATURE		0x0000	/* "QEMU" */
#define FWCFG_ID		0x0001	/* le32 feature bits */
#define FWCFG_NB_CPUS		0x0005	/* le16 */
#define FWCFG_FILE_DIR		0x0019	/* be32 count, then entries */

#define FWCFG_ID_TRADITIONAL	(1u << 0)
#define FWCFG_ID_DMA		(1u << 1)

#define FWCFG_DMA_ERROR		0x01u
#define FWCFG_DMA_READ		0x02u
#define FWCFG_DMA_SKIP		0x04u
#define FWCFG_DMA_SELECT	0x08u

#define FWCFG_NAME_LEN		56
#define FWCFG_DIR_ENTRY_SIZE	64
/* More directory entries than this are not looked at (QEMU has 32 slots). */
#define FWCFG_MAX_FILES		256
#define FWCFG_DMA_POLLS		100000
#define FWCFG_E820_ENTRY_SIZE	20	/* le64 addr, le64 size, le32 type */

struct fwcfg {
	int present;		/* "QEMU" signature seen */
	int dma;		/* ID offers DMA and the caller allows it */
	u32 id;
};

struct fwcfg_file {
	u32 size;
	u16 select;
	char name[FWCFG_NAME_LEN + 1];	/* always NUL-terminated */
};

/* The DMA descriptor (big-endian fields), as the device reads it. */
struct fwcfg_dma {
	u32 control;
	u32 length;
	u64 address;
};

_Static_assert(sizeof(struct fwcfg_dma) == 16, "fw_cfg DMA descriptor");

/*
 * Reads the signature through the data port; on a match, reads the ID and
 * uses DMA from then on when the ID offers it and allow_dma is set (not
 * under SEV, whose DMA buffers would have to be shared). Returns 1 when
 * fw_cfg is present, 0 when not.
 */
int fwcfg_probe(struct fwcfg *c, int allow_dma);
void fwcfg_select(u16 key);
/* The next len bytes of the selected item; 0, or -1 when DMA failed. */
int fwcfg_read(const struct fwcfg *c, void *buf, u32 len);
/* Decodes one 64-byte directory entry. */
void fwcfg_dir_entry(const u8 *raw, struct fwcfg_file *f);
/* Looks name up in the file directory: 1 found (*f filled), 0, or -1. */
int fwcfg_find(const struct fwcfg *c, const char *name, struct fwcfg_file *f);
/* NB_CPUS, or 0 when unreadable. */
u16 fwcfg_nb_cpus(const struct fwcfg *c);
/*
 * "etc/e820" into at most max entries; *n is the number read. Returns 0,
 * or -1 when the file is absent, empty or unreadable.
 */
int fwcfg_read_e820(const struct fwcfg *c, struct sevm_e820 *e, u32 max,
		    u32 *n);

/*
 * The end of the highest E820_RAM entry below 4 GiB (clipped to 4 GiB),
 * skipping empty and wrapping entries; 0 when there is none.
 */
u64 e820_low_ram_end(const struct sevm_e820 *e, u32 n);
/* Is [addr, addr + len) inside one E820_RAM entry? */
int e820_is_ram(const struct sevm_e820 *e, u32 n, u64 addr, u64 len);

#endif /* SEVM_FIRMWARE_FWCFG_H */
