#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Run a command inside a QEMU (TCG, nested SVM) VM that boots the distro
# kernel with the host's root shared read-only over 9p.
#
# usage: tools/testing/vm/run.sh [options] -- CMD [ARGS...]
#
#   --modules=project   (default) modprobe ecc, the DRBG and kvm, insmod the
#                       project's sev-psp.ko and sev-emu.ko from the module
#                       build tree, then its kvm-amd.ko (build-kvm-amd.sh)
#   --modules=psp       as project, without kvm and kvm-amd (e.g. to load
#                       the distro's kvm-amd over the project's sev-psp)
#   --modules=distro    modprobe ccp, kvm, kvm-amd (the stock stack)
#   --modules=none      load nothing
#   --param MOD.KEY=VAL module parameter for MOD (repeatable)
#   --append "ARGS"     extra kernel command line
#   --mem SIZE          guest memory (default 2G)
#   --smp N             guest CPUs (default 1)
#   --timeout SECONDS   kill the VM and fail after this long (default 1200)
#   --keep-log FILE     copy the guest console log to FILE
#   --rw DIR            share host DIR writable at the same path (repeatable)
#   --no-unload         don't rmmod the harness-loaded modules after CMD
#   --kernel=debug      boot the debug kernel of scripts/build-debug-kernel.sh
#                       (also SEVSTACK_KERNEL=debug) with its own module
#                       tree as /lib/modules and the project's modules built
#                       against it; after CMD, a kmemleak scan whose reports
#                       fail the run. Default: distro
#
# CMD runs as root in the guest, chrooted into the host's root, in the
# caller's current directory, with PATH, HOME, TERM, LANG and SEVSTACK_*
# from the caller's environment. /tmp, /run and /dev are guest-private
# tmpfs/devtmpfs; debugfs is mounted. CMD's stdout and stderr are both
# streamed to run.sh's stdout. run.sh exits with CMD's exit status, except:
#   125  the harness failed (build, boot, module load, no status)
#   124  --timeout expired
#   126  CMD passed but a module could not be unloaded afterwards
#   1    CMD passed but the kernel log has a warning, BUG, oops, lockdep
#        or KASAN report, or a Call Trace (the lines are printed)

set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/../../../scripts/env.sh"

die() {
	echo "run.sh: $*" >&2
	exit 125
}

usage() {
	sed -n '/^# usage:/,/^$/s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2
	exit 125
}

modules=project
params=()
append=
mem=2G
smp=1
timeout=1200
keep_log=
rw_dirs=()
unload=1
kernel_kind=${SEVSTACK_KERNEL:-distro}

while [ $# -gt 0 ]; do
	case $1 in
	--modules=*) modules=${1#--modules=} ;;
	--modules) modules=${2:?}; shift ;;
	--param=*) params+=("${1#--param=}") ;;
	--param) params+=("${2:?}"); shift ;;
	--append=*) append="$append ${1#--append=}" ;;
	--append) append="$append ${2:?}"; shift ;;
	--mem=*) mem=${1#--mem=} ;;
	--mem) mem=${2:?}; shift ;;
	--smp=*) smp=${1#--smp=} ;;
	--smp) smp=${2:?}; shift ;;
	--timeout=*) timeout=${1#--timeout=} ;;
	--timeout) timeout=${2:?}; shift ;;
	--keep-log=*) keep_log=${1#--keep-log=} ;;
	--keep-log) keep_log=${2:?}; shift ;;
	--rw=*) rw_dirs+=("${1#--rw=}") ;;
	--rw) rw_dirs+=("${2:?}"); shift ;;
	--no-unload) unload=0 ;;
	--kernel=*) kernel_kind=${1#--kernel=} ;;
	--kernel) kernel_kind=${2:?}; shift ;;
	-h|--help) usage ;;
	--) shift; break ;;
	*) echo "run.sh: unknown option $1" >&2; usage ;;
	esac
	shift
done
[ $# -gt 0 ] || usage
case $modules in
project|psp|distro|none) ;;
*) die "--modules must be project, psp, distro or none" ;;
esac
case $kernel_kind in
distro) ;;
debug) export SEVSTACK_KERNEL=debug ;;
*) die "--kernel must be distro or debug" ;;
esac

KVER=$(sevstack_kver) || exit 125
kernel=/boot/vmlinuz-$KVER
moddir=/lib/modules/$KVER
if [ "$kernel_kind" = debug ]; then
	# the bzImage (gzip: quick to decompress; its vmlinux, started through
	# the PVH entry, does not boot) and the installed modules
	kernel=$SEVSTACK_CACHE/debug-kernel/build/arch/x86/boot/bzImage
	moddir=$SEVSTACK_CACHE/debug-kernel/root/lib/modules/$KVER
	[ -f "$moddir/modules.dep" ] || die "$moddir missing (run make debug-kernel)"
	append="$append sevstack.moddir=$moddir"
