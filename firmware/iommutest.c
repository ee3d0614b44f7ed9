// SPDX-License-Identifier: GPL-2.0-only
/*
 * The self test behind a virtio-iommu: translated drivers, then hostile
 * requests (firmware/iommutest.h).
 */
#include "firmware/format.h"
#include "firmware/iommutest.h"
#include "firmware/serial.h"
#include "firmware/sevshare.h"
#include "firmware/viommu.h"
#include "firmware/virtio-drivers.h"

#define BLK_HDR		1024	/* in the block page */
#define BLK_STATUS	(BLK_HDR + 16)
#define BLK_SECTOR	512
#define RW		(VIOMMU_MAP_F_READ | VIOMMU_MAP_F_WRITE)
#define EVENT_POLLS	VIOMMU_EVENT_POLLS
#define DRAIN_POLLS	500

struct iommu_test {
	struct viommu m;
	u8 *va;				/* the DMA area */
	u64 pa;
};

enum hostile_kind {
	H_UNMAPPED,
	H_PAST_END,
	H_READ_ONLY,
	H_RING,
	H_UNATTACHED,
	H_NR,
	H_UNSHARED = H_NR,	/* SEV only: run apart from the loop */
};

static const char *const hostile_names[H_NR + 1] = {
	"descriptor IOVA unmapped",
	"IOVA range past the mapping's end",
	"device write into a read-only mapping",
	"ring addresses outside the mapping",
	"unattached endpoint",
	"buffer in a page never shared",
};

static struct iommu_test it;
static const struct sev_share *sev_share;	/* NULL: not under SEV */

void iommu_selftest_sev(const struct sev_share *s)
{
	sev_share = s;
}

static u64 page_pa(const struct iommu_test *t, u32 page)
{
	return t->pa + (u64)page * FW_DMA_PAGE;
}

static u8 *page_va(const struct iommu_test *t, u32 page)
{
	return t->va + (u64)page * FW_DMA_PAGE;
}

static u64 iova(u64 gpa)
{
	return gpa + IOMMU_IOVA_OFFSET;
}

/* A domain of its own per endpoint, inside the device's domain range. */
static u32 domain_of(const struct viommu *m, u16 bdf)
{
	if (m->dom_end - m->dom_start > 0xffff)
		return m->dom_start + bdf + 1;
	return m->dom_start;
}

static void print_bdf(const char *what, u16 bdf)
{
	fw_printf("%s %02x:%02x.%x", what, PCI_BUS(bdf), PCI_DEV(bdf),
		  PCI_FN(bdf));
}

/* PROBE: no reserved region may cover the block's IOVAs. */
static int probe_endpoint(struct iommu_test *t, u16 bdf, u64 lo, u64 len)
{
	struct viommu_probe_info p;
	u32 i;

	if (viommu_probe(&t->m, bdf, &p))
		return -1;
	if (!(t->m.vd.features & VIOMMU_F_PROBE))
		return 0;
	print_bdf("virtio-iommu: probe", bdf);
	fw_printf(": %u properties, %u reserved regions\n", p.nr_props,
		  p.nr_resv);
	for (i = 0; i < p.nr_resv && i < ARRAY_SIZE(p.resv_start); i++)
		if (fw_overlaps(lo, len, p.resv_start[i],
				p.resv_end[i] - p.resv_start[i] + 1))
			return -1;
	return 0;
}

static int dma_attach(const struct virtio_dma *d, u16 bdf)
{
	struct iommu_test *t = d->ctx;
	u32 dom = domain_of(&t->m, bdf);
	u64 gpa = page_pa(t, FW_DMA_BLOCK);

	return viommu_attach(&t->m, dom, bdf) ||
	       probe_endpoint(t, bdf, d->pa, virtio_dma_size(d)) ||
	       viommu_map(&t->m, dom, d->pa, gpa, virtio_dma_size(d), RW);
}

