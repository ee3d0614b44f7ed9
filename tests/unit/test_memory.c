// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of vmm/memory.c: the q35 layout, memfd RAM and ROM, KVM slot
 * registration (through an ioctl double, and once against the real
 * /dev/kvm when there is one), address translation with overflowing
 * inputs, the e820 map, the hugepage and RLIMIT_MEMLOCK decisions, and
 * locking with a parallel pre-fault.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>
#include <cmocka.h>

#include <linux/kvm.h>

#include "tests/unit/boot-test.h"
#include "vmm/memory.h"

/* ---- ioctl double: records KVM_SET_USER_MEMORY_REGION calls */
int __wrap_ioctl(int fd, unsigned long req, ...);
int __real_ioctl(int fd, unsigned long req, ...);

static bool ioctl_real;
static struct kvm_userspace_memory_region slots[8];
static int nr_slots, fail_at = -1;

int __wrap_ioctl(int fd, unsigned long req, ...)
{
	va_list ap;
	void *arg;

	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (ioctl_real)
		return __real_ioctl(fd, req, arg);
	assert_int_equal(req, KVM_SET_USER_MEMORY_REGION);
	assert_true(nr_slots < (int)ARRAY_SIZE(slots));
	memcpy(&slots[nr_slots], arg, sizeof(slots[0]));
	if (nr_slots++ == fail_at) {
		errno = EEXIST;
		return -1;
	}
	return 0;
}

static int setup(void **state)
{
	test_err_reset();
	nr_slots = 0;
	fail_at = -1;
	ioctl_real = false;
	return 0;
}

/* ---- layout */
static void check_layout(u64 ram, u64 low, u64 high)
{
	struct mem_region r[MEM_MAX_REGIONS];
	unsigned int n = mem_layout(ram, r);

	assert_int_equal(n, high ? 2 : 1);
	assert_int_equal(r[0].kind, MEM_RAM);
	assert_int_equal(r[0].gpa, 0);
	assert_int_equal(r[0].size, low);
	if (high) {
		assert_int_equal(r[1].kind, MEM_RAM);
		assert_int_equal(r[1].gpa, 0x100000000ULL);
		assert_int_equal(r[1].size, high);
	}
}

static void test_layout(void **state)
{
	struct mem_region r[MEM_MAX_REGIONS];

	check_layout(64 * SZ_1M, 64 * SZ_1M, 0);
	check_layout(2 * SZ_1G, 2 * SZ_1G, 0);
	check_layout(0xb0000000ULL - SZ_1M, 0xb0000000ULL - SZ_1M, 0);
	check_layout(0xb0000000ULL, 0x80000000ULL, 0x30000000ULL); /* 2.75G */
	check_layout(3 * SZ_1G, 2 * SZ_1G, SZ_1G);
	check_layout(8 * SZ_1G, 2 * SZ_1G, 6 * SZ_1G);
	assert_int_equal(mem_layout(0, r), 0);
}

/* ---- allocation */
static void test_alloc(void **state)
{
	struct guest_mem mem;

	assert_int_equal(mem_alloc(&mem, 64 * SZ_1M, false), 0);
	assert_non_null(mem.ram);
	assert_true(mem.memfd >= 0);
	assert_true(fcntl(mem.memfd, F_GETFD) & FD_CLOEXEC);
	assert_int_equal(lseek(mem.memfd, 0, SEEK_END), 64 * SZ_1M);
	assert_int_equal(mem.ram_size, 64 * SZ_1M);
	assert_false(mem.hugepages);
	assert_false(mem.locked);
	assert_int_equal(mem.nr_regions, 1);
	assert_ptr_equal(mem.regions[0].hva, mem.ram);
	assert_int_equal(mem.regions[0].slot, 0);
	assert_int_equal(mem_low_ram_end(&mem), 64 * SZ_1M);
	/* shared mapping of the memfd: a write shows through the fd */
	mem.ram[12345] = 0x5a;
	u8 byte = 0;
	assert_int_equal(pread(mem.memfd, &byte, 1, 12345), 1);
	assert_int_equal(byte, 0x5a);
	mem_free(&mem);
	assert_null(mem.ram);
	assert_int_equal(mem.memfd, -1);
	mem_free(&mem);			/* idempotent */
	assert_int_equal(test_nr_err, 0);
}

