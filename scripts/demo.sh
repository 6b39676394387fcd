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
name=demo
nsteps=13
. "$(dirname "$0")/demo-common.sh"

demo_build
demo_vm "boot a VM (QEMU TCG, nested SVM) with sev-psp, sev-emu and kvm-amd" \
	-- tools/testing/qemu/sev-demo.py
echo
echo "demo: done in $((SECONDS - start))s (VM part $((SECONDS - vmstart))s):" \
	"the host exported and the owner verified the chain, QEMU launched OVMF"
echo "demo: as an SEV guest, the owner verified its measurement and injected a"
echo "demo: secret, the guest ran, and teardown left nothing behind."
echo "demo: files in $out; logs in $demo"
