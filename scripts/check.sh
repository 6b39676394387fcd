#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Run every test layer of the project and count every test case:
#
#   style    one test per .c/.h file: checkpatch --strict clean,
#            and no gcc (W=1) or sparse (C=1) diagnostic for the file in a
#            clean build of the modules; one test per shell/python script
#            (syntax); one test for the module build itself
#   abi      the uapi ABI check (TAP)
#   host     tools/sev: unit, command-line, fuzz and valgrind tests (TAP)
#   kunit    the KUnit suites under UML and, in an x86_64 kernel under
#            QEMU, the ones that need real VMs (each test case)
#   harness  the VM harness self-test (TAP)
#   vm       the /dev/sev tests (tools/testing/sev/run-vm-tests.sh), the
#            tools' end-to-end test (tools/sev/tests/vm-roundtrip.sh), the
#            guest-owner launch test (tools/sev/tests/vm-owner-launch.sh),
#            the KVM SEV tests on the project's kvm-amd.ko
#            (tools/testing/kvm/run-vm-tests.sh; twice: default ASIDs and
#            sev_emu.max_asid=4), real QEMU + OVMF launching an SEV guest
#            (tools/testing/qemu/qemu-sev-test.py), the SEV-ES tests
#            (kvm_sev_es_test and real QEMU + OVMF launching an ES guest,
#            tools/testing/kvm/run-es-vm-tests.sh), injected firmware
#            faults, the fuzzer and the stress test
#            (tools/testing/fault/run-vm-tests.sh, twice), the regression
#            tests of issue 13 (sev_regress_test, on one and two vCPUs),
#            each in a VM on
#            the software firmware (TAP)
#   compat   the distro's kvm-amd.ko over the project's sev-psp.ko, and the
#            project's kvm-amd.ko over the distro's ccp.ko (a plain guest
#            runs), in the VM
#   install  scripts/install.sh into a scratch DESTDIR (TAP)
#   bench    a one-repetition smoke of the benchmarks (bench/run.sh --smoke;
#            one TAP line per benchmark: errors fail, missed goals don't)
#   docs     every KVM_SEV_* id and /dev/sev command documented, every .rst
#            free of docutils warnings, codespell clean (TAP)
#
# TAP is counted at the leaf level (scripts/tap-count.py): nested subtests
# count one each, their parent line does not. A layer that cannot run
# (missing package, build failure) counts as failed, never as skipped.
# Logs: $SEVSTACK_CACHE/check/<layer>.log. The last line of the output is
# "N passed, N failed"; the exit status is non-zero if anything failed.
#
# usage: scripts/check.sh [LAYER...]   (default: all, in the order above)

set -uo pipefail
. "$(dirname "$0")/env.sh"
cd "$SEVSTACK_ROOT" || exit 1

all_layers="style docs abi host kunit harness vm compat install bench"
layers=${*:-$all_layers}
logs=$SEVSTACK_CACHE/check
mkdir -p "$logs"
tap=$SEVSTACK_ROOT/scripts/tap-count.py
total_pass=0
total_fail=0
summary=()
start_all=$SECONDS

KVER=$(sevstack_kver 2>/dev/null) || KVER=unknown
O_TOOLS=$SEVSTACK_CACHE/tools

# record LAYER PASSED FAILED
record() {
	local secs=$((SECONDS - layer_start))
	total_pass=$((total_pass + $2))
	total_fail=$((total_fail + $3))
	summary+=("$(printf '%-8s %4d passed, %3d failed  (%ds)' "$1" "$2" "$3" "$secs")")
	printf '== %s: %d passed, %d failed (%ds, log %s)\n' "$1" "$2" "$3" \
		"$secs" "$logs/$1.log"
	if [ "$3" -gt 0 ] && [ "${CI:-}" = true ]; then
		echo "-- last lines of $logs/$1.log:"
		tail -n 60 "$logs/$1.log"
	fi
}

# tap_layer LAYER STATUS: count the TAP in the layer's log
tap_layer() {
	local out p f
	out=$("$tap" --status "$2" <"$logs/$1.log")
	echo "$out" | grep '^#' | head -n 30
	read -r p f < <(echo "$out" | tail -n 1)
	record "$1" "${p:-0}" "${f:-1}"
}

# ---------------------------------------------------------------- style

style_files() {
	find . -path ./.git -prune -o -type f \( -name '*.c' -o -name '*.h' \) \
		-print | sed 's|^\./||' | LC_ALL=C sort
}

