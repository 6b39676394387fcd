#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The reliability tests, in the VM with the project's modules loaded
# (run.sh --modules=project): injected firmware faults (sev_fault_test),
# the seeded fuzzer of both ioctl surfaces (sev_fuzz) and the concurrency
# stress with platform shutdown/re-init (sev_stress). Prints KTAP, one
# line per program; exits non-zero if anything failed.
#
#   tools/testing/vm/run.sh --smp 2 -- tools/testing/fault/run-vm-tests.sh
#
# Arguments: [OUTDIR [SEED]]   (default OUTDIR: $O, else
#            $SEVSTACK_CACHE/tools; default SEED: from the clock, printed)
# Environment (bounds): FAULT_TESTS (default "fault fuzz stress"; add
#   "failslab" on a kernel with CONFIG_FAILSLAB, i.e. the debug kernel;
#   "regress", the regression tests of issue 13, wants one vCPU),
#   FUZZ_OPS (4000), FUZZ_PROCS (4), FUZZ_TIME (60 s),
#   STRESS_PROCS (6), STRESS_TIME (40 s), SEV_EMU_KO (the module to reload)

set -u

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$HERE/../../../scripts/env.sh"
OUT=${1:-${O:-$SEVSTACK_CACHE/tools}}
SEED=${2:-$(date +%s)}
export SEV_EMU_KO=${SEV_EMU_KO:-$SEVSTACK_CACHE/mod/$(sevstack_kver)/drivers/crypto/ccp/sev-emu/sev-emu.ko}
read -r -a sel <<<"${FAULT_TESTS:-fault fuzz stress}"

declare -A cmd=(
	[fault]="sev_fault_test"
	[fuzz]="sev_fuzz --seed $SEED --ops ${FUZZ_OPS:-4000} --procs ${FUZZ_PROCS:-4} --time ${FUZZ_TIME:-60} --faults"
	[stress]="sev_stress --seed $SEED --procs ${STRESS_PROCS:-6} --time ${STRESS_TIME:-40}"
	[failslab]="sev_failslab_test"
	[regress]="sev_regress_test"
)

echo "TAP version 13"
echo "1..${#sel[@]}"
echo "# seed $SEED"

n=0
failed=0
for t in "${sel[@]}"; do
	n=$((n + 1))
	c=${cmd[$t]:-}
	prog=${c%% *}
	echo "# selftests: fault: $c"
	if [ -z "$c" ]; then
		echo "# unknown test \"$t\""
		rc=1
	elif [ ! -x "$OUT/fault/$prog" ]; then
		echo "# $OUT/fault/$prog is missing (make -C tools/testing O=$OUT)"
		rc=1
	else
		# shellcheck disable=SC2086
		"$OUT/fault/"$c 2>&1 | sed -u 's/^/# /'
		rc=${PIPESTATUS[0]}
	fi
	if [ "$rc" -eq 0 ]; then
		echo "ok $n - selftests: fault: $prog"
	else
		echo "not ok $n - selftests: fault: $prog # exit=$rc"
		failed=$((failed + 1))
	fi
done
echo "# fault tests: $((n - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
