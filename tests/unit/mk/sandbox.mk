# The sandbox (vmm/sandbox*.c, vmm/jail*.c, vmm/qmp-socket.c,
# vmm/input-check.c): seccomp filters per thread role in forked children;
# --user/--chroot/--pidfile, the QMP socket's mode and stale-socket rule,
# input files checked before they are read.
# Not in a sanitizer build: ASan/UBSan's runtime makes calls the role
# filters forbid (such builds default to --seccomp off, see README).
ifneq ($(CONFIG_SANITIZERS),y)
unit-tests-$(CONFIG_SECCOMP)	+= test_sandbox
endif
test_sandbox-objs	:= tests/unit/test_sandbox.o vmm/sandbox.o \
			   vmm/sandbox-lists.o vmm/sandbox-prebuilt.o \
			   lib/util.o lib/log.o
test_sandbox-libs	:= -lseccomp -lcrypto

sandbox-seccomp-$(CONFIG_SECCOMP) := vmm/sandbox.o vmm/sandbox-lists.o
sandbox-libs-$(CONFIG_SECCOMP)	:= -lseccomp
unit-tests-$(CONFIG_KVM)	+= test_jail
test_jail-objs		:= tests/unit/test_jail.o vmm/jail.o \
			   vmm/jail-pidfile.o vmm/qmp-socket.o \
			   vmm/input-check.o $(sandbox-seccomp-y) \
			   lib/util.o lib/log.o
test_jail-libs		:= $(sandbox-libs-y) -ljson-c -lcrypto
