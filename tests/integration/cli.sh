#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The command line end to end: --help, --version, and every bad-input path
# exits 2 with one stderr line naming the input. All of these stop before
# /dev/kvm is opened, so they run on any machine.
source "$(dirname "$0")/lib.sh"

[ -x "$SEVM" ] || skip "sevm is not built ($SEVM)"

# bad_input DESCRIPTION NEEDLE -- command...: exit 2, exactly one stderr
# line, and that line contains NEEDLE (the input it names).
bad_input() {
	local what=$1 needle=$2 lines
	shift 2
	expect_exit 2 "$what" "$@"
	lines=$(wc -l <"$TMP/err")
	if [ "$lines" -ne 1 ]; then
		fail "$what: $lines stderr lines, wanted 1"
		sed 's/^/    stderr: /' "$TMP/err" | head -5
	elif ! grep -qF -- "$needle" "$TMP/err"; then
		fail "$what: stderr does not name \"$needle\": $(cat "$TMP/err")"
	fi
}

# ---- --help and --version

expect_exit 0 "--help" -- "$SEVM" --help
for opt in --config --memory --cpus --firmware --kernel --initrd --cmdline \
	   --serial --hugepages --lock-memory --boot-trace --cpuid-mask \
	   --paused --qmp --launch-report --kvm-device --verbose --help \
	   --version --sev --sev-es --sev-policy --sev-dh-cert --sev-session \
	   --sev-cbitpos --sev-reduced-phys-bits --psp --sev-kernel-hashes \
	   --sev-secret-header --sev-secret --sev-secret-gpa --sev-dma-check \
	   --device; do
	grep -qE -- "(^| )$opt( |$)" "$TMP/out" || fail "--help does not list $opt"
done
grep -q "Exit status" "$TMP/out" || fail "--help does not list exit codes"
[ -s "$TMP/err" ] && fail "--help wrote to stderr"
expect_exit 0 "-h" -- "$SEVM" -h
grep -q -- "--memory SIZE" "$TMP/out" || fail "-h prints no usage"

expect_exit 0 "--version" -- "$SEVM" --version
version=$(cat "$SEVM_TOP/VERSION" 2>/dev/null || echo 0.0.0)
grep -qxE "sevm $(printf '%s' "$version" | sed 's/\./\\./g') \(.+\)" \
	"$TMP/out" || fail "--version printed: $(cat "$TMP/out")"
expect_exit 0 "-V" -- "$SEVM" -V

# ---- input files

printf 'MZ\0' >"$TMP/short.bzImage"
: >"$TMP/empty.bin"
head -c 5000 /dev/zero >"$TMP/odd.bin"
head -c 65536 /dev/zero >"$TMP/fw.bin"
# 64 KiB that is neither a bzImage (no "HdrS") nor an ELF file.
yes 'not a kernel' | head -c 65536 >"$TMP/garbage.bin"
mkdir "$TMP/fwdir"
printf '{ "memory": "1G",\n  "cpus": ,\n}\n' >"$TMP/bad.json"
printf '{ "memroy": "1G" }\n' >"$TMP/typo.json"
printf '[ "memory" ]\n' >"$TMP/array.json"
printf '{ "cpus": "two" }\n' >"$TMP/cpus.json"

# ---- options

bad_input "unknown option" '"--foo"' -- "$SEVM" --foo
bad_input "misspelt option" '--memroy' -- "$SEVM" --memroy 1G
bad_input "positional argument" '"vm.img"' -- "$SEVM" vm.img
bad_input "missing value" '--memory' -- "$SEVM" --firmware "$TMP/fw.bin" \
	--memory
bad_input "bad memory" '--memory 12Q' -- "$SEVM" --firmware "$TMP/fw.bin" \
	--memory 12Q
bad_input "memory too small" '--memory 1M' -- "$SEVM" --memory 1M
bad_input "memory not page-aligned" '16385K' -- "$SEVM" \
	--firmware "$TMP/fw.bin" --memory 16385K
bad_input "bad cpus" '--cpus 0' -- "$SEVM" --firmware "$TMP/fw.bin" --cpus 0
bad_input "non-numeric cpus" '--cpus two' -- "$SEVM" --cpus two
bad_input "bad --serial" '--serial tty' -- "$SEVM" --serial tty
bad_input "bad --sev-policy" '--sev-policy xyz' -- "$SEVM" --sev \
	--sev-policy xyz
