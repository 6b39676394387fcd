#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Tests of "sev-host check" (TAP) on fake /proc, /sys, /dev and
# /lib/modules trees given with --root: an EPYC with the distribution's
# stack and with the project's, a host without SEV (Intel-like), a host
# where ccp.ko holds the PSP while the project's sev-psp.ko is installed,
# and the software firmware. /dev/cpu/0/cpuid and msr are sparse regular
# files with the 16-byte and 8-byte records at the offsets cpuid(4) and
# msr(4) use. /dev/sev is a regular file: PLATFORM_STATUS is skipped ("not
# a device") unless tests/fakesev.so answers the ioctl.
#
# Environment: SEV_TOOLS (build dir)

set -u
T=${SEV_TOOLS:?set SEV_TOOLS to the build directory}
HOST=$T/sev-host
AH=$T/tests/sev-host-asan
FAKE=$T/tests/fakesev.so
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
# readable by the unprivileged user of the access tests
chmod 755 "$W"
TAP_SHOW_OUTPUT=20
. "$(dirname "${BASH_SOURCE[0]}")/../../testing/include/tap.sh"

grep_out() { grep -q -- "$1" "$W/out"; }
KVER=$(uname -r)

le32() { printf '%08x' "$(($1))" | sed 's/\(..\)\(..\)\(..\)\(..\)/\4\3\2\1/'; }

# rec FILE OFFSET HEX: write the bytes HEX at OFFSET (a sparse file)
rec() {
	echo "$3" | xxd -r -p |
		dd of="$1" bs=1 seek=$(($2)) conv=notrunc status=none
}

# cpuid FILE LEAF EAX EBX ECX EDX
cpuid() {
	rec "$1" "$2" "$(le32 "$3")$(le32 "$4")$(le32 "$5")$(le32 "$6")"
}

# msr FILE MSR VALUE (64 bits)
msr() {
	rec "$1" "$2" "$(le32 $(($3 & 0xffffffff)))$(le32 $(($3 >> 32)))"
}

# mkf FILE [CONTENT]: a file and its directories
mkf() {
	mkdir -p "$(dirname "$1")"
	printf '%s' "${2:-}" >"$1"
}

param() {	# param ROOT MODULE NAME VALUE
	mkf "$1/sys/module/$2/parameters/$3" "$4
"
}

cpuinfo() {	# cpuinfo ROOT VENDOR FLAGS
	mkf "$1/proc/cpuinfo" "processor	: 0
vendor_id	: $2
model name	: fake
flags		: $3

processor	: 1
vendor_id	: $2
flags		: $3
"
}

AMD=(0x10 0x68747541 0x444d4163 0x69746e65)	# "AuthenticAMD"
INTEL=(0x16 0x756e6547 0x6c65746e 0x49656e69)	# "GenuineIntel"

# An EPYC: SME, SEV, SEV-ES; C-bit 51, physical address reduction 5;
# 509 ASIDs, SEV from 100; SYSCFG bit 23 set; kvm_amd sev=Y sev_es=Y;
# the distribution's ccp.ko bound to the PSP at 0000:04:00.2
epyc() {	# epyc ROOT
	local r=$1
	mkdir -p "$r/dev/cpu/0"
	cpuid "$r/dev/cpu/0/cpuid" 0 "${AMD[@]}"
	cpuid "$r/dev/cpu/0/cpuid" 0x80000000 0x80000028 0 0 0
	cpuid "$r/dev/cpu/0/cpuid" 0x8000001f 0x0001000f $((51 | 5 << 6)) 509 100
	msr "$r/dev/cpu/0/msr" 0xc0010010 0xf40000
	cpuinfo "$r" AuthenticAMD "fpu svm npt sme sev sev_es"
	param "$r" kvm_amd sev Y
	param "$r" kvm_amd sev_es Y
	mkdir -p "$r/sys/module/kvm" "$r/sys/module/ccp/holders/kvm_amd"
	mkf "$r/sys/module/ccp/initstate" live
	mkdir -p "$r/sys/bus/pci/drivers/ccp/0000:04:00.2"
	mkf "$r/sys/bus/pci/drivers/ccp/bind"
	mkf "$r/sys/bus/pci/drivers/ccp/new_id"
	mkf "$r/dev/sev"
	mkf "$r/dev/kvm"
	chmod 600 "$r/dev/sev"
	chmod 666 "$r/dev/kvm"
	mkdir -p "$r/lib/modules/$KVER/kernel"
}

