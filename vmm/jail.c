// SPDX-License-Identifier: GPL-2.0-only
/*
 * The VM process locked down (jail.h): not dumpable, --pidfile, --chroot,
 * --user, and the order in which the seccomp filters go on.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "lib/log.h"
#include "vmm/jail.h"
#include "vmm/qmp-socket.h"
#include "vmm/sandbox.h"

#define SECURE_HEAP_SIZE	(64 * 1024)	/* a handful of EC keys */
#define SECURE_HEAP_MIN		32

static struct sandbox_ids jail_ids;

void jail_early(void)
{
	/* No core dump of a process that holds TEK, TIK and PSP keys. */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0))
		pr_warn("prctl(PR_SET_DUMPABLE, 0): %s", strerror(errno));
	/* OpenSSL keeps private keys (BN_secure_new) on mlocked,
	 * MADV_DONTDUMP pages once this is set up; failing is not fatal. */
	if (CRYPTO_secure_malloc_init(SECURE_HEAP_SIZE, SECURE_HEAP_MIN) != 1)
		pr_debug("OpenSSL secure heap not available");
}

static int parse_id(const char *s, unsigned long *out)
{
	char *end;

	if (!*s || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	*out = strtoul(s, &end, 10);
	if (errno || *end || *out >= (unsigned long)UINT32_MAX)
		return -EINVAL;
	return 0;
}

int jail_parse_group(const char *s, gid_t *gid)
{
	unsigned long id;
	struct group *gr;

	if (!parse_id(s, &id)) {
		*gid = (gid_t)id;
		return 0;
	}
	gr = getgrnam(s);
	if (!gr)
		return -EINVAL;
	*gid = gr->gr_gid;
	return 0;
}

/* UID alone or NAME: the group is the user's from the passwd entry. */
static int user_entry(const char *s, uid_t *uid, gid_t *gid)
{
	unsigned long id;
	struct passwd *pw;

	pw = parse_id(s, &id) ? getpwnam(s) : getpwuid((uid_t)id);
	if (!pw) {
		pr_err("--user %s: no such user (give UID:GID for an id without a passwd entry)",
		       s);
		return -EINVAL;
	}
	*uid = pw->pw_uid;
	*gid = pw->pw_gid;
	return 0;
}

int jail_parse_user(const char *s, uid_t *uid, gid_t *gid)
{
	const char *colon = strchr(s, ':');
	unsigned long u, g;
	char ubuf[32];
	int r;

	if (!colon) {
		r = user_entry(s, uid, gid);
	} else {
		snprintf(ubuf, sizeof(ubuf), "%.*s",
			 (int)MIN((size_t)(colon - s), sizeof(ubuf) - 1), s);
		r = parse_id(ubuf, &u) || parse_id(colon + 1, &g) ? -EINVAL : 0;
		if (r)
			pr_err("--user %s: expected UID:GID in decimal", s);
		*uid = (uid_t)u;
		*gid = (gid_t)g;
	}
	if (!r && (*uid == 0 || *gid == 0)) {
		pr_err("--user %s: that is root (uid or gid 0): nothing would be dropped",
		       s);
		r = -EINVAL;
	}
	return r;
}

int jail_check_chroot(const char *dir)
{
	struct stat st;

	if (lstat(dir, &st)) {
		pr_err("--chroot %s: %s", dir, strerror(errno));
		return -EINVAL;
	}
	if (S_ISLNK(st.st_mode) || !S_ISDIR(st.st_mode)) {
		pr_err("--chroot %s: %s", dir, S_ISLNK(st.st_mode) ?
		       "is a symbolic link (give the directory itself)" :
		       "not a directory");
		return -EINVAL;
	}
	return 0;
}

/*
 * Files written or used after the chroot would be looked up inside it:
 * the launch report (rewritten at exit) and the emulated PSP's state.
 */
static int check_chroot_combination(const struct vm_config *cfg)
{
	const char *other = cfg->launch_report ? "--launch-report" :
			    cfg->sev.psp == PSP_EMULATED ? "--psp emulated" :
			    NULL;

	if (!other)
		return jail_check_chroot(cfg->chroot);
	pr_err("--chroot %s: cannot be combined with %s (its files are written while the VM runs, outside the chroot)",
	       cfg->chroot, other);
	return -EINVAL;
}

static int qmp_group(const char *name)
{
	gid_t gid;
	int r = jail_parse_group(name, &gid);

	if (r)
		pr_err("--qmp-group %s: not a group name or number", name);
	else
		qmp_socket_set_group(gid);
	return r;
}

int jail_setup(const struct vm_config *cfg)
{
	int r = 0;

	jail_ids.set = false;
	if (cfg->user) {
		r = jail_parse_user(cfg->user, &jail_ids.uid, &jail_ids.gid);
		jail_ids.set = !r;
	}
	if (!r && cfg->chroot)
		r = check_chroot_combination(cfg);
	if (!r && cfg->qmp_group)
		r = qmp_group(cfg->qmp_group);
	if (!r)
		r = sandbox_init(cfg->seccomp, &jail_ids);
	if (r == -ENOSYS) {
		pr_err("--seccomp: this sevm is built without seccomp (CONFIG_SECCOMP); use --seccomp off");
		r = -EINVAL;
	}
	if (!r && cfg->pidfile)
		r = jail_pidfile_create(cfg->pidfile);
	return r;
}

/* Drop every id, then prove that root cannot be had back. */
static int drop_user(const char *spec)
{
	uid_t u = jail_ids.uid, ru, eu, su;
	gid_t g = jail_ids.gid;

	if (setgroups(0, NULL) || setresgid(g, g, g) || setresuid(u, u, u)) {
		pr_err("--user %s: dropping privileges failed: %s", spec,
		       strerror(errno));
		return -EPERM;
	}
	/* Raw calls: glibc would broadcast them to every thread. */
	if (syscall(SYS_setresuid, 0, 0, 0) == 0 ||
	    syscall(SYS_setresgid, 0, 0, 0) == 0 ||
	    getresuid(&ru, &eu, &su) || ru != u || eu != u || su != u) {
		pr_err("--user %s: root could be regained after the drop; refusing to run",
		       spec);
		return -EPERM;
	}
	return 0;
}

int jail_lockdown(const struct vm_config *cfg)
{
	int r;

	if (cfg->chroot && (chroot(cfg->chroot) || chdir("/"))) {
		r = -errno;
		pr_err("--chroot %s: %s", cfg->chroot, strerror(-r));
		return r;
	}
	if (jail_ids.set) {
		r = drop_user(cfg->user);
		if (r)
			return r;
	}
	return sandbox_enter(THREAD_MAIN);
}

void jail_exit(void)
{
	jail_pidfile_remove();
}
