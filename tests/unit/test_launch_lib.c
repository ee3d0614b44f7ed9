// SPDX-License-Identifier: GPL-2.0-only
/* Helpers of the SEV launch tests (see test_launch_lib.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <openssl/evp.h>

#include "sev/crypto.h"
#include "sev/emul/psp.h"
#include "tests/unit/test_launch_lib.h"

static int next_vm_fd = 500;	/* the emulated PSP keys VMs by fd number */

static void lt_path(struct lt *t, char *out, const char *name)
{
	snprintf(out, LT_PATH_MAX, "%s/%s", t->tmp, name);
}

struct lt *lt_new(const char *dir, bool es)
{
	struct lt *t = calloc(1, sizeof(*t));
	struct sev_config *sev;

	assert_non_null(t);
	if (dir) {
		snprintf(t->dir, sizeof(t->dir), "%s", dir);
	} else {
		emul_clone(t->dir);
		t->own_dir = true;
	}
	emul_scratch(t->tmp);
	lt_path(t, t->fw_path, "fw.fd");
	lt_path(t, t->dh_path, "godh.cert");
	lt_path(t, t->session_path, "session.b64");
	lt_path(t, t->report_path, "report.json");
	t->cfg.mem_size = LT_RAM;
	t->cfg.cpus = 1;
	sev = &t->cfg.sev;
	sev->enabled = true;
	sev->es = es;
	sev->policy = es ? SEV_POLICY_DEFAULT_ES : SEV_POLICY_DEFAULT;
	sev->cbitpos = -1;
	sev->reduced_phys_bits = -1;
	sev->psp = PSP_EMULATED;
	sev->psp_dir = t->dir;
	sev->kernel_hashes = TRI_AUTO;
	t->vm.kvm.vm_fd = next_vm_fd++;
	return t;
}

void lt_free(struct lt *t)
{
	sev_launch_close(t->l);
	mem_free(&t->vm.mem);
	test_blob_free(&t->fw.b);
	test_blob_free(&t->kernel);
	test_blob_free(&t->initrd);
	free(t->cpuid);
	emul_rmtree(t->tmp);
	if (t->own_dir)
		emul_rmtree(t->dir);
	free(t);
}

static void put_area(struct test_fw *fw, const u8 guid[16], u32 base,
		     u32 size)
{
	u32 d[2] = { base, size };

	test_fw_add(fw, guid, d, sizeof(d));
}

void lt_firmware(struct lt *t, unsigned int entries)
{
	u32 reset = LT_ES_RESET;

	test_fw_begin(&t->fw, LT_FW_SIZE);
	t->fw.b.path = t->fw_path;
	if (entries & LT_FW_HASHES)
		put_area(&t->fw, test_guid_hashes, LT_HASHES_BASE,
			 LT_HASHES_SIZE);
	if (entries & LT_FW_SECRET)
		put_area(&t->fw, test_guid_secret, LT_SECRET_BASE,
			 LT_SECRET_SIZE);
	if (entries & LT_FW_ES_RESET)
		test_fw_add(&t->fw, test_guid_es_reset, &reset, sizeof(reset));
	test_fw_finish(&t->fw, 0);
	assert_int_equal(write_file_atomic(t->fw_path, t->fw.b.data,
					   t->fw.b.size, 0644), 0);
	t->cfg.firmware = t->fw_path;
}

void lt_vm(struct lt *t, u32 nr_vcpus)
{
	t->vm.cfg = &t->cfg;
	assert_int_equal(mem_alloc(&t->vm.mem, LT_RAM, false), 0);
	t->vm.images.firmware = t->fw.b;
	assert_int_equal(fw_load(&t->vm.mem, &t->fw.b, &t->vm.fw), 0);
	t->vm.nr_vcpus = nr_vcpus;	/* the emulated PSP needs no vCPU */
	t->vm.kvm.cpuid = t->cpuid;
}

void lt_kernel(struct lt *t)
{
	t->kernel = test_blob_alloc("vmlinuz", 8192 + 17);
	test_pattern(t->kernel.data, t->kernel.size, 3);
	t->initrd = test_blob_alloc("initrd.img", 4096 + 5);
	test_pattern(t->initrd.data, t->initrd.size, 9);
	t->vm.images.kernel = t->kernel;
	t->vm.images.initrd = t->initrd;
	t->vm.images.cmdline = "console=ttyS0 quiet";
}

void lt_owner(struct lt *t)
{
	struct sev_cert pdh;
	char path[LT_PATH_MAX], text[256];
	size_t len;
	void *buf;
	char *b64;

	snprintf(path, sizeof(path), "%s/pdh.cert", t->dir);
	assert_int_equal(read_file(path, &buf, &len, 1 << 16), 0);
	assert_int_equal(len, sizeof(pdh));
	memcpy(&pdh, buf, sizeof(pdh));
	free(buf);
	emul_owner_session(&pdh, t->cfg.sev.policy, &t->owner);
	assert_int_equal(write_file_atomic(t->dh_path, &t->owner.godh,
					   sizeof(t->owner.godh), 0644), 0);
	b64 = base64_encode(&t->owner.session, sizeof(t->owner.session));
	assert_non_null(b64);
	/* wrapped at 64 columns, like `base64` writes it */
	len = strlen(b64);
	for (size_t i = 0, n = 0; i < len; i++) {
		text[n++] = b64[i];
		if (i % 64 == 63 || i == len - 1)
			text[n++] = '\n';
		text[n] = '\0';
	}
	assert_int_equal(write_file_atomic(t->session_path, text,
					   strlen(text), 0644), 0);
	free(b64);
	t->cfg.sev.dh_cert = t->dh_path;
	t->cfg.sev.session = t->session_path;
}

