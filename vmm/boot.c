// SPDX-License-Identifier: GPL-2.0-only
/*
 * Boot images: reading the files, checking them before any VM exists,
 * dispatching to the loader for what was given, the placement helpers
 * the loaders share, and the firmware + kernel hand-off.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "vmm/boot.h"
#include "lib/log.h"

#define PTE_P	(1ULL << 0)
#define PTE_RW	(1ULL << 1)
#define PTE_PS	(1ULL << 7)

static bool blob_given(const struct blob *b)
{
	return b->path || b->size;
}

static const char *blob_name(const struct blob *b)
{
	return b->path ? b->path : "(in memory)";
}

static int read_one(struct blob *b, const char *what, const char *path,
		    u64 max)
{
	struct stat st;
	size_t len;
	void *data;
	int r;

	b->path = path;
	if (!path)
		return 0;
	r = read_file_regular(path, &data, &len, (size_t)max);
	if (r == -EFBIG && !stat(path, &st))
		pr_err("%s %s: file too large (%lld bytes, limit %llu)", what,
		       path, (long long)st.st_size, (unsigned long long)max);
	else if (r == -EINVAL)
		pr_err("%s %s: not a regular file", what, path);
	else if (r)
		pr_err("%s %s: %s", what, path, strerror(-r));
	if (r)
		return r;
	b->data = data;
	b->size = len;
	return 0;
}

static int check_cmdline(const char *cmdline, u32 limit, const char *why)
{
	size_t n;

	if (!cmdline)
		return 0;
	n = strlen(cmdline) + 1;
	if (n <= limit)
		return 0;
	pr_err("kernel command line: too long (%zu bytes with the NUL, limit %u%s)",
	       n, limit, why);
	return -EFBIG;
}

int boot_read_images(struct boot_images *img, const char *firmware,
		     const char *kernel, const char *initrd,
		     const char *cmdline)
{
	int r;

	memset(img, 0, sizeof(*img));
	r = read_one(&img->firmware, "firmware", firmware, BOOT_FIRMWARE_MAX);
	if (!r)
		r = read_one(&img->kernel, "kernel", kernel, BOOT_KERNEL_MAX);
	if (!r)
		r = read_one(&img->initrd, "initrd", initrd, BOOT_INITRD_MAX);
	if (!r)
		r = check_cmdline(cmdline, LAYOUT_CMDLINE_MAX, "");
	if (r) {
		boot_free_images(img);
		return r;
	}
	img->cmdline = cmdline;
	return 0;
}

void boot_free_images(struct boot_images *img)
{
	free(img->firmware.data);
	free(img->kernel.data);
	free(img->initrd.data);
	memset(img, 0, sizeof(*img));
}

bool pvh_is_elf(const struct blob *k)
{
	return k->size >= 4 && !memcmp(k->data, "\177ELF", 4);
}

static int check_pvh(const struct boot_images *img, bool with_fw)
{
	const struct blob *k = &img->kernel;
	u64 entry32;
	int r;

	if (with_fw) {
		pr_err("kernel %s: a PVH ELF kernel needs direct boot; with a firmware give a bzImage",
		       blob_name(k));
		return -EINVAL;
	}
	r = pvh_parse(k, &entry32);
	if (r == -ENOSYS)
		pr_err("kernel %s: PVH support not built (CONFIG_BOOT_PVH)",
		       blob_name(k));
	return r ? r : check_cmdline(img->cmdline, LAYOUT_CMDLINE_MAX, "");
}

static int check_kernel(const struct boot_images *img, bool with_fw)
{
	const struct blob *k = &img->kernel;
	struct bzimage_info bi;
	u32 limit = LAYOUT_CMDLINE_MAX;
	int r;

	if (pvh_is_elf(k))
		return check_pvh(img, with_fw);
	r = bzimage_parse(k, &bi);
	if (r == -ENOSYS && with_fw) {
		/* The firmware checks the bzImage itself. */
		pr_debug("kernel %s: not checked (CONFIG_BOOT_BZIMAGE off)",
			 blob_name(k));
		return check_cmdline(img->cmdline, limit, "");
	}
	if (r == -ENOSYS)
		pr_err("kernel %s: bzImage support not built (CONFIG_BOOT_BZIMAGE)",
		       blob_name(k));
	if (r)
		return r;
	if (bi.cmdline_size < limit - 1)
		limit = bi.cmdline_size + 1;
	return check_cmdline(img->cmdline, limit, " of the kernel");
}

