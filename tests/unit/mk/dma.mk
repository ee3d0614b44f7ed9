# The DMA API (vmm/dma.c) over a hand-built struct guest_mem (no KVM).
unit-tests-$(CONFIG_KVM)	+= test_dma
test_dma-objs		:= tests/unit/test_dma.o vmm/dma.o lib/log.o lib/util.o
test_dma-libs		:= -lcrypto
