#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# End-to-end test of sev-host and sev-owner against a real /dev/sev (TAP).
# Meant to run inside the VM harness with the project's modules loaded:
#
#   tools/testing/vm/run.sh -- tools/sev/tests/vm-roundtrip.sh
#
# It changes the platform identity (PEK import, PDH/PEK generation, factory
# reset). No process substitution: the harness's /dev has no /dev/fd. Environment: SEV_TOOLS (default ~/.cache/sevstack/tools/sev),
# SEV_TESTROOTS (default: the software firmware's test roots).

set -u
HERE=$(cd "$(dirname "$0")" && pwd)
T=${SEV_TOOLS:-$HOME/.cache/sevstack/tools/sev}
ROOTS=${SEV_TESTROOTS:-$HERE/../../../drivers/crypto/ccp/sev-emu/testroots}
HOST=$T/sev-host
OWNER=$T/sev-owner
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
TAP_SHOW_OUTPUT=12
. "$(dirname "${BASH_SOURCE[0]}")/../../testing/include/tap.sh"

json() {	# json KEY: a value from "sev-host status --json"
	"$HOST" status --json | python3 -c \
		'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"
}

VERIFY=(--ask-ark "$ROOTS/ask_ark.cert" --cek "$ROOTS/cek.cert")

[ -c /dev/sev ]
ok $? "/dev/sev exists"

# the preflight check on the real modules, before anything changes
run "$HOST" check
expect_rc 0 "check: the host can run SEV guests"
sed 's/^/# /' "$W/out"
if [ -d /sys/module/sev_emu ]; then
	grep -q "^warn  firmware: software firmware (sev-emu)" "$W/out" &&
		grep -q "^verdict: this host can run SEV guests on the software firmware (sev-emu)" "$W/out"
	ok $? "check: the firmware line and the verdict name the software firmware"
fi
"$HOST" check --json | python3 -c 'import json, sys
d = json.load(sys.stdin)
assert d["can_run_sev_guests"] and (d["platform"]["api_major"], d["platform"]["api_minor"]) >= (0, 17)'
ok $? "check --json: can_run_sev_guests, with the platform's status"
run "$HOST" status
expect_rc 0 "status"
sed 's/^/# /' "$W/out"
run "$HOST" status --json
expect_rc 0 "status --json"
run "$HOST" get-id --hex
expect_rc 0 "get-id --hex"
grep -qE '^[0-9A-F]{128}$' "$W/out"
ok $? "get-id prints a 64-byte id"

run "$HOST" export --pdh "$W/pdh1.cert" --chain "$W/chain1.cert" --split "$W/split"
expect_rc 0 "export (the driver initialises the platform)"
[ "$(json state)" = INIT ] || [ "$(json state)" = WORKING ]
ok $? "platform is initialised after export"
[ "$(stat -c %s "$W/pdh1.cert")" = 2084 ] && [ "$(stat -c %s "$W/chain1.cert")" = 6252 ]
ok $? "exported PDH 2084 bytes, chain 6252 bytes"
cat "$W/split/pek.cert" "$W/split/oca.cert" "$W/split/cek.cert" | cmp -s - "$W/chain1.cert"
ok $? "--split files are the chain's certificates"
run "$OWNER" verify "${VERIFY[@]}" --pdh "$W/pdh1.cert" --chain "$W/chain1.cert"
expect_rc 0 "sev-owner verifies the exported chain ARK -> ASK -> CEK -> PEK -> PDH, OCA -> PEK"
sed 's/^/# /' "$W/out"
run "$OWNER" show "$W/chain1.cert"
expect_rc 0 "sev-owner show decodes the chain"

run "$HOST" pek-csr "$W/csr.cert"
expect_rc 0 "pek-csr"
head -c $((0x414)) "$W/csr.cert" >"$W/a" && head -c $((0x414)) "$W/split/pek.cert" >"$W/b" &&
	[ -s "$W/a" ] && cmp -s "$W/a" "$W/b"
ok $? "the CSR holds the current PEK body"
run "$OWNER" show "$W/csr.cert"
grep -q 'signature 1: empty' "$W/out" && grep -q 'signature 2: empty' "$W/out"
ok $? "the CSR has both signature slots empty"

run "$OWNER" session --pdh "$W/pdh1.cert" --policy 0x1 --out-dir "$W/sess"
expect_rc 0 "sev-owner session for the exported PDH"

