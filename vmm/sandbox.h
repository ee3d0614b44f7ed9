/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The seccomp sandbox (libseccomp): one allow-list per thread role
 * (lib/util.h, enum thread_role).
 *
 *   main   the main loop: QMP, signals, the SEV launch commands, files
 *          the launch writes (report, emulated PSP state), thread start
 *   vcpu   KVM_RUN and the device exits handled on the vCPU thread
 *   io     the virtio I/O thread and the console input thread
 *
 * sandbox_init() sets the mode and makes thread_create() install the
 * role's filter on each new thread before it runs its loop (and before
 * thread_create() returns). The main thread calls sandbox_enter(THREAD_MAIN)
 * once every file and device is open, before the first vCPU starts; vCPU
 * threads start after that, inherit the main filter and narrow it to their
 * own list (filters only ever tighten). The main list therefore holds the
 * vCPU list.
 *
 *   on    a forbidden system call traps (SIGSYS): the thread writes one
 *         line, "sevm: seccomp: thread ROLE made forbidden syscall NAME
 *         (NR)", and the process dies by SIGSYS (exit status 159 in a
 *         shell; no core: the process is not dumpable).
 *   log   forbidden calls are allowed and the kernel logs them (audit,
 *         "type=SECCOMP"): to find what a new code path needs.
 *   off   no filter.
 *
 * Test hook: with SEVM_SECCOMP_SELFTEST=ROLE in the environment, the
 * first thread of that role makes a forbidden call (personality(2) query)
 * right after its filter is in place.
 */
#ifndef SEVM_SANDBOX_H
#define SEVM_SANDBOX_H

#include <errno.h>
#include <sys/types.h>

#include "lib/util.h"
#include "vmm/config.h"

/* The user the process drops to (--user), for the io threads' filter:
 * they must follow the main thread's setresuid() (glibc's setxid
 * broadcast) with exactly these ids and no others. */
struct sandbox_ids {
	bool set;
	uid_t uid;
	gid_t gid;
};

#ifdef CONFIG_SECCOMP
/* The mode; before any thread_create(). 0 or -errno (line printed). */
int sandbox_init(enum seccomp_mode mode, const struct sandbox_ids *ids);
/* Install role's filter on the calling thread (no-op when off). */
int sandbox_enter(enum thread_role role);
/* "main", "vcpu", "io". */
const char *sandbox_role_name(enum thread_role role);
#else
static inline int sandbox_init(enum seccomp_mode mode,
			       const struct sandbox_ids *ids)
{
	return mode == SECCOMP_OFF ? 0 : -ENOSYS;
}

static inline int sandbox_enter(enum thread_role role)
{
	return 0;
}
#endif

#endif /* SEVM_SANDBOX_H */
