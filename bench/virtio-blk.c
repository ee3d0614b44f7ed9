// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio-blk benchmark (no KVM): a driver in this program keeps QD 4 KiB
 * random reads in flight on the real virtio-blk device code (device core,
 * split virtqueue, DMA API, preadv into guest RAM) over an image on tmpfs,
 * and the raw backend: the same preadv calls on the same offsets without
 * the virtqueue, into the same guest buffers. The third case is the same
 * device behind the virtio-iommu (devices/virtio/iommu-map.c): its DMA
 * address space gets the IOMMU stage, the endpoint is in a translated
 * domain where every 4 KiB page of the guest RAM (rings, headers,
 * buffers) is its own mapping, IOVA = GPA. After a warm-up round of each,
 * ROUNDS rounds run the three (in an order rotating by round), SECONDS /
 * ROUNDS each, pinned to one CPU. Prints the median, min and max IOPS of
 * each, the ratio device/raw and iommu/device of the medians, and the
 * same ratios of completions per CPU second of this thread (user +
 * system: steadier than wall time on a shared machine, where other
 * tenants take the CPU in the middle of a round). The device's figure
 * includes this driver's work (a guest's vCPU would do it), so the ratio
 * is a lower bound.
 *
 *   virtio-blk [SECONDS [IMAGE [SIZE_MIB [QD]]]]
 *   defaults:   5        /dev/shm/sevm-bench-blk.img  256  32
 *   BENCH_CPU=n pins to CPU n (default: the CPU it starts on; -1: none)
 */
#include <errno.h>
#include <sched.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "devices/virtio/blk.h"
#include "devices/virtio/iommu.h"
#include "lib/log.h"
#include "lib/util.h"
#include "tests/unit/virtio-drv.h"

#include <linux/virtio_blk.h>

#define BS		4096
#define QMAX		128
#define ROUNDS		11		/* odd: the median is a round */
#define RAM		(8 * SZ_1M)
#define EP		0x08		/* the device's requester ID */

enum bcase { B_DEV, B_IOMMU, B_RAW, B_NR };

struct bench {
	u64 sectors;		/* image size in 512-byte sectors */
	u64 rng_dev, rng_raw;	/* same seed: the same offsets */
	unsigned int qd;
	int raw_fd;
	struct vq_drv d;
	struct virtio_dev v;
	struct viommu iommu;	/* the state only: no iommu virtqueues */
	u64 done[3];		/* completions per case (enum bcase) */
	u64 hdr[QMAX], buf[QMAX], st[QMAX];
};

