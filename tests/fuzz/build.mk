# Fuzz targets (libFuzzer via clang): see tests/fuzz/README.md.
# Each target is one clang command over its own source and the library
# sources it needs, with ASan and UBSan. Without clang there are none.
FUZZ_CC		:= $(shell command -v clang 2>/dev/null)
FUZZ_CFLAGS	:= -std=gnu11 -g -O1 -fno-omit-frame-pointer \
		   -fsanitize=fuzzer,address,undefined \
		   -fno-sanitize-recover=undefined $(WARNINGS) \
		   -I. -I$(O)/include -include $(KCONFIG_HDR) -D_GNU_SOURCE

fuzz-lib-src		:= lib/util.c lib/log.c vmm/metrics.c
fuzz_sev_cert-src	:= sev/cert.c sev/crypto.c
fuzz_amd_cert-src	:= sev/cert.c sev/crypto.c
fuzz_session-src	:= sev/crypto.c
fuzz_secret_open-src	:= sev/crypto.c
fuzz_hashes-src		:= sev/hashes.c
fuzz_secret_table-src	:= sev/hashes.c
fuzz_ged-src		:= devices/acpi/ged.c vmm/bus.c
fuzz_insn-src		:= vmm/insn.c
fuzz_map_gpa-src	:= vmm/shared-pages.c vmm/dma.c
fuzz_map_gpa-flags	:= -Wl,--wrap=pr_log
fuzz_qmp_stream-src	:= vmm/qmp-stream.c vmm/qmp.c
fuzz_qmp_stream-flags	:= -ljson-c -DSEVM_VERSION='"0.0.0-fuzz"'
fuzz_pci_cfg-src	:= devices/pci/pci.c devices/pci/msix.c \
			   devices/pci/host.c vmm/bus.c vmm/dma.c
fuzz_fw_cfg-src		:= devices/fw_cfg.c vmm/dma.c
fuzz-fw-fake-src	:= tests/unit/fw-fake.c tests/unit/fw-fake-virtio.c
fuzz_fw_fwcfg-src	:= firmware/fwcfg.c $(fuzz-fw-fake-src)
fuzz_b64file-src	:=
fuzz_report-src		:= sev/report.c sev/cert.c sev/crypto.c
fuzz_fw_table-src	:= vmm/boot-fw.c vmm/memory.c
fuzz_fw_table-flags	:= -Wl,--wrap=pr_log
fuzz-boot-src		:= vmm/boot.c vmm/boot-fw.c vmm/memory.c \
			   $(if $(filter y,$(CONFIG_BOOT_BZIMAGE)),vmm/boot-bzimage.c) \
			   $(if $(filter y,$(CONFIG_BOOT_PVH)),vmm/boot-pvh.c)
fuzz_bzimage-src	:= $(fuzz-boot-src)
fuzz_bzimage-flags	:= -Wl,--wrap=pr_log -lelf
fuzz_pvh-src		:= $(fuzz-boot-src)
fuzz_pvh-flags		:= -Wl,--wrap=pr_log -lelf
fuzz_config_json-src	:= vmm/config.c vmm/config-args.c vmm/config-json.c \
			   vmm/config-check.c vmm/config-device.c vmm/config-netdev.c
fuzz_config_json-flags	:= -Wl,--wrap=pr_log -ljson-c
fuzz_fw_pci-src		:= firmware/pci.c firmware/virtio.c firmware/virtq.c \
			   $(fuzz-fw-fake-src)
fuzz_fw_devrx-src	:= firmware/viommu.c firmware/vnet.c firmware/vsock.c \
			   firmware/virtio.c firmware/virtq.c firmware/pci.c \
			   firmware/format.c $(fuzz-fw-fake-src)

fuzz_virtqueue-src	:= devices/virtio/virtqueue.c vmm/dma.c
fuzz_virtio_blk-src	:= devices/virtio/blk.c devices/virtio/virtio.c \
			   devices/virtio/virtqueue.c vmm/dma.c \
			   tests/unit/virtio-drv.c tests/unit/vq-drv.c
