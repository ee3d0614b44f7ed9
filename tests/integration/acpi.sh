#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# `sevm --dump-acpi DIR` end to end, for a few configurations: iasl -d
# decodes every table without errors or checksum complaints, acpiexec
# loads the DSDT and shows the PCI windows, runs the GED's _EVT and finds
# \_SB.PWRB and \_S5, and every pointer (RSDP -> XSDT -> FADT/MADT/MCFG,
# FADT -> DSDT) lands on its table as placed at 0xe0000. A bad DIR exits
# 2 with one line naming it. Needs no /dev/kvm; skipped without iasl and
# acpiexec (Debian: acpica-tools). With --device virtio-iommu a VIOT is
# dumped too, decoded by iasl and checked byte by byte.
source "$(dirname "$0")/lib.sh"

[ -x "$SEVM" ] || skip "sevm is not built ($SEVM)"
command -v iasl >/dev/null && command -v acpiexec >/dev/null ||
	skip "iasl/acpiexec not installed (Debian package acpica-tools)"
mkdir "$TMP/probe"
if ! "$SEVM" --dump-acpi "$TMP/probe" 2>"$TMP/err"; then
	grep -q CONFIG_ACPI "$TMP/err" && skip "sevm built without CONFIG_ACPI"
fi

# has FILE REGEX WHAT: FILE matches the extended REGEX.
has() { grep -qE -- "$2" "$1" || fail "$3"; }
hasnt() { ! grep -qE -- "$2" "$1" || fail "$3"; }

# RSDP (iasl cannot read an RSDP file) and every pointer, as placed.
check_pointers() {	# DIR NAME
	python3 - "$1" <<'EOF' || fail "$2: pointers or RSDP"
import struct, sys
d = sys.argv[1]
tab = {s: open(f"{d}/{s}.dat", "rb").read()
       for s in ("DSDT", "FACP", "APIC", "MCFG", "XSDT", "RSDP")}
r = tab["RSDP"]
assert r[:8] == b"RSD PTR " and len(r) == 36 and r[15] == 2
assert sum(r[:20]) % 256 == 0 and sum(r) % 256 == 0, "RSDP checksum"
addr, at = {}, 0xe0000 + 64          # tables follow the RSDP at +64
for s in ("DSDT", "FACP", "APIC", "MCFG", "XSDT"):
    addr[s] = at
    at = (at + len(tab[s]) + 7) & ~7
assert struct.unpack_from("<Q", r, 24)[0] == addr["XSDT"], "RSDP->XSDT"
x = tab["XSDT"]
ents = struct.unpack_from("<3Q", x, 36)
assert len(x) == 60 and list(ents) == [addr[s] for s in
       ("FACP", "APIC", "MCFG")], "XSDT entries"
assert struct.unpack_from("<Q", tab["FACP"], 140)[0] == addr["DSDT"]
EOF
}

