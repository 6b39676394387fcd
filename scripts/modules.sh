#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Build the project's kernel modules out of tree against the distro headers.
# The repository is mirrored as symlinks into a build directory in the cache
# (Kbuild writes its objects beside the sources, never into the repo).
#
# usage: scripts/modules.sh [-o MIRROR] [-C SUBDIR] [make args...]
#   -o MIRROR  mirror directory (default $SEVSTACK_CACHE/mod/$KVER)
#   -C SUBDIR  build the Kbuild directory SUBDIR of the mirror instead of
#              its top (e.g. tools/testing/vm/warn-test)
#   make args  default "modules"; e.g. "C=2 modules", "clean"
# Environment: SEVSTACK_KCONFIG adds CONFIG_...=m settings to the build;
# SEVSTACK_KERNEL=debug builds against the debug kernel (scripts/env.sh).

set -euo pipefail
. "$(dirname "$0")/env.sh"

KVER=$(sevstack_kver)
mirror=$SEVSTACK_CACHE/mod/$KVER
sub=
while getopts o:C: opt; do
	case $opt in
	o) mirror=$OPTARG ;;
	C) sub=$OPTARG ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || set -- modules

headers=$(sevstack_kdir "$KVER")
[ -f "$headers/Makefile" ] || {
	echo "modules: $headers missing (run scripts/setup.sh)" >&2
	exit 1
}

# Refresh the mirror: symlinks to every repo file (except .git), and drop
# links whose target was deleted or renamed since the last run.
mkdir -p "$mirror"
for e in "$SEVSTACK_ROOT"/* "$SEVSTACK_ROOT"/.[!.]*; do
	[ -e "$e" ] || continue
	[ "${e##*/}" = .git ] && continue
	cp -as --remove-destination "$e" "$mirror/"
done
find "$mirror" -xtype l -delete

# The modules to build (kvm-amd.ko has its own tree and symbol checks:
# scripts/build-kvm-amd.sh). SEVSTACK_KCONFIG adds settings on request.
configs=(CONFIG_SEV_PSP=m CONFIG_SEV_EMU=m)
read -r -a extra <<<"${SEVSTACK_KCONFIG:-}"

make -C "$headers" M="$mirror${sub:+/$sub}" "${configs[@]}" "${extra[@]}" \
	NOSTDINC_FLAGS="-I$mirror/include" W=1 "$@"
