// SPDX-License-Identifier: GPL-2.0-only
/*
 * fw_cfg against a guest that does anything: the input is a program of
 * port writes and reads (any port of the device, any size 1-8), stores
 * into a fake guest RAM (64 KiB at 0 and 4 KiB at 4 GiB), and DMA
 * descriptors started at any address. Nothing may crash or touch memory
 * outside the fake RAM (ASan), and a descriptor in RAM always ends with
 * a status of 0 or ERROR (written last, after any transfer).
 */
#include <string.h>

#include "devices/fw_cfg.h"
#include "tests/fuzz/fuzz.h"
#include "vmm/memory.h"

#define LOW_SIZE	0x10000
#define HIGH_SIZE	0x1000

static u8 low[LOW_SIZE], high[HIGH_SIZE];

static void fake_mem(struct guest_mem *mem)
{
	memset(mem, 0, sizeof(*mem));
	mem->memfd = -1;
	mem->ram = low;
	mem->ram_size = LOW_SIZE + HIGH_SIZE;
	mem->nr_regions = 2;
	mem->regions[0] = (struct mem_region){ MEM_RAM, 0, LOW_SIZE, low, 0 };
	mem->regions[1] = (struct mem_region){ MEM_RAM, SZ_4G, HIGH_SIZE,
					       high, 1 };
}

struct prog {
	const u8 *p;
	size_t left;
};

static u64 take(struct prog *g, unsigned int n)
{
	u64 v = 0;

	while (n-- && g->left) {
		v = v << 8 | *g->p++;
		g->left--;
	}
	return v;
}

static void op_port(struct fw_cfg *fw, struct prog *g, bool is_write)
{
	static const u32 sizes[4] = { 1, 2, 4, 8 };
	u8 data[8];
	u8 b = (u8)take(g, 1);
	u16 port = PORT_FW_CFG + (b & 0xf);	/* also ports it does not own */
	u32 len = sizes[(b >> 4) & 3];

	memset(data, 0, sizeof(data));
	for (u32 i = 0; is_write && i < len; i++)
		data[i] = (u8)take(g, 1);
	fw_cfg_pio(fw, port, data, len, is_write);
}

/* A descriptor (16 bytes of input) at a low-RAM offset, then started. */
static void op_dma(struct fw_cfg *fw, struct prog *g)
{
	u32 at = (u32)take(g, 2) % (LOW_SIZE - 16);
	u8 be[4] = { 0, 0, (u8)(at >> 8), (u8)at };
	u8 zero[4] = { 0 };

	for (int i = 0; i < 16; i++)
		low[at + i] = (u8)take(g, 1);
	fw_cfg_pio(fw, PORT_FW_CFG_DMA, zero, 4, true);
	fw_cfg_pio(fw, PORT_FW_CFG_DMA_LO, be, 4, true);
	FUZZ_ASSERT(!low[at] && !low[at + 1] && !low[at + 2] &&
		    (low[at + 3] & ~FW_CFG_DMA_CTL_ERROR) == 0);
}

/* A transfer started at any 64-bit address (mostly outside RAM). */
static void op_dma_any(struct fw_cfg *fw, struct prog *g)
{
	u8 addr[8];

	for (int i = 0; i < 8; i++)
		addr[i] = (u8)take(g, 1);
	fw_cfg_pio(fw, PORT_FW_CFG_DMA, addr, 8, true);
}

static void setup_files(struct fw_cfg *fw)
{
	static const u8 blob[300] = { 1, 2, 3 };

	FUZZ_ASSERT(!fw_cfg_add_file(fw, "etc/blob", blob, sizeof(blob)));
	FUZZ_ASSERT(!fw_cfg_add_file(fw, "etc/empty", NULL, 0));
	FUZZ_ASSERT(!fw_cfg_set_bootorder(fw, "/pci@i0cf8/x@1"));
	FUZZ_ASSERT(!fw_cfg_set_u16(fw, FW_CFG_NB_CPUS, 2));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct prog g = { data, size };
	struct guest_mem mem;
	struct fw_cfg *fw;

	memset(low, 0, sizeof(low));
	memset(high, 0, sizeof(high));
	fake_mem(&mem);
	fw = fw_cfg_new(&mem);
	FUZZ_ASSERT(fw);
	setup_files(fw);
	while (g.left) {
		switch (take(&g, 1) % 4) {
		case 0:
			op_port(fw, &g, true);
			break;
		case 1:
			op_port(fw, &g, false);
			break;
		case 2:
			op_dma(fw, &g);
			break;
		default:
			op_dma_any(fw, &g);
			break;
		}
	}
	fw_cfg_free(fw);
	return 0;
}
