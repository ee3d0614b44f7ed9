# SPDX-License-Identifier: GPL-2.0-only
# The third-party-guest referees' runner (sourced after lib.sh by
# seabios.sh and grub.sh; not a test itself). One guest disk, run under
# SeaBIOS on a q35-like machine by the referee SEVM_REFEREE names:
#   qemu  QEMU 7.2 -M q35 with KVM (the reference; the default for now)
#   sevm  build/sevm with --device virtio-blk (opt-in until sevm's PCI
#         host, ACPI and fw_cfg land)
#   auto  sevm when `sevm --help` offers --device virtio-blk, else qemu
# Both map the exit port 0xf4: QEMU's isa-debug-exit exits (V << 1) | 1,
# sevm's test-exit 0 for V = 0 and 64 + V for V in 1..63.
SEABIOS=${SEABIOS:-/usr/share/seabios/bios.bin}
QEMU=${QEMU:-qemu-system-x86_64}
QEMU_BLK=disable-legacy=on,iommu_platform=on	# modern only, ACCESS_PLATFORM

# referee_choose: set REFEREE, or skip when it cannot run here
referee_choose() {
	REFEREE=${SEVM_REFEREE:-sevm}
	if [ "$REFEREE" = auto ]; then
		REFEREE=qemu
		[ -x "$SEVM" ] && "$SEVM" --help 2>&1 |
			grep -q 'virtio-blk,file=' && REFEREE=sevm
	fi
	case $REFEREE in
	qemu) command -v "$QEMU" >/dev/null ||
		skip "$QEMU not installed (Debian: qemu-system-x86)" ;;
	sevm) [ -x "$SEVM" ] || skip "sevm not built" ;;
	*) echo "FAIL: SEVM_REFEREE=$REFEREE: not qemu, sevm or auto"
	   exit 1 ;;
	esac
	[ -f "$SEABIOS" ] || skip "no $SEABIOS (Debian: seabios)"
	need_kvm
	echo "referee: $REFEREE"
}

# referee_run TIMEOUT DISK OUT: boot DISK, COM1 to OUT. Sets REF_RC (the
# VMM's exit status, 124 on timeout), REF_STATUS (the value the guest
# wrote to port 0xf4, "timeout" or "none") and REF_MS (wall time).
referee_run() {
	local secs=$1 disk=$2 out=$3 start
	rm -f "$out"
	start=$(date +%s%N)
	if [ "$REFEREE" = qemu ]; then
		timeout "$secs" "$QEMU" -M q35 -accel kvm -m 128 -nographic \
			-nodefaults -bios "$SEABIOS" -serial "file:$out" \
			-device isa-debug-exit,iobase=0xf4,iosize=4 \
			-drive "file=$disk,format=raw,if=none,id=d0" \
			-device virtio-blk-pci,drive=d0,bootindex=1,$QEMU_BLK \
			</dev/null >"$TMP/vmm.out" 2>"$TMP/vmm.err"
	else
		timeout "$secs" "$SEVM" --firmware "$SEABIOS" --memory 128M \
			--serial "file:$out" --device "virtio-blk,file=$disk" \
			</dev/null >"$TMP/vmm.out" 2>"$TMP/vmm.err"
	fi
	REF_RC=$?
	REF_MS=$(( ($(date +%s%N) - start) / 1000000 ))
	REF_STATUS=none
	if [ "$REF_RC" -eq 124 ]; then
		REF_STATUS=timeout	# timeout(1); sevm's V = 60 looks alike
	elif [ "$REFEREE" = qemu ]; then
		[ $((REF_RC & 1)) -eq 1 ] && REF_STATUS=$((REF_RC >> 1))
	elif [ "$REF_RC" -eq 0 ]; then
		REF_STATUS=0
	elif [ "$REF_RC" -ge 65 ] && [ "$REF_RC" -le 127 ]; then
		REF_STATUS=$((REF_RC - 64))
	fi
	[ -f "$out" ] || : >"$out"
	echo "time: $((REF_MS / 1000)).$(( (REF_MS % 1000) / 100 )) s" \
		"($REFEREE exit $REF_RC, guest status $REF_STATUS)"
}

# referee_expect_status WANT WHAT: the guest's exit-port value
referee_expect_status() {
	if [ "$REF_STATUS" = "$1" ]; then
		ok "$2 (guest status $1)"
		return
	fi
	if [ "$REF_STATUS" = timeout ]; then
		fail "$2: timed out after $((REF_MS / 1000)) s"
	else
		fail "$2: guest status $REF_STATUS (exit $REF_RC), wanted $1"
	fi
	sed 's/^/    vmm: /' "$TMP/vmm.err" | tail -5
}

# referee_text OUT: the serial output as plain lines (SeaBIOS's serial
# console adds ANSI escapes and carriage returns)
referee_text() {
	sed 's/\x1b\[[0-9;?]*[A-Za-z]//g; s/\x1bc//g' "$1" |
		tr -d '\r'
}

# expect_line TEXT REGEX WHAT: some line of TEXT matches REGEX (ERE)
expect_line() {
	if grep -qE -- "$2" "$1"; then
		ok "$3"
	else
		fail "$3: no line matching /$2/"
	fi
}
