#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Install the project's modules for the kernel they were built for (the
# steps of Documentation/virt/kvm/sev-backend.rst, "Building and installing
# on an EPYC host"), or remove them again.
#
# usage: scripts/install.sh [--psp] [--emu] [--uninstall]
#   (no option)   kvm-amd.ko only: it works over the distribution's ccp.ko
#   --psp         also sev-psp.ko, and /etc/modprobe.d/sevstack.conf with
#                 "blacklist ccp" (both drive the same PCI functions)
#   --emu         also sev-emu.ko, the software firmware (machines without
#                 SEV hardware; implies nothing about --psp)
#   --uninstall   remove what an install put there
# Environment: DESTDIR installs below that root instead of / (packaging and
# tests); the modules come from `make modules` ($SEVSTACK_CACHE).
#
# Files go to $DESTDIR/lib/modules/$KVER/updates/sevstack/, where depmod
# prefers them over the distribution's kernel/ tree; depmod runs at the end.
# Rebuild the initramfs afterwards if it carries kvm_amd or ccp
# (update-initramfs -u -k $KVER); nothing here touches a running kernel.

set -euo pipefail
. "$(dirname "$0")/env.sh"

psp=0
emu=0
uninstall=0
for arg; do
	case $arg in
	--psp) psp=1 ;;
	--emu) emu=1 ;;
	--uninstall) uninstall=1 ;;
	*) echo "usage: $0 [--psp] [--emu] [--uninstall]" >&2; exit 2 ;;
	esac
done

KVER=$(sevstack_kver)
root=${DESTDIR:-}
dest=$root/lib/modules/$KVER/updates/sevstack
conf=$root/etc/modprobe.d/sevstack.conf
mod=$SEVSTACK_CACHE/mod/$KVER/drivers/crypto/ccp
kvm=$SEVSTACK_CACHE/kvm-amd/$KVER/arch/x86/kvm/kvm-amd.ko

run_depmod() {
	if [ -n "$root" ]; then
		depmod -b "$root" -a "$KVER"
	else
		depmod -a "$KVER"
	fi
}

if [ "$uninstall" = 1 ]; then
	rm -f "$dest"/kvm-amd.ko "$dest"/sev-psp.ko "$dest"/sev-emu.ko "$conf"
	rmdir "$dest" 2>/dev/null || true
	run_depmod
	echo "removed the project's modules for $KVER"
	exit 0
fi

files=("$kvm")
[ "$psp" = 1 ] && files+=("$mod/sev-psp.ko")
[ "$emu" = 1 ] && files+=("$mod/sev-emu/sev-emu.ko")
for f in "${files[@]}"; do
	if [ ! -f "$f" ]; then
		echo "install: $f is missing; run 'make modules' first" >&2
		exit 1
	fi
	got=$(modinfo -F vermagic "$f" | cut -d' ' -f1)
	if [ "$got" != "$KVER" ]; then
		echo "install: $f is built for $got, not $KVER" >&2
		exit 1
	fi
done

install -d "$dest"
for f in "${files[@]}"; do
	install -m 0644 "$f" "$dest/"
	echo "installed $dest/$(basename "$f")"
done
if [ "$psp" = 1 ]; then
	install -d "$(dirname "$conf")"
	printf '%s\n' \
		'# sevstack: sev-psp.ko drives the AMD Secure Processor' \
		'# instead of ccp.ko (both claim the same PCI functions)' \
		'blacklist ccp' >"$conf"
	echo "wrote $conf (blacklist ccp)"
fi
run_depmod
echo "depmod done for $KVER; rebuild the initramfs if it loads kvm_amd or ccp"
