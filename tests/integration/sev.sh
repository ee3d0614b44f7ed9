#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The SEV launch end to end with the emulated PSP, driven the way an
# orchestrator (QMP, exit codes, the launch report) and a guest owner
# (sevm-owner) drive it:
#  1. psp init/export -> verify-chain -> session -> paused launch -> QMP
#     query-sev/-launch-measure -> measure --verify -> secret -> inject ->
#     cont -> the firmware sees the secret -> exit 0; the launch report;
#  2. measured direct boot of a tiny bzImage + initrd + cmdline (kernel
#     hashes): the owner's measurement agrees; a modified kernel, initrd or
#     cmdline given to sevm does not match it; blobs changed after the
#     measurement are refused by the firmware (exit 80/81/82);
#  3. refusals: a wrong secret MAC, guest slot exhaustion, RLIMIT_MEMLOCK,
#     SIGKILL/SIGTERM during the launch, QMP abuse, no /dev/sev, tampered
#     sessions and policy; QMP after LAUNCH_FINISH;
#  4. SEV-ES with 2 vCPUs against VMSA pages rebuilt by sev-vmsa.py.
# One emulated platform (RSA-4096 keys: seconds) is made and reused; its
# guest limit is changed with `sevm psp init --max-guests N`.
source "$(dirname "$0")/lib.sh"
[ -x "$SEVM" ] || skip "sevm not built"
[ -x "$OWNER" ] || skip "sevm-owner not built"
[ -f "$FW" ] || skip "firmware not built"
need_kvm
PY=/usr/bin/python3
[ -x "$PY" ] || skip "no $PY"
HERE=$(cd "$(dirname "$0")" && pwd)
CLIENT=$HERE/qmp-client.py
PSP=$TMP/psp
EMUL=emulated:$PSP
N='{"execute":"qmp_capabilities"}'
STATUS='{"execute":"query-status"}'
QSEV='{"execute":"query-sev"}'
QMEAS='{"execute":"query-sev-launch-measure"}'
GUID=2bd1c5b4-0b61-4c0d-8de3-4ee0a0c8bb09

