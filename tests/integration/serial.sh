#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Serial output reaches its backend as the guest writes it: a guest that
# prints "login: " (no newline) and then spins forever. The prompt must be
# in the --serial file while the VM still runs (before, it waited for a
# newline or for the VM to stop), within 100 ms of the guest writing it;
# the same on stdout (--serial stdio into a pipe).
source "$(dirname "$0")/lib.sh"
[ -x "$SEVM" ] || skip "sevm not built"
need_kvm

# A 64 KiB firmware. At the reset vector (IP 0xfff0): jmp 0xff00. At
# 0xff00: out 0x80 ("the prompt comes now", in the boot trace), then
# "login: " to COM1 one byte at a time, then jmp $.
{
	head -c $((65536 - 256)) /dev/zero
	printf '\xb0\x01\xe6\x80\xba\xf8\x03'
	for c in 6c 6f 67 69 6e 3a 20; do printf "\\xb0\\x$c\\xee"; done
	printf '\xeb\xfe'
	head -c $((256 - 7 - 21 - 2 - 16)) /dev/zero
	printf '\xe9\x0d\xff'
	head -c 13 /dev/zero
} >"$TMP/prompt.bin"
[ "$(stat -c %s "$TMP/prompt.bin")" -eq 65536 ] || { fail "image size"; finish; }

# watch FILE: in the background, write to FILE.seen the CLOCK_MONOTONIC
# ns at which FILE first holds "login: " (polled every 2 ms, 10 s at most)
watch() {
	/usr/bin/python3 - "$1" >"$1.seen" <<-'PY' &
	import sys, time
	end = time.monotonic() + 10
	while time.monotonic() < end:
	    try:
	        with open(sys.argv[1], "rb") as f:
	            if f.read() == b"login: ":
	                print(time.monotonic_ns())
	                break
	    except OSError:
	        pass
	    time.sleep(0.002)
	PY
	watcher=$!
	sleep 0.2	# the watcher is up before sevm starts
}

# check WHAT FILE: the prompt came while the VM ran, within 100 ms of the
# guest's port-0x80 write just before it (the boot trace's clock is
# CLOCK_MONOTONIC too).
check() {
	local seen start mark lat
	wait "$watcher"
	seen=$(cat "$2.seen")
	if [ -z "$seen" ]; then
		fail "$1: no \"login: \" while the VM runs (10 s)"
		sed 's/^/    stderr: /' "$TMP/err" | tail -5
		kill "$pid"; wait "$pid" 2>/dev/null
		return
	fi
	if kill -0 "$pid" 2>/dev/null; then
		ok "$1: the prompt is there while the guest spins"
	else
		fail "$1: sevm exited before the prompt showed"
	fi
	kill "$pid"; wait "$pid" 2>/dev/null
	start=$(sed -n 's/^boot-trace: start-monotonic-ns=//p' "$TMP/err")
	mark=$(awk '$5 == "0x01" { print $1; exit }' "$TMP/err")
	if [ -z "$start" ] || [ -z "$mark" ]; then
		fail "$1: no boot trace"; return
	fi
	lat=$(( (seen - start - mark * 1000) / 1000000 ))
	if [ "$lat" -lt 100 ]; then
		ok "$1: the prompt showed ${lat} ms after the guest wrote it"
	else
		fail "$1: the prompt showed ${lat} ms after the guest wrote it (> 100)"
	fi
}

# --serial file:
watch "$TMP/console"
"$SEVM" --firmware "$TMP/prompt.bin" --memory 16M --boot-trace \
	--serial "file:$TMP/console" 2>"$TMP/err" &
pid=$!
check "file" "$TMP/console"

# --serial stdio, into a pipe
watch "$TMP/stdout"
mkfifo "$TMP/fifo"
cat "$TMP/fifo" >"$TMP/stdout" &
cat_pid=$!
"$SEVM" --firmware "$TMP/prompt.bin" --memory 16M --boot-trace \
	--serial stdio >"$TMP/fifo" 2>"$TMP/err" &
pid=$!
check "stdout" "$TMP/stdout"
wait "$cat_pid" 2>/dev/null
finish