void lt_open_start(struct lt *t)
{
	assert_int_equal(sev_launch_open(&t->l, &t->cfg, LT_RAM), 0);
	assert_int_equal(sev_launch_start(t->l, &t->vm), 0);
}

void lt_launch(struct lt *t)
{
	lt_open_start(t);
	assert_int_equal(sev_launch_measure(t->l, &t->vm), 0);
}

u32 lt_guest_count(const char *dir)
{
	struct sev_user_data_status st;
	struct psp *psp;

	assert_int_equal(psp_open_emulated(&psp, dir), 0);
	assert_int_equal(sev_platform_status(psp, &st, NULL), 0);
	psp_close(psp);
	return st.guest_count;
}

/* QEMU's PaddedSevHashTable, built byte by byte (sev-protocol.md 8.2). */
static void table_entry(EVP_MD_CTX *ld, const char *guid_hex,
			const void *data, size_t len)
{
	u8 guid[16], hash[32];
	u16 elen = 50;

	assert_int_equal(hex_decode(guid_hex, guid, sizeof(guid)), 0);
	assert_true(EVP_Digest(data, len, hash, NULL, EVP_sha256(), NULL));
	EVP_DigestUpdate(ld, guid, 16);
	EVP_DigestUpdate(ld, &elen, 2);
	EVP_DigestUpdate(ld, hash, 32);
}

static void table_digest(struct lt *t, EVP_MD_CTX *ld)
{
	const char *cmd = t->vm.images.cmdline;
	u16 len = 168;
	u8 guid[16], pad[8] = { 0 };

	assert_int_equal(hex_decode("06d63894224fc94cb479a793d411fd21", guid,
				    16), 0);
	EVP_DigestUpdate(ld, guid, 16);
	EVP_DigestUpdate(ld, &len, 2);
	table_entry(ld, "d82dd09720bd944caa78e7714d36ab2a", cmd,
		    strlen(cmd) + 1);
	table_entry(ld, "31f7ba442f3ad74b9af141e29169781d", t->initrd.data,
		    t->initrd.size);
	table_entry(ld, "3794e74dd2ab7f42b835d5b172d2045b", t->kernel.data,
		    t->kernel.size);
	EVP_DigestUpdate(ld, pad, sizeof(pad));
}

void lt_expected(struct lt *t, bool hashes, const u8 *vmsa, u32 nr_vmsa,
		 const u8 mnonce[16], u8 out[32])
{
	EVP_MD_CTX *ld = EVP_MD_CTX_new();
	u8 digest[32];

	assert_non_null(ld);
	assert_true(EVP_DigestInit_ex(ld, EVP_sha256(), NULL));
	EVP_DigestUpdate(ld, t->fw.b.data, t->fw.b.size);
	if (hashes)
		table_digest(t, ld);
	if (nr_vmsa)
		EVP_DigestUpdate(ld, vmsa, (size_t)nr_vmsa * 4096);
	assert_true(EVP_DigestFinal_ex(ld, digest, NULL));
	EVP_MD_CTX_free(ld);
	assert_int_equal(sev_measure(t->owner.tik, 1, 55, 21,
				     t->cfg.sev.policy, digest, mnonce, out),
			 0);
}

void lt_seal(struct lt *t, const u8 *plain, size_t len,
	     struct sev_secret_header *hdr, u8 *ct)
{
	struct sev_measurement m;
	u8 iv[16];

	assert_int_equal(sev_launch_get_measurement(t->l, &m), 0);
	assert_int_equal(sev_random(iv, sizeof(iv)), 0);
	assert_int_equal(sev_secret_seal(t->owner.tek, t->owner.tik, iv,
					 m.measure, plain, len, hdr, ct), 0);
}

int lt_errors(const char *log)
{
	int n = 0;

	for (const char *p = log; (p = strstr(p, ": error: ")); p++)
		n++;
	return n;
}

void lt_one_error(const char *log, const char *needle)
{
	if (lt_errors(log) != 1 || !strstr(log, needle))
		print_error("want one error containing \"%s\", got:\n%s\n",
			    needle, log);
	assert_int_equal(lt_errors(log), 1);
	assert_non_null(strstr(log, needle));
}

static int saved_stdout = -1;
static FILE *out_cap;
static char out_buf[4096];

void lt_stdout_start(void)
{
	out_cap = tmpfile();
	assert_non_null(out_cap);
	fflush(stdout);
	saved_stdout = dup(1);
	assert_true(saved_stdout >= 0);
	assert_int_equal(dup2(fileno(out_cap), 1), 1);
}

const char *lt_stdout_end(void)
{
	size_t n;

	fflush(stdout);
	dup2(saved_stdout, 1);
	close(saved_stdout);
	rewind(out_cap);
	n = fread(out_buf, 1, sizeof(out_buf) - 1, out_cap);
	out_buf[n] = '\0';
	fclose(out_cap);
	return out_buf;
}
