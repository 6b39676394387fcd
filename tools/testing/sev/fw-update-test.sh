#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Firmware update end to end, run on the host: build a signed image for the
# software firmware with mkfwimage, offer it under upstream's firmware file
# name through the kernel's firmware loader, boot the VM with the stack and
# check that the PSP driver sent it with DOWNLOAD_FIRMWARE before INIT
# (PLATFORM_STATUS shows the image's build), and that a tampered image is
# refused and the old firmware stays. TAP output.
#
# usage: fw-update-test.sh   (after make modules tools)

set -u
. "$(dirname "${BASH_SOURCE[0]}")/../include/tap.sh"
. "$(dirname "$0")/../../../scripts/env.sh"

tools=$SEVSTACK_CACHE/tools
mkfw=$tools/sev-fwimage/mkfwimage
host=$tools/sev/sev-host
key=$SEVSTACK_ROOT/drivers/crypto/ccp/sev-emu/testroots/fwsign.pem
run=$SEVSTACK_ROOT/tools/testing/vm/run.sh
work=$SEVSTACK_CACHE/fw-update-test

echo "TAP version 13"
echo "1..4"

for f in "$mkfw" "$host"; do
	if [ ! -x "$f" ]; then
		echo "Bail out! $f missing (run make tools)"
		exit 1
	fi
done

rm -rf "$work"
mkdir -p "$work/good/amd" "$work/bad/amd"
# -cpu EPYC is family 0x17 model 0x01: the first name the driver asks for
name=amd_sev_fam17h_model01h.sbin
printf 'sev-emu update test payload\n' >"$work/payload.bin"
"$mkfw" -k "$key" -a 0.24 -b 77 -p "$work/payload.bin" \
	-o "$work/good/amd/$name" >/dev/null
ok $? "mkfwimage builds a signed image (API 0.24, build 77)"

cp "$work/good/amd/$name" "$work/bad/amd/$name"
# flip one payload byte: the signature no longer verifies
printf '\x58' | dd of="$work/bad/amd/$name" bs=1 seek=40 conv=notrunc 2>/dev/null

# The firmware loader resolves paths in the initramfs's root, where the
# host's root is mounted at /newroot.
status_build() {
	"$run" --append "firmware_class.path=/newroot$1" -- \
		sh -c "'$host' status --json; dmesg | grep -i 'firmware' >&2" \
		>"$2" 2>"$2.err"  # the VM merges the command's stdout and stderr
}

status_build "$work/good" "$work/good.out"
rc=$?
build=$(sed -n 's/.*"build": *\([0-9]*\).*/\1/p' "$work/good.out")
[ $rc = 0 ] && [ "$build" = 77 ]
ok $? "a signed image is downloaded at probe: PLATFORM_STATUS build $build (want 77)"
[ $rc = 0 ] || tail -n 20 "$work/good.out" "$work/good.out.err" | sed "s/^/# /"

status_build "$work/bad" "$work/bad.out"
rc=$?
build=$(sed -n 's/.*"build": *\([0-9]*\).*/\1/p' "$work/bad.out")
[ $rc = 0 ] && [ "$build" = 15 ]
ok $? "a tampered image is refused and the old firmware stays (build $build, want 15)"
grep -q "update failed: BAD_SIGNATURE" "$work/bad.out"
ok $? "the refusal is logged with the firmware status name"
[ $failed = 0 ]
