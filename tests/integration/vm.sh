#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The sevm binary on /dev/kvm: the firmware self test with 1 and 2 vCPUs,
# 64 MiB to 2 GiB, huge pages, locked memory, serial to a file, test-exit
# statuses, SIGTERM while running, RLIMIT_MEMLOCK too small.
source "$(dirname "$0")/lib.sh"
[ -x "$SEVM" ] || skip "sevm not built"
[ -f "$FW" ] || skip "firmware not built"
need_kvm

# A 64 KiB firmware whose reset vector runs the given 16 code bytes.
tinyfw() {	# OUT HEXBYTES
	head -c $((65536 - 16)) /dev/zero >"$1"
	printf "$2" >>"$1"
}
tinyfw "$TMP/exit5.bin" '\xb0\x01\xe6\x80\xb0\x05\xe6\xf4\xf4\xeb\xfd\x90\x90\x90\x90\x90'
tinyfw "$TMP/exit63.bin" '\xb0\x3f\xe6\xf4\xf4\xeb\xfd\x90\x90\x90\x90\x90\x90\x90\x90\x90'
tinyfw "$TMP/exit200.bin" '\xb0\xc8\xe6\xf4\xf4\xeb\xfd\x90\x90\x90\x90\x90\x90\x90\x90\x90'
tinyfw "$TMP/spin.bin" '\xb0\x01\xe6\x80\xeb\xfe\x90\x90\x90\x90\x90\x90\x90\x90\x90\x90'
tinyfw "$TMP/reset.bin" '\xb0\xfe\xe6\x64\xf4\xeb\xfd\x90\x90\x90\x90\x90\x90\x90\x90\x90'

selftest() {	# DESCRIPTION EXPECT-REGEX -- sevm args...
	local what=$1 want=$2
	shift 3
	expect_exit 0 "$what" -- "$SEVM" --firmware "$FW" "$@"
	grep -q "selftest: ok" "$TMP/out" || fail "$what: no 'selftest: ok' on stdout"
	[ -z "$want" ] || grep -qE "$want" "$TMP/out" || fail "$what: stdout lacks /$want/"
}

selftest "self test, 1 vCPU, 64 MiB" "cpus: 1" -- --memory 64M
selftest "self test, 2 vCPUs" "cpus: 2" -- --memory 128M --cpus 2
for m in 256M 1G 2G; do
	selftest "self test, $m" "" -- --memory "$m"
done
selftest "self test, locked memory" "" -- --memory 128M --lock-memory
selftest "self test, JSON config" "" -- --config <(printf '{"memory": "96M", "cpus": 1}')

# serial to a file: stdout stays empty, the file holds the output
expect_exit 0 "serial to a file" -- "$SEVM" --firmware "$FW" --memory 64M \
	--serial "file:$TMP/serial.log"
grep -q "selftest: ok" "$TMP/serial.log" || fail "serial file lacks the self test output"
[ -s "$TMP/out" ] && fail "stdout not empty with --serial file:"
# ... appended to as a log, mode 0600, and never through a planted symlink
expect_exit 0 "serial to the same file again" -- "$SEVM" --firmware "$FW" \
	--memory 64M --serial "file:$TMP/serial.log"
[ "$(grep -c "selftest: ok" "$TMP/serial.log")" -eq 2 ] ||
	fail "the serial file was not appended to"
[ "$(stat -c %a "$TMP/serial.log")" = 600 ] || fail "serial file mode is not 0600"
printf 'precious\n' >"$TMP/victim"
ln -s "$TMP/victim" "$TMP/planted.log"
expect_exit 2 "serial file that is a symlink is refused" -- "$SEVM" \
	--firmware "$FW" --memory 64M --serial "file:$TMP/planted.log"
grep -q "planted.log: is a symbolic link" "$TMP/err" ||
	fail "the refusal does not name the symlink"
[ "$(cat "$TMP/victim")" = precious ] || fail "the symlink's target was written"
expect_exit 0 "serial none" -- "$SEVM" --firmware "$FW" --memory 64M --serial none

# boot trace: the reset-vector mark first
expect_exit 0 "boot trace" -- "$SEVM" --firmware "$FW" --memory 64M --boot-trace
grep -qi "reset vector" "$TMP/err" || fail "--boot-trace printed no reset-vector mark"

# test-exit statuses: V -> 64 + V, large V -> 127
expect_exit 69 "test-exit 5" -- "$SEVM" --firmware "$TMP/exit5.bin" --memory 16M
expect_exit 127 "test-exit 63" -- "$SEVM" --firmware "$TMP/exit63.bin" --memory 16M
expect_exit 127 "test-exit 200" -- "$SEVM" --firmware "$TMP/exit200.bin" --memory 16M
expect_exit 0 "i8042 reset stops the VM" -- "$SEVM" --firmware "$TMP/reset.bin" --memory 16M

# SIGTERM / SIGINT while the guest spins: orderly stop, exit 0
for sig in TERM INT; do
	"$SEVM" --firmware "$TMP/spin.bin" --memory 64M >/dev/null 2>"$TMP/sig.err" &
	pid=$!
	sleep 0.5
	kill -"$sig" "$pid"
	t=0
	while kill -0 "$pid" 2>/dev/null && [ $t -lt 50 ]; do sleep 0.1; t=$((t + 1)); done
	if kill -0 "$pid" 2>/dev/null; then
		kill -9 "$pid"; fail "SIG$sig: sevm still running after 5 s"
	else
		wait "$pid"; rc=$?
		[ $rc -eq 0 ] && ok "SIG$sig stops the VM (exit 0)" || fail "SIG$sig: exit $rc"
	fi
done

# RLIMIT_MEMLOCK too small: only binding without CAP_IPC_LOCK
if command -v setpriv >/dev/null && [ "$(id -u)" = 0 ]; then
	expect_exit 3 "lock-memory above RLIMIT_MEMLOCK" -- \
		setpriv --inh-caps=-ipc_lock --bounding-set=-ipc_lock \
		bash -c "ulimit -l 1024; exec $SEVM --firmware $FW --memory 64M --lock-memory"
	grep -q "RLIMIT_MEMLOCK" "$TMP/err" || fail "memlock error does not name RLIMIT_MEMLOCK"
fi

# Huge pages: reserve a few when root, else skip that part
hp=/proc/sys/vm/nr_hugepages
if [ "$(id -u)" = 0 ] && [ -w $hp ]; then
	old=$(cat $hp)
	echo $((old + 40)) >$hp 2>/dev/null || true
	if [ "$(cat /sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages)" -ge 32 ]; then
		selftest "self test on huge pages" "" -- --memory 64M --hugepages
	else
		echo "note: could not reserve huge pages; skipped that case"
	fi
	echo "$old" >$hp
	expect_exit 3 "hugepages with an empty pool" -- "$SEVM" --firmware "$FW" \
		--memory 4G --hugepages
else
	echo "note: not root, huge-page cases skipped"
fi

# No /dev/kvm (a path that does not exist): exit 3 naming the device
expect_exit 3 "missing KVM device" -- "$SEVM" --firmware "$FW" --kvm-device "$TMP/nokvm"
grep -q "nokvm" "$TMP/err" || fail "missing-KVM error does not name the device"

finish
