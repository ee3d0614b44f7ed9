// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of the virtio-iommu translation stage through the real DMA
 * API (vmm/dma.c): IOVA -> GPA, read/write permissions (a refused access
 * touches nothing), contiguous runs across adjacent mappings, unattached
 * endpoints with bypass on and off, bypass domains, detach, fault events
 * (reason, flags, endpoint, address; dropped without a buffer) and the
 * rate-limited error line; then virtio-blk behind the IOMMU: a request
 * through an unmapped IOVA fails with IOERR and the memory around it is
 * unchanged, a mapped one succeeds, an unmapped ring needs a reset.
 */
#include <endian.h>
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <linux/virtio_blk.h>

#include "devices/virtio/blk.h"
#include "lib/log.h"
#include "tests/unit/viommu-drv.h"

#define RAM	(4 * SZ_1M)
#define RD	VIRTIO_IOMMU_MAP_F_READ
#define WR	VIRTIO_IOMMU_MAP_F_WRITE
#define RW	(RD | WR)
#define PG	VIOMMU_PAGE_SIZE
#define BUF	0x200000ULL	/* GPA of the test's buffers */
#define IOVA	0x7000000000ULL

static unsigned int nlog;
static char logbuf[256];

void __wrap_pr_log(enum log_level level, const char *fmt, ...) __printf(2, 3);
void __wrap_pr_log(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	(void)level;
	va_start(ap, fmt);
	vsnprintf(logbuf, sizeof(logbuf), fmt, ap);
	va_end(ap);
	nlog++;
}

static int setup_bypass(void **state, bool bypass)
{
	struct viommu_fx *f = calloc(1, sizeof(*f));

	if (!f || vfx_init(f, RAM, bypass))
		return -1;
	nlog = 0;
	*state = f;
	return 0;
}

static int setup(void **state)
{
	return setup_bypass(state, true);
}

static int setup_strict(void **state)
{
	return setup_bypass(state, false);
}

static int teardown(void **state)
{
	struct viommu_fx *f = *state;

	vfx_free(f);
	free(f);
	return 0;
}

static void *hva(struct viommu_fx *f, u64 gpa)
{
	return vqd_hva(&f->d, gpa);
}

static void test_translate(void **state)
{
	struct viommu_fx *f = *state;
	u8 in[16], out[16];
	void *p;
	u64 c;

	assert_int_equal(vfx_attach(f, 1, VFX_EP_A, 0), 0);
	assert_int_equal(vfx_map(f, 1, IOVA, IOVA + PG - 1, BUF, RW), 0);
	memset(in, 0x5a, sizeof(in));
	assert_int_equal(dma_write(&f->a, IOVA + 8, in, sizeof(in)), 0);
	assert_memory_equal(hva(f, BUF + 8), in, sizeof(in));
	assert_int_equal(dma_read(&f->a, IOVA + 8, out, sizeof(out)), 0);
	assert_memory_equal(out, in, sizeof(in));
	assert_int_equal(dma_translate(&f->a, IOVA + 16, 2 * PG, DMA_BIDIR,
				       &p, &c), 0);
	assert_ptr_equal(p, hva(f, BUF + 16));
	assert_int_equal(c, PG - 16);
	/* the IOVA as a GPA is nothing, and B sees no mapping of A's */
	assert_int_equal(dma_read(&f->a, BUF, out, 1), -EFAULT);
	assert_int_equal(dma_read(&f->b, BUF, out, 1), 0);	/* bypass */
	assert_int_equal(f->a.refused, 1);
}

static void test_permissions(void **state)
{
	struct viommu_fx *f = *state;
	u8 buf[32], *g = hva(f, BUF);

	assert_int_equal(vfx_attach(f, 1, VFX_EP_A, 0), 0);
	assert_int_equal(vfx_map(f, 1, IOVA, IOVA + PG - 1, BUF, RD), 0);
	assert_int_equal(vfx_map(f, 1, IOVA + PG, IOVA + 2 * PG - 1,
				 BUF + PG, WR), 0);
	memset(g, 0x11, 2 * PG);
	memset(buf, 0x99, sizeof(buf));
	/* read-only: written nothing; write-only: read nothing */
	assert_int_equal(dma_write(&f->a, IOVA, buf, 8), -EPERM);
	assert_int_equal(g[0], 0x11);
	assert_int_equal(dma_read(&f->a, IOVA + PG, buf, 8), -EPERM);
	assert_int_equal(buf[0], 0x99);
	/* a copy across both fails whole, before touching anything */
	assert_int_equal(dma_read(&f->a, IOVA + PG - 8, buf, 16), -EPERM);
	assert_int_equal(buf[0], 0x99);
	assert_int_equal(dma_write(&f->a, IOVA + PG - 8, buf, 16), -EPERM);
	assert_int_equal(g[PG], 0x11);
	assert_int_equal(dma_read(&f->a, IOVA, buf, 8), 0);
	assert_int_equal(buf[0], 0x11);
	assert_int_equal(dma_write(&f->a, IOVA + PG, buf, 8), 0);
}

