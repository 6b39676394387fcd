#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Install the Debian 12 packages the project needs. Cheap when everything
# is present (one dpkg-query); otherwise runs apt-get update + install.
# Needs root (or sudo) only when something is missing.

set -euo pipefail

packages=(
	linux-source-6.1 linux-headers-amd64 linux-image-amd64
	qemu-system-x86 ovmf busybox-static cpio
	sparse bison flex bc libelf-dev libssl-dev codespell
	python3 python3-docutils gcc make valgrind openssl binutils
	xz-utils kmod dkms gnuplot-nox
)

# Print the packages of "$@" that are not installed (one dpkg-query)
not_installed() {
	local installed p
	installed=" $(dpkg-query -W -f='${db:Status-Status} ${Package}\n' "$@" \
		2>/dev/null | sed -n 's/^installed //p' | tr '\n' ' ' || true) "
	for p in "$@"; do
		[[ $installed == *" $p "* ]] || echo "$p"
	done
}

mapfile -t missing < <(not_installed "${packages[@]}")

# linux-headers-amd64 and linux-image-amd64 are metapackages: the versioned
# packages they depend on must be installed too (a half-removed system).
if [ ${#missing[@]} -eq 0 ]; then
	. "$(dirname "$0")/env.sh"
	kver=$(sevstack_kver)
	mapfile -t missing < <(not_installed "linux-image-$kver" "linux-headers-$kver")
fi

[ ${#missing[@]} -eq 0 ] && exit 0

echo "setup: installing ${missing[*]}"
sudo=
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null || {
		echo "setup: not root and no sudo; install as root: apt-get install ${missing[*]}" >&2
		exit 1
	}
	sudo=sudo
fi

export DEBIAN_FRONTEND=noninteractive
if ! $sudo apt-get update -q </dev/null; then
	echo "setup: FAILED: apt-get update (network or sources.list?)" >&2
	exit 1
fi
if ! $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null; then
	echo "setup: FAILED: apt-get install ${missing[*]}" >&2
	exit 1
fi
echo "setup: done"
