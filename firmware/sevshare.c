// SPDX-License-Identifier: GPL-2.0-only
/* Sharing pages with the VMM under SEV: see sevshare.h. */
#include "firmware/handoff.h"
#include "firmware/sevshare.h"

int sev_share_parse(struct sev_share *s, const u8 *raw, u32 len, u64 cbit)
{
	u16 port;

	*s = (struct sev_share){ 0 };
	if (!raw) {
		s->active = cbit != 0;	/* real SEV: the hypercall */
		return 0;
	}
	if (len != sizeof(struct sevm_sev_dma))
		return -1;
	port = fw_le16(raw);
	if (port && port != PORT_SEV_SHARE)
		return -1;
	s->active = 1;
	s->use_port = port != 0;
	s->dma_check = !!(fw_le16(raw + 2) & SEVM_SEV_DMA_CHECK);
	return 0;
}

/* RAX = 12, RBX = gpa, RCX = pages, RDX = attributes; result in RAX. */
static long sev_share_call(const struct sev_share *s, u64 gpa, u64 npages,
			   u64 attrs)
{
	u64 ret = SEV_SHARE_HC_MAP_GPA_RANGE;

	if (s->use_port)
		__asm__ volatile("outb %%al, %[port]"
				 : "+a"(ret)
				 : [port] "i"(PORT_SEV_SHARE), "b"(gpa),
				   "c"(npages), "d"(attrs)
				 : "memory");
	else
		__asm__ volatile("vmmcall"
				 : "+a"(ret)
				 : "b"(gpa), "c"(npages), "d"(attrs)
				 : "memory");
	return (long)ret;
}

long sev_share_range(const struct sev_share *s, u64 pa, u64 len, int shared)
{
	u64 first = pa & ~(SEV_SHARE_PAGE - 1);
	u64 end = (pa + len + SEV_SHARE_PAGE - 1) & ~(SEV_SHARE_PAGE - 1);

	if (!s->active || !len)
		return 0;
	return sev_share_call(s, first, (end - first) / SEV_SHARE_PAGE,
			      shared ? 0 : SEV_SHARE_ENCRYPTED);
}
