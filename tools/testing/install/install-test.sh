#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# scripts/install.sh into a scratch DESTDIR (TAP): the modules land in
# updates/sevstack/, depmod resolves kvm_amd (and sev_psp, sev_emu) to
# them rather than to the distribution's kvm-amd.ko, --psp blacklists
# ccp, --uninstall removes everything again.

set -u
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
. "$ROOT/scripts/env.sh"
. "$HERE/../include/tap.sh"
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
KVER=$(sevstack_kver)
D=$W/root
U=lib/modules/$KVER/updates/sevstack
TAP_SHOW_OUTPUT=10

echo "TAP version 13"
# depmod -b wants the kernel's own module index files to extend
mkdir -p "$D/lib/modules/$KVER"
cp /lib/modules/"$KVER"/modules.{order,builtin,builtin.modinfo} \
	"$D/lib/modules/$KVER/" 2>/dev/null
# and the distribution's kvm-amd.ko, which the installed one must win over
install -D -m 0644 /lib/modules/"$KVER"/kernel/arch/x86/kvm/kvm-amd.ko \
	"$D/lib/modules/$KVER/kernel/arch/x86/kvm/kvm-amd.ko"

run env DESTDIR="$D" "$ROOT/scripts/install.sh" --psp --emu
expect_rc 0 "install --psp --emu into DESTDIR"
[ -f "$D/$U/kvm-amd.ko" ] && [ -f "$D/$U/sev-psp.ko" ] && [ -f "$D/$U/sev-emu.ko" ]
ok $? "kvm-amd.ko, sev-psp.ko and sev-emu.ko are in $U"
[ "$(modinfo -F vermagic "$D/$U/kvm-amd.ko" | cut -d' ' -f1)" = "$KVER" ]
ok $? "kvm-amd.ko is built for $KVER"
for m in kvm_amd sev_psp sev_emu; do
	path=$(modinfo -b "$D" -k "$KVER" -F filename "$m" 2>/dev/null)
	case $path in
	*/updates/sevstack/*) ok 0 "depmod resolves $m to ${path#"$D"}" ;;
	*) ok 1 "depmod resolves $m to updates/sevstack (got '${path:-nothing}')" ;;
	esac
done
grep -qx 'blacklist ccp' "$D/etc/modprobe.d/sevstack.conf" 2>/dev/null
ok $? "--psp blacklists ccp in /etc/modprobe.d/sevstack.conf"

run env DESTDIR="$D" "$ROOT/scripts/install.sh" --bogus
expect_rc 2 "an unknown option is a usage error"

run env DESTDIR="$D" "$ROOT/scripts/install.sh" --uninstall
expect_rc 0 "--uninstall"
[ ! -e "$D/$U" ] && [ ! -e "$D/etc/modprobe.d/sevstack.conf" ]
ok $? "--uninstall removes the modules and the blacklist"
[ "$(modinfo -b "$D" -k "$KVER" -F filename kvm_amd 2>/dev/null)" = \
	"$D/lib/modules/$KVER/kernel/arch/x86/kvm/kvm-amd.ko" ]
ok $? "after --uninstall, kvm_amd is the distribution's again"

tap_plan
[ "$failed" -eq 0 ]