fi
[ -r "$kernel" ] || die "$kernel not readable (run scripts/setup.sh; as root)"
command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 missing (run scripts/setup.sh)"
[ -x /bin/busybox ] || die "busybox-static missing (run scripts/setup.sh)"
vmdir=$SEVSTACK_CACHE/vm
mkdir -p "$vmdir"

# ---- the initramfs: busybox, /init and the 9p/virtio modules ----------

# In load order; dependencies of each come before it.
initrd_mods="netfs fscache 9pnet virtio_ring virtio virtio_pci_legacy_dev
	virtio_pci_modern_dev virtio_pci 9pnet_virtio 9p"

mod_path() {
	local p
	p=$(grep -m1 -E "^(.*/)?$1\\.ko(\\.xz|\\.zst|\\.gz)?:" "$moddir/modules.dep") ||
		return 1
	echo "${p%%:*}"
}

# The debug kernel has the 9p stack built in: keep only what is a module
if [ "$kernel_kind" = debug ]; then
	mods=
	for m in $initrd_mods; do
		mod_path "$m" >/dev/null && mods="$mods $m"
	done
	initrd_mods=$mods
fi

build_initrd() {
	local out=$1 tmp m p
	tmp=$(mktemp -d "$vmdir/initrd.XXXXXX") || return 1
	mkdir -p "$tmp/bin" "$tmp/proc" "$tmp/sys" "$tmp/dev" "$tmp/lib/modules"
	cp /bin/busybox "$tmp/bin/busybox"
	for m in $(/bin/busybox --list); do
		[ "$m" = busybox ] || ln -s busybox "$tmp/bin/$m"
	done
	install -m 755 "$here/init" "$tmp/init"
	: >"$tmp/modules.list"
	m=
	for m in $initrd_mods; do
		p=$(mod_path "$m") || { echo "run.sh: module $m not in $moddir" >&2; break; }
		mkdir -p "$tmp/lib/modules/${p%/*}"
		# the busybox insmod wants plain .ko files
		case $p in
		*.xz) xz -dc "$moddir/$p" >"$tmp/lib/modules/${p%.xz}" && p=${p%.xz} ;;
		*.zst) zstd -qdc "$moddir/$p" >"$tmp/lib/modules/${p%.zst}" && p=${p%.zst} ;;
		*.gz) gzip -dc "$moddir/$p" >"$tmp/lib/modules/${p%.gz}" && p=${p%.gz} ;;
		*) cp "$moddir/$p" "$tmp/lib/modules/$p" ;;
		esac || break
		echo "$p" >>"$tmp/modules.list"
		m=
	done
	local rc=1
	if [ -z "$m" ]; then
		(cd "$tmp" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) >"$out.tmp" &&
			mv "$out.tmp" "$out"
		rc=$?
	fi
	rm -rf "$tmp"
	return $rc
}

initrd=$vmdir/initramfs-$KVER.cpio
initrd_key() {
	local m p
	echo "v1 $KVER $initrd_mods"
	sha256sum "$here/init" /bin/busybox
	for m in $initrd_mods; do
		p=$(mod_path "$m") && stat -c '%n %s %Y' "$moddir/$p"
	done
	sed -n '/^build_initrd()/,/^}/p' "${BASH_SOURCE[0]}" | sha256sum
}

(
	flock 9
	key=$(initrd_key | sha256sum)
	if [ ! -f "$initrd" ] || [ "$(cat "$initrd.key" 2>/dev/null)" != "$key" ]; then
		build_initrd "$initrd" || exit 1
		echo "$key" >"$initrd.key"
	fi
) 9>"$vmdir/initrd.lock" || die "building the initramfs failed"

# ---- the kernel: decompressed once, booted through its PVH entry --------
# Booting the ELF vmlinux skips the XZ decompression of the bzImage, which
# under TCG takes longer than the rest of the boot. Falls back to vmlinuz.

