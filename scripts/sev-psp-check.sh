#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Can sev-psp.ko load? Not while the distribution's ccp.ko is loaded: both
# export the same SEV symbols (the kernel refuses the second one with
# "exports duplicate symbol ... (owned by ccp)") and both claim the PSP's
# PCI function. Exit 0 when nothing is in the way; otherwise print one line
# that names the fix and exit 1.
#
# scripts/install.sh --psp installs this script as
# /usr/local/lib/sevstack/sev-psp-check and runs it from the
# "install sev_psp" rule of /etc/modprobe.d/sevstack.conf, before modprobe
# loads the module; install.sh itself runs it too, on the running system.
#
# Environment: SEVSTACK_SYSFS, the sysfs root to look at (default /sys;
# the tests point it at a fake one).

sys=${SEVSTACK_SYSFS:-/sys}
doc="see Documentation/admin-guide/sev-epyc.rst"

[ -d "$sys/module/ccp" ] || exit 0

if [ ! -e "$sys/module/ccp/initstate" ]; then
	echo "sev-psp: ccp is built into this kernel, so sev-psp.ko cannot load; use the project's kvm-amd.ko over ccp (scripts/install.sh without --psp; $doc)" >&2
	exit 1
fi

# The PCI functions ccp drives, and the modules that use it
devs=
for d in "$sys"/bus/pci/drivers/ccp/[0-9a-f]*:*; do
	[ -e "$d" ] || [ -L "$d" ] || continue
	devs="${devs:+$devs }${d##*/}"
done
mods=
for h in "$sys"/module/ccp/holders/*; do
	[ -e "$h" ] || [ -L "$h" ] || continue
	mods="$mods ${h##*/}"
done

if [ -n "$devs" ]; then
	what="is loaded and owns the PSP ($devs)"
else
	what="is loaded (it exports the same symbols)"
fi
echo "sev-psp: ccp.ko $what; run 'modprobe -r$mods ccp' or reboot after 'scripts/install.sh --psp' ($doc)" >&2
exit 1