static double clock_s(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double now(void)
{
	return clock_s(CLOCK_MONOTONIC);
}

static u64 next_sector(const struct bench *b, u64 *rng)
{
	*rng ^= *rng << 13;
	*rng ^= *rng >> 7;
	*rng ^= *rng << 17;
	return (*rng % (b->sectors / 8)) * 8;
}

static int make_image(const char *path, u64 size)
{
	static u8 chunk[1 << 20];
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	u64 off;

	if (fd < 0)
		return -errno;
	for (off = 0; off < sizeof(chunk); off++)
		chunk[off] = (u8)(off * 31 + 7);
	for (off = 0; off < size; off += sizeof(chunk))
		if (write_all(fd, chunk, sizeof(chunk))) {
			close(fd);
			return -EIO;
		}
	close(fd);
	return 0;
}

/* Request slot i: header, 4 KiB data, status, as descriptors 3i..3i+2. */
static void post(struct bench *b, unsigned int i)
{
	struct virtio_blk_outhdr h = { .type = VIRTIO_BLK_T_IN,
				       .sector = next_sector(b, &b->rng_dev) };
	u16 d0 = (u16)(3 * i);

	memcpy(vqd_hva(&b->d, b->hdr[i]), &h, sizeof(h));
	vqd_desc(&b->d, b->d.desc, d0, b->hdr[i], sizeof(h),
		 VIRTQ_DESC_F_NEXT, d0 + 1);
	vqd_desc(&b->d, b->d.desc, d0 + 1, b->buf[i], BS,
		 VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, d0 + 2);
	vqd_desc(&b->d, b->d.desc, d0 + 2, b->st[i], 1, VIRTQ_DESC_F_WRITE,
		 0);
	vqd_post(&b->d, d0);
}

static int setup_device(struct bench *b, const char *path)
{
	struct virtio_blk_conf c = { .path = path };
	struct vq_drv *rings[1] = { &b->d };
	unsigned int i;
	int r;

	r = vqd_init(&b->d, RAM, QMAX);
	if (r)
		return r;
	r = virtio_blk_init(&b->v, &c, &b->d.as, true);
	if (r)
		return r;
	if (vdrv_start(&b->v, rings, 1, 1ULL << VIRTIO_F_VERSION_1 |
		       1ULL << VIRTIO_F_ACCESS_PLATFORM |
		       1ULL << VIRTIO_F_EVENT_IDX) != 0xf)
		return -EPROTO;
	for (i = 0; i < b->qd; i++) {
		b->hdr[i] = vqd_alloc(&b->d, 16);
		b->st[i] = vqd_alloc(&b->d, 16);
		b->buf[i] = ALIGN_UP(vqd_alloc(&b->d, 2 * BS), BS);
	}
	return 0;
}

/* Endpoint EP in domain 1, each page of RAM mapped alone, IOVA = GPA. */
static int setup_iommu(struct bench *b)
{
	u64 gpa;
	u8 st;

	if (viommu_state_init(&b->iommu, false) ||
	    viommu_add_endpoint(&b->iommu, EP, "virtio-blk"))
		return -EIO;
	st = viommu_attach(&b->iommu, 1, EP, 0);
	for (gpa = 0; !st && gpa < RAM; gpa += VIOMMU_PAGE_SIZE)
		st = viommu_map(&b->iommu, 1, gpa, gpa + VIOMMU_PAGE_SIZE - 1,
				gpa, VIRTIO_IOMMU_MAP_F_READ |
				VIRTIO_IOMMU_MAP_F_WRITE);
	b->d.as.endpoint = EP;
	return st ? -EIO : 0;
}

/*
 * The device: keep qd requests in flight (posted once, before the first
 * round; a round ends with them still in flight). Returns completions.
 */
static u64 run_device(struct bench *b, double secs)
{
	double end = now() + secs;
	u64 done = 0;
	u32 id, len;
	unsigned int i;

	while (now() < end) {
		virtio_queue_notify(&b->v, 0);
		while (vqd_reap(&b->d, &id, &len)) {
			i = id / 3;
			if (len != BS + 1 || *(u8 *)vqd_hva(&b->d, b->st[i]) !=
			    VIRTIO_BLK_S_OK) {
				fprintf(stderr, "virtio-blk: request failed\n");
				return 0;
			}
			done++;
			post(b, i);
		}
	}
	return done;
}

/* The raw backend: the same preadv calls on the same offsets. */
static u64 run_raw(struct bench *b, double secs)
{
	double end = now() + secs;
	struct iovec iov;
	u64 done = 0;
	unsigned int i;

	while (now() < end) {
		for (i = 0; i < b->qd; i++) {
			iov.iov_base = vqd_hva(&b->d, b->buf[i]);
			iov.iov_len = BS;
			if (preadv(b->raw_fd, &iov, 1, (off_t)next_sector(b,
				   &b->rng_raw) * 512) != BS) {
				fprintf(stderr, "raw: preadv failed\n");
				return 0;
			}
			done++;
		}
	}
	return done;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Sorts v; prints and returns the median. */
static double report(const char *what, double *v, unsigned int n)
{
	double med;

	qsort(v, n, sizeof(*v), cmp_double);
	med = v[n / 2];
	printf("%-7s median %9.0f IOPS %7.1f MB/s   min %9.0f  max %9.0f\n",
	       what, med, med * BS / 1e6, v[0], v[n - 1]);
	return med;
}

/* IOPS of one timed round of case c; *cpu: per CPU second. */
static double round_iops(struct bench *b, enum bcase c, double secs,
			 double *cpu)
{
	double t0, c0;
	u64 n;

	b->d.as.iommu = c == B_IOMMU ? viommu_stage(&b->iommu) : NULL;
	t0 = now();
	c0 = clock_s(CLOCK_THREAD_CPUTIME_ID);
	n = c == B_RAW ? run_raw(b, secs) : run_device(b, secs);
	b->done[c] += n;
	*cpu = n / (clock_s(CLOCK_THREAD_CPUTIME_ID) - c0);
	return n / (now() - t0);
}

static void ratios(const char *what, const double *x, const double *y,
		   double mx, double my, const char *target)
{
	double r[ROUNDS];
	unsigned int i;

	for (i = 0; i < ROUNDS; i++)
		r[i] = x[i] / y[i];
	qsort(r, ROUNDS, sizeof(*r), cmp_double);
	printf("ratio %s: %.3f (of the medians; target %s)\n", what,
	       mx / my, target);
	printf("  per-round: median %.3f  min %.3f  max %.3f\n",
	       r[ROUNDS / 2], r[0], r[ROUNDS - 1]);
}

static const char *const names[B_NR] = { "device", "iommu", "raw" };

/* Medians of v (wall) or per CPU second, and the two ratios. */
static void summary(double (*v)[ROUNDS], const char *unit)
{
	double s[B_NR][ROUNDS], m[B_NR];
	unsigned int c;

	printf("-- %s\n", unit);
	memcpy(s, v, sizeof(s));
	for (c = 0; c < B_NR; c++)
		m[c] = report(names[c], s[c], ROUNDS);
	ratios("device/raw", v[B_DEV], v[B_RAW], m[B_DEV], m[B_RAW],
	       ">= 0.9");
	ratios("iommu/device", v[B_IOMMU], v[B_DEV], m[B_IOMMU], m[B_DEV],
	       ">= 0.9: translation costs <= 10%");
}

/* A warm-up round of each, then ROUNDS rounds of the three. */
static int measure(struct bench *b, double secs)
{
	double v[B_NR][ROUNDS], cpu[B_NR][ROUNDS], x;
	unsigned int round, i, c;

	b->rng_dev = b->rng_raw = 0x9e3779b97f4a7c15ULL;
	for (i = 0; i < b->qd; i++)
		post(b, i);
	for (c = 0; c < B_NR; c++)
		if (round_iops(b, c, secs / ROUNDS, &x) <= 0)
			return -EIO;
	for (round = 0; round < ROUNDS; round++) {
		for (i = 0; i < B_NR; i++) {
			c = (round + i) % B_NR;
			v[c][round] = round_iops(b, c, secs / ROUNDS,
						 &cpu[c][round]);
			if (v[c][round] <= 0)
				return -EIO;
		}
	}
	summary(v, "IOPS (wall clock)");
	summary(cpu, "completions per CPU second of this thread");
	printf("iommu: %u mappings of 4 KiB, %llu translation faults\n",
	       b->iommu.nr_maps, (unsigned long long)b->iommu.faults);
	printf("completions: device %llu, iommu %llu, raw %llu\n",
	       (unsigned long long)b->done[B_DEV],
	       (unsigned long long)b->done[B_IOMMU],
	       (unsigned long long)b->done[B_RAW]);
	return 0;
}

/* Pin to one CPU: both paths then see the same core and caches. */
static int pin_cpu(void)
{
	const char *env = getenv("BENCH_CPU");
	int cpu = env ? atoi(env) : sched_getcpu();
	cpu_set_t set;

	if (cpu < 0)
		return -1;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set)) {
		fprintf(stderr, "virtio-blk-bench: pin to CPU %d: %s\n", cpu,
			strerror(errno));
		return -1;
	}
	return cpu;
}

