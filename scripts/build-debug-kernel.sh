#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Build the debug kernel: linux-source-6.1 for x86_64 with KASAN, lockdep,
# kmemleak, atomic-sleep checks, UBSAN and fault injection (failslab), plus
# what the VM harness and the project's modules need. The source stays
# read-only: everything is built out of tree (make O=) under
#   $SEVSTACK_CACHE/debug-kernel/build             the tree (bzImage, headers
#                                                  for module builds)
#   $SEVSTACK_CACHE/debug-kernel/root/lib/modules  its installed modules
#   $SEVSTACK_CACHE/debug-kernel/kernel.release    its version string
# The build is skipped when the tree was last built from the same .config
# and its bzImage exists. kvm.ko and kvm-amd.ko are modules (the project
# builds its own kvm-amd.ko against this tree); ccp.ko is a module that the
# harness never loads (sev-psp.ko takes its place).
#
# usage: scripts/build-debug-kernel.sh [-f]    -f: rebuild even if cached
# Environment: SEVSTACK_JOBS (default: the number of CPUs), run at nice 10.

set -euo pipefail
. "$(dirname "$0")/env.sh"

force=0
[ "${1:-}" = -f ] && force=1

sevstack_linux_src
top=$SEVSTACK_CACHE/debug-kernel
build=$top/build
root=$top/root
jobs=${SEVSTACK_JOBS:-$(nproc)}
mkdir -p "$build"

kmake() {
	nice -n 10 make -s -C "$LINUX_SRC" O="$build" ARCH=x86_64 "$@"
}

# Settings on top of defconfig + kvm_guest.config, as scripts/config
# arguments. The checks below fail the build if olddefconfig drops any.
settings=(
	--set-str LOCALVERSION -sevdebug -d LOCALVERSION_AUTO
	# debugging: sanitizers, lockdep, leaks, fault injection
	-e KASAN -e KASAN_GENERIC -e KASAN_INLINE
	-e PROVE_LOCKING -e DEBUG_ATOMIC_SLEEP -e DEBUG_LIST
	-e DEBUG_KMEMLEAK -d DEBUG_KMEMLEAK_DEFAULT_OFF
	-d DEBUG_KMEMLEAK_AUTO_SCAN --set-val DEBUG_KMEMLEAK_MEM_POOL_SIZE 16000
	-e UBSAN -e UBSAN_SANITIZE_ALL -e UBSAN_BOUNDS -e UBSAN_SHIFT
	-d UBSAN_TRAP -d UBSAN_ALIGNMENT
	--set-val LOCKDEP_BITS 16 --set-val LOCKDEP_CHAINS_BITS 17
	--set-val LOCKDEP_STACK_TRACE_BITS 20
	# TCG runs this kernel many times slower than hardware
	--set-val RCU_CPU_STALL_TIMEOUT 60
	-e FAULT_INJECTION -e FAILSLAB -e FAULT_INJECTION_DEBUG_FS
	-e DEBUG_FS -e DEBUG_FS_ALLOW_ALL
	-e DEBUG_INFO_NONE -d DEBUG_INFO_DWARF_TOOLCHAIN_DEFAULT
	-d DEBUG_INFO_DWARF4 -d DEBUG_INFO_DWARF5
	# modules, with symbol versions (build-kvm-amd.sh checks CRCs)
	-e MODULES -e MODULE_UNLOAD -e MODVERSIONS -d MODULE_SIG
	# KVM for AMD with SEV; the PSP driver as a module
	-e VIRTUALIZATION -m KVM -m KVM_AMD -e KVM_AMD_SEV -d KVM_INTEL
	-d KVM_XEN -e AMD_MEM_ENCRYPT -e CGROUPS -e CGROUP_MISC
	-e CRYPTO -e CRYPTO_HW -e CRYPTO_DEV_CCP -m CRYPTO_DEV_CCP_DD
	-e CRYPTO_DEV_SP_PSP -d CRYPTO_DEV_CCP_CRYPTO
	# what sev-psp.ko and sev-emu.ko use
	-e FW_LOADER -e HW_RANDOM -e DMADEVICES
	-e CRYPTO_ECDH -e CRYPTO_ECDSA -e CRYPTO_DRBG_MENU -e CRYPTO_DRBG_HMAC
	-e CRYPTO_DRBG_CTR -e CRYPTO_SHA256 -e CRYPTO_SHA512 -e CRYPTO_HMAC
	-e CRYPTO_CTR -e CRYPTO_GCM -e CRYPTO_AES -e CRYPTO_RSA
	-e CRYPTO_USER_API_HASH
	# the VM harness: 9p root over virtio-pci, built in
	-e VIRTIO -e VIRTIO_PCI -e NET_9P -e NET_9P_VIRTIO -e 9P_FS
	-e 9P_FS_POSIX_ACL -e DEVTMPFS -e TMPFS -e BLK_DEV_INITRD
	-e SERIAL_8250 -e SERIAL_8250_CONSOLE
	# as the distro kernel (the harness boots this one's bzImage: its
	# vmlinux, started through the PVH entry, stops at once)
	-e PVH
	# not needed in the VM, and slow to build with the sanitizers
	-d DRM -d SOUND -d WLAN -d WIRELESS -d CFG80211 -d ETHERNET
	-d USB_SUPPORT -d INPUT_JOYSTICK -d INPUT_TABLET -d INPUT_TOUCHSCREEN
	-d NETFILTER -d IPV6 -d NETLABEL -d SECURITY_SELINUX -d AGP -d HYPERV
	-d XEN -d NFS_FS -d NFSD -d PCCARD -d SCSI -d ATA -d MD -d MACINTOSH_DRIVERS
	-d PPS -d PTP_1588_CLOCK -d HWMON -d WATCHDOG -d HID -d EXT4_FS
	-d QUOTA -d ISO9660_FS -d MSDOS_FS -d VFAT_FS
	-d HIBERNATION -d KEXEC -d CRASH_DUMP -d CPU_FREQ -d AUDIT
	-d BLK_DEV_LOOP -d ACPI_BATTERY -d ACPI_AC -d ACPI_VIDEO -d ACPI_FAN
	-d ACPI_THERMAL -d ACPI_WMI -d INPUT_MOUSE -d RFKILL -d INTEL_IOMMU
	-d TCP_CONG_ADVANCED -d IP_ADVANCED_ROUTER -d IP_PNP -d IP_MULTICAST
)

