// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of devices/virtio/blk.c driven through the device core by
 * the test driver (virtio-drv.c) over a temporary image: opening (files,
 * symlinks, block devices only), config, IN/OUT into guest buffers with
 * any segment layout, range and length checks, read-only, FLUSH, GET_ID,
 * unsupported types, lost writes and short reads as IOERR, and chains
 * without header or status making the device need a reset.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
#include <cmocka.h>

#include <linux/virtio_blk.h>

#include "devices/virtio/blk.h"
#include "lib/log.h"
#include "tests/unit/virtio-drv.h"

#define IMG_SECTORS	64
#define IMG_SIZE	(IMG_SECTORS * 512)
#define FEAT		(1ULL << VIRTIO_F_VERSION_1 | \
			 1ULL << VIRTIO_F_ACCESS_PLATFORM | \
			 1ULL << VIRTIO_F_INDIRECT_DESC)

static char logbuf[512];

void __wrap_pr_log(enum log_level level, const char *fmt, ...) __printf(2, 3);
void __wrap_pr_log(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(logbuf, sizeof(logbuf), fmt, ap);
	va_end(ap);
}

struct fx {
	char path[64];
	int fd;			/* the test's own view of the image */
	struct vq_drv d;
	struct virtio_dev v;
	u16 next;		/* next free descriptor */
};

static u8 pattern(u64 off)
{
	return (u8)(off * 7 + (off >> 9));
}

static int make_image(struct fx *f)
{
	u8 *buf = malloc(IMG_SIZE);
	u64 i;
	bool ok;

	strcpy(f->path, "/tmp/sevm-blk-XXXXXX");
	f->fd = mkstemp(f->path);
	if (f->fd < 0 || !buf)
		return -1;
	for (i = 0; i < IMG_SIZE; i++)
		buf[i] = pattern(i);
	ok = write(f->fd, buf, IMG_SIZE) == IMG_SIZE;
	free(buf);
	return ok ? 0 : -1;
}

static int setup_ro(void **state, bool ro)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct virtio_blk_conf c = { .readonly = ro,
				     .serial = "sevm-serial-0001" };
	struct vq_drv *rings[1];

	if (!f || make_image(f) || vqd_init(&f->d, 4 * SZ_1M, 16))
		return -1;
	c.path = f->path;
	if (virtio_blk_init(&f->v, &c, &f->d.as, true))
		return -1;
	rings[0] = &f->d;
	if (vdrv_start(&f->v, rings, 1, FEAT | (ro ? 1ULL << VIRTIO_BLK_F_RO :
						0)) != 0xf)
		return -1;
	*state = f;
	return 0;
}

static int setup(void **state)
{
	return setup_ro(state, false);
}

static int setup_readonly(void **state)
{
	return setup_ro(state, true);
}

static int teardown(void **state)
{
	struct fx *f = *state;

	virtio_dev_free(&f->v);
	vqd_free(&f->d);
	close(f->fd);
	unlink(f->path);
	free(f);
	return 0;
}

/* Append one descriptor to the chain being built; returns its index. */
static u16 add(struct fx *f, u64 addr, u32 len, u16 flags)
{
	u16 i = f->next++;

	vqd_desc(&f->d, f->d.desc, i, addr, len, flags | VIRTQ_DESC_F_NEXT,
		 (u16)(i + 1));
	return i;
}

/* Close the chain at its last descriptor, post it, notify, reap. */
static u32 run(struct fx *f, u16 head)
{
	u8 *flags = vqd_hva(&f->d, f->d.desc + 16ULL * (f->next - 1) + 12);
	u32 id, len;

	*flags &= ~VIRTQ_DESC_F_NEXT;
	vqd_post(&f->d, head);
	virtio_queue_notify(&f->v, 0);
	f->next = 0;
	if (!vqd_reap(&f->d, &id, &len))
		return ~0u;
	assert_int_equal(id, head);
	return len;
}

static u64 hdr(struct fx *f, u32 type, u64 sector)
{
	struct virtio_blk_outhdr h = { .type = type, .sector = sector };
	u64 a = vqd_alloc(&f->d, sizeof(h));

	memcpy(vqd_hva(&f->d, a), &h, sizeof(h));
	return a;
}