static void dma_detach(const struct virtio_dma *d, u16 bdf)
{
	struct iommu_test *t = d->ctx;
	u32 dom = domain_of(&t->m, bdf);

	viommu_unmap(&t->m, dom, d->pa, virtio_dma_size(d));
	viommu_detach(&t->m, dom, bdf);
}

static const struct virtio_dma_ops dma_ops = {
	.attach = dma_attach,
	.detach = dma_detach,
};

/* Events left over: each is printed; returns how many. */
static u32 drain_events(struct iommu_test *t, int print)
{
	struct viommu_fault f;
	u32 n = 0;

	while (viommu_fault_next(&t->m, &f, DRAIN_POLLS) > 0) {
		n++;
		if (print)
			fw_printf("virtio-iommu: fault endpoint %x address "
				  "%lx reason %u flags %x\n", f.endpoint,
				  f.address, f.reason, f.flags);
	}
	return n;
}

const struct pci_func *iommu_find(const struct pci_bus0 *b)
{
	u32 i;

	for (i = 0; i < b->nr && i < PCI_MAX_FUNCS; i++)
		if (b->func[i].vendor == VIRTIO_PCI_VENDOR &&
		    b->func[i].device == VIOMMU_PCI_DEVICE)
			return &b->func[i];
	return NULL;
}

static u64 canary(u32 page)
{
	return 0x5eb1ca4a7f00d000ull ^ page * 0x0101010101010101ull;
}

static void canaries_fill(struct iommu_test *t)
{
	u32 p, i;

	for (p = FW_DMA_CANARY_LO; p <= FW_DMA_CANARY_HI; p++)
		for (i = 0; i < FW_DMA_PAGE / 8; i++)
			((volatile u64 *)(void *)page_va(t, p))[i] = canary(p);
}

/*
 * 0 if the three pages still hold their patterns, except the words of
 * the target page from byte skip on (the part a case legitimately
 * mapped writable); *skipped_written says whether those changed.
 */
static int canaries_check(struct iommu_test *t, u32 skip,
			  int *skipped_written)
{
	u32 p, i;
	int bad = 0;

	*skipped_written = 0;
	for (p = FW_DMA_CANARY_LO; p <= FW_DMA_CANARY_HI; p++) {
		for (i = 0; i < FW_DMA_PAGE / 8; i++) {
			if (((volatile u64 *)(void *)page_va(t, p))[i] ==
			    canary(p))
				continue;
			if (p == FW_DMA_TARGET && i * 8 >= skip)
				*skipped_written = 1;
			else
				bad = 1;
		}
	}
	return bad ? -1 : 0;
}

/* A hostile case's extra mapping (of the target page) and data IOVA. */
static int hostile_map(struct iommu_test *t, u32 dom, int kind, u64 *data)
{
	u64 target = page_pa(t, FW_DMA_TARGET);

	*data = iova(target);
	switch (kind) {
	case H_PAST_END:
		*data = iova(target) + FW_DMA_PAGE - BLK_SECTOR / 2;
		/* fall through */
	case H_RING:
	case H_UNSHARED:
		return viommu_map(&t->m, dom, iova(target), target,
				  FW_DMA_PAGE, RW);
	case H_READ_ONLY:
		return viommu_map(&t->m, dom, iova(target), target,
				  FW_DMA_PAGE, VIOMMU_MAP_F_READ);
	}
	return 0;
}

/* Where the fault must be: [*lo, *hi) in IOVA space. */
static void hostile_fault_range(struct iommu_test *t, int kind, u64 *lo,
				u64 *hi)
{
	u64 target = iova(page_pa(t, FW_DMA_TARGET));

	*lo = target;
	*hi = target + BLK_SECTOR;
	if (kind == H_PAST_END) {
		*lo = target + FW_DMA_PAGE - BLK_SECTOR / 2;
		*hi = target + FW_DMA_PAGE + BLK_SECTOR / 2;
	} else if (kind == H_RING) {
		*lo = iova(page_pa(t, FW_DMA_BLOCK + 1));
		*hi = *lo + FW_DMA_PAGE;
	} else if (kind == H_UNATTACHED) {
		*lo = page_pa(t, FW_DMA_BLOCK);
		*hi = *lo + FW_DMA_PAGE;
	}
}

