#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Command-line tests of sev-owner and sev-host (TAP). Every cryptographic
# result is cross-checked with the openssl command-line tool, not with the
# library under test: certificates are built and signed by openssl here,
# and the session, measurement and secret are recomputed from the formulas
# of the SEV API. The SEV-ES VMSAs are checked against the known answers
# of the facts sheet, byte by byte with xxd, and with sha256sum. sev-host
# runs against tests/fakesev.so (an LD_PRELOAD stand-in for the /dev/sev
# ioctl).
#
# Environment: SEV_TOOLS (build dir), SEV_TESTROOTS (test ARK/ASK/CEK dir),
# OVMF_DIR (Debian's OVMF images, default /usr/share/OVMF)

set -u
T=${SEV_TOOLS:?set SEV_TOOLS to the build directory}
ROOTS=${SEV_TESTROOTS:?set SEV_TESTROOTS}
OWNER=$T/sev-owner
HOST=$T/sev-host
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
n=0
failed=0

ok() {	# ok COND-EXIT-STATUS NAME
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		failed=$((failed + 1))
		[ -s "$W/err" ] && sed 's/^/# /' "$W/err" | head -5
	fi
}

# run CMD...: exit status in $rc, stdout in $W/out, stderr in $W/err
run() {
	"$@" >"$W/out" 2>"$W/err"
	rc=$?
}

expect_rc() {	# expect_rc WANT NAME
	[ "$rc" = "$1" ]
	local r=$?
	[ $r = 0 ] || echo "# exit status $rc, expected $1"
	ok $r "$2"
}

grep_err() { grep -q -- "$1" "$W/err"; }
grep_out() { grep -q -- "$1" "$W/out"; }

. "$(dirname "$0")/certlib.sh"

hmac() {	# hmac KEYHEX FILE -> hex
	openssl dgst -sha256 -mac HMAC -macopt "hexkey:$1" -binary "$2" |
		xxd -p -c 100
}

kdf16() {	# kdf16 KEYHEX LABEL CONTEXTHEX -> 16 bytes hex
	unhex "01000000$(echo -n "$2" | xxd -p -c 100)00$3$(le32 128)" \
		>"$W/kdfmsg"
	hmac "$1" "$W/kdfmsg" | cut -c1-32
}

# ---- usage and help ----
run "$OWNER" --help
expect_rc 0 "sev-owner --help exits 0"
grep_out "Exit status" && ok 0 "sev-owner --help documents exit codes" ||
	ok 1 "sev-owner --help documents exit codes"
run "$HOST" --help
expect_rc 0 "sev-host --help exits 0"
run "$OWNER"
expect_rc 2 "sev-owner without a command: usage error 2"
run "$OWNER" frobnicate
expect_rc 2 "sev-owner unknown command: usage error 2"
run "$OWNER" verify --cek x
expect_rc 2 "sev-owner verify with missing options: usage error 2"
run "$HOST" export
expect_rc 2 "sev-host export without outputs: usage error 2"
run "$HOST" status --bogus
expect_rc 2 "sev-host status --bogus: usage error 2"
run "$OWNER" policy 0x1ffffffff
expect_rc 2 "policy out of range: usage error 2"

# ---- platform certificates made by openssl ----
make_platform "$W" "$ROOTS/cek.pem" "$ROOTS/cek.cert"
[ "$(stat -c %s "$W/chain.cert")" = 6252 ] && [ "$(stat -c %s "$W/pdh.cert")" = 2084 ]
ok $? "openssl-built PEK/OCA/CEK chain (6252 bytes) and PDH (2084 bytes)"

V=(--ask-ark "$ROOTS/ask_ark.cert" --cek "$ROOTS/cek.cert")
run "$OWNER" verify "${V[@]}" --pdh "$W/pdh.cert" --chain "$W/chain.cert"
expect_rc 0 "verify: openssl-signed chain verifies"
[ "$(grep -c '^ok ' "$W/out")" = 8 ]
ok $? "verify prints 8 verified links"
run "$OWNER" verify --ark "$ROOTS/ark.cert" --ask "$ROOTS/ask.cert" \
	--cek "$ROOTS/cek.cert" --pdh "$W/pdh.cert" --chain "$W/chain.cert" \
	--oca "$W/oca.cert"
expect_rc 0 "verify with --ark/--ask and the owner's --oca"

unhex "$(body 0x1003 3 "$W/other.pem")" >"$W/other.body"
unhex "$(hexfile "$W/other.body")$(ecdsa_slot 0x1002 "$W/other.pem" "$W/other.body")$(empty_slot)" >"$W/pdh-foreign.cert"
run "$OWNER" verify "${V[@]}" --pdh "$W/pdh-foreign.cert" --chain "$W/chain.cert"
expect_rc 1 "verify: PDH signed by another key fails with 1"
grep -q 'FAIL  PEK -> PDH' "$W/out" && grep -q 'bad signature' "$W/out"
ok $? "verify names the failing link and 'bad signature'"

cp "$W/chain.cert" "$W/chain-flip.cert"
printf '\x55' | dd of="$W/chain-flip.cert" bs=1 seek=$((0x824 + 0x500)) conv=notrunc status=none
run "$OWNER" verify "${V[@]}" --pdh "$W/pdh.cert" --chain "$W/chain-flip.cert"
expect_rc 1 "verify: OCA with a corrupted signature fails"
grep -q 'FAIL  OCA is self-signed' "$W/out"
ok $? "verify reports the OCA self-signature failure"

head -c 6000 "$W/chain.cert" >"$W/chain-short.cert"
run "$OWNER" verify "${V[@]}" --pdh "$W/pdh.cert" --chain "$W/chain-short.cert"
expect_rc 1 "verify: truncated chain fails with 1"
grep_err "truncated certificate chain"
ok $? "verify: error says 'truncated certificate chain'"

run "$OWNER" verify "${V[@]}" --pdh "$W/pek.cert" --chain "$W/chain.cert"
expect_rc 1 "verify: a PEK given as --pdh fails"
grep_err "wrong key usage"
ok $? "verify: error says 'wrong key usage'"

run "$OWNER" verify --ask-ark "$ROOTS/ask_ark.cert" --cek "$W/cek-unsigned.cert" \
	--pdh "$W/pdh.cert" --chain "$W/chain.cert"
expect_rc 1 "verify: the unsigned CEK is not accepted as --cek"

run "$OWNER" verify --ask-ark "$ROOTS/ark.cert" --cek "$ROOTS/cek.cert" \
	--pdh "$W/pdh.cert" --chain "$W/chain.cert"
expect_rc 1 "verify: an ARK alone is not an ask_ark file"