/* A request with one data buffer; returns the status, *len the used. */
static u8 req(struct fx *f, u32 type, u64 sector, u64 data, u32 dlen,
	      u32 *len)
{
	u64 st = vqd_alloc(&f->d, 1);
	u16 head;

	*(u8 *)vqd_hva(&f->d, st) = 0xee;
	head = add(f, hdr(f, type, sector), 16, 0);
	if (dlen)
		add(f, data, dlen, type == VIRTIO_BLK_T_OUT ? 0 :
		    VIRTQ_DESC_F_WRITE);
	add(f, st, 1, VIRTQ_DESC_F_WRITE);
	*len = run(f, head);
	return *(u8 *)vqd_hva(&f->d, st);
}

static void check_image(struct fx *f, u64 off, const u8 *want, size_t len)
{
	u8 got[4096];

	assert_true(len <= sizeof(got));
	assert_int_equal(pread(f->fd, got, len, (off_t)off), (ssize_t)len);
	assert_memory_equal(got, want, len);
}

static void test_config(void **state)
{
	struct fx *f = *state;
	u64 cap = 0;
	u32 seg = 0;

	assert_int_equal(virtio_read_config(&f->v, 0, &cap, 8), 0);
	assert_int_equal(cap, IMG_SECTORS);
	assert_int_equal(virtio_read_config(&f->v, offsetof(struct
				virtio_blk_config, seg_max), &seg, 4), 0);
	assert_int_equal(seg, VIRTIO_BLK_QUEUE_MAX - 2);
	vdrv_write_common(&f->v, VIRTIO_PCI_COMMON_DFSELECT, 4, 0);
	assert_int_equal(vdrv_read_common(&f->v, VIRTIO_PCI_COMMON_DF, 4) &
			 0xfff, 1u << VIRTIO_BLK_F_SEG_MAX |
			 1u << VIRTIO_BLK_F_FLUSH);
	assert_int_equal(virtio_read_config(&f->v,
				sizeof(struct virtio_blk_config) - 2, &seg, 4),
			 -EINVAL);
}

static void test_read(void **state)
{
	struct fx *f = *state;
	u64 a = vqd_alloc(&f->d, 1024);
	u32 len;
	u64 i;

	assert_int_equal(req(f, VIRTIO_BLK_T_IN, 3, a, 1024, &len),
			 VIRTIO_BLK_S_OK);
	assert_int_equal(len, 1025);
	for (i = 0; i < 1024; i++)
		assert_int_equal(*(u8 *)vqd_hva(&f->d, a + i),
				 pattern(3 * 512 + i));
	/* the last sectors of the image */
	assert_int_equal(req(f, VIRTIO_BLK_T_IN, IMG_SECTORS - 2, a, 1024,
			     &len), VIRTIO_BLK_S_OK);
	assert_int_equal(*(u8 *)vqd_hva(&f->d, a + 1023),
			 pattern(IMG_SIZE - 1));
}

static void test_odd_layouts(void **state)
{
	struct fx *f = *state;
	u64 h = hdr(f, VIRTIO_BLK_T_IN, 1), a = vqd_alloc(&f->d, 1024);
	u16 head;
	u32 len;

	/* header in two pieces, data in three, status in the last data */
	head = add(f, h, 10, 0);
	add(f, h + 10, 6, 0);
	add(f, a, 100, VIRTQ_DESC_F_WRITE);
	add(f, a + 100, 300, VIRTQ_DESC_F_WRITE);
	add(f, a + 400, 113, VIRTQ_DESC_F_WRITE);
	*(u8 *)vqd_hva(&f->d, a + 512) = 0xee;
	len = run(f, head);
	assert_int_equal(len, 513);
	assert_int_equal(*(u8 *)vqd_hva(&f->d, a + 512), VIRTIO_BLK_S_OK);
	assert_int_equal(*(u8 *)vqd_hva(&f->d, a + 150), pattern(512 + 150));
	/* header and data in one readable segment (OUT) */
	memset(vqd_hva(&f->d, a), 0x5c, 16 + 512);
	memcpy(vqd_hva(&f->d, a), vqd_hva(&f->d, hdr(f, VIRTIO_BLK_T_OUT, 9)),
	       16);
	head = add(f, a, 16 + 512, 0);
	add(f, a + 600, 1, VIRTQ_DESC_F_WRITE);
	assert_int_equal(run(f, head), 1);
	assert_int_equal(*(u8 *)vqd_hva(&f->d, a + 600), VIRTIO_BLK_S_OK);
	check_image(f, 9 * 512, vqd_hva(&f->d, a + 16), 512);
}

