// SPDX-License-Identifier: GPL-2.0-only
/*
 * lib/fw-embed.c: the embedded image is byte for byte the firmware the
 * build made (TEST_FW_IMAGE), its SHA-256 is that file's, a copy is a
 * copy, --dump's writer follows write_file_output's rules; and
 * vmm/fw-cli.c (`sevm firmware`, the boot blob, its JSON).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <json-c/json.h>
#include <openssl/evp.h>

#include "lib/fw-embed.h"
#include "lib/util.h"
#include "vmm/fw-cli.h"

#define FW_SIZE		49152	/* build.mk FW_IMAGE_SIZE */

struct fx {
	char dir[64];
	void *file;
	size_t file_len;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	strcpy(f->dir, "/tmp/test_fw_embed.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	assert_int_equal(read_file(TEST_FW_IMAGE, &f->file, &f->file_len,
				   1 << 20), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f->file);
	free(f);
	return 0;
}

static void test_image_is_the_build(void **state)
{
	struct fx *f = *state;
	const u8 *data;
	size_t size;

	assert_int_equal(fw_embedded(&data, &size), 0);
	assert_int_equal(size, FW_SIZE);
	assert_int_equal(size, f->file_len);
	assert_memory_equal(data, f->file, size);
	/* The reset vector: the image ends in code, not the 0xff fill. */
	assert_int_not_equal(data[size - 16], 0xff);
}

static void test_sha256(void **state)
{
	struct fx *f = *state;
	u8 got[32], want[32];
	unsigned int n;

	assert_int_equal(fw_embedded_sha256(got), 0);
	assert_int_equal(EVP_Digest(f->file, f->file_len, want, &n,
				    EVP_sha256(), NULL), 1);
	assert_memory_equal(got, want, 32);
}

static void test_dup(void **state)
{
	const u8 *data;
	size_t size, n;
	u8 *copy;

	assert_int_equal(fw_embedded(&data, &size), 0);
	assert_int_equal(fw_embedded_dup(&copy, &n), 0);
	assert_int_equal(n, size);
	assert_ptr_not_equal(copy, data);
	assert_memory_equal(copy, data, n);
	copy[0] ^= 1;			/* a private copy: writable */
	assert_int_not_equal(copy[0], data[0]);
	free(copy);
}

static void path_in(const struct fx *f, const char *name, char *out)
{
	snprintf(out, 128, "%s/%s", f->dir, name);
}

static void test_dump(void **state)
{
	struct fx *f = *state;
	char p[128], link[128];
	struct stat st;
	size_t len;
	void *buf;

	path_in(f, "fw.bin", p);
	assert_int_equal(fw_embedded_dump(p), 0);
	assert_int_equal(read_file(p, &buf, &len, 1 << 20), 0);
	assert_int_equal(len, f->file_len);
	assert_memory_equal(buf, f->file, len);
	free(buf);
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
	/* again over the regular file: replaced */
	assert_int_equal(fw_embedded_dump(p), 0);

	/* a symlink to a file is refused and the file left alone */
	path_in(f, "victim", p);
	assert_int_equal(write_file_atomic(p, "v", 1, 0600), 0);
	path_in(f, "link", link);
	assert_int_equal(symlink(p, link), 0);
	assert_int_equal(fw_embedded_dump(link), -EPERM);
	assert_int_equal(read_file(p, &buf, &len, 16), 0);
	assert_int_equal(len, 1);
	free(buf);

	/* a directory, and a path under a missing one */
	assert_int_equal(fw_embedded_dump(f->dir), -EPERM);
	path_in(f, "none/fw.bin", p);
	assert_int_equal(fw_embedded_dump(p), -ENOENT);
}

/* vmm/fw-cli.c: the blob sevm boots, the JSON it prints, the command. */
static void test_blob_and_json(void **state)
{
	struct json_object *o, *v;
	struct blob b = { 0 };
	u8 sha[32];
	char hex[65];

	assert_int_equal(fw_cli_embedded_blob(&b), 0);
	assert_string_equal(b.path, FW_EMBEDDED_NAME);
	assert_int_equal(b.size, FW_SIZE);
	free(b.data);
	o = fw_cli_embedded_json();
	assert_non_null(o);
	assert_int_equal(fw_embedded_sha256(sha), 0);
	hex_encode(sha, sizeof(sha), hex);
	assert_true(json_object_object_get_ex(o, "sha256", &v));
	assert_string_equal(json_object_get_string(v), hex);
	assert_true(json_object_object_get_ex(o, "path", &v));
	assert_string_equal(json_object_get_string(v), "(embedded)");
	assert_true(json_object_object_get_ex(o, "size", &v));
	assert_int_equal(json_object_get_int(v), FW_SIZE);
	assert_true(json_object_object_get_ex(o, "sevm-version", &v));
	assert_string_equal(json_object_get_string(v), SEVM_VERSION);
	json_object_put(o);
}

/* `sevm firmware A1 A2 A3` (NULL ends the list). */
static int fw_cli(const char *a1, const char *a2, const char *a3)
{
	const char *in[] = { "firmware", a1, a2, a3 };
	char buf[4][128], *argv[5] = { NULL };
	int argc = 0;

	while (argc < 4 && in[argc]) {
		snprintf(buf[argc], sizeof(buf[argc]), "%s", in[argc]);
		argv[argc] = buf[argc];
		argc++;
	}
	return fw_cli_main(argc, argv);
}

static void test_cli(void **state)
{
	struct fx *f = *state;
	char p[128], link[128];
	size_t len;
	void *buf;

	path_in(f, "cli.bin", p);
	assert_int_equal(fw_cli("--dump", p, NULL), EXIT_OK);
	assert_int_equal(read_file(p, &buf, &len, 1 << 20), 0);
	assert_int_equal(len, FW_SIZE);
	free(buf);
	path_in(f, "cli-link", link);
	assert_int_equal(symlink(p, link), 0);
	assert_int_equal(fw_cli("--dump", link, NULL), EXIT_CONFIG);
	assert_int_equal(fw_cli("--dump", NULL, NULL), EXIT_CONFIG);
	assert_int_equal(fw_cli("--dump=", NULL, NULL), EXIT_CONFIG);
	assert_int_equal(fw_cli("--dump", p, "--dump"), EXIT_CONFIG);
	assert_int_equal(fw_cli("--bogus", NULL, NULL), EXIT_CONFIG);
	assert_int_equal(fw_cli("--help", NULL, NULL), EXIT_OK);
	assert_int_equal(fw_cli(NULL, NULL, NULL), EXIT_OK);	/* JSON */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_image_is_the_build),
		cmocka_unit_test(test_sha256),
		cmocka_unit_test(test_dup),
		cmocka_unit_test(test_dump),
		cmocka_unit_test(test_blob_and_json),
		cmocka_unit_test(test_cli),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
