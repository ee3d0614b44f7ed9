# `sevm caps` (vmm/caps*.c) and the SEV capabilities it shares with QMP
# query-sev-capabilities (sev/caps.c), over a fake PSP backend; the
# command line with the real backends (exit codes).
unit-tests-$(CONFIG_SEV)	+= test_caps
test_caps-objs		:= tests/unit/test_caps.o vmm/caps.o vmm/caps-cli.o \
			   sev/caps.o sev/sev.o sev/fwerr.o sev/crypto.o \
			   sev/cert.o sev/report.o lib/log.o lib/util.o \
			   $(filter sev/psp-kernel.o sev/emul/%,$(sevm-obj-y))
test_caps-libs		:= -ljson-c -lcrypto
