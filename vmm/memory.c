// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest memory: one memfd holds all RAM and one shared mapping covers it;
 * the q35-like layout cuts it into a low and a high KVM slot. Nothing on
 * the default path touches or scales with the RAM size: pages are faulted
 * in by the guest, unless locking was asked for (mem_lock).
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/capability.h>
#include <linux/kvm.h>

#include "lib/log.h"
#include "vmm/metrics.h"
#include "vmm/memory.h"

#ifndef MFD_HUGE_2MB
#define MFD_HUGE_2MB		(21U << 26)
#endif
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE	23
#endif
#ifndef MLOCK_ONFAULT
#define MLOCK_ONFAULT		1U
#endif

#define MEM_PREFAULT_MAX_THREADS 64

static unsigned long long mib_up(u64 bytes)
{
	return (bytes + SZ_1M - 1) / SZ_1M;
}

unsigned int mem_layout(u64 ram_size, struct mem_region *out)
{
	u64 low = ram_size < LAYOUT_PCIE_MMCONFIG ? ram_size :
						    LAYOUT_LOWMEM_SPLIT;
	unsigned int n = 0;

	if (low)
		out[n++] = (struct mem_region){ .kind = MEM_RAM, .gpa = 0,
						.size = low };
	if (ram_size > low)
		out[n++] = (struct mem_region){ .kind = MEM_RAM,
						.gpa = LAYOUT_4G,
						.size = ram_size - low };
	return n;
}

int mem_hugetlb_check(u64 ram_size, u64 avail_pages)
{
	u64 need = ram_size / MEM_HUGEPAGE;

	if (avail_pages >= need)
		return 0;
	pr_err("hugepages: %llu MiB of guest RAM needs %llu free 2 MiB pages, %llu available; reserve them via /proc/sys/vm/nr_hugepages",
	       mib_up(ram_size), (unsigned long long)need,
	       (unsigned long long)avail_pages);
	return -ENOMEM;
}

#ifdef CONFIG_HUGEPAGES
static int read_sysfs_u64(const char *name, u64 *val)
{
	char path[128], buf[32];
	FILE *f;
	int r = -EIO;

	snprintf(path, sizeof(path), "%s/%s", MEM_HUGETLB_SYSFS, name);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	if (fgets(buf, sizeof(buf), f)) {
		buf[strcspn(buf, "\n")] = '\0';
		r = parse_u64(buf, val);
	}
	fclose(f);
	return r;
}

/* Free 2 MiB pages not promised to other mappings, plus overcommit room. */
static int hugetlb_available(u64 *avail)
{
	u64 free_p, resv = 0, over = 0, surplus = 0;
	int r;

	r = read_sysfs_u64("free_hugepages", &free_p);
	if (r) {
		pr_err("hugepages: cannot read %s/free_hugepages: %s (no 2 MiB hugetlb support?)",
		       MEM_HUGETLB_SYSFS, strerror(-r));
		return r == -ENOENT ? -ENOTSUP : r;
	}
	if (read_sysfs_u64("resv_hugepages", &resv) || resv > free_p)
		resv = 0;
	if (read_sysfs_u64("nr_overcommit_hugepages", &over) ||
	    read_sysfs_u64("surplus_hugepages", &surplus) || surplus > over)
		over = surplus = 0;
	*avail = free_p - resv + (over - surplus);
	return 0;
}
#endif

static int mem_check_size(u64 ram_size, bool hugepages)
{
	if (ram_size < MEM_RAM_MIN || ram_size > MEM_RAM_MAX) {
		pr_err("guest RAM size %llu bytes: out of range (%llu MiB to %llu GiB)",
		       (unsigned long long)ram_size, MEM_RAM_MIN >> 20,
		       MEM_RAM_MAX >> 30);
		return -EINVAL;
	}
	if (hugepages && !IS_ALIGNED(ram_size, MEM_HUGEPAGE)) {
		pr_err("guest RAM size %llu bytes: not a multiple of 2 MiB, which --hugepages needs",
		       (unsigned long long)ram_size);
		return -EINVAL;
	}
	if (!IS_ALIGNED(ram_size, 4096)) {
		pr_err("guest RAM size %llu bytes: not a multiple of 4 KiB",
		       (unsigned long long)ram_size);
		return -EINVAL;
	}
	return 0;
}

