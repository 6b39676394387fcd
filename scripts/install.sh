#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Install the project's modules for the kernel they were built for, or
# remove them again (Documentation/admin-guide/sev-epyc.rst).
#
# usage: scripts/install.sh [--psp] [--emu] [--dkms] [--uninstall]
#   (no option)   kvm-amd.ko only: it works over the distribution's ccp.ko
#                 (setup 1, the recommended one)
#   --psp         also sev-psp.ko in place of ccp.ko (setup 2):
#                 /etc/modprobe.d/sevstack.conf blacklists ccp and checks,
#                 before sev_psp loads, that ccp is not loaded
#                 (/usr/local/lib/sevstack/sev-psp-check)
#   --emu         also sev-emu.ko, the software firmware (machines without
#                 SEV hardware); implies --psp, which it needs
#   --dkms        through DKMS instead of from the build cache: the source
#                 goes to /usr/src/sevstack-VERSION, then dkms add, build
#                 and install, and DKMS rebuilds the modules for every new
#                 6.1 kernel (dkms.conf, scripts/dkms-build.sh)
#   --uninstall   remove what any install put there (DKMS included)
# An install first removes what an earlier one left (modules, modprobe.d
# file, DKMS registration), so switching setups is one command.
#
# Environment: DESTDIR installs below that root instead of / (packaging and
# tests): commands that act on the running system (dkms, update-initramfs)
# are printed as "would run: ...", not run. The modules come from `make
# modules` ($SEVSTACK_CACHE). SEVSTACK_SYSFS: the sysfs root looked at for
# a loaded ccp (default /sys, and only without DESTDIR; tests).
#
# Modules go to $DESTDIR/lib/modules/$KVER/updates/sevstack/ (DKMS:
# updates/dkms/), where depmod prefers them over the distribution's
# kernel/ tree; depmod runs at the end, then update-initramfs -u -k $KVER
# (the initramfs copies /etc/modprobe.d/*.conf: the blacklist must reach
# it, or ccp loads there). Nothing here loads or unloads a module.
#
# Exit status: 0 done; 1 error; 2 usage; 3 installed with --psp, but ccp.ko
# is loaded in the running kernel: sev-psp.ko cannot load until it is
# removed or the machine reboots (one line says so).

set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=env.sh
. "$(dirname "$0")/env.sh"

usage() {
	echo "usage: $0 [--psp] [--emu] [--dkms] [--uninstall]" >&2
	exit 2
}

psp=0
emu=0
dkms=0
uninstall=0
for arg; do
	case $arg in
	--psp) psp=1 ;;
	--emu) emu=1 ;;
	--dkms) dkms=1 ;;
	--uninstall) uninstall=1 ;;
	*) usage ;;
	esac
done
if [ $emu = 1 ] && [ $psp = 0 ] && [ $uninstall = 0 ]; then
	echo "install: --emu implies --psp (sev-emu.ko needs sev-psp.ko)"
	psp=1
fi

KVER=$(sevstack_kver)
root=${DESTDIR:-}
scripts=$SEVSTACK_ROOT/scripts
dest=$root/lib/modules/$KVER/updates/sevstack
conf=$root/etc/modprobe.d/sevstack.conf
libdir=/usr/local/lib/sevstack
check=$libdir/sev-psp-check
# DKMS refuses to install a module whose version equals the kernel's own
# (kvm-amd.ko: neither has one) unless told so, also on autoinstall
force=$root/usr/share/dkms/modules_to_force_install/sevstack
mod=$SEVSTACK_CACHE/mod/$KVER/drivers/crypto/ccp
kvm=$SEVSTACK_CACHE/kvm-amd/$KVER/arch/x86/kvm/kvm-amd.ko
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$SEVSTACK_ROOT/dkms.conf")
# the running system is looked at only when installing into it (or when
# a test points SEVSTACK_SYSFS at a fake sysfs)
live_sys=
if [ -z "$root" ] || [ -n "${SEVSTACK_SYSFS:-}" ]; then
	live_sys=${SEVSTACK_SYSFS:-/sys}
fi

