# owner/: sevm-owner, the guest owner's tool.
owner-obj-$(CONFIG_OWNER_TOOL)	+= owner/main.o