script_files() {
	find . -path ./.git -prune -o -type f ! -name '*.c' ! -name '*.h' \
		-print | sed 's|^\./||' | LC_ALL=C sort |
	while read -r f; do
		first=
		IFS= read -r -n 64 first <"$f" 2>/dev/null
		case $f:$first in
		*.sh:*|*:'#!'*sh*|*:'#!'*python*) echo "$f" ;;
		esac
	done
}

layer_style() {
	local log=$logs/style.log out=$logs/style d checkpatch codespell
	local mirror=$SEVSTACK_CACHE/mod-check/$KVER f rc pass=0 fail=0 msg
	rm -rf "$out"
	mkdir -p "$out"
	: >"$log"
	checkpatch=$LINUX_SRC/scripts/checkpatch.pl
	if ! sevstack_linux_src >>"$log" 2>&1 || [ ! -x "$checkpatch" ]; then
		echo "style: linux-source-6.1 (checkpatch.pl) is missing" | tee -a "$log"
		record style 0 1
		return
	fi
	# CODESPELL=1 adds checkpatch's codespell pass (about 5x slower; the
	# project's standard is plain --strict)
	codespell=
	if [ "${CODESPELL:-0}" = 1 ]; then
		codespell=/usr/lib/python3/dist-packages/codespell_lib/data/dictionary.txt
		if [ ! -f "$codespell" ]; then
			echo "style: codespell dictionary missing (package codespell)" | tee -a "$log"
			fail=$((fail + 1))
		fi
		codespell="--codespell --codespellfile=$codespell"
	fi

	# A clean module build with W=1 and sparse on every compiled file
	# (a private mirror, so that unchanged objects can't hide warnings)
	rm -rf "$mirror"
	{
		scripts/modules.sh -o "$mirror" C=1 modules &&
		scripts/modules.sh -o "$mirror" -C arch/x86/kvm \
			CONFIG_SEV_KVM_AMD=m SEVSTACK_LINUX_SRC="$LINUX_SRC" \
			C=1 modules &&
		scripts/modules.sh -o "$mirror" -C tools/testing/vm/warn-test \
			C=1 modules &&
		scripts/modules.sh -o "$mirror" -C bench/pin-baseline \
			C=1 modules &&
		# the x86_64 KUnit suites, compiled only (they link into the
		# KUnit kernel of scripts/kunit.sh --x86_64)
		scripts/modules.sh -o "$mirror" -C arch/x86/kvm \
			CONFIG_SEV_KVM_AMD=m CONFIG_SEV_KVM_X86_KUNIT_TEST=y \
			SEVSTACK_LINUX_SRC="$LINUX_SRC" C=1 svm/sev-kunit-vm.o \
			svm/sev-es_test.o svm/sev-ghcb_test.o
	} >"$out/build.log" 2>&1
	rc=$?
	cat "$out/build.log" >>"$log"
	# Diagnostics that name a project file (by its mirror path) fail that
	# file's test; any other warning or error fails the build test.
	style_files >"$out/files"
	local diag="^$mirror/([^:]+):[0-9]+:([0-9]+:)? (warning|error):"
	sed -n -E "s#$diag.*#\1#p" "$out/build.log" | sort -u >"$out/diag-files"
	{
		grep -i -E '(^|[^[:alnum:]_])(warning|error)([^[:alnum:]_]|$)' \
			"$out/build.log" | grep -v -E "$diag" |
			grep -v -E '^ *[0-9]* *\|' | grep -v 'Skipping BTF generation'
		comm -23 "$out/diag-files" <(sort "$out/files") |
			sed 's/^/diagnostic in a non-project file: /'
	} >"$out/build-other"
	if [ $rc = 0 ] && [ ! -s "$out/build-other" ]; then
		echo "ok - module build (W=1, sparse)" >>"$log"
		pass=$((pass + 1))
	else
		echo "not ok - module build (W=1, sparse), rc $rc" | tee -a "$log"
		sed 's/^/#   /' "$out/build-other" | head -n 20 | tee -a "$log"
		fail=$((fail + 1))
	fi

	# checkpatch, in parallel; run in $out so its caches stay out of the repo
	# (scripts/checkpatch-exceptions lists the few justified per-file
	# exceptions)
	(cd "$out" && xargs -a files -P "$(nproc)" -I{} sh -c '
		f="$1"; o=$(echo "$f" | tr / _)
		ign=$(awk -v f="$f" "\$1 == f { print \"--ignore \" \$2 }" \
			"$4/scripts/checkpatch-exceptions")
		"$2" --no-tree --strict $3 $ign --show-types -q -f "$4/$f" >"$o.cp" 2>&1
		echo $? >"$o.rc"' _ {} "$checkpatch" "$codespell" "$SEVSTACK_ROOT")
	while read -r f; do
		d=$out/$(echo "$f" | tr / _)
		msg=
		[ "$(cat "$d.rc" 2>/dev/null)" = 0 ] && [ ! -s "$d.cp" ] ||
			msg="checkpatch"
		if grep -qxF "$f" "$out/diag-files"; then
			msg="${msg:+$msg, }compiler/sparse"
		fi
		if [ -z "$msg" ]; then
			echo "ok - $f" >>"$log"
			pass=$((pass + 1))
		else
			echo "not ok - $f ($msg)" | tee -a "$log"
			sed 's/^/#   /' "$d.cp" >>"$log"
			grep -E "^$mirror/$f:" "$out/build.log" | sed 's/^/#   /' >>"$log"
			{ head -n 4 "$d.cp"; grep -E "^$mirror/$f:" "$out/build.log" |
				head -n 4; } | sed 's/^/#   /'
			fail=$((fail + 1))
		fi
	done <"$out/files"

	# scripts: syntax only (shellcheck is not packaged in the toolset)
	while read -r f; do
		first=
		IFS= read -r first <"$f"
		case $first in
		'#!'*python*) python3 -c 'import ast, sys; ast.parse(open(sys.argv[1]).read())' "$f" ;;
		'#!/bin/sh'*) sh -n "$f" ;;
		*) bash -n "$f" ;;	# bash scripts and sourced .sh libraries
		esac >"$out/script.err" 2>&1
		if [ $? = 0 ]; then
			echo "ok - $f (syntax)" >>"$log"
			pass=$((pass + 1))
		else
			echo "not ok - $f (syntax)" | tee -a "$log"
			sed 's/^/#   /' "$out/script.err" | tee -a "$log"
			fail=$((fail + 1))
		fi
	done < <(script_files)
	record style $pass $fail
}

