// SPDX-License-Identifier: GPL-2.0-only
/*
 * Direct boot of an ELF vmlinux through the PVH entry point
 * (XEN_ELFNOTE_PHYS32_ENTRY): PT_LOAD segments copied to their physical
 * addresses, an hvm_start_info (Xen public/arch-x86/hvm/start_info.h) at
 * LAYOUT_ZERO_PAGE, and vCPU 0 entering in 32-bit flat protected mode
 * with EBX pointing at it. The ELF is read with libelf; every offset and
 * size is checked against the file before use.
 */
#include <errno.h>
#include <gelf.h>
#include <libelf.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "vmm/boot.h"
#include "lib/log.h"

#define XEN_ELFNOTE_PHYS32_ENTRY	18
#define XEN_HVM_START_MAGIC		0x336ec578
#define PVH_MAX_SEGS			32
#define PVH_MAX_PHDRS			128
#define PVH_MODLIST_OFFSET		0x40	/* inside the start_info page */
#define PVH_MEMMAP_OFFSET		0x80
#define PVH_MEMMAP_MAX			32

/* Xen's public start_info.h layout, version 1. */
struct hvm_start_info {
	u32 magic;
	u32 version;
	u32 flags;
	u32 nr_modules;
	u64 modlist_paddr;
	u64 cmdline_paddr;
	u64 rsdp_paddr;
	u64 memmap_paddr;
	u32 memmap_entries;
	u32 reserved;
};

struct hvm_modlist_entry {
	u64 paddr;
	u64 size;
	u64 cmdline_paddr;
	u64 reserved;
};

struct hvm_memmap_table_entry {
	u64 addr;
	u64 size;
	u32 type;
	u32 reserved;
};

_Static_assert(sizeof(struct hvm_start_info) == 56, "start_info ABI");
_Static_assert(sizeof(struct hvm_modlist_entry) == 32, "modlist ABI");
_Static_assert(sizeof(struct hvm_memmap_table_entry) == 24, "memmap ABI");
_Static_assert(PVH_MEMMAP_OFFSET + PVH_MEMMAP_MAX *
	       sizeof(struct hvm_memmap_table_entry) <= 4096, "one page");

struct pvh_seg {
	u64 paddr, memsz, offset, filesz;
};

struct pvh_image {
	const struct blob *k;
	Elf *elf;
	struct pvh_seg seg[PVH_MAX_SEGS];
	unsigned int nr_seg;
	bool has_entry;
	u64 entry32;
};

