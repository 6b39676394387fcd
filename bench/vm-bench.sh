#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The benchmarks, in the VM that bench/run.sh boots (run.sh has loaded
# sev-psp, sev-emu and kvm-amd). Runs every benchmark with the firmware's
# defaults, then reloads sev-emu (and kvm-amd over it) in opaque memory
# mode for the opaque launch benchmark, with 4 ASIDs for the ASID
# recycling benchmark, and for "every ASID at once" with 509 (kvm_amd
# with and without sw_all_asids=1, then 300 of them SEV-ES). Before the
# opaque phase it loads the CPU's AES and SHA-256 crypto modules, as udev
# does on a host from the CPU's modalias (the VM has no udev), so that the
# firmware's crypto API transforms get the fastest code; the firmware's
# "crypto:" line says what it got.
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

# reload PARAMS...: sev-emu with PARAMS, then kvm-amd over it (with the
# parameters in $kvm_params, if set)
reload() {
	echo "BENCH-PHASE sev_emu $*${kvm_params:+, kvm_amd $kvm_params}"
	rmmod kvm_amd && rmmod sev_emu && insmod "$emu_ko" "$@" &&
		insmod "$kvm_ko" ${kvm_params:-} && crypto
}

echo "BENCH-PHASE sev_emu defaults"
grep -E '^(mem_mode|asids|crypto):' /sys/kernel/debug/sev-emu/platform | sed 's/^/# /'
crypto
# the pinning baseline of "pin" (bench/pin-baseline; run.sh built it)
pin_ko=${SEVSTACK_BENCH_PIN_KO:-}
[ -n "$pin_ko" ] && { insmod "$pin_ko" || echo "# insmod $pin_ko failed"; }
for b in cmd kvm procs coalesce pin asid dbg scale; do
	run $b
done
[ -n "$pin_ko" ] && rmmod sev_bench_pin

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

# every ASID at once (issue 15): the firmware's 509 ASIDs under kvm_amd's
# cap at half of the CPU's (7 under TCG: the small count), all 509 with
# sw_all_asids=1, and 300 SEV-ES + 209 SEV ASIDs
if reload max_asid=509; then
	run asidall-small
else
	echo "BENCH-END asidall-small 125"
fi
if kvm_params=sw_all_asids=1 reload max_asid=509; then
	run asidall
else
	echo "BENCH-END asidall 125"
fi
if kvm_params=sw_all_asids=1 reload max_asid=509 min_sev_asid=301; then
	run asidall-es
else
	echo "BENCH-END asidall-es 125"
fi
echo "# [$(($(date +%s) - t0))s] done"
