#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# scripts/install.sh into scratch roots (TAP), never into the running
# system:
#  - the modules land in updates/sevstack/, depmod resolves kvm_amd (and
#    sev_psp, sev_emu) to them rather than to the distribution's modules,
#    and with --psp kvm_amd depends on sev_psp instead of ccp;
#  - --psp blacklists ccp (in a file the initramfs copies), installs the
#    "install sev_psp" rule and its check, which fails in one line while
#    ccp is loaded (a fake sysfs); install.sh --psp itself exits 3 then;
#  - with DESTDIR, update-initramfs and dkms are reported, not run;
#  - --dkms: the source tree and dkms.conf in /usr/src/sevstack-VERSION,
#    as dkms reads it; the real dkms adds and removes it in scratch trees
#    (no build: that is make check's module build); the one-line failures
#    of scripts/dkms-build.sh;
#  - switching setups and --uninstall remove what an earlier install left.

set -u
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
# shellcheck source-path=SCRIPTDIR source=../../../scripts/env.sh
. "$ROOT/scripts/env.sh"
# shellcheck source-path=SCRIPTDIR source=../include/tap.sh
. "$HERE/../include/tap.sh"
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
KVER=$(sevstack_kver)
D=$W/root
U=lib/modules/$KVER/updates/sevstack
INSTALL=$ROOT/scripts/install.sh
CHECK=usr/local/lib/sevstack/sev-psp-check
CONF=etc/modprobe.d/sevstack.conf
FORCE=usr/share/dkms/modules_to_force_install/sevstack
VER=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$ROOT/dkms.conf")
SRC=usr/src/sevstack-$VER
# shellcheck disable=SC2034	# read by tap.sh
TAP_SHOW_OUTPUT=10
MOD=/lib/modules/$KVER

# A scratch root with the kernel's module index files (depmod -b extends
# them) and the distribution's modules the installed ones must win over
mk_root() {
	local m
	rm -rf "$1"
	mkdir -p "$1/lib/modules/$KVER"
	cp "$MOD"/modules.{order,builtin,builtin.modinfo} \
		"$1/lib/modules/$KVER/" 2>/dev/null
	for m in arch/x86/kvm/kvm.ko arch/x86/kvm/kvm-amd.ko \
		drivers/crypto/ccp/ccp.ko; do
		install -D -m 0644 "$MOD/kernel/$m" "$1/lib/modules/$KVER/kernel/$m"
	done
}

# What modules.dep of root $1 says kvm-amd.ko depends on
kvm_deps() {
	sed -n 's|^[^:]*/kvm-amd\.ko:||p' "$1/lib/modules/$KVER/modules.dep"
}

# Fake sysfs roots: nothing loaded; ccp loaded, bound to the PSP and used
# by kvm_amd; ccp built in; sev_psp loaded
S0=$W/sys-none
S1=$W/sys-ccp
S2=$W/sys-builtin
S3=$W/sys-sev-psp
S4=$W/sys-psp-only
PSP=0000:c1:00.1
mkdir -p "$S0/module/kvm" "$S1/module/ccp/holders" "$S1/module/kvm_amd" \
	"$S1/bus/pci/drivers/ccp" "$S2/module/ccp/parameters" \
	"$S3/module/sev_psp" "$S4/bus/pci/devices/$PSP"
echo 0x1022 >"$S4/bus/pci/devices/$PSP/vendor"
echo 0x1486 >"$S4/bus/pci/devices/$PSP/device"
echo live >"$S1/module/ccp/initstate"
ln -s ../../kvm_amd "$S1/module/ccp/holders/kvm_amd"
ln -s "../../../../devices/pci0000:c0/0000:c0:07.1/$PSP" \
	"$S1/bus/pci/drivers/ccp/$PSP"
echo live >"$S3/module/sev_psp/initstate"

# stdout plus stderr of the last run, one line count helper
all_out() { cat "$W/out" "$W/err"; }
lines() { grep -c . "$1"; }

