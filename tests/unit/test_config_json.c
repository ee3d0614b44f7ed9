// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_config, part 2: the JSON file, the override order between file and
 * command line, config_validate() and config_finalize().
 */
#include <sys/stat.h>
#include <unistd.h>

#include "lib/fw-embed.h"
#include "tests/unit/test_config.h"

/* ---- JSON */

void test_json_every_key(void **state)
{
	const char *f = write_json("vm.json",
		"{ \"memory\": \"512M\", \"cpus\": 2, \"firmware\": \"fw.bin\",\n"
		"  \"kernel\": \"bz\", \"initrd\": \"rd\", \"cmdline\": \"quiet\",\n"
		"  \"serial\": \"file:/s.log\", \"hugepages\": true,\n"
		"  \"lock-memory\": true, \"boot-trace\": true,\n"
		"  \"cpuid-mask\": \"none\", \"paused\": true, \"qmp\": \"/q\",\n"
		"  \"launch-report\": \"r.json\", \"kvm-device\": \"/dev/k\",\n"
		"  \"verbose\": 1, \"sev\": true, \"sev-es\": true,\n"
		"  \"sev-policy\": \"0x37\", \"sev-dh-cert\": \"godh\",\n"
		"  \"sev-session\": \"sess\", \"sev-cbitpos\": 47,\n"
		"  \"sev-reduced-phys-bits\": \"1\", \"psp\": \"emulated:/p\",\n"
		"  \"sev-kernel-hashes\": \"on\", \"sev-secret-header\": \"h\",\n"
		"  \"sev-secret\": \"s\", \"sev-secret-gpa\": \"0xa000\" }\n");

	assert_int_equal(PARSE("--config", f), CONFIG_RUN);
	assert_int_equal(cfg.mem_size, 512 * SZ_1M);
	assert_int_equal(cfg.cpus, 2);
	assert_string_equal(cfg.firmware, "fw.bin");
	assert_string_equal(cfg.kernel, "bz");
	assert_string_equal(cfg.initrd, "rd");
	assert_string_equal(cfg.cmdline, "quiet");
	assert_int_equal(cfg.serial, SERIAL_FILE);
	assert_string_equal(cfg.serial_path, "/s.log");
	assert_true(cfg.hugepages && cfg.lock_memory && cfg.boot_trace &&
		    cfg.paused);
	assert_string_equal(cfg.cpuid_mask, "none");
	assert_string_equal(cfg.qmp, "/q");
	assert_string_equal(cfg.launch_report, "r.json");
	assert_string_equal(cfg.kvm_path, "/dev/k");
	assert_int_equal(cfg.verbose, 1);
	assert_true(cfg.sev.enabled && cfg.sev.es && cfg.sev.policy_set);
	assert_int_equal(cfg.sev.policy, 0x37);
	assert_string_equal(cfg.sev.dh_cert, "godh");
	assert_string_equal(cfg.sev.session, "sess");
	assert_int_equal(cfg.sev.cbitpos, 47);
	assert_int_equal(cfg.sev.reduced_phys_bits, 1);
	assert_int_equal(cfg.sev.psp, PSP_EMULATED);
	assert_string_equal(cfg.sev.psp_dir, "/p");
	assert_int_equal(cfg.sev.kernel_hashes, TRI_ON);
	assert_string_equal(cfg.sev.secret_header, "h");
	assert_string_equal(cfg.sev.secret, "s");
	assert_int_equal(cfg.sev.secret_gpa, 0xa000);
	assert_int_equal(config_validate(&cfg), 0);
}

void test_json_value_forms(void **state)
{
	const char *f = write_json("vm.json",
		"{\"memory\": 268435456, \"cpus\": \"3\", \"sev-policy\": 51,\n"
		" \"sev-kernel-hashes\": false, \"sev-secret-gpa\": 40960,\n"
		" \"hugepages\": false, \"verbose\": \"2\"}");

	assert_int_equal(config_load_json(&cfg, f), 0);
	assert_int_equal(cfg.mem_size, 256 * SZ_1M);
	assert_int_equal(cfg.cpus, 3);
	assert_int_equal(cfg.sev.policy, 0x33);	/* integer 51 */
	assert_int_equal(cfg.sev.kernel_hashes, TRI_OFF);
	assert_int_equal(cfg.sev.secret_gpa, 0xa000);
	assert_false(cfg.hugepages);
	assert_int_equal(cfg.verbose, 2);
	f = write_json("vm.json", " {} \n\n");
	assert_int_equal(config_load_json(&cfg, f), 0);
	f = write_json("vm.json", "{\"cpus\": 4} // the end");
	assert_int_equal(config_load_json(&cfg, f), 0);
	assert_int_equal(cfg.cpus, 4);
}

