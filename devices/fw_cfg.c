// SPDX-License-Identifier: GPL-2.0-only
/*
 * fw_cfg, the interface (fw_cfg.h): items, the sorted file directory, the
 * port protocol and the DMA interface, with QEMU's semantics
 * (docs/specs/fw_cfg.rst, hw/nvram/fw_cfg.c): a selector outside the
 * entry table selects nothing (reads give 0), the data offset stops at the
 * item's end, a DMA read past the end zero-fills, and every transfer
 * writes its status back into the descriptor's control word.
 *
 * Everything the guest writes (selector, DMA address, the descriptor) is
 * untrusted: guest memory is reached only through our struct dma_as,
 * which refuses whatever is not guest RAM.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "devices/fw_cfg.h"
#include "lib/log.h"
#include "vmm/dma.h"

struct fw_cfg_entry {
	u8 *data;		/* owned; NULL when len is 0 */
	u32 len;
};

struct fw_cfg {
	pthread_mutex_t lock;	/* cur, offset, dma_addr; entries on change */
	struct dma_as dma;
	struct fw_cfg_entry entries[2][FW_CFG_MAX_ENTRY]; /* [arch][key] */
	char names[FW_CFG_FILE_SLOTS][FW_CFG_FILE_NAME_MAX];	/* sorted */
	u32 nr_files;
	u16 cur;		/* selected key, FW_CFG_INVALID for none */
	u32 offset;		/* next byte of the selected item */
	u64 dma_addr;		/* written by the guest, high half first */
};

/* Reads of the DMA address port: "QEMU CFG", big-endian from 0x514. */
static const u8 fw_cfg_dma_sig[8] = { 'Q', 'E', 'M', 'U', ' ', 'C', 'F', 'G' };

static void put_be(u8 *p, u64 v, unsigned int n)
{
	while (n--) {
		p[n] = (u8)v;
		v >>= 8;
	}
}

static u64 get_be(const u8 *p, unsigned int n)
{
	u64 v = 0;

	while (n--)
		v = v << 8 | *p++;
	return v;
}

static void put_le(u8 *p, u64 v, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++, v >>= 8)
		p[i] = (u8)v;
}

/* ---- items */

static int entry_set(struct fw_cfg_entry *e, const void *data, u32 len)
{
	u8 *copy = NULL;

	if (len > FW_CFG_ITEM_MAX)
		return -EFBIG;
	if (len && !data)
		return -EINVAL;
	if (len) {
		copy = malloc(len);
		if (!copy)
			return -ENOMEM;
		memcpy(copy, data, len);
	}
	free(e->data);
	e->data = copy;
	e->len = len;
	return 0;
}

/* The slot a setter may fill: not the fixed items, not the files. */
static struct fw_cfg_entry *item_slot(struct fw_cfg *fw, u16 key)
{
	u16 idx = key & FW_CFG_ENTRY_MASK;

	if (key & FW_CFG_WRITE_CHANNEL || idx >= FW_CFG_MAX_ENTRY)
		return NULL;
	if (key & FW_CFG_ARCH_LOCAL)
		return &fw->entries[1][idx];
	if (idx <= FW_CFG_ID || idx >= FW_CFG_FILE_DIR)
		return NULL;
	return &fw->entries[0][idx];
}

int fw_cfg_set_item(struct fw_cfg *fw, u16 key, const void *data, u32 len)
{
	struct fw_cfg_entry *e = item_slot(fw, key);
	int r;

	if (!e) {
		pr_err("fw_cfg: set item 0x%04x: not a settable item: %s", key,
		       strerror(EINVAL));
		return -EINVAL;
	}
	pthread_mutex_lock(&fw->lock);
	r = entry_set(e, data, len);
	pthread_mutex_unlock(&fw->lock);
	if (r)
		pr_err("fw_cfg: set item 0x%04x (%u bytes): %s", key, len,
		       strerror(-r));
	return r;
}

static int set_le(struct fw_cfg *fw, u16 key, u64 val, unsigned int n)
{
	u8 b[8];

	put_le(b, val, n);
	return fw_cfg_set_item(fw, key, b, n);
}

int fw_cfg_set_u16(struct fw_cfg *fw, u16 key, u16 val)
{
	return set_le(fw, key, val, 2);
}

