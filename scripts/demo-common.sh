# SPDX-License-Identifier: GPL-2.0-only
# What scripts/demo.sh and scripts/demo-es.sh share; source it, don't run
# it. Set first:
#   name    the demo's name: the prefix of its lines and its directory
#           under $SEVSTACK_CACHE (demo, demo-es)
#   nsteps  the number of steps, those of the script in the VM included
# It sources env.sh, changes to the repository, starts the clock (start),
# and empties $demo (the logs) and $out (the files); tools is where the
# tools are built.
#
#   step NAME CMD...    run CMD with its output in $demo/step<n>.log; one
#                       line, or on a failure the log's tail, and exit 1
#   demo_build          steps 1 - 3: packages, modules and tools
#   demo_vm TITLE [RUN.SH OPTIONS...] -- PROG
#                       step 4: boot a VM (run.sh --smp 2 with OPTIONS) and
#                       run PROG in it (tools/testing/qemu/*demo.py) from
#                       step 5 on, its output in $demo/vm.log; exit 1 if
#                       it failed (vmstart is when the VM part began)

. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$SEVSTACK_ROOT" || exit 1

start=$SECONDS
demo=$SEVSTACK_CACHE/$name
out=$demo/out
tools=$SEVSTACK_CACHE/tools/sev
stepno=0
rm -rf "$demo"
mkdir -p "$out"

step() {
	local title=$1 log t=$SECONDS
	shift
	stepno=$((stepno + 1))
	log=$demo/step$stepno.log
	printf '[%d/%d] %s ... ' $stepno "$nsteps" "$title"
	if "$@" >"$log" 2>&1; then
		echo "ok ($((SECONDS - t))s)"
	else
		echo "FAILED ($((SECONDS - t))s)"
		echo "$name: step $stepno ($title) failed; last lines of $log:"
		tail -n 25 "$log" | sed 's/^/    /'
		echo "$name: FAILED at step $stepno ($title) after $((SECONDS - start))s"
		exit 1
	fi
}

demo_build() {
	step "install packages (scripts/setup.sh)" scripts/setup.sh
	step "build sev-psp.ko, sev-emu.ko and kvm-amd.ko" make -s modules
	step "build sev-host and sev-owner" make -C tools/sev O="$tools"
}

demo_vm() {
	local title=$1 opts=() rc
	shift
	while [ "$1" != -- ]; do
		opts+=("$1")
		shift
	done
	vmstart=$SECONDS
	echo "[4/$nsteps] $title"
	tools/testing/vm/run.sh --smp 2 --timeout 900 --rw "$out" \
		"${opts[@]}" --keep-log "$demo/console.log" -- \
		"$2" --tools "$tools" --out "$out" \
		--first-step 5 --steps "$nsteps" | tee "$demo/vm.log"
	rc=${PIPESTATUS[0]}
	[ "$rc" -eq 0 ] && return
	if ! grep -q '^demo: FAILED' "$demo/vm.log"; then
		echo "$name: FAILED at step 4 (boot the VM and load the stack," \
			"run.sh exit $rc); last console lines:"
		tail -n 25 "$demo/console.log" | sed 's/^/    /'
	fi
	exit 1
}
