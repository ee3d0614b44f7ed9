# sev/: the SEV library. sev-obj-y is shared by sevm and sevm-owner; the
# PSP backends and `sevm psp` are sevm's.
lib-obj-y			+= sev/fwerr.o
sev-obj-$(CONFIG_SEV)		+= sev/crypto.o sev/cert.o sev/hashes.o
sevm-obj-$(CONFIG_SEV)		+= sev/sev.o sev/psp-cli.o
sevm-obj-$(CONFIG_PSP_KERNEL)	+= sev/psp-kernel.o
sevm-obj-$(CONFIG_PSP_EMULATED)	+= sev/psp-emul.o sev/psp-emul-vm.o sev/emul-fw.o \
				   sev/emul-pcmd.o sev/emul-guest.o \
				   sev/emul-launch.o sev/emul-platform.o \
				   sev/emul-config.o sev/emul-keys.o sev/emul-slots.o
sevm-obj-$(CONFIG_SEV)		+= sev/launch.o sev/launch-steps.o sev/launch-es.o \
				   sev/launch-secret.o sev/launch-report.o sev/vmsa.o