fuzz_virtio_blk-flags	:= -Wl,--wrap=pr_log
fuzz_virtio_pci-src	:= devices/virtio/pci.c devices/virtio/rng.c \
			   devices/virtio/virtio.c devices/virtio/virtqueue.c \
			   devices/pci/pci.c devices/pci/msix.c \
			   devices/pci/host.c vmm/bus.c vmm/dma.c vmm/irq.c \
			   vmm/iothread.c tests/unit/vq-drv.c
fuzz_virtio_pci-flags	:= -Wl,--wrap=pr_log -lpthread
fuzz_virtio_net-src	:= devices/virtio/net.c devices/virtio/virtio.c \
			   devices/virtio/virtqueue.c vmm/dma.c vmm/iothread.c \
			   tests/unit/virtio-drv.c tests/unit/vq-drv.c
fuzz_virtio_net-flags	:= -Wl,--wrap=pr_log -lpthread
fuzz_vsock-src		:= devices/virtio/vsock.c devices/virtio/vsock-conn.c \
			   devices/virtio/vsock-uds.c devices/virtio/virtio.c \
			   devices/virtio/virtqueue.c vmm/dma.c vmm/iothread.c \
			   tests/unit/virtio-drv.c tests/unit/vq-drv.c
fuzz_vsock-flags	:= -Wl,--wrap=pr_log -lpthread
fuzz_virtio_iommu-src	:= devices/virtio/iommu.c devices/virtio/iommu-map.c \
			   devices/virtio/virtio.c devices/virtio/virtqueue.c \
			   vmm/dma.c
fuzz_virtio_iommu-flags	:= -Wl,--wrap=pr_log -lpthread

fuzz-targets := fuzz_sev_cert fuzz_amd_cert fuzz_session fuzz_secret_open \
		fuzz_hashes fuzz_secret_table fuzz_ged fuzz_pci_cfg fuzz_fw_cfg \
		fuzz_fw_fwcfg fuzz_fw_pci fuzz_fw_devrx fuzz_insn fuzz_report \
		fuzz_fw_table fuzz_config_json fuzz_b64file fuzz_map_gpa
ifeq ($(CONFIG_BOOT_BZIMAGE),y)
fuzz-targets += fuzz_bzimage
endif
ifeq ($(CONFIG_BOOT_PVH),y)
fuzz-targets += fuzz_pvh
endif
ifeq ($(CONFIG_KVM),y)
fuzz-targets += fuzz_qmp_stream
endif
ifeq ($(CONFIG_VIRTIO),y)
fuzz-targets += fuzz_virtqueue
endif
ifeq ($(CONFIG_VIRTIO_BLK),y)
fuzz-targets += fuzz_virtio_blk
endif
ifeq ($(CONFIG_PCI)$(CONFIG_VIRTIO_RNG),yy)
fuzz-targets += fuzz_virtio_pci
endif
ifeq ($(CONFIG_VIRTIO_NET),y)
fuzz-targets += fuzz_virtio_net
endif
ifeq ($(CONFIG_VIRTIO_VSOCK),y)
fuzz-targets += fuzz_vsock
endif
ifeq ($(CONFIG_VIRTIO_IOMMU),y)
fuzz-targets += fuzz_virtio_iommu
endif
ifneq ($(FUZZ_CC),)
FUZZ_BIN := $(addprefix $(O)/tests/fuzz/,$(fuzz-targets))
endif

define fuzz-rule
$(O)/tests/fuzz/$(1): tests/fuzz/$(1).c tests/fuzz/fuzz.h $$($(1)-src) \
		      $(fuzz-lib-src) $(KCONFIG_HDR)
	$$(quiet) FUZZ $$@
	$$(Q)mkdir -p $$(dir $$@)
	$$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) $$(filter %.c,$$^) -o $$@ \
		$$($(1)-flags) -lcrypto
endef
$(foreach t,$(fuzz-targets),$(eval $(call fuzz-rule,$(t))))