/* Device addresses of a hostile request: rings, header/status, data. */
struct hostile_addrs {
	u64 ring, base, data;
};

/*
 * Attaches and maps what the case needs. An unattached endpoint gets
 * guest-physical addresses: only a bypass would let it reach them.
 */
static int hostile_setup(struct iommu_test *t, u16 bdf, int kind,
			 struct hostile_addrs *a)
{
	u32 dom = domain_of(&t->m, bdf);
	u64 blk = page_pa(t, FW_DMA_BLOCK);

	if (kind == H_UNATTACHED) {
		*a = (struct hostile_addrs){
			blk, blk, page_pa(t, FW_DMA_TARGET),
		};
		return 0;
	}
	a->base = iova(blk);
	a->ring = kind == H_RING ? iova(page_pa(t, FW_DMA_BLOCK + 1)) :
		  iova(blk);
	return viommu_attach(&t->m, dom, bdf) ||
	       viommu_map(&t->m, dom, iova(blk), blk, FW_DMA_PAGE, RW) ||
	       hostile_map(t, dom, kind, &a->data);
}

static void hostile_teardown(struct iommu_test *t, u16 bdf, int kind)
{
	u32 dom = domain_of(&t->m, bdf);

	if (kind == H_UNATTACHED)
		return;
	if (kind != H_UNMAPPED)
		viommu_unmap(&t->m, dom, iova(page_pa(t, FW_DMA_TARGET)),
			     FW_DMA_PAGE);
	viommu_unmap(&t->m, dom, iova(page_pa(t, FW_DMA_BLOCK)), FW_DMA_PAGE);
	viommu_detach(&t->m, dom, bdf);
}

enum outcome { O_COMPLETED, O_STALLED, O_SETUP_REFUSED, O_ERROR };

struct hostile_result {
	enum outcome outcome;
	u8 status;			/* the blk status byte */
	int needs_reset;
	const char *why;
};

/* virtio-blk with its rings at a->ring, reading sector 0 into a->data. */
static void hostile_request(struct iommu_test *t, const struct pci_func *f,
			    const struct hostile_addrs *a,
			    struct hostile_result *r)
{
	u8 *blk = page_va(t, FW_DMA_BLOCK);
	const struct virtq_buf b[3] = {
		{ a->base + BLK_HDR, 16, 0 },
		{ a->data, BLK_SECTOR, 1 },
		{ a->base + BLK_STATUS, 1, 1 },
	};
	volatile u8 *status = blk + BLK_STATUS;
	struct virtio_dev vd;
	struct virtio_queue q;
	u32 len;
	int k;

	*r = (struct hostile_result){ .outcome = O_ERROR };
	fw_memset(blk + BLK_HDR, 0, 16);	/* VIRTIO_BLK_T_IN, sector 0 */
	*status = 0xff;
	if (virtio_find_caps(&vd, f) || virtio_start(&vd) ||
	    virtio_queue_setup(&vd, &q, 0, blk, a->ring) ||
	    virtio_driver_ok(&vd)) {
		r->why = vd.why;
		if (vd.common.addr && virtio_needs_reset(&vd))
			r->outcome = O_SETUP_REFUSED;
	} else {
		k = virtio_request_polls(&vd, &q, b, 3, &len,
					 IOMMU_HOSTILE_POLLS);
		r->why = vd.why;
		r->outcome = !k ? O_COMPLETED : k == VIRTIO_TIMEOUT ?
			     O_STALLED : O_ERROR;
	}
	r->status = *status;
	if (vd.common.addr) {
		r->needs_reset = virtio_needs_reset(&vd);
		virtio_reset(&vd);	/* no DMA after this */
	}
}

