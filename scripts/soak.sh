#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The long reliability run (make soak; not part of make check): the seeded
# fuzzer and the stress test of tools/testing/fault/ in the QEMU VM for a
# bounded but long time, with firmware reloads under live VMs, random
# command timeouts down to 1 s (and commands longer than that), PSP deaths,
# stop_on_abort=N quarantines, multi-MiB commands and a share of cheap
# calls (GUEST_STATUS with its answer checked, PLATFORM_STATUS, malformed
# arguments), SEV-ES guests among the rest (two ES ASIDs), on two vCPUs and
# then on one.
#
#   SOAK_KERNEL=stock (default): the distro kernel. Two VMs: two vCPUs
#     (fuzz SOAK_FUZZ_TIME s, default 1200, then stress SOAK_STRESS_TIME s,
#     default 240), then one vCPU (fuzz and stress, a quarter of those
#     times each). The fuzzer must reach SOAK_MIN_CALLS calls (default
#     1000000). About 35 minutes.
#   SOAK_KERNEL=debug: the KASAN/lockdep/kmemleak/UBSAN kernel of
#     scripts/build-debug-kernel.sh, one VM on one vCPU (that kernel does
#     not boot on two under TCG), bounded at 60 minutes (fuzz 2400 s,
#     stress 600 s, the boot and the kmemleak scan); as many calls as fit.
#   SOAK_SEED replays a run (default: the clock; printed). SOAK_FAST (60):
#     the fuzzer's share of cheap-call bursts, in percent.
#
# Logs: $SEVSTACK_CACHE/soak/. The last lines are one summary line to paste
# into the README's reliability table (calls, faults, reloads, kills,
# timeouts, kernel reports, leaks, violations) and "N passed, N failed".

set -uo pipefail
. "$(dirname "$0")/env.sh"
cd "$SEVSTACK_ROOT" || exit 1

kind=${SOAK_KERNEL:-stock}
seed=${SOAK_SEED:-$(date +%s)}
fast=${SOAK_FAST:-60}
logs=$SEVSTACK_CACHE/soak
run=tools/testing/vm/run.sh
tap=scripts/tap-count.py
mkdir -p "$logs"
rm -f "$logs"/*.log
start=$SECONDS

case $kind in
stock)
	O_TOOLS=$SEVSTACK_CACHE/tools
	kargs=()
	fuzz_time=${SOAK_FUZZ_TIME:-1200}
	stress_time=${SOAK_STRESS_TIME:-240}
	min_calls=${SOAK_MIN_CALLS:-1000000}
	# name smp fuzz-seconds stress-seconds
	vms=("smp2 2 $fuzz_time $stress_time"
	     "smp1 1 $((fuzz_time / 4)) $((stress_time / 4))")
	make -s -C tools/testing O="$O_TOOLS" || exit 1
	;;
debug)
	export SEVSTACK_KERNEL=debug
	O_TOOLS=$SEVSTACK_CACHE/debug-kernel/tools
	kargs=(--kernel=debug)
	min_calls=${SOAK_MIN_CALLS:-0}
	vms=("debug 1 ${SOAK_FUZZ_TIME:-2400} ${SOAK_STRESS_TIME:-600}")
	{ scripts/modules.sh && scripts/build-kvm-amd.sh &&
		make -s -C tools/testing O="$O_TOOLS"; } >"$logs/build.log" 2>&1 ||
		{ echo "soak: building against the debug kernel failed ($logs/build.log)"; exit 1; }
	;;
*)
	echo "soak: SOAK_KERNEL must be stock or debug" >&2
	exit 2
	;;
esac

echo "# soak: $kind kernel, seed $seed, logs in $logs"
rc=0
n=0
for v in "${vms[@]}"; do
	read -r name smp ft stt <<<"$v"
	n=$((n + 1))
	echo "# soak: VM $name: $smp vCPU(s), fuzz ${ft}s, stress ${stt}s"
	# the run's own bound, with room for boots, settling and kmemleak;
	# two SEV-ES ASIDs, so that ES launches, moves and mirrors soak too
	"$run" "${kargs[@]}" --smp "$smp" --mem 3G \
		--param sev_emu.min_sev_asid=3 \
		--timeout $((ft + stt + 900)) \
		--keep-log "$logs/$name-console.log" -- \
		env FAULT_TESTS="fuzz stress" FUZZ_OPS=1000000000 \
		FUZZ_TIME="$ft" FUZZ_FAST="$fast" STRESS_TIME="$stt" \
		tools/testing/fault/run-vm-tests.sh "$O_TOOLS" "$((seed + n))" \
		>"$logs/$name.log" 2>&1 || rc=1
	grep -E '^(# )+(summary|calls|reloads|big|watches|stale|timeout)|not ok' \
		"$logs/$name.log" | sed 's/^/  /'
done

# the figures, summed over the VMs
sum() {
	sed -n "$1" "$logs"/*[^e].log 2>/dev/null | awk '{ s += $1 } END { print s + 0 }'
}
calls=$(sum 's/^.*# summary: calls \([0-9]*\) .*/\1/p')
faults=$(sum 's/^.*# summary: .* faults \([0-9]*\) .*/\1/p')
reloads=$(sum 's/^.*# summary: .* reloads \([0-9]*\) .*/\1/p')
kills=$(sum 's/^.*# summary: .* kills \([0-9]*\) .*/\1/p')
timeouts=$(sum 's/^.*# summary: .* timeouts \([0-9]*\) .*/\1/p')
violations=$(sum 's/^.*# summary: .* violations \([0-9]*\) .*/\1/p')
scalls=$(sum 's/^# # calls \([0-9]*\); guests.*/\1/p')
sreloads=$(sum 's/^# # reloads \([0-9]*\) (.*kept.*/\1/p')
skills=$(sum 's/^# # .* clients, \([0-9]*\) killed/\1/p')
leaks=$(cat "$logs"/*[^e].log | grep -c -E '^(# )+[a-z]+: leak:')
# kernel reports: what run.sh fails a run on, and stalls
reports=$(cat "$logs"/*-console.log | grep -a -c -E \
	-e 'WARNING:|BUG:|Oops|Call Trace|kernel BUG|general protection fault' \
	-e 'KASAN|UBSAN|kmemleak report|possible (circular|recursive) locking' \
	-e 'Kernel panic|INFO: task .* blocked|rcu.*stall|refcount_t:|list_(add|del) corruption' \
	-e 'soft lockup|rcu: INFO|hung_task')
read -r passed failed < <(cat "$logs"/*[^e].log | "$tap" --status $rc | tail -n 1)
if [ "${calls:-0}" -lt "$min_calls" ]; then
	echo "soak: the fuzzer made $calls calls, fewer than $min_calls"
	failed=$((failed + 1))
fi

mins=$(((SECONDS - start + 30) / 60))
echo "soak ($kind kernel, seed $seed, ${#vms[@]} VM(s), $mins min): fuzzed calls $calls (+ $scalls stress calls), faults injected $faults, firmware reloads $((reloads + sreloads)), processes killed $((kills + skills)), command timeouts $timeouts, kernel reports $reports, leaks $leaks, violations $violations"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
