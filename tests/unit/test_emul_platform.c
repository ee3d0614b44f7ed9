// SPDX-License-Identifier: GPL-2.0-only
/*
 * Emulated PSP platform: the state directory (init, limit, file modes,
 * roots), and guest slots shared by processes (fork, SIGKILL, SHUTDOWN).
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sev/emul/psp.h"
#include "tests/unit/emul-testlib.h"

#define NCHILD		20

static void read_in(const char *dir, const char *name, void **buf,
		    size_t *len)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_int_equal(read_file(path, buf, len, 1 << 20), 0);
}

static void assert_same_file(const char *dir, const char *name,
			     const void *old, size_t old_len)
{
	size_t len;
	void *buf;

	read_in(dir, name, &buf, &len);
	assert_int_equal(len, old_len);
	assert_memory_equal(buf, old, len);
	free(buf);
}

static void test_init_idempotent(void **state)
{
	static const char *const files[] = {
		"platform.json", "ark.cert", "ask.cert", "cek.cert", "oca.cert",
		"pek.cert", "pdh.cert", "cek.key", "pdh.key",
	};
	char dir[EMUL_DIR_MAX];
	void *old[ARRAY_SIZE(files)];
	size_t len[ARRAY_SIZE(files)], i;

	emul_clone(dir);
	for (i = 0; i < ARRAY_SIZE(files); i++)
		read_in(dir, files[i], &old[i], &len[i]);
	assert_int_equal(emul_platform_init(dir, 0, false), 0);
	assert_int_equal(emul_platform_init(dir, 15, true), 0);
	for (i = 0; i < ARRAY_SIZE(files); i++) {
		assert_same_file(dir, files[i], old[i], len[i]);
		free(old[i]);
	}
	emul_rmtree(dir);
}

static void test_init_not_a_dir(void **state)
{
	char dir[EMUL_DIR_MAX], path[PATH_MAX];

	emul_scratch(dir);
	snprintf(path, sizeof(path), "%s/file", dir);
	assert_int_equal(write_file_atomic(path, "x", 1, 0600), 0);
	assert_int_equal(emul_platform_init(path, 0, false), -ENOTDIR);
	emul_rmtree(dir);
}

static void assert_mode(const char *dir, const char *name, mode_t mode)
{
	char path[PATH_MAX];
	struct stat st;

	snprintf(path, sizeof(path), "%s%s%s", dir, name[0] ? "/" : "", name);
	assert_int_equal(stat(path, &st), 0);
	if ((st.st_mode & 07777) != mode)
		fail_msg("%s: mode %o, expected %o", path,
			 (unsigned int)(st.st_mode & 07777),
			 (unsigned int)mode);
}

/* The master was made by emul_platform_init itself: check its modes. */
static void test_file_modes(void **state)
{
	static const char *const keys[] = {
		"ark.key", "ask.key", "cek.key", "oca.key", "pek.key",
		"pdh.key", "platform.json", "lock",
	};
	const char *dir = emul_master();
	size_t i;

	assert_mode(dir, "", 0700);
	assert_mode(dir, "asid", 0700);
	for (i = 0; i < ARRAY_SIZE(keys); i++)
		assert_mode(dir, keys[i], 0600);
}

/* Issue 9, defect 2: a directory sevm did not make is checked, never
 * chmod-ed: a symlink, another owner, a loose mode or a foreign file is
 * refused and left as it was. */
static void test_init_refuses_foreign_dir(void **state)
{
	char dir[EMUL_DIR_MAX], path[PATH_MAX], link[PATH_MAX];

	emul_clone(dir);
	assert_int_equal(chmod(dir, 0755), 0);
	assert_int_equal(emul_platform_init(dir, 0, false), -EPERM);
	assert_mode(dir, "", 0755);
	assert_int_equal(chmod(dir, 0700), 0);
	snprintf(link, sizeof(link), "%s.link", dir);
	assert_int_equal(symlink(dir, link), 0);
	assert_int_equal(emul_platform_init(link, 0, false), -ELOOP);
	unlink(link);
	snprintf(path, sizeof(path), "%s/notes.txt", dir);
	assert_int_equal(write_file_atomic(path, "x", 1, 0600), 0);
	assert_int_equal(emul_platform_init(dir, 0, false), -EEXIST);
	unlink(path);
	if (geteuid() == 0) {
		snprintf(path, sizeof(path), "%s/pdh.key", dir);
		assert_int_equal(chown(path, 65534, 65534), 0);
		assert_int_equal(emul_platform_init(dir, 0, false), -EEXIST);
		assert_int_equal(chown(path, 0, 0), 0);
		assert_int_equal(chown(dir, 65534, 65534), 0);
		assert_int_equal(emul_platform_init(dir, 0, false), -EPERM);
		assert_int_equal(chown(dir, 0, 0), 0);
	}
	assert_int_equal(emul_platform_init(dir, 0, false), 0);
	emul_rmtree(dir);
}

