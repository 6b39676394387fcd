#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Run the unit tests, the main sev-owner commands, sev-host (on the fake
# device) and a short fuzz run under valgrind memcheck (TAP): any memory
# error or definite/indirect/possible leak fails.
#
# Environment: SEV_TOOLS, SEV_TESTROOTS, OVMF_DIR

set -u
T=${SEV_TOOLS:?}
ROOTS=${SEV_TESTROOTS:?}
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
. "$(dirname "${BASH_SOURCE[0]}")/../../testing/include/tap.sh"
# --trace-children: the sev-host runs start as "env VAR=... sev-host"
VG=(valgrind -q --error-exitcode=99 --leak-check=full --trace-children=yes
    --errors-for-leak-kinds=definite,indirect,possible
    --show-leak-kinds=definite,indirect,possible)

vg() {	# vg WANT-EXIT NAME CMD...
	local want=$1 name=$2 rc
	shift 2
	"${VG[@]}" --log-file="$W/vg.log" "$@" >"$W/out" 2>"$W/err"
	rc=$?
	if [ $rc = 99 ] || [ -s "$W/vg.log" ]; then
		sed 's/^/# /' "$W/vg.log" | head -30
		ok 1 "valgrind: $name"
		return
	fi
	[ $rc = "$want" ] || echo "# exit $rc, expected $want"
	ok $([ $rc = "$want" ]; echo $?) "valgrind: $name"
}

if ! command -v valgrind >/dev/null; then
	ok 1 "valgrind is installed"
	echo "1..$n"
	exit 1
fi

vg 0 "unit tests" "$T/tests/unit" "$ROOTS"
O=$T/sev-owner
vg 0 "oca-gen" "$O" oca-gen --key-out "$W/myoca.pem" --cert-out "$W/myoca.cert"
vg 0 "show" "$O" show "$ROOTS/ask_ark.cert" "$ROOTS/cek.cert" "$W/myoca.cert"
vg 1 "show on a truncated file" "$O" show <(head -c 2000 "$ROOTS/cek.cert")
vg 2 "policy with a bad number" "$O" policy 0xzz
. "$(dirname "$0")/certlib.sh"
make_platform "$W" "$ROOTS/cek.pem" "$ROOTS/cek.cert"
vg 0 "verify a good chain" "$O" verify --ask-ark "$ROOTS/ask_ark.cert" \
	--cek "$ROOTS/cek.cert" --pdh "$W/pdh.cert" --chain "$W/chain.cert"
vg 1 "verify with wrong inputs" "$O" verify --ask-ark "$ROOTS/ask_ark.cert" \
	--cek "$ROOTS/cek.cert" --pdh "$W/oca.cert" --chain "$W/chain.cert"
vg 0 "session" "$O" session --pdh "$W/pdh.cert" --policy 1 --out-dir "$W/s" \
	--godh-key "$W/godh.pem"
vg 0 "show a base64 session" "$O" show "$W/s/session.b64" "$W/s/godh.b64"
head -c 65536 /dev/urandom >"$W/fw"
vg 0 "measure" "$O" measure --firmware "$W/fw" --policy 1 --api-major 0 \
	--api-minor 24 --build 1 --zero-tik --mnonce 00112233445566778899aabbccddeeff
OVMF=${OVMF_DIR:-/usr/share/OVMF}/OVMF_CODE.fd
vg 0 "vmsa (BSP)" "$O" vmsa --cpu-signature 23/1/2 -o "$W/bsp"
vg 0 "vmsa --ovmf (AP)" "$O" vmsa --cpu-signature 23/1/2 --vcpu 1 \
	--ovmf "$OVMF" -o "$W/ap"
vg 0 "vmsa --decode" "$O" vmsa --decode "$W/ap"
tail -c 100 "$OVMF" >"$W/ovmf-short"
tail -c 4096 "$OVMF" >"$W/ovmf-tail"
vg 1 "vmsa --ovmf on a truncated footer table" "$O" vmsa \
	--cpu-signature 23/1/2 --vcpu 1 --ovmf "$W/ovmf-short" -o "$W/x"
vg 0 "measure --vcpus 4" "$O" measure --firmware "$OVMF" --vcpus 4 \
	--cpu-signature 23/1/2 --policy 5 --api-major 0 --api-minor 24 \
	--build 1 --zero-tik --mnonce 00112233445566778899aabbccddeeff
head -c 16 /dev/urandom >"$W/tek"
head -c 16 /dev/urandom >"$W/tik"
echo secret >"$W/secret"
vg 0 "secret" "$O" secret --tek "$W/tek" --tik "$W/tik" \
	--measurement 00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff \
	--secret "$W/secret" --out-header "$W/h" --out-data "$W/d"
vg 0 "sign-pek" "$O" sign-pek --csr "$W/csr.cert" --oca-key "$W/oca.pem" \
	--oca "$W/oca.cert" --out "$W/x.cert"
mkdir -p "$W/fake"
: >"$W/dev"
vg 0 "sev-host status --json (fake device)" env LD_PRELOAD="$T/tests/fakesev.so" \
	SEV_DEVICE="$W/dev" "$T/sev-host" status --json
vg 4 "sev-host firmware error path (fake device)" env \
	LD_PRELOAD="$T/tests/fakesev.so" FAKESEV_FW=5 SEV_DEVICE="$W/dev" \
	"$T/sev-host" pdh-gen
vg 3 "sev-host missing device" env SEV_DEVICE="$W/none" "$T/sev-host" get-id
# a device that answers the length query small, then reports more written
LIE=(env LD_PRELOAD="$T/tests/fakesev.so" FAKESEV_DIR="$W" SEV_DEVICE="$W/dev"
     FAKESEV_QUERY_LEN=64 FAKESEV_FETCH_LEN=6252)
vg 1 "sev-host pek-csr, length 64 then 6252 written (fake device)" \
	"${LIE[@]}" "$T/sev-host" pek-csr "$W/l-csr.cert"
vg 1 "sev-host export, lengths 64 then 6252 written (fake device)" \
	"${LIE[@]}" "$T/sev-host" export --pdh "$W/l-pdh.cert" \
	--chain "$W/l-chain.cert"
vg 1 "sev-host get-id, length 64 then 6252 written (fake device)" \
	"${LIE[@]}" "$T/sev-host" get-id --out "$W/l-id.bin"
# sev-host check on an empty root (every file missing) and on a fake device
mkdir -p "$W/root/dev"
vg 1 "sev-host check on an empty root" "$T/sev-host" check --root "$W/root"
vg 1 "sev-host check --json, fake device" env LD_PRELOAD="$T/tests/fakesev.so" \
	SEV_DEVICE="$W/dev" "$T/sev-host" check --json --root "$W/root"
vg 0 "mutation fuzzing, 1000 inputs" "$T/tests/fuzz-mutate" -n 1000 -s 7 \
	"$ROOTS"/*.cert "$W/myoca.cert" "$W/chain.cert" "$W/ap" "$W/ovmf-tail"

echo "1..$n"
[ $failed = 0 ]
