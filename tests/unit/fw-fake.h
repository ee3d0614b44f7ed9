/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A fake machine for the host builds of the firmware's fw_cfg, PCI and
 * virtio modules: it defines the port and MMIO accessors of
 * firmware/hw.h and fw_printf. It has a fw_cfg device (data port and DMA),
 * PCI configuration space through 0xcf8/0xcfc and ECAM (optionally only
 * after a q35 MCH's PCIEXBAR is programmed), BAR decoding, and virtio-pci
 * modern devices (blk, console, rng) that complete requests on notify or
 * a few polls later. Used by the unit tests and the fuzz targets.
 */
#ifndef SEVM_TESTS_FW_FAKE_H
#define SEVM_TESTS_FW_FAKE_H

#include "firmware/fwtypes.h"

#define FAKE_MAX_FUNCS		40
#define FAKE_MAX_FILES		8
#define FAKE_OUT_SIZE		8192
#define FAKE_CFG_SIZE		4096
#define FAKE_DISK_SECTORS	16

struct fake_func;
typedef void (*fake_mmio_fn)(struct fake_func *f, int bar, u64 off,
			     void *data, u32 len, int write);

struct fake_func {
	u16 bdf;
	u8 cfg[FAKE_CFG_SIZE];
	u64 bar_size[6];	/* 0: no BAR in this slot */
	u32 bar_flags[6];	/* low flag bits (I/O, 64-bit, prefetch) */
	u8 cap_last, cap_end;	/* capability list being built */
	fake_mmio_fn mmio;
	void *dev;
};

/* A descriptor chain as the fake device read it (4 descriptors at most). */
struct fake_chain {
	u64 addr[4];
	u32 len[4];
	u16 flags[4];
	int n;
};

struct fake_virtio;
/*
 * A device model (fw-fake-devs.c): serves chain c of queue qi, 0 with
 * *used_len (completed), or 1 to hold it (and the queue) until the model
 * calls fake_virtio_kick.
 */
typedef int (*fake_serve_fn)(struct fake_virtio *v, u16 qi,
			     const struct fake_chain *c, u32 *used_len);

struct fake_virtio {
	struct fake_func *f;
	u16 id;			/* virtio device ID: 2 blk, 3 console, 4 rng */
	u64 offered;
	u64 accepted;
	u32 dfselect, gfselect;
	u8 status;
	u8 gen;
	u16 num_queues, qsel;
	struct {
		u16 max, size, enable, msix;
		u64 desc, avail, used;
		u16 seen;	/* avail entries consumed */
	} q[4];
	u16 msix;
	u8 devcfg[64];
	fake_serve_fn serve_fn;	/* NULL: blk, console, rng below */
	void *model;
	/* knobs */
	int refuse_features_ok;	/* FEATURES_OK does not stick */
	int never_complete;	/* requests stay in the avail ring */
	int delay_polls;	/* complete on the nth cpu_relax */
	int bad_used_id;	/* report an id the driver never used */
	int sticky_status;	/* reset is never acknowledged */
	u8 blk_status;		/* virtio-blk status byte to return */
	u32 rng_chunk;		/* bytes per rng request (0: all) */
	u32 rng_extra;		/* claim this many more bytes than given */
	/* what happened */
	u32 notifies, pending;
	u8 disk[FAKE_DISK_SECTORS * 512];
	char console[256];
	u32 console_len;
};

/* Forgets every device and the output; ECAM off, fw_cfg absent. */
void fake_reset(void);

extern char fake_out[FAKE_OUT_SIZE];
/* Is s somewhere in what fw_printf printed? */
int fake_out_has(const char *s);
/* MMIO or port accesses nothing claimed (reads gave all ones). */
extern u32 fake_stray;

/* fw_cfg: signature, ID (DMA if dma), NB_CPUS; then items and files. */
void fake_fwcfg_init(int dma, u16 nb_cpus);
void fake_fwcfg_item(u16 key, const void *data, u32 len);
void fake_fwcfg_file(const char *name, const void *data, u32 len);
extern int fake_fwcfg_dma_error;	/* DMA reports an error */
extern u32 fake_fwcfg_dma_ops;

/* PCI */
extern int fake_ecam_on;
/* 00:00.0 8086:29c0 whose PCIEXBAR turns ECAM on (0xb0000000, enabled). */
void fake_q35_mch(void);
struct fake_func *fake_pci_add(u16 bdf, u16 vendor, u16 device, u32 class,
			       u8 hdr_type);
/* flags: 1 I/O; 0 32-bit memory; 4 64-bit memory (takes slot i + 1). */
void fake_pci_bar(struct fake_func *f, int i, u32 flags, u64 size);
/* Appends a capability (id, then body[len - 2] after the next pointer). */
u8 fake_pci_cap(struct fake_func *f, u8 id, const u8 *body, u8 len);
u32 fake_cfg32(const struct fake_func *f, u16 reg);
u64 fake_bar_addr(const struct fake_func *f, int i);

/*
 * A virtio-pci modern device at bdf: BAR1 MSI-X (4 KiB), BAR4 64-bit
 * 16 KiB with common 0x0, ISR 0x1000, device 0x2000, notify 0x3000
 * (multiplier 4); capabilities for all four plus a PCI-cfg one.
 */
struct fake_virtio *fake_virtio_add(u16 bdf, u16 virtio_id);
/*
 * With an IOMMU model: every access of the blk, console and rng devices
 * (rings and buffers; not those of models) goes through this; NULL refuses it (a refused ring
 * sets DEVICE_NEEDS_RESET, a refused blk buffer gives status IOERR).
 */
typedef void *(*fake_dma_fn)(u16 bdf, u64 addr, u32 len, int write);
extern fake_dma_fn fake_dma_translate;

/* Serves queue qi again (a model that now has data for held chains). */
void fake_virtio_kick(struct fake_virtio *v, u16 qi);
/* Offset of the virtio capability of cfg_type in f's config space. */
u8 fake_virtio_cap(const struct fake_func *f, u8 cfg_type);

/* Internal: fw-fake.c calls these in fake_reset and cpu_relax. */
void fake_virtio_reset(void);
void fake_virtio_relax(void);

#endif /* SEVM_TESTS_FW_FAKE_H */