static u32 try_launch(struct emul_fw *fw)
{
	struct emul_data_launch_start ls;

	memset(&ls, 0, sizeof(ls));
	return fw_call(fw, EMUL_CMD_LAUNCH_START, &ls);
}

static void test_limit(void **state)
{
	struct emul_fw_snap s;
	struct emul_fw *fw;
	char dir[EMUL_DIR_MAX];
	int i;

	emul_clone(dir);
	assert_int_equal(emul_platform_init(dir, 0, true), -EINVAL);
	assert_int_equal(emul_platform_init(dir, 1025, true), -EINVAL);
	assert_int_equal(emul_platform_init(dir, 3, true), 0);
	assert_int_equal(emul_fw_open(&fw, dir, NULL), 0);
	fw_init(fw, false);
	fw_snap(fw, &s);
	assert_int_equal(s.max_guests, 3);
	for (i = 0; i < 3; i++)
		assert_int_equal(try_launch(fw), SEV_RET_SUCCESS);
	assert_int_equal(try_launch(fw), SEV_RET_RESOURCE_LIMIT);
	fw_snap(fw, &s);
	assert_int_equal(s.guest_count, 3);
	assert_int_equal(s.nguests, 3);
	/* Raised while the firmware is open: the next command sees it. */
	assert_int_equal(emul_platform_init(dir, 4, true), 0);
	assert_int_equal(try_launch(fw), SEV_RET_SUCCESS);
	assert_int_equal(try_launch(fw), SEV_RET_RESOURCE_LIMIT);
	emul_fw_close(fw);
	emul_rmtree(dir);
}

static void test_default_limit(void **state)
{
	struct emul_fw_snap s;
	struct emul_fw *fw;

	assert_int_equal(emul_fw_open(&fw, emul_master(), NULL), 0);
	fw_snap(fw, &s);
	assert_int_equal(s.max_guests, CONFIG_PSP_EMULATED_MAX_GUESTS);
	assert_int_equal(s.state, SEV_PSTATE_UNINIT);
	emul_fw_close(fw);
}

static void test_roots_verify(void **state)
{
	struct sev_cert pdh, chain[3];
	struct amd_cert ark, ask;
	struct emul_fw *fw;
	struct sev_chain ch;
	const char *failed = NULL;
	char dir[EMUL_DIR_MAX];
	u8 *ark_b, *ask_b;
	size_t ark_len, ask_len;

	assert_int_equal(emul_platform_read_roots(emul_master(), &ark_b,
						  &ark_len, &ask_b, &ask_len),
			 0);
	assert_int_equal(amd_cert_parse(ark_b, ark_len, &ark), 0);
	assert_int_equal(amd_cert_parse(ask_b, ask_len, &ask), 0);
	assert_int_equal(ark.modulus_bits, 4096);
	assert_int_equal(ark.key_usage, SEV_USAGE_ARK);
	assert_int_equal(ask.key_usage, SEV_USAGE_ASK);
	assert_memory_equal(ask.certifying_id, ark.key_id, 16);
	assert_int_equal(amd_cert_verify(&ark, &ark), 0);
	assert_int_equal(amd_cert_verify(&ask, &ark), 0);

	emul_clone(dir);
	assert_int_equal(emul_fw_open(&fw, dir, NULL), 0);
	fw_init(fw, false);
	fw_export(fw, &pdh, chain);
	emul_fw_close(fw);
	emul_rmtree(dir);
	ch = (struct sev_chain){ &ark, &ask, &chain[2], &chain[1], &chain[0],
				 &pdh };
	assert_int_equal(sev_chain_verify(&ch, &failed), 0);

	chain[2].sig[0].sig[7] ^= 1;	/* the ASK's signature on the CEK */
	assert_int_not_equal(sev_chain_verify(&ch, &failed), 0);
	assert_non_null(failed);
	free(ark_b);
	free(ask_b);
}

