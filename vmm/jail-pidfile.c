// SPDX-License-Identifier: GPL-2.0-only
/*
 * --pidfile (jail.h). The file is opened without following a symlink,
 * through its directory (kept open, so that removal at exit works after a
 * chroot), and locked for as long as sevm runs: a second sevm with the
 * same pidfile finds it locked. A pid in it that is still alive is
 * refused too; a stale one is overwritten.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/log.h"
#include "vmm/jail.h"

#define PIDFILE_MODE	0644

static struct {
	int dirfd, fd;
	char name[NAME_MAX + 1];
} pf = { -1, -1, "" };

static void close_fds(void)
{
	if (pf.fd >= 0)
		close(pf.fd);
	if (pf.dirfd >= 0)
		close(pf.dirfd);
	pf.fd = pf.dirfd = -1;
}

static int open_dir(const char *path)
{
	char buf[PATH_MAX], *dir, *base;

	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
		return -ENAMETOOLONG;
	base = basename(buf);
	if (!*base || !strcmp(base, "/") || strlen(base) > NAME_MAX)
		return -EINVAL;
	snprintf(pf.name, sizeof(pf.name), "%s", base);
	snprintf(buf, sizeof(buf), "%s", path);
	dir = dirname(buf);
	pf.dirfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	return pf.dirfd < 0 ? -errno : 0;
}

/* The pid written in the file, or 0 if it holds none. */
static pid_t read_pid(int fd)
{
	char buf[32];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
	long pid;

	if (n <= 0)
		return 0;
	buf[n] = '\0';
	pid = strtol(buf, NULL, 10);
	return pid > 0 && pid < INT32_MAX ? (pid_t)pid : 0;
}

/* A regular file of ours with one link; free or stale. */
static int take_over(const char *path, int fd, bool created)
{
	struct stat st;
	pid_t pid;

	if (fstat(fd, &st))
		return -errno;
	if (!S_ISREG(st.st_mode) || st.st_nlink != 1 ||
	    st.st_uid != geteuid()) {
		pr_err("--pidfile %s: not a regular file of ours with one link; refusing to overwrite it",
		       path);
		return -EINVAL;
	}
	pid = read_pid(fd);
	if (flock(fd, LOCK_EX | LOCK_NB) ||
	    (pid && pid != getpid() && (!kill(pid, 0) || errno == EPERM))) {
		pr_err("--pidfile %s: process %d is running (remove the file if it is not a sevm of yours)",
		       path, (int)pid);
		return -EBUSY;
	}
	if (created && fchmod(fd, PIDFILE_MODE))
		return -errno;
	return 0;
}

static int write_pid(int fd)
{
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "%d\n", (int)getpid());

	if (ftruncate(fd, 0) || pwrite(fd, buf, (size_t)n, 0) != n)
		return -errno;
	return 0;
}

int jail_pidfile_create(const char *path)
{
	bool created = false;
	int r;

	r = open_dir(path);
	if (!r) {
		pf.fd = openat(pf.dirfd, pf.name, O_RDWR | O_NOFOLLOW |
			       O_CLOEXEC | O_NONBLOCK);
		if (pf.fd < 0 && errno == ENOENT) {
			pf.fd = openat(pf.dirfd, pf.name, O_RDWR | O_CREAT |
				       O_EXCL | O_NOFOLLOW | O_CLOEXEC,
				       PIDFILE_MODE);
			created = pf.fd >= 0;
		}
		r = pf.fd < 0 ? -errno : take_over(path, pf.fd, created);
	}
	if (!r)
		r = write_pid(pf.fd);
	if (r == -ELOOP)
		pr_err("--pidfile %s: is a symbolic link; refusing to follow it",
		       path);
	else if (r && r != -EBUSY && r != -EINVAL)
		pr_err("--pidfile %s: %s", path, strerror(-r));
	if (r) {
		if (created)
			unlinkat(pf.dirfd, pf.name, 0);
		close_fds();
	}
	return r == -ELOOP ? -EINVAL : r;
}

/* Best effort: after --user the directory may not let us. */
void jail_pidfile_remove(void)
{
	struct stat a, b;

	if (pf.fd < 0)
		return;
	if (!fstat(pf.fd, &a) &&
	    !fstatat(pf.dirfd, pf.name, &b, AT_SYMLINK_NOFOLLOW) &&
	    a.st_dev == b.st_dev && a.st_ino == b.st_ino &&
	    unlinkat(pf.dirfd, pf.name, 0))
		pr_debug("--pidfile %s: not removed: %s", pf.name,
			 strerror(errno));
	close_fds();
}
