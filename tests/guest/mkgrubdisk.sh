#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Builds a raw disk that SeaBIOS boots into Debian's GRUB 2.06 (grub-pc-bin)
# without grub-install, root or loop devices. GRUB runs an embedded config
# that prints "grub: started", lspci, lsacpi, "grub: done" and ends the VM
# with `outb 0xf4 0` (the exit port: QEMU's isa-debug-exit, sevm's
# test-exit).
#
# The i386-pc layout used (grub-core/boot/i386/pc/{boot,diskboot}.S):
#   LBA 0     boot.img; le64 at 0x5c = LBA of core.img's first sector (1),
#             byte 0x64 = boot drive (0xff: the one in DL); it loads that
#             one sector to 0x8000 and jumps to it
#   LBA 1     diskboot.img, core.img's first sector; its last 12 bytes
#             (0x1f4) are a blocklist: le64 start LBA (2), le16 sector count,
#             le16 segment (0x820); it reads the rest of core.img there
#   LBA 2..   lzma_decompress.img + the compressed kernel, modules, config
# grub-mkimage fills the count; this script writes start and kernel sector
# explicitly and checks the count, so the layout does not rest on defaults.
#
# Console: GRUB's own serial terminal (COM1 by port I/O), terminfo "dumb"
# 200 columns wide, so lines come out whole and without escapes. (Through
# the BIOS console instead, SeaBIOS's serial console inserts cursor moves,
# holds back and sometimes drops line ends; that variant is ~15% faster
# here but not a reliable transcript.) boot.img and diskboot.img still
# print "GRUB loading." through int 10h, which needs SeaBIOS's serial
# console (fw_cfg etc/sercon-port: QEMU without a display; sevm always).
#
#   tests/guest/mkgrubdisk.sh DISK
set -eu
[ $# -eq 1 ] || { echo "usage: $0 DISK" >&2; exit 2; }
disk=$1
lib=${GRUB_LIB:-/usr/lib/grub/i386-pc}
modules="serial terminal terminfo echo lspci lsacpi iorw"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cat >"$work/grub.cfg" <<'CFG'
serial --unit=0 --speed=115200
terminfo -g 200x50 serial dumb
terminal_output serial
echo
echo grub: started
lspci
lsacpi
echo grub: done
echo grub: exit
outb 0xf4 0x00
CFG
grub-mkimage -O i386-pc -d "$lib" -o "$work/core.img" -c "$work/grub.cfg" \
	-p '(hd0)/boot/grub' $modules

le() {	# VALUE BYTES: VALUE as little-endian binary
	local v=$1 i
	for ((i = 0; i < $2; i++)); do
		printf "\\x$(printf %02x $(( (v >> (8 * i)) & 0xff )))"
	done
}
poke() {	# FILE OFFSET VALUE BYTES
	le "$3" "$4" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}
peek() {	# FILE OFFSET BYTES: unsigned little-endian value
	od -An -t u"$3" -j "$2" -N "$3" "$1" | tr -d ' '
}

size=$(stat -c %s "$work/core.img")
rest=$(( (size - 512 + 511) / 512 ))
cp "$lib/boot.img" "$work/disk"
chmod u+w "$work/disk"
poke "$work/disk" $((0x5c)) 1 8			# kernel_sector: LBA 1
poke "$work/core.img" $((0x1f4)) 2 8		# blocklist start: LBA 2
count=$(peek "$work/core.img" $((0x1fc)) 2)
seg=$(peek "$work/core.img" $((0x1fe)) 2)
if [ "$count" -ne "$rest" ] || [ "$seg" -ne $((0x820)) ]; then
	echo "$0: diskboot blocklist says $count sectors at segment $seg," \
		"wanted $rest at 2080 (core.img $size bytes)" >&2
	exit 1
fi
cat "$work/core.img" >>"$work/disk"
truncate -s 1M "$work/disk"
mv "$work/disk" "$disk"