echo "TAP version 13"

# ------------------------------------------------------------ setup 2

mk_root "$D"
run env DESTDIR="$D" "$INSTALL" --psp --emu
expect_rc 0 "install --psp --emu into DESTDIR"
[ -f "$D/$U/kvm-amd.ko" ] && [ -f "$D/$U/sev-psp.ko" ] && [ -f "$D/$U/sev-emu.ko" ]
ok $? "kvm-amd.ko, sev-psp.ko and sev-emu.ko are in $U"
[ "$(modinfo -F vermagic "$D/$U/kvm-amd.ko" | cut -d' ' -f1)" = "$KVER" ]
ok $? "kvm-amd.ko is built for $KVER"
for m in kvm_amd sev_psp sev_emu; do
	path=$(modinfo -b "$D" -k "$KVER" -F filename "$m" 2>/dev/null)
	case $path in
	*/updates/sevstack/*) ok 0 "depmod resolves $m to ${path#"$D"}" ;;
	*) ok 1 "depmod resolves $m to updates/sevstack (got '${path:-nothing}')" ;;
	esac
done
deps=$(kvm_deps "$D")
[[ $deps == *updates/sevstack/sev-psp.ko* && $deps != *ccp.ko* ]]
ok $? "with --psp, kvm_amd depends on sev_psp, not on the distribution's ccp (${deps# })"
grep -qx 'blacklist ccp' "$D/$CONF" 2>/dev/null
ok $? "--psp blacklists ccp in /$CONF"
case $CONF in
etc/modprobe.d/*.conf) grep -qF '/etc/modprobe.d/*.conf' /usr/sbin/mkinitramfs ;;
*) false ;;
esac
ok $? "mkinitramfs copies /etc/modprobe.d/*.conf, so the blacklist reaches the initramfs"
grep -qx "would run: update-initramfs -u -k $KVER" "$W/out" &&
	! grep -q '^running:' "$W/out"
ok $? "with DESTDIR, update-initramfs -u -k $KVER is reported, not run"
modprobe -C "$D/etc/modprobe.d" -c 2>/dev/null |
	grep -q "^install sev_psp .*/$CHECK.*--ignore-install sev_psp"
ok $? "modprobe reads the 'install sev_psp' rule that runs /$CHECK"
[ -x "$D/$CHECK" ] && cmp -s "$D/$CHECK" "$ROOT/scripts/sev-psp-check.sh"
ok $? "the check is installed, executable, as /$CHECK"

# ------------------------------------------ the check, on fake sysfs roots

run env SEVSTACK_SYSFS="$S1" "$D/$CHECK"
[ "$rc" = 1 ] && [ ! -s "$W/out" ] && [ "$(lines "$W/err")" = 1 ]
ok $? "ccp loaded: the check fails with one line on stderr"
grep -q "^sev-psp: ccp.ko is loaded and owns the PSP ($PSP); run 'modprobe -r kvm_amd ccp' or reboot after 'scripts/install.sh --psp' (see Documentation/admin-guide/sev-epyc.rst)$" "$W/err"
ok $? "the line names the PSP, the fix (modprobe -r kvm_amd ccp, or reboot) and the guide"
run env SEVSTACK_SYSFS="$S0" "$D/$CHECK"
[ "$rc" = 0 ] && [ ! -s "$W/out" ] && [ ! -s "$W/err" ]
ok $? "ccp not loaded: the check passes silently"
run env SEVSTACK_SYSFS="$S2" "$D/$CHECK"
[ "$rc" = 1 ] && [ "$(lines "$W/err")" = 1 ] && grep -q 'built into this kernel' "$W/err"
ok $? "ccp built in: the check fails with one line saying so"