/* The first fault of endpoint bdf inside [lo, hi); others are skipped. */
static int hostile_fault(struct iommu_test *t, u16 bdf, u64 lo, u64 hi,
			 struct viommu_fault *f)
{
	while (viommu_fault_next(&t->m, f, EVENT_POLLS) > 0)
		if (f->endpoint == bdf && f->address >= lo && f->address < hi)
			return 1;
	return 0;
}

/*
 * What the device did, in out; 0 if that is a refusal (or, as QEMU
 * does, a completion whose access was dropped: judged by the canaries
 * and the fault), -1 if the device failed otherwise. partial: the part
 * of a buffer inside its mapping was written; intact: canaries held.
 */
static int outcome(const struct hostile_result *r, int partial, int intact,
		   char *out, u32 size)
{
	switch (r->outcome) {
	case O_COMPLETED:
		if (r->status == 0) {
			fw_snprintf(out, size, "completed (status 0), %s",
				    !intact ? "data written" : partial ?
				    "mapped part written, rest dropped" :
				    "access dropped");
			return 0;
		}
		fw_snprintf(out, size, "refused (status %u)", r->status);
		return 0;
	case O_STALLED:
		fw_snprintf(out, size, "stalled (%s)", r->needs_reset ?
			    "NEEDS_RESET" : "no completion");
		return 0;
	case O_SETUP_REFUSED:
		fw_snprintf(out, size, "refused at queue set-up (NEEDS_RESET)");
		return 0;
	case O_ERROR:
		break;
	}
	fw_snprintf(out, size, "device error (%s)", r->why ? r->why : "?");
	return -1;
}

static void hostile_print(int kind, int bad, const char *how,
			  const struct viommu_fault *f, int intact)
{
	fw_printf("iommu-hostile: %s: %s%s, ", hostile_names[kind],
		  bad ? "FAIL: " : "", how);
	if (f)
		fw_printf("fault reported (reason %u, flags %x, address %lx%s)",
			  f->reason, f->flags, f->address,
			  kind == H_READ_ONLY &&
			  !(f->flags & VIOMMU_FAULT_F_WRITE) ?
			  ", no WRITE flag" : "");
	else if (kind == H_UNSHARED)
		fw_printf("refused by the VMM's shared-page check (the IOMMU "
			  "mapping is valid)");
	else
		fw_printf("no fault reported");
	fw_printf(", canaries %s\n", intact ? "intact" : "CHANGED");
}

/* The target page private (0) or shared (1) again, under SEV. */
static void hostile_share(struct iommu_test *t, int shared)
{
	long r = sev_share_range(sev_share, page_pa(t, FW_DMA_TARGET),
				 FW_DMA_PAGE, shared);

	if (r)
		fw_printf("iommu-hostile: %s the target page: error %ld\n",
			  shared ? "share" : "unshare", -r);
}

/* Maps, runs and checks one hostile case; prints its line. 0 or -1. */
static int hostile_case(struct iommu_test *t, const struct pci_func *f,
			int kind)
{
	struct hostile_addrs a;
	struct hostile_result r;
	struct viommu_fault fault = { 0 };
	int faulted, intact, bad, partial;
	char how[64];
	u64 lo, hi;

	canaries_fill(t);
	drain_events(t, 0);
	if (hostile_setup(t, f->bdf, kind, &a)) {
		fw_printf("iommu-hostile: %s: FAIL: set-up refused (%s)\n",
			  hostile_names[kind], t->m.vd.why);
		hostile_teardown(t, f->bdf, kind);
		return -1;
	}
	if (kind == H_UNSHARED)
		hostile_share(t, 0);
	hostile_request(t, f, &a, &r);
	if (kind == H_UNSHARED)
		hostile_share(t, 1);
	hostile_fault_range(t, kind, &lo, &hi);
	/* no IOMMU fault to wait for when unshared: the VMM logs that one */
	faulted = kind == H_UNSHARED ||
		  hostile_fault(t, f->bdf, lo, hi, &fault);
	hostile_teardown(t, f->bdf, kind);
	intact = !canaries_check(t, kind == H_PAST_END ? FW_DMA_PAGE -
				 BLK_SECTOR / 2 : FW_DMA_PAGE, &partial);
	bad = outcome(&r, partial, intact, how, sizeof(how)) || !faulted ||
	      !intact ||
	      (kind == H_READ_ONLY && !(fault.flags & VIOMMU_FAULT_F_WRITE));
	hostile_print(kind, bad, how, faulted && kind != H_UNSHARED ?
		      &fault : NULL, intact);
	return bad ? -1 : 0;
}

