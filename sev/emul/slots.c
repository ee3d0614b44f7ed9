// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest slots (ASIDs) of an emulated platform, shared by every process
 * that uses its state directory. Slot n is the file DIR/asid/<n>; a guest
 * context holds it with an open file description lock (F_OFD_SETLK,
 * F_WRLCK) for its whole life. The kernel drops the lock when the last
 * descriptor of that open file goes away, so the slot of a process that
 * dies, even by SIGKILL, is free again at once. The file holds the
 * platform epoch (LE64) of the context, so contexts that a SHUTDOWN
 * destroyed are not counted while their process has not noticed yet.
 * Callers hold the platform lock (DIR/lock) around all of this.
 */
#include <dirent.h>
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sev/emul/platform.h"

static int slot_path(char *buf, size_t len, const char *dir, u32 asid)
{
	int n = snprintf(buf, len, "%s/asid/%u", dir, asid);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

static int slot_lock(int fd)
{
	struct flock fl;

	memset(&fl, 0, sizeof(fl));
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	if (!fcntl(fd, F_OFD_SETLK, &fl))
		return 0;
	return errno == EAGAIN || errno == EACCES ? -EBUSY : -errno;
}

int emul_slot_take_at(const char *dir, u32 asid, u64 epoch, int *fd)
{
	char path[PATH_MAX];
	u64 le = htole64(epoch);
	int r, f;

	r = slot_path(path, sizeof(path), dir, asid);
	if (r)
		return r;
	f = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (f < 0)
		return -errno;
	r = slot_lock(f);
	if (!r && pwrite(f, &le, sizeof(le), 0) != (ssize_t)sizeof(le))
		r = -EIO;
	if (r) {
		close(f);
		return r;
	}
	*fd = f;
	return 0;
}

int emul_slot_take(const char *dir, u32 max, u64 epoch, u32 *asid, int *fd)
{
	u32 a;
	int r;

	for (a = 1; a <= max; a++) {
		r = emul_slot_take_at(dir, a, epoch, fd);
		if (!r) {
			*asid = a;
			return 0;
		}
		if (r != -EBUSY)
			return r;
	}
	return -ENOSPC;
}

void emul_slot_release(int fd)
{
	if (fd >= 0)
		close(fd);	/* drops the OFD lock */
}

/* 1 if a live context of this epoch holds the slot file, else 0. */
static int slot_held(int dfd, const char *name, u64 epoch)
{
	struct flock fl;
	u64 le = 0;
	int f, r = 0;

	f = openat(dfd, name, O_RDONLY | O_CLOEXEC);
	if (f < 0)
		return errno == ENOENT ? 0 : -errno;
	memset(&fl, 0, sizeof(fl));
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	if (fcntl(f, F_OFD_GETLK, &fl))
		r = -errno;
	else if (fl.l_type != F_UNLCK &&
		 pread(f, &le, sizeof(le), 0) == (ssize_t)sizeof(le))
		r = le64toh(le) == epoch;
	close(f);
	return r;
}

static bool slot_name(const char *s)
{
	if (!*s || *s == '0')
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

int emul_slot_count(const char *dir, u64 epoch, u32 *count)
{
	char path[PATH_MAX];
	struct dirent *de;
	DIR *d;
	u32 n = 0;
	int r;

	r = emul_path(path, sizeof(path), dir, "asid");
	if (r)
		return r;
	d = opendir(path);
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		if (!slot_name(de->d_name))
			continue;
		r = slot_held(dirfd(d), de->d_name, epoch);
		if (r < 0)
			break;
		n += (u32)r;
		r = 0;
	}
	closedir(d);
	if (!r)
		*count = n;
	return r;
}
