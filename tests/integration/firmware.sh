#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The sevm firmware (firmware/, docs/firmware.md) on /dev/kvm:
#  - under sevm: the self test with 1 and 2 vCPUs, the boot markers in
#    order, and a direct boot through the firmware of a tiny fake bzImage
#    whose 64-bit entry echoes the command line and test-exits 42;
#  - under QEMU when it is installed (the VMM-independent part): a crafted
#    hand-off and SEV hashes table loaded with -device loader, checking
#    hash verification, each mismatch status, a bad hand-off field and a
#    bad bzImage. QEMU's isa-debug-exit makes status V exit (V << 1) | 1.
source "$(dirname "$0")/lib.sh"
[ -x "$SEVM" ] || skip "sevm not built"
[ -f "$FW" ] || skip "firmware not built"
need_kvm

# ---- the self test under sevm
selftest() {	# DESCRIPTION CPUS
	expect_exit 0 "$1" -- "$SEVM" --firmware "$FW" --memory 64M \
		--cpus "$2" --boot-trace
	grep -q "selftest: ok" "$TMP/out" || fail "$1: no 'selftest: ok'"
	grep -q "cpus: $2\$" "$TMP/out" || fail "$1: no 'cpus: $2'"
	grep -q "^sevm firmware " "$TMP/out" || fail "$1: no banner"
	grep -q "^secrets: none" "$TMP/out" || fail "$1: no 'secrets: none'"
}
selftest "self test, 1 vCPU" 1
# boot markers (port 0x80) in the order the firmware writes them
codes=$(grep -oE '\b0x[0-9a-f]{2}\b' "$TMP/err" | tr '\n' ' ')
case "$codes" in
*"0x01 0x02 0x03 0x04 0x10 0x11"*) ok "boot markers in order" ;;
*) fail "boot markers: got '$codes'" ;;
esac
selftest "self test, 2 vCPUs" 2

# ---- a fake bzImage: setup header, then at 0x200 into the 64-bit part
# code that prints the zero page's command line and test-exits 42
fakebz() {	# OUT VERSION
	make_bzimage "$1" "$2" <<-'ASM'
	movl 0x228(%rsi), %ebx		/* cmd_line_ptr */
	movw $0x3f8, %dx
1:	movzbl (%rbx), %eax
	testb %al, %al
	jz 2f
	outb %al, %dx
	incq %rbx
	jmp 1b
2:	movb $10, %al
	outb %al, %dx
	movb $43, %al			/* 43: wrong selectors or loader */
	movl %cs, %ecx
	cmpl $0x10, %ecx
	jne 3f
	movl %ss, %ecx
	cmpl $0x18, %ecx
	jne 3f
	cmpb $0xff, 0x210(%rsi)		/* type_of_loader */
	jne 3f
	movb $42, %al
3:	outb %al, $0xf4
	hlt
	ASM
}
if ! fakebz "$TMP/bz.bin" 0x020f 2>"$TMP/as.err"; then
	fail "cannot assemble the fake bzImage: $(head -3 "$TMP/as.err")"
	finish
fi

# ---- direct boot through the firmware under sevm
expect_exit 106 "direct boot via firmware (status 42)" -- "$SEVM" \
	--firmware "$FW" --kernel "$TMP/bz.bin" --cmdline "fw-cmdline-ok" \
	--memory 256M --boot-trace
grep -q "^fw-cmdline-ok\$" "$TMP/out" || fail "kernel did not see the cmdline"
grep -q "^handoff (fw_cfg): kernel " "$TMP/out" ||
	fail "the firmware did not read the hand-off from fw_cfg"
grep -q "0x08" "$TMP/err" && grep -q "0x1a" "$TMP/err" ||
	fail "no hand-off-found / kernel-jump markers"

# ---- the hand-off paths under QEMU (VMM-independent)
QEMU=$(command -v qemu-system-x86_64) || {
	echo "note: qemu-system-x86_64 not installed, QEMU checks skipped"
	finish
}
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
fakebz "$TMP/bz-old.bin" 0x020b || fail "fake bzImage (2.11)"
printf 'console=ttyS0 fw-qemu\0' >"$TMP/cmdline.bin"
head -c 3000 /dev/urandom >"$TMP/initrd.bin"

