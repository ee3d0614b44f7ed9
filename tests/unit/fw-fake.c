// SPDX-License-Identifier: GPL-2.0-only
/*
 * The fake machine's ports, fw_cfg, PCI configuration space, MMIO
 * dispatch and fw_printf (see fw-fake.h); the virtio devices are in
 * fw-fake-virtio.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "firmware/handoff.h"
#include "firmware/hw.h"
#include "firmware/serial.h"
#include "tests/unit/fw-fake.h"

#define FWCFG_POOL	16384
#define FWCFG_ITEMS	32
#define FILE_SEL_BASE	0x20
#define ECAM_BASE	LAYOUT_PCIE_MMCONFIG

char fake_out[FAKE_OUT_SIZE];
static size_t out_len;
u32 fake_stray;
int fake_fwcfg_dma_error;
u32 fake_fwcfg_dma_ops;
int fake_ecam_on;

static struct fake_func funcs[FAKE_MAX_FUNCS];
static u32 nr_funcs;
static int mch_gates_ecam;
static u32 cf8;

static struct {
	int present, dma;
	u8 pool[FWCFG_POOL];
	u32 used;
	struct { u16 key; u32 off, len; } item[FWCFG_ITEMS];
	u32 nr_items, nr_files;
	u8 dir[4 + 64 * FAKE_MAX_FILES];
	u16 key;
	int cur;		/* index of the selected item, -1: none */
	u32 pos;
	u32 dma_hi;
} fc;

void fake_reset(void)
{
	memset(funcs, 0, sizeof(funcs));
	memset(&fc, 0, sizeof(fc));
	fc.cur = -1;
	nr_funcs = 0;
	mch_gates_ecam = 0;
	fake_ecam_on = 0;
	fake_stray = 0;
	fake_fwcfg_dma_error = 0;
	fake_fwcfg_dma_ops = 0;
	cf8 = 0;
	out_len = 0;
	fake_out[0] = '\0';
	fake_virtio_reset();
}

int fw_printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(fake_out + out_len, sizeof(fake_out) - out_len, fmt, ap);
	va_end(ap);
	if (n > 0)
		out_len += (size_t)n;
	if (out_len >= sizeof(fake_out))
		out_len = sizeof(fake_out) - 1;
	return n;
}

int fake_out_has(const char *s)
{
	return strstr(fake_out, s) != NULL;
}

/* ---- fw_cfg */

void fake_fwcfg_item(u16 key, const void *data, u32 len)
{
	u32 i;

	for (i = 0; i < fc.nr_items && fc.item[i].key != key; i++)
		;
	if (i == FWCFG_ITEMS || fc.used + len > FWCFG_POOL)
		return;
	memcpy(fc.pool + fc.used, data, len);
	fc.item[i].key = key;
	fc.item[i].off = fc.used;
	fc.item[i].len = len;
	fc.used += len;
	if (i == fc.nr_items)
		fc.nr_items++;
}

void fake_fwcfg_init(int dma, u16 nb_cpus)
{
	u8 id[4] = { (u8)(1 | (dma ? 2 : 0)), 0, 0, 0 };
	u8 n[2] = { (u8)nb_cpus, (u8)(nb_cpus >> 8) };

	fc.present = 1;
	fc.dma = dma;
	fake_fwcfg_item(0x0000, "QEMU", 4);
	fake_fwcfg_item(0x0001, id, 4);
	fake_fwcfg_item(0x0005, n, 2);
}

static void put_be32(u8 *p, u32 v)
{
	p[0] = (u8)(v >> 24);
	p[1] = (u8)(v >> 16);
	p[2] = (u8)(v >> 8);
	p[3] = (u8)v;
}

void fake_fwcfg_file(const char *name, const void *data, u32 len)
{
	u8 *e = fc.dir + 4 + 64 * fc.nr_files;
	u16 sel = (u16)(FILE_SEL_BASE + fc.nr_files);

	if (fc.nr_files == FAKE_MAX_FILES)
		return;
	memset(e, 0, 64);
	put_be32(e, len);
	e[4] = (u8)(sel >> 8);
	e[5] = (u8)sel;
	strncpy((char *)e + 8, name, 56);
	fake_fwcfg_item(sel, data, len);
	fc.nr_files++;
	put_be32(fc.dir, fc.nr_files);
	fake_fwcfg_item(0x0019, fc.dir, 4 + 64 * fc.nr_files);
}

static void fwcfg_select_key(u16 key)
{
	u32 i;

	fc.key = key;
	fc.pos = 0;
	fc.cur = -1;
	for (i = 0; i < fc.nr_items; i++)
		if (fc.item[i].key == key)
			fc.cur = (int)i;
}

