/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Guest memory: memfd-backed RAM (optionally on 2 MiB hugetlb pages) in
 * one host mapping, split into KVM slots by a q35-like layout: low RAM up
 * to the PCI hole below 4 GiB, the rest from 4 GiB. Firmware ROM is a
 * separate read-only slot ending at 4 GiB. Optional locking: mlock plus a
 * parallel pre-fault, with RLIMIT_MEMLOCK checked up front.
 */
#ifndef SEVM_MEMORY_H
#define SEVM_MEMORY_H

#include "firmware/handoff.h"
#include "lib/util.h"

#define MEM_MAX_REGIONS	4
#define MEM_RAM_MIN	SZ_2M		/* smallest guest RAM mem_alloc accepts */
#define MEM_RAM_MAX	(1ULL << 40)	/* largest: 1 TiB */
#define MEM_ROM_MAX	(16ULL << 20)	/* largest ROM (ends at 4 GiB) */
#define MEM_HUGEPAGE	SZ_2M
#define MEM_HUGETLB_SYSFS "/sys/kernel/mm/hugepages/hugepages-2048kB"

enum mem_region_kind { MEM_RAM, MEM_ROM };

struct mem_region {
	enum mem_region_kind kind;
	u64 gpa;
	u64 size;
	u8 *hva;
	u32 slot;
};

struct guest_mem {
	int memfd;			/* RAM backing */
	u8 *ram;			/* host mapping of all RAM, contiguous */
	u64 ram_size;
	bool hugepages;
	bool locked;
	bool rom_writable;		/* set before mem_map: map the ROM slot
					 * without KVM_MEM_READONLY (VM types
					 * with protected state refuse it) */
	struct mem_region regions[MEM_MAX_REGIONS];
	unsigned int nr_regions;
};

/*
 * Pure layout: the RAM regions (gpa, size) for ram_size bytes. Low RAM
 * ends at min(ram, 0xb0000000) unless ram >= 2.75 GiB, then at 2 GiB
 * (QEMU q35's rule); the remainder starts at 4 GiB.
 */
unsigned int mem_layout(u64 ram_size, struct mem_region *out);

/* Create the memfd and mapping. -ENOMEM with a message naming hugepages
 * ("reserve some in /proc/sys/vm/nr_hugepages") when none are free. */
int mem_alloc(struct guest_mem *mem, u64 ram_size, bool hugepages) __must_check;
/* Add a read-only ROM region of size bytes ending at 4 GiB; returns its hva. */
int mem_add_rom(struct guest_mem *mem, u64 size, u8 **hva) __must_check;
/* Register every region with KVM (slot numbers from 0). */
int mem_map(struct guest_mem *mem, int vm_fd) __must_check;

/*
 * Bytes of RLIMIT_MEMLOCK needed for the RAM, and the check: 0 if the
 * limit is large enough or the process has CAP_IPC_LOCK, and the host can
 * pin that much now (mem_pinnable), else -ENOMEM and one error line
 * stating the amount needed and the current limit.
 */
int mem_check_memlock(u64 need) __must_check;
/* The decision of mem_check_memlock for a given limit (bytes, or
 * RLIM_INFINITY) and capability: 0 or -ENOMEM plus the error line. */
int mem_memlock_decide(u64 need, u64 limit, bool cap_ipc_lock) __must_check;
/*
 * What the host can pin now: MemAvailable plus free huge pages, in bytes,
 * from a /proc/meminfo-format file (MEM_MEMINFO). -ENODATA without
 * MemAvailable, or the -errno of opening it. mem_check_memlock refuses
 * more than this (mem_pinnable_decide: 0 or -ENOMEM and one line).
 */
#define MEM_MEMINFO	"/proc/meminfo"
int mem_pinnable(const char *meminfo, u64 *bytes) __must_check;
int mem_pinnable_decide(u64 need, u64 pinnable) __must_check;
/* Hugepage pre-check of mem_alloc: 0 if avail_pages free 2 MiB pages
 * hold ram_size bytes, else -ENOMEM and one line saying how many are
 * needed and where to reserve them. */
int mem_hugetlb_check(u64 ram_size, u64 avail_pages) __must_check;
/* mlock all RAM and pre-fault it with nr_threads threads. */
int mem_lock(struct guest_mem *mem, unsigned int nr_threads) __must_check;

/* End of the RAM region at guest-physical 0 (the "low RAM"). */
u64 mem_low_ram_end(const struct guest_mem *mem);

/* Host address of [gpa, gpa+len) if it lies wholly inside one RAM region. */
void *mem_gpa_to_hva(const struct guest_mem *mem, u64 gpa, u64 len);
/* Same, for RAM or ROM. */
void *mem_gpa_to_hva_any(const struct guest_mem *mem, u64 gpa, u64 len);

/*
 * The guest's e820 map: RAM below LAYOUT_LOW_RAM_END, the reserved low
 * areas (SEV hashes/secret pages), RAM from 1 MiB, high RAM. Returns the
 * number of entries written (at most max), or -ENOSPC.
 */
int mem_e820(const struct guest_mem *mem, struct sevm_e820 *out,
	     unsigned int max);

void mem_free(struct guest_mem *mem);

#endif /* SEVM_MEMORY_H */