bad_input "reserved --sev-policy bits" '--sev-policy 0x40' -- "$SEVM" \
	--firmware "$TMP/fw.bin" --sev --sev-policy 0x40
bad_input "SEV option without SEV" '--sev-cbitpos' -- "$SEVM" \
	--firmware "$TMP/fw.bin" --sev-cbitpos 47
# (no --firmware and no --kernel boots the embedded firmware: fw-embedded.sh)
bad_input "initrd without kernel" '--initrd' -- "$SEVM" \
	--firmware "$TMP/fw.bin" --initrd "$TMP/empty.bin"
bad_input "unknown --cpuid-mask feature" 'bogusfeature' -- "$SEVM" \
	--firmware "$TMP/fw.bin" --cpuid-mask bogusfeature

# ---- config files

bad_input "bad JSON" 'bad.json' -- "$SEVM" --config "$TMP/bad.json"
bad_input "unknown JSON key" '"memroy"' -- "$SEVM" --config "$TMP/typo.json"
bad_input "JSON top level not an object" 'array.json' -- "$SEVM" \
	--config "$TMP/array.json"
bad_input "bad JSON value" '"cpus"' -- "$SEVM" --config "$TMP/cpus.json"
bad_input "missing config file" 'missing.json' -- "$SEVM" \
	--config "$TMP/missing.json"
bad_input "config given twice" 'already given' -- "$SEVM" \
	--config "$TMP/typo.json" --config "$TMP/bad.json"

# ---- boot images (read and checked before any VM exists)

bad_input "missing firmware file" 'nonexistent.bin' -- "$SEVM" \
	--firmware "$TMP/nonexistent.bin"
bad_input "directory as firmware" 'fwdir' -- "$SEVM" --firmware "$TMP/fwdir"
bad_input "empty firmware file" 'empty.bin' -- "$SEVM" \
	--firmware "$TMP/empty.bin"
bad_input "firmware not a multiple of 4 KiB" 'odd.bin' -- "$SEVM" \
	--firmware "$TMP/odd.bin"
bad_input "truncated bzImage" 'short.bzImage' -- "$SEVM" \
	--kernel "$TMP/short.bzImage"
bad_input "garbage kernel" 'garbage.bin' -- "$SEVM" \
	--kernel "$TMP/garbage.bin"

# ---- --device: every bad type, key, value or file, before KVM is opened
# (a missing KVM device would otherwise give exit 3)

: >"$TMP/disk.img"
bad_input "unknown device type" '"virtio-foo"' -- "$SEVM" \
	--device virtio-foo --kvm-device "$TMP/no-kvm"
bad_input "unknown device key" '"size"' -- "$SEVM" \
	--device "virtio-blk,file=$TMP/disk.img,size=1" --kvm-device "$TMP/no-kvm"
bad_input "virtio-blk without file" 'needs file=' -- "$SEVM" \
	--device virtio-blk --kvm-device "$TMP/no-kvm"
bad_input "bad readonly value" 'readonly=yesplease' -- "$SEVM" \
	--device "virtio-blk,file=$TMP/disk.img,readonly=yesplease"
bad_input "missing disk image" 'nodisk.img' -- "$SEVM" --firmware "$FW" \
	--device "virtio-blk,file=$TMP/nodisk.img" --kvm-device "$TMP/no-kvm"
printf '{"devices": [{"type": "virtio-rng", "file": "x"}]}' >"$TMP/dev.json"
bad_input "JSON device with a bad key" 'devices[0]' -- "$SEVM" \
	--config "$TMP/dev.json" --kvm-device "$TMP/no-kvm"

# ---- host resources: exit 3, only with a firmware that passes the checks

if [ -f "$FW" ]; then
	expect_exit 3 "missing KVM device" -- "$SEVM" --firmware "$FW" \
		--kvm-device "$TMP/no-kvm"
	grep -qF "no-kvm" "$TMP/err" || fail "KVM error does not name the device"
else
	echo "note: $FW not built, KVM device check not run"
fi

finish
