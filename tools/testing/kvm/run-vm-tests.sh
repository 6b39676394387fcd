#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Load the distro kvm.ko and this project's kvm-amd.ko (unless kvm_amd is
# loaded already), run the KVM SEV test programs and print their TAP,
# kselftest style; unload what it loaded. Exits non-zero if anything failed.
#
# Meant for the VM, where run.sh --modules=project (the default) has loaded
# the project's sev-psp, sev-emu and kvm-amd:
#   make modules tools
#   tools/testing/vm/run.sh -- <this script>
# With --modules=psp it loads kvm and kvm-amd itself.
#
# Arguments: [OUTDIR [KVM_AMD_KO]]
#   OUTDIR      where make put the programs (default: $O, else
#               $SEVSTACK_CACHE/tools, else ~/.cache/sevstack/tools)
#   KVM_AMD_KO  the module (default: scripts/build-kvm-amd.sh's)

set -u

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$HERE/../../../scripts/env.sh"
# shellcheck source-path=SCRIPTDIR source=../include/tap.sh
. "$HERE/../include/tap.sh"
OUT=${1:-${O:-$SEVSTACK_CACHE/tools}}
KO=${2:-$SEVSTACK_CACHE/kvm-amd/$(sevstack_kver)/arch/x86/kvm/kvm-amd.ko}

tests=(kvm_sev_basic_test kvm_sev_launch_test kvm_sev_resource_test)

echo "TAP version 13"
echo "1..${#tests[@]}"

# The firmware's key generation (platform INIT) needs the kernel's DRBG,
# which the VM cannot autoload.
loaded=0
if [ ! -d /sys/module/kvm_amd ]; then
	if ! modprobe -a ctr sha512_generic drbg kvm || ! insmod "$KO"; then
		echo "Bail out! cannot load kvm and $KO"
		exit 1
	fi
	loaded=1
fi
dmesg | grep -E 'kvm_amd: SEV' | sed 's/^/# /'

for prog in "${tests[@]}"; do
	tap_prog kvm "$prog" "make -C tools/testing O=$OUT" "$OUT/kvm/$prog"
done

if [ $loaded = 1 ]; then
	rmmod kvm_amd || failed=$((failed + 1))
fi
tap_summary "kvm tests"
