// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of the seccomp sandbox (vmm/sandbox.c, sandbox-lists.c) and
 * thread_create() (lib/util.c). Every case runs in a forked child, since
 * a filter never comes off: what each role may and may not call, the one
 * SIGSYS line and death in "on" mode, "log" and "off" letting calls
 * through, filters on threads started by thread_create(), the --user ids
 * of glibc's setxid broadcast, and the SEVM_SECCOMP_SELFTEST hook.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "lib/util.h"
#include "vmm/sandbox.h"
#include "vmm/sandbox-priv.h"

#include <linux/filter.h>
#include <seccomp.h>

struct child {
	int status;
	char err[1024];
};

/* Run fn in a child with stderr captured; fn's return is the exit code. */
static void run_child(int (*fn)(void), struct child *c)
{
	int p[2];
	size_t n = 0;
	ssize_t r;
	pid_t pid;

	assert_int_equal(pipe(p), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(p[0]);
		dup2(p[1], STDERR_FILENO);
		_exit(fn());
	}
	close(p[1]);
	while (n < sizeof(c->err) - 1 &&
	       (r = read(p[0], c->err + n, sizeof(c->err) - 1 - n)) > 0)
		n += (size_t)r;
	c->err[n] = '\0';
	close(p[0]);
	assert_int_equal(waitpid(pid, &c->status, 0), pid);
}

static void assert_killed(const struct child *c, const char *line)
{
	assert_true(WIFSIGNALED(c->status));
	assert_int_equal(WTERMSIG(c->status), SIGSYS);
	assert_non_null(strstr(c->err, line));
}

static void assert_exit(const struct child *c, int code)
{
	assert_true(WIFEXITED(c->status));
	assert_int_equal(WEXITSTATUS(c->status), code);
}

static int enter(enum seccomp_mode mode, enum thread_role role)
{
	if (sandbox_init(mode, NULL) || sandbox_enter(role))
		return 10;
	return 0;
}

static int vcpu_personality(void)
{
	return enter(SECCOMP_ON, THREAD_VCPU) ?:
	       (syscall(SYS_personality, 0xffffffffUL), 11);
}

static void test_on_kills_with_line(void **state)
{
	struct child c;

	run_child(vcpu_personality, &c);
	assert_killed(&c, "sevm: seccomp: thread vcpu made forbidden syscall personality (135)\n");
}

/* What a vCPU thread does: write, memory, locks, pids, exit. */
static int vcpu_allowed(void)
{
	void *p;

	if (enter(SECCOMP_ON, THREAD_VCPU))
		return 10;
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED || munmap(p, 4096) || getpid() <= 0)
		return 11;
	if (write(STDERR_FILENO, "fine\n", 5) != 5)
		return 12;
	/* stdio's first use of a stream fstat()s its fd */
	if (fprintf(stdout, "x") != 1 || fflush(stdout))
		return 13;
	return 0;
}

static void test_vcpu_allowed(void **state)
{
	struct child c;

	run_child(vcpu_allowed, &c);
	assert_exit(&c, 0);
	assert_string_equal(c.err, "fine\n");
}

static int vcpu_exec_mapping(void)
{
	if (enter(SECCOMP_ON, THREAD_VCPU))
		return 10;
	mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS,
	     -1, 0);
	return 11;
}

static void test_no_exec_mappings(void **state)
{
	struct child c;

	run_child(vcpu_exec_mapping, &c);
	assert_killed(&c, "thread vcpu made forbidden syscall mmap (9)");
}

static int io_open(void)
{
	if (enter(SECCOMP_ON, THREAD_IO))
		return 10;
	open("/dev/null", O_RDONLY);
	return 11;
}

static int vcpu_ioctl_tty(void)
{
	if (enter(SECCOMP_ON, THREAD_VCPU))
		return 10;
	ioctl(STDERR_FILENO, 0x5401 /* TCGETS */, NULL);
	return 11;
}

static int vcpu_stat_path(void)
{
	struct stat st;

	if (enter(SECCOMP_ON, THREAD_VCPU))
		return 10;
	stat("/", &st);
	return 11;
}

static void test_io_and_vcpu_forbidden(void **state)
{
	struct child c;

	run_child(vcpu_stat_path, &c);
	assert_killed(&c, "thread vcpu made forbidden syscall newfstatat (262)");

	run_child(io_open, &c);
	assert_killed(&c, "thread io made forbidden syscall openat (257)");
	run_child(vcpu_ioctl_tty, &c);
	assert_killed(&c, "thread vcpu made forbidden syscall ioctl (16)");
}

static int main_open(void)
{
	int fd;

	if (enter(SECCOMP_ON, THREAD_MAIN))
		return 10;
	fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	return fd >= 0 && !close(fd) ? 0 : 11;
}

static int main_fork(void)
{
	if (enter(SECCOMP_ON, THREAD_MAIN))
		return 10;
	if (fork() == 0)
		_exit(0);
	return 11;
}

static int main_exec(void)
{
	static char name[] = "true";
	char *argv[] = { name, NULL };

	if (enter(SECCOMP_ON, THREAD_MAIN))
		return 10;
	execv("/bin/true", argv);
	return 11;
}

static void test_main_role(void **state)
{
	struct child c;

	run_child(main_open, &c);
	assert_exit(&c, 0);
	run_child(main_fork, &c);
	assert_killed(&c, "thread main made forbidden syscall clone (56)");
	run_child(main_exec, &c);
	assert_killed(&c, "thread main made forbidden syscall execve (59)");
}

static void *thread_forbidden(void *arg)
{
	syscall(SYS_personality, 0xffffffffUL);
	return arg;
}

static void *thread_fine(void *arg)
{
	return arg;
}