run "$OWNER" verify "${V[@]}" --pdh "$W/pdh.cert" --chain "$W/nonexistent"
expect_rc 3 "verify: missing file is an I/O error (3)"

# ---- show ----
run "$OWNER" show "$W/pdh.cert"
expect_rc 0 "show a PDH certificate"
grep_out "PDH key (usage 0x1003)" && grep_out "signature 1: by PEK"
ok $? "show decodes usage and signer"
run "$OWNER" show "$W/chain.cert" "$ROOTS/ask_ark.cert" "$ROOTS/ark.cert"
expect_rc 0 "show a chain, an ask_ark pair and an ARK"
head -c 2000 "$W/pdh.cert" >"$W/short.cert"
run "$OWNER" show "$W/short.cert"
expect_rc 1 "show: a 2000-byte file is not recognised (1)"
echo 0x3 >"$W/policy.txt"
run "$OWNER" show "$W/policy.txt"
expect_rc 0 "show decodes a policy file"
grep_out "NOKS   set"
ok $? "show policy: NOKS set"

run "$OWNER" policy 0x00180037
expect_rc 0 "policy 0x00180037"
grep_out "minimum firmware API: 24.0" && grep_out "NODBG  set"
ok $? "policy prints flags and minimum API"
run "$OWNER" policy 0x41
expect_rc 1 "policy with reserved bits is a negative result (1)"

# ---- oca-gen / sign-pek, checked by openssl ----
run "$OWNER" oca-gen --key-out "$W/myoca.pem" --cert-out "$W/myoca.cert"
expect_rc 0 "oca-gen"
openssl pkey -in "$W/myoca.pem" -pubout -out "$W/myoca.pub" 2>/dev/null
openssl_verify_slot "$W/myoca.cert" 0 "$W/myoca.pub"
ok $? "openssl verifies the OCA self-signature made by sev-owner"
[ "$(slice "$W/myoca.cert" 0 $((0x414)) | xxd -p -c 10000)" = "$(body 0x1001 2 "$W/myoca.pem" | sed 's/^01000000001800/01000000000000/')" ]
ok $? "OCA body matches the key as encoded by this script"
run "$OWNER" sign-pek --csr "$W/csr.cert" --oca-key "$W/myoca.pem" \
	--oca "$W/myoca.cert" --out "$W/pek-owned.cert"
expect_rc 0 "sign-pek signs a CSR"
openssl_verify_slot "$W/pek-owned.cert" 0 "$W/myoca.pub"
ok $? "openssl verifies the PEK signature made by sev-owner"
run "$OWNER" sign-pek --csr "$W/csr.cert" --oca-key "$W/oca.pem" \
	--oca "$W/myoca.cert" --out "$W/x.cert"
expect_rc 2 "sign-pek with a key that does not match the OCA: 2"

# ---- session, cross-checked with openssl ----
POL=0x00000001
run "$OWNER" session --pdh "$W/pdh.cert" --policy $POL --out-dir "$W/s" \
	--godh-key "$W/godh.pem"
expect_rc 0 "session creates the launch blobs"
base64 -d "$W/s/godh.b64" >"$W/godh.cert" 2>/dev/null &&
base64 -d "$W/s/session.b64" >"$W/session.bin" 2>/dev/null
ok $? "godh.b64 and session.b64 are base64"
[ "$(stat -c %s "$W/godh.cert")" = 2084 ] && [ "$(stat -c %s "$W/session.bin")" = 128 ] &&
[ "$(stat -c %s "$W/s/tek.bin")" = 16 ] && [ "$(stat -c %s "$W/s/tik.bin")" = 16 ]
ok $? "GODH 2084 bytes, session 128, TEK and TIK 16"
[ "$(stat -c %a "$W/s/tik.bin")" = 600 ]
ok $? "tik.bin is private (0600)"
[ "$(slice "$W/godh.cert" 0 $((0x414)) | xxd -p -c 10000)" = "$(body 0x1003 3 "$W/godh.pem" | sed 's/^01000000001800/01000000000000/')" ]
ok $? "GODH certificate holds the GODH public key (usage PDH, ECDH)"
openssl pkey -in "$W/godh.pem" -pubout -out "$W/godh.pub" 2>/dev/null
Z=$(openssl pkeyutl -derive -inkey "$W/pdh.pem" -peerkey "$W/godh.pub" | xxd -p -c 100)
NONCE=$(slice "$W/session.bin" 0 16 | xxd -p -c 100)
slice "$W/session.bin" 16 32 >"$W/wrap_tk"
IV=$(slice "$W/session.bin" 48 16 | xxd -p -c 100)
WMAC=$(slice "$W/session.bin" 64 32 | xxd -p -c 100)
PMAC=$(slice "$W/session.bin" 96 32 | xxd -p -c 100)
MS=$(kdf16 "$Z" sev-master-secret "$NONCE")
KEK=$(kdf16 "$MS" sev-kek "")
KIK=$(kdf16 "$MS" sev-kik "")
KEYS=$(openssl enc -d -aes-128-ctr -K "$KEK" -iv "$IV" -nopad -in "$W/wrap_tk" | xxd -p -c 100)
[ "$KEYS" = "$(cat "$W/s/tek.bin" "$W/s/tik.bin" | xxd -p -c 100)" ]
ok $? "openssl: PDH-side ECDH + KDF + AES-CTR unwraps TEK || TIK"
[ "$WMAC" = "$(hmac "$KIK" "$W/wrap_tk")" ]
ok $? "openssl: WRAP_MAC = HMAC(KIK, WRAP_TK)"
unhex "$(le32 $POL)" >"$W/pol"
TIK=$(xxd -p -c 100 "$W/s/tik.bin")
TEK=$(xxd -p -c 100 "$W/s/tek.bin")
[ "$PMAC" = "$(hmac "$TIK" "$W/pol")" ]
ok $? "openssl: POLICY_MAC = HMAC(TIK, policy)"
run "$OWNER" show "$W/s/session.b64"
expect_rc 0 "show decodes a base64 session"
grep_out "WRAP_MAC   $WMAC"
ok $? "show prints the session's WRAP_MAC"
run "$OWNER" session --pdh "$W/pek.cert" --policy 1 --out-dir "$W/s2"
expect_rc 1 "session for a PEK certificate is refused (1)"
run "$OWNER" session --pdh "$W/pdh.cert" --policy 0x40 --out-dir "$W/s2"
expect_rc 2 "session with reserved policy bits: usage error 2"

