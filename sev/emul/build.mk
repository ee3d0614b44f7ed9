# sev/emul/: the emulated PSP, a software SEV firmware (docs/emulated-psp.md)
# and the psp_ops backend that drives it.
sevm-obj-$(CONFIG_PSP_EMULATED)	+= sev/emul/psp.o sev/emul/psp-vm.o sev/emul/fw.o \
				   sev/emul/pcmd.o sev/emul/guest.o \
				   sev/emul/launch.o sev/emul/attest.o \
				   sev/emul/platform.o \
				   sev/emul/config.o sev/emul/keys.o sev/emul/slots.o
