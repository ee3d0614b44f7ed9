#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# sevm-owner end to end, as the binary: verify-chain on AMD's real Naples
# and Rome chains and on a tampered copy, session files, measure with the
# sevctl/sev-tool vectors, secret reproducing sevctl's packet exactly.
. "$(dirname "$0")/lib.sh"

[ -x "$OWNER" ] || skip "no $OWNER (CONFIG_OWNER_TOOL off or not built)"
VEC=${SEVM_VECTORS:-$SEVM_TOP/../shared/test-vectors}
[ -d "$VEC/amd-certs" ] || skip "no test vectors in $VEC"
CERTS=$VEC/amd-certs
SC=$VEC/sevctl

# --- verify-chain -----------------------------------------------------------
for gen in naples rome; do
	expect_exit 0 "verify-chain $gen" -- "$OWNER" verify-chain "$CERTS/$gen"
	[ "$(grep -c ' ok$' "$TMP/out")" -eq 7 ] ||
		fail "verify-chain $gen: not 7 links ok"
done
expect_exit 0 "verify-chain --amd-root rome" -- \
	"$OWNER" verify-chain --amd-root "$CERTS/rome"

mkdir "$TMP/bad"
cp "$CERTS"/rome/*.cert "$TMP/bad/"
chmod u+w "$TMP"/bad/*
# flip FILE OFFSET: XOR one byte with 0x01.
flip() {
	local b
	b=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
	printf "\\$(printf '%03o' $((b ^ 1)))" |
		dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}
# One flipped byte in the CEK's signature by the ASK.
flip "$TMP/bad/cek.cert" $((0x500))
cmp -s "$TMP/bad/cek.cert" "$CERTS/rome/cek.cert" && fail "flip did nothing"
expect_exit 5 "verify-chain with a flipped CEK byte" -- \
	"$OWNER" verify-chain "$TMP/bad"
grep -q '^ASK -> CEK *FAILED$' "$TMP/out" || fail "ASK -> CEK not FAILED"
grep -q '^PEK -> PDH *ok$' "$TMP/out" || fail "PEK -> PDH not ok"
rm "$TMP/bad/oca.cert"
expect_exit 2 "verify-chain with oca.cert missing" -- \
	"$OWNER" verify-chain "$TMP/bad"
grep -q 'oca.cert' "$TMP/err" || fail "missing file not named"

# --- session ----------------------------------------------------------------
for i in 1 2; do
	expect_exit 0 "session $i" -- "$OWNER" session --pdh \
		"$CERTS/rome/pdh.cert" --policy 0x1 --out "$TMP/s$i" --name g
done
for f in g_godh.bin g_session.bin g_godh.b64 g_session.b64 g_tek.bin \
	 g_tik.bin; do
	[ -s "$TMP/s1/$f" ] || fail "session: $f missing"
done
[ "$(stat -c %s "$TMP/s1/g_godh.bin")" -eq 2084 ] || fail "godh size"
[ "$(stat -c %s "$TMP/s1/g_session.bin")" -eq 128 ] || fail "session size"
for f in g_tek.bin g_tik.bin; do
	[ "$(stat -c %a "$TMP/s1/$f")" = 600 ] || fail "$f mode not 0600"
	[ "$(stat -c %s "$TMP/s1/$f")" -eq 16 ] || fail "$f not 16 bytes"
done
for f in g_tek.bin g_tik.bin g_godh.bin g_session.bin; do
	cmp -s "$TMP/s1/$f" "$TMP/s2/$f" && fail "session: $f repeated"
done
[ "$(base64 -d "$TMP/s1/g_session.b64" | cmp - "$TMP/s1/g_session.bin" &&
     echo same)" = same ] || fail "session .b64 is not the .bin"
ok "session files, modes and uniqueness"
expect_exit 2 "session with a PEK as --pdh" -- "$OWNER" session --pdh \
	"$CERTS/rome/pek.cert" --policy 1 --out "$TMP/s3"

# --- measure ----------------------------------------------------------------
printf '\x35\x69\xcf\x61\xa3\x2a\x60\x2b\x87\x18\x5a\xc6\xe0\xf5\x59\x13' \
	>"$TMP/tik1"
plat=(--policy 0x03 --api-major 1 --api-minor 40 --build 40)
want="lswbxWxI9gckya16JQvdFtpYmNO4b+3inAPpqsgoBI7DE/q1EcIWsVBbGy6pkDxA"
expect_exit 0 "measure --ld (sevctl vector)" -- "$OWNER" measure --ld \
	c64bd101fc9a4a2ce0a27c408d9200911f139a895469b04a40a6fa2890830d23 \
	--tik "$TMP/tik1" "${plat[@]}" --nonce wxP6tRHCFrFQWxsuqZA8QA==
[ "$(cat "$TMP/out")" = "$want" ] || fail "measure --ld: $(cat "$TMP/out")"
expect_exit 0 "measure --verify match" -- "$OWNER" measure --ld \
	c64bd101fc9a4a2ce0a27c408d9200911f139a895469b04a40a6fa2890830d23 \
	--tik "$TMP/tik1" "${plat[@]}" --verify "$want"
expect_exit 5 "measure --verify mismatch" -- "$OWNER" measure --ld \
	c64bd101fc9a4a2ce0a27c408d9200911f139a895469b04a40a6fa2890830d23 \
	--tik "$TMP/tik1" --policy 0x01 --api-major 1 --api-minor 40 \
	--build 40 --verify "$want"
[ "$(wc -l <"$TMP/err")" -eq 1 ] || fail "mismatch: not one line"
expect_exit 0 "measure firmware + kernel hashes" -- "$OWNER" measure \
	--firmware "$SC/OVMF.amdsev.fd_trimmed_edk2-ovmf-20220126gitbb1bba3d77-4.el9" \
	--kernel "$SC/measurement-vmlinuz-fake" \
	--initrd "$SC/measurement-initrd-fake" \
	--cmdline "foo bar baz fake kernel=cmdline" --tik "$SC/measurement-tik1.bin" \
	"${plat[@]}" --nonce c313fab511c216b1505b1b2ea9903c40
grep -q '^h3auYbWQnVW7EGLWN4Hf9SN0oEYMPU2sK4bLnefWPw' "$TMP/out" ||
	fail "kernel-hashes measurement: $(cat "$TMP/out")"

# --- secret -----------------------------------------------------------------
printf '\xc6\xd5\xa9\x95\x61\x33\x05\x09\x12\xb2\x4b\xbe\x5c\x37\x26\x86' \
	>"$TMP/stik"
printf '\x52\xa8\x69\xb7\x9a\xb9\xc1\x3b\xb6\xa9\x2b\x05\x61\x61\x9c\xb3' \
	>"$TMP/stek"
printf 'MY-LUKS-PASSPHRASE' >"$TMP/luks"
expect_exit 0 "secret (sevctl vector)" -- "$OWNER" secret --measurement \
	TLeA7607lZQntLjRY1/i+sbtdSZ+75zxpz4Px9hzpBLwItF5Q2o4prA++3ZZv9ZS \
	--tek "$TMP/stek" --tik "$TMP/stik" \
	--secret "736869e5-84f0-4973-92ec-06879ce3da0b:$TMP/luks" \
	--iv ac5474ed4dd32c7d989ec523d92559ec --out-header "$TMP/hdr" \
	--out-secret "$TMP/sec" --base64
[ "$(cat "$TMP/hdr")" = "AAAAAKxUdO1N0yx9mJ7FI9klWey8FSzeYQ4X8K71VzNKLU/KQsIsQxLjtbhaPUewqshX5Q==" ] ||
	fail "secret header: $(cat "$TMP/hdr")"
[ "$(cat "$TMP/sec")" = "0U3e5PcXv0UW+H4tSBFKOdCYfKE1+j38Bc2fuO16mYiyI+sWx7INfn+lgYj56GL12yyinDa+lVfCCwD/2w5cPA==" ] ||
	fail "secret payload: $(cat "$TMP/sec")"
expect_exit 2 "secret with a bad GUID" -- "$OWNER" secret --measurement \
	TLeA7607lZQntLjRY1/i+sbtdSZ+75zxpz4Px9hzpBLwItF5Q2o4prA++3ZZv9ZS \
	--tek "$TMP/stek" --tik "$TMP/stik" --secret "nope:$TMP/luks" \
	--out-header "$TMP/hdr" --out-secret "$TMP/sec"

finish
