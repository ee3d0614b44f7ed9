// SPDX-License-Identifier: GPL-2.0-only
/*
 * The seccomp sandbox (sandbox.h): building each role's filter from the
 * table in sandbox-lists.c, loading it on the calling thread, and the
 * SIGSYS handler that names a forbidden call before the process dies.
 */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <seccomp.h>

#include "lib/log.h"
#include "vmm/sandbox-priv.h"

#define IOCTL_TYPE_MASK		0xff00ULL
#define IOCTL_TYPE(t)		((unsigned long long)(t) << 8)

static enum seccomp_mode sandbox_mode;
static struct sandbox_ids sandbox_ids;
static int selftest_role = -1;
static char *syscall_names[SANDBOX_NR_NAMES];
static __thread int current_role = -1;

/*
 * Each role's filter, compiled to BPF on a helper thread started by
 * sandbox_init, so that the ~1 ms libseccomp spends building them is not
 * on the launch path; ready says they are there. A thread that comes
 * first builds its own (the same program, just later).
 */
enum { BPF_NONE, BPF_RUNNING, BPF_READY, BPF_FAILED };
static struct sock_fprog compiled[THREAD_ROLE_NR];
static int compile_state = BPF_NONE;
static pid_t compile_pid;		/* a forked child never waits */
static pthread_mutex_t compile_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t compile_done = PTHREAD_COND_INITIALIZER;

static const char *const role_names[THREAD_ROLE_NR] = {
	[THREAD_MAIN]	= "main",
	[THREAD_VCPU]	= "vcpu",
	[THREAD_IO]	= "io",
};

const char *sandbox_role_name(enum thread_role role)
{
	return (unsigned int)role < THREAD_ROLE_NR ? role_names[role] : "?";
}

/* Append s at *p (async-signal-safe). */
static void put(char **p, const char *end, const char *s)
{
	while (*s && *p < end)
		*(*p)++ = *s++;
}

static void put_uint(char **p, const char *end, unsigned int v)
{
	char buf[12];
	int i = sizeof(buf) - 1;

	buf[i] = '\0';
	do {
		buf[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v && i > 0);
	put(p, end, buf + i);
}

/*
 * SA_RESETHAND | SA_NODEFER: the handler runs once, SIGSYS is back to its
 * default action and not blocked, so raise() kills the process.
 */
static void sigsys_handler(int sig, siginfo_t *si, void *uc)
{
	unsigned int nr = (unsigned int)si->si_syscall;
	const char *name = nr < SANDBOX_NR_NAMES ? syscall_names[nr] : NULL;
	char line[160], *p = line;
	const char *end = line + sizeof(line) - 1;
	ssize_t n;

	put(&p, end, "sevm: seccomp: thread ");
	put(&p, end, current_role >= 0 ? role_names[current_role] : "?");
	put(&p, end, " made forbidden syscall ");
	put(&p, end, name ? name : "?");
	put(&p, end, " (");
	put_uint(&p, end, nr);
	put(&p, end, ")");
	*p++ = '\n';
	n = write(STDERR_FILENO, line, (size_t)(p - line));
	(void)n;
	raise(SIGSYS);
	_exit(EXIT_INTERNAL);		/* not reached */
}

static int add_ids_rule(scmp_filter_ctx ctx, int nr, unsigned long id)
{
	return seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 3,
				SCMP_A0(SCMP_CMP_EQ, id),
				SCMP_A1(SCMP_CMP_EQ, id),
				SCMP_A2(SCMP_CMP_EQ, id));
}

static int add_ioctl_type(scmp_filter_ctx ctx, int nr, int type)
{
	return seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 1,
				SCMP_A1(SCMP_CMP_MASKED_EQ, IOCTL_TYPE_MASK,
					IOCTL_TYPE(type)));
}

static int add_ioctl_main(scmp_filter_ctx ctx, int nr)
{
	return add_ioctl_type(ctx, nr, 0xAE) ?:
	       add_ioctl_type(ctx, nr, 'S') ?:
	       add_ioctl_type(ctx, nr, 'T');
}