# The rule itself, with the check and modprobe of the scratch root
rule=$(sed -n 's/^install sev_psp //p' "$D/$CONF")
cat >"$W/modprobe" <<EOF
#!/bin/sh
echo "\$*" >"$W/modprobe.args"
EOF
chmod +x "$W/modprobe"
rule=${rule//\/$CHECK/$D/$CHECK}
rule=${rule//\/sbin\/modprobe/$W/modprobe}
rule=${rule//\$CMDLINE_OPTS/psp_cmd_timeout=5}
rm -f "$W/modprobe.args"
run env SEVSTACK_SYSFS="$S1" sh -c "$rule"
[ "$rc" != 0 ] && [ ! -e "$W/modprobe.args" ] && grep -q "^sev-psp: ccp.ko is loaded" "$W/err"
ok $? "the rule, ccp loaded: the line, a failure, and no load"
run env SEVSTACK_SYSFS="$S0" sh -c "$rule"
[ "$rc" = 0 ] && [ "$(cat "$W/modprobe.args" 2>/dev/null)" = "--ignore-install sev_psp psp_cmd_timeout=5" ]
ok $? "the rule, ccp not loaded: modprobe --ignore-install sev_psp with the options"

# ------------------------------------------ install.sh on a running system

run env DESTDIR="$D" SEVSTACK_SYSFS="$S1" "$INSTALL" --psp
expect_rc 3 "install --psp while ccp is loaded: exit status 3"
[ "$(lines "$W/err")" = 1 ] &&
	grep -q "^install: sev-psp.ko is installed, but ccp.ko is loaded and owns the PSP ($PSP); run 'modprobe -r kvm_amd ccp' or reboot" "$W/err"
ok $? "... with one line on stderr that names the fix"
[ -f "$D/$U/sev-psp.ko" ] && grep -qx 'blacklist ccp' "$D/$CONF"
ok $? "... after installing sev-psp.ko and the blacklist (effective at the next boot)"
run env DESTDIR="$D" SEVSTACK_SYSFS="$S0" "$INSTALL" --psp
[ "$rc" = 0 ] && [ ! -s "$W/err" ]
ok $? "install --psp, ccp not loaded: exit 0, nothing on stderr"

run env DESTDIR="$D" SEVSTACK_SYSFS="$S1" "$INSTALL"
[ "$rc" = 0 ] && grep -q "runs over the distribution's ccp.ko, the recommended setup" "$W/out"
ok $? "install without --psp, ccp loaded: exit 0, the recommended setup"
[ -f "$D/$U/kvm-amd.ko" ] && [ ! -e "$D/$U/sev-psp.ko" ] && [ ! -e "$D/$U/sev-emu.ko" ] &&
	[ ! -e "$D/$CONF" ] && [ ! -e "$D/$CHECK" ]
ok $? "switching to setup 1 removes sev-psp.ko, sev-emu.ko, the blacklist and the check"
deps=$(kvm_deps "$D")
[[ $deps == *kernel/drivers/crypto/ccp/ccp.ko* && $deps != *sev-psp* ]]
ok $? "without --psp, kvm_amd depends on the distribution's ccp (${deps# })"
run env DESTDIR="$D" SEVSTACK_SYSFS="$S3" "$INSTALL"
[ "$rc" = 0 ] && grep -q "sev_psp is loaded; the distribution's ccp.ko takes the PSP back after a reboot" "$W/out"
ok $? "install without --psp, sev_psp loaded: exit 0, says how ccp comes back"

run env DESTDIR="$D" "$INSTALL" --emu
[ "$rc" = 0 ] && [ -f "$D/$U/sev-psp.ko" ] && [ -f "$D/$U/sev-emu.ko" ] &&
	grep -q -- '--emu implies --psp' "$W/out"
ok $? "--emu implies --psp (sev-emu.ko needs sev-psp.ko)"

run env DESTDIR="$D" SEVSTACK_SYSFS="$S4" "$INSTALL" --emu
[ "$rc" = 0 ] && [ "$(lines "$W/err")" = 1 ] &&
	grep -q "^install: warning: $PSP is an AMD PSP: sev-emu.ko .* sev_emu.force=1 must never be used on a production host$" "$W/err"
ok $? "--emu on a host with an AMD PSP: one warning line (software firmware, never force=1 in production)"
run env DESTDIR="$D" SEVSTACK_SYSFS="$S0" "$INSTALL" --emu
[ "$rc" = 0 ] && [ ! -s "$W/err" ]
ok $? "--emu on a host without a PSP: no warning"

run env DESTDIR="$D" "$INSTALL" --bogus
expect_rc 2 "an unknown option is a usage error"

run env DESTDIR="$D" "$INSTALL" --uninstall
expect_rc 0 "--uninstall"
[ ! -e "$D/$U" ] && [ ! -e "$D/$CONF" ] && [ ! -e "$D/$CHECK" ]
ok $? "--uninstall removes the modules, the blacklist and the check"
[ "$(modinfo -b "$D" -k "$KVER" -F filename kvm_amd 2>/dev/null)" = \
	"$D/lib/modules/$KVER/kernel/arch/x86/kvm/kvm-amd.ko" ]
ok $? "after --uninstall, kvm_amd is the distribution's again"
grep -qx "would run: update-initramfs -u -k $KVER" "$W/out"
ok $? "--uninstall reports update-initramfs -u -k $KVER (DESTDIR)"

# ---------------------------------------------------------------- DKMS

mk_root "$D"
env DESTDIR="$D" "$INSTALL" --psp >/dev/null 2>&1
run env DESTDIR="$D" "$INSTALL" --dkms --psp
expect_rc 0 "install --dkms --psp into DESTDIR (after a plain install)"
[ -f "$D/$SRC/dkms.conf" ] && [ -f "$D/$SRC/Kbuild" ] &&
	[ -x "$D/$SRC/scripts/dkms-build.sh" ] &&
	[ -x "$D/$SRC/scripts/check-kvm-amd-symbols.sh" ] &&
	[ -f "$D/$SRC/arch/x86/kvm/svm/sev.c" ] &&
	[ -f "$D/$SRC/drivers/crypto/ccp/sev-dev.c" ] &&
	[ -f "$D/$SRC/include/linux/psp-sev.h" ] && [ ! -e "$D/$SRC/.git" ]
ok $? "the source tree is in /$SRC"
[ ! -e "$D/$U" ] && grep -qx 'blacklist ccp' "$D/$CONF" && [ -x "$D/$CHECK" ]
ok $? "--dkms: no modules in updates/sevstack (DKMS installs them); the blacklist and the check as with --psp"
grep -qx "would run: dkms add -m sevstack -v $VER" "$W/out" &&
	grep -qx "would run: dkms build -m sevstack -v $VER -k $KVER" "$W/out" &&
	grep -qx "would run: dkms install -m sevstack -v $VER -k $KVER" "$W/out" &&
	grep -qx "would run: update-initramfs -u -k $KVER" "$W/out" &&
	! grep -q '^running:' "$W/out"
ok $? "with DESTDIR, dkms add, build, install and update-initramfs are reported, not run"
[ "$(cat "$D/$FORCE" 2>/dev/null)" = sevstack_version-override ]
ok $? "/$FORCE lets DKMS replace the kernel's kvm-amd.ko (same, empty, version)"

# dkms.conf as dkms sources it (bash, with kernelver and kernel_source_dir)
conf_dump() {
	bash -c 'kernelver=$2; kernel_source_dir=/lib/modules/$2/build
		. "$1" || exit 1
		for i in "${!BUILT_MODULE_NAME[@]}"; do
			echo "$i ${BUILT_MODULE_NAME[$i]} ${BUILT_MODULE_LOCATION[$i]} ${DEST_MODULE_LOCATION[$i]}"
		done
		echo "MAKE ${MAKE[0]}"
		echo "PRE_BUILD $PRE_BUILD"
		echo "AUTOINSTALL $AUTOINSTALL"
		echo "NAME $PACKAGE_NAME $PACKAGE_VERSION"
		[[ $kernelver =~ $BUILD_EXCLUSIVE_KERNEL ]] && echo "KERNEL ok"
		[[ 6.12.9-amd64 =~ $BUILD_EXCLUSIVE_KERNEL ]] || echo "EXCLUDED 6.12"
		[[ x86_64 =~ $BUILD_EXCLUSIVE_ARCH ]] && echo "ARCH ok"' \
		_ "$1" "$KVER"
}
conf_dump "$D/$SRC/dkms.conf" >"$W/conf" 2>&1
printf '%s\n' \
	"0 kvm-amd arch/x86/kvm/ /updates/dkms" \
	"1 sev-psp drivers/crypto/ccp/ /updates/dkms" \
	"MAKE scripts/dkms-build.sh $KVER /lib/modules/$KVER/build kvm-amd sev-psp" \
	"PRE_BUILD scripts/dkms-build.sh --check $KVER /lib/modules/$KVER/build" \
	"AUTOINSTALL yes" "NAME sevstack $VER" "KERNEL ok" "EXCLUDED 6.12" \
	"ARCH ok" >"$W/want"
diff -u "$W/want" "$W/conf" | sed 's/^/# /'
cmp -s "$W/want" "$W/conf"
ok $? "the installed dkms.conf: kvm-amd and sev-psp to /updates/dkms, MAKE[0], PRE_BUILD, AUTOINSTALL, 6.1 and x86_64 only"
conf_dump "$ROOT/dkms.conf" | grep -E '^[0-9] ' >"$W/conf1"
[ "$(cat "$W/conf1")" = "0 kvm-amd arch/x86/kvm/ /updates/dkms" ]
ok $? "the repository's dkms.conf installs kvm-amd.ko alone (setup 1)"
D2=$W/root-emu
mk_root "$D2"
env DESTDIR="$D2" "$INSTALL" --dkms --emu >/dev/null 2>&1
conf_dump "$D2/$SRC/dkms.conf" | grep -E '^[0-9] |^MAKE' >"$W/conf2"
printf '%s\n' \
	"0 kvm-amd arch/x86/kvm/ /updates/dkms" \
	"1 sev-psp drivers/crypto/ccp/ /updates/dkms" \
	"2 sev-emu drivers/crypto/ccp/sev-emu/ /updates/dkms" \
	"MAKE scripts/dkms-build.sh $KVER /lib/modules/$KVER/build kvm-amd sev-psp sev-emu" \
	>"$W/want2"
cmp -s "$W/want2" "$W/conf2"
ok $? "--dkms --emu: sev-emu.ko as module 2 of dkms.conf"
bad=
while read -r _ name loc _; do
	grep -q "^obj-\$(CONFIG_[A-Z_]*) += $name\.o" "$D2/$SRC/${loc}Kbuild" ||
		bad+=" $name"
done < <(grep -E "^[0-9] " "$W/conf2")
[ -z "$bad" ]
ok $? "each BUILT_MODULE_LOCATION's Kbuild builds its module${bad:+ (not:$bad)}"

# The real dkms, in scratch trees: it accepts the tree and removes it
T=(--dkmstree "$D/var/lib/dkms" --sourcetree "$D/usr/src"
   --installtree "$D/lib/modules")
mkdir -p "$D/var/lib/dkms"
if command -v dkms >/dev/null; then
	run dkms add "${T[@]}" -m sevstack -v "$VER"
	expect_rc 0 "dkms add accepts /$SRC"
	run dkms status "${T[@]}" -m sevstack
	grep -qx "sevstack/$VER: added" "$W/out"
	ok $? "dkms status: sevstack/$VER: added"
	run dkms remove "${T[@]}" --no-depmod -m sevstack -v "$VER" --all
	[ "$rc" = 0 ] && [ -z "$(dkms status "${T[@]}" -m sevstack 2>/dev/null)" ]
	ok $? "dkms remove --all removes it"
else
	for t in "dkms add" "dkms status" "dkms remove --all"; do
		ok 1 "$t: dkms is not installed (apt-get install dkms)"
	done
fi

run env DESTDIR="$D" "$INSTALL" --uninstall
[ "$rc" = 0 ] && grep -qx "would run: dkms remove -m sevstack -v $VER --all" "$W/out"
ok $? "--uninstall reports dkms remove -m sevstack -v $VER --all (DESTDIR)"
[ ! -e "$D/$SRC" ] && [ ! -e "$D/$FORCE" ] && [ ! -e "$D/$CONF" ] && [ ! -e "$D/$CHECK" ]
ok $? "--uninstall removes /$SRC, the DKMS override, the blacklist and the check"

# ------------------------------------------- dkms-build.sh's one-line failures

B=$ROOT/scripts/dkms-build.sh
run "$B" 6.12.9-amd64 "$MOD/build"
[ "$rc" = 1 ] && [ "$(lines "$W/err")" = 1 ] && grep -q 'not of the 6.1 series' "$W/err"
ok $? "dkms-build.sh: a kernel of another series fails in one line"
run "$B" --check 6.1.0-999-amd64 "$W/none"
[ "$rc" = 1 ] && [ "$(lines "$W/err")" = 1 ] &&
	grep -q 'install linux-headers-6.1.0-999-amd64$' "$W/err"
ok $? "dkms-build.sh: missing headers fail in one line naming linux-headers-KVER"
run env SEVSTACK_LINUX_TARBALL="$W/none.tar.xz" "$B" --check "$KVER" "$MOD/build"
[ "$rc" = 1 ] && [ "$(lines "$W/err")" = 1 ] &&
	grep -q "needs the SVM core sources: install linux-source-6.1" "$W/err"
ok $? "dkms-build.sh: no linux-source-6.1 tarball fails in one line naming the package"
mkdir -p "$W/bin"
cat >"$W/bin/dpkg-query" <<'EOF'
#!/bin/sh
for p; do :; done
case $p in
linux-source-6.1) echo "installed 6.1.100-1" ;;
*) echo "installed 6.1.200-1" ;;
esac
EOF
chmod +x "$W/bin/dpkg-query"
: >"$W/linux-source-6.1.tar.xz"
run env PATH="$W/bin:$PATH" SEVSTACK_LINUX_TARBALL="$W/linux-source-6.1.tar.xz" \
	"$B" --check "$KVER" "$MOD/build"
[ "$rc" = 1 ] && [ "$(lines "$W/err")" = 1 ] &&
	grep -q "needs linux-source-6.1 6.1.200-1 (the version of linux-headers-$KVER), not 6.1.100-1: install linux-source-6.1 6.1.200-1$" "$W/err"
ok $? "dkms-build.sh: linux-source-6.1 of another version than the headers fails in one line"
run "$B" --check "$KVER"
[ "$rc" = 0 ] && [ ! -s "$W/err" ]
ok $? "dkms-build.sh --check passes for $KVER (linux-source-6.1 matches its headers)"

# ------------------------------------------------------------ Makefile

make -s -n -C "$ROOT" install INSTALL_FLAGS=--dkms 2>/dev/null >"$W/make"
grep -q 'scripts/install.sh --dkms' "$W/make" && ! grep -q 'modules.sh' "$W/make"
ok $? "make install INSTALL_FLAGS=--dkms runs install.sh --dkms without building in the cache"
make -s -n -C "$ROOT" uninstall 2>/dev/null | grep -q 'scripts/install.sh --uninstall'
ok $? "make uninstall runs install.sh --uninstall"

tap_plan
[ "$failed" -eq 0 ]
