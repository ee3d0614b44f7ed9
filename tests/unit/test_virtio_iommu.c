// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of devices/virtio/iommu.c and iommu-map.c through the device
 * core and the test driver (viommu-drv.c): the configuration space and
 * the bypass byte, every request type and every status it can give
 * (OK, UNSUPP, DEVERR is only for a failing copy, INVAL, RANGE, NOENT,
 * NOMEM), domains coming and going with their endpoints, unmap
 * semantics (split -> RANGE, nothing removed), PROBE's properties,
 * chains without room for the tail, and device reset.
 */
#include <endian.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "lib/log.h"
#include "tests/unit/viommu-drv.h"

#define RAM	(4 * SZ_1M)
#define RW	(VIRTIO_IOMMU_MAP_F_READ | VIRTIO_IOMMU_MAP_F_WRITE)
#define PG	VIOMMU_PAGE_SIZE

static unsigned int nlog;

void __wrap_pr_log(enum log_level level, const char *fmt, ...) __printf(2, 3);
void __wrap_pr_log(enum log_level level, const char *fmt, ...)
{
	(void)level;
	(void)fmt;
	nlog++;
}

static int setup(void **state)
{
	struct viommu_fx *f = calloc(1, sizeof(*f));

	if (!f || vfx_init(f, RAM, true))
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct viommu_fx *f = *state;

	vfx_free(f);
	free(f);
	return 0;
}

static u64 cfg64(struct viommu_fx *f, u32 off)
{
	u64 v = 0;

	assert_int_equal(virtio_read_config(&f->v, off, &v, 8), 0);
	return v;
}

static u32 cfg32(struct viommu_fx *f, u32 off)
{
	u32 v = 0;

	assert_int_equal(virtio_read_config(&f->v, off, &v, 4), 0);
	return v;
}

#define OFF(field)	offsetof(struct virtio_iommu_config, field)

static void test_config(void **state)
{
	struct viommu_fx *f = *state;
	u8 b = 0;

	assert_int_equal(cfg64(f, 0), ~0xfffULL);
	assert_int_equal(cfg64(f, OFF(input_range.start)), 0);
	assert_int_equal(cfg64(f, OFF(input_range.end)), ~0ULL);
	assert_int_equal(cfg32(f, OFF(domain_range.start)), 0);
	assert_int_equal(cfg32(f, OFF(domain_range.end)), ~0U);
	assert_int_equal(cfg32(f, OFF(probe_size)), VIOMMU_PROBE_SIZE);
	assert_int_equal(cfg32(f, OFF(bypass)), 1);
	/* the features offered */
	vdrv_write_common(&f->v, VIRTIO_PCI_COMMON_DFSELECT, 4, 0);
	assert_int_equal(vdrv_read_common(&f->v, VIRTIO_PCI_COMMON_DF, 4) &
			 0xffffff, (u32)VFX_FEATURES & 0xffffff);
	/* the bypass byte is writable (BYPASS_CONFIG accepted), alone */
	assert_int_equal(virtio_write_config(&f->v, OFF(bypass), &b, 1), 0);
	assert_int_equal(cfg32(f, OFF(bypass)), 0);
	assert_int_equal(cfg32(f, OFF(probe_size)), VIOMMU_PROBE_SIZE);
	b = 1;
	virtio_write_config(&f->v, 0, &b, 1);	/* page_size_mask: no */
	assert_int_equal(cfg64(f, 0), ~0xfffULL);
}

/* Without BYPASS_CONFIG accepted the byte is read-only. */
static void test_bypass_needs_feature(void **state)
{
	struct viommu_fx *f = *state;
	struct vq_drv *rings[2] = { &f->d, &f->ev };
	u8 b = 0;

	assert_int_equal(vdrv_start(&f->v, rings, 2, VFX_FEATURES &
				    ~(1ULL << VIRTIO_IOMMU_F_BYPASS_CONFIG)),
			 0xf);
	virtio_write_config(&f->v, OFF(bypass), &b, 1);
	assert_int_equal(cfg32(f, OFF(bypass)), 1);
}