extract_vmlinux() {
	local in=$1 out=$2 magic off
	for magic in '\xfd7zXZ\x00:xz -dcq' '\x28\xb5\x2f\xfd:zstd -dcq' \
		     '\x1f\x8b\x08:gzip -dcq'; do
		off=$(LC_ALL=C grep -aboP -m1 "${magic%%:*}" "$in" | head -n1 | cut -d: -f1)
		[ -n "$off" ] || continue
		tail -c +$((off + 1)) "$in" | ${magic#*:} >"$out.tmp" 2>/dev/null
		if [ "$(head -c 4 "$out.tmp" | od -An -tx1 | tr -d ' ')" = 7f454c46 ]; then
			mv "$out.tmp" "$out"
			return 0
		fi
	done
	rm -f "$out.tmp"
	return 1
}

vmlinux=$vmdir/vmlinux-$KVER
[ "$kernel_kind" = debug ] || (
	flock 9
	key=$(stat -c '%n %s %Y' "$kernel")
	if [ "$(cat "$vmlinux.key" 2>/dev/null)" != "$key" ]; then
		rm -f "$vmlinux"
		extract_vmlinux "$kernel" "$vmlinux" || exit 0
		echo "$key" >"$vmlinux.key"
	fi
) 9>"$vmdir/vmlinux.lock"
[ -f "$vmlinux" ] && kernel=$vmlinux
bios=()
[ -f /usr/share/qemu/qboot.rom ] && bios=(-bios /usr/share/qemu/qboot.rom)

# ---- the job script, read by /init from the shared host root ----------

mkdir -p "$vmdir/jobs"
job=$(mktemp -d "$vmdir/jobs/job.XXXXXX") || die "mktemp failed"
qemu_pid=
cleanup() {
	[ -n "$qemu_pid" ] && kill "$qemu_pid" 2>/dev/null
	rm -rf "$job"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Module parameters given with --param for module $1 (- and _ are equal)
mod_params() {
	local want=${1//-/_} p name out=
	for p in "${params[@]}"; do
		name=${p%%.*}
		[ "${name//-/_}" = "$want" ] && out+=" $(printf '%q' "${p#*.}")"
	done
	echo "$out"
}

# The project's modules, in load order, as paths under their build trees:
# the distro modules to modprobe first (ecc and the DRBG, which the
# firmware's key generation needs and the VM cannot autoload; kvm.ko, which
# kvm-amd links against), then the PSP modules of scripts/modules.sh, then
# the kvm-amd.ko of scripts/build-kvm-amd.sh. --modules=psp stops before
# kvm and kvm-amd.
project_pre="ecc ctr sha512_generic drbg"
project_mods="mod:drivers/crypto/ccp/sev-psp.ko mod:drivers/crypto/ccp/sev-emu/sev-emu.ko"
if [ "$modules" = project ]; then
	project_pre="$project_pre kvm"
	project_mods="$project_mods kvm-amd:arch/x86/kvm/kvm-amd.ko"
fi

# The debug kernel's leak check, for the end of the job script: two kmemleak
# scans (a suspect must be older than 5 s and stay unreferenced), then the
# reports are copied to the console log, which fails the run (its boot has
# none). SEVSTACK_KMEMLEAK=project copies only those with a frame in a
# module (everything else of that kernel is built in, so: kvm, kvm_amd,
# sev_psp, sev_emu; unloaded ones show as bare addresses).
kmemleak_scan() {
	cat <<'EOF'
kml=/sys/kernel/debug/kmemleak
if [ -w $kml ]; then
	sleep 5; echo scan >$kml; sleep 5; echo scan >$kml
	awk -v all="${SEVSTACK_KMEMLEAK:-all}" '
		function flush() {
			if (obj != "" && (all == "all" || mod))
				{ printf "%s", obj; n++ }
			obj = ""; mod = 0
		}
		/^unreferenced object/ { flush() }
		{ obj = obj "kmemleak report: " $0 "\n" }
		/\[(kvm|kvm_amd|sev_psp|sev_emu)\]|\] 0xffffffffc/ { mod = 1 }
		END { flush(); if (n) printf "kmemleak report: %d objects\n", n }
	' $kml >/dev/ttyS0
	echo "# kmemleak: $(grep -c '^unreferenced object' $kml) unreferenced objects in all"
fi
EOF
}

{
	echo '#!/bin/bash'
	echo "# generated by run.sh"
	for v in PATH HOME TERM LANG LC_ALL $(compgen -e | grep '^SEVSTACK_'); do
		[ -n "${!v+x}" ] && echo "export $v=$(printf '%q' "${!v}")"
	done
	echo 'loaded=()'
	echo 'load() { "$@" || { echo "run.sh: in the VM: $* failed" >&2; exit 125; }; }'
	load_names=
	case $modules in
	project|psp)
		load_names="$project_pre $(for m in $project_mods; do
			n=${m##*/}; echo "${n%.ko}"; done)"
		for m in $project_pre; do
			echo "load modprobe $m$(mod_params "$m")"
		done
		for m in $project_mods; do
			ko=$SEVSTACK_CACHE/${m%%:*}/$KVER/${m#*:}
			[ -f "$ko" ] || die "$ko missing (run make modules)"
			n=${m##*/}
			n=${n%.ko}
			echo "load insmod $(printf '%q' "$ko")$(mod_params "$n")"
			echo "loaded=(${n//-/_} \"\${loaded[@]}\")"
		done
		;;
	distro)
		load_names="ccp kvm kvm-amd"
		for m in $load_names; do
			echo "load modprobe $m$(mod_params "$m")"
		done
		;;
	esac
	load_names=$(echo $load_names | tr - _)
	for p in "${params[@]}"; do
		case " $load_names " in
		*" $(echo "${p%%.*}" | tr - _) "*) ;;
		*) die "--param $p: module ${p%%.*} is not loaded by --modules=$modules" ;;
		esac
	done
	echo "cd $(printf '%q' "$PWD") || { echo \"run.sh: $(printf '%q' "$PWD") is not visible in the VM (/tmp, /run and /var/tmp are the guest's own; see --rw)\" >&2; exit 125; }"
	printf '%q ' "$@"
	echo
	echo 'rc=$?'
	if [ $unload = 1 ]; then
		echo 'for m in "${loaded[@]}"; do'
		echo '	rmmod "$m" || { echo "run.sh: in the VM: rmmod $m failed" >&2; [ $rc = 0 ] && rc=126; }'
		echo 'done'
	fi
	[ "$kernel_kind" = debug ] && kmemleak_scan
	echo 'exit $rc'
} >"$job/job.sh"

# Directories the job needs that the guest's private /tmp, /run and
# /var/tmp would hide: keep them visible (read-only) at the same path
for d in "$PWD" "$SEVSTACK_ROOT" "$SEVSTACK_CACHE"; do
	case $d/ in
	/tmp/*|/run/*|/var/tmp/*) echo "$d" ;;
	esac
done | sort -u >"$job/ro.list"

i=0
rw_args=()
for d in "${rw_dirs[@]}"; do
	d=$(cd "$d" && pwd) || die "--rw $d: no such directory"
	echo "rw$i $d" >>"$job/rw.list"
	rw_args+=(-virtfs "local,path=$d,mount_tag=rw$i,security_model=none,multidevs=remap")
	i=$((i + 1))
done

# ---- boot --------------------------------------------------------------

console=$job/console.log
status=$job/status
timeout -k 10 "$timeout" qemu-system-x86_64 \
	-accel tcg,thread=single -cpu EPYC,xlevel=0x8000001F,+svm,+npt \
	-m "$mem" -smp "$smp" -nographic -nodefaults -no-reboot -monitor none \
	"${bios[@]}" -kernel "$kernel" -initrd "$initrd" \
	-append "console=ttyS0 panic=-1 mitigations=off sevstack.job=$job/job.sh $append" \
	-virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
	"${rw_args[@]}" \
	-serial "file:$console" \
	-chardev stdio,id=out,signal=off -serial chardev:out \
	-serial "file:$status" \
	</dev/null 2>"$job/qemu.err" &
qemu_pid=$!
wait "$qemu_pid"
qemu_rc=$?
qemu_pid=

[ -n "$keep_log" ] && cp "$console" "$keep_log"

rc=$(sed -n 's/^SEVSTACK_EXIT=\([0-9]*\).*/\1/p' "$status" 2>/dev/null | tail -n1)
if [ $qemu_rc = 124 ] || [ $qemu_rc = 137 ]; then
	echo "run.sh: timed out after ${timeout}s; last console lines:" >&2
	tail -n 20 "$console" >&2
	rc=124
elif [ -z "$rc" ]; then
	echo "run.sh: the VM stopped without an exit status (qemu rc $qemu_rc)" >&2
	grep -v "TCG doesn't support requested feature" "$job/qemu.err" >&2
	echo "run.sh: last console lines:" >&2
	tail -n 30 "$console" >&2
	rc=125
fi

# Anything the kernel complained about fails the run
bad=$(grep -a -n -E \
	-e 'WARNING:|BUG:|Oops|Call Trace|kernel BUG|general protection fault' \
	-e 'KASAN|UBSAN|kmemleak|lockdep|possible (circular|recursive) locking' \
	-e 'Kernel panic|INFO: task .* blocked|rcu.*stall|refcount_t:|list_(add|del) corruption' \
	"$console")
# the debug kernel's own notices (kmemleak's reports are counted above)
if [ "$kernel_kind" = debug ]; then
	bad=$(echo "$bad" | grep -v -E -e 'RCU lockdep checking is enabled' \
		-e 'kmemleak: (Kernel memory leak detector|[0-9]+ new suspected memory leak)')
fi
if [ -n "$bad" ]; then
	echo "run.sh: the kernel log has warnings (full log: ${keep_log:-use --keep-log}):" >&2
	echo "$bad" | head -n 40 >&2
	[ "$rc" = 0 ] && rc=1
fi
exit "$rc"
