#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The VM process locked down (issue 9, section 4) on /dev/kvm: seccomp on
# every thread (on by default; a forbidden call kills with one line; log
# lets it through), --user, --chroot, --pidfile, not dumpable; the QMP
# socket's mode and live/stale rule (defect 5); inputs checked before they
# are read, \u0000 and invalid UTF-8 refused, pinning more than the host
# has refused (defect 8).
source "$(dirname "$0")/lib.sh"
[ -x "$SEVM" ] || skip "sevm not built"
[ -f "$FW" ] || skip "firmware not built"
need_kvm
"$SEVM" --help | grep -q -- "--seccomp" || skip "sevm built without CONFIG_SECCOMP"
PY=/usr/bin/python3
CLIENT=$(dirname "$0")/qmp-client.py
LINE_RE='^sevm: seccomp: thread (main|vcpu|io) made forbidden syscall personality \(135\)$'

head -c $((65536 - 16)) /dev/zero >"$TMP/spin.bin"
printf '\xb0\x01\xe6\x80\xeb\xfe\x90\x90\x90\x90\x90\x90\x90\x90\x90\x90' \
	>>"$TMP/spin.bin"

# --- seccomp
for mode in on log off; do
	expect_exit 0 "self test, --seccomp $mode, virtio I/O thread" -- \
		"$SEVM" --firmware "$FW" --memory 64M --cpus 2 --seccomp "$mode" \
		--device virtio-rng --device virtio-console
	grep -q "selftest: ok" "$TMP/out" || fail "--seccomp $mode: no selftest: ok"
done
for role in main vcpu io; do
	expect_exit 159 "forbidden call on a $role thread kills (SIGSYS)" -- \
		env SEVM_SECCOMP_SELFTEST=$role "$SEVM" --firmware "$FW" \
		--memory 64M --device virtio-rng
	[ "$(grep -c . "$TMP/err")" -eq 1 ] &&
		grep -qE "${LINE_RE/(main|vcpu|io)/$role}" "$TMP/err" ||
		fail "$role: not the one seccomp line: $(head -3 "$TMP/err")"
	grep -q "selftest: ok" "$TMP/out" && [ $role != io ] &&
		fail "$role: the guest ran on after the forbidden call"
done
expect_exit 0 "--seccomp log: the forbidden call is only logged" -- \
	env SEVM_SECCOMP_SELFTEST=vcpu "$SEVM" --firmware "$FW" --memory 64M \
	--seccomp log
grep -q "selftest: ok" "$TMP/out" || fail "--seccomp log: the guest did not run"

# --- every thread filtered, --user, --pidfile, --chroot, not dumpable
mkdir -m 0755 "$TMP/run" "$TMP/jail"
chown 65534:65534 "$TMP/run"
"$SEVM" --firmware "$TMP/spin.bin" --memory 16M --device virtio-rng \
	--user 65534:65534 --pidfile "$TMP/run/sevm.pid" \
	--chroot "$TMP/jail" --qmp "$TMP/run/qmp.sock" \
	>"$TMP/out" 2>"$TMP/err" &
pid=$!
for _ in $(seq 100); do
	[ -S "$TMP/run/qmp.sock" ] && grep -q Seccomp:.2 /proc/$pid/status 2>/dev/null && break
	sleep 0.1
