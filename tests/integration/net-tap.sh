#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# virtio-net's tap backend on the host side, in a network namespace of
# its own (unshare -n: anonymous, gone when its processes exit; no
# address is configured anywhere, nothing leaves this machine):
#  1. sevm attaches to a tap made in the namespace (the tap gets its
#     carrier while sevm runs paused), and the firmware lists the
#     function as 1af4:1041 class 020000 and passes its self test;
#  2. fd=N with a SOCK_SEQPACKET socketpair (no tap, no privileges);
#  3. refusals: a name longer than IFNAMSIZ, fd= not open, a bad MAC
#     (exit 2, one line each).
# Skipped (77) without /dev/net/tun or without the privileges for a
# network namespace and a tap. The guest-side test (a frame each way)
# comes with the firmware's virtio-net driver.
source "$(dirname "$0")/lib.sh"
[ -x "$SEVM" ] || skip "sevm not built"
[ -f "$FW" ] || skip "firmware not built"
need_kvm
[ -c /dev/net/tun ] || skip "no /dev/net/tun"
unshare -n true 2>/dev/null || skip "no network namespace (CAP_SYS_ADMIN)"

TAP=sevmtap$RANDOM
INNER=$TMP/inner.sh
cat >"$INNER" <<EOF
# runs inside the new network namespace
ip tuntap add dev $TAP mode tap 2>/dev/null || exit 77
ip link set $TAP up || exit 1
timeout 30 "$SEVM" --firmware "$FW" --memory 128M --paused \\
	--device virtio-net,tap=$TAP,mac=52:54:00:ab:cd:ef \\
	--serial none >"$TMP/paused.out" 2>&1 &
pid=\$!
carrier=0
for i in \$(seq 50); do
	if ip link show $TAP | grep -q LOWER_UP; then carrier=1; break; fi
	sleep 0.1
done
kill -TERM \$pid; wait \$pid; rc=\$?
echo "carrier=\$carrier paused-exit=\$rc"
timeout 60 "$SEVM" --firmware "$FW" --memory 128M \\
	--device virtio-net,tap=$TAP --serial "file:$TMP/boot.out" \\
	>"$TMP/boot.stdout" 2>"$TMP/boot.err"
echo "boot-exit=\$?"
ip link show $TAP >/dev/null 2>&1 && echo "tap-still-there=1"
EOF

echo "== 1. a tap in a private network namespace"
unshare -n bash "$INNER" >"$TMP/inner.out" 2>&1
rc=$?
[ "$rc" -eq 77 ] && skip "cannot create a tap (CAP_NET_ADMIN)"
cat "$TMP/inner.out" | sed 's/^/    /'
if grep -q "carrier=1 paused-exit=0" "$TMP/inner.out"; then
	ok "sevm attached to the tap (carrier up), SIGTERM exits 0"
else
	fail "no carrier on $TAP while sevm ran, or bad exit"
	sed 's/^/    sevm: /' "$TMP/paused.out" | tail -5
fi
if grep -q "boot-exit=0" "$TMP/inner.out"; then
	ok "the firmware booted with the tap attached"
else
	fail "boot with the tap failed"
	sed 's/^/    stderr: /' "$TMP/boot.err" | tail -5
fi
expect boot "^pci 00:01\.0 1af4:1041 class 020000$"
expect boot "^selftest: ok$"
# the namespace went away with its processes, and the tap with it
if ip link show "$TAP" >/dev/null 2>&1; then
	fail "$TAP is visible outside the namespace"
else
	ok "no $TAP outside the namespace"
fi

echo "== 2. fd=N: any packet fd, here a socketpair (no privileges)"
/usr/bin/python3 - "$SEVM" "$FW" "$TMP/fd.out" >"$TMP/fd.res" 2>&1 <<'EOF'
import socket, subprocess, sys
a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
r = subprocess.run([sys.argv[1], "--firmware", sys.argv[2], "--memory",
                    "128M", "--device", "virtio-net,fd=%d" % a.fileno(),
                    "--serial", "file:" + sys.argv[3]],
                   pass_fds=[a.fileno()], timeout=60,
                   stderr=subprocess.PIPE)
print("exit", r.returncode, r.stderr.decode().strip())
EOF
if grep -q "^exit 0" "$TMP/fd.res"; then
	ok "fd= socketpair: exit 0"
else
	fail "fd= socketpair: $(cat "$TMP/fd.res")"
fi
expect fd "^pci 00:01\.0 1af4:1041 class 020000$"

echo "== 3. refusals: exit 2, one line"
expect_exit 2 "tap name longer than 15 bytes" -- "$SEVM" --firmware "$FW" \
	--device virtio-net,tap=abcdefghijklmnop
grep -q "longer than 15 bytes" "$TMP/err" || fail "$(cat "$TMP/err")"
expect_exit 2 "fd= not open" -- "$SEVM" --firmware "$FW" \
	--device virtio-net,fd=987
grep -q "fd=987: not an open file descriptor" "$TMP/err" ||
	fail "$(cat "$TMP/err")"
expect_exit 2 "a multicast MAC" -- "$SEVM" --firmware "$FW" \
	--device virtio-net,tap=t0,mac=01:00:5e:00:00:01
grep -q "multicast" "$TMP/err" || fail "$(cat "$TMP/err")"
finish
