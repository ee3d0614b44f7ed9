/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The contract between sevm and its firmware: the guest-physical memory
 * map, the hand-off structure, the boot-marker codes written to port 0x80
 * and the test-exit statuses. Freestanding: only <stdint.h> types, so the
 * firmware and the VMM include the same file. See docs/firmware.md.
 */
#ifndef SEVM_FIRMWARE_HANDOFF_H
#define SEVM_FIRMWARE_HANDOFF_H

#include <stdint.h>

/* ---- Guest-physical memory map (low 1 MiB), shared by VMM and firmware */
#define LAYOUT_GDT		0x00000500u	/* boot GDT (direct boot) */
#define LAYOUT_PAGE_TABLES	0x00001000u	/* PML4, PDPT, 4 x PD: 0x1000-0x6fff */
#define LAYOUT_PAGE_TABLES_END	0x00007000u
#define LAYOUT_ZERO_PAGE	0x00007000u	/* boot_params / hvm_start_info */
#define LAYOUT_HANDOFF		0x00008000u	/* struct sevm_handoff (VMM -> firmware) */
#define LAYOUT_SEV_HASHES	0x00009000u	/* SEV hashes table area */
#define LAYOUT_SEV_HASHES_SIZE	0x00000400u
#define LAYOUT_SEV_SECRET	0x0000a000u	/* SEV secret area */
#define LAYOUT_SEV_SECRET_SIZE	0x00001000u
#define LAYOUT_FW_DATA		0x0000b000u	/* firmware .bss and stack */
#define LAYOUT_FW_DATA_END	0x00020000u
#define LAYOUT_CMDLINE		0x00020000u	/* kernel command line */
#define LAYOUT_CMDLINE_MAX	0x00010000u
#define LAYOUT_LOW_RAM_END	0x0009fc00u	/* EBDA and legacy hole above */
#define LAYOUT_HIGH_MEM		0x00100000u	/* 1 MiB: protected-mode kernel */

/* ---- q35-like map below 4 GiB */
#define LAYOUT_PCIE_MMCONFIG	0xb0000000u	/* PCI hole starts here: ECAM */
#define LAYOUT_PCIE_MMCONFIG_SIZE 0x10000000u	/* 256 buses x 1 MiB */
#define LAYOUT_PCI_IO_BASE	0x0000c000u	/* I/O BARs, up to 0xffff */
#define LAYOUT_PCI_IO_END	0x00010000u
#define LAYOUT_LOWMEM_SPLIT	0x80000000u	/* low RAM cap when RAM >= 2.75 GiB */
#define LAYOUT_PCI_MMIO32_BASE	0xc0000000u	/* 32-bit PCI BAR window */
#define LAYOUT_PCI_MMIO32_SIZE	0x3ec00000u	/* ... up to 0xfebfffff */
#define LAYOUT_PCI_MMIO32_END	0xfec00000u	/* = LAYOUT_IOAPIC */
#define LAYOUT_IOAPIC		0xfec00000u
#define LAYOUT_GED		0xfedf0000u	/* ACPI GED event registers */
#define LAYOUT_GED_SIZE		0x00001000u	/* (docs/acpi.md) */
#define LAYOUT_LAPIC		0xfee00000u
#define LAYOUT_4G		0x100000000ull

/* ---- Interrupts (GSIs of the IOAPIC) */
#define GSI_COM1		4
#define GSI_GED			9	/* edge, active high: ISA defaults */

/* ---- I/O ports */
#define PORT_DEBUG		0x80	/* boot markers: one byte per write */
#define PORT_TEST_EXIT		0xf4	/* byte V: stop the VM with status V */
#define PORT_I8042_CMD		0x64	/* 0xfe: reset */
#define PORT_COM1		0x3f8
#define PORT_PCI_IO_BASE	0xc000	/* PCI I/O BARs: 0xc000-0xffff */
#define PORT_PCI_CONFIG_ADDR	0xcf8	/* 32-bit: enable|bus|dev|fn|reg */
#define PORT_PCI_CONFIG_DATA	0xcfc
#define PORT_FW_CFG_SEL		0x510	/* 16-bit item selector */
#define PORT_FW_CFG_DATA	0x511	/* 8-bit data */
#define PORT_FW_CFG_DMA		0x514	/* be32 high half; low at 0x518 */
/*
 * SEV page-sharing stand-in for KVM_HC_MAP_GPA_RANGE (docs/security.md):
 * `out %al, $0xe6` with the hypercall's registers (RAX = 12, RBX = gpa,
 * RCX = 4 KiB pages, RDX = attributes); the VMM returns the hypercall's
 * result in RAX. This host's KVM never delivers vmmcall/vmcall.
 */