static void test_write(void **state)
{
	struct fx *f = *state;
	u64 a = vqd_alloc(&f->d, 2048);
	u32 len;

	memset(vqd_hva(&f->d, a), 0x42, 2048);
	assert_int_equal(req(f, VIRTIO_BLK_T_OUT, 10, a, 2048, &len),
			 VIRTIO_BLK_S_OK);
	assert_int_equal(len, 1);
	check_image(f, 10 * 512, vqd_hva(&f->d, a), 2048);
	assert_int_equal(req(f, VIRTIO_BLK_T_FLUSH, 0, 0, 0, &len),
			 VIRTIO_BLK_S_OK);
	assert_int_equal(len, 1);
}

static void test_bounds(void **state)
{
	struct fx *f = *state;
	u64 a = vqd_alloc(&f->d, 1024);
	u8 before[512];
	u32 len;

	assert_int_equal(req(f, VIRTIO_BLK_T_IN, IMG_SECTORS - 1, a, 1024,
			     &len), VIRTIO_BLK_S_IOERR);
	assert_int_equal(len, 1);
	assert_int_equal(req(f, VIRTIO_BLK_T_IN, IMG_SECTORS, a, 512, &len),
			 VIRTIO_BLK_S_IOERR);
	assert_int_equal(req(f, VIRTIO_BLK_T_IN, ~0ULL, a, 512, &len),
			 VIRTIO_BLK_S_IOERR);
	assert_int_equal(req(f, VIRTIO_BLK_T_OUT, ~0ULL - 1, a, 1024, &len),
			 VIRTIO_BLK_S_IOERR);
	assert_int_equal(req(f, VIRTIO_BLK_T_IN, 0, a, 500, &len),
			 VIRTIO_BLK_S_IOERR);
	assert_int_equal(pread(f->fd, before, 512, 0), 512);
	memset(vqd_hva(&f->d, a), 0, 1024);
	assert_int_equal(req(f, VIRTIO_BLK_T_OUT, 0, a, 513, &len),
			 VIRTIO_BLK_S_IOERR);
	check_image(f, 0, before, 512);
	/* an empty read at the end is fine */
	assert_int_equal(req(f, VIRTIO_BLK_T_IN, IMG_SECTORS, a, 0, &len),
			 VIRTIO_BLK_S_OK);
}

static void test_get_id_and_unsupported(void **state)
{
	struct fx *f = *state;
	u64 a = vqd_alloc(&f->d, 64);
	u32 len;

	memset(vqd_hva(&f->d, a), 0xff, 64);
	assert_int_equal(req(f, VIRTIO_BLK_T_GET_ID, 0, a, 20, &len),
			 VIRTIO_BLK_S_OK);
	assert_int_equal(len, 21);
	assert_memory_equal(vqd_hva(&f->d, a), "sevm-serial-0001\0\0\0\0", 20);
	assert_int_equal(req(f, VIRTIO_BLK_T_DISCARD, 0, a, 16, &len),
			 VIRTIO_BLK_S_UNSUPP);
	assert_int_equal(len, 1);
	assert_int_equal(req(f, VIRTIO_BLK_T_SCSI_CMD, 0, a, 16, &len),
			 VIRTIO_BLK_S_UNSUPP);
	assert_true(virtio_running(&f->v));
}

static void test_readonly(void **state)
{
	struct fx *f = *state;
	u64 a = vqd_alloc(&f->d, 512);
	u8 before[512];
	u32 len;

	vdrv_write_common(&f->v, VIRTIO_PCI_COMMON_DFSELECT, 4, 0);
	assert_true(vdrv_read_common(&f->v, VIRTIO_PCI_COMMON_DF, 4) &
		    1u << VIRTIO_BLK_F_RO);
	assert_int_equal(pread(f->fd, before, 512, 0), 512);
	memset(vqd_hva(&f->d, a), 0x99, 512);
	assert_int_equal(req(f, VIRTIO_BLK_T_OUT, 0, a, 512, &len),
			 VIRTIO_BLK_S_IOERR);
	check_image(f, 0, before, 512);
	assert_int_equal(req(f, VIRTIO_BLK_T_IN, 0, a, 512, &len),
			 VIRTIO_BLK_S_OK);
	assert_memory_equal(vqd_hva(&f->d, a), before, 512);
}

