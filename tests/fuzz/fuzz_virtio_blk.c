// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio-blk's request parser behind the device core: the input is a
 * small configuration (features, queue size and ring addresses) and the
 * guest RAM holding the rings, requests and buffers; the driver's
 * handshake goes through the common-config registers, then one queue
 * notification. Checked besides "no crash": the image never grows (no
 * write outside it), and a device that saw a malformed chain reports
 * DEVICE_NEEDS_RESET and stops.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "devices/virtio/blk.h"
#include "lib/log.h"
#include "tests/fuzz/fuzz.h"
#include "tests/unit/virtio-drv.h"

#define RAM_SIZE	0x10000ULL
#define IMG_SIZE	0x8000

void __wrap_pr_log(enum log_level level, const char *fmt, ...) __printf(2, 3);
void __wrap_pr_log(enum log_level level, const char *fmt, ...)
{
}

struct fz_cfg {
	u8 size_log2;
	u8 flags;
	u16 desc, avail, used;
} __packed;

static struct vq_drv drv;
static struct virtio_dev vdev;
static int img_fd = -1;

static void fz_init(void)
{
	struct virtio_blk_conf c = { .serial = "fuzz" };
	char path[64];

	img_fd = memfd_create("fuzz-img", MFD_CLOEXEC);
	FUZZ_ASSERT(img_fd >= 0 && !ftruncate(img_fd, IMG_SIZE));
	snprintf(path, sizeof(path), "/proc/self/fd/%d", img_fd);
	c.path = path;
	FUZZ_ASSERT(!vqd_init(&drv, RAM_SIZE, 8));
	FUZZ_ASSERT(!virtio_blk_init(&vdev, &c, &drv.as, true));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_cfg c = { 0 };
	struct vq_drv q;
	struct vq_drv *rings[1] = { &q };
	struct stat st;
	u64 feat = 1ULL << VIRTIO_F_VERSION_1 |
		   1ULL << VIRTIO_F_ACCESS_PLATFORM;

	if (img_fd < 0)
		fz_init();
	memcpy(&c, data, MIN(size, sizeof(c)));
	memset(drv.ram, 0, RAM_SIZE);
	if (size > sizeof(c))
		memcpy(drv.ram, data + sizeof(c),
		       MIN(size - sizeof(c), RAM_SIZE));
	q = drv;
	q.size = (u16)(1u << (c.size_log2 % 9));
	q.desc = (u64)c.desc * 16 % (RAM_SIZE + 0x1000);
	q.avail = (u64)c.avail * 2 % (RAM_SIZE + 0x1000);
	q.used = (u64)c.used * 4 % (RAM_SIZE + 0x1000);
	feat |= (u64)(c.flags & 3) << VIRTIO_F_INDIRECT_DESC;
	if (vdrv_start(&vdev, rings, 1, feat) != 0xf)
		return 0;
	virtio_queue_notify(&vdev, 0);
	FUZZ_ASSERT(!fstat(img_fd, &st) && st.st_size == IMG_SIZE);
	if (vdev.vqs[0].broken)
		FUZZ_ASSERT(vdev.status & VIRTIO_CONFIG_S_NEEDS_RESET);
	return 0;
}
