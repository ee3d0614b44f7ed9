#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The firmware embedded in sevm and sevm-owner (lib/fw-embed.h):
#  1. `sevm firmware` names it (size, SHA-256 of build/firmware/sevm-fw.bin,
#     sevm's version); --dump writes exactly that image, replaces a
#     regular file, writes through /dev/stdout, refuses a symlink;
#  2. without --firmware and --kernel sevm boots it (the self test);
#  3. an SEV launch without --firmware (emulated PSP) and
#     `sevm-owner measure --verify` without --firmware agree; the launch
#     report names the image "(embedded)" with its SHA-256 and version;
#  4. under SEV, --kernel alone boots the embedded firmware with measured
#     kernel hashes, and the owner's measurement without --firmware agrees.
source "$(dirname "$0")/lib.sh"
[ -x "$SEVM" ] || skip "sevm not built"
[ -x "$OWNER" ] || skip "sevm-owner not built"
[ -f "$FW" ] || skip "firmware not built"
PY=/usr/bin/python3
[ -x "$PY" ] || skip "no $PY"
HERE=$(cd "$(dirname "$0")" && pwd)
CLIENT=$HERE/qmp-client.py
PSP=$TMP/psp
EMUL=emulated:$PSP
N='{"execute":"qmp_capabilities"}'
QSEV='{"execute":"query-sev"}'
QMEAS='{"execute":"query-sev-launch-measure"}'
FWSHA=$(sha256sum "$FW" | cut -d' ' -f1)
VERSION=$(cat "$SEVM_TOP/VERSION")

