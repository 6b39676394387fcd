#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Run every /dev/sev test program and print their TAP, kselftest style: a
# top-level plan, each program's own TAP indented as "# " diagnostics, and
# one "ok N - program" line per program. Exits non-zero if any failed.
#
# Meant for the VM (tools/testing/vm/run.sh -- tools/testing/sev/run-vm-tests.sh),
# with the programs built on the host first: make -C tools/testing
#
# Usage: run-vm-tests.sh [OUTDIR]
#   OUTDIR  where make put the programs (default: $O, else
#           $SEVSTACK_CACHE/tools, else ~/.cache/sevstack/tools)

set -u

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
CACHE=${SEVSTACK_CACHE:-${HOME:-/root}/.cache/sevstack}
OUT=${1:-${O:-$CACHE/tools}}
TESTROOTS=$ROOT/drivers/crypto/ccp/sev-emu/testroots

tests=(
	"sev_dev_test"
	"sev_chain_test --testroots $TESTROOTS"
)

echo "TAP version 13"
echo "1..${#tests[@]}"
n=0
failed=0
for t in "${tests[@]}"; do
	n=$((n + 1))
	read -r prog args <<<"$t"
	echo "# selftests: sev: $prog"
	if [ ! -x "$OUT/sev/$prog" ]; then
		echo "# $OUT/sev/$prog is missing (make -C tools/testing O=$OUT)"
		rc=1
	else
		# shellcheck disable=SC2086 # $args holds separate words
		"$OUT/sev/$prog" $args 2>&1 | sed -u 's/^/# /'
		rc=${PIPESTATUS[0]}
	fi
	if [ "$rc" -eq 0 ]; then
		echo "ok $n - selftests: sev: $prog"
	else
		echo "not ok $n - selftests: sev: $prog # exit=$rc"
		failed=$((failed + 1))
	fi
done
echo "# sev tests: $((n - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