static int __printf(2, 3) pvh_bad(const struct pvh_image *pi,
				  const char *fmt, ...)
{
	char why[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	pr_err("kernel %s: bad PVH ELF: %s", pi->k->path, why);
	return -EINVAL;
}

static bool in_file(const struct blob *k, u64 off, u64 len)
{
	return off <= k->size && len <= k->size - off;
}

static int pvh_check_ehdr(struct pvh_image *pi, size_t *phnum)
{
	GElf_Ehdr eh;
	int cls = gelf_getclass(pi->elf);
	size_t phsz = cls == ELFCLASS64 ? sizeof(Elf64_Phdr) :
					  sizeof(Elf32_Phdr);

	if (elf_kind(pi->elf) != ELF_K_ELF || !gelf_getehdr(pi->elf, &eh))
		return pvh_bad(pi, "truncated or unreadable ELF header");
	if ((cls != ELFCLASS64 || eh.e_machine != EM_X86_64) &&
	    (cls != ELFCLASS32 || eh.e_machine != EM_386))
		return pvh_bad(pi, "not an x86 ELF32/ELF64 file");
	if (eh.e_ident[EI_DATA] != ELFDATA2LSB || eh.e_type != ET_EXEC)
		return pvh_bad(pi, "not a little-endian executable");
	if (!eh.e_phnum || eh.e_phnum > PVH_MAX_PHDRS ||
	    eh.e_phentsize != phsz ||
	    !in_file(pi->k, eh.e_phoff, (u64)eh.e_phnum * phsz))
		return pvh_bad(pi, "program headers missing or past the end of the file");
	*phnum = eh.e_phnum;
	return 0;
}

static int pvh_note_entry(struct pvh_image *pi, const u8 *desc, size_t len)
{
	u64 v = 0;

	if (len != 4 && len != 8)
		return pvh_bad(pi, "PHYS32_ENTRY note of %zu bytes, not 4 or 8",
			       len);
	memcpy(&v, desc, len);	/* little-endian host */
	if (pi->has_entry)
		return pvh_bad(pi, "more than one PHYS32_ENTRY note");
	pi->has_entry = true;
	pi->entry32 = v;
	return 0;
}

static int pvh_scan_notes(struct pvh_image *pi, const GElf_Phdr *ph)
{
	Elf_Data *d;
	GElf_Nhdr nh;
	size_t off = 0, next, name_off, desc_off;
	int r;

	if (!in_file(pi->k, ph->p_offset, ph->p_filesz))
		return pvh_bad(pi, "PT_NOTE segment runs past the end of the file");
	d = elf_getdata_rawchunk(pi->elf, (int64_t)ph->p_offset,
				 ph->p_filesz, ELF_T_NHDR);
	if (!d)
		return pvh_bad(pi, "unreadable PT_NOTE segment");
	while ((next = gelf_getnote(d, off, &nh, &name_off, &desc_off)) > 0) {
		const char *name = (const char *)d->d_buf + name_off;

		off = next;
		if (nh.n_type != XEN_ELFNOTE_PHYS32_ENTRY ||
		    nh.n_namesz != 4 || memcmp(name, "Xen", 4))
			continue;
		r = pvh_note_entry(pi, (const u8 *)d->d_buf + desc_off,
				   nh.n_descsz);
		if (r)
			return r;
	}
	return 0;
}

static int pvh_add_load(struct pvh_image *pi, const GElf_Phdr *ph)
{
	unsigned long long pa = ph->p_paddr, msz = ph->p_memsz;
	struct pvh_seg *s = &pi->seg[pi->nr_seg];

	if (!ph->p_memsz)
		return 0;
	if (pi->nr_seg == PVH_MAX_SEGS)
		return pvh_bad(pi, "more than %d PT_LOAD segments",
			       PVH_MAX_SEGS);
	if (ph->p_filesz > ph->p_memsz)
		return pvh_bad(pi, "PT_LOAD segment at 0x%llx with p_filesz > p_memsz",
			       pa);
	if (!in_file(pi->k, ph->p_offset, ph->p_filesz))
		return pvh_bad(pi, "PT_LOAD segment at 0x%llx runs past the end of the file",
			       pa);
	if (ph->p_paddr < LAYOUT_HIGH_MEM || ph->p_memsz > LAYOUT_4G ||
	    ph->p_paddr > LAYOUT_4G - ph->p_memsz)
		return pvh_bad(pi, "PT_LOAD segment 0x%llx+0x%llx outside 1 MiB..4 GiB",
			       pa, msz);
	for (unsigned int i = 0; i < pi->nr_seg; i++)
		if (ph->p_paddr < pi->seg[i].paddr + pi->seg[i].memsz &&
		    pi->seg[i].paddr < ph->p_paddr + ph->p_memsz)
			return pvh_bad(pi, "PT_LOAD segments at 0x%llx and 0x%llx overlap",
				       (unsigned long long)pi->seg[i].paddr,
				       pa);
	*s = (struct pvh_seg){ .paddr = ph->p_paddr, .memsz = ph->p_memsz,
			       .offset = ph->p_offset,
			       .filesz = ph->p_filesz };
	pi->nr_seg++;
	return 0;
}

static int pvh_check_entry(struct pvh_image *pi)
{
	if (!pi->has_entry)
		return pvh_bad(pi, "no PVH entry point (no Xen PHYS32_ENTRY note, type 18)");
	for (unsigned int i = 0; i < pi->nr_seg; i++)
		if (pi->entry32 >= pi->seg[i].paddr &&
		    pi->entry32 - pi->seg[i].paddr < pi->seg[i].filesz)
			return 0;
	return pvh_bad(pi, "PVH entry point 0x%llx is outside every loaded segment",
		       (unsigned long long)pi->entry32);
}

static int pvh_scan_phdrs(struct pvh_image *pi)
{
	size_t phnum = 0;
	GElf_Phdr ph;
	int r;

	r = pvh_check_ehdr(pi, &phnum);
	for (size_t i = 0; !r && i < phnum; i++) {
		if (!gelf_getphdr(pi->elf, (int)i, &ph))
			return pvh_bad(pi, "unreadable program header");
		if (ph.p_type == PT_LOAD)
			r = pvh_add_load(pi, &ph);
		else if (ph.p_type == PT_NOTE)
			r = pvh_scan_notes(pi, &ph);
	}
	return r ? r : pvh_check_entry(pi);
}

static int pvh_scan(const struct blob *k, struct pvh_image *pi)
{
	int r;

	memset(pi, 0, sizeof(*pi));
	pi->k = k;
	if (elf_version(EV_CURRENT) == EV_NONE) {
		pr_err("kernel %s: libelf initialisation failed: %s", k->path,
		       elf_errmsg(-1));
		return -EIO;
	}
	if (k->size < sizeof(Elf32_Ehdr) ||
	    (k->data[EI_CLASS] == ELFCLASS64 && k->size < sizeof(Elf64_Ehdr)))
		return pvh_bad(pi, "truncated ELF header");
	pi->elf = elf_memory((char *)k->data, k->size);
	if (!pi->elf)
		return pvh_bad(pi, "libelf: %s", elf_errmsg(-1));
	r = pvh_scan_phdrs(pi);
	elf_end(pi->elf);
	pi->elf = NULL;
	return r;
}

int pvh_parse(const struct blob *k, u64 *entry32)
{
	struct pvh_image pi;
	int r = pvh_scan(k, &pi);

	if (!r)
		*entry32 = pi.entry32;
	return r;
}

static int pvh_copy_segments(struct guest_mem *mem, const struct pvh_image *pi,
			     u64 *lo, u64 *hi)
{
	*lo = UINT64_MAX;
	*hi = 0;
	for (unsigned int i = 0; i < pi->nr_seg; i++) {
		const struct pvh_seg *s = &pi->seg[i];
		u8 *dst = mem_gpa_to_hva(mem, s->paddr, s->memsz);

		if (!dst) {
			pr_err("kernel %s: PVH ELF segment 0x%llx-0x%llx is outside guest RAM (%llu MiB)",
			       pi->k->path, (unsigned long long)s->paddr,
			       (unsigned long long)(s->paddr + s->memsz),
			       (unsigned long long)mem->ram_size >> 20);
			return -ENOSPC;
		}
		memcpy(dst, pi->k->data + s->offset, s->filesz);
		memset(dst + s->filesz, 0, s->memsz - s->filesz);
		*lo = MIN(*lo, s->paddr);
		*hi = MAX(*hi, s->paddr + s->memsz);
	}
	return 0;
}

static int pvh_start_info(struct guest_mem *mem, u64 cmdline,
			  const struct boot_images *img, u64 initrd_gpa)
{
	u8 *page = mem_gpa_to_hva(mem, LAYOUT_ZERO_PAGE, 4096);
	struct hvm_start_info *si = (struct hvm_start_info *)page;
	struct hvm_modlist_entry *mod;
	struct hvm_memmap_table_entry *mm;
	const struct blob *initrd = &img->initrd;
	struct sevm_e820 e820[PVH_MEMMAP_MAX];
	int n = mem_e820(mem, e820, PVH_MEMMAP_MAX);

	if (!page || n < 0)
		return page ? n : -ENOSPC;
	memset(page, 0, 4096);
	mod = (struct hvm_modlist_entry *)(page + PVH_MODLIST_OFFSET);
	mm = (struct hvm_memmap_table_entry *)(page + PVH_MEMMAP_OFFSET);
	*si = (struct hvm_start_info){
		.magic = XEN_HVM_START_MAGIC, .version = 1,
		.cmdline_paddr = cmdline,
		.rsdp_paddr = img->acpi_rsdp,
		.memmap_paddr = LAYOUT_ZERO_PAGE + PVH_MEMMAP_OFFSET,
		.memmap_entries = (u32)n,
	};
	if (initrd->size) {
		si->nr_modules = 1;
		si->modlist_paddr = LAYOUT_ZERO_PAGE + PVH_MODLIST_OFFSET;
		mod->paddr = initrd_gpa;
		mod->size = initrd->size;
	}
	for (int i = 0; i < n; i++)
		mm[i] = (struct hvm_memmap_table_entry){
			.addr = e820[i].addr, .size = e820[i].size,
			.type = e820[i].type };
	return 0;
}

int pvh_load(struct guest_mem *mem, const struct boot_images *img,
	     struct boot_entry *entry)
{
	struct pvh_image pi;
	u64 lo, hi, cmdline, initrd;
	int r;

	r = pvh_scan(&img->kernel, &pi);
	if (!r)
		r = pvh_copy_segments(mem, &pi, &lo, &hi);
	if (!r)
		r = boot_put_cmdline(mem, img->cmdline, LAYOUT_CMDLINE_MAX,
				     &cmdline);
	if (!r)
		r = boot_place_initrd(mem, &img->initrd, UINT64_MAX, lo, hi,
				      &initrd);
	if (!r)
		r = pvh_start_info(mem, cmdline, img, initrd);
	if (!r)
		r = boot_setup_gdt(mem, BOOT_PVH, &entry->gdt);
	if (r)
		return r;
	entry->mode = BOOT_PVH;
	entry->rip = pi.entry32;
	entry->boot_params = LAYOUT_ZERO_PAGE;
	entry->cr3 = 0;
	return 0;
}