static void test_alloc_high(void **state)
{
	struct guest_mem mem;

	/* 3 GiB of address space only: nothing is touched */
	assert_int_equal(mem_alloc(&mem, 3 * SZ_1G, false), 0);
	assert_int_equal(mem.nr_regions, 2);
	assert_ptr_equal(mem.regions[1].hva, mem.ram + 2 * SZ_1G);
	assert_int_equal(mem.regions[1].slot, 1);
	assert_ptr_equal(mem_gpa_to_hva(&mem, SZ_4G + 5, 1),
			 mem.ram + 2 * SZ_1G + 5);
	assert_null(mem_gpa_to_hva(&mem, 2 * SZ_1G, 1));	/* PCI hole */
	assert_null(mem_gpa_to_hva(&mem, 2 * SZ_1G - 4, 8));	/* crosses */
	assert_null(mem_gpa_to_hva(&mem, SZ_4G + SZ_1G - 1, 2));
	mem_free(&mem);
}

static void test_alloc_bad_size(void **state)
{
	struct guest_mem mem;

	assert_int_equal(mem_alloc(&mem, 0, false), -EINVAL);
	test_one_err("out of range");
	assert_null(mem.ram);
	assert_int_equal(mem_alloc(&mem, SZ_1M, false), -EINVAL);
	test_one_err("guest RAM size 1048576 bytes: out of range");
	assert_int_equal(mem_alloc(&mem, MEM_RAM_MAX + SZ_2M, false), -EINVAL);
	test_one_err("out of range");
	assert_int_equal(mem_alloc(&mem, 64 * SZ_1M + 100, false), -EINVAL);
	test_one_err("not a multiple of 4 KiB");
	assert_int_equal(mem_alloc(&mem, 65 * SZ_1M, true), -EINVAL);
	test_one_err("not a multiple of 2 MiB, which --hugepages needs");
	mem_free(&mem);
}

static void test_hugetlb_check(void **state)
{
	assert_int_equal(mem_hugetlb_check(64 * SZ_1M, 32), 0);
	assert_int_equal(mem_hugetlb_check(64 * SZ_1M, 1000), 0);
	assert_int_equal(test_nr_err, 0);
	assert_int_equal(mem_hugetlb_check(64 * SZ_1M, 31), -ENOMEM);
	test_one_err("64 MiB of guest RAM needs 32 free 2 MiB pages, 31 available; reserve them via /proc/sys/vm/nr_hugepages");
	assert_int_equal(mem_hugetlb_check(2 * SZ_1G, 0), -ENOMEM);
	test_one_err("needs 1024 free 2 MiB pages, 0 available");
}

static __unused u64 sysfs_free_hugepages(void)
{
	FILE *f = fopen(MEM_HUGETLB_SYSFS "/free_hugepages", "r");
	unsigned long long v = 0;

	if (!f)
		return 0;
	if (fscanf(f, "%llu", &v) != 1)
		v = 0;
	fclose(f);
	return v;
}

/* The real path: with an empty pool (the default here) one clear line. */
static void test_alloc_hugepages(void **state)
{
	struct guest_mem mem;
	int r = mem_alloc(&mem, 64 * SZ_1M, true);

#ifdef CONFIG_HUGEPAGES
	if (sysfs_free_hugepages() >= 32 && !r) {
		assert_true(mem.hugepages);
		mem.ram[0] = 1;
		mem_free(&mem);
		return;
	}
	if (access(MEM_HUGETLB_SYSFS, F_OK)) {
		assert_int_equal(r, -ENOTSUP);
		test_one_err("hugetlb");
		return;
	}
	assert_int_equal(r, -ENOMEM);
	test_one_err("needs 32 free 2 MiB pages");
	assert_null(mem.ram);
	assert_int_equal(mem.memfd, -1);
#else
	assert_int_equal(r, -ENOSYS);
	test_one_err("CONFIG_HUGEPAGES");
#endif
}

