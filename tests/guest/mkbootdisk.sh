#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Builds the int 13h test disk: sector 0 is tests/guest/bootsect.S, sectors
# 1..8 hold the pattern the boot sector checks ("SEVMDISK", the LBA as
# le32, 500 bytes of the LBA's low byte), the rest up to 1 MiB is zero.
# Needs only gcc (as) and binutils (ld, objcopy).
#
#   tests/guest/mkbootdisk.sh DISK
set -eu
[ $# -eq 1 ] || { echo "usage: $0 DISK" >&2; exit 2; }
disk=$1
src=$(cd "$(dirname "$0")" && pwd)/bootsect.S
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

gcc -c -m32 "$src" -o "$work/bootsect.o"
ld -m elf_i386 -e _start -Ttext 0x7c00 "$work/bootsect.o" \
	-o "$work/bootsect.elf"
objcopy -O binary -j .text "$work/bootsect.elf" "$work/bootsect.bin"
size=$(stat -c %s "$work/bootsect.bin")
if [ "$size" -ne 512 ]; then
	echo "$0: bootsect.bin is $size bytes, not 512" >&2
	exit 1
fi

{
	cat "$work/bootsect.bin"
	for n in 1 2 3 4 5 6 7 8; do
		printf 'SEVMDISK'
		printf "\\x$(printf %02x "$n")\\0\\0\\0"
		head -c 500 /dev/zero | tr '\0' "\\$(printf %03o "$n")"
	done
} >"$work/disk"
truncate -s 1M "$work/disk"
mv "$work/disk" "$disk"
