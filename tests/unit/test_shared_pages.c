// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of vmm/shared-pages.c and vmm/sev-dma.c over a hand-built
 * struct guest_mem (low RAM, high RAM from 4 GiB, a ROM; no KVM): all
 * pages private at first; KVM_HC_MAP_GPA_RANGE set/clear, boundaries,
 * empty, unaligned, overflowing, outside-RAM ranges and attribute bits
 * (page-size hints); the DMA stage through the real vmm/dma.c (refusal,
 * runs cut at a private page, all-or-nothing copies, counters, the
 * rate-limited log line); concurrent lookups during conversions; the
 * exit seam (a kvm_run) and the port stand-in, set-up and the fw_cfg
 * file with a scripted ioctl() and fw_cfg doubles (defined below).
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "devices/fw_cfg.h"
#include "firmware/handoff.h"
#include "lib/log.h"
#include "vmm/dma.h"
#include "vmm/memory.h"
#include "vmm/sev-dma.h"
#include "vmm/shared-pages.h"
#include "vmm/vcpu.h"
#include "vmm/vm.h"

#define LOW_SIZE	(1024 * 1024ULL)	/* 256 pages */
#define HIGH_GPA	SZ_4G
#define HIGH_SIZE	(64 * 1024ULL)
#define ROM_GPA		(SZ_4G - 4096)
#define PG		4096ULL
#define EINVAL_RET	((u64)-EINVAL)

static struct {
	int warn;
	char last[512];
} logs;

void __wrap_pr_log(enum log_level level, const char *fmt, ...) __printf(2, 3);
void __wrap_pr_log(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	if (level != LOG_WARN && level != LOG_ERR)
		return;
	va_start(ap, fmt);
	vsnprintf(logs.last, sizeof(logs.last), fmt, ap);
	va_end(ap);
	logs.warn++;
}

/* ==== TEST DOUBLES: a scripted ioctl() and fw_cfg ==== */

static struct {
	int check_hypercall;		/* KVM_CHECK_EXTENSION answer */
	u64 enabled_args;		/* KVM_ENABLE_CAP args[0] seen */
	int enable_calls;
	struct kvm_regs regs;		/* GET_REGS gives, SET_REGS stores */
	int set_regs_calls;
	char file_name[64];
	struct sevm_sev_dma file;
	int files;
} dbl;

int __wrap_ioctl(int fd, unsigned long req, ...);
int __wrap_ioctl(int fd, unsigned long req, ...)
{
	va_list ap;
	void *arg;

	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	switch (req) {
	case KVM_CHECK_EXTENSION:
		return (uintptr_t)arg == KVM_CAP_EXIT_HYPERCALL ?
		       dbl.check_hypercall : 0;
	case KVM_ENABLE_CAP:
		dbl.enable_calls++;
		dbl.enabled_args = ((struct kvm_enable_cap *)arg)->args[0];
		return 0;
	case KVM_GET_REGS:
		memcpy(arg, &dbl.regs, sizeof(dbl.regs));
		return 0;
	case KVM_SET_REGS:
		memcpy(&dbl.regs, arg, sizeof(dbl.regs));
		dbl.set_regs_calls++;
		return 0;
	}
	errno = ENOTTY;
	return -1;
}

static struct fw_cfg *fake_fw = (struct fw_cfg *)&dbl;

struct fw_cfg *fw_cfg_of(struct vm *vm)
{
	return fake_fw;
}

int fw_cfg_add_file(struct fw_cfg *fw, const char *name, const void *data,
		    u32 len)
{
	assert_int_equal(len, sizeof(dbl.file));
	snprintf(dbl.file_name, sizeof(dbl.file_name), "%s", name);
	memcpy(&dbl.file, data, len);
	dbl.files++;
	return 0;
}

/* ==== fixture ==== */

