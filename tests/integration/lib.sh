# SPDX-License-Identifier: GPL-2.0-only
# Shared helpers for integration scripts (sourced). Each script exits
# 0 on pass, 77 when skipped, 1 on failure.
set -u
SEVM_TOP=${SEVM_TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
SEVM_BUILD=${SEVM_BUILD:-$SEVM_TOP/build}
SEVM=$SEVM_BUILD/sevm
OWNER=$SEVM_BUILD/sevm-owner
FW=$SEVM_BUILD/firmware/sevm-fw.bin
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
nfail=0

skip() { echo "SKIP: $*"; exit 77; }
need_kvm() {
	[ -c /dev/kvm ] && [ -r /dev/kvm ] && [ -w /dev/kvm ] ||
		skip "no usable /dev/kvm"
}
fail() { echo "FAIL: $*"; nfail=$((nfail + 1)); }
ok() { echo "ok: $*"; }
# expect_exit CODE DESCRIPTION -- command...
expect_exit() {
	local want=$1 what=$2 got
	shift 3
	"$@" >"$TMP/out" 2>"$TMP/err"
	got=$?
	if [ "$got" -eq "$want" ]; then
		ok "$what (exit $got)"
	else
		fail "$what: exit $got, wanted $want"
		sed 's/^/    stderr: /' "$TMP/err" | tail -5
	fi
}
# expect NAME REGEX: the serial output of run NAME ($TMP/NAME.out) has a
# line matching REGEX.
expect() {
	if grep -qE "$2" "$TMP/$1.out"; then
		ok "$1: /$2/"
	else
		fail "$1: no line matches /$2/"
	fi
}
finish() {
	if [ "$nfail" -gt 0 ]; then echo "$nfail check(s) failed"; exit 1; fi
	exit 0
}

# Assemble a tiny 64-bit bzImage: the setup header (boot protocol VERSION)
# and, at 0x600 (the 64-bit entry, 0x200 into the protected-mode part),
# the assembler code read from stdin. Used by the firmware and SEV tests.
make_bzimage() {	# OUT VERSION < CODE
	{ cat <<-'ASM'
	.code64
	.text
	.org 0x1f1
	.byte 1				/* setup_sects: 1024 bytes of setup */
	.org 0x1fe
	.word 0xaa55
	.byte 0xeb, 0x6a		/* header ends at 0x26c */
	.ascii "HdrS"
	.word VERSION
	.org 0x211
	.byte 1				/* LOADED_HIGH */
	.org 0x230
	.long 0x200000			/* kernel_alignment */
	.byte 1, 0			/* relocatable */
	.word 1				/* XLF_KERNEL_64 */
	.long 2047			/* cmdline_size */
	.org 0x258
	.quad 0x1000000			/* pref_address */
	.long 0x100000			/* init_size */
	.org 0x600
	ASM
	  cat; } >"$TMP/bz-src.S"
	gcc -c -DVERSION="$2" "$TMP/bz-src.S" -o "$TMP/bz-src.o" &&
		objcopy -O binary -j .text "$TMP/bz-src.o" "$1"
}
