# vmm/: configuration, VM, memory, boot images, vCPUs, buses.
lib-obj-y	+= vmm/log.o vmm/util.o
