#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# `sevm caps`, the host report an orchestrator reads:
#  1. the kernel PSP: the JSON parses; without /dev/sev SEV is "not
#     supported" with a reason and exit 0, and --format xml is exactly
#     libvirt's <sev supported='no'/>; QMP query-sev-capabilities of a
#     plain VM gives QEMU's "SEV is not enabled in KVM";
#  2. the emulated PSP: supported, its PDH and chain are the exported
#     certificates, slots follow `psp init --max-guests`, the XML is
#     exactly libvirt's element with these values;
#  3. a paused SEV guest: guests-in-use counts it, and QMP
#     query-sev-capabilities gives the very same members;
#  4. exit codes: 2 bad usage, 3 when the question cannot be answered.
source "$(dirname "$0")/lib.sh"
[ -x "$SEVM" ] || skip "sevm not built"
PY=/usr/bin/python3
[ -x "$PY" ] || skip "no $PY"
HERE=$(cd "$(dirname "$0")" && pwd)
CLIENT=$HERE/qmp-client.py
PSP=$TMP/psp
EMUL=emulated:$PSP
N='{"execute":"qmp_capabilities"}'
QCAPS='{"execute":"query-sev-capabilities"}'

VMPID=
cleanup() {
	[ -n "$VMPID" ] && kill -9 "$VMPID" 2>/dev/null
	wait 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT

jget() {	# FILE EXPR: Python EXPR over the JSON document j in FILE
	"$PY" -c 'import json, sys; j = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}
check() {	# DESCRIPTION FILE EXPR: EXPR is True
	if [ "$(jget "$2" "$3" 2>&1)" = True ]; then ok "$1"
	else fail "$1: not $3"; head -c 600 "$2" | sed 's/^/    /'; fi
}
# start_vm NAME ARGS...: sevm with QMP on $TMP/NAME.sock, wait for it
start_vm() {
	local n=$1 t=0
	shift
	"$SEVM" --qmp "$TMP/$n.sock" --memory 64M "$@" >"$TMP/$n.out" \
		2>"$TMP/$n.err" &
	VMPID=$!
	while [ ! -S "$TMP/$n.sock" ] && kill -0 $VMPID 2>/dev/null &&
		[ $t -lt 600 ]; do sleep 0.1; t=$((t + 1)); done
	[ -S "$TMP/$n.sock" ] || fail "$n: no QMP socket: $(tail -1 "$TMP/$n.err")"
}
stop_vm() {
	timeout 30 "$PY" "$CLIENT" "$TMP/$1.sock" greeting "cmd:$N" \
		'cmd:{"execute":"quit"}' eof >/dev/null 2>&1
	wait $VMPID
	VMPID=
}

# ==== 1. the kernel PSP
expect_exit 0 "1 caps (kernel PSP)" -- "$SEVM" caps
cp "$TMP/out" "$TMP/k.json"
check "1 JSON: kvm and sev sections" "$TMP/k.json" \
	'"present" in j["kvm"] and j["sev"]["psp"] == "kernel"'
[ -s "$TMP/err" ] && fail "1 caps wrote to stderr: $(head -1 "$TMP/err")"
if [ -c /dev/kvm ]; then
	check "1 KVM usable, API 12, irqfd" "$TMP/k.json" \
		'j["kvm"]["usable"] and j["kvm"]["api-version"] == 12 and j["kvm"]["capabilities"]["irqfd"] >= 1 and "default" in j["kvm"]["vm-types"]'
fi
if [ ! -e /dev/sev ]; then
	check "1 no /dev/sev: not supported, with the reason" "$TMP/k.json" \
		'j["sev"]["supported"] is False and "/dev/sev" in j["sev"]["reason"]'
	expect_exit 0 "1 caps --format xml (kernel PSP)" -- \
		"$SEVM" caps --psp kernel --format xml
	[ "$(cat "$TMP/out")" = "<sev supported='no'/>" ] &&
		ok "1 xml: <sev supported='no'/>" ||
		fail "1 xml: '$(cat "$TMP/out")'"
	if [ -c /dev/kvm ]; then
		start_vm plain --paused
		timeout 30 "$PY" "$CLIENT" "$TMP/plain.sock" greeting \
			"cmd:$N" "cmd:$QCAPS" >"$TMP/qmp" 2>/dev/null
		grep -qx '{"error":{"class":"GenericError","desc":"SEV is not enabled in KVM"}}' \
			"$TMP/qmp" && ok "1 QMP agrees: SEV is not enabled in KVM" ||
			fail "1 QMP: $(tail -1 "$TMP/qmp")"
		stop_vm plain
	fi
fi

# ==== 2. the emulated PSP
expect_exit 0 "psp init" -- timeout 120 "$SEVM" psp init --psp "$EMUL" \
	--max-guests 4
expect_exit 0 "psp export" -- "$SEVM" psp export --psp "$EMUL" \
	--out "$TMP/chain"
expect_exit 0 "2 caps --psp emulated:DIR" -- "$SEVM" caps --psp "$EMUL"
cp "$TMP/out" "$TMP/e.json"
check "2 supported, SEV-ES, 4 slots, none in use" "$TMP/e.json" \
	'j["sev"]["supported"] and j["sev"]["psp"] == "emulated" and j["sev"]["es-supported"] and j["sev"]["max-guests"] == 4 and j["sev"]["max-es-guests"] == 4 and j["sev"]["guests-in-use"] == 0'
check "2 C-bit 51, reduced-phys-bits 1" "$TMP/e.json" \
	'j["sev"]["cbitpos"] == 51 and j["sev"]["reduced-phys-bits"] == 1'
"$SEVM" psp status --psp "$EMUL" >"$TMP/status.json"
API=$(jget "$TMP/status.json" '"%d.%d %d" % (j["api-major"], j["api-minor"], j["build-id"])')
[ "$(jget "$TMP/e.json" '"%s %d" % (j["sev"]["api-version"], j["sev"]["build-id"])')" = "$API" ] &&
	ok "2 api version and build as psp status ($API)" ||
	fail "2 api version/build, wanted $API"
check "2 pdh is the exported pdh.cert" "$TMP/e.json" \
	'__import__("base64").b64decode(j["sev"]["pdh"]) == open("'"$TMP"'/chain/pdh.cert", "rb").read()'
check "2 cert-chain is PEK || OCA || CEK" "$TMP/e.json" \
	'__import__("base64").b64decode(j["sev"]["cert-chain"]) == b"".join(open("'"$TMP"'/chain/%s.cert" % n, "rb").read() for n in ("pek", "oca", "cek"))'
check "2 cpu0-id: 64 bytes" "$TMP/e.json" \
	'len(__import__("base64").b64decode(j["sev"]["cpu0-id"])) == 64'
expect_exit 0 "2 caps --format xml" -- "$SEVM" caps --psp "$EMUL" \
	--format xml
jget "$TMP/e.json" '"<sev supported='"'"'yes'"'"'>\n  <cbitpos>%d</cbitpos>\n  <reducedPhysBits>%d</reducedPhysBits>\n  <maxGuests>%d</maxGuests>\n  <maxESGuests>%d</maxESGuests>\n  <cpu0Id>%s</cpu0Id>\n</sev>" % tuple(j["sev"][k] for k in ("cbitpos", "reduced-phys-bits", "max-guests", "max-es-guests", "cpu0-id"))' >"$TMP/want.xml"
cmp -s "$TMP/out" "$TMP/want.xml" && ok "2 xml is exactly libvirt's element" ||
	{ fail "2 xml differs"; diff "$TMP/want.xml" "$TMP/out" | head -5; }

# ==== 3. a paused SEV guest: counted, and QMP says the same
if [ -c /dev/kvm ] && [ -w /dev/kvm ]; then
	start_vm sev --sev --psp "$EMUL" --paused
	"$SEVM" caps --psp "$EMUL" >"$TMP/busy.json"
	check "3 guests-in-use counts the paused guest" "$TMP/busy.json" \
		'j["sev"]["guests-in-use"] == 1'
	timeout 30 "$PY" "$CLIENT" "$TMP/sev.sock" greeting "cmd:$N" \
		"cmd:$QCAPS" >"$TMP/qmp" 2>/dev/null
	grep '"return"' "$TMP/qmp" | tail -1 >"$TMP/q.json"
	check "3 QMP query-sev-capabilities = caps, member by member" \
		"$TMP/q.json" \
		'sorted(j["return"]) == ["cbitpos", "cert-chain", "cpu0-id", "pdh", "reduced-phys-bits"] and all(v == json.load(open("'"$TMP"'/e.json"))["sev"][k] for k, v in j["return"].items())'
	stop_vm sev
	"$SEVM" caps --psp "$EMUL" >"$TMP/free.json"
	check "3 the slot is free again" "$TMP/free.json" \
		'j["sev"]["guests-in-use"] == 0'
else
	echo "SKIP: part 3: no usable /dev/kvm"
fi

# ==== 4. exit codes
expect_exit 3 "4 an emulated DIR that is no platform: cannot answer" -- \
	"$SEVM" caps --psp "emulated:$TMP/none"
[ "$(wc -l <"$TMP/err")" -eq 1 ] && ok "4 one error line" ||
	fail "4 stderr: $(cat "$TMP/err")"
[ -s "$TMP/out" ] && fail "4 a report on stdout despite exit 3"
expect_exit 2 "4 --format yaml" -- "$SEVM" caps --format yaml
expect_exit 2 "4 --psp bogus" -- "$SEVM" caps --psp bogus
expect_exit 2 "4 unknown option" -- "$SEVM" caps --nope
expect_exit 2 "4 extra argument" -- "$SEVM" caps json
expect_exit 0 "4 --help" -- "$SEVM" caps --help
grep -q "Exit codes" "$TMP/out" && ok "4 help names the exit codes" ||
	fail "4 help text"
finish