static int check_extras(const struct boot_images *img)
{
	bool has_kernel = blob_given(&img->kernel);

	if (blob_given(&img->initrd) && !has_kernel) {
		pr_err("initrd %s: given without a kernel",
		       blob_name(&img->initrd));
		return -EINVAL;
	}
	if (blob_given(&img->initrd) && !img->initrd.size) {
		pr_err("initrd %s: empty file", blob_name(&img->initrd));
		return -EINVAL;
	}
	if (img->cmdline && !has_kernel) {
		pr_err("kernel command line \"%.40s\": given without a kernel",
		       img->cmdline);
		return -EINVAL;
	}
	return 0;
}

int boot_check(const struct boot_images *img, struct fw_info *fw)
{
	bool has_fw = blob_given(&img->firmware);
	struct fw_info tmp;
	int r;

	if (!has_fw && !blob_given(&img->kernel)) {
		pr_err("nothing to boot: give a firmware or a kernel");
		return -EINVAL;
	}
	r = check_extras(img);
	if (!r && has_fw)
		r = fw_parse(&img->firmware, fw ? fw : &tmp);
	if (!r && blob_given(&img->kernel))
		r = check_kernel(img, has_fw);
	return r;
}

static int load_direct(struct guest_mem *mem, const struct boot_images *img,
		       struct boot_entry *entry)
{
	bool elf = pvh_is_elf(&img->kernel);
	int r;

	r = elf ? pvh_load(mem, img, entry) : bzimage_load(mem, img, entry);
	if (r == -ENOSYS)
		pr_err("kernel %s: %s support not built (%s)",
		       blob_name(&img->kernel), elf ? "PVH" : "bzImage",
		       elf ? "CONFIG_BOOT_PVH" : "CONFIG_BOOT_BZIMAGE");
	return r;
}

int boot_load(struct guest_mem *mem, const struct boot_images *img,
	      struct fw_info *fw, struct boot_entry *entry)
{
	struct fw_info tmp;
	int r;

	memset(entry, 0, sizeof(*entry));
	if (!blob_given(&img->firmware)) {
		if (!blob_given(&img->kernel)) {
			pr_err("nothing to boot: give a firmware or a kernel");
			return -EINVAL;
		}
		return load_direct(mem, img, entry);
	}
	r = fw_load(mem, &img->firmware, fw ? fw : &tmp);
	if (!r && blob_given(&img->kernel))
		r = handoff_load(mem, img);
	if (r)
		return r;
	entry->mode = BOOT_RESET;
	entry->rip = BOOT_RESET_RIP;
	return 0;
}

/* ---- placement helpers shared by the loaders */

static void *low_area(struct guest_mem *mem, u64 gpa, u64 len,
		      const char *what)
{
	void *p = mem_gpa_to_hva(mem, gpa, len);

	if (!p)
		pr_err("%s at 0x%llx: outside guest RAM", what,
		       (unsigned long long)gpa);
	return p;
}

int boot_setup_page_tables(struct guest_mem *mem, u64 *cr3)
{
	const u64 base = LAYOUT_PAGE_TABLES;
	u64 *pml4, *pdpt, *pd;

	pml4 = low_area(mem, base, LAYOUT_PAGE_TABLES_END - base,
			"page tables");
	if (!pml4)
		return -ENOSPC;
	memset(pml4, 0, LAYOUT_PAGE_TABLES_END - base);
	pdpt = pml4 + 512;
	pd = pdpt + 512;
	pml4[0] = (base + 0x1000) | PTE_P | PTE_RW;
	for (u64 i = 0; i < 4; i++)
		pdpt[i] = (base + 0x2000 + i * 0x1000) | PTE_P | PTE_RW;
	/* 4 page directories of 512 x 2 MiB: identity map of 4 GiB */
	for (u64 i = 0; i < 4 * 512; i++)
		pd[i] = (i << 21) | PTE_P | PTE_RW | PTE_PS;
	*cr3 = base;
	return 0;
}

int boot_setup_gdt(struct guest_mem *mem, enum boot_mode mode, u64 *gdt)
{
	u64 tab[BOOT_GDT_ENTRIES] = { 0, 0, BOOT_GDT_CODE64, BOOT_GDT_DATA };
	void *p;

	if (mode != BOOT_LINUX64 && mode != BOOT_PVH)
		return -EINVAL;
	if (mode == BOOT_PVH)
		tab[BOOT_CS / 8] = BOOT_GDT_CODE32;
	p = low_area(mem, LAYOUT_GDT, sizeof(tab), "boot GDT");
	if (!p)
		return -ENOSPC;
	memcpy(p, tab, sizeof(tab));
	*gdt = LAYOUT_GDT;
	return 0;
}