declare -A PID
cleanup() {
	local p
	for p in "${PID[@]}"; do kill -9 "$p" 2>/dev/null; done
	wait 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT

# ---- helpers
# start NAME ARGS...: sevm in the background, QMP on $TMP/NAME.sock,
# stdout/stderr in $TMP/NAME.out/.err
start() {
	local n=$1
	shift
	rm -f "$TMP/$n.sock"
	"$SEVM" --qmp "$TMP/$n.sock" "$@" >"$TMP/$n.out" 2>"$TMP/$n.err" &
	PID[$n]=$!
}
# qmp NAME OPS...: qmp-client.py on NAME's socket -> $TMP/qmp
qmp() {
	local n=$1
	shift
	timeout 150 "$PY" "$CLIENT" "$TMP/$n.sock" "$@" >"$TMP/qmp" \
		2>"$TMP/qmp.err" ||
		echo "    note: qmp-client: $(tail -1 "$TMP/qmp.err")"
}
has() {		# DESCRIPTION REGEX: a line of $TMP/qmp matches REGEX
	if grep -qE -- "$2" "$TMP/qmp"; then ok "$1"
	else fail "$1: no /$2/"; sed 's/^/    qmp: /' "$TMP/qmp" | tail -8; fi
}
hasnt() {	# DESCRIPTION REGEX
	if grep -qE -- "$2" "$TMP/qmp"; then
		fail "$1: /$2/ present"; sed 's/^/    qmp: /' "$TMP/qmp" | tail -8
	else ok "$1"; fi
}
# qv EXPR: Python EXPR over $TMP/qmp: m (messages), r (returns), e (errors)
qv() {
	"$PY" - "$TMP/qmp" "$1" <<-'EOF'
	import json, sys
	m = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
	r = [x["return"] for x in m if "return" in x]
	e = [x["error"] for x in m if "error" in x]
	print(eval(sys.argv[2]))
	EOF
}
# ends NAME CODE DESCRIPTION: NAME exits with CODE within 60 s
ends() {
	local n=$1 t=0 rc p=${PID[$1]}
	while kill -0 "$p" 2>/dev/null && [ $t -lt 600 ]; do
		sleep 0.1
		t=$((t + 1))
	done
	if kill -0 "$p" 2>/dev/null; then
		kill -9 "$p"
		wait "$p"
		fail "$3: still running after 60 s"
		return 1
	fi
	wait "$p"
	rc=$?
	unset "PID[$n]"
	if [ "$rc" -eq "$2" ]; then
		ok "$3 (exit $rc)"
	else
		fail "$3: exit $rc, wanted $2"
		sed 's/^/    stderr: /' "$TMP/$n.err" | tail -5
		return 1
	fi
	[ -e "$TMP/$n.sock" ] && fail "$3: socket left behind"
	return 0
}
# sock_or_exit NAME...: wait (30 s at most) until each has its QMP socket
# (it is opened after LAUNCH_MEASURE) or has exited
sock_or_exit() {
	local t=0 n all
	while [ $t -lt 300 ]; do
		all=1
		for n in "$@"; do
			[ -S "$TMP/$n.sock" ] || ! kill -0 "${PID[$n]}" \
				2>/dev/null || all=0
		done
		[ $all = 1 ] && return 0
		sleep 0.1
		t=$((t + 1))
	done
	return 1
}
# guests: the emulated platform's guest count
guests() {
	"$SEVM" psp status --psp "$EMUL" 2>/dev/null | "$PY" -c \
		'import json, sys; print(json.load(sys.stdin)["guest-count"])'
}
expect_guests() {	# COUNT DESCRIPTION
	local g
	g=$(guests)
	if [ "$g" = "$1" ]; then ok "$2 (guest-count $g)"
	else fail "$2: guest-count '$g', wanted $1"; fi
}
# session NAME POLICY: a fresh owner session in $TMP/s-NAME/vm_*
session() {
	"$OWNER" session --pdh "$TMP/chain/pdh.cert" --policy "$2" \
		--out "$TMP/s-$1" >/dev/null 2>"$TMP/session.err" ||
		fail "session $1: $(cat "$TMP/session.err")"
}
sev_args() {	# NAME: the owner's files for sevm -> SA (array)
	SA=(--sev-dh-cert "$TMP/s-$1/vm_godh.b64"
		--sev-session "$TMP/s-$1/vm_session.b64")
}
# measured N: $TMP/qmp's measurement (query-sev-launch-measure)
measured() { qv '[x["data"] for x in r if isinstance(x, dict) and "data" in x][0]'; }
# secret NAME MEAS FILE [GUID]: packet for NAME's session -> $TMP/hdr.b64,
# $TMP/sec.b64
secret() {
	"$OWNER" secret --measurement "$2" --tek "$TMP/s-$1/vm_tek.bin" \
		--tik "$TMP/s-$1/vm_tik.bin" --secret "${4:-$GUID}:$3" \
		--out-header "$TMP/hdr.b64" --out-secret "$TMP/sec.b64" \
		--base64 2>"$TMP/secret.err" ||
		fail "secret $1: $(cat "$TMP/secret.err")"
}
inject_cmd() {	# [GPA]: the sev-inject-launch-secret command for hdr/sec
	printf '{"execute":"sev-inject-launch-secret","arguments":{"packet-header":"%s","secret":"%s"%s}}' \
		"$(cat "$TMP/hdr.b64")" "$(cat "$TMP/sec.b64")" \
		"${1:+,\"gpa\":$1}"
}
# one_err FILE REGEX DESCRIPTION: FILE (stderr) is exactly one line, an
# error matching REGEX
one_err() {
	if [ "$(wc -l <"$1")" -eq 1 ] && grep -qE -- "^sevm(-owner)?: error: .*$2" "$1"
	then ok "$3"
	else fail "$3: stderr is not one error line /$2/"
		sed 's/^/    stderr: /' "$1" | tail -5; fi
}

# ---- the platform, its certificates, the owner's check
expect_exit 0 "psp init" -- timeout 120 "$SEVM" psp init --psp "$EMUL"
[ -f "$PSP/platform.json" ] || { fail "psp init made no platform"; finish; }
expect_exit 0 "psp export" -- "$SEVM" psp export --psp "$EMUL" \
	--out "$TMP/chain"
expect_exit 0 "verify-chain of the exported chain" -- \
	"$OWNER" verify-chain "$TMP/chain"
[ "$(grep -c ' ok$' "$TMP/out")" -eq 7 ] || fail "verify-chain: not 7 links ok"
expect_guests 0 "fresh platform"
FWSIZE=$(stat -c %s "$FW")
FWSHA=$(sha256sum "$FW" | cut -d' ' -f1)
printf 'owner-secret-%s' "$$" >"$TMP/secret.txt"
SLEN=$(stat -c %s "$TMP/secret.txt")

# ==== 1. the whole launch, as an orchestrator and a guest owner do it
echo "== 1. positive end to end"
session a 0x33
expect_exit 0 "owner session files" -- test -s "$TMP/s-a/vm_godh.b64" -a \
	-s "$TMP/s-a/vm_session.b64" -a -s "$TMP/s-a/vm_tik.bin"
sev_args a
start a --sev --psp "$EMUL" --firmware "$FW" --memory 64M --paused \
	"${SA[@]}" --launch-report "$TMP/report.json"
qmp a greeting "cmd:$N" "cmd:$STATUS" "cmd:$QSEV" "cmd:$QMEAS"
has "1 prelaunch" '^\{"return":\{"running":false,"singlestep":false,"status":"prelaunch"\}\}$'
has "1 query-sev" '^\{"return":\{"enabled":true,"api-major":[0-9]+,"api-minor":[0-9]+,"build-id":[0-9]+,"policy":51,"state":"launch-secret","handle":[1-9][0-9]*,"sev-type":"sev"\}\}$'
MEAS=$(measured)
read -ra API <<<"$(qv '" ".join(str(x[k]) for x in r if isinstance(x, dict) and "api-major" in x for k in ("api-major", "api-minor", "build-id"))')"
[ "${#API[@]}" -eq 3 ] && ok "1 api/build ${API[*]}" || fail "1 api/build: '${API[*]}'"
expect_guests 1 "1 the paused launch holds a slot"
grep -q selftest "$TMP/a.out" && fail "1 the guest ran before cont"
expect_exit 0 "1 owner: measure --verify" -- "$OWNER" measure --firmware "$FW" \
	--kernel-hashes off --policy 0x33 --api-major "${API[0]}" \
	--api-minor "${API[1]}" --build "${API[2]}" \
	--tik "$TMP/s-a/vm_tik.bin" --verify "$MEAS"
grep -qx "measurement ok" "$TMP/out" || fail "1 no 'measurement ok'"
# another session's TIK, or another policy: not this launch
session other 0x33
expect_exit 5 "1 owner: another session's TIK does not verify" -- \
	"$OWNER" measure --firmware "$FW" --kernel-hashes off --policy 0x33 \
	--api-major "${API[0]}" --api-minor "${API[1]}" --build "${API[2]}" \
	--tik "$TMP/s-other/vm_tik.bin" --verify "$MEAS"
expect_exit 5 "1 owner: another policy does not verify" -- \
	"$OWNER" measure --firmware "$FW" --kernel-hashes off --policy 0x37 \
	--api-major "${API[0]}" --api-minor "${API[1]}" --build "${API[2]}" \
	--tik "$TMP/s-a/vm_tik.bin" --verify "$MEAS"
one_err "$TMP/err" "." "1 owner: one line for the mismatch"
secret a "$MEAS" "$TMP/secret.txt"
qmp a greeting "cmd:$N" "cmd:$(inject_cmd)" "cmd:$QSEV" \
	'cmd:{"execute":"cont","id":"go"}' wait:SHUTDOWN eof
has "1 secret injected" '^\{"return":\{\}\}$'
has "1 still launch-secret after the secret" '"state":"launch-secret"'
has "1 RESUME" '^\{"event":"RESUME","data":\{\},"timestamp":\{"seconds":[0-9]+,"microseconds":[0-9]+\}\}$'
has "1 cont answers {}" '^\{"return":\{\},"id":"go"\}$'
has "1 SHUTDOWN guest-shutdown" '^\{"event":"SHUTDOWN","data":\{"guest":true,"reason":"guest-shutdown"\}'
ends a 0 "1 sevm after the self test"
grep -qx "secret: $GUID len $SLEN" "$TMP/a.out" &&
	ok "1 the firmware sees the secret ($GUID len $SLEN)" ||
	fail "1 no 'secret: $GUID len $SLEN' in: $(grep secret "$TMP/a.out")"
grep -qx "selftest: ok" "$TMP/a.out" && ok "1 selftest: ok" ||
	fail "1 no 'selftest: ok'"
grep -q "owner-secret" "$TMP/a.out" "$TMP/a.err" &&
	fail "1 the secret's contents were printed"
expect_guests 0 "1 slot free after exit"
# the launch report: the first stdout line (--paused) and the file
"$PY" - "$TMP/report.json" "$TMP/a.out" "$MEAS" "$FWSHA" "$FWSIZE" \
	"$FW" "${API[@]}" >"$TMP/rep" 2>&1 <<-'EOF'
	import json, sys
	path, out, meas, sha, size, fw, amaj, amin, build = sys.argv[1:]
	rep = json.load(open(path))
	first = json.loads(open(out).readline())
	bad = []
	def want(what, ok):
	    if not ok:
	        bad.append(what)
	want("measurement", rep["measurement"] == meas == first["measurement"])
	want("api/build", [rep["api-major"], rep["api-minor"], rep["build-id"]]
	     == [int(amaj), int(amin), int(build)])
	want("policy", rep["policy"] == 51 and rep["sev-es"] is False)
	want("firmware sha256", rep["firmware"]["sha256"] == sha)
	want("firmware path", rep["firmware"]["path"] == fw)
	want("measured-bytes", rep["measured-bytes"] == int(size))
	want("kernel-hashes", rep["kernel-hashes"] is False)
	want("handle/asid", rep["handle"] >= 1 and rep["asid"] >= 1)
	want("exit-code", rep.get("exit-code") == 0)
	want("boot-trace", "boot-trace" in rep)
	steps = [s["step"] for s in rep["timeline"]]
	want("timeline " + " ".join(steps), steps == [
	    "platform-checks", "launch-start", "pin-memory", "update-fw",
	    "launch-measure", "launch-secret", "launch-finish"])
	ts = [(s["start-us"], s["end-us"]) for s in rep["timeline"]]
	want("timeline order", all(a <= b for a, b in ts) and
	     all(ts[i][1] <= ts[i + 1][0] for i in range(len(ts) - 1)))
	# what stdout had at the pause: everything up to the measurement
	want("stdout line", [s["step"] for s in first["timeline"]] ==
	     steps[:5] and "exit-code" not in first)
	print("bad: " + ", ".join(bad) if bad else "report ok")
	EOF
grep -qx "report ok" "$TMP/rep" && ok "1 launch report (measurement, sha256, $FWSIZE bytes, timeline)" ||
	fail "1 launch report: $(cat "$TMP/rep")"

# ==== 2. measured direct boot: kernel, initrd, cmdline
echo "== 2. measured direct boot"
# A tiny bzImage (as firmware.sh's): its 64-bit entry prints the command
# line and the initrd's first line, then test-exits 42 (43 if the
# selectors or the loader type are wrong).
if ! make_bzimage "$TMP/bz.bin" 0x020f 2>"$TMP/as.err" <<-'ASM'
	movw $0x3f8, %dx
	movl 0x228(%rsi), %ebx		/* cmd_line_ptr */
1:	movzbl (%rbx), %eax
	testb %al, %al
	jz 2f
	outb %al, %dx
	incq %rbx
	jmp 1b
2:	movb $10, %al
	outb %al, %dx
	movl 0x218(%rsi), %ebx		/* ramdisk_image */
	movl 0x21c(%rsi), %ecx		/* ramdisk_size */
3:	testl %ecx, %ecx
	jz 4f
	movzbl (%rbx), %eax
	outb %al, %dx
	cmpb $10, %al
	je 4f
	incq %rbx
	decl %ecx
	jmp 3b
4:	movb $43, %al
	movl %cs, %ecx
	cmpl $0x10, %ecx
	jne 5f
	movl %ss, %ecx
	cmpl $0x18, %ecx
	jne 5f
	cmpb $0xff, 0x210(%rsi)		/* type_of_loader */
	jne 5f
	movb $42, %al
5:	outb %al, $0xf4
	hlt
ASM
then
	fail "2 cannot assemble the tiny bzImage: $(head -3 "$TMP/as.err")"
	finish
fi
{ printf 'initrd-ok-%s\n' "$$"; head -c 3000 /dev/urandom; } >"$TMP/initrd"
CMDLINE="console=ttyS0 sev-measured-direct-boot-$$"
# flip FILE OFFSET: a copy with one byte XORed with 0x01 -> FILE.bad
flip() {
	local b
	cp "$1" "$1.bad"
	b=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
	printf "\\$(printf '%03o' $((b ^ 1)))" |
		dd of="$1.bad" bs=1 seek="$2" conv=notrunc status=none
}
flip "$TMP/bz.bin" $((0x100))		# in the boot sector: still a bzImage
flip "$TMP/initrd" 2000
# kmeasure KERNEL INITRD CMDLINE SESSION MEAS: the owner's check
kmeasure() {
	"$OWNER" measure --firmware "$FW" --kernel "$1" --initrd "$2" \
		--cmdline "$3" --policy 0x33 --api-major "${API[0]}" \
		--api-minor "${API[1]}" --build "${API[2]}" \
		--tik "$TMP/s-$4/vm_tik.bin" --verify "$5"
}
KARGS=(--sev --psp "$EMUL" --firmware "$FW" --memory 128M --paused
	--boot-trace)

session k 0x33
sev_args k
start k "${KARGS[@]}" "${SA[@]}" --kernel "$TMP/bz.bin" \
	--initrd "$TMP/initrd" --cmdline "$CMDLINE" \
	--launch-report "$TMP/kreport.json"
qmp k greeting "cmd:$N" "cmd:$QSEV" "cmd:$QMEAS"
has "2 kernel launch in launch-secret" '"policy":51,"state":"launch-secret"'
KMEAS=$(measured)
expect_exit 0 "2 owner: measure --kernel --initrd --cmdline --verify" -- \
	kmeasure "$TMP/bz.bin" "$TMP/initrd" "$CMDLINE" k "$KMEAS"
expect_exit 5 "2 owner: without the kernel hashes it does not verify" -- \
	"$OWNER" measure --firmware "$FW" --kernel-hashes off --policy 0x33 \
	--api-major "${API[0]}" --api-minor "${API[1]}" --build "${API[2]}" \
	--tik "$TMP/s-k/vm_tik.bin" --verify "$KMEAS"
"$PY" -c 'import json, sys; r = json.load(open(sys.argv[1]))
print(r["kernel-hashes"], r["measured-bytes"])' "$TMP/kreport.json" >"$TMP/kr"
[ "$(cat "$TMP/kr")" = "True $((FWSIZE + 176))" ] &&
	ok "2 report: kernel-hashes, $((FWSIZE + 176)) measured bytes" ||
	fail "2 report: '$(cat "$TMP/kr")'"
secret k "$KMEAS" "$TMP/secret.txt"
qmp k greeting "cmd:$N" "cmd:$(inject_cmd)" 'cmd:{"execute":"cont"}' \
	wait:SHUTDOWN eof
has "2 secret injected" '^\{"return":\{\}\}$'
ends k 106 "2 the measured kernel runs (test-exit 42)"
grep -qx "$CMDLINE" "$TMP/k.out" && ok "2 the kernel got its cmdline" ||
	fail "2 kernel output: $(tail -3 "$TMP/k.out")"
grep -qx "initrd-ok-$$" "$TMP/k.out" && ok "2 the kernel got its initrd" ||
	fail "2 no initrd line in: $(tail -3 "$TMP/k.out")"
grep -qw 0x09 "$TMP/k.err" && grep -qw 0x1a "$TMP/k.err" &&
	ok "2 markers: hashes verified, kernel jump" ||
	fail "2 no 0x09/0x1a markers"

# Modified inputs given to sevm: it measures what it loads, so the owner's
# expected measurement (from the original files) does not match.
tampered_input() {	# WHAT KERNEL INITRD CMDLINE
	session t 0x33
	sev_args t
	start t "${KARGS[@]}" "${SA[@]}" --kernel "$2" --initrd "$3" \
		--cmdline "$4"
	qmp t greeting "cmd:$N" "cmd:$QMEAS" 'cmd:{"execute":"quit"}' eof
	expect_exit 5 "2 owner refuses a launch with a modified $1" -- \
		kmeasure "$TMP/bz.bin" "$TMP/initrd" "$CMDLINE" t "$(measured)"
	one_err "$TMP/err" "measurement|MEASURE" "2 one mismatch line ($1)"
	ends t 0 "2 quit after the mismatch ($1)"
}
tampered_input kernel "$TMP/bz.bin.bad" "$TMP/initrd" "$CMDLINE"
tampered_input initrd "$TMP/bz.bin" "$TMP/initrd.bad" "$CMDLINE"
tampered_input cmdline "$TMP/bz.bin" "$TMP/initrd" "${CMDLINE}X"

# The firmware's own check: the launch is measured with the right files
# (the owner's check passes), then the host changes a staged blob before
# the guest runs. The only host write the CLI/QMP offers is LAUNCH_SECRET
# at a chosen GPA (the emulated PSP leaves guest memory plaintext), so a
# valid secret packet is written over the blob, at the addresses
# docs/memory-map.md gives for 128 MiB: the initrd at 0x7e00000 and the
# kernel below it at 0x7c00000 (2 MiB-aligned from the top of low RAM),
# the command line at 0x20000. (A hashes table that disagrees with what
# sevm measured cannot be made through the CLI; firmware.sh covers the
# table side under QEMU.)
tampered_blob() {	# WHAT GPA STATUS MARKER
	session f 0x33
	sev_args f
	start f "${KARGS[@]}" "${SA[@]}" --kernel "$TMP/bz.bin" \
		--initrd "$TMP/initrd" --cmdline "$CMDLINE"
	qmp f greeting "cmd:$N" "cmd:$QMEAS"
	local m
	m=$(measured)
	kmeasure "$TMP/bz.bin" "$TMP/initrd" "$CMDLINE" f "$m" \
		>/dev/null 2>&1 || fail "2 $1: the owner's check failed"
	secret f "$m" "$TMP/secret.txt"
	qmp f greeting "cmd:$N" "cmd:$(inject_cmd "$2")" \
		'cmd:{"execute":"cont"}' wait:SHUTDOWN eof
	has "2 $1 overwritten at $2 after the measurement" '^\{"return":\{\}\}$'
	ends f $((64 + $3)) "2 firmware refuses the changed $1 (status $3)"
	grep -qx "hashes: $1 does not match its hash" "$TMP/f.out" &&
		ok "2 firmware names the $1" ||
		fail "2 firmware output: $(tail -2 "$TMP/f.out")"
	grep -qw "$4" "$TMP/f.err" && ! grep -qw 0x1a "$TMP/f.err" &&
		ok "2 marker $4, no kernel jump" || fail "2 markers ($1)"
}
tampered_blob kernel $((0x7c00000)) 16 0x1c
tampered_blob initrd $((0x7e00000)) 17 0x1d
tampered_blob cmdline $((0x20000)) 18 0x1e
expect_guests 0 "2 every slot free"

# ==== 3. refusals
echo "== 3a. wrong secret MAC"
session w 0x33
sev_args w
start w --sev --psp "$EMUL" --firmware "$FW" --memory 64M --paused \
	"${SA[@]}"
qmp w greeting "cmd:$N" "cmd:$QMEAS"
WMEAS=$(measured)
secret w "$WMEAS" "$TMP/secret.txt"
# header = FLAGS(4) || IV(16) || MAC(32): flip a bit of the MAC
"$PY" -c 'import base64, sys
h = bytearray(base64.b64decode(open(sys.argv[1]).read()))
assert len(h) == 52
h[40] ^= 1
print(base64.b64encode(h).decode(), end="")' "$TMP/hdr.b64" >"$TMP/badhdr.b64"
cp "$TMP/hdr.b64" "$TMP/goodhdr.b64"
cp "$TMP/badhdr.b64" "$TMP/hdr.b64"
qmp w greeting "cmd:$N" "cmd:$(inject_cmd)" "cmd:$STATUS" "cmd:$QSEV"
has "3a wrong MAC refused: BAD_MEASUREMENT" '^\{"error":\{"class":"GenericError","desc":"SEV: LAUNCH_SECRET \([0-9]+ bytes at GPA 0xa000\) failed: .*\(firmware status 0xb BAD_MEASUREMENT\)"\}\}$'
has "3a still prelaunch" '"status":"prelaunch"'
has "3a still launch-secret" '"state":"launch-secret"'
cp "$TMP/goodhdr.b64" "$TMP/hdr.b64"
qmp w greeting "cmd:$N" "cmd:$(inject_cmd)" 'cmd:{"execute":"cont"}' \
	wait:SHUTDOWN eof
has "3a the right packet after the refusal" '^\{"return":\{\}\}$'
ends w 0 "3a guest runs after the corrected secret"
grep -qx "secret: $GUID len $SLEN" "$TMP/w.out" &&
	ok "3a exactly the right secret" || fail "3a: $(grep secret "$TMP/w.out")"

echo "== 3b. guest slots exhausted (--max-guests 2, 3 launches at once)"
expect_exit 0 "3b psp init --max-guests 2" -- \
	"$SEVM" psp init --psp "$EMUL" --max-guests 2
for i in 1 2 3; do
	start "x$i" --sev --psp "$EMUL" --firmware "$FW" --memory 64M --paused
done
sock_or_exit x1 x2 x3 || fail "3b launches still starting after 30 s"
up=() down=()
for i in 1 2 3; do
	if [ -S "$TMP/x$i.sock" ]; then up+=("x$i"); else down+=("x$i"); fi
done
if [ "${#up[@]}" -eq 2 ] && [ "${#down[@]}" -eq 1 ]; then
	ok "3b exactly 2 of 3 launched (${up[*]})"
	for n in "${up[@]}"; do
		qmp "$n" greeting "cmd:$N" "cmd:$QSEV"
		has "3b $n in launch-secret" '"state":"launch-secret"'
	done
	d=${down[0]}
	ends "$d" 3 "3b the third exits 3 (host resource)"
	grep -v -- '--paused without --qmp' "$TMP/$d.err" >"$TMP/d.err"
	if [ "$(grep -c 'all 2 guest slots in use (raise with sevm psp init --max-guests N)$' "$TMP/d.err")" -eq 1 ]
	then ok "3b one line names the limit"
	else fail "3b no line naming the limit"; fi
	# Which check saw the platform full is a race (sev_launch_open's slot
	# count, or the firmware at LAUNCH_START, which also names
	# RESOURCE_LIMIT); nothing else may be said.
	if grep -vE 'all 2 guest slots in use|firmware status 0x17 RESOURCE_LIMIT' \
		"$TMP/d.err" | grep -q .; then
		fail "3b other error lines: $(cat "$TMP/d.err")"
	elif grep -q RESOURCE_LIMIT "$TMP/d.err"; then
		echo "note: 3b the firmware found the platform full (LAUNCH_START)"
	else
		echo "note: 3b the platform checks found the platform full"
	fi
	expect_guests 2 "3b two slots held"
	for n in "${up[@]}"; do
		kill -TERM "${PID[$n]}"
		ends "$n" 0 "3b SIGTERM $n"
	done
else
	fail "3b launched: '${up[*]}', failed: '${down[*]}'"
	for i in 1 2 3; do tail -2 "$TMP/x$i.err"; done
	for n in "${!PID[@]}"; do kill -9 "${PID[$n]}"; wait "${PID[$n]}"; unset "PID[$n]"; done 2>/dev/null
fi
expect_guests 0 "3b slots free again"

echo "== 3c. RLIMIT_MEMLOCK"
if ! command -v setpriv >/dev/null; then
	echo "note: no setpriv, RLIMIT_MEMLOCK check skipped"
else
	if [ "$(id -u)" -eq 0 ]; then
		DROP=(setpriv --inh-caps=-ipc_lock --bounding-set=-ipc_lock)
	else
		DROP=()
	fi
	expect_exit 3 "3c RLIMIT_MEMLOCK 1024 KiB without CAP_IPC_LOCK" -- \
		bash -c 'ulimit -l 1024 && exec "$@"' - "${DROP[@]}" \
		timeout 60 "$SEVM" --sev --psp "$EMUL" --firmware "$FW" \
		--memory 64M
	one_err "$TMP/err" "needs RLIMIT_MEMLOCK >= 64 MiB \(current: 1024 KiB\)" \
		"3c one line naming RLIMIT_MEMLOCK and 64 MiB"
	expect_guests 0 "3c no slot held"
fi

echo "== 3d/e. SIGKILL and SIGTERM during the launch (--max-guests 1)"
expect_exit 0 "3d psp init --max-guests 1" -- \
	"$SEVM" psp init --psp "$EMUL" --max-guests 1
start k1 --sev --psp "$EMUL" --firmware "$FW" --memory 64M --paused
sock_or_exit k1
qmp k1 greeting "cmd:$N" "cmd:$QSEV"
has "3d paused launch in launch-secret" '"state":"launch-secret"'
expect_guests 1 "3d the launch holds the slot"
kill -KILL "${PID[k1]}"
wait "${PID[k1]}" 2>/dev/null
unset "PID[k1]"
expect_guests 0 "3d SIGKILL gives the slot back"
start k2 --sev --psp "$EMUL" --firmware "$FW" --memory 64M --paused
sock_or_exit k2
qmp k2 greeting "cmd:$N" "cmd:$QSEV"
has "3d a new launch takes the slot" '"state":"launch-secret"'
expect_exit 3 "3d while it is held the platform is full" -- timeout 60 \
	"$SEVM" --sev --psp "$EMUL" --firmware "$FW" --memory 64M
one_err "$TMP/err" "all 1 guest slots in use \(raise with sevm psp init --max-guests N\)$" \
	"3d one line naming the limit"
qmp k2 greeting "cmd:$N" "sigterm:${PID[k2]}" wait:SHUTDOWN eof
has "3e SIGTERM: SHUTDOWN host-signal" '"event":"SHUTDOWN","data":\{"guest":false,"reason":"host-signal"\}'
ends k2 0 "3e SIGTERM of a paused SEV VM"
grep -q selftest "$TMP/k2.out" && fail "3e the guest ran"
expect_guests 0 "3e slot released"
start k3 --sev --psp "$EMUL" --firmware "$FW" --memory 64M --paused
sock_or_exit k3
qmp k3 greeting "cmd:$N" "cmd:$QSEV" 'cmd:{"execute":"quit"}' eof
has "3e the slot can be taken again" '"state":"launch-secret"'
ends k3 0 "3e quit"
expect_exit 0 "3e psp init --max-guests 15" -- \
	"$SEVM" psp init --psp "$EMUL" --max-guests 15

echo "== 3f. QMP abuse during a paused SEV launch"
session q 0x33
sev_args q
start q --sev --psp "$EMUL" --firmware "$FW" --memory 64M --paused \
	"${SA[@]}"
Z52=$("$PY" -c 'import base64; print(base64.b64encode(bytes(52)).decode())')
Z16=$("$PY" -c 'import base64; print(base64.b64encode(bytes(16)).decode())')
INJ='{"execute":"sev-inject-launch-secret","arguments":'
qmp q greeting 'cmd:{"execute":"cont"}' "cmd:$QSEV" "cmd:$N" "cmd:$STATUS"
has "3f cont before qmp_capabilities" '^\{"error":\{"class":"CommandNotFound","desc":"Expecting capabilities negotiation with .qmp_capabilities."\}\}$'
hasnt "3f ... and nothing started" '"event":"RESUME"'
has "3f ... still prelaunch" '"status":"prelaunch"'
qmp q greeting "cmd:$N" 'raw:{]}' idle \
	'cmd:{"execute":"no-such-command","id":7}' \
	"cmd:$INJ{\"packet-header\":\"$Z52\",\"secret\":\"$Z16\",\"gpa\":\"40960\"}}" \
	"cmd:$INJ{\"packet-header\":52,\"secret\":\"$Z16\"}}" \
	"cmd:$INJ{\"packet-header\":\"$Z52\"}}" \
	"cmd:$INJ{\"packet-header\":\"$Z52\",\"secret\":\"$Z16\",\"gpa\":-1}}" \
	"cmd:$INJ{\"packet-header\":\"not*base64\",\"secret\":\"$Z16\"}}" \
	"cmd:$INJ{\"packet-header\":\"$Z52\",\"secret\":\"@@@@\"}}" \
	"cmd:$INJ{\"packet-header\":\"$Z52\",\"secret\":\"\"}}" \
	"cmd:$INJ{\"packet-header\":\"AAAAAA==\",\"secret\":\"$Z16\"}}" \
	"cmd:$INJ{\"packet-header\":\"$Z52\",\"secret\":\"AAAA\"}}" \
	"cmd:$INJ{\"packet-header\":\"$Z52\",\"secret\":\"$Z16\",\"gpa\":$((0x10000000))}}" \
	"cmd:$INJ{\"packet-header\":\"$Z52\",\"secret\":\"$Z16\",\"gpa\":$((0x3fffff8))}}" \
	"cmd:$INJ{\"packet-header\":\"$Z52\",\"secret\":\"$Z16\",\"gpa\":$((0xfffff000))}}" \
	"cmd:$INJ{\"packet-header\":\"$Z52\",\"secret\":\"$Z16\"}}" \
	'cmd:{"execute":"query-sev","arguments":{"x":1}}' \
	"cmd:$STATUS" "cmd:$QSEV"
G='^\{"error":\{"class":"GenericError","desc":'
has "3f garbage JSON" "$G\"JSON parse error"
has "3f unknown command" '^\{"error":\{"class":"CommandNotFound","desc":"The command no-such-command has not been found"\},"id":7\}$'
has "3f gpa as a string" "$G\"Invalid parameter type for 'gpa', expected: integer\"\}\}\$"
has "3f packet-header as a number" "$G\"Invalid parameter type for 'packet-header', expected: string\"\}\}\$"
has "3f missing secret" "$G\"Parameter 'secret' is missing\"\}\}\$"
has "3f negative gpa" "$G\"Parameter 'gpa' expects uint64\"\}\}\$"
has "3f bad base64 header" "$G\"SEV: Failed to decode sequence header: 'packet-header' is not valid base64\"\}\}\$"
has "3f bad base64 secret" "$G\"SEV: Failed to decode data: 'secret' is not valid base64\"\}\}\$"
has "3f empty secret" "$G\"SEV: Failed to decode data: 'secret' is empty\"\}\}\$"
has "3f short header" "$G\"SEV: 'packet-header' must decode to 52 bytes, not 4\"\}\}\$"
has "3f secret not a multiple of 16" "$G\"SEV: LAUNCH_SECRET: the secret is 3 bytes; it must be a non-zero multiple of 16, at most [0-9]+\"\}\}\$"
has "3f gpa beyond RAM" "$G\"SEV: LAUNCH_SECRET: GPA 0x10000000\+16 is not inside guest RAM\"\}\}\$"
has "3f gpa across the end of RAM" "$G\"SEV: LAUNCH_SECRET: GPA 0x3fffff8\+16 is not inside guest RAM\"\}\}\$"
has "3f gpa in the ROM" "$G\"SEV: LAUNCH_SECRET: GPA 0xfffff000\+16 is not inside guest RAM\"\}\}\$"
has "3f a packet for no launch: BAD_MEASUREMENT" "$G\"SEV: LAUNCH_SECRET \(16 bytes at GPA 0xa000\) failed: .*firmware status 0xb BAD_MEASUREMENT\)\"\}\}\$"
has "3f unexpected argument" "$G\"Parameter 'x' is unexpected\"\}\}\$"
# 17: "{]}" is two parse errors ("]" and "}"), as QEMU's parser reports it
[ "$(qv 'len(e)')" = 17 ] && ok "3f every bad command got an error" ||
	fail "3f $(qv 'len(e)') errors, wanted 17"
has "3f still prelaunch" '"status":"prelaunch"'
has "3f still launch-secret" '"state":"launch-secret"'
# a client that leaves in the middle of a command: it never runs
qmp q greeting "cmd:$N" 'raw:{"execute":"cont","argu' close
qmp q greeting "cmd:$N" 'raw:{"execute":' close
qmp q greeting close
qmp q greeting "cmd:$N" "cmd:$STATUS" "cmd:$QSEV" "cmd:$QMEAS"
has "3f half a cont did not run" '"status":"prelaunch"'
has "3f query-sev after the abuse" '"state":"launch-secret"'
qmp q greeting "cmd:$N" 'cmd:{"execute":"cont"}' wait:SHUTDOWN eof
has "3f cont still works" '"event":"RESUME"'
ends q 0 "3f the guest ran after the abuse"
grep -qx "selftest: ok" "$TMP/q.out" || fail "3f no 'selftest: ok'"
grep -qx "secrets: none" "$TMP/q.out" &&
	ok "3f no refused packet reached guest memory" ||
	fail "3f secrets: $(grep secret "$TMP/q.out")"

echo "== 3g. --psp kernel without /dev/sev"
if [ -e /dev/sev ]; then
	echo "note: /dev/sev exists, check skipped"
else
	expect_exit 3 "3g --sev --psp kernel" -- timeout 60 "$SEVM" --sev \
		--psp kernel --firmware "$FW" --memory 64M
	one_err "$TMP/err" "/dev/sev.*sevm psp init --psp emulated:DIR.*--psp emulated:DIR" \
		"3g one line explaining the emulated PSP"
	expect_exit 3 "3g --sev (default --psp kernel)" -- timeout 60 \
		"$SEVM" --sev --firmware "$FW" --memory 64M
fi

echo "== 3h. tampered sessions"
session h 0x33
# session = NONCE(16) || WRAP_TK(32) || WRAP_IV(16) || WRAP_MAC(32) ||
# POLICY_MAC(32)
tampered_session() {	# OFFSET STATUS WHAT
	cp "$TMP/s-h/vm_session.bin" "$TMP/sess"
	flip "$TMP/sess" "$1"
	expect_exit 4 "3h session: $3 flipped -> refused" -- timeout 60 \
		"$SEVM" --sev --psp "$EMUL" --firmware "$FW" --memory 64M \
		--paused --sev-dh-cert "$TMP/s-h/vm_godh.bin" \
		--sev-session "$TMP/sess.bad"
	grep -v -- '--paused without --qmp' "$TMP/err" >"$TMP/err1"
	one_err "$TMP/err1" "LAUNCH_START.*firmware status $2" \
		"3h LAUNCH_START names $2 ($3)"
	expect_guests 0 "3h no slot held ($3)"
}
tampered_session 20 "0xb BAD_MEASUREMENT" "WRAP_TK"
tampered_session 3 "0xb BAD_MEASUREMENT" "NONCE"
tampered_session 100 "0x7 POLICY_FAILURE" "POLICY_MAC"
sev_args h
expect_exit 4 "3h another policy than the session's -> refused" -- \
	timeout 60 "$SEVM" --sev --psp "$EMUL" --firmware "$FW" --memory 64M \
	"${SA[@]}" --sev-policy 0x1
one_err "$TMP/err" "LAUNCH_START \(policy 0x1\).*firmware status 0x7 POLICY_FAILURE" \
	"3h LAUNCH_START names POLICY_FAILURE (policy)"
cp "$TMP/s-h/vm_godh.bin" "$TMP/godh"
flip "$TMP/godh" $((0x14 + 0x4 + 10))	# in the public key's X
expect_exit 4 "3h a GODH whose key is not on the curve -> refused" -- \
	timeout 60 "$SEVM" --sev --psp "$EMUL" --firmware "$FW" --memory 64M \
	--sev-dh-cert "$TMP/godh.bad" --sev-session "$TMP/s-h/vm_session.bin"
one_err "$TMP/err" "LAUNCH_START.*firmware status 0x6 INVALID_CERTIFICATE" \
	"3h LAUNCH_START names INVALID_CERTIFICATE"
head -c 100 "$TMP/s-h/vm_session.bin" >"$TMP/short"
expect_exit 2 "3h a short session file" -- timeout 60 "$SEVM" --sev \
	--psp "$EMUL" --firmware "$FW" --memory 64M \
	--sev-dh-cert "$TMP/s-h/vm_godh.bin" --sev-session "$TMP/short"
one_err "$TMP/err" "--sev-session.*$TMP/short" "3h the error names --sev-session and the file"
expect_guests 0 "3h no slot held"

echo "== 3i. after LAUNCH_FINISH"
# The reset vector of a 64 KiB firmware that spins: out 0x80, 1; jmp $
head -c $((65536 - 16)) /dev/zero >"$TMP/spin.bin"
printf '\xb0\x01\xe6\x80\xeb\xfe\x90\x90\x90\x90\x90\x90\x90\x90\x90\x90' \
	>>"$TMP/spin.bin"
start r --sev --psp "$EMUL" --firmware "$TMP/spin.bin" --memory 64M --paused
qmp r greeting "cmd:$N" 'cmd:{"execute":"cont"}' "cmd:$QSEV" \
	"cmd:$INJ{\"packet-header\":\"$Z52\",\"secret\":\"$Z16\",\"gpa\":4096}}" \
	'cmd:{"execute":"cont","id":2}' 'cmd:{"execute":"stop"}' "cmd:$STATUS" \
	'cmd:{"execute":"cont"}' "cmd:$QMEAS" "cmd:$STATUS" \
	'cmd:{"execute":"quit"}' eof
has "3i running after cont" '"state":"running","handle":[0-9]+,"sev-type":"sev"'
has "3i no secret once running" "$G\"SEV: LAUNCH_SECRET is only valid in the launch-secret state \(the guest is in running\)\"\}\}\$"
has "3i a second cont is a no-op" '^\{"return":\{\},"id":2\}$'
[ "$(grep -c '"event":"RESUME"' "$TMP/qmp")" -eq 2 ] &&
	ok "3i RESUME for the first cont and after stop only" ||
	fail "3i $(grep -c '"event":"RESUME"' "$TMP/qmp") RESUME events, wanted 2"
has "3i stop/cont of a running SEV guest" '"status":"paused"'
has "3i the measurement stays readable" '^\{"return":\{"data":"'
has "3i running again" '"running":true,"singlestep":false,"status":"running"'
ends r 0 "3i quit a running SEV guest"
expect_guests 0 "3i slot free after quit"

# ==== 4. SEV-ES
echo "== 4. SEV-ES, 2 vCPUs"
session es 0x37
sev_args es
start es --sev-es --psp "$EMUL" --firmware "$FW" --memory 64M --cpus 2 \
	--paused "${SA[@]}" --launch-report "$TMP/esreport.json"
qmp es greeting "cmd:$N" "cmd:$QSEV" "cmd:$QMEAS"
has "4 query-sev: sev-es, policy 0x37" '"policy":55,"state":"launch-secret","handle":[0-9]+,"sev-type":"sev-es"\}'
ESMEAS=$(measured)
if "$PY" "$HERE/sev-vmsa.py" "$FW" 2 "$TMP/vmsa" >"$TMP/vmsa.out" 2>&1; then
	ok "4 owner: VMSA pages rebuilt ($(cat "$TMP/vmsa.out"))"
else
	fail "4 sev-vmsa.py: $(cat "$TMP/vmsa.out")"
fi
esmeasure() {	# VMSA...
	local v a=()
	for v in "$@"; do a+=(--vmsa "$v"); done
	"$OWNER" measure --firmware "$FW" --kernel-hashes off "${a[@]}" \
		--policy 0x37 --api-major "${API[0]}" --api-minor "${API[1]}" \
		--build "${API[2]}" --tik "$TMP/s-es/vm_tik.bin" \
		--verify "$ESMEAS"
}
expect_exit 0 "4 owner: measure --vmsa x2 --verify" -- \
	esmeasure "$TMP/vmsa0.bin" "$TMP/vmsa1.bin"
expect_exit 5 "4 owner: one VMSA short does not verify" -- \
	esmeasure "$TMP/vmsa0.bin"
expect_exit 5 "4 owner: APs swapped for the BSP do not verify" -- \
	esmeasure "$TMP/vmsa1.bin" "$TMP/vmsa0.bin"
"$PY" -c 'import json, sys; r = json.load(open(sys.argv[1]))
print(r["sev-es"], r["measured-bytes"], r["timeline"][4]["step"])' \
	"$TMP/esreport.json" >"$TMP/er"
[ "$(cat "$TMP/er")" = "True $((FWSIZE + 2 * 4096)) update-vmsa" ] &&
	ok "4 report: sev-es, $((FWSIZE + 8192)) measured bytes, update-vmsa" ||
	fail "4 report: '$(cat "$TMP/er")'"
secret es "$ESMEAS" "$TMP/secret.txt"
qmp es greeting "cmd:$N" "cmd:$(inject_cmd)" 'cmd:{"execute":"cont"}' \
	wait:SHUTDOWN eof
has "4 secret injected" '^\{"return":\{\}\}$'
ends es 0 "4 SEV-ES guest runs"
grep -qx "cpus: 2" "$TMP/es.out" && grep -qx "selftest: ok" "$TMP/es.out" &&
	grep -qx "secret: $GUID len $SLEN" "$TMP/es.out" &&
	ok "4 self test: 2 CPUs, the secret, ok" ||
	fail "4 self test output: $(tail -4 "$TMP/es.out" | tr '\n' '|')"
expect_guests 0 "4 slot free after exit"

finish
