#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Check that a kvm-amd.ko imports only what the distribution kernel
# exports: every versioned import must appear in the headers'
# Module.symvers with the same CRC, from vmlinux, kvm.ko or ccp.ko (so the
# module runs over the distribution's PSP driver as well as this
# project's). Symbols only this project's PSP driver has (e.g.
# sev_psp_sw_caps) must not be imported; KVM looks them up at run time.
#
# Arguments: KO MODULE.SYMVERS

set -euo pipefail
ko=$1
symvers=$2

bad=0
n=0
ccp=()
while read -r crc sym; do
	n=$((n + 1))
	line=$(awk -v s="$sym" '$2 == s { print $1, $3; exit }' "$symvers")
	if [ -z "$line" ]; then
		echo "FAIL: $sym is not exported by the distribution kernel" >&2
		bad=1
		continue
	fi
	read -r want from <<<"$line"
	case $from in
	vmlinux | arch/x86/kvm/kvm) ;;
	drivers/crypto/ccp/ccp) ccp+=("$sym") ;;
	*)
		echo "FAIL: $sym comes from $from" >&2
		bad=1
		;;
	esac
	if [ $((crc)) -ne $((want)) ]; then
		echo "FAIL: $sym CRC $crc, distribution has $want" >&2
		bad=1
	fi
done < <(modprobe --dump-modversions "$ko")

[ "$n" -gt 0 ] || { echo "FAIL: $ko has no symbol versions" >&2; exit 1; }
echo "kvm-amd symbols: $n imports match the distribution's CRCs; from ccp: ${ccp[*]}"
exit $bad