struct bad_json {
	const char *text, *msg;
};

static const struct bad_json bad_json[] = {
	{ "{\"memroy\": \"1G\"}",
	  "vm.json: unknown key \"memroy\" (did you mean \"memory\"?)" },
	{ "{\"disk\": \"a.img\"}", "vm.json: unknown key \"disk\"" },
	{ "{\"cpus\": true}", "vm.json: key \"cpus\": expected an integer" },
	{ "{\"cpus\": 1.5}", "key \"cpus\": expected an integer" },
	{ "{\"cpus\": \"two\"}", "key \"cpus\": two: not a number" },
	{ "{\"cpus\": 0}", "key \"cpus\": 0: must be 1..64" },
	{ "{\"cpus\": -1}", "key \"cpus\": -1: not a number" },
	{ "{\"memory\": \"12Q\"}", "key \"memory\": 12Q: not a size" },
	{ "{\"memory\": 1000}", "key \"memory\": 1000: must be 16M..1T" },
	{ "{\"memory\": [1]}", "key \"memory\": expected an integer or a size" },
	{ "{\"hugepages\": \"yes\"}", "key \"hugepages\": expected true or false" },
	{ "{\"hugepages\": 1}", "key \"hugepages\": expected true or false" },
	{ "{\"firmware\": 5}", "key \"firmware\": expected a string" },
	{ "{\"firmware\": null}", "key \"firmware\": expected a string" },
	{ "{\"firmware\": \"\"}", "key \"firmware\": \"\": empty value" },
	{ "{\"serial\": \"tty\"}", "key \"serial\": tty: must be stdio|" },
	{ "{\"psp\": {\"dir\": 1}}", "key \"psp\": expected a string" },
	{ "{\"sev-policy\": \"zz\"}", "key \"sev-policy\": zz: not a 32-bit" },
	{ "{\"sev-policy\": 1.0}", "key \"sev-policy\": expected an integer or a hex" },
	{ "{\"sev-kernel-hashes\": 1}", "expected \"on\", \"off\" or a boolean" },
	{ "{\"sev-dma-check\": 0}", "expected \"on\", \"off\" or a boolean" },
	{ "{\"sev-dma-check\": \"strict\"}", "strict: must be on or off" },
	{ "{\"sev-kernel-hashes\": \"maybe\"}", "maybe: must be on or off" },
	{ "{\"verbose\": 3}", "key \"verbose\": 3: must be 0..2" },
	{ "{\"verbose\": true}", "key \"verbose\": expected an integer" },
	{ "{\"config\": \"x.json\"}", "key \"config\" is only valid on the command line" },
	{ "{\"help\": true}", "key \"help\" is only valid on the command line" },
	{ "[1, 2]", "vm.json: the top level must be an object {...}, not array" },
	{ "null", "the top level must be an object {...}, not null" },
	{ "\"memory\"", "the top level must be an object {...}, not string" },
	{ "{\"memory\" \"1G\"}", "vm.json:1: not valid JSON: " },
	{ "{\n\"cpus\": 2,\n\"memory\": 1G\n}", "vm.json:3: not valid JSON" },
	{ "{", "vm.json: not valid JSON: unexpected end of file" },
	{ "", "vm.json: not valid JSON: unexpected end of file" },
	{ "{} {}", "vm.json:1: not valid JSON: data after the top-level value" },
	{ "{\"cpus\": 2}\nx", "vm.json:2: not valid JSON: data after" },
	/* fuzz_config_json: a comment to EOF was scanned past the buffer */
	{ "22//", "the top level must be an object {...}, not int" },
	{ "[1]/* ", "not array" },
};

void test_json_bad(void **state)
{
	struct vm_config before;
	unsigned int i;
	const char *f;

	populate();
	memcpy(&before, &cfg, sizeof(cfg));
	for (i = 0; i < ARRAY_SIZE(bad_json); i++) {
		f = write_json("vm.json", bad_json[i].text);
		EXPECT_ERR(-EINVAL, bad_json[i].msg, config_load_json(&cfg, f));
		assert_memory_equal(&before, &cfg, sizeof(cfg));
		/* Through the command line: same error, same result. */
		EXPECT_ERR(-EINVAL, bad_json[i].msg, PARSE("--config", f));
		assert_memory_equal(&before, &cfg, sizeof(cfg));
	}
}

