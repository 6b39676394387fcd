#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Compatibility test, run in the VM with the project's PSP modules loaded
# but not its kvm-amd
# (tools/testing/vm/run.sh --modules=psp -- tools/testing/vm/compat-test.sh).
# TAP: the project's sev-psp and sev-emu are loaded, and the distro's
# kvm-amd.ko, built against the distro's ccp.ko, loads over our sev-psp.ko
# (it links against the in-kernel SEV API that sev-psp exports) and
# unloads again.

set -u
. "$(dirname "${BASH_SOURCE[0]}")/../include/tap.sh"
kver=$(uname -r)

echo "TAP version 13"
echo "1..4"

grep -q '^sev_psp ' /proc/modules && grep -q '^sev_emu ' /proc/modules &&
	! grep -q '^kvm_amd ' /proc/modules
ok $? "sev_psp and sev_emu are loaded, kvm_amd is not"

kvm_amd=/lib/modules/$kver/kernel/arch/x86/kvm/kvm-amd.ko
for ext in "" .xz .zst; do
	[ -f "$kvm_amd$ext" ] && kvm_amd=$kvm_amd$ext && break
done
if modprobe kvm && insmod "$kvm_amd" && grep -q '^kvm_amd ' /proc/modules; then
	ok 0 "distro kvm-amd.ko loads over sev-psp.ko"
	grep '^kvm_amd ' /proc/modules | sed 's/^/# /'
	grep -E '^(sev_psp|kvm) ' /proc/modules | sed 's/^/# /'
else
	ok 1 "distro kvm-amd.ko loads over sev-psp.ko"
	grep -E '^(sev_psp|sev_emu|kvm|kvm_amd) ' /proc/modules | sed 's/^/# /'
fi

# the loaded module is the distro's, not the project's: same build ID
plain=$kvm_amd
case $kvm_amd in
*.xz) plain=/tmp/kvm-amd.ko && xz -dc "$kvm_amd" >$plain ;;
*.zst) plain=/tmp/kvm-amd.ko && zstd -qdc "$kvm_amd" >$plain ;;
esac
want=$(readelf -n "$plain" 2>/dev/null | sed -n 's/.*Build ID: *//p' | head -n 1)
got=$(tail -c 20 /sys/module/kvm_amd/notes/.note.gnu.build-id 2>/dev/null |
	od -An -tx1 | tr -d ' \n')
echo "# build ID: loaded ${got:-none}, distro ${want:-none}"
[ -n "$want" ] && [ "$got" = "$want" ]
ok $? "the loaded kvm_amd is the distro's module"

rmmod kvm_amd && rmmod kvm
ok $? "kvm-amd and kvm unload again"

exit $((failed > 0))
