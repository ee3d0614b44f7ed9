# The firmware embedded at build time (lib/fw-embed.c over lib/fw-image.S):
# the accessors against the image file the build embedded, and
# `sevm firmware` (vmm/fw-cli.c).
unit-tests-$(CONFIG_FIRMWARE)	+= test_fw_embed
test_fw_embed-objs	:= tests/unit/test_fw_embed.o lib/fw-embed.o \
			   lib/fw-image.o vmm/fw-cli.o lib/util.o lib/log.o
test_fw_embed-libs	:= -ljson-c -lcrypto
CFLAGS_test_fw_embed	:= -DTEST_FW_IMAGE='"$(FW_IMAGE)"'
# The test reads the image file too: rebuild it with the image.
$(O)/tests/unit/test_fw_embed.o: $(FW_IMAGE)
