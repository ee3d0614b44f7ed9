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
finish() {
	if [ "$nfail" -gt 0 ]; then echo "$nfail check(s) failed"; exit 1; fi
	exit 0
}
