#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# A firmware that is not ours: Debian's OVMF (its footer table carries the
# SEV GUIDs) is measured the same way, and the guest owner's tool agrees
# with the measurement. Debian's build advertises a zero-size hashes area,
# so a measured kernel is refused with a line naming the firmware.
source "$(dirname "$0")/lib.sh"
[ -x "$SEVM" ] && [ -x "$OWNER" ] || skip "sevm or sevm-owner not built"
OVMF=/usr/share/OVMF/OVMF_CODE_4M.fd
[ -f "$OVMF" ] || skip "$OVMF not installed (Debian package ovmf)"
need_kvm

P=$TMP/psp
"$SEVM" psp init --psp "emulated:$P" >/dev/null || { fail "psp init"; finish; }
"$SEVM" psp export --psp "emulated:$P" --out "$TMP/chain" >/dev/null
"$OWNER" session --pdh "$TMP/chain/pdh.cert" --policy 0x33 --out "$TMP/o" \
	>/dev/null || fail "owner session"

"$SEVM" --sev --psp "emulated:$P" --firmware "$OVMF" --memory 128M \
	--serial none --paused --sev-dh-cert "$TMP/o/vm_godh.bin" \
	--sev-session "$TMP/o/vm_session.bin" --launch-report "$TMP/r.json" \
	>"$TMP/paused.out" 2>"$TMP/paused.err" &
pid=$!
for _ in $(seq 1 200); do
	[ -s "$TMP/r.json" ] && break
	kill -0 $pid 2>/dev/null || break
	sleep 0.1
done
kill -TERM $pid 2>/dev/null
wait $pid
rc=$?
[ $rc -eq 0 ] && ok "paused OVMF launch measured, SIGTERM exits 0" ||
	{ fail "paused OVMF launch: exit $rc"; tail -3 "$TMP/paused.err"; }

read -r m bytes maj min build < <(/usr/bin/python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
print(r["measurement"], r["measured-bytes"], r["api-major"], r["api-minor"], r["build-id"])
' "$TMP/r.json" 2>/dev/null)
[ "$bytes" = "$(stat -c %s "$OVMF")" ] && ok "the whole OVMF image is measured ($bytes bytes)" ||
	fail "measured bytes $bytes, OVMF is $(stat -c %s "$OVMF")"
expect_exit 0 "sevm-owner agrees with the OVMF measurement" -- \
	"$OWNER" measure --firmware "$OVMF" --policy 0x33 --api-major "$maj" \
	--api-minor "$min" --build "$build" --tik "$TMP/o/vm_tik.bin" --verify "$m"

# A tiny bzImage (it never runs here).
make_bzimage "$TMP/bz" 0x020f <<<'	hlt' || fail "cannot assemble a bzImage"
expect_exit 2 "a measured kernel needs a hashes area OVMF_CODE_4M.fd lacks" -- \
	"$SEVM" --sev --psp "emulated:$P" --firmware "$OVMF" --kernel "$TMP/bz" \
	--memory 128M --serial none
grep -q "OVMF_CODE_4M.fd" "$TMP/err" || fail "the error does not name the firmware"
finish