/* ---- ROM */
static void test_rom(void **state)
{
	struct guest_mem mem;
	u8 *rom, *rom2;

	assert_int_equal(mem_alloc(&mem, 64 * SZ_1M, false), 0);
	assert_int_equal(mem_add_rom(&mem, 0, &rom), -EINVAL);
	test_one_err("firmware ROM of 0 bytes");
	assert_int_equal(mem_add_rom(&mem, 4097, &rom), -EINVAL);
	test_one_err("multiple of 4 KiB");
	assert_int_equal(mem_add_rom(&mem, MEM_ROM_MAX + 4096, &rom), -EINVAL);
	test_one_err("up to 16 MiB");
	assert_int_equal(mem_add_rom(&mem, 0x10000, &rom), 0);
	assert_int_equal(mem.nr_regions, 2);
	assert_int_equal(mem.regions[1].kind, MEM_ROM);
	assert_int_equal(mem.regions[1].gpa, 0xffff0000ULL);
	assert_int_equal(mem.regions[1].size, 0x10000);
	assert_ptr_equal(mem.regions[1].hva, rom);
	assert_int_equal(mem.regions[1].slot, 1);
	rom[0xfff0] = 0xea;
	assert_null(mem_gpa_to_hva(&mem, 0xfffffff0ULL, 16));
	assert_ptr_equal(mem_gpa_to_hva_any(&mem, 0xfffffff0ULL, 16),
			 rom + 0xfff0);
	assert_null(mem_gpa_to_hva_any(&mem, 0xfffffff0ULL, 17));
	assert_int_equal(mem_add_rom(&mem, 0x10000, &rom2), -EBUSY);
	test_one_err("already");
	mem_free(&mem);
}

/* ---- translation */
static void test_gpa_to_hva(void **state)
{
	struct guest_mem mem;

	assert_int_equal(mem_alloc(&mem, 64 * SZ_1M, false), 0);
	assert_ptr_equal(mem_gpa_to_hva(&mem, 0, 64 * SZ_1M), mem.ram);
	assert_ptr_equal(mem_gpa_to_hva(&mem, 0x1000, 16), mem.ram + 0x1000);
	assert_ptr_equal(mem_gpa_to_hva(&mem, 64 * SZ_1M - 1, 1),
			 mem.ram + 64 * SZ_1M - 1);
	assert_null(mem_gpa_to_hva(&mem, 64 * SZ_1M - 1, 2));
	assert_null(mem_gpa_to_hva(&mem, 64 * SZ_1M, 0));
	assert_null(mem_gpa_to_hva(&mem, 0, 64 * SZ_1M + 1));
	/* overflow: gpa + len wraps around */
	assert_null(mem_gpa_to_hva(&mem, UINT64_MAX, 2));
	assert_null(mem_gpa_to_hva(&mem, 0x1000, UINT64_MAX));
	assert_null(mem_gpa_to_hva(&mem, UINT64_MAX - 0xfff, 0x2000));
	assert_null(mem_gpa_to_hva_any(&mem, 0xfffffff0ULL, 16)); /* no ROM */
	mem_free(&mem);
}

/* ---- e820 */
static void check_e820(const struct sevm_e820 *e, u64 addr, u64 size,
		       u32 type)
{
	assert_int_equal(e->addr, addr);
	assert_int_equal(e->size, size);
	assert_int_equal(e->type, type);
}

static void test_e820(void **state)
{
	struct sevm_e820 e[8];
	struct guest_mem mem;

	assert_int_equal(mem_alloc(&mem, 64 * SZ_1M, false), 0);
	assert_int_equal(mem_e820(&mem, e, 8), 6);
	check_e820(&e[0], 0, 0x9000, E820_RAM);
	check_e820(&e[1], 0x9000, 0x2000, E820_RESERVED);	/* hashes+secret */
	check_e820(&e[2], 0xb000, 0x9fc00 - 0xb000, E820_RAM);
	check_e820(&e[3], 0x9fc00, 0x100000 - 0x9fc00, E820_RESERVED);
	check_e820(&e[4], 0x100000, 63 * SZ_1M, E820_RAM);
	check_e820(&e[5], 0xb0000000, 0x10000000, E820_RESERVED); /* ECAM */
	assert_int_equal(mem_e820(&mem, e, 5), -ENOSPC);
	assert_int_equal(mem_add_rom(&mem, 0x10000, &(u8 *){ NULL }), 0);
	assert_int_equal(mem_e820(&mem, e, 8), 6);	/* ROM is not RAM */
	mem_free(&mem);

	assert_int_equal(mem_alloc(&mem, 3 * SZ_1G, false), 0);
	assert_int_equal(mem_e820(&mem, e, 8), 7);
	check_e820(&e[4], 0x100000, 2 * SZ_1G - SZ_1M, E820_RAM);
	check_e820(&e[5], 0xb0000000, 0x10000000, E820_RESERVED);
	check_e820(&e[6], SZ_4G, SZ_1G, E820_RAM);
	mem_free(&mem);

	memset(&mem, 0, sizeof(mem));		/* no RAM at all */
	assert_int_equal(mem_e820(&mem, e, 8), -EINVAL);
}

