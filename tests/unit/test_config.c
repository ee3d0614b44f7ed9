// SPDX-License-Identifier: GPL-2.0-only
/*
 * vmm/config*.c: every option valid and invalid on the command line, the
 * help text, and (test_config_json.c) the JSON file, the override order
 * and the validation rules. Each failure is checked for its return code,
 * for one stderr line naming the input, and for the configuration being
 * left exactly as it was.
 */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/unit/test_config.h"
#include "lib/log.h"

static char tmpdir[PATH_MAX / 2];
char errbuf[8192];
struct vm_config cfg;

/* ---- helpers */

const char *tmp_path(const char *name)
{
	static char buf[4][PATH_MAX];
	static unsigned int n;
	char *p = buf[n++ % 4];

	snprintf(p, PATH_MAX, "%s/%s", tmpdir, name);
	return p;
}

const char *write_json(const char *name, const char *text)
{
	const char *path = tmp_path(name);
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
	return path;
}

static int saved_stderr = -1;

void capture_start(void)
{
	int fd;

	fflush(stderr);
	fd = open(tmp_path("stderr.txt"), O_RDWR | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	saved_stderr = dup(2);
	dup2(fd, 2);
	close(fd);
}

const char *capture_stop(void)
{
	ssize_t n;
	int fd;

	fflush(stderr);
	dup2(saved_stderr, 2);
	close(saved_stderr);
	fd = open(tmp_path("stderr.txt"), O_RDONLY);
	assert_true(fd >= 0);
	n = read(fd, errbuf, sizeof(errbuf) - 1);
	close(fd);
	errbuf[n > 0 ? n : 0] = '\0';
	return errbuf;
}

int nlines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

int parse_v(struct vm_config *c, const char *const *args)
{
	char *argv[96];
	int argc = 0, r, i;

	argv[argc++] = strdup("sevm");
	for (i = 0; args[i]; i++) {
		assert_true(argc < (int)ARRAY_SIZE(argv) - 1);
		argv[argc++] = strdup(args[i]);
	}
	argv[argc] = NULL;
	r = config_parse_args(c, argc, argv);
	for (i = 0; i < argc; i++)
		free(argv[i]);
	return r;
}


void populate(void)
{
	assert_int_equal(PARSE("--memory", "512M", "--cpus", "3",
			       "--firmware", "fw.bin", "--kernel", "bz",
			       "--serial", "file:/s.log", "--sev-policy", "37",
			       "--sev-cbitpos", "47", "--psp", "emulated:/p",
			       "--sev-kernel-hashes", "off", "--qmp", "/q",
			       "--sev-secret-gpa", "0x9000", "--cpuid-mask",
			       "none", "-v"), CONFIG_RUN);
}
static int setup(void **state)
{
	config_init(&cfg);
	return 0;
}

static int teardown(void **state)
{
	config_free(&cfg);
	return 0;
}

/* ---- defaults and valid values */

static void test_defaults(void **state)
{
	assert_int_equal(cfg.mem_size, CONFIG_DEFAULT_MEMORY);
	assert_int_equal(cfg.cpus, 1);
	assert_int_equal(cfg.serial, SERIAL_STDIO);
	assert_int_equal(cfg.sev.cbitpos, -1);
	assert_int_equal(cfg.sev.reduced_phys_bits, -1);
	assert_int_equal(cfg.sev.kernel_hashes, TRI_AUTO);
	assert_int_equal(cfg.sev.psp, PSP_KERNEL);
	assert_false(cfg.sev.enabled || cfg.sev.es || cfg.sev.policy_set);
	assert_null(cfg.firmware);
	assert_null(cfg.kernel);
	assert_int_equal(cfg.verbose, 0);
	assert_int_equal(PARSE("--firmware", "f"), CONFIG_RUN);
	assert_int_equal(cfg.mem_size, CONFIG_DEFAULT_MEMORY);
}

static void test_every_option(void **state)
{
	assert_int_equal(PARSE("--memory", "2G", "--cpus", "64",
		"--firmware", "fw.bin", "--kernel=bzImage", "--initrd", "rd",
		"--cmdline", "console=ttyS0 quiet", "--serial", "none",
		"--hugepages", "--lock-memory", "--boot-trace",
		"--cpuid-mask", "cx16", "--paused", "--qmp", "/run/q.sock",
		"--launch-report", "rep.json", "--kvm-device", "/dev/kvm2",
		"-v", "--verbose", "--sev", "--sev-es", "--sev-policy", "0x37",
		"--sev-dh-cert", "godh.cert", "--sev-session", "sess.bin",
		"--sev-cbitpos", "51", "--sev-reduced-phys-bits", "1",
		"--psp", "emulated:/var/psp", "--sev-kernel-hashes", "on",
		"--sev-secret-header", "hdr", "--sev-secret", "sec",
		"--sev-secret-gpa", "0xa000", "--dump-acpi", "/tmp/t"),
		CONFIG_RUN);
	assert_int_equal(cfg.mem_size, 2 * SZ_1G);
	assert_int_equal(cfg.cpus, 64);
	assert_string_equal(cfg.firmware, "fw.bin");
	assert_string_equal(cfg.kernel, "bzImage");
	assert_string_equal(cfg.initrd, "rd");
	assert_string_equal(cfg.cmdline, "console=ttyS0 quiet");
	assert_int_equal(cfg.serial, SERIAL_NONE);
	assert_true(cfg.hugepages && cfg.lock_memory && cfg.boot_trace);
	assert_true(cfg.paused);
	assert_string_equal(cfg.cpuid_mask, "cx16");
	assert_string_equal(cfg.qmp, "/run/q.sock");
	assert_string_equal(cfg.launch_report, "rep.json");
	assert_string_equal(cfg.kvm_path, "/dev/kvm2");
	assert_int_equal(cfg.verbose, 2);
	assert_true(cfg.sev.enabled && cfg.sev.es && cfg.sev.policy_set);
	assert_int_equal(cfg.sev.policy, 0x37);
	assert_string_equal(cfg.sev.dh_cert, "godh.cert");
	assert_string_equal(cfg.sev.session, "sess.bin");
	assert_int_equal(cfg.sev.cbitpos, 51);
	assert_int_equal(cfg.sev.reduced_phys_bits, 1);
	assert_int_equal(cfg.sev.psp, PSP_EMULATED);
	assert_string_equal(cfg.sev.psp_dir, "/var/psp");
	assert_int_equal(cfg.sev.kernel_hashes, TRI_ON);
	assert_string_equal(cfg.sev.secret_header, "hdr");
	assert_string_equal(cfg.sev.secret, "sec");
	assert_true(cfg.sev.secret_gpa_set);
	assert_int_equal(cfg.sev.secret_gpa, 0xa000);
	assert_string_equal(cfg.dump_acpi, "/tmp/t");
	assert_int_equal(config_validate(&cfg), 0);
}

static void test_value_forms(void **state)
{
	static const struct { const char *v; u64 bytes; } sizes[] = {
		{ "16M", 16 * SZ_1M }, { "1T", 1ULL << 40 },
		{ "268435456", 256 * SZ_1M }, { "0x20000000", 512 * SZ_1M },
		{ "1048576K", SZ_1G }, { "1GiB", SZ_1G },
	};
	char opt[64];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		snprintf(opt, sizeof(opt), "--memory=%s", sizes[i].v);
		assert_int_equal(PARSE(opt), CONFIG_RUN);
		assert_int_equal(cfg.mem_size, sizes[i].bytes);
	}
	assert_int_equal(PARSE("--cpus=1", "--sev-policy", "33"), CONFIG_RUN);
	assert_int_equal(cfg.cpus, 1);
	assert_int_equal(cfg.sev.policy, 0x33);
	assert_int_equal(PARSE("--sev-cbitpos=63", "--sev-reduced-phys-bits",
			       "63", "--sev-secret-gpa", "4096"), CONFIG_RUN);
	assert_int_equal(cfg.sev.cbitpos, 63);
	assert_int_equal(cfg.sev.reduced_phys_bits, 63);
	assert_int_equal(cfg.sev.secret_gpa, 4096);
	/* Free-form strings may start with '-'; paths need --opt=-x. */
	assert_int_equal(PARSE("--cmdline", "-s", "--cmdline="), CONFIG_RUN);
	assert_string_equal(cfg.cmdline, "");
	assert_int_equal(PARSE("--kernel=-k"), CONFIG_RUN);
	assert_string_equal(cfg.kernel, "-k");
	assert_int_equal(PARSE("--sev-kernel-hashes=off"), CONFIG_RUN);
	assert_int_equal(cfg.sev.kernel_hashes, TRI_OFF);
	assert_int_equal(PARSE("--sev-dma-check", "off"), CONFIG_RUN);
	assert_int_equal(cfg.sev.dma_check, TRI_OFF);
	assert_int_equal(PARSE("--sev-dma-check=on"), CONFIG_RUN);
	assert_int_equal(cfg.sev.dma_check, TRI_ON);
}

