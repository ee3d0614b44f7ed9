// SPDX-License-Identifier: GPL-2.0-only
/* Helpers for the emulated PSP tests (see emul-testlib.h). */
#define _XOPEN_SOURCE_EXTENDED 1
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sev/emul/psp.h"
#include "tests/unit/emul-testlib.h"

static char master_dir[EMUL_DIR_MAX];

void emul_scratch(char dir[EMUL_DIR_MAX])
{
	snprintf(dir, EMUL_DIR_MAX, "/tmp/sevm-emul-test-XXXXXX");
	assert_non_null(mkdtemp(dir));
}

int emul_master_setup(void **state)
{
	emul_scratch(master_dir);
	return emul_platform_init(master_dir, 0, false) ? -1 : 0;
}

int emul_master_teardown(void **state)
{
	emul_rmtree(master_dir);
	return 0;
}

const char *emul_master(void)
{
	return master_dir;
}

static void copy_file(const char *src, const char *dst, const char *name)
{
	char from[PATH_MAX], to[PATH_MAX];
	struct stat st;
	size_t len;
	void *buf;

	snprintf(from, sizeof(from), "%s/%s", src, name);
	snprintf(to, sizeof(to), "%s/%s", dst, name);
	assert_int_equal(stat(from, &st), 0);
	if (!S_ISREG(st.st_mode) || !strcmp(name, "lock"))
		return;
	assert_int_equal(read_file(from, &buf, &len, 1 << 20), 0);
	assert_int_equal(write_file_atomic(to, buf, len, st.st_mode & 0777),
			 0);
	free(buf);
}

void emul_clone(char dir[EMUL_DIR_MAX])
{
	char path[PATH_MAX];
	struct dirent *de;
	DIR *d;

	emul_scratch(dir);
	d = opendir(master_dir);
	assert_non_null(d);
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			copy_file(master_dir, dir, de->d_name);
	closedir(d);
	snprintf(path, sizeof(path), "%s/asid", dir);
	assert_int_equal(mkdir(path, 0700), 0);
}

static int rm_one(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	return remove(path);
}

void emul_rmtree(const char *dir)
{
	if (dir[0])
		nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

u32 fw_call(struct emul_fw *fw, u32 cmd, void *buf)
{
	u32 st = 0xdead;

	assert_int_equal(emul_fw_cmd(fw, cmd, buf, &st), 0);
	return st;
}

void fw_snap(struct emul_fw *fw, struct emul_fw_snap *s)
{
	assert_int_equal(emul_fw_snapshot(fw, s), 0);
}

void assert_snap_equal(const struct emul_fw_snap *a,
		       const struct emul_fw_snap *b)
{
	assert_int_equal(a->state, b->state);
	assert_int_equal(a->guest_count, b->guest_count);
	assert_int_equal(a->nguests, b->nguests);
	assert_int_equal(a->keys_gen, b->keys_gen);
	assert_memory_equal(a, b, sizeof(*a));
}

void fw_init(struct emul_fw *fw, bool es)
{
	struct emul_data_init in;

	memset(&in, 0, sizeof(in));
	in.flags = es ? EMUL_INIT_FLAGS_ES : 0;
	assert_int_equal(fw_call(fw, EMUL_CMD_INIT, &in), SEV_RET_SUCCESS);
}

void fw_guest(struct emul_fw *fw, u32 handle,
	      struct emul_data_guest_status *st)
{
	memset(st, 0, sizeof(*st));
	st->handle = handle;
	assert_int_equal(fw_call(fw, EMUL_CMD_GUEST_STATUS, st),
			 SEV_RET_SUCCESS);
}

static void fw_activate(struct emul_fw *fw, u32 handle)
{
	struct emul_data_guest_status st;
	struct emul_data_activate act;

	fw_guest(fw, handle, &st);
	act.handle = handle;
	act.asid = st.asid;
	assert_int_equal(fw_call(fw, EMUL_CMD_ACTIVATE, &act),
			 SEV_RET_SUCCESS);
}

u32 fw_launch(struct emul_fw *fw, u32 policy)
{
	struct emul_data_launch_start ls;

	memset(&ls, 0, sizeof(ls));
	ls.policy = policy;
	assert_int_equal(fw_call(fw, EMUL_CMD_LAUNCH_START, &ls),
			 SEV_RET_SUCCESS);
	assert_int_not_equal(ls.handle, 0);
	fw_activate(fw, ls.handle);
	return ls.handle;
}

void fw_export(struct emul_fw *fw, struct sev_cert *pdh,
	       struct sev_cert chain[3])
{
	struct emul_data_pdh_cert_export ex;

	memset(&ex, 0, sizeof(ex));
	ex.pdh_cert_address = (u64)(uintptr_t)pdh;
	ex.pdh_cert_len = sizeof(*pdh);
	ex.cert_chain_address = (u64)(uintptr_t)chain;
	ex.cert_chain_len = 3 * sizeof(*pdh);
	assert_int_equal(fw_call(fw, EMUL_CMD_PDH_CERT_EXPORT, &ex),
			 SEV_RET_SUCCESS);
}

void emul_owner_session(const struct sev_cert *pdh, u32 policy,
			struct emul_owner *o)
{
	u8 z[SEV_ECDH_Z_SIZE], kek[16], kik[16], nonce[16], iv[16];
	EVP_PKEY *godh = NULL;

	assert_int_equal(sev_ec_keygen(&godh), 0);
	assert_int_equal(sev_ecdh(godh, pdh, z), 0);
	assert_int_equal(sev_random(nonce, sizeof(nonce)), 0);
	assert_int_equal(sev_random(iv, sizeof(iv)), 0);
	assert_int_equal(sev_random(o->tek, sizeof(o->tek)), 0);
	assert_int_equal(sev_random(o->tik, sizeof(o->tik)), 0);
	assert_int_equal(sev_derive_kek_kik(z, sizeof(z), nonce, kek, kik), 0);
	assert_int_equal(sev_session_wrap(kek, kik, o->tek, o->tik, nonce, iv,
					  policy, &o->session), 0);
	assert_int_equal(sev_cert_init(&o->godh, SEV_USAGE_PDH,
				       SEV_ALGO_ECDH_SHA256, godh, 0, 0), 0);
	EVP_PKEY_free(godh);
}

u32 fw_launch_session(struct emul_fw *fw, u32 policy,
		      const struct emul_owner *o, u32 *handle)
{
	struct emul_data_launch_start ls;
	u32 st;

	memset(&ls, 0, sizeof(ls));
	ls.policy = policy;
	ls.dh_cert_address = (u64)(uintptr_t)&o->godh;
	ls.dh_cert_len = sizeof(o->godh);
	ls.session_address = (u64)(uintptr_t)&o->session;
	ls.session_len = sizeof(o->session);
	st = fw_call(fw, EMUL_CMD_LAUNCH_START, &ls);
	if (st == SEV_RET_SUCCESS) {
		fw_activate(fw, ls.handle);
		*handle = ls.handle;
	}
	return st;
}