/* Adjacent mappings continuing each other make one run; a gap in the
 * GPAs or a permission change ends it. */
static void test_contig(void **state)
{
	struct viommu_fx *f = *state;
	void *p;
	u64 c, i;

	assert_int_equal(vfx_attach(f, 1, VFX_EP_A, 0), 0);
	for (i = 0; i < 4; i++)
		assert_int_equal(vfx_map(f, 1, IOVA + i * PG,
					 IOVA + i * PG + PG - 1,
					 BUF + i * PG, RW), 0);
	assert_int_equal(vfx_map(f, 1, IOVA + 4 * PG, IOVA + 5 * PG - 1,
				 BUF + 8 * PG, RW), 0);
	assert_int_equal(dma_translate(&f->a, IOVA + 8, 16 * PG, DMA_BIDIR,
				       &p, &c), 0);
	assert_ptr_equal(p, hva(f, BUF + 8));
	assert_int_equal(c, 4 * PG - 8);
	assert_int_equal(dma_translate(&f->a, IOVA + 8, 2 * PG, DMA_BIDIR,
				       &p, &c), 0);
	assert_int_equal(c, 2 * PG);
	assert_int_equal(dma_translate(&f->a, IOVA + 4 * PG, 4 * PG,
				       DMA_TO_DEVICE, &p, &c), 0);
	assert_ptr_equal(p, hva(f, BUF + 8 * PG));
	assert_int_equal(c, PG);
	/* a read-only neighbour ends a write run */
	assert_int_equal(vfx_unmap(f, 1, IOVA + 2 * PG, IOVA + 3 * PG - 1), 0);
	assert_int_equal(vfx_map(f, 1, IOVA + 2 * PG, IOVA + 3 * PG - 1,
				 BUF + 2 * PG, RD), 0);
	assert_int_equal(dma_translate(&f->a, IOVA, 4 * PG, DMA_FROM_DEVICE,
				       &p, &c), 0);
	assert_int_equal(c, 2 * PG);
	assert_int_equal(dma_translate(&f->a, IOVA, 4 * PG, DMA_TO_DEVICE,
				       &p, &c), 0);
	assert_int_equal(c, 4 * PG);
}

static void test_bypass_on(void **state)
{
	struct viommu_fx *f = *state;
	void *p;
	u64 c;

	assert_int_equal(dma_translate(&f->a, BUF, PG, DMA_BIDIR, &p, &c), 0);
	assert_ptr_equal(p, hva(f, BUF));
	/* attached: translated; detached again: bypass */
	assert_int_equal(vfx_attach(f, 1, VFX_EP_A, 0), 0);
	assert_int_equal(dma_translate(&f->a, BUF, PG, DMA_BIDIR, &p, &c),
			 -EFAULT);
	assert_int_equal(vfx_detach(f, 1, VFX_EP_A), 0);
	assert_int_equal(dma_translate(&f->a, BUF, PG, DMA_BIDIR, &p, &c), 0);
}

static void test_bypass_off(void **state)
{
	struct viommu_fx *f = *state;
	struct virtio_iommu_fault ev;
	u8 b = 1, x = 0x42;
	void *p;
	u64 c;
	u32 len;

	vfx_post_events(f, 2, sizeof(ev));
	*(u8 *)hva(f, BUF) = 0x11;
	assert_int_equal(dma_write(&f->a, BUF, &x, 1), -EFAULT);
	assert_int_equal(*(u8 *)hva(f, BUF), 0x11);
	assert_true(vfx_event(f, &ev, &len));
	assert_int_equal(len, sizeof(ev));
	assert_int_equal(ev.reason, VIRTIO_IOMMU_FAULT_R_DOMAIN);
	assert_int_equal(le32toh(ev.endpoint), VFX_EP_A);
	assert_int_equal(le64toh(ev.address), BUF);
	assert_int_equal(le32toh(ev.flags), VIRTIO_IOMMU_FAULT_F_WRITE |
			 VIRTIO_IOMMU_FAULT_F_ADDRESS);
	/* a bypass domain is identity whatever the byte says */
	assert_int_equal(vfx_attach(f, 5, VFX_EP_A,
				    VIRTIO_IOMMU_ATTACH_F_BYPASS), 0);
	assert_int_equal(dma_write(&f->a, BUF, &x, 1), 0);
	assert_int_equal(*(u8 *)hva(f, BUF), 0x42);
	/* the config byte turns bypass on for unattached B */
	assert_int_equal(dma_translate(&f->b, BUF, PG, DMA_BIDIR, &p, &c),
			 -EFAULT);
	virtio_write_config(&f->v, offsetof(struct virtio_iommu_config,
					    bypass), &b, 1);
	assert_int_equal(dma_translate(&f->b, BUF, PG, DMA_BIDIR, &p, &c), 0);
}