static void test_attach(void **state)
{
	struct viommu_fx *f = *state;

	assert_int_equal(vfx_attach(f, 1, VFX_EP_A, 0), VIRTIO_IOMMU_S_OK);
	assert_int_equal(vfx_attach(f, 1, VFX_EP_A, 0), VIRTIO_IOMMU_S_OK);
	assert_int_equal(vfx_attach(f, 1, VFX_EP_B, 0), VIRTIO_IOMMU_S_OK);
	assert_int_equal(f->vi->nr_doms, 1);
	assert_int_equal(vfx_attach(f, 1, 0x18, 0), VIRTIO_IOMMU_S_NOENT);
	assert_int_equal(vfx_attach(f, 1, 0x10000, 0), VIRTIO_IOMMU_S_NOENT);
	assert_int_equal(vfx_attach(f, 2, VFX_EP_A, 2), VIRTIO_IOMMU_S_INVAL);
	/* a bypass domain cannot take the ID of a translated one */
	assert_int_equal(vfx_attach(f, 1, VFX_EP_A,
				    VIRTIO_IOMMU_ATTACH_F_BYPASS),
			 VIRTIO_IOMMU_S_INVAL);
	/* moving A to domain 2 leaves domain 1 to B */
	assert_int_equal(vfx_attach(f, 2, VFX_EP_A, 0), VIRTIO_IOMMU_S_OK);
	assert_int_equal(f->vi->nr_doms, 2);
	assert_ptr_equal(f->vi->eps[VFX_EP_B].dom->id, 1);
	/* moving B too: domain 1 goes with its mappings */
	assert_int_equal(vfx_map(f, 1, 0, PG - 1, 0, RW), VIRTIO_IOMMU_S_OK);
	assert_int_equal(f->vi->nr_maps, 1);
	assert_int_equal(vfx_attach(f, 2, VFX_EP_B, 0), VIRTIO_IOMMU_S_OK);
	assert_int_equal(f->vi->nr_doms, 1);
	assert_int_equal(f->vi->nr_maps, 0);
	assert_int_equal(vfx_map(f, 1, 0, PG - 1, 0, RW),
			 VIRTIO_IOMMU_S_NOENT);
}

static void test_attach_reserved(void **state)
{
	struct viommu_fx *f = *state;
	struct virtio_iommu_req_attach r = {
		.head.type = VIRTIO_IOMMU_T_ATTACH, .domain = 1,
		.endpoint = VFX_EP_A, .reserved = { 0, 0, 1, 0 },
	};

	assert_int_equal(vfx_req(f, &r, sizeof(r) - 4, 4, NULL, NULL),
			 VIRTIO_IOMMU_S_INVAL);
	assert_null(f->vi->eps[VFX_EP_A].dom);
}

static void test_detach(void **state)
{
	struct viommu_fx *f = *state;
	struct virtio_iommu_req_detach r = {
		.head.type = VIRTIO_IOMMU_T_DETACH, .domain = 1,
		.endpoint = VFX_EP_A, .reserved = { [7] = 1 },
	};

	assert_int_equal(vfx_detach(f, 1, VFX_EP_A), VIRTIO_IOMMU_S_INVAL);
	assert_int_equal(vfx_attach(f, 1, VFX_EP_A, 0), VIRTIO_IOMMU_S_OK);
	assert_int_equal(vfx_attach(f, 3, VFX_EP_B, 0), VIRTIO_IOMMU_S_OK);
	assert_int_equal(vfx_detach(f, 1, 0x20), VIRTIO_IOMMU_S_NOENT);
	assert_int_equal(vfx_detach(f, 3, VFX_EP_A), VIRTIO_IOMMU_S_INVAL);
	assert_int_equal(vfx_detach(f, 7, VFX_EP_A), VIRTIO_IOMMU_S_INVAL);
	assert_int_equal(vfx_req(f, &r, sizeof(r) - 4, 4, NULL, NULL),
			 VIRTIO_IOMMU_S_INVAL);
	assert_int_equal(vfx_detach(f, 1, VFX_EP_A), VIRTIO_IOMMU_S_OK);
	assert_null(f->vi->eps[VFX_EP_A].dom);
	assert_int_equal(f->vi->nr_doms, 1);
	assert_int_equal(vfx_detach(f, 1, VFX_EP_A), VIRTIO_IOMMU_S_INVAL);
}

