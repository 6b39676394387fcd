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
#   FUZZ_OPS (4000), FUZZ_PROCS (4), FUZZ_TIME (60 s), FUZZ_FAST (0: the
#   percentage of cheap-call bursts), FUZZ_FLAGS ("--faults --chaos --big":
#   random firmware faults; reloads, timeouts and stop_on_abort=N under
#   live VMs; multi-MiB commands), STRESS_PROCS (6), STRESS_TIME (40 s),
#   STRESS_FLAGS ("--chaos": reloads and PSP deaths under the clients),
#   WATCHDOG_THRESH (2: kernel.watchdog_thresh during the run, so that a
#   CPU held for 4 s is a soft lockup; restored), SEV_EMU_KO (the module
#   to reload)
#
# Besides the harness's check of the whole console log, each program
# fails when the kernel logged a stall while it ran: a soft lockup, an RCU
# stall ("rcu_sched self-detected stall", "rcu: INFO") or a hung task.

set -u

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$HERE/../../../scripts/env.sh"
# shellcheck source-path=SCRIPTDIR source=../include/tap.sh
. "$HERE/../include/tap.sh"
OUT=${1:-${O:-$SEVSTACK_CACHE/tools}}
SEED=${2:-$(date +%s)}
export SEV_EMU_KO=${SEV_EMU_KO:-$SEVSTACK_CACHE/mod/$(sevstack_kver)/drivers/crypto/ccp/sev-emu/sev-emu.ko}
read -r -a sel <<<"${FAULT_TESTS:-fault fuzz stress}"

declare -A cmd=(
	[fault]="sev_fault_test"
	[fuzz]="sev_fuzz --seed $SEED --ops ${FUZZ_OPS:-4000} --procs ${FUZZ_PROCS:-4} --time ${FUZZ_TIME:-60} --fast ${FUZZ_FAST:-0} ${FUZZ_FLAGS---faults --chaos --big}"
	[stress]="sev_stress --seed $SEED --procs ${STRESS_PROCS:-6} --time ${STRESS_TIME:-40} ${STRESS_FLAGS---chaos}"
	[failslab]="sev_failslab_test"
	[regress]="sev_regress_test"
)

echo "TAP version 13"
echo "1..${#sel[@]}"
echo "# seed $SEED"

# The kernel log as it comes (the ring buffer may wrap in a long run)
kmsg=$(mktemp /tmp/fault-kmsg.XXXXXX)
dmesg -w >"$kmsg" 2>/dev/null &
kmsg_pid=$!
wd=/proc/sys/kernel/watchdog_thresh
wd_old=$(cat $wd 2>/dev/null)
[ -n "$wd_old" ] && echo "${WATCHDOG_THRESH:-2}" >$wd
cleanup() {
	[ -n "$wd_old" ] && echo "$wd_old" >$wd
	kill "$kmsg_pid" 2>/dev/null
	wait "$kmsg_pid" 2>/dev/null
	rm -f "$kmsg"
}
trap cleanup EXIT
stall='soft lockup|rcu_(sched|preempt) self-detected stall|rcu: INFO|hung_task|blocked for more than'

for t in "${sel[@]}"; do
	c=${cmd[$t]:-}
	prog=${c%% *}
	echo "# selftests: fault: $c"
	if [ -z "$c" ]; then
		echo "# unknown test \"$t\""
		rc=1
	elif tap_need "$OUT/fault/$prog" "make -C tools/testing O=$OUT"; then
		mark=$(wc -l <"$kmsg")
		# shellcheck disable=SC2086
		tap_indent "$OUT/fault/"$c
		sleep 1
		bad=$(tail -n +$((mark + 1)) "$kmsg" | grep -E "$stall")
		if [ -n "$bad" ]; then
			echo "# the kernel logged a stall while $prog ran:"
			echo "$bad" | head -n 20 | sed 's/^/#   /'
			[ "$rc" -eq 0 ] && rc=1
		fi
	fi
	tap_result fault "$prog" "$rc"
done
tap_summary "fault tests"
