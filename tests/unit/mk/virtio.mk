# Virtio (devices/virtio/): split virtqueues, the device core, the
# devices, and the I/O thread (vmm/iothread.c). The driver's side of a
# queue is tests/unit/vq-drv.c over a plain-buffer guest RAM (no KVM).
virtio-test-base := tests/unit/vq-drv.o devices/virtio/virtqueue.o \
		    vmm/dma.o lib/log.o lib/util.o

ifeq ($(CONFIG_VIRTIO),y)
unit-tests-y		+= test_virtqueue
endif
test_virtqueue-objs	:= tests/unit/test_virtqueue.o $(virtio-test-base)
test_virtqueue-libs	:= -lcrypto

ifeq ($(CONFIG_VIRTIO),y)
unit-tests-y		+= test_virtio
endif
test_virtio-objs	:= tests/unit/test_virtio.o devices/virtio/virtio.o \
			   $(virtio-test-base)
test_virtio-libs	:= -lcrypto
test_virtio-ldflags	:= -Wl,--wrap=pr_log

ifeq ($(CONFIG_VIRTIO),y)
unit-tests-y		+= test_iothread
endif
test_iothread-objs	:= tests/unit/test_iothread.o vmm/iothread.o \
			   lib/log.o lib/util.o
test_iothread-libs	:= -lcrypto
test_iothread-ldflags	:= -Wl,--wrap=pr_log

# The devices, each through the device core and the test driver.
virtio-dev-test-base := tests/unit/virtio-drv.o devices/virtio/virtio.o \
			$(virtio-test-base)

ifeq ($(CONFIG_VIRTIO_BLK),y)
unit-tests-y		+= test_virtio_blk
endif
test_virtio_blk-objs	:= tests/unit/test_virtio_blk.o devices/virtio/blk.o \
			   $(virtio-dev-test-base)
test_virtio_blk-libs	:= -lcrypto
test_virtio_blk-ldflags	:= -Wl,--wrap=pr_log

ifeq ($(CONFIG_VIRTIO_RNG),y)
unit-tests-y		+= test_virtio_rng
endif
test_virtio_rng-objs	:= tests/unit/test_virtio_rng.o devices/virtio/rng.o \
			   $(virtio-dev-test-base)
test_virtio_rng-libs	:= -lcrypto
test_virtio_rng-ldflags	:= -Wl,--wrap=pr_log

ifeq ($(CONFIG_VIRTIO_CONSOLE),y)
unit-tests-y		+= test_virtio_console
endif
test_virtio_console-objs := tests/unit/test_virtio_console.o \
			    devices/virtio/console.o $(virtio-dev-test-base)
test_virtio_console-libs := -lcrypto
test_virtio_console-ldflags := -Wl,--wrap=pr_log

ifeq ($(CONFIG_VIRTIO_NET),y)
unit-tests-y		+= test_virtio_net
endif
test_virtio_net-objs	:= tests/unit/test_virtio_net.o devices/virtio/net.o \
			   vmm/iothread.o $(virtio-dev-test-base)
test_virtio_net-libs	:= -lcrypto
test_virtio_net-ldflags	:= -Wl,--wrap=pr_log

ifeq ($(CONFIG_VIRTIO_VSOCK),y)
unit-tests-y		+= test_virtio_vsock
endif
test_virtio_vsock-objs	:= tests/unit/test_virtio_vsock.o devices/virtio/vsock.o \
			   devices/virtio/vsock-conn.o devices/virtio/vsock-uds.o \
			   vmm/iothread.o $(virtio-dev-test-base)
test_virtio_vsock-libs	:= -lcrypto
test_virtio_vsock-ldflags := -Wl,--wrap=pr_log

# virtio-iommu: the device and its translation stage through the test
# driver (viommu-drv.c); the DMA test adds virtio-blk behind the IOMMU.
viommu-test-base := tests/unit/viommu-drv.o devices/virtio/iommu.o \
		    devices/virtio/iommu-map.o $(virtio-dev-test-base)

ifeq ($(CONFIG_VIRTIO_IOMMU),y)
unit-tests-y		+= test_virtio_iommu
endif
test_virtio_iommu-objs	:= tests/unit/test_virtio_iommu.o $(viommu-test-base)
test_virtio_iommu-libs	:= -lcrypto -lpthread
test_virtio_iommu-ldflags := -Wl,--wrap=pr_log

ifeq ($(CONFIG_VIRTIO_IOMMU)$(CONFIG_VIRTIO_BLK),yy)
unit-tests-y		+= test_virtio_iommu_dma
endif
test_virtio_iommu_dma-objs := tests/unit/test_virtio_iommu_dma.o \
			      devices/virtio/blk.o $(viommu-test-base)
test_virtio_iommu_dma-libs := -lcrypto -lpthread
test_virtio_iommu_dma-ldflags := -Wl,--wrap=pr_log
