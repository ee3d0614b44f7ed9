// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio-iommu's request parser and state (devices/virtio/iommu.c,
 * iommu-map.c) fed a sequence of records from the input:
 *
 *   op 0: a request: u8 rd, u8 wr, u8 split, then rd readable bytes, the
 *         readable part cut into two segments at split, the writable one
 *         wr bytes (each in its own heap buffer, so ASan sees overruns);
 *   op 1: a translation: u8 endpoint, le64 addr, le32 len, u8 dir (its
 *         top bit: endpoint + 0x100).
 *
 * Checked besides "no crash": a status written is one of the spec's, the
 * used length fits the writable bytes, and after every record each
 * domain's mappings are sorted, disjoint, 4 KiB aligned and counted, each
 * attached endpoint's domain is live, and a translation's run lies inside
 * the request and, for an attached endpoint, inside a mapping.
 */
#include <endian.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "devices/virtio/iommu.h"
#include "lib/log.h"
#include "tests/fuzz/fuzz.h"

void __wrap_pr_log(enum log_level level, const char *fmt, ...) __printf(2, 3);
void __wrap_pr_log(enum log_level level, const char *fmt, ...)
{
}

#define FZ_MAX_RECORDS	128	/* max_maps is 64: room to hit NOMEM */

static struct viommu vi;
static struct vq_elem el;

static void fz_init(void)
{
	unsigned int ep;

	FUZZ_ASSERT(!viommu_state_init(&vi, true));
	for (ep = 0; ep < 32; ep += 8)
		FUZZ_ASSERT(!viommu_add_endpoint(&vi, ep, "fuzz"));
	vi.max_maps = 64;
}

static void check_domain(const struct viommu_domain *d)
{
	unsigned int j;

	FUZZ_ASSERT(d->nr_eps > 0 && d->nr <= d->cap);
	FUZZ_ASSERT(!d->bypass || !d->nr);
	for (j = 0; j < d->nr; j++) {
		const struct viommu_map *m = &d->maps[j];

		FUZZ_ASSERT(m->start <= m->end);
		FUZZ_ASSERT(IS_ALIGNED(m->start, VIOMMU_PAGE_SIZE));
		FUZZ_ASSERT(IS_ALIGNED(m->end + 1, VIOMMU_PAGE_SIZE));
		FUZZ_ASSERT(!j || d->maps[j - 1].end < m->start);
	}
}

/*
 * Every attached endpoint's domain is live and counts it: the endpoints
 * of fz_init (step 8) after each record, all of them at the end.
 */
static void check_state(unsigned int step)
{
	unsigned int eps[VIOMMU_MAX_ENDPOINTS] = { 0 };
	unsigned int i, j, n = 0;

	for (j = 0; j < VIOMMU_MAX_ENDPOINTS; j += step) {
		if (!vi.eps[j].dom)
			continue;
		for (i = 0; i < vi.nr_doms && vi.doms[i] != vi.eps[j].dom; i++)
			;
		FUZZ_ASSERT(i < vi.nr_doms);
		eps[i]++;
	}
	for (i = 0; i < vi.nr_doms; i++) {
		check_domain(vi.doms[i]);
		FUZZ_ASSERT(eps[i] == vi.doms[i]->nr_eps);
		n += vi.doms[i]->nr;
	}
	FUZZ_ASSERT(n == vi.nr_maps && n <= vi.max_maps);
	for (j = 32; j < VIOMMU_MAX_ENDPOINTS; j += step)
		FUZZ_ASSERT(!vi.eps[j].exists && !vi.eps[j].dom);
}

/* One request record; returns the bytes consumed or 0 at the end. */
static size_t fz_request(const u8 *p, size_t left)
{
	u8 rd, wr, split, *a, *b, *w;
	u32 len = 0;
	int r;

	if (left < 3)
		return 0;
	rd = p[0];
	wr = p[1];
	split = rd ? p[2] % (rd + 1) : 0;
	if (left - 3 < rd)
		return 0;
	a = malloc(split + 1);
	b = malloc(rd - split + 1);
	w = malloc(wr + 1);
	FUZZ_ASSERT(a && b && w);
	memcpy(a, p + 3, split);
	memcpy(b, p + 3 + split, rd - split);
	memset(&el, 0, offsetof(struct vq_elem, iov));
	if (split)
		el.iov[el.nr_rd++] = (struct iovec){ a, split };
	if (rd > split)
		el.iov[el.nr_rd++] = (struct iovec){ b, rd - split };
	if (wr)
		el.iov[el.nr_rd + el.nr_wr++] = (struct iovec){ w, wr };
	el.rd_len = rd;
	el.wr_len = wr;
	r = viommu_request(&vi, &el, &len);
	FUZZ_ASSERT(r == 0 || r == -EPROTO);
	FUZZ_ASSERT(r || (len <= wr && w[wr - 4] <= VIRTIO_IOMMU_S_NOMEM));
	free(a);
	free(b);
	free(w);
	return 3 + (size_t)rd;
}

static bool in_mapping(u32 ep, u64 addr, u64 len, u64 gpa)
{
	const struct viommu_domain *d = vi.eps[ep].dom;
	unsigned int i;

	for (i = 0; i < d->nr; i++)
		if (d->maps[i].start <= addr && addr <= d->maps[i].end)
			return gpa == d->maps[i].phys +
				      (addr - d->maps[i].start) &&
			       len > 0;
	return false;
}

static size_t fz_translate(const u8 *p, size_t left)
{
	u64 addr, gpa = 0, contig = 0;
	u32 len, ep;
	u8 dir;
	int r;

	if (left < 14)
		return 0;
	ep = p[0] | (u32)(p[13] & 0x80) << 1;	/* up to 0x1ff */
	memcpy(&addr, p + 1, 8);
	memcpy(&len, p + 9, 4);
	dir = 1 + (p[13] & 0x7f) % 3;
	if (!len)
		len = 1;
	if (addr + len - 1 < addr)
		return 14;	/* the DMA API never passes one that wraps */
	r = viommu_translate(&vi, ep, addr, len, dir, &gpa, &contig);
	FUZZ_ASSERT(r == 0 || r == -EFAULT || r == -EPERM);
	if (r)
		return 14;
	FUZZ_ASSERT(contig > 0 && contig <= len);
	if (ep < VIOMMU_MAX_ENDPOINTS && vi.eps[ep].dom &&
	    !vi.eps[ep].dom->bypass)
		FUZZ_ASSERT(in_mapping(ep, addr, contig, gpa));
	return 14;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t off = 0, n, records = 0;

	if (!vi.max_maps)
		fz_init();
	viommu_state_reset(&vi);
	/* (a bound keeps long inputs from slowing every execution) */
	while (off < size && records++ < FZ_MAX_RECORDS) {
		u8 op = data[off++];

		n = op & 1 ? fz_translate(data + off, size - off) :
			     fz_request(data + off, size - off);
		if (!n)
			break;
		off += n;
		check_state(8);
	}
	check_state(1);
	return 0;
}