static int mem_hugepages_ok(u64 ram_size)
{
#ifdef CONFIG_HUGEPAGES
	u64 avail;
	int r = hugetlb_available(&avail);

	return r ? r : mem_hugetlb_check(ram_size, avail);
#else
	pr_err("hugepages: support not built (CONFIG_HUGEPAGES)");
	return -ENOSYS;
#endif
}

static int mem_map_ram(struct guest_mem *mem, u64 ram_size, bool hugepages)
{
	int flags = MAP_SHARED | (hugepages ? 0 : MAP_NORESERVE);
	void *p;

	/* hugetlb: no MAP_NORESERVE, so a short pool fails here with ENOMEM
	 * instead of a SIGBUS on first touch. */
	p = mmap(NULL, ram_size, PROT_READ | PROT_WRITE, flags, mem->memfd, 0);
	if (p == MAP_FAILED) {
		int r = -errno;

		if (hugepages && r == -ENOMEM)
			return mem_hugetlb_check(ram_size, 0);
		pr_err("mmap of %llu MiB of guest RAM: %s", mib_up(ram_size),
		       strerror(-r));
		return r;
	}
	/* Guest RAM stays out of core dumps (sevm is also not dumpable). */
	if (madvise(p, ram_size, MADV_DONTDUMP))
		pr_debug("madvise(MADV_DONTDUMP) on guest RAM: %s",
			 strerror(errno));
	mem->ram = p;
	return 0;
}

static int mem_create_fd(u64 ram_size, bool hugepages)
{
	unsigned int flags = MFD_CLOEXEC;
	int fd, r;

	if (hugepages)
		flags |= MFD_HUGETLB | MFD_HUGE_2MB;
	fd = memfd_create("sevm-ram", flags);
	if (fd < 0) {
		r = -errno;
		pr_err("memfd_create for %llu MiB of guest RAM%s: %s",
		       mib_up(ram_size), hugepages ? " (hugetlb)" : "",
		       strerror(-r));
		return r;
	}
	if (ftruncate(fd, (off_t)ram_size) < 0) {
		r = -errno;
		pr_err("ftruncate of the guest RAM memfd to %llu MiB: %s",
		       mib_up(ram_size), strerror(-r));
		close(fd);
		return r;
	}
	return fd;
}

int mem_alloc(struct guest_mem *mem, u64 ram_size, bool hugepages)
{
	int r;

	memset(mem, 0, sizeof(*mem));
	mem->memfd = -1;
	r = mem_check_size(ram_size, hugepages);
	if (!r && hugepages)
		r = mem_hugepages_ok(ram_size);
	if (r)
		return r;
	r = mem_create_fd(ram_size, hugepages);
	if (r < 0)
		return r;
	mem->memfd = r;
	r = mem_map_ram(mem, ram_size, hugepages);
	if (r) {
		close(mem->memfd);
		mem->memfd = -1;
		return r;
	}
	mem->ram_size = ram_size;
	mem->hugepages = hugepages;
	mem->nr_regions = mem_layout(ram_size, mem->regions);
	for (unsigned int i = 0; i < mem->nr_regions; i++) {
		mem->regions[i].hva = mem->ram + (mem->regions[i].gpa ?
			mem->regions[0].size : 0);
		mem->regions[i].slot = i;
	}
	return 0;
}