static void test_enums_and_flags(void **state)
{
	assert_int_equal(PARSE("--serial", "file:/tmp/s.log"), CONFIG_RUN);
	assert_int_equal(cfg.serial, SERIAL_FILE);
	assert_string_equal(cfg.serial_path, "/tmp/s.log");
	assert_int_equal(PARSE("--serial=stdio"), CONFIG_RUN);
	assert_int_equal(cfg.serial, SERIAL_STDIO);
	assert_null(cfg.serial_path);
	assert_int_equal(PARSE("--psp", "emulated:d", "--psp", "kernel"),
			 CONFIG_RUN);
	assert_int_equal(cfg.sev.psp, PSP_KERNEL);
	assert_null(cfg.sev.psp_dir);
	assert_int_equal(PARSE("--hugepages", "--hugepages=off", "--paused=on",
			       "--sev=true", "--boot-trace=no"), CONFIG_RUN);
	assert_false(cfg.hugepages);
	assert_true(cfg.paused && cfg.sev.enabled);
	assert_false(cfg.boot_trace);
	assert_int_equal(PARSE("-vvv"), CONFIG_RUN);
	assert_int_equal(cfg.verbose, 2);	/* capped at debug */
}

static void test_help_version(void **state)
{
	assert_int_equal(PARSE("--help"), CONFIG_HELP);
	assert_int_equal(PARSE("-h"), CONFIG_HELP);
	assert_int_equal(PARSE("--memory", "12Q", "--help"), CONFIG_HELP);
	assert_int_equal(PARSE("--version"), CONFIG_VERSION);
	assert_int_equal(PARSE("-V"), CONFIG_VERSION);
	assert_int_equal(PARSE("-vV"), CONFIG_VERSION);
	assert_int_equal(cfg.mem_size, CONFIG_DEFAULT_MEMORY);
	assert_int_equal(cfg.verbose, 0);	/* pass 1 applies nothing */
}

