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

#if defined(CONFIG_PCI) && defined(CONFIG_VIRTIO_NET)
void test_device_net(void **state)
{
	assert_int_equal(PARSE("--device", "virtio-net,tap=tap0,mac=02:AB:cd:00:00:01",
			       "--device", "virtio-net,fd=0",
			       "--firmware", "fw.bin"), 0);
	assert_int_equal(cfg.nr_devices, 2);
	assert_int_equal(cfg.devices[0].type, DEVCFG_VIRTIO_NET);
	assert_string_equal(cfg.devices[0].tap, "tap0");
	assert_true(cfg.devices[0].has_mac);
	assert_memory_equal(cfg.devices[0].mac,
			    ((u8[]){ 2, 0xab, 0xcd, 0, 0, 1 }), 6);
	assert_false(cfg.devices[0].has_fd);
	assert_true(cfg.devices[1].has_fd);
	assert_int_equal(cfg.devices[1].fd, 0);
	assert_false(cfg.devices[1].has_mac);
	assert_int_equal(config_validate(&cfg), 0);
}

void test_device_net_bad(void **state)
{
	static const struct {
		const char *arg, *msg;
	} cases[] = {
		{ "virtio-net,tap=t,mac=52:54:00:12:34", "not a MAC address" },
		{ "virtio-net,tap=t,mac=52:54:00:12:34:5g", "not a MAC address" },
		{ "virtio-net,tap=t,mac=52-54-00-12-34-56", "not a MAC address" },
		{ "virtio-net,tap=t,mac=01:00:5e:00:00:01", "multicast" },
		{ "virtio-net,tap=t,mac=00:00:00:00:00:00", "all-zero" },
		{ "virtio-net", "virtio-net needs tap=IFNAME or fd=N" },
		{ "virtio-net,mac=02:00:00:00:00:01", "needs tap=IFNAME or fd=N" },
		{ "virtio-net,tap=t,fd=3", "tap= and fd= exclude each other" },
		{ "virtio-net,fd=-1", "fd=-1: not a file descriptor number" },
		{ "virtio-net,fd=x", "fd=x: not a file descriptor number" },
		{ "virtio-net,tap=0123456789abcdef", "longer than 15 bytes" },
		{ "virtio-net,tap=", "tap= needs an interface name" },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		EXPECT_ERR(-EINVAL, cases[i].msg,
			   PARSE("--device", cases[i].arg));
	assert_int_equal(cfg.nr_devices, 0);
}

void test_device_net_files(void **state)
{
	/* fd= must be open when the configuration is checked */
	assert_int_equal(PARSE("--device", "virtio-net,fd=999",
			       "--firmware", "fw.bin"), 0);
	EXPECT_ERR(-EINVAL, "fd=999: not an open file descriptor",
		   config_validate(&cfg));
}
#else
void test_device_net(void **state)
{
	EXPECT_ERR(-EINVAL, "built without CONFIG_VIRTIO_NET",
		   PARSE("--device", "virtio-net,tap=t0"));
}

void test_device_net_bad(void **state)
{
}

void test_device_net_files(void **state)
{
}
#endif

#if defined(CONFIG_PCI) && defined(CONFIG_VIRTIO_VSOCK)
void test_device_vsock(void **state)
{
	static const struct {
		const char *arg, *msg;
	} cases[] = {
		{ "vsock,uds=/x", "vsock needs cid=N" },
		{ "vsock,cid=3", "vsock needs uds=" },
		{ "vsock,cid=2,uds=/x", "cid=2: must be a number from 3" },
		{ "vsock,cid=4294967295,uds=/x", "cid=4294967295: must be" },
		{ "vsock,cid=three,uds=/x", "cid=three: must be" },
		{ "vsock,cid=3,uds=/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
		  "longer than 96 bytes" },
	};
	char arg[512];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		EXPECT_ERR(-EINVAL, cases[i].msg,
			   PARSE("--device", cases[i].arg));
	assert_int_equal(cfg.nr_devices, 0);
	assert_int_equal(PARSE("--device", "vsock,cid=0x10,uds=/run/v.sock",
			       "--firmware", "fw.bin"), 0);
	assert_int_equal(cfg.devices[0].type, DEVCFG_VSOCK);
	assert_int_equal(cfg.devices[0].cid, 16);
	assert_string_equal(cfg.devices[0].uds, "/run/v.sock");
	assert_string_equal(config_device_type_name(DEVCFG_VSOCK), "vsock");
	assert_int_equal(config_validate(&cfg), 0);
	config_free(&cfg);
	config_init(&cfg);
	/* an existing uds path must be a socket, a symlink never is */
	assert_int_equal(symlink("/nonexistent", tmp_path("v.sock")), 0);
	snprintf(arg, sizeof(arg), "vsock,cid=3,uds=%s", tmp_path("v.sock"));
	assert_int_equal(PARSE("--device", arg, "--firmware", "fw.bin"), 0);
	EXPECT_ERR(-EINVAL, "is not a socket (a symlink, never followed)",
		   config_validate(&cfg));
	unlink(tmp_path("v.sock"));
	assert_int_equal(config_validate(&cfg), 0);
}
#else
void test_device_vsock(void **state)
{
	EXPECT_ERR(-EINVAL, "built without CONFIG_VIRTIO_VSOCK",
		   PARSE("--device", "vsock,cid=3,uds=/x"));
}
#endif
