#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The SEV-ES part of the demo (issue 12), on a machine without SEV
# hardware: the same packages, modules and tools as scripts/demo.sh, a VM
# (QEMU TCG with nested SVM, two vCPUs) whose software firmware gives
# SEV-ES ASIDs (sev_emu.min_sev_asid=4), and in it
# tools/testing/qemu/sev-es-demo.py: the host's ES support, the owner
# verification of scripts/demo.sh (the platform's chain exported and
# verified, a launch session for policy 0x5), the owner's expected VMSAs
# from the OVMF file alone, QEMU 7.2 launching OVMF as an SEV-ES guest
# with that session (2 vCPUs, paused), query-sev, the measurement verified
# with sev-owner and the session's TIK from the OVMF file, policy, vCPU
# count and CPU signature (and refused for another count or signature), a
# secret injected, the host's VMSAs compared byte for byte with the
# owner's, then cont: here the vCPUs cannot run an ES guest, KVM_RUN
# returns KVM_EXIT_SHUTDOWN and QEMU terminates; teardown leaves no
# firmware handle or ASID.
# Each step prints a line or two; a failure names the step and exits 1.

set -uo pipefail
name=demo-es
nsteps=15
. "$(dirname "$0")/demo-common.sh"

demo_build
title="boot a VM (QEMU TCG, nested SVM, 2 vCPUs) with sev-psp,"
title+=" sev-emu (min_sev_asid=4: ES ASIDs 1 - 3) and kvm-amd"
demo_vm "$title" --param sev_emu.min_sev_asid=4 -- \
	tools/testing/qemu/sev-es-demo.py
echo
echo "demo-es: done in $((SECONDS - start))s (VM part $((SECONDS - vmstart))s):" \
	"the host exported and the owner verified the chain,"
echo "demo-es: QEMU launched OVMF as an SEV-ES guest with 2 vCPUs and the owner's"
echo "demo-es: session, the owner verified its measurement with the session's TIK"
echo "demo-es: from the OVMF file, policy, vCPU count and CPU signature alone and"
echo "demo-es: injected a secret, the host's VMSAs equal the owner's byte for byte;"
echo "demo-es: this CPU cannot run an ES vCPU (KVM_EXIT_SHUTDOWN, QEMU terminates),"
echo "demo-es: and teardown left nothing."
echo "demo-es: files in $out; logs in $demo"