# dump NAME EXPECT_CPUS OPTIONS...: dump, decode, check.
dump() {
	local name=$1 cpus=$2 d=$TMP/$1 out=$TMP/$1-dsl f
	shift 2
	mkdir "$d" "$out"
	expect_exit 0 "$name: --dump-acpi" -- "$SEVM" --dump-acpi "$d" "$@"
	[ -s "$TMP/err" ] && fail "$name: stderr: $(head -2 "$TMP/err")"
	for f in DSDT FACP APIC MCFG XSDT RSDP; do
		[ -s "$d/$f.dat" ] || { fail "$name: no $f.dat"; return; }
	done
	cp "$d"/*.dat "$out/"
	for f in DSDT FACP APIC MCFG XSDT; do
		(cd "$out" && iasl -d "$f.dat") >"$out/$f.log" 2>&1 ||
			fail "$name: iasl -d $f.dat failed"
		has "$out/$f.dsl" "Signature +: \"$f\"|DefinitionBlock" \
			"$name: $f.dsl not decoded"
		! grep -qiE "error|warning|incorrect checksum" \
			"$out/$f.log" "$out/$f.dsl" ||
			fail "$name: iasl on $f: $(grep -ihE 'error|warn|incorrect' \
				"$out/$f.log" "$out/$f.dsl" | head -2)"
	done
	[ "$(grep -c 'Processor Local APIC\]' "$out/APIC.dsl")" -eq "$cpus" ] ||
		fail "$name: MADT does not list $cpus local APICs"
	has "$out/FACP.dsl" "Hardware Reduced \(V5\) : 1" "$name: FADT flags"
	has "$out/MCFG.dsl" "Base Address : 00000000B0000000" "$name: MCFG"
	check_pointers "$d" "$name"
	(cd "$out" && iasl -tc DSDT.dsl) >"$out/recompile.log" 2>&1 ||
		fail "$name: the decoded DSDT does not compile back"
	# one acpiexec run (each takes a second): _CRS decoded, _EVT, _S5
	acpiexec -b "resources \\_SB.PCI0; evaluate \\_SB.GED._EVT 9; evaluate \\_S5; notify \\_SB.PWRB 0x80" \
		"$d/DSDT.dat" >"$out/exec" 2>&1
	has "$out/exec" "Address Minimum : C0000000" "$name: 32-bit window"
	has "$out/exec" "Address Maximum : FEBFFFFF" "$name: 32-bit window end"
	has "$out/exec" "Address Minimum : 0D00" "$name: I/O window"
	has "$out/exec" "Address Maximum : 00FF" "$name: bus range"
	has "$out/exec" "No object was returned from evaluation of \\\\_SB.GED._EVT" \
		"$name: GED _EVT did not run"
	has "$out/exec" "Notify on \[PWRB\]" "$name: no \\_SB.PWRB"
	has "$out/exec" "\[Package\] Contains 4 Elements" "$name: no \\_S5"
	# ("resources" also tries _SRS, which a fixed host bridge lacks)
	grep -v "AcpiSetCurrentResources failed: AE_NOT_FOUND" "$out/exec" |
		grep -qE "AE_[A-Z_]+|Exception" &&
		fail "$name: acpiexec: $(grep -E 'AE_|Exception' "$out/exec" |
			head -2)"
	DSL=$out/DSDT.dsl CRS=$out/exec
}

dump default 1
has "$DSL" "Device \(COM1\)" "default: no COM1"
has "$CRS" "Address Minimum : 0000000100000000" "default: 64-bit window"
has "$CRS" "Address Length : 0000000800000000" "default: 32 GiB"

dump four 4 --cpus 4 --memory 4G --serial none
hasnt "$DSL" "Device \(COM1\)" "--serial none: COM1 listed"
# 4 GiB of RAM: 2 GiB low, 2 GiB from 4 GiB; the window starts at 6 GiB
has "$CRS" "Address Minimum : 0000000180000000" "four: 64-bit window"

dump big 64 --cpus 64 --memory 1T --firmware /nonexistent/fw.bin
has "$CRS" "Address Minimum : 0000010080000000" "big: 64-bit window"

# A virtio-iommu at 00:02.0: a VIOT (iasl -d reads its header and hex-dumps
# the nodes without complaint), its layout as QEMU's, listed in the XSDT.
d=$TMP/viot
mkdir "$d" "$d/dsl"
truncate -s 64K "$TMP/disk.img"
expect_exit 0 "viot: --dump-acpi" -- "$SEVM" --dump-acpi "$d" \
	--device "virtio-blk,file=$TMP/disk.img" --device virtio-iommu,bypass=off
[ -s "$d/VIOT.dat" ] || fail "viot: no VIOT.dat"
for f in VIOT DSDT FACP APIC MCFG XSDT; do
	cp "$d/$f.dat" "$d/dsl/"
	(cd "$d/dsl" && iasl -d "$f.dat") >>"$d/iasl.log" 2>&1 ||
		fail "viot: iasl -d $f.dat failed"
done
has "$d/dsl/VIOT.dsl" 'Signature : "VIOT"' "viot: not decoded"
! grep -qiE "error|warning|incorrect checksum" "$d/iasl.log" "$d"/dsl/*.dsl ||
	fail "viot: iasl: $(grep -ihE 'error|warn|incorrect' "$d/iasl.log" \
		"$d"/dsl/*.dsl | head -2)"
python3 - "$d" <<'EOF' || fail "viot: layout or XSDT entry"
import struct, sys
d = sys.argv[1]
v = open(f"{d}/VIOT.dat", "rb").read()
assert len(v) == 88 and sum(v) % 256 == 0, "length or checksum"
assert struct.unpack_from("<HH", v, 36) == (2, 48), "node count, offset"
# virtio-pci IOMMU node: type 3, length 16, segment 0, BDF 00:02.0
assert struct.unpack_from("<BxHHH", v, 48) == (3, 16, 0, 0x10), "iommu node"
# PCI range: endpoints from 0, segment 0, BDF 0-0xffff, output node 48
assert struct.unpack_from("<BxHIHHHHH", v, 64) == \
    (1, 24, 0, 0, 0, 0, 0xffff, 48), "range node"
assert v[56:64] == bytes(8) and v[82:88] == bytes(6), "reserved bytes"
x = open(f"{d}/XSDT.dat", "rb").read()
assert len(x) == 36 + 4 * 8, "XSDT: FACP, APIC, MCFG, VIOT"
EOF

printf '{ "cpus": 2, "dump-acpi": "%s" }\n' "$TMP/json" >"$TMP/vm.json"
mkdir "$TMP/json"
expect_exit 0 "dump-acpi as a JSON key" -- "$SEVM" --config "$TMP/vm.json"
[ -s "$TMP/json/APIC.dat" ] || fail "JSON dump-acpi wrote nothing"

# bad_dir DESCRIPTION DIR: exit 2, one stderr line naming DIR.
bad_dir() {
	expect_exit 2 "$1" -- "$SEVM" --dump-acpi "$2"
	[ "$(wc -l <"$TMP/err")" -eq 1 ] && grep -qF -- "$2" "$TMP/err" ||
		fail "$1: stderr: $(cat "$TMP/err")"
}
bad_dir "missing directory" "$TMP/nonexistent/acpi"
: >"$TMP/plainfile"
bad_dir "a file, not a directory" "$TMP/plainfile"
expect_exit 2 "empty --dump-acpi" -- "$SEVM" --dump-acpi ""
"$SEVM" --help | grep -q -- "--dump-acpi DIR" || fail "--help lacks --dump-acpi"
finish
