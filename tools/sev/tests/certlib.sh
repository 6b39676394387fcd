# SPDX-License-Identifier: GPL-2.0-only
#
# Shell helpers for the SEV tool tests: build SEV certificates with the
# openssl command-line tool only (independent of the library under test).
# Source it; it needs $W (a scratch directory).

# ---- byte helpers (hex strings) ----
le32() { printf '%02x%02x%02x%02x' $(($1 & 255)) $((($1 >> 8) & 255)) \
	$((($1 >> 16) & 255)) $((($1 >> 24) & 255)); }
revhex() { echo -n "$1" | fold -w2 | tac | tr -d '\n'; }
zeros() { head -c "$1" /dev/zero | xxd -p -c 100000 | tr -d '\n'; }
hexfile() { xxd -p -c 100000 "$1" | tr -d '\n'; }
unhex() { echo -n "$1" | xxd -r -p; }
slice() { dd if="$1" bs=1 skip=$(($2)) count=$(($3)) status=none; }
padhex() { printf '%*s' "$2" "$1" | tr ' ' 0; }	# left-pad to $2 digits

# public point of a PEM key: X and Y as big-endian hex (96 digits each)
pub_xy() {
	openssl pkey -in "$1" -pubout -outform DER 2>/dev/null | tail -c 96 |
		xxd -p -c 200
}

# SEV certificate body (0x414 bytes, hex): body USAGE ALGO KEY.pem
body() {
	local xy x y
	xy=$(pub_xy "$3")
	x=${xy:0:96}
	y=${xy:96:96}
	echo -n "01000000""0018""0000""$(le32 "$1")$(le32 "$2")$(le32 2)"
	echo -n "$(revhex "$x")$(zeros 24)$(revhex "$y")$(zeros 24)"
	zeros $((0x370))
}

empty_slot() { echo -n "$(le32 0x1000)$(le32 0)$(zeros 512)"; }

# ECDSA-SHA256 slot signed by openssl: ecdsa_slot USAGE KEY.pem BODYFILE
ecdsa_slot() {
	local r s
	openssl dgst -sha256 -sign "$2" -out "$W/.sig.der" "$3" || return 1
	r=$(openssl asn1parse -inform DER -in "$W/.sig.der" |
		awk -F: '/INTEGER/ { print $NF }' | sed -n 1p)
	s=$(openssl asn1parse -inform DER -in "$W/.sig.der" |
		awk -F: '/INTEGER/ { print $NF }' | sed -n 2p)
	echo -n "$(le32 "$1")$(le32 2)"
	echo -n "$(revhex "$(padhex "$r" 96)")$(zeros 24)"
	echo -n "$(revhex "$(padhex "$s" 96)")$(zeros 24)"
	zeros $((0x170))
}

# verify the ECDSA signature in slot SLOT of CERT with PUBKEY (openssl)
openssl_verify_slot() {	# CERT SLOT PUBKEY.pem
	local off r s
	off=$((0x414 + $2 * 0x208 + 8))
	r=$(revhex "$(slice "$1" "$off" 48 | xxd -p -c 100)")
	s=$(revhex "$(slice "$1" $((off + 72)) 48 | xxd -p -c 100)")
	printf 'asn1=SEQUENCE:sig\n[sig]\nr=INTEGER:0x%s\ns=INTEGER:0x%s\n' \
		"$r" "$s" >"$W/.sig.conf"
	openssl asn1parse -genconf "$W/.sig.conf" -out "$W/.sig2.der" \
		-noout >/dev/null || return 1
	slice "$1" 0 $((0x414)) >"$W/.body2"
	openssl dgst -sha256 -verify "$3" -signature "$W/.sig2.der" \
		"$W/.body2" >/dev/null
}

# make_platform DIR CEKKEY CEKCERT: P-384 keys oca/pek/pdh/other.pem and
# openssl-signed oca.cert, csr.cert (PEK, unsigned), pek.cert (OCA + CEK),
# pdh.cert (PEK), cek-unsigned.cert and chain.cert (PEK || OCA || CEK)
make_platform() {
	local D=$1 CEKKEY=$2 CEKCERT=$3 k
	for k in oca pek pdh other; do
		openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 \
			-out "$D/$k.pem" 2>/dev/null || return 1
	done
	unhex "$(body 0x1001 2 "$D/oca.pem")" >"$D/oca.body"
	unhex "$(hexfile "$D/oca.body")$(ecdsa_slot 0x1001 "$D/oca.pem" "$D/oca.body")$(empty_slot)" >"$D/oca.cert"
	unhex "$(body 0x1002 2 "$D/pek.pem")" >"$D/pek.body"
	unhex "$(hexfile "$D/pek.body")$(empty_slot)$(empty_slot)" >"$D/csr.cert"
	unhex "$(hexfile "$D/pek.body")$(ecdsa_slot 0x1001 "$D/oca.pem" "$D/pek.body")$(ecdsa_slot 0x1004 "$CEKKEY" "$D/pek.body")" >"$D/pek.cert"
	unhex "$(body 0x1003 3 "$D/pdh.pem")" >"$D/pdh.body"
	unhex "$(hexfile "$D/pdh.body")$(ecdsa_slot 0x1002 "$D/pek.pem" "$D/pdh.body")$(empty_slot)" >"$D/pdh.cert"
	# the chain as PDH_CERT_EXPORT gives it: PEK, OCA, unsigned CEK
	slice "$CEKCERT" 0 $((0x414)) >"$D/cek.body"
	unhex "$(hexfile "$D/cek.body")$(empty_slot)$(empty_slot)" >"$D/cek-unsigned.cert"
	cat "$D/pek.cert" "$D/oca.cert" "$D/cek-unsigned.cert" >"$D/chain.cert"
}
