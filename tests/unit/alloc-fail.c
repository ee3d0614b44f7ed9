// SPDX-License-Identifier: GPL-2.0-only
/* The allocation-failure seam of alloc-fail.h (test double). */
#include <stddef.h>

#include "tests/unit/alloc-fail.h"

void *__real_realloc(void *p, size_t n);
void *__real_malloc(size_t n);
void *__wrap_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n);

static int budget = -1, failed;

void alloc_fail_after(int n)
{
	budget = n;
	failed = 0;
}

void alloc_fail_reset(void)
{
	budget = -1;
}

int alloc_failed(void)
{
	return failed;
}

static int take(void)
{
	if (budget < 0)
		return 1;
	if (budget == 0) {
		failed++;
		return 0;
	}
	budget--;
	return 1;
}

void *__wrap_realloc(void *p, size_t n)
{
	return take() ? __real_realloc(p, n) : NULL;
}

void *__wrap_malloc(size_t n)
{
	return take() ? __real_malloc(n) : NULL;
}
