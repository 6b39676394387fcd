#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Run the project's KUnit suites under UML: the project is linked into a
# private copy of linux-source-6.1 as drivers/sevstack and built with
# tools/testing/kunit/kunit.py. Build trees stay in $SEVSTACK_CACHE.
#
# usage: scripts/kunit.sh [kunit.py run options, e.g. a suite filter glob]
#   KUNITCONFIG=FILE selects another config fragment (default: .kunitconfig)
# Prints kunit.py's report; exits non-zero if any test failed. Runs that
# share a build tree are serialized with a lock.

set -euo pipefail
. "$(dirname "$0")/env.sh"

sevstack_linux_src
tree=$SEVSTACK_CACHE/kunit/linux
build=$SEVSTACK_CACHE/kunit/build

if [ ! -f "$tree/Makefile" ]; then
	mkdir -p "$SEVSTACK_CACHE/kunit"
	cp -a "$LINUX_SRC" "$tree.tmp"
	mv "$tree.tmp" "$tree"
fi
ln -sfn "$SEVSTACK_ROOT" "$tree/drivers/sevstack"
grep -q 'drivers/sevstack/Kconfig' "$tree/drivers/Kconfig" ||
	sed -i '$i source "drivers/sevstack/Kconfig"' "$tree/drivers/Kconfig"
grep -q 'sevstack/' "$tree/drivers/Makefile" ||
	echo 'obj-$(CONFIG_SEVSTACK) += sevstack/' >> "$tree/drivers/Makefile"

cd "$tree"
exec 9>"$SEVSTACK_CACHE/kunit/lock"
flock 9
python3 tools/testing/kunit/kunit.py run \
	--kunitconfig="${KUNITCONFIG:-$SEVSTACK_ROOT/.kunitconfig}" \
	--build_dir="$build" --jobs="$(nproc)" "$@"
