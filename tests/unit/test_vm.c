// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of vmm/vm.c and vmm/vcpu.c (with the real kvm, cpuid, bus and
 * loop objects): the exit-code table, first-stop-wins across threads,
 * vm_destroy on zeroed and half-initialised VMs, the vCPU limit, and tiny
 * guests on the real /dev/kvm (skipped when it is absent) for each boot
 * mode: reset vector (RDX = CPUID.1:EAX), PVH (EBX, 32-bit, MMIO exits),
 * 64-bit Linux entry (long mode, RSI), string I/O, a triple fault,
 * SIGTERM while the guest spins (the vCPU kick), and an unclaimed port.
 *
 * Memory, boot and devices are TEST DOUBLES defined below, not the real
 * modules: anonymous RAM, a guest program written by "boot_load", and two
 * ports and one MMIO page instead of the device table.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <cmocka.h>

#include "tests/unit/kvm-avail.h"

#include "lib/log.h"
#include "vmm/sev-dma.h"
#include "vmm/vm.h"

#define GUEST_RAM	(2ULL << 20)
#define GUEST_CODE	0x10000ULL
#define GUEST_ZERO_PAGE	0x7000ULL
#define GUEST_GDT	0x500ULL
#define GUEST_PML4	0x1000ULL
#define MMIO_BASE	0xd0000000ULL
#define PORT_REC	0xf0

static struct {
	int err, warn;
	char last_err[512], last_warn[512];
} logs;

void __wrap_pr_log(enum log_level level, const char *fmt, ...) __printf(2, 3);
void __wrap_pr_log(enum log_level level, const char *fmt, ...)
{
	char *dst = level == LOG_ERR ? logs.last_err : logs.last_warn;
	va_list ap;

	if (level > LOG_WARN)
		return;
	va_start(ap, fmt);
	vsnprintf(dst, sizeof(logs.last_err), fmt, ap);
	va_end(ap);
	if (level == LOG_ERR)
		logs.err++;
	else
		logs.warn++;
}

/* ==== TEST DOUBLES of vmm/memory.c, vmm/boot.c, devices/devices.c ==== */

struct access {
	u64 addr;
	u32 len;
	bool is_write;
	u64 value;
};

static struct {
	int mem_alloc_err, memlock_err;
	int mem_alloc_calls, mem_free_calls, devices_exit_calls;
	u64 memlock_need;
	unsigned int lock_threads;
	enum boot_mode mode;		/* guest program for boot_load */
	const u8 *code;
	size_t code_len;
	u8 *rom;
	bool kill_on_rec;		/* SIGTERM ourselves on port 0xf0 */
	struct access acc[8];		/* port 0xf0 and MMIO accesses */
	unsigned int nr_acc;
} dbl;

