#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# virtio-vsock's host side (the UNIX socket) around a paused VM:
#  1. the uds is a socket of mode 0600 while sevm runs and is gone after
#     SIGTERM;
#  2. a host client's "CONNECT <port>" is refused (closed) while no
#     guest driver runs; a malformed line is closed as well;
#  3. a second sevm on the same live socket exits 2, one line; a
#     symlink at the path is refused (never followed); a stale socket
#     is replaced, and the firmware lists 1af4:1053 class 078000.
# The guest-side echo test comes with the firmware's vsock driver.
source "$(dirname "$0")/lib.sh"
[ -x "$SEVM" ] || skip "sevm not built"
[ -f "$FW" ] || skip "firmware not built"
need_kvm

UDS=$TMP/v.sock

# client LINE: connect to $UDS, send LINE, print what comes back
client() {
	/usr/bin/python3 - "$UDS" "$1" <<'EOF'
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(sys.argv[1])
s.sendall(sys.argv[2].encode().decode("unicode_escape").encode())
s.settimeout(5)
try:
    d = s.recv(64)
    print("closed" if not d else "got " + d.decode(errors="replace"))
except ConnectionResetError:
    print("closed")
except socket.timeout:
    print("timeout")
EOF
}

echo "== 1. the socket of a running VM"
timeout 60 "$SEVM" --firmware "$FW" --memory 64M --paused --serial none \
	--device "vsock,cid=3,uds=$UDS" >"$TMP/run.out" 2>&1 &
pid=$!
for i in $(seq 50); do [ -S "$UDS" ] && break; sleep 0.1; done
mode=$(stat -c %a "$UDS" 2>/dev/null)
if [ "$mode" = 600 ]; then ok "uds is a socket, mode 0600"; else
	fail "uds mode '$mode', wanted 600"; fi

echo "== 2. CONNECT while no guest driver runs"
r=$(client 'CONNECT 1024\n')
[ "$r" = closed ] && ok "CONNECT refused: $r" || fail "CONNECT: $r"
r=$(client 'HELLO\n')
[ "$r" = closed ] && ok "bad line closed: $r" || fail "bad line: $r"

echo "== 3. refusals"
expect_exit 2 "a second sevm on the live socket" -- timeout 30 "$SEVM" \
	--firmware "$FW" --memory 64M --serial none \
	--device "vsock,cid=4,uds=$UDS"
if [ "$(wc -l <"$TMP/err")" -eq 1 ] &&
   grep -q "a live socket: another process listens there" "$TMP/err"; then
	ok "one error line: $(cat "$TMP/err")"
else
	fail "error lines: $(cat "$TMP/err")"
fi
kill -TERM $pid
wait $pid
rc=$?
[ "$rc" -eq 0 ] && ok "SIGTERM: exit 0" || fail "SIGTERM: exit $rc"
[ -e "$UDS" ] && fail "uds left behind" || ok "uds removed at exit"

ln -s "$TMP/elsewhere" "$TMP/link.sock"
expect_exit 2 "a symlink at the uds path" -- "$SEVM" --firmware "$FW" \
	--device "vsock,cid=3,uds=$TMP/link.sock"
grep -q "a symlink, never followed" "$TMP/err" || fail "$(cat "$TMP/err")"
[ -e "$TMP/elsewhere" ] && fail "followed the symlink"

/usr/bin/python3 -c "import socket; s = socket.socket(socket.AF_UNIX); \
s.bind('$TMP/stale.sock')"
expect_exit 0 "a stale socket is replaced" -- timeout 60 "$SEVM" \
	--firmware "$FW" --memory 64M --serial "file:$TMP/stale.out" \
	--device "vsock,cid=3,uds=$TMP/stale.sock"
expect stale "^pci 00:01\.0 1af4:1053 class 078000$"
expect stale "^selftest: ok$"
finish
