#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The DKMS build of the project's modules (dkms.conf MAKE[0] and
# PRE_BUILD): build them in place, in the tree this script belongs to (the
# copy DKMS makes of /usr/src/sevstack-VERSION), for kernel KERNELVER
# against its headers. kvm-amd.ko needs the SVM core of that same kernel:
# it comes from the linux-source-6.1 package, whose version must be the
# version of linux-headers-KERNELVER (same upload, same Debian ABI); the
# built module's imports are then checked against the kernel's
# Module.symvers (scripts/check-kvm-amd-symbols.sh). Any precondition that
# fails is reported in one line naming the package to install.
#
# usage: scripts/dkms-build.sh [--check] KERNELVER [KERNEL_BUILD_DIR] [MODULE...]
#   --check           the preconditions only (PRE_BUILD: DKMS shows its
#                     output, while the build's goes to make.log)
#   KERNEL_BUILD_DIR  default /lib/modules/KERNELVER/build
#   MODULE            kvm-amd (always built), sev-psp, sev-emu
# Environment:
#   SEVSTACK_LINUX_SRC      an unpacked linux-source-6.1 to use instead
#                           of the package's tarball (its Makefile's
#                           version must be the kernel's)
#   SEVSTACK_LINUX_TARBALL  default /usr/src/linux-source-6.1.tar.xz

set -euo pipefail

check_only=0
if [ "${1:-}" = --check ]; then
	check_only=1
	shift
fi
[ $# -ge 1 ] || {
	echo "usage: $0 [--check] KERNELVER [KERNEL_BUILD_DIR] [MODULE...]" >&2
	exit 2
}
kver=$1
kdir=${2:-/lib/modules/$kver/build}
shift $(($# >= 2 ? 2 : 1))
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tarball=${SEVSTACK_LINUX_TARBALL:-/usr/src/linux-source-6.1.tar.xz}
src=${SEVSTACK_LINUX_SRC:-}

fail() {
	echo "sevstack: $*" >&2
	exit 1
}

# The Debian version of an installed package, or nothing
pkg_version() {
	dpkg-query -W -f='${db:Status-Status} ${Version}\n' "$1" 2>/dev/null |
		sed -n 's/^installed //p'
}

psp=0
emu=0
for m; do
	case $m in
	kvm-amd) ;;
	sev-psp) psp=1 ;;
	sev-emu) psp=1; emu=1 ;;
	*) fail "unknown module $m (kvm-amd, sev-psp, sev-emu)" ;;
	esac
done

# ---- preconditions

case $kver in
6.1.*) ;;
*) fail "kernel $kver is not of the 6.1 series; kvm-amd.ko is built from linux-source-6.1 and only for 6.1 kernels" ;;
esac
[ -f "$kdir/Makefile" ] ||
	fail "no kernel headers for $kver ($kdir): install linux-headers-$kver"
hdr_version=$(pkg_version "linux-headers-$kver")
if [ -n "$src" ]; then
	[ -f "$src/arch/x86/kvm/svm/svm.c" ] ||
		fail "SEVSTACK_LINUX_SRC=$src has no arch/x86/kvm/svm/svm.c: unpack linux-source-6.1 there or unset it"
else
	[ -f "$tarball" ] ||
		fail "kvm-amd.ko for $kver needs the SVM core sources: install linux-source-6.1${hdr_version:+ $hdr_version} (the version of linux-headers-$kver); $tarball is missing"
	src_version=$(pkg_version linux-source-6.1)
	if [ -n "$hdr_version" ] && [ -n "$src_version" ] &&
	   [ "$src_version" != "$hdr_version" ]; then
		fail "kvm-amd.ko for $kver needs linux-source-6.1 $hdr_version (the version of linux-headers-$kver), not $src_version: install linux-source-6.1 $hdr_version"
	fi
fi
[ $check_only = 1 ] && exit 0

# ---- the SVM core: the tarball's arch/x86/kvm (and Makefile) only

if [ -z "$src" ]; then
	rm -rf "$here/.linux-src"
	mkdir -p "$here/.linux-src"
	echo "sevstack: unpacking arch/x86/kvm of $tarball"
	tar -C "$here/.linux-src" -xf "$tarball" --wildcards \
		'linux-source-6.1/Makefile' 'linux-source-6.1/arch/x86/kvm/*'
	src=$here/.linux-src/linux-source-6.1
fi
# Same upstream release as the headers (VERSION.PATCHLEVEL.SUBLEVEL)
src_release=$(awk '$2 == "=" && $1 ~ /^(VERSION|PATCHLEVEL|SUBLEVEL)$/ {
	v[$1] = $3 } END { print v["VERSION"] "." v["PATCHLEVEL"] "." v["SUBLEVEL"] }' \
	"$src/Makefile")
hdr_release=$(make -s -C "$kdir" kernelversion 2>/dev/null) || hdr_release=
[ -z "$hdr_release" ] || [ "$src_release" = "$hdr_release" ] ||
	fail "the SVM core sources are Linux $src_release, the headers of $kver are $hdr_release: install linux-source-6.1${hdr_version:+ $hdr_version}"

# ---- build

jobs=-j$(nproc)
flags=(NOSTDINC_FLAGS="-I$here/include")
if [ $psp = 1 ]; then
	configs=(CONFIG_SEV_PSP=m)
	[ $emu = 1 ] && configs+=(CONFIG_SEV_EMU=m)
	make -C "$kdir" M="$here" "${configs[@]}" "${flags[@]}" "$jobs" modules
fi
# kvm-amd.ko in its own Kbuild tree: modpost takes the CRCs of the SEV
# API from the kernel's Module.symvers (ccp.ko's), not from sev-psp.ko
make -C "$kdir" M="$here/arch/x86/kvm" CONFIG_SEV_KVM_AMD=m \
	SEVSTACK_LINUX_SRC="$src" "${flags[@]}" "$jobs" modules
"$here/scripts/check-kvm-amd-symbols.sh" "$here/arch/x86/kvm/kvm-amd.ko" \
	"$kdir/Module.symvers"