# Options that must be in the final .config, as NAME=VALUE
required=(
	KASAN=y KASAN_GENERIC=y PROVE_LOCKING=y DEBUG_ATOMIC_SLEEP=y
	DEBUG_KMEMLEAK=y UBSAN=y FAULT_INJECTION=y FAILSLAB=y
	FAULT_INJECTION_DEBUG_FS=y DEBUG_FS=y MODULES=y MODULE_UNLOAD=y
	MODVERSIONS=y KVM=m KVM_AMD=m KVM_AMD_SEV=y CRYPTO_DEV_CCP_DD=m
	CRYPTO_DEV_SP_PSP=y CGROUP_MISC=y FW_LOADER=y CRYPTO_ECC=y
	CRYPTO_ECDH=y CRYPTO_DRBG=y CRYPTO_SHA512=y CRYPTO_RSA=y MPILIB=y
	VIRTIO_PCI=y NET_9P=y NET_9P_VIRTIO=y 9P_FS=y PVH=y
)

# The wanted .config, generated in a scratch tree so that an unchanged
# configuration leaves the build tree's timestamps alone.
gen=$top/config
mkdir -p "$gen"
rm -f "$gen/.config"
kcfg() {
	nice -n 10 make -s -C "$LINUX_SRC" O="$gen" ARCH=x86_64 "$@" >/dev/null
}
kcfg x86_64_defconfig kvm_guest.config
"$LINUX_SRC/scripts/config" --file "$gen/.config" "${settings[@]}"
kcfg olddefconfig
missing=
for r in "${required[@]}"; do
	grep -qx "CONFIG_$r" "$gen/.config" || missing+=" $r"
done
[ -z "$missing" ] || {
	echo "build-debug-kernel: olddefconfig dropped:$missing" >&2
	exit 1
}
cmp -s "$gen/.config" "$build/.config" || cp "$gen/.config" "$build/.config"

hash=$(sha256sum <"$build/.config" | cut -d' ' -f1)
image=$build/arch/x86/boot/bzImage
if [ $force = 0 ] && [ -f "$image" ] && [ -f "$top/kernel.release" ] &&
   [ "$(cat "$top/built.hash" 2>/dev/null)" = "$hash" ]; then
	echo "build-debug-kernel: up to date ($(cat "$top/kernel.release"))"
	exit 0
fi

rm -f "$top/built.hash"
start=$(date +%s)
echo "build-debug-kernel: building in $build with -j$jobs (tens of minutes)"
kmake -j"$jobs" bzImage modules
release=$(cat "$build/include/config/kernel.release")
rm -rf "$root"
kmake INSTALL_MOD_PATH="$root" modules_install >/dev/null
echo "$release" >"$top/kernel.release"
echo "$hash" >"$top/built.hash"
echo "build-debug-kernel: $release built in $(($(date +%s) - start)) s: $image"
