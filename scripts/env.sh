# SPDX-License-Identifier: GPL-2.0-only
# Common settings for the project's scripts; source it, don't run it.
#
# SEVSTACK_CACHE  where every build tree lives (never inside the repo)
# KVER            the kernel of the installed linux-image-amd64 package,
#                 which the VM boots and the modules are built against
# SEVSTACK_KERNEL=debug  use the debug kernel of build-debug-kernel.sh
#                 instead: its release is KVER, its build tree the headers

SEVSTACK_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SEVSTACK_CACHE=${SEVSTACK_CACHE:-$HOME/.cache/sevstack}
LINUX_SRC=$SEVSTACK_CACHE/linux-source-6.1

# The version of the kernel that the linux-image-amd64 metapackage depends
# on (e.g. 6.1.0-56-amd64); the host may be running another kernel.
sevstack_kver() {
	local dep
	if [ "${SEVSTACK_KERNEL:-}" = debug ]; then
		cat "$SEVSTACK_CACHE/debug-kernel/kernel.release" 2>/dev/null && return
		echo "no debug kernel built (run make debug-kernel)" >&2
		return 1
	fi
	dep=$(dpkg-query -W -f='${Depends}' linux-image-amd64 2>/dev/null) || true
	dep=${dep%%[ ,(]*}
	dep=${dep#linux-image-}
	if [ -z "$dep" ]; then
		# fall back to the newest installed image
		dep=$(ls /boot/vmlinuz-*-amd64 2>/dev/null | sort -V | tail -n1)
		dep=${dep#/boot/vmlinuz-}
	fi
	[ -n "$dep" ] || { echo "no linux-image-amd64 installed (run scripts/setup.sh)" >&2; return 1; }
	echo "$dep"
}

# The tree to build modules against for kernel release $1: the distro's
# headers, or the debug kernel's build tree (SEVSTACK_KERNEL=debug).
sevstack_kdir() {
	if [ "${SEVSTACK_KERNEL:-}" = debug ]; then
		echo "$SEVSTACK_CACHE/debug-kernel/build"
	else
		echo "/usr/src/linux-headers-$1"
	fi
}

# Unpack linux-source-6.1 once into the cache (read-only reference copy).
sevstack_linux_src() {
	if [ ! -f "$LINUX_SRC/Makefile" ]; then
		local tarball=/usr/src/linux-source-6.1.tar.xz
		[ -f $tarball ] || { echo "$tarball missing (run scripts/setup.sh)" >&2; return 1; }
		mkdir -p "$SEVSTACK_CACHE"
		tar -C "$SEVSTACK_CACHE" -xf $tarball
	fi
}
