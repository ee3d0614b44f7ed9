#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Attestation of a running SEV guest with the emulated PSP, as a guest
# owner does it: psp init/export -> a launch paused before LAUNCH_FINISH
# (LSECRET) -> QMP query-sev-attestation-report with a fresh mnonce (and
# QEMU's errors for bad ones) -> sevm-owner verify-report against the
# exported chain (exit 0; with the launch digest that `measure --digest`
# computes from the firmware, too) -> tampered report, other mnonce,
# other digest: exit 5. Then a running guest (after LAUNCH_FINISH) is
# attested the same way.
source "$(dirname "$0")/lib.sh"
[ -x "$SEVM" ] || skip "sevm not built"
[ -x "$OWNER" ] || skip "sevm-owner not built"
[ -f "$FW" ] || skip "firmware not built"
need_kvm
PY=/usr/bin/python3
[ -x "$PY" ] || skip "no $PY"
"$SEVM" --help 2>&1 | grep -q -- '--psp' || skip "sevm built without SEV"
CLIENT=$(cd "$(dirname "$0")" && pwd)/qmp-client.py
PSP=$TMP/psp
EMUL=emulated:$PSP
N='{"execute":"qmp_capabilities"}'
pid=

cleanup() {
	[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
	wait 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT

# The reset vector of a 64 KiB firmware: out 0x80, 1; jmp $
head -c $((65536 - 16)) /dev/zero >"$TMP/spin.bin"
printf '\xb0\x01\xe6\x80\xeb\xfe\x90\x90\x90\x90\x90\x90\x90\x90\x90\x90' \
	>>"$TMP/spin.bin"

start() {	# sevm args... (background, QMP on $TMP/q.sock)
	rm -f "$TMP/q.sock"
	"$SEVM" --qmp "$TMP/q.sock" "$@" >"$TMP/vm.out" 2>"$TMP/vm.err" &
	pid=$!
}
qmp() {		# ops... -> $TMP/qmp
	timeout 60 "$PY" "$CLIENT" "$TMP/q.sock" "$@" >"$TMP/qmp" \
		2>"$TMP/qmp.err" || echo "    note: $(tail -1 "$TMP/qmp.err")"
}
has() {		# DESCRIPTION REGEX
	if grep -qE -- "$2" "$TMP/qmp"; then ok "$1"
	else fail "$1: no /$2/"; sed 's/^/    qmp: /' "$TMP/qmp" | tail -8; fi
}
attest_cmd() {	# MNONCE-B64
	printf '{"execute":"query-sev-attestation-report","arguments":{"mnonce":"%s"}}' "$1"
}
# report FILE: the "data" of $TMP/qmp's report, base64 text into FILE
report() {
	"$PY" - "$TMP/qmp" >"$1" <<-'PYEOF'
	import json, sys
	for l in open(sys.argv[1]):
	    m = json.loads(l)
	    if isinstance(m.get("return"), dict) and "data" in m["return"]:
	        sys.stdout.write(m["return"]["data"])
	PYEOF
	[ -s "$1" ] || fail "no report data in the QMP reply"
}
verify() {	# CODE DESCRIPTION REPORT MNONCE [args]
	local code=$1 what=$2 rep=$3 nonce=$4
	shift 4
	expect_exit "$code" "$what" -- "$OWNER" verify-report --report "$rep" \
		--mnonce "$nonce" --chain "$TMP/chain" "$@"
}
stop_vm() {
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	pid=
}

expect_exit 0 "psp init" -- timeout 120 "$SEVM" psp init --psp "$EMUL"
expect_exit 0 "psp export" -- "$SEVM" psp export --psp "$EMUL" \
	--out "$TMP/chain"
LD=$("$OWNER" measure --firmware "$FW" --digest)
SPINLD=$("$OWNER" measure --firmware "$TMP/spin.bin" --digest)
NONCE=$(head -c 16 /dev/urandom | base64)
OTHER=$(head -c 16 /dev/urandom | base64)

echo "== 1. paused before LAUNCH_FINISH (LSECRET)"
start --sev --psp "$EMUL" --firmware "$FW" --memory 64M --paused
qmp greeting "cmd:$N" "cmd:$(attest_cmd "$NONCE")" \
	"cmd:$(attest_cmd AAECAw==)" "cmd:$(attest_cmd 'not base64!')" \
	'cmd:{"execute":"query-sev-attestation-report"}' \
	'cmd:{"execute":"query-sev"}'
has "1 report returned" '^\{"return":\{"data":"[A-Za-z0-9+/=]{280}"\}\}$'
has "1 short mnonce: QEMU's error" '"desc":"SEV: mnonce must be 16 bytes \(got 4\)"'
has "1 bad base64: QEMU's error" '"desc":"SEV: failed to decode mnonce input"'
has "1 missing mnonce" '"desc":"Parameter .mnonce. is missing"'
has "1 still launch-secret" '"state":"launch-secret"'
report "$TMP/r1.b64"
verify 0 "1 verify-report" "$TMP/r1.b64" "$NONCE"
verify 0 "1 verify-report with the launch digest" "$TMP/r1.b64" "$NONCE" \
	--measurement "$LD"
verify 5 "1 another mnonce" "$TMP/r1.b64" "$OTHER"
grep -q "mnonce check failed" "$TMP/err" || fail "1 no line naming the mnonce"
verify 5 "1 another launch digest" "$TMP/r1.b64" "$NONCE" \
	--measurement "$SPINLD"
grep -q "measurement check failed" "$TMP/err" ||
	fail "1 no line naming the measurement"
base64 -d "$TMP/r1.b64" >"$TMP/r1.bin"
cp "$TMP/r1.bin" "$TMP/bad.bin"
printf '\x01' | dd of="$TMP/bad.bin" bs=1 seek=48 conv=notrunc 2>/dev/null
verify 5 "1 tampered report (policy)" "$TMP/bad.bin" "$NONCE"
grep -q "signature check failed" "$TMP/err" ||
	fail "1 no line naming the signature"
head -c 200 "$TMP/r1.bin" >"$TMP/short.bin"
verify 2 "1 truncated report" "$TMP/short.bin" "$NONCE"
stop_vm

echo "== 2. a running guest (after LAUNCH_FINISH)"
start --sev --psp "$EMUL" --firmware "$TMP/spin.bin" --memory 16M
qmp greeting "cmd:$N" 'cmd:{"execute":"query-status"}' \
	"cmd:$(attest_cmd "$NONCE")" 'cmd:{"execute":"query-sev"}'
has "2 running" '"status":"running"'
has "2 state running" '"state":"running"'
report "$TMP/r2.b64"
verify 0 "2 verify-report of the running guest" "$TMP/r2.b64" "$NONCE" \
	--measurement "$SPINLD"
verify 5 "2 the other launch's digest" "$TMP/r2.b64" "$NONCE" \
	--measurement "$LD"
stop_vm
finish
