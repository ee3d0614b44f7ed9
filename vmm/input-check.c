// SPDX-License-Identifier: GPL-2.0-only
/* Input files checked before they are read (input-check.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/log.h"
#include "vmm/boot.h"
#include "vmm/input-check.h"

static const char *file_kind(mode_t m)
{
	if (S_ISFIFO(m))
		return "a FIFO";
	if (S_ISCHR(m))
		return "a character device";
	if (S_ISBLK(m))
		return "a block device";
	if (S_ISSOCK(m))
		return "a socket";
	if (S_ISDIR(m))
		return "a directory";
	return "not a regular file";
}

static unsigned long long mib_up(u64 n)
{
	return (unsigned long long)((n + SZ_1M - 1) >> 20);
}

static int check_stat(const char *what, const char *path,
		      const struct stat *st, u64 limit, bool blockdev_ok)
{
	if (!S_ISREG(st->st_mode) && !(blockdev_ok && S_ISBLK(st->st_mode))) {
		pr_err("%s %s: is %s; expected a regular file", what, path,
		       file_kind(st->st_mode));
		return -EINVAL;
	}
	if (limit && S_ISREG(st->st_mode) && (u64)st->st_size > limit) {
		pr_err("%s %s: %llu MiB does not fit (limit %llu MiB); nothing was read",
		       what, path, mib_up((u64)st->st_size), mib_up(limit));
		return -EFBIG;
	}
	return 0;
}

int input_check_file(const char *what, const char *path, u64 limit,
		     bool blockdev_ok)
{
	struct stat st;
	int fd, r;

	if (!path)
		return 0;
	/* O_NONBLOCK: a FIFO nobody writes to must not hang open(). */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		r = -errno;
		pr_err("%s %s: %s", what, path, strerror(-r));
		return r;
	}
	r = fstat(fd, &st) ? -errno : 0;
	if (r)
		pr_err("%s %s: %s", what, path, strerror(-r));
	else
		r = check_stat(what, path, &st, limit, blockdev_ok);
	close(fd);
	return r;
}

int input_check_files(const struct vm_config *cfg)
{
	u64 ram = cfg->mem_size;
	int r;

	r = cfg->firmware_embedded ? 0 :	/* in the binary: no file */
	    input_check_file("--firmware", cfg->firmware, BOOT_FIRMWARE_MAX,
			     false);
	if (!r)
		r = input_check_file("--kernel", cfg->kernel,
				     MIN(ram, BOOT_KERNEL_MAX), false);
	if (!r)
		r = input_check_file("--initrd", cfg->initrd,
				     MIN(ram, BOOT_INITRD_MAX), false);
	for (unsigned int i = 0; !r && i < cfg->nr_devices; i++)
		if (cfg->devices[i].file)
			r = input_check_file("--device file=",
					     cfg->devices[i].file, 0, true);
	return r;
}
