#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The VM test layers on the debug kernel (scripts/build-debug-kernel.sh:
# KASAN, lockdep, kmemleak, UBSAN, failslab), with the project's modules
# built against it. Any sanitizer report in a VM's console log, or a
# kmemleak report on the project's modules, fails that VM's run
# (tools/testing/vm/run.sh --kernel=debug). Layers:
#
#   kernel   build the debug kernel (cached: skipped when unchanged)
#   modules  sev-psp.ko, sev-emu.ko and kvm-amd.ko against it
#   harness  the VM harness self-test (TAP)
#   sev      the /dev/sev tests (tools/testing/sev/run-vm-tests.sh)
#   kvm      the KVM SEV tests (tools/testing/kvm/run-vm-tests.sh)
#   es       the SEV-ES tests: kvm_sev_es_test and real QEMU + OVMF
#            launching ES guests (tools/testing/kvm/run-es-vm-tests.sh,
#            sev_emu.min_sev_asid=4)
#   fault    injected firmware faults, the fuzzer, the stress test,
#            failslab on the project's allocations and the regression
#            tests of issue 13
#            (tools/testing/fault/run-vm-tests.sh; FAULT_SEED replays)
#
# TAP is counted by scripts/tap-count.py, as scripts/check.sh does. Logs
# and console logs: $SEVSTACK_CACHE/check-debug/. The last line of the
# output is "N passed, N failed"; the exit status is non-zero if anything
# failed.
#
# usage: scripts/check-debug.sh [LAYER...]   (default: all, in that order)

set -uo pipefail
. "$(dirname "$0")/env.sh"
cd "$SEVSTACK_ROOT" || exit 1

all_layers="kernel modules harness sev kvm es fault"
layers=${*:-$all_layers}
logs=$SEVSTACK_CACHE/check-debug
mkdir -p "$logs"
tap=$SEVSTACK_ROOT/scripts/tap-count.py
run=$SEVSTACK_ROOT/tools/testing/vm/run.sh
O_TOOLS=$SEVSTACK_CACHE/debug-kernel/tools
export SEVSTACK_KERNEL=debug
total_pass=0
total_fail=0
summary=()
start_all=$SECONDS

# record LAYER PASSED FAILED
record() {
	local secs=$((SECONDS - layer_start))
	total_pass=$((total_pass + $2))
	total_fail=$((total_fail + $3))
	summary+=("$(printf '%-8s %4d passed, %3d failed  (%ds)' "$1" "$2" "$3" "$secs")")
	printf '== %s: %d passed, %d failed (%ds, log %s)\n' "$1" "$2" "$3" \
		"$secs" "$logs/$1.log"
}

# tap_layer LAYER STATUS: count the TAP in the layer's log
tap_layer() {
	local out p f
	out=$("$tap" --status "$2" <"$logs/$1.log")
	echo "$out" | grep '^#' | head -n 30
	read -r p f < <(echo "$out" | tail -n 1)
	record "$1" "${p:-0}" "${f:-1}"
}

# step LAYER DESCRIPTION CMD...: a build step, one test
step() {
	local name=$1 what=$2
	shift 2
	if "$@" >"$logs/$name.log" 2>&1; then
		record "$name" 1 0
	else
		echo "$name: $what failed (log $logs/$name.log)"
		tail -n 15 "$logs/$name.log" | sed 's/^/#   /'
		record "$name" 0 1
	fi
}

layer_kernel() {
	step kernel "building the debug kernel" scripts/build-debug-kernel.sh
	grep -h 'build-debug-kernel:' "$logs/kernel.log" | sed 's/^/# /'
}

build_modules() {
	scripts/modules.sh && scripts/build-kvm-amd.sh &&
		scripts/modules.sh -C tools/testing/vm/warn-test &&
		make -s -C tools/testing O="$O_TOOLS" &&
		make -s -C tools/sev O="$O_TOOLS/sev"
}

layer_modules() {
	step modules "building the modules and tests against it" build_modules
}

layer_harness() {
	tools/testing/vm/selftest.sh >"$logs/harness.log" 2>&1
	tap_layer harness $?
}

layer_sev() {
	"$run" --mem 3G --timeout 5400 --keep-log "$logs/sev-console.log" -- \
		tools/testing/sev/run-vm-tests.sh "$O_TOOLS" >"$logs/sev.log" 2>&1
	tap_layer sev $?
}

layer_kvm() {
	"$run" --mem 3G --timeout 3600 --keep-log "$logs/kvm-console.log" -- \
		tools/testing/kvm/run-vm-tests.sh "$O_TOOLS" >"$logs/kvm.log" 2>&1
	tap_layer kvm $?
}

layer_es() {
	"$run" --mem 3G --timeout 3600 --param sev_emu.min_sev_asid=4 \
		--keep-log "$logs/es-console.log" -- \
		tools/testing/kvm/run-es-vm-tests.sh "$O_TOOLS" >"$logs/es.log" 2>&1
	tap_layer es $?
}

layer_fault() {
	local seed=${FAULT_SEED:-$(date +%s)}
	echo "# fault/fuzz/stress/failslab seed $seed" | tee "$logs/fault.log"
	# one CPU: with two, this kernel stops early in its boot under TCG
	# (after the RCU-tasks self-tests, before the second CPU comes up);
	# two SEV-ES ASIDs, so that the fuzzer and the stress reach ES too
	"$run" --mem 3G --timeout 5400 --param sev_emu.min_sev_asid=3 \
		--keep-log "$logs/fault-console.log" -- \
		env FAULT_TESTS="fault fuzz stress failslab" FUZZ_OPS=8000 \
		FUZZ_TIME=300 STRESS_TIME=120 \
		tools/testing/fault/run-vm-tests.sh "$O_TOOLS" "$seed" \
		>>"$logs/fault.log" 2>&1
	local rc=$?
	# the regression tests of issue 13; this kernel cannot allocate a
	# 1 GiB page at run time (no CONFIG_CONTIG_ALLOC): reserve it at boot,
	# which next to KASAN's shadow needs more than 3 GiB
	"$run" --mem 5G --timeout 1800 --append "hugepagesz=1G hugepages=1" \
		--keep-log "$logs/regress-console.log" -- \
		env FAULT_TESTS=regress \
		tools/testing/fault/run-vm-tests.sh "$O_TOOLS" "$seed" \
		>>"$logs/fault.log" 2>&1 || rc=1
	tap_layer fault $rc
}

for layer in $layers; do
	case " $all_layers " in
	*" $layer "*) ;;
	*) echo "check-debug: unknown layer $layer (one of: $all_layers)" >&2; exit 2 ;;
	esac
done
for layer in $layers; do
	echo "== $layer ..."
	layer_start=$SECONDS
	"layer_$layer"
done

echo
echo "Summary (debug kernel $(sevstack_kver 2>/dev/null); logs in $logs, $((SECONDS - start_all))s):"
printf '  %s\n' "${summary[@]}"
echo "$total_pass passed, $total_fail failed"
[ $total_fail = 0 ]