struct fx {
	struct guest_mem mem;
	struct shared_pages sp;
	struct dma_as as;
	u8 *buf;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	f->buf = calloc(1, LOW_SIZE + HIGH_SIZE + 4096);
	if (!f->buf)
		return -1;
	f->mem.regions[0] = (struct mem_region){ MEM_RAM, 0, LOW_SIZE,
						 f->buf, 0 };
	f->mem.regions[1] = (struct mem_region){ MEM_RAM, HIGH_GPA, HIGH_SIZE,
						 f->buf + LOW_SIZE, 1 };
	f->mem.regions[2] = (struct mem_region){ MEM_ROM, ROM_GPA, 4096,
						 f->buf + LOW_SIZE + HIGH_SIZE,
						 2 };
	f->mem.nr_regions = 3;
	f->mem.ram = f->buf;
	f->mem.ram_size = LOW_SIZE + HIGH_SIZE;
	if (shared_pages_init(&f->sp, &f->mem))
		return -1;
	dma_as_init(&f->as, &f->mem, "test", 0x08, true);
	f->as.shared = &f->sp.stage;
	memset(&logs, 0, sizeof(logs));
	memset(&dbl, 0, sizeof(dbl));
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	shared_pages_free(&f->sp);
	free(f->buf);
	free(f);
	return 0;
}

static int map(struct fx *f, u64 gpa, u64 n, u64 attrs)
{
	return shared_pages_map_gpa_range(&f->sp, gpa, n, attrs);
}

/* ==== the set ==== */

static void test_all_private_at_launch(void **state)
{
	struct fx *f = *state;

	assert_int_equal(f->sp.nr_pages, (HIGH_GPA + HIGH_SIZE) / PG);
	assert_false(shared_pages_is_shared(&f->sp, 0));
	assert_false(shared_pages_is_shared(&f->sp, LOW_SIZE - 1));
	assert_false(shared_pages_is_shared(&f->sp, HIGH_GPA));
	assert_false(shared_pages_is_shared(&f->sp, ~0ULL));
	assert_int_equal(f->sp.nr_shared, 0);
	assert_int_equal(shared_pages_run(&f->sp, 0, LOW_SIZE), 0);
}

static void test_set_clear(void **state)
{
	struct fx *f = *state;

	assert_int_equal(map(f, 0x3000, 2, 0), 0);
	assert_false(shared_pages_is_shared(&f->sp, 0x2fff));
	assert_true(shared_pages_is_shared(&f->sp, 0x3000));
	assert_true(shared_pages_is_shared(&f->sp, 0x4fff));
	assert_false(shared_pages_is_shared(&f->sp, 0x5000));
	assert_int_equal(f->sp.nr_shared, 2);
	/* sharing again changes nothing; the count stays exact */
	assert_int_equal(map(f, 0x3000, 2, 0), 0);
	assert_int_equal(f->sp.nr_shared, 2);
	/* back to private: bit 4 (KVM_MAP_GPA_RANGE_ENCRYPTED) */
	assert_int_equal(map(f, 0x4000, 1, HC_MAP_GPA_ENCRYPTED), 0);
	assert_true(shared_pages_is_shared(&f->sp, 0x3000));
	assert_false(shared_pages_is_shared(&f->sp, 0x4000));
	assert_int_equal(f->sp.nr_shared, 1);
	assert_int_equal(map(f, 0, LOW_SIZE / PG, HC_MAP_GPA_ENCRYPTED), 0);
	assert_int_equal(f->sp.nr_shared, 0);
	assert_int_equal(f->sp.nr_calls, 4);
}

static void test_boundaries(void **state)
{
	struct fx *f = *state;

	/* the last page of low RAM and of high RAM */
	assert_int_equal(map(f, LOW_SIZE - PG, 1, 0), 0);
	assert_int_equal(map(f, HIGH_GPA + HIGH_SIZE - PG, 1, 0), 0);
	assert_true(shared_pages_is_shared(&f->sp, LOW_SIZE - 1));
	assert_true(shared_pages_is_shared(&f->sp, HIGH_GPA + HIGH_SIZE - 1));
	/* one page past the end of a region: refused, nothing changed */
	assert_int_equal(map(f, LOW_SIZE - 2 * PG, 3, 0), -EINVAL);
	assert_false(shared_pages_is_shared(&f->sp, LOW_SIZE - 2 * PG));
	assert_int_equal(map(f, HIGH_GPA, HIGH_SIZE / PG + 1, 0), -EINVAL);
	assert_false(shared_pages_is_shared(&f->sp, HIGH_GPA));
	assert_int_equal(f->sp.nr_shared, 2);
}