static void test_fault_events(void **state)
{
	struct viommu_fx *f = *state;
	struct virtio_iommu_fault ev;
	u8 x[8];
	u32 len;

	assert_int_equal(vfx_attach(f, 1, VFX_EP_B, 0), 0);
	assert_int_equal(vfx_map(f, 1, IOVA, IOVA + PG - 1, BUF, RD), 0);
	/* no event buffer: the fault is dropped, the access still refused */
	assert_int_equal(dma_read(&f->b, IOVA + PG, x, 8), -EFAULT);
	assert_int_equal(f->vi->dropped, 1);
	vfx_post_events(f, 1, 8);	/* too small */
	vfx_post_events(f, 1, 64);
	assert_int_equal(dma_read(&f->b, IOVA + PG, x, 8), -EFAULT);
	assert_true(vfx_event(f, &ev, &len));
	assert_int_equal(len, 0);
	assert_int_equal(dma_write(&f->b, IOVA + 24, x, 8), -EPERM);
	assert_true(vfx_event(f, &ev, &len));
	assert_int_equal(len, sizeof(ev));
	assert_int_equal(ev.reason, VIRTIO_IOMMU_FAULT_R_MAPPING);
	assert_int_equal(le32toh(ev.endpoint), VFX_EP_B);
	assert_int_equal(le64toh(ev.address), IOVA + 24);
	assert_int_equal(le32toh(ev.flags), VIRTIO_IOMMU_FAULT_F_WRITE |
			 VIRTIO_IOMMU_FAULT_F_ADDRESS);
	assert_false(vfx_event(f, &ev, &len));
	assert_int_equal(f->vi->faults, 3);
	assert_int_equal(f->vi->events, 1);
	assert_int_equal(f->vi->dropped, 2);
	assert_non_null(strstr(logbuf, "ep-b"));
	assert_non_null(strstr(logbuf, "0x7000000018"));
	assert_non_null(strstr(logbuf, "write"));
	/* an endpoint the IOMMU does not know: refused, reason UNKNOWN */
	vfx_post_events(f, 1, 64);
	f->a.endpoint = 0x28;
	assert_int_equal(dma_read(&f->a, BUF, x, 8), -EFAULT);
	assert_true(vfx_event(f, &ev, &len));
	assert_int_equal(ev.reason, VIRTIO_IOMMU_FAULT_R_UNKNOWN);
	assert_int_equal(le32toh(ev.endpoint), 0x28);
	assert_int_equal(le32toh(ev.flags), VIRTIO_IOMMU_FAULT_F_READ |
			 VIRTIO_IOMMU_FAULT_F_ADDRESS);
}

/* A storm of faults: at most VIOMMU_LOG_PER_SEC lines per second. */
static void test_rate_limit(void **state)
{
	struct viommu_fx *f = *state;
	unsigned int i;
	u8 x;

	assert_int_equal(vfx_attach(f, 1, VFX_EP_A, 0), 0);
	nlog = 0;
	for (i = 0; i < 100; i++)
		assert_int_equal(dma_read(&f->a, IOVA, &x, 1), -EFAULT);
	assert_true(nlog >= 1 && nlog <= 2 * VIOMMU_LOG_PER_SEC);
	assert_int_equal(f->vi->faults, 100);
	sleep(1);
	assert_int_equal(dma_read(&f->a, IOVA, &x, 1), -EFAULT);
	assert_true(nlog <= 2 * VIOMMU_LOG_PER_SEC + 1);
	assert_non_null(strstr(logbuf, "ep-a"));
}

