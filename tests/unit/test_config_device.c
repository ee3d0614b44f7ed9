// SPDX-License-Identifier: GPL-2.0-only
/*
 * Per-instance devices: --device text and the JSON "devices" list go
 * through one schema; slots follow the order given (file first); every
 * bad type, key, value or file is one error line.
 */
#include <fcntl.h>
#include <unistd.h>

#include "tests/unit/test_config.h"

static const char *make_disk(const char *name)
{
	const char *path = tmp_path(name);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, 4096), 0);
	close(fd);
	return path;
}

void test_device_cli(void **state)
{
	char arg[512];

	snprintf(arg, sizeof(arg), "virtio-blk,file=%s,readonly=on,serial=a,,b",
		 make_disk("d0.img"));
	assert_int_equal(PARSE("--device", "virtio-rng", "--device", arg,
			       "--device=virtio-console", "--firmware", "fw.bin"), 0);
	assert_int_equal(cfg.nr_devices, 3);
	assert_int_equal(cfg.devices[0].type, DEVCFG_VIRTIO_RNG);
	assert_int_equal(cfg.devices[0].slot, 1);
	assert_int_equal(cfg.devices[1].type, DEVCFG_VIRTIO_BLK);
	assert_int_equal(cfg.devices[1].slot, 2);
	assert_string_equal(cfg.devices[1].file, tmp_path("d0.img"));
	assert_true(cfg.devices[1].readonly);
	assert_string_equal(cfg.devices[1].serial, "a,b");
	assert_int_equal(cfg.devices[2].type, DEVCFG_VIRTIO_CONSOLE);
	assert_int_equal(cfg.devices[2].slot, 3);
	assert_string_equal(config_device_type_name(DEVCFG_VIRTIO_BLK),
			    "virtio-blk");
	assert_int_equal(config_validate(&cfg), 0);
	unlink(tmp_path("d0.img"));
}

/* virtio-iommu: bypass=on unless told; at most one. */
void test_device_iommu(void **state)
{
	assert_int_equal(PARSE("--device", "virtio-iommu", "--device",
			       "virtio-rng", "--firmware", "fw.bin"), 0);
	assert_int_equal(cfg.devices[0].type, DEVCFG_VIRTIO_IOMMU);
	assert_true(cfg.devices[0].bypass);
	assert_string_equal(config_device_type_name(DEVCFG_VIRTIO_IOMMU),
			    "virtio-iommu");
	assert_int_equal(config_validate(&cfg), 0);
	EXPECT_ERR(-EINVAL, "bypass=x: must be on or off",
		   PARSE("--device", "virtio-iommu,bypass=x"));
	/* (parsing again adds to the devices) */
	assert_int_equal(PARSE("--device", "virtio-iommu,bypass=off"), 0);
	assert_int_equal(cfg.nr_devices, 3);
	assert_false(cfg.devices[2].bypass);
	EXPECT_ERR(-EINVAL, "virtio-iommu: given twice",
		   config_validate(&cfg));
}

void test_device_bad(void **state)
{
	EXPECT_ERR(-EINVAL, "unknown device type \"virtio-foo\" (known: virtio-blk",
		   PARSE("--device", "virtio-foo"));
	EXPECT_ERR(-EINVAL, "virtio-blk needs file=",
		   PARSE("--device", "virtio-blk"));
	EXPECT_ERR(-EINVAL, "unknown key \"foo\" (virtio-blk takes file, readonly, serial)",
		   PARSE("--device", "virtio-blk,file=x,foo=1"));
	EXPECT_ERR(-EINVAL, "unknown key \"x\" (virtio-rng takes no keys)",
		   PARSE("--device", "virtio-rng,x=1"));
	EXPECT_ERR(-EINVAL, "readonly=maybe: must be on or off",
		   PARSE("--device", "virtio-blk,file=x,readonly=maybe"));
	EXPECT_ERR(-EINVAL, "longer than 20 bytes",
		   PARSE("--device", "virtio-blk,file=x,serial=123456789012345678901"));
	EXPECT_ERR(-EINVAL, "key \"file\" given twice",
		   PARSE("--device", "virtio-blk,file=x,file=y"));
	EXPECT_ERR(-EINVAL, "\"noeq\" is not key=value",
		   PARSE("--device", "virtio-blk,file=x,noeq"));
	EXPECT_ERR(-EINVAL, "file= needs a path",
		   PARSE("--device", "virtio-blk,file="));
	assert_int_equal(cfg.nr_devices, 0);
}

void test_device_limit(void **state)
{
	unsigned int i;

	for (i = 0; i < CONFIG_MAX_DEVICES; i++)
		assert_int_equal(config_add_device(&cfg, "virtio-rng", NULL), 0);
	assert_int_equal(cfg.devices[CONFIG_MAX_DEVICES - 1].slot,
			 CONFIG_MAX_DEVICES);
	EXPECT_ERR(-ENOSPC, "more than 30 devices",
		   config_add_device(&cfg, "virtio-rng", NULL));
}

void test_device_files(void **state)
{
	char arg[512];

	assert_int_equal(PARSE("--device", "virtio-blk,file=/nonexistent.img",
			       "--firmware", "fw.bin"), 0);
	EXPECT_ERR(-EINVAL, "file=/nonexistent.img: No such file or directory",
		   config_validate(&cfg));
	config_free(&cfg);
	config_init(&cfg);
	snprintf(arg, sizeof(arg), "virtio-blk,file=%s", tmpdir_path());
	assert_int_equal(PARSE("--device", arg, "--firmware", "fw.bin"), 0);
	EXPECT_ERR(-EINVAL, "not a regular file or block device",
		   config_validate(&cfg));
}

void test_device_json(void **state)
{
	char text[512];
	const char *path;

	snprintf(text, sizeof(text),
		 "{\"devices\": [{\"type\": \"virtio-blk\", \"file\": \"%s\", \"readonly\": true},"
		 " {\"type\": \"virtio-rng\"}]}", make_disk("d1.img"));
	path = write_json("vm.json", text);
	assert_int_equal(PARSE("--config", path, "--device", "virtio-console"), 0);
	assert_int_equal(cfg.nr_devices, 3);
	assert_true(cfg.devices[0].readonly);
	assert_int_equal(cfg.devices[1].type, DEVCFG_VIRTIO_RNG);
	assert_int_equal(cfg.devices[2].type, DEVCFG_VIRTIO_CONSOLE);
	assert_int_equal(cfg.devices[2].slot, 3);
	config_free(&cfg);
	assert_int_equal(cfg.nr_devices, 0);
	config_init(&cfg);
	path = write_json("vm.json", "{\"devices\": [{\"type\": \"virtio-rng\", \"x\": 1}]}");
	EXPECT_ERR(-EINVAL, "devices[0]: unknown key \"x\"", PARSE("--config", path));
	config_free(&cfg);
	config_init(&cfg);
	path = write_json("vm.json", "{\"devices\": {\"type\": \"virtio-rng\"}}");
	EXPECT_ERR(-EINVAL, "key \"devices\": expected a list", PARSE("--config", path));
	path = write_json("vm.json", "{\"devices\": [{\"file\": \"x\"}]}");
	EXPECT_ERR(-EINVAL, "devices[0]: expected an object with a \"type\" string",
		   PARSE("--config", path));
	path = write_json("vm.json", "{\"devices\": [{\"type\": \"virtio-blk\", \"file\": [1]}]}");
	EXPECT_ERR(-EINVAL, "key \"file\": expected a string", PARSE("--config", path));
	unlink(tmp_path("d1.img"));
}