static void test_not_initialised(void **state)
{
	char dir[EMUL_DIR_MAX], path[PATH_MAX];
	struct emul_fw *fw = NULL;
	u8 *a, *b;
	size_t al, bl;

	emul_scratch(dir);
	assert_int_equal(emul_fw_open(&fw, dir, NULL), -ENOENT);
	assert_int_equal(emul_platform_read_roots(dir, &a, &al, &b, &bl),
			 -ENOENT);
	snprintf(path, sizeof(path), "%s/platform.json", dir);
	assert_int_equal(write_file_atomic(path, "{", 1, 0600), 0);
	assert_int_equal(emul_fw_open(&fw, dir, NULL), -EINVAL);
	emul_rmtree(dir);
}

static void write_config(const char *dir, const char *from, const char *to)
{
	char path[PATH_MAX], *p;
	size_t len;
	void *buf;

	snprintf(path, sizeof(path), "%s/platform.json", dir);
	assert_int_equal(read_file(path, &buf, &len, 1 << 16), 0);
	buf = realloc(buf, len + 1);
	((char *)buf)[len] = 0;
	p = strstr(buf, from);
	assert_non_null(p);
	memcpy(p, to, strlen(to));
	assert_int_equal(write_file_atomic(path, buf, len, 0600), 0);
	free(buf);
}

static void test_bad_config(void **state)
{
	struct emul_fw *fw;
	char dir[EMUL_DIR_MAX];

	emul_clone(dir);
	write_config(dir, "\"max_guests\": 15", "\"max_guests\": -1");
	assert_int_equal(emul_fw_open(&fw, dir, NULL), -EINVAL);
	emul_rmtree(dir);
	emul_clone(dir);
	write_config(dir, "\"state\": \"UNINIT\"", "\"state\": \"BROKEN\"");
	assert_int_equal(emul_fw_open(&fw, dir, NULL), -EINVAL);
	emul_rmtree(dir);
}

/* Keys changed by one firmware instance are seen by another. */
static void test_shared_keys(void **state)
{
	struct sev_cert pdh_a, pdh_b, chain[3];
	struct emul_data_addr_len id;
	struct emul_fw *a, *b;
	char dir[EMUL_DIR_MAX];
	u8 id_a[64], id_b[64];

	emul_clone(dir);
	assert_int_equal(emul_fw_open(&a, dir, NULL), 0);
	assert_int_equal(emul_fw_open(&b, dir, NULL), 0);
	fw_init(a, false);
	fw_export(b, &pdh_b, chain);
	assert_int_equal(fw_call(a, EMUL_CMD_PDH_GEN, NULL), SEV_RET_SUCCESS);
	fw_export(a, &pdh_a, chain);
	assert_memory_not_equal(&pdh_a, &pdh_b, sizeof(pdh_a));
	fw_export(b, &pdh_b, chain);
	assert_memory_equal(&pdh_a, &pdh_b, sizeof(pdh_a));

	id.address = (u64)(uintptr_t)id_a;
	id.len = sizeof(id_a);
	assert_int_equal(fw_call(a, EMUL_CMD_GET_ID, &id), SEV_RET_SUCCESS);
	id.address = (u64)(uintptr_t)id_b;
	assert_int_equal(fw_call(b, EMUL_CMD_GET_ID, &id), SEV_RET_SUCCESS);
	assert_memory_equal(id_a, id_b, sizeof(id_a));
	emul_fw_close(a);
	emul_fw_close(b);
	emul_rmtree(dir);
}

struct child_msg {
	int index;
	u32 status;
	u32 asid;
};

/* In a child: no cmocka asserts (they would unwind into the runner). */
static u32 child_cmd(struct emul_fw *fw, u32 cmd, void *buf)
{
	u32 st;

	return emul_fw_cmd(fw, cmd, buf, &st) ? 0xffff : st;
}

