#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Regenerate the TEST-ONLY key material of the software SEV firmware (these
# are NOT AMD's keys): testroots/*.pem, *.cert and ../sevfw-testroots.c.
# Then check the result independently with the openssl command-line tool.
#
# Usage: gen-testroots.sh [--new-keys]
#   --new-keys  throw away the private keys and make new ones
#               (otherwise the existing *.pem are reused and only the
#               certificates and the C file are rebuilt)
#   --check     only run the checks on what is committed

set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
EMU=$(dirname "$HERE")
CFILE=$EMU/sevfw-testroots.c
CACHE=${SEVSTACK_CACHE:-$HOME/.cache/sevstack}/testroots
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

fail() { echo "gen-testroots.sh: FAIL: $*" >&2; exit 1; }

generate() {
	mkdir -p "$CACHE"
	gcc -O2 -Wall -Wextra -Werror -o "$CACHE/gen-testroots" \
		"$HERE/gen-testroots.c" -lcrypto
	"$CACHE/gen-testroots" "$HERE" "$CFILE"
}

# bytes [off, off+len) of a file
slice() { dd if="$1" bs=1 skip=$(($2)) count=$(($3)) status=none; }
# byte-reverse a file (little-endian <-> big-endian)
revbytes() { xxd -p -c1 "$1" | tac | xxd -r -p; }
# hex dump on one line
hex() { xxd -p -c 100000 "$1"; }

# verify RSA-PSS SHA-384 (MGF1 SHA-384, salt 48) of $2 (LE sig) over $1
pss_verify() {
	local data=$1 sig_le=$2 pubpem=$3 what=$4
	revbytes "$sig_le" >"$TMP/sig.be"
	openssl dgst -sha384 -sigopt rsa_padding_mode:pss \
		-sigopt rsa_pss_saltlen:48 -sigopt rsa_mgf1_md:sha384 \
		-verify "$pubpem" -signature "$TMP/sig.be" "$data" >/dev/null ||
		fail "$what: RSA-PSS signature does not verify"
	echo "ok - $what"
}

le32() { slice "$1" "$2" 4 | od -An -tu4 | tr -d ' '; }

# check one AMD certificate (4096-bit): $1 cert, $2 own key, $3 signer key,
# $4 usage, $5 signer cert (for CERTIFYING_ID)
check_amd() {
	local cert=$1 key=$2 signer=$3 usage=$4 scert=$5 n
	[ "$(stat -c %s "$cert")" = 1600 ] || fail "$cert: size"
	[ "$(le32 "$cert" 0)" = 1 ] || fail "$cert: version"
	[ "$(le32 "$cert" 0x24)" = "$usage" ] || fail "$cert: usage"
	[ "$(le32 "$cert" 0x38)" = 4096 ] || fail "$cert: pubexp size"
	[ "$(le32 "$cert" 0x3c)" = 4096 ] || fail "$cert: modulus size"
	[ "$(slice "$cert" 0x14 16 | xxd -p)" = \
	  "$(slice "$scert" 0x04 16 | xxd -p)" ] || fail "$cert: certifying id"
	slice "$cert" 0x240 512 >"$TMP/mod.le"
	n=$(revbytes "$TMP/mod.le" | xxd -p -c 1000 | tr a-f A-F)
	[ "Modulus=$n" = "$(openssl rsa -in "$key" -noout -modulus)" ] ||
		fail "$cert: modulus is not that of $key"
	slice "$cert" 0x40 512 >"$TMP/exp.le"
	[ "$(revbytes "$TMP/exp.le" | xxd -p -c 1000 | sed 's/^0*//')" = 10001 ] ||
		fail "$cert: public exponent"
	openssl pkey -in "$signer" -pubout -out "$TMP/signer.pub"
	slice "$cert" 0 0x440 >"$TMP/body"
	slice "$cert" 0x440 512 >"$TMP/sig.le"
	pss_verify "$TMP/body" "$TMP/sig.le" "$TMP/signer.pub" \
		"$(basename "$cert") signed by $(basename "$signer" .pem)"
}

# the bytes of the C array named $1 in the generated C file
c_array() {
	sed -n "/^const u8 $1\[.*\] = {/,/^};/p" "$CFILE" |
		grep -o '0x[0-9a-f][0-9a-f]' | sed 's/0x//' | tr -d '\n'
}

# the 48 bytes of member "$2" inside the struct definition named $1
c_member() {
	sed -n "/^const struct .* $1 = {/,/^};/p" "$CFILE" |
		sed -n "/\.$2 = {/,/}/p" |
		grep -o '0x[0-9a-f][0-9a-f]' | sed 's/0x//' | tr -d '\n'
}

