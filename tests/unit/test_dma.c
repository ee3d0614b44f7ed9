// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of vmm/dma.c over a real struct guest_mem built by hand (low
 * RAM, high RAM from 4 GiB, a ROM below 4 GiB; no KVM): bounds at the end
 * of RAM and across the gap, wrapping and empty ranges, bus mastering,
 * fake IOMMU and shared-page stages that refuse or shorten runs, the
 * all-or-nothing copies, dma_map_iov and the refused counter.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "vmm/dma.h"
#include "vmm/memory.h"

#define LOW_SIZE	(64 * 1024ULL)
#define HIGH_GPA	SZ_4G
#define HIGH_SIZE	(64 * 1024ULL)
#define ROM_GPA		(SZ_4G - 4096)

struct fx {
	struct guest_mem mem;
	struct dma_as as;
	u8 *buf;		/* low, high and ROM backing, contiguous */
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
	/* high RAM right after low RAM in host memory: only the guest
	 * layout can keep a copy from running across the gap */
	f->mem.regions[1] = (struct mem_region){ MEM_RAM, HIGH_GPA, HIGH_SIZE,
						 f->buf + LOW_SIZE, 1 };
	f->mem.regions[2] = (struct mem_region){ MEM_ROM, ROM_GPA, 4096,
						 f->buf + LOW_SIZE + HIGH_SIZE,
						 2 };
	f->mem.nr_regions = 3;
	f->mem.ram = f->buf;
	f->mem.ram_size = LOW_SIZE + HIGH_SIZE;
	dma_as_init(&f->as, &f->mem, "test", 0x10, true);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	free(f->buf);
	free(f);
	return 0;
}

static u8 *low(struct fx *f, u64 gpa)
{
	return f->buf + gpa;
}

static u8 *high(struct fx *f, u64 gpa)
{
	return f->buf + LOW_SIZE + (gpa - HIGH_GPA);
}

static void test_translate_basic(void **state)
{
	struct fx *f = *state;
	void *p;
	u64 c;

	assert_int_equal(dma_translate(&f->as, 0x100, 16, DMA_TO_DEVICE,
				       &p, &c), 0);
	assert_ptr_equal(p, low(f, 0x100));
	assert_int_equal(c, 16);
	assert_int_equal(dma_translate(&f->as, HIGH_GPA + 8, 8,
				       DMA_FROM_DEVICE, &p, &c), 0);
	assert_ptr_equal(p, high(f, HIGH_GPA + 8));
	assert_int_equal(atomic_load(&f->as.refused), 0);
}

static void test_end_of_ram(void **state)
{
	struct fx *f = *state;
	u8 in[8] = { 1, 2, 3, 4, 5, 6, 7, 8 }, out[8];
	void *p;
	u64 c;

	/* the last 8 bytes of high RAM: fine */
	assert_int_equal(dma_write(&f->as, HIGH_GPA + HIGH_SIZE - 8, in, 8),
			 0);
	assert_int_equal(dma_read(&f->as, HIGH_GPA + HIGH_SIZE - 8, out, 8),
			 0);
	assert_memory_equal(in, out, 8);
	/* one byte further: refused, nothing written */
	memset(high(f, HIGH_GPA + HIGH_SIZE - 8), 0xaa, 8);
	assert_int_equal(dma_write(&f->as, HIGH_GPA + HIGH_SIZE - 7, in, 8),
			 -EFAULT);
	assert_int_equal(*high(f, HIGH_GPA + HIGH_SIZE - 1), 0xaa);
	/* translate gives the prefix inside RAM */
	assert_int_equal(dma_translate(&f->as, HIGH_GPA + HIGH_SIZE - 4, 16,
				       DMA_TO_DEVICE, &p, &c), 0);
	assert_int_equal(c, 4);
	assert_int_equal(dma_translate(&f->as, HIGH_GPA + HIGH_SIZE, 1,
				       DMA_TO_DEVICE, &p, &c), -EFAULT);
}

static void test_gap(void **state)
{
	struct fx *f = *state;
	u8 in[16], out[16];
	struct iovec iov[4];
	unsigned int n = 0;

	memset(in, 0x5a, sizeof(in));
	memset(f->buf + LOW_SIZE - 8, 0, 16);
	/* the host buffer is contiguous across the gap; the guest is not */
	assert_int_equal(dma_write(&f->as, LOW_SIZE - 8, in, 16), -EFAULT);
	assert_int_equal(*(f->buf + LOW_SIZE - 8), 0);
	assert_int_equal(*(f->buf + LOW_SIZE), 0);
	assert_int_equal(dma_read(&f->as, LOW_SIZE - 8, out, 16), -EFAULT);
	assert_int_equal(dma_map_iov(&f->as, LOW_SIZE - 8, 16, DMA_TO_DEVICE,
				     iov, 4, &n), -EFAULT);
	assert_int_equal(n, 0);
	/* inside the gap and the ROM (not RAM: no DMA) */
	assert_int_equal(dma_read(&f->as, 0x80000000ULL, out, 1), -EFAULT);
	assert_int_equal(dma_read(&f->as, ROM_GPA, out, 1), -EFAULT);
}

