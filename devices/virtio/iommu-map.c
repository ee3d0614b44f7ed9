// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio-iommu state (see iommu.h): endpoints, domains, the sorted
 * mapping arrays, and the translation stage the DMA API calls. The
 * request functions run with v->lock held for writing (iommu.c takes
 * it); viommu_translate takes it for reading.
 */
#include <errno.h>
#include <inttypes.h>
#include <linux/membarrier.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "devices/virtio/iommu.h"
#include "lib/log.h"

#define MAP_PERMS	(VIRTIO_IOMMU_MAP_F_READ | VIRTIO_IOMMU_MAP_F_WRITE)

/* ---- the lock (see struct viommu_lock) */

static atomic_int lock_next_slot;
static _Thread_local int lock_slot = -1;
static atomic_bool lock_memb;		/* membarrier registered */

static void lock_memb_init(void)
{
	if (!syscall(SYS_membarrier,
		     MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0))
		atomic_store(&lock_memb, true);
}

/*
 * A full barrier on every thread of the process. Once registered, the
 * command cannot fail (its errors are an unknown command, EINVAL, and
 * no registration, EPERM).
 */
static void lock_memb_all(void)
{
	if (atomic_load_explicit(&lock_memb, memory_order_relaxed) &&
	    syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0))
		pr_err("virtio-iommu: membarrier: %s", strerror(errno));
}

/* The reader's mark, ordered before its load of the writer flag. */
static void read_set(atomic_int *mark)
{
	if (atomic_load_explicit(&lock_memb, memory_order_relaxed)) {
		atomic_store_explicit(mark, 1, memory_order_relaxed);
		atomic_signal_fence(memory_order_seq_cst);
	} else {
		atomic_store(mark, 1);
	}
}

static atomic_int *read_mark(struct viommu_lock *l)
{
	if (lock_slot < 0)
		lock_slot = MIN(atomic_fetch_add(&lock_next_slot, 1),
				VIOMMU_LOCK_SLOTS);
	return lock_slot < VIOMMU_LOCK_SLOTS ? &l->slot[lock_slot].active :
	       NULL;
}

static atomic_int *read_lock(struct viommu_lock *l)
{
	atomic_int *mark = read_mark(l);

	for (;;) {
		if (mark)
			read_set(mark);
		else
			atomic_fetch_add(&l->overflow, 1);
		if (!atomic_load_explicit(&l->writer, memory_order_relaxed)) {
			atomic_thread_fence(memory_order_acquire);
			return mark;
		}
		if (mark)
			atomic_store_explicit(mark, 0, memory_order_release);
		else
			atomic_fetch_sub(&l->overflow, 1);
		while (atomic_load_explicit(&l->writer, memory_order_relaxed))
			sched_yield();
	}
}

static void read_unlock(struct viommu_lock *l, atomic_int *mark)
{
	if (mark)
		atomic_store_explicit(mark, 0, memory_order_release);
	else
		atomic_fetch_sub_explicit(&l->overflow, 1,
					  memory_order_release);
}

void viommu_write_lock(struct viommu *v)
{
	struct viommu_lock *l = &v->lock;
	unsigned int i;

	pthread_mutex_lock(&l->wmutex);
	atomic_store(&l->writer, 1);
	lock_memb_all();
	for (i = 0; i < VIOMMU_LOCK_SLOTS; i++)
		while (atomic_load(&l->slot[i].active))
			sched_yield();
	while (atomic_load(&l->overflow))
		sched_yield();
}

/* ---- the per-thread translation cache (see iommu.h) */

struct viommu_tlb {
	const struct viommu *v;
	u64 gen;
	u32 ep, flags;
	u64 start, end, phys;
};

#define VIOMMU_TLB	64

static _Thread_local struct viommu_tlb tlb[VIOMMU_TLB];
static atomic_ullong tlb_gen = 1;	/* unique over all instances */

static void gen_bump(struct viommu *v)
{
	atomic_store_explicit(&v->gen, atomic_fetch_add(&tlb_gen, 1) + 1,
			      memory_order_release);
}