int boot_put_cmdline(struct guest_mem *mem, const char *cmdline,
		     u32 max_len, u64 *gpa)
{
	const char *s = cmdline ? cmdline : "";
	size_t n = strlen(s) + 1;
	void *p;
	int r;

	r = check_cmdline(s, MIN(max_len, (u32)LAYOUT_CMDLINE_MAX), "");
	if (r)
		return r;
	p = low_area(mem, LAYOUT_CMDLINE, n, "kernel command line");
	if (!p)
		return -ENOSPC;
	memcpy(p, s, n);
	*gpa = LAYOUT_CMDLINE;
	return 0;
}

int boot_place_initrd(struct guest_mem *mem, const struct blob *initrd,
		      u64 max_addr, u64 avoid_lo, u64 avoid_hi, u64 *gpa)
{
	u64 top = MIN(max_addr, mem_low_ram_end(mem)), size = initrd->size;
	u64 addr = 0;
	void *p = NULL;

	*gpa = 0;
	if (!size)
		return 0;
	if (size <= top) {
		addr = ALIGN_DOWN(top - size, 4096);
		if (addr < avoid_hi && addr + size > avoid_lo)
			addr = avoid_lo >= size ?
			       ALIGN_DOWN(avoid_lo - size, 4096) : 0;
		if (addr >= LAYOUT_HIGH_MEM)
			p = mem_gpa_to_hva(mem, addr, size);
	}
	if (!p) {
		pr_err("initrd %s: does not fit in guest RAM (%llu bytes, below 0x%llx, clear of 0x%llx-0x%llx and of the low 1 MiB)",
		       blob_name(initrd), (unsigned long long)size,
		       (unsigned long long)top, (unsigned long long)avoid_lo,
		       (unsigned long long)avoid_hi);
		return -ENOSPC;
	}
	memcpy(p, initrd->data, size);
	*gpa = addr;
	return 0;
}

/* ---- firmware + kernel hand-off */

/* Lowest staging address: room for the kernel to unpack from 1 MiB. */
static int handoff_floor(const struct blob *kernel, u64 *floor)
{
	struct bzimage_info bi;
	int r;

	*floor = LAYOUT_HIGH_MEM + BOOT_HANDOFF_RESERVED;
	r = bzimage_parse(kernel, &bi);
	if (r && r != -ENOSYS)
		return r;
	if (!r)
		*floor = MAX(*floor, ALIGN_UP(bzimage_end(&bi), SZ_2M));
	return 0;
}

/* Copy b to the highest 2 MiB-aligned address ending at or below *addr. */
static int stage_blob(struct guest_mem *mem, const struct blob *b,
		      const char *what, u64 floor, u64 *addr)
{
	u64 top = *addr, at = 0;
	void *p = NULL;

	if (b->size <= top) {
		at = ALIGN_DOWN(top - b->size, SZ_2M);
		if (at >= floor)
			p = mem_gpa_to_hva(mem, at, b->size);
	}
	if (!p) {
		pr_err("%s %s: does not fit in guest RAM (%zu bytes to stage in 0x%llx-0x%llx, above the area the firmware unpacks the kernel into; give the VM more memory)",
		       what, blob_name(b), b->size, (unsigned long long)floor,
		       (unsigned long long)top);
		return -ENOSPC;
	}
	memcpy(p, b->data, b->size);
	*addr = at;
	return 0;
}

int handoff_load(struct guest_mem *mem, const struct boot_images *img)
{
	struct sevm_handoff ho = {
		.magic = SEVM_HANDOFF_MAGIC,
		.version = SEVM_HANDOFF_VERSION,
		.size = sizeof(ho),
	};
	u64 floor, cmdline_gpa, addr = mem_low_ram_end(mem);
	void *p;
	int r;

	r = handoff_floor(&img->kernel, &floor);
	if (!r && img->initrd.size)
		r = stage_blob(mem, &img->initrd, "initrd", floor, &addr);
	ho.initrd_addr = img->initrd.size ? addr : 0;
	ho.initrd_size = img->initrd.size;
	if (!r)
		r = stage_blob(mem, &img->kernel, "kernel", floor, &addr);
	ho.kernel_addr = addr;
	ho.kernel_size = img->kernel.size;
	if (!r)
		r = boot_put_cmdline(mem, img->cmdline, LAYOUT_CMDLINE_MAX,
				     &cmdline_gpa);
	if (r)
		return r;
	ho.cmdline_addr = cmdline_gpa;
	ho.cmdline_size = strlen(img->cmdline ? img->cmdline : "") + 1;
	r = mem_e820(mem, ho.e820, SEVM_HANDOFF_MAX_E820);
	if (r < 0)
		return r;
	ho.nr_e820 = (u32)r;
	p = low_area(mem, LAYOUT_HANDOFF, sizeof(ho), "hand-off structure");
	if (!p)
		return -ENOSPC;
	memcpy(p, &ho, sizeof(ho));
	return 0;
}
