# vmm/metrics.c: its own test, and linked into every unit test program
# whose objects count something (devices, vCPUs, VM, memory, the SEV
# launch). Sorted last (zz-) so that every other fragment is read first.
unit-tests-$(CONFIG_KVM)	+= test_metrics
test_metrics-objs	:= tests/unit/test_metrics.o vmm/metrics.o \
			   vmm/metrics-json.o vmm/loop.o lib/log.o lib/util.o
test_metrics-libs	:= -ljson-c -lcrypto

metrics-users := vmm/vcpu.o vmm/vm.o vmm/memory.o vmm/launch.o \
		 devices/uart16550.o devices/virtio/blk.o \
		 devices/virtio/rng.o devices/virtio/console.o
metrics-ctl := vmm/control.o

define metrics-link
$(if $(filter $(metrics-users),$($(1)-objs)),$(if $(filter vmm/metrics.o,$($(1)-objs)),,$(eval $(1)-objs += vmm/metrics.o)))
$(if $(filter $(metrics-ctl),$($(1)-objs)),$(eval $(1)-objs += vmm/control-metrics.o vmm/metrics-json.o))
endef
$(foreach t,$(unit-tests-y),$(eval $(call metrics-link,$(t))))