int main(int argc, char **argv)
{
	double secs = argc > 1 ? atof(argv[1]) : 5;
	const char *path = argc > 2 ? argv[2] : "/dev/shm/sevm-bench-blk.img";
	u64 mib = argc > 3 ? strtoull(argv[3], NULL, 0) : 256;
	static struct bench b;
	int r, cpu;

	log_init("virtio-blk-bench");
	b.qd = argc > 4 ? (unsigned int)atoi(argv[4]) : 32;
	if (secs <= 0 || !mib || !b.qd || b.qd > QMAX / 3) {
		fprintf(stderr, "usage: %s [SECONDS [IMAGE [SIZE_MIB [QD]]]] "
			"(QD 1..%d)\n", argv[0], QMAX / 3);
		return 2;
	}
	b.sectors = mib * SZ_1M / 512;
	if (make_image(path, mib * SZ_1M) || setup_device(&b, path) ||
	    setup_iommu(&b) ||
	    (b.raw_fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		fprintf(stderr, "virtio-blk-bench: set-up of %s failed\n",
			path);
		unlink(path);
		return 1;
	}
	cpu = pin_cpu();
	printf("4 KiB random reads, QD %u, %llu MiB image %s, %.1f s each "
	       "in %d rotating rounds (+1 warm-up), CPU %d\n", b.qd,
	       (unsigned long long)mib, path, secs, ROUNDS, cpu);
	r = measure(&b, secs);
	b.d.as.iommu = NULL;
	virtio_dev_free(&b.v);
	viommu_state_free(&b.iommu);
	vqd_free(&b.d);
	close(b.raw_fd);
	unlink(path);
	return r ? 1 : 0;
}
