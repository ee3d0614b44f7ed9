/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The VM process locked down (README, "For operators: what the sandbox
 * allows"), in the order main() calls it:
 *
 *   jail_early     first thing: not dumpable (no core dump, no ptrace by
 *                  the same user), OpenSSL's secure heap (private keys on
 *                  mlocked MADV_DONTDUMP pages)
 *   jail_setup     after the configuration: --user resolved, --chroot
 *                  checked, --pidfile written and locked, the seccomp
 *                  mode set (threads created from now on get filters)
 *   jail_lockdown  every device and file open, before the first vCPU:
 *                  chroot, drop to --user (verified), the main thread's
 *                  seccomp filter
 *   jail_exit      the pidfile removed
 *
 * Each returns 0 or -errno with one error line printed: -EINVAL for bad
 * options (exit 2), -EBUSY for a pidfile naming a live process, other
 * -errno for the host (exit 3).
 */
#ifndef SEVM_JAIL_H
#define SEVM_JAIL_H

#include <sys/types.h>

#include "vmm/config.h"

void jail_early(void);
int jail_setup(const struct vm_config *cfg) __must_check;
int jail_lockdown(const struct vm_config *cfg) __must_check;
void jail_exit(void);

/* "1000", "1000:1000" or a user name (passwd). -EINVAL, line printed. */
int jail_parse_user(const char *s, uid_t *uid, gid_t *gid) __must_check;
/* A group name or number, for --qmp-group. -EINVAL, line printed. */
int jail_parse_group(const char *s, gid_t *gid) __must_check;
/*
 * --pidfile: create or take over path (a regular file of ours with one
 * link, not a symlink), lock it, write our pid; mode 0644. -EBUSY if it
 * is locked or names a live process. jail_pidfile_remove() unlinks it if
 * it is still ours (through the directory opened here, so also after a
 * chroot) and closes it.
 */
int jail_pidfile_create(const char *path) __must_check;
void jail_pidfile_remove(void);
/* --chroot DIR: a real directory, not a symlink. */
int jail_check_chroot(const char *dir) __must_check;

#endif /* SEVM_JAIL_H */
