#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Run the project's KUnit suites under UML, or with --x86_64 in an x86_64
# kernel under QEMU: the project is linked into a private copy of
# linux-source-6.1 as drivers/sevstack and built with
# tools/testing/kunit/kunit.py. Build trees stay in $SEVSTACK_CACHE.
#
# usage: scripts/kunit.sh [--x86_64] [kunit.py run options, e.g. a suite glob]
#   KUNITCONFIG=FILE selects another config fragment (default: .kunitconfig,
#   with --x86_64 tools/testing/kunit-configs/kvm-x86_64.kunitconfig)
# Prints kunit.py's report; exits non-zero if any test failed. Runs are
# serialized with a lock (they share the tree).
#
# The x86_64 kernel runs the suites that need real KVM objects (VMSA sync,
# the SEV-ES VMCB, the GHCB handlers): kvm-amd is built into it from
# drivers/sevstack, i.e. the tree's own SVM core linked with this project's
# SEV backend exactly as scripts/build-kvm-amd.sh links the module, next to
# the project's PSP driver and software firmware, in place of the tree's
# own kvm-amd and ccp. QEMU's TCG CPU is the VM harness's (nested SVM with
# NPT); the firmware gets three SEV-ES ASIDs.

set -euo pipefail
. "$(dirname "$0")/env.sh"

arch=um
if [ "${1:-}" = --x86_64 ]; then
	arch=x86_64
	shift
fi

sevstack_linux_src
tree=$SEVSTACK_CACHE/kunit/linux
build=$SEVSTACK_CACHE/kunit/build
[ "$arch" = um ] || build=$SEVSTACK_CACHE/kunit/build-$arch

# One run at a time, UML or x86_64: both use the tree, whose drivers/sevstack
# link names the checkout of the run (another clone may be running)
mkdir -p "$SEVSTACK_CACHE/kunit"
exec 9>"$SEVSTACK_CACHE/kunit/lock"
flock 9

if [ ! -f "$tree/Makefile" ]; then
	rm -rf "$tree.tmp"
	cp -a "$LINUX_SRC" "$tree.tmp"
	mv "$tree.tmp" "$tree"
fi
ln -sfn "$SEVSTACK_ROOT" "$tree/drivers/sevstack"
grep -q 'drivers/sevstack/Kconfig' "$tree/drivers/Kconfig" ||
	sed -i '$i source "drivers/sevstack/Kconfig"' "$tree/drivers/Kconfig"
grep -q 'sevstack/' "$tree/drivers/Makefile" ||
	echo 'obj-$(CONFIG_SEVSTACK) += sevstack/' >> "$tree/drivers/Makefile"

# x86_64: kvm-amd and the PSP driver come from drivers/sevstack, so the
# tree's own kvm-amd and ccp rules go (CRYPTO_DEV_SP_PSP stays set, as in
# the distribution's config, for psp-sev.h's declarations). Edited once: a
# rewritten file would make every run rebuild.
mk=$tree/arch/x86/kvm/Makefile
grep -q '^obj-\$(CONFIG_KVM_AMD)' "$mk" &&
	sed -i 's/^obj-\$(CONFIG_KVM_AMD)\s*+= kvm-amd\.o$/# sevstack: kvm-amd.o comes from drivers\/sevstack/' "$mk"
mk=$tree/drivers/crypto/Makefile
grep -q '^obj-\$(CONFIG_CRYPTO_DEV_CCP) += ccp/' "$mk" &&
	sed -i 's/^obj-\$(CONFIG_CRYPTO_DEV_CCP) += ccp\/$/# sevstack: sev-psp comes from drivers\/sevstack/' "$mk"

cd "$tree"
if [ "$arch" = um ]; then
	exec python3 tools/testing/kunit/kunit.py run \
		--kunitconfig="${KUNITCONFIG:-$SEVSTACK_ROOT/.kunitconfig}" \
		--build_dir="$build" --jobs="$(nproc)" "$@"
fi

# the SVM core and its headers come from this tree (build-kvm-amd.sh: the
# unpacked linux-source-6.1)
export SEVSTACK_LINUX_SRC=$tree
python3 tools/testing/kunit/kunit.py run --arch="$arch" \
	--kunitconfig="${KUNITCONFIG:-$SEVSTACK_ROOT/tools/testing/kunit-configs/kvm-$arch.kunitconfig}" \
	--build_dir="$build" --jobs="$(nproc)" \
	--qemu_args="-cpu EPYC,xlevel=0x8000001F,+svm,+npt -m 1536" \
	--kernel_args="sev_emu.min_sev_asid=4" --timeout=1800 "$@"