# check ROOT [ARGS...]: sev-host check on ROOT (with the current limits)
check() {
	local r=$1
	shift
	run "$HOST" check --root "$r" "$@"
}

# line NAME STATUS [TEXT]: the line of check NAME has STATUS (and TEXT)
line() {
	grep -q -- "^$2  $1: .*${3:-}" "$W/out"
}

# js ROOT PYTHON-EXPR: evaluate EXPR on the JSON output (d), with fakesev
js() {
	local r=$1
	shift
	env LD_PRELOAD="$FAKE" "$HOST" check --json --root "$r" >"$W/json" 2>"$W/err"
	python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
c = {x["name"]: x for x in d["checks"]}
sys.exit(0 if eval(sys.argv[2]) else 1)' "$W/json" "$1"
}

# ---- usage ----
run "$HOST" --help
grep_out "check \[--json\] \[--root DIR\]"
ok $? "--help documents check"
run "$HOST" check --bogus
expect_rc 2 "check --bogus: usage error 2"
run "$HOST" check extra
expect_rc 2 "check with an argument: usage error 2"
run "$HOST" check --root "$W/no-such-dir"
expect_rc 2 "check --root on a missing directory: usage error 2"

# ---- (a) an EPYC with the distribution's ccp.ko and kvm-amd.ko ----
A=$W/epyc
epyc "$A"
check "$A"
expect_rc 0 "EPYC: exit 0"
sed 's/^/#   /' "$W/out"
line cpu pass "AuthenticAMD: SEV supported (SME yes, SEV yes, SEV-ES yes; CPUID 0x8000001F)"
ok $? "EPYC: CPUID 0x8000001F read through /dev/cpu/0/cpuid"
line cpu-asids pass "C-bit 51, physical address reduction 5 bits, 509 encrypted guests: SEV ASIDs 100-509, SEV-ES ASIDs 1-99"
ok $? "EPYC: C-bit, address reduction and ASID ranges"
line syscfg pass "= 0xf40000: bit 23 MemEncryptionModEn set"
ok $? "EPYC: SYSCFG bit 23 read through /dev/cpu/0/msr"
line kvm-sev pass "kvm_amd sev=Y" && line kvm-sev-es pass "sev_es=Y"
ok $? "EPYC: kvm_amd sev=Y, sev_es=Y"
line dev-sev pass && line dev-kvm pass
ok $? "EPYC: /dev/sev and /dev/kvm readable and writable"
line platform skip "/dev/sev is not a device: PLATFORM_STATUS not issued"
ok $? "EPYC: PLATFORM_STATUS skipped on a regular file"
line firmware pass "PSP via ccp.ko (PCI 0000:04:00.2)" &&
	line ccp pass "the distribution's driver"
ok $? "EPYC: the PSP via the distribution's ccp.ko, no conflict"
grep -q "^verdict: this host can run SEV guests" "$W/out" && [ "$(wc -l <"$W/out")" = 13 ]
ok $? "EPYC: 11 checks, the root and the verdict 'can run SEV guests'"
SEV_HOST_ROOT=$A run "$HOST" check
cp "$W/out" "$W/out-env"
check "$A"
cmp -s "$W/out" "$W/out-env"
ok $? "SEV_HOST_ROOT gives the same result as --root"