# ------------------------------------------------------------------ abi

layer_abi() {
	make -s -C tools/testing O="$O_TOOLS" abi-check >"$logs/abi.log" 2>&1
	tap_layer abi $?
}

# ----------------------------------------------------------------- host

layer_host() {
	if [ ! -f tools/sev/Makefile ]; then
		echo "host: tools/sev/Makefile missing" | tee "$logs/host.log"
		record host 0 1
		return
	fi
	make -s -C tools/sev O="$O_TOOLS/sev" check >"$logs/host.log" 2>&1
	tap_layer host $?
}

# ---------------------------------------------------------------- kunit

# kunit_run NAME LOG [scripts/kunit.sh options]: one kunit.py run, counted
kunit_run() {
	local name=$1 log=$2 rc line ran passed failed
	shift 2
	scripts/kunit.sh "$@" >"$log" 2>&1
	rc=$?
	grep -E '\[(FAILED|CRASHED|SKIPPED)\]' "$log" | sed 's/^/#   /' | head -n 30
	line=$(grep -E 'Testing complete\. Ran [0-9]+ tests' "$log" | tail -n 1)
	if [ -z "$line" ]; then
		echo "$name: no result line (build failure?); rc $rc"
		tail -n 15 "$log" | sed 's/^/#   /'
		record "$name" 0 1
		return
	fi
	echo "# $name: ${line#*] }"
	ran=$(echo "$line" | sed -n 's/.*Ran \([0-9]*\) tests.*/\1/p')
	passed=$(echo "$line" | sed -n 's/.*passed: \([0-9]*\).*/\1/p')
	passed=${passed:-0}
	# skipped, crashed and errors count as failed
	failed=$((ran - passed))
	[ $rc != 0 ] && [ $failed = 0 ] && failed=1
	record "$name" "$passed" "$failed"
}

# UML, then the x86_64 kernel under QEMU (the suites that need real VMs)
layer_kunit() {
	kunit_run kunit "$logs/kunit.log"
	kunit_run kunit-x86_64 "$logs/kunit-x86_64.log" --x86_64
}

# ------------------------------------------------------------ VM layers

build_modules() {
	{
		scripts/modules.sh && scripts/build-kvm-amd.sh
	} >"$logs/modules.log" 2>&1 || {
		echo "$1: the module build failed (log $logs/modules.log)" |
			tee -a "$logs/$1.log"
		tail -n 15 "$logs/modules.log" | sed 's/^/#   /'
		return 1
	}
}

layer_harness() {
	tools/testing/vm/selftest.sh >"$logs/harness.log" 2>&1
	tap_layer harness $?
}

