// SPDX-License-Identifier: GPL-2.0-only
/*
 * fw_cfg: detection by signature, item reads through the data port or
 * DMA, the big-endian file directory, NB_CPUS and "etc/e820". See
 * firmware/fwcfg.h.
 */
#include "firmware/fwcfg.h"
#include "firmware/hw.h"

static const char fwcfg_sig[4] = { 'Q', 'E', 'M', 'U' };

static u32 be32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

static u32 bswap32(u32 v)
{
	return __builtin_bswap32(v);
}

void fwcfg_select(u16 key)
{
	outw(PORT_FW_CFG_SEL, key);
}

/*
 * One DMA read: the descriptor's address goes to the DMA register as two
 * big-endian halves, the low one starting the transfer. The device
 * clears control when done, or leaves the error bit.
 */
static int dma_read(void *buf, u32 len)
{
	struct fwcfg_dma d;
	volatile u32 *ctl = &d.control;
	u64 pa = fw_addr(&d);
	u32 v;
	int i;

	d.control = bswap32(FWCFG_DMA_READ);
	d.length = bswap32(len);
	d.address = __builtin_bswap64(fw_addr(buf));
	fw_barrier();
	outl(PORT_FW_CFG_DMA, bswap32((u32)(pa >> 32)));
	outl(PORT_FW_CFG_DMA + 4, bswap32((u32)pa));
	for (i = 0; i < FWCFG_DMA_POLLS; i++) {
		v = bswap32(*ctl);
		if (!v || (v & FWCFG_DMA_ERROR))
			break;
		cpu_relax();
	}
	fw_barrier();		/* the device wrote buf */
	return v ? -1 : 0;
}

int fwcfg_read(const struct fwcfg *c, void *buf, u32 len)
{
	if (!len)
		return 0;
	if (c->dma)
		return dma_read(buf, len);
	insb(PORT_FW_CFG_DATA, buf, len);
	return 0;
}

int fwcfg_probe(struct fwcfg *c, int allow_dma)
{
	struct fwcfg port = { .present = 1 };
	u8 sig[4], id[4];

	*c = (struct fwcfg){ 0 };
	fwcfg_select(FWCFG_SIGNATURE);
	fwcfg_read(&port, sig, sizeof(sig));
	if (fw_memcmp(sig, fwcfg_sig, sizeof(sig)))
		return 0;
	fwcfg_select(FWCFG_ID);
	fwcfg_read(&port, id, sizeof(id));
	c->present = 1;
	c->id = fw_le32(id);
	c->dma = allow_dma && (c->id & FWCFG_ID_DMA);
	return 1;
}

void fwcfg_dir_entry(const u8 *raw, struct fwcfg_file *f)
{
	f->size = be32(raw);
	f->select = (u16)(raw[4] << 8 | raw[5]);
	fw_memcpy(f->name, raw + 8, FWCFG_NAME_LEN);
	f->name[FWCFG_NAME_LEN] = '\0';
}

static int name_is(const char *a, const char *b)
{
	u32 i;

	for (i = 0; i < FWCFG_NAME_LEN; i++) {
		if (a[i] != b[i])
			return 0;
		if (!a[i])
			return 1;
	}
	return !b[i];
}

int fwcfg_find(const struct fwcfg *c, const char *name, struct fwcfg_file *f)
{
	u8 raw[FWCFG_DIR_ENTRY_SIZE];
	u32 count, i;

	fwcfg_select(FWCFG_FILE_DIR);
	if (fwcfg_read(c, raw, 4))
		return -1;
	count = be32(raw);
	for (i = 0; i < count && i < FWCFG_MAX_FILES; i++) {
		if (fwcfg_read(c, raw, sizeof(raw)))
			return -1;
		fwcfg_dir_entry(raw, f);
		if (name_is(f->name, name))
			return 1;
	}
	return 0;
}

u16 fwcfg_nb_cpus(const struct fwcfg *c)
{
	u8 v[2];

	fwcfg_select(FWCFG_NB_CPUS);
	if (fwcfg_read(c, v, sizeof(v)))
		return 0;
	return fw_le16(v);
}

int fwcfg_read_e820(const struct fwcfg *c, struct sevm_e820 *e, u32 max,
		    u32 *n)
{
	struct fwcfg_file f;
	u32 want;

	_Static_assert(sizeof(*e) == FWCFG_E820_ENTRY_SIZE, "e820 entry");
	*n = 0;
	if (fwcfg_find(c, "etc/e820", &f) != 1)
		return -1;
	want = f.size / FWCFG_E820_ENTRY_SIZE;
	if (want > max)
		want = max;
	if (!want)
		return -1;
	fwcfg_select(f.select);
	if (fwcfg_read(c, e, want * FWCFG_E820_ENTRY_SIZE))
		return -1;
	*n = want;
	return 0;
}

static int e820_sane(const struct sevm_e820 *e)
{
	return e->type == E820_RAM && e->size && e->addr + e->size > e->addr;
}

u64 e820_low_ram_end(const struct sevm_e820 *e, u32 n)
{
	u64 end, best = 0;
	u32 i;

	for (i = 0; i < n; i++) {
		if (!e820_sane(&e[i]) || e[i].addr >= LAYOUT_4G)
			continue;
		end = e[i].addr + e[i].size;
		if (end > LAYOUT_4G)
			end = LAYOUT_4G;
		if (end > best)
			best = end;
	}
	return best;
}

int e820_is_ram(const struct sevm_e820 *e, u32 n, u64 addr, u64 len)
{
	u32 i;

	if (!len || addr + len < addr)
		return 0;
	for (i = 0; i < n; i++)
		if (e820_sane(&e[i]) && addr >= e[i].addr &&
		    addr + len <= e[i].addr + e[i].size)
			return 1;
	return 0;
}
