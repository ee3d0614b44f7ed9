# devices/virtio/: split virtqueues, the transport-independent device
# core and the virtio devices.
sevm-obj-$(CONFIG_VIRTIO)		+= devices/virtio/virtqueue.o \
					   devices/virtio/virtio.o
ifeq ($(CONFIG_PCI),y)
sevm-obj-$(CONFIG_VIRTIO)		+= devices/virtio/pci.o \
					   devices/virtio/machine.o
endif
sevm-obj-$(CONFIG_VIRTIO_BLK)		+= devices/virtio/blk.o
sevm-obj-$(CONFIG_VIRTIO_RNG)		+= devices/virtio/rng.o
sevm-obj-$(CONFIG_VIRTIO_CONSOLE)	+= devices/virtio/console.o
sevm-obj-$(CONFIG_VIRTIO_NET)		+= devices/virtio/net.o
sevm-obj-$(CONFIG_VIRTIO_VSOCK)		+= devices/virtio/vsock.o \
					   devices/virtio/vsock-conn.o \
					   devices/virtio/vsock-uds.o
sevm-obj-$(CONFIG_VIRTIO_IOMMU)	+= devices/virtio/iommu.o \
					   devices/virtio/iommu-map.o
