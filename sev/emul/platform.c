// SPDX-License-Identifier: GPL-2.0-only
/*
 * The emulated platform's state directory: creation (sevm psp init),
 * opening, and the cross-process lock. Every firmware command runs with
 * DIR/lock flock()ed and re-reads DIR/platform.json first, so any number
 * of processes can share one platform.
 */
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sev/crypto.h"
#include "sev/emul/platform.h"
#include "lib/log.h"

#ifdef CONFIG_PSP_EMULATED_MAX_GUESTS
#define DEFAULT_MAX_GUESTS	CONFIG_PSP_EMULATED_MAX_GUESTS
#else
#define DEFAULT_MAX_GUESTS	EMUL_DEFAULT_MAX_GUESTS
#endif

static void not_initialised(const char *dir)
{
	pr_err("emulated PSP %s not initialised: run sevm psp init --psp emulated:%s",
	       dir, dir);
}

/* A name the emulated PSP writes: platform.json, lock, asid, NAME.key,
 * NAME.cert (NAME in a-z). */
static bool own_name(const char *name)
{
	size_t n = strspn(name, "abcdefghijklmnopqrstuvwxyz");

	if (!strcmp(name, "platform.json") || !strcmp(name, "lock") ||
	    !strcmp(name, "asid"))
		return true;
	return n && (!strcmp(name + n, ".key") || !strcmp(name + n, ".cert"));
}

/* Every entry: one of ours by name, owned by us, not a symlink. */
static int check_entries(const char *path)
{
	struct dirent *de;
	struct stat st;
	int r = 0;
	DIR *d = opendir(path);

	if (!d)
		return -errno;
	while (!r && (de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW))
			r = -errno;
		else if (!own_name(de->d_name) || S_ISLNK(st.st_mode) ||
			 st.st_uid != geteuid())
			r = -EEXIST;
		if (r == -EEXIST)
			pr_err("emulated PSP %s: holds %s, which sevm psp init did not make (or not as this user); use an empty directory",
			       path, de->d_name);
	}
	closedir(d);
	return r;
}

/*
 * mkdir mode 0700. An existing directory is used only if it is a real
 * directory (lstat: not a symlink), ours, mode 0700 and, with entries,
 * holds nothing but the emulated PSP's own files; it is never chmod-ed.
 */
static int make_dir(const char *path, bool entries)
{
	struct stat st;

	if (!mkdir(path, 0700))
		return 0;
	if (errno != EEXIST)
		return -errno;
	if (lstat(path, &st))
		return -errno;
	if (S_ISLNK(st.st_mode) || !S_ISDIR(st.st_mode))
		return S_ISLNK(st.st_mode) ? -ELOOP : -ENOTDIR;
	if (st.st_uid != geteuid()) {
		pr_err("emulated PSP %s: owned by uid %u, not by this user (%u); refusing to keep keys there",
		       path, (unsigned int)st.st_uid, (unsigned int)geteuid());
		return -EPERM;
	}
	if (st.st_mode & 077) {
		pr_err("emulated PSP %s: mode %04o; the private keys need a directory only its owner can use (chmod 0700 %s)",
		       path, (unsigned int)(st.st_mode & 07777), path);
		return -EPERM;
	}
	return entries ? check_entries(path) : 0;
}

static int lock_fd_open(const char *dir, int *fd)
{
	char path[PATH_MAX];
	int r, f;

	r = emul_path(path, sizeof(path), dir, "lock");
	if (r)
		return r;
	f = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (f < 0)
		return -errno;
	*fd = f;
	return 0;
}

static int lock_fd_take(int fd)
{
	while (flock(fd, LOCK_EX)) {
		if (errno != EINTR)
			return -errno;
	}
	return 0;
}

static int asid_dir(const char *dir)
{
	char path[PATH_MAX];
	int r = emul_path(path, sizeof(path), dir, "asid");

	return r ?: make_dir(path, false);
}

