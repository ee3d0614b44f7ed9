#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Third-party-guest referee 1: Debian's SeaBIOS 1.16.2 boots a boot sector
# from a virtio-blk disk (modern only, ACCESS_PLATFORM) on a q35-like
# machine, and the boot sector (tests/guest/bootsect.S) checks int 13h:
# extensions present (AH=41h), LBA 1..8 read with AH=42h and CHS C0/H0/S2
# with AH=02h hold the pattern tests/guest/mkbootdisk.sh wrote; it ends
# through the exit port 0xf4 with status 0. A second disk with one byte of
# sector 5 changed must end with status 3 naming that sector.
# Referee: SEVM_REFEREE=sevm (default) | qemu (seabios-qemu.sh) | auto (tests/integration/
# referee.bash); see docs/referees.md.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/referee.bash"
referee_choose
GUEST=$SEVM_TOP/tests/guest

if ! "$GUEST/mkbootdisk.sh" "$TMP/disk.img" 2>"$TMP/mk.err"; then
	fail "cannot build the boot disk: $(head -3 "$TMP/mk.err")"
	finish
fi

# ---- the good disk: every line, in order, and status 0
referee_run 60 "$TMP/disk.img" "$TMP/serial.out"
referee_expect_status 0 "boot sector ran and passed"
referee_text "$TMP/serial.out" >"$TMP/serial.txt"
expect_line "$TMP/serial.txt" '^SeaBIOS \(version [^)]*\)$' "SeaBIOS banner"
expect_line "$TMP/serial.txt" '^Booting from Hard Disk' "SeaBIOS boots the disk"
got=$(grep '^bootsect: ' "$TMP/serial.txt" | tr '\n' '|')
want='bootsect: started|bootsect: int13 ext ok|'
want+='bootsect: int13 read 8 sectors ok|bootsect: int13 chs read 1 sector ok|'
if [ "$got" = "$want" ]; then
	ok "boot sector lines: started, ext, LBA read 8, CHS read 1"
else
	fail "boot sector lines: got '$got'"
fi
[ "$nfail" -eq 0 ] || sed 's/^/    serial: /' "$TMP/serial.txt" | tail -8

# ---- one wrong byte in sector 5: the boot sector must notice
[ "$REF_RC" -ne 124 ] || finish		# a hang would only hang again
cp "$TMP/disk.img" "$TMP/bad.img"
printf '\x55' | dd of="$TMP/bad.img" bs=1 seek=$((5 * 512 + 300)) \
	conv=notrunc status=none
referee_run 60 "$TMP/bad.img" "$TMP/bad.out"
referee_expect_status 3 "corrupted sector 5 detected"
referee_text "$TMP/bad.out" >"$TMP/bad.txt"
expect_line "$TMP/bad.txt" '^bootsect: int13 read wrong data in sector 0x05$' \
	"failure line names sector 5"
finish