/* ---- KVM slots */
static void test_map(void **state)
{
	struct guest_mem mem;
	u8 *rom;

	assert_int_equal(mem_alloc(&mem, 3 * SZ_1G, false), 0);
	assert_int_equal(mem_add_rom(&mem, 0x20000, &rom), 0);
	assert_int_equal(mem_map(&mem, 42), 0);
	assert_int_equal(nr_slots, 3);
	assert_int_equal(slots[0].slot, 0);
	assert_int_equal(slots[0].flags, 0);
	assert_int_equal(slots[0].guest_phys_addr, 0);
	assert_int_equal(slots[0].memory_size, 2 * SZ_1G);
	assert_int_equal(slots[0].userspace_addr, (uintptr_t)mem.ram);
	assert_int_equal(slots[1].slot, 1);
	assert_int_equal(slots[1].guest_phys_addr, SZ_4G);
	assert_int_equal(slots[1].memory_size, SZ_1G);
	assert_int_equal(slots[1].userspace_addr,
			 (uintptr_t)mem.ram + 2 * SZ_1G);
	assert_int_equal(slots[2].slot, 2);
	assert_int_equal(slots[2].flags, KVM_MEM_READONLY);
	assert_int_equal(slots[2].guest_phys_addr, 0xfffe0000ULL);
	assert_int_equal(slots[2].memory_size, 0x20000);
	assert_int_equal(slots[2].userspace_addr, (uintptr_t)rom);

	nr_slots = 0;
	mem.rom_writable = true;
	assert_int_equal(mem_map(&mem, 42), 0);
	assert_int_equal(slots[2].flags, 0);

	nr_slots = 0;
	fail_at = 1;
	assert_int_equal(mem_map(&mem, 42), -EEXIST);
	assert_int_equal(nr_slots, 2);		/* stopped at the failure */
	test_one_err("KVM_SET_USER_MEMORY_REGION slot 1 (RAM at 0x100000000, 1048576 KiB): File exists");
	mem_free(&mem);
}

static void test_map_real_kvm(void **state)
{
	struct guest_mem mem;
	int kvm, vm, r;
	u8 *rom;

	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0)
		skip();
	ioctl_real = true;
	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	if (vm < 0) {
		close(kvm);
		skip();
	}
	assert_int_equal(mem_alloc(&mem, 64 * SZ_1M, false), 0);
	assert_int_equal(mem_add_rom(&mem, 0x10000, &rom), 0);
	r = mem_map(&mem, vm);
	assert_int_equal(r, 0);
	assert_int_equal(test_nr_err, 0);
	/* the same slot at an overlapping address must be refused */
	mem.regions[0].slot = 5;
	assert_int_equal(mem_map(&mem, vm), -EEXIST);
	test_one_err("slot 5");
	close(vm);
	close(kvm);
	mem_free(&mem);
}

/* ---- RLIMIT_MEMLOCK and locking */
static void test_memlock_decide(void **state)
{
	assert_int_equal(mem_memlock_decide(256 * SZ_1M, 8 * SZ_1M, false),
			 -ENOMEM);
	test_one_err("locking 256 MiB of guest RAM needs RLIMIT_MEMLOCK >= 256 MiB (current: 8192 KiB); raise it (ulimit -l) or grant CAP_IPC_LOCK");
	assert_int_equal(mem_memlock_decide(256 * SZ_1M, 8 * SZ_1M, true), 0);
	assert_int_equal(mem_memlock_decide(256 * SZ_1M, RLIM_INFINITY,
					    false), 0);
	assert_int_equal(mem_memlock_decide(256 * SZ_1M, 256 * SZ_1M, false),
			 0);
	assert_int_equal(mem_memlock_decide(256 * SZ_1M + 1, 256 * SZ_1M,
					    false), -ENOMEM);
	test_one_err("locking 257 MiB");
	assert_int_equal(test_nr_err, 0);
}

static bool proc_has_cap_ipc_lock(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	unsigned long long eff = 0;
	char line[256];

	assert_non_null(f);
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "CapEff: %llx", &eff) == 1)
			break;
	fclose(f);
	return eff & (1ULL << 14);
}

