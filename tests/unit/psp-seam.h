/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The kernel seam of the PSP tests (-Wl,--wrap=open,close,ioctl): open of
 * /dev/sev and /dev/kvm returns scripted fake fds, close of a fake fd is
 * recorded, and every ioctl is recorded (its struct and the struct that
 * points to) and answered from a script, including the firmware status
 * the "kernel" writes back. Other paths and fds go to the real libc.
 */
#ifndef SEVM_TEST_PSP_SEAM_H
#define SEVM_TEST_PSP_SEAM_H

#include "sev/sev.h"

#define NO_FW		((u32)SEV_RET_NO_FW_CALL)
#define FAKE_FD_BASE	1000
#define SEV_FD		1001
#define KVM_FD		1002
#define VM_FD		1003
#define KEEP_FW		0xdeadbeefu	/* answer leaves .error alone */
#define MAX_CALLS	16

int __real_open(const char *path, int flags, ...);
int __wrap_open(const char *path, int flags, ...);
int __real_close(int fd);
int __wrap_close(int fd);
int __wrap_ioctl(int fd, unsigned long req, ...);

/* open(): an fd or -errno for /dev/sev (and "/fake/..."), /dev/kvm. */
extern int open_sev_ret, open_kvm_ret;
extern int open_calls, open_flags;
extern char open_path[64];
/* Fake fds closed, in order. */
extern int closed[MAX_CALLS], nclosed;

struct call {
	int fd;
	unsigned long req;
	unsigned long argval;
	u8 arg[64];		/* the ioctl's own struct */
	u8 data[64];		/* the struct it points to (cmd data, attr) */
};

extern struct call calls[MAX_CALLS];
extern int ncalls, nanswers;

/*
 * Script the next ioctl: ret < 0 fails with errno err; fw goes into the
 * .error of SEV_ISSUE_CMD / KVM_MEMORY_ENCRYPT_OP unless KEEP_FW; fill
 * writes results into the pointed-to struct.
 */
void answer(int ret, int err, u32 fw, void (*fill)(void *data));
/* Recorded structs of call i (asserts the ioctl number). */
struct kvm_sev_cmd call_cmd(int i);
struct sev_issue_cmd call_issue(int i);

/* Reset the seam's state. */
void seam_reset(void);
/* cmocka fixtures: seam_reset() + psp_open_kernel() into *state. */
int seam_setup(void **state);
int seam_teardown(void **state);

#endif /* SEVM_TEST_PSP_SEAM_H */