#define PORT_SEV_SHARE		0xe6

/* ---- Boot markers (port 0x80). 0x00-0x1f firmware, 0x40-0x5f kernel */
enum sevm_boot_marker {
	MARK_RESET_VECTOR	= 0x01,	/* first instruction executed */
	MARK_PROTECTED_MODE	= 0x02,
	MARK_LONG_MODE		= 0x03,
	MARK_C_ENTRY		= 0x04,
	MARK_SEV_DETECTED	= 0x05,
	MARK_HANDOFF_FOUND	= 0x08,
	MARK_HASHES_VERIFIED	= 0x09,
	MARK_SELFTEST_START	= 0x10,
	MARK_SELFTEST_DONE	= 0x11,
	MARK_KERNEL_JUMP	= 0x1a,	/* about to enter the kernel */
	MARK_BAD_KERNEL		= 0x1c,	/* kernel hash mismatch */
	MARK_BAD_INITRD		= 0x1d,	/* initrd hash mismatch */
	MARK_BAD_CMDLINE	= 0x1e,	/* cmdline hash mismatch */
	MARK_FATAL		= 0x1f,	/* any other firmware failure */
};

/* ---- Test-exit statuses written by the firmware (sevm exits 64 + V) */
enum sevm_fw_status {
	FW_STATUS_OK		= 0,	/* self test passed */
	FW_STATUS_SELFTEST_FAIL	= 1,
	FW_STATUS_BAD_HANDOFF	= 2,	/* malformed hand-off structure */
	FW_STATUS_BAD_KERNEL	= 16,	/* kernel SHA-256 != hashes table */
	FW_STATUS_BAD_INITRD	= 17,
	FW_STATUS_BAD_CMDLINE	= 18,
	FW_STATUS_NO_HASHES	= 19,	/* SEV guest without a valid table */
	FW_STATUS_BAD_BZIMAGE	= 20,	/* kernel is not a usable bzImage */
	FW_STATUS_FATAL		= 31,
};

/* ---- Hand-off structure at LAYOUT_HANDOFF */
#define SEVM_HANDOFF_MAGIC	0x46464f484d564553ull	/* "SEVMHOFF" */
#define SEVM_HANDOFF_VERSION	1
/* The same bytes as a fw_cfg file, read first (works under SEV too). */
#define SEVM_FWCFG_HANDOFF	"opt/org.sevm/handoff"
#define SEVM_HANDOFF_MAX_E820	32

/*
 * fw_cfg file present for SEV guests: how to report shared pages to the
 * VMM. port: the I/O port stand-in (PORT_SEV_SHARE), 0 = the guest uses
 * the vmmcall hypercall; flags: SEVM_SEV_DMA_CHECK when the VMM refuses
 * device DMA outside shared pages. Little-endian.
 */
#define SEVM_FWCFG_SEV_DMA	"opt/org.sevm/sev-dma"
#define SEVM_SEV_DMA_CHECK	0x1
struct sevm_sev_dma {
	uint16_t port;
	uint16_t flags;
	uint32_t reserved;		/* 0 */
} __attribute__((packed));

#define E820_RAM		1
#define E820_RESERVED		2

struct sevm_e820 {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
} __attribute__((packed));

/*
 * Written by the VMM when it is given both a firmware and a kernel. All
 * addresses are guest-physical. A blob's size 0 means "absent" (no initrd).
 * cmdline_size counts the terminating NUL. The firmware validates every
 * field against the e820 map before use.
 */
struct sevm_handoff {
	uint64_t magic;			/* SEVM_HANDOFF_MAGIC */
	uint32_t version;		/* SEVM_HANDOFF_VERSION */
	uint32_t size;			/* sizeof(struct sevm_handoff) */
	uint64_t kernel_addr;		/* bzImage file, unmodified */
	uint64_t kernel_size;
	uint64_t initrd_addr;
	uint64_t initrd_size;
	uint64_t cmdline_addr;		/* NUL-terminated */
	uint64_t cmdline_size;
	uint32_t flags;			/* reserved, 0 */
	uint32_t nr_e820;
	struct sevm_e820 e820[SEVM_HANDOFF_MAX_E820];
} __attribute__((packed));

_Static_assert(sizeof(struct sevm_handoff) == 72 + 20 * SEVM_HANDOFF_MAX_E820,
	       "hand-off ABI");

#endif /* SEVM_FIRMWARE_HANDOFF_H */