static void test_check_memlock_real(void **state)
{
	struct rlimit rl;
	u64 need = 64 * SZ_1G, pinnable;
	bool limit_ok;
	int want;

	assert_int_equal(getrlimit(RLIMIT_MEMLOCK, &rl), 0);
	assert_int_equal(mem_pinnable(MEM_MEMINFO, &pinnable), 0);
	limit_ok = proc_has_cap_ipc_lock() || rl.rlim_cur == RLIM_INFINITY ||
		   rl.rlim_cur >= need;
	want = limit_ok && pinnable >= need ? 0 : -ENOMEM;
	assert_int_equal(mem_check_memlock(need), want);
	if (want)
		test_one_err(limit_ok ? "the host can pin only" :
			     "RLIMIT_MEMLOCK");
	assert_int_equal(mem_check_memlock(0), 0);
}

/* Issue 9, defect 8: no more than MemAvailable + free huge pages. */
static void test_pinnable(void **state)
{
	static const char text[] = "MemTotal: 100 kB\n"
				   "MemAvailable:    2048 kB\n"
				   "HugePages_Free:       3\n"
				   "Hugepagesize:    2048 kB\n";
	char path[] = "/tmp/test_meminfo.XXXXXX";
	int fd = mkstemp(path);
	u64 b;

	assert_true(fd >= 0);
	assert_int_equal(write_all(fd, text, strlen(text)), 0);
	close(fd);
	assert_int_equal(mem_pinnable(path, &b), 0);
	assert_int_equal(b, 2 * SZ_1M + 3 * SZ_2M);
	fd = open(path, O_WRONLY | O_TRUNC);
	assert_int_equal(write_all(fd, "MemTotal: 100 kB\n", 17), 0);
	close(fd);
	assert_int_equal(mem_pinnable(path, &b), -ENODATA);
	unlink(path);
	assert_int_equal(mem_pinnable("/nonexistent", &b), -ENOENT);
	assert_int_equal(mem_pinnable_decide(SZ_1G, SZ_1G), 0);
	assert_int_equal(mem_pinnable_decide(SZ_1G + 1, SZ_1G), -ENOMEM);
	test_one_err("the host can pin only 1024 MiB");
}

static void test_lock(void **state)
{
	const u64 size = 8 * SZ_1M;
	struct guest_mem mem;
	unsigned char vec[8 * 256];

	if (mem_check_memlock(size)) {
		test_err_reset();
		skip();
	}
	assert_int_equal(mem_alloc(&mem, size, false), 0);
	memset(vec, 0, sizeof(vec));
	assert_int_equal(mincore(mem.ram, size, vec), 0);
	assert_int_equal(vec[100] & 1, 0);	/* not faulted in yet */
	mem.ram[5 * 4096 + 3] = 0x77;		/* data survives the pre-fault */
	assert_int_equal(mem_lock(&mem, 3), 0);
	assert_true(mem.locked);
	assert_int_equal(mincore(mem.ram, size, vec), 0);
	for (size_t i = 0; i < size / 4096; i++)
		assert_int_equal(vec[i] & 1, 1);
	assert_int_equal(mem.ram[5 * 4096 + 3], 0x77);
	mem_free(&mem);

	/* more threads than pages, and 0 threads */
	assert_int_equal(mem_alloc(&mem, SZ_2M, false), 0);
	assert_int_equal(mem_lock(&mem, 1000), 0);
	mem_free(&mem);
	assert_int_equal(mem_alloc(&mem, SZ_2M, false), 0);
	assert_int_equal(mem_lock(&mem, 0), 0);
	mem_free(&mem);
	assert_int_equal(test_nr_err, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_layout, setup),
		cmocka_unit_test_setup(test_alloc, setup),
		cmocka_unit_test_setup(test_alloc_high, setup),
		cmocka_unit_test_setup(test_alloc_bad_size, setup),
		cmocka_unit_test_setup(test_hugetlb_check, setup),
		cmocka_unit_test_setup(test_alloc_hugepages, setup),
		cmocka_unit_test_setup(test_rom, setup),
		cmocka_unit_test_setup(test_gpa_to_hva, setup),
		cmocka_unit_test_setup(test_e820, setup),
		cmocka_unit_test_setup(test_map, setup),
		cmocka_unit_test_setup(test_map_real_kvm, setup),
		cmocka_unit_test_setup(test_memlock_decide, setup),
		cmocka_unit_test_setup(test_check_memlock_real, setup),
		cmocka_unit_test_setup(test_pinnable, setup),
		cmocka_unit_test_setup(test_lock, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