done
[ "$(cat "$TMP/run/sevm.pid" 2>/dev/null)" = "$pid" ] || fail "--pidfile does not hold $pid"
[ "$(stat -c %a "$TMP/run/sevm.pid")" = 644 ] || fail "--pidfile mode is not 0644"
[ "$(stat -c %a "$TMP/run/qmp.sock")" = 600 ] || fail "QMP socket mode is not 0600"
nthr=0
for st in /proc/$pid/task/*/status; do
	nthr=$((nthr + 1))
	grep -qE '^Seccomp:\s+2$' "$st" || fail "thread $(basename "$(dirname "$st")") has no seccomp filter"
	grep -qE '^Uid:\s+65534\s+65534\s+65534\s+65534$' "$st" || fail "thread uid is not 65534 everywhere"
	grep -qE '^Gid:\s+65534\s+65534\s+65534\s+65534$' "$st" || fail "thread gid is not 65534 everywhere"
	grep -qE '^Groups:\s*$' "$st" || fail "supplementary groups kept"
done
[ $nthr -ge 3 ] && ok "$nthr threads: each filtered, uid/gid 65534, no groups" ||
	fail "only $nthr threads (main, vCPU, I/O expected)"
[ "$(readlink /proc/$pid/root)" = "$TMP/jail" ] && ok "chroot in place" ||
	fail "root is $(readlink /proc/$pid/root), not the chroot"
expect_exit 3 "a second sevm with the same --pidfile is refused" -- \
	"$SEVM" --firmware "$TMP/spin.bin" --memory 16M --pidfile "$TMP/run/sevm.pid"
grep -q "process $pid is running" "$TMP/err" || fail "the refusal does not name pid $pid"
expect_exit 2 "a live QMP socket is refused" -- \
	"$SEVM" --firmware "$TMP/spin.bin" --memory 16M --qmp "$TMP/run/qmp.sock"
grep -q "a live socket" "$TMP/err" || fail "the refusal does not say live socket"
kill -TERM $pid
wait $pid
rc=$?
[ $rc -eq 0 ] && ok "SIGTERM ends the locked-down sevm (exit 0)" || fail "exit $rc after SIGTERM"
[ -e "$TMP/run/sevm.pid" ] && fail "pidfile left behind"
[ -e "$TMP/run/qmp.sock" ] && fail "QMP socket left behind"

ln -s "$TMP/jail" "$TMP/jail-link"
expect_exit 2 "--chroot of a symlink is refused" -- \
	"$SEVM" --firmware "$FW" --memory 16M --chroot "$TMP/jail-link"
expect_exit 2 "--user root is refused" -- \
	"$SEVM" --firmware "$FW" --memory 16M --user root

# --- QMP socket: 0600 under umask 000, a stale one replaced
(umask 000; "$SEVM" --firmware "$TMP/spin.bin" --memory 16M \
	--qmp "$TMP/q.sock" >/dev/null 2>&1 & echo $! >"$TMP/q.pid"; wait)&
for _ in $(seq 50); do [ -S "$TMP/q.sock" ] && break; sleep 0.1; done
[ "$(stat -c %a "$TMP/q.sock")" = 600 ] && ok "socket 0600 under umask 000" ||
	fail "socket mode $(stat -c %a "$TMP/q.sock") under umask 000"
qpid=$(cat "$TMP/q.pid")
# bytes as sent: \u0000 in a command name, then 0xff in an id
"$PY" - "$TMP/q.sock" >"$TMP/qmp" 2>&1 <<'PYEOF'
import socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.settimeout(10)
def reply(msg):
    s.sendall(msg + b"\n")
    buf = b""
    while buf.count(b"\n") < (2 if b"capab" in msg else 1):
        buf += s.recv(4096)
    return buf
reply(b'{"execute":"qmp_capabilities"}')
sys.stdout.buffer.write(reply(b'{"execute":"query-status\\u0000x","id":1}'))
sys.stdout.buffer.write(reply(b'{"execute":"query-status","id":"a\xffb"}'))
PYEOF
grep -q '"desc":"QMP input: a string contains \\\\u0000"' "$TMP/qmp" &&
	! grep -q '"id"' "$TMP/qmp" && ok "QMP: \\u0000 in a command name refused" ||
	fail "QMP ran a command with \\u0000: $(cat "$TMP/qmp")"
grep -q 'not valid UTF-8' "$TMP/qmp" && ! grep -q $'\xff' "$TMP/qmp" &&
	ok "QMP: invalid UTF-8 id refused, not echoed" || fail "QMP invalid UTF-8: $(cat "$TMP/qmp")"
kill -9 "$qpid"
sleep 0.2
[ -S "$TMP/q.sock" ] || fail "no stale socket after SIGKILL"
"$SEVM" --firmware "$FW" --memory 64M --qmp "$TMP/q.sock" >"$TMP/out" 2>"$TMP/err"
[ $? -eq 0 ] && ok "a stale socket is replaced" || fail "stale socket: $(cat "$TMP/err")"

# --- inputs before reading
mkfifo "$TMP/fifo"
expect_exit 2 "a FIFO as --initrd is refused without blocking" -- \
	timeout 10 "$SEVM" --kernel "$FW" --initrd "$TMP/fifo" --memory 64M
grep -q "is a FIFO" "$TMP/err" || fail "the FIFO refusal is not named"
truncate -s 2G "$TMP/big.img"
expect_exit 2 "a 2 GiB --initrd for a 64 MiB guest" -- \
	timeout 10 "$SEVM" --firmware "$FW" --kernel "$FW" --initrd "$TMP/big.img" --memory 64M
grep -q "does not fit" "$TMP/err" || fail "no 'does not fit' line"
printf '{"firmware": "%s\\u0000x", "memory": "64M"}' "$FW" >"$TMP/nul.json"
expect_exit 2 "JSON config: \\u0000 in a string is refused" -- \
	"$SEVM" --config "$TMP/nul.json"
grep -q 'contains \\u0000' "$TMP/err" || fail "the \\u0000 refusal is not named"
expect_exit 3 "--lock-memory beyond MemAvailable" -- \
	"$SEVM" --firmware "$FW" --memory 1T --lock-memory
grep -q "the host can pin only" "$TMP/err" || fail "no MemAvailable line"
[ "$(grep -c . "$TMP/err")" -eq 1 ] || fail "more than one line: $(cat "$TMP/err")"

finish
