#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Configurations other than defconfig still build: features configured
# out compile to typed -ENOSYS stubs, and sevm still runs without them.
source "$(dirname "$0")/lib.sh"
cd "$SEVM_TOP" || exit 1

build() {	# NAME "CONFIG_X=n ..."
	local name=$1 dir=$TMP/$1
	mkdir -p "$dir"
	{ cat configs/defconfig
	  for c in $2; do echo "# ${c%=n} is not set"; done; } >"$dir/defconfig"
	KCONFIG_CONFIG=$dir/.config /usr/bin/python3 -m defconfig \
		--kconfig Kconfig "$dir/defconfig" >/dev/null 2>&1 ||
		{ fail "$name: defconfig"; return 1; }
	if KCONFIG_CONFIG=$dir/.config make -s O="$dir/build" all \
		>"$dir/log" 2>&1; then
		ok "$name builds"
	else
		fail "$name does not build"; tail -5 "$dir/log"; return 1
	fi
}

if build no-sev "CONFIG_SEV=n"; then
	[ ! -e "$TMP/no-sev/build/sevm-owner" ] || fail "no-sev: sevm-owner built"
	expect_exit 2 "no-sev: --sev is refused" -- \
		"$TMP/no-sev/build/sevm" --sev --psp emulated:/nonexistent \
		--firmware "$FW"
	grep -q "CONFIG_SEV" "$TMP/err" || fail "no-sev: error does not name CONFIG_SEV"
fi
build minimal "CONFIG_PSP_EMULATED=n CONFIG_BOOT_PVH=n CONFIG_BOOT_BZIMAGE=n
	CONFIG_DEV_DEBUGPORT=n CONFIG_DEV_UART16550=n CONFIG_DEV_I8042=n
	CONFIG_DEV_TESTEXIT=n CONFIG_DEV_FW_CFG=n CONFIG_PCI=n CONFIG_ACPI=n
	CONFIG_VIRTIO=n"
if [ -x "$TMP/minimal/build/sevm" ]; then
	expect_exit 2 "minimal: a kernel without loaders is refused" -- \
		"$TMP/minimal/build/sevm" --kernel "$FW"
	expect_exit 2 "minimal: --device without virtio is refused" -- \
		"$TMP/minimal/build/sevm" --device virtio-rng --firmware "$FW"
	grep -q "CONFIG_VIRTIO_RNG" "$TMP/err" ||
		fail "minimal: the --device error does not name the Kconfig symbol"
	expect_exit 2 "minimal: --dump-acpi without ACPI is refused" -- \
		"$TMP/minimal/build/sevm" --dump-acpi "$TMP"
fi
# Without the bundled firmware nothing is embedded: an image is required.
if build no-firmware "CONFIG_FIRMWARE=n"; then
	expect_exit 2 "no-firmware: nothing to boot without --firmware/--kernel" \
		-- "$TMP/no-firmware/build/sevm" --memory 64M
	grep -q "nothing to boot" "$TMP/err" ||
		fail "no-firmware: the error does not say nothing to boot"
	expect_exit 2 "no-firmware: sevm firmware names CONFIG_FIRMWARE" -- \
		"$TMP/no-firmware/build/sevm" firmware
	grep -q "CONFIG_FIRMWARE" "$TMP/err" ||
		fail "no-firmware: the error does not name CONFIG_FIRMWARE"
	expect_exit 2 "no-firmware: sevm-owner measure needs --firmware" -- \
		"$TMP/no-firmware/build/sevm-owner" measure --digest \
		--kernel-hashes off
fi
build owner-only "CONFIG_KVM=n" &&
	{ [ ! -e "$TMP/owner-only/build/sevm" ] && [ -x "$TMP/owner-only/build/sevm-owner" ] ||
	  fail "owner-only: wrong set of binaries"; }
finish