static void test_io_errors(void **state)
{
	struct fx *f = *state;
	u64 a = vqd_alloc(&f->d, 1024);
	struct rlimit old, lim = { IMG_SIZE / 2, IMG_SIZE / 2 };
	u32 len;

	/* the image shrank under us: reads past EOF fail, never succeed */
	assert_int_equal(ftruncate(f->fd, IMG_SIZE / 2), 0);
	assert_int_equal(req(f, VIRTIO_BLK_T_IN, IMG_SECTORS - 2, a, 1024,
			     &len), VIRTIO_BLK_S_IOERR);
	/* a write the file system refuses (EFBIG) is reported */
	signal(SIGXFSZ, SIG_IGN);
	getrlimit(RLIMIT_FSIZE, &old);
	lim.rlim_max = old.rlim_max;
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
	assert_int_equal(req(f, VIRTIO_BLK_T_OUT, IMG_SECTORS - 2, a, 1024,
			     &len), VIRTIO_BLK_S_IOERR);
	/* one that straddles the limit is a short write: IOERR too */
	assert_int_equal(req(f, VIRTIO_BLK_T_OUT, IMG_SECTORS / 2 - 1, a,
			     1024, &len), VIRTIO_BLK_S_IOERR);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, SIG_DFL);
	assert_true(virtio_running(&f->v));
}

static void test_no_status(void **state)
{
	struct fx *f = *state;
	u64 a = vqd_alloc(&f->d, 512);
	u16 head;

	head = add(f, hdr(f, VIRTIO_BLK_T_IN, 0), 16, 0);
	add(f, a, 512, 0);
	assert_int_equal(run(f, head), ~0u);	/* nothing used */
	assert_false(virtio_running(&f->v));
	assert_non_null(strstr(logbuf, "device needs reset"));
}

static void test_short_header(void **state)
{
	struct fx *f = *state;
	u64 a = vqd_alloc(&f->d, 512);
	u16 head;

	head = add(f, hdr(f, VIRTIO_BLK_T_IN, 0), 8, 0);
	add(f, a, 1, VIRTQ_DESC_F_WRITE);
	assert_int_equal(run(f, head), ~0u);
	assert_true(vdrv_read_common(&f->v, VIRTIO_PCI_COMMON_STATUS, 1) &
		    VIRTIO_CONFIG_S_NEEDS_RESET);
}

static void test_open(void **state)
{
	struct virtio_blk_conf c = { .path = "/nonexistent/sevm.img" };
	char link[96];
	struct fx f = { 0 };
	struct virtio_dev v;

	assert_int_equal(virtio_blk_init(&v, &c, NULL, false), -ENOENT);
	assert_non_null(strstr(logbuf, "/nonexistent/sevm.img"));
	c.path = "/tmp";
	assert_int_equal(virtio_blk_init(&v, &c, NULL, false), -EISDIR);
	c.path = "/tmp";
	c.readonly = true;
	assert_int_equal(virtio_blk_init(&v, &c, NULL, false), -EINVAL);
	assert_non_null(strstr(logbuf, "not a regular file or block device"));
	c.path = "/dev/null";
	assert_int_equal(virtio_blk_init(&v, &c, NULL, false), -EINVAL);
	/* a symlink to an image is followed */
	assert_int_equal(make_image(&f), 0);
	snprintf(link, sizeof(link), "%s.lnk", f.path);
	assert_int_equal(symlink(f.path, link), 0);
	c.path = link;
	c.readonly = false;
	assert_int_equal(virtio_blk_init(&v, &c, NULL, false), 0);
	virtio_dev_free(&v);
	unlink(link);
	unlink(f.path);
	close(f.fd);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_config), T(test_read), T(test_odd_layouts),
		T(test_write), T(test_bounds), T(test_get_id_and_unsupported),
		cmocka_unit_test_setup_teardown(test_readonly, setup_readonly,
						teardown),
		T(test_io_errors), T(test_no_status), T(test_short_header),
		cmocka_unit_test(test_open),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
