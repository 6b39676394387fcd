#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# End-to-end test (TAP) of the guest owner's tool against the host stack:
# sev-host exports the platform's PDH and chain, sev-owner verifies them
# and makes a launch session, KVM launches an SEV guest from the session
# files (kvm_sev_owner_launch), sev-owner verifies the measurement KVM
# read and builds the secret packet, KVM injects it, and the guest code
# (the measured image) reads the secret at its GPA and sends it back.
# Meant to run inside the VM harness with the project's modules loaded:
#
#   make -C tools/testing O=DIR && make -C tools/sev O=DIR/sev
#   tools/testing/vm/run.sh -- env SEV_TOOLS=DIR/sev KVM_TOOLS=DIR/kvm \
#           tools/sev/tests/vm-owner-launch.sh
#
# Environment: SEV_TOOLS (default ~/.cache/sevstack/tools/sev), KVM_TOOLS
# (default ~/.cache/sevstack/tools/kvm), SEV_TESTROOTS (default: the
# software firmware's test roots).

set -u
HERE=$(cd "$(dirname "$0")" && pwd)
T=${SEV_TOOLS:-$HOME/.cache/sevstack/tools/sev}
K=${KVM_TOOLS:-$HOME/.cache/sevstack/tools/kvm}
ROOTS=${SEV_TESTROOTS:-$HERE/../../../drivers/crypto/ccp/sev-emu/testroots}
HOST=$T/sev-host
OWNER=$T/sev-owner
LAUNCH=$K/kvm_sev_owner_launch
POLICY=0x1		# NODBG: the host cannot read the guest's memory
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
TAP_SHOW_OUTPUT=20
. "$(dirname "${BASH_SOURCE[0]}")/../../testing/include/tap.sh"

# step NAME TEXT: the driver's output (in $W/out) has "step NAME ok"
step() {
	grep -q "^step $1 ok" "$W/out"
	ok $? "$2"
}

b64len() {	# the decoded length of a base64 file
	base64 -d "$1" 2>/dev/null | wc -c
}

json() {	# json KEY: a value from "sev-host status --json"
	"$HOST" status --json | python3 -c \
		'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"
}

[ -c /dev/sev ] && [ -c /dev/kvm ] && [ -x "$LAUNCH" ] && [ -x "$OWNER" ]
ok $? "/dev/sev, /dev/kvm, sev-owner and kvm_sev_owner_launch are there"

# --- the platform owner exports, the guest owner checks and makes a session
run "$HOST" export --pdh "$W/pdh.cert" --chain "$W/chain.cert"
expect_rc 0 "sev-host export of the platform's PDH and chain"
run "$OWNER" verify --ask-ark "$ROOTS/ask_ark.cert" --cek "$ROOTS/cek.cert" \
	--pdh "$W/pdh.cert" --chain "$W/chain.cert"
expect_rc 0 "sev-owner verifies ARK -> ASK -> CEK -> PEK -> PDH"
API_MAJOR=$(json api_major)
API_MINOR=$(json api_minor)
BUILD=$(json build)
echo "# firmware API $API_MAJOR.$API_MINOR build $BUILD"
run "$OWNER" session --pdh "$W/pdh.cert" --policy "$POLICY" --out-dir "$W/s"
expect_rc 0 "sev-owner session for the PDH, policy $POLICY"
[ "$(b64len "$W/s/godh.b64")" = 2084 ] && [ "$(b64len "$W/s/session.b64")" = 128 ] &&
	[ "$(stat -c %s "$W/s/tek.bin")" = 16 ] && [ "$(stat -c %s "$W/s/tik.bin")" = 16 ]
ok $? "session files: GODH 2084 and session 128 bytes (base64), TEK and TIK 16 bytes"
run "$OWNER" session --pdh "$W/pdh.cert" --policy "$POLICY" --out-dir "$W/other"
expect_rc 0 "a second session (for the negative checks)"

run "$LAUNCH" --write-image "$W/image.bin"
expect_rc 0 "write the guest image (the code that reads the secret)"
# 53 bytes: the owner pads it to 64, what the guest sends back
printf 'owner secret %s' "$(head -c 30 /dev/urandom | base64 -w0)" >"$W/secret"

MEASURE=(--firmware "$W/image.bin" --policy "$POLICY" --api-major "$API_MAJOR"
	 --api-minor "$API_MINOR" --build "$BUILD")
# The owner's side, run by the driver between LAUNCH_MEASURE and
# LAUNCH_SECRET: release the secret only for the expected measurement.
cat >"$W/owner.sh" <<EOF
set -e
m=\$(cat "$W/meas.b64")
"$OWNER" verify-measurement --measurement "\$m" ${MEASURE[*]} \
	--tik "$W/s/tik.bin" >"$W/owner-verify.out"
"$OWNER" secret --tek "$W/s/tek.bin" --tik "$W/s/tik.bin" \
	--measurement "\$m" --secret "$W/secret" --base64 \
	--out-header "$W/hdr.b64" --out-data "$W/data.b64"
EOF