static u32 child_start(struct emul_fw *fw, u32 *asid)
{
	struct emul_data_launch_start ls;
	struct emul_data_guest_status gs;
	u32 st;

	memset(&ls, 0, sizeof(ls));
	st = child_cmd(fw, EMUL_CMD_LAUNCH_START, &ls);
	if (st)
		return st;
	memset(&gs, 0, sizeof(gs));
	gs.handle = ls.handle;
	st = child_cmd(fw, EMUL_CMD_GUEST_STATUS, &gs);
	*asid = gs.asid;
	return st;
}

/*
 * A child: wait for a byte on go, launch, report on res, then hold the
 * slot until hold reaches EOF (or, with probe, until a byte arrives on
 * hold: then report GUEST_STATUS of its guest and exit).
 */
static void __attribute__((noreturn))
child_main(const char *dir, int index, int go, int res, int hold)
{
	struct child_msg m = { .index = index };
	struct emul_fw *fw;
	char c;

	m.status = emul_fw_open(&fw, dir, NULL) ? 0xfffe : 0;
	if (read(go, &c, 1) != 1)
		m.status = 0xfffd;
	if (!m.status)
		m.status = child_start(fw, &m.asid);
	if (write(res, &m, sizeof(m)) != sizeof(m))
		_exit(3);
	if (m.status == SEV_RET_SUCCESS && read(hold, &c, 1) == 1) {
		struct emul_data_guest_status gs = { .handle = 1 };

		m.status = child_cmd(fw, EMUL_CMD_GUEST_STATUS, &gs);
		if (write(res, &m, sizeof(m)) != sizeof(m))
			_exit(3);
	}
	_exit(0);
}

struct children {
	pid_t pid[NCHILD];
	struct child_msg msg[NCHILD];
	int go[2], res[2], hold[2];
	int n;
};

static void spawn(struct children *c, const char *dir, int n)
{
	int i;

	c->n = n;
	assert_int_equal(pipe(c->go), 0);
	assert_int_equal(pipe(c->res), 0);
	assert_int_equal(pipe(c->hold), 0);
	for (i = 0; i < n; i++) {
		c->pid[i] = fork();
		assert_true(c->pid[i] >= 0);
		if (!c->pid[i]) {
			close(c->go[1]);
			close(c->res[0]);
			close(c->hold[1]);
			child_main(dir, i, c->go[0], c->res[1], c->hold[0]);
		}
	}
	close(c->go[0]);
	close(c->res[1]);
	close(c->hold[0]);
}

/* Release them all at once; collect one message each. */
static void go(struct children *c)
{
	char bytes[NCHILD];
	struct child_msg m;
	int i;

	memset(bytes, 'g', sizeof(bytes));
	assert_int_equal(write(c->go[1], bytes, c->n), c->n);
	for (i = 0; i < c->n; i++) {
		assert_int_equal(read(c->res[0], &m, sizeof(m)), sizeof(m));
		assert_true(m.index >= 0 && m.index < c->n);
		c->msg[m.index] = m;
	}
}

static void reap_all(struct children *c)
{
	int i, status;

	close(c->hold[1]);
	for (i = 0; i < c->n; i++) {
		if (c->pid[i] <= 0)
			continue;
		assert_int_equal(waitpid(c->pid[i], &status, 0), c->pid[i]);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
	}
	close(c->go[1]);
	close(c->res[0]);
}

static void status_of(struct emul_fw *fw, struct emul_data_status *s)
{
	assert_int_equal(fw_call(fw, EMUL_CMD_PLATFORM_STATUS, s),
			 SEV_RET_SUCCESS);
}

/* SIGKILL a holder: the kernel drops its lock, the slot is free. */
static void kill_holder(struct emul_fw *fw, struct children *c, int victim)
{
	struct emul_data_status s;
	u32 asid = 0;
	int status;

	assert_int_equal(kill(c->pid[victim], SIGKILL), 0);
	assert_int_equal(waitpid(c->pid[victim], &status, 0), c->pid[victim]);
	assert_true(WIFSIGNALED(status));
	c->pid[victim] = 0;
	status_of(fw, &s);
	assert_int_equal(s.guest_count, 14);
	assert_int_equal(child_start(fw, &asid), SEV_RET_SUCCESS);
	assert_int_equal(asid, c->msg[victim].asid);
	status_of(fw, &s);
	assert_int_equal(s.guest_count, 15);
}