# openssl's view of an EC key: priv, then pub (04 || X || Y), as hex
ec_text() {
	openssl ec -in "$1" -noout -text 2>/dev/null |
		awk -v f="$2:" '/^[^ ]/ { on = ($0 == f); next } on' |
		tr -d ' :\n'
}

check() {
	cd "$HERE"
	check_amd ark.cert ark.pem ark.pem 0 ark.cert
	check_amd ask.cert ask.pem ark.pem 19 ark.cert
	cat ask.cert ark.cert | cmp -s - ask_ark.cert ||
		fail "ask_ark.cert is not ask.cert followed by ark.cert"
	echo "ok - ask_ark.cert = ask.cert || ark.cert"

	[ "$(stat -c %s cek.cert)" = 2084 ] || fail "cek.cert: size"
	[ "$(le32 cek.cert 0)" = 1 ] || fail "cek.cert: version"
	[ "$(slice cek.cert 4 2 | xxd -p)" = 0018 ] || fail "cek.cert: API 0.24"
	[ "$(le32 cek.cert 0x8)" = $((0x1004)) ] || fail "cek.cert: usage"
	[ "$(le32 cek.cert 0xc)" = 2 ] || fail "cek.cert: algo"
	[ "$(le32 cek.cert 0x10)" = 2 ] || fail "cek.cert: curve"
	[ "$(le32 cek.cert 0x414)" = 19 ] || fail "cek.cert: sig1 usage"
	[ "$(le32 cek.cert 0x418)" = $((0x101)) ] || fail "cek.cert: sig1 algo"
	[ "$(le32 cek.cert 0x61c)" = $((0x1000)) ] || fail "cek.cert: sig2 usage"
	[ "$(le32 cek.cert 0x620)" = 0 ] || fail "cek.cert: sig2 algo"
	[ -z "$(slice cek.cert 0x624 512 | tr -d '\0')" ] ||
		fail "cek.cert: sig2 data not zero"
	[ -z "$(slice cek.cert 0x44 24 | tr -d '\0')" ] ||
		fail "cek.cert: QX padding not zero"
	[ -z "$(slice cek.cert 0x8c 0x388 | tr -d '\0')" ] ||
		fail "cek.cert: QY padding / reserved not zero"
	slice cek.cert 0x14 48 >"$TMP/qx.le"
	slice cek.cert 0x5c 48 >"$TMP/qy.le"
	local pub
	pub=04$(revbytes "$TMP/qx.le" | xxd -p -c 100)$(revbytes "$TMP/qy.le" | xxd -p -c 100)
	[ "$pub" = "$(ec_text cek.pem pub)" ] ||
		fail "cek.cert: public key is not that of cek.pem"
	echo "ok - cek.cert holds cek.pem's public key"
	openssl pkey -in ask.pem -pubout -out "$TMP/ask.pub"
	slice cek.cert 0 0x414 >"$TMP/body"
	slice cek.cert 0x41c 512 >"$TMP/sig.le"
	pss_verify "$TMP/body" "$TMP/sig.le" "$TMP/ask.pub" "cek.cert signed by ask"

	[ "$(c_array sevfw_test_cek_cert)" = "$(hex cek.cert)" ] ||
		fail "sevfw-testroots.c: sevfw_test_cek_cert differs from cek.cert"
	[ "$(c_array sevfw_test_ask_ark)" = "$(hex ask_ark.cert)" ] ||
		fail "sevfw-testroots.c: sevfw_test_ask_ark differs from ask_ark.cert"
	[ "$(c_member sevfw_test_cek d)" = "$(ec_text cek.pem priv)" ] ||
		fail "sevfw-testroots.c: CEK d differs from cek.pem"
	[ "04$(c_member sevfw_test_cek x)$(c_member sevfw_test_cek y)" = \
	  "$(ec_text cek.pem pub)" ] ||
		fail "sevfw-testroots.c: CEK public key differs from cek.pem"
	[ "04$(c_member sevfw_test_fwsign_pub x)$(c_member sevfw_test_fwsign_pub y)" = \
	  "$(ec_text fwsign.pem pub)" ] ||
		fail "sevfw-testroots.c: fwsign public key differs from fwsign.pem"
	echo "ok - sevfw-testroots.c matches the .cert and .pem files"
}

case "${1:-}" in
--new-keys)
	rm -f "$HERE"/ark.pem "$HERE"/ask.pem "$HERE"/cek.pem "$HERE"/fwsign.pem
	generate
	;;
--check)
	;;
"")
	generate
	;;
*)
	echo "usage: $0 [--new-keys|--check]" >&2
	exit 2
	;;
esac
check
echo "gen-testroots.sh: all checks passed"
