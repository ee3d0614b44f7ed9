# devices/virtio/: split virtqueues, the transport-independent device
# core and the virtio devices.
sevm-obj-$(CONFIG_VIRTIO)		+= devices/virtio/virtqueue.o \
					   devices/virtio/virtio.o