int mem_alloc(struct guest_mem *mem, u64 ram_size, bool hugepages)
{
	dbl.mem_alloc_calls++;
	if (dbl.mem_alloc_err)
		return dbl.mem_alloc_err;
	mem->ram = mmap(NULL, ram_size, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	assert_true(mem->ram != MAP_FAILED);
	mem->memfd = -1;
	mem->ram_size = ram_size;
	mem->regions[0] = (struct mem_region) {
		.kind = MEM_RAM, .gpa = 0, .size = ram_size, .hva = mem->ram,
	};
	mem->nr_regions = 1;
	return 0;
}

int mem_map(struct guest_mem *mem, int vm_fd)
{
	unsigned int i;

	for (i = 0; i < mem->nr_regions; i++) {
		struct mem_region *r = &mem->regions[i];
		struct kvm_userspace_memory_region kr = {
			.slot = i, .guest_phys_addr = r->gpa,
			.memory_size = r->size,
			.userspace_addr = (u64)(uintptr_t)r->hva,
			.flags = r->kind == MEM_ROM ? KVM_MEM_READONLY : 0,
		};

		if (ioctl(vm_fd, KVM_SET_USER_MEMORY_REGION, &kr) < 0)
			return -errno;
	}
	return 0;
}

void mem_free(struct guest_mem *mem)
{
	dbl.mem_free_calls++;
	munmap(mem->ram, mem->ram_size);
	if (dbl.rom)
		munmap(dbl.rom, 0x10000);
	dbl.rom = NULL;
}

int mem_check_memlock(u64 need)
{
	dbl.memlock_need = need;
	return dbl.memlock_err;
}

int mem_lock(struct guest_mem *mem, unsigned int nr_threads)
{
	dbl.lock_threads = nr_threads;
	return 0;
}

/* Identity-map the first 2 MiB with one large page. */
static u64 dbl_page_tables(u8 *ram)
{
	u64 *pml4 = (u64 *)(ram + GUEST_PML4);
	u64 *pdpt = (u64 *)(ram + GUEST_PML4 + 0x1000);
	u64 *pd = (u64 *)(ram + GUEST_PML4 + 0x2000);

	pml4[0] = (GUEST_PML4 + 0x1000) | 3;
	pdpt[0] = (GUEST_PML4 + 0x2000) | 3;
	pd[0] = 0x83;			/* present, writable, 2 MiB */
	return GUEST_PML4;
}

int boot_load(struct guest_mem *mem, const struct boot_images *img,
	      struct fw_info *fw, struct boot_entry *entry)
{
	memset(entry, 0, sizeof(*entry));
	entry->mode = dbl.mode;
	if (dbl.mode == BOOT_RESET) {
		dbl.rom = mmap(NULL, 0x10000, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		assert_true(dbl.rom != MAP_FAILED);
		memcpy(dbl.rom + 0xfff0, dbl.code, dbl.code_len);
		mem->regions[mem->nr_regions++] = (struct mem_region) {
			.kind = MEM_ROM, .gpa = 0xffff0000, .size = 0x10000,
			.hva = dbl.rom,
		};
		entry->rip = 0xfffffff0;
		return 0;
	}
	memcpy(mem->ram + GUEST_CODE, dbl.code, dbl.code_len);
	entry->rip = GUEST_CODE;
	entry->boot_params = GUEST_ZERO_PAGE;
	entry->gdt = GUEST_GDT;
	if (dbl.mode == BOOT_LINUX64)
		entry->cr3 = dbl_page_tables(mem->ram);
	return 0;
}

static void dbl_testexit(void *opaque, u64 off, void *data, u32 len, bool w)
{
	if (w)
		vm_request_stop(opaque, VM_STOP_TESTEXIT, *(u8 *)data);
}

static void dbl_record(void *opaque, u64 off, void *data, u32 len, bool w)
{
	struct access *a = &dbl.acc[dbl.nr_acc++ % ARRAY_SIZE(dbl.acc)];

	*a = (struct access) { .addr = (u64)(uintptr_t)opaque + off,
			       .len = len, .is_write = w };
	if (w)
		memcpy(&a->value, data, len);
	else
		memset(data, 0x5a, len);
	if (dbl.kill_on_rec)
		kill(getpid(), SIGTERM);
}

int devices_init(struct vm *vm)
{
	int r = bus_register(&vm->pio, PORT_TEST_EXIT, 1, dbl_testexit, vm,
			     "testexit");

	if (!r)
		r = bus_register(&vm->pio, PORT_REC, 4, dbl_record,
				 (void *)(uintptr_t)PORT_REC, "rec");
	if (!r)
		r = bus_register(&vm->mmio, MMIO_BASE, 0x1000, dbl_record,
				 (void *)(uintptr_t)MMIO_BASE, "mmio-rec");
	return r;
}

void devices_exit(struct vm *vm)
{
	dbl.devices_exit_calls++;
}

/* ==== end of test doubles ==== */

struct fx {
	struct vm vm;
	struct vm_config cfg;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	memset(&logs, 0, sizeof(logs));
	memset(&dbl, 0, sizeof(dbl));
	f->cfg.mem_size = GUEST_RAM;
	f->cfg.cpus = 1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	vm_destroy(&f->vm);
	free(f);
	return 0;
}

static bool have_kvm(void)
{
	return test_have_kvm();
}

static void test_exit_codes(void **state)
{
	assert_int_equal(vm_exit_code(VM_STOP_POWEROFF, 5), 0);
	assert_int_equal(vm_exit_code(VM_STOP_RESET, 0), 0);
	assert_int_equal(vm_exit_code(VM_STOP_SIGNAL, SIGTERM), 0);
	assert_int_equal(vm_exit_code(VM_STOP_TESTEXIT, 0), 0);
	assert_int_equal(vm_exit_code(VM_STOP_TESTEXIT, 1), 65);
	assert_int_equal(vm_exit_code(VM_STOP_TESTEXIT, 16), 80);
	assert_int_equal(vm_exit_code(VM_STOP_TESTEXIT, 63), 127);
	assert_int_equal(vm_exit_code(VM_STOP_TESTEXIT, 64), 127);
	assert_int_equal(vm_exit_code(VM_STOP_TESTEXIT, 255), 127);
	assert_int_equal(vm_exit_code(VM_STOP_TESTEXIT, -1), 127);
	assert_int_equal(vm_exit_code(VM_STOP_ERROR, 0), EXIT_INTERNAL);
	assert_int_equal(vm_exit_code(VM_STOP_NONE, 0), EXIT_INTERNAL);
	assert_string_equal(vm_stop_reason_name(VM_STOP_TESTEXIT), "test-exit");
	assert_string_equal(vm_stop_reason_name((enum vm_stop_reason)99),
			    "unknown");
}

struct racer {
	struct vm *vm;
	pthread_barrier_t *bar;
	enum vm_stop_reason reason;
};

static void *race(void *arg)
{
	struct racer *r = arg;

	pthread_barrier_wait(r->bar);
	vm_request_stop(r->vm, r->reason, (int)r->reason * 10);
	return NULL;
}

static void test_first_stop_wins(void **state)
{
	struct vm *vm = &((struct fx *)*state)->vm;
	enum { N = VM_STOP_ERROR };
	struct racer r[N];
	pthread_barrier_t bar;
	pthread_t t[N];
	u64 count = 0;
	int i, won;

	vm->stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	vm->signal_fd = dup(vm->stop_fd);	/* vm_destroy closes both */
	vm->done = VM_DONE_FDS;
	assert_false(vm_stopping(vm));
	pthread_barrier_init(&bar, NULL, N);
	for (i = 0; i < N; i++) {
		r[i] = (struct racer) { vm, &bar,
					(enum vm_stop_reason)(i + 1) };
		assert_int_equal(pthread_create(&t[i], NULL, race, &r[i]), 0);
	}
	for (i = 0; i < N; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&bar);
	assert_true(vm_stopping(vm));
	won = atomic_load(&vm->stop_reason);
	assert_true(won >= VM_STOP_POWEROFF && won <= VM_STOP_ERROR);
	assert_int_equal(vm->guest_status, won * 10);
	/* Later requests change nothing; the eventfd was written once. */
	vm_request_stop(vm, won == VM_STOP_ERROR ? VM_STOP_RESET :
			VM_STOP_ERROR, 1);
	assert_int_equal(atomic_load(&vm->stop_reason), won);
	assert_int_equal(read(vm->stop_fd, &count, 8), 8);
	assert_int_equal(count, 1);
}

static void test_destroy_zeroed(void **state)
{
	struct vm vm;

	if (fcntl(0, F_GETFD) < 0)	/* make sure fd 0 is open */
		assert_int_equal(open("/dev/null", O_RDONLY), 0);
	memset(&vm, 0, sizeof(vm));
	vm_destroy(&vm);
	vm_destroy(&vm);
	assert_true(fcntl(0, F_GETFD) >= 0);
	assert_int_equal(dbl.mem_free_calls, 0);
	assert_int_equal(dbl.devices_exit_calls, 0);
}

static void test_init_no_kvm(void **state)
{
	struct fx *f = *state;
	static char path[] = "/nonexistent/kvm";

	f->cfg.kvm_path = path;
	assert_int_equal(vm_init(&f->vm, &f->cfg), -ENOENT);
	assert_non_null(strstr(logs.last_err, "/nonexistent/kvm"));
	assert_int_equal(dbl.mem_alloc_calls, 0);
	vm_destroy(&f->vm);
	assert_int_equal(dbl.mem_free_calls, 0);
	assert_int_equal(f->vm.done, 0);
}

static void test_init_bad_mask(void **state)
{
	struct fx *f = *state;
	static char mask[] = "cx16,nosuchflag";

	f->cfg.cpuid_mask = mask;
	assert_int_equal(vm_init(&f->vm, &f->cfg), -EINVAL);
	assert_non_null(strstr(logs.last_err, "nosuchflag"));
	assert_int_equal(f->vm.done, 0);	/* no KVM opened */
}

static void test_init_memory_fails(void **state)
{
	struct fx *f = *state;

	if (!have_kvm())
		skip();
	dbl.mem_alloc_err = -ENOMEM;
	assert_int_equal(vm_init(&f->vm, &f->cfg), -ENOMEM);
	assert_int_equal(f->vm.done, VM_DONE_KVM);
	vm_destroy(&f->vm);
	assert_int_equal(dbl.mem_free_calls, 0);
	assert_int_equal(f->vm.kvm.sys_fd, -1);
}

static void test_lock_memory(void **state)
{
	struct fx *f = *state;

	if (!have_kvm())
		skip();
	f->cfg.lock_memory = true;
	dbl.memlock_err = -ENOMEM;
	assert_int_equal(vm_init(&f->vm, &f->cfg), -ENOMEM);
	assert_int_equal(dbl.memlock_need, GUEST_RAM);
	assert_int_equal(dbl.mem_alloc_calls, 0);
	vm_destroy(&f->vm);
	dbl.memlock_err = 0;
	assert_int_equal(vm_init(&f->vm, &f->cfg), 0);
	assert_int_equal(dbl.lock_threads, 2);
}

static void test_vcpu_limit(void **state)
{
	struct fx *f = *state;

	if (!have_kvm())
		skip();
	assert_int_equal(vm_init(&f->vm, &f->cfg), 0);
	f->cfg.cpus = CONFIG_MAX_VCPUS + 1;
	assert_int_equal(vm_setup_vcpus(&f->vm), -EINVAL);
	assert_non_null(strstr(logs.last_err, "MAX_VCPUS"));
	f->cfg.cpus = 0;
	assert_int_equal(vm_setup_vcpus(&f->vm), -EINVAL);
	assert_int_equal(logs.err, 2);
	f->cfg.cpus = 1;		/* not loaded yet */
	assert_int_equal(vm_setup_vcpus(&f->vm), -EINVAL);
	assert_int_equal(vm_start(&f->vm), -EINVAL);
}

/* Boot a guest program in mode; returns sevm's exit code. */
static int run_guest(struct fx *f, enum boot_mode mode, const u8 *code,
		     size_t len)
{
	dbl.mode = mode;
	dbl.code = code;
	dbl.code_len = len;
	assert_int_equal(vm_init(&f->vm, &f->cfg), 0);
	assert_int_equal(vm_init_devices(&f->vm), 0);
	assert_int_equal(vm_load(&f->vm), 0);
	assert_int_equal(vm_setup_vcpus(&f->vm), 0);
	assert_int_equal(vm_start(&f->vm), 0);
	return vm_run(&f->vm);
}

static void get_sregs(struct fx *f, struct kvm_sregs *s)
{
	assert_int_equal(ioctl(f->vm.vcpus[0].fd, KVM_GET_SREGS, s), 0);
}

static void test_guest_reset_vector(void **state)
{
	static const u8 code[] = {
		0x66, 0x89, 0xd0,	/* mov eax, edx */
		0x66, 0xe7, PORT_REC,	/* out 0xf0, eax */
		0xb0, 42,		/* mov al, 42 */
		0xe6, PORT_TEST_EXIT,	/* out 0xf4, al */
		0xf4,			/* hlt */
	};
	struct fx *f = *state;

	if (!have_kvm())
		skip();
	assert_int_equal(run_guest(f, BOOT_RESET, code, sizeof(code)), 106);
	assert_int_equal(atomic_load(&f->vm.stop_reason), VM_STOP_TESTEXIT);
	assert_int_equal(dbl.nr_acc, 1);
	assert_int_equal(dbl.acc[0].addr, PORT_REC);
	assert_int_equal(dbl.acc[0].len, 4);
	assert_int_equal(dbl.acc[0].value, cpuid_signature(f->vm.kvm.cpuid));
	assert_true(f->vm.vcpus[0].nr_exits >= 2);
}

static void test_guest_pvh_mmio(void **state)
{
	static const u8 code[] = {
		0x89, 0xd8,			/* mov eax, ebx */
		0xe7, PORT_REC,			/* out 0xf0, eax */
		0x89, 0x1d, 0x10, 0, 0, 0xd0,	/* mov [0xd0000010], ebx */
		0xa1, 0x20, 0, 0, 0xd0,		/* mov eax, [0xd0000020] */
		0xe7, PORT_REC,			/* out 0xf0, eax */
		0xb0, 7, 0xe6, PORT_TEST_EXIT,	/* out 0xf4, 7 */
	};
	struct fx *f = *state;
	struct kvm_sregs s;

	if (!have_kvm())
		skip();
	assert_int_equal(run_guest(f, BOOT_PVH, code, sizeof(code)), 71);
	assert_int_equal(dbl.nr_acc, 4);
	assert_int_equal(dbl.acc[0].value, GUEST_ZERO_PAGE);	/* EBX */
	assert_int_equal(dbl.acc[0].len, 4);		/* 32-bit code */
	assert_int_equal(dbl.acc[1].addr, MMIO_BASE + 0x10);
	assert_true(dbl.acc[1].is_write);
	assert_int_equal(dbl.acc[1].value, GUEST_ZERO_PAGE);
	assert_int_equal(dbl.acc[2].addr, MMIO_BASE + 0x20);
	assert_false(dbl.acc[2].is_write);
	assert_int_equal(dbl.acc[3].value, 0x5a5a5a5a);
	get_sregs(f, &s);
	assert_int_equal(s.cr0 & 0x80000001, 1);	/* PE, no PG */
	assert_int_equal(s.cs.selector, 0x10);
	assert_int_equal(s.cs.db, 1);
	assert_int_equal(s.ds.selector, 0x18);
	assert_int_equal(s.gdt.base, GUEST_GDT);
	assert_int_equal(s.gdt.limit, 31);
}

static void test_guest_linux64(void **state)
{
	static const u8 code[] = {
		0x48, 0x89, 0xf0,		/* mov rax, rsi */
		0xe7, PORT_REC,			/* out 0xf0, eax */
		0xb0, 9, 0xe6, PORT_TEST_EXIT,	/* out 0xf4, 9 */
	};
	struct fx *f = *state;
	struct kvm_sregs s;

	if (!have_kvm())
		skip();
	assert_int_equal(run_guest(f, BOOT_LINUX64, code, sizeof(code)), 73);
	assert_int_equal(dbl.acc[0].value, GUEST_ZERO_PAGE);	/* RSI */
	get_sregs(f, &s);
	assert_int_equal(s.efer & 0x500, 0x500);	/* LME | LMA */
	assert_int_equal(s.cr0 & 0x80000001, 0x80000001);
	assert_true(s.cr4 & 0x20);
	assert_int_equal(s.cr3, GUEST_PML4);
	assert_int_equal(s.cs.l, 1);
	assert_int_equal(s.cs.selector, 0x10);
	assert_int_equal(s.ss.selector, 0x18);
}

static void test_guest_triple_fault(void **state)
{
	static const u8 code[] = { 0x0f, 0x0b };	/* ud2, no IDT */
	struct fx *f = *state;

	if (!have_kvm())
		skip();
	assert_int_equal(run_guest(f, BOOT_PVH, code, sizeof(code)), 0);
	assert_int_equal(atomic_load(&f->vm.stop_reason), VM_STOP_RESET);
	assert_non_null(strstr(logs.last_warn, "triple fault"));
}

/* String I/O: rep outsb and rep insb (KVM_EXIT_IO with count > 1). */
static void test_guest_string_io(void **state)
{
	static const u8 code[0x43] = {
		0xbe, 0x40, 0, 1, 0,		/* mov esi, 0x10040 */
		0xb9, 3, 0, 0, 0,		/* mov ecx, 3 */
		0x66, 0xba, PORT_REC, 0,	/* mov dx, 0xf0 */
		0xf3, 0x6e,			/* rep outsb */
		0xbf, 0, 0, 2, 0,		/* mov edi, 0x20000 */
		0xb9, 2, 0, 0, 0,		/* mov ecx, 2 */
		0xf3, 0x6c,			/* rep insb */
		0xa0, 1, 0, 2, 0,		/* mov al, [0x20001] */
		0xe6, PORT_TEST_EXIT,		/* out 0xf4, al */
		[0x40] = 'a', 'b', 'c',
	};
	struct fx *f = *state;
	unsigned int i;

	if (!have_kvm())
		skip();
	assert_int_equal(run_guest(f, BOOT_PVH, code, sizeof(code)), 127);
	assert_int_equal(f->vm.guest_status, 0x5a);
	assert_int_equal(dbl.nr_acc, 5);
	for (i = 0; i < 3; i++) {
		assert_true(dbl.acc[i].is_write);
		assert_int_equal(dbl.acc[i].len, 1);
		assert_int_equal(dbl.acc[i].value, 'a' + i);
	}
	assert_false(dbl.acc[3].is_write);
	assert_false(dbl.acc[4].is_write);
}

/* SIGTERM while vCPU 0 spins and vCPU 1 waits for SIPI: both are kicked. */
static void test_guest_sigterm(void **state)
{
	static const u8 code[] = {
		0xe7, PORT_REC,		/* out 0xf0, eax: sends SIGTERM */
		0xeb, 0xfe,		/* jmp $ */
	};
	struct fx *f = *state;

	if (!have_kvm())
		skip();
	f->cfg.cpus = 2;
	dbl.kill_on_rec = true;
	assert_int_equal(run_guest(f, BOOT_PVH, code, sizeof(code)), 0);
	assert_int_equal(atomic_load(&f->vm.stop_reason), VM_STOP_SIGNAL);
	assert_int_equal(f->vm.guest_status, SIGTERM);
	assert_non_null(strstr(logs.last_warn, "terminating on signal 15"));
	assert_false(f->vm.vcpus[0].started);		/* joined */
	assert_false(f->vm.vcpus[1].started);
}

static void test_guest_unclaimed_port(void **state)
{
	static const u8 code[] = {
		0xe4, 0x99,			/* in al, 0x99 */
		0xe6, PORT_TEST_EXIT,		/* out 0xf4, al */
	};
	struct fx *f = *state;

	if (!have_kvm())
		skip();
	assert_int_equal(run_guest(f, BOOT_PVH, code, sizeof(code)), 127);
	assert_int_equal(f->vm.guest_status, 0xff);
	assert_non_null(strstr(logs.last_warn, "0x99"));
}

/*
 * An SEV guest converts pages through sevm's port 0xe6 stand-in of
 * KVM_HC_MAP_GPA_RANGE: the vCPU loop hands the OUT to vmm/sev-dma.c,
 * which answers in RAX (0, then -EINVAL for an unaligned gpa).
 */
static void test_guest_sev_share_port(void **state)
{
	static const u8 code[] = {
		0xb8, 12, 0, 0, 0,		/* mov eax, 12 */
		0xbb, 0, 0, 0x10, 0,		/* mov ebx, 0x100000 */
		0xb9, 2, 0, 0, 0,		/* mov ecx, 2 */
		0x31, 0xd2,			/* xor edx, edx */
		0xe6, 0xe6,			/* out 0xe6, al */
		0xe7, PORT_REC,			/* out 0xf0, eax: result */
		0xb8, 12, 0, 0, 0,		/* mov eax, 12 */
		0xbb, 1, 0, 0x10, 0,		/* mov ebx, 0x100001 */
		0xe6, 0xe6,			/* out 0xe6, al */
		0xe7, PORT_REC,			/* out 0xf0, eax: result */
		0xb0, 5, 0xe6, PORT_TEST_EXIT,	/* out 0xf4, 5 */
	};
	struct fx *f = *state;

	if (!have_kvm())
		skip();
	f->cfg.sev.enabled = true;
	dbl.mode = BOOT_PVH;
	dbl.code = code;
	dbl.code_len = sizeof(code);
	assert_int_equal(vm_init(&f->vm, &f->cfg), 0);
	assert_int_equal(sev_dma_init(&f->vm), 0);
	assert_int_equal(vm_init_devices(&f->vm), 0);
	assert_int_equal(vm_load(&f->vm), 0);
	assert_int_equal(vm_setup_vcpus(&f->vm), 0);
	assert_int_equal(vm_start(&f->vm), 0);
	assert_int_equal(vm_run(&f->vm), 69);
	assert_int_equal(dbl.nr_acc, 2);
	assert_int_equal(dbl.acc[0].value, 0);
	assert_int_equal(dbl.acc[1].value, (u32)-EINVAL);
	assert_false(shared_pages_is_shared(f->vm.shared, 0xff000));
	assert_true(shared_pages_is_shared(f->vm.shared, 0x100000));
	assert_true(shared_pages_is_shared(f->vm.shared, 0x101fff));
	assert_false(shared_pages_is_shared(f->vm.shared, 0x102000));
	vm_destroy(&f->vm);
	sev_dma_free(&f->vm);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_exit_codes),
		T(test_first_stop_wins),
		T(test_destroy_zeroed),
		T(test_init_no_kvm),
		T(test_init_bad_mask),
		T(test_init_memory_fails),
		T(test_lock_memory),
		T(test_vcpu_limit),
		T(test_guest_reset_vector),
		T(test_guest_pvh_mmio),
		T(test_guest_linux64),
		T(test_guest_triple_fault),
		T(test_guest_string_io),
		T(test_guest_sigterm),
		T(test_guest_unclaimed_port),
		T(test_guest_sev_share_port),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