int fw_cfg_set_u32(struct fw_cfg *fw, u16 key, u32 val)
{
	return set_le(fw, key, val, 4);
}

int fw_cfg_set_u64(struct fw_cfg *fw, u16 key, u64 val)
{
	return set_le(fw, key, val, 8);
}

/* ---- files */

/* Rewrite the directory item from the sorted names and entries. */
static void dir_update(struct fw_cfg *fw)
{
	u8 *d = fw->entries[0][FW_CFG_FILE_DIR].data;

	memset(d, 0, FW_CFG_DIR_SIZE);
	put_be(d, fw->nr_files, 4);
	for (u32 i = 0; i < fw->nr_files; i++) {
		u8 *p = d + 4 + i * FW_CFG_DIR_ENTRY_SIZE;

		put_be(p, fw->entries[0][FW_CFG_FILE_FIRST + i].len, 4);
		put_be(p + 4, FW_CFG_FILE_FIRST + i, 2);
		/* p + 6: be16 reserved, 0 */
		memcpy(p + 8, fw->names[i], FW_CFG_FILE_NAME_MAX);
	}
}

static int file_find(const struct fw_cfg *fw, const char *name)
{
	for (u32 i = 0; i < fw->nr_files; i++)
		if (!strcmp(fw->names[i], name))
			return (int)i;
	return -ENOENT;
}

int fw_cfg_file_select(const struct fw_cfg *fw, const char *name)
{
	int i = file_find(fw, name);

	return i < 0 ? i : FW_CFG_FILE_FIRST + i;
}

static int name_check(const char *name)
{
	size_t n = strlen(name);

	if (!n)
		return -EINVAL;
	return n < FW_CFG_FILE_NAME_MAX ? 0 : -ENAMETOOLONG;
}

/* Insert at the name's rank; entries after it move up one selector. */
static int file_insert(struct fw_cfg *fw, const char *name, const void *data,
		       u32 len)
{
	struct fw_cfg_entry *ents = fw->entries[0] + FW_CFG_FILE_FIRST;
	struct fw_cfg_entry e = { 0 };
	u32 pos = fw->nr_files;
	int r;

	if (fw->nr_files == FW_CFG_FILE_SLOTS)
		return -ENOSPC;
	r = entry_set(&e, data, len);
	if (r)
		return r;
	while (pos > 0 && strcmp(name, fw->names[pos - 1]) < 0)
		pos--;
	memmove(fw->names[pos + 1], fw->names[pos],
		(fw->nr_files - pos) * sizeof(fw->names[0]));
	memmove(&ents[pos + 1], &ents[pos], (fw->nr_files - pos) * sizeof(e));
	memset(fw->names[pos], 0, sizeof(fw->names[pos]));
	strcpy(fw->names[pos], name);
	ents[pos] = e;
	fw->nr_files++;
	dir_update(fw);
	return 0;
}

static int file_put(struct fw_cfg *fw, const char *name, const void *data,
		    u32 len, bool replace)
{
	int i, r = name_check(name);

	if (r)
		return r;
	i = file_find(fw, name);
	if (i >= 0 && !replace)
		return -EEXIST;
	if (i < 0)
		return file_insert(fw, name, data, len);
	r = entry_set(&fw->entries[0][FW_CFG_FILE_FIRST + i], data, len);
	if (!r)
		dir_update(fw);
	return r;
}

static int file_put_locked(struct fw_cfg *fw, const char *name,
			   const void *data, u32 len, bool replace)
{
	int r;

	pthread_mutex_lock(&fw->lock);
	r = file_put(fw, name, data, len, replace);
	pthread_mutex_unlock(&fw->lock);
	if (r)
		pr_err("fw_cfg: add file \"%.*s\" (%u bytes): %s",
		       FW_CFG_FILE_NAME_MAX, name, len,
		       r == -ENOSPC ? "all 32 file slots used" :
		       r != -EINVAL ? strerror(-r) :
		       *name ? "no data" : "empty name");
	return r;
}

int fw_cfg_add_file(struct fw_cfg *fw, const char *name, const void *data,
		    u32 len)
{
	return file_put_locked(fw, name, data, len, false);
}

int fw_cfg_set_file(struct fw_cfg *fw, const char *name, const void *data,
		    u32 len)
{
	return file_put_locked(fw, name, data, len, true);
}

