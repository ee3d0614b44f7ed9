#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The firmware's virtio-iommu self test on QEMU's q35, the reference for
# the driver (docs/firmware.md, "virtio-iommu"): virtio-iommu-pci with
# boot-bypass=off, virtio-blk (a random read-only disk), rng, console and
# virtio-net on a tap, all with iommu_platform=on.
#  1. translating mode: the blk sha256 and sector count match the file,
#     rng, console (the hello line reaches the chardev), no fault event
#     during the translated run; net sends a frame that net-peer.py reads
#     from the tap (AF_PACKET, in a network namespace this test creates)
#     and receives the frame net-peer.py sends back; the four hostile
#     cases and an unattached endpoint each print a refusal QEMU is
#     known to give (see below), a fault event and intact canaries; the
#     self test passes.
#  2. boot-bypass=on: the firmware turns bypass off through the config
#     (BYPASS_CONFIG), so the hostile cases give the same answers; the
#     last one, an unattached endpoint given guest-physical addresses,
#     would reach the canaries through a bypass.
# QEMU completes a request whose buffer the IOMMU refused with status 0
# and drops the access (bounce buffer), and stalls on rings it cannot
# read: both are accepted here, and each case's answer is printed.
# vsock is not tested here: QEMU needs /dev/vhost-vsock (iommu.sh does it
# on sevm).
source "$(dirname "$0")/lib.sh"
[ -f "$FW" ] || skip "firmware not built"
need_kvm
QEMU=$(command -v qemu-system-x86_64) || skip "qemu-system-x86_64 not installed"
HERE=$(cd "$(dirname "$0")" && pwd)

QFW=$TMP/fw.bin
fwsize=$(stat -c %s "$FW")
pad=$(( (65536 - fwsize % 65536) % 65536 ))
{ head -c "$pad" /dev/zero | tr '\0' '\377'; cat "$FW"; } >"$QFW"

DISK=$TMP/disk.img
head -c $((1 << 20)) /dev/urandom >"$DISK"
sectors=$(( $(stat -c %s "$DISK") / 512 ))
sha=$(head -c 512 "$DISK" | sha256sum | cut -d' ' -f1)
HELLO="sevm firmware: hello from virtio-console"

