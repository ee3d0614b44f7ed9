# ACPI tables and the GED (devices/acpi/). The table tests wrap pr_log
# (to check the error lines) and malloc/realloc (to fail allocations).
acpi-test-objs := devices/acpi/aml.o devices/acpi/tables.o \
		  devices/acpi/dsdt.o devices/acpi/loader.o \
		  devices/acpi/output.o devices/acpi/viot.o \
		  tests/unit/acpi-test.o tests/unit/err-capture.o \
		  tests/unit/alloc-fail.o lib/log.o lib/util.o
acpi-test-ldflags := -Wl,--wrap=pr_log -Wl,--wrap=malloc -Wl,--wrap=realloc

unit-tests-$(CONFIG_ACPI)	+= test_aml
test_aml-objs		:= tests/unit/test_aml.o devices/acpi/aml.o \
			   tests/unit/alloc-fail.o
test_aml-ldflags	:= -Wl,--wrap=malloc -Wl,--wrap=realloc

unit-tests-$(CONFIG_ACPI)	+= test_acpi
test_acpi-objs		:= tests/unit/test_acpi.o $(acpi-test-objs)
test_acpi-libs		:= -lcrypto
test_acpi-ldflags	:= $(acpi-test-ldflags)

unit-tests-$(CONFIG_ACPI)	+= test_acpi_out
test_acpi_out-objs	:= tests/unit/test_acpi_out.o $(acpi-test-objs)
test_acpi_out-libs	:= -lcrypto
test_acpi_out-ldflags	:= $(acpi-test-ldflags)

unit-tests-$(CONFIG_ACPI)	+= test_ged
test_ged-objs		:= tests/unit/test_ged.o devices/acpi/ged.o \
			   vmm/bus.o lib/log.o lib/util.o
test_ged-libs		:= -lcrypto