/* A cached translation dies with the mapping: unmap, remap elsewhere. */
static void test_cache_invalidated(void **state)
{
	struct viommu_fx *f = *state;
	void *p;
	u64 c;

	assert_int_equal(vfx_attach(f, 1, VFX_EP_A, 0), 0);
	assert_int_equal(vfx_map(f, 1, IOVA, IOVA + PG - 1, BUF, RW), 0);
	assert_int_equal(dma_translate(&f->a, IOVA, 8, DMA_BIDIR, &p, &c), 0);
	assert_int_equal(dma_translate(&f->a, IOVA, 8, DMA_BIDIR, &p, &c), 0);
	assert_ptr_equal(p, hva(f, BUF));
	assert_int_equal(vfx_unmap(f, 1, IOVA, IOVA + PG - 1), 0);
	assert_int_equal(dma_translate(&f->a, IOVA, 8, DMA_BIDIR, &p, &c),
			 -EFAULT);
	assert_int_equal(vfx_map(f, 1, IOVA, IOVA + PG - 1, BUF + PG, RD), 0);
	assert_int_equal(dma_translate(&f->a, IOVA, 8, DMA_TO_DEVICE, &p, &c),
			 0);
	assert_ptr_equal(p, hva(f, BUF + PG));
	assert_int_equal(dma_translate(&f->a, IOVA, 8, DMA_FROM_DEVICE, &p,
				       &c), -EPERM);
	/* B (bypass) is cached as identity until A's domain takes it */
	assert_int_equal(dma_translate(&f->b, BUF, 8, DMA_BIDIR, &p, &c), 0);
	assert_int_equal(vfx_attach(f, 1, VFX_EP_B, 0), 0);
	assert_int_equal(dma_translate(&f->b, BUF, 8, DMA_BIDIR, &p, &c),
			 -EFAULT);
}

#define NR_READERS	40	/* more threads than lock slots */

struct reader {
	pthread_t t;
	struct viommu_fx *f;
	atomic_bool *stop;
	unsigned long n, bad;
};

static void *reader_main(void *arg)
{
	struct reader *r = arg;
	void *p;
	u64 c;

	while (!atomic_load(r->stop) || r->n < 100) {
		if (dma_translate(&r->f->a, IOVA + 64, 64, DMA_TO_DEVICE, &p,
				  &c) || p != hva(r->f, BUF + 64) || c != 64)
			r->bad++;
		r->n++;
	}
	return NULL;
}

/* Readers on many threads while the request queue maps and unmaps. */
static void test_concurrent(void **state)
{
	struct viommu_fx *f = *state;
	static struct reader rd[NR_READERS];
	atomic_bool stop = false;
	unsigned int i;
	void *p;
	u64 c;

	assert_int_equal(vfx_attach(f, 1, VFX_EP_A, 0), 0);
	assert_int_equal(vfx_map(f, 1, IOVA, IOVA + PG - 1, BUF, RD), 0);
	for (i = 0; i < NR_READERS; i++) {
		rd[i] = (struct reader){ .f = f, .stop = &stop };
		assert_int_equal(pthread_create(&rd[i].t, NULL, reader_main,
						&rd[i]), 0);
	}
	for (i = 0; i < 200; i++) {
		u64 at = IOVA + (1 + i % 8) * PG;

		assert_int_equal(vfx_map(f, 1, at, at + PG - 1, BUF, RW), 0);
		assert_int_equal(vfx_unmap(f, 1, at, at + PG - 1), 0);
		assert_int_equal(dma_translate(&f->a, at, 8, DMA_BIDIR, &p,
					       &c), -EFAULT);
	}
	atomic_store(&stop, true);
	for (i = 0; i < NR_READERS; i++) {
		assert_int_equal(pthread_join(rd[i].t, NULL), 0);
		assert_int_equal(rd[i].bad, 0);
		assert_true(rd[i].n >= 100);
	}
}

/* ---- virtio-blk behind the IOMMU, endpoint A */

struct blkfx {
	struct viommu_fx f;
	struct vq_drv q;	/* blk's queue in the same RAM */
	struct virtio_dev blk;
	char path[32];
};

#define BLK_FEAT	(1ULL << VIRTIO_F_VERSION_1 | \
			 1ULL << VIRTIO_F_ACCESS_PLATFORM)

