/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Allocation-failure seam for tests linked with -Wl,--wrap=realloc
 * -Wl,--wrap=malloc: after alloc_fail_after successful calls, every
 * further call fails (returns NULL) until alloc_fail_reset().
 */
#ifndef SEVM_TESTS_ALLOC_FAIL_H
#define SEVM_TESTS_ALLOC_FAIL_H

/* Fail from the (n + 1)th allocation on; n < 0 never fails. */
void alloc_fail_after(int n);
void alloc_fail_reset(void);
/* Allocations that failed since the last alloc_fail_after(). */
int alloc_failed(void);

#endif /* SEVM_TESTS_ALLOC_FAIL_H */