/* ---- invalid values: every one leaves the configuration unchanged */

struct bad_value {
	const char *opt, *val, *msg;
};

static const struct bad_value bad_values[] = {
	{ "memory", "12Q", "--memory 12Q: not a size (use e.g. 256M, 2G)" },
	{ "memory", "8M", "--memory 8M: must be 16M..1T" },
	{ "memory", "2T", "--memory 2T: must be 16M..1T" },
	{ "memory", "1.5G", "--memory 1.5G: not a size" },
	{ "memory", "", "--memory \"\": not a size" },
	{ "memory", "99999999999999999999", "not a size" },
	{ "memory", "20000000000T", "not a size" },
	{ "cpus", "0", "--cpus 0: must be 1..64" },
	{ "cpus", "65", "--cpus 65: must be 1..64" },
	{ "cpus", "two", "--cpus two: not a number" },
	{ "cpus", "1e3", "--cpus 1e3: not a number" },
	{ "firmware", "", "--firmware \"\": empty value" },
	{ "kernel", "", "--kernel \"\": empty value" },
	{ "initrd", "", "--initrd \"\": empty value" },
	{ "cpuid-mask", "", "--cpuid-mask \"\": empty value" },
	{ "qmp", "", "--qmp \"\": empty value" },
	{ "launch-report", "", "--launch-report \"\": empty value" },
	{ "kvm-device", "", "--kvm-device \"\": empty value" },
	{ "serial", "tty", "--serial tty: must be stdio|file:PATH|none" },
	{ "serial", "file", "--serial file: must be stdio|file:PATH|none" },
	{ "serial", "file:", "--serial file:: nothing after \"file:\"" },
	{ "serial", "stdio:x", "must be stdio|file:PATH|none" },
	{ "serial", "nonesuch", "must be stdio|file:PATH|none" },
	{ "sev-policy", "xyz", "--sev-policy xyz: not a 32-bit hexadecimal" },
	{ "sev-policy", "0x100000000", "--sev-policy 0x100000000: not a 32" },
	{ "sev-policy", "33z", "not a 32-bit hexadecimal" },
	{ "sev-policy", "", "not a 32-bit hexadecimal" },
	{ "sev-dh-cert", "", "--sev-dh-cert \"\": empty value" },
	{ "sev-session", "", "--sev-session \"\": empty value" },
	{ "sev-cbitpos", "0", "--sev-cbitpos 0: must be 1..63" },
	{ "sev-cbitpos", "64", "--sev-cbitpos 64: must be 1..63" },
	{ "sev-cbitpos", "c", "--sev-cbitpos c: not a number" },
	{ "sev-reduced-phys-bits", "0", "must be 1..63" },
	{ "sev-reduced-phys-bits", "64", "must be 1..63" },
	{ "psp", "emulated", "--psp emulated: must be kernel|emulated:DIR" },
	{ "psp", "emulated:", "nothing after \"emulated:\"" },
	{ "psp", "kernel:x", "must be kernel|emulated:DIR" },
	{ "psp", "sev", "must be kernel|emulated:DIR" },
	{ "sev-kernel-hashes", "maybe", "--sev-kernel-hashes maybe: must be on" },
	{ "sev-kernel-hashes", "", "must be on or off" },
	{ "sev-dma-check", "maybe", "--sev-dma-check maybe: must be on or off" },
	{ "sev-dma-check", "", "must be on or off" },
	{ "sev-secret-header", "", "empty value" },
	{ "sev-secret", "", "empty value" },
	{ "sev-secret-gpa", "0x", "--sev-secret-gpa 0x: not a number" },
	{ "sev-secret-gpa", "a000", "--sev-secret-gpa a000: not a number" },
};