static void test_bad_ranges(void **state)
{
	struct fx *f = *state;

	assert_int_equal(map(f, 0x1000, 0, 0), -EINVAL);	/* empty */
	assert_int_equal(map(f, 0x1001, 1, 0), -EINVAL);	/* unaligned */
	assert_int_equal(map(f, 0x1000, ~0ULL, 0), -EINVAL);	/* overflow */
	assert_int_equal(map(f, 0x1000, (~0ULL >> 12), 0), -EINVAL);
	assert_int_equal(map(f, ~0ULL & ~(PG - 1), 2, 0), -EINVAL);
	assert_int_equal(map(f, LOW_SIZE, 1, 0), -EINVAL);	/* the hole */
	assert_int_equal(map(f, ROM_GPA, 1, 0), -EINVAL);	/* ROM */
	assert_int_equal(map(f, HIGH_GPA + HIGH_SIZE, 1, 0), -EINVAL);
	assert_int_equal(map(f, SZ_1G * 1024, 1, 0), -EINVAL);
	/* spanning low RAM, the hole and high RAM is not one RAM range */
	assert_int_equal(map(f, 0, (HIGH_GPA + PG) / PG, 0), -EINVAL);
	assert_int_equal(f->sp.nr_shared, 0);
	assert_int_equal(f->sp.nr_calls, 0);
}

static void test_attributes(void **state)
{
	struct fx *f = *state;

	/* page-size hints 2M (1) and 1G (2): npages still counts 4 KiB */
	assert_int_equal(map(f, 0, 512, 1), -EINVAL);	/* > low RAM */
	assert_int_equal(map(f, 0, 256, 1), 0);
	assert_int_equal(f->sp.nr_shared, 256);
	assert_int_equal(map(f, 0, 256, 2 | HC_MAP_GPA_ENCRYPTED), 0);
	assert_int_equal(f->sp.nr_shared, 0);
	/* size value 3, unknown bits: refused */
	assert_int_equal(map(f, 0, 1, 3), -EINVAL);
	assert_int_equal(map(f, 0, 1, 1ULL << 5), -EINVAL);
	assert_int_equal(map(f, 0, 1, 1ULL << 63), -EINVAL);
	assert_int_equal(f->sp.nr_shared, 0);
}

static void test_run(void **state)
{
	struct fx *f = *state;

	assert_int_equal(map(f, 0x10000, 3, 0), 0);
	assert_int_equal(shared_pages_run(&f->sp, 0x10000, 3 * PG), 3 * PG);
	assert_int_equal(shared_pages_run(&f->sp, 0x10800, 8 * PG),
			 3 * PG - 0x800);
	assert_int_equal(shared_pages_run(&f->sp, 0x10800, 16), 16);
	assert_int_equal(shared_pages_run(&f->sp, 0xf000, PG * 2), 0);
	assert_int_equal(shared_pages_run(&f->sp, 0x12fff, 1), 1);
	assert_int_equal(shared_pages_run(&f->sp, 0x12fff, 2), 1);
}

/* ==== the DMA stage, through vmm/dma.c ==== */