run env LD_PRELOAD="$FAKE" "$HOST" check --root "$A"
expect_rc 0 "EPYC with fakesev: exit 0"
line platform pass "API 0.24 build 5 (0.17 or later needed), state INIT, externally owned, 2 guests"
ok $? "EPYC with fakesev: PLATFORM_STATUS through the ioctl"
js "$A" 'd["can_run_sev_guests"] and d["failed"] == 0 and d["cpu"] == {"source": "cpuid", "vendor": "AuthenticAMD", "sme": True, "sev": True, "sev_es": True, "cbit": 51, "phys_addr_reduction": 5, "max_asid": 509, "min_sev_asid": 100} and d["platform"]["api_minor"] == 24 and d["platform"]["state"] == "INIT" and d["firmware"] == "ccp.ko" and not d["software_firmware"] and len(d["checks"]) == 11'
ok $? "EPYC --json: valid JSON with the CPU numbers, platform and verdict"
run env LD_PRELOAD="$FAKE" FAKESEV_API=0.16 "$HOST" check --root "$A"
expect_rc 1 "firmware API 0.16: exit 1"
line platform fail "API 0.16 build 5 is older than 0.17"
ok $? "firmware API 0.16: the platform line names the minimum"
run env LD_PRELOAD="$FAKE" FAKESEV_FW=0x13 "$HOST" check --root "$A"
expect_rc 1 "PLATFORM_STATUS firmware error: exit 1"
line platform fail "firmware error HWERROR_PLATFORM (0x13)"
ok $? "PLATFORM_STATUS firmware error reported by name"
run env LD_PRELOAD="$FAKE" FAKESEV_API=1.55 "$HOST" check --root "$A"
line platform pass "API 1.55 build 5"
ok $? "firmware API 1.55 passes"

# the numbers without /dev/cpu/0/cpuid and msr: /proc/cpuinfo, skips
A2=$W/epyc-noroot
epyc "$A2"
rm "$A2/dev/cpu/0/cpuid" "$A2/dev/cpu/0/msr"
check "$A2"
expect_rc 0 "EPYC without /dev/cpu/0/{cpuid,msr}: exit 0"
line cpu pass "SEV supported (SME yes, SEV yes, SEV-ES yes; /proc/cpuinfo flags)"
ok $? "EPYC without cpuid(4): SEV from the /proc/cpuinfo flags"
line cpu-asids skip "need CPUID 0x8000001F: /dev/cpu/0/cpuid is missing (modprobe cpuid)" &&
	line syscfg skip "/dev/cpu/0/msr is missing (modprobe msr)"
ok $? "EPYC without cpuid(4) and msr(4): numbers and SYSCFG skipped with the reason"

# the BIOS left memory encryption off
msr "$A2/dev/cpu/0/msr" 0xc0010010 0x740000
check "$A2"
expect_rc 1 "SYSCFG bit 23 clear: exit 1"
line syscfg fail "bit 23 MemEncryptionModEn clear"
ok $? "SYSCFG bit 23 clear: fail, says memory encryption is off"

# no SEV ASIDs left by the BIOS, kvm_amd sev=N
A3=$W/epyc-noasid
epyc "$A3"
cpuid "$A3/dev/cpu/0/cpuid" 0x8000001f 0x0001000f $((51 | 5 << 6)) 0 0
param "$A3" kvm_amd sev N
check "$A3"
expect_rc 1 "no ASIDs, kvm_amd sev=N: exit 1"
line cpu-asids fail "ECX = 0: no encrypted guests" && line kvm-sev fail "kvm_amd sev=N"
ok $? "no ASIDs and sev=N: both fail with the reason"

