// SPDX-License-Identifier: GPL-2.0-only
/*
 * The initial SEV-ES VMSA (see vmsa.h). Every field not set here is zero;
 * the table follows sev-protocol.md 8.3 and reproduces the VMSA pages
 * QEMU + KVM measured on a Milan host (tests/unit/test_vmsa.c).
 */
#include <errno.h>
#include <string.h>

#include "sev/vmsa.h"

/* Segment attributes in the VMSA's packed form (type | S | P...). */
#define ATTR_DATA	0x0093	/* read/write, accessed, S, P */
#define ATTR_CODE	0x009b	/* execute/read, accessed, S, P */
#define ATTR_LDT	0x0082	/* LDT, P */
#define ATTR_TSS	0x008b	/* busy 32-bit TSS, P */
#define RESET_LIMIT	0xffffu
#define RESET_CS_SEL	0xf000u
#define RESET_CS_BASE	0xffff0000u
#define RESET_IP	0xfff0u

static void put16(u8 *page, unsigned int off, u16 v)
{
	memcpy(page + off, &v, sizeof(v));
}

static void put32(u8 *page, unsigned int off, u32 v)
{
	memcpy(page + off, &v, sizeof(v));
}

static void put64(u8 *page, unsigned int off, u64 v)
{
	memcpy(page + off, &v, sizeof(v));
}

static void put_seg(u8 *page, unsigned int off, u16 sel, u16 attrib,
		    u32 limit, u64 base)
{
	put16(page, off, sel);
	put16(page, off + 2, attrib);
	put32(page, off + 4, limit);
	put64(page, off + 8, base);
}

static void put_segments(u8 *page, u64 cs_base)
{
	static const unsigned int data_segs[] = {
		VMSA_ES, VMSA_SS, VMSA_DS, VMSA_FS, VMSA_GS,
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(data_segs); i++)
		put_seg(page, data_segs[i], 0, ATTR_DATA, RESET_LIMIT, 0);
	put_seg(page, VMSA_CS, RESET_CS_SEL, ATTR_CODE, RESET_LIMIT, cs_base);
	put_seg(page, VMSA_GDTR, 0, 0, RESET_LIMIT, 0);
	put_seg(page, VMSA_LDTR, 0, ATTR_LDT, RESET_LIMIT, 0);
	put_seg(page, VMSA_IDTR, 0, 0, RESET_LIMIT, 0);
	put_seg(page, VMSA_TR, 0, ATTR_TSS, RESET_LIMIT, 0);
}

int sev_vmsa_build(u8 page[SEV_VMSA_SIZE], bool bsp, u32 es_reset,
		   u32 cpuid1_eax, bool init2)
{
	u64 cs_base = RESET_CS_BASE, rip = RESET_IP;

	if (!bsp) {
		if (!es_reset)
			return -EINVAL;
		cs_base = sev_es_reset_cs_base(es_reset);
		rip = sev_es_reset_ip(es_reset);
	}
	memset(page, 0, SEV_VMSA_SIZE);
	put_segments(page, cs_base);
	put64(page, VMSA_EFER, VMSA_RESET_EFER);
	put64(page, VMSA_CR4, VMSA_RESET_CR4);
	put64(page, VMSA_CR0, VMSA_RESET_CR0);
	put64(page, VMSA_DR7, VMSA_RESET_DR7);
	put64(page, VMSA_DR6, VMSA_RESET_DR6);
	put64(page, VMSA_RFLAGS, VMSA_RESET_RFLAGS);
	put64(page, VMSA_RIP, rip);
	put64(page, VMSA_G_PAT, VMSA_RESET_G_PAT);
	put64(page, VMSA_RDX, cpuid1_eax);
	put64(page, VMSA_XCR0, VMSA_RESET_XCR0);
	if (init2) {
		put32(page, VMSA_MXCSR, VMSA_INIT2_MXCSR);
		put16(page, VMSA_X87_FCW, VMSA_INIT2_FCW);
	}
	return 0;
}