# ---- measurement, cross-checked with openssl ----
head -c 65536 /dev/urandom >"$W/ovmf.fd"
head -c 4096 /dev/urandom >"$W/vmsa0"
head -c 4096 /dev/urandom >"$W/vmsa1"
MN=00112233445566778899aabbccddeeff
LD=$(cat "$W/ovmf.fd" "$W/vmsa0" "$W/vmsa1" | sha256sum | cut -c1-64)
unhex "04001805$(le32 0x5)$LD$MN" >"$W/mmsg"
EXP=$(hmac "$TIK" "$W/mmsg")
M=(--firmware "$W/ovmf.fd" --vmsa "$W/vmsa0" --vmsa "$W/vmsa1"
   --policy 0x5 --api-major 0 --api-minor 24 --build 5 --tik "$W/s/tik.bin")
run "$OWNER" measure "${M[@]}" --mnonce $MN
expect_rc 0 "measure"
grep_out "expected measurement: $EXP" && grep_out "launch digest:        $LD"
ok $? "openssl: measurement = HMAC(TIK, 04 || API || build || policy || LD || MNONCE)"
QB64=$(unhex "$EXP$MN" | base64 -w0)
grep_out "as QEMU reports it:   $QB64"
ok $? "measure prints MEASURE || MNONCE in base64"
run "$OWNER" verify-measurement "${M[@]}" --measurement "$QB64"
expect_rc 0 "verify-measurement: base64 MEASURE || MNONCE matches"
run "$OWNER" verify-measurement "${M[@]}" --measurement "$EXP" --mnonce $MN
expect_rc 0 "verify-measurement: hex MEASURE with --mnonce matches"
BAD=$(echo -n "$EXP" | sed 's/^./f/;s/^ff/0f/')
[ "$BAD" != "$EXP" ] || BAD=0${EXP:1}
run "$OWNER" verify-measurement "${M[@]}" --measurement "$BAD" --mnonce $MN
expect_rc 1 "verify-measurement: a different measurement fails (1)"
grep_out "MISMATCH"
ok $? "verify-measurement prints MISMATCH"
run "$OWNER" verify-measurement --firmware "$W/ovmf.fd" --vmsa "$W/vmsa1" \
	--vmsa "$W/vmsa0" --policy 0x5 --api-major 0 --api-minor 24 --build 5 \
	--tik "$W/s/tik.bin" --measurement "$QB64"
expect_rc 1 "verify-measurement: VMSAs in the wrong order fail"
run "$OWNER" verify-measurement "${M[@]}" --measurement "$QB64" --mnonce 00
expect_rc 2 "verify-measurement: malformed --mnonce is a usage error"
head -c 100 /dev/zero >"$W/vmsa-bad"
run "$OWNER" measure --firmware "$W/ovmf.fd" --vmsa "$W/vmsa-bad" --policy 0 \
	--api-major 0 --api-minor 24 --build 5 --zero-tik --mnonce $MN
expect_rc 1 "measure: a 100-byte VMSA is refused (1)"
unhex "04001805$(le32 0)$(sha256sum "$W/ovmf.fd" | cut -c1-64)$MN" >"$W/mmsg0"
run "$OWNER" measure --firmware "$W/ovmf.fd" --policy 0 --api-major 0 \
	--api-minor 24 --build 5 --zero-tik --mnonce $MN
grep_out "expected measurement: $(hmac 00000000000000000000000000000000 "$W/mmsg0")"
ok $? "measure --zero-tik uses the all-zero TIK"

# ---- SEV-ES: vmsa and --vcpus, vectors of shared/reference/sev-es-facts.md §3.3 ----
OVMF_DIR=${OVMF_DIR:-/usr/share/OVMF}
BSP_SHA=30a76bd1aa5adf81f02832d38c21e31b073cf0663dd2337455db2a3c210666af
AP_SHA=3d1cd8f98c320cb09405dae226a8bd6e18d8bfc0b4babda508c10963a6f3df19
sha() { sha256sum "$@" | cut -c1-64; }
at() { xxd -s $(($2)) -l $(($3)) -p "$1"; }	# at FILE OFFSET LEN -> hex

run "$OWNER" vmsa --cpu-signature 23/1/2 -o "$W/bsp"
expect_rc 0 "vmsa: BSP for EPYC 23/1/2"
[ "$(stat -c %s "$W/bsp")" = 4096 ] && [ "$(sha "$W/bsp")" = $BSP_SHA ]
ok $? "vmsa: the BSP page is 4096 bytes with SHA-256 30a76bd1... (facts §3.3)"
grep_out "SHA-256 $BSP_SHA"
ok $? "vmsa prints the page's SHA-256"
[ "$(at "$W/bsp" 0x310 8)" = 120f800000000000 ] &&
	[ "$(at "$W/bsp" 0x148 8)" = 4000000000000000 ] &&
	[ "$(at "$W/bsp" 0x10 16)" = 00f09b00ffff00000000ffff00000000 ] &&
	[ "$(at "$W/bsp" 0x178 8)" = f0ff000000000000 ] &&
	[ "$(at "$W/bsp" 0x3b0 8)" = 0000000000000000 ]
ok $? "xxd: RDX = 0x00800F12 at 0x310, CR4 = 0x40 at 0x148, CS f000/9b/ffff/ffff0000, RIP 0xfff0, sev_features 0"
run "$OWNER" vmsa --cpu-signature 0x00800F12 --vcpu 0 --out "$W/bsp-raw"
cmp -s "$W/bsp" "$W/bsp-raw"
ok $? "vmsa: a raw 0x00800F12 signature gives the same page"
run "$OWNER" vmsa --cpu-signature 0x17/0x1/0x2 -o "$W/bsp-hex"
cmp -s "$W/bsp" "$W/bsp-hex"
ok $? "vmsa: hex family/model/stepping 0x17/0x1/0x2 gives the same page"
run "$OWNER" vmsa --cpu-signature 23/1/2 --no-cr4-mce -o "$W/bsp-nomce"
[ "$(cmp -l "$W/bsp" "$W/bsp-nomce" | wc -l)" = 1 ] &&
	[ "$(at "$W/bsp-nomce" 0x148 8)" = 0000000000000000 ]