static struct viommu_tlb *tlb_slot(u32 ep, u64 addr)
{
	return &tlb[(addr / VIOMMU_PAGE_SIZE + ep * 7) % VIOMMU_TLB];
}

/* A cached mapping holding all of [addr, addr + len) for need, or NULL. */
static inline const struct viommu_tlb *
tlb_hit(const struct viommu *v, u64 gen, u32 ep, u64 addr, u64 len,
	u32 need)
{
	const struct viommu_tlb *t = tlb_slot(ep, addr);

	if (t->v != v || t->gen != gen || t->ep != ep || t->start > addr ||
	    addr > t->end || len - 1 > t->end - addr ||
	    (t->flags & need) != need)
		return NULL;
	return t;
}

static void tlb_fill(const struct viommu *v, u64 gen, u32 ep, u64 addr,
		     const struct viommu_map *m)
{
	*tlb_slot(ep, addr) = (struct viommu_tlb){
		.v = v, .gen = gen, .ep = ep, .flags = m->flags,
		.start = m->start, .end = m->end, .phys = m->phys,
	};
}

void viommu_set_bypass(struct viommu *v, bool on)
{
	atomic_store(&v->bypass, on);
	gen_bump(v);
}

void viommu_write_unlock(struct viommu *v)
{
	gen_bump(v);
	atomic_store_explicit(&v->lock.writer, 0, memory_order_release);
	pthread_mutex_unlock(&v->lock.wmutex);
}

/* ---- state */

int viommu_state_init(struct viommu *v, bool bypass)
{
	static pthread_once_t memb_once = PTHREAD_ONCE_INIT;
	int r = pthread_mutex_init(&v->lock.wmutex, NULL);

	if (r)
		return -r;
	pthread_once(&memb_once, lock_memb_init);
	r = pthread_mutex_init(&v->fault_lock, NULL);
	if (r) {
		pthread_mutex_destroy(&v->lock.wmutex);
		return -r;
	}
	v->max_maps = VIOMMU_MAX_MAPPINGS;
	gen_bump(v);
	v->bypass_default = bypass;
	atomic_store(&v->bypass, bypass);
	v->stage.name = "virtio-iommu";
	v->stage.translate = viommu_translate;
	v->stage.opaque = v;
	return 0;
}

static void dom_free(struct viommu_domain *d)
{
	free(d->maps);
	free(d);
}

void viommu_state_reset(struct viommu *v)
{
	unsigned int i;

	viommu_write_lock(v);
	for (i = 0; i < v->nr_doms; i++)
		dom_free(v->doms[i]);
	v->nr_doms = 0;
	v->nr_maps = 0;
	for (i = 0; i < VIOMMU_MAX_ENDPOINTS; i++)
		v->eps[i].dom = NULL;
	atomic_store(&v->bypass, v->bypass_default);
	viommu_write_unlock(v);
}

void viommu_state_free(struct viommu *v)
{
	viommu_state_reset(v);
	pthread_mutex_destroy(&v->lock.wmutex);
	pthread_mutex_destroy(&v->fault_lock);
}

int viommu_add_endpoint(struct viommu *v, u32 endpoint, const char *name)
{
	if (endpoint >= VIOMMU_MAX_ENDPOINTS)
		return -EINVAL;
	if (v->eps[endpoint].exists)
		return -EEXIST;
	v->eps[endpoint].exists = true;
	v->eps[endpoint].name = name;
	return 0;
}

const struct dma_stage *viommu_stage(struct viommu *v)
{
	return &v->stage;
}

/* ---- domains */

static struct viommu_domain *dom_find(struct viommu *v, u32 id)
{
	unsigned int i;

	for (i = 0; i < v->nr_doms; i++)
		if (v->doms[i]->id == id)
			return v->doms[i];
	return NULL;
}

static struct viommu_domain *dom_new(struct viommu *v, u32 id, bool bypass)
{
	struct viommu_domain *d;

	if (v->nr_doms == ARRAY_SIZE(v->doms))
		return NULL;
	d = calloc(1, sizeof(*d));
	if (!d)
		return NULL;
	d->id = id;
	d->bypass = bypass;
	v->doms[v->nr_doms++] = d;
	return d;
}

