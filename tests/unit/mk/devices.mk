# Unit tests of devices/: each program links the real device objects, the
# real bus and the real table (devices_find); vm_request_stop is a test
# double in each test file, so vmm/vm.o is not linked.
devices-test-objs := devices/devices.o devices/uart16550.o devices/console-input.o \
		     devices/i8042.o \
		     devices/debugport.o devices/testexit.o \
		     $(filter devices/pci/% devices/acpi/%,$(sevm-obj-y)) \
		     $(filter devices/virtio/% vmm/iothread.o,$(sevm-obj-y)) \
		     devices/fw_cfg.o devices/fw_cfg-dev.o \
		     vmm/bus.o vmm/irq.o vmm/dma.o vmm/memory.o lib/log.o lib/util.o
devices-test-libs := -ljson-c -lcrypto

unit-tests-y		+= test_devices
test_devices-objs	:= tests/unit/test_devices.o $(devices-test-objs)
test_devices-libs	:= $(devices-test-libs)

unit-tests-y		+= test_uart16550
test_uart16550-objs	:= tests/unit/test_uart16550.o $(devices-test-objs)
test_uart16550-libs	:= $(devices-test-libs)
test_uart16550-ldflags	:= -Wl,--wrap=ioctl

unit-tests-y		+= test_i8042
test_i8042-objs		:= tests/unit/test_i8042.o tests/unit/dev-test.o \
			   $(devices-test-objs)
test_i8042-libs		:= $(devices-test-libs)

unit-tests-y		+= test_debugport
test_debugport-objs	:= tests/unit/test_debugport.o $(devices-test-objs)
test_debugport-libs	:= $(devices-test-libs)

unit-tests-y		+= test_testexit
test_testexit-objs	:= tests/unit/test_testexit.o tests/unit/dev-test.o \
			   $(devices-test-objs)
test_testexit-libs	:= $(devices-test-libs)

unit-tests-y		+= test_console_input
test_console_input-objs	:= tests/unit/test_console_input.o tests/unit/dev-test.o \
			   $(devices-test-objs)
test_console_input-libs	:= $(devices-test-libs)

unit-tests-y		+= test_fw_cfg
test_fw_cfg-objs	:= tests/unit/test_fw_cfg.o tests/unit/dev-test.o \
			   $(devices-test-objs)
test_fw_cfg-libs	:= $(devices-test-libs)