void test_json_unreadable(void **state)
{
	char dir[PATH_MAX];

	snprintf(dir, sizeof(dir), "%s", tmp_path("adir"));

	EXPECT_ERR(-ENOENT, "none.json: cannot read: No such file",
		   config_load_json(&cfg, tmp_path("none.json")));
	EXPECT_ERR(-ENOENT, "cannot read: No such file",
		   PARSE("--config", tmp_path("none.json")));
	assert_int_equal(mkdir(dir, 0700), 0);
	EXPECT_ERR(-EISDIR, "adir: cannot read: Is a directory",
		   config_load_json(&cfg, dir));
	assert_int_equal(rmdir(dir), 0);
}

/* ---- override order */

void test_override_order(void **state)
{
	const char *f = write_json("vm.json",
		"{\"cpus\": 2, \"memory\": \"1G\", \"hugepages\": true,"
		" \"verbose\": 1, \"firmware\": \"a\"}");
	const char *g = write_json("vm2.json", "{\"cpus\": 3}");

	assert_int_equal(PARSE("--cpus", "4", "--config", f), CONFIG_RUN);
	assert_int_equal(cfg.cpus, 4);
	assert_int_equal(cfg.mem_size, SZ_1G);	/* file only */
	assert_int_equal(PARSE("--config", f, "--cpus", "5",
			       "--hugepages=off", "-v", "--firmware", "b"),
			 CONFIG_RUN);
	assert_int_equal(cfg.cpus, 5);
	assert_false(cfg.hugepages);
	assert_int_equal(cfg.verbose, 2);	/* file 1, plus one -v */
	assert_string_equal(cfg.firmware, "b");
	assert_int_equal(PARSE("--cpus", "6", "--cpus", "7"), CONFIG_RUN);
	assert_int_equal(cfg.cpus, 7);		/* last one wins */
	EXPECT_ERR(-EINVAL, "--config vm2.json: a config file was already given",
		   PARSE("--config", f, "--config=vm2.json"));
	/* A bad command-line value after a good file fails the parse. */
	EXPECT_ERR(-EINVAL, "--cpus 0: must be 1..64",
		   PARSE("--config", g, "--cpus", "0"));
	assert_int_equal(cfg.cpus, 3);
}

/* ---- validation */

struct vcase {
	const char *args[14];
	const char *msg;	/* NULL: valid */
};