/* One rule of the table into ctx; 0 or -errno (libseccomp's). */
static int add_rule(scmp_filter_ctx ctx, const struct sandbox_rule *r,
		    int nr)
{
	const struct sandbox_ids *id = &sandbox_ids;

	switch (r->kind) {
	case RULE_PLAIN:
		return seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0);
	case RULE_NOEXEC:
		return seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 1,
				SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
	case RULE_IOCTL_KVM:
		return add_ioctl_type(ctx, nr, 0xAE);
	case RULE_IOCTL_MAIN:
		return add_ioctl_main(ctx, nr);
	case RULE_SETGROUPS:
		return !id->set ? 0 : seccomp_rule_add(ctx, SCMP_ACT_ALLOW,
				nr, 1, SCMP_A0(SCMP_CMP_EQ, 0));
	case RULE_SETRESGID:
		return id->set ? add_ids_rule(ctx, nr, id->gid) : 0;
	case RULE_SETRESUID:
		return id->set ? add_ids_rule(ctx, nr, id->uid) : 0;
	case RULE_CLONE_THREAD:
		return seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 1,
				SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_THREAD,
					CLONE_THREAD));
	case RULE_PRCTL_NNP:
		return seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 1,
				SCMP_A0(SCMP_CMP_EQ, PR_SET_NO_NEW_PRIVS));
	case RULE_FSTAT_FD:
		return seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 1,
				SCMP_A3(SCMP_CMP_MASKED_EQ, AT_EMPTY_PATH,
					AT_EMPTY_PATH));
	case RULE_SOCKET_UNIX:
		return seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 1,
				SCMP_A0(SCMP_CMP_EQ, AF_UNIX));
	case RULE_CLONE3:
		return seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), nr, 0);
	}
	return -EINVAL;
}

static scmp_filter_ctx build_filter(enum thread_role role)
{
	u32 def = sandbox_mode == SECCOMP_LOG ? SCMP_ACT_LOG : SCMP_ACT_TRAP;
	scmp_filter_ctx ctx = seccomp_init(def);
	int r = ctx ? 0 : -ENOMEM;

	if (!r)
		r = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH,
				     SCMP_ACT_KILL_PROCESS);
	for (unsigned int i = 0; !r && i < sandbox_nr_rules; i++) {
		const struct sandbox_rule *rule = &sandbox_rules[i];
		int nr = seccomp_syscall_resolve_name(rule->name);

		if (!(rule->roles & (1u << role)) || nr == __NR_SCMP_ERROR)
			continue;
		r = add_rule(ctx, rule, nr);
	}
	if (r && ctx) {
		seccomp_release(ctx);
		ctx = NULL;
	}
	return ctx;
}

/* The role's program as BPF in *p (malloc'd), through a memfd. */
static int export_filter(enum thread_role role, struct sock_fprog *p)
{
	scmp_filter_ctx ctx = build_filter(role);
	int fd = memfd_create("sevm-seccomp", MFD_CLOEXEC), r;
	off_t n = -1;
	void *buf = NULL;

	r = ctx && fd >= 0 ? seccomp_export_bpf(ctx, fd) : -ENOMEM;
	if (!r)
		n = lseek(fd, 0, SEEK_END);
	if (n > 0 && n % sizeof(struct sock_filter) == 0 &&
	    n / sizeof(struct sock_filter) <= BPF_MAXINSNS)
		buf = malloc(n);
	if (!r)
		r = buf && pread(fd, buf, n, 0) == n ? 0 : -EIO;
	if (!r)
		*p = (struct sock_fprog){
			(unsigned short)(n / sizeof(struct sock_filter)), buf };
	else
		free(buf);
	if (fd >= 0)
		close(fd);
	if (ctx)
		seccomp_release(ctx);
	return r;
}

static void *compile_all(void *unused)
{
	struct sock_fprog p[THREAD_ROLE_NR];
	int i, r = 0;

	(void)unused;
	for (i = 0; !r && i < THREAD_ROLE_NR; i++)
		r = export_filter(i, &p[i]);
	pthread_mutex_lock(&compile_lock);
	if (!r)
		memcpy(compiled, p, sizeof(p));
	compile_state = r ? BPF_FAILED : BPF_READY;
	pthread_cond_broadcast(&compile_done);
	pthread_mutex_unlock(&compile_lock);
	return NULL;
}

