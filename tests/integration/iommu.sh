#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The firmware's virtio-iommu self test on sevm (iommu-qemu.sh runs the
# same image on QEMU, the reference): --device virtio-iommu,bypass=off
# first, then virtio-blk (a random read-only disk), rng, console, and,
# when sevm has them, virtio-net on a tap (in a network namespace this
# test creates) and vsock on a UNIX socket (Firecracker's model).
#  - translating mode: the blk sha256 matches the file, rng, console
#    (the hello line reaches the --serial file), no fault event during
#    the translated run; the self test passes;
#  - hostile cases, stricter than on QEMU (virtio 1.2 and issue 8): a
#    refused buffer fails the request with a non-zero status or
#    DEVICE_NEEDS_RESET, a ring the device cannot reach sets
#    DEVICE_NEEDS_RESET, each with a fault event and intact canaries;
#  - net: net-peer.py reads the firmware's frame from the tap and sends
#    one back, which the firmware prints;
#  - vsock: vsock-peer.py echoes the guest's "ping" on UDS_1234 and
#    connects to UDS with CONNECT 5000, whose data the firmware echoes.
# Skipped (77) while sevm has no virtio-iommu device; the net and vsock
# parts are skipped (with a note) while sevm lacks those device types.
source "$(dirname "$0")/lib.sh"
[ -x "$SEVM" ] || skip "sevm not built"
[ -f "$FW" ] || skip "firmware not built"
need_kvm
HERE=$(cd "$(dirname "$0")" && pwd)

# has_device SPEC: does sevm know the device type? A dry run (the ACPI
# dump starts no VM) whose parser would say "unknown device type".
has_device() {
	mkdir -p "$TMP/acpi"
	timeout 30 "$SEVM" --firmware "$FW" --memory 64M --serial none \
		--device "$1" --dump-acpi "$TMP/acpi" \
		>/dev/null 2>"$TMP/probe.err" </dev/null
	! grep -q "unknown device type" "$TMP/probe.err"
}
has_device virtio-iommu,bypass=off ||
	skip "sevm has no virtio-iommu device yet ($(head -1 "$TMP/probe.err"))"

DISK=$TMP/disk.img
head -c $((1 << 20)) /dev/urandom >"$DISK"
sha=$(head -c 512 "$DISK" | sha256sum | cut -d' ' -f1)
HELLO="sevm firmware: hello from virtio-console"
DEVS=(--device virtio-iommu,bypass=off
      --device "virtio-blk,file=$DISK,readonly=on" --device virtio-rng
      --device virtio-console)

