# Firmware modules built for the host (firmware/*.c that are also guest
# code) and the image check. Each program links the real object.
fw-tests-$(CONFIG_FIRMWARE) := test_fw_sha256 test_fw_hashes test_fw_bzimage \
			       test_fw_handoff test_fw_secrets \
			       test_fw_pagetable test_fw_format test_fw_image \
			       test_fw_fwcfg test_fw_pci test_fw_virtio \
			       test_fw_devs test_fw_iommutest test_fw_sevshare
unit-tests-y		+= $(fw-tests-y)

test_fw_sha256-objs	:= tests/unit/test_fw_sha256.o firmware/sha256.o
test_fw_sha256-libs	:= -lcrypto
test_fw_hashes-objs	:= tests/unit/test_fw_hashes.o firmware/hashes.o \
			   firmware/sha256.o
test_fw_hashes-libs	:= -lcrypto
test_fw_bzimage-objs	:= tests/unit/test_fw_bzimage.o firmware/bzimage.o
test_fw_handoff-objs	:= tests/unit/test_fw_handoff.o firmware/handoff.o
test_fw_secrets-objs	:= tests/unit/test_fw_secrets.o firmware/secrets.o
test_fw_pagetable-objs	:= tests/unit/test_fw_pagetable.o \
			   firmware/pagetable.o
test_fw_format-objs	:= tests/unit/test_fw_format.o firmware/format.o
test_fw_image-objs	:= tests/unit/test_fw_image.o

# fw_cfg, PCI and virtio run against a fake machine (tests/unit/fw-fake*.c)
# that defines firmware/hw.h's port and MMIO accessors and fw_printf.
fw-fake-objs		:= tests/unit/fw-fake.o tests/unit/fw-fake-virtio.o
test_fw_fwcfg-objs	:= tests/unit/test_fw_fwcfg.o firmware/fwcfg.o \
			   $(fw-fake-objs)
test_fw_pci-objs	:= tests/unit/test_fw_pci.o firmware/pci.o \
			   $(fw-fake-objs)
test_fw_virtio-objs	:= tests/unit/test_fw_virtio.o firmware/virtq.o \
			   firmware/virtio.o firmware/virtio-drivers.o \
			   firmware/vnet.o firmware/vsock.o firmware/pci.o firmware/sha256.o firmware/format.o \
			   $(fw-fake-objs)
test_fw_virtio-libs	:= -lcrypto
test_fw_devs-objs	:= tests/unit/test_fw_devs.o firmware/viommu.o \
			   firmware/vnet.o firmware/vsock.o firmware/virtq.o \
			   firmware/virtio.o firmware/virtio-drivers.o \
			   firmware/pci.o firmware/sha256.o firmware/format.o \
			   tests/unit/fw-fake-devs.o $(fw-fake-objs)
test_fw_iommutest-objs	:= tests/unit/test_fw_iommutest.o \
			   firmware/iommutest.o firmware/sevshare.o $(filter-out \
			   tests/unit/test_fw_devs.o,$(test_fw_devs-objs))

# Sharing pages with the VMM under SEV: the fw_cfg file's decision.
test_fw_sevshare-objs	:= tests/unit/test_fw_sevshare.o firmware/sevshare.o
