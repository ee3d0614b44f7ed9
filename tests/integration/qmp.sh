#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# QMP end to end on /dev/kvm, with tests/integration/qmp-client.py (Debian's
# python3, socket module only): greeting and negotiation, prelaunch with
# --paused, cont -> RESUME -> the firmware self test -> SHUTDOWN -> exit 0;
# stop/cont of a spinning guest; quit; system_powerdown; abuse (garbage,
# unknown commands, wrong types, a 2 MiB message, a client leaving in the
# middle of a message) after which the VM still answers; a client that
# reads late or gets a huge reply; and, when the
# emulated PSP is built, an SEV launch paused before LAUNCH_FINISH.
source "$(dirname "$0")/lib.sh"
[ -x "$SEVM" ] || skip "sevm not built"
[ -f "$FW" ] || skip "firmware not built"
need_kvm
PY=/usr/bin/python3
[ -x "$PY" ] || skip "no $PY"
CLIENT=$(dirname "$0")/qmp-client.py
SOCK=$TMP/qmp.sock
pid=

# The reset vector of a 64 KiB firmware: out 0x80, 1; jmp $
head -c $((65536 - 16)) /dev/zero >"$TMP/spin.bin"
printf '\xb0\x01\xe6\x80\xeb\xfe\x90\x90\x90\x90\x90\x90\x90\x90\x90\x90' \
	>>"$TMP/spin.bin"

start() {	# sevm args... (in the background, QMP on $SOCK)
	rm -f "$SOCK"
	"$SEVM" --qmp "$SOCK" "$@" >"$TMP/out" 2>"$TMP/err" &
	pid=$!
}
qmp() {		# ops... -> $TMP/qmp (every message received)
	"$PY" "$CLIENT" "$SOCK" "$@" >"$TMP/qmp" 2>"$TMP/qmp.err"
}
has() {		# DESCRIPTION REGEX: $TMP/qmp has a line matching REGEX
	if grep -qE -- "$2" "$TMP/qmp"; then ok "$1"
	else fail "$1: no /$2/"; sed 's/^/    qmp: /' "$TMP/qmp" | tail -8; fi
}
ends() {	# DESCRIPTION CODE: sevm exits with CODE within 30 s
	local t=0 rc
	while kill -0 "$pid" 2>/dev/null && [ $t -lt 300 ]; do
		sleep 0.1; t=$((t + 1))
	done
	if kill -0 "$pid" 2>/dev/null; then
		kill -9 "$pid"; wait "$pid"; fail "$1: still running after 30 s"
		return
	fi
	wait "$pid"; rc=$?
	if [ "$rc" -eq "$2" ]; then ok "$1 (exit $rc)"
	else fail "$1: exit $rc, wanted $2"; sed 's/^/    stderr: /' "$TMP/err" | tail -5; fi
	[ -e "$SOCK" ] && fail "$1: the socket $SOCK is left behind"
}
N='{"execute":"qmp_capabilities"}'
STATUS='{"execute":"query-status"}'

# 1. --paused: prelaunch until cont, then the self test and SHUTDOWN
start --firmware "$FW" --memory 64M --paused
qmp greeting "cmd:$N" "cmd:$STATUS"
has "greeting" '^\{"QMP":\{"version":\{"qemu":'
has "negotiation" '^\{"return":\{\}\}$'
has "query-status in prelaunch" '"running":false,"singlestep":false,"status":"prelaunch"'
grep -q "selftest" "$TMP/out" && fail "the guest ran before cont"
qmp greeting "cmd:$N" 'cmd:{"execute":"cont","id":"c1"}' wait:SHUTDOWN eof
has "cont answers {}" '^\{"return":\{\},"id":"c1"\}$'
has "RESUME event" '^\{"event":"RESUME","data":\{\},"timestamp":\{"seconds":[0-9]+,"microseconds":[0-9]+\}\}$'
has "SHUTDOWN after the self test" '"event":"SHUTDOWN","data":\{"guest":true,"reason":"guest-shutdown"\}'
ends "self test after cont" 0
grep -q "selftest: ok" "$TMP/out" || fail "no 'selftest: ok' after cont"

