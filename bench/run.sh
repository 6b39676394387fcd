#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The SEV stack benchmarks (issue 7): builds sev-bench into
# $SEVSTACK_CACHE/bench, boots the QEMU VM once (2 CPUs, 3 GiB) with the
# project's modules, runs every benchmark there (bench/vm-bench.sh) and
# prints the table; the results go to $SEVSTACK_CACHE/bench/results.json,
# the VM's raw output to $SEVSTACK_CACHE/bench/raw.log (results-smoke.json
# and raw-smoke.log with --smoke), and the plots of the run (bench/plot.py,
# gnuplot SVGs: launch time against guest size, the command-path breakdown,
# the per-launch time against guests in use)
# to $SEVSTACK_CACHE/bench/plots-full/ (plots-smoke/).
#
# usage: bench/run.sh [--smoke] [--reps N]
#   --smoke    one repetition, smaller sizes; prints TAP (one line per
#              benchmark) and exits non-zero on errors, not on missed goals
#   --reps N   N repetitions of every benchmark (default: per benchmark,
#              sized to finish in under 15 minutes under TCG)
#
# The modules must be built (make modules). Exit status: 0 if every
# benchmark ran, 1 if one failed, 125 if the VM harness failed.

set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/../scripts/env.sh"

smoke=0
bench_args=()
while [ $# -gt 0 ]; do
	case $1 in
	--smoke) smoke=1; bench_args+=(--smoke) ;;
	--reps) bench_args+=(--reps "${2:?--reps needs a number}"); shift ;;
	*) echo "usage: bench/run.sh [--smoke] [--reps N]" >&2; exit 2 ;;
	esac
	shift
done

out=$SEVSTACK_CACHE/bench
mkdir -p "$out"
make -s -C "$here" O="$out" || { echo "bench: building sev-bench failed" >&2; exit 1; }
KVER=$(sevstack_kver) || exit 125
emu_ko=$SEVSTACK_CACHE/mod/$KVER/drivers/crypto/ccp/sev-emu/sev-emu.ko
kvm_ko=$SEVSTACK_CACHE/kvm-amd/$KVER/arch/x86/kvm/kvm-amd.ko
for ko in "$emu_ko" "$kvm_ko"; do
	[ -f "$ko" ] || { echo "bench: $ko missing (make modules)" >&2; exit 125; }
done
# The pinning baseline of benchmark 5 (bench/pin-baseline), against the
# VM's kernel in its own mirror; vm-bench.sh loads it from the path in
# SEVSTACK_BENCH_PIN_KO (run.sh passes SEVSTACK_* into the VM). Without
# it only the pin benchmark fails.
pin_mirror=$out/pin-baseline/$KVER
if "$here/../scripts/modules.sh" -o "$pin_mirror" -C bench/pin-baseline \
	modules >"$out/pin-baseline.log" 2>&1; then
	export SEVSTACK_BENCH_PIN_KO=$pin_mirror/bench/pin-baseline/sev-bench-pin.ko
else
	echo "bench: building sev-bench-pin.ko failed (log $out/pin-baseline.log)" >&2
fi

if [ $smoke = 1 ]; then
	mode=smoke
	timeout=400
	raw=$out/raw-smoke.log
	json=$out/results-smoke.json
else
	mode=full
	timeout=1080
	raw=$out/raw.log
	json=$out/results.json
fi
date=$(date -u '+%Y-%m-%d %H:%M UTC')
host="$(nproc) CPUs, $(uname -r), QEMU TCG guest $KVER, -smp 2 -m 3G"
echo "bench: $mode run, VM output in $raw"
start=$SECONDS
# progress lines only; the JSON records stay in the raw log
"$here/../tools/testing/vm/run.sh" --smp 2 --mem 3G --timeout "$timeout" \
	--keep-log "$out/console.log" -- \
	"$here/vm-bench.sh" "$out/sev-bench" "$emu_ko" "$kvm_ko" \
	"${bench_args[@]}" | tee "$raw" |
	grep --line-buffered -v -E '^(BENCH |BENCH-CURVE |sev-bench: [a-z-]+$)'
vm_rc=${PIPESTATUS[0]}
elapsed=$((SECONDS - start))
echo "bench: the VM ran ${elapsed}s (exit status $vm_rc)"
echo

tap=()
[ $smoke = 1 ] && tap=(--tap)
python3 "$here/report.py" "$raw" --json "$json" \
	--mode "$mode" --vm-rc "$vm_rc" --elapsed "$elapsed" --date "$date" \
	--host "$host" "${tap[@]}"
rc=$?
echo "bench: results in $json"
# the plots of this run (gnuplot, SVG), linked from the README
python3 "$here/plot.py" "$json" --out "$out/plots-$mode" "${tap[@]}" || rc=1
if [ "$vm_rc" = 125 ] || [ "$vm_rc" = 124 ]; then
	exit 125
fi
exit $rc
