#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# --metrics FILE and QMP x-query-metrics on /dev/kvm (docs/metrics.md):
# the firmware self test with virtio devices leaves a final JSON line
# whose counters match what happened (vCPU exits, UART bytes = the serial
# output's size, virtio-blk/rng/console requests, pinned bytes with
# --lock-memory, an ordered timeline); the file is 0600 and appended to,
# a symlink is refused (exit 2); a spinning guest gets a line every second
# and x-query-metrics answers the same object.
source "$(dirname "$0")/lib.sh"
[ -x "$SEVM" ] || skip "sevm not built"
[ -f "$FW" ] || skip "firmware not built"
need_kvm
PY=/usr/bin/python3
CLIENT=$(dirname "$0")/qmp-client.py
M=$TMP/m.jsonl

# jq-less checks: check_last FILE PYTHON-EXPR (m = the last line, parsed)
check_last() {
	if "$PY" -c '
import json, sys
m = json.loads(open(sys.argv[1]).read().splitlines()[-1])
tl = {e["event"]: e for e in m["timeline"]}
sys.exit(0 if eval(sys.argv[2]) else 1)' "$1" "$2" 2>"$TMP/py.err"; then
		ok "$3"
	else
		fail "$3: not ($2)"; tail -1 "$1" | cut -c1-400; cat "$TMP/py.err"
	fi
}

truncate -s 1M "$TMP/disk.img"
expect_exit 0 "self test with --metrics" -- "$SEVM" --firmware "$FW" \
	--memory 64M --lock-memory --metrics "$M" \
	--device virtio-blk,file="$TMP/disk.img" --device virtio-rng \
	--device virtio-console
cp "$TMP/out" "$TMP/serial"
[ "$(stat -c %a "$M")" = 600 ] && ok "metrics file is 0600" ||
	fail "metrics file mode $(stat -c %a "$M")"
[ "$(wc -l <"$M")" -ge 1 ] && ok "a line at exit" || fail "no line at exit"
check_last "$M" 'm["vcpu_exits"]["io"] > 0 and m["vcpu_exits"]["total"] >= m["vcpu_exits"]["io"]' \
	"vCPU exits by reason, with a total"
check_last "$M" "m['uart']['tx_bytes'] > 0" "UART bytes counted"
check_last "$M" 'm["virtio_blk"]["requests"] >= 1 and m["virtio_blk"]["read_bytes"] >= 512 and m["virtio_blk"]["errors"] == 0' \
	"virtio-blk requests and bytes"
check_last "$M" 'm["virtio_rng"]["bytes"] > 0 and m["virtio_console"]["tx_bytes"] > 0' \
	"virtio-rng and virtio-console bytes"
check_last "$M" 'm["memory"]["pinned_bytes"] == 64 << 20' \
	"--lock-memory: pinned bytes"
check_last "$M" 'tl["kvm-ready"]["start_us"] <= tl["devices-ready"]["start_us"] <= tl["images-loaded"]["start_us"] <= tl["vcpus-started"]["start_us"] <= tl["first-vcpu-exit"]["start_us"] <= tl["first-serial-byte"]["start_us"] < m["uptime_us"]' \
	"timeline in launch order"
# The UART count equals the bytes on stdout from the UART (the console
# lines come through virtio-console, on the same stdout).
uart=$("$PY" -c 'import json,sys; print(json.loads(open(sys.argv[1]).read().splitlines()[-1])["uart"]["tx_bytes"])' "$M")
cons=$("$PY" -c 'import json,sys; print(json.loads(open(sys.argv[1]).read().splitlines()[-1])["virtio_console"]["tx_bytes"])' "$M")
total=$(wc -c <"$TMP/serial")
[ "$((uart + cons))" -eq "$total" ] && ok "uart + console bytes = stdout ($total)" ||
	fail "uart $uart + console $cons != stdout $total"

# Appends; a symlink is refused before the VM starts.
expect_exit 0 "second run appends" -- "$SEVM" --firmware "$FW" --memory 64M \
	--metrics "$M"
[ "$(wc -l <"$M")" -ge 2 ] && ok "appended" || fail "not appended"
ln -s "$M" "$TMP/link"
expect_exit 2 "--metrics through a symlink" -- "$SEVM" --firmware "$FW" \
	--memory 64M --metrics "$TMP/link"
grep -q "symbolic link (refused)" "$TMP/err" && ok "the refusal names the symlink" ||
	fail "no symlink message"

# Periodic lines and x-query-metrics on a spinning guest.
head -c $((65536 - 16)) /dev/zero >"$TMP/spin.bin"
printf '\xb0\x01\xe6\x80\xeb\xfe\x90\x90\x90\x90\x90\x90\x90\x90\x90\x90' \
	>>"$TMP/spin.bin"
rm -f "$TMP/p.jsonl"
"$SEVM" --firmware "$TMP/spin.bin" --memory 16M --metrics "$TMP/p.jsonl" \
	--qmp "$TMP/qmp.sock" >/dev/null 2>"$TMP/err" &
pid=$!
sleep 2.5
n=$(wc -l <"$TMP/p.jsonl")
[ "$n" -ge 2 ] && ok "a line every second ($n in 2.5 s)" ||
	fail "$n lines in 2.5 s"
"$PY" "$CLIENT" "$TMP/qmp.sock" greeting 'cmd:{"execute":"qmp_capabilities"}' \
	'cmd:{"execute":"x-query-metrics","id":3}' \
	'cmd:{"execute":"quit"}' eof >"$TMP/qmp" 2>&1
wait "$pid"
grep -qE '^\{"return":\{"utc_time_ms":[0-9]+,.*"vcpu_exits":\{.*"timeline":\[.*"id":3\}$' "$TMP/qmp" &&
	ok "x-query-metrics returns the snapshot" ||
	{ fail "x-query-metrics"; cut -c1-300 "$TMP/qmp"; }
[ "$(wc -l <"$TMP/p.jsonl")" -gt "$n" ] && ok "a final line at quit" ||
	fail "no final line at quit"
finish
