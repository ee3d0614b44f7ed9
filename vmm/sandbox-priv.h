/* SPDX-License-Identifier: GPL-2.0-only */
/* Private to vmm/sandbox*.c: the allow-list table (sandbox-lists.c). */
#ifndef SEVM_SANDBOX_PRIV_H
#define SEVM_SANDBOX_PRIV_H

#include "vmm/sandbox.h"

enum sandbox_rule_kind {
	RULE_PLAIN,		/* any arguments */
	RULE_NOEXEC,		/* mmap/mprotect without PROT_EXEC */
	RULE_IOCTL_KVM,		/* ioctl type 0xAE (KVM) */
	RULE_IOCTL_MAIN,	/* ioctl type 0xAE, 'S' (SEV) or 'T' (tty) */
	RULE_SETGROUPS,		/* setgroups(0, ...), with --user only */
	RULE_SETRESGID,		/* setresgid(gid, gid, gid), --user */
	RULE_SETRESUID,		/* setresuid(uid, uid, uid), --user */
	RULE_CLONE_THREAD,	/* clone with CLONE_THREAD: threads only */
	RULE_CLONE3,		/* ENOSYS: glibc falls back to clone */
	RULE_PRCTL_NNP,		/* prctl(PR_SET_NO_NEW_PRIVS) only */
	RULE_FSTAT_FD,		/* newfstatat(fd, "", AT_EMPTY_PATH) */
	RULE_SOCKET_UNIX,	/* socket(AF_UNIX, ...) only */
};

struct sandbox_rule {
	const char *name;	/* system call, as libseccomp names it */
	unsigned int roles;	/* 1 << enum thread_role */
	enum sandbox_rule_kind kind;
};

extern const struct sandbox_rule sandbox_rules[];
extern const unsigned int sandbox_nr_rules;

/*
 * The default filters (--seccomp on, no --user), compiled at build time
 * by vmm/sandbox-gen.c into $(O)/vmm/sandbox-prebuilt.c, so a launch
 * loads them without running libseccomp's compiler (about 1 ms). Weak:
 * programs linked without them (unit tests) compile at run time.
 * test_sandbox checks that they equal what libseccomp compiles now.
 */
struct sock_filter;
struct sandbox_prebuilt {
	struct sock_filter *insns;	/* not const: struct sock_fprog */
	unsigned short len;
};

#define SANDBOX_NR_NAMES	512	/* x86-64 numbers are below this */
extern const struct sandbox_prebuilt sandbox_prebuilt[THREAD_ROLE_NR]
	__attribute__((weak));
extern const char *const sandbox_prebuilt_names[SANDBOX_NR_NAMES]
	__attribute__((weak));

/* What --seccomp on without --user loads for role, compiled now. */
int sandbox_compile_default(enum thread_role role, struct sock_filter **insns,
			    unsigned short *len);

#endif /* SEVM_SANDBOX_PRIV_H */