static void check_bad_value(const struct bad_value *b, bool eq_form)
{
	struct vm_config before;
	char opt[64];

	memcpy(&before, &cfg, sizeof(cfg));
	if (eq_form) {
		snprintf(opt, sizeof(opt), "--%s=%s", b->opt, b->val);
		EXPECT_ERR(-EINVAL, b->msg, PARSE(opt));
	} else {
		snprintf(opt, sizeof(opt), "--%s", b->opt);
		EXPECT_ERR(-EINVAL, b->msg, PARSE(opt, b->val));
	}
	assert_memory_equal(&before, &cfg, sizeof(cfg));
}

static void test_bad_values(void **state)
{
	unsigned int i;

	populate();
	for (i = 0; i < ARRAY_SIZE(bad_values); i++) {
		check_bad_value(&bad_values[i], true);
		check_bad_value(&bad_values[i], false);
	}
}

struct bad_args {
	const char *args[6];
	const char *msg;
};

static const struct bad_args bad_args[] = {
	{ { "--foo" }, "unknown option \"--foo\" (see --help)" },
	{ { "--memroy", "1G" }, "\"--memroy\" (did you mean \"--memory\"?" },
	{ { "--sev-polcy=1" }, "did you mean \"--sev-policy\"?" },
	{ { "-x" }, "unknown option \"-x\" (see --help)" },
	{ { "-vq" }, "unknown option \"-q\"" },
	{ { "vm.img" }, "unexpected argument \"vm.img\"" },
	{ { "--memory=1G", "extra" }, "unexpected argument \"extra\"" },
	{ { "--hugepages", "on" }, "unexpected argument \"on\"" },
	{ { "--" }, "unexpected argument \"--\"" },
	{ { "-" }, "unexpected argument \"-\"" },
	{ { "--memory" }, "--memory: missing value (SIZE)" },
	{ { "--kernel", "--cpus", "2" }, "--kernel: missing value (PATH)" },
	{ { "--cpus", "-1" }, "--cpus: missing value (N)" },
	{ { "--config" }, "--config: missing value (FILE)" },
	{ { "--help=yes" }, "--help takes no value (got \"--help=yes\")" },
	{ { "--verbose=2" }, "--verbose takes no value" },
	{ { "--hugepages=maybe" }, "--hugepages maybe: must be on or off" },
	{ { "--cpus", "2", "--bogus" }, "unknown option \"--bogus\"" },
};