# ---- (a') an EPYC with the project's sev-psp.ko and kvm-amd.ko ----
P=$W/epyc-sevstack
epyc "$P"
rm -rf "$P/sys/module/ccp" "$P/sys/bus/pci/drivers/ccp"
mkdir -p "$P/sys/module/sev_psp" "$P/sys/bus/pci/drivers/sev-psp/0000:04:00.2"
mkf "$P/sys/kernel/debug/sev-psp/platform" "backend: 0000:04:00.2
completion: irq
api: 0.24
"
param "$P" kvm_amd sev_es N
param "$P" kvm_amd vmcb_sev_bit Y
mkf "$P/lib/modules/$KVER/updates/sevstack/sev-psp.ko"
mkf "$P/lib/modules/$KVER/updates/sevstack/kvm-amd.ko"
check "$P"
expect_rc 0 "EPYC with the project's modules: exit 0"
line firmware pass "PSP 0000:04:00.2 through sev-psp.ko" &&
	line kvm-sev pass "sev=Y (the project's kvm-amd.ko)" &&
	line kvm-sev-es skip "sev_es=N: no SEV-ES guests, the platform has no SEV-ES ASIDs" &&
	line ccp pass "no conflict"
ok $? "project's stack: backend from debugfs, SEV-ES skipped, no conflict"
rm "$P/sys/kernel/debug/sev-psp/platform"
check "$P"
line firmware pass "PSP via sev-psp.ko (PCI 0000:04:00.2)"
ok $? "project's stack without debugfs: the PCI function bound to sev-psp"

# ---- (b) a host without SEV (Intel-like: no leaf 0x8000001F) ----
B=$W/intel
mkdir -p "$B/dev/cpu/0" "$B/sys/module/kvm" "$B/sys/module/kvm_intel"
cpuid "$B/dev/cpu/0/cpuid" 0 "${INTEL[@]}"
cpuid "$B/dev/cpu/0/cpuid" 0x80000000 0x80000008 0 0 0
msr "$B/dev/cpu/0/msr" 0 0
cpuinfo "$B" GenuineIntel "fpu vmx ept"
mkf "$B/dev/kvm"
check "$B"
expect_rc 1 "Intel-like host: exit 1"
sed 's/^/#   /' "$W/out"
line cpu fail "GenuineIntel: no SEV: no CPUID leaf 0x8000001F (highest extended leaf 0x80000008)"
ok $? "Intel-like: no leaf 0x8000001F"
line cpu-asids skip "no SEV in the CPU" && line syscfg skip "no SEV in the CPU"
ok $? "Intel-like: ASIDs and SYSCFG skipped"
line kvm-sev fail "kvm_amd is not loaded" && line dev-sev fail "/dev/sev does not exist" &&
	line firmware fail "no PSP driver is loaded" && line dev-kvm pass
ok $? "Intel-like: no kvm_amd, no /dev/sev, no PSP driver"
grep -q "^verdict: this host cannot run SEV guests (4 failed)$" "$W/out"
ok $? "Intel-like: verdict 'cannot run SEV guests (4 failed)'"
js "$B" 'not d["can_run_sev_guests"] and d["failed"] == 4 and d["cpu"]["sev"] is False and d["cpu"]["cbit"] is None and d["platform"] is None and d["firmware"] is None and c["cpu"]["status"] == "fail"'
ok $? "Intel-like --json: can_run_sev_guests false, numbers null"
rm "$B/dev/cpu/0/cpuid"
check "$B"
line cpu fail "no 'sev' flag in /proc/cpuinfo"
ok $? "Intel-like without cpuid(4): no 'sev' flag in /proc/cpuinfo"

