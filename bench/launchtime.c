// SPDX-License-Identifier: GPL-2.0-only
/*
 * launchtime: run a command once and report, in microseconds,
 *   exec_to_exit   from just before posix_spawn to the child's exit;
 *   exec_to_mark   from just before posix_spawn to the guest's first
 *                  port-0x80 write, when the child is sevm --boot-trace
 *                  (it prints "boot-trace: start-monotonic-ns=N" and the
 *                  first mark's microseconds since that start);
 *   exec_to_done   to the "done-monotonic-ns=N" line a child prints
 *                  (bench/pin);
 *   spawn_ns       the CLOCK_MONOTONIC of the spawn, for computing other
 *                  intervals from a child's report (SEV launch report).
 * Output: one JSON object per run on stdout. Used by bench/launch.
 */
#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static long long mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Parse the child's stderr: sevm's boot trace (start time and first
 * mark) or a "done-monotonic-ns=" line. */
static long long first_mark_ns(FILE *err, long long *done, long long *main_ns)
{
	char line[512];
	long long start = -1, us, delta;
	unsigned int code;

	while (fgets(line, sizeof(line), err)) {
		char *p = strstr(line, "start-monotonic-ns=");

		if (p) {
			start = atoll(p + strlen("start-monotonic-ns="));
			*main_ns = start;
			continue;
		}
		p = strstr(line, "done-monotonic-ns=");
		if (p)
			*done = atoll(p + strlen("done-monotonic-ns="));
		/* timeline rows: "   1926 us    +1926 us  0x01  reset vector" */
		if (start >= 0 && sscanf(line, " %lld us %lld us 0x%x", &us,
					 &delta, &code) == 3)
			return start + us * 1000;
	}
	return -1;
}

int main(int argc, char **argv)
{
	posix_spawn_file_actions_t fa;
	long long t0, t1, mark, done = -1, main_ns = -1;
	int pipefd[2], status;
	pid_t pid;
	FILE *err;

	if (argc < 2) {
		fprintf(stderr, "usage: launchtime COMMAND [ARGS...]\n");
		return 2;
	}
	if (pipe(pipefd))
		return 1;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], 2);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", 1, 0);
	t0 = mono_ns();
	if (posix_spawn(&pid, argv[1], &fa, NULL, argv + 1, environ)) {
		perror("launchtime: posix_spawn");
		return 1;
	}
	close(pipefd[1]);
	err = fdopen(pipefd[0], "r");
	mark = first_mark_ns(err, &done, &main_ns);
	while (fgetc(err) != EOF)
		;
	waitpid(pid, &status, 0);
	t1 = mono_ns();
	printf("{\"exec_to_exit_us\": %.1f, \"exec_to_mark_us\": %.1f, "
	       "\"exec_to_done_us\": %.1f, \"exec_to_main_us\": %.1f, "
	       "\"spawn_ns\": %lld, \"status\": %d}\n", (t1 - t0) / 1e3,
	       mark < 0 ? -1.0 : (mark - t0) / 1e3,
	       done < 0 ? -1.0 : (done - t0) / 1e3,
	       main_ns < 0 ? -1.0 : (main_ns - t0) / 1e3, t0,
	       WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	return 0;
}
