// SPDX-License-Identifier: GPL-2.0-only
/*
 * VIOT, the Virtual I/O Translation table (virtio-iommu ACPI spec, ACPI
 * 6.4+ reserved signature; read by Linux drivers/acpi/viot.c): which
 * IOMMU translates which endpoints. Built only when the machine has a
 * virtio-iommu (m->viot). Layout, as QEMU writes it for one host bridge:
 *
 *   header (36), le16 node count, le16 offset of the first node (48),
 *   8 reserved;
 *   node at 48, type 3 (virtio-pci IOMMU), length 16: le16 segment,
 *   le16 BDF of the IOMMU, 8 reserved;
 *   node at 64, type 1 (PCI range), length 24: le32 endpoint start,
 *   le16 segment start, le16 segment end, le16 BDF start, le16 BDF end,
 *   le16 output node (48, the IOMMU node's offset), 6 reserved.
 *
 * The range is segment 0, BDFs 0x0000-0xffff, endpoint IDs starting at 0:
 * an endpoint ID is the requester ID (bus << 8 | devfn), as the device
 * and the DMA API use it.
 */
#include "devices/acpi/acpi-priv.h"

#define VIOT_REVISION		0
#define VIOT_NODES_OFFSET	48
#define VIOT_NODE_PCI_RANGE	1
#define VIOT_NODE_VIRTIO_PCI	3
#define VIOT_PCI_RANGE_LEN	24
#define VIOT_VIRTIO_PCI_LEN	16

static int viot_iommu_node(struct aml *o, u16 bdf)
{
	return aml_u8(o, VIOT_NODE_VIRTIO_PCI) ?: aml_u8(o, 0) ?:
	       aml_u16(o, VIOT_VIRTIO_PCI_LEN) ?:
	       aml_u16(o, 0) ?:			/* PCI segment */
	       aml_u16(o, bdf) ?: aml_zeros(o, 8);
}

static int viot_range_node(struct aml *o)
{
	return aml_u8(o, VIOT_NODE_PCI_RANGE) ?: aml_u8(o, 0) ?:
	       aml_u16(o, VIOT_PCI_RANGE_LEN) ?:
	       aml_u32(o, 0) ?:			/* endpoint start */
	       aml_u16(o, 0) ?: aml_u16(o, 0) ?:	/* segments 0..0 */
	       aml_u16(o, 0x0000) ?: aml_u16(o, 0xffff) ?:	/* BDFs */
	       aml_u16(o, VIOT_NODES_OFFSET) ?:	/* output: the IOMMU */
	       aml_zeros(o, 6);
}

int acpi_build_viot(struct acpi_builder *b)
{
	struct aml *o = &b->out;

	if (!b->m->viot)
		return 0;
	return acpi_table_begin(b, "VIOT", VIOT_REVISION) ?:
	       aml_u16(o, 2) ?:			/* node count */
	       aml_u16(o, VIOT_NODES_OFFSET) ?: aml_zeros(o, 8) ?:
	       viot_iommu_node(o, b->m->viot_bdf) ?:
	       viot_range_node(o) ?:
	       acpi_table_end(b);
}
