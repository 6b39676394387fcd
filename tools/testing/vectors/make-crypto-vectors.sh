#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Regenerate the known-answer vectors of the software SEV firmware's crypto
# KUnit suites (drivers/crypto/ccp/sev-emu/sevfw-{crypto,ecc,cert}_test.c)
# with tools that are independent of the project: the openssl CLI for
# P-384, ECDSA, ECDH and AES-CTR, and python3's hashlib/hmac for HMAC and
# the SP 800-108 KDF (written from the formula in the facts sheet, §8.5).
#
# Takes no arguments and needs no network. Prints C array initializers,
# named as in the test files. Everything is deterministic except the ECDSA
# signatures (OpenSSL picks a random nonce), which verify under the same
# keys whatever their value.

set -euo pipefail

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# hexdump of a file as one lowercase hex string
hex() { od -An -v -tx1 "$1" | tr -d ' \n'; }

# print_c NAME HEX: a C initializer, 8 bytes per line
print_c() {
	python3 -c '
import sys
name, h = sys.argv[1], sys.argv[2]
b = bytes.fromhex(h)
print("/* %s (%d bytes) */" % (name, len(b)))
for i in range(0, len(b), 8):
    print("\t" + " ".join("0x%02x," % c for c in b[i:i + 8]))
' "$1" "$2"
}

# A P-384 key with the private scalar D (96 hex digits); OpenSSL derives
# the public key from an SEC1 ECPrivateKey that carries only the scalar.
# make_key NAME D -> $tmp/NAME.pem, $tmp/NAME.pub.pem, $tmp/NAME.{d,x,y}
make_key() {
	python3 - "$tmp/$1" "$2" <<'EOF'
import sys
n = int("ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf"
        "581a0db248b0a77aecec196accc52973", 16)
d = bytes.fromhex(sys.argv[2])
assert len(d) == 48 and 1 <= int.from_bytes(d, "big") < n
oid_p384 = bytes.fromhex("06052b81040022")
body = bytes.fromhex("020101") + b"\x04\x30" + d + b"\xa0\x07" + oid_p384
open(sys.argv[1] + ".der", "wb").write(bytes([0x30, len(body)]) + body)
open(sys.argv[1] + ".d", "wb").write(d)
EOF
	openssl ec -inform DER -in "$tmp/$1.der" -out "$tmp/$1.pem" 2>/dev/null
	openssl ec -in "$tmp/$1.pem" -pubout -out "$tmp/$1.pub.pem" 2>/dev/null
	openssl ec -in "$tmp/$1.pem" -pubout -outform DER 2>/dev/null |
		tail -c 96 > "$tmp/$1.xy"
	head -c 48 "$tmp/$1.xy" > "$tmp/$1.x"
	tail -c 48 "$tmp/$1.xy" > "$tmp/$1.y"
}

# the scalar SHA-384(LABEL)
label_scalar() { printf '%s' "$1" | openssl dgst -sha384 -r | cut -d' ' -f1; }

# n - K (K decimal or 0x-prefixed hex), as 96 hex digits
n_minus() {
	python3 -c 'import sys
n = int("ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf"
        "581a0db248b0a77aecec196accc52973", 16)
print("%096x" % (n - int(sys.argv[1], 0)))' "$1"
}

# sign_file KEY FILE [DIGEST] -> $tmp/sig.r, $tmp/sig.s (48 bytes each, big-endian)
sign_file() {
	local md=${3:-sha256}

	openssl dgst "-$md" -sign "$tmp/$1.pem" -out "$tmp/sig.der" "$2"
	openssl dgst "-$md" -verify "$tmp/$1.pub.pem" -signature "$tmp/sig.der" \
		"$2" >/dev/null
	openssl asn1parse -inform DER -in "$tmp/sig.der" |
		sed -n 's/.*INTEGER *:\([0-9A-F]*\)$/\1/p' > "$tmp/sig.txt"
	python3 - "$tmp" <<'EOF'
import sys
t = sys.argv[1]
r, s = [int(v, 16) for v in open(t + "/sig.txt").read().split()]
open(t + "/sig.r", "wb").write(r.to_bytes(48, "big"))
open(t + "/sig.s", "wb").write(s.to_bytes(48, "big"))
EOF
}

echo "=== sevfw-ecc_test.c ==="
make_key ka "$(label_scalar "sevstack vector key A")"
make_key kb "$(label_scalar "sevstack vector key B")"
make_key kc "$(label_scalar "sevstack vector key C")"
for k in ka kb kc; do
	print_c "${k}_d" "$(hex $tmp/$k.d)"
	print_c "${k}_x" "$(hex $tmp/$k.x)"
	print_c "${k}_y" "$(hex $tmp/$k.y)"
done