# A command that acts on the running system: run it, or with DESTDIR
# print it
system_cmd() {
	if [ -n "$root" ]; then
		echo "would run: $*"
	else
		echo "running: $*"
		"$@"
	fi
}

run_depmod() {
	[ -d "$root/lib/modules/$KVER" ] || return 0
	if [ -n "$root" ]; then
		depmod -b "$root" -a "$KVER"
	else
		depmod -a "$KVER"
	fi
}

update_initramfs() {
	if [ -z "$root" ] && [ ! -e "/boot/initrd.img-$KVER" ]; then
		echo "no initramfs for $KVER (/boot/initrd.img-$KVER); nothing to update"
	elif [ -z "$root" ] && ! command -v update-initramfs >/dev/null; then
		echo "install: update-initramfs is missing; rebuild the initramfs of $KVER by hand" >&2
	else
		system_cmd update-initramfs -u -k "$KVER"
	fi
}

# The DKMS versions of this project: source trees below $root/usr/src,
# and (on the running system) what dkms knows
dkms_versions() {
	local d
	for d in "$root"/usr/src/sevstack-*/dkms.conf; do
		grep -qx 'PACKAGE_NAME="sevstack"' "$d" 2>/dev/null || continue
		d=${d%/dkms.conf}
		echo "${d##*/sevstack-}"
	done
	if [ -z "$root" ] && command -v dkms >/dev/null; then
		dkms status -m sevstack 2>/dev/null |
			sed -n 's|^sevstack/\([^,:]*\)[,:].*|\1|p'
	fi
}

# Remove what an earlier install left
remove_installed() {
	local v f
	for f in kvm-amd.ko sev-psp.ko sev-emu.ko; do
		if [ -e "$dest/$f" ]; then
			rm -f "$dest/$f"
			echo "removed $dest/$f"
		fi
	done
	rmdir "$dest" 2>/dev/null || true
	for f in "$conf" "$root$check" "$force"; do
		if [ -e "$f" ]; then
			rm -f "$f"
			echo "removed $f"
		fi
	done
	rmdir "$root$libdir" "${force%/*}" 2>/dev/null || true
	for v in $(dkms_versions | sort -u); do
		if [ -n "$root" ] || dkms status -m sevstack -v "$v" 2>/dev/null | grep -q .; then
			system_cmd dkms remove -m sevstack -v "$v" --all
		fi
		if [ -d "$root/usr/src/sevstack-$v" ]; then
			rm -rf "$root/usr/src/sevstack-$v"
			echo "removed $root/usr/src/sevstack-$v"
		fi
	done
}

# The software firmware next to an AMD PSP (the PCI ids sev-psp.ko drives):
# it refuses to register there unless sev_emu.force=1, never for production
warn_emu() {
	local d
	[ -n "$live_sys" ] && [ $emu = 1 ] || return 0
	for d in "$live_sys"/bus/pci/devices/*; do
		[ "$(cat "$d/vendor" 2>/dev/null)" = 0x1022 ] || continue
		case $(cat "$d/device" 2>/dev/null) in
		0x1456 | 0x1486 | 0x14ca | 0x156e | 0x17d8) ;;
		*) continue ;;
		esac
		echo "install: warning: ${d##*/} is an AMD PSP: sev-emu.ko (software firmware, no confidentiality) will not register here, and sev_emu.force=1 must never be used on a production host" >&2
		return 0
	done
}

# Notes on the running system; with --psp, exit 3 while ccp is loaded
check_running() {
	local msg
	[ -n "$live_sys" ] || return 0
	if [ $uninstall = 0 ] && [ $psp = 1 ]; then
		if ! msg=$(SEVSTACK_SYSFS=$live_sys sh "$scripts/sev-psp-check.sh" 2>&1); then
			echo "install: sev-psp.ko is installed, but ${msg#sev-psp: }" >&2
			exit 3
		fi
		return 0
	fi
	if [ -d "$live_sys/module/sev_psp" ]; then
		echo "install: sev_psp is loaded; the distribution's ccp.ko takes the PSP back after a reboot (or 'modprobe -r kvm_amd sev_emu sev_psp' then 'modprobe ccp')"
	elif [ $uninstall = 0 ] && [ -d "$live_sys/module/ccp" ]; then
		echo "install: kvm-amd.ko runs over the distribution's ccp.ko, the recommended setup (Documentation/admin-guide/sev-epyc.rst)"
	fi
}