int mem_add_rom(struct guest_mem *mem, u64 size, u8 **hva)
{
	struct mem_region *reg;
	void *p;

	for (unsigned int i = 0; i < mem->nr_regions; i++) {
		if (mem->regions[i].kind == MEM_ROM) {
			pr_err("firmware ROM: a ROM region is already mapped");
			return -EBUSY;
		}
	}
	if (!size || size > MEM_ROM_MAX || !IS_ALIGNED(size, 4096)) {
		pr_err("firmware ROM of %llu bytes: size must be a non-zero multiple of 4 KiB up to %llu MiB",
		       (unsigned long long)size, MEM_ROM_MAX >> 20);
		return -EINVAL;
	}
	if (mem->nr_regions >= MEM_MAX_REGIONS)
		return -ENOSPC;
	p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (p == MAP_FAILED) {
		pr_err("mmap of a %llu KiB firmware ROM: %s",
		       (unsigned long long)size >> 10, strerror(errno));
		return -errno;
	}
	reg = &mem->regions[mem->nr_regions];
	*reg = (struct mem_region){ .kind = MEM_ROM, .gpa = LAYOUT_4G - size,
				    .size = size, .hva = p,
				    .slot = mem->nr_regions };
	mem->nr_regions++;
	*hva = p;
	return 0;
}

int mem_map(struct guest_mem *mem, int vm_fd)
{
	for (unsigned int i = 0; i < mem->nr_regions; i++) {
		const struct mem_region *reg = &mem->regions[i];
		struct kvm_userspace_memory_region kr = {
			.slot = reg->slot,
			.guest_phys_addr = reg->gpa,
			.memory_size = reg->size,
			.userspace_addr = (u64)(uintptr_t)reg->hva,
		};

		if (reg->kind == MEM_ROM && !mem->rom_writable)
			kr.flags = KVM_MEM_READONLY;
		if (ioctl(vm_fd, KVM_SET_USER_MEMORY_REGION, &kr) < 0) {
			int r = -errno;

			pr_err("KVM_SET_USER_MEMORY_REGION slot %u (%s at 0x%llx, %llu KiB): %s",
			       reg->slot, reg->kind == MEM_ROM ? "ROM" : "RAM",
			       (unsigned long long)reg->gpa,
			       (unsigned long long)reg->size >> 10,
			       strerror(-r));
			return r;
		}
	}
	return 0;
}

int mem_memlock_decide(u64 need, u64 limit, bool cap_ipc_lock)
{
	if (cap_ipc_lock || limit == (u64)RLIM_INFINITY || limit >= need)
		return 0;
	pr_err("locking %llu MiB of guest RAM needs RLIMIT_MEMLOCK >= %llu MiB (current: %llu KiB); raise it (ulimit -l) or grant CAP_IPC_LOCK",
	       mib_up(need), mib_up(need), (unsigned long long)limit >> 10);
	return -ENOMEM;
}

static bool has_cap_ipc_lock(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];

	memset(data, 0, sizeof(data));
	if (syscall(SYS_capget, &hdr, data) < 0)
		return false;
	return data[CAP_IPC_LOCK / 32].effective & (1U << (CAP_IPC_LOCK % 32));
}

int mem_pinnable(const char *meminfo, u64 *bytes)
{
	unsigned long long avail = 0, hfree = 0, hsize = 0, v;
	char line[128], key[64];
	FILE *f = fopen(meminfo, "re");
	bool found = false;

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%63[^:]: %llu", key, &v) != 2)
			continue;
		if (!strcmp(key, "MemAvailable")) {
			avail = v;
			found = true;
		} else if (!strcmp(key, "HugePages_Free")) {
			hfree = v;
		} else if (!strcmp(key, "Hugepagesize")) {
			hsize = v;
		}
	}
	fclose(f);
	if (!found || avail > UINT64_MAX / 1024 ||
	    (hsize && hfree > UINT64_MAX / 1024 / hsize))
		return -ENODATA;
	*bytes = (u64)avail * 1024;
	*bytes += MIN((u64)hfree * hsize * 1024, UINT64_MAX - *bytes);
	return 0;
}