# key A negated: n - dA gives (x, p - y)
make_key kan "$(n_minus "0x$(label_scalar "sevstack vector key A")")"
cmp "$tmp/ka.x" "$tmp/kan.x"
print_c kan_y "$(hex $tmp/kan.y)"

# public keys of the edge scalars 1, 2, 3, n - 3, n - 2, n - 1
for k in 1 2 3; do
	make_key "k$k" "$(printf '%096x' $k)"
	make_key "kn$k" "$(n_minus $k)"
done
for k in k1 k2 k3 kn3 kn2 kn1; do
	print_c "${k}_x" "$(hex $tmp/$k.x)"
	print_c "${k}_y" "$(hex $tmp/$k.y)"
done

# ECDH: Z = x(dB * QC), as OpenSSL derives it (48 bytes, big-endian)
openssl pkeyutl -derive -inkey "$tmp/kb.pem" -peerkey "$tmp/kc.pub.pem" \
	-out "$tmp/z_bc"
openssl pkeyutl -derive -inkey "$tmp/kc.pem" -peerkey "$tmp/kb.pub.pem" \
	-out "$tmp/z_cb"
cmp "$tmp/z_bc" "$tmp/z_cb"
print_c z_bc "$(hex $tmp/z_bc)"
# ECDH with the edge scalars 2 and n - 2 against key C (equal x)
for k in k2 kn2; do
	openssl pkeyutl -derive -inkey "$tmp/$k.pem" -peerkey "$tmp/kc.pub.pem" \
		-out "$tmp/z_$k"
done
cmp "$tmp/z_k2" "$tmp/z_kn2"
print_c z_2c "$(hex $tmp/z_k2)"

# ECDSA P-384 with SHA-256 by key A over a fixed message
printf 'sevstack ecdsa vector' > "$tmp/msg"
openssl dgst -sha256 -binary -out "$tmp/msg.sha256" "$tmp/msg"
sign_file ka "$tmp/msg"
print_c ecdsa_digest "$(hex $tmp/msg.sha256)"
print_c ecdsa_r "$(hex $tmp/sig.r)"
print_c ecdsa_s "$(hex $tmp/sig.s)"
# the same message with SHA-384 and SHA-512 (leftmost 384 bits used)
for md in sha384 sha512; do
	openssl dgst "-$md" -binary -out "$tmp/msg.$md" "$tmp/msg"
	sign_file ka "$tmp/msg" $md
	print_c "ecdsa_${md}_digest" "$(hex $tmp/msg.$md)"
	print_c "ecdsa_${md}_r" "$(hex $tmp/sig.r)"
	print_c "ecdsa_${md}_s" "$(hex $tmp/sig.s)"
done
# key 1 (Q = G) and key n - 1 (Q = -G) signing the SHA-256 digest
for k in k1 kn1; do
	sign_file $k "$tmp/msg"
	print_c "ecdsa_${k}_r" "$(hex $tmp/sig.r)"
	print_c "ecdsa_${k}_s" "$(hex $tmp/sig.s)"
done

echo "=== sevfw-cert_test.c ==="
# An SEV certificate body (facts §8.1) built here byte by byte: version 1,
# API 0.24, usage PDH (0x1003), algo ECDH_SHA256 (0x3), curve 2, key B
# little-endian; signed by key A as a PEK (usage 0x1002, ECDSA_SHA256) over
# bytes 0..0x413, r and s stored little-endian.
python3 - "$tmp" <<'EOF'
import struct, sys
t = sys.argv[1]
le = lambda f: open(t + "/" + f, "rb").read()[::-1].ljust(72, b"\0")
body = struct.pack("<IBBHII", 1, 0, 24, 0, 0x1003, 0x3)
body += struct.pack("<I", 2) + le("kb.x") + le("kb.y")
body = body.ljust(0x414, b"\0")
open(t + "/cert.body", "wb").write(body)
EOF
openssl dgst -sha256 -binary -out "$tmp/cert.sha256" "$tmp/cert.body"
print_c cert_body_sha256 "$(hex $tmp/cert.sha256)"
sign_file ka "$tmp/cert.body"
rev() { python3 -c 'import sys; print(bytes.fromhex(sys.argv[1])[::-1].hex())' "$1"; }
print_c cert_sig_r_le "$(rev "$(hex $tmp/sig.r)")"
print_c cert_sig_s_le "$(rev "$(hex $tmp/sig.s)")"

