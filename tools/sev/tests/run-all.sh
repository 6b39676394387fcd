#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Run every host test of the SEV tools (make -C tools/sev check): unit
# tests, command-line tests, sev-host check on fake host trees, bounded
# fuzzing and valgrind. Prints each suite's TAP and ends with one line
# "N passed, N failed"; exits non-zero on any failure.
#
# Environment: SEV_TOOLS (build dir), SEV_TOP (repository root),
# FUZZ_SECONDS, LIBFUZZER

set -u
HERE=$(cd "$(dirname "$0")" && pwd)
export SEV_TOOLS=${SEV_TOOLS:?}
TOP=${SEV_TOP:-$(cd "$HERE/../../.." && pwd)}
export SEV_TESTROOTS=${SEV_TESTROOTS:-$TOP/drivers/crypto/ccp/sev-emu/testroots}
pass=0
fail=0

suite() {	# suite NAME CMD...
	local name=$1 out p f
	shift
	echo "# ---- $name ----"
	out=$("$@" 2>&1)
	local rc=$?
	echo "$out"
	p=$(grep -c '^ok ' <<<"$out")
	f=$(grep -c '^not ok ' <<<"$out")
	if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
		echo "not ok - $name exited with status $rc"
		f=1
	fi
	pass=$((pass + p))
	fail=$((fail + f))
}

missing=0
for f in ark.cert ask.cert ask_ark.cert cek.cert cek.pem; do
	if [ ! -s "$SEV_TESTROOTS/$f" ]; then
		echo "not ok - test root $SEV_TESTROOTS/$f is missing"
		missing=1
	fi
done
if [ $missing = 1 ]; then
	fail=$((fail + 1))
else
	suite "unit" "$SEV_TOOLS/tests/unit" "$SEV_TESTROOTS"
	suite "command line" "$HERE/cli.sh"
	suite "host check" "$HERE/hostcheck.sh"
	suite "fuzz" "$HERE/fuzz.sh"
	suite "valgrind" "$HERE/valgrind.sh"
fi
echo "$pass passed, $fail failed"
[ $fail = 0 ]