ok $? "vmsa --no-cr4-mce: only CR4 differs (0)"
for sig in 23/49/0:00830f10 25/1/1:00a00f11 25/17/0:00a10f10; do
	run "$OWNER" vmsa --cpu-signature "${sig%%:*}" -o "$W/bsp-sig"
	[ $rc = 0 ] && [ "$(at "$W/bsp-sig" 0x310 8)" = "$(revhex "${sig##*:}")00000000" ]
	ok $? "vmsa: signature ${sig%%:*} puts 0x${sig##*:} in RDX"
done

run "$OWNER" vmsa --cpu-signature 23/1/2 --vcpu 1 --reset-addr 0x0080B004 -o "$W/ap"
expect_rc 0 "vmsa: AP with --reset-addr"
[ "$(sha "$W/ap")" = $AP_SHA ]
ok $? "vmsa: the AP page for A = 0x0080B004 has SHA-256 3d1cd8f9... (facts §3.3)"
[ "$(at "$W/ap" 0x18 8)" = 0000800000000000 ] && [ "$(at "$W/ap" 0x178 8)" = 04b0000000000000 ] &&
	[ "$(cmp -l "$W/bsp" "$W/ap" | wc -l)" = 4 ]
ok $? "xxd: the AP differs from the BSP in CS.base (0x800000) and RIP (0xb004) only"

run "$OWNER" vmsa --cpu-signature 23/1/2 --vcpu 1 -o "$W/x"
expect_rc 2 "vmsa: an AP without a reset address is a usage error"
run "$OWNER" vmsa --cpu-signature 23/1/2 --vcpu 1 --reset-addr 0 -o "$W/x"
expect_rc 2 "vmsa: reset address 0 is a usage error"
run "$OWNER" vmsa --cpu-signature 23/1/2 --vcpu 1 --reset-addr 1 --ovmf "$W/ovmf.fd" -o "$W/x"
expect_rc 2 "vmsa: --reset-addr with --ovmf is a usage error"
for bad in 23/1 23/1/2/3 271/0/0 23/256/0 23/1/16 23 0x1ffffffff 23/-1/2; do
	run "$OWNER" vmsa --cpu-signature "$bad" -o "$W/x"
	[ $rc = 2 ] || echo "# --cpu-signature $bad: exit $rc"
	[ $rc = 2 ]
	ok $? "vmsa: --cpu-signature $bad is a usage error"
done
run "$OWNER" vmsa --cpu-signature 23/1/2
expect_rc 2 "vmsa without -o is a usage error"
run "$OWNER" vmsa --cpu-signature 23/1/2 --vcpu 1024 --reset-addr 1 -o "$W/x"
expect_rc 2 "vmsa: --vcpu 1024 is out of range"

# OVMF footer tables built here byte by byte: addr || 22 || reset GUID ||
# total || footer GUID || 32 bytes, at the end of a 4 KiB image
RESET_GUID=de71f7007e1acb4f890e68c77e2fb44e
FOOTER_GUID=de82b596b21ff745baeaa366c55a082d
mkovmf() {	# mkovmf FILE ADDR [TOTAL [ENTRYLEN]]
	local tail
	tail="$(le32 "$2")$(revhex "$(padhex "$(printf %x "${4:-22}")" 4)")$RESET_GUID"
	tail="$tail$(revhex "$(padhex "$(printf %x "${3:-40}")" 4)")$FOOTER_GUID$(zeros 32)"
	{ head -c $((4096 - ${#tail} / 2)) /dev/zero; unhex "$tail"; } >"$1"
}
mkovmf "$W/t-ok.fd" 0x00123456
run "$OWNER" vmsa --cpu-signature 23/1/2 --vcpu 2 --ovmf "$W/t-ok.fd" -o "$W/t-ap"
expect_rc 0 "vmsa --ovmf: a footer table built by hand"
grep_out "SEV-ES reset address: 0x00123456 (footer table" &&
	[ "$(at "$W/t-ap" 0x18 8)" = 0000120000000000 ] &&
	[ "$(at "$W/t-ap" 0x178 8)" = 5634000000000000 ]
ok $? "vmsa --ovmf: reset 0x00123456 -> CS.base 0x120000, RIP 0x3456"
mkovmf "$W/t-zero.fd" 0
run "$OWNER" vmsa --cpu-signature 23/1/2 --vcpu 1 --ovmf "$W/t-zero.fd" -o "$W/x"
expect_rc 1 "vmsa --ovmf: a zero reset address fails (1)"
grep_err "SEV-ES reset address is zero"
ok $? "vmsa --ovmf: the error says the reset address is zero"
mkovmf "$W/t-long.fd" 0x1000 5000
run "$OWNER" vmsa --cpu-signature 23/1/2 --vcpu 1 --ovmf "$W/t-long.fd" -o "$W/x"
expect_rc 1 "vmsa --ovmf: a table length past the start of the image fails"
grep_err "runs past the start of the image"
ok $? "vmsa --ovmf: the error names the table length"
mkovmf "$W/t-elen.fd" 0x1000 40 4000
run "$OWNER" vmsa --cpu-signature 23/1/2 --vcpu 1 --ovmf "$W/t-elen.fd" -o "$W/x"
expect_rc 1 "vmsa --ovmf: an entry length past the table fails"
grep_err "past the start of the table"
ok $? "vmsa --ovmf: the error names the entry length"
mkovmf "$W/t-short.fd" 0x1000 40 21
run "$OWNER" vmsa --cpu-signature 23/1/2 --vcpu 1 --ovmf "$W/t-short.fd" -o "$W/x"
expect_rc 1 "vmsa --ovmf: a reset block of 3 data bytes fails"
tail -c 60 "$W/t-ok.fd" >"$W/t-trunc.fd"
run "$OWNER" vmsa --cpu-signature 23/1/2 --vcpu 1 --ovmf "$W/t-trunc.fd" -o "$W/x"
expect_rc 1 "vmsa --ovmf: a truncated table fails"
run "$OWNER" vmsa --cpu-signature 23/1/2 --vcpu 1 --ovmf "$W/ovmf.fd" -o "$W/x"
expect_rc 1 "vmsa --ovmf: an image without a footer table fails"
grep_err "no SEV-ES reset block"
ok $? "vmsa --ovmf: the error says there is no SEV-ES reset block"
[ ! -e "$W/x" ]
ok $? "vmsa: nothing written on any error"

run "$OWNER" vmsa --decode "$W/ap"
expect_rc 0 "vmsa --decode"
grep_out "^  cs       0xf000   0x009b 0x0000ffff 0x0000000000800000" &&
	grep_out "^  rdx  *0x0000000000800f12  (as a CPU signature: family 23 model 1 stepping 2)" &&
	grep_out "^  g_pat  *0x0007040600070406" &&
	grep_out "^entry point (cs.base + rip): 0x80b004" &&
	grep_out "^reserved bytes: all zero" && grep_out "^SHA-256 $AP_SHA"
ok $? "vmsa --decode shows segments, registers, entry point and SHA-256"
cp "$W/bsp" "$W/bsp-odd"
printf '\x01' | dd of="$W/bsp-odd" bs=1 seek=$((0x800)) conv=notrunc status=none
run "$OWNER" vmsa --decode "$W/bsp-odd"
grep_out "^reserved bytes: 0x800-0x800 NON-ZERO"
ok $? "vmsa --decode names a non-zero reserved byte"
run "$OWNER" vmsa --decode "$W/vmsa-bad"
expect_rc 1 "vmsa --decode: a 100-byte file fails (1)"
run "$OWNER" vmsa --decode "$W/bsp" -o "$W/x"
expect_rc 2 "vmsa --decode with -o is a usage error"

# launch digests of Debian's OVMF images (facts §3.3), recomputed by
# coreutils from the pages above when the installed file is another build
ES=(--policy 0x5 --api-major 0 --api-minor 24 --build 5 --tik "$W/s/tik.bin")
ld_case() {	# ld_case FILE FILE-SHA VCPUS RESET LD
	local f=$OVMF_DIR/$1 fs want i
	if [ ! -r "$f" ]; then
		ok 1 "$f is readable (Debian package ovmf)"
		return
	fi
	fs=$(sha "$f")
	run "$OWNER" vmsa --cpu-signature 23/1/2 --vcpu 1 --ovmf "$f" -o "$W/ap-$1"
	want=$5
	if [ "$fs" = "$2" ]; then
		grep_out "SEV-ES reset address: $4 (footer table"
		ok $? "vmsa --ovmf $1: reset address $4"
	else
		echo "# $f has SHA-256 $fs, not the $2 of the facts: LD from coreutils instead"
		[ $rc = 0 ] && grep_out "SEV-ES reset address: 0x[0-9a-f]\{8\} (footer table" &&
			! grep_out "address: 0x00000000"
		ok $? "vmsa --ovmf $1 (another build): a non-zero reset address"
		want=$(cat "$f" "$W/bsp" $(for ((i = 1; i < $3; i++)); do echo "$W/ap-$1"; done) | sha)
	fi
	run "$OWNER" measure --firmware "$f" --vcpus "$3" --cpu-signature 23/1/2 \
		"${ES[@]}" --mnonce $MN
	[ $rc = 0 ] && grep_out "launch digest:        $want"
	ok $? "measure --vcpus $3 --cpu-signature 23/1/2 on $1: LD ${want:0:8}..."
}
ld_case OVMF_CODE.fd d9b568def24088c92f34b5479e0ed7e44d0a4d4cea8a0f5716719180bba48106 \
	1 0x0080b004 eba1359b4bdf7745d72c9de18582cbb352f81d55c4cedaa428cc7559db8dfbf8
ld_case OVMF_CODE.fd d9b568def24088c92f34b5479e0ed7e44d0a4d4cea8a0f5716719180bba48106 \
	4 0x0080b004 df57443379501f0e84aabb3d54227be9058a9103df5377eebb649effae29f496
ld_case OVMF_CODE_4M.fd b157d97b1f69729514feb7f201d2cbe4957f23ab77920e361fe9f822ba49ca4c \
	2 0x00808004 03c70eb80632e916b5ef3fead45cbcf79c58350cec2672bddb3999586ae0ac7d

# verify-measurement with --vcpus against an HMAC made by openssl
OV=$OVMF_DIR/OVMF_CODE.fd
ES_LD=$(cat "$OV" "$W/bsp" "$W/ap-OVMF_CODE.fd" "$W/ap-OVMF_CODE.fd" \
	"$W/ap-OVMF_CODE.fd" | sha)
unhex "04001805$(le32 0x5)$ES_LD$MN" >"$W/esmsg"
ES_QB64=$(unhex "$(hmac "$TIK" "$W/esmsg")$MN" | base64 -w0)
V4=(--firmware "$OV" --cpu-signature 23/1/2 "${ES[@]}" --measurement "$ES_QB64")
run "$OWNER" verify-measurement --vcpus 4 "${V4[@]}"
expect_rc 0 "verify-measurement --vcpus 4: matches HMAC(TIK, ... LD(OVMF || BSP || 3 APs) ...) from openssl"
grep_out "VMSA of vCPU 0 (BSP):  SHA-256 $BSP_SHA" &&
	grep_out "VMSA of vCPUs 1-3 (APs): SHA-256 $AP_SHA each"
ok $? "verify-measurement --vcpus prints the VMSAs' SHA-256"
run "$OWNER" verify-measurement --vcpus 3 "${V4[@]}"
expect_rc 1 "verify-measurement: a wrong vCPU count (3 for 4) fails"
run "$OWNER" verify-measurement --vcpus 4 --firmware "$OV" --cpu-signature 25/1/1 \
	"${ES[@]}" --measurement "$ES_QB64"
expect_rc 1 "verify-measurement: a wrong CPU signature (EPYC-Milan) fails"
run "$OWNER" verify-measurement --vcpus 4 --no-cr4-mce "${V4[@]}"
expect_rc 1 "verify-measurement: --no-cr4-mce changes the measurement"
run "$OWNER" verify-measurement --vcpus 4 --reset-addr 0x0080b000 "${V4[@]}"
expect_rc 1 "verify-measurement: another --reset-addr changes the measurement"
run "$OWNER" vmsa --cpu-signature 23/1/2 --vcpu 1 --ovmf "$OV" -o "$W/x-ap"
RA=$(sed -n 's/^SEV-ES reset address: \(0x[0-9a-f]*\) .*/\1/p' "$W/out")
rm -f "$W/x-ap"
run "$OWNER" verify-measurement --vcpus 4 --reset-addr "${RA:-none}" "${V4[@]}"
expect_rc 0 "verify-measurement: --reset-addr ${RA:-none} (the file's reset block) matches"
run "$OWNER" verify-measurement --firmware "$OV" --vmsa "$W/bsp" \
	--vmsa "$W/ap-OVMF_CODE.fd" --vmsa "$W/ap-OVMF_CODE.fd" \
	--vmsa "$W/ap-OVMF_CODE.fd" "${ES[@]}" --measurement "$ES_QB64"
expect_rc 0 "verify-measurement: the same VMSAs as --vmsa files match"
run "$OWNER" measure --firmware "$W/ovmf.fd" --vcpus 2 --reset-addr 0x80b004 \
	--cpu-signature 23/1/2 "${ES[@]}" --mnonce $MN
grep_out "launch digest:        $(cat "$W/ovmf.fd" "$W/bsp" "$W/ap" | sha)"
ok $? "measure --vcpus 2 --reset-addr on an image without a table"
run "$OWNER" measure --firmware "$W/ovmf.fd" --vcpus 1 --cpu-signature 23/1/2 \
	"${ES[@]}" --mnonce $MN
grep_out "launch digest:        $(cat "$W/ovmf.fd" "$W/bsp" | sha)"
ok $? "measure --vcpus 1 needs no reset block"
run "$OWNER" measure --firmware "$W/ovmf.fd" --vcpus 2 --cpu-signature 23/1/2 \
	"${ES[@]}" --mnonce $MN
expect_rc 1 "measure --vcpus 2 with an image without a reset block fails (1)"
grep_err "no SEV-ES reset block"
ok $? "measure --vcpus 2: the error says there is no SEV-ES reset block"
run "$OWNER" measure --firmware "$W/t-zero.fd" --vcpus 2 --cpu-signature 23/1/2 \
	"${ES[@]}" --mnonce $MN
expect_rc 1 "measure --vcpus 2 with a zero reset address fails (1)"
run "$OWNER" measure --firmware "$OV" --vcpus 2 --vmsa "$W/bsp" \
	--cpu-signature 23/1/2 "${ES[@]}" --mnonce $MN
expect_rc 2 "measure: --vcpus with --vmsa is a usage error"
run "$OWNER" measure --firmware "$OV" --cpu-signature 23/1/2 "${ES[@]}" --mnonce $MN
expect_rc 2 "measure: --cpu-signature without --vcpus is a usage error"
run "$OWNER" measure --firmware "$OV" --vcpus 2 "${ES[@]}" --mnonce $MN
expect_rc 2 "measure: --vcpus without --cpu-signature is a usage error"
for v in 0 1025 x; do
	run "$OWNER" measure --firmware "$OV" --vcpus $v --cpu-signature 23/1/2 \
		"${ES[@]}" --mnonce $MN
	expect_rc 2 "measure: --vcpus $v is a usage error"
done
run "$OWNER" measure --firmware "$OV" --firmware "$W/ovmf.fd" --vcpus 2 \
	--cpu-signature 23/1/2 "${ES[@]}" --mnonce $MN
expect_rc 2 "measure: --vcpus 2 with two --firmware images and no --reset-addr is a usage error"
run "$OWNER" measure --firmware "$OV" --vcpus 1 --cpu-signature 23/1/2 \
	--policy 0x1 --api-major 0 --api-minor 24 --build 5 --zero-tik --mnonce $MN
expect_rc 0 "measure --vcpus with a non-ES policy still computes"
grep_err "lacks the ES bit"
ok $? "measure --vcpus with a non-ES policy warns"

# ---- secret, cross-checked with openssl ----
printf 'top secret disk key' >"$W/secret.txt"
run "$OWNER" secret --tek "$W/s/tek.bin" --tik "$W/s/tik.bin" \
	--measurement "$QB64" --secret "$W/secret.txt" \
	--out-header "$W/hdr.bin" --out-data "$W/data.bin"
expect_rc 0 "secret builds a packet"
[ "$(stat -c %s "$W/hdr.bin")" = 52 ] && [ "$(stat -c %s "$W/data.bin")" = 32 ]
ok $? "secret header 0x34 bytes, data padded to 32"
SIV=$(slice "$W/hdr.bin" 4 16 | xxd -p -c 100)
SMAC=$(slice "$W/hdr.bin" 20 32 | xxd -p -c 100)
{ cat "$W/secret.txt"; head -c 13 /dev/zero; } >"$W/secret.pad"
openssl enc -d -aes-128-ctr -K "$TEK" -iv "$SIV" -nopad -in "$W/data.bin" |
	cmp -s - "$W/secret.pad"
ok $? "openssl: AES-128-CTR(TEK, IV) decrypts the data to the padded secret"
unhex "01$(le32 0)$SIV$(le32 32)$(le32 32)$(hexfile "$W/data.bin")$EXP" >"$W/smsg"
[ "$SMAC" = "$(hmac "$TIK" "$W/smsg")" ] && [ "$(slice "$W/hdr.bin" 0 4 | xxd -p)" = 00000000 ]
ok $? "openssl: MAC = HMAC(TIK, 01 || FLAGS || IV || lens || data || MEASURE)"
run "$OWNER" secret --tek "$W/s/tek.bin" --tik "$W/s/tik.bin" \
	--measurement "$EXP" --secret "$W/secret.txt" \
	--out-header "$W/hdr.b64" --out-data "$W/data.b64" --base64
expect_rc 0 "secret --base64"
[ "$(base64 -d "$W/hdr.b64" | wc -c)" = 52 ]
ok $? "secret --base64 writes base64"
run "$OWNER" secret --tek "$W/s/tik.bin" --tik "$W/s/tik.bin" \
	--measurement "$EXP" --secret "$W/ovmf.fd" \
	--out-header "$W/h" --out-data "$W/d"
expect_rc 1 "secret larger than 0x5000 bytes is refused"
run "$OWNER" secret --tek "$W/ovmf.fd" --tik "$W/s/tik.bin" \
	--measurement "$EXP" --secret "$W/secret.txt" \
	--out-header "$W/h" --out-data "$W/d"
expect_rc 1 "secret with a TEK file of the wrong size is refused"

# ---- sev-host against the fake device ----
F=$W/fake
mkdir -p "$F"
cp "$W/pdh.cert" "$F/pdh.cert"
cp "$W/chain.cert" "$F/chain.cert"
cp "$W/csr.cert" "$F/csr.cert"
: >"$W/dev"
H() { env LD_PRELOAD="$T/tests/fakesev.so" FAKESEV_DIR="$F" \
	SEV_DEVICE="$W/dev" "$@"; }

run H "$HOST" status
expect_rc 0 "sev-host status"
grep_out "API version:  0.24" && grep_out "state:        INIT (1)" &&
	grep_out "externally owned" && grep_out "guest count:  2" &&
	grep_out "SEV-ES:       initialised"
ok $? "status decodes API, state, owner, ES and guest count"
run H "$HOST" status --json
expect_rc 0 "sev-host status --json"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["api_minor"] == 24 and d["state"] == "INIT" and d["config_es"] is True and d["owner"] == "external"' "$W/out"
ok $? "status --json is valid JSON with the right values"

run H "$HOST" export --pdh "$W/e-pdh.cert" --chain "$W/e-chain.cert" --split "$W/split"
expect_rc 0 "sev-host export (length query, then fetch)"
cmp -s "$W/e-pdh.cert" "$W/pdh.cert" && cmp -s "$W/e-chain.cert" "$W/chain.cert" &&
	cmp -s "$W/split/pek.cert" "$W/pek.cert" && cmp -s "$W/split/oca.cert" "$W/oca.cert" &&
	cmp -s "$W/split/cek.cert" "$W/cek-unsigned.cert" && cmp -s "$W/split/pdh.cert" "$W/pdh.cert"
ok $? "export writes the PDH, the chain and the split certificates"
run "$OWNER" verify "${V[@]}" --pdh "$W/e-pdh.cert" --chain "$W/e-chain.cert"
expect_rc 0 "export + verify round trip"
cp "$W/pdh-foreign.cert" "$F/pdh.cert"
run H "$HOST" export --pdh "$W/e2-pdh.cert"
expect_rc 1 "export of a PDH the PEK did not sign: negative result (1)"
grep_err "exported PDH is not signed by the PEK: bad signature"
ok $? "export names the inconsistent link"
cp "$W/chain-flip.cert" "$F/chain.cert"
run H "$HOST" export --chain "$W/e2-chain.cert"
expect_rc 1 "export of a chain with a corrupted OCA signature: 1"
cp "$W/pdh.cert" "$F/pdh.cert"
cp "$W/chain.cert" "$F/chain.cert"

run H "$HOST" pek-csr "$W/e-csr.cert"
expect_rc 0 "sev-host pek-csr"
cmp -s "$W/e-csr.cert" "$W/csr.cert"
ok $? "pek-csr writes the CSR"
run H "$HOST" pek-import --pek "$W/pek-owned.cert" --oca "$W/myoca.cert"
expect_rc 0 "sev-host pek-import"
cmp -s "$F/imported-pek.cert" "$W/pek-owned.cert" && cmp -s "$F/imported-oca.cert" "$W/myoca.cert"
ok $? "pek-import passes both certificates to the device"

run H "$HOST" get-id --hex
expect_rc 0 "sev-host get-id --hex"
[ "$(cat "$W/out")" = "$(seq 0 63 | xargs printf '%02X')" ]
ok $? "get-id prints the 64-byte id in upper-case hex"
run H "$HOST" get-id --out "$W/id.bin"
grep_out "kdsintf.amd.com/cek/id/000102" && [ "$(stat -c %s "$W/id.bin")" = 64 ]
ok $? "get-id shows the KDS URL and writes the raw id"

run H "$HOST" pdh-gen
expect_rc 0 "sev-host pdh-gen"
run H "$HOST" pek-gen
expect_rc 0 "sev-host pek-gen"
H "$HOST" factory-reset </dev/null >"$W/out" 2>"$W/err"
rc=$?
expect_rc 2 "factory-reset without a terminal and without --force is refused"
grep -q FACTORY_RESET "$F/log"
[ $? != 0 ]
ok $? "refused factory-reset did not reach the device"
run H "$HOST" factory-reset --force
expect_rc 0 "factory-reset --force"
grep -q FACTORY_RESET "$F/log"
ok $? "factory-reset --force reached the device"
if command -v script >/dev/null; then
	echo no | H script -qec "$HOST factory-reset" /dev/null >"$W/out" 2>&1
	rc=$?
	expect_rc 1 "factory-reset on a terminal answered 'no' does nothing (1)"
else
	ok 1 "factory-reset on a terminal (needs script(1) from util-linux)"
fi

run env LD_PRELOAD="$T/tests/fakesev.so" FAKESEV_FW=1 SEV_DEVICE="$W/dev" "$HOST" pdh-gen
expect_rc 4 "firmware error: exit 4"
grep_err "PDH_GEN failed: firmware error INVALID_PLATFORM_STATE (0x1) (errno EIO"
ok $? "firmware error reported by name, code and errno"
run env LD_PRELOAD="$T/tests/fakesev.so" FAKESEV_FW=0x0b SEV_DEVICE="$W/dev" "$HOST" export --chain "$W/x"
expect_rc 4 "export with a firmware error: exit 4"
grep_err "BAD_MEASUREMENT (0xb)"
ok $? "status 0xb is reported as BAD_MEASUREMENT"
run env LD_PRELOAD="$T/tests/fakesev.so" FAKESEV_ERRNO=13 SEV_DEVICE="$W/dev" "$HOST" status
expect_rc 3 "driver error without firmware status: exit 3"
grep_err "EACCES"
ok $? "driver error reported with its errno name"
run env SEV_DEVICE="$W/no-such-device" "$HOST" status
expect_rc 3 "missing device: exit 3"
run "$HOST" --device "$W/no-such-device" get-id
expect_rc 3 "--device selects the device node"

# ---- sev-host on a device that breaks the length contract (issue 13) ----
# sev-host built with ASan and UBSan, on a fake device that answers the
# length query small and then reports more bytes written than the buffer it
# was given (or none, or fewer): it must refuse cleanly, create or change
# no file and read nothing past its buffers.
AH=$T/tests/sev-host-asan
SAN=$W/san
sanrun() {	# sanrun [VAR=VALUE...] CMD...: CMD with sanitizer logs in $SAN
	rm -rf "$SAN"
	mkdir -p "$SAN"
	run env LD_PRELOAD="$T/tests/fakesev.so" FAKESEV_DIR="$F" \
		SEV_DEVICE="$W/dev" \
		ASAN_OPTIONS="verify_asan_link_order=0:exitcode=99:log_path=$SAN/asan" \
		UBSAN_OPTIONS="print_stacktrace=1:exitcode=98:log_path=$SAN/ubsan" \
		"$@"
}
san_clean() {	# san_clean NAME: the last sanrun left no sanitizer report
	local r=0

	if [ -n "$(ls -A "$SAN")" ]; then
		grep -hE 'ERROR|SUMMARY|runtime error|^ +#[0-4] ' "$SAN"/* |
			head -12 | sed 's/^/# /'
		r=1
	fi
	ok $r "$1: ASan and UBSan report nothing"
}
refused() {	# refused NAME MESSAGE: the last sanrun refused with MESSAGE
	expect_rc 1 "$1: refused with exit status 1"
	grep_err "$2" && grep_err "nothing written"
	ok $? "$1: the message says what the device reported"
	san_clean "$1"
}
ID_HEX=$(seq 0 63 | xargs printf '%02X')

nm "$AH" 2>/dev/null | grep -q __asan_report_load
ok $? "sev-host-asan is built with AddressSanitizer"
sanrun "$AH" pek-csr "$W/a-csr.cert"
expect_rc 0 "ASan sev-host pek-csr on an honest device"
cmp -s "$W/a-csr.cert" "$W/csr.cert"
ok $? "ASan sev-host pek-csr writes the CSR"
san_clean "pek-csr on an honest device"
sanrun "$AH" export --pdh "$W/a-pdh.cert" --chain "$W/a-chain.cert"
expect_rc 0 "ASan sev-host export on an honest device"
cmp -s "$W/a-pdh.cert" "$W/pdh.cert" && cmp -s "$W/a-chain.cert" "$W/chain.cert"
ok $? "ASan sev-host export writes the PDH and the chain"
san_clean "export on an honest device"
sanrun "$AH" get-id --hex
expect_rc 0 "ASan sev-host get-id on an honest device"
[ "$(cat "$W/out")" = "$ID_HEX" ]
ok $? "ASan sev-host get-id prints the id"
san_clean "get-id on an honest device"

# PEK_CSR: 64 bytes, then 2084 written; an existing output stays as it was
echo "previous contents" >"$W/l-csr.orig"
cp "$W/l-csr.orig" "$W/l-csr.cert"
sanrun FAKESEV_QUERY_LEN=64 FAKESEV_FETCH_LEN=2084 "$AH" pek-csr "$W/l-csr.cert"
refused "pek-csr, length 64 then 2084 written" \
	"PEK_CSR failed: the device reported 2084 bytes of the CSR written into a 64-byte buffer"
cmp -s "$W/l-csr.cert" "$W/l-csr.orig"
ok $? "pek-csr, length 64 then 2084 written: the existing file is untouched"

# PDH_CERT_EXPORT: both lengths 256, then 6252 written
rm -rf "$W"/l-*
sanrun FAKESEV_QUERY_LEN=256 FAKESEV_FETCH_LEN=6252 "$AH" export \
	--pdh "$W/l-pdh.cert" --chain "$W/l-chain.cert" --split "$W/l-split"
refused "export, lengths 256 then 6252 written" \
	"PDH_CERT_EXPORT failed: the device reported 6252 bytes of the PDH certificate written into a 256-byte buffer"
[ ! -e "$W/l-pdh.cert" ] && [ ! -e "$W/l-chain.cert" ] && [ ! -e "$W/l-split" ]
ok $? "export, lengths 256 then 6252 written: no file or directory created"

# PDH_CERT_EXPORT: an honest PDH, the chain 2084 bytes, then 6252 written
rm -rf "$W"/l-*
sanrun FAKESEV_LIE_BLOB=chain.cert FAKESEV_QUERY_LEN=2084 \
	FAKESEV_FETCH_LEN=6252 "$AH" export --pdh "$W/l-pdh.cert" \
	--chain "$W/l-chain.cert" --split "$W/l-split"
refused "export, chain length 2084 then 6252 written" \
	"PDH_CERT_EXPORT failed: the device reported 6252 bytes of the certificate chain written into a 2084-byte buffer"
[ ! -e "$W/l-pdh.cert" ] && [ ! -e "$W/l-chain.cert" ] && [ ! -e "$W/l-split" ]
ok $? "export, chain length 2084 then 6252 written: no file or directory created"

# GET_ID2: 16 bytes, then 64 written
rm -rf "$W"/l-*
sanrun FAKESEV_QUERY_LEN=16 FAKESEV_FETCH_LEN=64 "$AH" get-id --out "$W/l-id.bin"
refused "get-id, length 16 then 64 written" \
	"GET_ID2 failed: the device reported 64 bytes of the chip id written into a 16-byte buffer"
[ ! -e "$W/l-id.bin" ] && [ ! -s "$W/out" ]
ok $? "get-id, length 16 then 64 written: no file written, no id printed"

# the fetch reports nothing written
rm -rf "$W"/l-*
sanrun FAKESEV_FETCH_LEN=0 "$AH" pek-csr "$W/l-csr0.cert"
refused "pek-csr, 0 bytes written" \
	"PEK_CSR failed: the device reported 0 bytes of the CSR written"
[ ! -e "$W/l-csr0.cert" ]
ok $? "pek-csr, 0 bytes written: no file written"
rm -rf "$W"/l-*
sanrun FAKESEV_LIE_BLOB=chain.cert FAKESEV_FETCH_LEN=0 "$AH" export \
	--pdh "$W/l-pdh.cert" --chain "$W/l-chain.cert"
refused "export, 0 bytes of chain written" \
	"PDH_CERT_EXPORT failed: the device reported 0 bytes of the certificate chain written"
[ ! -e "$W/l-pdh.cert" ] && [ ! -e "$W/l-chain.cert" ]
ok $? "export, 0 bytes of chain written: no file written"
rm -rf "$W"/l-*
sanrun FAKESEV_FETCH_LEN=0 "$AH" get-id --out "$W/l-id.bin"
refused "get-id, 0 bytes written" \
	"GET_ID2 failed: the device reported 0 bytes of the chip id written"
[ ! -e "$W/l-id.bin" ] && [ ! -s "$W/out" ]
ok $? "get-id, 0 bytes written: no file written, no id printed"

# a length query out of range
rm -rf "$W"/l-*
echo "previous contents" >"$W/l-csr.orig"
cp "$W/l-csr.orig" "$W/l-csr.cert"
sanrun FAKESEV_QUERY_LEN=0x5000 "$AH" pek-csr "$W/l-csr.cert"
refused "pek-csr, length query 0x5000" \
	"PEK_CSR failed: the length query reported 20480 bytes for the CSR (limit 16384)"
cmp -s "$W/l-csr.cert" "$W/l-csr.orig"
ok $? "pek-csr, length query 0x5000: the existing file is untouched"
rm -rf "$W"/l-*
sanrun FAKESEV_QUERY_LEN=0 "$AH" get-id --out "$W/l-id.bin"
refused "get-id, length query 0" \
	"GET_ID2 failed: the length query reported 0 bytes for the chip id"
[ ! -e "$W/l-id.bin" ]
ok $? "get-id, length query 0: no file written"

# fewer bytes written than the buffer holds: only those are used
rm -rf "$W"/l-*
sanrun FAKESEV_FETCH_LEN=1000 "$AH" pek-csr "$W/l-short.cert"
expect_rc 1 "pek-csr, 2084 then 1000 written: the short CSR is malformed (1)"
head -c 1000 "$W/csr.cert" | cmp -s - "$W/l-short.cert"
ok $? "pek-csr, 2084 then 1000 written: the file holds just those 1000 bytes"
san_clean "pek-csr, 2084 then 1000 written"
sanrun FAKESEV_FETCH_LEN=32 "$AH" get-id --out "$W/l-id32.bin"
expect_rc 0 "get-id, 64 then 32 written"
head -c 32 "$W/id.bin" | cmp -s - "$W/l-id32.bin" &&
	grep_err "id length 32 is not a multiple of 64"
ok $? "get-id, 64 then 32 written: writes those 32 bytes and warns"
san_clean "get-id, 64 then 32 written"

# the deprecated GET_ID (no GET_ID2) has a fixed size and no length
sanrun FAKESEV_NO_GET_ID2=1 FAKESEV_QUERY_LEN=16 FAKESEV_FETCH_LEN=4096 \
	"$AH" get-id --hex --out "$W/l-id128.bin"
expect_rc 0 "get-id through the deprecated GET_ID"
[ "$(cat "$W/out")" = "$ID_HEX" ] && [ "$(stat -c %s "$W/l-id128.bin")" = 128 ]
ok $? "get-id through GET_ID: prints socket 0, writes the 128 bytes"
san_clean "get-id through the deprecated GET_ID"

echo "1..$n"
[ $failed = 0 ] || echo "# $failed of $n tests failed"
[ $failed = 0 ]