# 2. stop/cont of a running guest, then quit
start --firmware "$TMP/spin.bin" --memory 16M
qmp greeting "cmd:$N" "cmd:$STATUS" 'cmd:{"execute":"stop"}' "cmd:$STATUS" \
	'cmd:{"execute":"stop"}' 'cmd:{"execute":"cont"}' "cmd:$STATUS" \
	'cmd:{"execute":"cont"}' 'cmd:{"execute":"quit"}' wait:SHUTDOWN eof
has "running without --paused" '"running":true,"singlestep":false,"status":"running"'
has "STOP event" '^\{"event":"STOP","data":\{\}'
has "paused after stop" '"running":false,"singlestep":false,"status":"paused"'
has "RESUME after cont" '^\{"event":"RESUME","data":\{\}'
[ "$(grep -c '"event":"STOP"' "$TMP/qmp")" -eq 1 ] || fail "a second stop emitted STOP again"
[ "$(grep -c '"event":"RESUME"' "$TMP/qmp")" -eq 1 ] || fail "cont while running emitted RESUME"
has "SHUTDOWN host-qmp-quit" '"event":"SHUTDOWN","data":\{"guest":false,"reason":"host-qmp-quit"\}'
ends "quit" 0

# 3. system_powerdown presses the ACPI power button (the GED): a guest that
# ignores it keeps running; one that handles it (polls the GED's event
# register, then writes S5 + SLP_EN to its sleep control) powers off.
start --firmware "$TMP/spin.bin" --memory 16M
qmp greeting "cmd:$N" 'cmd:{"execute":"system_powerdown"}' idle "cmd:$STATUS" \
	'cmd:{"execute":"quit"}' wait:SHUTDOWN eof
has "POWERDOWN event" '"event":"POWERDOWN"'
has "a guest ignoring the button runs on" '"running":true,"singlestep":false,"status":"running"'
has "then quit" '"reason":"host-qmp-quit"'
ends "system_powerdown ignored, quit" 0

make_bzimage "$TMP/ged.bz" 0x020c <<-'ASM'
	movl $0xfedf0000, %ebx		/* LAYOUT_GED */
	movb $0x40, %al
	outb %al, $0x80			/* running */
1:	movl (%rbx), %eax		/* EVT, read-to-clear */
	testl $1, %eax			/* power button */
	jz 1b
	movb $0x34, 4(%rbx)		/* SLEEP_CTL: SLP_TYP 5 (S5) | SLP_EN */
2:	hlt
	jmp 2b
	ASM
start --kernel "$TMP/ged.bz" --memory 64M --paused
qmp greeting "cmd:$N" 'cmd:{"execute":"cont"}' \
	'cmd:{"execute":"system_powerdown"}' wait:SHUTDOWN eof
has "POWERDOWN event (ACPI guest)" '"event":"POWERDOWN"'
has "SHUTDOWN guest-shutdown after S5" '"data":\{"guest":true,"reason":"guest-shutdown"\}'
ends "system_powerdown handled by the guest" 0

# 4. SIGTERM while paused: SHUTDOWN host-signal, exit 0
start --firmware "$TMP/spin.bin" --memory 16M --paused
qmp greeting "cmd:$N" "cmd:$STATUS" "sigterm:$pid" wait:SHUTDOWN eof
has "SHUTDOWN host-signal" '"data":\{"guest":false,"reason":"host-signal"\}'
ends "SIGTERM in prelaunch" 0

# 5. abuse: the VM answers and goes on
start --firmware "$TMP/spin.bin" --memory 16M
qmp greeting 'cmd:{"execute":"query-status"}' "cmd:$N" 'raw:{]}' idle \
	'cmd:"just a string"' 'cmd:{"execute":"no-such-command","id":1}' \
	'cmd:{"execute":"sev-inject-launch-secret","arguments":{"packet-header":1,"secret":"AA=="}}' \
	'cmd:{"execute":"cont","arguments":{"x":1}}' 'cmd:{"execute":"query-sev"}' \
	'cmd:{"execute":"query-sev-launch-measure"}' \
	'cmd:{"execute":"sev-inject-launch-secret","arguments":{"packet-header":"AA==","secret":"AA=="}}' \
	'cmd:{"execute":"quit","extra":1}'
