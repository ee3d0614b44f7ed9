/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Device models on the fake machine's virtio functions (fw-fake-devs.c):
 * turn a fake_virtio_add() device into a virtio-iommu, virtio-net or
 * virtio-vsock whose behaviour the test can steer and inspect.
 */
#ifndef SEVM_TESTS_FW_FAKE_DEVS_H
#define SEVM_TESTS_FW_FAKE_DEVS_H

#include "tests/unit/fw-fake.h"

#define FAKE_RX_MAX	16
#define FAKE_FAULTS	8
#define FAKE_EPS	8
#define FAKE_MAPS	16

struct fake_iommu_ep {
	int attached;
	u32 id, domain;
};

struct fake_iommu_map {
	int used;
	u32 domain;
	u64 iova, end, phys;
	u32 flags;
};

struct fake_viommu {
	u32 types[8];		/* requests seen by type */
	u32 domain, endpoint, flags;
	u64 iova, end, phys;	/* the last MAP or UNMAP */
	u8 status;		/* the status every request gets */
	int bad_probe;		/* PROBE property running past the buffer */
	int short_fault;	/* fault records of 8 bytes */
	int no_faults;		/* never reports a fault */
	int ignore_perms;	/* a broken IOMMU: READ-only maps are writable */
	int bypass_stuck;	/* bypass reads 0 but stays on */
	struct fake_iommu_ep ep[FAKE_EPS];
	struct fake_iommu_map map[FAKE_MAPS];
	u8 fault[FAKE_FAULTS][24];
	u32 nr_faults, fault_next;	/* a ring: pushed, delivered */
};

struct fake_vnet {
	u8 tx[128];		/* the last frame sent, without the header */
	u32 tx_len;
	u64 features;		/* accepted, as seen when it sent */
	u8 rx[FAKE_RX_MAX][64];
	u32 rx_len[FAKE_RX_MAX], nr_rx, rx_next;
	int silent;		/* never answers */
	int bad_num_buffers;
};

struct fake_vsock {
	u32 ops[8];		/* packets the guest sent, by op */
	u8 rx[FAKE_RX_MAX][64];
	u32 rx_len[FAKE_RX_MAX], nr_rx, rx_next;
	u32 host_fwd[2];	/* data bytes the host consumed, per stream */
	u32 guest_buf_alloc, guest_fwd;	/* the guest's last credit */
	u8 got[32];		/* the last data the guest sent */
	u32 got_len;
	int refuse;		/* RST instead of RESPONSE */
	int zero_credit;	/* RESPONSE with buf_alloc 0 */
	int no_connect;		/* the host never connects to port 5000 */
	int bad_cid;		/* packets for another CID */
	int short_packet;	/* used length shorter than a header */
};

struct fake_viommu *fake_viommu_add(struct fake_virtio *v);
/* From now on the blk, console and rng models go through its tables. */
void fake_viommu_translating(void);
/* Queues a fault record and delivers it if an event buffer waits. */
void fake_viommu_fault(struct fake_virtio *v, u8 reason, u32 flags,
		       u32 endpoint, u64 address);
struct fake_vnet *fake_vnet_add(struct fake_virtio *v);
struct fake_vsock *fake_vsock_add(struct fake_virtio *v);

#endif /* SEVM_TESTS_FW_FAKE_DEVS_H */
