#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The SEV-ES tests, kselftest style: kvm_sev_es_test (KVM ioctls against
# the firmware) and tools/testing/qemu/qemu-sev-es-test.py (real QEMU 7.2
# and OVMF), each one TAP subtest with its own TAP as "# " lines. Exits
# non-zero if anything failed; a missing program fails.
#
# Meant for the VM, with the project's modules loaded and the firmware
# giving ES ASIDs (run.sh's default --modules=project), e.g.
#   make -C tools/testing O=DIR && make -C tools/sev O=DIR/sev
#   tools/testing/vm/run.sh --smp 2 --param sev_emu.min_sev_asid=4 -- \
#           tools/testing/kvm/run-es-vm-tests.sh DIR
#
# Under QEMU's TCG the CPU has 16 ASIDs, of which KVM gives the software
# firmware 1 - 7: min_sev_asid=4 leaves ES ASIDs 1 - 3 and SEV ASIDs 4 - 7.
#
# Arguments: [OUTDIR]  where make put the programs (default: $O, else
#            $SEVSTACK_CACHE/tools); sev-owner is taken from OUTDIR/sev

set -u

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$HERE/../../../scripts/env.sh"
# shellcheck source-path=SCRIPTDIR source=../include/tap.sh
. "$HERE/../include/tap.sh"
OUT=${1:-${O:-$SEVSTACK_CACHE/tools}}

echo "TAP version 13"
echo "1..2"
if [ ! -d /sys/module/kvm_amd ]; then
	echo "Bail out! kvm_amd is not loaded (run.sh --modules=project)"
	exit 1
fi
dmesg | grep -E 'kvm_amd: SEV|sev_emu: ' | sed 's/^/# /'

tap_prog sev-es kvm_sev_es_test "make -C tools/testing O=$OUT" \
	"$OUT/kvm/kvm_sev_es_test"

echo "# selftests: sev-es: qemu-sev-es-test.py"
if tap_need "$OUT/sev/sev-owner" "make -C tools/sev O=$OUT/sev"; then
	tap_indent timeout 600 "$HERE/../qemu/qemu-sev-es-test.py" \
		--tools "$OUT/sev"
fi
tap_result sev-es qemu-sev-es-test.py "$rc"

tap_summary "sev-es tests"
