# sev/: the SEV library. sev-obj-y (protocol code: crypto, certificates,
# hashes and secret tables, VMSAs) is shared by sevm and sevm-owner; the
# thin ioctl layer and the kernel PSP backend are sevm's. The emulated PSP
# has its own folder (sev/emul/build.mk).
lib-obj-y			+= sev/fwerr.o
sev-obj-$(CONFIG_SEV)		+= sev/crypto.o sev/cert.o sev/hashes.o sev/report.o
sevm-obj-$(CONFIG_SEV)		+= sev/sev.o sev/vmsa.o sev/caps.o
sevm-obj-$(CONFIG_PSP_KERNEL)	+= sev/psp-kernel.o