int mem_pinnable_decide(u64 need, u64 pinnable)
{
	if (need <= pinnable)
		return 0;
	pr_err("locking %llu MiB of guest RAM: the host can pin only %llu MiB now (MemAvailable and free huge pages in /proc/meminfo); lower --memory",
	       mib_up(need), (unsigned long long)(pinnable >> 20));
	return -ENOMEM;
}

int mem_check_memlock(u64 need)
{
	struct rlimit rl;
	u64 pinnable;
	int r;

	if (getrlimit(RLIMIT_MEMLOCK, &rl) < 0) {
		pr_err("getrlimit(RLIMIT_MEMLOCK): %s", strerror(errno));
		return -errno;
	}
	r = mem_memlock_decide(need, (u64)rl.rlim_cur, has_cap_ipc_lock());
	/* With CAP_IPC_LOCK nothing else stops us pinning the host dry. */
	if (!r && !mem_pinnable(MEM_MEMINFO, &pinnable))
		r = mem_pinnable_decide(need, pinnable);
	return r;
}

struct prefault_job {
	u8 *start;
	u64 len;
	u64 page;
	int r;
	bool threaded;
	pthread_t thread;
};

static void *prefault_thread(void *arg)
{
	struct prefault_job *job = arg;

	if (!madvise(job->start, job->len, MADV_POPULATE_WRITE))
		return NULL;
	if (errno != EINVAL) {
		job->r = -errno;
		return NULL;
	}
	/* Kernel before 5.14: write-fault one byte per page. */
	for (u64 off = 0; off < job->len; off += job->page) {
		volatile u8 *b = job->start + off;

		*b = *b;
	}
	return NULL;
}

static int mem_prefault(struct guest_mem *mem, unsigned int nr)
{
	struct prefault_job jobs[MEM_PREFAULT_MAX_THREADS];
	u64 page = mem->hugepages ? MEM_HUGEPAGE : 4096;
	u64 pages = mem->ram_size / page, per, done = 0;
	unsigned int i;
	int r = 0;

	nr = MAX(1U, MIN(nr, (unsigned int)MEM_PREFAULT_MAX_THREADS));
	nr = (unsigned int)MIN((u64)nr, pages);
	per = (pages + nr - 1) / nr;
	memset(jobs, 0, sizeof(jobs));
	for (i = 0; i < nr && done < pages; i++) {
		u64 cnt = MIN(per, pages - done);

		jobs[i].start = mem->ram + done * page;
		jobs[i].len = cnt * page;
		jobs[i].page = page;
		done += cnt;
		jobs[i].threaded = !pthread_create(&jobs[i].thread, NULL,
						   prefault_thread, &jobs[i]);
		if (!jobs[i].threaded)
			prefault_thread(&jobs[i]);
	}
	while (i--) {
		if (jobs[i].threaded)
			pthread_join(jobs[i].thread, NULL);
		if (jobs[i].r)
			r = jobs[i].r;
	}
	if (r)
		pr_err("pre-faulting %llu MiB of guest RAM: %s",
		       mib_up(mem->ram_size), strerror(-r));
	return r;
}

int mem_lock(struct guest_mem *mem, unsigned int nr_threads)
{
	int r = mem_check_memlock(mem->ram_size);

	if (r)
		return r;
	/* Lock without faulting, so the threads below do the faulting. */
	if (mlock2(mem->ram, mem->ram_size, MLOCK_ONFAULT) < 0 &&
	    ((errno != EINVAL && errno != ENOSYS) ||
	     mlock(mem->ram, mem->ram_size) < 0)) {
		r = -errno;
		pr_err("mlock of %llu MiB of guest RAM: %s",
		       mib_up(mem->ram_size), strerror(-r));
		return r;
	}
	r = mem_prefault(mem, nr_threads);
	if (r) {
		munlock(mem->ram, mem->ram_size);
		return r;
	}
	mem->locked = true;
	metric_set(metric_get("memory.pinned_bytes"), mem->ram_size);
	return 0;
}