/* A vCPU thread started under the main filter narrows it to its own. */
static int threads_under_main(void)
{
	pthread_t t;
	void *ret = NULL;

	if (enter(SECCOMP_ON, THREAD_MAIN))
		return 10;
	if (thread_create(&t, THREAD_VCPU, thread_fine, (void *)1) ||
	    pthread_join(t, &ret) || ret != (void *)1)
		return 11;
	if (thread_create(&t, THREAD_VCPU, thread_forbidden, NULL))
		return 12;
	pthread_join(t, NULL);
	return 13;
}

static void test_thread_roles(void **state)
{
	struct child c;

	run_child(threads_under_main, &c);
	assert_killed(&c, "thread vcpu made forbidden syscall personality (135)");
}

static int log_mode(void)
{
	if (enter(SECCOMP_LOG, THREAD_VCPU))
		return 10;
	return syscall(SYS_personality, 0xffffffffUL) < 0 ? 11 : 0;
}

static int off_mode(void)
{
	int fd;

	if (enter(SECCOMP_OFF, THREAD_IO))
		return 10;
	fd = open("/dev/null", O_RDONLY);
	return fd >= 0 ? 0 : 11;
}

static void test_log_and_off_allow(void **state)
{
	struct child c;

	run_child(log_mode, &c);
	assert_exit(&c, 0);
	assert_string_equal(c.err, "");
	run_child(off_mode, &c);
	assert_exit(&c, 0);
}

static const struct sandbox_ids ids = { true, 4321, 4322 };

static int io_setxid_same(void)
{
	if (sandbox_init(SECCOMP_ON, &ids) || sandbox_enter(THREAD_IO))
		return 10;
	if (syscall(SYS_setgroups, 0, NULL) ||
	    syscall(SYS_setresgid, 4322, 4322, 4322) ||
	    syscall(SYS_setresuid, 4321, 4321, 4321))
		return 11;
	return 0;
}

static int io_setxid_other(void)
{
	if (sandbox_init(SECCOMP_ON, &ids) || sandbox_enter(THREAD_IO))
		return 10;
	syscall(SYS_setresuid, 0, 0, 0);
	return 11;
}

static int io_setxid_no_user(void)
{
	if (enter(SECCOMP_ON, THREAD_IO))
		return 10;
	syscall(SYS_setresuid, 4321, 4321, 4321);
	return 11;
}

static void test_setxid_only_to_user(void **state)
{
	struct child c;

	if (geteuid() != 0)
		skip();
	run_child(io_setxid_same, &c);
	assert_exit(&c, 0);
	run_child(io_setxid_other, &c);
	assert_killed(&c, "thread io made forbidden syscall setresuid (117)");
	run_child(io_setxid_no_user, &c);
	assert_killed(&c, "thread io made forbidden syscall setresuid (117)");
}

static int selftest_hook(void)
{
	setenv("SEVM_SECCOMP_SELFTEST", "io", 1);
	if (sandbox_init(SECCOMP_ON, NULL))
		return 10;
	if (sandbox_enter(THREAD_MAIN))	/* not the named role */
		return 11;
	sandbox_enter(THREAD_IO);
	return 12;
}

static void test_selftest_hook(void **state)
{
	struct child c;

	run_child(selftest_hook, &c);
	assert_killed(&c, "thread io made forbidden syscall personality (135)");
}

static int failing_hook(enum thread_role role)
{
	return role == THREAD_IO ? -EPERM : 0;
}

static int ran;

static void *set_ran(void *arg)
{
	ran = 1;
	return arg;
}

static void test_thread_create_hook(void **state)
{
	pthread_t t;

	thread_set_enter_hook(failing_hook);
	ran = 0;
	assert_int_equal(thread_create(&t, THREAD_IO, set_ran, NULL), -EPERM);
	assert_int_equal(ran, 0);
	assert_int_equal(thread_create(&t, THREAD_VCPU, set_ran, NULL), 0);
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_int_equal(ran, 1);
	thread_set_enter_hook(NULL);
	assert_string_equal(sandbox_role_name(THREAD_IO), "io");
	assert_string_equal(sandbox_role_name(THREAD_ROLE_NR), "?");
}

/*
 * The build-time programs (sandbox-prebuilt.c) are exactly what
 * libseccomp compiles from the lists now, and the names match: a list
 * changed without a rebuild of the tables would fail here.
 */
static void test_prebuilt_matches(void **state)
{
	struct sock_filter *f;
	unsigned short len;

	(void)state;
	assert_non_null(sandbox_prebuilt);
	for (int role = 0; role < THREAD_ROLE_NR; role++) {
		assert_int_equal(sandbox_compile_default(role, &f, &len), 0);
		assert_int_equal(len, sandbox_prebuilt[role].len);
		assert_memory_equal(f, sandbox_prebuilt[role].insns,
				    len * sizeof(*f));
		free(f);
	}
	for (int nr = 0; nr < SANDBOX_NR_NAMES; nr++) {
		char *n = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE,
							   nr);

		if (n)
			assert_string_equal(n, sandbox_prebuilt_names[nr]);
		else
			assert_null(sandbox_prebuilt_names[nr]);
		free(n);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_on_kills_with_line),
		cmocka_unit_test(test_vcpu_allowed),
		cmocka_unit_test(test_no_exec_mappings),
		cmocka_unit_test(test_io_and_vcpu_forbidden),
		cmocka_unit_test(test_main_role),
		cmocka_unit_test(test_thread_roles),
		cmocka_unit_test(test_log_and_off_allow),
		cmocka_unit_test(test_setxid_only_to_user),
		cmocka_unit_test(test_selftest_hook),
		cmocka_unit_test(test_thread_create_hook),
		cmocka_unit_test(test_prebuilt_matches),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