static void test_bad_args(void **state)
{
	struct vm_config before;
	unsigned int i;

	populate();
	memcpy(&before, &cfg, sizeof(cfg));
	for (i = 0; i < ARRAY_SIZE(bad_args); i++) {
		EXPECT_ERR(-EINVAL, bad_args[i].msg,
			   parse_v(&cfg, bad_args[i].args));
		assert_memory_equal(&before, &cfg, sizeof(cfg));
	}
}

/* ---- --help */

static void test_usage(void **state)
{
	static const char *const names[] = {
		"--config FILE", "--memory SIZE", "--cpus N", "--firmware PATH",
		"--kernel PATH", "--initrd PATH", "--cmdline STR",
		"--serial stdio|file:PATH|none", "--hugepages", "--lock-memory",
		"--boot-trace", "--cpuid-mask LIST|none", "--paused",
		"--qmp PATH", "--launch-report FILE", "--kvm-device PATH",
		"-v, --verbose", "-h, --help", "-V, --version", "--sev ",
		"--sev-es", "--sev-policy HEX", "--sev-dh-cert FILE",
		"--sev-session FILE", "--sev-cbitpos N",
		"--sev-reduced-phys-bits N", "--psp kernel|emulated:DIR",
		"--sev-kernel-hashes on|off", "--sev-secret-header FILE",
		"--sev-secret FILE", "--sev-secret-gpa ADDR",
		"--sev-dma-check on|off", "\nVM:\n", "\nBoot", "\nDevices:\n", "\nAMD SEV:\n",
		"\nControl:\n", "Exit status", "64+V", "SIGTERM",
	};
	char *text = NULL, *line;
	size_t len = 0;
	unsigned int i;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	config_usage(f);
	assert_int_equal(fclose(f), 0);
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		if (!strstr(text, names[i]))
			print_message("missing in --help: %s\n", names[i]);
		assert_non_null(strstr(text, names[i]));
	}
	for (line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		if (strlen(line) > 80)
			print_message("too long: %s\n", line);
		assert_true(strlen(line) <= 80);
	}
	free(text);
}

const char *tmpdir_path(void)
{
	return tmpdir;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(test_defaults), T(test_every_option), T(test_value_forms),
		T(test_enums_and_flags), T(test_help_version),
		T(test_bad_values), T(test_bad_args), T(test_json_every_key),
		T(test_json_value_forms), T(test_json_bad),
		T(test_json_unreadable), T(test_override_order),
		T(test_validate), T(test_validate_direct), T(test_finalize),
		T(test_finalize_embedded),
		T(test_config_free), T(test_usage), T(test_device_cli),
		T(test_device_bad), T(test_device_iommu), T(test_device_limit), T(test_device_files),
		T(test_device_json), T(test_device_net), T(test_device_net_bad),
		T(test_device_net_files), T(test_device_vsock),
#undef T
	};
	const char *base = getenv("TMPDIR");
	int r;

	log_init("sevm");
	snprintf(tmpdir, sizeof(tmpdir), "%s/test_config.XXXXXX",
		 base ? base : "/tmp");
	if (!mkdtemp(tmpdir))
		return 1;
	r = cmocka_run_group_tests(tests, NULL, NULL);
	unlink(tmp_path("vm.json"));
	unlink(tmp_path("vm2.json"));
	unlink(tmp_path("stderr.txt"));
	rmdir(tmpdir);
	return r;
}