layer_vm() {
	: >"$logs/vm.log"
	if ! build_modules vm; then
		record vm 0 1
		return
	fi
	if ! make -s -C tools/testing O="$O_TOOLS" >>"$logs/vm.log" 2>&1; then
		echo "vm: building tools/testing failed" | tee -a "$logs/vm.log"
		record vm 0 1
		return
	fi
	tools/testing/vm/run.sh --timeout 2400 --keep-log "$logs/vm-console.log" \
		-- tools/testing/sev/run-vm-tests.sh "$O_TOOLS" >>"$logs/vm.log" 2>&1
	local rc=$?
	# the tools' end-to-end test, in a fresh VM (it changes the platform
	# identity)
	if ! make -s -C tools/sev O="$O_TOOLS/sev" >>"$logs/vm.log" 2>&1; then
		echo "not ok - building tools/sev failed" | tee -a "$logs/vm.log"
		rc=1
	else
		tools/testing/vm/run.sh --timeout 1200 \
			--keep-log "$logs/vm-tools-console.log" -- \
			env SEV_TOOLS="$O_TOOLS/sev" tools/sev/tests/vm-roundtrip.sh \
			>>"$logs/vm.log" 2>&1 || rc=1
		# the guest owner's files through KVM: session, measurement
		# check, secret injection read back by the guest (fresh VM)
		tools/testing/vm/run.sh --timeout 1200 \
			--keep-log "$logs/vm-owner-console.log" -- \
			env SEV_TOOLS="$O_TOOLS/sev" KVM_TOOLS="$O_TOOLS/kvm" \
			tools/sev/tests/vm-owner-launch.sh \
			>>"$logs/vm.log" 2>&1 || rc=1
	fi
	# the KVM SEV tests, on the project's kvm-amd.ko: with the
	# firmware's default ASIDs, then with 4 (ASID recycling under
	# pressure)
	tools/testing/vm/run.sh --timeout 1200 \
		--keep-log "$logs/vm-kvm-console.log" -- \
		tools/testing/kvm/run-vm-tests.sh "$O_TOOLS" \
		>>"$logs/vm.log" 2>&1 || rc=1
	tools/testing/vm/run.sh --timeout 1200 --param sev_emu.max_asid=4 \
		--keep-log "$logs/vm-kvm4-console.log" -- \
		tools/testing/kvm/run-vm-tests.sh "$O_TOOLS" \
		>>"$logs/vm.log" 2>&1 || rc=1
	# real QEMU 7.2 + OVMF launch an SEV guest over QMP (two CPUs: the
	# guest's vCPU thread must not starve QEMU's monitor)
	tools/testing/vm/run.sh --smp 2 --timeout 900 \
		--keep-log "$logs/vm-qemu-console.log" -- \
		tools/testing/qemu/qemu-sev-test.py --tools "$O_TOOLS/sev" \
		>>"$logs/vm.log" 2>&1 || rc=1
	# SEV-ES: the KVM ES tests, then real QEMU 7.2 + OVMF launching an
	# ES guest on 1 and 2 vCPUs, with ES ASIDs from the firmware. TCG's
	# CPU has 16 ASIDs and KVM gives the software firmware 1 - 7, so
	# min_sev_asid=4 leaves ES ASIDs 1 - 3 and SEV ASIDs 4 - 7 (16
	# would leave ES ASIDs 1 - 7 and no SEV ASID)
	tools/testing/vm/run.sh --smp 2 --timeout 600 \
		--param sev_emu.min_sev_asid=4 \
		--keep-log "$logs/vm-es-console.log" -- \
		tools/testing/kvm/run-es-vm-tests.sh "$O_TOOLS" \
		>>"$logs/vm.log" 2>&1 || rc=1
	# reliability: injected firmware faults, the seeded fuzzer, and
	# launch/migrate/destroy under platform shutdown/re-init; default
	# ASIDs with two of them for SEV-ES (the fuzzer and the stress then
	# drive ES_INIT, UPDATE_VMSA and ES moves and mirrors too), then 4.
	# The seed is printed; FAULT_SEED replays a run.
	local seed=${FAULT_SEED:-$(date +%s)}
	echo "# fault/fuzz/stress seed $seed" >>"$logs/vm.log"
	tools/testing/vm/run.sh --smp 2 --timeout 900 \
		--param sev_emu.min_sev_asid=3 \
		--keep-log "$logs/vm-fault-console.log" -- \
		env FUZZ_OPS=400000 FUZZ_TIME=60 \
		tools/testing/fault/run-vm-tests.sh "$O_TOOLS" "$seed" \
		>>"$logs/vm.log" 2>&1 || rc=1
	tools/testing/vm/run.sh --smp 2 --timeout 900 --param sev_emu.max_asid=4 \
		--keep-log "$logs/vm-fault4-console.log" -- \
		env FUZZ_OPS=400000 FUZZ_TIME=60 \
		tools/testing/fault/run-vm-tests.sh "$O_TOOLS" "$((seed + 1))" \
		>>"$logs/vm.log" 2>&1 || rc=1
	# INIT_EX (issue 13, defect 4): the identity in sev_psp.init_ex_path
	# and a FACTORY_RESET survive sev-emu reloads (also in a seeded
	# stress); then, sev-psp reloaded, an unwritable NV file leaves the
	# platform UNINIT. The driver resolves the path in the initramfs,
	# where the guest's /tmp is /newroot/tmp
	tools/testing/vm/run.sh --modules=psp --timeout 900 \
		--param sev_psp.init_ex_path=/newroot/tmp/sev-nv.bin \
		--keep-log "$logs/vm-initex-console.log" -- \
		tools/testing/sev/init-ex-vm-tests.sh "$O_TOOLS" "$seed" \
		>>"$logs/vm.log" 2>&1 || rc=1
	# the regression tests of issue 13 (late firmware writes, stale
	# handles after a reload, soft lockups), on one vCPU and on two: a
	# timed-out command must stop, and its timeout must fire, on both
	# (a 1 GiB page for the big commands, reserved at boot: allocated at
	# run time it may not be found again after the first test freed it)
	for smp in 1 2; do
		tools/testing/vm/run.sh --smp $smp --mem 3G --timeout 900 \
			--append "hugepagesz=1G hugepages=1" \
			--keep-log "$logs/vm-regress$smp-console.log" -- \
			env FAULT_TESTS=regress \
			tools/testing/fault/run-vm-tests.sh "$O_TOOLS" "$seed" \
			>>"$logs/vm.log" 2>&1 || rc=1
	done
	# firmware update through the kernel's firmware loader (its own VMs)
	if ! make -s -C tools/sev-fwimage O="$O_TOOLS/sev-fwimage" \
		>>"$logs/vm.log" 2>&1; then
		echo "not ok - building tools/sev-fwimage failed" | tee -a "$logs/vm.log"
		rc=1
	else
		tools/testing/sev/fw-update-test.sh >>"$logs/vm.log" 2>&1 || rc=1
	fi
	tap_layer vm $rc
}

