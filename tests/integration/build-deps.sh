#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Plain `make` without its build dependencies (scripts/build-deps, the
# Makefile's check): simulated with a compiler wrapper that cannot find
# one library's header, a Python without kconfiglib, no Python at all.
# Each stops at once with exit 2 and one line naming the Debian package
# and `make deps`; nothing is built and no configuration is written.
# With everything there the check passes once and is remembered.
source "$(dirname "$0")/lib.sh"
top=$SEVM_TOP
command -v gcc >/dev/null || skip "no gcc"
[ -x /usr/bin/python3 ] || skip "no /usr/bin/python3"

mk() {		# BUILD-DIR make-args...: a plain make into BUILD-DIR
	local b=$1
	shift
	env -u MAKEFLAGS -u MAKELEVEL make --no-print-directory -C "$top" \
		O="$b" KCONFIG_CONFIG="$b/.config" "$@"
}

# missing NAME PACKAGE make-args...: make fails with one line naming it
missing() {
	local name=$1 pkg=$2 b=$TMP/$1 rc
	shift 2
	mkdir -p "$b"
	mk "$b" "$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	[ "$rc" -ne 0 ] && ok "$name: make fails (exit $rc)" ||
		fail "$name: make exits 0"
	if [ "$(grep -c . "$TMP/err")" -eq 1 ] &&
	   grep -q "missing build dependencies:.* $pkg.*make deps.*apt-get install.* $pkg" "$TMP/err"; then
		ok "$name: one line names $pkg and the command"
	else
		fail "$name: message"; sed 's/^/    /' "$TMP/err" | head -5
	fi
	[ -z "$(find "$b" -name '*.o' -o -name .config -o -name sevm)" ] &&
		ok "$name: nothing built" || fail "$name: something was built"
}

# A compiler that has every header but json-c's.
cat >"$TMP/cc-nojson" <<-'SH'
	#!/bin/sh
	in=$(cat)
	case $in in *json-c/json.h*) echo "fatal error: json-c/json.h: No such file or directory" >&2; exit 1 ;; esac
	printf '%s\n' "$in" | exec gcc "$@"
	SH
chmod +x "$TMP/cc-nojson"
missing no-json-c libjson-c-dev CC="$TMP/cc-nojson"

# A Python without kconfiglib, and none at all.
cat >"$TMP/py-nokconfig" <<-'SH'
	#!/bin/sh
	case "$*" in *kconfiglib*) exit 1 ;; esac
	exec /usr/bin/python3 "$@"
	SH
chmod +x "$TMP/py-nokconfig"
missing no-kconfiglib python3-kconfiglib PY="$TMP/py-nokconfig"
missing no-python python3 PY="$TMP/nonexistent/python3"

# `make tests` also needs cmocka.
cat >"$TMP/cc-nocmocka" <<-'SH'
	#!/bin/sh
	in=$(cat)
	case $in in *cmocka.h*) exit 1 ;; esac
	printf '%s\n' "$in" | exec gcc "$@"
	SH
chmod +x "$TMP/cc-nocmocka"
missing no-cmocka libcmocka-dev CC="$TMP/cc-nocmocka" tests

# Everything there: the check passes (make -n: nothing compiled) and is
# remembered in the build directory.
mkdir -p "$TMP/good"
if mk "$TMP/good" -n >"$TMP/out" 2>"$TMP/err" && [ -f "$TMP/good/.build-deps-ok-all" ]; then
	ok "all there: the check passes and is remembered"
else
	fail "all there: make -n"; head -3 "$TMP/err"
fi
grep -q ' -c vmm/main.c' "$TMP/out" && ok "all there: make would build sevm" ||
	fail "all there: no compile command for vmm/main.c"
finish