# ---- (c) ccp.ko holds the PSP while the project's modules are installed ----
C=$W/ccp
epyc "$C"
mkf "$C/lib/modules/$KVER/updates/sevstack/sev-psp.ko"
mkf "$C/lib/modules/$KVER/updates/sevstack/kvm-amd.ko"
check "$C"
expect_rc 1 "ccp.ko loaded, sev-psp.ko installed but not loaded: exit 1"
sed 's/^/#   /' "$W/out"
line ccp fail "ccp.ko is loaded and owns the PSP (0000:04:00.2), so the installed /lib/modules/$KVER/updates/sevstack/sev-psp.ko cannot load: run 'modprobe -r kvm_amd ccp; modprobe sev-psp kvm_amd', or reboot after 'scripts/install.sh --psp', which blacklists ccp"
ok $? "ccp conflict: one line naming the fix (modprobe -r ccp, scripts/install.sh --psp)"
grep -q "^verdict: this host cannot run SEV guests (1 failed)$" "$W/out"
ok $? "ccp conflict: the only failure"
mkf "$C/etc/modprobe.d/sevstack.conf" "blacklist ccp"
check "$C"
line ccp fail "rebuild the initramfs (update-initramfs -u): ccp came back despite the blacklist"
ok $? "ccp conflict with the blacklist installed: rebuild the initramfs"
rm -r "$C/etc" "$C/lib/modules/$KVER/updates/sevstack"
mkf "$C/lib/modules/$KVER/updates/dkms/sev-psp.ko.xz"
check "$C"
line ccp fail "the installed /lib/modules/$KVER/updates/dkms/sev-psp.ko.xz cannot load"
ok $? "ccp conflict with sev-psp.ko installed by DKMS (compressed)"
rm "$C/sys/module/ccp/initstate"
check "$C"
line ccp fail "ccp is built into this kernel, so the installed .* can never load: use the project's kvm-amd.ko over ccp"
ok $? "ccp built into the kernel: sev-psp.ko can never load"
mkf "$C/sys/module/ccp/initstate" live
rm -r "$C/lib/modules/$KVER/updates/dkms"
mkf "$C/lib/modules/$KVER/updates/sevstack/kvm-amd.ko"
param "$C" kvm_amd vmcb_sev_bit Y
check "$C"
expect_rc 0 "ccp.ko with the project's kvm-amd.ko only: exit 0"
line ccp pass "ccp.ko drives the PSP and the project's kvm-amd.ko runs over it (a supported setup)"
ok $? "ccp.ko under the project's kvm-amd.ko is a supported setup"
mkdir -p "$C/sys/module/sev_psp"
check "$C"
line ccp fail "ccp.ko and sev-psp.ko are both loaded"
ok $? "ccp.ko and sev-psp.ko both loaded: fail"

# ---- (d) the software firmware (a VM without SEV, as under TCG) ----
D=$W/emu
mkdir -p "$D/dev/cpu/0" "$D/sys/module/kvm" "$D/sys/module/sev_psp" "$D/sys/module/sev_emu"
cpuid "$D/dev/cpu/0/cpuid" 0 "${AMD[@]}"
cpuid "$D/dev/cpu/0/cpuid" 0x80000000 0x8000000a 0 0 0
cpuinfo "$D" AuthenticAMD "fpu svm npt"
param "$D" kvm_amd sev Y
param "$D" kvm_amd sev_es N
param "$D" kvm_amd vmcb_sev_bit N
mkf "$D/sys/kernel/debug/sev-psp/platform" "backend: sev-emu
completion: poll
"
mkf "$D/dev/sev"
mkf "$D/dev/kvm"
run env LD_PRELOAD="$FAKE" "$HOST" check --root "$D"
expect_rc 0 "software firmware: exit 0"
sed 's/^/#   /' "$W/out"
line firmware warn "software firmware (sev-emu): no confidentiality, for development"
ok $? "software firmware: a warn line says so plainly"
line cpu skip "no SEV: no CPUID leaf 0x8000001F .*not needed, the software firmware supplies the C-bit and ASIDs"
ok $? "software firmware: SEV missing in the CPU is not a failure"
grep -q "^verdict: this host can run SEV guests on the software firmware (sev-emu): no confidentiality, for development only$" "$W/out"
ok $? "software firmware: the verdict names it"
js "$D" 'd["can_run_sev_guests"] and d["software_firmware"] and d["firmware"] == "sev-emu" and c["firmware"]["status"] == "warn" and d["warnings"] == 1'
ok $? "software firmware --json: software_firmware true, firmware sev-emu"
rm "$D/sys/kernel/debug/sev-psp/platform"
check "$D"
expect_rc 0 "software firmware without debugfs: exit 0"
line firmware warn "software firmware (sev-emu)"
ok $? "software firmware without debugfs: found by /sys/module/sev_emu"

