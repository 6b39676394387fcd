# SPDX-License-Identifier: GPL-2.0-only
#
# TAP helpers for the project's shell tests; source this file.
#
#   ok STATUS DESCRIPTION   an "ok" (STATUS 0) or "not ok" line; on a
#                           failure with TAP_SHOW_OUTPUT=N (N > 0) and W set,
#                           the first N lines of $W/out and $W/err follow
#                           as diagnostics
#   run CMD...              CMD's stdout in $W/out, stderr in $W/err, its
#                           exit status in rc
#   expect_rc WANT DESC     a test that rc is WANT
#   tap_plan                "1..n", for a plan printed at the end
#
# n counts the tests, failed the failures.

n=0
failed=0
rc=0
TAP_SHOW_OUTPUT=${TAP_SHOW_OUTPUT:-0}

ok() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n - $2"
		return
	fi
	echo "not ok $n - $2"
	failed=$((failed + 1))
	if [ "$TAP_SHOW_OUTPUT" -gt 0 ] && [ -n "${W:-}" ]; then
		sed 's/^/# /' "$W/out" "$W/err" 2>/dev/null | head -n "$TAP_SHOW_OUTPUT"
	fi
}

run() {
	"$@" >"$W/out" 2>"$W/err"
	rc=$?
}

expect_rc() {
	[ "$rc" = "$1" ] || echo "# exit status $rc, expected $1"
	ok "$([ "$rc" = "$1" ]; echo $?)" "$2"
}

tap_plan() {
	echo "1..$n"
}
