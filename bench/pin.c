// SPDX-License-Identifier: GPL-2.0-only
/*
 * pin: the bare cost of pinning guest RAM, for bench/launch to compare
 * against sevm's SEV launch. Exactly what sevm does for SEV, nothing else:
 * a memfd of SIZE bytes, one shared mapping, mlock2(MLOCK_ONFAULT) and a
 * pre-fault with MADV_POPULATE_WRITE split over THREADS threads.
 *
 *   pin SIZE_MIB [THREADS]
 *
 * Prints "done-monotonic-ns=N" on stderr when the memory is pinned, so the
 * time to tear it down at exit is not counted (sevm's "measurement ready"
 * does not include it either).
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

struct job {
	char *start;
	size_t len;
};

static void *populate(void *arg)
{
	struct job *j = arg;

	if (madvise(j->start, j->len, MADV_POPULATE_WRITE))
		for (size_t off = 0; off < j->len; off += 4096)
			j->start[off] = 0;
	return NULL;
}

int main(int argc, char **argv)
{
	size_t size = (size_t)atol(argc > 1 ? argv[1] : "256") << 20;
	int n = argc > 2 ? atoi(argv[2]) : 2;
	pthread_t th[16];
	struct job jobs[16];
	struct timespec ts;
	size_t chunk;
	char *ram;
	int fd;

	if (n < 1 || n > 16)
		return 2;
	fd = memfd_create("pin", MFD_CLOEXEC);
	if (fd < 0 || ftruncate(fd, (off_t)size))
		return 1;
	ram = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (ram == MAP_FAILED || mlock2(ram, size, MLOCK_ONFAULT))
		return 1;
	chunk = (size / (size_t)n) & ~(size_t)4095;
	for (int i = 0; i < n; i++) {
		jobs[i].start = ram + (size_t)i * chunk;
		jobs[i].len = i == n - 1 ? size - (size_t)i * chunk : chunk;
		pthread_create(&th[i], NULL, populate, &jobs[i]);
	}
	for (int i = 0; i < n; i++)
		pthread_join(th[i], NULL);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	fprintf(stderr, "done-monotonic-ns=%lld\n",
		(long long)ts.tv_sec * 1000000000LL + ts.tv_nsec);
	return 0;
}
