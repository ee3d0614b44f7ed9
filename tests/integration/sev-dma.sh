#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# SEV guests' device DMA is confined to the pages the guest shared
# (docs/security.md), with the emulated PSP:
#  0. what this host's KVM does with a guest's KVM_HC_MAP_GPA_RANGE
#     (tests/guest/hcprobe.c; printed as notes, the port stand-in checked)
#  1. sevm's firmware shares its virtqueue block through the port
#     stand-in: its virtio self test passes with --sev-dma-check on, and
#     nothing is refused
#  2. the same with --sev-dma-check off
#  3. SeaBIOS never shares anything: with the check on its virtio-blk
#     DMA is refused and the boot sector never runs; with it off it boots
#  4. --sev-dma-check without --sev: exit 2, one line
source "$(dirname "$0")/lib.sh"
[ -x "$SEVM" ] || skip "sevm not built"
[ -f "$FW" ] || skip "firmware not built"
need_kvm
SEABIOS=${SEABIOS:-/usr/share/seabios/bios.bin}

echo "== 0. KVM_HC_MAP_GPA_RANGE on this host"
if gcc -std=gnu11 -O2 -o "$TMP/hcprobe" "$SEVM_TOP/tests/guest/hcprobe.c" \
	2>"$TMP/cc.err"; then
	for insn in vmmcall vmcall port; do
		timeout 20 "$TMP/hcprobe" $insn >"$TMP/hc-$insn.out" 2>&1
		sed "s/^/note: $insn: /" "$TMP/hc-$insn.out" | tail -2
	done
	if grep -q "KVM_EXIT_IO port 0x80 value 119" "$TMP/hc-port.out"; then
		ok "port stand-in: the guest sees the VMM's RAX"
	else
		fail "port stand-in: $(tr '\n' '|' <"$TMP/hc-port.out")"
	fi
else
	echo "note: cannot build the probe: $(head -1 "$TMP/cc.err")"
fi

PSP=$TMP/psp
timeout 120 "$SEVM" psp init --psp "emulated:$PSP" >"$TMP/psp.out" 2>&1 ||
	{ fail "psp init: $(tail -1 "$TMP/psp.out")"; finish; }
SEV=(--sev --psp "emulated:$PSP")
DISK=$TMP/disk.img
head -c $((1 << 20)) /dev/urandom >"$DISK"
sha=$(head -c 512 "$DISK" | sha256sum | cut -d' ' -f1)

# fw NAME ARGS...: the firmware's self test with three devices
fw() {
	local name=$1
	shift
	timeout 60 "$SEVM" --firmware "$FW" --memory 128M -v \
		--device "virtio-blk,file=$DISK,readonly=on" \
		--device virtio-rng --device virtio-console \
		--serial "file:$TMP/$name.out" "$@" \
		>"$TMP/$name.stdout" 2>"$TMP/$name.err" </dev/null
	echo "$?" >"$TMP/$name.rc"
}

fw_checks() {
	local n=$1 check=$2
	if [ "$(cat "$TMP/$n.rc")" -eq 0 ]; then
		ok "$n: self test passed (exit 0)"
	else
		fail "$n: exit $(cat "$TMP/$n.rc")"
		sed 's/^/    stderr: /' "$TMP/$n.err" | tail -4
	fi
	expect "$n" "^sev: sharing dma pages through port e6, dma check $check$"
	expect "$n" "^sev: shared [0-9a-f]+\+6000$"
	expect "$n" "^virtio-blk 00:01\.0: 2048 sectors, sector 0 sha256 $sha$"
	expect "$n" "^virtio-rng 00:02\.0: 16 bytes$"
	expect "$n" "^sev: unshared [0-9a-f]+\+6000$"
	expect "$n" "^selftest: ok$"
	if grep -q "refused: page not shared" "$TMP/$n.err"; then
		fail "$n: a device access was refused: $(grep -m1 "refused: page" "$TMP/$n.err")"
	else
		ok "$n: no device access refused"
	fi
}

echo "== 1. sevm's firmware shares its rings: passes with the check on"
fw on "${SEV[@]}"
fw_checks on on
if grep -q "sev dma: 2 conversions, 0 pages shared at exit, 0 device accesses refused" \
	"$TMP/on.err"; then
	ok "on: the VMM counted 2 conversions, nothing left shared"
