// SPDX-License-Identifier: GPL-2.0-only
/*
 * fw_cfg as a device of the table (fw_cfg.h): created in init with the
 * standard content from the configuration and guest memory, on the PIO
 * bus at 0x510 (2 ports) and 0x514 (8 ports). Other modules (the ACPI
 * tables) find it with fw_cfg_of() and add their files before vm_start.
 */
#include <errno.h>
#include <string.h>

#include "devices/fw_cfg.h"
#include "lib/log.h"
#include "vmm/config.h"
#include "vmm/memory.h"
#include "vmm/vm.h"

#define FW_CFG_E820_MAX		16
#define FW_CFG_SERCON_PORT	0x3f8

static void put_le(u8 *p, u64 v, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++, v >>= 8)
		p[i] = (u8)v;
}

/* QEMU's etc/e820: packed {le64 address, le64 length, le32 type}. */
static int add_e820(struct fw_cfg *fw, const struct guest_mem *mem)
{
	u8 buf[FW_CFG_E820_MAX * FW_CFG_E820_ENTRY_SIZE];
	struct sevm_e820 tab[FW_CFG_E820_MAX];
	int n = mem_e820(mem, tab, FW_CFG_E820_MAX);

	if (n < 0) {
		pr_err("fw_cfg: etc/e820: no map for %llu MiB of RAM: %s",
		       (unsigned long long)mem->ram_size >> 20, strerror(-n));
		return n;
	}
	for (int i = 0; i < n; i++) {
		u8 *p = buf + i * FW_CFG_E820_ENTRY_SIZE;

		put_le(p, tab[i].addr, 8);
		put_le(p + 8, tab[i].size, 8);
		put_le(p + 16, tab[i].type, 4);
	}
	return fw_cfg_add_file(fw, "etc/e820", buf,
			       (u32)n * FW_CFG_E820_ENTRY_SIZE);
}

static int add_le16_file(struct fw_cfg *fw, const char *name, u16 val)
{
	u8 b[2];

	put_le(b, val, 2);
	return fw_cfg_add_file(fw, name, b, sizeof(b));
}

/* The numbered items QEMU's x86 machines set and SeaBIOS/OVMF read. */
static int add_items(struct fw_cfg *fw, const struct vm_config *cfg,
		     const struct guest_mem *mem)
{
	static const u8 uuid[16];	/* QEMU's default: all zero */
	int r;

	r = fw_cfg_set_u16(fw, FW_CFG_NB_CPUS, (u16)cfg->cpus);
	if (!r)
		r = fw_cfg_set_u16(fw, FW_CFG_MAX_CPUS, (u16)cfg->cpus);
	if (!r)
		r = fw_cfg_set_u64(fw, FW_CFG_RAM_SIZE, mem->ram_size);
	if (!r)
		r = fw_cfg_set_item(fw, FW_CFG_UUID, uuid, sizeof(uuid));
	/*
	 * No display either way, but SeaBIOS turns NOGRAPHIC into a serial
	 * console at 0x3f8 when etc/sercon-port is absent: only say it
	 * with a serial console, so "none" stays silent.
	 */
	if (!r)
		r = fw_cfg_set_u16(fw, FW_CFG_NOGRAPHIC,
				   cfg->serial != SERIAL_NONE);
	if (!r)
		r = fw_cfg_set_u16(fw, FW_CFG_BOOT_MENU, 0);
	if (!r)	/* the in-kernel irqchip routes IRQ0 to GSI 2 */
		r = fw_cfg_set_u32(fw, FW_CFG_IRQ0_OVERRIDE, 1);
	return r;
}

int fw_cfg_add_standard(struct fw_cfg *fw, const struct vm_config *cfg,
			const struct guest_mem *mem)
{
	int r = add_items(fw, cfg, mem);

	if (!r)
		r = add_e820(fw, mem);
	if (!r && cfg->serial != SERIAL_NONE)
		r = add_le16_file(fw, "etc/sercon-port", FW_CFG_SERCON_PORT);
	if (!r)
		r = add_le16_file(fw, "etc/show-boot-menu", 0);
	if (!r)
		r = fw_cfg_set_bootorder(fw, NULL);
	return r;
}

static void fw_cfg_ctl_io(void *opaque, u64 offset, void *data, u32 len,
			  bool is_write)
{
	fw_cfg_pio(opaque, (u16)(PORT_FW_CFG + offset), data, len, is_write);
}

static void fw_cfg_dma_io(void *opaque, u64 offset, void *data, u32 len,
			  bool is_write)
{
	fw_cfg_pio(opaque, (u16)(PORT_FW_CFG_DMA + offset), data, len,
		   is_write);
}

static int fw_cfg_register(struct vm *vm, struct fw_cfg *fw)
{
	int r;

	r = bus_register(&vm->pio, PORT_FW_CFG, 2, fw_cfg_ctl_io, fw,
			 "fw_cfg");
	if (r < 0) {
		pr_err("fw_cfg: register ports 0x%x-0x%x: %s", PORT_FW_CFG,
		       PORT_FW_CFG_DATA, strerror(-r));
		return r;
	}
	r = bus_register(&vm->pio, PORT_FW_CFG_DMA, 8, fw_cfg_dma_io, fw,
			 "fw_cfg dma");
	if (r < 0)
		pr_err("fw_cfg: register ports 0x%x-0x%x: %s", PORT_FW_CFG_DMA,
		       PORT_FW_CFG_DMA + 7, strerror(-r));
	return r;
}

static int fw_cfg_init(struct vm *vm, void **priv)
{
	struct fw_cfg *fw = fw_cfg_new(&vm->mem);
	int r;

	if (!fw) {
		pr_err("fw_cfg: init: %s", strerror(ENOMEM));
		return -ENOMEM;
	}
	r = fw_cfg_add_standard(fw, vm->cfg, &vm->mem);
	if (!r)
		r = fw_cfg_register(vm, fw);
	if (r) {
		fw_cfg_free(fw);
		return r;
	}
	*priv = fw;
	return 0;
}

static void fw_cfg_exit(struct vm *vm, void *priv)
{
	fw_cfg_free(priv);
}

struct fw_cfg *fw_cfg_of(struct vm *vm)
{
	return devices_find(vm, FW_CFG_NAME);
}

const struct device_ops fw_cfg_ops = {
	.name	= FW_CFG_NAME,
	.init	= fw_cfg_init,
	.exit	= fw_cfg_exit,
};