/* The next len bytes of the selected item (zeros past its end). */
static void fwcfg_bytes(u8 *buf, u32 len)
{
	u32 have = 0;

	if (fc.cur >= 0 && fc.pos < fc.item[fc.cur].len)
		have = fc.item[fc.cur].len - fc.pos;
	if (have > len)
		have = len;
	if (have)
		memcpy(buf, fc.pool + fc.item[fc.cur].off + fc.pos, have);
	memset(buf + have, 0, len - have);
	fc.pos += len;
}

static void fwcfg_dma(u64 desc_addr)
{
	u8 *d = (u8 *)(uintptr_t)desc_addr;
	u32 ctl = (u32)d[0] << 24 | (u32)d[1] << 16 | (u32)d[2] << 8 | d[3];
	u32 len = (u32)d[4] << 24 | (u32)d[5] << 16 | (u32)d[6] << 8 | d[7];
	u64 addr = 0;
	u8 *buf;
	int i;

	fake_fwcfg_dma_ops++;
	for (i = 0; i < 8; i++)
		addr = addr << 8 | d[8 + i];
	buf = (u8 *)(uintptr_t)addr;
	if (ctl & 0x08)
		fwcfg_select_key((u16)(ctl >> 16));
	if (ctl & 0x02)
		fwcfg_bytes(buf, len);
	memset(d, 0, 4);
	if (fake_fwcfg_dma_error)
		d[3] = 0x01;
}

/* ---- PCI configuration space */

static struct fake_func *find_func(u16 bdf)
{
	u32 i;

	for (i = 0; i < nr_funcs; i++)
		if (funcs[i].bdf == bdf)
			return &funcs[i];
	return NULL;
}

struct fake_func *fake_pci_add(u16 bdf, u16 vendor, u16 device, u32 class,
			       u8 hdr_type)
{
	struct fake_func *f;

	if (nr_funcs == FAKE_MAX_FUNCS)
		return NULL;
	f = &funcs[nr_funcs++];
	memset(f, 0, sizeof(*f));
	f->bdf = bdf;
	f->cfg[0] = (u8)vendor;
	f->cfg[1] = (u8)(vendor >> 8);
	f->cfg[2] = (u8)device;
	f->cfg[3] = (u8)(device >> 8);
	f->cfg[9] = (u8)class;
	f->cfg[10] = (u8)(class >> 8);
	f->cfg[11] = (u8)(class >> 16);
	f->cfg[0x0e] = hdr_type;
	return f;
}

void fake_q35_mch(void)
{
	fake_pci_add(0, 0x8086, 0x29c0, 0x060000, 0);
	mch_gates_ecam = 1;
	fake_ecam_on = 0;
}

void fake_pci_bar(struct fake_func *f, int i, u32 flags, u64 size)
{
	f->bar_size[i] = size;
	f->bar_flags[i] = flags;
	memcpy(f->cfg + 0x10 + 4 * i, &flags, 4);
}

u8 fake_pci_cap(struct fake_func *f, u8 id, const u8 *body, u8 len)
{
	u8 pos = f->cap_end ? f->cap_end : 0x40;

	if (f->cap_last) {
		f->cfg[f->cap_last + 1] = pos;
	} else {
		f->cfg[0x34] = pos;
		f->cfg[6] |= 0x10;
	}
	f->cfg[pos] = id;
	f->cfg[pos + 1] = 0;
	memcpy(f->cfg + pos + 2, body, len - 2u);
	f->cap_last = pos;
	f->cap_end = (u8)((pos + len + 3) & ~3);
	return pos;
}

u32 fake_cfg32(const struct fake_func *f, u16 reg)
{
	u32 v;

	memcpy(&v, f->cfg + (reg & 0xffc), 4);
	return v;
}

static void set32(struct fake_func *f, u16 reg, u32 v)
{
	memcpy(f->cfg + reg, &v, 4);
}

static void bar_write(struct fake_func *f, int i, u32 v)
{
	u64 size = f->bar_size[i];

	if (i > 0 && (f->bar_flags[i - 1] & 4) && f->bar_size[i - 1]) {
		set32(f, (u16)(0x10 + 4 * i),
		      v & (u32)(~(f->bar_size[i - 1] - 1) >> 32));
		return;
	}
	if (!size)
		return;
	v &= (u32)~(size - 1) & ((f->bar_flags[i] & 1) ? ~3u : ~0xfu);
	set32(f, (u16)(0x10 + 4 * i), v | f->bar_flags[i]);
}

static void cfg_write(struct fake_func *f, u16 reg, u32 v)
{
	int nbars = (f->cfg[0x0e] & 0x7f) == 1 ? 2 : 6;

	if (reg == 0x04)
		set32(f, reg,
		      (fake_cfg32(f, reg) & 0xffff0000u) | (v & 0xffff));
	else if (reg >= 0x10 && reg < 0x10 + 4 * nbars)
		bar_write(f, (reg - 0x10) / 4, v);
	else if (mch_gates_ecam && f->bdf == 0 && (reg == 0x60 || reg == 0x64))
		set32(f, reg, v);
	if (mch_gates_ecam && f->bdf == 0)
		fake_ecam_on = fake_cfg32(f, 0x60) == (ECAM_BASE | 1) &&
			       !fake_cfg32(f, 0x64);
}

