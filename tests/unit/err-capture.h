/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * For unit tests linked with -Wl,--wrap=pr_log: error lines are counted
 * and the last one kept (err_capture), everything else is dropped, so a
 * test asserts on the one line a failure path prints.
 */
#ifndef SEVM_TESTS_ERR_CAPTURE_H
#define SEVM_TESTS_ERR_CAPTURE_H

struct err_capture {
	int err;			/* error lines so far */
	char last[512];			/* the last one */
};

extern struct err_capture err_capture;

/* Forget what was captured. */
void err_capture_reset(void);

#endif /* SEVM_TESTS_ERR_CAPTURE_H */
