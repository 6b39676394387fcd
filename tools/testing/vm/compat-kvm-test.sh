#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Compatibility test, the other direction: the project's kvm-amd.ko over
# the distribution's ccp.ko. Run in the VM with no project modules loaded
# (tools/testing/vm/run.sh --modules=none -- tools/testing/vm/compat-kvm-test.sh
# KVM_AMD_KO TOOLS_O). Our kvm-amd.ko imports only symbols the distro's
# ccp.ko exports, loads over it, runs a plain (non-SEV) guest, and unloads.
# TCG has no PSP, so SEV stays off there; that is the expected outcome.

set -u
. "$(dirname "${BASH_SOURCE[0]}")/../include/tap.sh"
ko=${1:?usage: compat-kvm-test.sh KVM_AMD_KO TOOLS_O}
tests=${2:?usage: compat-kvm-test.sh KVM_AMD_KO TOOLS_O}

echo "TAP version 13"
echo "1..4"

modprobe ccp && modprobe kvm && grep -q '^ccp ' /proc/modules
ok $? "the distro's ccp.ko and kvm.ko are loaded"

if insmod "$ko" && grep -q '^kvm_amd ' /proc/modules; then
	ok 0 "the project's kvm-amd.ko loads over the distro's ccp.ko"
	grep -E '^(ccp|kvm|kvm_amd) ' /proc/modules | sed 's/^/# /'
	echo "# sev=$(cat /sys/module/kvm_amd/parameters/sev)"
else
	ok 1 "the project's kvm-amd.ko loads over the distro's ccp.ko"
fi

"$tests/kvm/kvm_sev_basic_test" plain_guest_runs | sed 's/^/# /'
ok "${PIPESTATUS[0]}" "a plain guest runs on it"

rmmod kvm_amd && rmmod kvm && rmmod ccp
ok $? "kvm-amd, kvm and ccp unload again"
[ $failed = 0 ]