NS=sevm-fwiommu-$$
TAP=fwtap0
NETNS=()
PIDS=()
cleanup() {
	local p
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
	ip netns del "$NS" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT

if ! has_device "virtio-net,tap=$TAP"; then
	echo "note: sevm has no virtio-net device: net not tested"
elif ip netns add "$NS" 2>/dev/null &&
     ip netns exec "$NS" sh -c "sysctl -qw \
	net.ipv6.conf.all.disable_ipv6=1 \
	net.ipv6.conf.default.disable_ipv6=1 && \
	ip tuntap add dev $TAP mode tap && ip link set $TAP up" \
	>"$TMP/netns.err" 2>&1; then
	NETNS=(ip netns exec "$NS")
	DEVS+=(--device "virtio-net,tap=$TAP")
else
	echo "note: no network namespace with a tap: net not tested"
fi
UDS=$TMP/vsock.sock
VSOCK=0
if has_device "vsock,cid=3,uds=$TMP/probe.sock"; then
	VSOCK=1
	DEVS+=(--device "vsock,cid=3,uds=$UDS")
else
	echo "note: sevm has no vsock device: vsock not tested"
fi

# hostile CASE ANSWERS: as in iommu-qemu.sh, with sevm's answers only.
hostile() {
	local line
	line=$(grep -E "^iommu-hostile: $1: " "$TMP/iommu.out")
	if [ -z "$line" ]; then
		fail "no line for hostile case '$1'"
	elif echo "$line" | grep -qE "^iommu-hostile: $1: ($2), fault reported \(reason [0-9]+, flags [0-9a-f]+, address [0-9a-f]+\), canaries intact$"; then
		ok "${line#iommu-hostile: }"
	else
		fail "'$line'"
	fi
}

BUF="refused \(status [1-9][0-9]*\)|stalled \(NEEDS_RESET\)"
RING="stalled \(NEEDS_RESET\)|refused at queue set-up \(NEEDS_RESET\)"
if [ ${#NETNS[@]} -gt 0 ]; then
	"${NETNS[@]}" python3 "$HERE/net-peer.py" "$TAP" 90 \
		>"$TMP/peer.out" 2>&1 &
	PIDS+=($!)
fi
if [ "$VSOCK" = 1 ]; then
	python3 "$HERE/vsock-peer.py" "$UDS" "$TMP/iommu.out" 90 \
		>"$TMP/vpeer.out" 2>&1 &
	PIDS+=($!)
fi
sleep 1
start=$(date +%s%N)
timeout 120 "${NETNS[@]}" "$SEVM" --firmware "$FW" --memory 128M \
	"${DEVS[@]}" --serial "file:$TMP/iommu.out" \
	>"$TMP/iommu.stdout" 2>"$TMP/iommu.err" </dev/null
rc=$?
echo "note: sevm ran $(( ($(date +%s%N) - start) / 1000000 )) ms"
if [ "$rc" -ne 0 ]; then
	fail "sevm exit $rc, wanted 0"
	sed 's/^/    serial: /' "$TMP/iommu.out" | tail -12
	sed 's/^/    stderr: /' "$TMP/iommu.err" | tail -5
fi
for p in "${PIDS[@]}"; do wait "$p"; done
PIDS=()

B='[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]'
expect iommu "^virtio-iommu $B: translating, bypass off, page sizes [0-9a-f]+, input [0-9a-f]+-[0-9a-f]+, domains [0-9]+-[0-9]+, features [0-9a-f]+$"
expect iommu "^virtio-blk $B: [0-9]+ sectors, sector 0 sha256 $sha$"
expect iommu "^virtio-rng $B: 16 bytes$"
expect iommu "^virtio-console $B: wrote $(( ${#HELLO} + 1 )) bytes$"
expect iommu "^virtio-iommu: 0 fault events during the translated run$"
hostile "descriptor IOVA unmapped" "$BUF"
hostile "IOVA range past the mapping's end" "$BUF"
hostile "device write into a read-only mapping" "$BUF"
hostile "ring addresses outside the mapping" "$RING"
hostile "unattached endpoint" "$RING"
expect iommu "^selftest: ok$"
if grep -qxF "$HELLO" "$TMP/iommu.out"; then
	ok "the hello line reached the --serial file"
else
	fail "--serial file lacks '$HELLO'"
fi
if [ ${#NETNS[@]} -gt 0 ]; then
	expect iommu "^virtio-net $B: mac [0-9a-f:]{17}, link up, tx 60 bytes$"
	expect iommu "^virtio-net: rx 60 bytes sevm-fw-net-rx$"
	expect peer "^tx 60 bytes from [0-9a-f:]{17}: sevm-fw-net-tx$"
fi
if [ "$VSOCK" = 1 ]; then
	expect iommu "^virtio-vsock: connected to host port 1234, echo ping$"
	expect iommu "^virtio-vsock $B: cid 3, echo to host port 1234, 15 bytes echoed from host port [0-9]+$"
	expect vpeer "^guest-to-host: echoed 'ping'$"
	expect vpeer "^host-to-guest: OK [0-9]+, echo 'sevm-host-hello'$"
fi
if grep -q "FAIL" "$TMP/iommu.out"; then
	fail "$(grep FAIL "$TMP/iommu.out" | head -1)"
fi
finish
