// SPDX-License-Identifier: GPL-2.0-only
/*
 * The allow-lists of the seccomp sandbox, one table for all roles. They
 * were collected with `strace -ff` over the VM, virtio, QMP and SEV
 * integration tests (seccomp off), per thread, plus glibc's own calls on
 * paths those runs did not take (thread exit, malloc arenas, raise()).
 * A vCPU thread inherits the main filter, so every vCPU entry is also a
 * main entry. A code path that needs a new call: run with --seccomp log,
 * read the kernel's audit lines, add the name here.
 */
#include "vmm/sandbox-priv.h"

#define M	(1u << THREAD_MAIN)
#define V	(1u << THREAD_VCPU)
#define I	(1u << THREAD_IO)
#define ALL	(M | V | I)

const struct sandbox_rule sandbox_rules[] = {
	/* every thread: memory, signals, locks, time, exit, logging */
	{ "read", ALL, RULE_PLAIN },
	{ "write", ALL, RULE_PLAIN },
	{ "readv", ALL, RULE_PLAIN },
	{ "writev", ALL, RULE_PLAIN },
	{ "futex", ALL, RULE_PLAIN },
	{ "mmap", ALL, RULE_NOEXEC },
	{ "mprotect", ALL, RULE_NOEXEC },
	{ "munmap", ALL, RULE_PLAIN },
	{ "mremap", ALL, RULE_PLAIN },
	{ "madvise", ALL, RULE_PLAIN },
	{ "brk", ALL, RULE_PLAIN },
	{ "rt_sigprocmask", ALL, RULE_PLAIN },
	{ "rt_sigreturn", ALL, RULE_PLAIN },
	{ "rt_sigtimedwait", M | V, RULE_PLAIN },
	{ "restart_syscall", ALL, RULE_PLAIN },
	{ "getpid", ALL, RULE_PLAIN },
	{ "gettid", ALL, RULE_PLAIN },
	{ "tgkill", ALL, RULE_PLAIN },
	{ "clock_gettime", ALL, RULE_PLAIN },
	{ "clock_nanosleep", ALL, RULE_PLAIN },
	{ "nanosleep", ALL, RULE_PLAIN },
	{ "sched_yield", ALL, RULE_PLAIN },
	{ "getrandom", ALL, RULE_PLAIN },
	{ "rseq", ALL, RULE_PLAIN },
	{ "set_robust_list", ALL, RULE_PLAIN },
	{ "exit", ALL, RULE_PLAIN },
	{ "exit_group", ALL, RULE_PLAIN },
	/* fstat of an open fd: glibc's stdio does it on a stream's first use */
	{ "fstat", V | I, RULE_PLAIN },
	{ "newfstatat", V | I, RULE_FSTAT_FD },
	/* KVM on vCPU and device threads (KVM_RUN, KVM_IRQ_LINE, ...) */
	{ "ioctl", V | I, RULE_IOCTL_KVM },
	/* device I/O: disk images, the serial file, eventfds */
	{ "pread64", ALL, RULE_PLAIN },
	{ "pwrite64", ALL, RULE_PLAIN },
	{ "preadv", ALL, RULE_PLAIN },
	{ "pwritev", ALL, RULE_PLAIN },
	{ "preadv2", ALL, RULE_PLAIN },
	{ "pwritev2", ALL, RULE_PLAIN },
	{ "fsync", ALL, RULE_PLAIN },
	{ "fdatasync", ALL, RULE_PLAIN },
	{ "fallocate", M | I, RULE_PLAIN },
	{ "epoll_wait", M | I, RULE_PLAIN },
	{ "epoll_pwait", M | I, RULE_PLAIN },
	{ "poll", M | I, RULE_PLAIN },
	{ "ppoll", M | I, RULE_PLAIN },
	/* virtio-iommu: a mapping change orders against readers (all roles) */
	{ "membarrier", ALL, RULE_PLAIN },
	/* vsock on the I/O thread: host sockets (AF_UNIX only), their watches */
	{ "socket", I, RULE_SOCKET_UNIX },
	{ "connect", I, RULE_PLAIN },
	{ "accept4", I, RULE_PLAIN },
	{ "sendto", I, RULE_PLAIN },
	{ "recvfrom", I, RULE_PLAIN },
	{ "shutdown", I, RULE_PLAIN },
	{ "close", I, RULE_PLAIN },
	{ "fcntl", I, RULE_PLAIN },
	{ "epoll_ctl", I, RULE_PLAIN },
	{ "newfstatat", I, RULE_PLAIN },	/* lstat of PATH_<port> */
	/* glibc's setxid broadcast when the main thread drops to --user */
	{ "setgroups", I, RULE_SETGROUPS },
	{ "setresgid", I, RULE_SETRESGID },
	{ "setresuid", I, RULE_SETRESUID },
	/* main: KVM, the PSP (/dev/sev 'S'), the terminal ('T') */
	{ "ioctl", M, RULE_IOCTL_MAIN },
	/* main: the event loop and QMP clients */
	{ "epoll_ctl", M, RULE_PLAIN },
	{ "eventfd2", M, RULE_PLAIN },
	{ "timerfd_create", M, RULE_PLAIN },
	{ "timerfd_settime", M, RULE_PLAIN },
	{ "timerfd_gettime", M, RULE_PLAIN },
	{ "accept4", M, RULE_PLAIN },
	{ "sendto", M, RULE_PLAIN },
	{ "sendmsg", M, RULE_PLAIN },
	{ "recvfrom", M, RULE_PLAIN },
	{ "recvmsg", M, RULE_PLAIN },
	{ "setsockopt", M, RULE_PLAIN },
	{ "getsockopt", M, RULE_PLAIN },
	{ "shutdown", M, RULE_PLAIN },
	{ "close", M, RULE_PLAIN },
	{ "fcntl", M, RULE_PLAIN },
	/* main: files the launch writes (report, emulated PSP state) */
	{ "openat", M, RULE_PLAIN },
	{ "newfstatat", M, RULE_PLAIN },
	{ "fstat", M, RULE_PLAIN },
	{ "statx", M, RULE_PLAIN },
	{ "lseek", M, RULE_PLAIN },
	{ "getdents64", M, RULE_PLAIN },
	{ "readlink", M, RULE_PLAIN },
	{ "readlinkat", M, RULE_PLAIN },
	{ "flock", M, RULE_PLAIN },
	{ "ftruncate", M, RULE_PLAIN },
	{ "fchmod", M, RULE_PLAIN },
	{ "rename", M, RULE_PLAIN },
	{ "renameat", M, RULE_PLAIN },
	{ "renameat2", M, RULE_PLAIN },
	{ "unlink", M, RULE_PLAIN },
	{ "unlinkat", M, RULE_PLAIN },
	{ "mkdir", M, RULE_PLAIN },
	{ "mkdirat", M, RULE_PLAIN },
	{ "umask", M, RULE_PLAIN },
	/* main: vCPU threads (started by `cont`), guest RAM, signals */
	{ "clone", M, RULE_CLONE_THREAD },
	{ "clone3", M, RULE_CLONE3 },
	/* main: a new vCPU thread narrows the inherited filter to its own */
	{ "prctl", M, RULE_PRCTL_NNP },
	{ "seccomp", M, RULE_PLAIN },
	{ "mlock", M, RULE_PLAIN },
	{ "mlock2", M, RULE_PLAIN },
	{ "munlock", M, RULE_PLAIN },
	{ "rt_sigaction", M, RULE_PLAIN },
	{ "sigaltstack", M, RULE_PLAIN },
	{ "getuid", M, RULE_PLAIN },
	{ "geteuid", M, RULE_PLAIN },
	{ "getgid", M, RULE_PLAIN },
	{ "getegid", M, RULE_PLAIN },
	{ "capget", M, RULE_PLAIN },
	{ "prlimit64", M, RULE_PLAIN },
	{ "sched_getaffinity", M, RULE_PLAIN },
};

const unsigned int sandbox_nr_rules = sizeof(sandbox_rules) /
				      sizeof(sandbox_rules[0]);