/* An endpoint left d: the last one takes the domain and its mappings. */
static void dom_put(struct viommu *v, struct viommu_domain *d)
{
	unsigned int i;

	if (--d->nr_eps)
		return;
	for (i = 0; i < v->nr_doms && v->doms[i] != d; i++)
		;
	if (i < v->nr_doms)
		v->doms[i] = v->doms[--v->nr_doms];
	v->nr_maps -= d->nr;
	dom_free(d);
}

static struct viommu_ep *ep_get(struct viommu *v, u32 ep)
{
	if (ep >= VIOMMU_MAX_ENDPOINTS || !v->eps[ep].exists)
		return NULL;
	return &v->eps[ep];
}

u8 viommu_attach(struct viommu *v, u32 domain, u32 ep, u32 flags)
{
	bool bypass = flags & VIRTIO_IOMMU_ATTACH_F_BYPASS;
	struct viommu_ep *e = ep_get(v, ep);
	struct viommu_domain *d;

	if (flags & ~VIRTIO_IOMMU_ATTACH_F_BYPASS)
		return VIRTIO_IOMMU_S_INVAL;
	if (!e)
		return VIRTIO_IOMMU_S_NOENT;
	d = dom_find(v, domain);
	if (d && d->bypass != bypass)
		return VIRTIO_IOMMU_S_INVAL;
	if (d && e->dom == d)
		return VIRTIO_IOMMU_S_OK;
	if (!d)
		d = dom_new(v, domain, bypass);
	if (!d)
		return VIRTIO_IOMMU_S_NOMEM;
	/* attaching elsewhere detaches from the old domain first */
	if (e->dom)
		dom_put(v, e->dom);
	e->dom = d;
	d->nr_eps++;
	return VIRTIO_IOMMU_S_OK;
}

u8 viommu_detach(struct viommu *v, u32 domain, u32 ep)
{
	struct viommu_ep *e = ep_get(v, ep);
	struct viommu_domain *d;

	if (!e)
		return VIRTIO_IOMMU_S_NOENT;
	d = dom_find(v, domain);
	if (!d || e->dom != d)
		return VIRTIO_IOMMU_S_INVAL;
	e->dom = NULL;
	dom_put(v, d);
	return VIRTIO_IOMMU_S_OK;
}

/* ---- mappings */

