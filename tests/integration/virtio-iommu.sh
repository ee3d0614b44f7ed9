#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# --device virtio-iommu under sevm's own firmware (which has no IOMMU
# driver yet). bypass=on: every endpoint is unattached, so DMA is
# identity and the self test passes as without the IOMMU, with the
# IOMMU function at 00:04.0. bypass=off: every DMA of the firmware's
# devices is refused; sevm logs the refusals (at most 5 lines a second),
# the devices need a reset, the firmware reports its timeouts, and sevm
# keeps running until it is stopped: no crash.
source "$(dirname "$0")/lib.sh"
[ -x "$SEVM" ] || skip "sevm not built"
[ -f "$FW" ] || skip "firmware not built"
need_kvm

DISK=$TMP/disk.img
head -c $((1 << 20)) /dev/urandom >"$DISK"
sha=$(head -c 512 "$DISK" | sha256sum | cut -d' ' -f1)
DEVS=(--device "virtio-blk,file=$DISK,readonly=on" --device virtio-rng
      --device virtio-console)

# run NAME SECONDS IOMMU-OPTIONS: exit code in $rc, serial in NAME.out
run() {
	timeout "$2" "$SEVM" --firmware "$FW" --memory 128M "${DEVS[@]}" \
		--device "$3" --serial "file:$TMP/$1.out" \
		>"$TMP/$1.stdout" 2>"$TMP/$1.err" </dev/null
	rc=$?
}

echo "== 1. bypass=on (the default): identity, the self test passes"
run on 60 virtio-iommu
[ "$rc" -eq 0 ] || fail "on: sevm exit $rc, wanted 0"
expect on "^pci 00:04\.0 1af4:1057 class ff0000$"
expect on "^virtio-blk 00:01\.0: 2048 sectors, sector 0 sha256 $sha$"
expect on "^selftest: ok$"
grep -q "virtio-iommu" "$TMP/on.err" &&
	fail "on: refusals logged: $(head -2 "$TMP/on.err")"

echo "== 2. bypass=off: every access refused, logged, no crash"
start=$(date +%s)
run off 8 virtio-iommu,bypass=off
secs=$(( $(date +%s) - start + 1 ))
[ "$rc" -eq 124 ] || fail "off: sevm exit $rc, wanted 124 (still running)"
grep -q "virtio-iommu: virtio-blk (endpoint 0x8): read of IOVA 0x[0-9a-f]*+0x[0-9a-f]* refused: endpoint in no domain and bypass off" \
	"$TMP/off.err" && ok "off: the blk refusal is logged" ||
	fail "off: no refusal line: $(head -2 "$TMP/off.err")"
grep -q "virtio virtio-blk: queue 0: .*ring access refused.*needs reset" \
	"$TMP/off.err" && ok "off: blk needs a reset" ||
	fail "off: blk did not need a reset"
n=$(grep -c "virtio-iommu:" "$TMP/off.err")
[ "$n" -le $(( 5 * secs )) ] && ok "off: $n refusal lines in ${secs}s" ||
	fail "off: $n refusal lines in ${secs}s, more than 5 a second"
grep -q "^selftest: ok$" "$TMP/off.out" && fail "off: the self test passed"
finish
