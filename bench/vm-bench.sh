#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The benchmarks, in the VM that bench/run.sh boots (run.sh has loaded
# sev-psp, sev-emu and kvm-amd). Runs every benchmark with the firmware's
# defaults, then reloads sev-emu (and kvm-amd over it) in opaque memory
# mode for the opaque launch benchmark, and with 4 ASIDs for the ASID
# recycling benchmark. Before the opaque phase it loads the CPU's AES and
# SHA-256 crypto modules, as udev does on a host from the CPU's modalias
# (the VM has no udev), so that the firmware's crypto API transforms get
# the fastest code; the firmware's "crypto:" line says what it got.
#
# usage: vm-bench.sh SEV_BENCH SEV_EMU_KO KVM_AMD_KO [sev-bench options]
#
# Output: sev-bench's "BENCH {json}" lines, "BENCH-END NAME RC" after each
# benchmark, "BENCH-PHASE ..." before each firmware configuration,
# "BENCH-CRYPTO ..." after it: the implementations the firmware uses.

set -u
bin=$1
emu_ko=$2
kvm_ko=$3
shift 3
opts=("$@")
t0=$(date +%s)

run() {
	echo "# [$(($(date +%s) - t0))s] $1"
	"$bin" "${opts[@]}" "$1"
	echo "BENCH-END $1 $?"
}

# the firmware's crypto API implementations, for the report
crypto() {
	echo "BENCH-CRYPTO $(sed -n 's/^crypto: //p' /sys/kernel/debug/sev-emu/platform)"
}

# reload PARAMS...: sev-emu with PARAMS, then kvm-amd over it
reload() {
	echo "BENCH-PHASE sev_emu $*"
	rmmod kvm_amd && rmmod sev_emu && insmod "$emu_ko" "$@" &&
		insmod "$kvm_ko" && crypto
}

echo "BENCH-PHASE sev_emu defaults"
grep -E '^(mem_mode|asids|crypto):' /sys/kernel/debug/sev-emu/platform | sed 's/^/# /'
crypto
for b in cmd kvm procs coalesce pin asid dbg scale; do
	run $b
done

for m in aesni_intel sha256_ssse3; do
	modprobe -q "$m" || echo "# $m not loaded"
done
if reload mem_mode=opaque; then
	run launch
else
	echo "BENCH-END launch 125"
fi

if reload max_asid=4; then
	run asid
else
	echo "BENCH-END asid 125"
fi
echo "# [$(($(date +%s) - t0))s] done"
