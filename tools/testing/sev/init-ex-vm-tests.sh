#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# INIT_EX in one VM: sev_init_ex_test with the NV file that run.sh's
# --param sev_psp.init_ex_path names (persistence across sev-emu reloads,
# FACTORY_RESET, the seeded stress), then twice more with sev-psp reloaded
# onto an NV file the driver cannot write: in a read-only directory (the
# platform INIT at probe fails), and in a directory that does not exist
# (with psp_init_on_probe=0: the first INIT is an ioctl's). KTAP like
# run-vm-tests.sh: each run's TAP as "# " lines, one line per run.
#
#   tools/testing/vm/run.sh --modules=psp \
#       --param sev_psp.init_ex_path=/newroot/tmp/sev-nv.bin -- \
#       tools/testing/sev/init-ex-vm-tests.sh [OUTDIR [SEED]]
#
# The driver opens init_ex_path in the root of the init task: in the VM
# harness that is the initramfs, where the host's root (read-only) is at
# /newroot and the guest's /tmp at /newroot/tmp. --modules=psp, so that
# sev-psp can be reloaded (kvm-amd would hold it).
#
# Arguments: [OUTDIR [SEED]]   (default OUTDIR: $O, else
#            $SEVSTACK_CACHE/tools; default SEED: from the clock, printed)
# Environment: INITEX_ROUNDS (stress rounds, 20), INITEX_RO_PATH and
#   INITEX_NODIR_PATH (the unwritable NV files, in init's root),
#   SEV_PSP_KO and SEV_EMU_KO (the modules to reload)

set -u

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$HERE/../../../scripts/env.sh"
# shellcheck source-path=SCRIPTDIR source=../include/tap.sh
. "$HERE/../include/tap.sh"
OUT=${1:-${O:-$SEVSTACK_CACHE/tools}}
SEED=${2:-$(date +%s)}
MODDIR=$SEVSTACK_CACHE/mod/$(sevstack_kver)/drivers/crypto/ccp
export SEV_PSP_KO=${SEV_PSP_KO:-$MODDIR/sev-psp.ko}
export SEV_EMU_KO=${SEV_EMU_KO:-$MODDIR/sev-emu/sev-emu.ko}
RO_PATH=${INITEX_RO_PATH:-/newroot/sev-initex-nv.bin}
NODIR_PATH=${INITEX_NODIR_PATH:-/newroot/tmp/sev-initex-no-such-dir/sev-nv.bin}
PROG=$OUT/sev/sev_init_ex_test

# The parameters module $1 was loaded with, as key=val words, but those
# named in $2 ("key key")
mod_args() {
	local p name val
	for p in /sys/module/"$1"/parameters/*; do
		name=${p##*/}
		case " $2 " in *" $name "*) continue ;; esac
		val=$(cat "$p") || return 1
		[ "$val" = "(null)" ] && continue	# an unset charp
		printf '%s=%s\n' "$name" "$val"
	done
}

# Reload sev-psp (and sev-emu, which needs it) with the sev-psp parameters
# $@ in place of the current ones
psp_reload() {
	local keys=() psp_args=() emu_args=() psp emu a
	for a in "$@"; do keys+=("${a%%=*}"); done
	psp=$(mod_args sev_psp "${keys[*]}") && emu=$(mod_args sev_emu "") ||
		return 1
	[ -z "$psp" ] || mapfile -t psp_args <<<"$psp"
	[ -z "$emu" ] || mapfile -t emu_args <<<"$emu"
	rmmod sev_emu && rmmod sev_psp &&
		insmod "$SEV_PSP_KO" "${psp_args[@]}" "$@" &&
		insmod "$SEV_EMU_KO" "${emu_args[@]}"
}

runs=(
	"persist:"
	"nv-fail:init_ex_path=$RO_PATH"
	"nv-fail:init_ex_path=$NODIR_PATH psp_init_on_probe=0"
)

echo "TAP version 13"
echo "1..${#runs[@]}"
echo "# seed $SEED"
if [ -d /sys/module/kvm_amd ]; then
	echo "Bail out! kvm_amd is loaded: run with run.sh --modules=psp"
	exit 1
fi

for r in "${runs[@]}"; do
	mode=${r%%:*}
	params=${r#*:}
	name="sev_init_ex_test $mode${params:+ ($params)}"
	echo "# selftests: sev: $name"
	rc=0
	if tap_need "$PROG" "make -C tools/testing O=$OUT" &&
		[ -n "$params" ]; then
		# shellcheck disable=SC2086 # $params holds separate words
		tap_indent psp_reload $params
		[ "$rc" = 0 ] || echo "# reloading sev-psp with $params failed"
	fi
	if [ "$rc" = 0 ]; then
		tap_indent "$PROG" --seed "$SEED" \
			--rounds "${INITEX_ROUNDS:-20}" "$mode"
	fi
	tap_result sev "$name" "$rc"
done
tap_summary "init_ex tests"
