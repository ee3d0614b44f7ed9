#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# --device virtio-iommu with and without a guest IOMMU driver.
# 1. bypass=on (the default) under sevm's own firmware, which drives the
#    IOMMU itself (translating mode, then its hostile cases: iommu.sh
#    checks those line by line): the self test passes, the hostile
#    cases' refusals are logged at most 5 lines a second.
# 2. bypass=off under SeaBIOS, which has no IOMMU driver: its virtio-blk
#    DMA is refused (the endpoint is in no domain), the refusal is logged,
#    the queue needs a reset, the boot sector never runs and sevm keeps
#    running until it is stopped: no crash.
source "$(dirname "$0")/lib.sh"
[ -x "$SEVM" ] || skip "sevm not built"
[ -f "$FW" ] || skip "firmware not built"
need_kvm
SEABIOS=${SEABIOS:-/usr/share/seabios/bios.bin}

DISK=$TMP/disk.img
head -c $((1 << 20)) /dev/urandom >"$DISK"
sha=$(head -c 512 "$DISK" | sha256sum | cut -d' ' -f1)
DEVS=(--device "virtio-blk,file=$DISK,readonly=on" --device virtio-rng
      --device virtio-console)

echo "== 1. bypass=on, our firmware drives the IOMMU"
start=$(date +%s)
timeout 120 "$SEVM" --firmware "$FW" --memory 128M "${DEVS[@]}" \
	--device virtio-iommu --serial "file:$TMP/on.out" \
	>"$TMP/on.stdout" 2>"$TMP/on.err" </dev/null
rc=$?
secs=$(( $(date +%s) - start + 1 ))
[ "$rc" -eq 0 ] && ok "on: exit 0" || fail "on: sevm exit $rc, wanted 0"
expect on "^pci 00:04\.0 1af4:1057 class ff0000$"
expect on "^virtio-blk 00:01\.0: 2048 sectors, sector 0 sha256 $sha$"
expect on "^selftest: ok$"
n=$(grep -c "virtio-iommu:" "$TMP/on.err")
[ "$n" -le $(( 5 * secs )) ] && ok "on: $n refusal lines in ${secs}s" ||
	fail "on: $n refusal lines in ${secs}s, more than 5 a second"

echo "== 2. bypass=off, SeaBIOS (no IOMMU driver): refused, no crash"
[ -f "$SEABIOS" ] || { echo "note: no $SEABIOS, case 2 skipped"; finish; }
"$SEVM_TOP/tests/guest/mkbootdisk.sh" "$TMP/boot.img" 2>"$TMP/mk.err" ||
	{ fail "boot disk: $(head -1 "$TMP/mk.err")"; finish; }
"$SEVM" --firmware "$SEABIOS" --memory 128M \
	--device "virtio-blk,file=$TMP/boot.img" \
	--device virtio-iommu,bypass=off --serial "file:$TMP/off.out" \
	>/dev/null 2>"$TMP/off.err" </dev/null &
pid=$!
for _ in $(seq 80); do
	grep -q "needs reset" "$TMP/off.err" && break
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.5
done
sleep 1
if kill "$pid" 2>/dev/null; then
	ok "off: sevm still running"
else
	fail "off: sevm ended by itself: $(tail -1 "$TMP/off.err")"
fi
wait "$pid" 2>/dev/null
grep -q "virtio-iommu: virtio-blk (endpoint 0x8): .* refused: endpoint in no domain and bypass off" \
	"$TMP/off.err" && ok "off: the blk refusal is logged" ||
	fail "off: no refusal line: $(head -2 "$TMP/off.err")"
grep -q "virtio virtio-blk: queue 0: .*needs reset" "$TMP/off.err" &&
	ok "off: blk needs a reset" || fail "off: blk did not need a reset"
grep -q "bootsect: started" "$TMP/off.out" &&
	fail "off: the boot sector ran although its DMA was refused" ||
	ok "off: the boot sector was never read"
finish