static void test_wrap_and_empty(void **state)
{
	struct fx *f = *state;
	u8 b[4] = { 0 };
	struct iovec iov[2];
	unsigned int n = 0;
	void *p;
	u64 c;

	assert_int_equal(dma_translate(&f->as, ~0ULL - 1, 4, DMA_TO_DEVICE,
				       &p, &c), -EINVAL);
	assert_int_equal(dma_translate(&f->as, 0, 0, DMA_TO_DEVICE, &p, &c),
			 -EINVAL);
	assert_int_equal(dma_read(&f->as, ~0ULL, b, 2), -EINVAL);
	assert_int_equal(dma_write(&f->as, ~0ULL - 2, b, 4), -EINVAL);
	/* len 0: nothing to do, even at a bad address */
	assert_int_equal(dma_read(&f->as, ~0ULL, b, 0), 0);
	assert_int_equal(dma_write(&f->as, 0x80000000ULL, b, 0), 0);
	assert_int_equal(dma_map_iov(&f->as, 0, 0, DMA_TO_DEVICE, iov, 2,
				     &n), 0);
	assert_int_equal(n, 0);
	/* the last byte of the address space is a valid 1-byte range */
	assert_int_equal(dma_translate(&f->as, ~0ULL, 1, DMA_TO_DEVICE,
				       &p, &c), -EFAULT);
}

static void test_master_off(void **state)
{
	struct fx *f = *state;
	u8 b[4] = { 9, 9, 9, 9 };
	unsigned long before = atomic_load(&f->as.refused);

	dma_as_set_master(&f->as, false);
	memset(low(f, 0x200), 0x11, 4);
	assert_int_equal(dma_write(&f->as, 0x200, b, 4), -EPERM);
	assert_int_equal(*low(f, 0x200), 0x11);
	assert_int_equal(dma_read(&f->as, 0x200, b, 4), -EPERM);
	assert_int_equal(b[0], 9);
	assert_true(atomic_load(&f->as.refused) > before);
	dma_as_set_master(&f->as, true);
	assert_int_equal(dma_read(&f->as, 0x200, b, 4), 0);
	assert_int_equal(b[0], 0x11);
}

/* ---- fake stages */
struct fake_iommu {
	u64 iova_base, gpa_base, size;	/* one mapping */
	u64 page;			/* runs end at page boundaries */
	enum dma_dir allowed;
	u32 endpoint_seen;
	bool broken;			/* returns contig 0 */
};

static int fake_iommu_tr(void *opaque, u32 ep, u64 addr, u64 len,
			 enum dma_dir dir, u64 *out, u64 *contig)
{
	struct fake_iommu *m = opaque;
	u64 off, room;

	m->endpoint_seen = ep;
	if (m->broken) {
		*out = addr;
		*contig = 0;
		return 0;
	}
	if (addr < m->iova_base || addr - m->iova_base >= m->size)
		return -EFAULT;
	if ((dir & m->allowed) != dir)
		return -EPERM;
	off = addr - m->iova_base;
	room = m->page - (addr % m->page);
	*out = m->gpa_base + off;
	*contig = MIN(len, MIN(room, m->size - off));
	return 0;
}