/*
 * SEV: the target page, validly mapped in the IOMMU, is made private
 * (unshared) for the request only: the VMM must refuse the device's
 * write into it. Not run unless the VMM checks device DMA against the
 * shared pages (the fw_cfg file said so).
 */
static int hostile_unshared(struct iommu_test *t, const struct pci_func *f)
{
	if (!sev_share || !sev_share->active || !sev_share->dma_check) {
		fw_printf("iommu-hostile: %s: not run (no SEV DMA check)\n",
			  hostile_names[H_UNSHARED]);
		return 0;
	}
	return hostile_case(t, f, H_UNSHARED);
}

static const struct pci_func *find_blk(const struct pci_bus0 *b)
{
	u32 i;

	for (i = 0; i < b->nr && i < PCI_MAX_FUNCS; i++)
		if (b->func[i].vendor == VIRTIO_PCI_VENDOR &&
		    b->func[i].device == VIRTIO_PCI_MODERN_BASE + 2)
			return &b->func[i];
	return NULL;
}

static int hostile_run(struct iommu_test *t, const struct pci_bus0 *b)
{
	const struct pci_func *blk = find_blk(b);
	int kind, failed = 0;

	if (!blk) {
		fw_printf("iommu-hostile: not run (no virtio-blk)\n");
		return 0;
	}
	for (kind = 0; kind < H_NR; kind++)
		if (hostile_case(t, blk, kind))
			failed++;
	if (hostile_unshared(t, blk))
		failed++;
	return failed;
}

static void print_iommu(const struct viommu *m, u16 bdf)
{
	print_bdf("virtio-iommu", bdf);
	fw_printf(": translating, bypass off, page sizes %lx, input %lx-%lx, "
		  "domains %u-%u, features %lx\n", m->page_mask, m->in_start,
		  m->in_end, m->dom_start, m->dom_end, m->vd.features);
}

int iommu_selftest(const struct pci_bus0 *b, const struct pci_func *f,
		   u8 *va, u64 pa, u64 cbit)
{
	u64 blk = pa + FW_DMA_BLOCK * FW_DMA_PAGE;
	struct virtio_dma d = {
		.va = va + FW_DMA_BLOCK * FW_DMA_PAGE, .pa = iova(blk),
		.size = FW_DMA_BLOCK_PAGES * FW_DMA_PAGE, .ops = &dma_ops,
		.ctx = &it,
	};
	int failed;
	u32 n;

	it.va = va;
	it.pa = pa;
	if (viommu_init(&it.m, f, va, pa)) {
		print_bdf("virtio-iommu", f->bdf);
		fw_printf(": %s\n", it.m.vd.why);
		return 1;
	}
	print_iommu(&it.m, f->bdf);
	if (!viommu_iova_ok(&it.m, iova(pa), FW_DMA_PAGES * FW_DMA_PAGE)) {
		fw_printf("virtio-iommu: IOVAs %lx+%x outside the input "
			  "range\n", iova(pa), FW_DMA_PAGES * FW_DMA_PAGE);
		return 1;
	}
	failed = virtio_drivers_run(b, &d);
	n = drain_events(&it, 1);
	fw_printf("virtio-iommu: %u fault events during the translated run\n",
		  n);
	failed += n ? 1 : 0;
	failed += hostile_run(&it, b);
	virtio_reset(&it.m.vd);
	return failed;
}
