#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Build kvm-amd.ko: the distribution's SVM core from linux-source-6.1 (used
# in place, never copied into the repository) linked with this project's
# SEV backend (arch/x86/kvm/svm/sev*.c), against the installed headers.
# Then check its symbol versions: every symbol it imports must be exported,
# with the same CRC, by vmlinux, kvm.ko or the distribution's ccp.ko.
#
# Arguments go to make, e.g. C=1. SEVSTACK_KERNEL=debug builds against the
# debug kernel and checks against its Module.symvers (scripts/env.sh).
# Prints the module's path last. The build tree is
# $SEVSTACK_CACHE/kvm-amd/<kver>, a symlink copy of the repository.

set -euo pipefail
. "$(dirname "$0")/env.sh"

sevstack_linux_src
kver=$(sevstack_kver)
symvers=$(sevstack_kdir "$kver")/Module.symvers
build=$SEVSTACK_CACHE/kvm-amd/$kver

# Its own tree: modpost takes the CRCs from the distribution's symvers,
# not from this project's PSP driver
"$SEVSTACK_ROOT/scripts/modules.sh" -o "$build" -C arch/x86/kvm \
	CONFIG_SEV_KVM_AMD=m SEVSTACK_LINUX_SRC="$LINUX_SRC" \
	-j"$(nproc)" "$@" modules >&2

"$SEVSTACK_ROOT/scripts/check-kvm-amd-symbols.sh" \
	"$build/arch/x86/kvm/kvm-amd.ko" "$symvers" >&2
echo "$build/arch/x86/kvm/kvm-amd.ko"
