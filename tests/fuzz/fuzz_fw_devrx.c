// SPDX-License-Identifier: GPL-2.0-only
/*
 * What devices write for the firmware's virtio-iommu, virtio-net and
 * virtio-vsock drivers: the same bytes as a fault record, PROBE
 * properties, a vsock packet and a net receive buffer. Each parser
 * accepts exactly what fits: no read past the input, lengths inside it.
 */
#include <string.h>

#include "tests/fuzz/fuzz.h"
#include "firmware/viommu.h"
#include "firmware/vnet.h"
#include "firmware/vsock.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	u32 len = size > 4096 ? 4096 : (u32)size;
	struct viommu_probe_info p;
	struct viommu_fault f;
	struct vsock_hdr h;
	struct vnet_rx r;
	char text[VNET_PAYLOAD_SHOWN + 1];
	int k;

	FUZZ_ASSERT(!viommu_fault_parse(data, len, &f) ==
		    (len >= VIOMMU_FAULT_LEN));
	k = viommu_probe_parse(data, len, &p);
	FUZZ_ASSERT(k == 0 || k == -1);
	FUZZ_ASSERT(p.nr_resv <= p.nr_props);
	FUZZ_ASSERT(p.nr_props <= len / VIOMMU_PROBE_HDR);
	if (!vsock_hdr_parse(data, len, &h))
		FUZZ_ASSERT(len >= VSOCK_HDR_LEN &&
			    h.len <= len - VSOCK_HDR_LEN);
	k = vnet_rx_parse(data, len, &r);
	FUZZ_ASSERT(k >= -1 && k <= 1);
	if (k == 1) {
		FUZZ_ASSERT(r.frame_len + VNET_HDR_LEN == len);
		FUZZ_ASSERT(r.payload + r.payload_len == data + len);
		vnet_payload_text(&r, text);
		FUZZ_ASSERT(strlen(text) <= VNET_PAYLOAD_SHOWN);
	}
	return 0;
}
