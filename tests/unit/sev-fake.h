/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A fake PSP backend for the thin-layer tests: a psp_ops table that
 * records what it was given and answers as scripted.
 */
#ifndef SEVM_TEST_SEV_FAKE_H
#define SEVM_TEST_SEV_FAKE_H

#include "sev/sev.h"

#define NO_FW	((u32)SEV_RET_NO_FW_CALL)

struct fake {
	int calls;
	u32 cmd;			/* platform cmd or KVM_SEV_* id */
	int vm_fd;
	bool es;
	void *data;
	u8 seen[64];			/* *data as the backend got it */
	size_t copy_len;		/* bytes of *data to record */
	int r;				/* scripted answer */
	u32 fw;
	bool leave_fw;			/* do not touch *fw_err */
	void (*answer)(void *data);	/* writes results back into *data */
	void *addr;
	u64 size;
	bool reg;
	int released, closed;
};

extern struct fake fake;
extern struct psp fake_psp;		/* every operation */
extern struct psp empty_psp;		/* no operation at all */

/* cmocka setup: reset the fake. */
int fake_setup(void **state);

#endif /* SEVM_TEST_SEV_FAKE_H */
