#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# sevm's virtio-pci devices (--device) under sevm's own firmware, which
# has fw_cfg, ECAM enumeration and virtio-pci drivers (proven on QEMU by
# fw-qemu.sh): virtio-blk reads sector 0 of a random read-only disk, the
# rng reads 16 bytes, the console writes a line that must reach the
# --serial file; the self test passes. The same disk under QEMU (when
# installed) gives the same sha256 line. Then the same devices in an SEV
# guest (emulated PSP): the devices require ACCESS_PLATFORM, which the
# firmware accepts. And a device that cannot be set up exits 2.
source "$(dirname "$0")/lib.sh"
[ -x "$SEVM" ] || skip "sevm not built"
[ -f "$FW" ] || skip "firmware not built"
need_kvm

DISK=$TMP/disk.img
head -c $((1 << 20)) /dev/urandom >"$DISK"
sectors=$(( $(stat -c %s "$DISK") / 512 ))
sha=$(head -c 512 "$DISK" | sha256sum | cut -d' ' -f1)
HELLO="sevm firmware: hello from virtio-console"
DEVS=(--device "virtio-blk,file=$DISK,readonly=on" --device virtio-rng
      --device virtio-console)

# run NAME ARGS...: sevm with the firmware, console in $TMP/NAME.out
run() {
	local name=$1 start end rc
	shift
	start=$(date +%s%N)
	timeout 60 "$SEVM" --firmware "$FW" --memory 128M "${DEVS[@]}" \
		--serial "file:$TMP/$name.out" "$@" \
		>"$TMP/$name.stdout" 2>"$TMP/$name.err" </dev/null
	rc=$?
	end=$(date +%s%N)
	echo "note: $name: sevm ran $(( (end - start) / 1000000 )) ms"
	if [ "$rc" -ne 0 ]; then
		fail "$name: sevm exit $rc, wanted 0"
		sed 's/^/    serial: /' "$TMP/$name.out" | tail -8
		sed 's/^/    stderr: /' "$TMP/$name.err" | tail -5
	fi
}

expect_devices() {
	local n=$1
	expect "$n" "^pci 00:01\.0 1af4:1042 class 010000$"
	expect "$n" "^pci 00:02\.0 1af4:1044 class 00ff00$"
	expect "$n" "^pci 00:03\.0 1af4:1043 class 078000$"
	expect "$n" "^virtio-blk 00:01\.0: $sectors sectors, sector 0 sha256 $sha$"
	expect "$n" "^virtio-rng 00:02\.0: 16 bytes$"
	expect "$n" "^virtio-console 00:03\.0: wrote $(( ${#HELLO} + 1 )) bytes$"
	expect "$n" "^selftest: ok$"
	if grep -qxF "$HELLO" "$TMP/$n.out"; then
		ok "$n: the hello line reached the --serial file"
	else
		fail "$n: --serial file lacks '$HELLO'"
	fi
}

echo "== 1. three devices, the firmware's self test"
run plain -v -v
expect_devices plain
if grep -q "notify at .* 1 of 1 queues on ioeventfds" "$TMP/plain.err"; then
	ok "plain: notify writes reach KVM ioeventfds"
else
	fail "plain: no notify ioeventfd registered"
fi

echo "== 2. the same disk under QEMU q35 gives the same sha256"
QEMU=$(command -v qemu-system-x86_64 || true)
if [ -z "$QEMU" ]; then
	echo "note: qemu-system-x86_64 not installed, comparison skipped"
else
	QFW=$TMP/fw.bin
	fwsize=$(stat -c %s "$FW")
	pad=$(( (65536 - fwsize % 65536) % 65536 ))
	{ head -c "$pad" /dev/zero | tr '\0' '\377'; cat "$FW"; } >"$QFW"
	timeout 60 "$QEMU" -M q35 -accel kvm -m 128 -display none \
		-nodefaults -no-reboot -bios "$QFW" \
		-serial "file:$TMP/qemu.out" \
		-device isa-debug-exit,iobase=0xf4,iosize=4 \
		-drive "file=$DISK,format=raw,if=none,id=d0,readonly=on" \
		-device "virtio-blk-pci,drive=d0,disable-legacy=on,iommu_platform=on,addr=1" \
		>"$TMP/qemu.qout" 2>&1 </dev/null
	q=$(grep -E '^virtio-blk 00:01\.0: ' "$TMP/qemu.out")
	s=$(grep -E '^virtio-blk 00:01\.0: ' "$TMP/plain.out")
	if [ -n "$q" ] && [ "$q" = "$s" ]; then
		ok "QEMU and sevm: '$s'"
	else
		fail "QEMU '$q' != sevm '$s'"
	fi
fi

echo "== 3. SEV (emulated PSP): the devices require ACCESS_PLATFORM"
PSP=$TMP/psp
if ! timeout 120 "$SEVM" psp init --psp "emulated:$PSP" \
	>"$TMP/psp.out" 2>&1; then
	fail "psp init"
	sed 's/^/    /' "$TMP/psp.out" | tail -3
else
	run sev -v -v --sev --psp "emulated:$PSP"
	expect_devices sev
	n=$(grep -c "ACCESS_PLATFORM required (SEV)" "$TMP/sev.err")
	if [ "$n" -eq 3 ]; then
		ok "sev: the 3 devices require ACCESS_PLATFORM"
	else
		fail "sev: $n of 3 devices require ACCESS_PLATFORM"
	fi
fi

echo "== 4. a device that cannot be set up: exit 2, one line"
# /sys/kernel/notes passes the --device checks (a regular file) but
# does not open for writing, even for root: virtio-blk's init fails.
if [ -f /sys/kernel/notes ]; then
	expect_exit 2 "image that cannot be opened" -- timeout 30 "$SEVM" \
		--firmware "$FW" --memory 64M --serial none \
		--device virtio-rng --device virtio-blk,file=/sys/kernel/notes
	if [ "$(wc -l <"$TMP/err")" -eq 1 ] &&
	   grep -q "^sevm: error: virtio-blk: open /sys/kernel/notes: " \
		"$TMP/err"; then
		ok "one error line naming the image"
	else
		fail "error lines: $(cat "$TMP/err")"
	fi
fi
expect_exit 0 "--serial none with a console" -- timeout 60 "$SEVM" \
	--firmware "$FW" --memory 64M --device virtio-console --serial none
finish