static void test_stage_refuses_private(void **state)
{
	struct fx *f = *state;
	u8 b[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	void *p;
	u64 c;

	memset(f->buf + 0x20000, 0xaa, 16);
	assert_int_equal(dma_translate(&f->as, 0x20000, 16, DMA_TO_DEVICE,
				       &p, &c), -EPERM);
	assert_int_equal(dma_read(&f->as, 0x20000, b, 8), -EPERM);
	assert_int_equal(b[0], 1);		/* nothing copied */
	assert_int_equal(dma_write(&f->as, 0x20000, b, 8), -EPERM);
	assert_int_equal(f->buf[0x20000], 0xaa);	/* nothing written */
	assert_int_equal(f->as.refused, 3);
	assert_int_equal(f->sp.refused, 3);
	/* one line in this second, naming the device and the address */
	assert_int_equal(logs.warn, 1);
	assert_non_null(strstr(logs.last, "00:01.0"));
	assert_non_null(strstr(logs.last, "gpa 0x20000"));
	assert_non_null(strstr(logs.last, "not shared"));
}

static void test_stage_cuts_runs(void **state)
{
	struct fx *f = *state;
	u8 b[2 * PG];
	struct iovec iov[4];
	unsigned int n = 0;
	void *p;
	u64 c;

	assert_int_equal(map(f, 0x30000, 1, 0), 0);
	assert_int_equal(dma_translate(&f->as, 0x30f00, 0x200, DMA_BIDIR,
				       &p, &c), 0);
	assert_ptr_equal(p, f->buf + 0x30f00);
	assert_int_equal(c, 0x100);		/* stops at the private page */
	/* a copy running into the private page: refused as a whole */
	memset(f->buf + 0x30000, 0x55, PG);
	memset(b, 0, sizeof(b));
	assert_int_equal(dma_read(&f->as, 0x30000, b, 2 * PG), -EPERM);
	assert_int_equal(b[0], 0);
	assert_int_equal(dma_map_iov(&f->as, 0x30000, 2 * PG, DMA_TO_DEVICE,
				     iov, 4, &n), -EPERM);
	assert_int_equal(n, 0);
	/* once the next page is shared too, it works */
	assert_int_equal(map(f, 0x31000, 1, 0), 0);
	assert_int_equal(dma_read(&f->as, 0x30000, b, 2 * PG), 0);
	assert_int_equal(b[0], 0x55);
	/* and stops working when the guest takes the page back */
	assert_int_equal(map(f, 0x30000, 1, HC_MAP_GPA_ENCRYPTED), 0);
	assert_int_equal(dma_read(&f->as, 0x30000, b, 16), -EPERM);
}

static void test_stage_log_rate_limited(void **state)
{
	struct fx *f = *state;
	void *p;
	u64 c;
	int i;

	for (i = 0; i < 100; i++)
		assert_int_equal(dma_translate(&f->as, 0x40000 + i, 1,
					       DMA_FROM_DEVICE, &p, &c),
				 -EPERM);
	assert_int_equal(logs.warn, 1);
	assert_int_equal(f->sp.refused, 100);
	assert_int_equal(f->sp.suppressed, 99);
	assert_int_equal(f->as.refused, 100);
}

/* ==== concurrency: lookups while another thread converts ==== */

struct race {
	struct fx *f;
	atomic_bool stop;
	atomic_int bad;
};

static void *reader(void *arg)
{
	struct race *r = arg;
	void *p;
	u64 c;
	int i;

	for (i = 0; i < 20000 && !atomic_load(&r->stop); i++) {
		/* pages 0x50000-0x53fff stay shared throughout */
		if (shared_pages_run(&r->f->sp, 0x50000, 4 * PG) != 4 * PG ||
		    dma_translate(&r->f->as, 0x51000, PG, DMA_TO_DEVICE,
				  &p, &c) || c != PG)
			atomic_fetch_add(&r->bad, 1);
	}
	return NULL;
}

static void test_concurrent_lookups(void **state)
{
	struct race r = { .f = *state };
	pthread_t t[3];
	int i;

	assert_int_equal(map(r.f, 0x50000, 4, 0), 0);
	for (i = 0; i < 3; i++)
		assert_int_equal(pthread_create(&t[i], NULL, reader, &r), 0);
	/* flip the neighbours (same bitmap words) meanwhile */
	for (i = 0; i < 2000; i++) {
		assert_int_equal(map(r.f, 0x4c000, 4, i & 1 ?
				     HC_MAP_GPA_ENCRYPTED : 0), 0);
		assert_int_equal(map(r.f, 0x54000, 4, i & 1 ?
				     HC_MAP_GPA_ENCRYPTED : 0), 0);
	}
	atomic_store(&r.stop, true);
	for (i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	assert_int_equal(atomic_load(&r.bad), 0);
	assert_int_equal(r.f->sp.nr_shared, 4);
}

/* ==== the exit seam, the port stand-in, set-up ==== */

static void test_hypercall_seam(void **state)
{
	struct fx *f = *state;
	struct kvm_run run;

	memset(&run, 0, sizeof(run));
	run.hypercall.nr = HC_MAP_GPA_RANGE;
	run.hypercall.args[0] = 0x60000;
	run.hypercall.args[1] = 2;
	sev_dma_hypercall(&f->sp, &run);
	assert_int_equal(run.hypercall.ret, 0);
	assert_true(shared_pages_is_shared(&f->sp, 0x61000));
	run.hypercall.args[0] = 0x60001;	/* unaligned */
	sev_dma_hypercall(&f->sp, &run);
	assert_true(run.hypercall.ret == EINVAL_RET);
	run.hypercall.args[0] = 0x60000;
	run.hypercall.args[2] = 1ULL << 7;	/* unknown attribute */
	sev_dma_hypercall(&f->sp, &run);
	assert_true(run.hypercall.ret == EINVAL_RET);
	run.hypercall.nr = 5;			/* KVM_HC_KICK_CPU: not ours */
	sev_dma_hypercall(&f->sp, &run);
	assert_true(run.hypercall.ret == (u64)-1000);
	run.hypercall.nr = HC_MAP_GPA_RANGE;
	sev_dma_hypercall(NULL, &run);		/* not tracking */
	assert_true(run.hypercall.ret == (u64)-1000);
	assert_int_equal(f->sp.nr_shared, 2);
}

/* A vm and vcpu just big enough for sev-dma.c. */
struct vfx {
	struct vm vm;
	struct vm_config cfg;
	struct vcpu vcpu;
	struct kvm_run run;
};

static void vfx_init(struct vfx *v, struct fx *f, bool sev)
{
	memset(v, 0, sizeof(*v));
	config_init(&v->cfg);
	v->cfg.sev.enabled = sev;
	v->vm.cfg = &v->cfg;
	v->vm.mem = f->mem;
	v->vm.kvm.vm_fd = 99;
	v->vcpu.vm = &v->vm;
	v->vcpu.fd = 98;
	v->vcpu.run = &v->run;
}

static void test_port_stand_in(void **state)
{
	struct fx *f = *state;
	struct vfx v;

	vfx_init(&v, f, true);
	v.vm.shared = &f->sp;
	v.run.exit_reason = KVM_EXIT_IO;
	v.run.io.direction = KVM_EXIT_IO_OUT;
	v.run.io.port = PORT_SEV_SHARE;
	dbl.regs.rax = HC_MAP_GPA_RANGE;
	dbl.regs.rbx = 0x70000;
	dbl.regs.rcx = 3;
	dbl.regs.rdx = 0;
	assert_true(sev_dma_port_exit(&v.vcpu));
	assert_int_equal(dbl.set_regs_calls, 1);
	assert_int_equal(dbl.regs.rax, 0);
	assert_int_equal(dbl.regs.rbx, 0x70000);	/* others untouched */
	assert_true(shared_pages_is_shared(&f->sp, 0x72000));
	dbl.regs.rax = HC_MAP_GPA_RANGE;
	dbl.regs.rbx = LOW_SIZE;		/* not RAM */
	assert_true(sev_dma_port_exit(&v.vcpu));
	assert_true(dbl.regs.rax == EINVAL_RET);
	/* another port, an IN, or no SEV: an ordinary port */
	v.run.io.port = PORT_SEV_SHARE + 1;
	assert_false(sev_dma_port_exit(&v.vcpu));
	v.run.io.port = PORT_SEV_SHARE;
	v.run.io.direction = KVM_EXIT_IO_IN;
	assert_false(sev_dma_port_exit(&v.vcpu));
	v.run.io.direction = KVM_EXIT_IO_OUT;
	v.vm.shared = NULL;
	assert_false(sev_dma_port_exit(&v.vcpu));
	assert_int_equal(dbl.set_regs_calls, 2);
}

static void test_init_sev(void **state)
{
	struct fx *f = *state;
	struct vfx v;

	vfx_init(&v, f, true);
	v.cfg.sev.dma_check = TRI_ON;
	dbl.check_hypercall = 1 << HC_MAP_GPA_RANGE;
	assert_int_equal(sev_dma_init(&v.vm), 0);
	assert_non_null(v.vm.shared);
	assert_int_equal(dbl.enable_calls, 1);
	assert_int_equal(dbl.enabled_args, 1ULL << 12);
	assert_int_equal(v.vm.cpuid_mask.kvm_features_set,
			 (1U << 16) | (1U << 17));
	assert_ptr_equal(sev_dma_stage(&v.vm), &v.vm.shared->stage);
	assert_int_equal(sev_dma_publish(&v.vm), 0);
	assert_string_equal(dbl.file_name, SEVM_FWCFG_SEV_DMA);
	assert_int_equal(dbl.file.port, PORT_SEV_SHARE);
	assert_int_equal(dbl.file.flags, SEVM_SEV_DMA_CHECK);
	/* a KVM_EXIT_HYPERCALL reaches the VM's set */
	v.run.hypercall.nr = HC_MAP_GPA_RANGE;
	v.run.hypercall.args[0] = 0x8000;
	v.run.hypercall.args[1] = 1;
	assert_true(sev_dma_hypercall_exit(&v.vcpu));
	assert_int_equal(v.run.hypercall.ret, 0);
	assert_true(shared_pages_is_shared(v.vm.shared, 0x8000));
	sev_dma_free(&v.vm);
	assert_null(v.vm.shared);
}

static void test_init_check_off_no_cap(void **state)
{
	struct fx *f = *state;
	struct vfx v;

	vfx_init(&v, f, true);
	v.cfg.sev.dma_check = TRI_OFF;
	dbl.check_hypercall = 0;		/* KVM without the exit */
	assert_int_equal(sev_dma_init(&v.vm), 0);
	assert_non_null(v.vm.shared);		/* tracked all the same */
	assert_int_equal(dbl.enable_calls, 0);
	assert_null(sev_dma_stage(&v.vm));	/* but DMA not checked */
	assert_int_equal(sev_dma_publish(&v.vm), 0);
	assert_int_equal(dbl.file.flags, 0);
	assert_int_equal(dbl.file.port, PORT_SEV_SHARE);
	sev_dma_free(&v.vm);
}

static void test_init_no_sev(void **state)
{
	struct fx *f = *state;
	struct vfx v;

	vfx_init(&v, f, false);
	assert_int_equal(sev_dma_init(&v.vm), 0);
	assert_null(v.vm.shared);
	assert_null(sev_dma_stage(&v.vm));
	assert_int_equal(v.vm.cpuid_mask.kvm_features_set, 0);
	assert_int_equal(sev_dma_publish(&v.vm), 0);
	assert_int_equal(dbl.files, 0);
	sev_dma_free(&v.vm);			/* a no-op */
}

static void test_init_no_ram(void **state)
{
	struct guest_mem mem = { 0 };
	struct shared_pages sp;

	assert_int_equal(shared_pages_init(&sp, &mem), -EINVAL);
	assert_int_equal(logs.warn, 1);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_all_private_at_launch),
		T(test_set_clear),
		T(test_boundaries),
		T(test_bad_ranges),
		T(test_attributes),
		T(test_run),
		T(test_stage_refuses_private),
		T(test_stage_cuts_runs),
		T(test_stage_log_rate_limited),
		T(test_concurrent_lookups),
		T(test_hypercall_seam),
		T(test_port_stand_in),
		T(test_init_sev),
		T(test_init_check_off_no_cap),
		T(test_init_no_sev),
		T(test_init_no_ram),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
