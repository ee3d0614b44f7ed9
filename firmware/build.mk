# firmware/: the freestanding sevm firmware (flat binary ending at 4 GiB).
# See docs/firmware.md. Guest objects have their own pattern rule under
# $(O)/firmware/guest/; the modules listed in fw-shared-y are also built
# by the normal host rule for the unit tests (tests/unit/mk/firmware.mk).

fw-shared-y	:= sha256.o hashes.o bzimage.o handoff.o secrets.o \
		   pagetable.o format.o fwcfg.o pci.o virtq.o virtio.o \
		   virtio-drivers.o viommu.o vnet.o vsock.o sevshare.o
fw-guest-y	:= reset.o ap.o entry.o lib.o io.o serial.o main.o \
		   selftest.o smp.o linux.o machine.o iommutest.o \
		   $(fw-shared-y)
fw-obj-y	+= $(addprefix firmware/guest/,$(fw-guest-y))

FW_OBJS		:= $(addprefix $(O)/firmware/guest/,$(fw-guest-y))
FW_LDS		:= $(O)/firmware/fw.lds
FW_ELF		:= $(O)/firmware/sevm-fw.elf
FW_IMAGE	:= $(O)/firmware/sevm-fw.bin
FW_IMAGE_SIZE	:= 49152
# What SEV measures: the image, then the 176-byte padded hashes table.
FW_MEASURED_MAX	:= 65536
FW_HASHES_LEN	:= 176
OBJCOPY		?= objcopy

FW_CFLAGS := -std=gnu11 -m64 -ffreestanding -fno-pic -fno-pie \
	     -mcmodel=large \
	     -mno-red-zone -mno-sse -mno-mmx \
	     -mgeneral-regs-only -fno-stack-protector \
	     -fno-asynchronous-unwind-tables -fno-unwind-tables \
	     -fno-jump-tables -nostdlib -Os -I. $(WARNINGS) \
	     -DSEVM_FIRMWARE -DSEVM_VERSION='"$(VERSION)"'
FW_ASFLAGS := -m64 -ffreestanding -fno-pic -fno-pie -nostdlib -I. \
	      -D__ASSEMBLY__
FW_LDFLAGS := -m64 -nostdlib -static -no-pie -Wl,--build-id=none \
	      -Wl,-z,noexecstack -Wl,--no-warn-rwx-segments

$(O)/firmware/guest/%.o: firmware/%.c
	$(quiet) FWCC $<
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(FW_CFLAGS) $(DEPFLAGS) -c $< -o $@

$(O)/firmware/guest/%.o: firmware/%.S
	$(quiet) FWAS $<
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(FW_ASFLAGS) $(DEPFLAGS) -c $< -o $@

$(FW_LDS): firmware/fw.lds.S firmware/asm-defs.h
	$(quiet) CPP $@
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) -E -P -undef -x c -I. -D__ASSEMBLY__ $< -o $@

$(FW_ELF): $(FW_OBJS) $(FW_LDS)
	$(quiet) FWLD $@
	$(Q)$(CC) $(FW_LDFLAGS) -Wl,-T,$(FW_LDS) $(FW_OBJS) -o $@

# objcopy: .text/.rodata from 0xffff4000, the gap up to the reset block
# filled with 0xff, .reset up to 4 GiB, so the image is exactly 48 KiB by
# construction (fw.lds asserts the layout); .bss is RAM, not in the image.
$(FW_IMAGE): $(FW_ELF)
	$(quiet) FWBIN $@
	$(Q)$(OBJCOPY) -O binary -j .text -j .rodata -j .reset \
		--gap-fill=0xff $< $@.tmp
	$(Q)end=$$(nm $< | awk '$$3 == "__rom_used_end" { print $$1 }'); \
	used=$$(( 0x$$end - 0xffff4000 + 4096 )); \
	size=$$(stat -c %s $@.tmp); max=$(or $(CONFIG_FIRMWARE_MAX_SIZE),0); \
	echo "  FWSIZE   $$used of $(FW_IMAGE_SIZE) bytes used"; \
	if [ "$$size" -ne $(FW_IMAGE_SIZE) ]; then \
		echo "firmware: $@ is $$size bytes, not" \
		     "$(FW_IMAGE_SIZE)" >&2; rm -f $@.tmp; exit 1; fi; \
	if [ $$((size + $(FW_HASHES_LEN))) -gt $(FW_MEASURED_MAX) ]; then \
		echo "firmware: image ($$size bytes) + SEV hashes table" \
		     "($(FW_HASHES_LEN)) exceeds the $(FW_MEASURED_MAX)-byte" \
		     "measured payload" >&2; rm -f $@.tmp; exit 1; fi; \
	if [ "$$size" -gt "$$max" ]; then \
		echo "firmware: the image is $$size bytes, larger than" \
		     "CONFIG_FIRMWARE_MAX_SIZE ($$max)" >&2; \
		rm -f $@.tmp; exit 1; fi
	$(Q)mv $@.tmp $@

# The image embedded in sevm and sevm-owner (lib/fw-image.S .incbin's it;
# lib/fw-embed.c reads it). The object depends on the image, so a firmware
# change re-assembles it and relinks both binaries.
lib-obj-y			+= lib/fw-embed.o
lib-obj-$(CONFIG_FIRMWARE)	+= lib/fw-image.o

$(O)/lib/fw-image.o: lib/fw-image.S $(FW_IMAGE)
	$(quiet) AS $@
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) -c -DSEVM_FW_IMAGE_PATH='"$(FW_IMAGE)"' $< -o $@