echo "=== sevfw-crypto_test.c ==="
# AES-128-CTR: NIST SP 800-38A F.5.1 (checked against openssl), then two
# counters that carry across 32 bits and across all 128 bits.
aes_key=2b7e151628aed2a6abf7158809cf4f3c
pt=6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51
pt=${pt}30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710
f51_ct=874d6191b620e3261bef6864990db6ce9806f66b7970fdff8617187bb9fffdff
f51_ct=${f51_ct}5ae4df3edbd5d35e5b4f09020db03eab1e031dda2fbe03d1792170a0f3009cee
aes_ctr() { # IV LEN
	printf '%s' "$pt" | head -c $(($2 * 2)) | xxd -r -p |
		openssl enc -aes-128-ctr -K "$aes_key" -iv "$1" -nopad | od -An -v -tx1 |
		tr -d ' \n'
}
[ "$(aes_ctr f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff 64)" = "$f51_ct" ]
print_c aes_f51_ct "$f51_ct"
print_c aes_ct_carry32 "$(aes_ctr 000102030405060708090a0bfffffffe 37)"
print_c aes_ct_wrap128 "$(aes_ctr ffffffffffffffffffffffffffffffff 48)"

# HMAC-SHA256: RFC 4231 test cases 1, 2, 6 and 7 (checked against the
# RFC's values), plus a key of exactly one block; the SP 800-108 KDF.
python3 - "$tmp" <<'EOF'
import hmac, hashlib, sys
t = sys.argv[1]
cases = [
    ("rfc4231_1", b"\x0b" * 20, b"Hi There",
     "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
    ("rfc4231_2", b"Jefe", b"what do ya want for nothing?",
     "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
    ("rfc4231_6", b"\xaa" * 131,
     b"Test Using Larger Than Block-Size Key - Hash Key First",
     "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
    ("rfc4231_7", b"\xaa" * 131,
     b"This is a test using a larger than block-size key and a larger t"
     b"han block-size data. The key needs to be hashed before being use"
     b"d by the HMAC algorithm.",
     "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"),
    ("hmac_key64 (key 00..3f, \"sevstack\")", bytes(range(64)), b"sevstack",
     None),
]
for name, key, msg, want in cases:
    got = hmac.new(key, msg, hashlib.sha256).hexdigest()
    assert want is None or got == want, name
    print("%s: %s" % (name, got))

# SP 800-108 counter-mode KDF, PRF HMAC-SHA256 (facts §8.5)
def kdf(key, label, ctx, outlen):
    out = b""
    i = 1
    while len(out) < outlen:
        msg = i.to_bytes(4, "little") + label + b"\0" + ctx
        msg += (outlen * 8).to_bytes(4, "little")
        out += hmac.new(key, msg, hashlib.sha256).digest()
        i += 1
    return out[:outlen]

print("kdf_multi (key 00..1f, \"sevstack-kdf\", ctx \"ctx\", 40 B): %s" %
      kdf(bytes(range(32)), b"sevstack-kdf", b"ctx", 40).hex())
print("kdf_short (key 00..1f, \"sevstack-kdf\", no ctx, 5 B): %s" %
      kdf(bytes(range(32)), b"sevstack-kdf", b"", 5).hex())

# facts §8.11, recomputed: KDF, POLICY_MAC, session keys, measurement
ms = kdf(bytes(16), b"sev-master-secret", bytes(16), 16)
assert ms.hex() == "ab4d269fcc62bedb4511d56c386ce706"
pmac = hmac.new(bytes(16), bytes(4), hashlib.sha256).hexdigest()
assert pmac == \
    "aa7855e13839dd767cd5da7c1ff5036540c9264b7a803029315e55375287b4af"
open(t + "/kek", "w").write(kdf(ms, b"sev-kek", b"", 16).hex())
open(t + "/kik", "wb").write(kdf(ms, b"sev-kik", b"", 16))
msg = bytes([4, 0, 0x12, 0x0f]) + bytes(4) + hashlib.sha256(b"").digest()
msg += bytes.fromhex("4fbe0bedbad6c86ae8f68971d103e554")
tik = bytes.fromhex("66320db73158a35a255d051758e95ed4")
assert hmac.new(tik, msg, hashlib.sha256).hexdigest() == \
    "6faab2daae389bcd3405a05d6cafe33c0414f7bedd0bae19ba5f38b7fd1664ea"
EOF
# WRAP_TK = AES-128-CTR(KEK, IV 0) over TEK || TIK = 32 x 00
head -c 32 /dev/zero |
	openssl enc -aes-128-ctr -K "$(cat "$tmp/kek")" \
		-iv 00000000000000000000000000000000 -nopad > "$tmp/wrap_tk"
[ "$(hex "$tmp/wrap_tk")" = \
  2137bc7f9bb8bd7c3e55a576a15d3454b3856b8ba27afadf46dcfee9f02c02c4 ]
python3 - "$tmp" <<'EOF'
import hmac, hashlib, sys
t = sys.argv[1]
mac = hmac.new(open(t + "/kik", "rb").read(), open(t + "/wrap_tk", "rb").read(),
               hashlib.sha256).hexdigest()
assert mac == \
    "3176c0752738bd9d5e86689534020f528c088f16238826b000b327dee6aeed7d"
EOF
echo "facts sheet 8.11 vectors: all recomputed and equal"