int fw_cfg_set_bootorder(struct fw_cfg *fw, const char *list)
{
	u32 len = list && *list ? (u32)strlen(list) + 1 : 0;

	return fw_cfg_set_file(fw, "bootorder", list, len);
}

/* ---- life cycle */

struct fw_cfg *fw_cfg_new(const struct guest_mem *mem)
{
	static const u8 sig[4] = { 'Q', 'E', 'M', 'U' };
	struct fw_cfg *fw = calloc(1, sizeof(*fw));
	u8 id[4];

	if (!fw)
		return NULL;
	pthread_mutex_init(&fw->lock, NULL);
	dma_as_init(&fw->dma, mem, FW_CFG_NAME, FW_CFG_DMA_ENDPOINT, true);
	put_le(id, FW_CFG_ID_TRADITIONAL | FW_CFG_ID_DMA, 4);
	if (entry_set(&fw->entries[0][FW_CFG_SIGNATURE], sig, 4) ||
	    entry_set(&fw->entries[0][FW_CFG_ID], id, 4)) {
		fw_cfg_free(fw);
		return NULL;
	}
	fw->entries[0][FW_CFG_FILE_DIR].data = calloc(1, FW_CFG_DIR_SIZE);
	if (!fw->entries[0][FW_CFG_FILE_DIR].data) {
		fw_cfg_free(fw);
		return NULL;
	}
	fw->entries[0][FW_CFG_FILE_DIR].len = FW_CFG_DIR_SIZE;
	dir_update(fw);
	fw->cur = FW_CFG_SIGNATURE;	/* QEMU's reset state */
	return fw;
}

void fw_cfg_free(struct fw_cfg *fw)
{
	if (!fw)
		return;
	for (int a = 0; a < 2; a++)
		for (int i = 0; i < FW_CFG_MAX_ENTRY; i++)
			free(fw->entries[a][i].data);
	pthread_mutex_destroy(&fw->lock);
	free(fw);
}

struct dma_as *fw_cfg_dma_as(struct fw_cfg *fw)
{
	return &fw->dma;
}

/* ---- the guest's side: selector and data port */

static void select_key(struct fw_cfg *fw, u16 key)
{
	fw->offset = 0;
	fw->cur = (key & FW_CFG_ENTRY_MASK) < FW_CFG_MAX_ENTRY ?
		  key : FW_CFG_INVALID;
}

static const struct fw_cfg_entry *cur_entry(const struct fw_cfg *fw)
{
	if (fw->cur == FW_CFG_INVALID)
		return NULL;
	return &fw->entries[!!(fw->cur & FW_CFG_ARCH_LOCAL)]
			   [fw->cur & FW_CFG_ENTRY_MASK];
}

static u8 read_byte(struct fw_cfg *fw)
{
	const struct fw_cfg_entry *e = cur_entry(fw);

	if (!e || fw->offset >= e->len)
		return 0;
	return e->data[fw->offset++];
}

/*
 * 0x510-0x511, one region as in QEMU: 16-bit writes select, 8-bit reads
 * read data. QEMU refuses other sizes (reads give 0, nothing moves); an
 * 8-bit data write is ignored (QEMU dropped data-port writes in 2.4).
 */
static void ctl_io(struct fw_cfg *fw, u8 *data, u32 len, bool is_write)
{
	if (is_write) {
		if (len == 2)
			select_key(fw, (u16)(data[0] | data[1] << 8));
		return;
	}
	if (len == 1)
		data[0] = read_byte(fw);
	else
		memset(data, 0, len);
}

/* ---- DMA */

/* Zero [addr, addr + len) of guest memory: all of it or none. */
static int dma_zero(struct fw_cfg *fw, u64 addr, u64 len)
{
	u64 done, c;
	void *p;
	int r;

	for (int fill = 0; fill < 2; fill++) {
		for (done = 0; done < len; done += c) {
			r = dma_translate(&fw->dma, addr + done, len - done,
					  DMA_FROM_DEVICE, &p, &c);
			if (r)
				return r;
			if (fill)
				memset(p, 0, c);
		}
	}
	return 0;
}

enum dma_op { OP_NONE, OP_READ, OP_WRITE, OP_SKIP };