# mkhandoff KERNEL TAMPER: hand-off at 0x8000, hashes table at 0x9000
mkhandoff() {
	"$PY" - "$TMP" "$1" "$2" <<-'PYEOF'
	import hashlib, struct, sys, uuid
	tmp, kernel, tamper = sys.argv[1:4]
	k = open(kernel, 'rb').read()
	i = open(tmp + '/initrd.bin', 'rb').read()
	c = open(tmp + '/cmdline.bin', 'rb').read()
	e820 = [(0, 0x9fc00, 1), (0x100000, (128 << 20) - 0x100000, 1)]
	h = struct.pack('<QIIQQQQQQII', 0x46464f484d564553,
	                2 if tamper == 'version' else 1, 712,
	                0x2000000, len(k), 0x3000000, len(i),
	                0x20000, len(c), 0, len(e820))
	for a, s, t in e820:
	    h += struct.pack('<QQI', a, s, t)
	open(tmp + '/handoff.bin', 'wb').write(h.ljust(712, b'\0'))
	def ent(guid, data, bad):
	    d = bytearray(hashlib.sha256(data).digest())
	    d[0] ^= bad
	    return uuid.UUID(guid).bytes_le + struct.pack('<H', 50) + d
	t = ent('97d02dd8-bd20-4c94-aa78-e7714d36ab2a', c, tamper == 'cmdline')
	t += ent('44baf731-3a2f-4bd7-9af1-41e29169781d', i, tamper == 'initrd')
	t += ent('4de79437-abd2-427f-b835-d5b172d2045b', k, tamper == 'kernel')
	t = uuid.UUID('9438d606-4f22-4cc9-b479-a793d411fd21').bytes_le + \
	    struct.pack('<H', 168) + t
	open(tmp + '/hashes.bin', 'wb').write(t + bytes(8))
	PYEOF
}

load() {	# FILE ADDR: QEMU arguments that put FILE at guest-physical ADDR
	echo "-device loader,file=$1,addr=$2,force-raw=on"
}

# QEMU's -bios takes a multiple of 64 KiB; the image is mapped to end at
# 4 GiB, so padding its front keeps every address.
QFW=$TMP/fw-64k.bin
{ head -c $((65536 - $(stat -c %s "$FW"))) /dev/zero | tr '\0' '\377'; cat "$FW"; } >"$QFW"

qemu_case() {	# DESCRIPTION STATUS REGEX KERNEL TAMPER
	local what=$1 want=$(( ($2 << 1) | 1 )) re=$3 got
	if ! mkhandoff "$4" "$5"; then
		fail "$what: cannot build the hand-off"
		return
	fi
	timeout 60 "$QEMU" -accel kvm -M q35 -m 128M -bios "$QFW" \
		-display none -serial stdio -no-reboot -nodefaults \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		$(load "$4" 0x2000000) $(load "$TMP/initrd.bin" 0x3000000) \
		$(load "$TMP/cmdline.bin" 0x20000) \
		$(load "$TMP/handoff.bin" 0x8000) \
		$(load "$TMP/hashes.bin" 0x9000) \
		>"$TMP/qout" 2>"$TMP/qerr" </dev/null
	got=$?
	if [ "$got" -ne "$want" ]; then
		fail "$what: QEMU exit $got, wanted $want"
		sed 's/^/    out: /' "$TMP/qout" | tail -5
	elif ! grep -qE "$re" "$TMP/qout"; then
		fail "$what: output lacks /$re/"
	else
		ok "$what (QEMU exit $got)"
	fi
}
qemu_case "hashes verified, kernel entered" 42 "^console=ttyS0 fw-qemu\$" \
	"$TMP/bz.bin" none
qemu_case "kernel hash mismatch" 16 "hashes: kernel does not match" \
	"$TMP/bz.bin" kernel
qemu_case "initrd hash mismatch" 17 "hashes: initrd does not match" \
	"$TMP/bz.bin" initrd
qemu_case "cmdline hash mismatch" 18 "hashes: cmdline does not match" \
	"$TMP/bz.bin" cmdline
qemu_case "bad hand-off field" 2 "handoff: bad field version" \
	"$TMP/bz.bin" version
qemu_case "bzImage protocol 2.11" 20 "bzimage: boot protocol older" \
	"$TMP/bz-old.bin" none
finish
