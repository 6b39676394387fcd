#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Bounded fuzzing of the certificate, chain, session, text and OVMF
# footer-table parsers and the VMSA view (TAP):
# libFuzzer with ASan/UBSan when $LIBFUZZER is built (clang), and the seeded
# mutation loop always. Each runs for FUZZ_SECONDS (default 20).
#
# Environment: SEV_TOOLS, SEV_TESTROOTS, FUZZ_SECONDS, LIBFUZZER, OVMF_DIR

set -u
T=${SEV_TOOLS:?}
ROOTS=${SEV_TESTROOTS:?}
SECS=${FUZZ_SECONDS:-20}
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
. "$(dirname "${BASH_SOURCE[0]}")/../../testing/include/tap.sh"

# seeds: the test roots plus one of each kind of input
S=$W/seeds
mkdir -p "$S"
cp "$ROOTS"/*.cert "$S/"
"$T/sev-owner" oca-gen --key-out "$W/oca.pem" --cert-out "$S/oca.cert" >/dev/null
cat "$S/oca.cert" "$S/oca.cert" "$S/cek.cert" >"$S/chain.cert"
head -c 128 /dev/urandom >"$S/session.bin"
head -c 52 /dev/zero >"$S/secret-hdr.bin"
base64 -w 64 "$S/oca.cert" >"$S/oca.b64"
echo 0x00180037 >"$S/policy.txt"
echo 23/1/2 >"$S/cpusig.txt"
# the footer table sits at the end of the flash image: its last 4 KiB
OVMF=${OVMF_DIR:-/usr/share/OVMF}/OVMF_CODE.fd
tail -c 4096 "$OVMF" >"$S/ovmf-tail.fd"
"$T/sev-owner" vmsa --cpu-signature 23/1/2 --vcpu 1 --reset-addr 0x80b004 \
	-o "$S/vmsa.bin" >/dev/null
[ -s "$S/ovmf-tail.fd" ] && [ -s "$S/vmsa.bin" ]
ok $? "fuzz seeds prepared ($(ls "$S" | wc -l) files)"

if [ -n "${LIBFUZZER:-}" ] && [ -x "$LIBFUZZER" ]; then
	mkdir -p "$W/corpus"
	cp "$S"/* "$W/corpus/"
	"$LIBFUZZER" -max_total_time="$SECS" -max_len=8192 -timeout=10 \
		-rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$W/" "$W/corpus" >"$W/lf.log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$W/lf.log")
	echo "# libFuzzer: ${runs:-?} runs in ${SECS}s, exit $rc"
	if [ $rc != 0 ]; then
		grep -E 'ERROR|SUMMARY|==[0-9]+==' "$W/lf.log" | head -20 | sed 's/^/# /'
		mkdir -p "$T/fuzz-crashes"
		cp "$W"/crash-* "$W"/leak-* "$W"/timeout-* "$T/fuzz-crashes/" 2>/dev/null
		echo "# crashing inputs saved in $T/fuzz-crashes"
	fi
	ok $rc "libFuzzer (ASan+UBSan) on the parsers for ${SECS}s: no crash, leak or timeout"
else
	echo "# libFuzzer build not available (clang missing): mutation loop only"
fi

"$T/tests/fuzz-mutate" -t "$SECS" "$S"/* >"$W/fm.log" 2>&1
rc=$?
sed 's/^/# /' "$W/fm.log"
ok $rc "seeded mutation fuzzing for ${SECS}s: no crash"

echo "1..$n"
[ $failed = 0 ]
