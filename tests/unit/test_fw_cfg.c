// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of devices/fw_cfg.c and fw_cfg-dev.c: the device through the
 * real PIO bus (signature, ID, directory bytes, file reads by selector
 * and offset, past-the-end reads), the DMA interface against real guest
 * RAM (read, skip, select, zero-fill, and the error paths: descriptor or
 * buffer outside RAM, bus mastering off, a refusing stage, writes), the
 * file API's limits, and the standard content (e820 for 64 MiB and
 * 4 GiB, sercon-port present and absent, bootorder).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "devices/fw_cfg.h"
#include "lib/log.h"
#include "tests/unit/dev-test.h"
#include "vmm/dma.h"
#include "vmm/memory.h"
#include "vmm/vm.h"

#define DESC	0x1000ULL	/* descriptor in guest RAM */
#define BUF	0x2000ULL	/* DMA buffer in guest RAM */

static int setup(void **state)
{
	struct dev_fx *f = dev_fx_new(&fw_cfg_ops);

	if (!f)
		return -1;
	f->cfg.cpus = 3;
	f->cfg.serial = SERIAL_STDIO;
	if (mem_alloc(&f->vm.mem, 64 * SZ_1M, false)) {
		dev_fx_free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct dev_fx *f = *state;

	if (f->priv)
		f->ops->exit(&f->vm, f->priv);
	f->priv = NULL;
	mem_free(&f->vm.mem);
	dev_fx_free(f);
	return 0;
}

static struct fw_cfg *init(struct dev_fx *f)
{
	assert_int_equal(fw_cfg_ops.init(&f->vm, &f->priv), 0);
	assert_non_null(f->priv);
	return f->priv;
}

static void outw(struct dev_fx *f, u16 port, u16 val)
{
	u8 b[2] = { (u8)val, (u8)(val >> 8) };

	assert_true(bus_dispatch(&f->vm.pio, port, b, 2, true));
}

static void outl_be(struct dev_fx *f, u16 port, u32 val)
{
	u8 b[4] = { val >> 24, val >> 16, val >> 8, val };

	assert_true(bus_dispatch(&f->vm.pio, port, b, 4, true));
}

static u8 inb(struct dev_fx *f, u16 port)
{
	u8 v = 0xee;

	assert_true(bus_dispatch(&f->vm.pio, port, &v, 1, false));
	return v;
}

static void read_bytes(struct dev_fx *f, void *buf, size_t n)
{
	for (size_t i = 0; i < n; i++)
		((u8 *)buf)[i] = inb(f, PORT_FW_CFG_DATA);
}

static void read_item(struct dev_fx *f, u16 key, void *buf, size_t n)
{
	outw(f, PORT_FW_CFG, key);
	read_bytes(f, buf, n);
}

static u32 be32(const u8 *p)
{
	return (u32)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

static u64 le(const u8 *p, unsigned int n)
{
	u64 v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

static u8 *ram(struct dev_fx *f, u64 gpa)
{
	return mem_gpa_to_hva(&f->vm.mem, gpa, 1);
}

static void test_signature_and_id(void **state)
{
	struct dev_fx *f = *state;
	u8 b[8], wide[4] = { 1, 2, 3, 4 };

	init(f);
	/* reset state: the signature is selected */
	read_bytes(f, b, 2);
	assert_memory_equal(b, "QE", 2);
	/* an 8-bit read of 0x510 reads data too (one region, as QEMU) */
	assert_int_equal(inb(f, PORT_FW_CFG), 'M');
	/* a wide read is refused: 0, offset unchanged */
	assert_true(bus_dispatch(&f->vm.pio, PORT_FW_CFG_DATA, wide, 4,
				 false));
	assert_memory_equal(wide, "\0\0\0\0", 4);
	assert_int_equal(inb(f, PORT_FW_CFG_DATA), 'U');
	assert_int_equal(inb(f, PORT_FW_CFG_DATA), 0);	/* past the end */
	read_item(f, FW_CFG_SIGNATURE, b, 5);
	assert_memory_equal(b, "QEMU\0", 5);
	read_item(f, FW_CFG_ID, b, 4);
	assert_int_equal(le(b, 4), FW_CFG_ID_TRADITIONAL | FW_CFG_ID_DMA);
	read_item(f, FW_CFG_NB_CPUS, b, 2);
	assert_int_equal(le(b, 2), 3);
	/* the write-channel bit is ignored, as in QEMU */
	read_item(f, FW_CFG_MAX_CPUS | FW_CFG_WRITE_CHANNEL, b, 2);
	assert_int_equal(le(b, 2), 3);
	read_item(f, FW_CFG_RAM_SIZE, b, 8);
	assert_int_equal(le(b, 8), 64 * SZ_1M);
	read_item(f, FW_CFG_IRQ0_OVERRIDE, b, 4);
	assert_int_equal(le(b, 4), 1);
	read_item(f, FW_CFG_NOGRAPHIC, b, 2);		/* serial console */
	assert_int_equal(le(b, 2), 1);
	/* the DMA port reads "QEMU CFG" */
	for (int i = 0; i < 8; i++)
		b[i] = inb(f, PORT_FW_CFG_DMA + i);
	assert_memory_equal(b, FW_CFG_DMA_SIGNATURE, 8);
	/* 0x510-0x511 and 0x514-0x51b only */
	assert_false(bus_dispatch(&f->vm.pio, 0x512, b, 1, false));
	assert_false(bus_dispatch(&f->vm.pio, 0x51c, b, 1, false));
}

static void test_invalid_selectors(void **state)
{
	struct dev_fx *f = *state;
	u8 b[4] = { 0xff, 0xff, 0xff, 0xff };

	init(f);
	read_item(f, FW_CFG_MAX_ENTRY, b, 4);		/* first unused slot */
	assert_memory_equal(b, "\0\0\0\0", 4);
	read_item(f, 0x3fff, b, 4);
	assert_memory_equal(b, "\0\0\0\0", 4);
	read_item(f, 0xffff, b, 4);
	assert_memory_equal(b, "\0\0\0\0", 4);
	read_item(f, 0x0010, b, 4);			/* valid, empty */
	assert_memory_equal(b, "\0\0\0\0", 4);
	/* data-port writes and odd-sized writes are ignored */
	outw(f, PORT_FW_CFG, FW_CFG_SIGNATURE);
	b[0] = 0x42;
	assert_true(bus_dispatch(&f->vm.pio, PORT_FW_CFG_DATA, b, 1, true));
	assert_true(bus_dispatch(&f->vm.pio, PORT_FW_CFG, b, 4, true));
	assert_int_equal(inb(f, PORT_FW_CFG_DATA), 'Q');
}

/* The directory: be32 count, then 64-byte entries sorted by name. */
static void test_directory(void **state)
{
	static const char *const names[] = {
		"bootorder", "etc/e820", "etc/sercon-port",
		"etc/show-boot-menu",
	};
	static const u32 sizes[] = { 0, 6 * FW_CFG_E820_ENTRY_SIZE, 2, 2 };
	struct dev_fx *f = *state;
	u8 dir[FW_CFG_DIR_SIZE + 1];

	init(f);
	read_item(f, FW_CFG_FILE_DIR, dir, sizeof(dir));
	assert_int_equal(be32(dir), 4);
	for (u32 i = 0; i < 4; i++) {
		const u8 *e = dir + 4 + 64 * i;
		char name[57] = { 0 };

		assert_int_equal(be32(e), sizes[i]);
		assert_int_equal(e[4] << 8 | e[5], FW_CFG_FILE_FIRST + i);
		assert_int_equal(e[6] | e[7], 0);
		memcpy(name, e + 8, 56);
		assert_string_equal(name, names[i]);
		assert_int_equal(fw_cfg_file_select(f->priv, names[i]),
				 FW_CFG_FILE_FIRST + i);
	}
	/* unused slots are zero, and the item ends after the last slot */
	for (size_t i = 4 + 64 * 4; i < sizeof(dir); i++)
		assert_int_equal(dir[i], 0);
	read_item(f, FW_CFG_FILE_FIRST + 2, dir, 3);
	assert_memory_equal(dir, "\xf8\x03\0", 3);	/* sercon 0x3f8 */
}

static void test_file_reads(void **state)
{
	struct dev_fx *f = *state;
	struct fw_cfg *fw = init(f);
	u8 b[8];
	int sel;

	assert_int_equal(fw_cfg_add_file(fw, "etc/test", "abcdef", 6), 0);
	sel = fw_cfg_file_select(fw, "etc/test");
	assert_true(sel >= FW_CFG_FILE_FIRST);
	read_item(f, (u16)sel, b, 2);
	assert_memory_equal(b, "ab", 2);
	read_bytes(f, b, 2);			/* the offset moves on */
	assert_memory_equal(b, "cd", 2);
	read_bytes(f, b, 4);				/* past the end: 0 */
	assert_memory_equal(b, "ef\0\0", 4);
	read_item(f, (u16)sel, b, 1);			/* reselect: offset 0 */
	assert_int_equal(b[0], 'a');
	/* replacing keeps the selector and updates the directory */
	assert_int_equal(fw_cfg_set_file(fw, "etc/test", "xyz", 3), 0);
	assert_int_equal(fw_cfg_file_select(fw, "etc/test"), sel);
	read_item(f, (u16)sel, b, 4);
	assert_memory_equal(b, "xyz\0", 4);
}

/* Sorted like QEMU: adding a file renumbers the ones after it. */
static void test_file_api(void **state)
{
	struct fw_cfg *fw = fw_cfg_new(&((struct dev_fx *)*state)->vm.mem);
	char name[64];

	assert_non_null(fw);
	assert_int_equal(fw_cfg_add_file(fw, "b", "1", 1), 0);
	assert_int_equal(fw_cfg_add_file(fw, "c", NULL, 0), 0);
	assert_int_equal(fw_cfg_add_file(fw, "a", "2", 1), 0);
	assert_int_equal(fw_cfg_file_select(fw, "a"), 0x20);
	assert_int_equal(fw_cfg_file_select(fw, "b"), 0x21);
	assert_int_equal(fw_cfg_file_select(fw, "c"), 0x22);
	assert_int_equal(fw_cfg_add_file(fw, "b", "3", 1), -EEXIST);
	assert_int_equal(fw_cfg_add_file(fw, "", "3", 1), -EINVAL);
	assert_int_equal(fw_cfg_add_file(fw, "d", NULL, 1), -EINVAL);
	assert_int_equal(fw_cfg_file_select(fw, "d"), -ENOENT);
	memset(name, 'n', 56);
	name[56] = 0;
	assert_int_equal(fw_cfg_add_file(fw, name, "3", 1), -ENAMETOOLONG);
	name[55] = 0;					/* 55 fit */
	assert_int_equal(fw_cfg_add_file(fw, name, "3", 1), 0);
	for (int i = 4; i < FW_CFG_FILE_SLOTS; i++) {
		snprintf(name, sizeof(name), "f%02d", i);
		assert_int_equal(fw_cfg_add_file(fw, name, "x", 1), 0);
	}
	assert_int_equal(fw_cfg_add_file(fw, "zz", "x", 1), -ENOSPC);
	assert_int_equal(fw_cfg_file_select(fw, "nnnn" "nnnn" "nnnn" "nnnn"
					    "nnnn" "nnnn" "nnnn" "nnnn"
					    "nnnn" "nnnn" "nnnn" "nnnn"
					    "nnnn" "nnn"), 0x3f);
	/* items: the fixed ones and file slots are not settable */
	assert_int_equal(fw_cfg_set_u16(fw, FW_CFG_SIGNATURE, 1), -EINVAL);
	assert_int_equal(fw_cfg_set_u16(fw, FW_CFG_ID, 1), -EINVAL);
	assert_int_equal(fw_cfg_set_u16(fw, FW_CFG_FILE_DIR, 1), -EINVAL);
	assert_int_equal(fw_cfg_set_u16(fw, FW_CFG_FILE_FIRST, 1), -EINVAL);
	assert_int_equal(fw_cfg_set_u16(fw, 0x4005, 1), -EINVAL);
	assert_int_equal(fw_cfg_set_u16(fw, 0x8000 | FW_CFG_MAX_ENTRY, 1),
			 -EINVAL);
	assert_int_equal(fw_cfg_set_u16(fw, 0x8001, 1), 0);
	assert_int_equal(fw_cfg_set_item(fw, 0x0010, "x",
					 FW_CFG_ITEM_MAX + 1), -EFBIG);
	fw_cfg_free(fw);
}

static void test_bootorder(void **state)
{
	struct dev_fx *f = *state;
	struct fw_cfg *fw = init(f);
	u8 dir[4 + 64];
	int sel = fw_cfg_file_select(fw, "bootorder");
	char b[32];

	assert_int_equal(sel, FW_CFG_FILE_FIRST);	/* first by name */
	assert_int_equal(fw_cfg_set_bootorder(fw, "/a@1\n/b@2"), 0);
	read_item(f, FW_CFG_FILE_DIR, dir, sizeof(dir));
	assert_int_equal(be32(dir + 4), 10);		/* counts the NUL */
	read_item(f, (u16)sel, b, 10);
	assert_memory_equal(b, "/a@1\n/b@2", 10);
	assert_int_equal(fw_cfg_set_bootorder(fw, ""), 0);
	read_item(f, FW_CFG_FILE_DIR, dir, sizeof(dir));
	assert_int_equal(be32(dir + 4), 0);
}

/* A big-endian FWCfgDmaAccess at DESC. */
static void put_desc(struct dev_fx *f, u32 control, u32 len, u64 addr)
{
	u8 *d = ram(f, DESC);

	for (int i = 0; i < 4; i++) {
		d[i] = (u8)(control >> (24 - 8 * i));
		d[4 + i] = (u8)(len >> (24 - 8 * i));
	}
	for (int i = 0; i < 8; i++)
		d[8 + i] = (u8)(addr >> (56 - 8 * i));
}

/* Write a descriptor at DESC and start it with the two 32-bit halves. */
static void dma(struct dev_fx *f, u32 control, u32 len, u64 addr)
{
	put_desc(f, control, len, addr);
	outl_be(f, PORT_FW_CFG_DMA, 0);
	outl_be(f, PORT_FW_CFG_DMA_LO, (u32)DESC);
}

static u32 dma_control(struct dev_fx *f)
{
	return be32(ram(f, DESC));
}

#define SELECT(key)	((u32)(key) << 16 | FW_CFG_DMA_CTL_SELECT)

static void test_dma_read_skip_select(void **state)
{
	struct dev_fx *f = *state;
	struct fw_cfg *fw = init(f);
	u8 *buf = ram(f, BUF);
	int sel;

	assert_int_equal(fw_cfg_add_file(fw, "etc/x", "0123456789", 10), 0);
	sel = fw_cfg_file_select(fw, "etc/x");
	memset(buf, 0xaa, 16);
	dma(f, SELECT(sel) | FW_CFG_DMA_CTL_READ, 4, BUF);
	assert_int_equal(dma_control(f), 0);
	assert_memory_equal(buf, "0123\xaa", 5);
	dma(f, FW_CFG_DMA_CTL_SKIP, 3, 0);		/* no buffer touched */
	assert_int_equal(dma_control(f), 0);
	/* crossing the end: the rest is zero-filled, offset at the end */
	dma(f, FW_CFG_DMA_CTL_READ, 6, BUF);
	assert_int_equal(dma_control(f), 0);
	assert_memory_equal(buf, "789\0\0\0\xaa", 7);
	assert_int_equal(inb(f, PORT_FW_CFG_DATA), 0);
	/* select only: no transfer, the port reads from offset 0 */
	dma(f, SELECT(FW_CFG_SIGNATURE), 100, BUF);
	assert_int_equal(dma_control(f), 0);
	assert_int_equal(inb(f, PORT_FW_CFG_DATA), 'Q');
	/* READ wins over SKIP; an invalid selector reads zeros */
	memset(buf, 0xaa, 16);
	dma(f, SELECT(0x3fff) | FW_CFG_DMA_CTL_READ | FW_CFG_DMA_CTL_SKIP,
	    4, BUF);
	assert_int_equal(dma_control(f), 0);
	assert_memory_equal(buf, "\0\0\0\0\xaa", 5);
	/* one 64-bit write of the address starts a transfer too */
	memset(buf, 0xaa, 16);
	dma(f, SELECT(FW_CFG_ID) | FW_CFG_DMA_CTL_READ, 4, BUF);
	assert_int_equal(buf[0], 3);
}

static void test_dma_64bit_write(void **state)
{
	struct dev_fx *f = *state;
	u8 *d, addr[8] = { 0, 0, 0, 0, 0, 0, DESC >> 8, DESC & 0xff };
	u8 *buf = ram(f, BUF);

	init(f);
	d = ram(f, DESC);
	memset(d, 0, 16);
	d[2] = FW_CFG_ID >> 8;
	d[3] = FW_CFG_DMA_CTL_READ | FW_CFG_DMA_CTL_SELECT;
	d[1] = FW_CFG_ID;	/* selector in bits 16-31 */
	d[7] = 4;
	d[14] = BUF >> 8;
	buf[0] = 0xaa;
	assert_true(bus_dispatch(&f->vm.pio, PORT_FW_CFG_DMA, addr, 8, true));
	assert_int_equal(dma_control(f), 0);
	assert_int_equal(buf[0], 3);
}

static void test_dma_errors(void **state)
{
	struct dev_fx *f = *state;
	struct fw_cfg *fw = init(f);
	struct dma_as *as = fw_cfg_dma_as(fw);
	unsigned long refused = atomic_load(&as->refused);

	/* buffer outside RAM (64 MiB guest): ERROR written back */
	dma(f, SELECT(FW_CFG_SIGNATURE) | FW_CFG_DMA_CTL_READ, 4,
	    0xd0000000ULL);
	assert_int_equal(dma_control(f), FW_CFG_DMA_CTL_ERROR);
	/* zero-filling outside RAM, and a wrapping buffer */
	dma(f, SELECT(0x3fff) | FW_CFG_DMA_CTL_READ, 4, 0xd0000000ULL);
	assert_int_equal(dma_control(f), FW_CFG_DMA_CTL_ERROR);
	dma(f, SELECT(FW_CFG_FILE_DIR) | FW_CFG_DMA_CTL_READ, 0x100,
	    ~0ULL - 0x10);
	assert_int_equal(dma_control(f), FW_CFG_DMA_CTL_ERROR);
	/* straddling the end of RAM: nothing written at all */
	memset(ram(f, 64 * SZ_1M - 2), 0xaa, 2);
	dma(f, SELECT(FW_CFG_SIGNATURE) | FW_CFG_DMA_CTL_READ, 4,
	    64 * SZ_1M - 2);
	assert_int_equal(dma_control(f), FW_CFG_DMA_CTL_ERROR);
	assert_memory_equal(ram(f, 64 * SZ_1M - 2), "\xaa\xaa", 2);
	/* writes: no item is writable, in range or past the end */
	dma(f, SELECT(FW_CFG_SIGNATURE) | FW_CFG_DMA_CTL_WRITE, 2, BUF);
	assert_int_equal(dma_control(f), FW_CFG_DMA_CTL_ERROR);
	dma(f, SELECT(0x3fff) | FW_CFG_DMA_CTL_WRITE, 2, BUF);
	assert_int_equal(dma_control(f), FW_CFG_DMA_CTL_ERROR);
	assert_true(atomic_load(&as->refused) > refused);
	/* the descriptor itself outside RAM: high half set */
	put_desc(f, SELECT(FW_CFG_SIGNATURE), 0, 0);
	outl_be(f, PORT_FW_CFG_DMA, 1);
	outl_be(f, PORT_FW_CFG_DMA_LO, (u32)DESC);
	assert_int_equal(dma_control(f), SELECT(FW_CFG_SIGNATURE));
	/* the address is cleared after each transfer: low half alone */
	outl_be(f, PORT_FW_CFG_DMA_LO, (u32)DESC);
	assert_int_equal(dma_control(f), 0);
	/* a high-half write clears the low half */
	put_desc(f, SELECT(FW_CFG_SIGNATURE), 0, 0);
	outl_be(f, PORT_FW_CFG_DMA_LO + 0, 0);	/* transfer at 0: ok */
	outl_be(f, PORT_FW_CFG_DMA, 0);
	assert_int_equal(dma_control(f), SELECT(FW_CFG_SIGNATURE));
}

/* A stage that refuses BUF: the descriptor works, the buffer does not. */
static int refuse_buf(void *opaque, u32 ep, u64 addr, u64 len,
		      enum dma_dir dir, u64 *out, u64 *contig)
{
	assert_int_equal(ep, FW_CFG_DMA_ENDPOINT);
	if (addr >= BUF && addr < BUF + 0x1000)
		return -EPERM;
	*out = addr;
	*contig = len;
	return 0;
}

static void test_dma_bus_refusing(void **state)
{
	static const struct dma_stage stage = { "test", refuse_buf, NULL };
	struct dev_fx *f = *state;
	struct fw_cfg *fw = init(f);
	struct dma_as *as = fw_cfg_dma_as(fw);
	u8 *buf = ram(f, BUF);

	as->shared = &stage;
	buf[0] = 0xaa;
	dma(f, SELECT(FW_CFG_SIGNATURE) | FW_CFG_DMA_CTL_READ, 4, BUF);
	assert_int_equal(dma_control(f), FW_CFG_DMA_CTL_ERROR);
	assert_int_equal(buf[0], 0xaa);
	as->shared = NULL;
	/* bus mastering off: even the descriptor is not read or written */
	dma_as_set_master(as, false);
	ram(f, DESC)[3] = 0x55;
	outl_be(f, PORT_FW_CFG_DMA, 0);
	outl_be(f, PORT_FW_CFG_DMA_LO, (u32)DESC);
	assert_int_equal(ram(f, DESC)[3], 0x55);
	dma_as_set_master(as, true);
	dma(f, SELECT(FW_CFG_SIGNATURE) | FW_CFG_DMA_CTL_READ, 4, BUF);
	assert_int_equal(dma_control(f), 0);
	assert_memory_equal(buf, "QEMU", 4);
}

/* etc/e820 from a layout only (no RAM is touched). */
static void e820_of(u64 size, u8 *out, u32 *len)
{
	struct guest_mem mem = { .ram_size = size, .memfd = -1 };
	struct vm_config cfg = { .cpus = 1, .serial = SERIAL_NONE };
	struct fw_cfg *fw;
	u8 dir[FW_CFG_DIR_SIZE];
	int sel;

	mem.nr_regions = mem_layout(size, mem.regions);
	fw = fw_cfg_new(&mem);
	assert_non_null(fw);
	assert_int_equal(fw_cfg_add_standard(fw, &cfg, &mem), 0);
	sel = fw_cfg_file_select(fw, "etc/e820");
	assert_true(sel > 0);
	/* and no sercon-port (nor NOGRAPHIC) with the serial console off */
	assert_int_equal(fw_cfg_file_select(fw, "etc/sercon-port"), -ENOENT);
	fw_cfg_pio(fw, PORT_FW_CFG, (u8[]){ FW_CFG_NOGRAPHIC, 0 }, 2, true);
	fw_cfg_pio(fw, PORT_FW_CFG_DATA, &dir[0], 1, false);
	assert_int_equal(dir[0], 0);
	fw_cfg_pio(fw, PORT_FW_CFG, (u8[]){ FW_CFG_FILE_DIR, 0 }, 2, true);
	for (size_t i = 0; i < sizeof(dir); i++)
		fw_cfg_pio(fw, PORT_FW_CFG_DATA, &dir[i], 1, false);
	*len = be32(dir + 4 + 64 * (sel - FW_CFG_FILE_FIRST));
	fw_cfg_pio(fw, PORT_FW_CFG, (u8[]){ (u8)sel, 0 }, 2, true);
	for (u32 i = 0; i < *len; i++)
		fw_cfg_pio(fw, PORT_FW_CFG_DATA, &out[i], 1, false);
	fw_cfg_free(fw);
}

static void expect_e820(const u8 *p, u64 addr, u64 size, u32 type)
{
	assert_int_equal(le(p, 8), addr);
	assert_int_equal(le(p + 8, 8), size);
	assert_int_equal(le(p + 16, 4), type);
}

static void test_e820(void **state)
{
	u8 t[16 * FW_CFG_E820_ENTRY_SIZE];
	u32 len;

	e820_of(64 * SZ_1M, t, &len);
	assert_int_equal(len, 6 * FW_CFG_E820_ENTRY_SIZE);
	expect_e820(t, 0, 0x9000, E820_RAM);
	expect_e820(t + 20, 0x9000, 0x2000, E820_RESERVED);
	expect_e820(t + 40, 0xb000, 0x9fc00 - 0xb000, E820_RAM);
	expect_e820(t + 60, 0x9fc00, 0x100000 - 0x9fc00, E820_RESERVED);
	expect_e820(t + 80, 0x100000, 63 * SZ_1M, E820_RAM);
	expect_e820(t + 100, 0xb0000000, 0x10000000, E820_RESERVED);

	e820_of(4 * SZ_1G, t, &len);
	assert_int_equal(len, 7 * FW_CFG_E820_ENTRY_SIZE);
	expect_e820(t + 80, 0x100000, 2 * SZ_1G - SZ_1M, E820_RAM);
	expect_e820(t + 100, 0xb0000000, 0x10000000, E820_RESERVED);
	expect_e820(t + 120, SZ_4G, 2 * SZ_1G, E820_RAM);
}

static void squatter_io(void *opaque, u64 offset, void *data, u32 len,
			bool is_write)
{
	fail_msg("the squatter's port was accessed");
}

static void test_init_failures(void **state)
{
	struct dev_fx *f = *state;
	u8 b = 0;

	/* a port already taken */
	assert_int_equal(bus_register(&f->vm.pio, PORT_FW_CFG_DMA_LO, 1,
				      squatter_io, NULL, "squatter"), 0);
	assert_int_equal(fw_cfg_ops.init(&f->vm, &f->priv), -EEXIST);
	assert_null(f->priv);
	/* no RAM, no e820 */
	mem_free(&f->vm.mem);
	bus_free(&f->vm.pio);
	bus_init(&f->vm.pio, "pio");
	assert_int_equal(fw_cfg_ops.init(&f->vm, &f->priv), -EINVAL);
	assert_null(f->priv);
	assert_false(bus_dispatch(&f->vm.pio, PORT_FW_CFG, &b, 1, false));
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_signature_and_id),
		T(test_invalid_selectors),
		T(test_directory),
		T(test_file_reads),
		T(test_file_api),
		T(test_bootorder),
		T(test_dma_read_skip_select),
		T(test_dma_64bit_write),
		T(test_dma_errors),
		T(test_dma_bus_refusing),
		T(test_e820),
		T(test_init_failures),
	};

	log_set_level(getenv("V") ? LOG_DEBUG : LOG_ERR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
