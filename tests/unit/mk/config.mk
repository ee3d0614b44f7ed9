# Configuration: command line, JSON file, validation (vmm/config*.c).
unit-tests-y		+= test_config
test_config-objs	:= tests/unit/test_config.o tests/unit/test_config_json.o \
			   tests/unit/test_config_device.o \
			   vmm/config.o \
			   vmm/config-args.o vmm/config-json.o \
			   vmm/config-check.o vmm/config-device.o vmm/config-netdev.o \
			   lib/log.o lib/util.o
test_config-libs	:= -ljson-c -lcrypto
