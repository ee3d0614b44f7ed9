// SPDX-License-Identifier: GPL-2.0-only
/* The QMP listening socket (qmp-socket.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "vmm/qmp-socket.h"

#define QMP_SOCKET_MODE		0600
#define QMP_SOCKET_GROUP_MODE	0660

static gid_t socket_gid = (gid_t)-1;

/* The directory of the socket, kept open for removal after a chroot. */
static struct {
	int dirfd;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	const char *name;
} made = { -1, "", NULL };

void qmp_socket_set_group(gid_t gid)
{
	socket_gid = gid;
}

/* An existing path: remove a dead socket, refuse anything else. */
static int clear_stale(const char *path, const struct sockaddr_un *sa)
{
	struct stat st;
	int fd, r;

	if (lstat(path, &st))
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISSOCK(st.st_mode))
		return -EEXIST;		/* never delete a non-socket */
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	r = connect(fd, (const struct sockaddr *)sa, sizeof(*sa)) ? -errno : 0;
	close(fd);
	/* Accepted, or a full backlog (EAGAIN): someone listens. */
	if (!r || r == -EAGAIN || r == -EINPROGRESS)
		return -EADDRINUSE;
	if (r != -ECONNREFUSED)
		return r;
	return unlink(path) && errno != ENOENT ? -errno : 0;
}

/* 0600 from the start (umask), then the group and 0660 if asked. */
static int bind_private(int fd, const char *path,
			const struct sockaddr_un *sa)
{
	mode_t old = umask(0777 & ~QMP_SOCKET_MODE);
	int r = bind(fd, (const struct sockaddr *)sa, sizeof(*sa)) ? -errno : 0;

	umask(old);
	if (r || socket_gid == (gid_t)-1)
		return r;
	if (lchown(path, (uid_t)-1, socket_gid) ||
	    fchmodat(AT_FDCWD, path, QMP_SOCKET_GROUP_MODE,
		     AT_SYMLINK_NOFOLLOW))
		r = -errno;
	if (r)
		unlink(path);
	return r;
}

static void remember(const char *path)
{
	char dir[sizeof(made.path)], *slash;

	if (made.dirfd >= 0)
		close(made.dirfd);
	snprintf(made.path, sizeof(made.path), "%s", path);
	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	made.name = strrchr(made.path, '/') ? strrchr(made.path, '/') + 1 :
		    made.path;
	if (slash)
		*(slash == dir ? slash + 1 : slash) = '\0';
	made.dirfd = open(slash ? dir : ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
}

void qmp_socket_unlink(const char *path)
{
	struct stat st;

	if (made.dirfd < 0 || strcmp(path, made.path)) {
		unlink(path);
		return;
	}
	if (!fstatat(made.dirfd, made.name, &st, AT_SYMLINK_NOFOLLOW) &&
	    S_ISSOCK(st.st_mode))
		unlinkat(made.dirfd, made.name, 0);
	close(made.dirfd);
	made.dirfd = -1;
}

int qmp_socket_listen(const char *path, int backlog)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd, r;

	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	strcpy(sa.sun_path, path);
	r = clear_stale(path, &sa);
	if (r)
		return r;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	r = bind_private(fd, path, &sa);
	if (!r && listen(fd, backlog)) {
		r = -errno;
		unlink(path);
	}
	if (r) {
		close(fd);
		return r;
	}
	remember(path);
	return fd;
}