u64 mem_low_ram_end(const struct guest_mem *mem)
{
	for (unsigned int i = 0; i < mem->nr_regions; i++)
		if (mem->regions[i].kind == MEM_RAM && !mem->regions[i].gpa)
			return mem->regions[i].size;
	return 0;
}

static void *region_hva(const struct mem_region *reg, u64 gpa, u64 len)
{
	u64 off;

	if (gpa < reg->gpa)
		return NULL;
	off = gpa - reg->gpa;
	if (off >= reg->size || len > reg->size - off)
		return NULL;
	return reg->hva + off;
}

static void *gpa_lookup(const struct guest_mem *mem, u64 gpa, u64 len,
			bool rom)
{
	for (unsigned int i = 0; i < mem->nr_regions; i++) {
		const struct mem_region *reg = &mem->regions[i];
		void *p;

		if (reg->kind == MEM_ROM && !rom)
			continue;
		p = region_hva(reg, gpa, len);
		if (p)
			return p;
	}
	return NULL;
}

void *mem_gpa_to_hva(const struct guest_mem *mem, u64 gpa, u64 len)
{
	return gpa_lookup(mem, gpa, len, false);
}

void *mem_gpa_to_hva_any(const struct guest_mem *mem, u64 gpa, u64 len)
{
	return gpa_lookup(mem, gpa, len, true);
}

static void e820_put(struct sevm_e820 *tab, unsigned int *n, u64 addr,
		     u64 size, u32 type)
{
	tab[*n].addr = addr;
	tab[*n].size = size;
	tab[*n].type = type;
	(*n)++;
}

int mem_e820(const struct guest_mem *mem, struct sevm_e820 *out,
	     unsigned int max)
{
	const u64 secret_end = LAYOUT_SEV_SECRET + LAYOUT_SEV_SECRET_SIZE;
	struct sevm_e820 tab[6 + MEM_MAX_REGIONS];
	u64 low = mem_low_ram_end(mem);
	unsigned int n = 0;

	if (low <= LAYOUT_HIGH_MEM)
		return -EINVAL;
	e820_put(tab, &n, 0, LAYOUT_SEV_HASHES, E820_RAM);
	e820_put(tab, &n, LAYOUT_SEV_HASHES, secret_end - LAYOUT_SEV_HASHES,
		 E820_RESERVED);
	e820_put(tab, &n, secret_end, LAYOUT_LOW_RAM_END - secret_end,
		 E820_RAM);
	e820_put(tab, &n, LAYOUT_LOW_RAM_END,
		 LAYOUT_HIGH_MEM - LAYOUT_LOW_RAM_END, E820_RESERVED);
	e820_put(tab, &n, LAYOUT_HIGH_MEM, low - LAYOUT_HIGH_MEM, E820_RAM);
	/* PCIe ECAM (MMCONFIG), as QEMU's q35 reserves it. */
	e820_put(tab, &n, LAYOUT_PCIE_MMCONFIG, LAYOUT_PCIE_MMCONFIG_SIZE,
		 E820_RESERVED);
	for (unsigned int i = 0; i < mem->nr_regions; i++)
		if (mem->regions[i].kind == MEM_RAM && mem->regions[i].gpa)
			e820_put(tab, &n, mem->regions[i].gpa,
				 mem->regions[i].size, E820_RAM);
	if (n > max)
		return -ENOSPC;
	memcpy(out, tab, n * sizeof(*tab));
	return (int)n;
}

void mem_free(struct guest_mem *mem)
{
	for (unsigned int i = 0; i < mem->nr_regions; i++)
		if (mem->regions[i].kind == MEM_ROM && mem->regions[i].hva)
			munmap(mem->regions[i].hva, mem->regions[i].size);
	if (mem->ram) {
		munmap(mem->ram, mem->ram_size);
		close(mem->memfd);
	}
	memset(mem, 0, sizeof(*mem));
	mem->memfd = -1;
}