static u32 cfg_read(u16 bdf, u16 reg)
{
	struct fake_func *f = find_func(bdf);

	return f ? fake_cfg32(f, reg) : 0xffffffffu;
}

u64 fake_bar_addr(const struct fake_func *f, int i)
{
	u32 lo = fake_cfg32(f, (u16)(0x10 + 4 * i));
	u64 a = lo & ((f->bar_flags[i] & 1) ? ~3u : ~0xfu);

	if (f->bar_flags[i] & 4)
		a |= (u64)fake_cfg32(f, (u16)(0x14 + 4 * i)) << 32;
	return a;
}

/* ---- MMIO and ports */

static int ecam_access(u64 addr, void *data, u32 len, int write)
{
	u64 off = addr - ECAM_BASE;
	struct fake_func *f;
	u16 reg = (u16)(off & 0xffc);
	u32 v;

	if (!fake_ecam_on || addr < ECAM_BASE ||
	    off >= LAYOUT_PCIE_MMCONFIG_SIZE)
		return 0;
	f = find_func((u16)(off >> 12));
	v = f ? fake_cfg32(f, reg) : 0xffffffffu;
	if (!write) {
		v >>= (addr & 3) * 8;
		memcpy(data, &v, len);
	} else if (f && len == 4) {
		memcpy(&v, data, 4);
		cfg_write(f, reg, v);
	}
	return 1;
}

static int bar_access(u64 addr, void *data, u32 len, int write)
{
	struct fake_func *f;
	u32 i;
	int b;
	u64 base;

	for (i = 0; i < nr_funcs; i++) {
		f = &funcs[i];
		if (!(f->cfg[4] & 2) || !f->mmio)
			continue;
		for (b = 0; b < 6; b++) {
			base = fake_bar_addr(f, b);
			if (!f->bar_size[b] || (f->bar_flags[b] & 1) || !base ||
			    addr < base || addr + len > base + f->bar_size[b])
				continue;
			f->mmio(f, b, addr - base, data, len, write);
			return 1;
		}
	}
	return 0;
}

static void mmio(u64 addr, void *data, u32 len, int write)
{
	if (ecam_access(addr, data, len, write) ||
	    bar_access(addr, data, len, write))
		return;
	fake_stray++;
	if (!write)
		memset(data, 0xff, len);
}

#define FAKE_MMIO(bits)							\
u##bits mmio_read##bits(u64 addr)					\
{									\
	u##bits v;							\
	mmio(addr, &v, sizeof(v), 0);					\
	return v;							\
}									\
void mmio_write##bits(u64 addr, u##bits v)				\
{									\
	mmio(addr, &v, sizeof(v), 1);					\
}
FAKE_MMIO(8)
FAKE_MMIO(16)
FAKE_MMIO(32)

void outb(u16 port, u8 v)
{
	(void)port;
	(void)v;
	fake_stray++;
}

void outw(u16 port, u16 v)
{
	if (port == PORT_FW_CFG_SEL && fc.present) {
		fwcfg_select_key(v);
		return;
	}
	fake_stray++;
}

void outl(u16 port, u32 v)
{
	struct fake_func *f;

	if (port == PORT_FW_CFG_DMA && fc.dma) {
		fc.dma_hi = __builtin_bswap32(v);
	} else if (port == PORT_FW_CFG_DMA + 4 && fc.dma) {
		fwcfg_dma((u64)fc.dma_hi << 32 | __builtin_bswap32(v));
	} else if (port == PORT_PCI_CONFIG_ADDR) {
		cf8 = v;
	} else if (port == PORT_PCI_CONFIG_DATA && (cf8 & 0x80000000u)) {
		f = find_func((u16)(cf8 >> 8));
		if (f)
			cfg_write(f, (u16)(cf8 & 0xfc), v);
	} else {
		fake_stray++;
	}
}

u8 inb(u16 port)
{
	u8 v;

	if (port == PORT_FW_CFG_DATA && fc.present) {
		fwcfg_bytes(&v, 1);
		return v;
	}
	fake_stray++;
	return 0xff;
}

u32 inl(u16 port)
{
	if (port == PORT_PCI_CONFIG_DATA && (cf8 & 0x80000000u))
		return cfg_read((u16)(cf8 >> 8), (u16)(cf8 & 0xfc));
	fake_stray++;
	return 0xffffffffu;
}

void insb(u16 port, void *buf, u32 len)
{
	u8 *p = buf;

	if (port == PORT_FW_CFG_DATA && fc.present) {
		fwcfg_bytes(buf, len);
		return;
	}
	while (len--)
		*p++ = inb(port);
}

void cpu_relax(void)
{
	fake_virtio_relax();
}