static int blk_setup(void **state)
{
	struct blkfx *b = calloc(1, sizeof(*b));
	struct virtio_blk_conf c = { .path = b ? b->path : NULL };
	struct vq_drv *rings[1] = { b ? &b->q : NULL };
	u8 sec[4096];
	int fd;

	if (!b || vfx_init(&b->f, RAM, false))
		return -1;
	strcpy(b->path, "/tmp/sevm-viommu-XXXXXX");
	fd = mkstemp(b->path);
	memset(sec, 0xab, sizeof(sec));
	if (fd < 0 || write(fd, sec, sizeof(sec)) != sizeof(sec))
		return -1;
	close(fd);
	vdrv_add_ring(&b->f.d, &b->q);
	if (virtio_blk_init(&b->blk, &c, &b->f.a, false))
		return -1;
	/* the rings and buffers below 2 MiB identity-mapped, RW */
	if (vfx_attach(&b->f, 1, VFX_EP_A, 0) ||
	    vfx_map(&b->f, 1, 0, BUF - 1, 0, RW))
		return -1;
	if (vdrv_start(&b->blk, rings, 1, BLK_FEAT) != 0xf)
		return -1;
	*state = b;
	return 0;
}

static int blk_teardown(void **state)
{
	struct blkfx *b = *state;

	virtio_dev_free(&b->blk);
	unlink(b->path);
	vfx_free(&b->f);
	free(b);
	return 0;
}

/* IN of 512 bytes into data; the status byte, 0xee if not written. */
static u8 blk_in(struct blkfx *b, u64 data, u32 *used)
{
	struct virtio_blk_outhdr h = { .type = VIRTIO_BLK_T_IN };
	u64 hd = vqd_alloc(&b->f.d, 16), st = vqd_alloc(&b->f.d, 16);
	u32 id;

	memcpy(vqd_hva(&b->f.d, hd), &h, sizeof(h));
	*(u8 *)vqd_hva(&b->f.d, st) = 0xee;
	vqd_desc(&b->q, b->q.desc, 0, hd, 16, VIRTQ_DESC_F_NEXT, 1);
	vqd_desc(&b->q, b->q.desc, 1, data, 512,
		 VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 2);
	vqd_desc(&b->q, b->q.desc, 2, st, 1, VIRTQ_DESC_F_WRITE, 0);
	vqd_post(&b->q, 0);
	virtio_queue_notify(&b->blk, 0);
	if (!vqd_reap(&b->q, &id, used))
		*used = ~0u;
	return *(u8 *)vqd_hva(&b->f.d, st);
}

static void test_blk_unmapped(void **state)
{
	struct blkfx *b = *state;
	u8 *g = vqd_hva(&b->f.d, BUF), canary[3 * PG];
	u32 used;

	memset(g, 0x3c, sizeof(canary));
	memcpy(canary, g, sizeof(canary));
	/* BUF + PG is not mapped (and is RAM): IOERR, nothing written */
	assert_int_equal(blk_in(b, BUF + PG, &used), VIRTIO_BLK_S_IOERR);
	assert_int_equal(used, 1);
	assert_memory_equal(g, canary, sizeof(canary));
	assert_true(virtio_running(&b->blk));
	assert_int_equal(b->f.vi->faults, 1);
	/* read-only mapping: IOERR too */
	assert_int_equal(vfx_map(&b->f, 1, BUF + PG, BUF + 2 * PG - 1,
				 BUF + PG, RD), 0);
	assert_int_equal(blk_in(b, BUF + PG, &used), VIRTIO_BLK_S_IOERR);
	assert_memory_equal(g, canary, sizeof(canary));
	/* mapped writable: the sector arrives */
	assert_int_equal(vfx_unmap(&b->f, 1, BUF + PG, BUF + 2 * PG - 1), 0);
	assert_int_equal(vfx_map(&b->f, 1, BUF + PG, BUF + 2 * PG - 1,
				 BUF + PG, WR), 0);
	assert_int_equal(blk_in(b, BUF + PG, &used), VIRTIO_BLK_S_OK);
	assert_int_equal(used, 513);
	assert_int_equal(g[PG], 0xab);
	assert_int_equal(g[PG + 512], 0x3c);
}

/* The used ring unmapped: a ring access, so the device needs a reset. */
static void test_blk_ring_unmapped(void **state)
{
	struct blkfx *b = *state;
	u32 used;

	assert_int_equal(vfx_unmap(&b->f, 1, 0, BUF - 1), 0);
	assert_int_equal(blk_in(b, PG, &used), 0xee);
	assert_int_equal(used, ~0u);
	assert_false(virtio_running(&b->blk));
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
#define TS(fn) cmocka_unit_test_setup_teardown(fn, setup_strict, teardown)
#define TB(fn) cmocka_unit_test_setup_teardown(fn, blk_setup, blk_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_translate), T(test_permissions), T(test_contig),
		T(test_bypass_on), TS(test_bypass_off), TS(test_fault_events),
		TS(test_rate_limit), T(test_cache_invalidated),
		T(test_concurrent), TB(test_blk_unmapped),
		TB(test_blk_ring_unmapped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