else
	fail "on: conversion summary: $(grep 'sev dma:' "$TMP/on.err" | tail -1)"
fi

echo "== 2. the same with --sev-dma-check off"
fw off "${SEV[@]}" --sev-dma-check off
fw_checks off off

echo "== 3. SeaBIOS shares nothing"
if [ ! -f "$SEABIOS" ]; then
	echo "note: no $SEABIOS (Debian: seabios), SeaBIOS cases skipped"
else
	"$SEVM_TOP/tests/guest/mkbootdisk.sh" "$TMP/boot.img" 2>"$TMP/mk.err" ||
		{ fail "boot disk: $(head -1 "$TMP/mk.err")"; finish; }
	# Check on: SeaBIOS waits forever for its request; stop sevm once
	# the refusal is logged (or after 40 s).
	"$SEVM" --firmware "$SEABIOS" --memory 128M "${SEV[@]}" \
		--serial "file:$TMP/sb-on.out" \
		--device "virtio-blk,file=$TMP/boot.img" \
		>/dev/null 2>"$TMP/sb-on.err" </dev/null &
	pid=$!
	for _ in $(seq 80); do
		grep -q "refused: page" "$TMP/sb-on.err" && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.5
	done
	sleep 1
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	if grep -q "sev dma check: device 00:01.0 .* refused: page not shared by the guest" \
		"$TMP/sb-on.err"; then
		ok "sb-on: SeaBIOS's virtio-blk DMA refused"
	else
		fail "sb-on: no refusal logged: $(tail -2 "$TMP/sb-on.err")"
	fi
	if grep -q "bootsect: started" "$TMP/sb-on.out"; then
		fail "sb-on: the boot sector ran although its DMA was refused"
	else
		ok "sb-on: the boot sector was never read"
	fi
	timeout 60 "$SEVM" --firmware "$SEABIOS" --memory 128M "${SEV[@]}" \
		--sev-dma-check off --serial "file:$TMP/sb-off.out" \
		--device "virtio-blk,file=$TMP/boot.img" \
		>/dev/null 2>"$TMP/sb-off.err" </dev/null
	rc=$?
	if [ "$rc" -eq 0 ] &&
	   grep -q "bootsect: int13 read 8 sectors ok" "$TMP/sb-off.out"; then
		ok "sb-off: SeaBIOS boots the disk (exit 0)"
	else
		fail "sb-off: exit $rc: $(tr -d '\r' <"$TMP/sb-off.out" | tail -1)"
	fi
fi

echo "== 4. --sev-dma-check needs SEV"
echo "== 5. with the virtio-iommu translating: a private page stays refused"
# The firmware maps its target page validly in the IOMMU, then makes it
# private for one virtio-blk read: the shared-page check after the IOMMU
# must refuse the write, with the canaries around it unchanged.
head -c $((1 << 20)) /dev/urandom >"$TMP/iommu.img"
timeout 120 "$SEVM" --firmware "$FW" --memory 128M "${SEV[@]}" \
	--device virtio-iommu,bypass=off \
	--device "virtio-blk,file=$TMP/iommu.img,readonly=on" \
	--serial "file:$TMP/iommu.out" >/dev/null 2>"$TMP/iommu.err" </dev/null
rc=$?
[ "$rc" -eq 0 ] && ok "iommu: self test exit 0" || fail "iommu: exit $rc"
expect iommu "^iommu-hostile: buffer in a page never shared: refused \(status 1\), refused by the VMM's shared-page check \(the IOMMU mapping is valid\), canaries intact$"
expect iommu "^selftest: ok$"
grep -q "sev dma check: device 00:02.0 write to gpa 0x[0-9a-f]* len 512 refused: page not shared by the guest" \
	"$TMP/iommu.err" && ok "iommu: the VMM logged the refusal" ||
	fail "iommu: no shared-page refusal logged: $(tail -2 "$TMP/iommu.err")"

expect_exit 2 "--sev-dma-check without --sev" -- "$SEVM" --firmware "$FW" \
	--sev-dma-check on
if [ "$(wc -l <"$TMP/err")" -eq 1 ] &&
   grep -qx "sevm: error: --sev-dma-check needs --sev or --sev-es" "$TMP/err"; then
	ok "one line naming the option"
else
	fail "error lines: $(cat "$TMP/err")"
fi
finish