has "commands before negotiation" '"CommandNotFound","desc":"Expecting capabilities negotiation'
has "garbage" '"GenericError","desc":"JSON parse error'
has "not an object" '"desc":"QMP input must be a JSON object"'
has "unknown command" '"CommandNotFound","desc":"The command no-such-command has not been found"\},"id":1'
has "wrong argument type" "Invalid parameter type for 'packet-header', expected: string"
has "unexpected argument" "Parameter 'x' is unexpected"
has "query-sev without SEV" '"desc":"SEV feature is not available"'
has "measurement without SEV" '"desc":"SEV launch measurement is not available"'
has "secret without SEV" '"desc":"SEV not enabled for guest"'
has "bad envelope" "QMP input member 'extra' is unexpected"
qmp greeting "cmd:$N" big:$((2 * 1024 * 1024)) close
has "2 MiB message" '"desc":"JSON message too large"'
qmp greeting "cmd:$N" 'raw:{"execute":"query-st' close
qmp greeting close
qmp greeting "cmd:$N" "cmd:$STATUS" 'cmd:{"execute":"quit"}' eof
has "still answers after the abuse" '"running":true,"singlestep":false,"status":"running"'
ends "quit after the abuse" 0

# 5b. replies wait for a client that reads late (issue 9, defect 6): 200
# pipelined commands read 200 ms later all arrive; a 900 KiB reply is
# whole; a parse error does not swallow the command after it
start --firmware "$TMP/spin.bin" --memory 16M
qmp greeting "cmd:$N" pipeline:200:200 bigid:$((900 * 1024)) \
	'raw:{]}{"execute":"query-status","id":"after"}' idle \
	'cmd:{"execute":"quit"}' eof
has "200 pipelined commands read 200 ms late" '^pipeline: 200 replies$'
has "a 900 KiB reply arrives whole" "^bigid: $((900 * 1024))\$"
has "the command after a parse error is answered" '"id":"after"'
ends "quit after the late reader" 0

# 6. SEV through the emulated PSP, paused before LAUNCH_FINISH
if "$SEVM" psp init --psp "emulated:$TMP/psp" >"$TMP/psp.out" 2>&1; then
	start --firmware "$FW" --memory 64M --sev --psp "emulated:$TMP/psp" --paused
	qmp greeting "cmd:$N" 'cmd:{"execute":"query-sev"}' \
		'cmd:{"execute":"query-sev-launch-measure"}' \
		'cmd:{"execute":"query-sev-capabilities"}' "cmd:$STATUS" \
		'cmd:{"execute":"cont"}' "cmd:$STATUS" 'cmd:{"execute":"query-sev"}' \
		'cmd:{"execute":"quit"}' eof
	has "query-sev in launch-secret" '"enabled":true,.*"policy":51,"state":"launch-secret",.*"sev-type":"sev"'
	n=$("$PY" -c 'import base64, json, sys
for l in open(sys.argv[1]):
    r = json.loads(l).get("return")
    if isinstance(r, dict) and "data" in r:
        print(len(base64.b64decode(r["data"], validate=True)))' "$TMP/qmp")
	[ "$n" = 48 ] && ok "measurement is 48 bytes" || fail "measurement: '$n' bytes"
	has "base64 with / unescaped, as QEMU" '"data":"[A-Za-z0-9+/]{62}[A-Za-z0-9+/=]{2}"'
	has "capabilities" '"cbitpos":[0-9]+'
	has "SEV guest in prelaunch" '"status":"prelaunch"'
	has "SEV guest running after cont" '"state":"running"'
	ends "SEV quit" 0
else
	echo "note: sevm psp init failed; SEV case skipped"; cat "$TMP/psp.out"
fi

finish