static const struct vcase vcases[] = {
	{ { "--firmware", "fw" }, NULL },
	{ { "--kernel", "k", "--initrd", "i", "--cmdline", "c" }, NULL },
#ifdef CONFIG_FIRMWARE
	{ { "--cpus", "2" }, NULL },	/* the embedded firmware */
#else
	{ { "--cpus", "2" }, "nothing to boot: give --firmware PATH and/or" },
#endif
	{ { "--cpus", "2", "--dump-acpi", "d" }, NULL },	/* boots nothing */
	{ { "--dump-acpi", "d", "--initrd", "i" }, "--initrd i needs --kernel" },
	{ { "--firmware", "f", "--initrd", "i" }, "--initrd i needs --kernel" },
	{ { "--firmware", "f", "--cmdline", "" }, "--cmdline needs --kernel" },
	{ { "--firmware", "f", "--memory", "16385K" },
	  "--memory 16385K: must be a multiple of 4K" },
	{ { "--firmware", "f", "--memory", "18M", "--hugepages" }, NULL },
	{ { "--firmware", "f", "--memory", "17M", "--hugepages" },
	  "--memory 17M: must be a multiple of 2M with --hugepages" },
	{ { "--firmware", "f", "--sev" }, NULL },
	{ { "--firmware", "f", "--sev-es" }, NULL },
	{ { "--firmware", "f", "--sev", "--sev-policy", "0x10033" }, NULL },
	{ { "--firmware", "f", "--sev", "--sev-policy", "0x37" },
	  "--sev-policy 0x37: the ES bit (0x4) needs --sev-es" },
	{ { "--firmware", "f", "--sev-es", "--sev-policy", "0x33" },
	  "--sev-policy 0x33: --sev-es needs the ES bit (0x4)" },
	{ { "--firmware", "f", "--sev", "--sev-policy", "0x73" },
	  "--sev-policy 0x73: reserved bits 6..15 must be 0" },
	{ { "--firmware", "f", "--sev", "--sev-policy", "0x8033" },
	  "reserved bits 6..15 must be 0" },
	{ { "--firmware", "f", "--sev-policy", "0x33" },
	  "--sev-policy needs --sev or --sev-es" },
	{ { "--firmware", "f", "--sev-dh-cert", "d" },
	  "--sev-dh-cert needs --sev or --sev-es" },
	{ { "--firmware", "f", "--sev-session", "s" },
	  "--sev-session needs --sev or" },
	{ { "--firmware", "f", "--sev-cbitpos", "47" }, "--sev-cbitpos needs" },
	{ { "--firmware", "f", "--sev-reduced-phys-bits", "1" },
	  "--sev-reduced-phys-bits needs --sev" },
	{ { "--firmware", "f", "--psp", "emulated:/d" }, "--psp needs --sev" },
	{ { "--firmware", "f", "--psp", "kernel" }, NULL },
	{ { "--kernel", "k", "--sev-kernel-hashes", "off" },
	  "--sev-kernel-hashes needs --sev" },
	{ { "--firmware", "f", "--sev-secret-header", "h" },
	  "--sev-secret-header needs --sev" },
	{ { "--firmware", "f", "--sev-secret", "s" }, "--sev-secret needs --sev" },
	{ { "--firmware", "f", "--sev-secret-gpa", "0" },
	  "--sev-secret-gpa needs --sev" },
	{ { "--firmware", "f", "--sev", "--sev-dh-cert", "d" },
	  "--sev-dh-cert needs --sev-session" },
	{ { "--firmware", "f", "--sev", "--sev-session", "s" },
	  "--sev-session needs --sev-dh-cert" },
	{ { "--firmware", "f", "--sev", "--sev-dh-cert", "d", "--sev-session",
	    "s", "--sev-secret-header", "h" },
	  "--sev-secret-header needs --sev-secret" },
	{ { "--firmware", "f", "--sev", "--sev-dh-cert", "d", "--sev-session",
	    "s", "--sev-secret", "s" },
	  "--sev-secret needs --sev-secret-header" },
	{ { "--firmware", "f", "--sev", "--sev-secret-header", "h",
	    "--sev-secret", "s" }, "--sev-secret needs --sev-session" },
	{ { "--firmware", "f", "--sev", "--sev-secret-gpa", "0x1000" },
	  "--sev-secret-gpa needs --sev-secret" },
	{ { "--firmware", "f", "--sev", "--sev-kernel-hashes", "on" },
	  "--sev-kernel-hashes on needs --kernel" },
	{ { "--firmware", "f", "--sev", "--sev-kernel-hashes", "off" }, NULL },
	{ { "--firmware", "f", "--sev-dma-check", "on" },
	  "--sev-dma-check needs --sev or --sev-es" },
	{ { "--firmware", "f", "--sev-dma-check", "off" },
	  "--sev-dma-check needs --sev or --sev-es" },
	{ { "--firmware", "f", "--sev-es", "--sev-dma-check", "off" }, NULL },
	{ { "--firmware", "f", "--kernel", "k", "--sev-es", "--psp",
	    "emulated:/d", "--sev-kernel-hashes", "on", "--sev-cbitpos", "51",
	    "--sev-reduced-phys-bits", "1" }, NULL },
};

void test_validate(void **state)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(vcases); i++) {
		config_free(&cfg);
		config_init(&cfg);
		assert_int_equal(parse_v(&cfg, vcases[i].args), CONFIG_RUN);
		if (!vcases[i].msg) {
			if (config_validate(&cfg))
				print_message("case %u should be valid\n", i);
			assert_int_equal(config_validate(&cfg), 0);
			continue;
		}
		EXPECT_ERR(-EINVAL, vcases[i].msg, config_validate(&cfg));
	}
}

void test_validate_direct(void **state)
{
	assert_int_equal(PARSE("--firmware", "f"), CONFIG_RUN);
	cfg.cpus = 0;
	EXPECT_ERR(-EINVAL, "--cpus 0: must be 1..64", config_validate(&cfg));
	cfg.cpus = 1;
	cfg.mem_size = 4 * SZ_1M;
	EXPECT_ERR(-EINVAL, "--memory 4M: must be 16M..1T",
		   config_validate(&cfg));
	cfg.mem_size = 16 * SZ_1M;
	cfg.serial = SERIAL_FILE;
	EXPECT_ERR(-EINVAL, "--serial file: needs a path",
		   config_validate(&cfg));
}