/* Runs with DIR/lock held. */
static int init_locked(const char *dir, unsigned int max, bool set_max)
{
	struct emul_config cfg;
	int r;

	r = asid_dir(dir);
	if (r) {
		pr_err("emulated PSP %s: creating %s/asid failed: %s", dir, dir,
		       strerror(-r));
		return r;
	}
	r = emul_config_load(dir, &cfg);
	if (!r) {
		if (!set_max || cfg.max_guests == max)
			return 0;
		cfg.max_guests = max;
		return emul_config_save(dir, &cfg);
	}
	if (r != -ENOENT)
		return r;
	emul_config_defaults(&cfg, set_max ? max : DEFAULT_MAX_GUESTS);
	r = sev_random(cfg.chip_id, sizeof(cfg.chip_id));
	if (r) {
		pr_err("emulated PSP %s: no random chip id: %s", dir,
		       strerror(-r));
		return r;
	}
	r = emul_keys_create(dir, &cfg);
	return r ?: emul_config_save(dir, &cfg);
}

int emul_platform_init(const char *dir, unsigned int max_guests, bool set_max)
{
	int r, fd = -1;

	if (set_max && (!max_guests || max_guests > EMUL_MAX_GUESTS_LIMIT)) {
		pr_err("emulated PSP %s: guest limit %u out of range 1..%u",
		       dir, max_guests, EMUL_MAX_GUESTS_LIMIT);
		return -EINVAL;
	}
	r = make_dir(dir, true);
	if (r == -ELOOP)
		pr_err("emulated PSP %s: is a symbolic link; give the directory itself",
		       dir);
	if (r == -ELOOP || r == -EPERM || r == -EEXIST)
		return r;		/* one line printed */
	r = r ?: lock_fd_open(dir, &fd);
	r = r ?: lock_fd_take(fd);
	if (r)
		pr_err("emulated PSP %s: creating and locking the directory failed: %s",
		       dir, strerror(-r));
	r = r ?: init_locked(dir, max_guests, set_max);
	if (fd >= 0)
		close(fd);
	return r;
}

static int config_exists(const char *dir)
{
	char path[PATH_MAX];
	int r = emul_path(path, sizeof(path), dir, "platform.json");

	if (!r && access(path, F_OK))
		r = -errno;
	if (r == -ENOENT)
		not_initialised(dir);
	else if (r)
		pr_err("emulated PSP %s: %s: %s", dir, path, strerror(-r));
	return r;
}

int emul_platform_read_roots(const char *dir, u8 **ark, size_t *ark_len,
			     u8 **ask, size_t *ask_len)
{
	int r = config_exists(dir);

	r = r ?: emul_amd_cert_read(dir, "ark", ark, ark_len);
	if (r)
		return r;
	r = emul_amd_cert_read(dir, "ask", ask, ask_len);
	if (r) {
		free(*ark);
		*ark = NULL;
	}
	return r;
}

int emul_platform_lock(struct emul_platform *p)
{
	int r = lock_fd_take(p->lock_fd);

	if (r) {
		pr_err("emulated PSP %s: locking the state directory failed: %s",
		       p->dir, strerror(-r));
		return r;
	}
	r = emul_config_load(p->dir, &p->cfg);
	if (r == -ENOENT)
		not_initialised(p->dir);
	if (!r && (p->cfg.keys_gen != p->keys.gen || !p->keys.pdh)) {
		r = emul_keys_load(p->dir, &p->keys);
		if (!r)
			p->keys.gen = p->cfg.keys_gen;
	}
	if (r)
		emul_platform_unlock(p);
	return r;
}

void emul_platform_unlock(struct emul_platform *p)
{
	flock(p->lock_fd, LOCK_UN);
}

int emul_platform_commit(struct emul_platform *p,
			 const struct emul_config *cfg)
{
	int r = emul_config_save(p->dir, cfg);

	if (!r)
		p->cfg = *cfg;
	return r;
}

int emul_platform_open(struct emul_platform **pp, const char *dir)
{
	struct emul_platform *p;
	int r;

	r = config_exists(dir);
	if (r)
		return r;
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->lock_fd = -1;
	p->dir = strdup(dir);
	r = p->dir ? lock_fd_open(dir, &p->lock_fd) : -ENOMEM;
	r = r ?: asid_dir(dir);
	if (r)
		pr_err("emulated PSP %s: opening the state directory failed: %s",
		       dir, strerror(-r));
	r = r ?: emul_platform_lock(p);
	if (r) {
		emul_platform_close(p);
		return r;
	}
	emul_platform_unlock(p);
	*pp = p;
	return 0;
}

void emul_platform_close(struct emul_platform *p)
{
	if (!p)
		return;
	emul_keys_free(&p->keys);
	if (p->lock_fd >= 0)
		close(p->lock_fd);
	free(p->dir);
	free(p);
}