if [ $uninstall = 1 ]; then
	remove_installed
	run_depmod
	update_initramfs
	check_running
	echo "removed the project's modules for $KVER"
	exit 0
fi

[ -n "$ver" ] || { echo "install: no PACKAGE_VERSION in $SEVSTACK_ROOT/dkms.conf" >&2; exit 1; }

# Check everything before removing anything
files=()
if [ $dkms = 1 ]; then
	if [ -z "$root" ]; then
		command -v dkms >/dev/null || {
			echo "install: --dkms needs dkms: apt-get install dkms" >&2
			exit 1
		}
		# the SVM core of $KVER (linux-source-6.1, same version)
		"$scripts/dkms-build.sh" --check "$KVER" || exit 1
	fi
else
	files=("$kvm")
	[ $psp = 1 ] && files+=("$mod/sev-psp.ko")
	[ $emu = 1 ] && files+=("$mod/sev-emu/sev-emu.ko")
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
fi

remove_installed

if [ $dkms = 1 ]; then
	src=$root/usr/src/sevstack-$ver
	modules="kvm-amd"
	[ $psp = 1 ] && modules+=" sev-psp"
	[ $emu = 1 ] && modules+=" sev-emu"
	install -d "$src"
	tar -C "$SEVSTACK_ROOT" --exclude-vcs --exclude='*.o' \
		--exclude='*.ko' --exclude='.*.cmd' --exclude='*.mod' \
		--exclude='*.mod.c' --exclude=modules.order \
		--exclude=Module.symvers --owner=0 --group=0 -cf - \
		dkms.conf Kbuild Kconfig arch drivers include \
		scripts/dkms-build.sh scripts/check-kvm-amd-symbols.sh |
		tar -C "$src" --no-same-owner -xf -
	sed -i "s/^SEVSTACK_MODULES=.*/SEVSTACK_MODULES=\"$modules\"/" "$src/dkms.conf"
	echo "installed the source in $src (modules: $modules)"
	install -d "${force%/*}"
	echo sevstack_version-override >"$force"
	echo "wrote $force (kvm-amd.ko replaces the kernel's)"
	system_cmd dkms add -m sevstack -v "$ver"
	if ! system_cmd dkms build -m sevstack -v "$ver" -k "$KVER"; then
		grep -m1 '^sevstack: ' "/var/lib/dkms/sevstack/$ver/build/make.log" \
			>&2 2>/dev/null || true
		echo "install: dkms build failed (/var/lib/dkms/sevstack/$ver/build/make.log)" >&2
		exit 1
	fi
	system_cmd dkms install -m sevstack -v "$ver" -k "$KVER"
else
	install -d "$dest"
	for f in "${files[@]}"; do
		install -m 0644 "$f" "$dest/"
		echo "installed $dest/$(basename "$f")"
	done
fi

if [ $psp = 1 ]; then
	install -D -m 0755 "$scripts/sev-psp-check.sh" "$root$check"
	install -d "$(dirname "$conf")"
	cat >"$conf" <<EOF
# sevstack (scripts/install.sh --psp; removed by --uninstall): sev-psp.ko
# drives the AMD Secure Processor instead of ccp.ko. Both claim the same
# PCI functions and export the same symbols: ccp must not load, in the
# initramfs (it copies this file) as later, and sev_psp must not load
# while ccp is loaded. The check says so in one line and fails; it is
# skipped where it is missing (the initramfs).
blacklist ccp
install sev_psp { [ ! -x $check ] || $check; } && /sbin/modprobe --ignore-install sev_psp \$CMDLINE_OPTS
EOF
	echo "wrote $conf (blacklist ccp; sev_psp checked by $check)"
fi
run_depmod
echo "depmod done for $KVER"
update_initramfs
warn_emu
check_running