/* QEMU's precedence: read, then write, then skip. */
static enum dma_op dma_op(u32 control)
{
	if (control & FW_CFG_DMA_CTL_READ)
		return OP_READ;
	if (control & FW_CFG_DMA_CTL_WRITE)
		return OP_WRITE;
	if (control & FW_CFG_DMA_CTL_SKIP)
		return OP_SKIP;
	return OP_NONE;
}

/*
 * One chunk of a transfer at the current offset: the item's bytes up to
 * its end, or (past the end) the whole rest. Writes always fail: no item
 * is writable. Returns the chunk length; *err set on failure.
 */
static u32 dma_chunk(struct fw_cfg *fw, enum dma_op op, u64 addr, u32 len,
		     bool *err)
{
	const struct fw_cfg_entry *e = cur_entry(fw);
	u32 n;

	if (!e || fw->offset >= e->len) {
		if (op == OP_READ && dma_zero(fw, addr, len))
			*err = true;
		*err |= op == OP_WRITE;
		return len;
	}
	n = MIN(len, e->len - fw->offset);
	if (op == OP_READ && dma_write(&fw->dma, addr, e->data + fw->offset, n))
		*err = true;
	*err |= op == OP_WRITE;
	fw->offset += n;
	return n;
}

/* Run a decoded descriptor; returns the control word to write back. */
static u32 dma_run(struct fw_cfg *fw, u32 control, u32 len, u64 addr)
{
	enum dma_op op = dma_op(control);
	bool err = false;
	u32 n;

	if (control & FW_CFG_DMA_CTL_SELECT)
		select_key(fw, (u16)(control >> 16));
	if (op == OP_NONE)
		return 0;
	while (len && !err) {
		n = dma_chunk(fw, op, addr, len, &err);
		addr += n;
		len -= n;
	}
	return err ? FW_CFG_DMA_CTL_ERROR : 0;
}

static void dma_status(struct fw_cfg *fw, u64 at, u32 control)
{
	u8 b[4];

	put_be(b, control, 4);
	if (dma_write(&fw->dma, at, b, sizeof(b)))
		pr_debug("fw_cfg: DMA status to 0x%llx: refused",
			 (unsigned long long)at);
}

static void dma_transfer(struct fw_cfg *fw)
{
	u8 d[sizeof(struct fw_cfg_dma_access)];
	u64 at = fw->dma_addr;
	u32 control;

	fw->dma_addr = 0;
	if (dma_read(&fw->dma, at, d, sizeof(d))) {
		pr_debug("fw_cfg: DMA descriptor at 0x%llx: refused",
			 (unsigned long long)at);
		dma_status(fw, at, FW_CFG_DMA_CTL_ERROR);
		return;
	}
	control = dma_run(fw, (u32)get_be(d, 4), (u32)get_be(d + 4, 4),
			  get_be(d + 8, 8));
	dma_status(fw, at, control);
}

/*
 * 0x514-0x51b, big-endian: 32-bit writes at 0x514 (high half, clears the
 * low half) and 0x518 (low half, starts the transfer), a 64-bit write at
 * 0x514 (starts it). Other writes are ignored, as QEMU refuses them.
 */
static void dma_io(struct fw_cfg *fw, u32 off, u8 *data, u32 len,
		   bool is_write)
{
	if (!is_write) {
		for (u32 i = 0; i < len; i++)
			data[i] = off + i < 8 ? fw_cfg_dma_sig[off + i] : 0;
		return;
	}
	if (len == 4 && off == 0) {
		fw->dma_addr = get_be(data, 4) << 32;
	} else if (len == 4 && off == 4) {
		fw->dma_addr |= get_be(data, 4);
		dma_transfer(fw);
	} else if (len == 8 && off == 0) {
		fw->dma_addr = get_be(data, 8);
		dma_transfer(fw);
	}
}

void fw_cfg_pio(struct fw_cfg *fw, u16 port, void *data, u32 len,
		bool is_write)
{
	if (!len || len > 8)
		return;
	pthread_mutex_lock(&fw->lock);
	if (port >= PORT_FW_CFG && port <= PORT_FW_CFG_DATA)
		ctl_io(fw, data, len, is_write);
	else if (port >= PORT_FW_CFG_DMA && port < PORT_FW_CFG_DMA + 8)
		dma_io(fw, port - PORT_FW_CFG_DMA, data, len, is_write);
	else if (!is_write)
		memset(data, 0xff, len);
	pthread_mutex_unlock(&fw->lock);
}
