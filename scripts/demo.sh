#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The stack end to end, on a machine without SEV hardware: install the
# packages, build the modules and the tools, boot a VM (QEMU TCG with nested
# SVM) with sev-psp.ko, the software firmware sev-emu.ko and the project's
# kvm-amd.ko, and walk through what a host and a guest owner do
# (tools/testing/qemu/sev-demo.py, inside the VM): export and verify the
# platform's chain, create a launch session, launch OVMF with real QEMU as
# an SEV guest, verify the measurement read over QMP, inject a secret, let
# the guest run, show its SEV status and the debugfs view, and tear down.
# Each step prints a line or two; a failure names the step and exits 1.

set -uo pipefail
. "$(dirname "$0")/env.sh"
cd "$SEVSTACK_ROOT" || exit 1

start=$SECONDS
demo=$SEVSTACK_CACHE/demo
out=$demo/out
tools=$SEVSTACK_CACHE/tools/sev
nsteps=13
stepno=0
rm -rf "$demo"
mkdir -p "$out"

# step NAME CMD...: run CMD with its output in $demo/<n>.log; one line
step() {
	local name=$1 log t=$SECONDS
	shift
	stepno=$((stepno + 1))
	log=$demo/step$stepno.log
	printf '[%d/%d] %s ... ' $stepno $nsteps "$name"
	if "$@" >"$log" 2>&1; then
		echo "ok ($((SECONDS - t))s)"
	else
		echo "FAILED ($((SECONDS - t))s)"
		echo "demo: step $stepno ($name) failed; last lines of $log:"
		tail -n 25 "$log" | sed 's/^/    /'
		echo "demo: FAILED at step $stepno ($name) after $((SECONDS - start))s"
		exit 1
	fi
}

step "install packages (scripts/setup.sh)" scripts/setup.sh
step "build sev-psp.ko, sev-emu.ko and kvm-amd.ko" make -s modules
step "build sev-host and sev-owner" make -C tools/sev O="$tools"
vmstart=$SECONDS
echo "[4/$nsteps] boot a VM (QEMU TCG, nested SVM) with sev-psp, sev-emu and kvm-amd"
tools/testing/vm/run.sh --smp 2 --timeout 900 --rw "$out" \
	--keep-log "$demo/console.log" -- \
	tools/testing/qemu/sev-demo.py --tools "$tools" --out "$out" \
	--first-step 5 --steps "$nsteps" | tee "$demo/vm.log"
rc=${PIPESTATUS[0]}
if [ "$rc" -ne 0 ]; then
	if ! grep -q '^demo: FAILED' "$demo/vm.log"; then
		echo "demo: FAILED at step 4 (boot the VM and load the stack," \
			"run.sh exit $rc); last console lines:"
		tail -n 25 "$demo/console.log" | sed 's/^/    /'
	fi
	exit 1
fi
echo
echo "demo: done in $((SECONDS - start))s (VM part $((SECONDS - vmstart))s):" \
	"the host exported and the owner verified the chain, QEMU launched OVMF"
echo "demo: as an SEV guest, the owner verified its measurement and injected a"
echo "demo: secret, the guest ran, and teardown left nothing behind."
echo "demo: files in $out; logs in $demo"