static void compile_in_background(void)
{
	pthread_t t;

	compile_pid = getpid();
	compile_state = BPF_RUNNING;
	if (!pthread_create(&t, NULL, compile_all, NULL))
		pthread_detach(t);
	else
		compile_state = BPF_FAILED;
}

/* Waits for the helper (never in a forked child): the programs, or 0. */
static bool compiled_wait(void)
{
	int st;

	if (getpid() != compile_pid)
		return false;
	pthread_mutex_lock(&compile_lock);
	while (compile_state == BPF_RUNNING)
		pthread_cond_wait(&compile_done, &compile_lock);
	st = compile_state;
	pthread_mutex_unlock(&compile_lock);
	return st == BPF_READY;
}

int sandbox_compile_default(enum thread_role role, struct sock_filter **insns,
			    unsigned short *len)
{
	struct sock_fprog p;
	int r;

	sandbox_mode = SECCOMP_ON;
	sandbox_ids = (struct sandbox_ids){ 0 };
	r = export_filter(role, &p);
	if (!r) {
		*insns = p.filter;
		*len = p.len;
	}
	return r;
}

static bool use_prebuilt(void)
{
	return sandbox_prebuilt && sandbox_prebuilt_names &&
	       sandbox_mode == SECCOMP_ON && !sandbox_ids.set;
}

static int load_prog(const struct sock_fprog *p)
{
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, p))
		return -errno;
	return 0;
}

static int load_filter(enum thread_role role)
{
	scmp_filter_ctx ctx;
	int r;

	if (use_prebuilt()) {
		struct sock_fprog p = {
			sandbox_prebuilt[role].len,
			sandbox_prebuilt[role].insns,
		};

		return load_prog(&p);
	}
	if (compiled_wait()) {
		return load_prog(&compiled[role]);
	}
	ctx = build_filter(role);
	r = ctx ? seccomp_load(ctx) : -ENOMEM;
	if (ctx)
		seccomp_release(ctx);
	return r;
}

int sandbox_enter(enum thread_role role)
{
	int r;

	if (sandbox_mode == SECCOMP_OFF)
		return 0;
	r = load_filter(role);
	if (r) {
		pr_err("seccomp: install the %s thread's filter: %s",
		       sandbox_role_name(role), strerror(-r));
		return r;
	}
	current_role = (int)role;
	if (selftest_role == (int)role) {
		selftest_role = -1;
		syscall(SYS_personality, 0xffffffffUL);	/* forbidden */
	}
	return 0;
}

/* Names for the SIGSYS line, resolved now: the handler cannot malloc. */
static void resolve_names(void)
{
	if (use_prebuilt()) {
		memcpy(syscall_names, sandbox_prebuilt_names,
		       sizeof(syscall_names));
		return;
	}
	for (int nr = 0; nr < SANDBOX_NR_NAMES; nr++)
		if (!syscall_names[nr])
			syscall_names[nr] = seccomp_syscall_resolve_num_arch(
						SCMP_ARCH_NATIVE, nr);
}

static void read_selftest(void)
{
	const char *s = secure_getenv("SEVM_SECCOMP_SELFTEST");

	selftest_role = -1;
	for (int i = 0; s && i < THREAD_ROLE_NR; i++)
		if (!strcmp(s, role_names[i]))
			selftest_role = i;
}

int sandbox_init(enum seccomp_mode mode, const struct sandbox_ids *ids)
{
	struct sigaction sa = {
		.sa_sigaction = sigsys_handler,
		.sa_flags = SA_SIGINFO | SA_RESETHAND | SA_NODEFER,
	};

	sandbox_mode = mode;
	sandbox_ids = ids ? *ids : (struct sandbox_ids){ 0 };
	if (mode == SECCOMP_OFF) {
		thread_set_enter_hook(NULL);
		return 0;
	}
	read_selftest();
	if (mode == SECCOMP_ON) {
		resolve_names();
		sigemptyset(&sa.sa_mask);
		if (sigaction(SIGSYS, &sa, NULL)) {
			pr_err("seccomp: install the SIGSYS handler: %s",
			       strerror(errno));
			return -errno;
		}
	}
	thread_set_enter_hook(sandbox_enter);
	if (!use_prebuilt())
		compile_in_background();
	return 0;
}