# --- the launch
run "$LAUNCH" --image "$W/image.bin" --policy "$POLICY" \
	--godh "$W/s/godh.b64" --session "$W/s/session.b64" \
	--measurement-out "$W/meas.b64" --owner-cmd "sh $W/owner.sh" \
	--secret-header "$W/hdr.b64" --secret-data "$W/data.b64" \
	--secret "$W/secret"
launch_rc=$rc
sed 's/^/# /' "$W/out"
step launch_start "KVM_SEV_LAUNCH_START accepts the owner's GODH certificate and session"
step launch_update_data "KVM_SEV_LAUNCH_UPDATE_DATA of the guest image"
step launch_measure "KVM_SEV_LAUNCH_MEASURE, written as QEMU reports it"
step owner "the owner verified the measurement and built the secret packet"
grep -q '^measurement: matches' "$W/owner-verify.out" 2>/dev/null
ok $? "sev-owner verify-measurement (run by the owner step) matches"
step launch_secret "KVM_SEV_LAUNCH_SECRET accepts the owner's packet"
step launch_finish "KVM_SEV_LAUNCH_FINISH"
step guest_secret "the guest code read the owner's secret at its GPA"
rc=$launch_rc
expect_rc 0 "kvm_sev_owner_launch exit status"

# --- the measurement, checked again by the owner: positive and negative
[ "$(b64len "$W/meas.b64")" = 48 ]
ok $? "the measurement is 48 bytes (MEASURE || MNONCE) in base64"
M=$(cat "$W/meas.b64" 2>/dev/null)
run "$OWNER" verify-measurement --measurement "$M" "${MEASURE[@]}" --tik "$W/s/tik.bin"
expect_rc 0 "verify-measurement with the owner's TIK, image, policy and firmware version"
python3 -c 'import sys; b = bytearray(open(sys.argv[1], "rb").read()); b[5] ^= 1
open(sys.argv[2], "wb").write(b)' "$W/image.bin" "$W/image-flip.bin"
[ "$(cmp -l "$W/image.bin" "$W/image-flip.bin" 2>/dev/null | wc -l)" = 1 ]
ok $? "the changed image differs in one bit of one byte"
run "$OWNER" verify-measurement --measurement "$M" --firmware "$W/image-flip.bin" \
	--policy "$POLICY" --api-major "$API_MAJOR" --api-minor "$API_MINOR" \
	--build "$BUILD" --tik "$W/s/tik.bin"
expect_rc 1 "verify-measurement fails for an image with one flipped byte"
grep -q MISMATCH "$W/out"
ok $? "... and reports a MISMATCH"
run "$OWNER" verify-measurement --measurement "$M" --firmware "$W/image.bin" \
	--policy 0x3 --api-major "$API_MAJOR" --api-minor "$API_MINOR" \
	--build "$BUILD" --tik "$W/s/tik.bin"
expect_rc 1 "verify-measurement fails for a changed policy (0x3)"
run "$OWNER" verify-measurement --measurement "$M" "${MEASURE[@]}" --tik "$W/other/tik.bin"
expect_rc 1 "verify-measurement fails with another session's TIK"
run "$OWNER" verify-measurement --measurement "$M" "${MEASURE[@]}" --zero-tik
expect_rc 1 "verify-measurement fails with the all-zero TIK (no session)"
[ "$(b64len "$W/hdr.b64")" = 52 ] && [ "$(b64len "$W/data.b64")" = 64 ]
ok $? "the secret packet: 52-byte header, 64 bytes of data"

# --- what the firmware must refuse
run "$LAUNCH" --image "$W/image.bin" --policy 0x3 \
	--godh "$W/s/godh.b64" --session "$W/s/session.b64" \
	--expect-start-error 0xb
sed 's/^/# /' "$W/out"
[ "$rc" = 0 ] && grep -q '^step launch_start refused' "$W/out"
ok $? "LAUNCH_START with another policy than the session's: BAD_MEASUREMENT"

# a packet bound to the first launch's measurement, replayed to a new one
cat >"$W/replay.sh" <<EOF
set -e
"$OWNER" secret --tek "$W/s/tek.bin" --tik "$W/s/tik.bin" \
	--measurement "$M" --secret "$W/secret" --base64 \
	--out-header "$W/hdr2.b64" --out-data "$W/data2.b64"
EOF
run "$LAUNCH" --image "$W/image.bin" --policy "$POLICY" \
	--godh "$W/s/godh.b64" --session "$W/s/session.b64" \
	--measurement-out "$W/meas2.b64" --owner-cmd "sh $W/replay.sh" \
	--secret-header "$W/hdr2.b64" --secret-data "$W/data2.b64" \
	--expect-secret-error 0xb
sed 's/^/# /' "$W/out"
[ "$rc" = 0 ] && grep -q '^step launch_secret refused' "$W/out" &&
	! cmp -s "$W/meas.b64" "$W/meas2.b64"
ok $? "a secret packet for the previous launch's measurement: BAD_MEASUREMENT"

echo "1..$n"
[ $failed = 0 ]