# ---- the calling user: memlock limit, device permissions ----
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	NOCAP=(setpriv --bounding-set=-ipc_lock)
	NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups
		--bounding-set=-ipc_lock)
else
	NOCAP=()
	NOBODY=()
fi
run bash -c 'ulimit -l 1024 && exec "$@"' - "${NOCAP[@]}" "$HOST" check --root "$A"
if grep -q "^pass  memlock: RLIMIT_MEMLOCK 1 MiB, lifted by CAP_IPC_LOCK" "$W/out"; then
	ok 0 "memlock 1 MiB with CAP_IPC_LOCK passes (cannot drop it here)"
else
	line memlock warn "RLIMIT_MEMLOCK 1 MiB and no CAP_IPC_LOCK: KVM pins all memory of an SEV guest"
	ok $? "memlock 1 MiB without CAP_IPC_LOCK: warn with the reason"
fi
expect_rc 0 "memlock warning alone: still exit 0"
grep -q "^verdict: this host can run SEV guests (1 warning)$" "$W/out" ||
	grep -q "^verdict: this host can run SEV guests$" "$W/out"
ok $? "memlock warning: the verdict still says it can run SEV guests"
if bash -c 'ulimit -l unlimited' 2>/dev/null; then
	run bash -c 'ulimit -l unlimited && exec "$@"' - "${NOCAP[@]}" \
		"$HOST" check --root "$A"
	line memlock pass "RLIMIT_MEMLOCK unlimited"
	ok $? "memlock unlimited passes"
else
	# no raising the hard limit here (no CAP_SYS_RESOURCE): the other
	# pass branch, a small limit that CAP_IPC_LOCK lifts
	run "$HOST" check --root "$A"
	grep -q "^pass  memlock: RLIMIT_MEMLOCK .*, lifted by CAP_IPC_LOCK" \
		"$W/out"
	ok $? "memlock $(ulimit -l) KiB (hard limit) with CAP_IPC_LOCK passes"
fi

if [ "$(id -u)" != 0 ] || [ ${#NOBODY[@]} -gt 0 ]; then
	chmod -R a+rX "$A"
	chmod 600 "$A/dev/sev"
	if [ "$(id -u)" = 0 ]; then
		uid=65534
	else
		uid=$(id -u)
		chmod 000 "$A/dev/sev"
	fi
	# a copy the unprivileged user can run ($T may be under /root)
	cp "$HOST" "$W/sev-host"
	chmod 755 "$W/sev-host"
	run "${NOBODY[@]}" "$W/sev-host" check --root "$A"
	expect_rc 1 "/dev/sev not writable by the user: exit 1"
	line dev-sev fail "/dev/sev is not readable and writable by uid $uid (mode 0[0-7]00, owner"
	ok $? "/dev/sev not writable: names the uid and the mode"
else
	ok 1 "/dev/sev permissions (needs setpriv(1) when run as root)"
	ok 1 "/dev/sev permissions: names the uid and the mode"
fi

# ---- sanitizers ----
SAN=$W/san
for r in "$A" "$B" "$C" "$D" "$P"; do
	rm -rf "$SAN"
	mkdir -p "$SAN"
	run env LD_PRELOAD="$FAKE" \
		ASAN_OPTIONS="verify_asan_link_order=0:exitcode=99:log_path=$SAN/asan" \
		UBSAN_OPTIONS="print_stacktrace=1:exitcode=98:log_path=$SAN/ubsan" \
		"$AH" check --json --root "$r"
	r2=$( [ -z "$(ls -A "$SAN")" ] && [ "$rc" -lt 2 ]; echo $?)
	[ "$r2" = 0 ] || grep -hE 'ERROR|SUMMARY|runtime error' "$SAN"/* | head -5 | sed 's/^/# /'
	ok "$r2" "check --json on $(basename "$r"): ASan and UBSan report nothing"
done

tap_plan
[ "$failed" = 0 ] || echo "# $failed of $n tests failed"
[ "$failed" = 0 ]
