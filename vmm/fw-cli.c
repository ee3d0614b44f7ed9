// SPDX-License-Identifier: GPL-2.0-only
/*
 * `sevm firmware [--dump FILE]` and the embedded image as a boot blob
 * (vmm/fw-cli.h). Without --dump it prints what the launch report says of
 * the image: its name, size, SHA-256 and the sevm version it came with.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "lib/fw-embed.h"
#include "lib/log.h"
#include "vmm/fw-cli.h"

static const char fw_usage_text[] =
	"usage: sevm firmware [--dump FILE]\n"
	"\n"
	"The firmware built into this sevm (booted when neither --firmware\n"
	"nor --kernel is given; measured by sevm-owner measure without\n"
	"--firmware).\n"
	"\n"
	"  (no option)   print its size, SHA-256 and sevm version as JSON\n"
	"  --dump FILE   write the image to FILE (a regular file, replaced\n"
	"                atomically; a FIFO or /dev/stdout is written\n"
	"                through; a symlink to a file is refused)\n"
	"\n"
	"Exit codes: 0 success, 2 bad usage, FILE not writable, or no\n"
	"embedded firmware in this build.\n";

static int embedded_error(const char *what, int r)
{
	if (r == -ENOENT)
		pr_err("%s: this sevm is built without the bundled firmware (CONFIG_FIRMWARE)",
		       what);
	else
		pr_err("%s: %s", what, strerror(-r));
	return r;
}

int fw_cli_embedded_blob(struct blob *b)
{
	size_t size;
	u8 *data;
	int r;

	r = fw_embedded_dup(&data, &size);
	if (r)
		return embedded_error("firmware " FW_EMBEDDED_NAME, r);
	b->path = FW_EMBEDDED_NAME;
	b->data = data;
	b->size = size;
	return 0;
}

struct json_object *fw_cli_embedded_json(void)
{
	struct json_object *o;
	char hex[65];
	const u8 *data;
	size_t size;
	u8 sha[32];

	if (fw_embedded(&data, &size) || fw_embedded_sha256(sha))
		return NULL;
	o = json_object_new_object();
	if (!o)
		return NULL;
	hex_encode(sha, sizeof(sha), hex);
	json_object_object_add(o, "path",
			       json_object_new_string(FW_EMBEDDED_NAME));
	json_object_object_add(o, "size", json_object_new_int64((s64)size));
	json_object_object_add(o, "sha256", json_object_new_string(hex));
	json_object_object_add(o, "sevm-version",
			       json_object_new_string(SEVM_VERSION));
	return o;
}

static int fw_print(void)
{
	struct json_object *o = fw_cli_embedded_json();
	int r = EXIT_OK;

	if (!o) {
		u8 sha[32];

		embedded_error("firmware", fw_embedded_sha256(sha) ?: -ENOMEM);
		return EXIT_CONFIG;
	}
	if (printf("%s\n", json_object_to_json_string_ext(o,
			JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
			JSON_C_TO_STRING_NOSLASHESCAPE)) < 0 || fflush(stdout))
		r = EXIT_INTERNAL;
	json_object_put(o);
	return r;
}

static int fw_dump(const char *path)
{
	int r = fw_embedded_dump(path);

	if (r == -ENOENT)
		embedded_error("firmware --dump", r);
	else if (r == -EPERM)
		pr_err("firmware --dump %s: not a regular file, FIFO or character device (refused)",
		       path);
	else if (r)
		pr_err("firmware --dump %s: %s", path, strerror(-r));
	return r ? EXIT_CONFIG : EXIT_OK;
}

static bool is_dump(const char *arg)
{
	return !strcmp(arg, "--dump") || !strncmp(arg, "--dump=", 7);
}

int fw_cli_main(int argc, char **argv)
{
	const char *dump = NULL;
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(fw_usage_text, stdout);
			return EXIT_OK;
		}
		if (!strcmp(argv[i], "--dump") && i + 1 < argc && !dump) {
			dump = argv[++i];
			continue;
		}
		if (!strncmp(argv[i], "--dump=", 7) && argv[i][7] && !dump) {
			dump = argv[i] + 7;
			continue;
		}
		if (is_dump(argv[i]) && !dump)
			pr_err("firmware: --dump needs a FILE");
		else if (is_dump(argv[i]))
			pr_err("firmware: --dump given twice");
		else
			pr_err("firmware: unexpected argument '%s' (usage: sevm firmware [--dump FILE])",
			       argv[i]);
		return EXIT_CONFIG;
	}
	return dump ? fw_dump(dump) : fw_print();
}