static void test_map(void **state)
{
	struct viommu_fx *f = *state;

	assert_int_equal(vfx_map(f, 1, 0, PG - 1, 0, RW), VIRTIO_IOMMU_S_NOENT);
	assert_int_equal(vfx_attach(f, 1, VFX_EP_A, 0), VIRTIO_IOMMU_S_OK);
	assert_int_equal(vfx_map(f, 1, 0x10000, 0x11fff, 0x20000, RW),
			 VIRTIO_IOMMU_S_OK);
	/* overlaps, at either end or inside */
	assert_int_equal(vfx_map(f, 1, 0xf000, 0x10fff, 0, RW),
			 VIRTIO_IOMMU_S_INVAL);
	assert_int_equal(vfx_map(f, 1, 0x11000, 0x12fff, 0, RW),
			 VIRTIO_IOMMU_S_INVAL);
	assert_int_equal(vfx_map(f, 1, 0, 0xfffff, 0, RW),
			 VIRTIO_IOMMU_S_INVAL);
	/* alignment, order, flags, wrapping GPA range */
	assert_int_equal(vfx_map(f, 1, 0x800, 0x17ff, 0, RW),
			 VIRTIO_IOMMU_S_RANGE);
	assert_int_equal(vfx_map(f, 1, 0, 0x17ff, 0, RW),
			 VIRTIO_IOMMU_S_RANGE);
	assert_int_equal(vfx_map(f, 1, 0, PG - 1, 0x800, RW),
			 VIRTIO_IOMMU_S_RANGE);
	assert_int_equal(vfx_map(f, 1, 0x3000, 0x1fff, 0, RW),
			 VIRTIO_IOMMU_S_INVAL);
	assert_int_equal(vfx_map(f, 1, 0, PG - 1, 0, VIRTIO_IOMMU_MAP_F_MMIO),
			 VIRTIO_IOMMU_S_INVAL);
	assert_int_equal(vfx_map(f, 1, 0, 2 * PG - 1, ~0ULL - PG + 1, RW),
			 VIRTIO_IOMMU_S_RANGE);
	/* the whole 64-bit input range is valid; adjacent is fine */
	assert_int_equal(vfx_map(f, 1, ~0ULL - PG + 1, ~0ULL, 0, RW),
			 VIRTIO_IOMMU_S_OK);
	assert_int_equal(vfx_map(f, 1, 0x12000, 0x12fff, 0, 0),
			 VIRTIO_IOMMU_S_OK);
	assert_int_equal(f->vi->nr_maps, 3);
	/* a bypass domain has no mappings */
	assert_int_equal(vfx_attach(f, 9, VFX_EP_B,
				    VIRTIO_IOMMU_ATTACH_F_BYPASS),
			 VIRTIO_IOMMU_S_OK);
	assert_int_equal(vfx_map(f, 9, 0, PG - 1, 0, RW),
			 VIRTIO_IOMMU_S_INVAL);
	assert_int_equal(vfx_unmap(f, 9, 0, PG - 1), VIRTIO_IOMMU_S_INVAL);
}

static void test_map_nomem(void **state)
{
	struct viommu_fx *f = *state;
	u64 i;

	f->vi->max_maps = 4;
	assert_int_equal(vfx_attach(f, 1, VFX_EP_A, 0), VIRTIO_IOMMU_S_OK);
	assert_int_equal(vfx_attach(f, 2, VFX_EP_B, 0), VIRTIO_IOMMU_S_OK);
	for (i = 0; i < 4; i++)
		assert_int_equal(vfx_map(f, 1 + (u32)(i & 1), i * PG,
					 i * PG + PG - 1, 0, RW),
				 VIRTIO_IOMMU_S_OK);
	assert_int_equal(vfx_map(f, 1, 8 * PG, 9 * PG - 1, 0, RW),
			 VIRTIO_IOMMU_S_NOMEM);
	assert_int_equal(vfx_unmap(f, 2, 0, ~0ULL), VIRTIO_IOMMU_S_OK);
	assert_int_equal(vfx_map(f, 1, 8 * PG, 9 * PG - 1, 0, RW),
			 VIRTIO_IOMMU_S_OK);
}