run "$OWNER" oca-gen --key-out "$W/oca.pem" --cert-out "$W/oca.cert" --api-major 0 --api-minor 24
expect_rc 0 "oca-gen"
run "$OWNER" sign-pek --csr "$W/csr.cert" --oca-key "$W/oca.pem" --oca "$W/oca.cert" --out "$W/pek.cert"
expect_rc 0 "sign-pek"
[ -s "$W/pek.cert" ] && cp "$W/pek.cert" "$W/pek-bad.cert" &&
	printf '\x01' | dd of="$W/pek-bad.cert" bs=1 seek=$((0x41c + 10)) conv=notrunc status=none
run "$HOST" pek-import --pek "$W/pek-bad.cert" --oca "$W/oca.cert"
expect_rc 4 "pek-import of a PEK with a corrupted OCA signature: firmware error"
grep -qE 'BAD_SIGNATURE \(0xa\)|INVALID_CERTIFICATE \(0x6\)' "$W/err"
ok $? "the firmware error is reported by name ($(grep -o '[A-Z_]* (0x[0-9a-f]*)' "$W/err" | head -1))"
run "$HOST" pek-import --pek "$W/oca.cert" --oca "$W/oca.cert"
expect_rc 4 "pek-import of an OCA as the PEK: firmware error"
run "$HOST" pek-import --pek "$W/pek.cert" --oca "$W/oca.cert"
expect_rc 0 "pek-import of the owner-signed PEK"
[ "$(json owner)" = external ]
ok $? "platform is externally owned"
run "$HOST" pek-import --pek "$W/pek.cert" --oca "$W/oca.cert"
expect_rc 4 "second pek-import: firmware error"
grep -q 'ALREADY_OWNED (0x5)' "$W/err"
ok $? "second pek-import is ALREADY_OWNED (0x5)"

run "$HOST" export --pdh "$W/pdh2.cert" --chain "$W/chain2.cert"
expect_rc 0 "export after the import"
dd if="$W/chain2.cert" bs=1 skip=$((0x824)) count=$((0x824)) status=none >"$W/a" &&
	cmp -s "$W/a" "$W/oca.cert"
ok $? "the chain now holds the owner's OCA"
[ -s "$W/pdh1.cert" ] && [ -s "$W/pdh2.cert" ] && ! cmp -s "$W/pdh1.cert" "$W/pdh2.cert"
ok $? "the import generated a new PDH"
run "$OWNER" verify "${VERIFY[@]}" --pdh "$W/pdh2.cert" --chain "$W/chain2.cert" --oca "$W/oca.cert"
expect_rc 0 "verify the owned platform with the owner's OCA"
run "$OWNER" verify "${VERIFY[@]}" --pdh "$W/pdh2.cert" --chain "$W/chain2.cert" --oca "$W/split/oca.cert"
expect_rc 1 "verify against the old self-owned OCA fails"

run "$HOST" pdh-gen
expect_rc 0 "pdh-gen"
run "$HOST" export --pdh "$W/pdh3.cert" --chain "$W/chain3.cert"
[ -s "$W/pdh2.cert" ] && [ -s "$W/pdh3.cert" ] && ! cmp -s "$W/pdh2.cert" "$W/pdh3.cert" &&
	cmp -s "$W/chain2.cert" "$W/chain3.cert"
ok $? "pdh-gen changed the PDH and nothing else"
run "$OWNER" verify "${VERIFY[@]}" --pdh "$W/pdh3.cert" --chain "$W/chain3.cert"
expect_rc 0 "verify after pdh-gen"

run "$HOST" pek-gen
expect_rc 0 "pek-gen"
[ "$rc" = 0 ] && [ "$(json owner)" = self ]
ok $? "pek-gen makes the platform self-owned again"
run "$HOST" export --pdh "$W/pdh4.cert" --chain "$W/chain4.cert"
run "$OWNER" verify "${VERIFY[@]}" --pdh "$W/pdh4.cert" --chain "$W/chain4.cert"
expect_rc 0 "verify after pek-gen"

run "$HOST" factory-reset </dev/null
expect_rc 2 "factory-reset without a terminal and --force is refused"
run "$HOST" factory-reset --force
expect_rc 0 "factory-reset --force"
run "$HOST" export --pdh "$W/pdh5.cert" --chain "$W/chain5.cert"
expect_rc 0 "export after the factory reset"
head -c $((0x824)) "$W/chain4.cert" >"$W/a" && head -c $((0x824)) "$W/chain5.cert" >"$W/b" &&
	[ -s "$W/a" ] && [ -s "$W/b" ] && ! cmp -s "$W/a" "$W/b"
ok $? "the factory reset replaced the PEK"
run "$OWNER" verify "${VERIFY[@]}" --pdh "$W/pdh5.cert" --chain "$W/chain5.cert"
expect_rc 0 "verify after the factory reset"

echo "1..$n"
[ $failed = 0 ]
