#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The sevm firmware on QEMU's q35 machine, QEMU being the reference device
# model for sevm's own fw_cfg and virtio-pci devices (docs/firmware.md):
#  - fw_cfg over DMA: e820, NB_CPUS; PCI bus 0 after PCIEXBAR; virtio-blk
#    reads sector 0 of a random disk (sha256 and sector count checked
#    against the file), virtio-rng reads 16 bytes, virtio-console writes a
#    line that must arrive in the chardev file; the self test passes;
#  - fw_cfg through the data port (DMA disabled) with 2 vCPUs: NB_CPUS is
#    2 and both CPUs answer.
# QEMU's isa-debug-exit makes status V exit (V << 1) | 1: 1 is a pass.
source "$(dirname "$0")/lib.sh"
[ -f "$FW" ] || skip "firmware not built"
need_kvm
QEMU=$(command -v qemu-system-x86_64) || skip "qemu-system-x86_64 not installed"

# QEMU's -bios takes a multiple of 64 KiB and maps it to end at 4 GiB:
# padding the front keeps every address.
QFW=$TMP/fw.bin
fwsize=$(stat -c %s "$FW")
pad=$(( (65536 - fwsize % 65536) % 65536 ))
{ head -c "$pad" /dev/zero | tr '\0' '\377'; cat "$FW"; } >"$QFW"

DISK=$TMP/disk.img
head -c $((1 << 20)) /dev/urandom >"$DISK"
sectors=$(( $(stat -c %s "$DISK") / 512 ))
sha=$(head -c 512 "$DISK" | sha256sum | cut -d' ' -f1)
HELLO="sevm firmware: hello from virtio-console"

# qemu_run NAME EXTRA-ARGS...: serial output in $TMP/NAME.out, exit in $rc
qemu_run() {
	local name=$1 start end
	shift
	start=$(date +%s%N)
	timeout 60 "$QEMU" -M q35 -accel kvm -m 128 -display none \
		-nodefaults -no-reboot -bios "$QFW" \
		-serial "file:$TMP/$name.out" \
		-device isa-debug-exit,iobase=0xf4,iosize=4 "$@" \
		>"$TMP/$name.qout" 2>&1 </dev/null
	rc=$?
	end=$(date +%s%N)
	echo "note: $name: QEMU ran $(( (end - start) / 1000000 )) ms"
	if [ "$rc" -ne 1 ]; then
		fail "$name: QEMU exit $rc, wanted 1 (status 0)"
		sed 's/^/    serial: /' "$TMP/$name.out" | tail -8
		sed 's/^/    qemu: /' "$TMP/$name.qout" | tail -3
	fi
}

virtio="disable-legacy=on,iommu_platform=on"
qemu_run devices \
	-drive "file=$DISK,format=raw,if=none,id=d0,readonly=on" \
	-device "virtio-blk-pci,drive=d0,$virtio,addr=3" \
	-device "virtio-rng-pci,$virtio,addr=4" \
	-device "virtio-serial-pci,$virtio,addr=5" \
	-chardev "file,id=c0,path=$TMP/console.out" \
	-device virtconsole,chardev=c0
expect devices "^fw_cfg: id [0-9a-f]+ \(dma\), 1 cpus$"
expect devices "^e820: 0-7ffffff type 1$"
expect devices "^memory: ok \(4 pages at 7ffc000\)$"
expect devices "^pci 00:00\.0 8086:29c0 class 060000$"
expect devices "^pci 00:03\.0 1af4:1042 class 010000$"
expect devices "^pci 00:04\.0 1af4:1044 class 00ff00$"
expect devices "^pci 00:05\.0 1af4:1043 class 078000$"
expect devices "^virtio-blk 00:03\.0: $sectors sectors, sector 0 sha256 $sha$"
expect devices "^virtio-rng 00:04\.0: 16 bytes$"
expect devices "^virtio-console 00:05\.0: wrote $(( ${#HELLO} + 1 )) bytes$"
expect devices "^selftest: ok$"
if grep -qxF "$HELLO" "$TMP/console.out" 2>/dev/null; then
	ok "devices: the hello line reached the virtconsole chardev"
else
	fail "devices: virtconsole chardev lacks '$HELLO'"
fi

qemu_run port -smp 2 -global fw_cfg_io.dma_enabled=off
expect port "^fw_cfg: id [0-9a-f]+ \(data port\), 2 cpus$"
expect port "^cpus: 2$"
expect port "^pci 00:00\.0 8086:29c0 class 060000$"
expect port "^selftest: ok$"
finish
