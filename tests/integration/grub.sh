#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Third-party-guest referee 2: Debian's SeaBIOS boots Debian's GRUB 2.06
# (grub-pc-bin, core.img built by tests/guest/mkgrubdisk.sh without
# grub-install) from a virtio-blk disk on a q35-like machine. GRUB's
# embedded config runs lspci and lsacpi and ends through the exit port
# (outb 0xf4 0). Checks: GRUB's marker lines; lspci lists the host bridge
# 00:00.0 8086:29c0 and a modern virtio-blk function 1af4:1042; lsacpi
# finds the RSDP and FACP, APIC and MCFG with valid checksums and nothing
# invalid, mismatched or unreachable.
# Referee: SEVM_REFEREE=sevm (default) | qemu (grub-qemu.sh) | auto; see docs/referees.md.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/referee.bash"
command -v grub-mkimage >/dev/null ||
	skip "grub-mkimage not installed (Debian: grub-common)"
[ -f /usr/lib/grub/i386-pc/boot.img ] ||
	skip "no GRUB i386-pc images (Debian: grub-pc-bin)"
referee_choose

if ! "$SEVM_TOP/tests/guest/mkgrubdisk.sh" "$TMP/grub.img" 2>"$TMP/mk.err"
then
	fail "cannot build the GRUB disk: $(head -3 "$TMP/mk.err")"
	finish
fi

referee_run 120 "$TMP/grub.img" "$TMP/serial.out"
referee_expect_status 0 "GRUB ran its config and left through port 0xf4"
referee_text "$TMP/serial.out" >"$TMP/serial.txt"
expect_line "$TMP/serial.txt" '^SeaBIOS \(version [^)]*\)$' "SeaBIOS banner"
expect_line "$TMP/serial.txt" '^GRUB loading' "SeaBIOS boots GRUB's boot.img"
expect_line "$TMP/serial.txt" '^grub: started$' "GRUB runs its config"
expect_line "$TMP/serial.txt" '^grub: done$' "GRUB finishes its config"

# GRUB's own output: from its first marker to its last
sed -n '/^grub: started$/,/^grub: done$/p' "$TMP/serial.txt" >"$TMP/grub.txt"
bdf='[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]'
expect_line "$TMP/grub.txt" '^00:00\.0 8086:29c0 \[0600\]' \
	"lspci: host bridge 00:00.0 8086:29c0"
expect_line "$TMP/grub.txt" "^$bdf 1af4:1042 " \
	"lspci: virtio-blk function 1af4:1042"
expect_line "$TMP/grub.txt" \
	'^RSDPv[12] signature:RSD PTR  chksum:[0-9a-f]{2} \(valid\)' \
	"lsacpi: RSDP found, checksum valid"
for t in FACP APIC MCFG; do
	expect_line "$TMP/grub.txt" \
		"^$t +[0-9]+B rev=[0-9]+ chksum=0x[0-9a-f]{2} \\(valid\\)" \
		"lsacpi: $t, checksum valid"
done
bad='invalid|mismatch|Unreachable|non-zero'
if grep -qE "$bad" "$TMP/grub.txt"; then
	fail "lsacpi reports: $(grep -m1 -E "$bad" "$TMP/grub.txt")"
else
	ok "lsacpi: no invalid checksum, mismatch or unreachable table"
fi
echo "tables: $(grep -oE '^[A-Z0-9]{4} +[0-9]+B' "$TMP/grub.txt" |
	awk '{print $1}' | tr '\n' ' ')OEM IDs: $(grep -oE 'OEM(-ID:|=)[ ]?[^ ]+' \
	"$TMP/grub.txt" | sed 's/.*[:=] *//' | sort -u | tr '\n' ' ')"
if [ "$REFEREE" = sevm ]; then
	oem=$(grep -oE 'OEM(-ID:|=)[ ]?[^ ]+' "$TMP/grub.txt" |
		sed 's/.*[:=] *//' | sort -u | tr '\n' ' ')
	[ "$oem" = "SEVM " ] && ok "lsacpi: every table has OEM ID SEVM" ||
		fail "lsacpi: OEM IDs '$oem', wanted SEVM only"
	expect_line "$TMP/grub.txt" "^$bdf 1af4:1042 " \
		"lspci: sevm's virtio-blk at its --device slot"
fi
[ "$nfail" -eq 0 ] || sed 's/^/    serial: /' "$TMP/serial.txt" | tail -12
finish