# A network namespace of our own with a tap in it (no address anywhere).
NS=sevm-fwiommu-$$
TAP=fwtap0
NETNS=()
cleanup() {
	[ -n "${PEER:-}" ] && kill "$PEER" 2>/dev/null
	ip netns del "$NS" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
if ip netns add "$NS" 2>/dev/null &&
   ip netns exec "$NS" sh -c "sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
	net.ipv6.conf.default.disable_ipv6=1 && \
	ip tuntap add dev $TAP mode tap && ip link set $TAP up" \
	>"$TMP/netns.err" 2>&1; then
	NETNS=(ip netns exec "$NS")
else
	echo "note: no network namespace with a tap ($(cat "$TMP/netns.err" \
		2>/dev/null)): virtio-net not tested"
fi

V="disable-legacy=on,iommu_platform=on"
DEVS=(-drive "file=$DISK,format=raw,if=none,id=d0,readonly=on"
      -device "virtio-blk-pci,drive=d0,$V,addr=3"
      -device "virtio-rng-pci,$V,addr=4"
      -device "virtio-serial-pci,$V,addr=5"
      -chardev "file,id=c0,path=$TMP/console.out"
      -device virtconsole,chardev=c0)
[ ${#NETNS[@]} -gt 0 ] && DEVS+=(
      -netdev "tap,id=n0,ifname=$TAP,script=no,downscript=no"
      -device "virtio-net-pci,netdev=n0,$V,addr=6,romfile=")

# qemu_run NAME BYPASS: serial output in $TMP/NAME.out, exit in $rc
qemu_run() {
	local name=$1 start end
	start=$(date +%s%N)
	timeout 120 "${NETNS[@]}" "$QEMU" -M q35 -accel kvm -m 128 \
		-display none -nodefaults -no-reboot -bios "$QFW" \
		-serial "file:$TMP/$name.out" \
		-device isa-debug-exit,iobase=0xf4,iosize=4 \
		-device "virtio-iommu-pci,boot-bypass=$2,addr=2" "${DEVS[@]}" \
		>"$TMP/$name.qout" 2>&1 </dev/null
	rc=$?
	end=$(date +%s%N)
	echo "note: $name: QEMU ran $(( (end - start) / 1000000 )) ms"
	if [ "$rc" -ne 1 ]; then
		fail "$name: QEMU exit $rc, wanted 1 (status 0)"
		sed 's/^/    serial: /' "$TMP/$name.out" | tail -12
		sed 's/^/    qemu: /' "$TMP/$name.qout" | tail -3
	fi
}

# hostile NAME CASE ANSWERS: the case's line has one of ANSWERS (a
# regex), a fault, intact canaries; its answer is printed.
hostile() {
	local line
	line=$(grep -E "^iommu-hostile: $2: " "$TMP/$1.out")
	if [ -z "$line" ]; then
		fail "$1: no line for hostile case '$2'"
	elif echo "$line" | grep -qE "^iommu-hostile: $2: ($3), fault reported \(reason [0-9]+, flags [0-9a-f]+, address [0-9a-f]+\), canaries intact$"; then
		ok "$1: ${line#iommu-hostile: }"
	else
		fail "$1: '$line'"
	fi
}

expect_iommu() {
	local n=$1
	expect "$n" "^virtio-iommu 00:02\.0: translating, bypass off, page sizes f+000, input 0-f+, domains 0-4294967295, features [0-9a-f]+$"
	expect "$n" "^virtio-iommu: probe 00:03\.0: [0-9]+ properties, [0-9]+ reserved regions$"
	expect "$n" "^virtio-blk 00:03\.0: $sectors sectors, sector 0 sha256 $sha$"
	expect "$n" "^virtio-rng 00:04\.0: 16 bytes$"
	expect "$n" "^virtio-console 00:05\.0: wrote $(( ${#HELLO} + 1 )) bytes$"
	expect "$n" "^virtio-iommu: 0 fault events during the translated run$"
	hostile "$n" "descriptor IOVA unmapped" \
		"refused \(status [1-9][0-9]*\)|stalled \(.*\)|completed \(status 0\), access dropped"
	hostile "$n" "IOVA range past the mapping's end" \
		"refused \(status [1-9][0-9]*\)|stalled \(.*\)|completed \(status 0\), (access dropped|mapped part written, rest dropped)"
	hostile "$n" "device write into a read-only mapping" \
		"refused \(status [1-9][0-9]*\)|stalled \(.*\)|completed \(status 0\), access dropped"
	hostile "$n" "ring addresses outside the mapping" \
		"stalled \(.*\)|refused at queue set-up \(NEEDS_RESET\)"
	hostile "$n" "unattached endpoint" \
		"stalled \(.*\)|refused at queue set-up \(NEEDS_RESET\)"
	expect "$n" "^selftest: ok$"
	if grep -q "FAIL" "$TMP/$n.out"; then
		fail "$n: $(grep FAIL "$TMP/$n.out" | head -1)"
	fi
}

echo "== 1. translating mode, bypass off from boot"
if [ ${#NETNS[@]} -gt 0 ]; then
	"${NETNS[@]}" python3 "$HERE/net-peer.py" "$TAP" 60 \
		>"$TMP/peer.out" 2>&1 &
	PEER=$!
	for _ in $(seq 50); do
		grep -q ready "$TMP/peer.out" 2>/dev/null && break
		sleep 0.1
	done
fi
qemu_run iommu off
expect_iommu iommu
if grep -qxF "$HELLO" "$TMP/console.out" 2>/dev/null; then
	ok "iommu: the hello line reached the virtconsole chardev"
else
	fail "iommu: virtconsole chardev lacks '$HELLO'"
fi
if [ ${#NETNS[@]} -gt 0 ]; then
	wait "$PEER"
	PEER=
	expect iommu "^virtio-net 00:06\.0: mac 52:54:00:12:34:56, link up, tx 60 bytes$"
	expect iommu "^virtio-net: rx 60 bytes sevm-fw-net-rx$"
	expect peer "^tx 60 bytes from 52:54:00:12:34:56: sevm-fw-net-tx$"
	expect peer "^sent 60 bytes$"
	DEVS=("${DEVS[@]:0:${#DEVS[@]}-4}")	# no peer for the second run
fi

echo "== 2. boot-bypass=on: the firmware turns bypass off (BYPASS_CONFIG)"
qemu_run bypass on
expect_iommu bypass
finish