static void test_iommu_stage(void **state)
{
	struct fx *f = *state;
	struct fake_iommu m = { 0x100000, 0x1000, 0x4000, 0x1000, DMA_BIDIR };
	struct dma_stage st = { "iommu", fake_iommu_tr, &m };
	struct iovec iov[8];
	unsigned int n = 0;
	u8 in[0x2000], out[0x2000];
	void *p;
	u64 c;

	f->as.iommu = &st;
	/* translated and shortened at the IOMMU page boundary */
	assert_int_equal(dma_translate(&f->as, 0x100800, 0x1000,
				       DMA_TO_DEVICE, &p, &c), 0);
	assert_ptr_equal(p, low(f, 0x1800));
	assert_int_equal(c, 0x800);
	assert_int_equal(m.endpoint_seen, 0x10);
	/* a copy over several runs */
	for (unsigned int i = 0; i < sizeof(in); i++)
		in[i] = (u8)i;
	assert_int_equal(dma_write(&f->as, 0x100800, in, sizeof(in)), 0);
	assert_memory_equal(low(f, 0x1800), in, sizeof(in));
	assert_int_equal(dma_read(&f->as, 0x100800, out, sizeof(out)), 0);
	assert_memory_equal(in, out, sizeof(in));
	assert_int_equal(dma_map_iov(&f->as, 0x100800, 0x2000, DMA_TO_DEVICE,
				     iov, 8, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(iov[0].iov_len, 0x800);
	assert_int_equal(iov[1].iov_len, 0x1000);
	assert_int_equal(iov[2].iov_len, 0x800);
	/* guest-physical addresses are not IOVAs */
	assert_int_equal(dma_read(&f->as, 0x1800, out, 1), -EFAULT);
	/* a tail beyond the mapping refuses the whole write */
	memset(low(f, 0x1000), 0x77, 0x4000);
	assert_int_equal(dma_write(&f->as, 0x103f00, in, 0x200), -EFAULT);
	assert_int_equal(*low(f, 0x4f00), 0x77);
	/* read-only mapping */
	m.allowed = DMA_TO_DEVICE;
	assert_int_equal(dma_write(&f->as, 0x100000, in, 1), -EPERM);
	assert_int_equal(*low(f, 0x1000), 0x77);
	assert_int_equal(dma_read(&f->as, 0x100000, out, 1), 0);
	/* a stage that returns an empty run is refused, not looped on */
	m.broken = true;
	assert_int_equal(dma_read(&f->as, 0x100000, out, 1), -EFAULT);
}

struct fake_shared {
	u64 private_lo, private_hi;	/* [lo, hi) is private */
};

static int fake_shared_tr(void *opaque, u32 ep, u64 addr, u64 len,
			  enum dma_dir dir, u64 *out, u64 *contig)
{
	struct fake_shared *s = opaque;

	if (addr >= s->private_lo && addr < s->private_hi)
		return -EPERM;
	*out = addr;
	*contig = addr < s->private_lo ? MIN(len, s->private_lo - addr) : len;
	return 0;
}

static void test_shared_stage(void **state)
{
	struct fx *f = *state;
	struct fake_shared s = { 0x3000, 0x4000 };
	struct dma_stage st = { "sev", fake_shared_tr, &s };
	u8 in[0x100], out[0x100];
	struct iovec iov[4];
	unsigned int n = 1;
	unsigned long before;

	memset(in, 0xcc, sizeof(in));
	f->as.shared = &st;
	assert_int_equal(dma_write(&f->as, 0x2000, in, sizeof(in)), 0);
	/* a buffer whose tail is private: nothing written or read */
	memset(low(f, 0x2f80), 0x33, 0x80);
	memset(out, 0x44, sizeof(out));
	before = atomic_load(&f->as.refused);
	assert_int_equal(dma_write(&f->as, 0x2f80, in, 0x100), -EPERM);
	assert_int_equal(*low(f, 0x2f80), 0x33);
	assert_int_equal(dma_read(&f->as, 0x2f80, out, 0x100), -EPERM);
	assert_int_equal(out[0], 0x44);
	assert_int_equal(atomic_load(&f->as.refused), before + 2);
	assert_int_equal(dma_map_iov(&f->as, 0x2f80, 0x100, DMA_FROM_DEVICE,
				     iov, 4, &n), -EPERM);
	assert_int_equal(n, 1);
	assert_int_equal(dma_read(&f->as, 0x4000, out, 0x100), 0);
}

static void test_map_iov_nobufs(void **state)
{
	struct fx *f = *state;
	struct fake_iommu m = { 0, 0, LOW_SIZE, 0x1000, DMA_BIDIR };
	struct dma_stage st = { "iommu", fake_iommu_tr, &m };
	struct iovec iov[4];
	unsigned int n;

	/* identity: one run */
	n = 0;
	assert_int_equal(dma_map_iov(&f->as, 0, 0x4000, DMA_TO_DEVICE, iov, 1,
				     &n), 0);
	assert_int_equal(n, 1);
	assert_ptr_equal(iov[0].iov_base, low(f, 0));
	/* four pages need four entries: 3 free entries are not enough */
	f->as.iommu = &st;
	n = 1;
	assert_int_equal(dma_map_iov(&f->as, 0, 0x4000, DMA_TO_DEVICE, iov, 4,
				     &n), -ENOBUFS);
	assert_int_equal(n, 1);
	n = 0;
	assert_int_equal(dma_map_iov(&f->as, 0, 0x4000, DMA_TO_DEVICE, iov, 4,
				     &n), 0);
	assert_int_equal(n, 4);
	assert_ptr_equal(iov[3].iov_base, low(f, 0x3000));
	/* appending to a full array */
	assert_int_equal(dma_map_iov(&f->as, 0, 1, DMA_TO_DEVICE, iov, 4,
				     &n), -ENOBUFS);
	assert_int_equal(n, 4);
}

static void test_refused_counter(void **state)
{
	struct fx *f = *state;
	u8 b;

	assert_int_equal(atomic_load(&f->as.refused), 0);
	assert_int_equal(dma_read(&f->as, LOW_SIZE, &b, 1), -EFAULT);
	assert_int_equal(atomic_load(&f->as.refused), 1);
	dma_as_set_master(&f->as, false);
	assert_int_equal(dma_read(&f->as, 0, &b, 1), -EPERM);
	assert_int_equal(atomic_load(&f->as.refused), 2);
	dma_as_set_master(&f->as, true);
	assert_int_equal(dma_read(&f->as, 0, &b, 1), 0);
	assert_int_equal(atomic_load(&f->as.refused), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_translate_basic, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_end_of_ram, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_gap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrap_and_empty, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_master_off, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_iommu_stage, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_shared_stage, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_map_iov_nobufs, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_refused_counter, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