# -------------------------------------------------------------- install

layer_install() {
	: >"$logs/install.log"
	if ! build_modules install; then
		record install 0 1
		return
	fi
	tools/testing/install/install-test.sh >>"$logs/install.log" 2>&1
	tap_layer install $?
}

# ---------------------------------------------------------------- bench

layer_bench() {
	: >"$logs/bench.log"
	if ! build_modules bench; then
		record bench 0 1
		return
	fi
	bench/run.sh --smoke >>"$logs/bench.log" 2>&1
	tap_layer bench $?
}

# ----------------------------------------------------------------- docs

layer_docs() {
	tools/testing/docs/doc-coverage.sh >"$logs/docs.log" 2>&1
	tap_layer docs $?
}

layer_compat() {
	: >"$logs/compat.log"
	if ! build_modules compat; then
		record compat 0 1
		return
	fi
	tools/testing/vm/run.sh --modules=psp --timeout 600 \
		--keep-log "$logs/compat-console.log" \
		-- tools/testing/vm/compat-test.sh >>"$logs/compat.log" 2>&1
	local rc=$?
	# and the project's kvm-amd.ko over the distro's ccp.ko
	if ! make -s -C tools/testing O="$O_TOOLS" >>"$logs/compat.log" 2>&1; then
		echo "not ok - building tools/testing failed" | tee -a "$logs/compat.log"
		rc=1
	else
		tools/testing/vm/run.sh --modules=none --timeout 600 \
			--keep-log "$logs/compat-kvm-console.log" -- \
			tools/testing/vm/compat-kvm-test.sh \
			"$SEVSTACK_CACHE/kvm-amd/$KVER/arch/x86/kvm/kvm-amd.ko" \
			"$O_TOOLS" >>"$logs/compat.log" 2>&1 || rc=1
	fi
	tap_layer compat $rc
}

# ----------------------------------------------------------------- main

for layer in $layers; do
	case " $all_layers " in
	*" $layer "*) ;;
	*) echo "check: unknown layer $layer (one of: $all_layers)" >&2; exit 2 ;;
	esac
done
for layer in $layers; do
	echo "== $layer ..."
	layer_start=$SECONDS
	"layer_$layer"
done

echo
echo "Summary (logs in $logs, $((SECONDS - start_all))s):"
printf '  %s\n' "${summary[@]}"
echo "$total_pass passed, $total_fail failed"
[ $total_fail = 0 ]
