# Configuration: command line, JSON file, validation (vmm/config*.c).
unit-tests-y		+= test_config
test_config-objs	:= tests/unit/test_config.o tests/unit/test_config_json.o \
			   vmm/config.o \
			   vmm/config-args.o vmm/config-json.o \
			   vmm/config-check.o lib/log.o lib/util.o
test_config-libs	:= -ljson-c -lcrypto