/* 20 processes launch at once against a 15-guest platform. */
static void test_fork_limit(void **state)
{
	struct emul_data_status s;
	struct children c;
	struct emul_fw *fw;
	char dir[EMUL_DIR_MAX];
	u32 asids = 0, ok = 0, limit = 0;
	int i, victim = -1;

	emul_clone(dir);
	assert_int_equal(emul_fw_open(&fw, dir, NULL), 0);
	fw_init(fw, false);
	spawn(&c, dir, NCHILD);
	go(&c);
	for (i = 0; i < NCHILD; i++) {
		if (c.msg[i].status == SEV_RET_SUCCESS) {
			ok++;
			assert_true(c.msg[i].asid >= 1 && c.msg[i].asid <= 15);
			assert_false(asids & (1u << c.msg[i].asid));
			asids |= 1u << c.msg[i].asid;
			victim = i;
		} else {
			assert_int_equal(c.msg[i].status,
					 SEV_RET_RESOURCE_LIMIT);
			limit++;
		}
	}
	assert_int_equal(ok, 15);
	assert_int_equal(limit, NCHILD - 15);
	status_of(fw, &s);
	assert_int_equal(s.guest_count, 15);
	assert_int_equal(s.state, SEV_PSTATE_WORKING);
	assert_int_equal(try_launch(fw), SEV_RET_RESOURCE_LIMIT);

	kill_holder(fw, &c, victim);
	reap_all(&c);
	status_of(fw, &s);
	assert_int_equal(s.guest_count, 1);	/* ours */
	emul_fw_close(fw);
	emul_rmtree(dir);
}

/* SHUTDOWN in one process destroys the guest contexts of all of them. */
static void test_shutdown_other_process(void **state)
{
	struct emul_data_status s;
	struct children c;
	struct emul_fw *fw;
	char dir[EMUL_DIR_MAX];
	struct child_msg m;
	int i;

	emul_clone(dir);
	assert_int_equal(emul_platform_init(dir, 1, true), 0);
	assert_int_equal(emul_fw_open(&fw, dir, NULL), 0);
	fw_init(fw, false);
	spawn(&c, dir, 1);
	go(&c);
	assert_int_equal(c.msg[0].status, SEV_RET_SUCCESS);
	status_of(fw, &s);
	assert_int_equal(s.guest_count, 1);
	assert_int_equal(fw_call(fw, EMUL_CMD_SHUTDOWN, NULL),
			 SEV_RET_SUCCESS);
	status_of(fw, &s);
	assert_int_equal(s.state, SEV_PSTATE_UNINIT);
	assert_int_equal(s.guest_count, 0);
	fw_init(fw, false);
	status_of(fw, &s);
	assert_int_equal(s.state, SEV_PSTATE_INIT);
	/* The child still holds the slot until it notices. */
	assert_int_equal(try_launch(fw), SEV_RET_RESOURCE_LIMIT);
	assert_int_equal(write(c.hold[1], "p", 1), 1);
	assert_int_equal(read(c.res[0], &m, sizeof(m)), sizeof(m));
	assert_int_equal(m.status, SEV_RET_INVALID_GUEST);
	reap_all(&c);
	for (i = 0; i < 1; i++)
		assert_int_equal(try_launch(fw), SEV_RET_SUCCESS);
	emul_fw_close(fw);
	emul_rmtree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_file_modes),
		cmocka_unit_test(test_default_limit),
		cmocka_unit_test(test_init_idempotent),
		cmocka_unit_test(test_init_not_a_dir),
		cmocka_unit_test(test_init_refuses_foreign_dir),
		cmocka_unit_test(test_limit),
		cmocka_unit_test(test_roots_verify),
		cmocka_unit_test(test_not_initialised),
		cmocka_unit_test(test_bad_config),
		cmocka_unit_test(test_shared_keys),
		cmocka_unit_test(test_fork_limit),
		cmocka_unit_test(test_shutdown_other_process),
	};

	return cmocka_run_group_tests(tests, emul_master_setup,
				      emul_master_teardown);
}