static void test_unmap(void **state)
{
	struct viommu_fx *f = *state;
	struct virtio_iommu_req_unmap r = {
		.head.type = VIRTIO_IOMMU_T_UNMAP, .domain = 1,
		.virt_end = ~0ULL, .reserved = { 1 },
	};

	assert_int_equal(vfx_unmap(f, 1, 0, ~0ULL), VIRTIO_IOMMU_S_NOENT);
	assert_int_equal(vfx_attach(f, 1, VFX_EP_A, 0), VIRTIO_IOMMU_S_OK);
	assert_int_equal(vfx_map(f, 1, 0x1000, 0x2fff, 0, RW), 0);
	assert_int_equal(vfx_map(f, 1, 0x3000, 0x3fff, 0, RW), 0);
	assert_int_equal(vfx_map(f, 1, 0x8000, 0x8fff, 0, RW), 0);
	/* splitting the first mapping: RANGE, nothing removed */
	assert_int_equal(vfx_unmap(f, 1, 0x2000, 0x3fff), VIRTIO_IOMMU_S_RANGE);
	assert_int_equal(vfx_unmap(f, 1, 0x0, 0x1fff), VIRTIO_IOMMU_S_RANGE);
	assert_int_equal(f->vi->nr_maps, 3);
	assert_int_equal(vfx_req(f, &r, sizeof(r) - 4, 4, NULL, NULL),
			 VIRTIO_IOMMU_S_INVAL);
	assert_int_equal(vfx_unmap(f, 1, 0x3000, 0x1000), VIRTIO_IOMMU_S_INVAL);
	/* nothing mapped there: OK */
	assert_int_equal(vfx_unmap(f, 1, 0x4000, 0x7fff), VIRTIO_IOMMU_S_OK);
	assert_int_equal(f->vi->nr_maps, 3);
	/* the two first, whole, with unmapped space around them */
	assert_int_equal(vfx_unmap(f, 1, 0, 0x5fff), VIRTIO_IOMMU_S_OK);
	assert_int_equal(f->vi->nr_maps, 1);
	assert_int_equal(f->vi->eps[VFX_EP_A].dom->maps[0].start, 0x8000);
	assert_int_equal(vfx_unmap(f, 1, 0, ~0ULL), VIRTIO_IOMMU_S_OK);
	assert_int_equal(f->vi->nr_maps, 0);
}

static void test_probe(void **state)
{
	struct viommu_fx *f = *state;
	struct virtio_iommu_req_probe r = {
		.head.type = VIRTIO_IOMMU_T_PROBE, .endpoint = VFX_EP_B,
	};
	struct virtio_iommu_probe_resv_mem m;
	u32 used = 0;
	u64 w;
	u8 *p;

	assert_int_equal(vfx_req(f, &r, sizeof(r), VIOMMU_PROBE_SIZE + 4,
				 &used, &w), VIRTIO_IOMMU_S_OK);
	assert_int_equal(used, VIOMMU_PROBE_SIZE + 4);
	p = vqd_hva(&f->d, w);
	memcpy(&m, p, sizeof(m));
	assert_int_equal(le16toh(m.head.type), VIRTIO_IOMMU_PROBE_T_RESV_MEM);
	assert_int_equal(le16toh(m.head.length), 20);
	assert_int_equal(m.subtype, VIRTIO_IOMMU_RESV_MEM_T_MSI);
	assert_int_equal(le64toh(m.start), 0xfee00000);
	assert_int_equal(le64toh(m.end), 0xfeefffff);
	/* then a NONE property: zeros up to probe_size */
	for (w = sizeof(m); w < VIOMMU_PROBE_SIZE; w++)
		assert_int_equal(p[w], 0);
	r.endpoint = 0x30;
	assert_int_equal(vfx_req(f, &r, sizeof(r), VIOMMU_PROBE_SIZE + 4,
				 NULL, NULL), VIRTIO_IOMMU_S_NOENT);
	r.endpoint = VFX_EP_A;
	assert_int_equal(vfx_req(f, &r, sizeof(r), 64 + 4, NULL, NULL),
			 VIRTIO_IOMMU_S_INVAL);
	r.reserved[63] = 1;
	assert_int_equal(vfx_req(f, &r, sizeof(r), VIOMMU_PROBE_SIZE + 4,
				 NULL, NULL), VIRTIO_IOMMU_S_INVAL);
}

