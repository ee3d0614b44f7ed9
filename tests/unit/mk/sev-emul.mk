# The emulated PSP: state directory and guest slots, firmware state
# machines, launch cryptography round trip, the psp_ops backend. Each
# program links the real emulator objects and the real crypto.
emul-fw-objs := sev/emul/fw.o sev/emul/pcmd.o sev/emul/guest.o sev/emul/attest.o \
		sev/emul/launch.o sev/emul/platform.o sev/emul/config.o \
		sev/emul/keys.o sev/emul/slots.o sev/crypto.o sev/cert.o sev/report.o \
		tests/unit/emul-testlib.o lib/log.o lib/util.o
emul-test-libs := -lcrypto -ljson-c

unit-tests-$(CONFIG_PSP_EMULATED) += test_emul_platform test_emul_fw \
				     test_emul_guest test_emul_pcmd \
				     test_emul_launch test_emul_backend

test_emul_platform-objs := tests/unit/test_emul_platform.o $(emul-fw-objs)
test_emul_platform-libs := $(emul-test-libs)

test_emul_fw-objs := tests/unit/test_emul_fw.o $(emul-fw-objs)
test_emul_fw-libs := $(emul-test-libs)

test_emul_guest-objs := tests/unit/test_emul_guest.o $(emul-fw-objs)
test_emul_guest-libs := $(emul-test-libs)

test_emul_pcmd-objs := tests/unit/test_emul_pcmd.o $(emul-fw-objs)
test_emul_pcmd-libs := $(emul-test-libs)

test_emul_launch-objs := tests/unit/test_emul_launch.o $(emul-fw-objs)
test_emul_launch-libs := $(emul-test-libs)

test_emul_backend-objs := tests/unit/test_emul_backend.o sev/emul/psp.o \
			  sev/emul/psp-vm.o $(emul-fw-objs)
test_emul_backend-libs := $(emul-test-libs)

# ATTESTATION: the firmware command, the report module, the thin layer.
unit-tests-$(CONFIG_PSP_EMULATED) += test_emul_attest
test_emul_attest-objs := tests/unit/test_emul_attest.o sev/emul/psp.o \
			 sev/emul/psp-vm.o sev/sev.o sev/fwerr.o \
			 $(emul-fw-objs)
test_emul_attest-libs := $(emul-test-libs)

# sevm-owner verify-report against chains the emulated PSP makes.
unit-tests-$(CONFIG_PSP_EMULATED) += test_owner_report
test_owner_report-objs := tests/unit/test_owner_report.o owner/common.o \
			  owner/chain.o owner/report.o tests/unit/owner-run.o \
			  tests/unit/vectors.o $(emul-fw-objs)
test_owner_report-libs := $(emul-test-libs)