/* The first mapping ending at or after addr (d->nr if none). */
static unsigned int map_lower(const struct viommu_domain *d, u64 addr)
{
	unsigned int lo = 0, hi = d->nr, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (d->maps[mid].end < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int map_grow(struct viommu_domain *d)
{
	unsigned int cap = d->cap ? d->cap * 2 : 16;
	struct viommu_map *m;

	if (d->nr < d->cap)
		return 0;
	m = realloc(d->maps, cap * sizeof(*m));
	if (!m)
		return -ENOMEM;
	d->maps = m;
	d->cap = cap;
	return 0;
}

static u8 map_check(u64 start, u64 end, u64 phys, u32 flags)
{
	if (flags & ~MAP_PERMS || start > end)
		return VIRTIO_IOMMU_S_INVAL;
	if (!IS_ALIGNED(start, VIOMMU_PAGE_SIZE) ||
	    !IS_ALIGNED(end + 1, VIOMMU_PAGE_SIZE) ||
	    !IS_ALIGNED(phys, VIOMMU_PAGE_SIZE))
		return VIRTIO_IOMMU_S_RANGE;
	if (phys + (end - start) < phys)
		return VIRTIO_IOMMU_S_RANGE;	/* GPA range wraps */
	return VIRTIO_IOMMU_S_OK;
}

u8 viommu_map(struct viommu *v, u32 domain, u64 start, u64 end, u64 phys,
	      u32 flags)
{
	struct viommu_domain *d = dom_find(v, domain);
	u8 st = map_check(start, end, phys, flags);
	unsigned int i;

	if (!d)
		return VIRTIO_IOMMU_S_NOENT;
	if (st)
		return st;
	if (d->bypass)
		return VIRTIO_IOMMU_S_INVAL;
	i = map_lower(d, start);
	if (i < d->nr && d->maps[i].start <= end)
		return VIRTIO_IOMMU_S_INVAL;	/* overlaps a mapping */
	if (v->nr_maps >= v->max_maps || map_grow(d))
		return VIRTIO_IOMMU_S_NOMEM;
	memmove(&d->maps[i + 1], &d->maps[i], (d->nr - i) * sizeof(*d->maps));
	d->maps[i] = (struct viommu_map){ start, end, phys, flags };
	d->nr++;
	v->nr_maps++;
	return VIRTIO_IOMMU_S_OK;
}

/*
 * Remove the mappings inside [start, end]. One that the range would
 * split: RANGE, and nothing is removed. No mapping there at all: OK.
 */
u8 viommu_unmap(struct viommu *v, u32 domain, u64 start, u64 end)
{
	struct viommu_domain *d = dom_find(v, domain);
	unsigned int i, j;

	if (!d)
		return VIRTIO_IOMMU_S_NOENT;
	if (d->bypass || start > end)
		return VIRTIO_IOMMU_S_INVAL;
	i = map_lower(d, start);
	for (j = i; j < d->nr && d->maps[j].start <= end; j++)
		if (d->maps[j].start < start || d->maps[j].end > end)
			return VIRTIO_IOMMU_S_RANGE;
	if (j == i)
		return VIRTIO_IOMMU_S_OK;	/* (d->maps may be NULL) */
	memmove(&d->maps[i], &d->maps[j], (d->nr - j) * sizeof(*d->maps));
	d->nr -= j - i;
	v->nr_maps -= j - i;
	return VIRTIO_IOMMU_S_OK;
}

/* ---- translation */

static u32 dir_perms(enum dma_dir dir)
{
	return (dir & DMA_TO_DEVICE ? VIRTIO_IOMMU_MAP_F_READ : 0) |
	       (dir & DMA_FROM_DEVICE ? VIRTIO_IOMMU_MAP_F_WRITE : 0);
}

/* Bytes of [addr, addr + left) inside m (addr in m, left > 0). */
static u64 map_run(const struct viommu_map *m, u64 addr, u64 left)
{
	return MIN(left - 1, m->end - addr) + 1;
}

/* The mapping holding addr (its index), or d->nr: the hint, else search. */
static unsigned int map_find(struct viommu_domain *d, u64 addr)
{
	atomic_uint *h = &d->hint[(addr / VIOMMU_PAGE_SIZE) % VIOMMU_HINTS];
	unsigned int i = atomic_load_explicit(h, memory_order_relaxed);

	if (i < d->nr && d->maps[i].start <= addr && addr <= d->maps[i].end)
		return i;
	i = map_lower(d, addr);
	if (i == d->nr || d->maps[i].start > addr)
		return d->nr;
	atomic_store_explicit(h, i, memory_order_relaxed);
	return i;
}

/*
 * Through d's mappings; 0, or the fault reason as a negative errno.
 * *first: the mapping holding addr.
 */
static int dom_xlate(struct viommu_domain *d, u64 addr, u64 len, u32 need,
		     u64 *gpa, u64 *contig, const struct viommu_map **first)
{
	unsigned int i = map_find(d, addr);
	const struct viommu_map *m;
	u64 c;

	if (i == d->nr)
		return -EFAULT;
	m = &d->maps[i];
	*first = m;
	if ((m->flags & need) != need)
		return -EPERM;
	*gpa = m->phys + (addr - m->start);
	c = map_run(m, addr, len);
	/* a next mapping that continues this one in both spaces */
	for (; c < len && i + 1 < d->nr; i++, m++) {
		if (m[1].start != m->end + 1 ||
		    m[1].phys != m->phys + (m->end - m->start) + 1 ||
		    (m[1].flags & need) != need)
			break;
		c += map_run(&m[1], m[1].start, len - c);
	}
	*contig = c;
	return 0;
}

static u64 now_sec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec;
}

static void viommu_fault(struct viommu *v, u8 reason, int err, u32 ep,
			 u64 addr, u64 len, enum dma_dir dir)
{
	const char *name = ep < VIOMMU_MAX_ENDPOINTS && v->eps[ep].name ?
			   v->eps[ep].name : "?";
	u32 flags = VIRTIO_IOMMU_FAULT_F_ADDRESS |
		    (dir & DMA_TO_DEVICE ? VIRTIO_IOMMU_FAULT_F_READ : 0) |
		    (dir & DMA_FROM_DEVICE ? VIRTIO_IOMMU_FAULT_F_WRITE : 0);
	u64 sec = now_sec();

	pthread_mutex_lock(&v->fault_lock);
	v->faults++;
	if (sec != v->log_sec) {
		v->log_sec = sec;
		v->log_n = 0;
	}
	if (v->log_n++ < VIOMMU_LOG_PER_SEC)
		pr_err("virtio-iommu: %s (endpoint 0x%x): %s of IOVA 0x%" PRIx64
		       "+0x%" PRIx64 " refused: %s", name, ep,
		       dir == DMA_TO_DEVICE ? "read" :
		       dir == DMA_FROM_DEVICE ? "write" : "read/write",
		       addr, len,
		       reason == VIRTIO_IOMMU_FAULT_R_UNKNOWN ?
		       "not an endpoint of this IOMMU" :
		       reason == VIRTIO_IOMMU_FAULT_R_DOMAIN ?
		       "endpoint in no domain and bypass off" :
		       err == -EPERM ? "mapping does not permit it" :
		       "not mapped");
	pthread_mutex_unlock(&v->fault_lock);
	viommu_report(v, reason, flags, ep, addr);
}

static const struct viommu_map identity = {
	.start = 0, .end = ~0ULL, .phys = 0,
	.flags = VIRTIO_IOMMU_MAP_F_READ | VIRTIO_IOMMU_MAP_F_WRITE,
};

/* Under the read lock; on success the mapping is cached for gen. */
static int xlate_locked(struct viommu *v, u64 gen, u32 ep, u64 addr,
			u64 len, u32 need, u64 *gpa, u64 *contig, u8 *reason)
{
	const struct viommu_map *m = &identity;
	struct viommu_domain *d;
	int r = -EFAULT;

	if (ep >= VIOMMU_MAX_ENDPOINTS || !v->eps[ep].exists) {
		*reason = VIRTIO_IOMMU_FAULT_R_UNKNOWN;	/* not ours */
		return -EFAULT;
	}
	d = v->eps[ep].dom;
	if ((!d && atomic_load(&v->bypass)) || (d && d->bypass)) {
		*gpa = addr;
		*contig = len;
		r = 0;
	} else if (d) {
		*reason = VIRTIO_IOMMU_FAULT_R_MAPPING;
		r = dom_xlate(d, addr, len, need, gpa, contig, &m);
	}
	if (!r)
		tlb_fill(v, gen, ep, addr, m);
	return r;
}

/* A cache miss: under the read lock; a refusal is reported. */
static __attribute__((noinline)) int
translate_slow(struct viommu *v, u64 gen, u32 ep, u64 addr, u64 len,
	       enum dma_dir dir, u64 *gpa, u64 *contig)
{
	u8 reason = VIRTIO_IOMMU_FAULT_R_DOMAIN;
	atomic_int *mark = read_lock(&v->lock);
	int r = xlate_locked(v, gen, ep, addr, len, dir_perms(dir), gpa,
			     contig, &reason);

	read_unlock(&v->lock, mark);
	if (r)
		viommu_fault(v, reason, r, ep, addr, len, dir);
	return r;
}

/* The hit path has no address-taken locals (no stack-protector work). */
int viommu_translate(void *opaque, u32 endpoint, u64 addr, u64 len,
		     enum dma_dir dir, u64 *gpa, u64 *contig)
{
	struct viommu *v = opaque;
	u64 gen = atomic_load_explicit(&v->gen, memory_order_acquire);
	const struct viommu_tlb *t = tlb_hit(v, gen, endpoint, addr, len,
					     dir_perms(dir));

	if (!t)
		return translate_slow(v, gen, endpoint, addr, len, dir, gpa,
				      contig);
	*gpa = t->phys + (addr - t->start);
	*contig = len;
	return 0;
}
