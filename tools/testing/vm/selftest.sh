#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Self-test of the VM harness (run.sh), TAP output: a trivial command boots
# and exits 0, exit codes propagate, the environment and the working
# directory arrive, stdout is streamed, a kernel WARN fails a passing
# command, and --timeout kills a hung guest.

set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/../../../scripts/env.sh"
run=$here/run.sh
. "$here/../include/tap.sh"

echo "TAP version 13"
echo "1..6"

start=$(date +%s.%N)
"$run" --modules=none -- true
rc=$?
secs=$(echo "$(date +%s.%N) - $start" | bc)
echo "# run.sh --modules=none -- true: ${secs}s"
ok $rc "true exits 0"

"$run" --modules=none -- sh -c 'exit 3'
rc=$?
[ $rc = 3 ]
ok $? "exit status 3 propagates (got $rc)"

out=$(SEVSTACK_SELFTEST='a b' "$run" --modules=none -- \
	sh -c 'echo "env=$SEVSTACK_SELFTEST"; pwd; cat /proc/modules')
rc=$?
echo "$out" | sed 's/^/# /'
[ $rc = 0 ] && echo "$out" | grep -qx 'env=a b' && echo "$out" | grep -qx "$PWD"
ok $? "environment and working directory arrive"
if [ "${SEVSTACK_KERNEL:-}" = debug ]; then
	# the debug kernel has the 9p stack built in: no module at all
	[ $rc = 0 ] && ! echo "$out" | grep -q ' Live '
else
	[ $rc = 0 ] && echo "$out" | grep -q '^9p ' && echo "$out" | grep -q '^virtio_pci '
fi
ok $? "--modules=none: /proc/modules lists only the 9p stack"

# A command that succeeds but makes the kernel WARN must fail the run
KVER=$(sevstack_kver)
wt=tools/testing/vm/warn-test
if "$SEVSTACK_ROOT/scripts/modules.sh" -C $wt >/dev/null; then
	ko=$SEVSTACK_CACHE/mod/$KVER/$wt/warn-test.ko
	err=$("$run" --modules=none -- insmod "$ko" 2>&1 >/dev/null)
	rc=$?
	echo "$err" | sed 's/^/# /'
	[ $rc = 1 ] && echo "$err" | grep -q 'WARNING:.*warn_test_init'
	ok $? "a kernel WARN fails a passing command (rc $rc)"
else
	ok 1 "a kernel WARN fails a passing command (warn-test.ko build failed)"
fi

"$run" --modules=none --timeout 25 -- sleep 600 2>/dev/null
rc=$?
[ $rc = 124 ]
ok $? "--timeout kills a hung guest (rc $rc)"

exit $((failed > 0))
