# owner/: sevm-owner, the guest owner's tool.
owner-obj-$(CONFIG_OWNER_TOOL)	+= owner/main.o owner/common.o owner/chain.o \
				   owner/session.o owner/measure.o \
				   owner/secret.o owner/report.o
