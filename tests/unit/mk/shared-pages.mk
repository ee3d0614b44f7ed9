# The SEV shared-page set (vmm/shared-pages.c) and its VM glue
# (vmm/sev-dma.c) with the real DMA API; ioctl() is scripted and fw_cfg
# is a double (in the test file), pr_log is wrapped to count lines.
unit-tests-$(CONFIG_KVM)	+= test_shared_pages
test_shared_pages-objs	:= tests/unit/test_shared_pages.o vmm/shared-pages.o \
			   vmm/sev-dma.o vmm/dma.o vmm/kvm.o vmm/config.o \
			   vmm/config-device.o vmm/config-netdev.o lib/log.o lib/util.o
test_shared_pages-libs	:= -lcrypto -lpthread
test_shared_pages-ldflags := -Wl,--wrap=pr_log -Wl,--wrap=ioctl