static void test_malformed_requests(void **state)
{
	struct viommu_fx *f = *state;
	struct virtio_iommu_req_map m = { .head.type = VIRTIO_IOMMU_T_MAP };
	u8 t = 9;
	u32 used = 0;

	assert_int_equal(vfx_req(f, &t, 1, 4, &used, NULL),
			 VIRTIO_IOMMU_S_UNSUPP);
	assert_int_equal(used, 4);
	t = 0;
	assert_int_equal(vfx_req(f, &t, 1, 4, NULL, NULL),
			 VIRTIO_IOMMU_S_UNSUPP);
	/* no readable byte at all; a request cut short */
	assert_int_equal(vfx_req(f, &t, 0, 4, NULL, NULL),
			 VIRTIO_IOMMU_S_INVAL);
	assert_int_equal(vfx_req(f, &m, sizeof(m) - 5, 4, NULL, NULL),
			 VIRTIO_IOMMU_S_INVAL);
	assert_true(virtio_running(&f->v));
	/* no room for the tail: the device needs a reset */
	assert_int_equal(vfx_req(f, &m, sizeof(m) - 4, 3, NULL, NULL),
			 VFX_NO_REPLY);
	assert_false(virtio_running(&f->v));
}

/* A request buffer outside RAM cannot be answered: reset needed. */
static void test_refused_request(void **state)
{
	struct viommu_fx *f = *state;
	u32 id, len;

	vqd_desc(&f->d, f->d.desc, 0, RAM + PG, 20, VIRTQ_DESC_F_NEXT, 1);
	vqd_desc(&f->d, f->d.desc, 1, f->d.heap, 4, VIRTQ_DESC_F_WRITE, 0);
	vqd_post(&f->d, 0);
	virtio_queue_notify(&f->v, VIOMMU_REQ_Q);
	assert_false(vqd_reap(&f->d, &id, &len));
	assert_false(virtio_running(&f->v));
}

/* Device reset: no domains, the bypass byte back to bypass=. */
static void test_reset(void **state)
{
	struct viommu_fx *f = *state;
	struct vq_drv *rings[2] = { &f->d, &f->ev };
	u8 b = 0;

	assert_int_equal(vfx_attach(f, 1, VFX_EP_A, 0), VIRTIO_IOMMU_S_OK);
	assert_int_equal(vfx_map(f, 1, 0, PG - 1, 0, RW), VIRTIO_IOMMU_S_OK);
	virtio_write_config(&f->v, OFF(bypass), &b, 1);
	vdrv_write_common(&f->v, VIRTIO_PCI_COMMON_STATUS, 1, 0);
	assert_int_equal(f->vi->nr_doms, 0);
	assert_int_equal(f->vi->nr_maps, 0);
	assert_null(f->vi->eps[VFX_EP_A].dom);
	assert_true(atomic_load(&f->vi->bypass));
	f->d.avail_idx = f->d.last_used = 0;
	f->ev.avail_idx = f->ev.last_used = 0;
	memset(vqd_hva(&f->d, f->d.used), 0, 4);
	memset(vqd_hva(&f->d, f->d.avail), 0, 4);
	assert_int_equal(vdrv_start(&f->v, rings, 2, VFX_FEATURES), 0xf);
	assert_int_equal(vfx_map(f, 1, 0, PG - 1, 0, RW),
			 VIRTIO_IOMMU_S_NOENT);
}

static void test_endpoints(void **state)
{
	struct viommu_fx *f = *state;

	assert_int_equal(viommu_add_endpoint(f->vi, VFX_EP_A, "x"), -EEXIST);
	assert_int_equal(viommu_add_endpoint(f->vi, 0x100, "x"), -EINVAL);
	assert_ptr_equal(viommu_stage(f->vi)->opaque, f->vi);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_config), T(test_bypass_needs_feature), T(test_attach),
		T(test_attach_reserved), T(test_detach), T(test_map),
		T(test_map_nomem), T(test_unmap), T(test_probe),
		T(test_malformed_requests), T(test_refused_request),
		T(test_reset), T(test_endpoints),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