void test_finalize(void **state)
{
	assert_int_equal(PARSE("--firmware", "f", "--sev-es"), CONFIG_RUN);
	assert_false(cfg.sev.enabled);
	assert_int_equal(config_validate(&cfg), 0);
	assert_int_equal(config_finalize(&cfg), 0);
	assert_true(cfg.sev.enabled);
	assert_int_equal(cfg.sev.policy, 0x37);
	assert_false(cfg.sev.policy_set);	/* still "not given" */
	assert_string_equal(cfg.cpuid_mask, CONFIG_DEFAULT_CPUID_MASK);
	assert_string_equal(cfg.kvm_path, CONFIG_DEFAULT_KVM_DEVICE);
	assert_int_equal(config_validate(&cfg), 0);	/* still valid */

	config_free(&cfg);
	config_init(&cfg);
	assert_int_equal(PARSE("--firmware", "f", "--sev", "--cpuid-mask",
			       "none", "--kvm-device", "/k"), CONFIG_RUN);
	assert_int_equal(config_finalize(&cfg), 0);
	assert_int_equal(cfg.sev.policy, 0x33);
	assert_string_equal(cfg.cpuid_mask, "none");
	assert_string_equal(cfg.kvm_path, "/k");

	config_free(&cfg);
	config_init(&cfg);
	assert_int_equal(PARSE("--firmware", "f"), CONFIG_RUN);
	assert_int_equal(config_finalize(&cfg), 0);
	assert_false(cfg.sev.enabled);
	assert_int_equal(cfg.sev.policy, 0);
	assert_int_equal(cfg.sev.dma_check, TRI_AUTO);	/* no SEV: unused */

	/* --sev-dma-check: on by default for SEV guests, off kept */
	config_free(&cfg);
	config_init(&cfg);
	assert_int_equal(PARSE("--firmware", "f", "--sev"), CONFIG_RUN);
	assert_int_equal(cfg.sev.dma_check, TRI_AUTO);
	assert_int_equal(config_finalize(&cfg), 0);
	assert_int_equal(cfg.sev.dma_check, TRI_ON);
	config_free(&cfg);
	config_init(&cfg);
	assert_int_equal(PARSE("--firmware", "f", "--sev-es",
			       "--sev-dma-check=off"), CONFIG_RUN);
	assert_int_equal(config_finalize(&cfg), 0);
	assert_int_equal(cfg.sev.dma_check, TRI_OFF);
	assert_int_equal(config_validate(&cfg), 0);
}

/* finalize_args ARGS: parse, validate and finalize; 0 or the error. */
static int finalize_args(const char *const *args)
{
	config_free(&cfg);
	config_init(&cfg);
	assert_int_equal(parse_v(&cfg, args), CONFIG_RUN);
	return config_validate(&cfg) ?: config_finalize(&cfg);
}

/* No --firmware: the embedded image where there is nothing else to boot. */
void test_finalize_embedded(void **state)
{
	static const struct {
		const char *args[6];
		bool embedded;
	} cases[] = {
		{ { "--cpus", "2" }, true },
		{ { "--sev" }, true },
		{ { "--kernel", "k", "--sev" }, true },	/* measured boot */
		{ { "--kernel", "k" }, false },		/* direct boot */
		{ { "--firmware", "f" }, false },
		{ { "--firmware", "f", "--sev" }, false },
		{ { "--dump-acpi", "d" }, false },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		assert_int_equal(finalize_args(cases[i].args), 0);
		assert_int_equal(cfg.firmware_embedded,
				 FW_EMBEDDED_AVAILABLE && cases[i].embedded);
		if (cfg.firmware_embedded)
			assert_string_equal(cfg.firmware, FW_EMBEDDED_NAME);
		else if (cfg.firmware)
			assert_string_equal(cfg.firmware, "f");
	}
	config_free(&cfg);
	assert_null(cfg.firmware);		/* the name is freed too */
}

void test_config_free(void **state)
{
	populate();
	config_free(&cfg);
	assert_null(cfg.firmware);
	assert_null(cfg.serial_path);
	assert_null(cfg.sev.psp_dir);
	assert_null(cfg.qmp);
	config_free(&cfg);	/* twice is harmless */
}