VMPID=
cleanup() {
	[ -n "$VMPID" ] && kill -9 "$VMPID" 2>/dev/null
	wait 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT

# jget FILE EXPR: Python EXPR over the JSON document j in FILE
jget() {
	"$PY" -c 'import json, sys; j = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

# ==== 1. sevm firmware
expect_exit 0 "firmware: info" -- "$SEVM" firmware
cp "$TMP/out" "$TMP/info.json"
[ "$(jget "$TMP/info.json" 'j["path"]')" = "(embedded)" ] &&
	ok "firmware: path (embedded)" || fail "firmware: path"
[ "$(jget "$TMP/info.json" 'j["sha256"]')" = "$FWSHA" ] &&
	ok "firmware: sha256 of $FW" || fail "firmware: sha256"
[ "$(jget "$TMP/info.json" 'j["size"]')" = "$(stat -c %s "$FW")" ] &&
	ok "firmware: size" || fail "firmware: size"
[ "$(jget "$TMP/info.json" 'j["sevm-version"]')" = "$VERSION" ] &&
	ok "firmware: sevm-version $VERSION" || fail "firmware: version"
expect_exit 0 "firmware --dump FILE" -- "$SEVM" firmware --dump "$TMP/d.bin"
cmp -s "$TMP/d.bin" "$FW" && ok "dump is the image" || fail "dump differs"
[ "$(stat -c %a "$TMP/d.bin")" = 644 ] && ok "dump mode 0644" ||
	fail "dump mode $(stat -c %a "$TMP/d.bin")"
echo old >"$TMP/d2.bin"
expect_exit 0 "firmware --dump=FILE over a regular file" -- \
	"$SEVM" firmware --dump="$TMP/d2.bin"
cmp -s "$TMP/d2.bin" "$FW" && ok "regular file replaced" ||
	fail "regular file not replaced"
# a pipe: /dev/stdout is a FIFO, written through
"$SEVM" firmware --dump /dev/stdout 2>"$TMP/err" | cat >"$TMP/d3.bin"
cmp -s "$TMP/d3.bin" "$FW" && ok "dump through /dev/stdout (a pipe)" ||
	fail "dump through /dev/stdout: $(cat "$TMP/err")"
echo victim >"$TMP/victim"
ln -s "$TMP/victim" "$TMP/link"
expect_exit 2 "firmware --dump onto a symlink is refused" -- \
	"$SEVM" firmware --dump "$TMP/link"
[ "$(cat "$TMP/victim")" = victim ] && [ -L "$TMP/link" ] &&
	ok "symlink and its target untouched" || fail "symlink target written"
grep -q "refused" "$TMP/err" && ok "refusal named" || fail "no refusal line"
expect_exit 2 "firmware --dump without FILE" -- "$SEVM" firmware --dump
expect_exit 2 "firmware: unknown argument" -- "$SEVM" firmware --dunp x
expect_exit 2 "firmware --dump into a missing directory" -- \
	"$SEVM" firmware --dump "$TMP/nodir/x.bin"
expect_exit 0 "firmware --help" -- "$SEVM" firmware --help

[ -c /dev/kvm ] && [ -r /dev/kvm ] && [ -w /dev/kvm ] || {
	echo "SKIP: parts 2-4: no usable /dev/kvm"; finish; }

# ==== 2. no --firmware, no --kernel: the embedded self test
timeout 120 "$SEVM" --memory 64M >"$TMP/boot.out" 2>"$TMP/boot.err"
rc=$?
[ $rc -eq 0 ] && ok "boots without --firmware/--kernel (exit 0)" ||
	fail "embedded boot: exit $rc: $(tail -2 "$TMP/boot.err")"
grep -q "selftest: ok" "$TMP/boot.out" && ok "embedded self test ran" ||
	fail "no 'selftest: ok'"

# ==== 3. SEV without --firmware, and the owner without --firmware
expect_exit 0 "psp init" -- timeout 120 "$SEVM" psp init --psp "$EMUL"
expect_exit 0 "psp export" -- "$SEVM" psp export --psp "$EMUL" \
	--out "$TMP/chain"
"$OWNER" session --pdh "$TMP/chain/pdh.cert" --policy 0x33 \
	--out "$TMP/s" >/dev/null 2>"$TMP/err" || fail "session: $(cat "$TMP/err")"

# launch NAME ARGS...: a paused SEV launch; its measurement -> MEAS, the
# platform's api-major api-minor build -> API; then quit
launch() {
	local n=$1 t=0
	shift
	rm -f "$TMP/$n.sock"
	"$SEVM" --sev --psp "$EMUL" --memory 128M --paused --qmp "$TMP/$n.sock" \
		--sev-dh-cert "$TMP/s/vm_godh.b64" \
		--sev-session "$TMP/s/vm_session.b64" \
		--launch-report "$TMP/$n.json" "$@" \
		>"$TMP/$n.out" 2>"$TMP/$n.err" &
	VMPID=$!
	while [ ! -S "$TMP/$n.sock" ] && kill -0 $VMPID 2>/dev/null &&
		[ $t -lt 600 ]; do sleep 0.1; t=$((t + 1)); done
	timeout 60 "$PY" "$CLIENT" "$TMP/$n.sock" greeting "cmd:$N" \
		"cmd:$QSEV" "cmd:$QMEAS" 'cmd:{"execute":"quit"}' eof \
		>"$TMP/$n.qmp" 2>/dev/null
	wait $VMPID
	VMPID=
	MEAS=$(grep -o '"data":"[^"]*"' "$TMP/$n.qmp" | cut -d'"' -f4)
	read -ra API <<<"$(grep -o '"api-major":[0-9]*,"api-minor":[0-9]*,"build-id":[0-9]*' \
		"$TMP/$n.qmp" | tr -dc '0-9,' | tr ',' ' ')"
	[ -n "$MEAS" ] && [ ${#API[@]} -eq 3 ] ||
		fail "$n: no measurement: $(tail -2 "$TMP/$n.err")"
}
owner_measure() {	# ARGS...: the owner's check of MEAS
	"$OWNER" measure --policy 0x33 --api-major "${API[0]}" \
		--api-minor "${API[1]}" --build "${API[2]}" \
		--tik "$TMP/s/vm_tik.bin" --verify "$MEAS" "$@"
}

launch e
expect_exit 0 "3 owner: measure --verify without --firmware" -- \
	owner_measure --kernel-hashes off
grep -qx "measurement ok" "$TMP/out" || fail "3 no 'measurement ok'"
expect_exit 0 "3 owner: the same with --firmware build/firmware/sevm-fw.bin" \
	-- owner_measure --firmware "$FW" --kernel-hashes off
head -c 49152 /dev/zero >"$TMP/zero.bin"
expect_exit 5 "3 owner: another firmware does not verify" -- \
	owner_measure --firmware "$TMP/zero.bin" --kernel-hashes off
[ "$(jget "$TMP/e.json" 'j["firmware"]["path"]')" = "(embedded)" ] &&
	ok "3 report: firmware path (embedded)" || fail "3 report: path"
[ "$(jget "$TMP/e.json" 'j["firmware"]["sha256"]')" = "$FWSHA" ] &&
	ok "3 report: firmware sha256" || fail "3 report: sha256"
[ "$(jget "$TMP/e.json" 'j["firmware"]["sevm-version"]')" = "$VERSION" ] &&
	ok "3 report: sevm-version" || fail "3 report: sevm-version"
[ "$(jget "$TMP/e.json" 'j["kernel-hashes"]')" = False ] &&
	ok "3 report: no kernel hashes" || fail "3 report: kernel-hashes"
D1=$("$OWNER" measure --digest --kernel-hashes off)
D2=$("$OWNER" measure --digest --firmware "$FW" --kernel-hashes off)
[ -n "$D1" ] && [ "$D1" = "$D2" ] && ok "3 owner: --digest embedded = file" ||
	fail "3 owner: digests '$D1' '$D2'"

# ==== 4. SEV with --kernel alone: embedded firmware + kernel hashes
make_bzimage "$TMP/bz.bin" 0x020f <<-'ASM'
	mov $0x3f8, %dx
	mov $'K', %al
	out %al, %dx
	mov $0, %al
	out %al, $0xf4
	hlt
ASM
printf 'initrd-%s' $$ >"$TMP/initrd"
launch k --kernel "$TMP/bz.bin" --initrd "$TMP/initrd" --cmdline "quiet x=1"
expect_exit 0 "4 owner: measure --kernel without --firmware" -- \
	owner_measure --kernel "$TMP/bz.bin" --initrd "$TMP/initrd" \
	--cmdline "quiet x=1"
[ "$(jget "$TMP/k.json" 'j["kernel-hashes"]')" = True ] &&
	ok "4 report: kernel hashes measured" || fail "4 report: kernel-hashes"
expect_exit 5 "4 owner: another command line does not verify" -- \
	owner_measure --kernel "$TMP/bz.bin" --initrd "$TMP/initrd" \
	--cmdline "quiet x=2"
finish
